/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "parley-live-item.h"

G_BEGIN_DECLS

/* Shows what @label should say about @item now. */
typedef void (*ParleyLiveRender) (GtkLabel       *label,
                                  ParleyLiveItem *item,
                                  gpointer        user_data);

GtkColumnViewColumn *parley_live_column_new (const char       *title,
                                             float             xalign,
                                             ParleyLiveRender  render,
                                             gpointer          user_data,
                                             GtkSorter        *sorter);

void                 parley_live_cell_set_icon (GtkLabel   *label,
                                                const char *icon_name,
                                                const char *description);

GListModel          *parley_live_columns_sort (GtkColumnView    *view,
                                               GListModel       *model);

G_END_DECLS
