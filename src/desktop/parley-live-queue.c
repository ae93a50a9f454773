/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-live-queue"

#include "config.h"

#include "parley-live-queue.h"

/**
 * ParleyLiveQueue:
 *
 * A wallboard row: one queue on one channel and today's figures for it,
 * by the names the hub gives them (see parley-figures.c, which formats
 * any of them the same way everywhere).
 */
struct _ParleyLiveQueue
{
  ParleyLiveItem parent_instance;

  gint64      queue_id;
  char       *channel;
  JsonObject *figures;
};

G_DEFINE_FINAL_TYPE (ParleyLiveQueue, parley_live_queue, PARLEY_TYPE_LIVE_ITEM)

enum { PROP_0, PROP_QUEUE_ID, PROP_CHANNEL, PROP_FIGURES, N_PROPS };

static GParamSpec *properties[N_PROPS];

static void
parley_live_queue_finalize (GObject *object)
{
  ParleyLiveQueue *self = PARLEY_LIVE_QUEUE (object);

  g_clear_pointer (&self->channel, g_free);
  g_clear_pointer (&self->figures, json_object_unref);
  G_OBJECT_CLASS (parley_live_queue_parent_class)->finalize (object);
}

static void
parley_live_queue_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ParleyLiveQueue *self = PARLEY_LIVE_QUEUE (object);

  switch (prop_id)
    {
    case PROP_QUEUE_ID:
      g_value_set_int64 (value, self->queue_id);
      break;
    case PROP_CHANNEL:
      g_value_set_string (value, self->channel);
      break;
    case PROP_FIGURES:
      g_value_set_boxed (value, self->figures);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_live_queue_class_init (ParleyLiveQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = parley_live_queue_finalize;
  object_class->get_property = parley_live_queue_get_property;

  /* the queue */
  properties[PROP_QUEUE_ID] = g_param_spec_int64 ("queue-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* the channel's kind, "chat" */
  properties[PROP_CHANNEL] = g_param_spec_string ("channel", NULL, NULL, NULL, flags);
  /* {"waiting": 2, "service_level": 87, ...} */
  properties[PROP_FIGURES] = g_param_spec_boxed ("figures", NULL, NULL, JSON_TYPE_OBJECT, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
parley_live_queue_init (ParleyLiveQueue *self)
{
}

ParleyLiveQueue *
parley_live_queue_new (const char *key)
{
  return g_object_new (PARLEY_TYPE_LIVE_QUEUE, "key", key, NULL);
}

/* Takes the hub's figures for the queue and channel, {"queue", "channel", ...}. */
void
parley_live_queue_update (ParleyLiveQueue *self,
                          JsonObject      *figures)
{
  ParleyLiveItem *item = PARLEY_LIVE_ITEM (self);

  g_return_if_fail (PARLEY_IS_LIVE_QUEUE (self));
  parley_live_item_set_int64 (item, &self->queue_id, json_object_get_int_member_with_default (figures, "queue", 0),
                              properties[PROP_QUEUE_ID]);
  parley_live_item_set_string (item, &self->channel, json_object_get_string_member_with_default (figures, "channel", ""),
                               properties[PROP_CHANNEL]);
  parley_live_item_set_object (item, &self->figures, figures, properties[PROP_FIGURES]);
}

gint64
parley_live_queue_get_queue_id (ParleyLiveQueue *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_QUEUE (self), 0);
  return self->queue_id;
}

const char *
parley_live_queue_get_channel (ParleyLiveQueue *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_QUEUE (self), NULL);
  return self->channel;
}

JsonObject *
parley_live_queue_get_figures (ParleyLiveQueue *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_QUEUE (self), NULL);
  return self->figures;
}
