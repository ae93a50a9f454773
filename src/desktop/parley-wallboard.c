/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-wallboard"

#include "config.h"

#include <glib/gi18n.h>
#include <parley-ui.h>

#include "parley-figures.h"
#include "parley-live-columns.h"
#include "parley-live-queue.h"
#include "parley-live-store.h"
#include "parley-metric-tile.h"
#include "parley-presence.h"
#include "parley-wallboard.h"

/* The figures the wallboard shows, in its order: tiles for today's total,
 * columns for each queue on each channel. */
static const char *figure_names[] = {
  "waiting", "longest_wait_ms", "service_level", "asa_ms", "aht_ms", "first_response_ms",
  "offered", "answered", "abandoned", "transfers", "nps", "csat",
};

/* The agents by state, in a row of their own after the first. */
static const char *agent_states[] = { "available", "busy", "away", "offline" };

#define N_FIGURES G_N_ELEMENTS (figure_names)
#define N_STATES G_N_ELEMENTS (agent_states)
#define TILES_PER_ROW 4
#define TILE_SPACING 12
#define BOARD_MARGIN 18
#define QUEUE_COLUMN_WIDTH 200

/* Figures read across a room: their font is this share of the board's
 * height, as far as the widest ("59 min 59 s" and its icon, about this
 * many times the font size, and the card's padding) fits a tile. */
#define FIGURE_SHARE_OF_HEIGHT 0.06
#define FIGURE_WIDTHS_PER_TILE 6.8
#define TILE_PADDING 40
#define FIGURE_MIN_PIXELS 20

/* A wait past this share of its threshold is a warning; a service level
 * this many points over its target still is one. */
#define WAIT_WARNING_SHARE 0.75
#define SERVICE_LEVEL_MARGIN 5

typedef struct
{
  struct _ParleyWallboard *self;
  const char              *name;
} FigureColumn;

/**
 * ParleyWallboard:
 *
 * Today's figures for the room: big tiles for the totals and the agents
 * by state, and a table of every queue on every channel, with service
 * level and longest wait marked against each queue's thresholds (colour
 * and icon). The tiles' figures grow with the window; the table takes
 * the height of its rows. A fresh snapshot updates the labels in place;
 * waits keep growing on screen between snapshots.
 */
struct _ParleyWallboard
{
  GtkWidget          parent_instance;

  ParleySupervision *supervision;
  ParleyLiveStore   *queues;      /* "queue/channel" → that queue's figures */
  GtkSorter         *sorter;
  GtkWidget         *tile_widgets[N_FIGURES];
  GtkWidget         *agent_tiles[N_STATES];
  FigureColumn       columns[N_FIGURES];
  guint              tick_source;

  /* template children */
  GtkWidget         *scroller;
  GtkGrid           *tiles;
  GtkLabel          *tiles_heading;
  GtkColumnView     *queue_table;
};

G_DEFINE_FINAL_TYPE (ParleyWallboard, parley_wallboard, GTK_TYPE_WIDGET)

static gint64
queue_id_of (JsonObject *figures)
{
  return json_object_get_int_member_with_default (figures, "queue", 0);
}

/* The figure now: waits grow by the snapshot's age while people wait. */
static char *
format_now (ParleyWallboard *self,
            JsonObject      *figures,
            const char      *name)
{
  double wait;

  if (g_str_equal (name, "longest_wait_ms") && json_object_get_int_member_with_default (figures, "waiting", 0) > 0 &&
      parley_figures_get_number (figures, name, &wait))
    return parley_figures_format_duration ((gint64) wait + parley_supervision_get_snapshot_age_ms (self->supervision));
  return parley_figures_format (figures, name);
}

static ParleyMetricLevel
figure_level (ParleyWallboard *self,
              JsonObject      *figures,
              const char      *name,
              gint64           queue_id)
{
  double target_level, target_wait, value;

  parley_supervision_get_targets (self->supervision, queue_id, &target_level, &target_wait);
  if (g_str_equal (name, "service_level") && parley_figures_get_number (figures, name, &value))
    return value < target_level ? PARLEY_METRIC_LEVEL_BAD
         : value < target_level + SERVICE_LEVEL_MARGIN ? PARLEY_METRIC_LEVEL_WARNING
         : PARLEY_METRIC_LEVEL_GOOD;
  if (g_str_equal (name, "longest_wait_ms") && json_object_get_int_member_with_default (figures, "waiting", 0) > 0 &&
      parley_figures_get_number (figures, name, &value))
    {
      double seconds = (value + parley_supervision_get_snapshot_age_ms (self->supervision)) / 1000.0;

      return seconds > target_wait ? PARLEY_METRIC_LEVEL_BAD
           : seconds > target_wait * WAIT_WARNING_SHARE ? PARLEY_METRIC_LEVEL_WARNING
           : PARLEY_METRIC_LEVEL_GOOD;
    }
  return PARLEY_METRIC_LEVEL_NONE;
}

/* The smaller line under a total: what the figure leaves out or rests on. */
static char *
tile_detail (ParleyWallboard *self,
             JsonObject      *total,
             const char      *name)
{
  double target_level, target_wait;
  JsonObject *rating;

  parley_supervision_get_targets (self->supervision, 0, &target_level, &target_wait);
  if (g_str_equal (name, "abandoned"))
    /* Translators: under the abandoned count: short abandons are not in it */
    return g_strdup_printf (_("+ %d short"), (int) json_object_get_int_member_with_default (total, "short_abandoned", 0));
  if (g_str_equal (name, "service_level"))
    /* Translators: under the service level: its target */
    return g_strdup_printf (_("target %.0f %%"), target_level);
  if (g_str_equal (name, "longest_wait_ms"))
    {
      g_autofree char *limit = parley_figures_format_duration ((gint64) (target_wait * 1000));

      /* Translators: under the longest wait: its threshold */
      return g_strdup_printf (_("limit %s"), limit);
    }
  if ((g_str_equal (name, "nps") || g_str_equal (name, "csat")) &&
      (rating = parley_json_get_object (total, name, FALSE, NULL)))
    {
      int responses = (int) json_object_get_int_member_with_default (rating, "responses", 0);

      /* Translators: under NPS or CSAT: how many customers answered */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d response", "%d responses", responses), responses);
    }
  return NULL;
}

static const char *
agent_state_title (const char *state)
{
  if (g_str_equal (state, "available"))
    return _("Agents available");
  if (g_str_equal (state, "busy"))
    return _("Agents busy");
  if (g_str_equal (state, "away"))
    return _("Agents away");
  return _("Agents offline");
}

static int
state_index (const char *presence)
{
  /* Wrap-up is work: it counts as busy. */
  if (g_strcmp0 (presence, "wrap-up") == 0)
    presence = "busy";
  for (guint i = 0; i < N_STATES; i++)
    if (g_strcmp0 (presence, agent_states[i]) == 0)
      return (int) i;
  return N_STATES - 1;
}

static void
update_agent_tiles (ParleyWallboard *self)
{
  g_autoptr(GList) agents = parley_supervision_list_agents (self->supervision);
  int counts[N_STATES] = { 0 };
  int wrap_up = 0;

  for (GList *l = agents; l; l = l->next)
    {
      const char *presence = json_object_get_string_member_with_default (l->data, "presence", "offline");

      counts[state_index (presence)]++;
      wrap_up += g_str_equal (presence, "wrap-up");
    }
  for (guint i = 0; i < N_STATES; i++)
    {
      g_autofree char *value = g_strdup_printf ("%d", counts[i]);
      g_autofree char *detail = NULL;

      if (g_str_equal (agent_states[i], "busy") && wrap_up > 0)
        /* Translators: under the busy agents: how many of them wrap up */
        detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d in wrap-up", "%d in wrap-up", wrap_up), wrap_up);
      parley_metric_tile_set_value (PARLEY_METRIC_TILE (self->agent_tiles[i]), value, detail);
    }
}

static void
update_tiles (ParleyWallboard *self)
{
  JsonObject *snapshot = parley_supervision_get_snapshot (self->supervision);
  JsonObject *total = snapshot ? parley_json_get_object (snapshot, "total", FALSE, NULL) : NULL;
  JsonObject *formulas = parley_supervision_get_formulas (self->supervision);
  g_autofree char *title = parley_figures_interval_title (snapshot);

  /* The hub may count by shift or by hour rather than by day. */
  if (g_strcmp0 (gtk_label_get_label (self->tiles_heading), title) != 0)
    {
      gtk_label_set_label (self->tiles_heading, title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->tiles), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
    }
  for (guint i = 0; i < N_FIGURES; i++)
    {
      ParleyMetricTile *tile = PARLEY_METRIC_TILE (self->tile_widgets[i]);
      g_autofree char *value = total ? format_now (self, total, figure_names[i]) : g_strdup ("–");
      g_autofree char *detail = total ? tile_detail (self, total, figure_names[i]) : NULL;

      parley_metric_tile_set_value (tile, value, detail);
      parley_metric_tile_set_level (tile, total ? figure_level (self, total, figure_names[i], 0) : PARLEY_METRIC_LEVEL_NONE);
      parley_metric_tile_set_formula (tile, parley_figures_formula (formulas, figure_names[i]));
    }
}

/* ---- the queue table ---------------------------------------------------- */

static char *
queue_title (ParleyWallboard *self,
             ParleyLiveQueue *row)
{
  gint64 id = parley_live_queue_get_queue_id (row);
  JsonObject *queue = parley_supervision_get_queue (self->supervision, id);
  const char *channel = parley_live_queue_get_channel (row);
  g_autofree char *fallback = g_strdup_printf (_("Queue %d"), (int) id);

  /* Translators: a wallboard row: queue name and channel, "Billing · Chat" */
  return g_strdup_printf (_("%s · %s"), queue ? json_object_get_string_member_with_default (queue, "name", fallback) : fallback,
                          parley_ui_channel_directory_get_title (parley_ui_channel_directory_get_default (), channel));
}

static void
render_queue (GtkLabel       *label,
              ParleyLiveItem *item,
              gpointer        user_data)
{
  g_autofree char *title = queue_title (user_data, PARLEY_LIVE_QUEUE (item));

  gtk_label_set_text (label, title);
}

static void
render_figure (GtkLabel       *label,
               ParleyLiveItem *item,
               gpointer        user_data)
{
  FigureColumn *column = user_data;
  JsonObject *figures = parley_live_queue_get_figures (PARLEY_LIVE_QUEUE (item));
  g_autofree char *text = format_now (column->self, figures, column->name);
  gint64 short_abandons = json_object_get_int_member_with_default (figures, "short_abandoned", 0);
  ParleyMetricLevel level;

  if (g_str_equal (column->name, "abandoned") && short_abandons > 0)
    {
      /* Translators: abandoned, then short abandons apart: "3 (+1)" */
      g_autofree char *with_short = g_strdup_printf (_("%s (+%d)"), text, (int) short_abandons);

      gtk_label_set_text (label, with_short);
    }
  else
    gtk_label_set_text (label, text);
  level = figure_level (column->self, figures, column->name, queue_id_of (figures));
  /* The whole cell, so its icon takes the colour too. */
  parley_metric_level_apply (gtk_widget_get_parent (GTK_WIDGET (label)), level);
  parley_live_cell_set_icon (label, parley_metric_level_icon_name (level), parley_metric_level_describe (level));
  if (gtk_widget_get_tooltip_text (GTK_WIDGET (label)) == NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (label),
                                 parley_figures_formula (parley_supervision_get_formulas (column->self->supervision), column->name));
}

static int
compare_figure (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  FigureColumn *column = user_data;
  double x = -G_MAXDOUBLE, y = -G_MAXDOUBLE;

  parley_figures_get_number (parley_live_queue_get_figures ((ParleyLiveQueue *) a), column->name, &x);
  parley_figures_get_number (parley_live_queue_get_figures ((ParleyLiveQueue *) b), column->name, &y);
  return x < y ? GTK_ORDERING_SMALLER : x > y ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static int
compare_queue (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  g_autofree char *x = queue_title (user_data, (ParleyLiveQueue *) a);
  g_autofree char *y = queue_title (user_data, (ParleyLiveQueue *) b);

  return gtk_ordering_from_cmpfunc (g_utf8_collate (x, y));
}

static void
update_queues (ParleyWallboard *self)
{
  JsonObject *snapshot = parley_supervision_get_snapshot (self->supervision);
  JsonArray *queues = snapshot && json_object_has_member (snapshot, "queues") ? json_object_get_array_member (snapshot, "queues") : NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; queues && i < json_array_get_length (queues); i++)
    {
      JsonObject *figures = json_array_get_object_element (queues, i);
      char *key = g_strdup_printf ("%" G_GINT64_FORMAT "/%s", queue_id_of (figures),
                                   json_object_get_string_member_with_default (figures, "channel", ""));
      ParleyLiveItem *row = parley_live_store_lookup (self->queues, key);

      /* A new row comes filled in: its cells draw it as soon as it is added. */
      if (row == NULL)
        {
          row = PARLEY_LIVE_ITEM (parley_live_queue_new (key));
          parley_live_queue_update (PARLEY_LIVE_QUEUE (row), figures);
          parley_live_store_add (self->queues, row);
        }
      else
        parley_live_queue_update (PARLEY_LIVE_QUEUE (row), figures);
      g_hash_table_add (keys, key);
    }
  parley_live_store_retain (self->queues, keys);
  /* Figures moved: a table sorted by one of them sorts again. */
  gtk_sorter_changed (self->sorter, GTK_SORTER_CHANGE_DIFFERENT);
}

static void
snapshot_changed_cb (ParleyWallboard *self)
{
  update_tiles (self);
  update_agent_tiles (self);
  update_queues (self);
}

/* Between snapshots, what grows with time is shown growing: the waits
 * and their colour. */
static gboolean
tick_cb (gpointer user_data)
{
  ParleyWallboard *self = user_data;
  GListModel *model = G_LIST_MODEL (self->queues);

  if (self->supervision == NULL || parley_supervision_get_snapshot (self->supervision) == NULL)
    return G_SOURCE_CONTINUE;
  update_tiles (self);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ParleyLiveItem) item = g_list_model_get_item (model, i);

      if (json_object_get_int_member_with_default (parley_live_queue_get_figures (PARLEY_LIVE_QUEUE (item)), "waiting", 0) > 0)
        parley_live_item_changed (item);
    }
  return G_SOURCE_CONTINUE;
}

/* ---- size --------------------------------------------------------------- */

/* The figures' font size for a board of @width × @height pixels. */
static int
figure_size_for (int width,
                 int height)
{
  int tile_width = (width - 2 * BOARD_MARGIN - (TILES_PER_ROW - 1) * TILE_SPACING) / TILES_PER_ROW;
  double size = MIN (height * FIGURE_SHARE_OF_HEIGHT, (tile_width - TILE_PADDING) / FIGURE_WIDTHS_PER_TILE);

  return MAX (FIGURE_MIN_PIXELS, (int) size);
}

static void
parley_wallboard_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  gtk_widget_measure (PARLEY_WALLBOARD (widget)->scroller, orientation, for_size, minimum, natural, NULL, NULL);
}

/* The figures take their size from the board's before anything is laid
 * out, so one pass places tiles already sized to the window. */
static void
parley_wallboard_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  ParleyWallboard *self = PARLEY_WALLBOARD (widget);
  int size = figure_size_for (width, height);

  for (guint i = 0; i < N_FIGURES; i++)
    parley_metric_tile_set_figure_size (PARLEY_METRIC_TILE (self->tile_widgets[i]), size);
  for (guint i = 0; i < N_STATES; i++)
    parley_metric_tile_set_figure_size (PARLEY_METRIC_TILE (self->agent_tiles[i]), size);
  gtk_widget_allocate (self->scroller, width, height, baseline, NULL);
}

/* ---- GObject ------------------------------------------------------------ */

static void
parley_wallboard_dispose (GObject *object)
{
  ParleyWallboard *self = PARLEY_WALLBOARD (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->supervision)
    g_signal_handlers_disconnect_by_data (self->supervision, self);
  g_clear_object (&self->supervision);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARLEY_TYPE_WALLBOARD);
  g_clear_object (&self->queues);
  G_OBJECT_CLASS (parley_wallboard_parent_class)->dispose (object);
}

static void
parley_wallboard_class_init (ParleyWallboardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = parley_wallboard_dispose;
  widget_class->measure = parley_wallboard_measure;
  widget_class->size_allocate = parley_wallboard_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "parley-wallboard");
  gtk_widget_class_set_template_from_resource (widget_class, "/org/parley/Parley/ui/parley-wallboard.ui");
  gtk_widget_class_bind_template_child (widget_class, ParleyWallboard, scroller);
  gtk_widget_class_bind_template_child (widget_class, ParleyWallboard, tiles);
  gtk_widget_class_bind_template_child (widget_class, ParleyWallboard, tiles_heading);
  gtk_widget_class_bind_template_child (widget_class, ParleyWallboard, queue_table);
}

static void
parley_wallboard_init (ParleyWallboard *self)
{
  GtkColumnViewColumn *column;
  GListModel *sorted;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->queues = parley_live_store_new (PARLEY_TYPE_LIVE_QUEUE);

  column = parley_live_column_new (_("Queue"), 0, render_queue, self,
                                   GTK_SORTER (gtk_custom_sorter_new (compare_queue, self, NULL)));
  gtk_column_view_column_set_expand (column, TRUE);
  gtk_column_view_column_set_fixed_width (column, QUEUE_COLUMN_WIDTH);
  gtk_column_view_append_column (self->queue_table, column);
  g_object_unref (column);
  for (guint i = 0; i < N_FIGURES; i++)
    {
      self->columns[i].self = self;
      self->columns[i].name = figure_names[i];
      self->tile_widgets[i] = parley_metric_tile_new (parley_figures_title (figure_names[i]));
      /* The agents' row comes second, after the queues' most urgent. */
      gtk_grid_attach (self->tiles, self->tile_widgets[i], i % TILES_PER_ROW,
                       i / TILES_PER_ROW + (i >= TILES_PER_ROW), 1, 1);
      column = parley_live_column_new (parley_figures_title (figure_names[i]), 1, render_figure, &self->columns[i],
                                       GTK_SORTER (gtk_custom_sorter_new (compare_figure, &self->columns[i], NULL)));
      gtk_column_view_append_column (self->queue_table, column);
      g_object_unref (column);
    }
  for (guint i = 0; i < N_STATES; i++)
    {
      self->agent_tiles[i] = parley_metric_tile_new (agent_state_title (agent_states[i]));
      parley_metric_tile_set_icon_name (PARLEY_METRIC_TILE (self->agent_tiles[i]), parley_presence_icon_name (agent_states[i]));
      gtk_widget_add_css_class (self->agent_tiles[i], agent_states[i]);
      gtk_grid_attach (self->tiles, self->agent_tiles[i], i, 1, 1, 1);
    }
  self->sorter = gtk_column_view_get_sorter (self->queue_table);
  sorted = parley_live_columns_sort (self->queue_table, G_LIST_MODEL (g_object_ref (self->queues)));
  gtk_column_view_set_model (self->queue_table, GTK_SELECTION_MODEL (gtk_no_selection_new (sorted)));
  self->tick_source = g_timeout_add_seconds (1, tick_cb, self);
}

void
parley_wallboard_set_supervision (ParleyWallboard   *self,
                                  ParleySupervision *supervision)
{
  g_return_if_fail (PARLEY_IS_WALLBOARD (self));
  if (self->supervision)
    g_signal_handlers_disconnect_by_data (self->supervision, self);
  g_set_object (&self->supervision, supervision);
  parley_live_store_clear (self->queues);
  if (supervision == NULL)
    return;
  g_signal_connect_object (supervision, "snapshot-changed", G_CALLBACK (snapshot_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (supervision, "queues-changed", G_CALLBACK (snapshot_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (supervision, "agent-changed", G_CALLBACK (update_agent_tiles), self, G_CONNECT_SWAPPED);
  snapshot_changed_cb (self);
}
