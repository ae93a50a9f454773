/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-reply-composer"

#include "config.h"

#include <glib/gi18n.h>

#include "parley-reply-composer.h"

#define TYPING_RESENT_USEC (3 * G_USEC_PER_SEC)

/* What the agent has begun for one conversation: it waits there while
 * they work in another, and comes back when they return. */
typedef struct
{
  gint64        conversation_id;
  char         *text;
  char         *channel;      /* the reply channel picked; NULL until one is */
  gboolean      note;
  JsonObject   *attachment;   /* the file for the next reply, uploaded */
  char         *pending;      /* what the composer says of the file meanwhile */
  GCancellable *uploading;    /* while that file goes up */
} ReplyDraft;

static void
reply_draft_free (ReplyDraft *draft)
{
  g_cancellable_cancel (draft->uploading);
  g_clear_object (&draft->uploading);
  g_clear_pointer (&draft->attachment, json_object_unref);
  g_free (draft->pending);
  g_free (draft->text);
  g_free (draft->channel);
  g_free (draft);
}

/**
 * ParleyReplyComposer:
 *
 * The composer under the timeline: the reply channel (only those that can
 * reach this customer can be picked; the others say why not), the text
 * in the channel's own composer, a file for the next reply, canned
 * responses and internal notes. It keeps ONE DRAFT PER CONVERSATION:
 * opening another conversation puts the text, channel, file and note mode
 * away and brings out that conversation's own. Its actions are in the
 * "customer" group the customer view hands it.
 */
struct _ParleyReplyComposer
{
  GtkWidget             parent_instance;

  ParleyClient         *client;
  ParleyPluginHost     *plugins;
  GSettings            *settings;
  GActionMap           *actions;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;

  JsonObject           *customer;
  JsonObject           *conversation;
  gboolean              writable;
  GHashTable           *drafts;          /* conversation id → ReplyDraft */
  ReplyDraft           *draft;           /* the open conversation's */
  char                 *shown_kind;      /* the channel whose composer is shown */
  gint64                sending_for;     /* the conversation a reply goes to, while it does */
  gint64                typing_sent_at;  /* when we last told the hub the agent types */

  /* template children */
  GtkWidget            *box;
  GtkBox               *reply_channels;
  GtkToggleButton      *note_toggle;
  GtkMenuButton        *canned_button;
  GtkLabel             *composer_hint;
  GtkButton            *send_button;
  GtkLabel             *unreachable_label;
  GtkWidget            *attachment_bar;
  GtkLabel             *attachment_label;
  GtkSpinner           *attachment_spinner;
  AdwBin               *composer_bin;
};

G_DEFINE_FINAL_TYPE (ParleyReplyComposer, parley_reply_composer, GTK_TYPE_WIDGET)

enum { SENT, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
toast_error (ParleyReplyComposer *self,
             const char          *what,
             const GError        *error)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  /* Translators: "Could not send: <reason from the hub>" */
  g_autofree char *text = g_strdup_printf (_("%s: %s"), what, error->message);

  if (overlay)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static gint64
conversation_id (ParleyReplyComposer *self)
{
  return self->conversation ? json_object_get_int_member_with_default (self->conversation, "id", 0) : 0;
}

static GtkWidget *
current_composer (ParleyReplyComposer *self)
{
  return adw_bin_get_child (self->composer_bin);
}

static void
enable (ParleyReplyComposer *self,
        const char          *name,
        gboolean             enabled)
{
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (self->actions, name)), enabled);
}

static void
update_actions (ParleyReplyComposer *self)
{
  gboolean open = self->writable && self->draft != NULL;
  gboolean busy = self->draft && self->draft->uploading != NULL;

  if (self->actions == NULL)
    return;
  enable (self, "send", open && self->draft->channel != NULL && !busy && self->sending_for == 0);
  enable (self, "attach", open);
  enable (self, "remove-attachment", self->draft && (self->draft->attachment != NULL || busy));
  enable (self, "note", open);
  enable (self, "next-channel", open);
  enable (self, "canned", open);
  enable (self, "focus-composer", open);
  gtk_widget_set_sensitive (GTK_WIDGET (self->canned_button), open);
  gtk_widget_set_sensitive (self->box, open && self->sending_for == 0);
}

/* ---- note mode ------------------------------------------------------------- */

/* A note looks like a note before it is one: the composer takes the
 * note colour and the button says what it does. */
static void
show_note_mode (ParleyReplyComposer *self)
{
  gboolean note = self->draft && self->draft->note;

  if (self->actions == NULL)
    return;
  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (self->actions, "note")),
                             g_variant_new_boolean (note));
  gtk_label_set_text (self->composer_hint, note ? _("Only agents will see this note") : "");
  gtk_button_set_label (self->send_button, note ? _("Add Note") : _("Send"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->send_button), note ? _("Add Note (Ctrl+Enter)") : _("Send (Ctrl+Enter)"));
  if (note)
    gtk_widget_add_css_class (GTK_WIDGET (self), "note-mode");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "note-mode");
}

static void
note_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  ParleyReplyComposer *self = user_data;

  if (self->draft == NULL)
    return;
  self->draft->note = !self->draft->note;
  show_note_mode (self);
}

/* ---- reply channels -------------------------------------------------------- */

/* Why @kind cannot reach this customer, or NULL when it can. */
static const char *
unreachable_reason (ParleyReplyComposer *self,
                    const char          *kind)
{
  ParleyUiChannelDirectory *directory = parley_ui_channel_directory_get_default ();

  if (parley_ui_channel_directory_lookup (directory, kind) == NULL)
    return _("not running on this hub");
  /* The customer wrote on the conversation's own channel: it reaches them. */
  if (!parley_ui_channel_directory_reaches (directory, kind, self->customer ? json_object_get_array_member (self->customer, "identities") : NULL) &&
      g_strcmp0 (kind, self->conversation ? json_object_get_string_member_with_default (self->conversation, "channel", NULL) : NULL) != 0)
    return _("no address for this channel");
  return NULL;
}

/* The channels to show: the conversation's own first, then every one the
 * hub runs. */
static GPtrArray *
candidate_kinds (ParleyReplyComposer *self)
{
  GPtrArray *kinds = g_ptr_array_new ();
  const char *own = self->conversation ? json_object_get_string_member_with_default (self->conversation, "channel", NULL) : NULL;
  const char * const *running = parley_ui_channel_directory_get_kinds (parley_ui_channel_directory_get_default ());

  if (own && !g_str_equal (own, "system"))
    g_ptr_array_add (kinds, (gpointer) own);
  for (guint i = 0; running[i]; i++)
    if (g_strcmp0 (running[i], own) != 0)
      g_ptr_array_add (kinds, (gpointer) running[i]);
  return kinds;
}

static void
show_reply_kind (ParleyReplyComposer *self)
{
  const char *kind = self->draft ? self->draft->channel : NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->reply_channels)); child;
       child = gtk_widget_get_next_sibling (child))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child),
                                  g_strcmp0 (g_object_get_data (G_OBJECT (child), "kind"), kind) == 0);

  /* Each channel brings its own composer; the text travels along. */
  if (kind && g_strcmp0 (kind, self->shown_kind) != 0)
    {
      GtkWidget *old = current_composer (self);
      g_autofree char *text = old ? parley_ui_composer_dup_text (PARLEY_UI_COMPOSER (old)) : NULL;
      GtkWidget *composer = parley_ui_channel_create_composer (parley_plugin_host_get_channel (self->plugins, kind));

      adw_bin_set_child (self->composer_bin, composer);
      if (text && *text)
        parley_ui_composer_insert_text (PARLEY_UI_COMPOSER (composer), text);
      g_free (self->shown_kind);
      self->shown_kind = g_strdup (kind);
    }
  update_actions (self);
}

static void
reply_toggled_cb (GtkToggleButton     *button,
                  ParleyReplyComposer *self)
{
  const char *kind = g_object_get_data (G_OBJECT (button), "kind");

  if (!gtk_toggle_button_get_active (button) || self->draft == NULL || g_strcmp0 (kind, self->draft->channel) == 0)
    return;
  g_free (self->draft->channel);
  self->draft->channel = g_strdup (kind);
  show_reply_kind (self);
}

static GtkWidget *
channel_button (ParleyReplyComposer *self,
                const char          *kind,
                const char          *reason)
{
  ParleyUiChannel *channel = parley_plugin_host_get_channel (self->plugins, kind);
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *content = adw_button_content_new ();
  /* Translators: accessible name of a reply channel toggle, e.g. "Reply on Email" */
  g_autofree char *label = g_strdup_printf (_("Reply on %s"), parley_ui_channel_get_title (channel));

  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), parley_ui_channel_get_icon_name (channel));
  adw_button_content_set_label (ADW_BUTTON_CONTENT (content), parley_ui_channel_get_title (channel));
  gtk_button_set_child (GTK_BUTTON (button), content);
  gtk_widget_add_css_class (button, "channel");
  gtk_widget_add_css_class (button, kind);
  g_object_set_data_full (G_OBJECT (button), "kind", g_strdup (kind), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  if (reason)
    {
      /* Insensitive widgets show no tooltip: the reason is also in the
       * caption under the switcher, and in the accessible description. */
      gtk_widget_set_sensitive (button, FALSE);
      gtk_widget_set_tooltip_text (button, reason);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason, -1);
    }
  g_signal_connect (button, "toggled", G_CALLBACK (reply_toggled_cb), self);
  return button;
}

/* Shows the channels for this customer and picks the draft's (or the
 * conversation's own, or the first that can reach them). */
static void
rebuild_reply_channels (ParleyReplyComposer *self)
{
  g_autoptr(GPtrArray) kinds = NULL;
  g_autoptr(GString) unreachable = g_string_new (NULL);
  GtkToggleButton *group = NULL;
  GtkWidget *child;
  const char *pick = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->reply_channels))))
    gtk_box_remove (self->reply_channels, child);
  kinds = self->customer ? candidate_kinds (self) : g_ptr_array_new ();
  for (guint i = 0; i < kinds->len; i++)
    {
      const char *kind = g_ptr_array_index (kinds, i);
      const char *reason = unreachable_reason (self, kind);
      GtkWidget *button = channel_button (self, kind, reason);

      if (group)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      gtk_box_append (self->reply_channels, button);
      if (reason)
        {
          /* Translators: a channel that cannot reach the customer, and why: "SMS: no address for this channel" */
          g_autofree char *line = g_strdup_printf (_("%s: %s"), parley_ui_channel_directory_get_title (parley_ui_channel_directory_get_default (), kind), reason);

          g_string_append_printf (unreachable, "%s%s", unreachable->len ? " · " : "", line);
        }
      else if (pick == NULL || (self->draft && g_strcmp0 (kind, self->draft->channel) == 0))
        pick = kind;
    }
  gtk_label_set_text (self->unreachable_label, unreachable->str);
  gtk_widget_set_visible (GTK_WIDGET (self->unreachable_label), unreachable->len > 0);
  /* Without the customer yet, the draft keeps the channel it had. */
  if (self->draft && pick && g_strcmp0 (pick, self->draft->channel) != 0)
    {
      g_free (self->draft->channel);
      self->draft->channel = g_strdup (pick);
    }
  show_reply_kind (self);
}

static void
next_channel_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  ParleyReplyComposer *self = user_data;
  GtkWidget *first = NULL, *next = NULL;
  gboolean after_current = FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->reply_channels)); child;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_sensitive (child))
        continue;
      if (first == NULL)
        first = child;
      if (after_current && next == NULL)
        next = child;
      if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (child)))
        after_current = TRUE;
    }
  if (next == NULL)
    next = first;
  if (next)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (next), TRUE);
  /* The channel is switched to write on it: one shortcut, then the text. */
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

/* ---- the file for the next reply ------------------------------------------- */

/* What the composer says of the open conversation's file. */
static void
show_attachment (ParleyReplyComposer *self)
{
  ReplyDraft *draft = self->draft;
  gboolean busy = draft && draft->uploading != NULL;
  const char *text = draft ? draft->pending : NULL;

  gtk_label_set_text (self->attachment_label, text ? text : "");
  gtk_widget_set_visible (self->attachment_bar, text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->attachment_spinner), busy);
  gtk_spinner_set_spinning (self->attachment_spinner, busy);
  update_actions (self);
}

static void
set_draft_file (ReplyDraft *draft,
                JsonObject *attachment,
                const char *pending)
{
  g_cancellable_cancel (draft->uploading);
  g_clear_object (&draft->uploading);
  g_clear_pointer (&draft->attachment, json_object_unref);
  draft->attachment = attachment ? json_object_ref (attachment) : NULL;
  g_free (draft->pending);
  draft->pending = g_strdup (pending);
}

typedef struct
{
  ParleyReplyComposer *self;
  gint64               conversation_id;
} Upload;

static void
uploaded_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Upload *upload = user_data;
  g_autoptr(ParleyReplyComposer) self = upload->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = parley_client_upload_finish (PARLEY_CLIENT (source), result, &error);
  ReplyDraft *draft = self->drafts ? g_hash_table_lookup (self->drafts, &upload->conversation_id) : NULL;
  g_autofree char *size = NULL;
  g_autofree char *text = NULL;
  JsonObject *attachment = NULL;

  g_free (upload);
  /* Removed, replaced, or the conversation's draft given up meanwhile. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || draft == NULL)
    return;
  g_clear_object (&draft->uploading);
  if (answer == NULL || !(attachment = parley_json_get_object (answer, "attachment", TRUE, &error)))
    {
      set_draft_file (draft, NULL, NULL);
      toast_error (self, _("Could not attach the file"), error);
    }
  else
    {
      size = g_format_size (json_object_get_int_member_with_default (attachment, "size", 0));
      /* Translators: the file that goes with the next reply: its name, then its size */
      text = g_strdup_printf (_("%s (%s)"), json_object_get_string_member_with_default (attachment, "name", ""), size);
      set_draft_file (draft, attachment, text);
    }
  if (draft == self->draft)
    show_attachment (self);
}

/* Sends the file up for this conversation at once, so that Send only has
 * to name it; the window stays responsive meanwhile, and the file lands
 * in its conversation's draft even if the agent has moved on. */
static void
attach_file (ParleyReplyComposer *self,
             GFile               *file)
{
  g_autofree char *path = g_strdup_printf ("conversations/%" G_GINT64_FORMAT "/attachments", conversation_id (self));
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *name = g_filename_display_name (basename);
  /* Translators: while a file goes up to the hub; %s is its name */
  g_autofree char *text = g_strdup_printf (_("Attaching %s…"), name);
  Upload *upload = g_new0 (Upload, 1);

  upload->self = g_object_ref (self);
  upload->conversation_id = conversation_id (self);
  set_draft_file (self->draft, NULL, text);
  self->draft->uploading = g_cancellable_new ();
  show_attachment (self);
  parley_client_upload_async (self->client, path, file, self->draft->uploading, uploaded_cb, upload);
}

static void
chooser_response_cb (GtkNativeDialog     *chooser,
                     int                  response,
                     ParleyReplyComposer *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->writable && self->draft &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))))
    attach_file (self, file);
  g_clear_object (&self->chooser);
}

static void
attach_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  ParleyReplyComposer *self = user_data;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char * const *types = parley_attachment_get_types ();
  g_autoptr(GtkFileFilter) filter = NULL;

  /* GTK 4.8 has no GtkFileDialog; the native chooser uses the portal
   * where there is one. */
  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Attach File"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Attach"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Pictures, PDF Documents and Text"));
  for (guint i = 0; types[i]; i++)
    gtk_file_filter_add_mime_type (filter, types[i]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
remove_attachment_activated (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  ParleyReplyComposer *self = user_data;

  if (self->draft == NULL)
    return;
  set_draft_file (self->draft, NULL, NULL);
  show_attachment (self);
}

/* ---- sending --------------------------------------------------------------- */

typedef struct
{
  ParleyReplyComposer *self;
  gint64               conversation_id;
} Sending;

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sending *sending = user_data;
  g_autoptr(ParleyReplyComposer) self = sending->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, &error);
  ReplyDraft *draft = self->drafts ? g_hash_table_lookup (self->drafts, &sending->conversation_id) : NULL;
  JsonObject *event = answer ? parley_json_get_object (answer, "event", FALSE, NULL) : NULL;

  g_free (sending);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->sending_for = 0;
  update_actions (self);
  if (answer == NULL)
    {
      toast_error (self, _("Could not send"), error);
      return;
    }
  if (draft)
    {
      JsonObject *metadata = event ? parley_json_get_object (event, "metadata", FALSE, NULL) : NULL;

      g_clear_pointer (&draft->text, g_free);
      if (draft == self->draft && current_composer (self))
        parley_ui_composer_clear (PARLEY_UI_COMPOSER (current_composer (self)));
      draft->note = FALSE;
      /* The file went with it (a note leaves it for the next reply). */
      if (metadata && json_object_has_member (metadata, "attachment"))
        set_draft_file (draft, NULL, NULL);
      if (draft == self->draft)
        {
          show_note_mode (self);
          show_attachment (self);
        }
    }
  if (event)
    g_signal_emit (self, signals[SENT], 0, event);
}

static void
send_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  ParleyReplyComposer *self = user_data;
  GtkWidget *composer = current_composer (self);
  g_autofree char *text = composer ? parley_ui_composer_dup_text (PARLEY_UI_COMPOSER (composer)) : NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *path = NULL;
  ReplyDraft *draft = self->draft;
  gboolean has_text = text != NULL && *g_strstrip (text) != '\0';
  gboolean with_file;
  Sending *sending;

  /* A reply may be a file alone; a note is always text. */
  if (draft == NULL || !self->writable || self->sending_for != 0)
    return;
  with_file = !draft->note && draft->attachment != NULL;
  if (!has_text && !with_file)
    return;
  if (has_text)
    json_object_set_string_member (body, "text", text);
  if (draft->note)
    path = g_strdup_printf ("conversations/%" G_GINT64_FORMAT "/notes", conversation_id (self));
  else
    {
      json_object_set_string_member (body, "channel", draft->channel);
      if (with_file)
        json_object_set_string_member (body, "attachment", json_object_get_string_member (draft->attachment, "id"));
      path = g_strdup_printf ("conversations/%" G_GINT64_FORMAT "/messages", conversation_id (self));
    }
  /* No double sends while the hub commits. */
  self->sending_for = conversation_id (self);
  update_actions (self);
  sending = g_new0 (Sending, 1);
  sending->self = g_object_ref (self);
  sending->conversation_id = self->sending_for;
  parley_client_request_async (self->client, "POST", path, body, self->cancellable, sent_cb, sending);
}

/* ---- canned responses ------------------------------------------------------ */

/* Fills in {customer.name}, {customer.first_name}, {agent.name} and
 * {agent.first_name}. */
static char *
expand_placeholders (ParleyReplyComposer *self,
                     const char          *template)
{
  JsonObject *agent = self->client ? parley_client_get_agent (self->client) : NULL;
  const char *customer_name = self->customer ? json_object_get_string_member_with_default (self->customer, "name", "") : "";
  const char *agent_name = agent ? json_object_get_string_member_with_default (agent, "name", "") : "";
  g_auto(GStrv) customer_words = g_strsplit (customer_name ? customer_name : "", " ", 2);
  g_auto(GStrv) agent_words = g_strsplit (agent_name ? agent_name : "", " ", 2);
  const char *names[][2] = {
    { "{customer.name}", customer_name ? customer_name : "" },
    { "{customer.first_name}", customer_words[0] ? customer_words[0] : "" },
    { "{agent.name}", agent_name ? agent_name : "" },
    { "{agent.first_name}", agent_words[0] ? agent_words[0] : "" },
  };
  GString *text = g_string_new (template);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_string_replace (text, names[i][0], names[i][1], 0);
  return g_string_free (text, FALSE);
}

static void
canned_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  ParleyReplyComposer *self = user_data;
  g_autofree char *text = expand_placeholders (self, g_variant_get_string (parameter, NULL));

  if (current_composer (self))
    parley_ui_composer_insert_text (PARLEY_UI_COMPOSER (current_composer (self)), text);
}

/* The menu shows each response as it will read for this customer; menu
 * labels take "_" as a mnemonic, so a real one is doubled. */
static void
rebuild_canned_menu (ParleyReplyComposer *self)
{
  g_auto(GStrv) canned = NULL;
  g_autoptr(GMenu) menu = g_menu_new ();

  if (self->settings == NULL)
    return;
  canned = g_settings_get_strv (self->settings, "canned-responses");
  for (guint i = 0; canned[i]; i++)
    {
      g_autofree char *text = expand_placeholders (self, canned[i]);
      g_autoptr(GString) label = g_string_new (text);
      g_autoptr(GMenuItem) item = NULL;

      g_string_replace (label, "_", "__", 0);
      item = g_menu_item_new (label->str, NULL);
      g_menu_item_set_action_and_target_value (item, "customer.canned", g_variant_new_string (canned[i]));
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (self->canned_button, G_MENU_MODEL (menu));
}

/* ---- typing and focus ------------------------------------------------------ */

static void
typing_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  /* Best effort: a channel that cannot show typing ignores it. */
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);
}

/* Keys pressed in the composer tell the customer the agent is typing;
 * Escape hands the keyboard back to the timeline. */
static gboolean
composer_key_pressed_cb (GtkEventControllerKey *keys,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         ParleyReplyComposer   *self)
{
  gint64 now = g_get_monotonic_time ();

  if (keyval == GDK_KEY_Escape)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "customer.focus-timeline", NULL);
      return GDK_EVENT_STOP;
    }
  if (self->writable && self->draft && self->draft->channel && !self->draft->note &&
      now - self->typing_sent_at > TYPING_RESENT_USEC)
    {
      g_autoptr(JsonObject) body = json_object_new ();
      g_autofree char *path = g_strdup_printf ("conversations/%" G_GINT64_FORMAT "/activity", conversation_id (self));

      self->typing_sent_at = now;
      json_object_set_string_member (body, "activity", "typing");
      json_object_set_string_member (body, "channel", self->draft->channel);
      parley_client_request_async (self->client, "POST", path, body, NULL, typing_sent_cb, NULL);
    }
  return GDK_EVENT_PROPAGATE;
}

static gboolean
parley_reply_composer_grab_focus (GtkWidget *widget)
{
  GtkWidget *composer = current_composer (PARLEY_REPLY_COMPOSER (widget));

  return composer && gtk_widget_grab_focus (composer);
}

/* Tab and Shift+Tab through the composer: its controls, then the text,
 * its last stop. GTK 4.8 kept the focus in the text when asked to move it
 * on (Shift+Tab never left the composer), and moving back from the first
 * control came round to the text again: from the text the focus moves as
 * if it were not there, and a move that comes round is no move. */
static gboolean
parley_reply_composer_focus (GtkWidget        *widget,
                             GtkDirectionType  direction)
{
  ParleyReplyComposer *self = PARLEY_REPLY_COMPOSER (widget);
  GtkWidget *text = GTK_WIDGET (self->composer_bin);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  gboolean from_text = focus && gtk_widget_is_ancestor (focus, text);
  gboolean from_controls = focus && !from_text && gtk_widget_is_ancestor (focus, widget);
  gboolean to_text;

  if (direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD)
    return GTK_WIDGET_CLASS (parley_reply_composer_parent_class)->focus (widget, direction);
  gtk_widget_set_can_focus (text, !from_text);
  if (!GTK_WIDGET_CLASS (parley_reply_composer_parent_class)->focus (widget, direction))
    {
      gtk_widget_set_can_focus (text, TRUE);
      return FALSE;
    }
  gtk_widget_set_can_focus (text, TRUE);
  focus = gtk_root_get_focus (root);
  to_text = focus && gtk_widget_is_ancestor (focus, text);
  if (from_text)
    return direction == GTK_DIR_TAB_BACKWARD && !to_text;
  return !(from_controls && direction == GTK_DIR_TAB_BACKWARD && to_text);
}

static void
focus_composer_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer      user_data)
{
  gtk_widget_grab_focus (GTK_WIDGET (user_data));
}

/* ---- drafts ---------------------------------------------------------------- */

/* Puts the text away in the open conversation's draft. */
static void
keep_text (ParleyReplyComposer *self)
{
  GtkWidget *composer = current_composer (self);

  if (self->draft == NULL || composer == NULL)
    return;
  g_free (self->draft->text);
  self->draft->text = parley_ui_composer_dup_text (PARLEY_UI_COMPOSER (composer));
}

static ReplyDraft *
draft_for (ParleyReplyComposer *self,
           gint64               id)
{
  ReplyDraft *draft = g_hash_table_lookup (self->drafts, &id);

  if (draft == NULL)
    {
      draft = g_new0 (ReplyDraft, 1);
      draft->conversation_id = id;
      g_hash_table_insert (self->drafts, &draft->conversation_id, draft);
    }
  return draft;
}

/* Brings out the open conversation's draft: channel, text, note mode, file. */
static void
show_draft (ParleyReplyComposer *self)
{
  GtkWidget *composer;

  rebuild_reply_channels (self);
  composer = current_composer (self);
  if (composer)
    {
      parley_ui_composer_clear (PARLEY_UI_COMPOSER (composer));
      if (self->draft && self->draft->text && *self->draft->text)
        parley_ui_composer_insert_text (PARLEY_UI_COMPOSER (composer), self->draft->text);
    }
  show_note_mode (self);
  show_attachment (self);
}

/* ---- GObject --------------------------------------------------------------- */

static void
parley_reply_composer_dispose (GObject *object)
{
  ParleyReplyComposer *self = PARLEY_REPLY_COMPOSER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  self->draft = NULL;
  g_clear_pointer (&self->drafts, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARLEY_TYPE_REPLY_COMPOSER);
  g_clear_object (&self->client);
  g_clear_object (&self->plugins);
  g_clear_object (&self->settings);
  g_clear_object (&self->actions);
  G_OBJECT_CLASS (parley_reply_composer_parent_class)->dispose (object);
}

static void
parley_reply_composer_finalize (GObject *object)
{
  ParleyReplyComposer *self = PARLEY_REPLY_COMPOSER (object);

  g_clear_pointer (&self->customer, json_object_unref);
  g_clear_pointer (&self->conversation, json_object_unref);
  g_free (self->shown_kind);
  G_OBJECT_CLASS (parley_reply_composer_parent_class)->finalize (object);
}

static void
parley_reply_composer_class_init (ParleyReplyComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = parley_reply_composer_dispose;
  object_class->finalize = parley_reply_composer_finalize;
  widget_class->grab_focus = parley_reply_composer_grab_focus;
  widget_class->focus = parley_reply_composer_focus;

  /**
   * ParleyReplyComposer::sent:
   * @event: the event the hub made of the reply or note
   *
   * The hub took a reply or a note.
   */
  signals[SENT] = g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                G_TYPE_NONE, 1, JSON_TYPE_OBJECT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/parley/Parley/ui/parley-reply-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, ParleyReplyComposer, box);
  gtk_widget_class_bind_template_child (widget_class, ParleyReplyComposer, reply_channels);
  gtk_widget_class_bind_template_child (widget_class, ParleyReplyComposer, note_toggle);
  gtk_widget_class_bind_template_child (widget_class, ParleyReplyComposer, canned_button);
  gtk_widget_class_bind_template_child (widget_class, ParleyReplyComposer, composer_hint);
  gtk_widget_class_bind_template_child (widget_class, ParleyReplyComposer, send_button);
  gtk_widget_class_bind_template_child (widget_class, ParleyReplyComposer, unreachable_label);
  gtk_widget_class_bind_template_child (widget_class, ParleyReplyComposer, attachment_bar);
  gtk_widget_class_bind_template_child (widget_class, ParleyReplyComposer, attachment_label);
  gtk_widget_class_bind_template_child (widget_class, ParleyReplyComposer, attachment_spinner);
  gtk_widget_class_bind_template_child (widget_class, ParleyReplyComposer, composer_bin);
}

static void
parley_reply_composer_init (ParleyReplyComposer *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->drafts = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) reply_draft_free);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (composer_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->composer_bin), keys);
  g_signal_connect_object (parley_ui_channel_directory_get_default (), "changed",
                           G_CALLBACK (rebuild_reply_channels), self, G_CONNECT_SWAPPED);
}

static const GActionEntry action_entries[] = {
  { "send", send_activated },
  { "note", note_activated, NULL, "false" },
  { "attach", attach_activated },
  { "remove-attachment", remove_attachment_activated },
  { "next-channel", next_channel_activated },
  { "canned", canned_activated, "s" },
  { "focus-composer", focus_composer_activated },
};

/* Hands the composer what it works with (the client again on each
 * sign-in) and the "customer" action map its actions go into. */
void
parley_reply_composer_setup (ParleyReplyComposer *self,
                             ParleyClient        *client,
                             ParleyPluginHost    *plugins,
                             GSettings           *settings,
                             GActionMap          *actions)
{
  g_return_if_fail (PARLEY_IS_REPLY_COMPOSER (self));

  g_set_object (&self->client, client);
  if (self->settings != NULL)
    return;
  self->plugins = g_object_ref (plugins);
  self->settings = g_object_ref (settings);
  self->actions = g_object_ref (actions);
  g_action_map_add_action_entries (actions, action_entries, G_N_ELEMENTS (action_entries), self);
  g_signal_connect_object (settings, "changed::canned-responses", G_CALLBACK (rebuild_canned_menu), self, G_CONNECT_SWAPPED);
  rebuild_canned_menu (self);
  update_actions (self);
}

/* The agent works on @conversation of @customer now (both may be NULL),
 * or it changed (a push, a new state): the draft of the conversation left
 * is put away and that of the conversation opened brought out. Only
 * when @writable (open, held by this agent) can they write. */
void
parley_reply_composer_set_conversation (ParleyReplyComposer *self,
                                        JsonObject          *customer,
                                        JsonObject          *conversation,
                                        gboolean             writable)
{
  gint64 id = conversation ? json_object_get_int_member_with_default (conversation, "id", 0) : 0;
  gboolean switching = self->draft == NULL || self->draft->conversation_id != id;

  g_return_if_fail (PARLEY_IS_REPLY_COMPOSER (self));

  if (switching)
    keep_text (self);
  if (customer)
    json_object_ref (customer);
  g_clear_pointer (&self->customer, json_object_unref);
  self->customer = customer;
  if (conversation)
    json_object_ref (conversation);
  g_clear_pointer (&self->conversation, json_object_unref);
  self->conversation = conversation;
  self->writable = writable;
  rebuild_canned_menu (self);
  if (!switching)
    {
      rebuild_reply_channels (self);
      return;
    }
  self->draft = id > 0 ? draft_for (self, id) : NULL;
  show_draft (self);
}

/* Signed out: every draft goes. */
void
parley_reply_composer_forget_drafts (ParleyReplyComposer *self)
{
  g_return_if_fail (PARLEY_IS_REPLY_COMPOSER (self));

  self->draft = NULL;
  g_hash_table_remove_all (self->drafts);
  parley_reply_composer_set_conversation (self, NULL, NULL, FALSE);
}
