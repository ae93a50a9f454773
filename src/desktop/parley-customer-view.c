/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-customer-view"

#include "config.h"

#include <glib/gi18n.h>

#include "parley-customer-view.h"
#include "parley-dialogs.h"
#include "parley-timeline-item.h"
#include "parley-timeline-model.h"
#include "parley-timeline-row.h"

/* Identity kinds and the channels that reach them. */
static const struct {
  const char *identity;
  const char *channel;
} reach[] = {
  { "email", "email" }, { "phone", "sms" }, { "phone", "voice" }, { "sip", "voice" },
  { "chat", "chat" }, { "social", "social" },
};

/* Channels the timeline can be filtered by, after "All channels". */
static const char *filter_kinds[] = { "chat", "email", "voice", "sms", "social", "api", "system", NULL };

/**
 * ParleyCustomerView:
 *
 * Everything about the customer the agent is serving: their name and every
 * identity, attributes and tags; ONE timeline of every event on every
 * channel (paged from the hub as the agent scrolls up); and the composer,
 * which replies on any channel the customer can be reached on. Its actions
 * live in the "customer" group, which the window installs so shortcuts and
 * toasts reach them.
 */
/* How long after the agent's scrolling key a move of the timeline inside
 * a frame is still theirs (an animated Page Up lasts 200 ms). */
#define TOUCH_COUNTS_USEC (500 * 1000)

struct _ParleyCustomerView
{
  GtkWidget            parent_instance;

  ParleyClient        *client;
  ParleyPluginHost    *plugins;
  GSettings           *settings;
  GSimpleActionGroup  *actions;
  GCancellable        *cancellable;

  JsonObject          *customer;
  JsonObject          *conversation;
  GStrv                hub_channels;
  char                *reply_kind;
  ParleyTimelineModel *model;
  gboolean             stick_to_bottom;
  double               previous_upper;
  guint                settle_source;
  guint                settle_frames;
  gboolean             in_frame;        /* between before-paint and after-paint */
  gint64               touched_at;      /* the agent's last scrolling key on the timeline */
  guint                search_source;
  guint                typing_source;   /* hides the customer's typing line */
  gint64               typing_sent_at;  /* when we last told the hub the agent types */
  gint64               read_up_to;      /* the customer's last event we said was read */
  JsonObject          *attachment;      /* the file for the next reply, uploaded */
  GCancellable        *uploading;       /* while that file goes up */
  GtkFileChooserNative *chooser;

  /* template children */
  AdwHeaderBar        *header;
  GtkWidget           *back_button;
  AdwWindowTitle      *title;
  GtkToggleButton     *details_toggle;
  GtkWidget           *customer_menu_button;
  GtkWidget           *resolve_button;
  GtkWidget           *transfer_button;
  GtkStack            *stack;
  GtkDropDown         *channel_filter;
  GtkSearchEntry      *timeline_search;
  GtkScrolledWindow   *timeline_scroller;
  GtkListView         *timeline_view;
  GtkSpinner          *timeline_spinner;
  GtkWidget           *composer_area;
  GtkWidget           *watch_bar;
  GtkLabel            *watch_label;
  GtkBox              *reply_channels;
  GtkToggleButton     *note_toggle;
  GtkMenuButton       *canned_button;
  GtkLabel            *composer_hint;
  GtkLabel            *typing_label;
  GtkWidget           *attachment_bar;
  GtkLabel            *attachment_label;
  GtkSpinner          *attachment_spinner;
  AdwBin              *composer_bin;
  GtkRevealer         *details_revealer;
  AdwAvatar           *avatar;
  GtkLabel            *name_label;
  GtkFlowBox          *tags_box;
  GtkListBox          *identities_list;
  GtkListBox          *attributes_list;
  GtkBox              *panels_box;
};

G_DEFINE_FINAL_TYPE (ParleyCustomerView, parley_customer_view, GTK_TYPE_WIDGET)

static void show_customer (ParleyCustomerView *self, JsonObject *customer);

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

static void
update_actions (ParleyCustomerView *self)
{
  gboolean has_customer = self->customer != NULL;
  gboolean read_only = watching (self);
  gboolean open = conversation_open (self) && !read_only;

  enable_action (self, "send", open && self->reply_kind != NULL && self->uploading == NULL);
  enable_action (self, "attach", open);
  enable_action (self, "remove-attachment", self->attachment != NULL || self->uploading != NULL);
  enable_action (self, "resolve", open);
  enable_action (self, "transfer", open);
  enable_action (self, "note", open);
  enable_action (self, "edit", has_customer);
  enable_action (self, "link", has_customer);
  enable_action (self, "merge", has_customer);
  enable_action (self, "details", has_customer);
  gtk_widget_set_sensitive (GTK_WIDGET (self->canned_button), open);
  gtk_widget_set_sensitive (self->composer_area, open);
  gtk_widget_set_visible (self->customer_menu_button, has_customer);
  gtk_widget_set_visible (GTK_WIDGET (self->details_toggle), has_customer);
  gtk_widget_set_visible (self->resolve_button, open);
  gtk_widget_set_visible (self->transfer_button, open);
  gtk_widget_set_visible (self->composer_area, !read_only);
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
}

/* ---- timeline ------------------------------------------------------------ */

static void
scroll_to_bottom (ParleyCustomerView *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->timeline_scroller);

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
}

/* Rows are measured as they are shown, so the list's height keeps moving
 * for a few frames after new items arrive: follow it to the bottom. */
static gboolean
settle_at_bottom_cb (GtkWidget     *widget,
                     GdkFrameClock *clock,
                     gpointer       user_data)
{
  ParleyCustomerView *self = PARLEY_CUSTOMER_VIEW (widget);

  /* GTK 4.8's list view does not always measure rows appended at its end
   * (they showed only after the window was resized): have it measure. */
  gtk_widget_queue_resize (GTK_WIDGET (self->timeline_view));
  if (self->stick_to_bottom)
    scroll_to_bottom (self);
  if (++self->settle_frames < 6)
    return G_SOURCE_CONTINUE;
  self->settle_source = 0;
  return G_SOURCE_REMOVE;
}

/* Follows the bottom for the next few frames. */
static void
follow_bottom (ParleyCustomerView *self)
{
  self->settle_frames = 0;
  if (self->settle_source == 0)
    self->settle_source = gtk_widget_add_tick_callback (GTK_WIDGET (self), settle_at_bottom_cb, NULL, NULL);
}

static void
maybe_load_older (ParleyCustomerView *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->timeline_scroller);

  /* Fetch the page before while the agent is still a few screens from the
   * top: it then lands out of sight, and its rows are built a few at a
   * time as they scroll in rather than all in one frame. */
  if (self->model && gtk_adjustment_get_value (adjustment) < 4 * gtk_adjustment_get_page_size (adjustment))
    parley_timeline_model_load_older (self->model);
}

static void
timeline_value_changed_cb (GtkAdjustment      *adjustment,
                           ParleyCustomerView *self)
{
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  /* Only the agent's own scrolling says whether to follow new messages.
   * Inside a frame the list moves the value itself, to keep its rows in
   * place as they are measured, and so does following the bottom; there
   * only a scroll the agent just asked for (Page Up animates) counts. */
  if (self->in_frame && g_get_monotonic_time () - self->touched_at > TOUCH_COUNTS_USEC)
    {
      /* The list loses its place when the row it was anchored to is
       * replaced (a delivery state changed) and jumps to the top: while
       * following, go back to the bottom. */
      if (self->stick_to_bottom && gtk_adjustment_get_value (adjustment) < bottom - 8)
        follow_bottom (self);
      return;
    }
  self->stick_to_bottom = gtk_adjustment_get_value (adjustment) >= bottom - 8;
  maybe_load_older (self);
}

/* The agent pressed a key that scrolls the timeline. */
static gboolean
timeline_key_pressed_cb (GtkEventControllerKey *controller,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         ParleyCustomerView    *self)
{
  static const guint scrolling[] = {
    GDK_KEY_Page_Up, GDK_KEY_Page_Down, GDK_KEY_Home, GDK_KEY_End, GDK_KEY_Up, GDK_KEY_Down,
    GDK_KEY_KP_Page_Up, GDK_KEY_KP_Page_Down, GDK_KEY_KP_Home, GDK_KEY_KP_End, GDK_KEY_KP_Up, GDK_KEY_KP_Down,
  };

  for (guint i = 0; i < G_N_ELEMENTS (scrolling); i++)
    if (keyval == scrolling[i])
      self->touched_at = g_get_monotonic_time ();
  return GDK_EVENT_PROPAGATE;
}

/* Watches, without taking them, the keys that scroll the timeline: Page
 * Up and the like move it in an animation, inside frames, on the agent's
 * behalf. (The wheel moves it at once, outside any frame.) */
static void
watch_timeline_keys (ParleyCustomerView *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (timeline_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->timeline_scroller), keys);
}

static void
frame_begins_cb (GdkFrameClock      *clock,
                 ParleyCustomerView *self)
{
  self->in_frame = TRUE;
}

static void
frame_ends_cb (GdkFrameClock      *clock,
               ParleyCustomerView *self)
{
  self->in_frame = FALSE;
}

static void
parley_customer_view_realize (GtkWidget *widget)
{
  GdkFrameClock *clock;

  GTK_WIDGET_CLASS (parley_customer_view_parent_class)->realize (widget);
  clock = gtk_widget_get_frame_clock (widget);
  g_signal_connect_object (clock, "before-paint", G_CALLBACK (frame_begins_cb), widget, 0);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (frame_ends_cb), widget, 0);
}

static void
parley_customer_view_unrealize (GtkWidget *widget)
{
  ParleyCustomerView *self = PARLEY_CUSTOMER_VIEW (widget);

  g_signal_handlers_disconnect_by_data (gtk_widget_get_frame_clock (widget), self);
  self->in_frame = FALSE;
  GTK_WIDGET_CLASS (parley_customer_view_parent_class)->unrealize (widget);
}

/* Keeps the newest message in view while new ones arrive, and keeps the
 * reading position when an older page is added above it. */
static void
timeline_upper_changed_cb (GtkAdjustment      *adjustment,
                           GParamSpec         *pspec,
                           ParleyCustomerView *self)
{
  double upper = gtk_adjustment_get_upper (adjustment);
  double grown = upper - self->previous_upper;

  self->previous_upper = upper;
  if (self->stick_to_bottom)
    {
      scroll_to_bottom (self);
      return;
    }
  if (grown > 0 && gtk_adjustment_get_value (adjustment) < gtk_adjustment_get_page_size (adjustment))
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + grown);
  /* The value handler ignores moves inside a frame, where the height
   * changes, so a move to the top in such a frame is seen here. */
  maybe_load_older (self);
}

static void
model_items_changed_cb (GListModel         *model,
                        guint               position,
                        guint               removed,
                        guint               added,
                        ParleyCustomerView *self)
{
  if (self->stick_to_bottom)
    follow_bottom (self);
}

static void
model_loading_cb (ParleyTimelineModel *model,
                  GParamSpec          *pspec,
                  ParleyCustomerView  *self)
{
  gtk_spinner_set_spinning (self->timeline_spinner, parley_timeline_model_get_loading (model));
  gtk_widget_set_visible (GTK_WIDGET (self->timeline_spinner), parley_timeline_model_get_loading (model));
  /* A first page shorter than the window cannot be scrolled up: go on. */
  if (!parley_timeline_model_get_loading (model))
    maybe_load_older (self);
}

static void
reload_timeline (ParleyCustomerView *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  guint filter = gtk_drop_down_get_selected (self->channel_filter);
  const char *channel = filter > 0 && filter != GTK_INVALID_LIST_POSITION ? filter_kinds[filter - 1] : NULL;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->timeline_search));

  if (self->model)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  if (self->customer == NULL)
    {
      gtk_list_view_set_model (self->timeline_view, NULL);
      return;
    }
  self->model = parley_timeline_model_new (self->client, customer_id (self), channel, search);
  g_signal_connect (self->model, "notify::loading", G_CALLBACK (model_loading_cb), self);
  g_signal_connect (self->model, "items-changed", G_CALLBACK (model_items_changed_cb), self);
  model_loading_cb (self->model, NULL, self);
  self->stick_to_bottom = TRUE;
  self->previous_upper = 0;
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  gtk_list_view_set_model (self->timeline_view, GTK_SELECTION_MODEL (selection));
}

static void
filter_changed_cb (ParleyCustomerView *self)
{
  reload_timeline (self);
}

static gboolean
search_timeout_cb (gpointer user_data)
{
  ParleyCustomerView *self = user_data;

  self->search_source = 0;
  reload_timeline (self);
  return G_SOURCE_REMOVE;
}

static void
search_changed_cb (ParleyCustomerView *self)
{
  g_clear_handle_id (&self->search_source, g_source_remove);
  self->search_source = g_timeout_add (250, search_timeout_cb, self);
}

static void
row_setup_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              ParleyCustomerView       *self)
{
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, parley_timeline_row_new ());
}

static void
row_bind_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             ParleyCustomerView       *self)
{
  parley_timeline_row_bind (PARLEY_TIMELINE_ROW (gtk_list_item_get_child (item)),
                            gtk_list_item_get_item (item), self->plugins);
}

/* ---- composer ------------------------------------------------------------ */

static GtkWidget *
current_composer (ParleyCustomerView *self)
{
  return adw_bin_get_child (self->composer_bin);
}

static void
set_reply_kind (ParleyCustomerView *self,
                const char         *kind)
{
  GtkWidget *old = current_composer (self);
  g_autofree char *draft = old ? parley_ui_composer_dup_text (PARLEY_UI_COMPOSER (old)) : NULL;
  ParleyUiChannel *channel;
  GtkWidget *composer;

  if (kind && g_strcmp0 (kind, self->reply_kind) == 0)
    return;
  g_free (self->reply_kind);
  self->reply_kind = g_strdup (kind);
  update_actions (self);
  if (kind == NULL)
    return;

  /* Each channel brings its own composer; the draft travels along. */
  channel = parley_plugin_host_get_channel (self->plugins, kind);
  composer = parley_ui_channel_create_composer (channel);
  adw_bin_set_child (self->composer_bin, composer);
  if (draft && *draft)
    parley_ui_composer_insert_text (PARLEY_UI_COMPOSER (composer), draft);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->reply_channels)); child;
       child = gtk_widget_get_next_sibling (child))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child),
                                  g_strcmp0 (g_object_get_data (G_OBJECT (child), "kind"), kind) == 0);
}

static void
reply_toggled_cb (GtkToggleButton    *button,
                  ParleyCustomerView *self)
{
  if (gtk_toggle_button_get_active (button))
    set_reply_kind (self, g_object_get_data (G_OBJECT (button), "kind"));
}

static gboolean
hub_runs (ParleyCustomerView *self,
          const char         *kind)
{
  return self->hub_channels && g_strv_contains ((const char * const *) self->hub_channels, kind);
}

/* The channels this customer can be answered on: the conversation's own,
 * each channel reaching one of their identities, and the api channel
 * (integrators address any identity). Those the hub does not run are shown
 * but cannot be picked. */
static GPtrArray *
reply_kinds (ParleyCustomerView *self)
{
  GPtrArray *kinds = g_ptr_array_new ();
  JsonArray *identities = json_object_get_array_member (self->customer, "identities");
  const char *current = self->conversation ? json_object_get_string_member_with_default (self->conversation, "channel", NULL) : NULL;

#define ADD_KIND(k) G_STMT_START { if ((k) && !g_ptr_array_find_with_equal_func (kinds, (k), g_str_equal, NULL)) g_ptr_array_add (kinds, (gpointer) (k)); } G_STMT_END
  ADD_KIND (current);
  for (guint i = 0; identities && i < json_array_get_length (identities); i++)
    {
      const char *identity = json_object_get_string_member_with_default (json_array_get_object_element (identities, i), "kind", "");

      for (guint j = 0; j < G_N_ELEMENTS (reach); j++)
        if (g_str_equal (reach[j].identity, identity))
          ADD_KIND (reach[j].channel);
    }
  if (hub_runs (self, "api"))
    ADD_KIND ("api");
#undef ADD_KIND
  return kinds;
}

static void
rebuild_reply_channels (ParleyCustomerView *self)
{
  g_autoptr(GPtrArray) kinds = NULL;
  GtkWidget *child;
  GtkToggleButton *group = NULL;
  const char *pick = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->reply_channels))))
    gtk_box_remove (self->reply_channels, child);
  if (self->customer == NULL)
    {
      set_reply_kind (self, NULL);
      return;
    }

  kinds = reply_kinds (self);
  for (guint i = 0; i < kinds->len; i++)
    {
      const char *kind = g_ptr_array_index (kinds, i);
      ParleyUiChannel *channel = parley_plugin_host_get_channel (self->plugins, kind);
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *content = adw_button_content_new ();
      gboolean runs = hub_runs (self, kind);

      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), parley_ui_channel_get_icon_name (channel));
      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), parley_ui_channel_get_title (channel));
      gtk_button_set_child (GTK_BUTTON (button), content);
      g_object_set_data_full (G_OBJECT (button), "kind", g_strdup (kind), g_free);
      gtk_widget_set_sensitive (button, runs);
      if (!runs)
        gtk_widget_set_tooltip_text (button, _("This hub has no such channel running"));
      /* Translators: accessible name of a reply channel toggle, e.g. "Reply on Email" */
      {
        g_autofree char *label = g_strdup_printf (_("Reply on %s"), parley_ui_channel_get_title (channel));
        gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      }
      if (group)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      g_signal_connect (button, "toggled", G_CALLBACK (reply_toggled_cb), self);
      gtk_box_append (self->reply_channels, button);
      if (runs && (pick == NULL || g_strcmp0 (kind, self->reply_kind) == 0))
        pick = kind;
    }
  g_clear_pointer (&self->reply_kind, g_free);
  set_reply_kind (self, pick);
}

/* ---- the file for the next reply ------------------------------------------ */

/* What the composer says of the file: @text, or nothing (NULL). */
static void
show_attachment (ParleyCustomerView *self,
                 const char         *text,
                 gboolean            busy)
{
  gtk_label_set_text (self->attachment_label, text ? text : "");
  gtk_widget_set_visible (self->attachment_bar, text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->attachment_spinner), busy);
  gtk_spinner_set_spinning (self->attachment_spinner, busy);
  update_actions (self);
}

static void
clear_attachment (ParleyCustomerView *self)
{
  g_cancellable_cancel (self->uploading);
  g_clear_object (&self->uploading);
  g_clear_pointer (&self->attachment, json_object_unref);
  show_attachment (self, NULL, FALSE);
}

static void
uploaded_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ParleyCustomerView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = parley_client_upload_finish (PARLEY_CLIENT (source), result, &error);
  g_autofree char *size = NULL;
  g_autofree char *text = NULL;
  JsonObject *attachment = NULL;

  /* Removed, replaced, or another conversation opened meanwhile. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->uploading);
  if (answer == NULL || !(attachment = parley_json_get_object (answer, "attachment", TRUE, &error)))
    {
      show_attachment (self, NULL, FALSE);
      toast_error (self, _("Could not attach the file"), error);
      return;
    }
  self->attachment = json_object_ref (attachment);
  size = g_format_size (json_object_get_int_member_with_default (attachment, "size", 0));
  /* Translators: the file that goes with the next reply: its name, then its size */
  text = g_strdup_printf (_("%s (%s)"), json_object_get_string_member_with_default (attachment, "name", ""), size);
  show_attachment (self, text, FALSE);
}

/* Sends the file up for this conversation at once, so that Send only has
 * to name it; the window stays responsive meanwhile. */
static void
attach_file (ParleyCustomerView *self,
             GFile              *file)
{
  g_autofree char *path = g_strdup_printf ("conversations/%" G_GINT64_FORMAT "/attachments", conversation_id (self));
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *name = g_filename_display_name (basename);
  /* Translators: while a file goes up to the hub; %s is its name */
  g_autofree char *text = g_strdup_printf (_("Attaching %s…"), name);

  clear_attachment (self);
  self->uploading = g_cancellable_new ();
  show_attachment (self, text, TRUE);
  parley_client_upload_async (self->client, path, file, self->uploading, uploaded_cb, g_object_ref (self));
}

static void
chooser_response_cb (GtkNativeDialog    *chooser,
                     int                 response,
                     ParleyCustomerView *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && conversation_open (self) &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))))
    attach_file (self, file);
  g_clear_object (&self->chooser);
}

static void
attach_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  ParleyCustomerView *self = user_data;
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
  clear_attachment (user_data);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(ParleyCustomerView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, &error);
  JsonNode *event;

  gtk_widget_set_sensitive (self->composer_area, conversation_open (self));
  if (answer == NULL)
    {
      toast_error (self, _("Could not send"), error);
      return;
    }
  if (current_composer (self))
    parley_ui_composer_clear (PARLEY_UI_COMPOSER (current_composer (self)));
  gtk_toggle_button_set_active (self->note_toggle, FALSE);
  event = json_object_get_member (answer, "event");
  if (event && JSON_NODE_HOLDS_OBJECT (event))
    {
      JsonObject *metadata = parley_json_get_object (json_node_get_object (event), "metadata", FALSE, NULL);

      /* The file went with it (a note leaves it for the next reply). */
      if (metadata && json_object_has_member (metadata, "attachment"))
        clear_attachment (self);
      if (self->model)
        parley_timeline_model_add_event (self->model, json_node_get_object (event));
    }
}

static void
send_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  ParleyCustomerView *self = user_data;
  GtkWidget *composer = current_composer (self);
  g_autofree char *text = composer ? parley_ui_composer_dup_text (PARLEY_UI_COMPOSER (composer)) : NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *path = NULL;
  gboolean note = gtk_toggle_button_get_active (self->note_toggle);
  gboolean has_text = text != NULL && *g_strstrip (text) != '\0';
  gboolean with_file = !note && self->attachment != NULL;

  /* A reply may be a file alone; a note is always text. */
  if ((!has_text && !with_file) || !conversation_open (self))
    return;
  if (has_text)
    json_object_set_string_member (body, "text", text);
  if (note)
    path = g_strdup_printf ("conversations/%" G_GINT64_FORMAT "/notes", conversation_id (self));
  else
    {
      json_object_set_string_member (body, "channel", self->reply_kind);
      if (with_file)
        json_object_set_string_member (body, "attachment", json_object_get_string_member (self->attachment, "id"));
      path = g_strdup_printf ("conversations/%" G_GINT64_FORMAT "/messages", conversation_id (self));
    }
  /* No double sends while the hub commits. */
  gtk_widget_set_sensitive (self->composer_area, FALSE);
  self->stick_to_bottom = TRUE;
  parley_client_request_async (self->client, "POST", path, body, self->cancellable, sent_cb, g_object_ref (self));
}

static void
note_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  ParleyCustomerView *self = user_data;
  gboolean note = !g_variant_get_boolean (g_action_get_state (G_ACTION (action)));

  g_simple_action_set_state (action, g_variant_new_boolean (note));
  gtk_label_set_text (self->composer_hint, note ? _("Only agents will see this note") : "");
  if (note)
    gtk_widget_add_css_class (self->composer_area, "note-mode");
  else
    gtk_widget_remove_css_class (self->composer_area, "note-mode");
}

static void
next_channel_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  ParleyCustomerView *self = user_data;
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
}

/* Fills in {customer.name}, {customer.first_name}, {agent.name} and
 * {agent.first_name}. */
static char *
expand_placeholders (ParleyCustomerView *self,
                     const char         *template)
{
  JsonObject *agent = parley_client_get_agent (self->client);
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
  ParleyCustomerView *self = user_data;
  g_autofree char *text = expand_placeholders (self, g_variant_get_string (parameter, NULL));

  if (current_composer (self))
    parley_ui_composer_insert_text (PARLEY_UI_COMPOSER (current_composer (self)), text);
}

static void
rebuild_canned_menu (ParleyCustomerView *self)
{
  g_auto(GStrv) canned = g_settings_get_strv (self->settings, "canned-responses");
  g_autoptr(GMenu) menu = g_menu_new ();

  for (guint i = 0; canned[i]; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (canned[i], NULL);

      g_menu_item_set_action_and_target_value (item, "customer.canned", g_variant_new_string (canned[i]));
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (self->canned_button, G_MENU_MODEL (menu));
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
  parley_customer_view_handle_push (self, "conversation", answer);
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
  reload_timeline (self);
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

static const char *edited_attributes[][2] = {
  { "language", N_("Language") }, { "tier", N_("Tier") }, { "location", N_("Location") },
};

static void
edit_response_cb (AdwMessageDialog   *dialog,
                  const char         *response,
                  ParleyCustomerView *self)
{
  g_autoptr(JsonObject) body = json_object_new ();
  JsonObject *attributes = json_object_new ();
  JsonArray *tags = json_array_new ();
  GtkEditable *name = g_object_get_data (G_OBJECT (dialog), "name");
  g_auto(GStrv) tag_list = g_strsplit (gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "tags")), ",", -1);

  json_object_set_object_member (body, "attributes", attributes);
  if (!g_str_equal (response, "confirm"))
    return;
  json_object_set_string_member (body, "name", gtk_editable_get_text (name));
  for (guint i = 0; i < G_N_ELEMENTS (edited_attributes); i++)
    json_object_set_string_member (attributes, edited_attributes[i][0],
                                   gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), edited_attributes[i][0])));
  for (guint i = 0; tag_list[i]; i++)
    if (*g_strstrip (tag_list[i]))
      json_array_add_string_element (tags, tag_list[i]);
  json_object_set_array_member (attributes, "tags", tags);
  customer_request (self, "PATCH", NULL, body);
}

static void
edit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  ParleyCustomerView *self = user_data;
  JsonObject *attributes = json_object_get_object_member (self->customer, "attributes");
  AdwMessageDialog *dialog = parley_dialog_new (GTK_WIDGET (self), _("Edit Customer"), NULL, _("_Save"));
  GtkBox *box = parley_dialog_add_box (dialog);
  JsonArray *tags = attributes && json_object_has_member (attributes, "tags") &&
                    JSON_NODE_HOLDS_ARRAY (json_object_get_member (attributes, "tags")) ?
                    json_object_get_array_member (attributes, "tags") : NULL;
  GString *tag_text = g_string_new (NULL);

  g_object_set_data (G_OBJECT (dialog), "name",
                     parley_dialog_add_entry (box, _("Name"), json_object_get_string_member_with_default (self->customer, "name", "")));
  for (guint i = 0; i < G_N_ELEMENTS (edited_attributes); i++)
    {
      const char *value = attributes ? json_object_get_string_member_with_default (attributes, edited_attributes[i][0], "") : "";

      g_object_set_data (G_OBJECT (dialog), edited_attributes[i][0],
                         parley_dialog_add_entry (box, _(edited_attributes[i][1]), value));
    }
  for (guint i = 0; tags && i < json_array_get_length (tags); i++)
    g_string_append_printf (tag_text, "%s%s", i ? ", " : "", json_array_get_string_element (tags, i));
  g_object_set_data (G_OBJECT (dialog), "tags", parley_dialog_add_entry (box, _("Tags, separated by commas"), tag_text->str));
  g_string_free (tag_text, TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (edit_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
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
  GtkCheckButton *group = parley_dialog_add_choice (box, _("Email address"), "email", NULL);

  parley_dialog_add_choice (box, _("Phone number"), "phone", group);
  parley_dialog_add_choice (box, _("Chat visitor"), "chat", group);
  parley_dialog_add_choice (box, _("Social handle"), "social", group);
  parley_dialog_add_choice (box, _("SIP address"), "sip", group);
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
  gtk_revealer_set_reveal_child (self->details_revealer, shown);
}

/* ---- showing a customer -------------------------------------------------- */

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))))
    gtk_list_box_remove (list, child);
}

static GtkWidget *
detail_row (const char *icon_name,
            const char *title,
            const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Customer data is plain text: no markup in row titles. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (icon_name)
    adw_action_row_set_icon_name (ADW_ACTION_ROW (row), icon_name);
  gtk_widget_add_css_class (row, "property");
  return row;
}

/* ---- suggested matches ------------------------------------------------------ */

/* A chat visitor who typed an email another customer has is only a
 * suggestion (anyone can type anyone's email): the hub puts a "match"
 * event in the visitor's timeline, and the agent who recognises them
 * confirms it here, which merges the visitor into that customer (undoable
 * like any merge). */
static void
remove_match_rows (ParleyCustomerView *self)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->identities_list));

  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (g_object_get_data (G_OBJECT (child), "parley-match"))
        gtk_list_box_remove (self->identities_list, child);
      child = next;
    }
}

static GtkWidget *
match_row (gint64      other,
           const char *name,
           const char *value)
{
  /* Translators: a customer this chat visitor may be; %s is their name */
  g_autofree char *title = g_strdup_printf (_("Possible match: %s"), name);
  /* Translators: %s is an email address the visitor typed in */
  g_autofree char *subtitle = g_strdup_printf (_("%s, typed in by the visitor, not verified"), value);
  /* Translators: the accessible name of the Confirm button; %s is a customer's name */
  g_autofree char *confirm_label = g_strdup_printf (_("Confirm match with %s"), name);
  GtkWidget *row = detail_row ("dialog-question-symbolic", title, subtitle);
  GtkWidget *confirm = gtk_button_new_with_mnemonic (_("_Confirm"));

  gtk_widget_set_valign (confirm, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (confirm), GTK_ACCESSIBLE_PROPERTY_LABEL, confirm_label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (confirm), "customer.confirm-match");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (confirm), g_variant_new_int64 (other));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), confirm);
  g_object_set_data (G_OBJECT (row), "parley-match", GINT_TO_POINTER (TRUE));
  return row;
}

static void
matches_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ParleyCustomerView) self = user_data;
  g_autoptr(JsonObject) page = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);
  g_autoptr(GHashTable) shown = g_hash_table_new (g_int64_hash, g_int64_equal);
  JsonArray *events = page ? json_object_get_array_member (page, "events") : NULL;

  remove_match_rows (self);
  for (guint i = 0; events && i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      JsonObject *metadata = json_object_get_object_member (event, "metadata");
      gint64 *other;

      if (g_strcmp0 (json_object_get_string_member (event, "kind"), "match") != 0 || metadata == NULL ||
          json_object_get_int_member_with_default (event, "customer_id", 0) != customer_id (self) ||
          json_object_get_int_member_with_default (metadata, "customer_id", 0) <= 0)
        continue;
      other = g_new (gint64, 1);
      *other = json_object_get_int_member (metadata, "customer_id");
      if (g_hash_table_contains (shown, other))
        {
          g_free (other);
          continue;
        }
      g_hash_table_add (shown, other);
      gtk_list_box_append (self->identities_list,
                           match_row (*other, json_object_get_string_member_with_default (metadata, "customer_name", ""),
                                      json_object_get_string_member_with_default (metadata, "value", "")));
    }
  g_hash_table_foreach (shown, (GHFunc) g_free, NULL);
}

static void
load_matches (ParleyCustomerView *self)
{
  g_autofree char *path = g_strdup_printf ("customers/%" G_GINT64_FORMAT "/timeline?channel=system&limit=50", customer_id (self));

  parley_client_request_async (self->client, "GET", path, NULL, self->cancellable,
                               matches_loaded_cb, g_object_ref (self));
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

static void
show_customer (ParleyCustomerView *self,
               JsonObject         *customer)
{
  const char *name = json_object_get_string_member_with_default (customer, "name", NULL);
  JsonArray *identities = json_object_get_array_member (customer, "identities");
  JsonObject *attributes = json_object_has_member (customer, "attributes") ? json_object_get_object_member (customer, "attributes") : NULL;
  g_autoptr(GList) members = attributes ? json_object_get_members (attributes) : NULL;
  GtkWidget *child;

  if (customer != self->customer)
    {
      g_clear_pointer (&self->customer, json_object_unref);
      self->customer = json_object_ref (customer);
    }
  if (name == NULL || *name == '\0')
    name = _("Unknown customer");

  adw_window_title_set_title (self->title, name);
  gtk_label_set_text (self->name_label, name);
  adw_avatar_set_text (self->avatar, name);

  clear_list (self->identities_list);
  for (guint i = 0; identities && i < json_array_get_length (identities); i++)
    {
      JsonObject *identity = json_array_get_object_element (identities, i);
      const char *kind = json_object_get_string_member_with_default (identity, "kind", "");
      const char *channel = g_str_equal (kind, "phone") ? "sms" : g_str_equal (kind, "sip") ? "voice" : kind;

      gtk_list_box_append (self->identities_list,
                           detail_row (parley_ui_channel_icon_for_kind (channel),
                                       json_object_get_string_member_with_default (identity, "value", ""), kind));
    }

  load_matches (self);

  clear_list (self->attributes_list);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_box))))
    gtk_flow_box_remove (self->tags_box, child);
  for (GList *l = members; l; l = l->next)
    {
      JsonNode *node = json_object_get_member (attributes, l->data);

      if (g_str_equal (l->data, "tags") && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *tags = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (tags); i++)
            {
              GtkWidget *tag = gtk_label_new (json_array_get_string_element (tags, i));

              gtk_widget_add_css_class (tag, "tag");
              gtk_flow_box_append (self->tags_box, tag);
            }
        }
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          if (*json_node_get_string (node))
            gtk_list_box_append (self->attributes_list, detail_row (NULL, json_node_get_string (node), l->data));
        }
      else if (JSON_NODE_HOLDS_VALUE (node))
        {
          g_autofree char *text = parley_json_to_string (node);

          gtk_list_box_append (self->attributes_list, detail_row (NULL, text, l->data));
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->attributes_list), gtk_widget_get_first_child (GTK_WIDGET (self->attributes_list)) != NULL);

  /* Context panels from channel plugins (call controls, co-browse). */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->panels_box))))
    gtk_box_remove (self->panels_box, child);
  {
    g_autoptr(GList) kinds = parley_plugin_host_list_plugin_kinds (self->plugins);

    for (GList *l = kinds; l; l = l->next)
      {
        GtkWidget *panel = parley_ui_channel_create_context_panel (parley_plugin_host_get_channel (self->plugins, l->data), customer);

        if (panel)
          gtk_box_append (self->panels_box, panel);
      }
  }

  rebuild_reply_channels (self);
  gtk_stack_set_visible_child_name (self->stack, "customer");
  update_actions (self);
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
                                  parley_ui_channel_title_for_kind (channel), state_short_title (state));
    }
  adw_window_title_set_subtitle (self->title, subtitle ? subtitle : "");
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
  reload_timeline (self);
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

/* ---- GObject ------------------------------------------------------------- */

static const GActionEntry action_entries[] = {
  { "send", send_activated },
  { "note", note_activated, NULL, "false" },
  { "attach", attach_activated },
  { "remove-attachment", remove_attachment_activated },
  { "next-channel", next_channel_activated },
  { "canned", canned_activated, "s" },
  { "resolve", resolve_activated },
  { "transfer", transfer_activated },
  { "edit", edit_activated },
  { "link", link_activated },
  { "merge", merge_activated },
  { "unmerge", unmerge_activated, "x" },
  { "confirm-match", confirm_match_activated, "x" },
  { "details", details_activated, NULL, "false" },
};

/* ---- typing and read receipts --------------------------------------------- */

#define TYPING_SHOWN_SECONDS 6
#define TYPING_RESENT_USEC (3 * G_USEC_PER_SEC)

static void
activity_sent_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  /* Best effort: a channel that cannot show typing or receipts ignores them. */
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);
}

static void
send_activity (ParleyCustomerView *self,
               const char         *channel,
               const char         *activity,
               gint64              up_to)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *path = g_strdup_printf ("conversations/%" G_GINT64_FORMAT "/activity", conversation_id (self));

  json_object_set_string_member (body, "activity", activity);
  json_object_set_string_member (body, "channel", channel);
  if (up_to > 0)
    json_object_set_int_member (body, "up_to", up_to);
  /* Not cancelled when the view moves on: the customer should still know. */
  parley_client_request_async (self->client, "POST", path, body, NULL, activity_sent_cb, NULL);
}

/* Keys pressed in the composer tell the customer the agent is typing. */
static gboolean
composer_key_pressed_cb (GtkEventControllerKey *keys,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         ParleyCustomerView    *self)
{
  gint64 now = g_get_monotonic_time ();

  if (conversation_open (self) && self->reply_kind && !gtk_toggle_button_get_active (self->note_toggle) &&
      now - self->typing_sent_at > TYPING_RESENT_USEC)
    {
      self->typing_sent_at = now;
      send_activity (self, self->reply_kind, "typing", 0);
    }
  return GDK_EVENT_PROPAGATE;
}

static gboolean
hide_typing_cb (gpointer user_data)
{
  ParleyCustomerView *self = user_data;

  self->typing_source = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->typing_label), FALSE);
  return G_SOURCE_REMOVE;
}

static void
show_typing (ParleyCustomerView *self,
             gboolean            typing)
{
  g_autofree char *text = NULL;

  g_clear_handle_id (&self->typing_source, g_source_remove);
  if (typing)
    {
      /* Translators: %s is the customer's name */
      text = g_strdup_printf (_("%s is typing…"), json_object_get_string_member_with_default (self->customer, "name", ""));
      gtk_label_set_text (self->typing_label, text);
      self->typing_source = g_timeout_add_seconds (TYPING_SHOWN_SECONDS, hide_typing_cb, self);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->typing_label), typing);
}

/* The customer's message is on the agent's screen: tell them it was read. */
static void
mark_read (ParleyCustomerView *self,
           JsonObject         *event)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gint64 id = json_object_get_int_member_with_default (event, "id", 0);

  if (!conversation_open (self) || watching (self) || id <= self->read_up_to ||
      json_object_get_int_member_with_default (event, "conversation_id", 0) != conversation_id (self) ||
      g_strcmp0 (json_object_get_string_member_with_default (event, "direction", ""), "in") != 0 ||
      !GTK_IS_WINDOW (root) || !gtk_window_is_active (GTK_WINDOW (root)))
    return;
  self->read_up_to = id;
  send_activity (self, json_object_get_string_member_with_default (event, "channel", ""), "read", id);
}

static void
parley_customer_view_dispose (GObject *object)
{
  ParleyCustomerView *self = PARLEY_CUSTOMER_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->uploading);
  g_clear_object (&self->uploading);
  if (self->chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_handle_id (&self->search_source, g_source_remove);
  g_clear_handle_id (&self->typing_source, g_source_remove);
  if (self->settle_source)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->settle_source);
  self->settle_source = 0;
  if (self->model)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARLEY_TYPE_CUSTOMER_VIEW);
  /* The template's outer box has no id, so disposing the template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->client);
  g_clear_object (&self->plugins);
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
  g_clear_pointer (&self->attachment, json_object_unref);
  g_strfreev (self->hub_channels);
  g_free (self->reply_kind);
  G_OBJECT_CLASS (parley_customer_view_parent_class)->finalize (object);
}

static void
parley_customer_view_class_init (ParleyCustomerViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = parley_customer_view_dispose;
  object_class->finalize = parley_customer_view_finalize;
  widget_class->realize = parley_customer_view_realize;
  widget_class->unrealize = parley_customer_view_unrealize;

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
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, channel_filter);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, timeline_search);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, timeline_scroller);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, timeline_view);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, timeline_spinner);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, composer_area);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, watch_bar);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, watch_label);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, reply_channels);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, note_toggle);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, canned_button);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, composer_hint);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, typing_label);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, attachment_bar);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, attachment_label);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, attachment_spinner);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, composer_bin);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, details_revealer);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, avatar);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, name_label);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, tags_box);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, identities_list);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, attributes_list);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerView, panels_box);
}

static void
parley_customer_view_init (ParleyCustomerView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkStringList) filters = gtk_string_list_new (NULL);
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), action_entries, G_N_ELEMENTS (action_entries), self);

  g_signal_connect (factory, "setup", G_CALLBACK (row_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind_cb), self);
  gtk_list_view_set_factory (self->timeline_view, factory);

  gtk_string_list_append (filters, _("All channels"));
  for (guint i = 0; filter_kinds[i]; i++)
    gtk_string_list_append (filters, g_str_equal (filter_kinds[i], "system") ? _("Changes") : parley_ui_channel_title_for_kind (filter_kinds[i]));
  gtk_drop_down_set_model (self->channel_filter, G_LIST_MODEL (filters));
  g_signal_connect_swapped (self->channel_filter, "notify::selected", G_CALLBACK (filter_changed_cb), self);
  g_signal_connect_swapped (self->timeline_search, "search-changed", G_CALLBACK (search_changed_cb), self);

  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect (keys, "key-pressed", G_CALLBACK (composer_key_pressed_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self->composer_bin), keys);
  }

  watch_timeline_keys (self);
  adjustment = gtk_scrolled_window_get_vadjustment (self->timeline_scroller);
  g_signal_connect (adjustment, "value-changed", G_CALLBACK (timeline_value_changed_cb), self);
  g_signal_connect (adjustment, "notify::upper", G_CALLBACK (timeline_upper_changed_cb), self);
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
  g_set_object (&self->client, client);
  if (self->settings != NULL)
    return;
  self->plugins = g_object_ref (plugins);
  self->settings = g_object_ref (settings);
  gtk_widget_insert_action_group (window ? window : GTK_WIDGET (self), "customer", G_ACTION_GROUP (self->actions));
  g_signal_connect_object (settings, "changed::canned-responses", G_CALLBACK (rebuild_canned_menu), self, G_CONNECT_SWAPPED);
  rebuild_canned_menu (self);
  update_actions (self);
}

void
parley_customer_view_set_hub_channels (ParleyCustomerView *self,
                                       const char * const *kinds)
{
  g_strfreev (self->hub_channels);
  self->hub_channels = g_strdupv ((GStrv) kinds);
  if (self->customer)
    rebuild_reply_channels (self);
}

void
parley_customer_view_open_conversation (ParleyCustomerView *self,
                                        JsonObject         *conversation)
{
  gint64 customer = json_object_get_int_member_with_default (conversation, "customer_id", 0);
  gboolean same_customer = customer == customer_id (self);

  /* A file goes up for one conversation and goes with it only. */
  if (json_object_get_int_member_with_default (conversation, "id", 0) != conversation_id (self))
    clear_attachment (self);
  g_clear_pointer (&self->conversation, json_object_unref);
  self->conversation = json_object_ref (conversation);
  self->read_up_to = 0;
  show_typing (self, FALSE);
  update_subtitle (self);
  if (json_object_has_member (conversation, "last_event") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (conversation, "last_event")))
    {
      JsonObject *last = json_object_get_object_member (conversation, "last_event");

      /* The preview lacks the conversation: it is this one. */
      json_object_set_int_member (last, "conversation_id", conversation_id (self));
      mark_read (self, last);
    }
  if (same_customer)
    {
      rebuild_reply_channels (self);
      update_actions (self);
    }
  else
    load_customer (self, customer);
  if (current_composer (self))
    gtk_widget_grab_focus (current_composer (self));
}

void
parley_customer_view_open_customer (ParleyCustomerView *self,
                                    gint64              id)
{
  clear_attachment (self);
  g_clear_pointer (&self->conversation, json_object_unref);
  update_subtitle (self);
  load_customer (self, id);
}

void
parley_customer_view_close (ParleyCustomerView *self)
{
  clear_attachment (self);
  g_clear_pointer (&self->conversation, json_object_unref);
  g_clear_pointer (&self->customer, json_object_unref);
  reload_timeline (self);
  rebuild_reply_channels (self);
  adw_window_title_set_title (self->title, "");
  update_subtitle (self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  update_actions (self);
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

/* A push from the hub; the view takes what concerns its customer. */
void
parley_customer_view_handle_push (ParleyCustomerView *self,
                                  const char         *type,
                                  JsonObject         *message)
{
  JsonObject *object;

  if (g_str_equal (type, "event") && self->model &&
      (object = parley_json_get_object (message, "event", FALSE, NULL)))
    {
      parley_timeline_model_add_event (self->model, object);
      if (json_object_get_int_member_with_default (object, "conversation_id", 0) == conversation_id (self) &&
          g_strcmp0 (json_object_get_string_member_with_default (object, "direction", ""), "in") == 0)
        {
          show_typing (self, FALSE);
          mark_read (self, object);
        }
    }
  else if (g_str_equal (type, "activity") &&
           json_object_get_int_member_with_default (message, "conversation", 0) == conversation_id (self) &&
           g_strcmp0 (json_object_get_string_member_with_default (message, "activity", ""), "typing") == 0)
    show_typing (self, json_object_get_boolean_member_with_default (message, "typing", FALSE));
  else if (g_str_equal (type, "conversation"))
    {
      object = json_object_has_member (message, "conversation") ? json_object_get_object_member (message, "conversation") : message;
      if (json_object_get_int_member_with_default (object, "id", -1) != conversation_id (self))
        return;
      object = json_object_ref (object);
      /* The hub's conversation names no agent: keep the name we were
       * given while the same agent holds it. */
      if (!json_object_has_member (object, "agent_name") && json_object_has_member (self->conversation, "agent_name") &&
          json_object_get_int_member_with_default (object, "agent_id", 0) ==
          json_object_get_int_member_with_default (self->conversation, "agent_id", 0))
        {
          JsonObject *copy = json_object_new ();
          g_autoptr(GList) members = json_object_get_members (object);

          for (GList *l = members; l; l = l->next)
            json_object_set_member (copy, l->data, json_node_copy (json_object_get_member (object, l->data)));
          json_object_set_string_member (copy, "agent_name", json_object_get_string_member (self->conversation, "agent_name"));
          json_object_unref (object);
          object = copy;
        }
      g_clear_pointer (&self->conversation, json_object_unref);
      self->conversation = object;
      update_subtitle (self);
      update_actions (self);
    }
  else if (g_str_equal (type, "customer") &&
           (object = parley_json_get_object (message, "customer", FALSE, NULL)) &&
           json_object_get_int_member_with_default (object, "id", -1) == customer_id (self))
    show_customer (self, object);
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
    gtk_widget_grab_focus (GTK_WIDGET (self->timeline_search));
}
