/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-ui-event-view"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "parley-ui-attachment-button.h"
#include "parley-ui-channel.h"
#include "parley-ui-channel-directory.h"
#include "parley-ui-event-view.h"
#include "parley-ui-labels.h"
#include "parley-ui-message-text.h"

/**
 * ParleyUiEventView:
 *
 * The generic timeline entry: a message bubble (incoming on the left,
 * outgoing on the right), an internal note, or a one-line record of a state
 * change. Customer text is always shown as plain text, never as markup.
 * An event that carries a file (`metadata.attachment`) shows it under the
 * text as a #ParleyUiAttachmentButton, fetched with the client given to
 * parley_ui_event_view_set_client().
 */
struct _ParleyUiEventView
{
  GtkWidget     parent_instance;

  GtkWidget    *bubble;
  GtkImage     *channel_icon;
  GtkLabel     *author;
  GtkLabel     *meta;
  GtkWidget    *body;
  GtkWidget    *attachment;  /* made for the first event with a file */

  ParleyClient *client;     /* what files are fetched with */

  /* What the last bind set, so a rebind to a similar event restyles and
   * reloads nothing: a row is rebound every time it scrolls into view. */
  const char *bubble_class;
  char       *icon_name;
  char       *channel_class;  /* "channel-email": the channel's accent colour */
  GtkAlign    side;  /* where the bubble sits: start, end or centre */
};

G_DEFINE_FINAL_TYPE (ParleyUiEventView, parley_ui_event_view, GTK_TYPE_WIDGET)


static void
parley_ui_event_view_dispose (GObject *object)
{
  ParleyUiEventView *self = PARLEY_UI_EVENT_VIEW (object);

  g_clear_pointer (&self->bubble, gtk_widget_unparent);
  g_clear_object (&self->client);
  g_clear_pointer (&self->channel_class, g_free);
  g_clear_pointer (&self->icon_name, g_free);
  G_OBJECT_CLASS (parley_ui_event_view_parent_class)->dispose (object);
}

/* The bubble is placed here rather than through its halign: GTK 4.8 sizes
 * a widget aligned to one side by asking its width for the height it got,
 * and a box of wrapping text answers that by laying the text out at a
 * dozen widths in turn. Here the bubble is as wide as its text asks, up to
 * the width there is, and as tall as that width makes it. */
static int
bubble_width (ParleyUiEventView *self,
              int                available)
{
  int natural;

  gtk_widget_measure (self->bubble, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
  return available < 0 ? natural : MIN (natural, available);
}

static void
parley_ui_event_view_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  ParleyUiEventView *self = PARLEY_UI_EVENT_VIEW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    gtk_widget_measure (self->bubble, orientation, -1, minimum, natural, NULL, NULL);
  else
    gtk_widget_measure (self->bubble, orientation, bubble_width (self, for_size),
                        minimum, natural, minimum_baseline, natural_baseline);
}

static void
parley_ui_event_view_size_allocate (GtkWidget *widget,
                                    int        width,
                                    int        height,
                                    int        baseline)
{
  ParleyUiEventView *self = PARLEY_UI_EVENT_VIEW (widget);
  int bubble = bubble_width (self, width);
  GtkAlign side = self->side;
  int x;

  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL && side != GTK_ALIGN_CENTER)
    side = side == GTK_ALIGN_END ? GTK_ALIGN_START : GTK_ALIGN_END;
  x = side == GTK_ALIGN_END ? width - bubble : side == GTK_ALIGN_CENTER ? (width - bubble) / 2 : 0;
  gtk_widget_size_allocate (self->bubble, &(GtkAllocation) { x, 0, bubble, height }, -1);
}

static GtkSizeRequestMode
parley_ui_event_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
parley_ui_event_view_class_init (ParleyUiEventViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = parley_ui_event_view_dispose;
  widget_class->measure = parley_ui_event_view_measure;
  widget_class->size_allocate = parley_ui_event_view_size_allocate;
  widget_class->get_request_mode = parley_ui_event_view_get_request_mode;
  gtk_widget_class_set_css_name (widget_class, "parley-event");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
parley_ui_event_view_init (ParleyUiEventView *self)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->side = GTK_ALIGN_START;
  self->bubble = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_add_css_class (self->bubble, "bubble");
  gtk_widget_set_parent (self->bubble, GTK_WIDGET (self));

  self->channel_icon = GTK_IMAGE (gtk_image_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->channel_icon), "channel-icon");
  self->author = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->author), "heading");
  gtk_label_set_ellipsize (self->author, PANGO_ELLIPSIZE_END);
  self->meta = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->meta), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->meta), "caption");
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->channel_icon));
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->author));
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->meta));

  /* Not a bare wrapping GtkLabel: measuring those was most of the
   * timeline's frame time (see tests/bench/bench-timeline.c). */
  self->body = parley_ui_message_text_new ();

  gtk_box_append (GTK_BOX (self->bubble), header);
  gtk_box_append (GTK_BOX (self->bubble), self->body);
}

/**
 * parley_ui_event_view_new:
 *
 * The generic view of one timeline event: its text and its file.
 *
 * Returns: (transfer full): a new, empty event view
 */
GtkWidget *
parley_ui_event_view_new (void)
{
  return g_object_new (PARLEY_UI_TYPE_EVENT_VIEW, NULL);
}

/* Where an agent's message stands, in words: sending, delivered, failed,
 * or read once the customer has seen it. */
static const char *
delivery_title (JsonObject *event)
{
  const char *delivery = json_object_get_string_member_with_default (event, "delivery", NULL);
  JsonNode *metadata = json_object_get_member (event, "metadata");

  if (metadata && JSON_NODE_HOLDS_OBJECT (metadata) &&
      json_object_has_member (json_node_get_object (metadata), "read_at"))
    return _("read");
  if (g_strcmp0 (delivery, "pending") == 0)
    return _("sending");
  if (g_strcmp0 (delivery, "delivered") == 0)
    return _("delivered");
  if (g_strcmp0 (delivery, "failed") == 0)
    return _("not delivered");
  return NULL;
}

/* The reason the hub or the channel gave for a failed delivery, or NULL. */
static const char *
delivery_error (JsonObject *event)
{
  JsonNode *metadata = json_object_get_member (event, "metadata");

  if (metadata == NULL || !JSON_NODE_HOLDS_OBJECT (metadata))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (metadata), "delivery_error", NULL);
}

static char *
format_meta (JsonObject *event)
{
  const char *channel = json_object_get_string_member_with_default (event, "channel", "");
  /* A call or any other record was never "delivered": only messages are. */
  const char *delivery = g_strcmp0 (json_object_get_string_member_with_default (event, "kind", "message"), "message") == 0
                         ? delivery_title (event) : NULL;
  gint64 created = json_object_get_int_member_with_default (event, "created", 0);
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (created / G_USEC_PER_SEC);
  g_autofree char *time = local ? g_date_time_format (local, "%H:%M") : g_strdup ("");

  if (delivery && *delivery)
    /* Translators: channel · time · delivery state, e.g. "Email · 14:05 · delivered" */
    return g_strdup_printf (_("%s · %s · %s"), parley_ui_channel_directory_get_title (parley_ui_channel_directory_get_default (), channel), time, delivery);
  /* Translators: channel · time, e.g. "Chat · 14:05" */
  return g_strdup_printf (_("%s · %s"), parley_ui_channel_directory_get_title (parley_ui_channel_directory_get_default (), channel), time);
}

static const char *
state_title (const char *state)
{
  static const struct { const char *state; const char *title; } titles[] = {
    { "queued", N_("Conversation waiting in the queue") },
    { "offered", N_("Conversation offered to an agent") },
    { "assigned", N_("Conversation assigned") },
    { "wrap-up", N_("Conversation in wrap-up") },
    { "resolved", N_("Conversation resolved") },
  };

  for (guint i = 0; state && i < G_N_ELEMENTS (titles); i++)
    if (g_str_equal (state, titles[i].state))
      return _(titles[i].title);
  return state;
}

/* A co-browse session as the agent reads it: how it ended, and for a
 * shared one how long and how many pages. */
static char *
describe_cobrowse (JsonObject *metadata)
{
  const char *outcome = json_object_get_string_member_with_default (metadata, "outcome", "");
  gint64 seconds = json_object_get_int_member_with_default (metadata, "duration", 0);
  JsonNode *pages = json_object_get_member (metadata, "pages");
  guint n_pages = pages && JSON_NODE_HOLDS_ARRAY (pages) ? json_array_get_length (json_node_get_array (pages)) : 0;
  g_autofree char *duration = NULL;
  g_autofree char *seen = NULL;

  if (g_str_equal (outcome, "declined"))
    return g_strdup (_("The visitor declined co-browsing"));
  if (g_str_equal (outcome, "unanswered"))
    return g_strdup (_("The visitor did not answer the co-browse request"));
  if (!g_str_equal (outcome, "shared"))
    return g_strdup (_("The co-browse request was withdrawn"));
  duration = seconds >= 60
    /* Translators: how long a co-browse session lasted, in whole minutes */
    ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", (gulong) (seconds / 60)), (guint) (seconds / 60))
    /* Translators: how long a co-browse session lasted, in seconds */
    : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds", (gulong) seconds), (guint) seconds);
  seen = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u page seen", "%u pages seen", n_pages), n_pages);
  /* Translators: a co-browse record: "Co-browsed for 3 minutes, 2 pages seen" */
  return g_strdup_printf (_("Co-browsed for %s, %s"), duration, seen);
}

/* A sentence for a record (state change, merge, survey...), or NULL for
 * messages and notes, whose text is shown as it is. */
static char *
describe_record (JsonObject *event,
                 const char *kind,
                 const char *text)
{
  JsonObject *metadata = json_object_has_member (event, "metadata") &&
                         JSON_NODE_HOLDS_OBJECT (json_object_get_member (event, "metadata")) ?
                         json_object_get_object_member (event, "metadata") : NULL;

  if (g_str_equal (kind, "state"))
    {
      const char *disposition = metadata ? json_object_get_string_member_with_default (metadata, "disposition", NULL) : NULL;
      const char *assignee = metadata ? json_object_get_string_member_with_default (metadata, "agent_name", NULL) : NULL;

      if (g_strcmp0 (text, "assigned") == 0 && assignee && *assignee)
        /* Translators: %s is the agent who took the conversation */
        return g_strdup_printf (_("Conversation assigned to %s"), assignee);
      if (disposition && *disposition)
        {
          g_autofree char *disposition_title = parley_ui_disposition_title (disposition);

          /* Translators: "Conversation resolved: Refund issued" */
          return g_strdup_printf (_("%s: %s"), state_title (text), disposition_title);
        }
      return g_strdup (state_title (text));
    }
  if (g_str_equal (kind, "survey") && metadata)
    {
      /* One survey event holds the scores and the comment given at once
       * (an answer taken elsewhere) or one of them (asked step by step). */
      int nps = (int) json_object_get_int_member_with_default (metadata, "nps", -1);
      int csat = (int) json_object_get_int_member_with_default (metadata, "csat", -1);
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *joined = NULL;

      if (nps >= 0)
        g_ptr_array_add (parts, g_strdup_printf (_("NPS %d of 10"), nps));
      if (csat >= 1)
        g_ptr_array_add (parts, g_strdup_printf (_("CSAT %d of 5"), csat));
      if (text && *text)
        /* Translators: the customer's own words in a survey */
        g_ptr_array_add (parts, g_strdup_printf (_("“%s”"), text));
      g_ptr_array_add (parts, NULL);
      joined = g_strjoinv (" · ", (char **) parts->pdata);
      if (json_object_has_member (metadata, "recorded_by_name"))
        /* Translators: a survey answer the customer gave by phone; the first %s is the
         * supervisor who typed it in, the second the scores and/or comment */
        return g_strdup_printf (_("Survey (recorded by %s): %s"),
                                json_object_get_string_member (metadata, "recorded_by_name"), joined);
      /* Translators: a customer's survey answer: scores and/or their comment */
      return g_strdup_printf (_("Survey: %s"), joined);
    }
  if (g_str_equal (kind, "merge") && metadata && json_object_has_member (metadata, "absorbed_name"))
    {
      gboolean survived = json_object_get_int_member_with_default (event, "customer_id", 0) ==
                          json_object_get_int_member_with_default (metadata, "survivor_id", -1);
      gint64 other = json_object_get_int_member_with_default (metadata, survived ? "absorbed_id" : "survivor_id", 0);
      const char *name = json_object_get_string_member_with_default (metadata, survived ? "absorbed_name" : "survivor_name", "");
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, other);

      return survived
        /* Translators: a merge record in the surviving customer's timeline: the other's number and name */
        ? g_strdup_printf (_("Customer #%s (%s) merged into this one"), number, name)
        /* Translators: a merge record in the merged customer's timeline: the survivor's number and name */
        : g_strdup_printf (_("Merged into customer #%s (%s)"), number, name);
    }
  if (g_str_equal (kind, "merge"))
    /* Translators: a merge record, %s is what the hub wrote about it */
    return g_strdup_printf (_("Customers merged: %s"), text ? text : "");
  if (g_str_equal (kind, "cobrowse") && metadata && json_object_has_member (metadata, "outcome"))
    return describe_cobrowse (metadata);
  if (g_str_equal (kind, "unmerge"))
    return g_strdup_printf (_("Merge undone: %s"), text ? text : "");
  if (g_str_equal (kind, "link"))
    return g_strdup_printf (_("Identity linked: %s"), text ? text : "");
  if (g_str_equal (kind, "match") && metadata && json_object_has_member (metadata, "customer_name"))
    /* Translators: a customer this chat visitor may be; %s is their name */
    return g_strdup_printf (_("Possible match: %s"), json_object_get_string_member (metadata, "customer_name"));
  return NULL;
}

/**
 * parley_ui_event_view_set_client:
 * @self: a #ParleyUiEventView
 * @client: (nullable): the signed-in hub connection, or %NULL
 *
 * Sets the connection the event's file, if it has one, is fetched with.
 * Channels call it as they bind a view (the generic channel with
 * parley_ui_channel_get_client()), since views are shared between them.
 */
void
parley_ui_event_view_set_client (ParleyUiEventView *self,
                                 ParleyClient      *client)
{
  g_return_if_fail (PARLEY_UI_IS_EVENT_VIEW (self));
  g_return_if_fail (client == NULL || PARLEY_IS_CLIENT (client));

  if (g_set_object (&self->client, client) && self->attachment)
    parley_ui_attachment_button_set_client (PARLEY_UI_ATTACHMENT_BUTTON (self->attachment), client);
}

/* The file under the text. Most events have none: their views never make
 * the button, and binding them hides it at most. */
static void
show_attachment (ParleyUiEventView *self,
                 JsonObject        *attachment)
{
  if (attachment == NULL && self->attachment == NULL)
    return;
  if (self->attachment == NULL)
    {
      self->attachment = parley_ui_attachment_button_new ();
      gtk_widget_set_margin_top (self->attachment, 4);
      parley_ui_attachment_button_set_client (PARLEY_UI_ATTACHMENT_BUTTON (self->attachment), self->client);
      gtk_box_append (GTK_BOX (self->bubble), self->attachment);
    }
  parley_ui_attachment_button_set_attachment (PARLEY_UI_ATTACHMENT_BUTTON (self->attachment), attachment);
}

/**
 * parley_ui_event_view_set_event:
 * @self: a #ParleyUiEventView
 * @event: the hub's event object
 *
 * Shows @event.
 */
void
parley_ui_event_view_set_event (ParleyUiEventView *self,
                                JsonObject        *event)
{
  const char *kind = json_object_get_string_member_with_default (event, "kind", "message");
  const char *direction = json_object_get_string_member_with_default (event, "direction", "in");
  const char *author = json_object_get_string_member_with_default (event, "author_name", NULL);
  const char *text = json_object_get_string_member_with_default (event, "text", NULL);
  const char *channel = json_object_get_string_member_with_default (event, "channel", "");
  const char *bubble_class;  /* a static string */
  const char *icon_name;
  g_autofree char *meta = format_meta (event);
  g_autofree char *spoken_meta = NULL;
  const char *reason = NULL;
  g_autofree char *description = NULL;
  g_autofree char *record = NULL;
  g_autofree char *channel_class = NULL;

  if (g_str_equal (kind, "note"))
    bubble_class = "note";
  else if (!g_str_equal (kind, "message"))
    bubble_class = "record";
  else if (g_str_equal (direction, "out"))
    bubble_class = "outgoing";
  else
    bubble_class = "incoming";

  if (g_strcmp0 (bubble_class, self->bubble_class) != 0)
    {
      if (self->bubble_class)
        gtk_widget_remove_css_class (self->bubble, self->bubble_class);
      gtk_widget_add_css_class (self->bubble, bubble_class);
      self->side = g_str_equal (bubble_class, "outgoing") ? GTK_ALIGN_END :
                   g_str_equal (bubble_class, "record") ? GTK_ALIGN_CENTER : GTK_ALIGN_START;
      gtk_widget_queue_allocate (GTK_WIDGET (self));
      self->bubble_class = bubble_class;
    }

  channel_class = g_strconcat ("channel-", channel, NULL);
  if (g_strcmp0 (channel_class, self->channel_class) != 0)
    {
      if (self->channel_class)
        gtk_widget_remove_css_class (GTK_WIDGET (self), self->channel_class);
      gtk_widget_add_css_class (GTK_WIDGET (self), channel_class);
      g_free (self->channel_class);
      self->channel_class = g_steal_pointer (&channel_class);
    }
  icon_name = parley_ui_channel_directory_get_icon_name (parley_ui_channel_directory_get_default (), channel);
  if (g_strcmp0 (self->icon_name, icon_name) != 0)
    {
      g_free (self->icon_name);
      self->icon_name = g_strdup (icon_name);
      gtk_image_set_from_icon_name (self->channel_icon, icon_name);
    }
  if (g_str_equal (kind, "note"))
    /* Translators: header of an internal note, %s is the agent */
    description = g_strdup_printf (_("Internal note by %s"), author ? author : "");
  gtk_label_set_text (self->author, description ? description : author ? author : "");
  gtk_widget_set_visible (GTK_WIDGET (self->author), (author && *author) || description);
  gtk_label_set_text (self->meta, meta);
  /* Why a message did not go out, in the channel's words. */
  if (g_strcmp0 (json_object_get_string_member_with_default (event, "delivery", NULL), "failed") == 0)
    reason = delivery_error (event);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->meta), reason);
  if (!g_str_equal (kind, "message") && !g_str_equal (kind, "note"))
    record = describe_record (event, kind, text);
  parley_ui_message_text_set_text (PARLEY_UI_MESSAGE_TEXT (self->body), record ? record : text && *text ? text : kind);
  show_attachment (self, parley_ui_event_get_attachment (event));

  /* Screen readers hear who, where and what in one go. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_text (self->author), -1);
  if (reason != NULL)
    /* Translators: a message's channel, time and state, then why it was
     * not delivered, e.g. "Email · 14:05 · not delivered: No such mailbox" */
    spoken_meta = g_strdup_printf (_("%s: %s"), meta, reason);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  spoken_meta ? spoken_meta : meta, -1);
}
