/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-live-item"

#include "config.h"

#include "parley-live-item.h"

/* One row of a live board (a queue on a channel, an agent, a conversation):
 * the JSON object the hub last sent for it, under a key that stays the
 * same while the object is replaced. Rows on screen listen to "object" and
 * update their labels in place, so a fresh snapshot never rebuilds them. */
struct _ParleyLiveItem
{
  GObject     parent_instance;

  char       *key;
  JsonObject *object;
};

G_DEFINE_FINAL_TYPE (ParleyLiveItem, parley_live_item, G_TYPE_OBJECT)

enum { PROP_0, PROP_OBJECT, N_PROPS };

static GParamSpec *properties[N_PROPS];

static void
parley_live_item_finalize (GObject *object)
{
  ParleyLiveItem *self = PARLEY_LIVE_ITEM (object);

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->object, json_object_unref);
  G_OBJECT_CLASS (parley_live_item_parent_class)->finalize (object);
}

static void
parley_live_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ParleyLiveItem *self = PARLEY_LIVE_ITEM (object);

  switch (prop_id)
    {
    case PROP_OBJECT:
      g_value_set_boxed (value, self->object);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_live_item_class_init (ParleyLiveItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = parley_live_item_finalize;
  object_class->get_property = parley_live_item_get_property;

  /**
   * ParleyLiveItem:object:
   *
   * The row's JSON object; notified when it is replaced, and when what is
   * shown of it changes with time (a wait that grows).
   */
  properties[PROP_OBJECT] =
    g_param_spec_boxed ("object", NULL, NULL, JSON_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
parley_live_item_init (ParleyLiveItem *self)
{
}

ParleyLiveItem *
parley_live_item_new (const char *key,
                      JsonObject *object)
{
  ParleyLiveItem *self = g_object_new (PARLEY_TYPE_LIVE_ITEM, NULL);

  self->key = g_strdup (key);
  self->object = json_object_ref (object);
  return self;
}

const char *
parley_live_item_get_key (ParleyLiveItem *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_ITEM (self), NULL);
  return self->key;
}

JsonObject *
parley_live_item_get_object (ParleyLiveItem *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_ITEM (self), NULL);
  return self->object;
}

void
parley_live_item_set_object (ParleyLiveItem *self,
                             JsonObject     *object)
{
  g_return_if_fail (PARLEY_IS_LIVE_ITEM (self));
  if (object == self->object)
    return;
  json_object_ref (object);
  g_clear_pointer (&self->object, json_object_unref);
  self->object = object;
  parley_live_item_changed (self);
}

/* Tells the rows showing the item to look at it again. */
void
parley_live_item_changed (ParleyLiveItem *self)
{
  g_return_if_fail (PARLEY_IS_LIVE_ITEM (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OBJECT]);
}
