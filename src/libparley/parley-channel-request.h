/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "parley-version-macros.h"

G_BEGIN_DECLS

/**
 * ParleyHttpMethods:
 * @PARLEY_HTTP_GET: GET (and HEAD, which is answered like GET without a body)
 * @PARLEY_HTTP_POST: POST
 * @PARLEY_HTTP_PUT: PUT
 * @PARLEY_HTTP_PATCH: PATCH
 * @PARLEY_HTTP_DELETE: DELETE
 * @PARLEY_HTTP_OPTIONS: OPTIONS (a browser's CORS preflight)
 *
 * The methods a channel's route answers; any other gets 405.
 */
typedef enum /*< flags >*/
{
  PARLEY_HTTP_GET    = 1 << 0,
  PARLEY_HTTP_POST   = 1 << 1,
  PARLEY_HTTP_PUT    = 1 << 2,
  PARLEY_HTTP_PATCH  = 1 << 3,
  PARLEY_HTTP_DELETE = 1 << 4,
  PARLEY_HTTP_OPTIONS = 1 << 5,
} ParleyHttpMethods;

#define PARLEY_TYPE_CHANNEL_REQUEST (parley_channel_request_get_type ())
PARLEY_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (ParleyChannelRequest, parley_channel_request, PARLEY, CHANNEL_REQUEST, GObject)

/**
 * ParleyChannelRouteFunc:
 * @request: the request, already checked for its method and body size
 * @user_data: what the route was added with
 *
 * Handles one request to a channel's route. It answers at once with one
 * of the parley_channel_request_reply_*() functions, or keeps a reference
 * to @request and answers later (the request waits meanwhile).
 */
typedef void (*ParleyChannelRouteFunc) (ParleyChannelRequest *request,
                                        gpointer              user_data);

PARLEY_AVAILABLE_IN_1_0
ParleyChannelRequest *parley_channel_request_new           (SoupServerMessage     *msg,
                                                            const char            *path,
                                                            GHashTable            *query,
                                                            const char            *client_address);
PARLEY_AVAILABLE_IN_1_0
void                  parley_channel_request_run           (ParleyChannelRequest  *self,
                                                            ParleyChannelRouteFunc func,
                                                            gpointer               user_data);
PARLEY_AVAILABLE_IN_1_0
const char           *parley_channel_request_get_method    (ParleyChannelRequest  *self);
PARLEY_AVAILABLE_IN_1_0
const char           *parley_channel_request_get_path      (ParleyChannelRequest  *self);
PARLEY_AVAILABLE_IN_1_0
const char           *parley_channel_request_get_header    (ParleyChannelRequest  *self,
                                                            const char            *name);
PARLEY_AVAILABLE_IN_1_0
const char           *parley_channel_request_get_query     (ParleyChannelRequest  *self,
                                                            const char            *name);
PARLEY_AVAILABLE_IN_1_0
GBytes               *parley_channel_request_get_body      (ParleyChannelRequest  *self);
PARLEY_AVAILABLE_IN_1_0
JsonObject           *parley_channel_request_read_object   (ParleyChannelRequest  *self,
                                                            GError               **error);
PARLEY_AVAILABLE_IN_1_0
const char           *parley_channel_request_get_client_address (ParleyChannelRequest *self);
PARLEY_AVAILABLE_IN_1_0
GCancellable         *parley_channel_request_get_cancellable (ParleyChannelRequest *self);
PARLEY_AVAILABLE_IN_1_0
SoupServerMessage    *parley_channel_request_get_message   (ParleyChannelRequest  *self);
PARLEY_AVAILABLE_IN_1_0
gboolean              parley_channel_request_is_answered   (ParleyChannelRequest  *self);
PARLEY_AVAILABLE_IN_1_0
void                  parley_channel_request_set_header    (ParleyChannelRequest  *self,
                                                            const char            *name,
                                                            const char            *value);
PARLEY_AVAILABLE_IN_1_0
void                  parley_channel_request_reply_object  (ParleyChannelRequest  *self,
                                                            guint                  status,
                                                            JsonObject            *object);
PARLEY_AVAILABLE_IN_1_0
void                  parley_channel_request_reply_error   (ParleyChannelRequest  *self,
                                                            const GError          *error);
PARLEY_AVAILABLE_IN_1_0
void                  parley_channel_request_reply_bytes   (ParleyChannelRequest  *self,
                                                            guint                  status,
                                                            const char            *content_type,
                                                            GBytes                *body);

G_END_DECLS
