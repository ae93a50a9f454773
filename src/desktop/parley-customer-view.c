/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-customer-view"

#include "config.h"

#include <glib/gi18n.h>

#include "parley-customer-details.h"
#include "parley-customer-editor.h"
#include "parley-customer-view.h"
#include "parley-dialogs.h"
#include "parley-reply-composer.h"
#include "parley-timeline-view.h"

/**
 * ParleyCustomerView:
 *
 * The customer the agent is serving, put together from three parts: the
 * timeline (#ParleyTimelineView), the composer, which keeps a draft per
 * conversation (#ParleyReplyComposer), and the details pane
 * (#ParleyCustomerDetails). The view owns which customer and which
 * conversation are open, and their state as the hub last said; the parts
 * take the hub's pushes about their own content themselves. Its actions
 * live in the "customer" group, which the window installs so shortcuts
 * and toasts reach them; the composer adds its own to the group.
 */
struct _ParleyCustomerView
{
  GtkWidget              parent_instance;

  ParleyClient          *client;
  ParleyPluginHost      *plugins;
  GSettings             *settings;
  GSimpleActionGroup    *actions;
  GCancellable          *cancellable;

  JsonObject            *customer;
  JsonObject            *conversation;

  /* template children */
  AdwHeaderBar          *header;
  GtkWidget             *back_button;
  AdwWindowTitle        *title;
  GtkToggleButton       *details_toggle;
  GtkWidget             *customer_menu_button;
  GMenu                 *plugin_menu;     /* the channels' items in the customer menu */
  gint64                 plugin_menu_customer; /* whom plugin_menu's items act on */
  GtkWidget             *resolve_button;
  GtkWidget             *transfer_button;
  GtkStack              *stack;
  AdwFlap               *details_flap;
  ParleyTimelineView    *timeline;
  GtkWidget             *watch_bar;
  GtkLabel              *watch_label;
  ParleyReplyComposer   *composer;
  ParleyCustomerDetails *details;
};

G_DEFINE_FINAL_TYPE (ParleyCustomerView, parley_customer_view, GTK_TYPE_WIDGET)

static void show_customer (ParleyCustomerView *self, JsonObject *customer);
static void take_conversation (ParleyCustomerView *self, JsonObject *conversation);

/* ---- small helpers ------------------------------------------------------- */

static void
toast (ParleyCustomerView *self,
       const char         *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static void
toast_error (ParleyCustomerView *self,
             const char         *what,
             const GError       *error)
{
  /* Translators: "Could not send: <reason from the hub>" */
  g_autofree char *text = g_strdup_printf (_("%s: %s"), what, error->message);

  toast (self, text);
}

static gint64
customer_id (ParleyCustomerView *self)
{
  return self->customer ? json_object_get_int_member_with_default (self->customer, "id", 0) : 0;
}

static gint64
conversation_id (ParleyCustomerView *self)
{
  return self->conversation ? json_object_get_int_member_with_default (self->conversation, "id", 0) : 0;
}

static gboolean
conversation_open (ParleyCustomerView *self)
{
  const char *state;

  if (self->conversation == NULL)
    return FALSE;
  state = json_object_get_string_member_with_default (self->conversation, "state", "resolved");
  return !g_str_equal (state, "resolved");
}

/* A conversation another agent holds is watched, never written in: a
 * supervisor follows it live without reply, resolve or transfer here. */
static gboolean
watching (ParleyCustomerView *self)
{
  JsonObject *me = self->client ? parley_client_get_agent (self->client) : NULL;
  gint64 holder = self->conversation ? json_object_get_int_member_with_default (self->conversation, "agent_id", 0) : 0;

  return conversation_open (self) && holder > 0 && me && holder != json_object_get_int_member_with_default (me, "id", 0);
}

static void
enable_action (ParleyCustomerView *self,
               const char         *name,
               gboolean            enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* The channels' own customer actions act on the customer shown. */
static void
update_plugin_menu (ParleyCustomerView *self)
{
  gint64 customer = self->customer ? json_object_get_int_member_with_default (self->customer, "id", 0) : 0;

  if (self->plugins == NULL || customer == self->plugin_menu_customer)
    return;
  self->plugin_menu_customer = customer;
  parley_plugin_host_fill_customer_menu (self->plugins, self->plugin_menu, customer);
}

/* Tells every part what the agent may do with the open conversation. */
static void
update_state (ParleyCustomerView *self)
{
  gboolean has_customer = self->customer != NULL;
  gboolean read_only = watching (self);
  gboolean open = conversation_open (self) && !read_only;

  enable_action (self, "resolve", open);
  enable_action (self, "transfer", open);
  enable_action (self, "edit", has_customer);
  enable_action (self, "link", has_customer);
  enable_action (self, "merge", has_customer);
  enable_action (self, "details", has_customer);
  enable_action (self, "focus-timeline", has_customer);
  gtk_widget_set_visible (self->customer_menu_button, has_customer);
  update_plugin_menu (self);
  gtk_widget_set_visible (GTK_WIDGET (self->details_toggle), has_customer);
  gtk_widget_set_visible (self->resolve_button, open);
  gtk_widget_set_visible (self->transfer_button, open);
  gtk_widget_set_visible (GTK_WIDGET (self->composer), !read_only);
  gtk_widget_set_visible (self->watch_bar, read_only);
  if (read_only)
    {
      const char *holder = json_object_get_string_member_with_default (self->conversation, "agent_name", NULL);
      g_autofree char *text = holder && *holder
        /* Translators: over a conversation a supervisor watches; %s is the agent */
        ? g_strdup_printf (_("Watching: %s holds this conversation. It updates live; you cannot reply here."), holder)
        : g_strdup (_("Watching: another agent holds this conversation. It updates live; you cannot reply here."));

      gtk_label_set_text (self->watch_label, text);
    }
  parley_timeline_view_set_conversation (self->timeline, conversation_id (self), open);
  parley_reply_composer_set_conversation (self->composer, self->customer, self->conversation, open);
}

/* ---- resolve and transfer ------------------------------------------------ */

static void
conversation_changed_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(ParleyCustomerView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, &error);

  if (answer == NULL)
    {
      toast_error (self, _("The hub refused"), error);
      return;
    }
  /* The hub answers with the conversation as it is now. */
  take_conversation (self, answer);
}

static void
post_conversation (ParleyCustomerView *self,
                   const char         *verb,
                   JsonObject         *body)
{
  g_autofree char *path = g_strdup_printf ("conversations/%" G_GINT64_FORMAT "/%s", conversation_id (self), verb);

  parley_client_request_async (self->client, "POST", path, body, self->cancellable,
                               conversation_changed_cb, g_object_ref (self));
}

static void
resolve_chosen_cb (GObject    *owner,
                   const char *disposition)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_string_member (body, "disposition", disposition);
  post_conversation (PARLEY_CUSTOMER_VIEW (owner), "resolve", body);
}

static void
resolve_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  ParleyCustomerView *self = user_data;
  g_auto(GStrv) dispositions = g_settings_get_strv (self->settings, "dispositions");

  parley_resolve_dialog_present (GTK_WIDGET (self), (const char * const *) dispositions, G_OBJECT (self),
                                 resolve_chosen_cb);
}

static void
transfer_chosen_cb (GObject    *owner,
                    JsonObject *body)
{
  post_conversation (PARLEY_CUSTOMER_VIEW (owner), "transfer", body);
}

static void
transfer_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  ParleyCustomerView *self = user_data;

  parley_transfer_dialog_present (GTK_WIDGET (self), self->client, conversation_id (self), G_OBJECT (self),
                                  transfer_chosen_cb);
}

/* ---- customer: edit, link, merge ----------------------------------------- */

static void
customer_changed_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(ParleyCustomerView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, &error);
  JsonObject *customer = answer;

  if (answer == NULL)
    {
      toast_error (self, _("The hub refused"), error);
      return;
    }
  if (json_object_has_member (answer, "customer"))
    customer = json_object_get_object_member (answer, "customer");
  if (json_object_has_member (answer, "merge"))
    {
      gint64 merge = json_object_get_int_member (answer, "merge");
      AdwToast *done = adw_toast_new (_("Customers merged"));
      GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

      adw_toast_set_button_label (done, _("_Undo"));
      adw_toast_set_action_name (done, "customer.unmerge");
      adw_toast_set_action_target_value (done, g_variant_new_int64 (merge));
      adw_toast_set_timeout (done, 10);
      if (overlay)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), done);
    }
  if (json_object_has_member (answer, "restored"))
    toast (self, _("Merge undone"));
  show_customer (self, customer);
  parley_timeline_view_reload (self->timeline);
}

static void
customer_request (ParleyCustomerView *self,
                  const char         *method,
                  const char         *verb,
                  JsonObject         *body)
{
  g_autofree char *path = verb ? g_strdup_printf ("customers/%" G_GINT64_FORMAT "/%s", customer_id (self), verb)
                               : g_strdup_printf ("customers/%" G_GINT64_FORMAT, customer_id (self));

  parley_client_request_async (self->client, method, path, body, self->cancellable,
                               customer_changed_cb, g_object_ref (self));
}

/* Edit Customer saved: the name and attributes, then a new address. */
static void
editor_saved_cb (ParleyCustomerEditor *editor,
                 JsonObject           *body,
                 const char           *address,
                 ParleyCustomerView   *self)
{
  customer_request (self, "PATCH", NULL, body);
  if (address)
    {
      g_autoptr(JsonObject) identity = json_object_new ();

      /* An address with an @ is an email; the hub reads anything else as a phone number. */
      json_object_set_string_member (identity, "kind", strchr (address, '@') ? "email" : "phone");
      json_object_set_string_member (identity, "value", address);
      customer_request (self, "POST", "identities", identity);
    }
}

static void
edit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  ParleyCustomerView *self = user_data;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  ParleyCustomerEditor *editor = parley_customer_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->customer);

  g_signal_connect_object (editor, "save", G_CALLBACK (editor_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
link_response_cb (AdwMessageDialog   *dialog,
                  const char         *response,
                  ParleyCustomerView *self)
{
  g_autoptr(JsonObject) body = json_object_new ();

  if (!g_str_equal (response, "confirm"))
    return;
  json_object_set_string_member (body, "kind", parley_dialog_get_choice (g_object_get_data (G_OBJECT (dialog), "box")));
  json_object_set_string_member (body, "value", gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "value")));
  customer_request (self, "POST", "identities", body);
}

static void
link_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  ParleyCustomerView *self = user_data;
  AdwMessageDialog *dialog = parley_dialog_new (GTK_WIDGET (self), _("Link Identity"),
                                                _("Messages from this address will land in this customer’s timeline."),
                                                _("_Link"));
  GtkBox *box = parley_dialog_add_box (dialog);
  GtkCheckButton *group = parley_dialog_add_choice (box, parley_ui_identity_kind_title ("email"), "email", NULL);

  parley_dialog_add_choice (box, parley_ui_identity_kind_title ("phone"), "phone", group);
  parley_dialog_add_choice (box, _("Chat visitor"), "chat", group);
  parley_dialog_add_choice (box, _("Social handle"), "social", group);
  parley_dialog_add_choice (box, parley_ui_identity_kind_title ("sip"), "sip", group);
  g_object_set_data (G_OBJECT (dialog), "box", box);
  g_object_set_data (G_OBJECT (dialog), "value", parley_dialog_add_entry (box, _("Address"), NULL));
  g_signal_connect_object (dialog, "response", G_CALLBACK (link_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
merge_response_cb (AdwMessageDialog   *dialog,
                   const char         *response,
                   ParleyCustomerView *self)
{
  const char *choice = parley_dialog_get_choice (g_object_get_data (G_OBJECT (dialog), "box"));
  g_autoptr(JsonObject) body = json_object_new ();

  if (!g_str_equal (response, "confirm") || choice == NULL)
    return;
  json_object_set_int_member (body, "other", g_ascii_strtoll (choice, NULL, 10));
  customer_request (self, "POST", "merge", body);
}

/* Under a merge candidate, how to tell them apart: their identities,
 * which move into this customer with them. */
static void
show_candidate_identities (GtkBox         *box,
                           GtkCheckButton *check,
                           JsonObject     *candidate)
{
  JsonNode *node = json_object_get_member (candidate, "identities");
  JsonArray *identities = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  g_autoptr(GString) values = g_string_new (NULL);
  GtkWidget *label;

  for (guint i = 0; identities && i < json_array_get_length (identities); i++)
    g_string_append_printf (values, "%s%s", i ? " · " : "",
                            json_object_get_string_member_with_default (json_array_get_object_element (identities, i), "value", ""));
  if (values->len == 0)
    return;
  label = gtk_label_new (values->str);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_start (label, 28);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (box, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, values->str, -1);
}

static void
merge_candidates_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(AdwMessageDialog) dialog = user_data;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);
  GtkBox *box = g_object_get_data (G_OBJECT (dialog), "box");
  gint64 self_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "customer"));
  JsonArray *found = answer && json_object_has_member (answer, "customers") ? json_object_get_array_member (answer, "customers") : NULL;
  GtkCheckButton *group = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_next_sibling (GTK_WIDGET (g_object_get_data (G_OBJECT (dialog), "entry")))))
    gtk_box_remove (box, child);
  for (guint i = 0; found && i < json_array_get_length (found); i++)
    {
      JsonObject *customer = json_array_get_object_element (found, i);
      gint64 id = json_object_get_int_member (customer, "id");
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      /* Translators: a merge candidate: customer name and number */
      g_autofree char *label = g_strdup_printf (_("%s (#%s)"), json_object_get_string_member_with_default (customer, "name", ""), value);
      GtkCheckButton *check;

      if (id == self_id)
        continue;
      check = parley_dialog_add_choice (box, label, value, group);
      group = group ? group : check;
      show_candidate_identities (box, check, customer);
    }
  adw_message_dialog_set_response_enabled (dialog, "confirm", group != NULL);
}

static void
merge_search_cb (GtkSearchEntry   *entry,
                 AdwMessageDialog *dialog)
{
  ParleyClient *client = g_object_get_data (G_OBJECT (dialog), "client");
  GString *path = g_string_new ("customers?limit=8&q=");

  g_string_append_uri_escaped (path, gtk_editable_get_text (GTK_EDITABLE (entry)), NULL, FALSE);
  parley_client_request_async (client, "GET", path->str, NULL, NULL, merge_candidates_cb, g_object_ref (dialog));
  g_string_free (path, TRUE);
}

static void
merge_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  ParleyCustomerView *self = user_data;
  AdwMessageDialog *dialog = parley_dialog_new (GTK_WIDGET (self), _("Merge Duplicate"),
                                                _("The duplicate’s identities and history move into this customer. You can undo it."),
                                                _("_Merge"));
  GtkBox *box = parley_dialog_add_box (dialog);
  GtkWidget *entry = gtk_search_entry_new ();

  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Find the duplicate"), -1);
  g_object_set (entry, "placeholder-text", _("Name, email or phone"), NULL);
  gtk_box_append (box, entry);
  g_object_set_data (G_OBJECT (dialog), "box", box);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_object_set_data (G_OBJECT (dialog), "customer", GSIZE_TO_POINTER (customer_id (self)));
  g_object_set_data_full (G_OBJECT (dialog), "client", g_object_ref (self->client), g_object_unref);
  adw_message_dialog_set_response_enabled (dialog, "confirm", FALSE);
  g_signal_connect (entry, "search-changed", G_CALLBACK (merge_search_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (merge_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
unmerge_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  ParleyCustomerView *self = user_data;
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_int_member (body, "merge", g_variant_get_int64 (parameter));
  customer_request (self, "POST", "unmerge", body);
}

static void
details_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  ParleyCustomerView *self = user_data;
  gboolean shown = !g_variant_get_boolean (g_action_get_state (G_ACTION (action)));

  g_simple_action_set_state (action, g_variant_new_boolean (shown));
  adw_flap_set_reveal_flap (self->details_flap, shown);
}

/* The conversation's state as the subtitle names it. */
static const char *
state_short_title (const char *state)
{
  static const struct { const char *state; const char *title; } titles[] = {
    { "queued", N_("waiting") },
    { "offered", N_("offered") },
    { "assigned", N_("open") },
    { "wrap-up", N_("wrap-up") },
    { "resolved", N_("resolved") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_str_equal (state, titles[i].state))
      return _(titles[i].title);
  return state;
}

static void
update_subtitle (ParleyCustomerView *self)
{
  g_autofree char *subtitle = NULL;

  if (self->conversation)
    {
      const char *channel = json_object_get_string_member_with_default (self->conversation, "channel", "");
      const char *state = json_object_get_string_member_with_default (self->conversation, "state", "");
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, conversation_id (self));

      /* Translators: "Conversation 12 · Chat · open" */
      subtitle = g_strdup_printf (_("Conversation %s · %s · %s"), number,
                                  parley_ui_channel_directory_get_title (parley_ui_channel_directory_get_default (), channel), state_short_title (state));
    }
  adw_window_title_set_subtitle (self->title, subtitle ? subtitle : "");
}

/* Merges this customer (the visitor) into the one they were suggested to be. */
static void
confirm_match_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  ParleyCustomerView *self = user_data;
  g_autofree char *path = g_strdup_printf ("customers/%" G_GINT64_FORMAT "/merge", g_variant_get_int64 (parameter));
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_int_member (body, "other", customer_id (self));
  parley_client_request_async (self->client, "POST", path, body, self->cancellable,
                               customer_changed_cb, g_object_ref (self));
}


/* The open conversation as the hub says it is now (a push, or the answer
 * to the agent's own resolve or transfer). */
static void
take_conversation (ParleyCustomerView *self,
                   JsonObject         *conversation)
{
  JsonObject *copy;

  if (json_object_get_int_member_with_default (conversation, "id", -1) != conversation_id (self))
    return;
  copy = json_object_new ();
  {
    g_autoptr(GList) members = json_object_get_members (conversation);

    for (GList *l = members; l; l = l->next)
      json_object_set_member (copy, l->data, json_node_copy (json_object_get_member (conversation, l->data)));
  }
  /* The hub's conversation names no agent: keep the name we were given
   * while the same agent holds it. */
  if (!json_object_has_member (copy, "agent_name") && json_object_has_member (self->conversation, "agent_name") &&
      json_object_get_int_member_with_default (copy, "agent_id", 0) ==
      json_object_get_int_member_with_default (self->conversation, "agent_id", 0))
    json_object_set_string_member (copy, "agent_name", json_object_get_string_member (self->conversation, "agent_name"));
  g_clear_pointer (&self->conversation, json_object_unref);
  self->conversation = copy;
  update_subtitle (self);
  update_state (self);
}

static void
conversation_pushed_cb (ParleyClient       *client,
                        const char         *type,
                        JsonObject         *message,
                        ParleyCustomerView *self)
{
  JsonObject *conversation = parley_json_get_object (message, "conversation", FALSE, NULL);

  take_conversation (self, conversation ? conversation : message);
}

static void
customer_pushed_cb (ParleyClient       *client,
                    const char         *type,
                    JsonObject         *message,
                    ParleyCustomerView *self)
{
  JsonObject *customer = parley_json_get_object (message, "customer", FALSE, NULL);

  if (customer && json_object_get_int_member_with_default (customer, "id", -1) == customer_id (self))
    show_customer (self, customer);
}

static void
conversation_fetched_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(ParleyCustomerView) self = user_data;
  g_autoptr(JsonObject) conversation = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);

  if (conversation)
    take_conversation (self, conversation);
}

/* A conversation opened from a list may have changed since the list had
 * it (resolved elsewhere, transferred): the hub says how it is now. */
static void
fetch_conversation (ParleyCustomerView *self)
{
  g_autofree char *path = g_strdup_printf ("conversations/%" G_GINT64_FORMAT, conversation_id (self));

  parley_client_request_async (self->client, "GET", path, NULL, self->cancellable,
                               conversation_fetched_cb, g_object_ref (self));
}

/* ---- showing a customer -------------------------------------------------- */

static void
show_customer (ParleyCustomerView *self,
               JsonObject         *customer)
{
  const char *name = json_object_get_string_member_with_default (customer, "name", NULL);

  if (customer != self->customer)
    {
      json_object_ref (customer);
      g_clear_pointer (&self->customer, json_object_unref);
      self->customer = customer;
    }
  adw_window_title_set_title (self->title, name && *name ? name : _("Unknown customer"));
  parley_customer_details_show (self->details, customer, self->conversation);
  gtk_stack_set_visible_child_name (self->stack, "customer");
  update_state (self);
}

static void
customer_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ParleyCustomerView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) customer = parley_client_request_finish (PARLEY_CLIENT (source), result, &error);

  if (customer == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast_error (self, _("Could not open the customer"), error);
      return;
    }
  show_customer (self, customer);
  parley_timeline_view_set_customer (self->timeline, customer);
}

static void
load_customer (ParleyCustomerView *self,
               gint64              id)
{
  g_autofree char *path = g_strdup_printf ("customers/%" G_GINT64_FORMAT, id);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  parley_client_request_async (self->client, "GET", path, NULL, self->cancellable,
                               customer_loaded_cb, g_object_ref (self));
}

/* Escape in the composer: the keyboard goes back to the timeline. */
static void
focus_timeline_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  ParleyCustomerView *self = user_data;

  parley_timeline_view_focus_list (self->timeline);
}

/* The composer's reply or note shows at once from the hub's answer. */
static void
composer_sent_cb (ParleyReplyComposer *composer,
                  JsonObject          *event,
                  ParleyCustomerView  *self)
{
  parley_timeline_view_add_event (self->timeline, event);
}

/* ---- GObject ------------------------------------------------------------- */

static const GActionEntry action_entries[] = {
  { "resolve", resolve_activated },
  { "transfer", transfer_activated },
  { "edit", edit_activated },
  { "link", link_activated },
  { "merge", merge_activated },
  { "unmerge", unmerge_activated, "x" },
  { "confirm-match", confirm_match_activated, "x" },
  { "details", details_activated, NULL, "false" },
  { "focus-timeline", focus_timeline_activated },
};

static void
parley_customer_view_dispose (GObject *object)
{
  ParleyCustomerView *self = PARLEY_CUSTOMER_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->client)
    g_signal_handlers_disconnect_by_data (self->client, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARLEY_TYPE_CUSTOMER_VIEW);
  /* The template's outer box has no id, so disposing the template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->client);
  g_clear_object (&self->plugins);
  g_clear_object (&self->plugin_menu);
  g_clear_object (&self->settings);
  g_clear_object (&self->actions);
  G_OBJECT_CLASS (parley_customer_view_parent_class)->dispose (object);
}

static void
parley_customer_view_finalize (GObject *object)
{
  ParleyCustomerView *self = PARLEY_CUSTOMER_VIEW (object);

  g_clear_pointer (&self->customer, json_object_unref);
  g_clear_pointer (&self->conversation, json_object_unref);
  G_OBJECT_CLASS (parley_customer_view_parent_class)->finalize (object);
}

static void
parley_customer_view_class_init (ParleyCustomerViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = parley_customer_view_dispose;
  object_class->finalize = parley_customer_view_finalize;

  g_type_ensure (PARLEY_TYPE_TIMELINE_VIEW);
  g_type_ensure (PARLEY_TYPE_REPLY_COMPOSER);
  g_type_ensure (PARLEY_TYPE_CUSTOMER_DETAILS);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/parley/Parley/ui/parley-customer-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, header);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, back_button);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, title);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, details_toggle);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, customer_menu_button);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, resolve_button);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, transfer_button);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, stack);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, details_flap);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, timeline);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, watch_bar);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, watch_label);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, composer);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, details);
}

/* A folded details pane that closes itself (Escape, a click beside it)
 * says so to the action, whose state the toggle shows. A hidden pane
 * keeps its place in the focus chain unless told otherwise. */
static void
flap_revealed_cb (ParleyCustomerView *self)
{
  GAction *details = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "details");
  gboolean revealed = adw_flap_get_reveal_flap (self->details_flap);

  gtk_widget_set_can_focus (GTK_WIDGET (self->details), revealed);
  g_simple_action_set_state (G_SIMPLE_ACTION (details), g_variant_new_boolean (revealed));
}

static void
parley_customer_view_init (ParleyCustomerView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->plugin_menu = g_menu_new ();
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), action_entries, G_N_ELEMENTS (action_entries), self);
  g_signal_connect_swapped (self->details_flap, "notify::reveal-flap", G_CALLBACK (flap_revealed_cb), self);
  g_signal_connect (self->composer, "sent", G_CALLBACK (composer_sent_cb), self);
  /* The subtitle names the channel as the hub declares it. */
  g_signal_connect_object (parley_ui_channel_directory_get_default (), "changed",
                           G_CALLBACK (update_subtitle), self, G_CONNECT_SWAPPED);
  gtk_widget_set_visible (self->back_button, FALSE);
}

/* Hands the view what it works with; the window then installs
 * parley_customer_view's "customer" actions on itself. */
void
parley_customer_view_setup (ParleyCustomerView *self,
                            ParleyClient       *client,
                            ParleyPluginHost   *plugins,
                            GSettings          *settings)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));

  /* Called again on each sign-in, with a new client. */
  parley_customer_view_close (self);
  if (self->client)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  g_signal_connect_object (client, "message::conversation", G_CALLBACK (conversation_pushed_cb), self, 0);
  g_signal_connect_object (client, "message::customer", G_CALLBACK (customer_pushed_cb), self, 0);
  parley_timeline_view_setup (self->timeline, client, plugins);
  parley_customer_details_setup (self->details, client, plugins);
  parley_reply_composer_setup (self->composer, client, plugins, settings, G_ACTION_MAP (self->actions));
  if (self->settings != NULL)
    return;
  self->plugins = g_object_ref (plugins);
  self->settings = g_object_ref (settings);
  gtk_widget_insert_action_group (window ? window : GTK_WIDGET (self), "customer", G_ACTION_GROUP (self->actions));
  parley_plugin_host_insert_actions (plugins, window ? window : GTK_WIDGET (self));
  g_menu_append_section (G_MENU (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (self->customer_menu_button))),
                         NULL, G_MENU_MODEL (self->plugin_menu));
  update_state (self);
}

void
parley_customer_view_open_conversation (ParleyCustomerView *self,
                                        JsonObject         *conversation)
{
  gint64 customer = json_object_get_int_member_with_default (conversation, "customer_id", 0);

  g_clear_pointer (&self->conversation, json_object_unref);
  self->conversation = json_object_ref (conversation);
  update_subtitle (self);
  if (customer == customer_id (self))
    show_customer (self, self->customer);
  else
    {
      /* The composer turns to this conversation's draft at once, and
       * learns the customer's channels when they are in. */
      g_clear_pointer (&self->customer, json_object_unref);
      update_state (self);
      load_customer (self, customer);
    }
  fetch_conversation (self);
  if (json_object_has_member (conversation, "last_event") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (conversation, "last_event")))
    {
      JsonObject *last = json_object_get_object_member (conversation, "last_event");

      /* The preview lacks the conversation: it is this one. */
      json_object_set_int_member (last, "conversation_id", conversation_id (self));
      parley_timeline_view_mark_read (self->timeline, last);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->composer));
}

void
parley_customer_view_open_customer (ParleyCustomerView *self,
                                    gint64              id)
{
  g_clear_pointer (&self->conversation, json_object_unref);
  update_subtitle (self);
  load_customer (self, id);
}

void
parley_customer_view_close (ParleyCustomerView *self)
{
  g_clear_pointer (&self->conversation, json_object_unref);
  g_clear_pointer (&self->customer, json_object_unref);
  parley_reply_composer_forget_drafts (self->composer);
  parley_timeline_view_set_customer (self->timeline, NULL);
  adw_window_title_set_title (self->title, "");
  update_subtitle (self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  if (self->actions)
    update_state (self);
}

gint64
parley_customer_view_get_conversation_id (ParleyCustomerView *self)
{
  return conversation_id (self);
}

gint64
parley_customer_view_get_customer_id (ParleyCustomerView *self)
{
  return customer_id (self);
}

/* After a reconnection: whatever was pushed meanwhile is fetched again. */
void
parley_customer_view_resync (ParleyCustomerView *self)
{
  if (self->customer)
    load_customer (self, customer_id (self));
}

void
parley_customer_view_set_back_visible (ParleyCustomerView *self,
                                       gboolean            visible)
{
  gtk_widget_set_visible (self->back_button, visible);
}

/* Whether the view's header shows the window's buttons (close...): not
 * when a header above it already does. */
void
parley_customer_view_set_title_buttons (ParleyCustomerView *self,
                                        gboolean            visible)
{
  adw_header_bar_set_show_end_title_buttons (self->header, visible);
  adw_header_bar_set_show_start_title_buttons (self->header, visible);
}

void
parley_customer_view_focus_search (ParleyCustomerView *self)
{
  if (self->customer)
    parley_timeline_view_focus_search (self->timeline);
}
