/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  PARLEY_CONVERSATION_STATE_QUEUED,
  PARLEY_CONVERSATION_STATE_OFFERED,
  PARLEY_CONVERSATION_STATE_ASSIGNED,
  PARLEY_CONVERSATION_STATE_WRAP_UP,
  PARLEY_CONVERSATION_STATE_RESOLVED,
} ParleyConversationState;

#define PARLEY_TYPE_CONVERSATION_STATE (parley_conversation_state_get_type ())
GType parley_conversation_state_get_type (void);

#define PARLEY_TYPE_CONVERSATION_ITEM (parley_conversation_item_get_type ())
G_DECLARE_FINAL_TYPE (ParleyConversationItem, parley_conversation_item, PARLEY, CONVERSATION_ITEM, GObject)

ParleyConversationItem *parley_conversation_item_new           (JsonObject             *conversation);
void                    parley_conversation_item_update        (ParleyConversationItem *self,
                                                                JsonObject             *conversation);
JsonObject             *parley_conversation_item_get_json      (ParleyConversationItem *self);
gint64                  parley_conversation_item_get_id        (ParleyConversationItem *self);
gint64                  parley_conversation_item_get_agent_id  (ParleyConversationItem *self);
ParleyConversationState parley_conversation_item_get_state     (ParleyConversationItem *self);
const char             *parley_conversation_item_get_channel   (ParleyConversationItem *self);
const char             *parley_conversation_item_get_customer_name (ParleyConversationItem *self);
gint64                  parley_conversation_item_get_priority  (ParleyConversationItem *self);
gint64                  parley_conversation_item_get_created   (ParleyConversationItem *self);
gint64                  parley_conversation_item_get_updated   (ParleyConversationItem *self);
gboolean                parley_conversation_item_get_unread    (ParleyConversationItem *self);
void                    parley_conversation_item_set_unread    (ParleyConversationItem *self,
                                                                gboolean                unread);

G_END_DECLS
