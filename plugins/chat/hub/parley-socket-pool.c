/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-socket-pool"

#include "config.h"

#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "parley-socket-pool.h"
#include "parley.h"

/* Where the hub keeps thousands of mostly quiet visitor WebSockets without
 * slowing everything else down.
 *
 * GLib's main loop works in proportion to everything attached to it: each
 * pass prepares and checks every source and polls every descriptor, and
 * libsoup 3.2 makes a fresh input source for a WebSocket after every read,
 * which GLib files into a list of all descriptors sorted by number (a walk
 * over the whole list to add it, another to remove it). With 10,000 idle
 * visitors in the main context, that was most of the hub's time.
 *
 * So visitor sockets live in shards: each shard is a GMainContext of its
 * own with up to SOCKETS_PER_SHARD sockets, whose descriptors an epoll
 * instance watches. The main context sees one source per shard, the epoll
 * descriptor; only when it becomes ready does the shard make one pass over
 * its own few sources. A pass costs in proportion to the shard, not to
 * every socket open.
 *
 * A SoupWebsocketConnection attaches its sources to the thread-default
 * context of the moment: the shard is pushed while the connection is made
 * and while the shard runs. Handlers of its signals therefore run with the
 * shard as thread-default, and should push the main context (NULL) for
 * hub work that starts asynchronous operations.
 *
 * Every socket gets a ping every PING_SECONDS, so that proxies in between
 * keep it open: a text message given by the user of the pool, since
 * libsoup 3.2 can send WebSocket pings only from a timer of each
 * connection's own. Those timers all fired in the same second for sockets
 * opened in the same second (10,000 pings at once, a stall of a tenth of
 * a second); here one timer sends at most a share of them each tick.
 *
 * Each socket holds a reference on the pool, so none outlives its shard. */

#define SOCKETS_PER_SHARD 128
#define FIRST_ALLOCATION 16
#define PING_SECONDS 30
#define PING_TICK_MS 100
#define PINGS_PER_TICK_MIN 50

typedef struct
{
  GSource             source;       /* attached to the main context */
  GMainContext       *context;      /* the sockets' sources */
  int                 epoll_fd;     /* ready when one of the context's descriptors is */
  GPollFD            *fds;          /* the context's descriptors in this pass, sorted by fd */
  struct epoll_event *events;
  guint               allocated;    /* length of fds and events */
  GArray             *watched;      /* GPollFD: what epoll_fd watches, sorted by fd */
  guint               sockets;
} ParleySocketShard;

struct _ParleySocketPool
{
  GObject    parent_instance;

  GPtrArray *shards;       /* ParleySocketShard */
  char      *ping;
  GQueue     pings;        /* ParleySocketEntry, the first due first */
  guint      ping_source;  /* ticks while there are sockets */
};

/* One socket of the pool. */
typedef struct
{
  ParleySocketPool        *pool;        /* owned */
  ParleySocketShard       *shard;
  SoupWebsocketConnection *connection;  /* unowned: the entry goes when it does */
  GList                    link;        /* in pool->pings */
  gint64                   ping_at;     /* monotonic */
} ParleySocketEntry;

G_DEFINE_DYNAMIC_TYPE_EXTENDED (ParleySocketPool, parley_socket_pool, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL, {})

void
parley_socket_pool_register (GTypeModule *module)
{
  parley_socket_pool_register_type (module);
}

/* ---- one shard --------------------------------------------------------------- */

static void
shard_epoll_set (ParleySocketShard *shard,
                 int                op,
                 const GPollFD     *fd)
{
  struct epoll_event event = { .events = fd->events, .data.fd = fd->fd };

  if (epoll_ctl (shard->epoll_fd, op, fd->fd, &event) == 0)
    return;
  /* A descriptor closed and opened again under the same number between two
   * passes is unknown to epoll, or still known. */
  if (op == EPOLL_CTL_MOD && errno == ENOENT)
    epoll_ctl (shard->epoll_fd, EPOLL_CTL_ADD, fd->fd, &event);
  else if (op == EPOLL_CTL_ADD && errno == EEXIST)
    epoll_ctl (shard->epoll_fd, EPOLL_CTL_MOD, fd->fd, &event);
}

/* Brings epoll up to date with the @n descriptors of this pass: both lists
 * are sorted by fd, so one walk finds what came, went and changed. */
static void
shard_watch (ParleySocketShard *shard,
             guint              n)
{
  GArray *watched = shard->watched;
  guint i = 0, j = 0;

  while (i < n || j < watched->len)
    {
      const GPollFD *want = i < n ? &shard->fds[i] : NULL;
      const GPollFD *have = j < watched->len ? &g_array_index (watched, GPollFD, j) : NULL;

      if (have && (!want || have->fd < want->fd))
        {
          /* Gone; a closed descriptor left epoll by itself. */
          epoll_ctl (shard->epoll_fd, EPOLL_CTL_DEL, have->fd, NULL);
          j++;
        }
      else if (!have || want->fd < have->fd)
        {
          shard_epoll_set (shard, EPOLL_CTL_ADD, want);
          i++;
        }
      else
        {
          if (want->events != have->events)
            shard_epoll_set (shard, EPOLL_CTL_MOD, want);
          i++;
          j++;
        }
    }
  g_array_set_size (watched, 0);
  g_array_append_vals (watched, shard->fds, n);
}

static GPollFD *
shard_find (ParleySocketShard *shard,
            guint              n,
            int                fd)
{
  guint low = 0, high = n;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (shard->fds[middle].fd == fd)
        return &shard->fds[middle];
      if (shard->fds[middle].fd < fd)
        low = middle + 1;
      else
        high = middle;
    }
  return NULL;
}

/* What poll() would have said about the @n descriptors, without waiting. */
static void
shard_poll (ParleySocketShard *shard,
            guint              n)
{
  int ready = epoll_wait (shard->epoll_fd, shard->events, shard->allocated, 0);

  for (int i = 0; i < ready; i++)
    {
      GPollFD *fd = shard_find (shard, n, shard->events[i].data.fd);

      if (fd)
        fd->revents = shard->events[i].events & (G_IO_IN | G_IO_PRI | G_IO_OUT | G_IO_ERR | G_IO_HUP);
    }
}

/* One pass of the shard's context, as g_main_context_iteration() would make
 * it with poll(), then the main loop comes back at the shard's next timeout. */
static gboolean
shard_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  ParleySocketShard *shard = (ParleySocketShard *) source;
  int max_priority, timeout, n;

  g_main_context_push_thread_default (shard->context);
  g_main_context_prepare (shard->context, &max_priority);
  while ((n = g_main_context_query (shard->context, max_priority, &timeout,
                                    shard->fds, shard->allocated)) > (int) shard->allocated)
    {
      shard->allocated = n * 2;
      shard->fds = g_renew (GPollFD, shard->fds, shard->allocated);
      shard->events = g_renew (struct epoll_event, shard->events, shard->allocated);
    }
  shard_watch (shard, n);
  shard_poll (shard, n);
  if (g_main_context_check (shard->context, max_priority, shard->fds, n))
    g_main_context_dispatch (shard->context);
  g_main_context_pop_thread_default (shard->context);
  g_source_set_ready_time (source, timeout < 0 ? -1 : g_get_monotonic_time () + (gint64) timeout * 1000);
  return G_SOURCE_CONTINUE;
}

static void
shard_finalize (GSource *source)
{
  ParleySocketShard *shard = (ParleySocketShard *) source;

  g_main_context_unref (shard->context);
  close (shard->epoll_fd);
  g_free (shard->fds);
  g_free (shard->events);
  g_array_unref (shard->watched);
}

static GSourceFuncs shard_funcs = {
  .dispatch = shard_dispatch,
  .finalize = shard_finalize,
};

/* A new shard, or NULL when the descriptors it needs (its epoll instance
 * and its context's wake-up) are not to be had: GLib aborts if it cannot
 * make the wake-up, so one descriptor is made sure of first. */
static ParleySocketShard *
shard_new (void)
{
  ParleySocketShard *shard;
  int epoll_fd, spare;

  epoll_fd = epoll_create1 (EPOLL_CLOEXEC);
  if (epoll_fd < 0)
    return NULL;
  spare = dup (epoll_fd);
  if (spare < 0)
    {
      close (epoll_fd);
      return NULL;
    }
  close (spare);
  shard = (ParleySocketShard *) g_source_new (&shard_funcs, sizeof (ParleySocketShard));
  shard->context = g_main_context_new_with_flags (G_MAIN_CONTEXT_FLAGS_OWNERLESS_POLLING);
  shard->epoll_fd = epoll_fd;
  shard->allocated = FIRST_ALLOCATION;
  shard->fds = g_new (GPollFD, shard->allocated);
  shard->events = g_new (struct epoll_event, shard->allocated);
  shard->watched = g_array_new (FALSE, FALSE, sizeof (GPollFD));
  g_source_set_static_name (&shard->source, "ParleySocketShard");
  g_source_add_unix_fd (&shard->source, epoll_fd, G_IO_IN);
  /* A first pass puts the context's wake-up descriptor under watch: from
   * then on, a source attached from outside wakes the shard. */
  g_source_set_ready_time (&shard->source, 0);
  g_source_attach (&shard->source, NULL);
  return shard;
}

/* @fd is new in the shard: if its number was used by a socket that closed
 * since the last pass, epoll no longer watches it though the list says so.
 * -1: any descriptor may be. */
static void
shard_forget (ParleySocketShard *shard,
              int                fd)
{
  for (guint i = 0; i < shard->watched->len; i++)
    if (fd < 0 || g_array_index (shard->watched, GPollFD, i).fd == fd)
      g_array_index (shard->watched, GPollFD, i).events = G_MAXUSHORT;  /* never matches: set again */
}

/* ---- the pool ---------------------------------------------------------------- */

/* The least busy shard, or a new one when all are full. */
static ParleySocketShard *
pick_shard (ParleySocketPool *self)
{
  ParleySocketShard *best = NULL;
  ParleySocketShard *fresh;

  for (guint i = 0; i < self->shards->len; i++)
    {
      ParleySocketShard *shard = g_ptr_array_index (self->shards, i);

      if (best == NULL || shard->sockets < best->sockets)
        best = shard;
    }
  if (best->sockets < SOCKETS_PER_SHARD || !(fresh = shard_new ()))
    return best;
  g_ptr_array_add (self->shards, fresh);
  return fresh;
}

/* Pings the sockets that are due, oldest first, at most a share of all
 * of them (twice the average) per tick, so a crowd opened at once spreads
 * out over the following periods. */
static gboolean
ping_cb (gpointer user_data)
{
  ParleySocketPool *self = user_data;
  gint64 now = g_get_monotonic_time ();
  guint budget = MAX (PINGS_PER_TICK_MIN, 2 * self->pings.length * PING_TICK_MS / (PING_SECONDS * 1000));
  GList *link;

  while (budget-- > 0 && (link = self->pings.head) && ((ParleySocketEntry *) link->data)->ping_at <= now)
    {
      ParleySocketEntry *entry = link->data;

      if (soup_websocket_connection_get_state (entry->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_text (entry->connection, self->ping);
      entry->ping_at = now + PING_SECONDS * G_USEC_PER_SEC;
      g_queue_unlink (&self->pings, link);
      g_queue_push_tail_link (&self->pings, link);
    }
  return G_SOURCE_CONTINUE;
}

/* The connection is finalized. */
static void
entry_gone_cb (gpointer  data,
               GObject  *connection)
{
  ParleySocketEntry *entry = data;
  ParleySocketPool *pool = entry->pool;

  /* An empty shard goes (but the last), with its descriptors: its pass may
   * be under way, so GLib frees it once that is over. */
  if (--entry->shard->sockets == 0 && pool->shards->len > 1)
    {
      g_source_destroy (&entry->shard->source);
      g_ptr_array_remove_fast (pool->shards, entry->shard);
    }
  g_queue_unlink (&pool->pings, &entry->link);
  if (pool->pings.length == 0)
    g_clear_handle_id (&pool->ping_source, g_source_remove);
  g_free (entry);
  g_object_unref (pool);
}

static void
entry_add (ParleySocketPool        *self,
           ParleySocketShard       *shard,
           SoupWebsocketConnection *connection)
{
  ParleySocketEntry *entry = g_new0 (ParleySocketEntry, 1);

  entry->pool = g_object_ref (self);
  entry->shard = shard;
  entry->connection = connection;
  entry->link.data = entry;
  entry->ping_at = g_get_monotonic_time () + PING_SECONDS * G_USEC_PER_SEC;
  shard->sockets++;
  g_queue_push_tail_link (&self->pings, &entry->link);
  if (self->ping_source == 0)
    /* Low priority: a tick's pings take a few hundred microseconds, which
     * no visitor's message should wait behind. */
    self->ping_source = g_timeout_add_full (G_PRIORITY_LOW, PING_TICK_MS, ping_cb, self, NULL);
  g_object_weak_ref (G_OBJECT (connection), entry_gone_cb, entry);
}

/* The descriptor under a stolen connection, -1 if it cannot be seen. */
static int
stream_fd (GIOStream *stream)
{
  g_autoptr(GIOStream) base = NULL;

  if (G_IS_SOCKET_CONNECTION (stream))
    return g_socket_get_fd (g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)));
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (stream), "base-iostream") == NULL)
    return -1;
  g_object_get (stream, "base-iostream", &base, NULL);
  return base ? stream_fd (base) : -1;
}

typedef struct
{
  ParleySocketPool            *pool;
  guint64                      max_message_size;
  SoupServer                  *server;
  SoupServerWebsocketCallback  callback;
  gpointer                     user_data;
} ParleySocketUpgrade;

static void
upgrade_free (gpointer data)
{
  ParleySocketUpgrade *upgrade = data;

  g_object_unref (upgrade->pool);
  g_free (upgrade);
}

/* The 101 answer has gone out: the connection is now a WebSocket, made
 * with a shard as thread-default so that its sources go there. */
static void
upgraded_cb (SoupServerMessage *msg,
             GIOStream         *stream,
             gpointer           user_data)
{
  ParleySocketUpgrade *upgrade = user_data;
  g_autoptr(SoupWebsocketConnection) connection = NULL;
  ParleySocketShard *shard = pick_shard (upgrade->pool);

  shard_forget (shard, stream_fd (stream));
  g_main_context_push_thread_default (shard->context);
  connection = parley_websocket_accept (msg, stream, upgrade->max_message_size);
  entry_add (upgrade->pool, shard, connection);
  upgrade->callback (upgrade->server, msg, g_uri_get_path (soup_server_message_get_uri (msg)), connection, upgrade->user_data);
  g_main_context_pop_thread_default (shard->context);
}

static void
parley_socket_pool_dispose (GObject *object)
{
  ParleySocketPool *self = PARLEY_SOCKET_POOL (object);

  for (guint i = 0; self->shards && i < self->shards->len; i++)
    g_source_destroy (g_ptr_array_index (self->shards, i));
  g_clear_pointer (&self->shards, g_ptr_array_unref);
  g_clear_handle_id (&self->ping_source, g_source_remove);
  g_clear_pointer (&self->ping, g_free);
  G_OBJECT_CLASS (parley_socket_pool_parent_class)->dispose (object);
}

static void
parley_socket_pool_class_init (ParleySocketPoolClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = parley_socket_pool_dispose;
}

static void
parley_socket_pool_class_finalize (ParleySocketPoolClass *klass)
{
}

static void
parley_socket_pool_init (ParleySocketPool *self)
{
  self->shards = g_ptr_array_new_with_free_func ((GDestroyNotify) g_source_unref);
}

/* @ping: the text sent to idle sockets now and then. */
ParleySocketPool *
parley_socket_pool_new (const char  *ping,
                        GError     **error)
{
  g_autoptr(ParleySocketPool) self = g_object_new (PARLEY_TYPE_SOCKET_POOL, NULL);
  ParleySocketShard *first = shard_new ();

  /* Made while descriptors are to be had, so that there is always a shard. */
  if (first == NULL)
    {
      int code = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (code),
                   "Cannot make an epoll instance for WebSockets: %s", g_strerror (code));
      return NULL;
    }
  g_ptr_array_add (self->shards, first);
  self->ping = g_strdup (ping);
  return g_steal_pointer (&self);
}

/* Answers @msg, a WebSocket handshake, from a SoupServer handler; once the
 * answer has gone out, @callback gets the connection, living in one of the
 * pool's shards (which is then the thread-default context), its messages
 * limited to @max_message_size bytes over all their frames (see
 * parley_websocket_accept()). The sockets are not compressed (see
 * parley_websocket_upgrade_full()); the messages are small anyway, and a
 * compressed socket costs about 100 KiB. */
void
parley_socket_pool_upgrade (ParleySocketPool            *self,
                            SoupServer                  *server,
                            SoupServerMessage           *msg,
                            guint64                      max_message_size,
                            SoupServerWebsocketCallback  callback,
                            gpointer                     user_data)
{
  ParleySocketUpgrade *upgrade;

  g_return_if_fail (PARLEY_IS_SOCKET_POOL (self));

  upgrade = g_new0 (ParleySocketUpgrade, 1);
  upgrade->pool = g_object_ref (self);
  upgrade->max_message_size = max_message_size;
  upgrade->server = server;
  upgrade->callback = callback;
  upgrade->user_data = user_data;
  /* On a bad handshake the answer says what is wrong. */
  parley_websocket_upgrade_full (msg, upgraded_cb, upgrade, upgrade_free);
}
