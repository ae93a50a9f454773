/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_TIMELINE_ITEM (parley_timeline_item_get_type ())
G_DECLARE_FINAL_TYPE (ParleyTimelineItem, parley_timeline_item, PARLEY, TIMELINE_ITEM, GObject)

ParleyTimelineItem *parley_timeline_item_new_event (JsonObject         *event);
GPtrArray          *parley_timeline_item_new_events (JsonArray         *events);
ParleyTimelineItem *parley_timeline_item_new_day   (GDateTime          *day);
JsonObject         *parley_timeline_item_dup_event (ParleyTimelineItem *self);
GDateTime          *parley_timeline_item_get_day   (ParleyTimelineItem *self);
gint64              parley_timeline_item_get_id    (ParleyTimelineItem *self);

G_END_DECLS
