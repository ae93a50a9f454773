/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-error"

#include "config.h"

#include <gio/gio.h>

#include "parley-error.h"

static const GDBusErrorEntry error_entries[] = {
  { PARLEY_ERROR_FAILED, "org.parley.Error.Failed" },
  { PARLEY_ERROR_INVALID, "org.parley.Error.Invalid" },
  { PARLEY_ERROR_NOT_FOUND, "org.parley.Error.NotFound" },
  { PARLEY_ERROR_CONFLICT, "org.parley.Error.Conflict" },
  { PARLEY_ERROR_UNAUTHORIZED, "org.parley.Error.Unauthorized" },
  { PARLEY_ERROR_FORBIDDEN, "org.parley.Error.Forbidden" },
  { PARLEY_ERROR_TOO_LARGE, "org.parley.Error.TooLarge" },
  { PARLEY_ERROR_REJECTED, "org.parley.Error.Rejected" },
  { PARLEY_ERROR_CHANNEL_UNAVAILABLE, "org.parley.Error.ChannelUnavailable" },
  { PARLEY_ERROR_STORAGE, "org.parley.Error.Storage" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (error_entries) == PARLEY_N_ERRORS);

/* Stable short names used in the hub's JSON error bodies. */
static const char *code_names[] = {
  "failed", "invalid", "not_found", "conflict", "unauthorized",
  "forbidden", "too_large", "rejected", "channel_unavailable", "storage",
};

G_STATIC_ASSERT (G_N_ELEMENTS (code_names) == PARLEY_N_ERRORS);

/**
 * parley_error_quark:
 *
 * The domain of #ParleyError, registered with D-Bus as `org.parley.Error`.
 *
 * Returns: the quark of %PARLEY_ERROR
 */
GQuark
parley_error_quark (void)
{
  static gsize quark = 0;

  g_dbus_error_register_error_domain ("parley-error-quark", &quark,
                                      error_entries, G_N_ELEMENTS (error_entries));
  return (GQuark) quark;
}

/**
 * parley_error_code_name:
 * @code: a #ParleyError
 *
 * The name the hub's error bodies give @code (`{"error":{"code"}}`).
 *
 * Returns: (transfer none): the stable snake_case name of @code
 */
const char *
parley_error_code_name (ParleyError code)
{
  if ((int) code < 0 || code >= PARLEY_N_ERRORS)
    return code_names[PARLEY_ERROR_FAILED];
  return code_names[code];
}

/**
 * parley_error_from_code_name:
 * @name: a name from parley_error_code_name(), e.g. from a hub error body
 *
 * The code of a name in a hub's error body.
 *
 * Returns: the matching #ParleyError, or %PARLEY_ERROR_FAILED if unknown
 */
ParleyError
parley_error_from_code_name (const char *name)
{
  for (guint i = 0; name && i < G_N_ELEMENTS (code_names); i++)
    if (g_str_equal (name, code_names[i]))
      return (ParleyError) i;
  return PARLEY_ERROR_FAILED;
}

static const GDBusErrorEntry delivery_error_entries[] = {
  { PARLEY_DELIVERY_ERROR_TRANSIENT, "org.parley.DeliveryError.Transient" },
  { PARLEY_DELIVERY_ERROR_PERMANENT, "org.parley.DeliveryError.Permanent" },
};

/**
 * parley_delivery_error_quark:
 *
 * The domain of #ParleyDeliveryError, registered with D-Bus as
 * `org.parley.DeliveryError`.
 *
 * Returns: the #GQuark of %PARLEY_DELIVERY_ERROR
 */
GQuark
parley_delivery_error_quark (void)
{
  static gsize quark = 0;

  g_dbus_error_register_error_domain ("parley-delivery-error-quark", &quark,
                                      delivery_error_entries, G_N_ELEMENTS (delivery_error_entries));
  return (GQuark) quark;
}
