/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * ParleyMetricLevel:
 * @PARLEY_METRIC_LEVEL_NONE: no threshold applies
 * @PARLEY_METRIC_LEVEL_GOOD: within its threshold
 * @PARLEY_METRIC_LEVEL_WARNING: close to its threshold
 * @PARLEY_METRIC_LEVEL_BAD: past its threshold
 *
 * How a figure stands against its threshold, shown as its colour and
 * an icon.
 */
typedef enum {
  PARLEY_METRIC_LEVEL_NONE,
  PARLEY_METRIC_LEVEL_GOOD,
  PARLEY_METRIC_LEVEL_WARNING,
  PARLEY_METRIC_LEVEL_BAD,
} ParleyMetricLevel;

#define PARLEY_TYPE_METRIC_TILE (parley_metric_tile_get_type ())
G_DECLARE_FINAL_TYPE (ParleyMetricTile, parley_metric_tile, PARLEY, METRIC_TILE, GtkWidget)

GtkWidget  *parley_metric_tile_new         (const char        *title);
void        parley_metric_tile_set_value   (ParleyMetricTile  *self,
                                            const char        *value,
                                            const char        *detail);
const char *parley_metric_tile_get_value   (ParleyMetricTile  *self);
void        parley_metric_tile_set_formula (ParleyMetricTile  *self,
                                            const char        *formula);
void        parley_metric_tile_set_level   (ParleyMetricTile  *self,
                                            ParleyMetricLevel  level);
void        parley_metric_tile_set_icon_name (ParleyMetricTile *self,
                                              const char       *icon_name);
void        parley_metric_tile_set_figure_size (ParleyMetricTile *self,
                                                int               pixels);
int         parley_metric_tile_get_figure_size (ParleyMetricTile *self);
GtkWidget  *parley_metric_tile_get_value_label (ParleyMetricTile *self);
void        parley_metric_level_apply      (GtkWidget         *widget,
                                            ParleyMetricLevel  level);
const char *parley_metric_level_icon_name  (ParleyMetricLevel  level);
const char *parley_metric_level_describe   (ParleyMetricLevel  level);

G_END_DECLS
