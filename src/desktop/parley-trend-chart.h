/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_TREND_CHART (parley_trend_chart_get_type ())
G_DECLARE_FINAL_TYPE (ParleyTrendChart, parley_trend_chart, PARLEY, TREND_CHART, GtkWidget)

GtkWidget *parley_trend_chart_new        (const char         *title,
                                          double              minimum,
                                          double              maximum);
void       parley_trend_chart_set_points (ParleyTrendChart   *self,
                                          const char * const *labels,
                                          const double       *values,
                                          guint               n_points);
char      *parley_trend_chart_describe   (ParleyTrendChart   *self);

G_END_DECLS
