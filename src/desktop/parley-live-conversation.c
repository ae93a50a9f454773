/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-live-conversation"

#include "config.h"

#include "parley-live-conversation.h"

/**
 * ParleyLiveConversation:
 *
 * A row of the supervisor's live conversations: who writes, on which
 * channel, its state, in which queue or with which agent, and since when.
 * The hub's record stays beside it for whoever opens the conversation.
 */
struct _ParleyLiveConversation
{
  ParleyLiveItem parent_instance;

  gint64      id;
  char       *state;
  char       *channel;
  char       *customer_name;
  gint64      queue_id;
  gint64      agent_id;
  char       *agent_name;
  gint64      created;
  gint64      updated;
  JsonObject     *record;
};

G_DEFINE_FINAL_TYPE (ParleyLiveConversation, parley_live_conversation, PARLEY_TYPE_LIVE_ITEM)

enum { PROP_0, PROP_ID, PROP_STATE, PROP_CHANNEL, PROP_CUSTOMER_NAME, PROP_QUEUE_ID, PROP_AGENT_ID, PROP_AGENT_NAME, PROP_CREATED, PROP_UPDATED, N_PROPS };

static GParamSpec *properties[N_PROPS];

static void
parley_live_conversation_finalize (GObject *object)
{
  ParleyLiveConversation *self = PARLEY_LIVE_CONVERSATION (object);

  g_clear_pointer (&self->state, g_free);
  g_clear_pointer (&self->channel, g_free);
  g_clear_pointer (&self->customer_name, g_free);
  g_clear_pointer (&self->agent_name, g_free);
  g_clear_pointer (&self->record, json_object_unref);
  G_OBJECT_CLASS (parley_live_conversation_parent_class)->finalize (object);
}

static void
parley_live_conversation_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  ParleyLiveConversation *self = PARLEY_LIVE_CONVERSATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;
    case PROP_CHANNEL:
      g_value_set_string (value, self->channel);
      break;
    case PROP_CUSTOMER_NAME:
      g_value_set_string (value, self->customer_name);
      break;
    case PROP_QUEUE_ID:
      g_value_set_int64 (value, self->queue_id);
      break;
    case PROP_AGENT_ID:
      g_value_set_int64 (value, self->agent_id);
      break;
    case PROP_AGENT_NAME:
      g_value_set_string (value, self->agent_name);
      break;
    case PROP_CREATED:
      g_value_set_int64 (value, self->created);
      break;
    case PROP_UPDATED:
      g_value_set_int64 (value, self->updated);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_live_conversation_class_init (ParleyLiveConversationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = parley_live_conversation_finalize;
  object_class->get_property = parley_live_conversation_get_property;

  /* the conversation */
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* "queued", "offered" or "assigned" */
  properties[PROP_STATE] = g_param_spec_string ("state", NULL, NULL, NULL, flags);
  /* the channel's kind */
  properties[PROP_CHANNEL] = g_param_spec_string ("channel", NULL, NULL, NULL, flags);
  /* who writes, or NULL when unknown */
  properties[PROP_CUSTOMER_NAME] = g_param_spec_string ("customer-name", NULL, NULL, NULL, flags);
  /* the queue it waits in */
  properties[PROP_QUEUE_ID] = g_param_spec_int64 ("queue-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* the agent it is offered to or held by (0: none) */
  properties[PROP_AGENT_ID] = g_param_spec_int64 ("agent-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* that agent's name */
  properties[PROP_AGENT_NAME] = g_param_spec_string ("agent-name", NULL, NULL, NULL, flags);
  /* when it began, µs since the epoch */
  properties[PROP_CREATED] = g_param_spec_int64 ("created", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* when its state last changed, µs since the epoch */
  properties[PROP_UPDATED] = g_param_spec_int64 ("updated", NULL, NULL, 0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
parley_live_conversation_init (ParleyLiveConversation *self)
{
}

ParleyLiveConversation *
parley_live_conversation_new (const char *key)
{
  return g_object_new (PARLEY_TYPE_LIVE_CONVERSATION, "key", key, NULL);
}

/* Takes the hub's conversation and the name of the agent holding it. */
void
parley_live_conversation_update (ParleyLiveConversation *self,
                                 JsonObject             *conversation,
                                 const char             *agent_name)
{
  ParleyLiveItem *item = PARLEY_LIVE_ITEM (self);

  g_return_if_fail (PARLEY_IS_LIVE_CONVERSATION (self));
  g_object_freeze_notify (G_OBJECT (self));
  parley_live_item_set_int64 (item, &self->id, json_object_get_int_member_with_default (conversation, "id", 0), properties[PROP_ID]);
  parley_live_item_set_string (item, &self->state, json_object_get_string_member_with_default (conversation, "state", ""),
                               properties[PROP_STATE]);
  parley_live_item_set_string (item, &self->channel, json_object_get_string_member_with_default (conversation, "channel", ""),
                               properties[PROP_CHANNEL]);
  parley_live_item_set_string (item, &self->customer_name,
                               json_object_get_string_member_with_default (conversation, "customer_name", NULL),
                               properties[PROP_CUSTOMER_NAME]);
  parley_live_item_set_int64 (item, &self->queue_id, json_object_get_int_member_with_default (conversation, "queue_id", 0),
                              properties[PROP_QUEUE_ID]);
  parley_live_item_set_int64 (item, &self->agent_id, json_object_get_int_member_with_default (conversation, "agent_id", 0),
                              properties[PROP_AGENT_ID]);
  parley_live_item_set_string (item, &self->agent_name, agent_name, properties[PROP_AGENT_NAME]);
  parley_live_item_set_int64 (item, &self->created, json_object_get_int_member_with_default (conversation, "created", 0),
                              properties[PROP_CREATED]);
  parley_live_item_set_int64 (item, &self->updated, json_object_get_int_member_with_default (conversation, "updated", 0),
                              properties[PROP_UPDATED]);
  json_object_ref (conversation);
  g_clear_pointer (&self->record, json_object_unref);
  self->record = conversation;
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
parley_live_conversation_is_waiting (ParleyLiveConversation *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_CONVERSATION (self), FALSE);
  return g_strcmp0 (self->state, "queued") == 0 || g_strcmp0 (self->state, "offered") == 0;
}

/* The hub's record, for the customer view that opens it. */
JsonObject *
parley_live_conversation_get_record (ParleyLiveConversation *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_CONVERSATION (self), NULL);
  return self->record;
}

gint64
parley_live_conversation_get_id (ParleyLiveConversation *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_CONVERSATION (self), 0);
  return self->id;
}

const char *
parley_live_conversation_get_state (ParleyLiveConversation *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_CONVERSATION (self), NULL);
  return self->state;
}

const char *
parley_live_conversation_get_channel (ParleyLiveConversation *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_CONVERSATION (self), NULL);
  return self->channel;
}

const char *
parley_live_conversation_get_customer_name (ParleyLiveConversation *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_CONVERSATION (self), NULL);
  return self->customer_name;
}

gint64
parley_live_conversation_get_queue_id (ParleyLiveConversation *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_CONVERSATION (self), 0);
  return self->queue_id;
}


const char *
parley_live_conversation_get_agent_name (ParleyLiveConversation *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_CONVERSATION (self), NULL);
  return self->agent_name;
}

gint64
parley_live_conversation_get_created (ParleyLiveConversation *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_CONVERSATION (self), 0);
  return self->created;
}

gint64
parley_live_conversation_get_updated (ParleyLiveConversation *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_CONVERSATION (self), 0);
  return self->updated;
}
