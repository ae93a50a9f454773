/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Not SDK API (not installed, not exported from libparley-1):
 * the hub's origins, address ranges and forwarded clients. In-tree users link libparley_internal_dep. */

char         *parley_origin_normalize     (const char    *text,
                                           GError       **error);
GPtrArray    *parley_inet_masks_parse     (const char    *list,
                                           GError       **error);
gboolean      parley_inet_masks_contain   (GPtrArray     *masks,
                                           GInetAddress  *address);
GInetAddress *parley_inet_address_unmap   (GInetAddress  *address);
char         *parley_forwarded_client     (GPtrArray     *trusted,
                                           const char    *peer,
                                           const char    *forwarded_for);

G_END_DECLS
