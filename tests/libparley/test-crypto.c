/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <parley.h>

/* RFC 4231, test case 2. */
#define KEY "Jefe"
#define DATA "what do ya want for nothing?"
#define MAC_HEX "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"

static void
test_hmac (void)
{
  g_autofree char *hex = parley_crypto_hmac_sha256_hex ((const guchar *) KEY, strlen (KEY), DATA, strlen (DATA));
  g_autofree char *base64 = parley_crypto_hmac_sha256_base64 ((const guchar *) KEY, strlen (KEY), DATA, strlen (DATA));
  g_autofree guchar *raw = NULL;
  g_autofree char *raw_hex = NULL;
  gsize size;

  g_assert_cmpstr (hex, ==, MAC_HEX);
  raw = g_base64_decode (base64, &size);
  g_assert_cmpuint (size, ==, 32);
  raw_hex = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) KEY, strlen (KEY), DATA, -1);
  g_assert_cmpstr (raw_hex, ==, MAC_HEX);
  for (gsize i = 0; i < size; i++)
    {
      char byte[3];

      g_snprintf (byte, sizeof byte, "%02x", raw[i]);
      g_assert_cmpint (byte[0], ==, MAC_HEX[2 * i]);
      g_assert_cmpint (byte[1], ==, MAC_HEX[2 * i + 1]);
    }
}

static void
test_equal (void)
{
  g_assert_true (parley_crypto_equal ("secret-key", "secret-key"));
  g_assert_false (parley_crypto_equal ("secret-key", "secret-kez"));
  g_assert_false (parley_crypto_equal ("secret-key", "secret-ke"));
  g_assert_false (parley_crypto_equal ("secret-key", ""));
  g_assert_false (parley_crypto_equal ("secret-key", NULL));
  g_assert_false (parley_crypto_equal (NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/libparley/crypto/hmac", test_hmac);
  g_test_add_func ("/libparley/crypto/equal", test_equal);
  return g_test_run ();
}
