/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-agents-board"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <parley-ui.h>

#include "parley-agents-board.h"
#include "parley-dialogs.h"
#include "parley-figures.h"
#include "parley-live-agent.h"
#include "parley-live-columns.h"
#include "parley-live-store.h"
#include "parley-presence.h"

/* Today's figures per agent, after name, state, since and conversations. */
static const char *figure_names[] = { "handled", "aht_ms", "occupancy", "nps", "csat" };

/* States a supervisor may set; wrap-up comes and goes by itself. */
static const char *settable_states[] = { "available", "away", "busy", "offline" };

typedef struct
{
  struct _ParleyAgentsBoard *self;
  const char                *name;
} FigureColumn;

/**
 * ParleyAgentsBoard:
 *
 * Every agent with their state and since when (ticking), the
 * conversations they hold by channel and today's figures, filtered by the
 * skills a queue asks for or by one skill, and the action to change an
 * agent's state with a reason. Each row is one #ParleyLiveAgent; rows
 * update in place as presence and metrics arrive.
 */
struct _ParleyAgentsBoard
{
  GtkWidget           parent_instance;

  ParleySupervision  *supervision;
  ParleyLiveStore    *agents;
  GtkCustomFilter    *filter;
  GtkSorter          *sorter;
  GtkSingleSelection *selection;
  GtkStringList      *queue_names;
  GArray             *queue_ids;     /* gint64, parallel to queue_names after "All queues" */
  GtkStringList      *skill_names;
  FigureColumn        columns[G_N_ELEMENTS (figure_names)];
  guint               tick_source;

  /* template children */
  GtkSearchEntry     *search;
  GtkDropDown        *queue_filter;
  GtkDropDown        *skill_filter;
  GtkColumnView      *table;
  GtkLabel           *count_label;
};

G_DEFINE_FINAL_TYPE (ParleyAgentsBoard, parley_agents_board, GTK_TYPE_WIDGET)

static ParleyLiveAgent *
agent_of (gconstpointer item)
{
  return PARLEY_LIVE_AGENT ((gpointer) item);
}

static JsonObject *
figures_of (gconstpointer item)
{
  return parley_live_agent_get_figures (agent_of (item));
}

static const char *
agent_name (ParleyLiveAgent *agent)
{
  const char *name = parley_live_agent_get_name (agent);

  return name ? name : "";
}

/* ---- cells -------------------------------------------------------------- */

static void
render_name (GtkLabel       *label,
             ParleyLiveItem *item,
             gpointer        user_data)
{
  gtk_label_set_text (label, agent_name (agent_of (item)));
}

static void
render_state (GtkLabel       *label,
              ParleyLiveItem *item,
              gpointer        user_data)
{
  ParleyLiveAgent *agent = agent_of (item);
  const char *state = parley_live_agent_get_presence (agent);
  g_autofree char *text = parley_presence_describe (state, parley_live_agent_get_reason (agent));
  GtkWidget *cell = gtk_widget_get_parent (GTK_WIDGET (label));

  /* Said in words and with the state's icon; its colour only adds. */
  gtk_label_set_text (label, text);
  parley_live_cell_set_icon (label, parley_presence_icon_name (state), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (settable_states); i++)
    gtk_widget_remove_css_class (cell, settable_states[i]);
  gtk_widget_remove_css_class (cell, "wrap-up");
  gtk_widget_add_css_class (cell, state);
}

static void
render_since (GtkLabel       *label,
              ParleyLiveItem *item,
              gpointer        user_data)
{
  gint64 since = parley_live_agent_get_presence_since (agent_of (item));
  g_autofree char *text = since > 0 ? parley_figures_format_duration ((g_get_real_time () - since) / 1000) : g_strdup ("–");

  gtk_label_set_text (label, text);
}

/* "Chat 2 · Email 1": the conversations the agent holds now. */
static void
render_current (GtkLabel       *label,
                ParleyLiveItem *item,
                gpointer        user_data)
{
  JsonObject *figures = figures_of (item);
  JsonObject *current = figures ? parley_json_get_object (figures, "current", FALSE, NULL) : NULL;
  g_autoptr(GList) channels = current ? json_object_get_members (current) : NULL;
  GString *text = g_string_new (NULL);

  channels = g_list_sort (channels, (GCompareFunc) g_strcmp0);
  for (GList *l = channels; l; l = l->next)
    {
      gint64 n = json_object_get_int_member (current, l->data);

      if (n > 0)
        g_string_append_printf (text, "%s%s %d", text->len ? " · " : "", parley_ui_channel_directory_get_title (parley_ui_channel_directory_get_default (), l->data), (int) n);
    }
  gtk_label_set_text (label, text->len ? text->str : "–");
  g_string_free (text, TRUE);
}

static void
render_figure (GtkLabel       *label,
               ParleyLiveItem *item,
               gpointer        user_data)
{
  FigureColumn *column = user_data;
  g_autofree char *text = parley_figures_format (figures_of (item), column->name);

  gtk_label_set_text (label, text);
  if (gtk_widget_get_tooltip_text (GTK_WIDGET (label)) == NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (label),
                                 parley_figures_formula (parley_supervision_get_formulas (column->self->supervision), column->name));
}

/* ---- sorting ------------------------------------------------------------ */

/* States in the order a supervisor looks for them: who can take work
 * first; anything else is offline, last. */
static const char *state_order[] = { "available", "busy", "wrap-up", "away" };

static int
state_rank (gconstpointer item)
{
  const char *state = parley_live_agent_get_presence (agent_of (item));

  for (guint i = 0; i < G_N_ELEMENTS (state_order); i++)
    if (g_str_equal (state, state_order[i]))
      return (int) i;
  return G_N_ELEMENTS (state_order);
}

static gboolean
is_offline (gconstpointer item)
{
  return state_rank (item) == G_N_ELEMENTS (state_order);
}

/* By name, with the agents who are offline after all the others: the
 * board opens on who is working. */
static int
compare_name (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  if (is_offline (a) != is_offline (b))
    return is_offline (a) ? GTK_ORDERING_LARGER : GTK_ORDERING_SMALLER;
  return gtk_ordering_from_cmpfunc (g_utf8_collate (agent_name (agent_of (a)), agent_name (agent_of (b))));
}

static int
compare_state (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  int x = state_rank (a), y = state_rank (b);

  return x < y ? GTK_ORDERING_SMALLER : x > y ? GTK_ORDERING_LARGER : compare_name (a, b, NULL);
}

/* Longest in their state first when ascending: the earliest "since". */
static int
compare_since (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  gint64 x = parley_live_agent_get_presence_since (agent_of (a));
  gint64 y = parley_live_agent_get_presence_since (agent_of (b));

  return x < y ? GTK_ORDERING_SMALLER : x > y ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static int
compare_figure (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  FigureColumn *column = user_data;
  double x = -G_MAXDOUBLE, y = -G_MAXDOUBLE;

  parley_figures_get_number (figures_of (a), column->name, &x);
  parley_figures_get_number (figures_of (b), column->name, &y);
  return x < y ? GTK_ORDERING_SMALLER : x > y ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

/* ---- filtering ---------------------------------------------------------- */

static gint64
chosen_queue (ParleyAgentsBoard *self)
{
  guint selected = gtk_drop_down_get_selected (self->queue_filter);

  return selected > 0 && selected <= self->queue_ids->len ? g_array_index (self->queue_ids, gint64, selected - 1) : 0;
}

static const char *
chosen_skill (ParleyAgentsBoard *self)
{
  guint selected = gtk_drop_down_get_selected (self->skill_filter);

  return selected > 0 ? gtk_string_list_get_string (self->skill_names, selected) : NULL;
}

/* Whether the agent has every skill the queue asks for, at its level. */
static gboolean
serves_queue (ParleyLiveAgent *agent,
              JsonObject      *queue)
{
  JsonObject *needed = queue ? parley_json_get_object (queue, "skills", FALSE, NULL) : NULL;
  JsonObject *skills = parley_live_agent_get_skills (agent);
  g_autoptr(GList) names = needed ? json_object_get_members (needed) : NULL;

  for (GList *l = names; l; l = l->next)
    if (!skills || json_object_get_int_member_with_default (skills, l->data, 0) < json_object_get_int_member (needed, l->data))
      return FALSE;
  return TRUE;
}

static gboolean
filter_agent (gpointer item,
              gpointer user_data)
{
  ParleyAgentsBoard *self = user_data;
  ParleyLiveAgent *agent = agent_of (item);
  JsonObject *skills = parley_live_agent_get_skills (agent);
  const char *skill = chosen_skill (self);
  gint64 queue = chosen_queue (self);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search));

  if (queue && !serves_queue (agent, parley_supervision_get_queue (self->supervision, queue)))
    return FALSE;
  if (skill && (!skills || json_object_get_int_member_with_default (skills, skill, 0) <= 0))
    return FALSE;
  if (text && *text)
    {
      g_autofree char *wanted = g_utf8_casefold (text, -1);
      g_autofree char *name = g_utf8_casefold (agent_name (agent), -1);
      g_autofree char *login = g_utf8_casefold (parley_live_agent_get_login (agent), -1);

      return strstr (name, wanted) || strstr (login, wanted);
    }
  return TRUE;
}

static void
update_count (ParleyAgentsBoard *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->agents));
  g_autofree char *text = NULL;

  /* Translators: under the agents board: "12 of 40 agents" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u agent", "%u of %u agents", all), shown, all);
  gtk_label_set_text (self->count_label, text);
}

static void
filters_changed_cb (ParleyAgentsBoard *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

/* Rebuilds a drop-down's choices, keeping the chosen one if it is still
 * there. */
static void
set_choices (GtkDropDown   *drop_down,
             GtkStringList *list,
             const char    *all,
             GPtrArray     *names)
{
  guint selected = gtk_drop_down_get_selected (drop_down);
  g_autofree char *chosen = selected > 0 && selected < g_list_model_get_n_items (G_LIST_MODEL (list))
                            ? g_strdup (gtk_string_list_get_string (list, selected)) : NULL;
  guint keep = 0;

  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (list, 0, g_list_model_get_n_items (G_LIST_MODEL (list)), NULL);
  gtk_string_list_append (list, all);
  gtk_string_list_splice (list, 1, 0, (const char * const *) names->pdata);
  for (guint i = 0; chosen && names->pdata[i]; i++)
    if (g_str_equal (names->pdata[i], chosen))
      keep = i + 1;
  gtk_drop_down_set_selected (drop_down, keep);
}

static int
compare_queue_names (gconstpointer a,
                     gconstpointer b)
{
  return g_utf8_collate (json_object_get_string_member_with_default (*(JsonObject **) a, "name", ""),
                         json_object_get_string_member_with_default (*(JsonObject **) b, "name", ""));
}

static void
queues_changed_cb (ParleyAgentsBoard *self)
{
  g_autoptr(GList) queues = parley_supervision_list_queues (self->supervision);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (GList *l = queues; l; l = l->next)
    g_ptr_array_add (sorted, l->data);
  g_ptr_array_sort (sorted, compare_queue_names);
  g_array_set_size (self->queue_ids, 0);
  for (guint i = 0; i < sorted->len; i++)
    {
      gint64 id = json_object_get_int_member (sorted->pdata[i], "id");

      g_array_append_val (self->queue_ids, id);
      g_ptr_array_add (names, (gpointer) json_object_get_string_member_with_default (sorted->pdata[i], "name", ""));
    }
  set_choices (self->queue_filter, self->queue_names, _("All queues"), names);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
update_skills (ParleyAgentsBoard *self)
{
  g_autoptr(GList) agents = parley_supervision_list_agents (self->supervision);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (GList *l = agents; l; l = l->next)
    {
      JsonObject *skills = parley_json_get_object (l->data, "skills", FALSE, NULL);
      g_autoptr(GList) members = skills ? json_object_get_members (skills) : NULL;

      for (GList *m = members; m; m = m->next)
        if (g_hash_table_add (seen, m->data))
          g_ptr_array_add (names, m->data);
    }
  g_ptr_array_sort (names, compare_strings);
  set_choices (self->skill_filter, self->skill_names, _("All skills"), names);
}

/* ---- rows --------------------------------------------------------------- */

static JsonObject *
figures_for (ParleyAgentsBoard *self,
             gint64             id)
{
  JsonObject *snapshot = parley_supervision_get_snapshot (self->supervision);
  JsonArray *agents = snapshot && json_object_has_member (snapshot, "agents") ? json_object_get_array_member (snapshot, "agents") : NULL;

  for (guint i = 0; agents && i < json_array_get_length (agents); i++)
    if (json_object_get_int_member_with_default (json_array_get_object_element (agents, i), "agent", 0) == id)
      return json_array_get_object_element (agents, i);
  return NULL;
}

static void
put_row (ParleyAgentsBoard *self,
         JsonObject        *agent,
         JsonObject        *figures)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (agent, "id"));
  ParleyLiveItem *row = parley_live_store_lookup (self->agents, key);

  /* A new row comes filled in: its cells draw it as soon as it is added. */
  if (row == NULL)
    {
      row = PARLEY_LIVE_ITEM (parley_live_agent_new (key));
      parley_live_agent_update (PARLEY_LIVE_AGENT (row), agent, figures);
      parley_live_store_add (self->agents, row);
    }
  else
    parley_live_agent_update (PARLEY_LIVE_AGENT (row), agent, figures);
}

/* One pass over the snapshot's agents, so 500 agents cost 500 lookups,
 * not 500 scans. */
static void
update_rows (ParleyAgentsBoard *self)
{
  JsonObject *snapshot = parley_supervision_get_snapshot (self->supervision);
  JsonArray *figures = snapshot && json_object_has_member (snapshot, "agents") ? json_object_get_array_member (snapshot, "agents") : NULL;
  g_autoptr(GHashTable) by_agent = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GList) agents = parley_supervision_list_agents (self->supervision);

  for (guint i = 0; figures && i < json_array_get_length (figures); i++)
    {
      JsonObject *entry = json_array_get_object_element (figures, i);
      gint64 id = json_object_get_int_member_with_default (entry, "agent", 0);

      g_hash_table_insert (by_agent, g_memdup2 (&id, sizeof id), entry);
    }
  for (GList *l = agents; l; l = l->next)
    {
      gint64 id = json_object_get_int_member (l->data, "id");

      put_row (self, l->data, g_hash_table_lookup (by_agent, &id));
      g_hash_table_add (keys, g_strdup_printf ("%" G_GINT64_FORMAT, id));
    }
  parley_live_store_retain (self->agents, keys);
  gtk_sorter_changed (self->sorter, GTK_SORTER_CHANGE_DIFFERENT);
  update_count (self);
}

static void
agent_changed_cb (ParleyAgentsBoard *self,
                  gint64             id)
{
  JsonObject *agent;

  if (id == 0)
    {
      update_skills (self);
      update_rows (self);
      return;
    }
  if ((agent = parley_supervision_get_agent (self->supervision, id)))
    put_row (self, agent, figures_for (self, id));
  update_count (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  ParleyAgentsBoard *self = user_data;
  GListModel *model = G_LIST_MODEL (self->agents);

  /* Only rows on screen listen, so this redraws what is visible. */
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ParleyLiveItem) item = g_list_model_get_item (model, i);

      parley_live_item_changed (item);
    }
  return G_SOURCE_CONTINUE;
}

/* ---- changing an agent's state ------------------------------------------ */

static void
presence_set_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ParleyAgentsBoard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) agent = parley_client_request_finish (PARLEY_CLIENT (source), result, &error);
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (agent == NULL && overlay)
    {
      /* Translators: a toast, then the hub's reason */
      g_autofree char *text = g_strdup_printf (_("Could not change the state: %s"), error->message);

      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
    }
  else if (agent && self->supervision)
    /* Shown at once; the hub's own push follows. */
    parley_supervision_update_agent (self->supervision, agent);
}

static ParleyLiveItem *
selected_item (ParleyAgentsBoard *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static void
state_response_cb (AdwMessageDialog  *dialog,
                   const char        *response,
                   ParleyAgentsBoard *self)
{
  const char *state = parley_dialog_get_choice (g_object_get_data (G_OBJECT (dialog), "box"));
  const char *reason = gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "reason"));
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "agent"));
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *path = g_strdup_printf ("agents/%" G_GINT64_FORMAT "/presence", id);

  if (!g_str_equal (response, "confirm") || state == NULL || self->supervision == NULL)
    return;
  json_object_set_string_member (body, "state", state);
  if (reason && *reason)
    json_object_set_string_member (body, "reason", reason);
  parley_client_request_async (parley_supervision_get_client (self->supervision), "PUT", path, body, NULL,
                               presence_set_cb, g_object_ref (self));
}

static void
change_state_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ParleyAgentsBoard *self = PARLEY_AGENTS_BOARD (widget);
  ParleyLiveItem *item = selected_item (self);
  ParleyLiveAgent *agent = item ? agent_of (item) : NULL;
  const char *current;
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;
  GtkCheckButton *group = NULL;
  GtkBox *box;

  if (agent == NULL)
    return;
  current = parley_live_agent_get_presence (agent);
  /* Translators: dialog heading, %s is the agent's name */
  heading = g_strdup_printf (_("Change %s’s State"), agent_name (agent));
  dialog = parley_dialog_new (GTK_WIDGET (self), heading, _("The agent sees the new state at once, with its reason."),
                              _("_Change"));
  box = parley_dialog_add_box (dialog);
  for (guint i = 0; i < G_N_ELEMENTS (settable_states); i++)
    {
      GtkCheckButton *check = parley_dialog_add_choice (box, parley_presence_title (settable_states[i]), settable_states[i], group);

      group = group ? group : check;
      if (g_str_equal (current, settable_states[i]))
        gtk_check_button_set_active (check, TRUE);
    }
  g_object_set_data (G_OBJECT (dialog), "box", box);
  g_object_set_data (G_OBJECT (dialog), "reason", parley_dialog_add_entry (box, _("Reason"), NULL));
  g_object_set_data (G_OBJECT (dialog), "agent", GSIZE_TO_POINTER (parley_live_agent_get_id (agent)));
  g_signal_connect_object (dialog, "response", G_CALLBACK (state_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
row_activated_cb (ParleyAgentsBoard *self,
                  guint              position)
{
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self), "agents.change-state", NULL);
}

static void
selection_changed_cb (ParleyAgentsBoard *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "agents.change-state", selected_item (self) != NULL);
}

/* ---- GObject ------------------------------------------------------------ */

static void
parley_agents_board_dispose (GObject *object)
{
  ParleyAgentsBoard *self = PARLEY_AGENTS_BOARD (object);
  GtkWidget *child;

  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->supervision)
    g_signal_handlers_disconnect_by_data (self->supervision, self);
  g_clear_object (&self->supervision);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARLEY_TYPE_AGENTS_BOARD);
  /* The template's unnamed box is not among the children it clears. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->agents);
  g_clear_object (&self->queue_names);
  g_clear_object (&self->skill_names);
  g_clear_pointer (&self->queue_ids, g_array_unref);
  G_OBJECT_CLASS (parley_agents_board_parent_class)->dispose (object);
}

static void
parley_agents_board_class_init (ParleyAgentsBoardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = parley_agents_board_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "parley-agents-board");
  gtk_widget_class_set_template_from_resource (widget_class, "/org/parley/Parley/ui/parley-agents-board.ui");
  gtk_widget_class_bind_template_child (widget_class, ParleyAgentsBoard, search);
  gtk_widget_class_bind_template_child (widget_class, ParleyAgentsBoard, queue_filter);
  gtk_widget_class_bind_template_child (widget_class, ParleyAgentsBoard, skill_filter);
  gtk_widget_class_bind_template_child (widget_class, ParleyAgentsBoard, table);
  gtk_widget_class_bind_template_child (widget_class, ParleyAgentsBoard, count_label);
  gtk_widget_class_install_action (widget_class, "agents.change-state", NULL, change_state_activated);
}

static void
add_column (ParleyAgentsBoard   *self,
            GtkColumnViewColumn *column)
{
  gtk_column_view_append_column (self->table, column);
  g_object_unref (column);
}

static void
parley_agents_board_init (ParleyAgentsBoard *self)
{
  GtkColumnViewColumn *column;
  GtkFilterListModel *filtered;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->agents = parley_live_store_new (PARLEY_TYPE_LIVE_AGENT);
  self->queue_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->queue_names = gtk_string_list_new (NULL);
  self->skill_names = gtk_string_list_new (NULL);
  gtk_string_list_append (self->queue_names, _("All queues"));
  gtk_string_list_append (self->skill_names, _("All skills"));
  gtk_drop_down_set_model (self->queue_filter, G_LIST_MODEL (self->queue_names));
  gtk_drop_down_set_model (self->skill_filter, G_LIST_MODEL (self->skill_names));

  column = parley_live_column_new (_("Agent"), 0, render_name, self, GTK_SORTER (gtk_custom_sorter_new (compare_name, NULL, NULL)));
  gtk_column_view_column_set_expand (column, TRUE);
  add_column (self, column);
  add_column (self, parley_live_column_new (_("State"), 0, render_state, self,
                                            GTK_SORTER (gtk_custom_sorter_new (compare_state, NULL, NULL))));
  /* Translators: a column: how long each agent has been in their state */
  add_column (self, parley_live_column_new (_("Time in State"), 1, render_since, self,
                                            GTK_SORTER (gtk_custom_sorter_new (compare_since, NULL, NULL))));
  column = parley_live_column_new (_("Conversations"), 0, render_current, self, NULL);
  gtk_column_view_column_set_expand (column, TRUE);
  add_column (self, column);
  for (guint i = 0; i < G_N_ELEMENTS (figure_names); i++)
    {
      self->columns[i].self = self;
      self->columns[i].name = figure_names[i];
      add_column (self, parley_live_column_new (parley_figures_title (figure_names[i]), 1, render_figure, &self->columns[i],
                                                GTK_SORTER (gtk_custom_sorter_new (compare_figure, &self->columns[i], NULL))));
    }

  self->filter = gtk_custom_filter_new (filter_agent, self, NULL);
  self->sorter = gtk_column_view_get_sorter (self->table);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->agents)), GTK_FILTER (self->filter));
  self->selection = gtk_single_selection_new (parley_live_columns_sort (self->table, G_LIST_MODEL (filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_column_view_set_model (self->table, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_swapped (self->table, "activate", G_CALLBACK (row_activated_cb), self);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (self->selection, "items-changed", G_CALLBACK (update_count), self);
  g_signal_connect_swapped (self->search, "search-changed", G_CALLBACK (filters_changed_cb), self);
  g_signal_connect_swapped (self->queue_filter, "notify::selected", G_CALLBACK (filters_changed_cb), self);
  g_signal_connect_swapped (self->skill_filter, "notify::selected", G_CALLBACK (filters_changed_cb), self);
  selection_changed_cb (self);
  update_count (self);
  self->tick_source = g_timeout_add_seconds (1, tick_cb, self);
}

void
parley_agents_board_set_supervision (ParleyAgentsBoard *self,
                                     ParleySupervision *supervision)
{
  g_return_if_fail (PARLEY_IS_AGENTS_BOARD (self));
  if (self->supervision)
    g_signal_handlers_disconnect_by_data (self->supervision, self);
  g_set_object (&self->supervision, supervision);
  parley_live_store_clear (self->agents);
  if (supervision == NULL)
    return;
  g_signal_connect_object (supervision, "agent-changed", G_CALLBACK (agent_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (supervision, "snapshot-changed", G_CALLBACK (update_rows), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (supervision, "queues-changed", G_CALLBACK (queues_changed_cb), self, G_CONNECT_SWAPPED);
  queues_changed_cb (self);
  agent_changed_cb (self, 0);
}
