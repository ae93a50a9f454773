/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "parley-auth.h"
#include "parley-config.h"
#include "parley-error.h"

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
test_invalid (void)
{
  const char *bad[] = {
    "[hub]\noffer-timeout=0\n",
    "[hub]\noffer-timeout=soon\n",
    "[hub]\nmax-body-kib=-1\n",
    "[hub]\npassword-strength=weak\n",
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hub/config/defaults", test_defaults);
  g_test_add_func ("/hub/config/load", test_load);
  g_test_add_func ("/hub/config/invalid", test_invalid);
  g_test_add_func ("/hub/auth/passwords", test_passwords);
  g_test_add_func ("/hub/auth/tokens", test_tokens);
  return g_test_run ();
}
