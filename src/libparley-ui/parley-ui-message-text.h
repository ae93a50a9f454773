/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtk/gtk.h>
#include <parley-version-macros.h>

G_BEGIN_DECLS

#define PARLEY_UI_TYPE_MESSAGE_TEXT (parley_ui_message_text_get_type ())
PARLEY_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (ParleyUiMessageText, parley_ui_message_text, PARLEY_UI, MESSAGE_TEXT, GtkWidget)

PARLEY_AVAILABLE_IN_1_0
GtkWidget  *parley_ui_message_text_new      (void);
PARLEY_AVAILABLE_IN_1_0
const char *parley_ui_message_text_get_text (ParleyUiMessageText *self);
PARLEY_AVAILABLE_IN_1_0
void        parley_ui_message_text_set_text (ParleyUiMessageText *self,
                                             const char          *text);

G_END_DECLS
