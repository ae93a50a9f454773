/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "parley-supervision.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_LIVE_CONVERSATIONS (parley_live_conversations_get_type ())
G_DECLARE_FINAL_TYPE (ParleyLiveConversations, parley_live_conversations, PARLEY, LIVE_CONVERSATIONS, GtkWidget)

void parley_live_conversations_set_supervision (ParleyLiveConversations *self,
                                                ParleySupervision       *supervision);

G_END_DECLS
