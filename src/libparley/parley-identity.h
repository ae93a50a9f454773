/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include "parley-version-macros.h"

G_BEGIN_DECLS

/* Identity kinds the hub knows how to normalize. Plugins may use other
 * kinds; those are trimmed and checked for valid UTF-8 only. */

/**
 * PARLEY_IDENTITY_EMAIL:
 *
 * An email address; the hub lower-cases it.
 */
#define PARLEY_IDENTITY_EMAIL  "email"
/**
 * PARLEY_IDENTITY_PHONE:
 *
 * A phone number; the hub writes it in E.164 (`+4915112345678`).
 */
#define PARLEY_IDENTITY_PHONE  "phone"
/**
 * PARLEY_IDENTITY_CHAT:
 *
 * A web chat visitor.
 */
#define PARLEY_IDENTITY_CHAT   "chat"
/**
 * PARLEY_IDENTITY_SOCIAL:
 *
 * A handle on a social network.
 */
#define PARLEY_IDENTITY_SOCIAL "social"
/**
 * PARLEY_IDENTITY_SIP:
 *
 * A SIP URI.
 */
#define PARLEY_IDENTITY_SIP    "sip"
/**
 * PARLEY_IDENTITY_API:
 *
 * An integrator's own id for a customer (the api channel).
 */
#define PARLEY_IDENTITY_API    "api"

/**
 * PARLEY_IDENTITY_MAX_LENGTH:
 *
 * The longest identity value accepted, in bytes.
 */
#define PARLEY_IDENTITY_MAX_LENGTH 320

PARLEY_AVAILABLE_IN_1_0
gboolean  parley_identity_kind_is_valid (const char  *kind);
PARLEY_AVAILABLE_IN_1_0
char     *parley_identity_normalize     (const char  *kind,
                                         const char  *value,
                                         const char  *default_region,
                                         GError     **error);
PARLEY_AVAILABLE_IN_1_0
gboolean  parley_identity_region_is_valid         (const char *region);
PARLEY_AVAILABLE_IN_1_0
char     *parley_identity_region_for_calling_code (const char *calling_code);

G_END_DECLS
