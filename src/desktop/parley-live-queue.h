/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "parley-live-item.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_LIVE_QUEUE (parley_live_queue_get_type ())
G_DECLARE_FINAL_TYPE (ParleyLiveQueue, parley_live_queue, PARLEY, LIVE_QUEUE, ParleyLiveItem)

ParleyLiveQueue *parley_live_queue_new    (const char      *key);
void             parley_live_queue_update (ParleyLiveQueue *self,
                                           JsonObject      *figures);
gint64      parley_live_queue_get_queue_id (ParleyLiveQueue *self);
const char *parley_live_queue_get_channel (ParleyLiveQueue *self);
JsonObject *parley_live_queue_get_figures (ParleyLiveQueue *self);

G_END_DECLS
