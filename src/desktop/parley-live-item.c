/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-live-item"

#include "config.h"

#include "parley-live-item.h"

/**
 * ParleyLiveItem:
 *
 * The base of a live board's rows (#ParleyLiveQueue, #ParleyLiveAgent,
 * #ParleyLiveConversation): a key that stays the same while the hub sends
 * fresh figures, and #ParleyLiveItem::changed whenever one of the row's
 * properties changes or time moves what it shows (a wait that grows).
 * Cells listen to it and redraw only their own text, so a fresh snapshot
 * never rebuilds a row.
 */
typedef struct
{
  char *key;
} ParleyLiveItemPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (ParleyLiveItem, parley_live_item, G_TYPE_OBJECT)

enum { PROP_0, PROP_KEY, N_PROPS };
enum { CHANGED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
parley_live_item_finalize (GObject *object)
{
  ParleyLiveItemPrivate *priv = parley_live_item_get_instance_private (PARLEY_LIVE_ITEM (object));

  g_clear_pointer (&priv->key, g_free);
  G_OBJECT_CLASS (parley_live_item_parent_class)->finalize (object);
}

static void
parley_live_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ParleyLiveItemPrivate *priv = parley_live_item_get_instance_private (PARLEY_LIVE_ITEM (object));

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, priv->key);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_live_item_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ParleyLiveItemPrivate *priv = parley_live_item_get_instance_private (PARLEY_LIVE_ITEM (object));

  switch (prop_id)
    {
    case PROP_KEY:
      priv->key = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Every property change is a change of what the row shows. */
static void
parley_live_item_notify (GObject    *object,
                         GParamSpec *pspec)
{
  g_signal_emit (object, signals[CHANGED], 0);
}

static void
parley_live_item_class_init (ParleyLiveItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = parley_live_item_finalize;
  object_class->get_property = parley_live_item_get_property;
  object_class->set_property = parley_live_item_set_property;
  object_class->notify = parley_live_item_notify;

  /**
   * ParleyLiveItem:key:
   *
   * What finds the row again in its #ParleyLiveStore.
   */
  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ParleyLiveItem::changed:
   *
   * What the row shows changed: a property, or the time it counts from.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
parley_live_item_init (ParleyLiveItem *self)
{
}

const char *
parley_live_item_get_key (ParleyLiveItem *self)
{
  ParleyLiveItemPrivate *priv = parley_live_item_get_instance_private (self);

  g_return_val_if_fail (PARLEY_IS_LIVE_ITEM (self), NULL);
  return priv->key;
}

/* Tells the cells showing the item to look at it again: time moved. */
void
parley_live_item_changed (ParleyLiveItem *self)
{
  g_return_if_fail (PARLEY_IS_LIVE_ITEM (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

void
parley_live_item_set_string (ParleyLiveItem  *self,
                             char           **field,
                             const char      *value,
                             GParamSpec      *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

void
parley_live_item_set_int64 (ParleyLiveItem *self,
                            gint64         *field,
                            gint64          value,
                            GParamSpec     *pspec)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

/* JSON members the hub sends as a whole (an agent's skills, a row's
 * figures by name) are replaced as a whole. */
void
parley_live_item_set_object (ParleyLiveItem  *self,
                             JsonObject     **field,
                             JsonObject      *value,
                             GParamSpec      *pspec)
{
  if (*field == value || (*field && value && json_object_equal (*field, value)))
    return;
  if (value)
    json_object_ref (value);
  g_clear_pointer (field, json_object_unref);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}
