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

/**
 * ParleyDeliveryError:
 * @PARLEY_DELIVERY_ERROR_TRANSIENT: the message may go through later (the
 *   peer is down, busy or slow): the hub tries again with backoff
 * @PARLEY_DELIVERY_ERROR_PERMANENT: the message will never go through (the
 *   address does not exist, the peer refused it for good): the hub marks
 *   it failed at once, with the error's message as the reason
 *
 * How a channel's delivery failed, for parley_channel_deliver_finish().
 * Any error of another domain counts as transient.
 */
typedef enum {
  PARLEY_DELIVERY_ERROR_TRANSIENT,
  PARLEY_DELIVERY_ERROR_PERMANENT,
} ParleyDeliveryError;

#define PARLEY_DELIVERY_ERROR (parley_delivery_error_quark ())

PARLEY_AVAILABLE_IN_1_0
GQuark      parley_delivery_error_quark (void);

G_END_DECLS
