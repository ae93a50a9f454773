/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "parley-live-item.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_LIVE_CONVERSATION (parley_live_conversation_get_type ())
G_DECLARE_FINAL_TYPE (ParleyLiveConversation, parley_live_conversation, PARLEY, LIVE_CONVERSATION, ParleyLiveItem)

ParleyLiveConversation *parley_live_conversation_new        (const char             *key);
void                    parley_live_conversation_update     (ParleyLiveConversation *self,
                                                             JsonObject             *conversation,
                                                             const char             *agent_name);
gboolean                parley_live_conversation_is_waiting (ParleyLiveConversation *self);
JsonObject             *parley_live_conversation_get_record (ParleyLiveConversation *self);
gint64      parley_live_conversation_get_id (ParleyLiveConversation *self);
const char *parley_live_conversation_get_state (ParleyLiveConversation *self);
const char *parley_live_conversation_get_channel (ParleyLiveConversation *self);
const char *parley_live_conversation_get_customer_name (ParleyLiveConversation *self);
gint64      parley_live_conversation_get_queue_id (ParleyLiveConversation *self);
const char *parley_live_conversation_get_agent_name (ParleyLiveConversation *self);
gint64      parley_live_conversation_get_created (ParleyLiveConversation *self);
gint64      parley_live_conversation_get_updated (ParleyLiveConversation *self);

G_END_DECLS
