/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-conversation-item"

#include "config.h"

#include <glib/gi18n.h>
#include <parley.h>

#include "parley-conversation-item.h"

/**
 * ParleyConversationItem:
 *
 * One conversation as the sidebar knows it: who, on which channel, the
 * latest message, its state and whether the agent has read it. The hub's
 * pushes update it in place, and the rows bound to it follow.
 */
struct _ParleyConversationItem
{
  GObject                 parent_instance;

  JsonObject             *json;  /* the hub's last word, for the customer view */
  gint64                  id;
  gint64                  agent_id;
  ParleyConversationState state;
  char                   *channel;
  char                   *customer_name;
  char                   *preview;
  gint64                  priority;
  gint64                  created;
  gint64                  updated;
  gboolean                unread;
};

G_DEFINE_ENUM_TYPE (ParleyConversationState, parley_conversation_state,
                    G_DEFINE_ENUM_VALUE (PARLEY_CONVERSATION_STATE_QUEUED, "queued"),
                    G_DEFINE_ENUM_VALUE (PARLEY_CONVERSATION_STATE_OFFERED, "offered"),
                    G_DEFINE_ENUM_VALUE (PARLEY_CONVERSATION_STATE_ASSIGNED, "assigned"),
                    G_DEFINE_ENUM_VALUE (PARLEY_CONVERSATION_STATE_WRAP_UP, "wrap-up"),
                    G_DEFINE_ENUM_VALUE (PARLEY_CONVERSATION_STATE_RESOLVED, "resolved"))

G_DEFINE_FINAL_TYPE (ParleyConversationItem, parley_conversation_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_STATE,
  PROP_CHANNEL,
  PROP_CUSTOMER_NAME,
  PROP_PREVIEW,
  PROP_UPDATED,
  PROP_UNREAD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The hub writes states as their nicks; an unknown one reads as queued. */
static ParleyConversationState
state_from_nick (const char *nick)
{
  g_autoptr(GEnumClass) states = g_type_class_ref (PARLEY_TYPE_CONVERSATION_STATE);
  GEnumValue *value = nick ? g_enum_get_value_by_nick (states, nick) : NULL;

  return value ? (ParleyConversationState) value->value : PARLEY_CONVERSATION_STATE_QUEUED;
}

static void
set_string (ParleyConversationItem *self,
            char                  **field,
            const char             *value,
            int                     prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
parley_conversation_item_finalize (GObject *object)
{
  ParleyConversationItem *self = PARLEY_CONVERSATION_ITEM (object);

  g_clear_pointer (&self->json, json_object_unref);
  g_clear_pointer (&self->channel, g_free);
  g_clear_pointer (&self->customer_name, g_free);
  g_clear_pointer (&self->preview, g_free);
  G_OBJECT_CLASS (parley_conversation_item_parent_class)->finalize (object);
}

static void
parley_conversation_item_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  ParleyConversationItem *self = PARLEY_CONVERSATION_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_CHANNEL:
      g_value_set_string (value, self->channel);
      break;
    case PROP_CUSTOMER_NAME:
      g_value_set_string (value, self->customer_name);
      break;
    case PROP_PREVIEW:
      g_value_set_string (value, self->preview);
      break;
    case PROP_UPDATED:
      g_value_set_int64 (value, self->updated);
      break;
    case PROP_UNREAD:
      g_value_set_boolean (value, self->unread);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_conversation_item_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  ParleyConversationItem *self = PARLEY_CONVERSATION_ITEM (object);

  switch (prop_id)
    {
    case PROP_UNREAD:
      parley_conversation_item_set_unread (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_conversation_item_class_init (ParleyConversationItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = parley_conversation_item_finalize;
  object_class->get_property = parley_conversation_item_get_property;
  object_class->set_property = parley_conversation_item_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, PARLEY_TYPE_CONVERSATION_STATE, PARLEY_CONVERSATION_STATE_QUEUED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHANNEL] =
    g_param_spec_string ("channel", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CUSTOMER_NAME] =
    g_param_spec_string ("customer-name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PREVIEW] =
    g_param_spec_string ("preview", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPDATED] =
    g_param_spec_int64 ("updated", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNREAD] =
    g_param_spec_boolean ("unread", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
parley_conversation_item_init (ParleyConversationItem *self)
{
}

ParleyConversationItem *
parley_conversation_item_new (JsonObject *conversation)
{
  ParleyConversationItem *self = g_object_new (PARLEY_TYPE_CONVERSATION_ITEM, NULL);

  self->id = json_object_get_int_member_with_default (conversation, "id", 0);
  parley_conversation_item_update (self, conversation);
  return self;
}

/* Takes the hub's newer word on the conversation. */
void
parley_conversation_item_update (ParleyConversationItem *self,
                                 JsonObject             *conversation)
{
  JsonNode *last = json_object_get_member (conversation, "last_event");
  const char *name = json_object_get_string_member_with_default (conversation, "customer_name", NULL);
  const char *preview = NULL;
  ParleyConversationState state = state_from_nick (json_object_get_string_member_with_default (conversation, "state", NULL));
  gint64 updated = json_object_get_int_member_with_default (conversation, "updated", 0);

  g_return_if_fail (PARLEY_IS_CONVERSATION_ITEM (self));

  if (last && JSON_NODE_HOLDS_OBJECT (last))
    preview = json_object_get_string_member_with_default (json_node_get_object (last), "text", NULL);
  g_object_freeze_notify (G_OBJECT (self));
  g_clear_pointer (&self->json, json_object_unref);
  self->json = json_object_ref (conversation);
  self->agent_id = json_object_get_int_member_with_default (conversation, "agent_id", 0);
  self->priority = json_object_get_int_member_with_default (conversation, "priority", 0);
  self->created = json_object_get_int_member_with_default (conversation, "created", 0);
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (self->updated != updated)
    {
      self->updated = updated;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED]);
    }
  set_string (self, &self->channel, json_object_get_string_member_with_default (conversation, "channel", ""), PROP_CHANNEL);
  set_string (self, &self->customer_name, name && *name ? name : _("Unknown customer"), PROP_CUSTOMER_NAME);
  /* A push without the latest message keeps the one known. */
  if (preview || self->preview == NULL)
    set_string (self, &self->preview, preview ? preview : "", PROP_PREVIEW);
  g_object_thaw_notify (G_OBJECT (self));
}

JsonObject *
parley_conversation_item_get_json (ParleyConversationItem *self)
{
  return self->json;
}

gint64
parley_conversation_item_get_id (ParleyConversationItem *self)
{
  return self->id;
}

gint64
parley_conversation_item_get_agent_id (ParleyConversationItem *self)
{
  return self->agent_id;
}

ParleyConversationState
parley_conversation_item_get_state (ParleyConversationItem *self)
{
  return self->state;
}

const char *
parley_conversation_item_get_channel (ParleyConversationItem *self)
{
  return self->channel;
}

const char *
parley_conversation_item_get_customer_name (ParleyConversationItem *self)
{
  return self->customer_name;
}

gint64
parley_conversation_item_get_priority (ParleyConversationItem *self)
{
  return self->priority;
}

gint64
parley_conversation_item_get_created (ParleyConversationItem *self)
{
  return self->created;
}

gint64
parley_conversation_item_get_updated (ParleyConversationItem *self)
{
  return self->updated;
}

gboolean
parley_conversation_item_get_unread (ParleyConversationItem *self)
{
  return self->unread;
}

void
parley_conversation_item_set_unread (ParleyConversationItem *self,
                                     gboolean                unread)
{
  g_return_if_fail (PARLEY_IS_CONVERSATION_ITEM (self));
  if (self->unread == !!unread)
    return;
  self->unread = !!unread;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD]);
}
