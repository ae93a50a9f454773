/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-timeline-view"

#include "config.h"

#include <glib/gi18n.h>

#include "parley-timeline-item.h"
#include "parley-timeline-model.h"
#include "parley-timeline-row.h"
#include "parley-timeline-view.h"

/* The hub's own channel for changes of state, offered last in the filter. */
#define CHANGES_CHANNEL "system"

/* How long after the agent's scrolling key a move of the timeline inside
 * a frame is still theirs (an animated Page Up lasts 200 ms). */
#define TOUCH_COUNTS_USEC (500 * 1000)

#define TYPING_SHOWN_SECONDS 6

/**
 * ParleyTimelineView:
 *
 * ONE timeline of every event of one customer on every channel, paged
 * from the hub as the agent scrolls up, filtered by channel or searched,
 * grouped by day. It follows the newest event while the agent is at the
 * bottom, takes the hub's event and activity pushes itself, and tells the
 * customer their messages were read. For the keyboard the list is one Tab
 * stop; the arrow keys move between its messages.
 */
struct _ParleyTimelineView
{
  GtkWidget            parent_instance;

  ParleyClient        *client;
  ParleyPluginHost    *plugins;
  ParleyTimelineModel *model;
  JsonObject          *customer;
  gint64               conversation_id;
  gboolean             sends_receipts;  /* the agent holds the open conversation */
  gint64               read_up_to;      /* the customer's last event we said was read */
  gboolean             stick_to_bottom;
  double               previous_upper;
  guint                settle_source;
  guint                settle_frames;
  gboolean             in_frame;        /* between before-paint and after-paint */
  gint64               touched_at;      /* the agent's last scrolling key on the timeline */
  guint                search_source;
  guint                typing_source;   /* hides the customer's typing line */
  GPtrArray           *filter_kinds;    /* the channel of each filter entry after "All channels" */

  /* template children */
  GtkWidget           *box;
  GtkDropDown         *channel_filter;
  GtkSearchEntry      *timeline_search;
  GtkScrolledWindow   *timeline_scroller;
  GtkListView         *timeline_view;
  GtkSpinner          *timeline_spinner;
  GtkLabel            *typing_label;
};

G_DEFINE_FINAL_TYPE (ParleyTimelineView, parley_timeline_view, GTK_TYPE_WIDGET)

static gint64
customer_id (ParleyTimelineView *self)
{
  return self->customer ? json_object_get_int_member_with_default (self->customer, "id", 0) : 0;
}

/* ---- following the bottom -------------------------------------------------- */

static void
scroll_to_bottom (ParleyTimelineView *self)
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
  ParleyTimelineView *self = PARLEY_TIMELINE_VIEW (widget);

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
follow_bottom (ParleyTimelineView *self)
{
  self->settle_frames = 0;
  if (self->settle_source == 0)
    self->settle_source = gtk_widget_add_tick_callback (GTK_WIDGET (self), settle_at_bottom_cb, NULL, NULL);
}

static void
maybe_load_older (ParleyTimelineView *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->timeline_scroller);

  /* Fetch the page before while the agent is still a few screens from the
   * top: it then lands out of sight, and its rows are built a few at a
   * time as they scroll in rather than all in one frame. */
  if (self->model && gtk_adjustment_get_value (adjustment) < 4 * gtk_adjustment_get_page_size (adjustment))
    parley_timeline_model_load_older (self->model);
}

static void
value_changed_cb (GtkAdjustment      *adjustment,
                  ParleyTimelineView *self)
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

/* Keeps the newest message in view while new ones arrive, and keeps the
 * reading position when an older page is added above it. */
static void
upper_changed_cb (GtkAdjustment      *adjustment,
                  GParamSpec         *pspec,
                  ParleyTimelineView *self)
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

/* The agent pressed a key on the timeline: the scrolling ones are noted
 * (Page Up and the like move it in an animation, inside frames, on the
 * agent's behalf; the wheel moves it at once, outside any frame). */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                ParleyTimelineView    *self)
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

static void
frame_begins_cb (GdkFrameClock      *clock,
                 ParleyTimelineView *self)
{
  self->in_frame = TRUE;
}

static void
frame_ends_cb (GdkFrameClock      *clock,
               ParleyTimelineView *self)
{
  self->in_frame = FALSE;
}

static void
parley_timeline_view_realize (GtkWidget *widget)
{
  GdkFrameClock *clock;

  GTK_WIDGET_CLASS (parley_timeline_view_parent_class)->realize (widget);
  clock = gtk_widget_get_frame_clock (widget);
  g_signal_connect_object (clock, "before-paint", G_CALLBACK (frame_begins_cb), widget, 0);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (frame_ends_cb), widget, 0);
}

static void
parley_timeline_view_unrealize (GtkWidget *widget)
{
  ParleyTimelineView *self = PARLEY_TIMELINE_VIEW (widget);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  /* Only ours: GTK's tick callbacks on this clock carry the widget too. */
  g_signal_handlers_disconnect_by_func (clock, frame_begins_cb, self);
  g_signal_handlers_disconnect_by_func (clock, frame_ends_cb, self);
  self->in_frame = FALSE;
  GTK_WIDGET_CLASS (parley_timeline_view_parent_class)->unrealize (widget);
}

/* ---- the model ------------------------------------------------------------- */

/* ---- the channel filter ------------------------------------------------------ */

/* The channel picked in the filter, CHANGES_CHANNEL, or NULL for all. */
static const char *
selected_filter_kind (ParleyTimelineView *self)
{
  guint filter = gtk_drop_down_get_selected (self->channel_filter);

  if (filter == 0 || filter == GTK_INVALID_LIST_POSITION || filter > self->filter_kinds->len + 1)
    return NULL;
  return filter <= self->filter_kinds->len ? g_ptr_array_index (self->filter_kinds, filter - 1) : CHANGES_CHANNEL;
}

static gboolean
add_filter_kind (ParleyTimelineView *self,
                 const char         *kind)
{
  if (kind == NULL || *kind == '\0' || g_str_equal (kind, CHANGES_CHANNEL) ||
      g_ptr_array_find_with_equal_func (self->filter_kinds, kind, g_str_equal, NULL))
    return FALSE;
  g_ptr_array_add (self->filter_kinds, g_strdup (kind));
  return TRUE;
}

static gboolean
add_running_kinds (ParleyTimelineView *self)
{
  const char * const *running = parley_ui_channel_directory_get_kinds (parley_ui_channel_directory_get_default ());
  gboolean added = FALSE;

  for (guint i = 0; running[i]; i++)
    added |= add_filter_kind (self, running[i]);
  return added;
}

/* Shows the filter's entries again, the one picked still picked (or all
 * channels if it is gone), without reloading the timeline. */
static void
show_filters (ParleyTimelineView *self,
              const char         *picked)
{
  ParleyUiChannelDirectory *directory = parley_ui_channel_directory_get_default ();
  g_autoptr(GtkStringList) filters = gtk_string_list_new (NULL);
  guint select = g_strcmp0 (picked, CHANGES_CHANNEL) == 0 ? self->filter_kinds->len + 1 : 0;

  gtk_string_list_append (filters, _("All channels"));
  for (guint i = 0; i < self->filter_kinds->len; i++)
    {
      const char *kind = g_ptr_array_index (self->filter_kinds, i);

      gtk_string_list_append (filters, parley_ui_channel_directory_get_title (directory, kind));
      if (g_strcmp0 (kind, picked) == 0)
        select = i + 1;
    }
  gtk_string_list_append (filters, _("Changes"));
  g_signal_handlers_block_by_func (self->channel_filter, parley_timeline_view_reload, self);
  gtk_drop_down_set_model (self->channel_filter, G_LIST_MODEL (filters));
  gtk_drop_down_set_selected (self->channel_filter, select);
  g_signal_handlers_unblock_by_func (self->channel_filter, parley_timeline_view_reload, self);
}

/* The filter offers the channels the hub runs and those that appear in
 * this customer's timeline as it loads (a channel since removed), then
 * the changes. The channel picked stays on offer: the timeline shown is
 * filtered by it. */
static void
reset_filters (ParleyTimelineView *self)
{
  g_autofree char *picked = g_strdup (selected_filter_kind (self));

  g_ptr_array_set_size (self->filter_kinds, 0);
  add_running_kinds (self);
  add_filter_kind (self, picked);
  show_filters (self, picked);
}

static void
directory_changed_cb (ParleyTimelineView *self)
{
  g_autofree char *picked = g_strdup (selected_filter_kind (self));

  add_running_kinds (self);
  /* Titles may have changed too. */
  show_filters (self, picked);
}

static void
items_changed_cb (GListModel         *model,
                  guint               position,
                  guint               removed,
                  guint               added,
                  ParleyTimelineView *self)
{
  g_autofree char *picked = g_strdup (selected_filter_kind (self));
  gboolean more = FALSE;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(ParleyTimelineItem) item = g_list_model_get_item (model, i);
      g_autoptr(JsonObject) event = parley_timeline_item_dup_event (item);

      if (event)
        more |= add_filter_kind (self, json_object_get_string_member_with_default (event, "channel", NULL));
    }
  if (more)
    show_filters (self, picked);
  if (self->stick_to_bottom)
    follow_bottom (self);
}

static void
loading_cb (ParleyTimelineModel *model,
            GParamSpec          *pspec,
            ParleyTimelineView  *self)
{
  gboolean loading = parley_timeline_model_get_loading (model);

  gtk_spinner_set_spinning (self->timeline_spinner, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->timeline_spinner), loading);
  /* A first page shorter than the window cannot be scrolled up: go on. */
  if (!loading)
    maybe_load_older (self);
}

static void
drop_model (ParleyTimelineView *self)
{
  if (self->model)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
}

void
parley_timeline_view_reload (ParleyTimelineView *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  const char *channel = selected_filter_kind (self);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->timeline_search));

  g_return_if_fail (PARLEY_IS_TIMELINE_VIEW (self));

  drop_model (self);
  if (self->customer == NULL || self->client == NULL)
    {
      gtk_list_view_set_model (self->timeline_view, NULL);
      return;
    }
  self->model = parley_timeline_model_new (self->client, customer_id (self), channel, search);
  g_signal_connect (self->model, "notify::loading", G_CALLBACK (loading_cb), self);
  g_signal_connect (self->model, "items-changed", G_CALLBACK (items_changed_cb), self);
  loading_cb (self->model, NULL, self);
  self->stick_to_bottom = TRUE;
  self->previous_upper = 0;
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  gtk_list_view_set_model (self->timeline_view, GTK_SELECTION_MODEL (selection));
}

static gboolean
search_timeout_cb (gpointer user_data)
{
  ParleyTimelineView *self = user_data;

  self->search_source = 0;
  parley_timeline_view_reload (self);
  return G_SOURCE_REMOVE;
}

static void
search_changed_cb (ParleyTimelineView *self)
{
  g_clear_handle_id (&self->search_source, g_source_remove);
  self->search_source = g_timeout_add (250, search_timeout_cb, self);
}

static void
row_setup_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              ParleyTimelineView       *self)
{
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, parley_timeline_row_new ());
}

static void
row_bind_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             ParleyTimelineView       *self)
{
  parley_timeline_row_bind (PARLEY_TIMELINE_ROW (gtk_list_item_get_child (item)),
                            gtk_list_item_get_item (item), self->plugins);
}

/* ---- typing and read receipts ---------------------------------------------- */

static void
receipt_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  /* Best effort: a channel that cannot show receipts ignores them. */
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);
}

/* The customer's message is on the agent's screen: tell them it was read. */
static void
mark_read (ParleyTimelineView *self,
           JsonObject         *event)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gint64 id = json_object_get_int_member_with_default (event, "id", 0);
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *path = NULL;

  if (!self->sends_receipts || id <= self->read_up_to ||
      json_object_get_int_member_with_default (event, "conversation_id", 0) != self->conversation_id ||
      g_strcmp0 (json_object_get_string_member_with_default (event, "direction", ""), "in") != 0 ||
      !GTK_IS_WINDOW (root) || !gtk_window_is_active (GTK_WINDOW (root)))
    return;
  self->read_up_to = id;
  body = json_object_new ();
  json_object_set_string_member (body, "activity", "read");
  json_object_set_string_member (body, "channel", json_object_get_string_member_with_default (event, "channel", ""));
  json_object_set_int_member (body, "up_to", id);
  path = g_strdup_printf ("conversations/%" G_GINT64_FORMAT "/activity", self->conversation_id);
  /* Not cancelled when the view moves on: the customer should still know. */
  parley_client_request_async (self->client, "POST", path, body, NULL, receipt_sent_cb, NULL);
}

static gboolean
hide_typing_cb (gpointer user_data)
{
  ParleyTimelineView *self = user_data;

  self->typing_source = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->typing_label), FALSE);
  return G_SOURCE_REMOVE;
}

static void
show_typing (ParleyTimelineView *self,
             gboolean            typing)
{
  g_autofree char *text = NULL;

  g_clear_handle_id (&self->typing_source, g_source_remove);
  if (typing && self->customer)
    {
      /* Translators: %s is the customer's name */
      text = g_strdup_printf (_("%s is typing…"), json_object_get_string_member_with_default (self->customer, "name", ""));
      gtk_label_set_text (self->typing_label, text);
      self->typing_source = g_timeout_add_seconds (TYPING_SHOWN_SECONDS, hide_typing_cb, self);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->typing_label), typing && self->customer);
}

/* ---- the hub's pushes ------------------------------------------------------ */

static void
event_pushed_cb (ParleyClient       *client,
                 const char         *type,
                 JsonObject         *message,
                 ParleyTimelineView *self)
{
  JsonObject *event = parley_json_get_object (message, "event", FALSE, NULL);

  if (event == NULL || self->model == NULL)
    return;
  parley_timeline_model_add_event (self->model, event);
  if (json_object_get_int_member_with_default (event, "conversation_id", 0) == self->conversation_id &&
      g_strcmp0 (json_object_get_string_member_with_default (event, "direction", ""), "in") == 0)
    {
      show_typing (self, FALSE);
      mark_read (self, event);
    }
}

static void
activity_pushed_cb (ParleyClient       *client,
                    const char         *type,
                    JsonObject         *message,
                    ParleyTimelineView *self)
{
  if (json_object_get_int_member_with_default (message, "conversation", 0) == self->conversation_id &&
      g_strcmp0 (json_object_get_string_member_with_default (message, "activity", ""), "typing") == 0)
    show_typing (self, json_object_get_boolean_member_with_default (message, "typing", FALSE));
}

/* ---- GObject --------------------------------------------------------------- */

static void
parley_timeline_view_dispose (GObject *object)
{
  ParleyTimelineView *self = PARLEY_TIMELINE_VIEW (object);

  g_clear_handle_id (&self->search_source, g_source_remove);
  g_clear_handle_id (&self->typing_source, g_source_remove);
  if (self->settle_source)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->settle_source);
  self->settle_source = 0;
  drop_model (self);
  if (self->client)
    g_signal_handlers_disconnect_by_data (self->client, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARLEY_TYPE_TIMELINE_VIEW);
  g_clear_object (&self->client);
  g_clear_object (&self->plugins);
  G_OBJECT_CLASS (parley_timeline_view_parent_class)->dispose (object);
}

static void
parley_timeline_view_finalize (GObject *object)
{
  ParleyTimelineView *self = PARLEY_TIMELINE_VIEW (object);

  g_clear_pointer (&self->customer, json_object_unref);
  g_clear_pointer (&self->filter_kinds, g_ptr_array_unref);
  G_OBJECT_CLASS (parley_timeline_view_parent_class)->finalize (object);
}

static gboolean
focus_newest (ParleyTimelineView *self)
{
  guint n = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  g_autoptr(GObject) newest = n > 0 ? g_list_model_get_item (G_LIST_MODEL (self->model), n - 1) : NULL;

  self->stick_to_bottom = TRUE;
  scroll_to_bottom (self);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->timeline_view)); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);

      if (newest && PARLEY_IS_TIMELINE_ROW (row) &&
          parley_timeline_row_get_item (PARLEY_TIMELINE_ROW (row)) == (gpointer) newest &&
          gtk_widget_grab_focus (child))
        return TRUE;
    }
  return gtk_widget_grab_focus (GTK_WIDGET (self->timeline_view));
}

static gboolean
parley_timeline_view_grab_focus (GtkWidget *widget)
{
  return focus_newest (PARLEY_TIMELINE_VIEW (widget));
}

/* Tab and Shift+Tab go through three stops: the channel filter, the
 * search, and the list as ONE stop (its newest message; the arrow keys
 * move between messages). GTK's own order made every message a stop, and
 * coming back into the list from below did not always find one. */
static gboolean
parley_timeline_view_focus (GtkWidget        *widget,
                            GtkDirectionType  direction)
{
  ParleyTimelineView *self = PARLEY_TIMELINE_VIEW (widget);
  GtkWidget *stops[] = { GTK_WIDGET (self->channel_filter), GTK_WIDGET (self->timeline_search),
                         GTK_WIDGET (self->timeline_scroller) };
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  int step = direction == GTK_DIR_TAB_FORWARD ? 1 : -1;
  int current = -1;

  if (direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD)
    return GTK_WIDGET_CLASS (parley_timeline_view_parent_class)->focus (widget, direction);
  for (int i = 0; focus && i < (int) G_N_ELEMENTS (stops); i++)
    if (focus == stops[i] || gtk_widget_is_ancestor (focus, stops[i]))
      current = i;
  if (current < 0)
    current = step > 0 ? -1 : (int) G_N_ELEMENTS (stops);
  for (int i = current + step; i >= 0 && i < (int) G_N_ELEMENTS (stops); i += step)
    if (gtk_widget_get_mapped (stops[i]) &&
        (stops[i] == GTK_WIDGET (self->timeline_scroller) ? focus_newest (self) : gtk_widget_child_focus (stops[i], direction)))
      return TRUE;
  return FALSE;
}

static void
parley_timeline_view_class_init (ParleyTimelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = parley_timeline_view_dispose;
  object_class->finalize = parley_timeline_view_finalize;
  widget_class->realize = parley_timeline_view_realize;
  widget_class->unrealize = parley_timeline_view_unrealize;
  widget_class->grab_focus = parley_timeline_view_grab_focus;
  widget_class->focus = parley_timeline_view_focus;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/parley/Parley/ui/parley-timeline-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ParleyTimelineView, box);
  gtk_widget_class_bind_template_child (widget_class, ParleyTimelineView, channel_filter);
  gtk_widget_class_bind_template_child (widget_class, ParleyTimelineView, timeline_search);
  gtk_widget_class_bind_template_child (widget_class, ParleyTimelineView, timeline_scroller);
  gtk_widget_class_bind_template_child (widget_class, ParleyTimelineView, timeline_view);
  gtk_widget_class_bind_template_child (widget_class, ParleyTimelineView, timeline_spinner);
  gtk_widget_class_bind_template_child (widget_class, ParleyTimelineView, typing_label);
}

static void
parley_timeline_view_init (ParleyTimelineView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (row_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind_cb), self);
  gtk_list_view_set_factory (self->timeline_view, factory);

  self->filter_kinds = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect_swapped (self->channel_filter, "notify::selected", G_CALLBACK (parley_timeline_view_reload), self);
  reset_filters (self);
  g_signal_connect_object (parley_ui_channel_directory_get_default (), "changed",
                           G_CALLBACK (directory_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_swapped (self->timeline_search, "search-changed", G_CALLBACK (search_changed_cb), self);

  /* Watches, without taking them, the keys that scroll. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->timeline_scroller), keys);

  adjustment = gtk_scrolled_window_get_vadjustment (self->timeline_scroller);
  g_signal_connect (adjustment, "value-changed", G_CALLBACK (value_changed_cb), self);
  g_signal_connect (adjustment, "notify::upper", G_CALLBACK (upper_changed_cb), self);
}

/* Hands the view its client (again on each sign-in) and plugins. */
void
parley_timeline_view_setup (ParleyTimelineView *self,
                            ParleyClient       *client,
                            ParleyPluginHost   *plugins)
{
  g_return_if_fail (PARLEY_IS_TIMELINE_VIEW (self));

  if (self->client)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  g_set_object (&self->plugins, plugins);
  g_signal_connect_object (client, "message::event", G_CALLBACK (event_pushed_cb), self, 0);
  g_signal_connect_object (client, "message::activity", G_CALLBACK (activity_pushed_cb), self, 0);
}

/* Shows @customer's timeline (from the newest event), or none (NULL). */
void
parley_timeline_view_set_customer (ParleyTimelineView *self,
                                   JsonObject         *customer)
{
  g_return_if_fail (PARLEY_IS_TIMELINE_VIEW (self));

  if (customer)
    json_object_ref (customer);
  g_clear_pointer (&self->customer, json_object_unref);
  self->customer = customer;
  show_typing (self, FALSE);
  reset_filters (self);
  parley_timeline_view_reload (self);
}

/* The conversation the agent works in: its customer's typing shows, and
 * its messages on screen are marked read when @sends_receipts (the agent
 * holds it and it is open). */
void
parley_timeline_view_set_conversation (ParleyTimelineView *self,
                                       gint64              conversation_id,
                                       gboolean            sends_receipts)
{
  g_return_if_fail (PARLEY_IS_TIMELINE_VIEW (self));

  if (conversation_id != self->conversation_id)
    {
      self->read_up_to = 0;
      show_typing (self, FALSE);
    }
  self->conversation_id = conversation_id;
  self->sends_receipts = sends_receipts;
}

/* Marks @event (the conversation's latest, as the sidebar had it) read
 * when the agent opens the conversation. */
void
parley_timeline_view_mark_read (ParleyTimelineView *self,
                                JsonObject         *event)
{
  g_return_if_fail (PARLEY_IS_TIMELINE_VIEW (self));

  mark_read (self, event);
}

/* An event the agent's own request brought back (a reply just sent): it
 * shows at once, and the push that follows only replaces it. */
void
parley_timeline_view_add_event (ParleyTimelineView *self,
                                JsonObject         *event)
{
  g_return_if_fail (PARLEY_IS_TIMELINE_VIEW (self));

  self->stick_to_bottom = TRUE;
  if (self->model)
    parley_timeline_model_add_event (self->model, event);
}

void
parley_timeline_view_focus_search (ParleyTimelineView *self)
{
  g_return_if_fail (PARLEY_IS_TIMELINE_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->timeline_search));
}

/* Focuses the list on its newest message, scrolled into view: where the
 * agent coming from the composer reads on (the arrow keys move up). */
void
parley_timeline_view_focus_list (ParleyTimelineView *self)
{
  g_return_if_fail (PARLEY_IS_TIMELINE_VIEW (self));

  focus_newest (self);
}
