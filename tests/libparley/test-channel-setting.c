/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley.h"

typedef struct
{
  const char *value;
  const char *kept;      /* NULL: refused with message */
  const char *message;
} Case;

static void
check_cases (ParleyChannelSetting *setting,
             const Case           *cases,
             guint                 n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *kept = parley_channel_setting_check (setting, cases[i].value, &error);
      g_autofree char *shown = g_strescape (cases[i].value, NULL);

      g_test_message ("%s: %s", parley_channel_setting_get_name (setting), shown);
      if (cases[i].kept != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (kept, ==, cases[i].kept);
        }
      else
        {
          g_assert_null (kept);
          g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
          g_assert_cmpstr (error->message, ==, cases[i].message);
        }
    }
}

/* Every type takes what it should, kept in one spelling, and refuses the
 * rest saying what it takes. */
static void
test_check (void)
{
  g_autoptr(ParleyChannelSetting) seconds = parley_channel_setting_new ("abandon-after", PARLEY_SETTING_INTEGER,
                                                                        "Seconds before a silent visitor counts as gone");
  g_autoptr(ParleyChannelSetting) key = parley_channel_setting_new ("key", PARLEY_SETTING_STRING, "The inbound key");
  g_autoptr(ParleyChannelSetting) tls = parley_channel_setting_new ("tls", PARLEY_SETTING_BOOLEAN, "Whether to use TLS");
  g_autoptr(ParleyChannelSetting) url = parley_channel_setting_new ("callback-url", PARLEY_SETTING_URL, "Where replies go");
  g_autoptr(ParleyChannelSetting) ack = parley_channel_setting_new ("acknowledge", PARLEY_SETTING_CHOICE, "How mail is marked");
  static const char *const ways[] = { "seen", "move", NULL };
  const Case number_cases[] = {
    { " 300 ", "300", NULL },
    { "0086400", "86400", NULL },
    { "0", NULL, "Setting “abandon-after” takes a whole number from 1 to 86400" },
    { "86401", NULL, "Setting “abandon-after” takes a whole number from 1 to 86400" },
    { "5 min", NULL, "Setting “abandon-after” takes a whole number from 1 to 86400" },
    { "", NULL, "Setting “abandon-after” takes a whole number from 1 to 86400" },
  };
  const Case key_cases[] = {
    { "0123456789abcdef", "0123456789abcdef", NULL },
    { "short", NULL, "Setting “key” takes 16 to 256 characters" },
    { "ünïcødé-ünïcødé-", "ünïcødé-ünïcødé-", NULL },
    { "line\nbreak-0123456789", NULL, "Setting “key” has a control character" },
    { "\xff\xfe-0123456789abcdef", NULL, "Setting “key” is not valid UTF-8" },
  };
  const Case boolean_cases[] = {
    { "Yes", "true", NULL }, { "off", "false", NULL }, { "1", "true", NULL },
    { "maybe", NULL, "Setting “tls” takes true or false" },
  };
  const Case url_cases[] = {
    { "https://crm.example.com/parley", "https://crm.example.com/parley", NULL },
    { "http://127.0.0.1:8081/hook", "http://127.0.0.1:8081/hook", NULL },
    { "ftp://example.com/", NULL, "Setting “callback-url” takes an http or https URL" },
    { "https://", NULL, "Setting “callback-url” takes an http or https URL" },
    { "crm.example.com", NULL, "Setting “callback-url” takes an http or https URL" },
  };
  const Case choice_cases[] = {
    { "move", "move", NULL },
    { "delete", NULL, "Setting “acknowledge” takes one of: seen, move" },
  };

  parley_channel_setting_set_range (seconds, 1, 86400);
  parley_channel_setting_set_range (key, 16, 256);
  parley_channel_setting_set_choices (ack, ways);
  check_cases (seconds, number_cases, G_N_ELEMENTS (number_cases));
  check_cases (key, key_cases, G_N_ELEMENTS (key_cases));
  check_cases (tls, boolean_cases, G_N_ELEMENTS (boolean_cases));
  check_cases (url, url_cases, G_N_ELEMENTS (url_cases));
  check_cases (ack, choice_cases, G_N_ELEMENTS (choice_cases));
}

/* The declaration as JSON; a secret's default is never shown. */
static void
test_json (void)
{
  g_autoptr(ParleyChannelSetting) secret = parley_channel_setting_new ("signing-secret", PARLEY_SETTING_STRING,
                                                                       "Signs replies");
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  parley_channel_setting_set_secret (secret, TRUE);
  parley_channel_setting_set_required (secret, TRUE);
  parley_channel_setting_set_default (secret, "whsec_do-not-show");
  object = parley_channel_setting_to_json (secret);
  node = json_node_init_object (json_node_alloc (), object);
  text = parley_json_to_string (node);
  g_assert_cmpstr (text, ==, "{\"name\":\"signing-secret\",\"type\":\"string\",\"description\":\"Signs replies\","
                             "\"secret\":true,\"required\":true,\"min\":0,\"max\":4096}");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/channel-setting/check", test_check);
  g_test_add_func ("/channel-setting/json", test_json);
  return g_test_run ();
}
