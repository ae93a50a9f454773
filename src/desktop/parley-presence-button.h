/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <parley.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_PRESENCE_BUTTON (parley_presence_button_get_type ())
G_DECLARE_FINAL_TYPE (ParleyPresenceButton, parley_presence_button, PARLEY, PRESENCE_BUTTON, GtkWidget)

void parley_presence_button_set_client   (ParleyPresenceButton *self,
                                          ParleyClient         *client);
void parley_presence_button_popup        (ParleyPresenceButton *self);
void parley_presence_button_show_offline (ParleyPresenceButton *self);
void parley_presence_button_restore      (ParleyPresenceButton *self);

G_END_DECLS
