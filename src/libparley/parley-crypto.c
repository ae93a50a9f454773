/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-crypto"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "parley-crypto.h"

/**
 * parley_crypto_equal:
 * @expected: (nullable): the secret or signature that is right
 * @given: (nullable): what a client sent
 *
 * Compares two strings in a time that depends on their length only, so a
 * client cannot find a key or signature byte by byte from timings. The
 * length is not secret.
 *
 * Returns: %TRUE when both are set and equal
 */
gboolean
parley_crypto_equal (const char *expected,
                     const char *given)
{
  gsize size;

  if (expected == NULL || given == NULL || (size = strlen (expected)) != strlen (given))
    return FALSE;
  return sodium_memcmp (expected, given, size) == 0;
}

static void
hmac_sha256 (const guchar *key,
             gsize         key_size,
             const char   *data,
             gsize         size,
             guchar        mac[crypto_auth_hmacsha256_BYTES])
{
  crypto_auth_hmacsha256_state state;

  crypto_auth_hmacsha256_init (&state, key, key_size);
  crypto_auth_hmacsha256_update (&state, (const guchar *) data, size);
  crypto_auth_hmacsha256_final (&state, mac);
}

/**
 * parley_crypto_hmac_sha256_hex:
 * @key: (array length=key_size): the key
 * @key_size: its length in bytes
 * @data: (array length=size) (element-type guint8): what is signed
 * @size: its length in bytes
 *
 * Signs @data, as webhook providers that sign in hex do.
 *
 * Returns: (transfer full): HMAC-SHA256 of @data under @key, in lower-case hex
 */
char *
parley_crypto_hmac_sha256_hex (const guchar *key,
                               gsize         key_size,
                               const char   *data,
                               gsize         size)
{
  guchar mac[crypto_auth_hmacsha256_BYTES];
  char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];

  hmac_sha256 (key, key_size, data, size, mac);
  return g_strdup (sodium_bin2hex (hex, sizeof hex, mac, sizeof mac));
}

/**
 * parley_crypto_hmac_sha256_base64:
 * @key: (array length=key_size): the key
 * @key_size: its length in bytes
 * @data: (array length=size) (element-type guint8): what is signed
 * @size: its length in bytes
 *
 * Signs @data, as Standard Webhooks and providers that sign in base64 do.
 *
 * Returns: (transfer full): HMAC-SHA256 of @data under @key, in standard
 *   base64 with padding
 */
char *
parley_crypto_hmac_sha256_base64 (const guchar *key,
                                  gsize         key_size,
                                  const char   *data,
                                  gsize         size)
{
  guchar mac[crypto_auth_hmacsha256_BYTES];

  hmac_sha256 (key, key_size, data, size, mac);
  return g_base64_encode (mac, sizeof mac);
}
