/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_CONVERSATION_ROW (parley_conversation_row_get_type ())
G_DECLARE_FINAL_TYPE (ParleyConversationRow, parley_conversation_row, PARLEY, CONVERSATION_ROW, GtkListBoxRow)

GtkWidget  *parley_conversation_row_new              (JsonObject            *conversation);
JsonObject *parley_conversation_row_get_conversation (ParleyConversationRow *self);
gint64      parley_conversation_row_get_id           (ParleyConversationRow *self);
void        parley_conversation_row_set_conversation (ParleyConversationRow *self,
                                                      JsonObject            *conversation);
void        parley_conversation_row_set_unread       (ParleyConversationRow *self,
                                                      gboolean               unread);
gboolean    parley_conversation_row_get_unread       (ParleyConversationRow *self);
void        parley_conversation_row_tick             (ParleyConversationRow *self);

G_END_DECLS
