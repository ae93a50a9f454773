/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean    parley_figures_get_number      (JsonObject *figures,
                                            const char *name,
                                            double     *value);
char       *parley_figures_format          (JsonObject *figures,
                                            const char *name);
char       *parley_figures_format_duration (gint64      ms);
const char *parley_figures_title           (const char *name);
const char *parley_figures_formula         (JsonObject *formulas,
                                            const char *name);
char       *parley_figures_interval_title  (JsonObject *snapshot);
char       *parley_figures_format_day      (GDateTime  *at);

G_END_DECLS
