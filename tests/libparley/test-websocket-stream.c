/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sys/socket.h>

#include "parley.h"

/* ParleyWebsocketStream reads what a WebSocket client sends: these tests
 * write client frames into one end of a socket pair and read them through
 * the stream on the other. */

typedef struct
{
  GSocket               *client;
  GIOStream             *server;
  ParleyWebsocketStream *stream;
  GPollableInputStream  *input;
} Pair;

static Pair *
pair_new (guint64 max_message_size)
{
  Pair *pair = g_new0 (Pair, 1);
  g_autoptr(GSocket) server = NULL;
  g_autoptr(GError) error = NULL;
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, fds), ==, 0);
  pair->client = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  server = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  pair->server = G_IO_STREAM (g_socket_connection_factory_create_connection (server));
  pair->stream = parley_websocket_stream_new (pair->server, max_message_size);
  pair->input = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (G_IO_STREAM (pair->stream)));
  g_assert_true (g_pollable_input_stream_can_poll (pair->input));
  return pair;
}

static void
pair_free (Pair *pair)
{
  g_object_unref (pair->stream);
  g_object_unref (pair->server);
  g_object_unref (pair->client);
  g_free (pair);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pair, pair_free)

/* A masked client frame with a payload of @size bytes of 'x'. */
static GBytes *
frame_new (guint    opcode,
           gboolean fin,
           guint64  size)
{
  GByteArray *frame = g_byte_array_new ();
  guint8 head[2] = { (fin ? 0x80 : 0) | opcode, 0x80 };
  guint8 mask[4] = { 1, 2, 3, 4 };
  guint extra = size < 126 ? 0 : size <= G_MAXUINT16 ? 2 : 8;

  head[1] |= extra == 0 ? size : extra == 2 ? 126 : 127;
  g_byte_array_append (frame, head, 2);
  for (guint i = 0; i < extra; i++)
    {
      guint8 byte = (size >> (8 * (extra - 1 - i))) & 0xff;

      g_byte_array_append (frame, &byte, 1);
    }
  g_byte_array_append (frame, mask, 4);
  for (guint64 i = 0; i < size; i++)
    g_byte_array_append (frame, (const guint8 *) "x", 1);
  return g_byte_array_free_to_bytes (frame);
}

static void
send_bytes (Pair         *pair,
            const guint8 *data,
            gsize         size)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_socket_send (pair->client, (const char *) data, size, NULL, &error), ==, (gssize) size);
  g_assert_no_error (error);
}

static void
send_frame (Pair     *pair,
            guint     opcode,
            gboolean  fin,
            guint64   size)
{
  g_autoptr(GBytes) frame = frame_new (opcode, fin, size);

  send_bytes (pair, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame));
}

/* Reads whatever has come; how much, or -1 with @error set. */
static gssize
read_all (Pair    *pair,
          GError **error)
{
  g_autoptr(GSource) source = g_pollable_input_stream_create_source (pair->input, NULL);  /* a new turn */
  char buffer[64 * 1024];
  gssize total = 0;

  while (TRUE)
    {
      g_autoptr(GError) local_error = NULL;
      gssize got = g_pollable_input_stream_read_nonblocking (pair->input, buffer, sizeof buffer, NULL, &local_error);

      if (got > 0)
        {
          total += got;
          continue;
        }
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return total;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
}

/* Messages within the limit pass whole, however they are cut into frames
 * and bytes, with control frames between their fragments. */
static void
test_within_limit (void)
{
  g_autoptr(Pair) pair = pair_new (1000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) split = frame_new (2, TRUE, 300);
  const guint8 *bytes = g_bytes_get_data (split, NULL);
  gsize expected;

  send_frame (pair, 1, TRUE, 1000);
  send_frame (pair, 1, FALSE, 400);
  send_frame (pair, 9, TRUE, 100);   /* a ping in between does not count */
  send_frame (pair, 0, FALSE, 400);
  send_frame (pair, 0, TRUE, 200);
  expected = (2 + 2 + 4 + 1000) + (2 + 2 + 4 + 400) + (2 + 4 + 100) + (2 + 2 + 4 + 400) + (2 + 2 + 4 + 200);
  g_assert_cmpint (read_all (pair, &error), ==, (gssize) expected);
  g_assert_no_error (error);

  /* A header that comes a byte at a time is followed all the same. */
  for (gsize i = 0; i < g_bytes_get_size (split); i++)
    {
      send_bytes (pair, bytes + i, 1);
      g_assert_cmpint (read_all (pair, &error), ==, 1);
      g_assert_no_error (error);
    }
}

/* The frame that would take a message past the limit fails the read, its
 * header being enough: the payload is never waited for. */
static void
test_over_limit (void)
{
  static const struct {
    guint64 first, second;
    gboolean second_continues;
  } cases[] = {
    { 600, 600, TRUE },          /* fragments adding up */
    { 1001, 0, FALSE },          /* one frame */
    { G_MAXINT64, 0, FALSE },    /* a 64-bit length */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Pair) pair = pair_new (1000);
      g_autoptr(GError) error = NULL;
      guint8 head[14] = { 0x02, 0x80 | 127 };

      if (cases[i].first == G_MAXINT64)
        {
          for (guint b = 0; b < 8; b++)
            head[2 + b] = ((guint64) G_MAXINT64 >> (56 - 8 * b)) & 0xff;
          send_bytes (pair, head, 14);
        }
      else
        send_frame (pair, 2, !cases[i].second_continues, cases[i].first);
      if (cases[i].second_continues)
        {
          g_assert_cmpint (read_all (pair, &error), >, 0);
          g_assert_no_error (error);
          send_frame (pair, 0, TRUE, cases[i].second);
        }
      g_assert_cmpint (read_all (pair, &error), ==, -1);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
      g_clear_error (&error);
      /* and every read after */
      g_assert_cmpint (read_all (pair, &error), ==, -1);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
    }
}

/* A new limit counts from the next frame, for the message under way too. */
static void
test_changed_limit (void)
{
  g_autoptr(Pair) pair = pair_new (100);
  g_autoptr(GError) error = NULL;

  parley_websocket_stream_set_max_message_size (pair->stream, 4000);
  g_assert_cmpuint (parley_websocket_stream_get_max_message_size (pair->stream), ==, 4000);
  send_frame (pair, 1, FALSE, 3000);
  g_assert_cmpint (read_all (pair, &error), >, 0);
  parley_websocket_stream_set_max_message_size (pair->stream, 100);
  send_frame (pair, 0, TRUE, 10);
  g_assert_cmpint (read_all (pair, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
}

/* One turn reads at most 16 KiB, so that a socket kept full cannot hold
 * the main loop; the next turn (a new source) reads on. */
static void
test_turns (void)
{
  g_autoptr(Pair) pair = pair_new (1024 * 1024);
  g_autoptr(GError) error = NULL;
  gssize total = 0, got;
  guint turns = 0;

  for (guint i = 0; i < 30; i++)
    send_frame (pair, 1, TRUE, 4000);
  while ((got = read_all (pair, &error)) > 0)
    {
      g_assert_cmpint (got, <=, 16 * 1024);
      total += got;
      turns++;
    }
  g_assert_no_error (error);
  g_assert_cmpint (total, ==, 30 * (2 + 2 + 4 + 4000));
  g_assert_cmpuint (turns, >=, 8);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/websocket-stream/within-limit", test_within_limit);
  g_test_add_func ("/websocket-stream/over-limit", test_over_limit);
  g_test_add_func ("/websocket-stream/changed-limit", test_changed_limit);
  g_test_add_func ("/websocket-stream/turns", test_turns);
  return g_test_run ();
}
