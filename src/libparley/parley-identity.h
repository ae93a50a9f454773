/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include "parley-version-macros.h"

G_BEGIN_DECLS

/* Identity kinds the hub knows how to normalize. Plugins may use other
 * kinds; those are trimmed and checked for valid UTF-8 only. */
#define PARLEY_IDENTITY_EMAIL  "email"
#define PARLEY_IDENTITY_PHONE  "phone"
#define PARLEY_IDENTITY_CHAT   "chat"
#define PARLEY_IDENTITY_SOCIAL "social"
#define PARLEY_IDENTITY_SIP    "sip"
#define PARLEY_IDENTITY_API    "api"

/* Longest identity value accepted, in bytes. */
#define PARLEY_IDENTITY_MAX_LENGTH 320

PARLEY_AVAILABLE_IN_1_0
gboolean  parley_identity_kind_is_valid (const char  *kind);
PARLEY_AVAILABLE_IN_1_0
char     *parley_identity_normalize     (const char  *kind,
                                         const char  *value,
                                         const char  *default_country_code,
                                         GError     **error);

G_END_DECLS
