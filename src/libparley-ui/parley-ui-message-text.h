/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PARLEY_UI_TYPE_MESSAGE_TEXT (parley_ui_message_text_get_type ())
G_DECLARE_FINAL_TYPE (ParleyUiMessageText, parley_ui_message_text, PARLEY_UI, MESSAGE_TEXT, GtkWidget)

GtkWidget  *parley_ui_message_text_new      (void);
const char *parley_ui_message_text_get_text (ParleyUiMessageText *self);
void        parley_ui_message_text_set_text (ParleyUiMessageText *self,
                                             const char          *text);

G_END_DECLS
