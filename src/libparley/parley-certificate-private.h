/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Not SDK API (not installed, not exported from libparley-1):
 * the desktop's certificate pins and fingerprints. In-tree users link libparley_internal_dep. */

GBytes *parley_certificate_parse_fingerprint (const char      *text,
                                              GError         **error);
GBytes *parley_certificate_get_digest        (GTlsCertificate *certificate);
char   *parley_certificate_dup_fingerprint   (GTlsCertificate *certificate);
GBytes *parley_certificate_load_pin          (const char      *pin,
                                              GError         **error);

G_END_DECLS
