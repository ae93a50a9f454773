/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include "parley-version-macros.h"

G_BEGIN_DECLS

/* Secrets and signatures for plugins, on libsodium: compares that take
 * the same time wherever the first difference is, and HMAC-SHA256. */
PARLEY_AVAILABLE_IN_1_0
gboolean  parley_crypto_equal              (const char   *expected,
                                            const char   *given);
PARLEY_AVAILABLE_IN_1_0
char     *parley_crypto_hmac_sha256_hex    (const guchar *key,
                                            gsize         key_size,
                                            const char   *data,
                                            gsize         size);
PARLEY_AVAILABLE_IN_1_0
char     *parley_crypto_hmac_sha256_base64 (const guchar *key,
                                            gsize         key_size,
                                            const char   *data,
                                            gsize         size);

G_END_DECLS
