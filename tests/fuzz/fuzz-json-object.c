/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley.h"
#include "fuzz-glib.h"

/* Every JSON body and WebSocket text message the hub accepts goes through
 * parley_json_parse_object(); then handlers read members with the typed
 * getters and answers are written back with parley_json_to_string(). */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = parley_json_parse_object ((const char *) data, size, "Fuzz input", &error);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  JsonObjectIter iter;
  const char *member;

  if (object == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, NULL))
    {
      g_autoptr(GError) string_error = NULL;
      g_autoptr(GError) int_error = NULL;
      g_autoptr(GError) object_error = NULL;
      gint64 number = 0;

      parley_json_get_string (object, member, TRUE, &string_error);
      parley_json_get_int (object, member, TRUE, &number, &int_error);
      parley_json_get_object (object, member, TRUE, &object_error);
    }
  node = json_node_init_object (json_node_alloc (), object);
  text = parley_json_to_string (node);
  g_assert_nonnull (text);
  return 0;
}
