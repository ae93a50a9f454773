/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley.h"
#include "parley-visitor-frame.h"
#include "fuzz-glib.h"

/* Every message an anonymous chat visitor's WebSocket brings goes through
 * parley_visitor_frame_parse(), at the depth a chatting socket has and at
 * the deeper one a co-browsing socket has (byte 0 picks); what it accepts
 * must hold what the channel then reads. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParleyVisitorFrame) frame = NULL;
  guint max_depth;

  if (size == 0)
    return 0;
  max_depth = data[0] & 1 ? PARLEY_VISITOR_FRAME_SHARING_MAX_DEPTH : PARLEY_JSON_MAX_DEPTH;
  frame = parley_visitor_frame_parse ((const char *) data + 1, size - 1, max_depth, &error);
  if (frame == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_error_matches (error, PARLEY_ERROR, PARLEY_ERROR_INVALID));
      return 0;
    }
  g_assert_no_error (error);
  g_assert_nonnull (frame->body);
  g_assert_nonnull (frame->type);
  switch (frame->kind)
    {
    case PARLEY_VISITOR_FRAME_MESSAGE:
      g_assert_nonnull (frame->id);
      g_assert_cmpuint (strlen (frame->id), <=, PARLEY_VISITOR_FRAME_MAX_ID);
      g_assert_nonnull (frame->text);
      g_assert_cmpuint (g_utf8_strlen (frame->text, -1), >=, 1);
      g_assert_cmpuint (g_utf8_strlen (frame->text, -1), <=, PARLEY_VISITOR_FRAME_MAX_TEXT);
      break;
    case PARLEY_VISITOR_FRAME_READ:
      g_assert_cmpint (frame->event, >, 0);
      break;
    case PARLEY_VISITOR_FRAME_COBROWSE:
      g_assert_true (g_str_has_prefix (frame->type, "cobrowse_"));
      break;
    case PARLEY_VISITOR_FRAME_HELLO:
    case PARLEY_VISITOR_FRAME_PROFILE:
    case PARLEY_VISITOR_FRAME_TYPING:
    case PARLEY_VISITOR_FRAME_LEAVE:
    case PARLEY_VISITOR_FRAME_PING:
      break;
    }
  return 0;
}
