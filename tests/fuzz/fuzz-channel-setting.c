/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley.h"
#include "fuzz-glib.h"

/* Channel settings come from administrators (parleyctl set, PATCH
 * /api/v1/channels/KIND/settings) and reach plugins as kept. The first
 * byte picks the setting's type; the rest is the value. What is kept must
 * be checked again as itself: one spelling. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *const choices[] = { "seen", "move", NULL };
  g_autoptr(ParleyChannelSetting) setting = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *kept = NULL;

  if (size < 1)
    return 0;
  setting = parley_channel_setting_new ("fuzzed", data[0] % (PARLEY_SETTING_CHOICE + 1), "A fuzzed setting");
  if (data[0] & 0x80)
    parley_channel_setting_set_range (setting, 1, 86400);
  parley_channel_setting_set_choices (setting, choices);
  value = g_strndup ((const char *) data + 1, size - 1);
  kept = parley_channel_setting_check (setting, value, &error);
  if (kept == NULL)
    g_assert_nonnull (error);
  else
    {
      g_autoptr(GError) again_error = NULL;
      g_autofree char *again = parley_channel_setting_check (setting, kept, &again_error);

      g_assert_no_error (again_error);
      g_assert_cmpstr (again, ==, kept);
    }
  return 0;
}
