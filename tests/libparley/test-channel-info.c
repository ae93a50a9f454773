/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley.h"

static JsonObject *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = parley_json_parse_object (text, strlen (text), "Test", &error);

  g_assert_no_error (error);
  return object;
}

/* What a plugin declares is what the desktop reads back from the hub. */
static void
test_round_trip (void)
{
  static const char * const kinds[] = { "phone", "sip", NULL };
  static const char * const types[] = { "image/*", NULL };
  g_autoptr(ParleyChannelInfo) info = g_object_new (PARLEY_TYPE_CHANNEL_INFO,
                                                    "kind", "whatsapp", "title", "WhatsApp",
                                                    "icon-name", "phone-symbolic", "identity-kinds", kinds,
                                                    "capabilities", PARLEY_CHANNEL_CAPABILITY_TEXT |
                                                                    PARLEY_CHANNEL_CAPABILITY_REPLY_WINDOW |
                                                                    PARLEY_CHANNEL_CAPABILITY_DELIVERY_RECEIPTS,
                                                    "attachment-max-size", (guint64) 16 << 20,
                                                    "attachment-types", types,
                                                    "reply-window", 86400u, "capacity", 5u, NULL);
  g_autoptr(JsonObject) json = parley_channel_info_to_json (info);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), json);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(ParleyChannelInfo) again = parley_channel_info_new_from_json (json, &error);

  g_assert_cmpstr (text, ==,
                   "{\"kind\":\"whatsapp\",\"title\":\"WhatsApp\",\"icon\":\"phone-symbolic\","
                   "\"identity_kinds\":[\"phone\",\"sip\"],"
                   "\"capabilities\":[\"text\",\"delivery-receipts\",\"reply-window\"],"
                   "\"attachments\":{\"max_size\":16777216,\"types\":[\"image/*\"]},"
                   "\"reply_window\":86400,\"capacity\":5}");
  g_assert_no_error (error);
  g_assert_cmpstr (parley_channel_info_get_title (again), ==, "WhatsApp");
  g_assert_cmpstr (parley_channel_info_get_icon_name (again), ==, "phone-symbolic");
  g_assert_true (g_strv_equal (parley_channel_info_get_identity_kinds (again), kinds));
  g_assert_true (parley_channel_info_reaches (again, "sip"));
  g_assert_false (parley_channel_info_reaches (again, "email"));
  g_assert_cmpuint (parley_channel_info_get_capabilities (again), ==, parley_channel_info_get_capabilities (info));
  g_assert_true (parley_channel_info_has_capability (again, PARLEY_CHANNEL_CAPABILITY_REPLY_WINDOW));
  g_assert_false (parley_channel_info_has_capability (again, PARLEY_CHANNEL_CAPABILITY_REALTIME));
  g_assert_cmpuint (parley_channel_info_get_attachment_max_size (again), ==, 16 << 20);
  g_assert_true (g_strv_equal (parley_channel_info_get_attachment_types (again), types));
  g_assert_cmpuint (parley_channel_info_get_reply_window (again), ==, 86400);
  g_assert_cmpuint (parley_channel_info_get_capacity (again), ==, 5);
}

/* A bare declaration shows as its kind with a generic icon, reaches no
 * identity kind and carries text to one conversation at a time; an
 * unknown capability from a newer hub is left out. */
static void
test_defaults (void)
{
  g_autoptr(JsonObject) json = parse ("{\"kind\":\"pigeon\",\"capabilities\":[\"text\",\"teleport\"]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(ParleyChannelInfo) info = parley_channel_info_new_from_json (json, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (parley_channel_info_get_title (info), ==, "pigeon");
  g_assert_cmpstr (parley_channel_info_get_icon_name (info), ==, "mail-send-receive-symbolic");
  g_assert_cmpuint (g_strv_length ((GStrv) parley_channel_info_get_identity_kinds (info)), ==, 0);
  g_assert_cmpuint (parley_channel_info_get_capabilities (info), ==, PARLEY_CHANNEL_CAPABILITY_TEXT);
  g_assert_cmpuint (parley_channel_info_get_capacity (info), ==, 1);
}

/* A channel listing any identity kind reaches every one. */
static void
test_any_identity (void)
{
  g_autoptr(ParleyChannelInfo) info = parley_channel_info_new ("api", "API", NULL,
                                                               (const char * const []) { "api", PARLEY_CHANNEL_INFO_ANY_IDENTITY, NULL },
                                                               PARLEY_CHANNEL_CAPABILITY_TEXT);
  g_autoptr(ParleyChannelInfo) loft = parley_channel_info_new ("pigeon", NULL, NULL,
                                                               (const char * const []) { "loft", NULL },
                                                               PARLEY_CHANNEL_CAPABILITY_TEXT);

  g_assert_true (parley_channel_info_reaches (info, "email"));
  g_assert_true (parley_channel_info_reaches (info, "api"));
  g_assert_false (parley_channel_info_reaches (info, NULL));
  g_assert_false (parley_channel_info_reaches (loft, "email"));
}

/* Each class of bad declaration is refused with a message naming the field. */
static void
test_bad (void)
{
  static const struct { const char *json; const char *says; } cases[] = {
    { "{}", "kind" },
    { "{\"kind\":\"\"}", "kind" },
    { "{\"kind\":7}", "kind" },
    { "{\"kind\":\"a\",\"title\":[]}", "title" },
    { "{\"kind\":\"a\",\"identity_kinds\":\"phone\"}", "identity_kinds" },
    { "{\"kind\":\"a\",\"identity_kinds\":[\"phone\",3]}", "identity_kinds" },
    { "{\"kind\":\"a\",\"capabilities\":[\"\"]}", "capabilities" },
    { "{\"kind\":\"a\",\"attachments\":[]}", "attachments" },
    { "{\"kind\":\"a\",\"attachments\":{\"max_size\":-1}}", "max_size" },
    { "{\"kind\":\"a\",\"attachments\":{\"types\":{}}}", "types" },
    { "{\"kind\":\"a\",\"reply_window\":\"day\"}", "reply_window" },
    { "{\"kind\":\"a\",\"capacity\":-2}", "capacity" },
    { "{\"kind\":\"a\",\"capacity\":4294967296}", "capacity" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) json = parse (cases[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(ParleyChannelInfo) info = parley_channel_info_new_from_json (json, &error);

      g_assert_null (info);
      g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].says));
    }
}

/* A file goes only on a channel that carries files, within its size and
 * types; each refusal says why, by the channel's title. */
static void
test_attachments (void)
{
  static const char *const pictures[] = { "image/png", "image/jpeg", NULL };
  g_autoptr(ParleyChannelInfo) text_only = parley_channel_info_new ("sms", "SMS", NULL, NULL,
                                                                    PARLEY_CHANNEL_CAPABILITY_TEXT);
  g_autoptr(ParleyChannelInfo) mms = g_object_new (PARLEY_TYPE_CHANNEL_INFO, "kind", "mms", "title", "MMS",
                                                   "capabilities", PARLEY_CHANNEL_CAPABILITY_ATTACHMENTS,
                                                   "attachment-max-size", (guint64) 300000,
                                                   "attachment-types", pictures, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (parley_channel_info_check_attachment (text_only, 10, "text/plain", &error));
  g_assert_cmpstr (error->message, ==, "The “SMS” channel carries no files");
  g_clear_error (&error);
  g_assert_true (parley_channel_info_check_attachment (mms, 300000, "image/png", &error));
  g_assert_no_error (error);
  g_assert_false (parley_channel_info_check_attachment (mms, 1200000, "image/png", &error));
  /* g_format_size () keeps figure and unit together with a no-break space */
  g_assert_cmpstr (error->message, ==, "The “MMS” channel takes files up to 300.0\u00a0kB; this one is 1.2\u00a0MB");
  g_clear_error (&error);
  g_assert_false (parley_channel_info_check_attachment (mms, 1000, "application/pdf", &error));
  g_assert_cmpstr (error->message, ==, "The “MMS” channel does not carry files of type application/pdf");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/libparley/channel-info/round-trip", test_round_trip);
  g_test_add_func ("/libparley/channel-info/defaults", test_defaults);
  g_test_add_func ("/libparley/channel-info/bad", test_bad);
  g_test_add_func ("/libparley/channel-info/any-identity", test_any_identity);
  g_test_add_func ("/libparley/channel-info/attachments", test_attachments);
  return g_test_run ();
}
