/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What a chat visitor's WebSocket message asks for. */
typedef enum {
  PARLEY_VISITOR_FRAME_HELLO,
  PARLEY_VISITOR_FRAME_PROFILE,
  PARLEY_VISITOR_FRAME_MESSAGE,
  PARLEY_VISITOR_FRAME_TYPING,
  PARLEY_VISITOR_FRAME_READ,
  PARLEY_VISITOR_FRAME_LEAVE,
  PARLEY_VISITOR_FRAME_PING,
  PARLEY_VISITOR_FRAME_COBROWSE,
} ParleyVisitorFrameKind;

/* One visitor message, checked: the strings point into @body. */
typedef struct
{
  ParleyVisitorFrameKind kind;
  JsonObject            *body;        /* the whole message */
  const char            *type;        /* as sent: "cobrowse_accept", ... */
  const char            *site;        /* hello */
  const char            *token;       /* hello, optional */
  const char            *name;        /* hello, profile; optional */
  const char            *email;       /* hello, profile; optional, not yet normalised */
  const char            *identity_email;      /* hello, optional: the email the site signed */
  const char            *identity_signature;  /* hello, with identity_email */
  const char            *id;          /* message: the browser's own id */
  const char            *text;        /* message */
  const char            *attachment;  /* message, optional: an uploaded file's id */
  const char            *page_url;    /* hello, message; optional */
  const char            *page_title;  /* hello, message; optional */
  gboolean               typing;      /* typing */
  gint64                 event;       /* read: the last event read */
} ParleyVisitorFrame;

#define PARLEY_VISITOR_FRAME_MAX_TEXT 4000
#define PARLEY_VISITOR_FRAME_MAX_ID 64
/* How deeply a co-browsing socket's messages may nest: a recorded page is
 * a tree as deep as its DOM, two levels of JSON for each of its levels,
 * and Chromium's HTML parser nests elements 512 deep at most. */
#define PARLEY_VISITOR_FRAME_SHARING_MAX_DEPTH (2 * 512 + 16)

ParleyVisitorFrame *parley_visitor_frame_parse (const char          *data,
                                                gsize                size,
                                                guint                max_depth,
                                                GError             **error);
void                parley_visitor_frame_free  (ParleyVisitorFrame  *frame);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParleyVisitorFrame, parley_visitor_frame_free)

G_END_DECLS
