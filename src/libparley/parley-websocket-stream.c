/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-websocket-stream"

#include "config.h"

#include "parley-websocket-input-private.h"
#include "parley-websocket-stream.h"

/**
 * ParleyWebsocketStream:
 *
 * The stream under a WebSocket the hub serves: the client's connection,
 * whose input is read through a guard that follows the frames and fails
 * the read once one message, over all its frames, would exceed a limit.
 * libsoup 3.2 limits single frames only and joins continuation frames
 * without any limit, so without it one anonymous socket could make the
 * hub take any amount of memory.
 *
 * Every WebSocket the hub or a plugin serves is made with
 * parley_websocket_upgrade() (or, for a socket that must be made in a
 * context of its own, parley_websocket_accept()), which also offers no
 * compression: a compressed frame could expand past any limit.
 */

struct _ParleyWebsocketStream
{
  GIOStream             parent_instance;

  GIOStream            *base;
  ParleyWebsocketInput *input;
};

G_DEFINE_FINAL_TYPE (ParleyWebsocketStream, parley_websocket_stream, G_TYPE_IO_STREAM)

static GInputStream *
parley_websocket_stream_get_input_stream (GIOStream *stream)
{
  return G_INPUT_STREAM (PARLEY_WEBSOCKET_STREAM (stream)->input);
}

static GOutputStream *
parley_websocket_stream_get_output_stream (GIOStream *stream)
{
  return g_io_stream_get_output_stream (PARLEY_WEBSOCKET_STREAM (stream)->base);
}

/* Closing closes the connection underneath, socket and all. */
static gboolean
parley_websocket_stream_close (GIOStream     *stream,
                               GCancellable  *cancellable,
                               GError       **error)
{
  return g_io_stream_close (PARLEY_WEBSOCKET_STREAM (stream)->base, cancellable, error);
}

static void
base_closed_cb (GObject      *base,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (base), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
parley_websocket_stream_close_async (GIOStream           *stream,
                                     int                  io_priority,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, parley_websocket_stream_close_async);
  g_io_stream_close_async (PARLEY_WEBSOCKET_STREAM (stream)->base, io_priority, cancellable, base_closed_cb, task);
}

static gboolean
parley_websocket_stream_close_finish (GIOStream     *stream,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
parley_websocket_stream_dispose (GObject *object)
{
  ParleyWebsocketStream *self = PARLEY_WEBSOCKET_STREAM (object);

  /* GIOStream closes a stream still open here, through the base. */
  G_OBJECT_CLASS (parley_websocket_stream_parent_class)->dispose (object);
  g_clear_object (&self->input);
  g_clear_object (&self->base);
}

static void
parley_websocket_stream_class_init (ParleyWebsocketStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->dispose = parley_websocket_stream_dispose;
  stream_class->get_input_stream = parley_websocket_stream_get_input_stream;
  stream_class->get_output_stream = parley_websocket_stream_get_output_stream;
  stream_class->close_fn = parley_websocket_stream_close;
  stream_class->close_async = parley_websocket_stream_close_async;
  stream_class->close_finish = parley_websocket_stream_close_finish;
}

static void
parley_websocket_stream_init (ParleyWebsocketStream *self)
{
}

/**
 * parley_websocket_stream_new:
 * @base: a server's connection to a WebSocket client, its input pollable
 * @max_message_size: the most payload one message may carry, in bytes
 *
 * Wraps a connection taken from the server so that no WebSocket message
 * longer than @max_message_size, over all its frames, is read whole.
 *
 * Returns: (transfer full): a stream that reads @base through the guard
 *   and writes to it directly
 */
ParleyWebsocketStream *
parley_websocket_stream_new (GIOStream *base,
                             guint64    max_message_size)
{
  ParleyWebsocketStream *self;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);

  self = g_object_new (PARLEY_TYPE_WEBSOCKET_STREAM, NULL);
  self->base = g_object_ref (base);
  self->input = parley_websocket_input_new (g_io_stream_get_input_stream (base), max_message_size);
  return self;
}

/**
 * parley_websocket_stream_get_base_stream:
 * @self: a #ParleyWebsocketStream
 *
 * The connection the stream wraps.
 *
 * Returns: (transfer none): the connection underneath
 */
GIOStream *
parley_websocket_stream_get_base_stream (ParleyWebsocketStream *self)
{
  g_return_val_if_fail (PARLEY_IS_WEBSOCKET_STREAM (self), NULL);

  return self->base;
}

/**
 * parley_websocket_stream_set_max_message_size:
 * @self: a #ParleyWebsocketStream
 * @max_message_size: the most payload one message may carry, in bytes
 *
 * Changes the limit from the next frame on.
 */
void
parley_websocket_stream_set_max_message_size (ParleyWebsocketStream *self,
                                              guint64                max_message_size)
{
  g_return_if_fail (PARLEY_IS_WEBSOCKET_STREAM (self));

  parley_websocket_input_set_max_message_size (self->input, max_message_size);
}

/**
 * parley_websocket_stream_get_max_message_size:
 * @self: a #ParleyWebsocketStream
 *
 * The current limit of whole messages.
 *
 * Returns: the most payload one message may carry, in bytes
 */
guint64
parley_websocket_stream_get_max_message_size (ParleyWebsocketStream *self)
{
  g_return_val_if_fail (PARLEY_IS_WEBSOCKET_STREAM (self), 0);

  return parley_websocket_input_get_max_message_size (self->input);
}

/**
 * parley_websocket_accept:
 * @msg: a WebSocket handshake whose 101 answer has gone out
 * @stream: (transfer none): its connection, from
 *   soup_server_message_steal_connection()
 * @max_message_size: the most payload one message may carry, in bytes
 *
 * Makes the server's side of the WebSocket over @stream, its messages
 * limited to @max_message_size in all. Its sources go to the
 * thread-default main context.
 *
 * Returns: (transfer full): the connection
 */
SoupWebsocketConnection *
parley_websocket_accept (SoupServerMessage *msg,
                         GIOStream         *stream,
                         guint64            max_message_size)
{
  g_autoptr(ParleyWebsocketStream) guarded = parley_websocket_stream_new (stream, max_message_size);
  const char *origin = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Origin");
  SoupWebsocketConnection *connection;

  connection = soup_websocket_connection_new (G_IO_STREAM (guarded), soup_server_message_get_uri (msg),
                                              SOUP_WEBSOCKET_CONNECTION_SERVER, origin, NULL, NULL);
  /* libsoup's own check refuses a single frame over the limit early. */
  soup_websocket_connection_set_max_incoming_payload_size (connection, max_message_size);
  return connection;
}

typedef struct
{
  ParleyWebsocketStolenFunc callback;
  gpointer                  user_data;
  GDestroyNotify            destroy;
} ParleyWebsocketHandover;

static void
handover_free (gpointer  data,
               GClosure *closure)
{
  ParleyWebsocketHandover *handover = data;

  if (handover->destroy)
    handover->destroy (handover->user_data);
  g_free (handover);
}

static void
switched_cb (SoupServerMessage       *msg,
             ParleyWebsocketHandover *handover)
{
  g_autoptr(SoupServerMessage) hold = g_object_ref (msg);  /* stealing may drop the last other ref */
  g_autoptr(GIOStream) stream = NULL;

  if (soup_server_message_get_status (msg) != SOUP_STATUS_SWITCHING_PROTOCOLS ||
      !(stream = soup_server_message_steal_connection (msg)))
    return;
  handover->callback (msg, stream, handover->user_data);
}

/**
 * parley_websocket_upgrade_full:
 * @msg: a request on a SoupServer handler, checked as the caller needs
 * @callback: (scope notified): gets the connection once the 101 answer is out
 * @user_data: given to @callback
 * @destroy: frees @user_data when @msg is done with
 *
 * Answers @msg as a WebSocket handshake, without compression (a
 * compressed frame could expand past any limit), and hands the raw
 * connection to @callback, which makes the socket with
 * parley_websocket_accept() in the main context it chooses. Most callers
 * want parley_websocket_upgrade().
 *
 * Returns: %FALSE if @msg is not a valid handshake (its answer then says
 *   why, and @callback is never called)
 */
gboolean
parley_websocket_upgrade_full (SoupServerMessage         *msg,
                               ParleyWebsocketStolenFunc  callback,
                               gpointer                   user_data,
                               GDestroyNotify             destroy)
{
  ParleyWebsocketHandover *handover;

  if (!soup_websocket_server_process_handshake (msg, NULL, NULL, NULL, NULL))
    {
      if (destroy)
        destroy (user_data);
      return FALSE;
    }
  handover = g_new0 (ParleyWebsocketHandover, 1);
  handover->callback = callback;
  handover->user_data = user_data;
  handover->destroy = destroy;
  g_signal_connect_data (msg, "wrote-informational", G_CALLBACK (switched_cb), handover, handover_free, 0);
  return TRUE;
}

typedef struct
{
  guint64                   max_message_size;
  ParleyWebsocketAcceptFunc callback;
  GObject                  *owner;
} ParleyWebsocketUpgrade;

static void
upgrade_free (gpointer data)
{
  ParleyWebsocketUpgrade *upgrade = data;

  g_object_unref (upgrade->owner);
  g_free (upgrade);
}

static void
upgraded_cb (SoupServerMessage *msg,
             GIOStream         *stream,
             gpointer           user_data)
{
  ParleyWebsocketUpgrade *upgrade = user_data;
  g_autoptr(SoupWebsocketConnection) connection = NULL;

  connection = parley_websocket_accept (msg, stream, upgrade->max_message_size);
  upgrade->callback (msg, connection, upgrade->owner);
}

/**
 * parley_websocket_upgrade:
 * @msg: a request on a SoupServer handler, checked as the caller needs
 * @max_message_size: the most payload one message may carry, in bytes
 * @callback: (scope async): gets the WebSocket once the 101 answer is out
 * @owner: (type GObject.Object): given to @callback, and kept alive until then
 *
 * Answers @msg as a WebSocket handshake (see
 * parley_websocket_upgrade_full()) and makes the socket with
 * parley_websocket_accept() in the thread-default main context. Use it
 * instead of soup_server_add_websocket_handler(), whose sockets are not
 * limited.
 *
 * Returns: %FALSE if @msg is not a valid handshake (its answer then says
 *   why, and @callback is never called)
 */
gboolean
parley_websocket_upgrade (SoupServerMessage         *msg,
                          guint64                    max_message_size,
                          ParleyWebsocketAcceptFunc  callback,
                          gpointer                   owner)
{
  ParleyWebsocketUpgrade *upgrade;

  g_return_val_if_fail (G_IS_OBJECT (owner), FALSE);

  upgrade = g_new0 (ParleyWebsocketUpgrade, 1);
  upgrade->max_message_size = max_message_size;
  upgrade->callback = callback;
  upgrade->owner = g_object_ref (owner);
  return parley_websocket_upgrade_full (msg, upgraded_cb, upgrade, upgrade_free);
}

/**
 * parley_websocket_set_max_message_size:
 * @connection: a WebSocket made by parley_websocket_accept()
 * @max_message_size: the most payload one message may carry, in bytes
 *
 * Changes the limit of @connection's messages from its next frame on.
 */
void
parley_websocket_set_max_message_size (SoupWebsocketConnection *connection,
                                       guint64                  max_message_size)
{
  GIOStream *stream = soup_websocket_connection_get_io_stream (connection);

  g_return_if_fail (PARLEY_IS_WEBSOCKET_STREAM (stream));

  soup_websocket_connection_set_max_incoming_payload_size (connection, max_message_size);
  parley_websocket_stream_set_max_message_size (PARLEY_WEBSOCKET_STREAM (stream), max_message_size);
}
