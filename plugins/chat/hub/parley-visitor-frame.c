/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-visitor-frame"

#include "config.h"

#include "parley-visitor-frame.h"
#include "parley.h"

/* The chat visitor protocol's parser: JSON text from an anonymous socket
 * to a typed frame, every member of the right type and size, or an error
 * whose message goes back to the widget. What depends on the socket's
 * state (hello first, the site key, rate limits) is the channel's. A plain
 * function of the bytes, so that a fuzzer can call it
 * (tests/fuzz/fuzz-visitor-frame.c). */

static const struct {
  const char             *type;
  ParleyVisitorFrameKind  kind;
} kinds[] = {
  { "hello", PARLEY_VISITOR_FRAME_HELLO },
  { "profile", PARLEY_VISITOR_FRAME_PROFILE },
  { "message", PARLEY_VISITOR_FRAME_MESSAGE },
  { "typing", PARLEY_VISITOR_FRAME_TYPING },
  { "read", PARLEY_VISITOR_FRAME_READ },
  { "leave", PARLEY_VISITOR_FRAME_LEAVE },
  { "ping", PARLEY_VISITOR_FRAME_PING },
};

static gboolean
find_kind (const char             *type,
           ParleyVisitorFrameKind *kind)
{
  if (g_str_has_prefix (type, "cobrowse_"))
    {
      *kind = PARLEY_VISITOR_FRAME_COBROWSE;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (type, kinds[i].type))
      {
        *kind = kinds[i].kind;
        return TRUE;
      }
  return FALSE;
}

static void
take_page (ParleyVisitorFrame *frame)
{
  JsonObject *page = parley_json_get_object (frame->body, "page", FALSE, NULL);

  if (page == NULL)
    return;
  frame->page_url = parley_json_get_string (page, "url", FALSE, NULL);
  frame->page_title = parley_json_get_string (page, "title", FALSE, NULL);
}

/* The identity a site passes for a user it has signed in:
 * {"identity":{"email","signature"}}; checking the signature is the
 * channel's, which holds the secret. */
static gboolean
take_identity (ParleyVisitorFrame  *frame,
               GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonObject *identity = parley_json_get_object (frame->body, "identity", FALSE, &local_error);

  if (identity != NULL)
    frame->identity_email = parley_json_get_string (identity, "email", TRUE, &local_error);
  if (frame->identity_email != NULL)
    frame->identity_signature = parley_json_get_string (identity, "signature", TRUE, &local_error);
  if (local_error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
take_profile (ParleyVisitorFrame  *frame,
              GError             **error)
{
  g_autoptr(GError) local_error = NULL;

  frame->name = parley_json_get_string (frame->body, "name", FALSE, &local_error);
  if (local_error == NULL)
    frame->email = parley_json_get_string (frame->body, "email", FALSE, &local_error);
  if (local_error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
take_message (ParleyVisitorFrame  *frame,
              GError             **error)
{
  if (!(frame->id = parley_json_get_string (frame->body, "id", TRUE, error)) ||
      !(frame->text = parley_json_get_string (frame->body, "text", TRUE, error)))
    return FALSE;
  if (strlen (frame->id) > PARLEY_VISITOR_FRAME_MAX_ID || *frame->text == '\0' ||
      g_utf8_strlen (frame->text, -1) > PARLEY_VISITOR_FRAME_MAX_TEXT)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                   "A message has 1 to %d characters and an id of at most %d",
                   PARLEY_VISITOR_FRAME_MAX_TEXT, PARLEY_VISITOR_FRAME_MAX_ID);
      return FALSE;
    }
  if (json_object_has_member (frame->body, "attachment") &&
      !(frame->attachment = parley_json_get_string (frame->body, "attachment", TRUE, NULL)))
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "An attachment is named by its id");
      return FALSE;
    }
  take_page (frame);
  return TRUE;
}

/* "typing" is true, false or left out (true). */
static gboolean
take_typing (ParleyVisitorFrame  *frame,
             GError             **error)
{
  JsonNode *node = json_object_get_member (frame->body, "typing");

  frame->typing = TRUE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Field “typing” must be true or false");
      return FALSE;
    }
  frame->typing = json_node_get_boolean (node);
  return TRUE;
}

/**
 * parley_visitor_frame_parse:
 * @data: (array length=size): the message, as it came
 * @size: its length
 * @max_depth: how deeply its JSON may nest (more while co-browsing: a
 *   recorded page is a deep tree)
 * @error: where a refusal goes (%PARLEY_ERROR_INVALID, its message for the visitor)
 *
 * Returns: (transfer full) (nullable): the frame, or %NULL with @error set
 */
ParleyVisitorFrame *
parley_visitor_frame_parse (const char  *data,
                            gsize        size,
                            guint        max_depth,
                            GError     **error)
{
  g_autoptr(ParleyVisitorFrame) frame = g_new0 (ParleyVisitorFrame, 1);
  g_autoptr(GError) local_error = NULL;

  if (!(frame->body = parley_json_parse_object_full (data, size, max_depth, "A message", error)))
    return NULL;
  frame->type = parley_json_get_string (frame->body, "type", FALSE, NULL);
  if (frame->type == NULL || !find_kind (frame->type, &frame->kind))
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Unknown message type");
      return NULL;
    }
  switch (frame->kind)
    {
    case PARLEY_VISITOR_FRAME_HELLO:
      frame->site = parley_json_get_string (frame->body, "site", FALSE, NULL);
      frame->token = parley_json_get_string (frame->body, "token", FALSE, NULL);
      take_page (frame);
      if (!take_profile (frame, &local_error) || !take_identity (frame, &local_error))
        break;
      return g_steal_pointer (&frame);
    case PARLEY_VISITOR_FRAME_PROFILE:
      if (!take_profile (frame, &local_error))
        break;
      return g_steal_pointer (&frame);
    case PARLEY_VISITOR_FRAME_MESSAGE:
      if (!take_message (frame, &local_error))
        break;
      return g_steal_pointer (&frame);
    case PARLEY_VISITOR_FRAME_TYPING:
      if (!take_typing (frame, &local_error))
        break;
      return g_steal_pointer (&frame);
    case PARLEY_VISITOR_FRAME_READ:
      if (!parley_json_get_int (frame->body, "event", TRUE, &frame->event, NULL) || frame->event <= 0)
        g_set_error_literal (&local_error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "A read receipt names the last event read");
      else
        return g_steal_pointer (&frame);
      break;
    case PARLEY_VISITOR_FRAME_LEAVE:
    case PARLEY_VISITOR_FRAME_PING:
    case PARLEY_VISITOR_FRAME_COBROWSE:
      return g_steal_pointer (&frame);
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

void
parley_visitor_frame_free (ParleyVisitorFrame *frame)
{
  g_clear_pointer (&frame->body, json_object_unref);
  g_free (frame);
}
