/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-live-conversations"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <parley-ui.h>

#include "parley-dialogs.h"
#include "parley-figures.h"
#include "parley-live-conversation.h"
#include "parley-live-conversations.h"
#include "parley-live-store.h"

/* Conversations a supervisor acts on: waiting (queued, offered) and
 * active (assigned). */
static const char *listed_states[] = { "queued", "offered", "assigned" };

#define MAX_LISTED 500

/**
 * ParleyLiveConversations:
 *
 * Every waiting and active conversation, waiting ones first and oldest
 * first, kept live from the hub's conversation pushes (supervisors get
 * them all). Each row transfers or reassigns its conversation to a queue
 * or an agent, or watches it: #ParleyLiveConversations::watch hands the
 * conversation, with its agent's name, to whoever shows it read-only.
 */
struct _ParleyLiveConversations
{
  GtkWidget          parent_instance;

  ParleySupervision *supervision;
  GCancellable      *cancellable;
  ParleyLiveStore   *conversations;
  GtkSorter         *sorter;
  GtkLabel          *heading;
  GtkListView       *list;
  gint64             transferring;   /* the conversation the transfer dialog is for */
  guint              tick_source;
};

G_DEFINE_FINAL_TYPE (ParleyLiveConversations, parley_live_conversations, GTK_TYPE_WIDGET)

enum { WATCH, N_SIGNALS };

static guint signals[N_SIGNALS];

static const char *
customer_name (ParleyLiveConversation *conversation)
{
  const char *name = parley_live_conversation_get_customer_name (conversation);

  return name && *name ? name : _("Unknown customer");
}

static void
update_heading (ParleyLiveConversations *self)
{
  GListModel *model = G_LIST_MODEL (self->conversations);
  guint waiting = 0, n = g_list_model_get_n_items (model);
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ParleyLiveItem) item = g_list_model_get_item (model, i);

      waiting += parley_live_conversation_is_waiting (PARLEY_LIVE_CONVERSATION (item));
    }
  /* Translators: heading of the supervisor's conversation list */
  text = g_strdup_printf (_("Conversations: %u waiting, %u active"), waiting, n - waiting);
  gtk_label_set_text (self->heading, text);
}

static void
place (ParleyLiveConversations *self,
       JsonObject              *conversation)
{
  const char *state = json_object_get_string_member_with_default (conversation, "state", "");
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member_with_default (conversation, "id", 0));

  if (g_strv_contains (listed_states, state))
    {
      JsonObject *agent = parley_supervision_get_agent (self->supervision,
                                                        json_object_get_int_member_with_default (conversation, "agent_id", 0));
      ParleyLiveItem *row = parley_live_store_lookup (self->conversations, key);
      gboolean new_row = row == NULL;

      /* A new row comes filled in: its cells draw it as soon as it is added. */
      if (new_row)
        row = PARLEY_LIVE_ITEM (parley_live_conversation_new (key));
      parley_live_conversation_update (PARLEY_LIVE_CONVERSATION (row), conversation,
                                       agent ? json_object_get_string_member_with_default (agent, "name", NULL) : NULL);
      if (new_row)
        parley_live_store_add (self->conversations, row);
    }
  else
    parley_live_store_remove (self->conversations, key);
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ParleyLiveConversations) self = user_data;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);
  JsonArray *list = answer && json_object_has_member (answer, "conversations") ? json_object_get_array_member (answer, "conversations") : NULL;

  if (self->supervision == NULL)
    return;
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    place (self, json_array_get_object_element (list, i));
  gtk_sorter_changed (self->sorter, GTK_SORTER_CHANGE_DIFFERENT);
  update_heading (self);
}

static void
refresh_cb (ParleyLiveConversations *self)
{
  parley_live_store_clear (self->conversations);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  for (guint i = 0; i < G_N_ELEMENTS (listed_states); i++)
    {
      g_autofree char *path = g_strdup_printf ("conversations?state=%s&limit=%d", listed_states[i], MAX_LISTED);

      parley_client_request_async (parley_supervision_get_client (self->supervision), "GET", path, NULL,
                                   self->cancellable, listed_cb, g_object_ref (self));
    }
  update_heading (self);
}

static void
conversation_pushed_cb (ParleyLiveConversations *self,
                        const char              *type,
                        JsonObject              *message)
{
  JsonObject *conversation = parley_json_get_object (message, "conversation", FALSE, NULL);

  if (conversation == NULL)
    return;
  place (self, conversation);
  update_heading (self);
}

/* Waiting first, then active; oldest first in each. */
static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  ParleyLiveConversation *x = PARLEY_LIVE_CONVERSATION ((gpointer) a);
  ParleyLiveConversation *y = PARLEY_LIVE_CONVERSATION ((gpointer) b);
  gint64 cx = parley_live_conversation_get_created (x);
  gint64 cy = parley_live_conversation_get_created (y);

  if (parley_live_conversation_is_waiting (x) != parley_live_conversation_is_waiting (y))
    return parley_live_conversation_is_waiting (x) ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
  return cx < cy ? GTK_ORDERING_SMALLER : cx > cy ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

/* ---- rows --------------------------------------------------------------- */

static char *
row_detail (ParleyLiveConversations *self,
            ParleyLiveConversation  *conversation)
{
  const char *state = parley_live_conversation_get_state (conversation);
  const char *agent = parley_live_conversation_get_agent_name (conversation);
  JsonObject *queue = parley_supervision_get_queue (self->supervision, parley_live_conversation_get_queue_id (conversation));
  gint64 since = parley_live_conversation_is_waiting (conversation) ? parley_live_conversation_get_created (conversation)
                                                                    : parley_live_conversation_get_updated (conversation);
  g_autofree char *age = parley_figures_format_duration ((g_get_real_time () - since) / 1000);
  const char *channel = parley_ui_channel_directory_get_title (parley_ui_channel_directory_get_default (), parley_live_conversation_get_channel (conversation));

  agent = agent ? agent : "";
  /* The wait comes first: a narrow list cuts the end short. */
  if (g_str_equal (state, "queued"))
    /* Translators: a waiting conversation: how long it waits, channel,
     * queue, e.g. "waiting 12 min · Chat · Billing" */
    return g_strdup_printf (_("waiting %s · %s · %s"), age, channel,
                            queue ? json_object_get_string_member_with_default (queue, "name", "") : "");
  if (g_str_equal (state, "offered"))
    /* Translators: an offered conversation: how long it waits, channel,
     * agent, e.g. "waiting 12 s · Chat · offered to Bob" */
    return g_strdup_printf (_("waiting %s · %s · offered to %s"), age, channel, agent);
  /* Translators: an active conversation: for how long, channel, agent,
   * e.g. "for 3 min 5 s · Email · Alice" */
  return g_strdup_printf (_("for %s · %s · %s"), age, channel, agent);
}

static void
render_row (GtkWidget      *row,
            ParleyLiveItem *item)
{
  ParleyLiveConversations *self = g_object_get_data (G_OBJECT (row), "owner");
  ParleyLiveConversation *conversation = PARLEY_LIVE_CONVERSATION (item);
  const char *name = customer_name (conversation);
  g_autofree char *detail = row_detail (self, conversation);
  g_autofree char *watch = NULL;
  g_autofree char *transfer = NULL;

  gtk_image_set_from_icon_name (g_object_get_data (G_OBJECT (row), "icon"),
                                parley_ui_channel_directory_get_icon_name (parley_ui_channel_directory_get_default (), parley_live_conversation_get_channel (conversation)));
  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "name"), name);
  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "detail"), detail);
  /* Translators: accessible name of a row's button, %s is the customer */
  watch = g_strdup_printf (_("Watch %s"), name);
  /* Translators: accessible name of a row's button, %s is the customer */
  transfer = g_strdup_printf (_("Transfer %s"), name);
  gtk_accessible_update_property (g_object_get_data (G_OBJECT (row), "watch"), GTK_ACCESSIBLE_PROPERTY_LABEL, watch, -1);
  gtk_accessible_update_property (g_object_get_data (G_OBJECT (row), "transfer"), GTK_ACCESSIBLE_PROPERTY_LABEL, transfer, -1);
}

static void
item_changed_cb (ParleyLiveItem *item,
                 GtkWidget      *row)
{
  render_row (row, item);
}

static ParleyLiveItem *
row_item (GtkWidget *button)
{
  GtkListItem *list_item = g_object_get_data (G_OBJECT (gtk_widget_get_parent (button)), "list-item");

  return gtk_list_item_get_item (list_item);
}

static void
watch_clicked_cb (GtkButton               *button,
                  ParleyLiveConversations *self)
{
  ParleyLiveItem *item = row_item (GTK_WIDGET (button));
  ParleyLiveConversation *conversation = item ? PARLEY_LIVE_CONVERSATION (item) : NULL;
  JsonObject *record = conversation ? parley_live_conversation_get_record (conversation) : NULL;
  g_autoptr(JsonObject) shown = NULL;
  g_autoptr(GList) members = NULL;

  if (record == NULL)
    return;
  /* The customer view reads the hub's record, with who holds it. */
  shown = json_object_new ();
  members = json_object_get_members (record);
  for (GList *l = members; l; l = l->next)
    json_object_set_member (shown, l->data, json_node_copy (json_object_get_member (record, l->data)));
  if (parley_live_conversation_get_agent_name (conversation))
    json_object_set_string_member (shown, "agent_name", parley_live_conversation_get_agent_name (conversation));
  g_signal_emit (self, signals[WATCH], 0, shown);
}

static void
transferred_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ParleyLiveConversations) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) conversation = parley_client_request_finish (PARLEY_CLIENT (source), result, &error);
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (conversation == NULL && overlay)
    {
      /* Translators: a toast, then the hub's reason */
      g_autofree char *text = g_strdup_printf (_("Could not transfer: %s"), error->message);

      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
    }
  else if (conversation && self->supervision)
    {
      place (self, conversation);
      update_heading (self);
    }
}

static void
transfer_chosen_cb (GObject    *owner,
                    JsonObject *body)
{
  ParleyLiveConversations *self = PARLEY_LIVE_CONVERSATIONS (owner);
  g_autofree char *path = g_strdup_printf ("conversations/%" G_GINT64_FORMAT "/transfer", self->transferring);

  if (self->supervision)
    parley_client_request_async (parley_supervision_get_client (self->supervision), "POST", path, body, NULL,
                                 transferred_cb, g_object_ref (self));
}

static void
transfer_clicked_cb (GtkButton               *button,
                     ParleyLiveConversations *self)
{
  ParleyLiveItem *item = row_item (GTK_WIDGET (button));

  if (item == NULL || self->supervision == NULL)
    return;
  self->transferring = parley_live_conversation_get_id (PARLEY_LIVE_CONVERSATION (item));
  parley_transfer_dialog_present (GTK_WIDGET (self), parley_supervision_get_client (self->supervision),
                                  self->transferring, G_OBJECT (self), transfer_chosen_cb);
}

static GtkWidget *
row_button (ParleyLiveConversations *self,
            GtkWidget               *row,
            const char              *label,
            const char              *name,
            GCallback                clicked)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect (button, "clicked", clicked, self);
  g_object_set_data (G_OBJECT (row), name, button);
  gtk_box_append (GTK_BOX (row), button);
  return button;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          ParleyLiveConversations  *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);

  gtk_widget_add_css_class (row, "live-conversation");
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  /* Wrapped, not cut: the wait at its end is what the row is for. */
  gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (detail), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "numeric");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), name);
  gtk_box_append (GTK_BOX (texts), detail);
  gtk_box_append (GTK_BOX (row), icon);
  gtk_box_append (GTK_BOX (row), texts);
  g_object_set_data (G_OBJECT (row), "owner", self);
  g_object_set_data (G_OBJECT (row), "icon", icon);
  g_object_set_data (G_OBJECT (row), "name", name);
  g_object_set_data (G_OBJECT (row), "detail", detail);
  g_object_set_data (G_OBJECT (row), "list-item", list_item);
  row_button (self, row, _("_Transfer…"), "transfer", G_CALLBACK (transfer_clicked_cb));
  row_button (self, row, _("_Watch"), "watch", G_CALLBACK (watch_clicked_cb));
  gtk_list_item_set_child (list_item, row);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         ParleyLiveConversations  *self)
{
  GtkWidget *row = gtk_list_item_get_child (list_item);
  ParleyLiveItem *item = gtk_list_item_get_item (list_item);

  render_row (row, item);
  g_signal_connect_object (item, "changed", G_CALLBACK (item_changed_cb), row, 0);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           ParleyLiveConversations  *self)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (list_item), item_changed_cb,
                                        gtk_list_item_get_child (list_item));
}

static gboolean
tick_cb (gpointer user_data)
{
  ParleyLiveConversations *self = user_data;
  GListModel *model = G_LIST_MODEL (self->conversations);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ParleyLiveItem) item = g_list_model_get_item (model, i);

      parley_live_item_changed (item);
    }
  return G_SOURCE_CONTINUE;
}

/* ---- GObject ------------------------------------------------------------ */

/* Stops following the supervision and its client's pushes. */
static void
disconnect (ParleyLiveConversations *self)
{
  if (self->supervision == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->supervision, self);
  g_signal_handlers_disconnect_by_data (parley_supervision_get_client (self->supervision), self);
}

static void
parley_live_conversations_dispose (GObject *object)
{
  ParleyLiveConversations *self = PARLEY_LIVE_CONVERSATIONS (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  disconnect (self);
  g_clear_object (&self->supervision);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->conversations);
  G_OBJECT_CLASS (parley_live_conversations_parent_class)->dispose (object);
}

static void
parley_live_conversations_class_init (ParleyLiveConversationsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = parley_live_conversations_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "parley-live-conversations");

  /**
   * ParleyLiveConversations::watch:
   * @conversation: the conversation, with "agent_name" when someone holds it
   *
   * The supervisor wants to follow the conversation.
   */
  signals[WATCH] = g_signal_new ("watch", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
}

static void
parley_live_conversations_init (ParleyLiveConversations *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkSortListModel *sorted;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  self->cancellable = g_cancellable_new ();
  self->conversations = parley_live_store_new (PARLEY_TYPE_LIVE_CONVERSATION);
  self->heading = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->heading, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->heading), "heading");
  gtk_widget_set_margin_start (GTK_WIDGET (self->heading), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->heading), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->heading), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->heading), 6);
  gtk_widget_set_parent (GTK_WIDGET (self->heading), GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  self->sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows, NULL, NULL));
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->conversations)), self->sorter);
  self->list = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (sorted))), factory));
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "navigation-sidebar");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->heading, NULL, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->list));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_widget_set_parent (scroller, GTK_WIDGET (self));
  update_heading (self);
  self->tick_source = g_timeout_add_seconds (1, tick_cb, self);
}

void
parley_live_conversations_set_supervision (ParleyLiveConversations *self,
                                           ParleySupervision       *supervision)
{
  g_return_if_fail (PARLEY_IS_LIVE_CONVERSATIONS (self));
  disconnect (self);
  g_set_object (&self->supervision, supervision);
  parley_live_store_clear (self->conversations);
  update_heading (self);
  if (supervision == NULL)
    return;
  g_signal_connect_object (supervision, "refresh", G_CALLBACK (refresh_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (parley_supervision_get_client (supervision), "message::conversation",
                           G_CALLBACK (conversation_pushed_cb), self, G_CONNECT_SWAPPED);
}
