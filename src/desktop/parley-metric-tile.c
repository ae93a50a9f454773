/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-metric-tile"

#include "config.h"

#include <glib/gi18n.h>

#include "parley-metric-tile.h"

/* The title and detail lines next to the figure, in parts of its size. */
#define TITLE_SHARE 0.4
#define DETAIL_SHARE 0.32
#define ICON_SHARE 0.8

/**
 * ParleyMetricTile:
 *
 * One figure on the wallboard, big enough to read across the room: the
 * value, what it is, an optional detail line, its formula as tooltip, and
 * its level against a threshold as colour and icon (a colour alone is
 * lost on the colour-blind and on a washed-out projector). Values change
 * in place, so a fresh snapshot redraws the text and nothing else. The
 * wallboard sizes the figure to its window.
 */
struct _ParleyMetricTile
{
  GtkWidget          parent_instance;

  GtkImage          *icon;
  GtkLabel          *title;
  GtkImage          *level_icon;
  GtkLabel          *value;
  GtkLabel          *detail;
  ParleyMetricLevel  level;
  char              *formula;
  int                figure_size;
};

G_DEFINE_FINAL_TYPE (ParleyMetricTile, parley_metric_tile, GTK_TYPE_WIDGET)

static const char *level_classes[] = { NULL, "success", "warning", "error" };

/* A figure near or past its threshold carries an icon; one within it
 * needs no alarm. */
const char *
parley_metric_level_icon_name (ParleyMetricLevel level)
{
  static const char *icons[] = { NULL, NULL, "dialog-warning-symbolic", "dialog-error-symbolic" };

  return icons[level];
}

/* The level in words, for screen readers, or NULL without a threshold. */
const char *
parley_metric_level_describe (ParleyMetricLevel level)
{
  switch (level)
    {
    case PARLEY_METRIC_LEVEL_GOOD:
      return _("Target met");
    case PARLEY_METRIC_LEVEL_WARNING:
      return _("Close to missing its target");
    case PARLEY_METRIC_LEVEL_BAD:
      return _("Target missed");
    case PARLEY_METRIC_LEVEL_NONE:
    default:
      return NULL;
    }
}

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

/* Screen readers hear the level first, then the formula: tooltips and
 * colours do not reach them. */
static void
update_accessible_description (ParleyMetricTile *self)
{
  const char *level = parley_metric_level_describe (self->level);
  g_autofree char *description = NULL;

  if (level && self->formula)
    /* Translators: a wallboard figure's description: its level, then its formula */
    description = g_strdup_printf (_("%s. %s"), level, self->formula);
  else
    description = g_strdup (level ? level : self->formula ? self->formula : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
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
parley_metric_tile_finalize (GObject *object)
{
  g_free (PARLEY_METRIC_TILE (object)->formula);
  G_OBJECT_CLASS (parley_metric_tile_parent_class)->finalize (object);
}

static void
parley_metric_tile_class_init (ParleyMetricTileClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = parley_metric_tile_dispose;
  G_OBJECT_CLASS (klass)->finalize = parley_metric_tile_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "parley-metric-tile");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

/* A line of the tile: an icon (hidden until given one) and a label. */
static GtkLabel *
add_line (ParleyMetricTile  *self,
          const char        *css_class,
          GtkImage         **icon)
{
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_add_css_class (label, css_class);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (icon)
    {
      *icon = GTK_IMAGE (gtk_image_new ());
      gtk_widget_set_visible (GTK_WIDGET (*icon), FALSE);
      gtk_box_append (GTK_BOX (line), GTK_WIDGET (*icon));
    }
  gtk_box_append (GTK_BOX (line), label);
  gtk_widget_set_parent (line, GTK_WIDGET (self));
  return GTK_LABEL (label);
}

static void
parley_metric_tile_init (ParleyMetricTile *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 2);
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  self->title = add_line (self, "tile-title", &self->icon);
  self->value = add_line (self, "tile-value", &self->level_icon);
  self->detail = add_line (self, "tile-detail", NULL);
  gtk_widget_set_valign (gtk_widget_get_parent (GTK_WIDGET (self->value)), GTK_ALIGN_CENTER);
  gtk_widget_set_vexpand (gtk_widget_get_parent (GTK_WIDGET (self->value)), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->value), "numeric");
  gtk_widget_add_css_class (GTK_WIDGET (self->level_icon), "level-icon");
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
  if (g_strcmp0 (self->formula, formula) == 0)
    return;
  g_free (self->formula);
  self->formula = g_strdup (formula);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), formula);
  update_accessible_description (self);
}

/* An icon before the title, e.g. an agent state's. */
void
parley_metric_tile_set_icon_name (ParleyMetricTile *self,
                                  const char       *icon_name)
{
  g_return_if_fail (PARLEY_IS_METRIC_TILE (self));
  gtk_image_set_from_icon_name (self->icon, icon_name);
  gtk_widget_set_visible (GTK_WIDGET (self->icon), icon_name != NULL);
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
  const char *icon_name = parley_metric_level_icon_name (level);

  g_return_if_fail (PARLEY_IS_METRIC_TILE (self));
  if (self->level == level)
    return;
  self->level = level;
  parley_metric_level_apply (GTK_WIDGET (self), level);
  gtk_image_set_from_icon_name (self->level_icon, icon_name);
  gtk_widget_set_visible (GTK_WIDGET (self->level_icon), icon_name != NULL);
  if (icon_name)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->level_icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    parley_metric_level_describe (level), -1);
  update_accessible_description (self);
}


static void
set_pixel_size (GtkLabel *label,
                int       pixels)
{
  g_autoptr(PangoAttrList) attributes = pango_attr_list_new ();

  pango_attr_list_insert (attributes, pango_attr_size_new_absolute (pixels * PANGO_SCALE));
  gtk_label_set_attributes (label, attributes);
}

/* Sizes the figure to @pixels (its font's size), and the lines around it
 * in proportion, so the room reads the tile at any screen size. */
void
parley_metric_tile_set_figure_size (ParleyMetricTile *self,
                                    int               pixels)
{
  g_return_if_fail (PARLEY_IS_METRIC_TILE (self));
  if (self->figure_size == pixels)
    return;
  self->figure_size = pixels;
  set_pixel_size (self->value, pixels);
  set_pixel_size (self->title, (int) (pixels * TITLE_SHARE));
  set_pixel_size (self->detail, (int) (pixels * DETAIL_SHARE));
  gtk_image_set_pixel_size (self->level_icon, (int) (pixels * ICON_SHARE));
  gtk_image_set_pixel_size (self->icon, (int) (pixels * TITLE_SHARE));
}

int
parley_metric_tile_get_figure_size (ParleyMetricTile *self)
{
  g_return_val_if_fail (PARLEY_IS_METRIC_TILE (self), 0);
  return self->figure_size;
}

/* The label showing the figure, for tests that measure it. */
GtkWidget *
parley_metric_tile_get_value_label (ParleyMetricTile *self)
{
  g_return_val_if_fail (PARLEY_IS_METRIC_TILE (self), NULL);
  return GTK_WIDGET (self->value);
}
