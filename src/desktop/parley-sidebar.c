/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-sidebar"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <parley-ui.h>

#include "parley-conversation-row.h"
#include "parley-offer-stack.h"
#include "parley-presence-button.h"
#include "parley-sidebar.h"

/* Seconds between refreshes of the queue, which agents see but are not
 * pushed (only supervisors get every conversation change). */
#define QUEUE_REFRESH_SECONDS 5

/**
 * ParleySidebar:
 *
 * The agent's side of the window: the #ParleyPresenceButton, the offers, the
 * customer search, the load per channel as the hub counts it, and the
 * conversations: the agent's own, then the blended queue. It listens to
 * the client's pushes (`message::conversation`, `message::event`,
 * `message::presence`, `message::offer`) itself. The highlighted row is
 * always the open conversation: selecting a row (with the keyboard too)
 * opens it, through #ParleySidebar::conversation-activated.
 */
struct _ParleySidebar
{
  GtkWidget         parent_instance;

  ParleyClient     *client;
  GCancellable     *cancellable;
  GHashTable       *rows;           /* conversation id → ParleyConversationRow */
  gint64            open_id;        /* the conversation the window shows, or 0 */
  guint             tick_source;
  guint             queue_source;
  gboolean          queue_shown;

  /* template children */
  GtkWidget        *box;
  AdwHeaderBar     *header;
  ParleyPresenceButton *presence_button;
  GtkMenuButton    *menu_button;
  GtkBox           *status_box;
  ParleyOfferStack *offer_stack;
  GtkSearchEntry   *customer_search;
  GtkLabel         *load_label;
  GtkStack         *sidebar_stack;
  GtkListBox       *conversation_list;
  GtkListBox       *search_list;
};

G_DEFINE_FINAL_TYPE (ParleySidebar, parley_sidebar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MENU_MODEL,
  PROP_SHOW_END_TITLE_BUTTONS,
  PROP_QUEUE_SHOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CONVERSATION_ACTIVATED,
  CUSTOMER_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum {
  SECTION_NONE = -1,
  SECTION_MINE,
  SECTION_QUEUE,
} Section;

/* ---- load ---------------------------------------------------------------- */

/* The load per channel, from the hub's own figures for the agent. */
static void
show_load (ParleySidebar *self,
           JsonObject    *agent)
{
  JsonObject *capacity = agent ? parley_json_get_object (agent, "capacity", FALSE, NULL) : NULL;
  JsonObject *load = agent ? parley_json_get_object (agent, "load", FALSE, NULL) : NULL;
  g_autoptr(GList) channels = capacity ? json_object_get_members (capacity) : NULL;
  GString *text = g_string_new (NULL);

  channels = g_list_sort (channels, (GCompareFunc) g_strcmp0);
  for (GList *l = channels; l; l = l->next)
    {
      gint64 used = load ? json_object_get_int_member_with_default (load, l->data, 0) : 0;

      /* Translators: load on one channel, e.g. "Chat 1/3" */
      g_string_append_printf (text, _("%s%s %d/%d"), text->len ? " · " : "",
                              parley_ui_channel_directory_get_title (parley_ui_channel_directory_get_default (), l->data), (int) used,
                              (int) json_object_get_int_member (capacity, l->data));
    }
  gtk_label_set_text (self->load_label, text->str);
  g_string_free (text, TRUE);
}

/* The agent's own figures changed (a presence push carries them). */
static void
show_own_load (ParleySidebar *self)
{
  show_load (self, self->client ? parley_client_get_agent (self->client) : NULL);
}

static void
me_loaded_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ParleySidebar) self = user_data;
  g_autoptr(JsonObject) agent = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);

  if (agent)
    show_load (self, agent);
}

/* Conversations of the agent changed: the hub counts the load anew. */
static void
refresh_load (ParleySidebar *self)
{
  parley_client_request_async (self->client, "GET", "agents/me", NULL, self->cancellable, me_loaded_cb, g_object_ref (self));
}

/* ---- conversations ------------------------------------------------------- */

static Section
section_of (ParleySidebar          *self,
            ParleyConversationItem *item)
{
  JsonObject *agent = self->client ? parley_client_get_agent (self->client) : NULL;
  gint64 me = agent ? json_object_get_int_member_with_default (agent, "id", -1) : -1;
  ParleyConversationState state = parley_conversation_item_get_state (item);

  if (parley_conversation_item_get_agent_id (item) == me && state != PARLEY_CONVERSATION_STATE_RESOLVED)
    return SECTION_MINE;
  /* A customer offered to this agent is in the offers above, not twice. */
  if ((state == PARLEY_CONVERSATION_STATE_QUEUED || state == PARLEY_CONVERSATION_STATE_OFFERED) &&
      !parley_offer_stack_is_offered (self->offer_stack, parley_conversation_item_get_id (item)))
    return SECTION_QUEUE;
  return SECTION_NONE;
}

static Section
row_section (ParleySidebar *self,
             GtkListBoxRow *row)
{
  return section_of (self, parley_conversation_row_get_item (PARLEY_CONVERSATION_ROW (row)));
}

/* Mine first, then the queue (priority, then age). */
static int
sort_rows (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       user_data)
{
  ParleySidebar *self = user_data;
  ParleyConversationItem *x = parley_conversation_row_get_item (PARLEY_CONVERSATION_ROW (a));
  ParleyConversationItem *y = parley_conversation_row_get_item (PARLEY_CONVERSATION_ROW (b));
  Section section_x = section_of (self, x);
  Section section_y = section_of (self, y);
  gint64 px = parley_conversation_item_get_priority (x);
  gint64 py = parley_conversation_item_get_priority (y);
  gint64 cx = parley_conversation_item_get_created (x);
  gint64 cy = parley_conversation_item_get_created (y);

  if (section_x != section_y)
    return section_x - section_y;
  if (px != py)
    return px > py ? -1 : 1;
  return cx < cy ? -1 : cx > cy;
}

static void
header_func (GtkListBoxRow *row,
             GtkListBoxRow *before,
             gpointer       user_data)
{
  ParleySidebar *self = user_data;
  Section section = row_section (self, row);
  GtkWidget *header;

  if (before && row_section (self, before) == section)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = gtk_label_new (section == SECTION_MINE ? _("My Conversations") : _("Waiting in Queue"));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "sidebar-heading");
  gtk_list_box_row_set_header (row, header);
}

static void
remove_row (ParleySidebar *self,
            gint64         id)
{
  GtkWidget *row = g_hash_table_lookup (self->rows, &id);

  if (row == NULL)
    return;
  gtk_list_box_remove (self->conversation_list, row);
  g_hash_table_remove (self->rows, &id);
}

/* Rows whose conversation belongs nowhere now (resolved, taken by someone
 * else, offered to this agent) leave the list. */
static void
drop_homeless_rows (ParleySidebar *self)
{
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    if (row_section (self, row) == SECTION_NONE)
      {
        gtk_list_box_remove (self->conversation_list, row);
        g_hash_table_iter_remove (&iter);
      }
  gtk_list_box_invalidate_sort (self->conversation_list);
  gtk_list_box_invalidate_headers (self->conversation_list);
}

/* Shows @conversation where it belongs now: mine while it is not resolved,
 * the queue while it waits, nowhere otherwise. Returns its item, if shown. */
ParleyConversationItem *
parley_sidebar_place (ParleySidebar *self,
                      JsonObject    *conversation)
{
  gint64 id = json_object_get_int_member_with_default (conversation, "id", 0);
  GtkWidget *row = g_hash_table_lookup (self->rows, &id);
  g_autoptr(ParleyConversationItem) item = NULL;

  g_return_val_if_fail (PARLEY_IS_SIDEBAR (self), NULL);

  if (row)
    item = g_object_ref (parley_conversation_row_get_item (PARLEY_CONVERSATION_ROW (row)));
  else
    item = parley_conversation_item_new (conversation);
  parley_conversation_item_update (item, conversation);
  if (section_of (self, item) == SECTION_NONE)
    {
      remove_row (self, id);
      return NULL;
    }
  if (row == NULL)
    {
      row = parley_conversation_row_new (item);
      g_hash_table_insert (self->rows, g_memdup2 (&id, sizeof id), row);
      gtk_list_box_append (self->conversation_list, row);
      if (id == self->open_id)
        gtk_list_box_select_row (self->conversation_list, GTK_LIST_BOX_ROW (row));
    }
  gtk_list_box_invalidate_headers (self->conversation_list);
  return item;
}

ParleyConversationItem *
parley_sidebar_lookup (ParleySidebar *self,
                       gint64         conversation_id)
{
  GtkWidget *row = g_hash_table_lookup (self->rows, &conversation_id);

  return row ? parley_conversation_row_get_item (PARLEY_CONVERSATION_ROW (row)) : NULL;
}

/* Places every conversation of a hub answer. @full_queue: the answer lists
 * the whole queue, so waiting rows it lacks were taken or abandoned. */
static void
apply_conversations (ParleySidebar *self,
                     JsonObject    *answer,
                     gboolean       full_queue)
{
  JsonArray *list = answer && json_object_has_member (answer, "conversations") ? json_object_get_array_member (answer, "conversations") : NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, row;

  if (list == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *conversation = json_array_get_object_element (list, i);
      gint64 id = json_object_get_int_member (conversation, "id");

      g_hash_table_add (seen, g_memdup2 (&id, sizeof id));
      parley_sidebar_place (self, conversation);
    }
  g_hash_table_iter_init (&iter, self->rows);
  while (full_queue && g_hash_table_iter_next (&iter, &key, &row))
    if (row_section (self, row) == SECTION_QUEUE && !g_hash_table_contains (seen, key))
      {
        gtk_list_box_remove (self->conversation_list, row);
        g_hash_table_iter_remove (&iter);
      }
}

static void
mine_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ParleySidebar) self = user_data;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);

  apply_conversations (self, answer, FALSE);
}

static void
queue_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ParleySidebar) self = user_data;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);

  apply_conversations (self, answer, TRUE);
  if (answer && !self->queue_shown)
    {
      self->queue_shown = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUE_SHOWN]);
    }
}

static void
refresh_queue (ParleySidebar *self)
{
  parley_client_request_async (self->client, "GET", "conversations?state=queued&limit=200", NULL, self->cancellable,
                               queue_loaded_cb, g_object_ref (self));
}

static gboolean
queue_refresh_cb (gpointer user_data)
{
  ParleySidebar *self = user_data;

  if (self->client && parley_client_get_state (self->client) == PARLEY_CLIENT_STATE_ONLINE)
    refresh_queue (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
tick_cb (gpointer user_data)
{
  ParleySidebar *self = user_data;
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    parley_conversation_row_tick (row);
  return G_SOURCE_CONTINUE;
}

/* Selection follows the keyboard as in GNOME's sidebars: the highlighted
 * row is the open conversation, never another. */
static void
row_selected_cb (ParleySidebar *self,
                 GtkListBoxRow *row)
{
  ParleyConversationItem *item = row ? parley_conversation_row_get_item (PARLEY_CONVERSATION_ROW (row)) : NULL;

  if (item && parley_conversation_item_get_id (item) != self->open_id)
    g_signal_emit (self, signals[CONVERSATION_ACTIVATED], 0, item, FALSE);
}

static void
row_activated_cb (ParleySidebar *self,
                  GtkListBoxRow *row)
{
  g_signal_emit (self, signals[CONVERSATION_ACTIVATED], 0,
                 parley_conversation_row_get_item (PARLEY_CONVERSATION_ROW (row)), TRUE);
}

/* ---- pushes -------------------------------------------------------------- */

static gboolean
concerns_me (ParleySidebar *self,
             JsonObject    *conversation)
{
  JsonObject *agent = parley_client_get_agent (self->client);
  gint64 id = json_object_get_int_member_with_default (conversation, "id", 0);

  return (agent && json_object_get_int_member_with_default (conversation, "agent_id", 0) ==
                   json_object_get_int_member_with_default (agent, "id", -1)) ||
         (g_hash_table_contains (self->rows, &id) &&
          section_of (self, parley_sidebar_lookup (self, id)) == SECTION_MINE);
}

static void
conversation_pushed_cb (ParleySidebar *self,
                        const char    *type,
                        JsonObject    *message)
{
  JsonObject *conversation = parley_json_get_object (message, "conversation", FALSE, NULL);
  gboolean mine;

  if (conversation == NULL)
    return;
  mine = concerns_me (self, conversation);
  parley_sidebar_place (self, conversation);
  if (mine)
    refresh_load (self);
}

static void
event_pushed_cb (ParleySidebar *self,
                 const char    *type,
                 JsonObject    *message)
{
  JsonObject *event = parley_json_get_object (message, "event", FALSE, NULL);
  gint64 conversation = event ? json_object_get_int_member_with_default (event, "conversation_id", 0) : 0;
  ParleyConversationItem *item = parley_sidebar_lookup (self, conversation);

  /* The unread dot; the conversation itself follows as its own push. */
  if (item && conversation != self->open_id &&
      g_strcmp0 (json_object_get_string_member_with_default (event, "direction", ""), "in") == 0)
    parley_conversation_item_set_unread (item, TRUE);
}

/* An offered customer leaves the queue list while the offer stands, and
 * comes back if the offer ends without the agent taking it. */
static void
offers_changed_cb (ParleySidebar *self)
{
  drop_homeless_rows (self);
  if (self->client && parley_client_get_state (self->client) == PARLEY_CLIENT_STATE_ONLINE)
    refresh_queue (self);
}

/* ---- customer search ----------------------------------------------------- */

static void
customers_found_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ParleySidebar) self = user_data;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);
  JsonArray *found = answer && json_object_has_member (answer, "customers") ? json_object_get_array_member (answer, "customers") : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->search_list))))
    gtk_list_box_remove (self->search_list, child);
  for (guint i = 0; found && i < json_array_get_length (found); i++)
    {
      JsonObject *customer = json_array_get_object_element (found, i);
      JsonArray *identities = json_object_get_array_member (customer, "identities");
      GString *subtitle = g_string_new (NULL);
      GtkWidget *row = adw_action_row_new ();

      for (guint j = 0; identities && j < json_array_get_length (identities) && j < 3; j++)
        g_string_append_printf (subtitle, "%s%s", j ? " · " : "",
                                json_object_get_string_member (json_array_get_object_element (identities, j), "value"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), json_object_get_string_member_with_default (customer, "name", ""));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "customer", GSIZE_TO_POINTER (json_object_get_int_member (customer, "id")));
      gtk_list_box_append (self->search_list, row);
      g_string_free (subtitle, TRUE);
    }
  if (found == NULL || json_array_get_length (found) == 0)
    {
      GtkWidget *none = gtk_label_new (_("No customers found"));

      gtk_widget_add_css_class (none, "dim-label");
      gtk_widget_set_margin_top (none, 24);
      gtk_list_box_append (self->search_list, none);
    }
}

static void
customer_search_changed_cb (ParleySidebar *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->customer_search));
  GString *path;

  if (text == NULL || *text == '\0' || self->client == NULL)
    {
      gtk_stack_set_visible_child_name (self->sidebar_stack, "conversations");
      return;
    }
  gtk_stack_set_visible_child_name (self->sidebar_stack, "search");
  path = g_string_new ("customers?limit=30&q=");
  g_string_append_uri_escaped (path, text, NULL, FALSE);
  parley_client_request_async (self->client, "GET", path->str, NULL, self->cancellable, customers_found_cb, g_object_ref (self));
  g_string_free (path, TRUE);
}

static void
search_row_activated_cb (ParleySidebar *self,
                         GtkListBoxRow *row)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "customer"));

  if (id != 0)
    g_signal_emit (self, signals[CUSTOMER_ACTIVATED], 0, id);
}

/* ---- GObject ------------------------------------------------------------- */

/* A fixed width: rows ellipsize, and the sidebar never grows or shrinks
 * with what they say. */
static void
parley_sidebar_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  ParleySidebar *self = PARLEY_SIDEBAR (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int child_minimum;

      gtk_widget_measure (self->box, orientation, -1, &child_minimum, NULL, NULL, NULL);
      *minimum = *natural = MAX (child_minimum, PARLEY_SIDEBAR_WIDTH);
      return;
    }
  gtk_widget_measure (self->box, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static void
parley_sidebar_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  gtk_widget_allocate (PARLEY_SIDEBAR (widget)->box, width, height, baseline, NULL);
}

/* Focus goes to the open conversation's row (F6 lands there), or the
 * first row, or the search. */
static gboolean
parley_sidebar_grab_focus (GtkWidget *widget)
{
  ParleySidebar *self = PARLEY_SIDEBAR (widget);
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->conversation_list);

  if (row == NULL)
    row = gtk_list_box_get_row_at_index (self->conversation_list, 0);
  if (row && g_str_equal (gtk_stack_get_visible_child_name (self->sidebar_stack), "conversations") &&
      gtk_widget_grab_focus (GTK_WIDGET (row)))
    return TRUE;
  return gtk_widget_grab_focus (GTK_WIDGET (self->customer_search));
}

static void
parley_sidebar_dispose (GObject *object)
{
  ParleySidebar *self = PARLEY_SIDEBAR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->queue_source, g_source_remove);
  g_clear_object (&self->client);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  /* The rows go with the list; nothing is left to sort them by. */
  if (self->conversation_list)
    {
      gtk_list_box_set_sort_func (self->conversation_list, NULL, NULL, NULL);
      gtk_list_box_set_header_func (self->conversation_list, NULL, NULL, NULL);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), PARLEY_TYPE_SIDEBAR);
  G_OBJECT_CLASS (parley_sidebar_parent_class)->dispose (object);
}

static void
parley_sidebar_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ParleySidebar *self = PARLEY_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_MENU_MODEL:
      g_value_set_object (value, gtk_menu_button_get_menu_model (self->menu_button));
      break;
    case PROP_SHOW_END_TITLE_BUTTONS:
      g_value_set_boolean (value, adw_header_bar_get_show_end_title_buttons (self->header));
      break;
    case PROP_QUEUE_SHOWN:
      g_value_set_boolean (value, self->queue_shown);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_sidebar_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ParleySidebar *self = PARLEY_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_MENU_MODEL:
      gtk_menu_button_set_menu_model (self->menu_button, g_value_get_object (value));
      break;
    case PROP_SHOW_END_TITLE_BUTTONS:
      adw_header_bar_set_show_end_title_buttons (self->header, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_sidebar_class_init (ParleySidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = parley_sidebar_dispose;
  object_class->get_property = parley_sidebar_get_property;
  object_class->set_property = parley_sidebar_set_property;
  widget_class->measure = parley_sidebar_measure;
  widget_class->size_allocate = parley_sidebar_size_allocate;
  widget_class->grab_focus = parley_sidebar_grab_focus;

  properties[PROP_MENU_MODEL] =
    g_param_spec_object ("menu-model", NULL, NULL, G_TYPE_MENU_MODEL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_END_TITLE_BUTTONS] =
    g_param_spec_boolean ("show-end-title-buttons", NULL, NULL, TRUE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * ParleySidebar:queue-shown:
   *
   * Whether the sidebar has shown the queue since it was made.
   */
  properties[PROP_QUEUE_SHOWN] =
    g_param_spec_boolean ("queue-shown", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ParleySidebar::conversation-activated:
   * @item: the conversation
   * @navigate: whether the agent asked to go to it (a narrow window shows
   *   it instead of the sidebar), rather than only selecting it
   */
  signals[CONVERSATION_ACTIVATED] =
    g_signal_new ("conversation-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, PARLEY_TYPE_CONVERSATION_ITEM, G_TYPE_BOOLEAN);
  /**
   * ParleySidebar::customer-activated:
   * @customer_id: a customer picked among those found
   */
  signals[CUSTOMER_ACTIVATED] =
    g_signal_new ("customer-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (PARLEY_TYPE_OFFER_STACK);
  g_type_ensure (PARLEY_TYPE_PRESENCE_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/parley/Parley/ui/parley-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, ParleySidebar, box);
  gtk_widget_class_bind_template_child (widget_class, ParleySidebar, header);
  gtk_widget_class_bind_template_child (widget_class, ParleySidebar, presence_button);
  gtk_widget_class_bind_template_child (widget_class, ParleySidebar, menu_button);
  gtk_widget_class_bind_template_child (widget_class, ParleySidebar, status_box);
  gtk_widget_class_bind_template_child (widget_class, ParleySidebar, offer_stack);
  gtk_widget_class_bind_template_child (widget_class, ParleySidebar, customer_search);
  gtk_widget_class_bind_template_child (widget_class, ParleySidebar, load_label);
  gtk_widget_class_bind_template_child (widget_class, ParleySidebar, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, ParleySidebar, conversation_list);
  gtk_widget_class_bind_template_child (widget_class, ParleySidebar, search_list);
}

static void
parley_sidebar_init (ParleySidebar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  gtk_list_box_set_sort_func (self->conversation_list, sort_rows, self, NULL);
  gtk_list_box_set_header_func (self->conversation_list, header_func, self, NULL);
  g_signal_connect_swapped (self->conversation_list, "row-activated", G_CALLBACK (row_activated_cb), self);
  g_signal_connect_swapped (self->conversation_list, "row-selected", G_CALLBACK (row_selected_cb), self);
  g_signal_connect_swapped (self->search_list, "row-activated", G_CALLBACK (search_row_activated_cb), self);
  g_signal_connect_swapped (self->customer_search, "search-changed", G_CALLBACK (customer_search_changed_cb), self);
  g_signal_connect_swapped (self->offer_stack, "notify::n-offers", G_CALLBACK (offers_changed_cb), self);
  self->tick_source = g_timeout_add_seconds (5, tick_cb, self);
  self->queue_source = g_timeout_add_seconds (QUEUE_REFRESH_SECONDS, queue_refresh_cb, self);
}

/* Works for @client from now on (NULL: signed out). */
void
parley_sidebar_set_client (ParleySidebar *self,
                           ParleyClient  *client,
                           GSettings     *settings)
{
  g_return_if_fail (PARLEY_IS_SIDEBAR (self));

  if (self->client)
    g_signal_handlers_disconnect_by_data (self->client, self);
  parley_sidebar_clear (self);
  g_set_object (&self->client, client);
  parley_offer_stack_set_client (self->offer_stack, client, settings);
  parley_presence_button_set_client (self->presence_button, client);
  if (client)
    {
      g_signal_connect_object (client, "message::conversation", G_CALLBACK (conversation_pushed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "message::event", G_CALLBACK (event_pushed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "message::presence", G_CALLBACK (show_own_load), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "notify::agent", G_CALLBACK (show_own_load), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "connected", G_CALLBACK (parley_sidebar_refresh), self, G_CONNECT_SWAPPED);
    }
  show_own_load (self);
}

ParleyPresenceButton *
parley_sidebar_get_presence_button (ParleySidebar *self)
{
  return self->presence_button;
}

ParleyOfferStack *
parley_sidebar_get_offer_stack (ParleySidebar *self)
{
  return self->offer_stack;
}

/* The window shows @conversation_id (0: a customer, or nothing): its row
 * is the one highlighted, and it counts as read. */
void
parley_sidebar_set_open (ParleySidebar *self,
                         gint64         conversation_id)
{
  GtkWidget *row = g_hash_table_lookup (self->rows, &conversation_id);

  self->open_id = conversation_id;
  if (row == NULL)
    {
      gtk_list_box_unselect_all (self->conversation_list);
      return;
    }
  parley_conversation_item_set_unread (parley_conversation_row_get_item (PARLEY_CONVERSATION_ROW (row)), FALSE);
  gtk_list_box_select_row (self->conversation_list, GTK_LIST_BOX_ROW (row));
}

/* The conversation @step rows from the open one, or the first. */
ParleyConversationItem *
parley_sidebar_step (ParleySidebar *self,
                     int            step)
{
  GtkListBoxRow *open = g_hash_table_lookup (self->rows, &self->open_id);
  int index = open ? gtk_list_box_row_get_index (open) + step : 0;
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->conversation_list, MAX (0, index));

  return row ? parley_conversation_row_get_item (PARLEY_CONVERSATION_ROW (row)) : NULL;
}

/* Supervisors have the main menu in their own header bar. */
void
parley_sidebar_set_menu_visible (ParleySidebar *self,
                                 gboolean       visible)
{
  gtk_widget_set_visible (GTK_WIDGET (self->menu_button), visible);
}

void
parley_sidebar_focus_search (ParleySidebar *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->customer_search));
}

/* Fetches the agent's conversations, the queue and the load again. */
void
parley_sidebar_refresh (ParleySidebar *self)
{
  JsonObject *agent = self->client ? parley_client_get_agent (self->client) : NULL;
  g_autofree char *mine = NULL;

  show_own_load (self);
  if (agent == NULL)
    return;
  mine = g_strdup_printf ("conversations?agent=%" G_GINT64_FORMAT "&limit=200", json_object_get_int_member (agent, "id"));
  parley_client_request_async (self->client, "GET", mine, NULL, self->cancellable, mine_loaded_cb, g_object_ref (self));
  refresh_queue (self);
  refresh_load (self);
}

void
parley_sidebar_clear (ParleySidebar *self)
{
  GtkWidget *child;

  g_hash_table_remove_all (self->rows);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->conversation_list))))
    gtk_list_box_remove (self->conversation_list, child);
  self->open_id = 0;
  parley_offer_stack_clear (self->offer_stack);
}

/* Keeps a channel's status item (a softphone's registration) in view,
 * at the foot of the sidebar. */
void
parley_sidebar_add_status_item (ParleySidebar *self,
                                GtkWidget     *item)
{
  g_return_if_fail (PARLEY_IS_SIDEBAR (self));

  gtk_box_append (self->status_box, item);
  gtk_widget_set_visible (GTK_WIDGET (self->status_box), TRUE);
}
