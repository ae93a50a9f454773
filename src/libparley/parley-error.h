/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include "parley-version-macros.h"

G_BEGIN_DECLS

/**
 * ParleyError:
 * @PARLEY_ERROR_FAILED: something went wrong that has no better code
 * @PARLEY_ERROR_INVALID: the input was malformed or failed validation
 * @PARLEY_ERROR_NOT_FOUND: the object named does not exist
 * @PARLEY_ERROR_CONFLICT: the change clashes with the current state
 * @PARLEY_ERROR_UNAUTHORIZED: no valid credentials were given
 * @PARLEY_ERROR_FORBIDDEN: the caller's role may not do this
 * @PARLEY_ERROR_TOO_LARGE: the input is larger than allowed
 * @PARLEY_ERROR_REJECTED: a peer refused the operation
 * @PARLEY_ERROR_CHANNEL_UNAVAILABLE: the channel cannot deliver right now
 * @PARLEY_ERROR_STORAGE: the store could not read or write
 *
 * Error codes shared by the hub, the SDK and plugins. Each maps to one HTTP
 * status in the hub and one D-Bus error name.
 */
typedef enum {
  PARLEY_ERROR_FAILED,
  PARLEY_ERROR_INVALID,
  PARLEY_ERROR_NOT_FOUND,
  PARLEY_ERROR_CONFLICT,
  PARLEY_ERROR_UNAUTHORIZED,
  PARLEY_ERROR_FORBIDDEN,
  PARLEY_ERROR_TOO_LARGE,
  PARLEY_ERROR_REJECTED,
  PARLEY_ERROR_CHANNEL_UNAVAILABLE,
  PARLEY_ERROR_STORAGE,
  PARLEY_N_ERRORS /*< skip >*/
} ParleyError;

#define PARLEY_ERROR (parley_error_quark ())

PARLEY_AVAILABLE_IN_1_0
GQuark      parley_error_quark     (void);
PARLEY_AVAILABLE_IN_1_0
const char *parley_error_code_name (ParleyError code);
PARLEY_AVAILABLE_IN_1_0
ParleyError parley_error_from_code_name (const char *name);

G_END_DECLS
