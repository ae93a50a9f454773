/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-listener"

#include "config.h"

#include <errno.h>
#include <unistd.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "parley.h"
#include "parley-listener.h"

/* The hub's listening socket, accepted here rather than by SoupServer:
 *
 * - libsoup 3.2 drops its listening source for good the first time
 *   accept() fails, so a hub that ran out of descriptors once would never
 *   take another connection. Here a failed accept pauses accepting for a
 *   moment and then tries again.
 * - SoupServer accepts one connection per main-loop pass; here a pass
 *   takes every waiting connection (up to ACCEPT_BATCH).
 * - Its backlog is 10, which drops connections under bursts of clients.
 *
 * Accepted connections go to SoupServer with soup_server_accept_iostream(),
 * which does not remember the GSocket: parley_listener_get_socket() finds it
 * again for a message. And libsoup 3.2 keeps a connection open after a
 * response only while the server has a listener of its own (soup-server.c,
 * request_finished()): it gets one that never hears anything, one end of a
 * socket pair whose other end stays open and silent. */

#define LISTEN_BACKLOG 1024
#define ACCEPT_BATCH 64
#define RETRY_AFTER_MS 50
#define USER_TIMEOUT_MS 60000

struct _ParleyListener
{
  GObject     parent_instance;

  SoupServer *server;
  GSocket    *socket;
  GSocket    *silent[2];   /* the socket pair SoupServer "listens" on */
  GUri       *uri;
  GSource    *source;      /* waiting for connections; NULL while paused */
  guint       retry_source;
  gboolean    warned;      /* about running out of descriptors, until it recovers */
};

G_DEFINE_FINAL_TYPE (ParleyListener, parley_listener, G_TYPE_OBJECT)

static void watch (ParleyListener *self);

static gboolean
retry_cb (gpointer user_data)
{
  ParleyListener *self = user_data;

  self->retry_source = 0;
  watch (self);
  return G_SOURCE_REMOVE;
}

/* Out of descriptors (or memory): the waiting connections stay in the
 * kernel's queue until some close. Polling meanwhile would spin, since the
 * listening socket stays readable. */
static void
pause_accepting (ParleyListener *self,
                 const GError   *error)
{
  if (!self->warned)
    g_warning ("Cannot accept connections for now, retrying: %s", error->message);
  self->warned = TRUE;
  g_source_destroy (self->source);
  g_clear_pointer (&self->source, g_source_unref);
  self->retry_source = g_timeout_add (RETRY_AFTER_MS, retry_cb, self);
}

static void
hand_over (ParleyListener *self,
           GSocket        *socket)
{
  g_autoptr(GSocketConnection) connection = g_socket_connection_factory_create_connection (socket);
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);
  g_autoptr(GError) error = NULL;

  if (local == NULL || remote == NULL)
    return;  /* the client is already gone */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  /* A client gone without a word (a laptop shut, a network lost) shows when
   * what the hub sends next, a ping at the latest, goes unacknowledged:
   * close after a minute rather than TCP's quarter of an hour of retries. */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_USER_TIMEOUT, USER_TIMEOUT_MS, NULL);
  g_object_set_data_full (G_OBJECT (remote), "parley-listener-socket", g_object_ref (socket), g_object_unref);
  if (!soup_server_accept_iostream (self->server, G_IO_STREAM (connection), local, remote, &error))
    g_debug ("Could not take a connection: %s", error->message);
}

static gboolean
incoming_cb (GSocket      *listening,
             GIOCondition  condition,
             gpointer      user_data)
{
  ParleyListener *self = user_data;

  for (guint i = 0; i < ACCEPT_BATCH; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = g_socket_accept (listening, NULL, &error);

      if (socket != NULL)
        {
          self->warned = FALSE;
          hand_over (self, socket);
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES) ||
               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          pause_accepting (self, error);
          return G_SOURCE_REMOVE;
        }
      else
        g_debug ("accept: %s", error->message);  /* that client gave up; the next may not */
    }
  return G_SOURCE_CONTINUE;
}

static void
watch (ParleyListener *self)
{
  self->source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->source, (GSourceFunc) G_CALLBACK (incoming_cb), self, NULL);
  g_source_attach (self->source, NULL);
}

static gboolean
give_server_a_listener (ParleyListener  *self,
                        GError         **error)
{
  int pair[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    {
      int code = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (code), "socketpair: %s", g_strerror (code));
      return FALSE;
    }
  for (guint i = 0; i < 2; i++)
    if (!(self->silent[i] = g_socket_new_from_fd (pair[i], error)))
      {
        close (pair[i]);
        if (i == 0)
          close (pair[1]);
        return FALSE;
      }
  return soup_server_listen_socket (self->server, self->silent[0], 0, error);
}

static void
parley_listener_finalize (GObject *object)
{
  ParleyListener *self = PARLEY_LISTENER (object);

  parley_listener_close (self);
  g_clear_object (&self->socket);
  g_clear_object (&self->silent[0]);
  g_clear_object (&self->silent[1]);
  g_clear_object (&self->server);
  g_clear_pointer (&self->uri, g_uri_unref);
  G_OBJECT_CLASS (parley_listener_parent_class)->finalize (object);
}

static void
parley_listener_class_init (ParleyListenerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = parley_listener_finalize;
}

static void
parley_listener_init (ParleyListener *self)
{
}

/* Listens on @address, host:port ("127.0.0.1:0" lets the kernel pick the
 * port), and hands every connection to @server. */
ParleyListener *
parley_listener_new (SoupServer  *server,
                     const char  *address,
                     GError     **error)
{
  g_autoptr(ParleyListener) self = g_object_new (PARLEY_TYPE_LISTENER, NULL);
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GSocketAddressEnumerator) enumerator = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *host = NULL;

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);

  self->server = g_object_ref (server);
  connectable = g_network_address_parse (address, 8080, error);
  if (connectable == NULL)
    return NULL;
  enumerator = g_socket_connectable_enumerate (connectable);
  socket_address = g_socket_address_enumerator_next (enumerator, NULL, error);
  if (socket_address == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Cannot resolve %s", address);
      return NULL;
    }
  self->socket = g_socket_new (g_socket_address_get_family (socket_address),
                               G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (self->socket == NULL)
    return NULL;
  g_socket_set_option (self->socket, SOL_SOCKET, SO_REUSEADDR, TRUE, NULL);
  g_socket_set_listen_backlog (self->socket, LISTEN_BACKLOG);
  g_socket_set_blocking (self->socket, FALSE);
  if (!g_socket_bind (self->socket, socket_address, TRUE, error) ||
      !g_socket_listen (self->socket, error) ||
      !(bound = g_socket_get_local_address (self->socket, error)))
    return NULL;
  host = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (bound)));
  self->uri = g_uri_build (G_URI_FLAGS_NONE, "http", NULL, host,
                           g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)), "/", NULL, NULL);
  if (!give_server_a_listener (self, error))
    return NULL;
  watch (self);
  return g_steal_pointer (&self);
}

/* Where the hub answers, e.g. http://127.0.0.1:8080/ */
GUri *
parley_listener_get_uri (ParleyListener *self)
{
  g_return_val_if_fail (PARLEY_IS_LISTENER (self), NULL);

  return self->uri;
}

/* Stops accepting connections; those already accepted go on. */
void
parley_listener_close (ParleyListener *self)
{
  g_return_if_fail (PARLEY_IS_LISTENER (self));

  if (self->source != NULL)
    g_source_destroy (self->source);
  g_clear_pointer (&self->source, g_source_unref);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
}

/* The socket @msg came on: soup_server_message_get_socket() knows only the
 * sockets SoupServer accepted itself. */
GSocket *
parley_listener_get_socket (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote ? g_object_get_data (G_OBJECT (remote), "parley-listener-socket") : NULL;
}
