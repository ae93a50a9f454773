/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-net"

#include "config.h"

#include <string.h>

#include "parley-error.h"
#include "parley-net-private.h"

/* Origins and client addresses, compared as what they mean rather than as
 * the text a browser, a proxy or an admin happened to write. */

static int
default_port (const char *scheme)
{
  if (g_str_equal (scheme, "http") || g_str_equal (scheme, "ws"))
    return 80;
  if (g_str_equal (scheme, "https") || g_str_equal (scheme, "wss"))
    return 443;
  return -1;
}

/**
 * parley_origin_normalize:
 * @text: an origin ("https://Shop.Example:443") or a URL whose origin counts
 * @error: return location for a #GError
 *
 * The origin in one spelling, so that two spellings of the same origin
 * compare equal: the scheme and host lower-cased, an international host in
 * its ASCII (punycode) form, an IPv6 host in brackets and in its shortest
 * form, and the scheme's default port left out ("http://h:80" is
 * "http://h"). Only http and https origins are accepted (a browser's "null"
 * origin is not one).
 *
 * Returns: (transfer full) (nullable): "scheme://host[:port]", or %NULL
 */
/* Letters, digits, dots, hyphens and underscores: what is left of a name
 * that is not an address literal (GUri takes "[:]" as the host ":"). */
static gboolean
is_host_name (const char *ascii)
{
  for (const char *c = ascii; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '.' && *c != '-' && *c != '_')
      return FALSE;
  return TRUE;
}

char *
parley_origin_normalize (const char  *text,
                         GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *ascii = NULL;
  int port;

  if (text == NULL || !(uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL)) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Not an origin: %s", text ? text : "(none)");
      return NULL;
    }
  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  if (!g_str_equal (scheme, "http") && !g_str_equal (scheme, "https"))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Not an http or https origin: %s", text);
      return NULL;
    }
  if ((address = g_inet_address_new_from_string (g_uri_get_host (uri))))
    {
      g_autofree char *literal = g_inet_address_to_string (address);

      host = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6 ? g_strdup_printf ("[%s]", literal)
                                                                          : g_steal_pointer (&literal);
    }
  else if ((ascii = g_hostname_to_ascii (g_uri_get_host (uri))) && is_host_name (ascii))
    host = g_ascii_strdown (ascii, -1);
  else
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Not a host name: %s", text);
      return NULL;
    }
  port = g_uri_get_port (uri);
  if (port == -1 || port == default_port (scheme))
    return g_strdup_printf ("%s://%s", scheme, host);
  return g_strdup_printf ("%s://%s:%d", scheme, host, port);
}

/* GLib warns, instead of failing, when a range's prefix length is over
 * 128 ("10.0.0.0/8111111"), the largest its mask property takes. */
static gboolean
prefix_length_fits (const char *item)
{
  const char *slash = strchr (item, '/');
  guint64 length;

  return slash == NULL ||
         (g_ascii_string_to_unsigned (slash + 1, 10, 0, 128, &length, NULL) && g_ascii_isdigit (slash[1]));
}

/**
 * parley_inet_masks_parse:
 * @list: comma-separated addresses or ranges: "10.0.0.0/8, ::1, fd00::/8"
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type GInetAddressMask) (nullable): the
 *   ranges, or %NULL if one of them is not an address or range
 */
GPtrArray *
parley_inet_masks_parse (const char  *list,
                         GError     **error)
{
  g_autoptr(GPtrArray) masks = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) items = g_strsplit (list ? list : "", ",", -1);

  for (guint i = 0; items[i]; i++)
    {
      const char *item = g_strstrip (items[i]);
      GInetAddressMask *mask;

      if (*item == '\0')
        continue;
      if (!prefix_length_fits (item) || !(mask = g_inet_address_mask_new_from_string (item, NULL)))
        {
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                       "Not an address or an address range (like 10.0.0.0/8 or fd00::/8): %s", item);
          return NULL;
        }
      g_ptr_array_add (masks, mask);
    }
  return g_steal_pointer (&masks);
}

/**
 * parley_inet_address_unmap:
 * @address: an address
 *
 * A socket bound to an IPv6 address sees IPv4 clients as IPv4-mapped IPv6
 * addresses (::ffff:192.0.2.1); this gives them back as IPv4.
 *
 * Returns: (transfer full): the IPv4 address @address maps, or @address
 */
GInetAddress *
parley_inet_address_unmap (GInetAddress *address)
{
  static const guint8 mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
  const guint8 *bytes = g_inet_address_to_bytes (address);

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6 &&
      memcmp (bytes, mapped_prefix, sizeof mapped_prefix) == 0)
    return g_inet_address_new_from_bytes (bytes + sizeof mapped_prefix, G_SOCKET_FAMILY_IPV4);
  return g_object_ref (address);
}

/**
 * parley_inet_masks_contain:
 * @masks: (nullable) (element-type GInetAddressMask): ranges
 * @address: an address (IPv4-mapped IPv6 addresses count as IPv4)
 *
 * Returns: whether one of @masks contains @address
 */
gboolean
parley_inet_masks_contain (GPtrArray    *masks,
                           GInetAddress *address)
{
  g_autoptr(GInetAddress) unmapped = NULL;

  if (masks == NULL || address == NULL)
    return FALSE;
  unmapped = parley_inet_address_unmap (address);
  for (guint i = 0; i < masks->len; i++)
    if (g_inet_address_mask_matches (g_ptr_array_index (masks, i), unmapped))
      return TRUE;
  return FALSE;
}

static gboolean
trusted_text (GPtrArray  *trusted,
              const char *text)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (text);

  return address != NULL && parley_inet_masks_contain (trusted, address);
}

/**
 * parley_forwarded_client:
 * @trusted: (nullable) (element-type GInetAddressMask): the reverse proxies
 * @peer: the address the connection comes from
 * @forwarded_for: (nullable): the X-Forwarded-For header, all of it
 *
 * Where a request comes from: @peer, or when @peer is a trusted proxy, the
 * last address in @forwarded_for that is not itself a trusted proxy (what
 * comes before it, anyone can write). Something that is not an address
 * stops the walk: nothing further along is believed.
 *
 * Returns: (transfer full): the client's address, as text
 */
char *
parley_forwarded_client (GPtrArray  *trusted,
                         const char *peer,
                         const char *forwarded_for)
{
  g_auto(GStrv) hops = NULL;
  g_autofree char *client = g_strdup (peer ? peer : "");

  if (peer == NULL || forwarded_for == NULL || !trusted_text (trusted, peer))
    return g_steal_pointer (&client);
  hops = g_strsplit (forwarded_for, ",", -1);
  for (guint i = g_strv_length (hops); i > 0; i--)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (g_strstrip (hops[i - 1]));
      g_autoptr(GInetAddress) unmapped = NULL;

      if (address == NULL)
        break;
      unmapped = parley_inet_address_unmap (address);
      g_free (client);
      client = g_inet_address_to_string (unmapped);
      if (!parley_inet_masks_contain (trusted, unmapped))
        break;
    }
  return g_steal_pointer (&client);
}
