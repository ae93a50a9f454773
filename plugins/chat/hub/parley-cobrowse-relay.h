/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "parley.h"

G_BEGIN_DECLS

/* The open sockets (SoupWebsocketConnection) of one chat visitor. */
typedef GPtrArray *(*ParleyVisitorSocketsFunc) (gpointer    data,
                                               const char *visitor_id);

#define PARLEY_TYPE_COBROWSE_RELAY (parley_cobrowse_relay_get_type ())
G_DECLARE_FINAL_TYPE (ParleyCobrowseRelay, parley_cobrowse_relay, PARLEY, COBROWSE_RELAY, GObject)

void                 parley_cobrowse_relay_register       (GTypeModule              *module);
ParleyCobrowseRelay *parley_cobrowse_relay_new            (ParleyHost               *host,
                                                           ParleyVisitorSocketsFunc  sockets_func,
                                                           gpointer                  sockets_data);
gboolean             parley_cobrowse_relay_start          (ParleyCobrowseRelay      *self,
                                                           ParleyChannel            *channel,
                                                           GError                  **error);
void                 parley_cobrowse_relay_stop           (ParleyCobrowseRelay      *self);
void                 parley_cobrowse_relay_visitor_frame  (ParleyCobrowseRelay      *self,
                                                           SoupWebsocketConnection  *visitor,
                                                           const char               *visitor_id,
                                                           const char               *type,
                                                           JsonObject               *body,
                                                           GBytes                   *frame);
void                 parley_cobrowse_relay_visitor_closed (ParleyCobrowseRelay      *self,
                                                           SoupWebsocketConnection  *visitor);
guint                parley_cobrowse_relay_max_depth      (ParleyCobrowseRelay      *self,
                                                           SoupWebsocketConnection  *visitor);

G_END_DECLS
