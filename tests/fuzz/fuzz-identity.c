/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "parley.h"
#include "fuzz-glib.h"

/* Identity values (emails, phone numbers, chat and SIP addresses) come
 * from customers. The first byte picks the kind, the second the default
 * region, the rest is the value. What comes out is the key customers are
 * found by, so normalising it again must give it back unchanged. Phone
 * numbers go through libphonenumber (C++): nothing it throws may get out. */
static const char * const kinds[] = {
  PARLEY_IDENTITY_EMAIL, PARLEY_IDENTITY_PHONE, PARLEY_IDENTITY_CHAT,
  PARLEY_IDENTITY_SOCIAL, PARLEY_IDENTITY_SIP, PARLEY_IDENTITY_API, "fax",
};
static const char * const regions[] = {
  NULL, "", "IT", "US", "AU", "de", "GB", "BR", "JP", "XX", "ZZ", "001", "+39", "I",
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *normalized = NULL;
  const char *kind, *region;

  if (size < 2)
    return 0;
  kind = kinds[data[0] % G_N_ELEMENTS (kinds)];
  region = regions[data[1] % G_N_ELEMENTS (regions)];
  value = g_strndup ((const char *) data + 2, size - 2);

  parley_identity_kind_is_valid (value);
  parley_identity_region_is_valid (value);
  g_free (parley_identity_region_for_calling_code (value));
  normalized = parley_identity_normalize (kind, value, region, &error);
  if (normalized == NULL)
    g_assert_nonnull (error);
  else
    {
      g_autoptr(GError) again_error = NULL;
      g_autofree char *again = parley_identity_normalize (kind, normalized, region, &again_error);

      g_assert_no_error (again_error);
      g_assert_cmpstr (again, ==, normalized);
    }
  return 0;
}
