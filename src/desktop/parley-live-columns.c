/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-live-columns"

#include "config.h"

#include "parley-live-columns.h"

/* Columns of #ParleyLiveItem rows whose cells are labels: a cell listens to
 * its item while bound and redraws only its own text when the item
 * changes, so live figures update in place without rebuilding rows. */

typedef struct
{
  ParleyLiveRender render;
  gpointer         user_data;
  float            xalign;
} Column;

static void
item_changed_cb (ParleyLiveItem *item,
                 GParamSpec     *pspec,
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
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column->xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  g_object_set_data (G_OBJECT (label), "live-column", column);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         Column                   *column)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  ParleyLiveItem *item = gtk_list_item_get_item (list_item);

  column->render (GTK_LABEL (label), item, column->user_data);
  g_signal_connect_object (item, "notify::object", G_CALLBACK (item_changed_cb), label, 0);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           Column                   *column)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (list_item), item_changed_cb,
                                        gtk_list_item_get_child (list_item));
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
