/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-timeline-item"

#include "config.h"

#include "parley-timeline-item.h"

/* One row of the timeline: an event, or the heading of the local day the
 * events after it happened on. An event is kept as its JSON text, parsed
 * again when a row shows it: a parsed JsonObject costs several times the
 * text, and a long history holds a hundred thousand of them. */
struct _ParleyTimelineItem
{
  GObject    parent_instance;

  gint64     id;
  char      *event_json;
  GDateTime *day;
};

G_DEFINE_FINAL_TYPE (ParleyTimelineItem, parley_timeline_item, G_TYPE_OBJECT)

static void
parley_timeline_item_finalize (GObject *object)
{
  ParleyTimelineItem *self = PARLEY_TIMELINE_ITEM (object);

  g_clear_pointer (&self->event_json, g_free);
  g_clear_pointer (&self->day, g_date_time_unref);
  G_OBJECT_CLASS (parley_timeline_item_parent_class)->finalize (object);
}

static void
parley_timeline_item_class_init (ParleyTimelineItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = parley_timeline_item_finalize;
}

static void
parley_timeline_item_init (ParleyTimelineItem *self)
{
}

ParleyTimelineItem *
parley_timeline_item_new_event (JsonObject *event)
{
  ParleyTimelineItem *self = g_object_new (PARLEY_TYPE_TIMELINE_ITEM, NULL);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), event);

  self->id = json_object_get_int_member_with_default (event, "id", 0);
  self->event_json = json_to_string (node, FALSE);
  return self;
}

ParleyTimelineItem *
parley_timeline_item_new_day (GDateTime *day)
{
  ParleyTimelineItem *self = g_object_new (PARLEY_TYPE_TIMELINE_ITEM, NULL);

  self->day = g_date_time_ref (day);
  return self;
}

/* A new copy of the event, or NULL for a day heading. */
JsonObject *
parley_timeline_item_dup_event (ParleyTimelineItem *self)
{
  g_autoptr(JsonNode) node = self->event_json ? json_from_string (self->event_json, NULL) : NULL;

  return node ? json_node_dup_object (node) : NULL;
}

/* NULL for an event. */
GDateTime *
parley_timeline_item_get_day (ParleyTimelineItem *self)
{
  return self->day;
}

gint64
parley_timeline_item_get_id (ParleyTimelineItem *self)
{
  return self->id;
}
