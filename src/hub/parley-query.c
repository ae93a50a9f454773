/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-query"

#include "config.h"

#include "parley.h"
#include "parley-query.h"

/* The REST API's query parameters come from anyone who can reach the hub:
 * these functions are all the checking between them and the handlers, on
 * their own so a fuzzer reaches them without a server. */

/**
 * parley_query_get_string:
 * @query: (nullable): the decoded query
 * @name: the parameter
 * @error: set when the value is not valid UTF-8
 *
 * Returns: (nullable): the value, NULL when absent or on error
 */
const char *
parley_query_get_string (GHashTable  *query,
                         const char  *name,
                         GError     **error)
{
  const char *value = query ? g_hash_table_lookup (query, name) : NULL;

  if (value != NULL && !g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Parameter “%s” is not valid UTF-8", name);
      return NULL;
    }
  return value;
}

/**
 * parley_query_get_int:
 * @query: (nullable): the decoded query
 * @name: the parameter
 * @min: the least value allowed
 * @max: the greatest value allowed
 * @value: (inout): left alone when the parameter is absent or empty
 * @error: set when the value is not a whole number within [@min, @max]
 *
 * Returns: FALSE on error
 */
gboolean
parley_query_get_int (GHashTable  *query,
                      const char  *name,
                      gint64       min,
                      gint64       max,
                      gint64      *value,
                      GError     **error)
{
  const char *text = query ? g_hash_table_lookup (query, name) : NULL;
  gint64 parsed;

  if (text == NULL || *text == '\0')
    return TRUE;
  if (!g_ascii_string_to_signed (text, 10, min, max, &parsed, NULL))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                   "Parameter “%s” must be a whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                   name, min, max);
      return FALSE;
    }
  *value = parsed;
  return TRUE;
}
