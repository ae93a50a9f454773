/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "parley.h"
#include "fuzz-glib.h"

/* Identity values (emails, phone numbers, chat and SIP addresses) come
 * from customers. The first byte picks the kind, the second the default
 * country code, the rest is the value. What comes out is the key customers
 * are found by, so normalising it again must give it back unchanged. */
static const char * const kinds[] = {
  PARLEY_IDENTITY_EMAIL, PARLEY_IDENTITY_PHONE, PARLEY_IDENTITY_CHAT,
  PARLEY_IDENTITY_SOCIAL, PARLEY_IDENTITY_SIP, PARLEY_IDENTITY_API, "fax",
};
static const char * const countries[] = { NULL, "", "49", "+1", "999", "1234", "4a" };

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *normalized = NULL;
  const char *kind, *country;

  if (size < 2)
    return 0;
  kind = kinds[data[0] % G_N_ELEMENTS (kinds)];
  country = countries[data[1] % G_N_ELEMENTS (countries)];
  value = g_strndup ((const char *) data + 2, size - 2);

  parley_identity_kind_is_valid (value);
  normalized = parley_identity_normalize (kind, value, country, &error);
  if (normalized == NULL)
    g_assert_nonnull (error);
  else
    {
      g_autoptr(GError) again_error = NULL;
      g_autofree char *again = parley_identity_normalize (kind, normalized, country, &again_error);

      g_assert_no_error (again_error);
      g_assert_cmpstr (again, ==, normalized);
    }
  return 0;
}
