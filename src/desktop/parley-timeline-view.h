/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <parley.h>

#include "parley-plugin-host.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_TIMELINE_VIEW (parley_timeline_view_get_type ())
G_DECLARE_FINAL_TYPE (ParleyTimelineView, parley_timeline_view, PARLEY, TIMELINE_VIEW, GtkWidget)

void parley_timeline_view_setup            (ParleyTimelineView *self,
                                            ParleyClient       *client,
                                            ParleyPluginHost   *plugins);
void parley_timeline_view_set_customer     (ParleyTimelineView *self,
                                            JsonObject         *customer);
void parley_timeline_view_set_conversation (ParleyTimelineView *self,
                                            gint64              conversation_id,
                                            gboolean            sends_receipts);
void parley_timeline_view_mark_read        (ParleyTimelineView *self,
                                            JsonObject         *event);
void parley_timeline_view_reload           (ParleyTimelineView *self);
void parley_timeline_view_add_event        (ParleyTimelineView *self,
                                            JsonObject         *event);
void parley_timeline_view_focus_search     (ParleyTimelineView *self);
void parley_timeline_view_focus_list       (ParleyTimelineView *self);

G_END_DECLS
