/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "parley-conversation-item.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_CONVERSATION_ROW (parley_conversation_row_get_type ())
G_DECLARE_FINAL_TYPE (ParleyConversationRow, parley_conversation_row, PARLEY, CONVERSATION_ROW, GtkListBoxRow)

GtkWidget              *parley_conversation_row_new      (ParleyConversationItem *item);
ParleyConversationItem *parley_conversation_row_get_item (ParleyConversationRow  *self);
void                    parley_conversation_row_tick     (ParleyConversationRow  *self);

G_END_DECLS
