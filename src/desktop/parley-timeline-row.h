/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "parley-plugin-host.h"
#include "parley-timeline-item.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_TIMELINE_ROW (parley_timeline_row_get_type ())
G_DECLARE_FINAL_TYPE (ParleyTimelineRow, parley_timeline_row, PARLEY, TIMELINE_ROW, GtkWidget)

GtkWidget *parley_timeline_row_new  (void);
void       parley_timeline_row_bind (ParleyTimelineRow  *self,
                                     ParleyTimelineItem *item,
                                     ParleyPluginHost   *plugins);
ParleyTimelineItem *parley_timeline_row_get_item (ParleyTimelineRow *self);
char      *parley_timeline_row_format_day (GDateTime *day);

G_END_DECLS
