/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_COBROWSE_WINDOW (parley_cobrowse_window_get_type ())
G_DECLARE_FINAL_TYPE (ParleyCobrowseWindow, parley_cobrowse_window, PARLEY, COBROWSE_WINDOW, AdwWindow)

void       parley_cobrowse_window_register (GTypeModule          *module);
GtkWidget *parley_cobrowse_window_new      (const char           *customer_name);
void       parley_cobrowse_window_receive  (ParleyCobrowseWindow *self,
                                            GBytes               *frame);
void       parley_cobrowse_window_set_page (ParleyCobrowseWindow *self,
                                            const char           *title);
void       parley_cobrowse_window_set_status (ParleyCobrowseWindow *self,
                                              const char           *status);

G_END_DECLS
