/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-trend-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "parley-trend-chart.h"

#define AXIS_WIDTH 44
#define LABEL_HEIGHT 22
#define PADDING 8
#define DOT_RADIUS 3.5

/**
 * ParleyTrendChart:
 *
 * A score over time (NPS by day, CSAT by hour...) drawn natively with
 * GtkSnapshot: a line through every bucket that has answers, a dot on
 * each, gridlines at the bottom, middle and top of the scale, and the
 * first, middle and last bucket named under the axis. Buckets without
 * answers leave a gap. Screen readers get every point as text, in the
 * accessible description.
 */
struct _ParleyTrendChart
{
  GtkWidget  parent_instance;

  char      *title;
  double     minimum;
  double     maximum;
  GStrv      labels;
  GArray    *values;   /* double, NAN where a bucket has no answers */
};

G_DEFINE_FINAL_TYPE (ParleyTrendChart, parley_trend_chart, GTK_TYPE_WIDGET)

static GdkRGBA
named_color (GtkWidget  *widget,
             const char *name,
             const char *fallback)
{
  GdkRGBA color;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, &color))
    gdk_rgba_parse (&color, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
  return color;
}

static double
y_for (ParleyTrendChart *self,
       double            value,
       double            top,
       double            height)
{
  return top + height * (self->maximum - value) / (self->maximum - self->minimum);
}

static void
append_text (ParleyTrendChart *self,
             GtkSnapshot      *snapshot,
             const char       *text,
             double            x,
             double            y,
             float             xalign,
             const GdkRGBA    *color)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x - width * xalign, y - height / 2.0));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

static void
parley_trend_chart_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  ParleyTrendChart *self = PARLEY_TREND_CHART (widget);
  double width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double left = AXIS_WIDTH, top = PADDING, plot_width = width - AXIS_WIDTH - PADDING;
  double plot_height = height - LABEL_HEIGHT - 2 * PADDING;
  GdkRGBA fg, grid, line = named_color (widget, "accent_color", "#3584e4");
  guint n = self->values->len;
  cairo_t *cr;
  gboolean drawing = FALSE;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  grid = fg;
  grid.alpha *= 0.15;
  if (plot_width <= 0 || plot_height <= 0)
    return;

  for (guint i = 0; i < 3; i++)
    {
      double value = self->minimum + (self->maximum - self->minimum) * i / 2.0;
      double y = y_for (self, value, top, plot_height);
      g_autofree char *text = g_strdup_printf ("%.0f", value);

      gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (left, y, plot_width, 1));
      append_text (self, snapshot, text, left - 6, y, 1, &fg);
    }
  if (n == 0)
    {
      append_text (self, snapshot, _("No answers in this period"), left + plot_width / 2, top + plot_height / 2, 0.5, &fg);
      return;
    }

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_cairo_set_source_rgba (cr, &line);
  cairo_set_line_width (cr, 2.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < n; i++)
    {
      double value = g_array_index (self->values, double, i);
      double x = left + (n > 1 ? plot_width * i / (n - 1) : plot_width / 2);

      if (isnan (value))
        {
          drawing = FALSE;
          continue;
        }
      if (drawing)
        cairo_line_to (cr, x, y_for (self, value, top, plot_height));
      else
        cairo_move_to (cr, x, y_for (self, value, top, plot_height));
      drawing = TRUE;
    }
  cairo_stroke (cr);
  for (guint i = 0; i < n; i++)
    {
      double value = g_array_index (self->values, double, i);
      double x = left + (n > 1 ? plot_width * i / (n - 1) : plot_width / 2);

      if (isnan (value))
        continue;
      cairo_arc (cr, x, y_for (self, value, top, plot_height), DOT_RADIUS, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  cairo_destroy (cr);

  /* The first, middle and last bucket, so the axis reads as time. */
  for (guint tick = 0; tick < 3 && n > 0; tick++)
    {
      guint i = tick == 0 ? 0 : tick == 1 ? (n - 1) / 2 : n - 1;
      double x = left + (n > 1 ? plot_width * i / (n - 1) : plot_width / 2);

      if (tick > 0 && (i == 0 || (tick == 2 && i == (n - 1) / 2)))
        continue;  /* too few buckets for three labels */
      append_text (self, snapshot, self->labels[i], x, height - LABEL_HEIGHT / 2.0, i == 0 ? 0 : i == n - 1 ? 1 : 0.5, &fg);
    }
}

static void
parley_trend_chart_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 140;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 400 : 200;
}

static void
parley_trend_chart_finalize (GObject *object)
{
  ParleyTrendChart *self = PARLEY_TREND_CHART (object);

  g_free (self->title);
  g_strfreev (self->labels);
  g_array_unref (self->values);
  G_OBJECT_CLASS (parley_trend_chart_parent_class)->finalize (object);
}

static void
parley_trend_chart_class_init (ParleyTrendChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = parley_trend_chart_finalize;
  widget_class->snapshot = parley_trend_chart_snapshot;
  widget_class->measure = parley_trend_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "parley-trend-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
parley_trend_chart_init (ParleyTrendChart *self)
{
  self->values = g_array_new (FALSE, FALSE, sizeof (double));
  self->labels = g_new0 (char *, 1);
}

/* A chart of @title on a scale from @minimum to @maximum. */
GtkWidget *
parley_trend_chart_new (const char *title,
                        double      minimum,
                        double      maximum)
{
  ParleyTrendChart *self = g_object_new (PARLEY_TYPE_TREND_CHART, NULL);

  self->title = g_strdup (title);
  self->minimum = minimum;
  self->maximum = maximum;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  parley_trend_chart_set_points (self, NULL, NULL, 0);
  return GTK_WIDGET (self);
}

/* The points as a sentence, for screen readers and tests. */
char *
parley_trend_chart_describe (ParleyTrendChart *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (PARLEY_IS_TREND_CHART (self), NULL);
  if (self->values->len == 0)
    /* Translators: a chart's text alternative when it is empty; %s is its title */
    g_string_printf (text, _("%s: no answers in this period."), self->title);
  else
    g_string_printf (text, "%s: ", self->title);
  for (guint i = 0; i < self->values->len; i++)
    {
      double value = g_array_index (self->values, double, i);

      if (i > 0)
        g_string_append (text, "; ");
      if (isnan (value))
        /* Translators: one point of a chart without answers: "Mon 3: none" */
        g_string_append_printf (text, _("%s: none"), self->labels[i]);
      else
        g_string_append_printf (text, "%s: %.0f", self->labels[i], value);
    }
  return g_string_free (text, FALSE);
}

/* @values: NAN for a bucket without answers. */
void
parley_trend_chart_set_points (ParleyTrendChart   *self,
                               const char * const *labels,
                               const double       *values,
                               guint               n_points)
{
  g_autofree char *description = NULL;

  g_return_if_fail (PARLEY_IS_TREND_CHART (self));
  g_strfreev (self->labels);
  self->labels = g_new0 (char *, n_points + 1);
  for (guint i = 0; i < n_points; i++)
    self->labels[i] = g_strdup (labels[i]);
  g_array_set_size (self->values, 0);
  if (n_points)
    g_array_append_vals (self->values, values, n_points);
  description = parley_trend_chart_describe (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
