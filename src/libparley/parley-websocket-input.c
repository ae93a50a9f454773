/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-websocket-input"

#include "config.h"

#include "parley-websocket-input-private.h"

/* What a WebSocket server reads from its client, passed through unchanged
 * while the frame headers in it are followed (RFC 6455, section 5.2): the
 * read that would let one message's payload, over all its frames, grow
 * past the limit fails instead, so the connection closes before the
 * memory is taken.
 *
 * libsoup 3.2 checks its max-incoming-payload-size against each frame
 * alone and joins continuation frames without any limit (CVE-2025-32049,
 * fixed upstream after the version Debian 12 ships): a client sending a
 * 16 KiB message in frames of 16 KiB can make it any size.
 *
 * It also takes turns: libsoup reads a socket until nothing is left, so a
 * client that keeps it full (200,000 small messages) would hold the main
 * loop for seconds. Past PASS_BUDGET bytes a non-blocking read says it
 * would block; libsoup then waits for its next source, which is ready at
 * once, and everything else gets its turn in between. */

/* FIN, RSV1-3, opcode; MASK and a 7-bit length; 16 or 64 bits more of
 * length; a 32-bit masking key. */
#define MAX_HEADER 14
/* Bytes read between two turns of the main loop. */
#define PASS_BUDGET (16 * 1024)

struct _ParleyWebsocketInput
{
  GFilterInputStream parent_instance;

  guint64 max_message_size;
  guint8  header[MAX_HEADER];
  guint   header_length;   /* bytes of the current header seen so far */
  guint64 payload_left;    /* bytes of the current frame still to pass */
  guint64 message_size;    /* payload of the current data message so far */
  gsize   pass_left;       /* what this turn may still read */
  gboolean failed;
};

static void parley_websocket_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ParleyWebsocketInput, parley_websocket_input, G_TYPE_FILTER_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      parley_websocket_input_pollable_init))

/* How long the header is, once its first two bytes are known. */
static guint
header_size (const guint8 *header)
{
  guint size = 2 + ((header[1] & 0x80) ? 4 : 0);

  switch (header[1] & 0x7f)
    {
    case 126:
      return size + 2;
    case 127:
      return size + 8;
    default:
      return size;
    }
}

static guint64
header_payload_length (const guint8 *header)
{
  guint64 length = header[1] & 0x7f;
  guint extra = length == 126 ? 2 : length == 127 ? 8 : 0;

  if (extra == 0)
    return length;
  length = 0;
  for (guint i = 0; i < extra; i++)
    length = (length << 8) | header[2 + i];
  return length;
}

/* A whole header has come: FALSE if its frame would take the message (or,
 * for a control frame, the frame itself) past the limit. */
static gboolean
take_header (ParleyWebsocketInput *self)
{
  guint opcode = self->header[0] & 0x0f;
  guint64 length = header_payload_length (self->header);

  self->payload_left = length;
  self->header_length = 0;
  if (opcode & 0x08)
    return length <= self->max_message_size;
  if (opcode != 0)
    self->message_size = 0;  /* a new message; 0 continues the last one */
  if (self->message_size > self->max_message_size || length > self->max_message_size - self->message_size)
    return FALSE;
  self->message_size += length;
  return TRUE;
}

/* Follows @size bytes just read; FALSE with @error set at the first header
 * that breaks the limit. */
static gboolean
follow (ParleyWebsocketInput  *self,
        const guint8          *data,
        gsize                  size,
        GError               **error)
{
  gsize i = 0;

  while (i < size)
    {
      if (self->payload_left > 0)
        {
          guint64 skip = MIN (self->payload_left, (guint64) (size - i));

          self->payload_left -= skip;
          i += skip;
          continue;
        }
      self->header[self->header_length++] = data[i++];
      if (self->header_length < 2 || self->header_length < header_size (self->header))
        continue;
      if (!take_header (self))
        {
          self->failed = TRUE;
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       "A WebSocket message exceeds %" G_GUINT64_FORMAT " bytes", self->max_message_size);
          return FALSE;
        }
    }
  return TRUE;
}

static gssize
checked (ParleyWebsocketInput  *self,
         void                  *buffer,
         gssize                 count,
         GError               **error)
{
  if (count > 0 && !follow (self, buffer, (gsize) count, error))
    return -1;
  return count;
}

static gboolean
refuse_after_failure (ParleyWebsocketInput  *self,
                      GError               **error)
{
  if (!self->failed)
    return FALSE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "A WebSocket message was too large");
  return TRUE;
}

static GInputStream *
base_stream (ParleyWebsocketInput *self)
{
  return g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (self));
}

static gssize
parley_websocket_input_read (GInputStream  *stream,
                             void          *buffer,
                             gsize          count,
                             GCancellable  *cancellable,
                             GError       **error)
{
  ParleyWebsocketInput *self = PARLEY_WEBSOCKET_INPUT (stream);

  if (refuse_after_failure (self, error))
    return -1;
  return checked (self, buffer, g_input_stream_read (base_stream (self), buffer, count, cancellable, error), error);
}

static gssize
parley_websocket_input_read_nonblocking (GPollableInputStream  *stream,
                                         void                  *buffer,
                                         gsize                  count,
                                         GError               **error)
{
  ParleyWebsocketInput *self = PARLEY_WEBSOCKET_INPUT (stream);
  GPollableInputStream *base = G_POLLABLE_INPUT_STREAM (base_stream (self));

  gssize got;

  if (refuse_after_failure (self, error))
    return -1;
  if (self->pass_left == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "Another turn will read on");
      return -1;
    }
  got = g_pollable_input_stream_read_nonblocking (base, buffer, MIN (count, self->pass_left), NULL, error);
  if (got > 0)
    self->pass_left -= (gsize) got;
  return checked (self, buffer, got, error);
}

static gboolean
parley_websocket_input_can_poll (GPollableInputStream *stream)
{
  GInputStream *base = base_stream (PARLEY_WEBSOCKET_INPUT (stream));

  return G_IS_POLLABLE_INPUT_STREAM (base) && g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (base));
}

static gboolean
parley_websocket_input_is_readable (GPollableInputStream *stream)
{
  return g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (base_stream (PARLEY_WEBSOCKET_INPUT (stream))));
}

static GSource *
parley_websocket_input_create_source (GPollableInputStream *stream,
                                      GCancellable         *cancellable)
{
  ParleyWebsocketInput *self = PARLEY_WEBSOCKET_INPUT (stream);
  GPollableInputStream *base = G_POLLABLE_INPUT_STREAM (base_stream (self));
  g_autoptr(GSource) base_source = g_pollable_input_stream_create_source (base, NULL);

  /* libsoup waits for a source after each pass over the socket. */
  self->pass_left = PASS_BUDGET;
  return g_pollable_source_new_full (stream, base_source, cancellable);
}

static void
parley_websocket_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = parley_websocket_input_can_poll;
  iface->is_readable = parley_websocket_input_is_readable;
  iface->create_source = parley_websocket_input_create_source;
  iface->read_nonblocking = parley_websocket_input_read_nonblocking;
}

static void
parley_websocket_input_class_init (ParleyWebsocketInputClass *klass)
{
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  input_class->read_fn = parley_websocket_input_read;
}

static void
parley_websocket_input_init (ParleyWebsocketInput *self)
{
}

/* @base: what the client sends; it stays open when this stream closes
 * (its GIOStream closes it). */
ParleyWebsocketInput *
parley_websocket_input_new (GInputStream *base,
                            guint64       max_message_size)
{
  ParleyWebsocketInput *self = g_object_new (PARLEY_TYPE_WEBSOCKET_INPUT,
                                             "base-stream", base,
                                             "close-base-stream", FALSE,
                                             NULL);

  self->max_message_size = max_message_size;
  return self;
}

/* Takes effect from the next frame on; a message under way is measured
 * against the new limit as its next frames come. */
void
parley_websocket_input_set_max_message_size (ParleyWebsocketInput *self,
                                             guint64               max_message_size)
{
  g_return_if_fail (PARLEY_IS_WEBSOCKET_INPUT (self));

  self->max_message_size = max_message_size;
}

guint64
parley_websocket_input_get_max_message_size (ParleyWebsocketInput *self)
{
  g_return_val_if_fail (PARLEY_IS_WEBSOCKET_INPUT (self), 0);

  return self->max_message_size;
}
