/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Password hashing and login tokens. Hashing is deliberately slow
 * (libsodium crypto_pwhash): call it off the main loop. */
gboolean  parley_auth_init            (GError     **error);
char     *parley_auth_hash_password   (const char  *password,
                                       const char  *strength,
                                       GError     **error);
gboolean  parley_auth_verify_password (const char  *hash,
                                       const char  *password);
char     *parley_auth_new_token       (void);
char     *parley_auth_token_digest    (const char  *token);

G_END_DECLS
