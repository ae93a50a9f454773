/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley.h"
#include "parley-net-private.h"
#include "fuzz-glib.h"

/* Browsers send the Origin header, clients and proxies X-Forwarded-For,
 * and the admin writes trusted-proxies: the input is split at its first
 * NUL byte into an origin or proxy list, and a forwarded-for header. A
 * normalised origin must normalise to itself, and the client address of
 * a forwarded request is either the peer or a valid address. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *split = memchr (data, '\0', size);
  g_autofree char *first = g_strndup ((const char *) data, split ? (gsize) (split - (const char *) data) : size);
  g_autofree char *second = split ? g_strndup (split + 1, size - (split + 1 - (const char *) data)) : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) masks_error = NULL;
  g_autofree char *origin = parley_origin_normalize (first, &error);
  g_autoptr(GPtrArray) masks = parley_inet_masks_parse (first, &masks_error);
  g_autoptr(GPtrArray) loopback = parley_inet_masks_parse ("127.0.0.0/8, ::1", NULL);
  g_autofree char *client = NULL;

  if (origin == NULL)
    g_assert_nonnull (error);
  else
    {
      g_autofree char *again = parley_origin_normalize (origin, NULL);

      g_assert_cmpstr (again, ==, origin);
    }
  if (masks == NULL)
    g_assert_nonnull (masks_error);

  client = parley_forwarded_client (masks ? masks : loopback, "127.0.0.1", second);
  g_assert_nonnull (client);
  if (g_strcmp0 (client, "127.0.0.1") != 0)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (client);

      g_assert_nonnull (address);
    }
  return 0;
}
