/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Private: a C face on libphonenumber (C++) for parley-identity.c. Nothing
 * thrown inside crosses it; failures come back as PARLEY_ERROR_INVALID. */

#include <glib.h>

G_BEGIN_DECLS

char     *parley_phone_number_to_e164                (const char  *number,
                                                      const char  *region,
                                                      GError     **error);
gboolean  parley_phone_number_region_is_known        (const char  *region);
char     *parley_phone_number_region_for_calling_code (int          calling_code);

G_END_DECLS
