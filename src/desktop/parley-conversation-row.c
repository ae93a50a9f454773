/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-conversation-row"

#include "config.h"

#include <glib/gi18n.h>
#include <parley-ui.h>

#include "parley-conversation-row.h"

/* A conversation in the sidebar: channel, customer, the latest message and
 * how long the customer has been waiting, with an unread dot. */
struct _ParleyConversationRow
{
  GtkListBoxRow  parent_instance;

  JsonObject    *conversation;
  gboolean       unread;
  GtkImage      *icon;
  GtkLabel      *name;
  GtkLabel      *preview;
  GtkLabel      *age;
  GtkWidget     *dot;
};

G_DEFINE_FINAL_TYPE (ParleyConversationRow, parley_conversation_row, GTK_TYPE_LIST_BOX_ROW)

static void
parley_conversation_row_finalize (GObject *object)
{
  g_clear_pointer (&PARLEY_CONVERSATION_ROW (object)->conversation, json_object_unref);
  G_OBJECT_CLASS (parley_conversation_row_parent_class)->finalize (object);
}

static void
parley_conversation_row_class_init (ParleyConversationRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = parley_conversation_row_finalize;
}

static void
parley_conversation_row_init (ParleyConversationRow *self)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  gtk_widget_set_margin_top (grid, 6);
  gtk_widget_set_margin_bottom (grid, 6);
  gtk_widget_set_margin_start (grid, 6);
  gtk_widget_set_margin_end (grid, 6);

  self->icon = GTK_IMAGE (gtk_image_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->icon), GTK_ALIGN_START);
  self->name = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->name, 0);
  gtk_label_set_ellipsize (self->name, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->name), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->name), "heading");
  self->age = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->age), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->age), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->age), "numeric");
  self->preview = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->preview, 0);
  gtk_label_set_ellipsize (self->preview, PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (self->preview, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->preview), "dim-label");
  self->dot = gtk_image_new_from_icon_name ("media-record-symbolic");
  gtk_widget_add_css_class (self->dot, "unread-dot");
  gtk_widget_add_css_class (self->dot, "accent");
  gtk_widget_set_visible (self->dot, FALSE);

  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->icon), 0, 0, 1, 2);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->name), 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->age), 2, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->preview), 1, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), self->dot, 2, 1, 1, 1);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), grid);
}

GtkWidget *
parley_conversation_row_new (JsonObject *conversation)
{
  ParleyConversationRow *self = g_object_new (PARLEY_TYPE_CONVERSATION_ROW, NULL);

  parley_conversation_row_set_conversation (self, conversation);
  return GTK_WIDGET (self);
}

JsonObject *
parley_conversation_row_get_conversation (ParleyConversationRow *self)
{
  return self->conversation;
}

gint64
parley_conversation_row_get_id (ParleyConversationRow *self)
{
  return json_object_get_int_member_with_default (self->conversation, "id", 0);
}

static void
update_accessible_label (ParleyConversationRow *self)
{
  const char *channel = json_object_get_string_member_with_default (self->conversation, "channel", "");
  g_autofree char *label = NULL;

  /* Translators: accessible name of a sidebar row: customer, channel, unread */
  label = g_strdup_printf (self->unread ? _("%s, %s, unread") : _("%s, %s"),
                           gtk_label_get_text (self->name), parley_ui_channel_title_for_kind (channel));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* Refreshes the waiting time; called every few seconds. */
void
parley_conversation_row_tick (ParleyConversationRow *self)
{
  gint64 since = json_object_get_int_member_with_default (self->conversation, "updated", 0);
  gint64 seconds = MAX (0, (g_get_real_time () - since) / G_USEC_PER_SEC);
  g_autofree char *text = NULL;

  if (seconds < 60)
    /* Translators: waiting time in seconds, keep it short */
    text = g_strdup_printf (_("%d s"), (int) seconds);
  else if (seconds < 3600)
    /* Translators: waiting time in minutes, keep it short */
    text = g_strdup_printf (_("%d min"), (int) (seconds / 60));
  else if (seconds < 86400)
    /* Translators: waiting time in hours, keep it short */
    text = g_strdup_printf (_("%d h"), (int) (seconds / 3600));
  else
    /* Translators: waiting time in days, keep it short */
    text = g_strdup_printf (_("%d d"), (int) (seconds / 86400));
  gtk_label_set_text (self->age, text);
}

void
parley_conversation_row_set_conversation (ParleyConversationRow *self,
                                          JsonObject            *conversation)
{
  const char *name = json_object_get_string_member_with_default (conversation, "customer_name", NULL);
  const char *channel = json_object_get_string_member_with_default (conversation, "channel", "");
  JsonNode *last = json_object_get_member (conversation, "last_event");
  const char *preview = NULL;

  g_clear_pointer (&self->conversation, json_object_unref);
  self->conversation = json_object_ref (conversation);

  if (last && JSON_NODE_HOLDS_OBJECT (last))
    preview = json_object_get_string_member_with_default (json_node_get_object (last), "text", NULL);
  gtk_image_set_from_icon_name (self->icon, parley_ui_channel_icon_for_kind (channel));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->icon), parley_ui_channel_title_for_kind (channel));
  /* Customer text goes in as plain text, never as markup. */
  gtk_label_set_text (self->name, name && *name ? name : _("Unknown customer"));
  gtk_label_set_text (self->preview, preview ? preview : "");
  parley_conversation_row_tick (self);
  update_accessible_label (self);
}

void
parley_conversation_row_set_unread (ParleyConversationRow *self,
                                    gboolean               unread)
{
  self->unread = unread;
  gtk_widget_set_visible (self->dot, unread);
  if (unread)
    gtk_widget_add_css_class (GTK_WIDGET (self->name), "unread");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name), "unread");
  update_accessible_label (self);
}

gboolean
parley_conversation_row_get_unread (ParleyConversationRow *self)
{
  return self->unread;
}
