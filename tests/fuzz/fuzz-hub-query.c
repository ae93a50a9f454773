/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsoup/soup.h>

#include "parley-query.h"
#include "fuzz-glib.h"

/* A REST request's query string, decoded as SoupServer does and read as
 * the handlers read it: the timeline's before=&limit=&channel=&q=, the
 * lists' state=&agent=&limit=, the metrics' from=&to=&step=&format=. */
static const char * const strings[] = { "channel", "q", "state", "agent", "format", "step" };
static const struct { const char *name; gint64 min, max; } numbers[] = {
  { "before", 1, G_MAXINT64 }, { "limit", 1, 200 }, { "limit", 1, 1000 },
  { "from", 0, G_MAXINT64 }, { "to", 1, G_MAXINT64 }, { "queue", 1, G_MAXINT64 },
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GHashTable) query = soup_form_decode (text);

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      g_autoptr(GError) error = NULL;
      const char *value = parley_query_get_string (query, strings[i], &error);

      g_assert_true (value == NULL || g_utf8_validate (value, -1, NULL));
    }
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 value = numbers[i].min;

      if (parley_query_get_int (query, numbers[i].name, numbers[i].min, numbers[i].max, &value, &error))
        g_assert_true (value >= numbers[i].min && value <= numbers[i].max);
      else
        g_assert_nonnull (error);
    }
  return 0;
}
