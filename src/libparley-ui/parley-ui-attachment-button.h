/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <parley.h>
#include <parley-version-macros.h>

G_BEGIN_DECLS

#define PARLEY_UI_TYPE_ATTACHMENT_BUTTON (parley_ui_attachment_button_get_type ())
PARLEY_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (ParleyUiAttachmentButton, parley_ui_attachment_button, PARLEY_UI, ATTACHMENT_BUTTON, GtkButton)

PARLEY_AVAILABLE_IN_1_0
GtkWidget    *parley_ui_attachment_button_new            (void);
PARLEY_AVAILABLE_IN_1_0
ParleyClient *parley_ui_attachment_button_get_client     (ParleyUiAttachmentButton *self);
PARLEY_AVAILABLE_IN_1_0
void          parley_ui_attachment_button_set_client     (ParleyUiAttachmentButton *self,
                                                          ParleyClient             *client);
PARLEY_AVAILABLE_IN_1_0
void          parley_ui_attachment_button_set_attachment (ParleyUiAttachmentButton *self,
                                                          JsonObject               *attachment);
PARLEY_AVAILABLE_IN_1_0
JsonObject   *parley_ui_event_get_attachment             (JsonObject               *event);

G_END_DECLS
