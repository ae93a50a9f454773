/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-metric-tile"

#include "config.h"

#include <glib/gi18n.h>

#include "parley-metric-tile.h"

/**
 * ParleyMetricTile:
 *
 * One figure on the wallboard, big enough to read across the room: the
 * value, what it is, an optional detail line, its formula as tooltip, and
 * its level against a threshold as colour. Values change in place, so a
 * fresh snapshot redraws the text and nothing else.
 */
struct _ParleyMetricTile
{
  GtkWidget          parent_instance;

  GtkLabel          *value;
  GtkLabel          *title;
  GtkLabel          *detail;
  ParleyMetricLevel  level;
};

G_DEFINE_FINAL_TYPE (ParleyMetricTile, parley_metric_tile, GTK_TYPE_WIDGET)

static const char *level_classes[] = { NULL, "success", "warning", "error" };

static void
update_accessible_label (ParleyMetricTile *self)
{
  const char *detail = gtk_label_get_text (self->detail);
  g_autofree char *label = NULL;

  /* Translators: a wallboard figure for screen readers: "Waiting: 3" */
  label = g_strdup_printf (_("%s: %s"), gtk_label_get_text (self->title), gtk_label_get_text (self->value));
  if (detail && *detail)
    {
      g_autofree char *with_detail = g_strdup_printf ("%s (%s)", label, detail);

      g_free (g_steal_pointer (&label));
      label = g_steal_pointer (&with_detail);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
parley_metric_tile_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (parley_metric_tile_parent_class)->dispose (object);
}

static void
parley_metric_tile_class_init (ParleyMetricTileClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = parley_metric_tile_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "parley-metric-tile");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkLabel *
add_label (ParleyMetricTile *self,
           const char       *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_add_css_class (label, css_class);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_parent (label, GTK_WIDGET (self));
  return GTK_LABEL (label);
}

static void
parley_metric_tile_init (ParleyMetricTile *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 2);
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  self->title = add_label (self, "tile-title");
  self->value = add_label (self, "tile-value");
  self->detail = add_label (self, "tile-detail");
  gtk_widget_add_css_class (GTK_WIDGET (self->value), "numeric");
  /* A figure cut short misleads: the tile grows to show it whole. */
  gtk_label_set_ellipsize (self->value, PANGO_ELLIPSIZE_NONE);
  gtk_label_set_text (self->value, "–");
}

GtkWidget *
parley_metric_tile_new (const char *title)
{
  ParleyMetricTile *self = g_object_new (PARLEY_TYPE_METRIC_TILE, NULL);

  gtk_label_set_text (self->title, title);
  update_accessible_label (self);
  return GTK_WIDGET (self);
}

/* @detail: a smaller line under the value, or NULL. */
void
parley_metric_tile_set_value (ParleyMetricTile *self,
                              const char       *value,
                              const char       *detail)
{
  g_return_if_fail (PARLEY_IS_METRIC_TILE (self));
  if (g_strcmp0 (gtk_label_get_text (self->value), value) == 0 &&
      g_strcmp0 (gtk_label_get_text (self->detail), detail ? detail : "") == 0)
    return;
  gtk_label_set_text (self->value, value);
  gtk_label_set_text (self->detail, detail ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail), detail != NULL);
  update_accessible_label (self);
}

const char *
parley_metric_tile_get_value (ParleyMetricTile *self)
{
  g_return_val_if_fail (PARLEY_IS_METRIC_TILE (self), NULL);
  return gtk_label_get_text (self->value);
}

void
parley_metric_tile_set_formula (ParleyMetricTile *self,
                                const char       *formula)
{
  g_return_if_fail (PARLEY_IS_METRIC_TILE (self));
  if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self)), formula) == 0)
    return;
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), formula);
  /* Screen readers get the formula too: tooltips do not reach them. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, formula ? formula : "", -1);
}

/* Colours @widget by @level with libadwaita's state classes. */
void
parley_metric_level_apply (GtkWidget         *widget,
                           ParleyMetricLevel  level)
{
  for (guint i = 1; i < G_N_ELEMENTS (level_classes); i++)
    if (i == level)
      gtk_widget_add_css_class (widget, level_classes[i]);
    else
      gtk_widget_remove_css_class (widget, level_classes[i]);
}

void
parley_metric_tile_set_level (ParleyMetricTile  *self,
                              ParleyMetricLevel  level)
{
  g_return_if_fail (PARLEY_IS_METRIC_TILE (self));
  if (self->level == level)
    return;
  self->level = level;
  parley_metric_level_apply (GTK_WIDGET (self), level);
}
