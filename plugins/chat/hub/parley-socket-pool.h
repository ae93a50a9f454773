/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_SOCKET_POOL (parley_socket_pool_get_type ())
G_DECLARE_FINAL_TYPE (ParleySocketPool, parley_socket_pool, PARLEY, SOCKET_POOL, GObject)

void              parley_socket_pool_register (GTypeModule                 *module);
ParleySocketPool *parley_socket_pool_new      (const char                  *ping,
                                               GError                     **error);
void              parley_socket_pool_upgrade  (ParleySocketPool            *self,
                                               SoupServer                  *server,
                                               SoupServerMessage           *msg,
                                               guint64                      max_message_size,
                                               SoupServerWebsocketCallback  callback,
                                               gpointer                     user_data);

G_END_DECLS
