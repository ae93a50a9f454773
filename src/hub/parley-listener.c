/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-listener"

#include "config.h"

#include <errno.h>
#include <unistd.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "parley.h"
#include "parley-listener.h"
#include "parley-net-private.h"

/* The hub's listening socket, accepted here rather than by SoupServer:
 *
 * - libsoup 3.2 drops its listening source for good the first time
 *   accept() fails, so a hub that ran out of descriptors once would never
 *   take another connection. Here a failed accept pauses accepting for a
 *   moment and then tries again.
 * - SoupServer accepts one connection per main-loop pass; here a pass
 *   takes every waiting connection (up to ACCEPT_BATCH).
 * - Its backlog is 10, which drops connections under bursts of clients.
 * - libsoup has no timeouts of its own for a client that sends its request
 *   slowly or never, nor any limit on connections. Each connection is
 *   followed here through its phases, each with its own time limit; one
 *   address may hold only so many; and when descriptors run short, the
 *   oldest connections still waiting for an anonymous request make room,
 *   so that health checks and agents always get through.
 * - With a certificate, the TLS handshake happens here, and SoupServer gets
 *   the encrypted stream (it then says https and wss itself).
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
#define SWEEP_MS 250
/* Connections closed for each one accepted into the reserve: more than
 * one, so that the reserve fills up again while clients keep coming. */
#define EVICT_PER_ACCEPT 2
/* Certificate files are often written in several steps (the key, then the
 * certificate): wait for the writing to settle before reading them. */
#define RELOAD_SETTLE_MS 500

typedef enum
{
  PHASE_HANDSHAKE,  /* TLS, before the request */
  PHASE_HEADERS,    /* waiting for a request's headers */
  PHASE_BODY,       /* reading its body */
  PHASE_HANDLING,   /* the hub is answering it: no time limit */
  PHASE_IDLE,       /* kept alive, waiting for the next request */
  PHASE_UPGRADED,   /* a WebSocket: its pings govern it from now on */
} ParleyConnectionPhase;

/* One accepted connection. The listener's list holds one reference; the
 * remote address SoupServer keeps for the connection holds another, so
 * that its messages find it. */
typedef struct
{
  ParleyListener        *listener;  /* NULL once the listener is gone */
  GSocket               *socket;
  char                  *address;   /* the client's */
  gboolean               counted;   /* against its address's cap */
  ParleyConnectionPhase  phase;
  gint64                 deadline;  /* monotonic µs; 0 for none */
  gint64                 body_started;
  guint64                body_received;
  gboolean               trusted;   /* an agent signed in on it */
  GSource               *idle_watch;
  GQueue                *queue;     /* the listener's list it is in; NULL once released */
  GList                 *link;      /* its place there */
} ParleyConnection;

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

  GQueue      waiting;     /* ParleyConnection in an HTTP phase, the oldest first */
  GQueue      upgraded;    /* ParleyConnection that are WebSockets now */
  guint       sweeps;
  GHashTable *per_address; /* address → connections open from it */
  guint       sweep_source;
  gint64      descriptor_limit;

  /* Limits; 0 means none. */
  gint64      header_timeout;     /* µs */
  gint64      body_timeout;       /* µs */
  guint       body_min_rate;      /* bytes/s; each such second of body earns a second */
  gint64      keep_alive_timeout; /* µs */
  guint       max_per_address;
  guint       max_per_loopback;
  guint       reserve;
  GPtrArray  *trusted_proxies;    /* GInetAddressMask: exempt from the cap */

  GTlsCertificate *certificate;   /* NULL: plain HTTP */
  char            *certificate_path;
  char            *key_path;
  GFileMonitor    *monitors[2];
  guint            reload_source;
};

G_DEFINE_FINAL_TYPE (ParleyListener, parley_listener, G_TYPE_OBJECT)

#define CONNECTION_KEY "parley-listener-connection"

static void watch (ParleyListener *self);

static void
connection_clear (ParleyConnection *conn)
{
  g_clear_object (&conn->socket);
  g_free (conn->address);
}

static void
connection_unref (ParleyConnection *conn)
{
  g_rc_box_release_full (conn, (GDestroyNotify) connection_clear);
}

static ParleyConnection *
connection_for (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote ? g_object_get_data (G_OBJECT (remote), CONNECTION_KEY) : NULL;
}

static void
stop_watching_idle (ParleyConnection *conn)
{
  if (conn->idle_watch != NULL)
    g_source_destroy (conn->idle_watch);
  g_clear_pointer (&conn->idle_watch, g_source_unref);
}

static void
set_phase (ParleyConnection      *conn,
           ParleyConnectionPhase  phase,
           gint64                 timeout)
{
  conn->phase = phase;
  conn->deadline = timeout > 0 ? g_get_monotonic_time () + timeout : 0;
}

/* The listener lets go of a connection that is closed, by whoever. */
static void
release (ParleyListener   *self,
         ParleyConnection *conn)
{
  if (conn->queue == NULL)
    return;
  g_queue_delete_link (conn->queue, conn->link);
  conn->queue = NULL;
  conn->link = NULL;
  if (conn->counted)
    {
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, conn->address));

      if (count > 1)
        g_hash_table_insert (self->per_address, g_strdup (conn->address), GUINT_TO_POINTER (count - 1));
      else
        g_hash_table_remove (self->per_address, conn->address);
    }
  stop_watching_idle (conn);
  connection_unref (conn);
}

/* Closes a connection the hub gives up on. Closing the GSocket, which
 * libsoup's stream shares, also ends libsoup's side of it. */
static void
drop (ParleyListener   *self,
      ParleyConnection *conn,
      const char       *why)
{
  g_debug ("Closing a connection from %s: %s", conn->address, why);
  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
  g_socket_close (conn->socket, NULL);
  release (self, conn);
}

static const char *
phase_timeout_reason (ParleyConnectionPhase phase)
{
  switch (phase)
    {
    case PHASE_HANDSHAKE:
      return "no TLS handshake in time";
    case PHASE_HEADERS:
      return "no complete request headers in time";
    case PHASE_BODY:
      return "no complete request body in time";
    case PHASE_IDLE:
      return "idle for too long";
    case PHASE_HANDLING:
    case PHASE_UPGRADED:
    default:
      return "timed out";
    }
}

/* WebSockets are looked at less often: only to notice they are closed. */
#define SWEEPS_PER_UPGRADED_SWEEP 8

static gboolean
sweep_cb (gpointer user_data)
{
  ParleyListener *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GList *next;

  for (GList *l = self->waiting.head; l != NULL; l = next)
    {
      ParleyConnection *conn = l->data;

      next = l->next;
      if (g_socket_is_closed (conn->socket))
        release (self, conn);
      else if (conn->deadline != 0 && now >= conn->deadline)
        drop (self, conn, phase_timeout_reason (conn->phase));
    }
  if (++self->sweeps % SWEEPS_PER_UPGRADED_SWEEP == 0)
    for (GList *l = self->upgraded.head; l != NULL; l = next)
      {
        next = l->next;
        if (g_socket_is_closed (((ParleyConnection *) l->data)->socket))
          release (self, l->data);
      }
  return G_SOURCE_CONTINUE;
}

/* Closes up to @count of the oldest connections that wait for an
 * anonymous request (its handshake, headers or body, or the next one).
 * Those an agent signed in on, those the hub is answering and WebSockets
 * stay. Returns how many it closed. */
static guint
evict (ParleyListener *self,
       guint           count)
{
  guint evicted = 0;
  GList *next;

  for (GList *l = self->waiting.head; l != NULL && evicted < count; l = next)
    {
      ParleyConnection *conn = l->data;

      next = l->next;
      if (conn->trusted || conn->phase == PHASE_HANDLING)
        continue;
      if (!g_socket_is_closed (conn->socket))
        {
          drop (self, conn, "making room for others: descriptors are running out");
          evicted++;
        }
      else
        release (self, conn);
    }
  return evicted;
}

/* libsoup 3.2 (Debian 12) never notices a client closing an idle
 * keep-alive connection (fixed upstream in 3.3), so each one would stay in
 * CLOSE_WAIT holding a descriptor and a main-loop source forever. Between
 * requests we watch the socket ourselves and close it on end-of-file. */
static gboolean
idle_connection_cb (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  ParleyConnection *conn = user_data;
  char byte;
  gssize peeked;

  if (g_socket_is_closed (socket))
    return G_SOURCE_REMOVE;
  peeked = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (peeked > 0)
    return G_SOURCE_REMOVE;   /* the next request: libsoup takes it from here */
  if (peeked < 0 && (errno == EAGAIN || errno == EINTR))
    return G_SOURCE_CONTINUE;
  if (conn->listener != NULL)
    drop (conn->listener, conn, "the client closed it");
  else
    g_socket_close (socket, NULL);
  return G_SOURCE_REMOVE;
}

static void
watch_idle (ParleyConnection *conn)
{
  stop_watching_idle (conn);
  conn->idle_watch = g_socket_create_source (conn->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (conn->idle_watch, (GSourceFunc) G_CALLBACK (idle_connection_cb),
                         g_rc_box_acquire (conn), (GDestroyNotify) connection_unref);
  g_source_attach (conn->idle_watch, NULL);
}

/* ---- following each request ---------------------------------------------- */

static void
got_headers_cb (SoupServerMessage *msg)
{
  ParleyConnection *conn = connection_for (msg);

  if (conn == NULL || conn->listener == NULL)
    return;
  set_phase (conn, PHASE_BODY, conn->listener->body_timeout);
  conn->body_started = g_get_monotonic_time ();
  conn->body_received = 0;
}

/* A body has body-timeout, and more as it comes: a large upload on a slow
 * line goes through, while a trickle of a few bytes a second does not. */
static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk)
{
  ParleyConnection *conn = connection_for (msg);
  ParleyListener *self = conn ? conn->listener : NULL;

  if (self == NULL || conn->phase != PHASE_BODY || self->body_timeout == 0 || self->body_min_rate == 0)
    return;
  conn->body_received += g_bytes_get_size (chunk);
  conn->deadline = conn->body_started + self->body_timeout +
                   (gint64) (conn->body_received * G_USEC_PER_SEC / self->body_min_rate);
}

static void
got_body_cb (SoupServerMessage *msg)
{
  ParleyConnection *conn = connection_for (msg);

  if (conn != NULL)
    set_phase (conn, PHASE_HANDLING, 0);
}

static void
wrote_informational_cb (SoupServerMessage *msg)
{
  ParleyConnection *conn = connection_for (msg);

  if (conn == NULL || conn->queue == NULL || soup_server_message_get_status (msg) != SOUP_STATUS_SWITCHING_PROTOCOLS)
    return;
  set_phase (conn, PHASE_UPGRADED, 0);
  g_queue_unlink (conn->queue, conn->link);
  conn->queue = &conn->listener->upgraded;
  g_queue_push_tail_link (conn->queue, conn->link);
}

/* SoupServer starts a message as it accepts a connection, and again when
 * the first bytes of a next request come on a kept-alive one. */
static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    ParleyListener    *self)
{
  ParleyConnection *conn = connection_for (msg);

  if (conn == NULL)
    return;
  if (conn->phase == PHASE_IDLE)
    {
      set_phase (conn, PHASE_HEADERS, self->header_timeout);
      stop_watching_idle (conn);
    }
  else
    conn->phase = PHASE_HEADERS;  /* the time limit runs from the accept */
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), NULL);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), NULL);
  g_signal_connect (msg, "got-body", G_CALLBACK (got_body_cb), NULL);
  g_signal_connect (msg, "wrote-informational", G_CALLBACK (wrote_informational_cb), NULL);
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     ParleyListener    *self)
{
  ParleyConnection *conn = connection_for (msg);

  if (conn == NULL || conn->queue == NULL || g_socket_is_closed (conn->socket))
    return;
  set_phase (conn, PHASE_IDLE, self->keep_alive_timeout);
  watch_idle (conn);
}

/* ---- accepting -------------------------------------------------------------- */

static gboolean
retry_cb (gpointer user_data)
{
  ParleyListener *self = user_data;

  self->retry_source = 0;
  watch (self);
  return G_SOURCE_REMOVE;
}

/* Out of descriptors (or memory) with nothing to close: the waiting
 * connections stay in the kernel's queue until some close. Polling
 * meanwhile would spin, since the listening socket stays readable. */
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

/* Turns a connection away, with a 503 on plain HTTP. */
static void
refuse (ParleyListener *self,
        GSocket        *socket,
        const char     *address)
{
  g_autoptr(GError) error = g_error_new (PARLEY_ERROR, PARLEY_ERROR_REJECTED,
                                         "Too many connections from %s", address);
  g_autofree char *answer = parley_http_closing_answer (SOUP_STATUS_SERVICE_UNAVAILABLE, error);

  g_debug ("%s", error->message);
  if (self->certificate == NULL)
    g_socket_send_with_blocking (socket, answer, strlen (answer), FALSE, NULL, NULL);
  g_socket_shutdown (socket, FALSE, TRUE, NULL);
  g_socket_close (socket, NULL);
}

/* The client's address, as text (IPv4-mapped IPv6 addresses as IPv4). */
static char *
client_address (GSocketAddress *remote)
{
  g_autoptr(GInetAddress) address = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return g_strdup ("?");
  address = parley_inet_address_unmap (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
  return g_inet_address_to_string (address);
}

/* The cap on connections from @address, or 0 when none applies. */
static guint
cap_for (ParleyListener *self,
         const char     *address)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);

  if (inet == NULL || parley_inet_masks_contain (self->trusted_proxies, inet))
    return 0;
  return g_inet_address_get_is_loopback (inet) ? self->max_per_loopback : self->max_per_address;
}

static void
serve (ParleyListener   *self,
       GIOStream        *stream,
       GSocketAddress   *local,
       GSocketAddress   *remote)
{
  g_autoptr(GError) error = NULL;

  if (!soup_server_accept_iostream (self->server, stream, local, remote, &error))
    g_debug ("Could not take a connection: %s", error->message);
}

typedef struct
{
  ParleyConnection *conn;
  GSocketAddress   *local;
  GSocketAddress   *remote;
} ParleyHandshake;

static void
handshake_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ParleyHandshake *handshake = user_data;
  ParleyConnection *conn = handshake->conn;
  g_autoptr(GError) error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      g_debug ("TLS handshake failed: %s", error->message);
      if (conn->listener != NULL && conn->queue != NULL)
        drop (conn->listener, conn, "no TLS");
    }
  else if (conn->listener != NULL && conn->queue != NULL)
    serve (conn->listener, G_IO_STREAM (source), handshake->local, handshake->remote);
  connection_unref (conn);
  g_object_unref (handshake->local);
  g_object_unref (handshake->remote);
  g_free (handshake);
}

static void
start_tls (ParleyListener    *self,
           ParleyConnection  *conn,
           GIOStream         *base,
           GSocketAddress    *local,
           GSocketAddress    *remote)
{
  static const char * const protocols[] = { "http/1.1", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) tls = g_tls_server_connection_new (base, self->certificate, &error);
  ParleyHandshake *handshake;

  if (tls == NULL)
    {
      g_warning ("Cannot start TLS: %s", error->message);
      drop (self, conn, "no TLS");
      return;
    }
  /* Browsers often close without TLS's goodbye; that is no attack. */
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);
  g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (tls), protocols);
  handshake = g_new0 (ParleyHandshake, 1);
  handshake->conn = g_rc_box_acquire (conn);
  handshake->local = g_object_ref (local);
  handshake->remote = g_object_ref (remote);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, NULL, handshake_cb, handshake);
}

static void
hand_over (ParleyListener *self,
           GSocket        *socket)
{
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);
  g_autofree char *address = NULL;
  ParleyConnection *conn;
  guint cap, count;

  if (local == NULL || remote == NULL)
    return;  /* the client is already gone */
  address = client_address (remote);
  cap = cap_for (self, address);
  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, address));
  if (cap > 0 && count >= cap)
    {
      refuse (self, socket, address);
      return;
    }
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  /* A client gone without a word (a laptop shut, a network lost) shows when
   * what the hub sends next, a ping at the latest, goes unacknowledged:
   * close after a minute rather than TCP's quarter of an hour of retries. */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_USER_TIMEOUT, USER_TIMEOUT_MS, NULL);

  conn = g_rc_box_new0 (ParleyConnection);
  conn->listener = self;
  conn->socket = g_object_ref (socket);
  conn->address = g_steal_pointer (&address);
  conn->counted = cap > 0;
  set_phase (conn, self->certificate ? PHASE_HANDSHAKE : PHASE_HEADERS, self->header_timeout);
  conn->queue = &self->waiting;
  g_queue_push_tail (conn->queue, conn);
  conn->link = conn->queue->tail;
  if (conn->counted)
    g_hash_table_insert (self->per_address, g_strdup (conn->address), GUINT_TO_POINTER (count + 1));
  g_object_set_data_full (G_OBJECT (remote), CONNECTION_KEY, g_rc_box_acquire (conn), (GDestroyNotify) connection_unref);

  connection = g_socket_connection_factory_create_connection (socket);
  if (self->certificate != NULL)
    start_tls (self, conn, G_IO_STREAM (connection), local, remote);
  else
    serve (self, G_IO_STREAM (connection), local, remote);
}

/* Whether @socket took one of the last descriptors: the kernel hands out
 * the lowest free one, so a number this high means those below are taken. */
static gboolean
in_reserve (ParleyListener *self,
            GSocket        *socket)
{
  return self->reserve > 0 && g_socket_get_fd (socket) >= self->descriptor_limit - self->reserve;
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
          if (in_reserve (self, socket))
            evict (self, EVICT_PER_ACCEPT);
          hand_over (self, socket);
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES) ||
               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          if (evict (self, MAX (self->reserve, 1)) > 0)
            continue;
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

/* ---- TLS ------------------------------------------------------------------- */

static gboolean
load_certificate (ParleyListener  *self,
                  GError         **error)
{
  GTlsCertificate *certificate = g_tls_certificate_new_from_files (self->certificate_path, self->key_path, error);

  if (certificate == NULL)
    {
      g_prefix_error (error, "%s, %s: ", self->certificate_path, self->key_path);
      return FALSE;
    }
  g_clear_object (&self->certificate);
  self->certificate = certificate;
  return TRUE;
}

/* Reads the certificate and key again; new connections get them, those
 * open keep theirs. Files that do not load leave the pair in use, and the
 * log says why. */
void
parley_listener_reload (ParleyListener *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PARLEY_IS_LISTENER (self));

  if (self->certificate_path == NULL)
    return;
  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (load_certificate (self, &error))
    g_message ("TLS certificate reloaded from %s", self->certificate_path);
  else
    g_warning ("Keeping the TLS certificate in use: %s", error->message);
}

static gboolean
reload_cb (gpointer user_data)
{
  ParleyListener *self = user_data;

  self->reload_source = 0;
  parley_listener_reload (self);
  return G_SOURCE_REMOVE;
}

static void
certificate_changed_cb (GFileMonitor      *monitor,
                        GFile             *file,
                        GFile             *other,
                        GFileMonitorEvent  event,
                        ParleyListener    *self)
{
  if (event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT && event != G_FILE_MONITOR_EVENT_CREATED &&
      event != G_FILE_MONITOR_EVENT_MOVED_IN && event != G_FILE_MONITOR_EVENT_RENAMED &&
      event != G_FILE_MONITOR_EVENT_CHANGED)
    return;
  g_clear_handle_id (&self->reload_source, g_source_remove);
  self->reload_source = g_timeout_add (RELOAD_SETTLE_MS, reload_cb, self);
}

static gboolean
start_tls_files (ParleyListener      *self,
                 const ParleyConfig  *config,
                 GError             **error)
{
  const char *paths[2] = { config->tls_certificate, config->tls_key };

  self->certificate_path = g_strdup (config->tls_certificate);
  self->key_path = g_strdup (config->tls_key);
  if (!load_certificate (self, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (paths[i]);

      /* Without a monitor, SIGHUP still reloads. */
      self->monitors[i] = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
      if (self->monitors[i] != NULL)
        g_signal_connect_object (self->monitors[i], "changed", G_CALLBACK (certificate_changed_cb), self, 0);
    }
  return TRUE;
}

/* ---- the object ------------------------------------------------------------ */

static void
parley_listener_finalize (GObject *object)
{
  ParleyListener *self = PARLEY_LISTENER (object);
  ParleyConnection *conn;

  parley_listener_close (self);
  g_signal_handlers_disconnect_by_data (self->server, self);
  while ((conn = g_queue_pop_head (&self->waiting)) || (conn = g_queue_pop_head (&self->upgraded)))
    {
      conn->listener = NULL;
      conn->queue = NULL;
      conn->link = NULL;
      stop_watching_idle (conn);
      connection_unref (conn);
    }
  g_clear_handle_id (&self->reload_source, g_source_remove);
  for (guint i = 0; i < G_N_ELEMENTS (self->monitors); i++)
    g_clear_object (&self->monitors[i]);
  g_clear_object (&self->certificate);
  g_free (self->certificate_path);
  g_free (self->key_path);
  g_clear_pointer (&self->trusted_proxies, g_ptr_array_unref);
  g_clear_pointer (&self->per_address, g_hash_table_unref);
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
  struct rlimit limit;

  g_queue_init (&self->waiting);
  g_queue_init (&self->upgraded);
  self->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->descriptor_limit = getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
                           ? (gint64) limit.rlim_cur : G_MAXINT;
}

static GUri *
build_uri (const char     *scheme,
           GSocketAddress *bound)
{
  g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (bound)));

  return g_uri_build (G_URI_FLAGS_NONE, scheme, NULL, host,
                      g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)), "/", NULL, NULL);
}

/* Listens on @address, host:port ("127.0.0.1:0" lets the kernel pick the
 * port), and hands every connection to @server: plain HTTP without time
 * limits or caps until parley_listener_apply_config() sets them. */
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
  self->uri = build_uri ("http", bound);
  if (!give_server_a_listener (self, error))
    return NULL;
  g_signal_connect (server, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (server, "request-finished", G_CALLBACK (request_finished_cb), self);
  g_signal_connect (server, "request-aborted", G_CALLBACK (request_finished_cb), self);
  self->sweep_source = g_timeout_add (SWEEP_MS, sweep_cb, self);
  watch (self);
  return g_steal_pointer (&self);
}

/* Time limits, caps and TLS from @config. Plain HTTP is for loopback: on
 * any other address the hub wants a certificate, unless told that a
 * reverse proxy in front of it does TLS (allow-plaintext). */
gboolean
parley_listener_apply_config (ParleyListener      *self,
                              const ParleyConfig  *config,
                              GError             **error)
{
  g_autoptr(GSocketAddress) bound = NULL;
  GInetAddress *address;

  g_return_val_if_fail (PARLEY_IS_LISTENER (self), FALSE);
  g_return_val_if_fail (self->certificate_path == NULL, FALSE);

  self->header_timeout = (gint64) config->header_timeout * G_USEC_PER_SEC;
  self->body_timeout = (gint64) config->body_timeout * G_USEC_PER_SEC;
  self->body_min_rate = config->body_min_rate;
  self->keep_alive_timeout = (gint64) config->keep_alive_timeout * G_USEC_PER_SEC;
  self->max_per_address = config->max_connections_per_address;
  self->max_per_loopback = config->max_connections_per_loopback;
  /* A reserve larger than a quarter of all descriptors would evict
   * connections long before any are short. */
  self->reserve = (guint) MIN ((gint64) config->reserved_descriptors, self->descriptor_limit / 4);
  g_clear_pointer (&self->trusted_proxies, g_ptr_array_unref);
  self->trusted_proxies = g_ptr_array_ref (config->trusted_proxies);

  if (!(bound = g_socket_get_local_address (self->socket, error)))
    return FALSE;
  address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (bound));
  if (config->tls_certificate != NULL)
    {
      if (!start_tls_files (self, config, error))
        return FALSE;
      g_clear_pointer (&self->uri, g_uri_unref);
      self->uri = build_uri ("https", bound);
    }
  else if (!g_inet_address_get_is_loopback (address) && !config->allow_plaintext)
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                           "Plain HTTP is for loopback addresses: set [hub] tls-certificate and tls-key, "
                           "or allow-plaintext=true when a reverse proxy in front of the hub does TLS");
      return FALSE;
    }
  return TRUE;
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
  g_clear_handle_id (&self->sweep_source, g_source_remove);
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
}

/* The socket @msg came on: soup_server_message_get_socket() knows only the
 * sockets SoupServer accepted itself. */
GSocket *
parley_listener_get_socket (SoupServerMessage *msg)
{
  ParleyConnection *conn = connection_for (msg);

  return conn ? conn->socket : NULL;
}

/* An agent signed in on @msg's connection: it is never closed to make room
 * for others (its time limits still hold). */
void
parley_listener_trust_connection (SoupServerMessage *msg)
{
  ParleyConnection *conn = connection_for (msg);

  if (conn != NULL)
    conn->trusted = TRUE;
}
