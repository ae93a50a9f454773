/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <parley-ui.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_PLUGIN_HOST (parley_plugin_host_get_type ())
G_DECLARE_FINAL_TYPE (ParleyPluginHost, parley_plugin_host, PARLEY, PLUGIN_HOST, GObject)

ParleyPluginHost *parley_plugin_host_new         (void);
ParleyUiChannel  *parley_plugin_host_get_channel (ParleyPluginHost *self,
                                                  const char       *kind);
GList            *parley_plugin_host_list_plugin_kinds (ParleyPluginHost *self);
void              parley_plugin_host_set_client  (ParleyPluginHost *self,
                                                  ParleyClient     *client);
void              parley_plugin_host_insert_actions (ParleyPluginHost *self,
                                                     GtkWidget        *widget);
void              parley_plugin_host_fill_customer_menu (ParleyPluginHost *self,
                                                         GMenu            *section,
                                                         gint64            customer_id);
GPtrArray        *parley_plugin_host_create_status_items (ParleyPluginHost *self);

G_END_DECLS
