/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-conversation-row"

#include "config.h"

#include <glib/gi18n.h>
#include <parley-ui.h>

#include "parley-conversation-row.h"

/* A conversation in the sidebar: channel, customer, the latest message and
 * how long ago it moved, with an unread dot. It shows a
 * #ParleyConversationItem and follows its changes. */
struct _ParleyConversationRow
{
  GtkListBoxRow           parent_instance;

  ParleyConversationItem *item;
  GtkImage               *icon;
  GtkLabel               *name;
  GtkLabel               *preview;
  GtkLabel               *age;
  GtkWidget              *dot;
};

G_DEFINE_FINAL_TYPE (ParleyConversationRow, parley_conversation_row, GTK_TYPE_LIST_BOX_ROW)

static void
update_accessible_label (ParleyConversationRow *self)
{
  const char *channel = parley_conversation_item_get_channel (self->item);
  g_autofree char *label = NULL;

  /* Translators: accessible name of a sidebar row: customer, channel, unread */
  label = g_strdup_printf (parley_conversation_item_get_unread (self->item) ? _("%s, %s, unread") : _("%s, %s"),
                           parley_conversation_item_get_customer_name (self->item),
                           parley_ui_channel_directory_get_title (parley_ui_channel_directory_get_default (), channel));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
item_changed_cb (ParleyConversationRow *self)
{
  const char *channel = parley_conversation_item_get_channel (self->item);
  gboolean unread = parley_conversation_item_get_unread (self->item);

  gtk_image_set_from_icon_name (self->icon, parley_ui_channel_directory_get_icon_name (parley_ui_channel_directory_get_default (), channel));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->icon), parley_ui_channel_directory_get_title (parley_ui_channel_directory_get_default (), channel));
  gtk_widget_set_visible (self->dot, unread);
  if (unread)
    gtk_widget_add_css_class (GTK_WIDGET (self->name), "unread");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name), "unread");
  parley_conversation_row_tick (self);
  update_accessible_label (self);
  /* The list sorts and files rows by what they show. */
  gtk_list_box_row_changed (GTK_LIST_BOX_ROW (self));
}

static void
parley_conversation_row_dispose (GObject *object)
{
  ParleyConversationRow *self = PARLEY_CONVERSATION_ROW (object);

  if (self->item)
    g_signal_handlers_disconnect_by_data (self->item, self);
  g_clear_object (&self->item);
  G_OBJECT_CLASS (parley_conversation_row_parent_class)->dispose (object);
}

static void
parley_conversation_row_class_init (ParleyConversationRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = parley_conversation_row_dispose;
}

static GtkLabel *
ellipsized_label (void)
{
  GtkLabel *label = GTK_LABEL (gtk_label_new (NULL));

  gtk_label_set_xalign (label, 0);
  gtk_label_set_ellipsize (label, PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (label, TRUE);
  /* Asks for no width of its own: long names and messages are cut, never
   * widen the sidebar. */
  gtk_label_set_width_chars (label, 1);
  gtk_label_set_max_width_chars (label, 1);
  gtk_widget_set_hexpand (GTK_WIDGET (label), TRUE);
  return label;
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
  self->name = ellipsized_label ();
  gtk_widget_add_css_class (GTK_WIDGET (self->name), "heading");
  self->age = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->age), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->age), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->age), "numeric");
  self->preview = ellipsized_label ();
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
parley_conversation_row_new (ParleyConversationItem *item)
{
  ParleyConversationRow *self = g_object_new (PARLEY_TYPE_CONVERSATION_ROW, NULL);

  self->item = g_object_ref (item);
  /* Customer text goes in as plain text, never as markup. */
  g_object_bind_property (item, "customer-name", self->name, "label", G_BINDING_SYNC_CREATE);
  g_object_bind_property (item, "preview", self->preview, "label", G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (item, "notify", G_CALLBACK (item_changed_cb), self);
  /* The hub's channels may be learnt after the row is made. */
  g_signal_connect_object (parley_ui_channel_directory_get_default (), "changed",
                           G_CALLBACK (item_changed_cb), self, G_CONNECT_SWAPPED);
  item_changed_cb (self);
  return GTK_WIDGET (self);
}

ParleyConversationItem *
parley_conversation_row_get_item (ParleyConversationRow *self)
{
  return self->item;
}

/* Refreshes how long ago the conversation moved; called every few seconds. */
void
parley_conversation_row_tick (ParleyConversationRow *self)
{
  gint64 since = parley_conversation_item_get_updated (self->item);
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
