/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <libsoup/soup.h>
#include "parley-version-macros.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_WEBSOCKET_STREAM (parley_websocket_stream_get_type ())
PARLEY_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (ParleyWebsocketStream, parley_websocket_stream, PARLEY, WEBSOCKET_STREAM, GIOStream)

PARLEY_AVAILABLE_IN_1_0
ParleyWebsocketStream   *parley_websocket_stream_new                  (GIOStream             *base,
                                                                       guint64                max_message_size);
PARLEY_AVAILABLE_IN_1_0
GIOStream               *parley_websocket_stream_get_base_stream      (ParleyWebsocketStream *self);
PARLEY_AVAILABLE_IN_1_0
void                     parley_websocket_stream_set_max_message_size (ParleyWebsocketStream *self,
                                                                       guint64                max_message_size);
PARLEY_AVAILABLE_IN_1_0
guint64                  parley_websocket_stream_get_max_message_size (ParleyWebsocketStream *self);

/**
 * ParleyWebsocketAcceptFunc:
 * @msg: the handshake that was answered
 * @connection: the new WebSocket
 * @owner: (type GObject.Object): what parley_websocket_upgrade() was given
 *
 * Gets a WebSocket once the handshake's answer has gone out.
 */
typedef void (*ParleyWebsocketAcceptFunc) (SoupServerMessage       *msg,
                                           SoupWebsocketConnection *connection,
                                           gpointer                 owner);

/**
 * ParleyWebsocketStolenFunc:
 * @msg: the handshake that was answered
 * @stream: (transfer none): its connection, taken from the server
 * @user_data: what parley_websocket_upgrade_full() was given
 *
 * Gets a handshake's connection once its answer has gone out, to make
 * the WebSocket with parley_websocket_accept().
 */
typedef void (*ParleyWebsocketStolenFunc) (SoupServerMessage *msg,
                                           GIOStream         *stream,
                                           gpointer           user_data);

PARLEY_AVAILABLE_IN_1_0
gboolean                 parley_websocket_upgrade_full         (SoupServerMessage         *msg,
                                                                ParleyWebsocketStolenFunc  callback,
                                                                gpointer                   user_data,
                                                                GDestroyNotify             destroy);
PARLEY_AVAILABLE_IN_1_0
gboolean                 parley_websocket_upgrade              (SoupServerMessage         *msg,
                                                                guint64                    max_message_size,
                                                                ParleyWebsocketAcceptFunc  callback,
                                                                gpointer                   owner);
PARLEY_AVAILABLE_IN_1_0
SoupWebsocketConnection *parley_websocket_accept               (SoupServerMessage         *msg,
                                                                GIOStream                 *stream,
                                                                guint64                    max_message_size);
PARLEY_AVAILABLE_IN_1_0
void                     parley_websocket_set_max_message_size (SoupWebsocketConnection   *connection,
                                                                guint64                    max_message_size);

G_END_DECLS
