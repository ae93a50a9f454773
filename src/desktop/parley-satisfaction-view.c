/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-satisfaction-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "parley-breakdown-bar.h"
#include "parley-figures.h"
#include "parley-metric-tile.h"
#include "parley-satisfaction-view.h"
#include "parley-trend-chart.h"

/* Trend and comments are fetched again after fresh figures at most this
 * often: they change with every survey, but nobody reads them per second. */
#define REFETCH_SECONDS 10
#define TREND_DAYS 14
#define TREND_HOURS 24
#define COMMENTS_SHOWN 10
#define SURVEYS_FETCHED 50

/**
 * ParleySatisfactionView:
 *
 * NPS and CSAT for supervisors: today's scores, how the answers split
 * (promoters, passives, detractors; satisfied or not), the trend over the
 * last days or hours as charts, and the latest comments, each with a link
 * to its conversation (#ParleySatisfactionView::watch).
 */
struct _ParleySatisfactionView
{
  GtkWidget          parent_instance;

  ParleySupervision *supervision;
  GCancellable      *cancellable;
  gint64             fetched_at;      /* monotonic µs of the last trend and comments fetch */
  guint              refetch_source;
  GtkWidget         *nps_tile;
  GtkWidget         *csat_tile;
  GtkWidget         *average_tile;
  GtkWidget         *nps_bar;
  GtkWidget         *csat_bar;
  GtkLabel          *nps_legend;
  GtkLabel          *csat_legend;
  GtkWidget         *nps_chart;
  GtkWidget         *csat_chart;

  /* template children */
  GtkLabel          *interval_heading;
  GtkBox            *tiles;
  GtkGrid           *breakdown;
  GtkBox            *charts;
  GtkToggleButton   *days_button;
  GtkToggleButton   *hours_button;
  GtkListBox        *comments;
};

G_DEFINE_FINAL_TYPE (ParleySatisfactionView, parley_satisfaction_view, GTK_TYPE_WIDGET)

enum { WATCH, N_SIGNALS };

static guint signals[N_SIGNALS];

static void fetch (ParleySatisfactionView *self);

/* ---- today -------------------------------------------------------------- */

static void
set_tile (ParleySatisfactionView *self,
          GtkWidget              *tile,
          const char             *value,
          const char             *detail,
          const char             *formula_name)
{
  parley_metric_tile_set_value (PARLEY_METRIC_TILE (tile), value, detail);
  parley_metric_tile_set_formula (PARLEY_METRIC_TILE (tile),
                                  parley_figures_formula (parley_supervision_get_formulas (self->supervision), formula_name));
}

static void
update_today (ParleySatisfactionView *self)
{
  JsonObject *snapshot = parley_supervision_get_snapshot (self->supervision);
  JsonObject *total = snapshot ? parley_json_get_object (snapshot, "total", FALSE, NULL) : NULL;
  JsonObject *nps = total ? parley_json_get_object (total, "nps", FALSE, NULL) : NULL;
  JsonObject *csat = total ? parley_json_get_object (total, "csat", FALSE, NULL) : NULL;
  gint64 nps_counts[3] = {
    nps ? json_object_get_int_member_with_default (nps, "promoters", 0) : 0,
    nps ? json_object_get_int_member_with_default (nps, "passives", 0) : 0,
    nps ? json_object_get_int_member_with_default (nps, "detractors", 0) : 0,
  };
  gint64 csat_answers = csat ? json_object_get_int_member_with_default (csat, "responses", 0) : 0;
  double share = 0, average = 0;
  g_autofree char *title = parley_figures_interval_title (snapshot);
  gboolean rated = csat && parley_figures_get_number (total, "csat", &share);
  gint64 satisfied = rated ? (gint64) round (csat_answers * share / 100) : 0;
  gint64 csat_counts[2] = { satisfied, csat_answers - satisfied };
  const char *nps_names[] = { _("Promoters"), _("Passives"), _("Detractors") };
  const char *nps_colors[] = { "success_color", "warning_color", "error_color" };
  const char *csat_names[] = { _("Satisfied (4–5)"), _("Not satisfied (1–3)") };
  const char *csat_colors[] = { "success_color", "error_color" };
  g_autofree char *nps_value = parley_figures_format (total, "nps");
  g_autofree char *csat_value = parley_figures_format (total, "csat");
  g_autofree char *nps_detail = NULL;
  g_autofree char *csat_detail = NULL;
  g_autofree char *average_value = NULL;
  g_autofree char *nps_legend_text = NULL;
  g_autofree char *csat_legend_text = NULL;
  gint64 nps_answers = nps_counts[0] + nps_counts[1] + nps_counts[2];

  /* Translators: under a score: how many customers answered */
  nps_detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d response", "%d responses", nps_answers), (int) nps_answers);
  csat_detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d response", "%d responses", csat_answers), (int) csat_answers);
  if (csat && json_object_get_member (csat, "average") && !json_object_get_null_member (csat, "average"))
    {
      average = json_object_get_double_member (csat, "average");
      /* Translators: the average CSAT answer, e.g. "4.3 of 5" */
      average_value = g_strdup_printf (_("%.1f of 5"), average);
    }
  gtk_label_set_label (self->interval_heading, title);
  set_tile (self, self->nps_tile, nps_value, nps_detail, "nps");
  set_tile (self, self->csat_tile, csat_value, csat_detail, "csat");
  set_tile (self, self->average_tile, average_value ? average_value : "–", NULL, "csat");
  parley_breakdown_bar_set_parts (PARLEY_BREAKDOWN_BAR (self->nps_bar), nps_names, nps_colors, nps_counts, 3);
  parley_breakdown_bar_set_parts (PARLEY_BREAKDOWN_BAR (self->csat_bar), csat_names, csat_colors, csat_counts, 2);
  nps_legend_text = parley_breakdown_bar_describe_parts (PARLEY_BREAKDOWN_BAR (self->nps_bar));
  csat_legend_text = parley_breakdown_bar_describe_parts (PARLEY_BREAKDOWN_BAR (self->csat_bar));
  gtk_label_set_text (self->nps_legend, nps_legend_text);
  gtk_label_set_text (self->csat_legend, csat_legend_text);
}

/* ---- trend -------------------------------------------------------------- */

static gboolean
by_hour (ParleySatisfactionView *self)
{
  return gtk_toggle_button_get_active (self->hours_button);
}

static void
show_trend (ParleySatisfactionView *self,
            JsonArray              *points)
{
  guint n = points ? json_array_get_length (points) : 0;
  g_autofree double *nps = g_new0 (double, MAX (n, 1));
  g_autofree double *csat = g_new0 (double, MAX (n, 1));
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  JsonObject *formulas = parley_supervision_get_formulas (self->supervision);
  GtkWidget *charts[] = { self->nps_chart, self->csat_chart };
  const char *names[] = { "nps", "csat" };

  for (guint i = 0; i < n; i++)
    {
      JsonObject *point = json_array_get_object_element (points, i);
      g_autoptr(GDateTime) from = g_date_time_new_from_unix_local (json_object_get_int_member_with_default (point, "from", 0) / G_USEC_PER_SEC);

      /* Translators: a chart's bucket: strftime formats for an hour and a day */
      g_ptr_array_add (labels, g_date_time_format (from, by_hour (self) ? _("%H:00") : _("%a %e %b")));
      if (!parley_figures_get_number (point, "nps", &nps[i]))
        nps[i] = NAN;
      if (!parley_figures_get_number (point, "csat", &csat[i]))
        csat[i] = NAN;
    }
  g_ptr_array_add (labels, NULL);
  parley_trend_chart_set_points (PARLEY_TREND_CHART (self->nps_chart), (const char * const *) labels->pdata, nps, n);
  parley_trend_chart_set_points (PARLEY_TREND_CHART (self->csat_chart), (const char * const *) labels->pdata, csat, n);
  /* The card's title explains the score; the chart itself reads its
   * points, as its text alternative does. */
  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    {
      g_autofree char *description = parley_trend_chart_describe (PARLEY_TREND_CHART (charts[i]));

      gtk_widget_set_tooltip_text (charts[i], description);
      gtk_widget_set_tooltip_text (gtk_widget_get_first_child (gtk_widget_get_parent (charts[i])),
                                   parley_figures_formula (formulas, names[i]));
    }
}

/* The answer's @member list, shown by @show; a hub that does not serve it
 * yet (404) shows an empty chart or list. */
static void
show_list (ParleySatisfactionView *self,
           GObject                *source,
           GAsyncResult           *result,
           const char             *member,
           void                  (*show) (ParleySatisfactionView *, JsonArray *))
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->supervision == NULL)
    return;
  if (error)
    g_debug ("No %s: %s", member, error->message);
  show (self, answer && json_object_has_member (answer, member) ? json_object_get_array_member (answer, member) : NULL);
}

static void
trend_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ParleySatisfactionView) self = user_data;

  show_list (self, source, result, "points", show_trend);
}

/* ---- comments ----------------------------------------------------------- */

static void
conversation_loaded_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(ParleySatisfactionView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) conversation = parley_client_request_finish (PARLEY_CLIENT (source), result, &error);

  if (conversation)
    g_signal_emit (self, signals[WATCH], 0, conversation);
  else
    g_warning ("Could not open the conversation: %s", error->message);
}

static void
open_clicked_cb (GtkButton              *button,
                 ParleySatisfactionView *self)
{
  g_autofree char *path = g_strdup_printf ("conversations/%" G_GINT64_FORMAT,
                                           (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "conversation")));

  parley_client_request_async (parley_supervision_get_client (self->supervision), "GET", path, NULL, self->cancellable,
                               conversation_loaded_cb, g_object_ref (self));
}

static char *
survey_subtitle (JsonObject *survey)
{
  GString *text = g_string_new (NULL);
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (json_object_get_int_member_with_default (survey, "at", 0) / G_USEC_PER_SEC);
  g_autofree char *when = parley_figures_format_day (at);
  JsonNode *nps = json_object_get_member (survey, "nps");
  JsonNode *csat = json_object_get_member (survey, "csat");

  if (nps && !json_node_is_null (nps))
    /* Translators: the NPS answer in a comment's subtitle */
    g_string_append_printf (text, _("NPS %d"), (int) json_node_get_int (nps));
  if (csat && !json_node_is_null (csat))
    /* Translators: the CSAT answer in a comment's subtitle */
    g_string_append_printf (text, _("%sCSAT %d"), text->len ? " · " : "", (int) json_node_get_int (csat));
  /* Translators: in a comment's subtitle: customer, agent, when */
  g_string_append_printf (text, _("%s%s with %s · %s"), text->len ? " · " : "",
                          json_object_get_string_member_with_default (survey, "customer_name", ""),
                          json_object_get_string_member_with_default (survey, "agent_name", ""), when);
  return g_string_free (text, FALSE);
}

static void
show_comments (ParleySatisfactionView *self,
               JsonArray              *surveys)
{
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->comments))))
    gtk_list_box_remove (self->comments, child);
  for (guint i = 0; surveys && i < json_array_get_length (surveys) && shown < COMMENTS_SHOWN; i++)
    {
      JsonObject *survey = json_array_get_object_element (surveys, i);
      const char *comment = json_object_get_string_member_with_default (survey, "comment", NULL);
      g_autofree char *subtitle = NULL;
      g_autofree char *accessible = NULL;
      GtkWidget *row, *button;

      if (comment == NULL || *comment == '\0')
        continue;
      subtitle = survey_subtitle (survey);
      row = adw_action_row_new ();
      /* Customer text is never markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), comment);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
      button = gtk_button_new_with_mnemonic (_("_Open Conversation"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      /* Translators: accessible name of a comment's button, %s is the customer */
      accessible = g_strdup_printf (_("Open the conversation with %s"),
                                    json_object_get_string_member_with_default (survey, "customer_name", ""));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      g_object_set_data (G_OBJECT (button), "conversation",
                         GSIZE_TO_POINTER (json_object_get_int_member_with_default (survey, "conversation", 0)));
      g_signal_connect (button, "clicked", G_CALLBACK (open_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->comments, row);
      shown++;
    }
  if (shown == 0)
    {
      GtkWidget *none = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (none), _("No comments yet"));
      gtk_list_box_append (self->comments, none);
    }
}

static void
surveys_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ParleySatisfactionView) self = user_data;

  show_list (self, source, result, "surveys", show_comments);
}

/* ---- fetching ----------------------------------------------------------- */

static void
fetch (ParleySatisfactionView *self)
{
  ParleyClient *client = parley_supervision_get_client (self->supervision);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) from = NULL;
  g_autofree char *path = NULL;

  g_clear_handle_id (&self->refetch_source, g_source_remove);
  self->fetched_at = g_get_monotonic_time ();
  if (by_hour (self))
    {
      g_autoptr(GDateTime) hour = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                         g_date_time_get_day_of_month (now), g_date_time_get_hour (now), 0, 0);

      from = g_date_time_add_hours (hour, 1 - TREND_HOURS);
    }
  else
    {
      g_autoptr(GDateTime) day = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                        g_date_time_get_day_of_month (now), 0, 0, 0);

      from = g_date_time_add_days (day, 1 - TREND_DAYS);
    }
  path = g_strdup_printf ("metrics/trend?from=%" G_GINT64_FORMAT "&to=%" G_GINT64_FORMAT "&step=%s",
                          g_date_time_to_unix (from) * G_USEC_PER_SEC, g_get_real_time (), by_hour (self) ? "hour" : "day");
  parley_client_request_async (client, "GET", path, NULL, self->cancellable, trend_loaded_cb, g_object_ref (self));
  parley_client_request_async (client, "GET", "surveys?limit=" G_STRINGIFY (SURVEYS_FETCHED), NULL, self->cancellable,
                               surveys_loaded_cb, g_object_ref (self));
}

static gboolean
refetch_cb (gpointer user_data)
{
  ParleySatisfactionView *self = user_data;

  self->refetch_source = 0;
  fetch (self);
  return G_SOURCE_REMOVE;
}

static void
snapshot_changed_cb (ParleySatisfactionView *self)
{
  gint64 wait_ms = REFETCH_SECONDS * 1000 - (g_get_monotonic_time () - self->fetched_at) / 1000;

  update_today (self);
  /* A survey changes the figures: fetch its comment soon, not at once. */
  if (wait_ms <= 0)
    fetch (self);
  else if (self->refetch_source == 0)
    self->refetch_source = g_timeout_add ((guint) wait_ms, refetch_cb, self);
}

static void
step_toggled_cb (ParleySatisfactionView *self)
{
  if (self->supervision)
    fetch (self);
}

/* ---- GObject ------------------------------------------------------------ */

static void
parley_satisfaction_view_dispose (GObject *object)
{
  ParleySatisfactionView *self = PARLEY_SATISFACTION_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->refetch_source, g_source_remove);
  if (self->supervision)
    g_signal_handlers_disconnect_by_data (self->supervision, self);
  g_clear_object (&self->supervision);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARLEY_TYPE_SATISFACTION_VIEW);
  G_OBJECT_CLASS (parley_satisfaction_view_parent_class)->dispose (object);
}

static void
parley_satisfaction_view_class_init (ParleySatisfactionViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = parley_satisfaction_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "parley-satisfaction-view");
  gtk_widget_class_set_template_from_resource (widget_class, "/org/parley/Parley/ui/parley-satisfaction-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ParleySatisfactionView, interval_heading);
  gtk_widget_class_bind_template_child (widget_class, ParleySatisfactionView, tiles);
  gtk_widget_class_bind_template_child (widget_class, ParleySatisfactionView, breakdown);
  gtk_widget_class_bind_template_child (widget_class, ParleySatisfactionView, charts);
  gtk_widget_class_bind_template_child (widget_class, ParleySatisfactionView, days_button);
  gtk_widget_class_bind_template_child (widget_class, ParleySatisfactionView, hours_button);
  gtk_widget_class_bind_template_child (widget_class, ParleySatisfactionView, comments);

  /**
   * ParleySatisfactionView::watch:
   * @conversation: the conversation a comment is about
   *
   * The supervisor wants to see the conversation.
   */
  signals[WATCH] = g_signal_new ("watch", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
}

static GtkLabel *
add_breakdown (ParleySatisfactionView *self,
               const char             *title,
               GtkWidget              *bar,
               int                     row)
{
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *legend = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_hexpand (bar, TRUE);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (legend), 0);
  gtk_widget_add_css_class (legend, "dim-label");
  gtk_widget_add_css_class (legend, "numeric");
  gtk_widget_set_size_request (legend, 420, -1);
  gtk_grid_attach (self->breakdown, label, 0, row, 1, 1);
  gtk_grid_attach (self->breakdown, bar, 1, row, 1, 1);
  gtk_grid_attach (self->breakdown, legend, 2, row, 1, 1);
  return GTK_LABEL (legend);
}

static GtkWidget *
add_chart (ParleySatisfactionView *self,
           const char             *title,
           double                  minimum,
           double                  maximum)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *chart = parley_trend_chart_new (title, minimum, maximum);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "chart-card");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_vexpand (chart, TRUE);
  gtk_box_append (GTK_BOX (card), label);
  gtk_box_append (GTK_BOX (card), chart);
  gtk_box_append (self->charts, card);
  return chart;
}

static void
parley_satisfaction_view_init (ParleySatisfactionView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->nps_tile = parley_metric_tile_new (_("NPS"));
  self->csat_tile = parley_metric_tile_new (_("CSAT"));
  self->average_tile = parley_metric_tile_new (_("CSAT average"));
  gtk_box_append (self->tiles, self->nps_tile);
  gtk_box_append (self->tiles, self->csat_tile);
  gtk_box_append (self->tiles, self->average_tile);
  self->nps_bar = parley_breakdown_bar_new (_("NPS answers"));
  self->csat_bar = parley_breakdown_bar_new (_("CSAT answers"));
  self->nps_legend = add_breakdown (self, _("NPS answers"), self->nps_bar, 0);
  self->csat_legend = add_breakdown (self, _("CSAT answers"), self->csat_bar, 1);
  self->nps_chart = add_chart (self, _("NPS score"), -100, 100);
  self->csat_chart = add_chart (self, _("CSAT, share satisfied (%)"), 0, 100);
  g_signal_connect_swapped (self->hours_button, "toggled", G_CALLBACK (step_toggled_cb), self);
  show_comments (self, NULL);
}

void
parley_satisfaction_view_set_supervision (ParleySatisfactionView *self,
                                          ParleySupervision      *supervision)
{
  g_return_if_fail (PARLEY_IS_SATISFACTION_VIEW (self));
  if (self->supervision)
    g_signal_handlers_disconnect_by_data (self->supervision, self);
  g_set_object (&self->supervision, supervision);
  if (supervision == NULL)
    return;
  g_signal_connect_object (supervision, "snapshot-changed", G_CALLBACK (snapshot_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (supervision, "refresh", G_CALLBACK (fetch), self, G_CONNECT_SWAPPED);
  update_today (self);
}
