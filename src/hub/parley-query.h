/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parameters of a request's query string, as SoupServer decodes it into
 * a table of names to values (NULL when there is no query at all). */
const char *parley_query_get_string (GHashTable  *query,
                                     const char  *name,
                                     GError     **error);
gboolean    parley_query_get_int    (GHashTable  *query,
                                     const char  *name,
                                     gint64       min,
                                     gint64       max,
                                     gint64      *value,
                                     GError     **error);

G_END_DECLS
