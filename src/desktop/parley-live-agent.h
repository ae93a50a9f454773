/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "parley-live-item.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_LIVE_AGENT (parley_live_agent_get_type ())
G_DECLARE_FINAL_TYPE (ParleyLiveAgent, parley_live_agent, PARLEY, LIVE_AGENT, ParleyLiveItem)

ParleyLiveAgent *parley_live_agent_new    (const char      *key);
void             parley_live_agent_update (ParleyLiveAgent *self,
                                           JsonObject      *agent,
                                           JsonObject      *figures);
gint64      parley_live_agent_get_id (ParleyLiveAgent *self);
const char *parley_live_agent_get_name (ParleyLiveAgent *self);
const char *parley_live_agent_get_login (ParleyLiveAgent *self);
const char *parley_live_agent_get_presence (ParleyLiveAgent *self);
const char *parley_live_agent_get_reason (ParleyLiveAgent *self);
gint64      parley_live_agent_get_presence_since (ParleyLiveAgent *self);
JsonObject *parley_live_agent_get_skills (ParleyLiveAgent *self);
JsonObject *parley_live_agent_get_figures (ParleyLiveAgent *self);

G_END_DECLS
