/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Origins and client addresses as the hub compares them. */

#include "config.h"

#include "parley.h"
#include "parley-net-private.h"

static void
assert_origin (const char *text,
               const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *origin = parley_origin_normalize (text, &error);

  if (expected == NULL)
    {
      g_assert_null (origin);
      g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpstr (origin, ==, expected);
}

static void
test_origin_normalize (void)
{
  /* Default ports, written or left out. */
  assert_origin ("http://h", "http://h");
  assert_origin ("http://h:80", "http://h");
  assert_origin ("https://h:443", "https://h");
  assert_origin ("https://h:80", "https://h:80");
  assert_origin ("http://h:8080", "http://h:8080");
  /* Case, paths and trailing slashes of a URL. */
  assert_origin ("HTTPS://Shop.EXAMPLE", "https://shop.example");
  assert_origin ("https://shop.example/chat/demo?x=1", "https://shop.example");
  /* IPv6 keeps its brackets, in its shortest spelling; IPv4 as it is. */
  assert_origin ("http://[::1]:8080", "http://[::1]:8080");
  assert_origin ("http://[0:0:0:0:0:0:0:1]", "http://[::1]");
  assert_origin ("http://[FD00::A]:80", "http://[fd00::a]");
  assert_origin ("http://127.0.0.1:8080/", "http://127.0.0.1:8080");
  /* International names as browsers send them. */
  assert_origin ("https://bücher.example", "https://xn--bcher-kva.example");
  /* Not origins. */
  assert_origin ("null", NULL);
  assert_origin ("", NULL);
  assert_origin ("http://[:]", NULL);  /* found by fuzz-net: it gave "http://:" */
  assert_origin (NULL, NULL);
  assert_origin ("file:///etc/passwd", NULL);
  assert_origin ("javascript:alert(1)", NULL);
  assert_origin ("ftp://h", NULL);
  assert_origin ("http://", NULL);
}

static gboolean
contains (GPtrArray  *masks,
          const char *text)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (text);

  g_assert_nonnull (address);
  return parley_inet_masks_contain (masks, address);
}

static void
test_inet_masks (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) masks = parley_inet_masks_parse (" 10.0.0.0/8, 192.168.1.7 ,fd00::/8, ::1", &error);
  g_autoptr(GPtrArray) none = parley_inet_masks_parse ("", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (masks->len, ==, 4);
  g_assert_true (contains (masks, "10.1.2.3"));
  g_assert_true (contains (masks, "192.168.1.7"));
  g_assert_false (contains (masks, "192.168.1.8"));
  g_assert_false (contains (masks, "11.0.0.1"));
  g_assert_true (contains (masks, "fd12:3456::1"));
  g_assert_false (contains (masks, "fe80::1"));
  g_assert_true (contains (masks, "::1"));
  /* IPv4 clients of a socket bound to IPv6 look like this. */
  g_assert_true (contains (masks, "::ffff:10.9.8.7"));
  g_assert_false (contains (masks, "::ffff:11.9.8.7"));
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_false (contains (none, "10.1.2.3"));
  g_assert_false (parley_inet_masks_contain (NULL, NULL));

  g_assert_null (parley_inet_masks_parse ("10.0.0.0/8, proxy.example", &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (parley_inet_masks_parse ("10.0.0.0/33", &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
  g_clear_error (&error);
  /* found by fuzz-net: GLib warned instead of failing */
  g_assert_null (parley_inet_masks_parse ("10.0.0.0/8111111", &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
}

static void
assert_client (GPtrArray  *trusted,
               const char *peer,
               const char *forwarded,
               const char *expected)
{
  g_autofree char *client = parley_forwarded_client (trusted, peer, forwarded);

  g_assert_cmpstr (client, ==, expected);
}

static void
test_forwarded_client (void)
{
  g_autoptr(GPtrArray) trusted = parley_inet_masks_parse ("10.0.0.0/8, fd00::/8", NULL);

  /* Not from a proxy: the header is anyone's to write. */
  assert_client (trusted, "203.0.113.1", "198.51.100.1", "203.0.113.1");
  assert_client (trusted, "10.0.0.2", NULL, "10.0.0.2");
  /* From a proxy in the range: the last address it did not add itself. */
  assert_client (trusted, "10.0.0.2", "198.51.100.1", "198.51.100.1");
  assert_client (trusted, "10.0.0.2", "192.0.2.66, 198.51.100.1", "198.51.100.1");
  assert_client (trusted, "10.0.0.2", "198.51.100.1, 10.20.30.40", "198.51.100.1");
  assert_client (trusted, "fd00::5", "2001:db8::7", "2001:db8::7");
  assert_client (trusted, "::ffff:10.0.0.2", "::ffff:198.51.100.1", "198.51.100.1");
  /* Garbage ends the walk where the trusted part ends. */
  assert_client (trusted, "10.0.0.2", "198.51.100.1, garbage", "10.0.0.2");
  assert_client (trusted, "10.0.0.2", "garbage, 10.1.1.1", "10.1.1.1");
  assert_client (NULL, "10.0.0.2", "198.51.100.1", "10.0.0.2");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/libparley/net/origin-normalize", test_origin_normalize);
  g_test_add_func ("/libparley/net/inet-masks", test_inet_masks);
  g_test_add_func ("/libparley/net/forwarded-client", test_forwarded_client);
  return g_test_run ();
}
