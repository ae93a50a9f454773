/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_WEBSOCKET_INPUT (parley_websocket_input_get_type ())
G_DECLARE_FINAL_TYPE (ParleyWebsocketInput, parley_websocket_input, PARLEY, WEBSOCKET_INPUT, GFilterInputStream)

ParleyWebsocketInput *parley_websocket_input_new                  (GInputStream         *base,
                                                                   guint64               max_message_size);
void                  parley_websocket_input_set_max_message_size (ParleyWebsocketInput *self,
                                                                   guint64               max_message_size);
guint64               parley_websocket_input_get_max_message_size (ParleyWebsocketInput *self);

G_END_DECLS
