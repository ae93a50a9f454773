/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley.h"
#include "parley-queue-settings.h"
#include "fuzz-glib.h"

/* The PATCH /api/v1/queues/{id} body: changes checked against, then merged
 * into, a queue's settings. What comes out is stored and must be whole
 * and valid: applying no change to it gives it back. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) changes = parley_json_parse_object ((const char *) data, size, "Request body", &error);
  g_autoptr(JsonObject) defaults = NULL;
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(JsonObject) again = NULL;

  if (changes == NULL)
    return 0;
  defaults = parley_queue_settings_apply (NULL, NULL, &error);
  g_assert_no_error (error);
  settings = parley_queue_settings_apply (defaults, changes, &error);
  if (settings == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  again = parley_queue_settings_apply (settings, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_equal (again, settings));
  return 0;
}
