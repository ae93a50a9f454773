/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/**
 * ParleyClientState:
 * @PARLEY_CLIENT_STATE_OFFLINE: not signed in, or signed out
 * @PARLEY_CLIENT_STATE_CONNECTING: signed in, waiting for the events socket
 *   (also while reconnecting after the hub or the network went away)
 * @PARLEY_CLIENT_STATE_ONLINE: the events socket is open and pushing
 *
 * Where a #ParleyClient stands with its hub.
 */
typedef enum {
  PARLEY_CLIENT_STATE_OFFLINE,
  PARLEY_CLIENT_STATE_CONNECTING,
  PARLEY_CLIENT_STATE_ONLINE,
} ParleyClientState;

#define PARLEY_TYPE_CLIENT (parley_client_get_type ())
G_DECLARE_FINAL_TYPE (ParleyClient, parley_client, PARLEY, CLIENT, GObject)

ParleyClient     *parley_client_new                  (const char           *base_url);
const char       *parley_client_get_base_url         (ParleyClient         *self);
ParleyClientState parley_client_get_state            (ParleyClient         *self);
JsonObject       *parley_client_get_agent            (ParleyClient         *self);
guint             parley_client_get_retry_seconds    (ParleyClient         *self);
void              parley_client_login_async          (ParleyClient         *self,
                                                      const char           *login,
                                                      const char           *password,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean          parley_client_login_finish         (ParleyClient         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void              parley_client_request_async        (ParleyClient         *self,
                                                      const char           *method,
                                                      const char           *path,
                                                      JsonObject           *body,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
JsonObject       *parley_client_request_finish       (ParleyClient         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void              parley_client_download_async       (ParleyClient         *self,
                                                      const char           *path,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GBytes           *parley_client_download_finish      (ParleyClient         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void              parley_client_upload_async         (ParleyClient         *self,
                                                      const char           *path,
                                                      GFile                *file,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
JsonObject       *parley_client_upload_finish        (ParleyClient         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void              parley_client_open_socket_async    (ParleyClient         *self,
                                                      const char           *path,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
SoupWebsocketConnection *parley_client_open_socket_finish (ParleyClient    *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void              parley_client_reconnect_now        (ParleyClient         *self);
void              parley_client_sign_out             (ParleyClient         *self);

G_END_DECLS
