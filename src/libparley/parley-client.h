/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include "parley-version-macros.h"

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

/**
 * ParleyClientError:
 * @PARLEY_CLIENT_ERROR_UNENCRYPTED: the hub's address is `http://` and it
 *   is not on this computer: the client does not send a password or
 *   customers' data over it unless told to
 *   (parley_client_set_allow_unencrypted())
 * @PARLEY_CLIENT_ERROR_UNTRUSTED_CERTIFICATE: the hub's TLS certificate
 *   was refused; parley_client_get_refused_certificate() says which and why
 *
 * Why a #ParleyClient did not talk to its hub at all.
 */
typedef enum {
  PARLEY_CLIENT_ERROR_UNENCRYPTED,
  PARLEY_CLIENT_ERROR_UNTRUSTED_CERTIFICATE,
} ParleyClientError;

#define PARLEY_CLIENT_ERROR (parley_client_error_quark ())
PARLEY_AVAILABLE_IN_1_0
GQuark parley_client_error_quark (void);

#define PARLEY_TYPE_CLIENT (parley_client_get_type ())
PARLEY_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (ParleyClient, parley_client, PARLEY, CLIENT, GObject)

PARLEY_AVAILABLE_IN_1_0
ParleyClient     *parley_client_new                  (const char           *base_url);
PARLEY_AVAILABLE_IN_1_0
const char       *parley_client_get_base_url         (ParleyClient         *self);
PARLEY_AVAILABLE_IN_1_0
ParleyClientState parley_client_get_state            (ParleyClient         *self);
PARLEY_AVAILABLE_IN_1_0
JsonObject       *parley_client_get_agent            (ParleyClient         *self);
PARLEY_AVAILABLE_IN_1_0
guint             parley_client_get_retry_seconds    (ParleyClient         *self);
PARLEY_AVAILABLE_IN_1_0
gboolean          parley_client_set_pinned_certificate (ParleyClient       *self,
                                                      const char           *pin,
                                                      GError              **error);
PARLEY_AVAILABLE_IN_1_0
void              parley_client_set_allow_unencrypted (ParleyClient        *self,
                                                      gboolean              allow);
PARLEY_AVAILABLE_IN_1_0
GTlsCertificate  *parley_client_get_refused_certificate (ParleyClient      *self,
                                                      GTlsCertificateFlags *errors);
PARLEY_AVAILABLE_IN_1_0
void              parley_client_login_async          (ParleyClient         *self,
                                                      const char           *login,
                                                      const char           *password,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
PARLEY_AVAILABLE_IN_1_0
gboolean          parley_client_login_finish         (ParleyClient         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
PARLEY_AVAILABLE_IN_1_0
void              parley_client_request_async        (ParleyClient         *self,
                                                      const char           *method,
                                                      const char           *path,
                                                      JsonObject           *body,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
PARLEY_AVAILABLE_IN_1_0
JsonObject       *parley_client_request_finish       (ParleyClient         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
PARLEY_AVAILABLE_IN_1_0
void              parley_client_download_async       (ParleyClient         *self,
                                                      const char           *path,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
PARLEY_AVAILABLE_IN_1_0
GBytes           *parley_client_download_finish      (ParleyClient         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
PARLEY_AVAILABLE_IN_1_0
void              parley_client_upload_async         (ParleyClient         *self,
                                                      const char           *path,
                                                      GFile                *file,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
PARLEY_AVAILABLE_IN_1_0
JsonObject       *parley_client_upload_finish        (ParleyClient         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
PARLEY_AVAILABLE_IN_1_0
void              parley_client_open_socket_async    (ParleyClient         *self,
                                                      const char           *path,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
PARLEY_AVAILABLE_IN_1_0
SoupWebsocketConnection *parley_client_open_socket_finish (ParleyClient    *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
PARLEY_AVAILABLE_IN_1_0
void              parley_client_reconnect_now        (ParleyClient         *self);
PARLEY_AVAILABLE_IN_1_0
void              parley_client_sign_out             (ParleyClient         *self);

G_END_DECLS
