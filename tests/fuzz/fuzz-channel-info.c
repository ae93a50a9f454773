/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley.h"
#include "fuzz-glib.h"

/* The desktop reads the hub's GET /api/v1/channels answer, one
 * declaration per channel, with parley_channel_info_new_from_json(); what
 * it accepts must write back and read again to the same declaration. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = parley_json_parse_object ((const char *) data, size, "Fuzz input", &error);
  g_autoptr(ParleyChannelInfo) info = NULL;
  g_autoptr(ParleyChannelInfo) again = NULL;
  g_autoptr(JsonObject) written = NULL;

  if (object == NULL)
    return 0;
  if (!(info = parley_channel_info_new_from_json (object, &error)))
    {
      g_assert_nonnull (error);
      return 0;
    }
  written = parley_channel_info_to_json (info);
  again = parley_channel_info_new_from_json (written, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parley_channel_info_get_kind (again), ==, parley_channel_info_get_kind (info));
  g_assert_cmpuint (parley_channel_info_get_capabilities (again), ==, parley_channel_info_get_capabilities (info));
  g_assert_true (g_strv_equal (parley_channel_info_get_identity_kinds (again), parley_channel_info_get_identity_kinds (info)));
  return 0;
}
