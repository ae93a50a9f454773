/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-timeline-item"

#include "config.h"

#include "parley-timeline-item.h"

/* One row of the timeline: an event, or the heading of the local day the
 * events after it happened on. An event is kept as its JSON text, parsed
 * again when a row shows it: a parsed JsonObject costs several times the
 * text, and a long history holds a hundred thousand of them. The events of
 * a page share one block for their text: made one by one, amid the page's
 * parse tree, they left the heap full of holes once the tree was freed. */
struct _ParleyTimelineItem
{
  GObject     parent_instance;

  gint64      id;
  GBytes     *storage;     /* holds event_json */
  const char *event_json;
  GDateTime  *day;
};

G_DEFINE_FINAL_TYPE (ParleyTimelineItem, parley_timeline_item, G_TYPE_OBJECT)

static void
parley_timeline_item_finalize (GObject *object)
{
  ParleyTimelineItem *self = PARLEY_TIMELINE_ITEM (object);

  g_clear_pointer (&self->storage, g_bytes_unref);
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

/* Items for @events, in their order, their text in one block. */
GPtrArray *
parley_timeline_item_new_events (JsonArray *events)
{
  guint n = json_array_get_length (events);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree gsize *offsets = g_new (gsize, n);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GBytes) storage = NULL;
  GPtrArray *items = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      offsets[i] = text->len;
      json_generator_set_root (generator, json_array_get_element (events, i));
      json_generator_to_gstring (generator, text);
      g_string_append_c (text, '\0');
    }
  storage = g_string_free_to_bytes (g_steal_pointer (&text));
  for (guint i = 0; i < n; i++)
    {
      ParleyTimelineItem *self = g_object_new (PARLEY_TYPE_TIMELINE_ITEM, NULL);

      self->id = json_object_get_int_member_with_default (json_array_get_object_element (events, i), "id", 0);
      self->storage = g_bytes_ref (storage);
      self->event_json = (const char *) g_bytes_get_data (storage, NULL) + offsets[i];
      g_ptr_array_add (items, self);
    }
  return items;
}

ParleyTimelineItem *
parley_timeline_item_new_event (JsonObject *event)
{
  g_autoptr(JsonArray) events = json_array_new ();
  g_autoptr(GPtrArray) items = NULL;

  json_array_add_object_element (events, json_object_ref (event));
  items = parley_timeline_item_new_events (events);
  return g_object_ref (g_ptr_array_index (items, 0));
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
