/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <parley.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_COBROWSE_PANEL (parley_cobrowse_panel_get_type ())
G_DECLARE_FINAL_TYPE (ParleyCobrowsePanel, parley_cobrowse_panel, PARLEY, COBROWSE_PANEL, GtkWidget)

void       parley_cobrowse_panel_register (GTypeModule  *module);
void       parley_cobrowse_panel_set_module_dir (const char *dir);
GtkWidget *parley_cobrowse_panel_new      (ParleyClient *client,
                                           gint64        customer_id,
                                           const char   *customer_name);

G_END_DECLS
