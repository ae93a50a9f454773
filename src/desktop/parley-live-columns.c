/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-live-columns"

#include "config.h"

#include "parley-live-columns.h"

/* Columns of #ParleyLiveItem rows whose cells are labels, each with an
 * icon beside it when it needs one (a missed target, an agent's state: a
 * colour alone does not say it): a cell listens to its item while bound
 * and redraws only its own text when the item changes, so live figures
 * update in place without rebuilding rows. */

typedef struct
{
  ParleyLiveRender render;
  gpointer         user_data;
  float            xalign;
} Column;

static void
item_changed_cb (ParleyLiveItem *item,
                 GtkLabel       *label)
{
  Column *column = g_object_get_data (G_OBJECT (label), "live-column");

  column->render (label, item, column->user_data);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          Column                   *column)
{
  GtkWidget *cell = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_visible (icon, FALSE);
  gtk_label_set_xalign (GTK_LABEL (label), column->xalign);
  /* Nothing is cut short ("Away:…" hides the reason): the table scrolls
   * sideways instead. */
  gtk_widget_set_hexpand (label, column->xalign < 1);
  gtk_widget_set_halign (cell, column->xalign < 1 ? GTK_ALIGN_FILL : GTK_ALIGN_END);
  g_object_set_data (G_OBJECT (label), "live-column", column);
  g_object_set_data (G_OBJECT (label), "live-icon", icon);
  gtk_box_append (GTK_BOX (cell), icon);
  gtk_box_append (GTK_BOX (cell), label);
  gtk_list_item_set_child (list_item, cell);
}

static GtkLabel *
cell_label (GtkListItem *list_item)
{
  return GTK_LABEL (gtk_widget_get_last_child (gtk_list_item_get_child (list_item)));
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         Column                   *column)
{
  GtkLabel *label = cell_label (list_item);
  ParleyLiveItem *item = gtk_list_item_get_item (list_item);

  column->render (label, item, column->user_data);
  g_signal_connect_object (item, "changed", G_CALLBACK (item_changed_cb), label, 0);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           Column                   *column)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (list_item), item_changed_cb, cell_label (list_item));
}

/* Shows @icon_name beside a cell's @label (NULL hides it), and tells
 * screen readers what it means in @description. */
void
parley_live_cell_set_icon (GtkLabel   *label,
                           const char *icon_name,
                           const char *description)
{
  GtkImage *icon = g_object_get_data (G_OBJECT (label), "live-icon");

  g_return_if_fail (GTK_IS_IMAGE (icon));
  gtk_image_set_from_icon_name (icon, icon_name);
  gtk_widget_set_visible (GTK_WIDGET (icon), icon_name != NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description ? description : "", -1);
}

/* A column titled @title whose cells @render fills, aligned at @xalign (0
 * for text, 1 for figures); @sorter (taken) sorts by it when given. */
GtkColumnViewColumn *
parley_live_column_new (const char       *title,
                        float             xalign,
                        ParleyLiveRender  render,
                        gpointer          user_data,
                        GtkSorter        *sorter)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  Column *column = g_new0 (Column, 1);
  GtkColumnViewColumn *view_column;

  column->render = render;
  column->user_data = user_data;
  column->xalign = xalign;
  g_object_set_data_full (G_OBJECT (factory), "live-column", column, g_free);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), column);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), column);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), column);
  view_column = gtk_column_view_column_new (title, factory);
  if (sorter)
    gtk_column_view_column_set_sorter (view_column, sorter);
  g_clear_object (&sorter);
  return view_column;
}

/* Sorts @model (taken) by @view's columns, by the first one to begin
 * with; returns the sorted model to show. */
GListModel *
parley_live_columns_sort (GtkColumnView *view,
                          GListModel    *model)
{
  GtkSortListModel *sorted = gtk_sort_list_model_new (model, g_object_ref (gtk_column_view_get_sorter (view)));
  g_autoptr(GtkColumnViewColumn) first = g_list_model_get_item (gtk_column_view_get_columns (view), 0);

  gtk_column_view_sort_by_column (view, first, GTK_SORT_ASCENDING);
  return G_LIST_MODEL (sorted);
}
