/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-window"

#include "config.h"

#include <glib/gi18n.h>
#include <parley.h>

#include "parley-agents-board.h"
#include "parley-conversation-row.h"
#include "parley-customer-view.h"
#include "parley-hub-security.h"
#include "parley-live-conversations.h"
#include "parley-presence.h"
#include "parley-satisfaction-view.h"
#include "parley-secret.h"
#include "parley-supervision.h"
#include "parley-wallboard.h"
#include "parley-window.h"

/* Seconds between refreshes of the queue, which agents see but are not
 * pushed (only supervisors get every conversation change). */
#define QUEUE_REFRESH_SECONDS 5

/**
 * ParleyWindow:
 *
 * The agent's window: the sign-in page, then the workspace with the
 * presence switcher, the offer bar, the sidebar (my conversations and the
 * blended queue, or customers found) and the #ParleyCustomerView.
 * Supervisors and admins also get the wallboard, the agents board with
 * the live conversations, and satisfaction, as views of one stack fed by
 * a #ParleySupervision.
 */
struct _ParleyWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  ParleyPluginHost     *plugins;
  ParleyClient         *client;
  GCancellable         *cancellable;
  ParleySupervision    *supervision;    /* NULL unless a supervisor signed in */
  GHashTable           *rows;           /* conversation id → ParleyConversationRow */
  GQueue                offers;         /* JsonObject, oldest first */
  gint64                offer_shown_at; /* monotonic µs when the head offer arrived */
  char                 *wanted_presence;
  guint                 tick_source;
  guint                 offer_source;
  guint                 queue_source;
  gboolean              ever_connected;

  /* template children */
  AdwToastOverlay      *toasts;
  GtkStack             *main_stack;
  AdwEntryRow          *hub_url_row;
  AdwEntryRow          *login_row;
  AdwEntryRow          *password_row;
  AdwActionRow         *remember_row;
  GtkSwitch            *remember_switch;
  ParleyHubSecurity    *hub_security;
  GtkLabel             *login_error;
  GtkWidget            *sign_in_button;
  GtkRevealer          *offline_revealer;
  GtkLabel             *offline_label;
  GtkRevealer          *offer_revealer;
  GtkImage             *offer_icon;
  GtkLabel             *offer_title;
  GtkLabel             *offer_subtitle;
  GtkProgressBar       *offer_countdown;
  AdwLeaflet           *leaflet;
  GtkMenuButton        *presence_button;
  GtkImage             *presence_icon;
  GtkLabel             *presence_label;
  GtkSearchEntry       *customer_search;
  GtkLabel             *load_label;
  GtkStack             *sidebar_stack;
  GtkListBox           *conversation_list;
  GtkListBox           *search_list;
  ParleyCustomerView   *customer_view;
  AdwHeaderBar         *supervisor_header;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack         *view_stack;
  AdwViewStackPage     *wallboard_page;
  AdwViewStackPage     *agents_page;
  AdwViewStackPage     *satisfaction_page;
  GtkWidget            *sidebar_menu_button;
  ParleyWallboard      *wallboard;
  ParleyAgentsBoard    *agents_board;
  ParleyLiveConversations *live_conversations;
  ParleySatisfactionView *satisfaction_view;

  gboolean              queue_shown;
};

G_DEFINE_FINAL_TYPE (ParleyWindow, parley_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_QUEUE_SHOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void refresh_conversations (ParleyWindow *self);
static void show_offer (ParleyWindow *self);

static void
toast (ParleyWindow *self,
       const char   *text)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

static void
toast_error (ParleyWindow *self,
             const char   *what,
             const GError *error)
{
  g_autofree char *text = g_strdup_printf (_("%s: %s"), what, error->message);

  toast (self, text);
}

static void
enable_action (ParleyWindow *self,
               const char   *name,
               gboolean      enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* ---- presence and load --------------------------------------------------- */

static void
show_agent (ParleyWindow *self)
{
  JsonObject *agent = parley_client_get_agent (self->client);
  const char *state = agent ? json_object_get_string_member_with_default (agent, "presence", "offline") : "offline";
  const char *reason = agent ? json_object_get_string_member_with_default (agent, "reason", NULL) : NULL;
  JsonObject *capacity = agent ? parley_json_get_object (agent, "capacity", FALSE, NULL) : NULL;
  JsonObject *load = agent ? parley_json_get_object (agent, "load", FALSE, NULL) : NULL;
  g_autoptr(GList) channels = capacity ? json_object_get_members (capacity) : NULL;
  g_autofree char *label = NULL;
  g_autofree char *accessible = NULL;
  GString *load_text = g_string_new (NULL);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "presence");

  label = parley_presence_describe (state, reason);
  gtk_label_set_text (self->presence_label, label);
  gtk_image_set_from_icon_name (self->presence_icon, parley_presence_icon_name (state));
  for (const char *c = "available\0away\0busy\0wrap-up\0offline\0"; *c; c += strlen (c) + 1)
    gtk_widget_remove_css_class (GTK_WIDGET (self->presence_button), c);
  gtk_widget_add_css_class (GTK_WIDGET (self->presence_button), state);
  /* Translators: accessible name of the presence switcher, %s is e.g. "Available" */
  accessible = g_strdup_printf (_("Status: %s"), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->presence_button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  /* Menu targets read "away:Lunch", so the right reason shows checked. */
  if (g_str_equal (state, "away") && reason && *reason)
    {
      g_autofree char *target = g_strdup_printf ("away:%s", reason);

      g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (target));
    }
  else
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (state));

  channels = g_list_sort (channels, (GCompareFunc) g_strcmp0);
  for (GList *l = channels; l; l = l->next)
    {
      gint64 used = load ? json_object_get_int_member_with_default (load, l->data, 0) : 0;

      /* Translators: load on one channel, e.g. "Chat 1/3" */
      g_string_append_printf (load_text, _("%s%s %d/%d"), load_text->len ? " · " : "",
                              parley_ui_channel_title_for_kind (l->data), (int) used,
                              (int) json_object_get_int_member (capacity, l->data));
    }
  gtk_label_set_text (self->load_label, load_text->str);
  g_string_free (load_text, TRUE);
}

static void
presence_set_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ParleyWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) agent = parley_client_request_finish (PARLEY_CLIENT (source), result, &error);

  if (agent == NULL)
    toast_error (self, _("Could not change your status"), error);
  show_agent (self);
}

static void
request_presence (ParleyWindow *self,
                  const char   *target)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_auto(GStrv) parts = g_strsplit (target, ":", 2);

  json_object_set_string_member (body, "state", parts[0]);
  if (parts[1])
    json_object_set_string_member (body, "reason", parts[1]);
  parley_client_request_async (self->client, "PUT", "agents/me/presence", body, self->cancellable,
                               presence_set_cb, g_object_ref (self));
}

static void
presence_change_state (GSimpleAction *action,
                       GVariant      *value,
                       gpointer       user_data)
{
  ParleyWindow *self = user_data;
  const char *target = g_variant_get_string (value, NULL);

  /* Remembered so a reconnection restores what the agent chose. */
  g_free (self->wanted_presence);
  self->wanted_presence = g_strdup (target);
  request_presence (self, target);
}

/* ---- sidebar ------------------------------------------------------------- */

static gboolean
is_mine (ParleyWindow *self,
         JsonObject   *conversation)
{
  JsonObject *agent = parley_client_get_agent (self->client);

  return agent && json_object_get_int_member_with_default (conversation, "agent_id", 0) ==
                  json_object_get_int_member_with_default (agent, "id", -1);
}

/* Mine first (by last activity), then the queue (priority, then age). */
static int
sort_rows (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       user_data)
{
  JsonObject *x = parley_conversation_row_get_conversation (PARLEY_CONVERSATION_ROW (a));
  JsonObject *y = parley_conversation_row_get_conversation (PARLEY_CONVERSATION_ROW (b));
  int section_x = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (a), "section"));
  int section_y = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (b), "section"));
  gint64 px = json_object_get_int_member_with_default (x, "priority", 0);
  gint64 py = json_object_get_int_member_with_default (y, "priority", 0);
  gint64 cx = json_object_get_int_member_with_default (x, "created", 0);
  gint64 cy = json_object_get_int_member_with_default (y, "created", 0);

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
  int section = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "section"));
  GtkWidget *header;

  if (before && GPOINTER_TO_INT (g_object_get_data (G_OBJECT (before), "section")) == section)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = gtk_label_new (section == 0 ? _("My Conversations") : _("Waiting in Queue"));
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "sidebar-heading");
  gtk_list_box_row_set_header (row, header);
}

static void
remove_row (ParleyWindow *self,
            gint64        id)
{
  GtkWidget *row = g_hash_table_lookup (self->rows, &id);

  if (row == NULL)
    return;
  gtk_list_box_remove (self->conversation_list, row);
  g_hash_table_remove (self->rows, &id);
}

/* Shows @conversation where it belongs now: mine while it is not resolved,
 * the queue while it waits, nowhere otherwise. */
static void
place_conversation (ParleyWindow *self,
                    JsonObject   *conversation)
{
  gint64 id = json_object_get_int_member_with_default (conversation, "id", 0);
  const char *state = json_object_get_string_member_with_default (conversation, "state", "");
  gboolean waiting = g_str_equal (state, "queued") || g_str_equal (state, "offered");
  int section = is_mine (self, conversation) && !g_str_equal (state, "resolved") ? 0 : waiting ? 1 : -1;
  GtkWidget *row = g_hash_table_lookup (self->rows, &id);

  if (section < 0)
    {
      remove_row (self, id);
      return;
    }
  if (row == NULL)
    {
      row = parley_conversation_row_new (conversation);
      g_hash_table_insert (self->rows, g_memdup2 (&id, sizeof id), row);
      gtk_list_box_append (self->conversation_list, row);
    }
  else
    parley_conversation_row_set_conversation (PARLEY_CONVERSATION_ROW (row), conversation);
  g_object_set_data (G_OBJECT (row), "section", GINT_TO_POINTER (section));
  gtk_list_box_row_changed (GTK_LIST_BOX_ROW (row));
  gtk_list_box_invalidate_headers (self->conversation_list);
}

/* Places every conversation of a hub answer. @full_queue: the answer lists
 * the whole queue, so waiting rows it lacks were taken or abandoned. */
static void
apply_conversations (ParleyWindow *self,
                     JsonObject   *answer,
                     gboolean      full_queue)
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
      place_conversation (self, conversation);
    }
  g_hash_table_iter_init (&iter, self->rows);
  while (full_queue && g_hash_table_iter_next (&iter, &key, &row))
    if (GPOINTER_TO_INT (g_object_get_data (row, "section")) == 1 && !g_hash_table_contains (seen, key))
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
  g_autoptr(ParleyWindow) self = user_data;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);

  apply_conversations (self, answer, FALSE);
}

static void
queue_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ParleyWindow) self = user_data;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);

  apply_conversations (self, answer, TRUE);
  if (answer && !self->queue_shown)
    {
      self->queue_shown = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUE_SHOWN]);
    }
}

static void
refresh_conversations (ParleyWindow *self)
{
  JsonObject *agent = parley_client_get_agent (self->client);
  g_autofree char *mine = NULL;

  if (agent == NULL)
    return;
  mine = g_strdup_printf ("conversations?agent=%" G_GINT64_FORMAT "&limit=200", json_object_get_int_member (agent, "id"));
  parley_client_request_async (self->client, "GET", mine, NULL, self->cancellable, mine_loaded_cb, g_object_ref (self));
  parley_client_request_async (self->client, "GET", "conversations?state=queued&limit=200", NULL, self->cancellable,
                               queue_loaded_cb, g_object_ref (self));
}

static gboolean
queue_refresh_cb (gpointer user_data)
{
  ParleyWindow *self = user_data;

  if (self->client && parley_client_get_state (self->client) == PARLEY_CLIENT_STATE_ONLINE)
    parley_client_request_async (self->client, "GET", "conversations?state=queued&limit=200", NULL, self->cancellable,
                                 queue_loaded_cb, g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

static gboolean
tick_cb (gpointer user_data)
{
  ParleyWindow *self = user_data;
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    parley_conversation_row_tick (row);
  return G_SOURCE_CONTINUE;
}

static void
open_conversation (ParleyWindow *self,
                   JsonObject   *conversation)
{
  gint64 id = json_object_get_int_member_with_default (conversation, "id", 0);
  GtkWidget *row = g_hash_table_lookup (self->rows, &id);

  if (row)
    {
      parley_conversation_row_set_unread (PARLEY_CONVERSATION_ROW (row), FALSE);
      gtk_list_box_select_row (self->conversation_list, GTK_LIST_BOX_ROW (row));
    }
  parley_customer_view_open_conversation (self->customer_view, conversation);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
conversation_row_activated_cb (GtkListBox    *list,
                               GtkListBoxRow *row,
                               ParleyWindow  *self)
{
  open_conversation (self, parley_conversation_row_get_conversation (PARLEY_CONVERSATION_ROW (row)));
}

/* ---- customer search ----------------------------------------------------- */

static void
customers_found_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ParleyWindow) self = user_data;
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
customer_search_changed_cb (ParleyWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->customer_search));
  GString *path;

  if (text == NULL || *text == '\0')
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
search_row_activated_cb (GtkListBox    *list,
                         GtkListBoxRow *row,
                         ParleyWindow  *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "customer"));

  if (id == 0)
    return;
  gtk_list_box_unselect_all (self->conversation_list);
  parley_customer_view_open_customer (self->customer_view, id);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* ---- offers -------------------------------------------------------------- */

static JsonObject *
current_offer (ParleyWindow *self)
{
  return g_queue_peek_head (&self->offers);
}

static gboolean
offer_tick_cb (gpointer user_data)
{
  ParleyWindow *self = user_data;
  JsonObject *offer = current_offer (self);
  JsonObject *conversation;
  gint64 lifetime, left, waited;
  g_autofree char *subtitle = NULL;

  if (offer == NULL)
    {
      self->offer_source = 0;
      return G_SOURCE_REMOVE;
    }
  /* Counted from when it arrived here, so clock skew with the hub does
   * not matter. */
  lifetime = json_object_get_int_member (offer, "expires") - json_object_get_int_member (offer, "created");
  left = MAX (0, lifetime - (g_get_monotonic_time () - self->offer_shown_at));
  conversation = json_object_get_object_member (offer, "conversation");
  waited = (g_get_real_time () - json_object_get_int_member_with_default (conversation, "created", g_get_real_time ())) / G_USEC_PER_SEC;
  /* Translators: under an offer: "Waiting 42 s · 12 s left to accept" */
  subtitle = g_strdup_printf (_("Waiting %d s · %d s left to accept"), (int) MAX (0, waited), (int) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
  gtk_label_set_text (self->offer_subtitle, subtitle);
  gtk_progress_bar_set_fraction (self->offer_countdown, lifetime > 0 ? (double) left / lifetime : 0);
  return G_SOURCE_CONTINUE;
}

static void
withdraw_notification (ParleyWindow *self,
                       JsonObject   *offer)
{
  g_autofree char *id = g_strdup_printf ("offer-%" G_GINT64_FORMAT, json_object_get_int_member (offer, "id"));

  g_application_withdraw_notification (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))), id);
}

static void
notify_offer (ParleyWindow *self,
              JsonObject   *offer)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  JsonObject *customer = json_object_get_object_member (offer, "customer");
  JsonObject *conversation = json_object_get_object_member (offer, "conversation");
  const char *channel = json_object_get_string_member_with_default (conversation, "channel", "");
  gint64 offer_id = json_object_get_int_member (offer, "id");
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *id = g_strdup_printf ("offer-%" G_GINT64_FORMAT, offer_id);
  JsonNode *last = json_object_get_member (conversation, "last_event");

  if (!g_settings_get_boolean (self->settings, "notify-offers") || gtk_window_is_active (GTK_WINDOW (self)))
    return;
  /* Translators: notification title, e.g. "Chat from María García" */
  title = g_strdup_printf (_("%s from %s"), parley_ui_channel_title_for_kind (channel),
                           json_object_get_string_member_with_default (customer, "name", ""));
  notification = g_notification_new (title);
  if (last && JSON_NODE_HOLDS_OBJECT (last))
    g_notification_set_body (notification, json_object_get_string_member_with_default (json_node_get_object (last), "text", ""));
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
  g_notification_add_button_with_target (notification, _("Reject"), "app.reject-offer", "x", offer_id);
  g_notification_add_button_with_target (notification, _("Accept"), "app.accept-offer", "x", offer_id);
  g_notification_set_default_action (notification, "app.activate");
  g_application_send_notification (app, id, notification);
}

static void
show_offer (ParleyWindow *self)
{
  JsonObject *offer = current_offer (self);
  JsonObject *customer, *conversation;
  const char *channel;
  g_autofree char *title = NULL;

  enable_action (self, "accept-offer", offer != NULL);
  enable_action (self, "reject-offer", offer != NULL);
  gtk_revealer_set_reveal_child (self->offer_revealer, offer != NULL);
  if (offer == NULL)
    {
      g_clear_handle_id (&self->offer_source, g_source_remove);
      return;
    }
  customer = json_object_get_object_member (offer, "customer");
  conversation = json_object_get_object_member (offer, "conversation");
  channel = json_object_get_string_member_with_default (conversation, "channel", "");
  /* Translators: the offer bar, e.g. "New chat: María García" */
  title = g_strdup_printf (_("New %s: %s"), parley_ui_channel_title_for_kind (channel),
                           json_object_get_string_member_with_default (customer, "name", ""));
  gtk_label_set_text (self->offer_title, title);
  gtk_image_set_from_icon_name (self->offer_icon, parley_ui_channel_icon_for_kind (channel));
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (self->offer_icon))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  offer_tick_cb (self);
  if (self->offer_source == 0)
    self->offer_source = g_timeout_add (250, offer_tick_cb, self);
}

static void
drop_offer (ParleyWindow *self,
            gint64        offer_id)
{
  for (GList *l = self->offers.head; l; l = l->next)
    if (json_object_get_int_member (l->data, "id") == offer_id)
      {
        gboolean was_head = l == self->offers.head;

        withdraw_notification (self, l->data);
        json_object_unref (l->data);
        g_queue_delete_link (&self->offers, l);
        if (was_head)
          self->offer_shown_at = g_get_monotonic_time ();
        break;
      }
  show_offer (self);
}

static void
offer_pushed (ParleyWindow *self,
              JsonObject   *offer)
{
  const char *state = json_object_get_string_member_with_default (offer, "state", "offered");
  gint64 id = json_object_get_int_member_with_default (offer, "id", 0);

  if (!g_str_equal (state, "offered"))
    {
      drop_offer (self, id);
      if (g_str_equal (state, "expired"))
        toast (self, _("The offer expired and went to someone else"));
      return;
    }
  if (g_queue_is_empty (&self->offers))
    self->offer_shown_at = g_get_monotonic_time ();
  g_queue_push_tail (&self->offers, json_object_ref (offer));
  show_offer (self);
  notify_offer (self, offer);
}

static void
offer_decided_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ParleyWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) conversation = parley_client_request_finish (PARLEY_CLIENT (source), result, &error);

  if (conversation == NULL)
    {
      toast_error (self, _("Could not take the offer"), error);
      return;
    }
  place_conversation (self, conversation);
  if (is_mine (self, conversation))
    {
      gtk_window_present (GTK_WINDOW (self));
      open_conversation (self, conversation);
    }
}

void
parley_window_decide_offer (ParleyWindow *self,
                            gint64        offer_id,
                            gboolean      accept)
{
  g_autofree char *path = g_strdup_printf ("offers/%" G_GINT64_FORMAT "/%s", offer_id, accept ? "accept" : "reject");

  drop_offer (self, offer_id);
  parley_client_request_async (self->client, "POST", path, NULL, self->cancellable,
                               offer_decided_cb, g_object_ref (self));
}

static void
accept_offer_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  ParleyWindow *self = user_data;

  if (current_offer (self))
    parley_window_decide_offer (self, json_object_get_int_member (current_offer (self), "id"), TRUE);
}

static void
reject_offer_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  ParleyWindow *self = user_data;

  if (current_offer (self))
    parley_window_decide_offer (self, json_object_get_int_member (current_offer (self), "id"), FALSE);
}

static void
clear_offers (ParleyWindow *self)
{
  JsonObject *offer;

  while ((offer = g_queue_pop_head (&self->offers)))
    {
      withdraw_notification (self, offer);
      json_object_unref (offer);
    }
  show_offer (self);
}

/* ---- supervision --------------------------------------------------------- */

static gboolean
is_supervisor (ParleyWindow *self)
{
  JsonObject *agent = self->client ? parley_client_get_agent (self->client) : NULL;
  const char *role = agent ? json_object_get_string_member_with_default (agent, "role", "agent") : "agent";

  return g_str_equal (role, "supervisor") || g_str_equal (role, "admin");
}

/* Shows the supervisor's views fed by @supervision, or hides them (NULL). */
static void
set_supervision (ParleyWindow      *self,
                 ParleySupervision *supervision)
{
  gboolean on = supervision != NULL;

  g_set_object (&self->supervision, supervision);
  parley_wallboard_set_supervision (self->wallboard, supervision);
  parley_agents_board_set_supervision (self->agents_board, supervision);
  parley_live_conversations_set_supervision (self->live_conversations, supervision);
  parley_satisfaction_view_set_supervision (self->satisfaction_view, supervision);
  adw_view_stack_page_set_visible (self->wallboard_page, on);
  adw_view_stack_page_set_visible (self->agents_page, on);
  adw_view_stack_page_set_visible (self->satisfaction_page, on);
  gtk_widget_set_visible (GTK_WIDGET (self->supervisor_header), on);
  gtk_widget_set_visible (self->sidebar_menu_button, !on);
  parley_customer_view_set_title_buttons (self->customer_view, !on);
  enable_action (self, "show-view", on);
  if (!on)
    adw_view_stack_set_visible_child_name (self->view_stack, "conversations");
}

static void
show_view_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  ParleyWindow *self = user_data;
  const char *name = g_variant_get_string (parameter, NULL);
  GtkWidget *child = adw_view_stack_get_child_by_name (self->view_stack, name);

  if (child && adw_view_stack_page_get_visible (adw_view_stack_get_page (self->view_stack, child)))
    adw_view_stack_set_visible_child (self->view_stack, child);
}

/* A supervisor follows someone's conversation: the customer view shows it
 * read-only while another agent holds it, and updates live. */
static void
watch_cb (ParleyWindow *self,
          JsonObject   *conversation)
{
  adw_view_stack_set_visible_child_name (self->view_stack, "conversations");
  gtk_list_box_unselect_all (self->conversation_list);
  parley_customer_view_open_conversation (self->customer_view, conversation);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* ---- the hub's pushes and the connection --------------------------------- */

static void
message_cb (ParleyClient *client,
            const char   *type,
            JsonObject   *message,
            ParleyWindow *self)
{
  JsonObject *object;

  if (g_str_equal (type, "offer") && (object = parley_json_get_object (message, "offer", FALSE, NULL)))
    offer_pushed (self, object);
  else if (g_str_equal (type, "conversation") && (object = parley_json_get_object (message, "conversation", FALSE, NULL)))
    place_conversation (self, object);
  else if (g_str_equal (type, "event") && (object = parley_json_get_object (message, "event", FALSE, NULL)))
    {
      gint64 conversation = json_object_get_int_member_with_default (object, "conversation_id", 0);
      GtkWidget *row = g_hash_table_lookup (self->rows, &conversation);

      /* The sidebar's preview and unread dot; the conversation itself
       * follows as its own push. */
      if (row && conversation != parley_customer_view_get_conversation_id (self->customer_view) &&
          g_strcmp0 (json_object_get_string_member_with_default (object, "direction", ""), "in") == 0)
        parley_conversation_row_set_unread (PARLEY_CONVERSATION_ROW (row), TRUE);
    }
  else if (g_str_equal (type, "presence"))
    show_agent (self);
  if (self->supervision)
    parley_supervision_handle_push (self->supervision, type, message);
}

static void
channels_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ParleyWindow) self = user_data;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);
  JsonArray *channels = answer && json_object_has_member (answer, "channels") ? json_object_get_array_member (answer, "channels") : NULL;
  g_autoptr(GStrvBuilder) kinds = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  for (guint i = 0; channels && i < json_array_get_length (channels); i++)
    g_strv_builder_add (kinds, json_object_get_string_member (json_array_get_object_element (channels, i), "kind"));
  list = g_strv_builder_end (kinds);
  parley_customer_view_set_hub_channels (self->customer_view, (const char * const *) list);
}

static void
connected_cb (ParleyClient *client,
              ParleyWindow *self)
{
  /* Everything pushed while away is fetched again. Offers made before the
   * drop were withdrawn by the hub when the last socket closed. */
  clear_offers (self);
  show_agent (self);
  parley_client_request_async (self->client, "GET", "channels", NULL, self->cancellable,
                               channels_loaded_cb, g_object_ref (self));
  refresh_conversations (self);
  if (is_supervisor (self))
    {
      if (self->supervision == NULL)
        {
          g_autoptr(ParleySupervision) supervision = parley_supervision_new (self->client);

          set_supervision (self, supervision);
        }
      parley_supervision_refresh (self->supervision);
    }
  else if (self->supervision)
    set_supervision (self, NULL);
  if (self->ever_connected)
    {
      parley_customer_view_resync (self->customer_view);
      if (self->wanted_presence && !g_str_equal (self->wanted_presence, "offline"))
        request_presence (self, self->wanted_presence);
      toast (self, _("Connected again"));
    }
  self->ever_connected = TRUE;
}

static void
update_offline_label (ParleyWindow *self)
{
  ParleyClientState state = parley_client_get_state (self->client);
  g_autofree char *text = NULL;

  if (state == PARLEY_CLIENT_STATE_CONNECTING && self->ever_connected)
    text = g_strdup_printf (parley_client_get_refused_certificate (self->client, NULL)
                            /* Translators: shown while the hub's certificate is refused; %u is seconds */
                            ? _("Offline: the hub’s certificate was refused. Trying again every %u s…")
                            /* Translators: shown while the hub cannot be reached; %u is seconds */
                            : _("Offline: the hub cannot be reached. Trying again every %u s…"),
                            MAX (1, parley_client_get_retry_seconds (self->client)));
  gtk_revealer_set_reveal_child (self->offline_revealer, text != NULL);
  gtk_label_set_text (self->offline_label, text ? text : "");
  enable_action (self, "reconnect", text != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->leaflet), state == PARLEY_CLIENT_STATE_ONLINE || !self->ever_connected);
  if (text)
    {
      clear_offers (self);
      gtk_label_set_text (self->presence_label, parley_presence_title ("offline"));
      gtk_image_set_from_icon_name (self->presence_icon, parley_presence_icon_name ("offline"));
    }
}

static void
state_changed_cb (ParleyClient *client,
                  GParamSpec   *pspec,
                  ParleyWindow *self)
{
  update_offline_label (self);
}

static void
reset_workspace (ParleyWindow *self)
{
  GtkWidget *child;

  clear_offers (self);
  g_hash_table_remove_all (self->rows);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->conversation_list))))
    gtk_list_box_remove (self->conversation_list, child);
  parley_customer_view_close (self->customer_view);
  set_supervision (self, NULL);
  self->ever_connected = FALSE;
  g_clear_pointer (&self->wanted_presence, g_free);
}

static void
unauthorized_cb (ParleyClient *client,
                 ParleyWindow *self)
{
  reset_workspace (self);
  gtk_label_set_text (self->login_error, _("Your session ended. Please sign in again."));
  gtk_widget_set_visible (GTK_WIDGET (self->login_error), TRUE);
  gtk_stack_set_visible_child_name (self->main_stack, "login");
}

/* ---- signing in ---------------------------------------------------------- */

static void
password_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ParleyWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!parley_secret_store_finish (result, &error))
    toast (self, _("No keyring is running: your password was not remembered"));
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ParleyWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *hub = gtk_editable_get_text (GTK_EDITABLE (self->hub_url_row));
  const char *login = gtk_editable_get_text (GTK_EDITABLE (self->login_row));

  gtk_widget_set_sensitive (self->sign_in_button, TRUE);
  if (!parley_client_login_finish (PARLEY_CLIENT (source), result, &error))
    {
      gboolean shown = parley_hub_security_show_problem (self->hub_security, PARLEY_CLIENT (source), error);

      gtk_label_set_text (self->login_error, g_error_matches (error, PARLEY_ERROR, PARLEY_ERROR_UNAUTHORIZED)
                                             ? _("The login or password is wrong")
                                             : error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->login_error), !shown);
      return;
    }
  parley_hub_security_remember (self->hub_security);
  g_settings_set_string (self->settings, "hub-url", hub);
  g_settings_set_string (self->settings, "login", login);
  g_settings_set_boolean (self->settings, "remember-password", gtk_switch_get_active (self->remember_switch));
  /* An empty password row means the password came from the keyring. */
  if (*gtk_editable_get_text (GTK_EDITABLE (self->password_row)) == '\0')
    ;
  else if (gtk_switch_get_active (self->remember_switch))
    parley_secret_store_async (hub, login, gtk_editable_get_text (GTK_EDITABLE (self->password_row)), NULL,
                               password_stored_cb, g_object_ref (self));
  else
    parley_secret_clear (hub, login);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->login_error), FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "workspace");
  enable_action (self, "sign-out", TRUE);
  show_agent (self);
}

static void
sign_in (ParleyWindow *self,
         const char   *password)
{
  const char *hub = gtk_editable_get_text (GTK_EDITABLE (self->hub_url_row));
  const char *login = gtk_editable_get_text (GTK_EDITABLE (self->login_row));
  g_autoptr(GError) error = NULL;

  if (self->client)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      parley_client_sign_out (self->client);
    }
  g_clear_object (&self->client);
  self->client = parley_client_new (hub);
  parley_hub_security_clear_problem (self->hub_security);
  gtk_widget_set_visible (GTK_WIDGET (self->login_error), FALSE);
  if (!parley_hub_security_apply (self->hub_security, self->client, &error))
    {
      gtk_label_set_text (self->login_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->login_error), TRUE);
      return;
    }
  parley_plugin_host_set_client (self->plugins, self->client);
  g_signal_connect (self->client, "message", G_CALLBACK (message_cb), self);
  g_signal_connect (self->client, "connected", G_CALLBACK (connected_cb), self);
  g_signal_connect (self->client, "notify::state", G_CALLBACK (state_changed_cb), self);
  g_signal_connect_swapped (self->client, "notify::agent", G_CALLBACK (show_agent), self);
  g_signal_connect (self->client, "unauthorized", G_CALLBACK (unauthorized_cb), self);
  parley_customer_view_setup (self->customer_view, self->client, self->plugins, self->settings);

  gtk_widget_set_sensitive (self->sign_in_button, FALSE);
  parley_client_login_async (self->client, login, password, self->cancellable, signed_in_cb, g_object_ref (self));
}

static void
hub_url_changed_cb (ParleyWindow *self)
{
  parley_hub_security_set_hub (self->hub_security, gtk_editable_get_text (GTK_EDITABLE (self->hub_url_row)));
}

static void
password_activated_cb (ParleyWindow *self)
{
  sign_in (self, gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
}

static void
sign_in_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  ParleyWindow *self = user_data;

  sign_in (self, gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
}

static void
logged_out_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);

  parley_client_sign_out (PARLEY_CLIENT (source));
}

static void
sign_out_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  ParleyWindow *self = user_data;

  if (self->client == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->client, self);
  parley_client_request_async (self->client, "POST", "auth/logout", NULL, NULL, logged_out_cb, NULL);
  if (!g_settings_get_boolean (self->settings, "remember-password"))
    parley_secret_clear (parley_client_get_base_url (self->client), g_settings_get_string (self->settings, "login"));
  reset_workspace (self);
  enable_action (self, "sign-out", FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "login");
}

static void
password_found_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ParleyWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = parley_secret_lookup_finish (result, &error);

  if (error)
    {
      /* No Secret Service: say so rather than pretend to remember. */
      gtk_switch_set_active (self->remember_switch, FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->remember_switch), FALSE);
      adw_action_row_set_subtitle (self->remember_row, _("No keyring is running, so the password cannot be kept"));
      g_debug ("No keyring: %s", error->message);
      return;
    }
  if (password && *password)
    sign_in (self, password);
}

/* ---- other actions ------------------------------------------------------- */

static void
reconnect_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  ParleyWindow *self = user_data;

  if (self->client)
    parley_client_reconnect_now (self->client);
}

static void
go_back_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  ParleyWindow *self = user_data;

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
step_conversation (ParleyWindow *self,
                   int           step)
{
  GtkListBoxRow *selected = gtk_list_box_get_selected_row (self->conversation_list);
  int index = selected ? gtk_list_box_row_get_index (selected) + step : 0;
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->conversation_list, MAX (0, index));

  if (row)
    open_conversation (self, parley_conversation_row_get_conversation (PARLEY_CONVERSATION_ROW (row)));
}

static void
next_conversation_activated (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  step_conversation (user_data, 1);
}

static void
previous_conversation_activated (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  step_conversation (user_data, -1);
}

static void
search_customers_activated (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  ParleyWindow *self = user_data;

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  gtk_widget_grab_focus (GTK_WIDGET (self->customer_search));
}

static void
search_timeline_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  parley_customer_view_focus_search (PARLEY_WINDOW (user_data)->customer_view);
}

static void
folded_changed_cb (ParleyWindow *self)
{
  parley_customer_view_set_back_visible (self->customer_view, adw_leaflet_get_folded (self->leaflet));
}

/* ---- GObject ------------------------------------------------------------- */

static const GActionEntry action_entries[] = {
  { "sign-in", sign_in_activated },
  { "sign-out", sign_out_activated },
  { "presence", NULL, "s", "'offline'", presence_change_state },
  { "accept-offer", accept_offer_activated },
  { "reject-offer", reject_offer_activated },
  { "reconnect", reconnect_activated },
  { "go-back", go_back_activated },
  { "next-conversation", next_conversation_activated },
  { "previous-conversation", previous_conversation_activated },
  { "search-customers", search_customers_activated },
  { "search-timeline", search_timeline_activated },
  { "show-view", show_view_activated, "s" },
};

static gboolean
parley_window_close_request (GtkWindow *window)
{
  ParleyWindow *self = PARLEY_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  return GTK_WINDOW_CLASS (parley_window_parent_class)->close_request (window);
}

static void
parley_window_dispose (GObject *object)
{
  ParleyWindow *self = PARLEY_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->offer_source, g_source_remove);
  g_clear_handle_id (&self->queue_source, g_source_remove);
  g_queue_clear_full (&self->offers, (GDestroyNotify) json_object_unref);
  if (self->client)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      parley_client_sign_out (self->client);
    }
  if (self->plugins)
    parley_plugin_host_set_client (self->plugins, NULL);
  g_clear_object (&self->client);
  g_clear_object (&self->supervision);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARLEY_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->plugins);
  g_clear_pointer (&self->wanted_presence, g_free);
  G_OBJECT_CLASS (parley_window_parent_class)->dispose (object);
}

static void
parley_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ParleyWindow *self = PARLEY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_QUEUE_SHOWN:
      g_value_set_boolean (value, self->queue_shown);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_window_class_init (ParleyWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = parley_window_dispose;
  object_class->get_property = parley_window_get_property;

  /**
   * ParleyWindow:queue-shown:
   *
   * Whether the workspace has shown the queue since the window opened.
   */
  properties[PROP_QUEUE_SHOWN] =
    g_param_spec_boolean ("queue-shown", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  GTK_WINDOW_CLASS (klass)->close_request = parley_window_close_request;

  g_type_ensure (PARLEY_TYPE_CUSTOMER_VIEW);
  g_type_ensure (PARLEY_TYPE_HUB_SECURITY);
  g_type_ensure (PARLEY_TYPE_WALLBOARD);
  g_type_ensure (PARLEY_TYPE_AGENTS_BOARD);
  g_type_ensure (PARLEY_TYPE_LIVE_CONVERSATIONS);
  g_type_ensure (PARLEY_TYPE_SATISFACTION_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/parley/Parley/ui/parley-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, hub_url_row);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, login_row);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, remember_row);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, hub_security);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, login_error);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, offline_label);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, offer_revealer);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, offer_icon);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, offer_title);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, offer_subtitle);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, offer_countdown);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, presence_button);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, presence_icon);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, presence_label);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, customer_search);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, load_label);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, conversation_list);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, search_list);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, customer_view);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, supervisor_header);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, wallboard_page);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, agents_page);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, satisfaction_page);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, sidebar_menu_button);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, wallboard);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, agents_board);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, live_conversations);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, satisfaction_view);
}

static void
parley_window_init (ParleyWindow *self)
{
  g_autofree char *hub = NULL;
  g_autofree char *login = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APPLICATION_ID);
  self->rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_queue_init (&self->offers);
  g_action_map_add_action_entries (G_ACTION_MAP (self), action_entries, G_N_ELEMENTS (action_entries), self);
  enable_action (self, "sign-out", FALSE);
  enable_action (self, "reconnect", FALSE);
  enable_action (self, "show-view", FALSE);
  show_offer (self);

  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  hub = g_settings_get_string (self->settings, "hub-url");
  login = g_settings_get_string (self->settings, "login");
  parley_hub_security_set_settings (self->hub_security, self->settings);
  gtk_editable_set_text (GTK_EDITABLE (self->hub_url_row), hub);
  parley_hub_security_set_hub (self->hub_security, hub);
  g_signal_connect_swapped (self->hub_url_row, "changed", G_CALLBACK (hub_url_changed_cb), self);
  gtk_editable_set_text (GTK_EDITABLE (self->login_row), login);
  gtk_switch_set_active (self->remember_switch, g_settings_get_boolean (self->settings, "remember-password"));
  g_signal_connect_swapped (self->password_row, "entry-activated", G_CALLBACK (password_activated_cb), self);

  gtk_list_box_set_sort_func (self->conversation_list, sort_rows, NULL, NULL);
  gtk_list_box_set_header_func (self->conversation_list, header_func, NULL, NULL);
  g_signal_connect (self->conversation_list, "row-activated", G_CALLBACK (conversation_row_activated_cb), self);
  g_signal_connect (self->search_list, "row-activated", G_CALLBACK (search_row_activated_cb), self);
  g_signal_connect_swapped (self->customer_search, "search-changed", G_CALLBACK (customer_search_changed_cb), self);
  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (folded_changed_cb), self);
  folded_changed_cb (self);
  g_object_bind_property (self->switcher_title, "title-visible", self->switcher_bar, "reveal", G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->live_conversations, "watch", G_CALLBACK (watch_cb), self);
  g_signal_connect_swapped (self->satisfaction_view, "watch", G_CALLBACK (watch_cb), self);

  self->tick_source = g_timeout_add_seconds (5, tick_cb, self);
  self->queue_source = g_timeout_add_seconds (QUEUE_REFRESH_SECONDS, queue_refresh_cb, self);
  gtk_widget_grab_focus (GTK_WIDGET (self->login_row));
}

ParleyWindow *
parley_window_new (AdwApplication   *application,
                   ParleyPluginHost *plugins)
{
  ParleyWindow *self = g_object_new (PARLEY_TYPE_WINDOW, "application", application, NULL);
  g_autofree char *hub = g_settings_get_string (self->settings, "hub-url");
  g_autofree char *login = g_settings_get_string (self->settings, "login");

  self->plugins = g_object_ref (plugins);
  /* A remembered password signs in at once. */
  if (*login && g_settings_get_boolean (self->settings, "remember-password"))
    parley_secret_lookup_async (hub, login, self->cancellable, password_found_cb, g_object_ref (self));
  else
    parley_secret_lookup_async ("", "", self->cancellable, password_found_cb, g_object_ref (self));
  return self;
}
