/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "parley.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_CHANNEL_ROUTES (parley_channel_routes_get_type ())
G_DECLARE_FINAL_TYPE (ParleyChannelRoutes, parley_channel_routes, PARLEY, CHANNEL_ROUTES, GObject)

/* The routes channel plugins add under /api/v1/channels/KIND/: which
 * paths and methods each answers, and how large a body it takes. The
 * REST layer hands it every request below that prefix. */
ParleyChannelRoutes *parley_channel_routes_new         (gsize                   default_max_body);
gboolean             parley_channel_routes_add         (ParleyChannelRoutes    *self,
                                                        const char             *kind,
                                                        const char             *path,
                                                        ParleyHttpMethods       methods,
                                                        gsize                   max_body,
                                                        ParleyChannelRouteFunc  func,
                                                        gpointer                user_data,
                                                        GDestroyNotify          destroy,
                                                        GError                **error);
void                 parley_channel_routes_remove_kind (ParleyChannelRoutes    *self,
                                                        const char             *kind);
void                 parley_channel_routes_dispatch    (ParleyChannelRoutes    *self,
                                                        SoupServerMessage      *msg,
                                                        const char             *kind,
                                                        const char             *path,
                                                        GHashTable             *query,
                                                        const char             *client_address);

G_END_DECLS
