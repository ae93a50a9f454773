/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-breakdown-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "parley-breakdown-bar.h"

#define BAR_HEIGHT 28
#define MAX_PARTS 4

/**
 * ParleyBreakdownBar:
 *
 * How answers split into buckets (promoters, passives and detractors; or
 * satisfied and not), as one bar of proportional coloured parts drawn with
 * GtkSnapshot, and as text in the accessible description and tooltip.
 * Colours are libadwaita's named colours, so the bar follows the style.
 */
struct _ParleyBreakdownBar
{
  GtkWidget  parent_instance;

  char      *title;
  guint      n_parts;
  char      *names[MAX_PARTS];
  char      *colors[MAX_PARTS];
  gint64     counts[MAX_PARTS];
};

G_DEFINE_FINAL_TYPE (ParleyBreakdownBar, parley_breakdown_bar, GTK_TYPE_WIDGET)

static void
parley_breakdown_bar_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  ParleyBreakdownBar *self = PARLEY_BREAKDOWN_BAR (widget);
  double width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget), x = 0;
  gint64 total = 0;
  GskRoundedRect outline;

  for (guint i = 0; i < self->n_parts; i++)
    total += self->counts[i];
  gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (0, 0, width, height), 6);
  gtk_snapshot_push_rounded_clip (snapshot, &outline);
  for (guint i = 0; i < self->n_parts; i++)
    {
      double part = total > 0 ? width * self->counts[i] / total : 0;
      GdkRGBA color;

      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), self->colors[i], &color))
        gdk_rgba_parse (&color, "#888888");
      G_GNUC_END_IGNORE_DEPRECATIONS
      gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (x, 0, part, height));
      x += part;
    }
  if (total == 0)
    {
      GdkRGBA empty;

      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      gtk_style_context_get_color (gtk_widget_get_style_context (widget), &empty);
      G_GNUC_END_IGNORE_DEPRECATIONS
      empty.alpha *= 0.1;
      gtk_snapshot_append_color (snapshot, &empty, &GRAPHENE_RECT_INIT (0, 0, width, height));
    }
  gtk_snapshot_pop (snapshot);
}

static void
parley_breakdown_bar_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 120 : BAR_HEIGHT;
}

static void
clear_parts (ParleyBreakdownBar *self)
{
  for (guint i = 0; i < self->n_parts; i++)
    {
      g_clear_pointer (&self->names[i], g_free);
      g_clear_pointer (&self->colors[i], g_free);
    }
  self->n_parts = 0;
}

static void
parley_breakdown_bar_finalize (GObject *object)
{
  ParleyBreakdownBar *self = PARLEY_BREAKDOWN_BAR (object);

  clear_parts (self);
  g_free (self->title);
  G_OBJECT_CLASS (parley_breakdown_bar_parent_class)->finalize (object);
}

static void
parley_breakdown_bar_class_init (ParleyBreakdownBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = parley_breakdown_bar_finalize;
  widget_class->snapshot = parley_breakdown_bar_snapshot;
  widget_class->measure = parley_breakdown_bar_measure;
  gtk_widget_class_set_css_name (widget_class, "parley-breakdown-bar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
parley_breakdown_bar_init (ParleyBreakdownBar *self)
{
}

GtkWidget *
parley_breakdown_bar_new (const char *title)
{
  ParleyBreakdownBar *self = g_object_new (PARLEY_TYPE_BREAKDOWN_BAR, NULL);

  self->title = g_strdup (title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return GTK_WIDGET (self);
}

/* "Promoters 5 (63 %), Passives 2 (25 %), Detractors 1 (13 %)" */
char *
parley_breakdown_bar_describe_parts (ParleyBreakdownBar *self)
{
  GString *text = g_string_new (NULL);
  gint64 total = 0;

  g_return_val_if_fail (PARLEY_IS_BREAKDOWN_BAR (self), NULL);
  for (guint i = 0; i < self->n_parts; i++)
    total += self->counts[i];
  if (total == 0)
    g_string_append (text, _("no answers yet"));
  for (guint i = 0; total > 0 && i < self->n_parts; i++)
    /* Translators: one bucket of a breakdown: name, count and share */
    g_string_append_printf (text, _("%s%s %d (%.0f %%)"), i ? ", " : "", self->names[i], (int) self->counts[i],
                            100.0 * self->counts[i] / total);
  return g_string_free (text, FALSE);
}

/* @colors: libadwaita colour names, e.g. "success_color". */
void
parley_breakdown_bar_set_parts (ParleyBreakdownBar *self,
                                const char * const *names,
                                const char * const *colors,
                                const gint64       *counts,
                                guint               n_parts)
{
  g_autofree char *parts = NULL;
  g_autofree char *description = NULL;

  g_return_if_fail (PARLEY_IS_BREAKDOWN_BAR (self));
  g_return_if_fail (n_parts <= MAX_PARTS);
  clear_parts (self);
  for (guint i = 0; i < n_parts; i++)
    {
      self->names[i] = g_strdup (names[i]);
      self->colors[i] = g_strdup (colors[i]);
      self->counts[i] = counts[i];
    }
  self->n_parts = n_parts;
  parts = parley_breakdown_bar_describe_parts (self);
  /* Translators: a breakdown's text alternative: its title, then its parts */
  description = g_strdup_printf (_("%s: %s"), self->title, parts);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), description);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
