/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-auth"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "parley-auth.h"
#include "parley-error.h"

#define TOKEN_BYTES 32

gboolean
parley_auth_init (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_FAILED,
                           "libsodium could not be initialised");
      return FALSE;
    }
  return TRUE;
}

/* "min" exists for tests and benchmarks that create many agents; real
 * deployments keep the default "interactive" or stronger. */
char *
parley_auth_hash_password (const char  *password,
                           const char  *strength,
                           GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];
  unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;

  if (g_strcmp0 (strength, "moderate") == 0)
    {
      ops = crypto_pwhash_OPSLIMIT_MODERATE;
      mem = crypto_pwhash_MEMLIMIT_MODERATE;
    }
  else if (g_strcmp0 (strength, "min") == 0)
    {
      ops = crypto_pwhash_OPSLIMIT_MIN;
      mem = crypto_pwhash_MEMLIMIT_MIN;
    }

  if (password == NULL || *password == '\0')
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Password is empty");
      return NULL;
    }
  if (crypto_pwhash_str (hash, password, strlen (password), ops, mem) != 0)
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_FAILED,
                           "Out of memory while hashing the password");
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
parley_auth_verify_password (const char *hash,
                             const char *password)
{
  if (hash == NULL || password == NULL)
    return FALSE;
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

char *
parley_auth_new_token (void)
{
  guchar raw[TOKEN_BYTES];
  char hex[TOKEN_BYTES * 2 + 1];

  randombytes_buf (raw, sizeof raw);
  sodium_bin2hex (hex, sizeof hex, raw, sizeof raw);
  return g_strdup (hex);
}

/* Tokens are stored as digests so a copy of the database cannot log in. */
char *
parley_auth_token_digest (const char *token)
{
  guchar digest[crypto_generichash_BYTES];
  char hex[crypto_generichash_BYTES * 2 + 1];

  crypto_generichash (digest, sizeof digest, (const guchar *) token, strlen (token), NULL, 0);
  sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);
  return g_strdup (hex);
}
