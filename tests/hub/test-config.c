/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "parley-auth.h"
#include "parley-config.h"
#include "parley-queue-settings.h"
#include "parley-error.h"
#include "parley-net-private.h"

static char *
write_config (const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("parley-config-XXXXXX.conf", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_defaults (void)
{
  g_autoptr(ParleyConfig) config = parley_config_new ();

  g_assert_cmpuint (config->offer_timeout, ==, 20);
  g_assert_cmpuint (config->wrap_up, ==, 10);
  g_assert_cmpuint (config->max_body_size, ==, 256 * 1024);
  g_assert_cmpstr (config->listen, ==, "127.0.0.1:8080");
  g_assert_cmpstr (config->password_strength, ==, "interactive");
  g_assert_true (config->missed_offer_away);
}

static void
test_load (void)
{
  g_autoptr(ParleyConfig) config = parley_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_config ("[hub]\n"
                                        "listen=127.0.0.1:9000\n"
                                        "offer-timeout=5\n"
                                        "wrap-up=0\n"
                                        "short-abandon=2\n"
                                        "interval-hours=8\n"
                                        "day-starts-at=6\n"
                                        "max-body-kib=16\n"
                                        "missed-offer-away=false\n"
                                        "password-strength=min\n"
                                        "[channel:api]\n"
                                        "key = secret-secret-secret\n");
  g_autofree char *key = NULL;
  g_autofree char *missing = NULL;

  g_assert_true (parley_config_load (config, path, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (config->listen, ==, "127.0.0.1:9000");
  g_assert_cmpuint (config->offer_timeout, ==, 5);
  g_assert_cmpuint (config->wrap_up, ==, 0);
  g_assert_cmpuint (config->short_abandon, ==, 2);
  g_assert_cmpuint (config->interval_hours, ==, 8);
  g_assert_cmpuint (config->day_starts_at, ==, 6);
  g_assert_cmpuint (config->max_body_size, ==, 16 * 1024);
  g_assert_false (config->missed_offer_away);
  g_assert_cmpstr (config->password_strength, ==, "min");
  key = parley_config_get_channel (config, "api", "key");
  g_assert_cmpstr (key, ==, "secret-secret-secret");
  missing = parley_config_get_channel (config, "api", "callback-url");
  g_assert_null (missing);
  g_unlink (path);
}

static void
test_default_region (void)
{
  const char *cases[][2] = {
    /* config text, default region (NULL: none) */
    { "[hub]\n", NULL },
    { "[hub]\ndefault-region=IT\n", "IT" },
    { "[hub]\ndefault-region = us \n", "US" },
    { "[hub]\ndefault-region=\n", NULL },
    /* The older calling code still works, as its main country. */
    { "[hub]\ndefault-country-code=+39\n", "IT" },
    { "[hub]\ndefault-country-code=44\n", "GB" },
    { "[hub]\ndefault-country-code=1\n", "US" },
    { "[hub]\ndefault-country-code=\n", NULL },
    { "[hub]\ndefault-region=CA\ndefault-country-code=1\n", "CA" },
  };
  const char *invalid[][2] = {
    { "[hub]\ndefault-region=XX\n", "default-region \"XX\" is not a known country" },
    { "[hub]\ndefault-region=UK\n", "default-region \"UK\" is not a known country" },
    { "[hub]\ndefault-region=+39\n", "default-region \"+39\" is not a known country" },
    { "[hub]\ndefault-country-code=+999\n", "default-country-code \"+999\" is not a country calling code" },
    { "[hub]\ndefault-country-code=IT\n", "default-country-code \"IT\" is not a country calling code" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ParleyConfig) config = parley_config_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *path = write_config (cases[i][0]);

      g_assert_true (parley_config_load (config, path, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (config->default_region, ==, cases[i][1]);
      g_unlink (path);
    }
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(ParleyConfig) config = parley_config_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *path = write_config (invalid[i][0]);

      g_assert_false (parley_config_load (config, path, &error));
      g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, invalid[i][1]));
      g_unlink (path);
    }
}

static void
test_invalid (void)
{
  const char *bad[] = {
    "[hub]\noffer-timeout=0\n",
    "[hub]\noffer-timeout=soon\n",
    "[hub]\nmax-body-kib=-1\n",
    "[hub]\npassword-strength=weak\n",
    "[hub]\ninterval-hours=5\n",
    "[hub]\nday-starts-at=24\n",
    "[hub]\ntls-certificate=/etc/parley/cert.pem\n",
    "[hub]\npublic-url=chat.example.com\n",
    "[hub]\npublic-url=https://chat.example.com, null\n",
    "[hub]\ntrusted-proxies=10.0.0.0/8, proxy.example.com\n",
    "[hub]\nheader-timeout=0\n",
    "not a key file\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(ParleyConfig) config = parley_config_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *path = write_config (bad[i]);

      g_assert_false (parley_config_load (config, path, &error));
      g_assert_nonnull (error);
      g_unlink (path);
    }
}

/* Where the hub is seen and who stands in front of it: kept as origins
 * and address ranges. */
static void
test_network (void)
{
  g_autoptr(ParleyConfig) config = parley_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) proxied = g_inet_address_new_from_string ("10.20.30.40");
  g_autofree char *path = write_config ("[hub]\n"
                                        "public-url=https://Chat.Example.com:443/, http://[::1]:8080\n"
                                        "trusted-proxies=10.0.0.0/8, ::1\n"
                                        "tls-certificate=/etc/parley/cert.pem\n"
                                        "tls-key=/etc/parley/key.pem\n"
                                        "header-timeout=5\n"
                                        "max-connections-per-address=10\n");

  g_assert_cmpuint (config->header_timeout, ==, 10);
  g_assert_cmpuint (config->keep_alive_timeout, ==, 60);
  g_assert_cmpuint (config->reserved_descriptors, ==, 64);
  g_assert_true (parley_config_load (config, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (config->public_origins), ==, 2);
  g_assert_cmpstr (config->public_origins[0], ==, "https://chat.example.com");
  g_assert_cmpstr (config->public_origins[1], ==, "http://[::1]:8080");
  g_assert_true (parley_inet_masks_contain (config->trusted_proxies, proxied));
  g_assert_cmpstr (config->tls_key, ==, "/etc/parley/key.pem");
  g_assert_cmpuint (config->header_timeout, ==, 5);
  g_assert_cmpuint (config->max_connections_per_address, ==, 10);
  g_unlink (path);
}

static void
test_passwords (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *empty = NULL;

  g_assert_true (parley_auth_init (&error));
  hash = parley_auth_hash_password ("correct horse", "min", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_true (parley_auth_verify_password (hash, "correct horse"));
  g_assert_false (parley_auth_verify_password (hash, "correct hose"));
  g_assert_false (parley_auth_verify_password (NULL, "x"));

  empty = parley_auth_hash_password ("", "min", &error);
  g_assert_null (empty);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
}

static void
test_tokens (void)
{
  g_autofree char *a = parley_auth_new_token ();
  g_autofree char *b = parley_auth_new_token ();
  g_autofree char *digest_a = parley_auth_token_digest (a);
  g_autofree char *digest_a2 = parley_auth_token_digest (a);
  g_autofree char *digest_b = parley_auth_token_digest (b);

  g_assert_cmpuint (strlen (a), ==, 64);
  g_assert_cmpstr (a, !=, b);
  g_assert_cmpstr (digest_a, ==, digest_a2);
  g_assert_cmpstr (digest_a, !=, digest_b);
  g_assert_cmpstr (digest_a, !=, a);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  return json_node_dup_object (node);
}

static char *
to_json (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

/* Queue settings come out whole, keep what was set, and refuse what is
 * misspelt or out of range without changing anything. */
static void
test_queue_settings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) defaults = parley_queue_settings_apply (NULL, NULL, &error);
  g_autoptr(JsonObject) changes = parse_object ("{\"survey\":{\"enabled\":true,\"language\":\"de\","
                                                "\"questions\":{\"thanks\":\"Danke!\"}},"
                                                "\"targets\":{\"longest_wait\":30}}");
  g_autoptr(JsonObject) changed = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) reset = NULL;
  g_autofree char *defaults_json = NULL;
  g_autofree char *again_json = NULL;
  g_autofree char *changed_json = NULL;
  const char *refused[] = {
    "{\"survey\":{\"enabeld\":true}}", "{\"surveys\":{}}", "{\"survey\":{\"delay\":-1}}",
    "{\"survey\":{\"language\":\"fr\"}}", "{\"targets\":{\"service_level\":101}}",
    "{\"survey\":{\"enabled\":\"yes\"}}", "{\"survey\":{\"questions\":{\"nps\":\"\"}}}",
    "{\"survey\":{\"questions\":{\"why\":\"Why?\"}}}", "{\"targets\":[]}",
  };

  g_assert_no_error (error);
  defaults_json = to_json (defaults);
  g_assert_cmpstr (defaults_json, ==,
                   "{\"targets\":{\"service_level\":80,\"longest_wait\":60},"
                   "\"survey\":{\"enabled\":false,\"delay\":60,\"language\":\"en\",\"csat\":true,\"comment\":true,"
                   "\"quiet_period\":2592000,\"reply_window\":86400,\"questions\":{}}}");

  changed = parley_queue_settings_apply (defaults, changes, &error);
  g_assert_no_error (error);
  changed_json = to_json (changed);
  g_assert_cmpstr (changed_json, ==,
                   "{\"targets\":{\"service_level\":80,\"longest_wait\":30},"
                   "\"survey\":{\"enabled\":true,\"delay\":60,\"language\":\"de\",\"csat\":true,\"comment\":true,"
                   "\"quiet_period\":2592000,\"reply_window\":86400,\"questions\":{\"thanks\":\"Danke!\"}}}");
  /* Applying nothing keeps everything; null wording goes back to the built-in one. */
  again = parley_queue_settings_apply (changed, NULL, &error);
  again_json = to_json (again);
  g_assert_cmpstr (again_json, ==, changed_json);
  {
    g_autoptr(JsonObject) null_thanks = parse_object ("{\"survey\":{\"questions\":{\"thanks\":null}}}");

    reset = parley_queue_settings_apply (changed, null_thanks, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_object_get_size (json_object_get_object_member (json_object_get_object_member (reset, "survey"), "questions")), ==, 0);
  }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(JsonObject) bad = parse_object (refused[i]);
      g_autoptr(JsonObject) result = parley_queue_settings_apply (changed, bad, &error);

      g_assert_null (result);
      g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
      g_clear_error (&error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hub/config/defaults", test_defaults);
  g_test_add_func ("/hub/config/load", test_load);
  g_test_add_func ("/hub/config/invalid", test_invalid);
  g_test_add_func ("/hub/config/default-region", test_default_region);
  g_test_add_func ("/hub/config/network", test_network);
  g_test_add_func ("/hub/auth/passwords", test_passwords);
  g_test_add_func ("/hub/auth/tokens", test_tokens);
  g_test_add_func ("/hub/config/queue-settings", test_queue_settings);

  return g_test_run ();
}
