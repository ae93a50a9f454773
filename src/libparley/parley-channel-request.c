/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-channel-request"

#include "config.h"

#include "parley-channel-request.h"
#include "parley-error.h"
#include "parley-http.h"

/**
 * ParleyChannelRequest:
 *
 * One HTTP request to a route a channel added with parley_host_add_route().
 * The host has checked its method and body size; the channel reads it
 * and answers exactly once, at once or later. Until it answers, the
 * request waits (the host pauses it); if the client goes away first, the
 * request's cancellable is cancelled and a later answer is dropped.
 *
 * Routes that take the connection over (a WebSocket handshake through
 * parley_websocket_upgrade()) use parley_channel_request_get_message().
 */

struct _ParleyChannelRequest
{
  GObject            parent_instance;

  SoupServerMessage *msg;
  char              *path;
  GHashTable        *query;
  char              *client_address;
  GBytes            *body;
  GCancellable      *cancellable;   /* cancelled when the client goes away unanswered */
  gboolean           answered;
  gboolean           paused;
  gboolean           finished;
};

G_DEFINE_FINAL_TYPE (ParleyChannelRequest, parley_channel_request, G_TYPE_OBJECT)

static void
finished_cb (SoupServerMessage    *msg,
             ParleyChannelRequest *self)
{
  self->finished = TRUE;
  if (!self->answered)
    g_cancellable_cancel (self->cancellable);
}

static void
parley_channel_request_dispose (GObject *object)
{
  ParleyChannelRequest *self = PARLEY_CHANNEL_REQUEST (object);

  /* Dropped unanswered while waiting: say so rather than hold the client. */
  if (self->paused && !self->answered && !self->finished)
    {
      g_autoptr(GError) error = g_error_new_literal (PARLEY_ERROR, PARLEY_ERROR_FAILED,
                                                     "The channel did not answer this request");

      g_warning ("A channel dropped %s /%s without answering", soup_server_message_get_method (self->msg), self->path);
      parley_channel_request_reply_error (self, error);
    }
  if (self->msg != NULL)
    g_signal_handlers_disconnect_by_func (self->msg, finished_cb, self);
  g_clear_object (&self->msg);
  G_OBJECT_CLASS (parley_channel_request_parent_class)->dispose (object);
}

static void
parley_channel_request_finalize (GObject *object)
{
  ParleyChannelRequest *self = PARLEY_CHANNEL_REQUEST (object);

  g_free (self->path);
  g_clear_pointer (&self->query, g_hash_table_unref);
  g_free (self->client_address);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (parley_channel_request_parent_class)->finalize (object);
}

static void
parley_channel_request_class_init (ParleyChannelRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = parley_channel_request_dispose;
  object_class->finalize = parley_channel_request_finalize;
}

static void
parley_channel_request_init (ParleyChannelRequest *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * parley_channel_request_new:
 * @msg: the request as the hub's server got it
 * @path: the path below the channel's prefix, e.g. "inbound"
 * @query: (nullable) (element-type utf8 utf8): the query parameters
 * @client_address: (nullable): where the request comes from, behind trusted proxies too
 *
 * For hosts (the hub, a test host): wraps a request to a channel's route.
 *
 * Returns: (transfer full): the request
 */
ParleyChannelRequest *
parley_channel_request_new (SoupServerMessage *msg,
                            const char        *path,
                            GHashTable        *query,
                            const char        *client_address)
{
  ParleyChannelRequest *self;

  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (msg), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (PARLEY_TYPE_CHANNEL_REQUEST, NULL);
  self->msg = g_object_ref (msg);
  self->path = g_strdup (path);
  self->query = query ? g_hash_table_ref (query) : NULL;
  self->client_address = g_strdup (client_address);
  g_signal_connect (msg, "finished", G_CALLBACK (finished_cb), self);
  return self;
}

/**
 * parley_channel_request_run:
 * @self: a #ParleyChannelRequest
 * @func: (scope call): the route's handler
 * @user_data: given to @func
 *
 * For hosts: hands the request to its route's handler, and holds it
 * (pauses the server message) if the handler keeps it to answer later.
 */
void
parley_channel_request_run (ParleyChannelRequest   *self,
                            ParleyChannelRouteFunc  func,
                            gpointer                user_data)
{
  g_return_if_fail (PARLEY_IS_CHANNEL_REQUEST (self));
  g_return_if_fail (func != NULL);

  func (self, user_data);
  /* A handshake answered by parley_websocket_upgrade() has a status too. */
  if (!self->answered && soup_server_message_get_status (self->msg) == 0)
    {
      soup_server_message_pause (self->msg);
      self->paused = TRUE;
    }
}

/**
 * parley_channel_request_get_method:
 * @self: a #ParleyChannelRequest
 *
 * The request's method.
 *
 * Returns: the HTTP method, e.g. "POST"
 */
const char *
parley_channel_request_get_method (ParleyChannelRequest *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_REQUEST (self), NULL);

  return soup_server_message_get_method (self->msg);
}

/**
 * parley_channel_request_get_path:
 * @self: a #ParleyChannelRequest
 *
 * Which of the channel's routes the request is for.
 *
 * Returns: the path below the channel's prefix: "inbound" for
 *   /api/v1/channels/KIND/inbound, "files/7" under a route "files/\*"
 */
const char *
parley_channel_request_get_path (ParleyChannelRequest *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_REQUEST (self), NULL);

  return self->path;
}

/**
 * parley_channel_request_get_header:
 * @self: a #ParleyChannelRequest
 * @name: a request header's name
 *
 * A header of the request.
 *
 * Returns: (nullable): the header's value, the values joined with commas
 *   if it came more than once
 */
const char *
parley_channel_request_get_header (ParleyChannelRequest *self,
                                   const char           *name)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_REQUEST (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return soup_message_headers_get_list (soup_server_message_get_request_headers (self->msg), name);
}

/**
 * parley_channel_request_get_query:
 * @self: a #ParleyChannelRequest
 * @name: a query parameter's name
 *
 * A parameter of the request's query.
 *
 * Returns: (nullable): the parameter's value
 */
const char *
parley_channel_request_get_query (ParleyChannelRequest *self,
                                  const char           *name)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_REQUEST (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return self->query ? g_hash_table_lookup (self->query, name) : NULL;
}

/**
 * parley_channel_request_get_body:
 * @self: a #ParleyChannelRequest
 *
 * The request's body as it came.
 *
 * Returns: (transfer none): the request body, within the route's size limit
 */
GBytes *
parley_channel_request_get_body (ParleyChannelRequest *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_REQUEST (self), NULL);

  if (self->body == NULL)
    self->body = soup_message_body_flatten (soup_server_message_get_request_body (self->msg));
  return self->body;
}

/**
 * parley_channel_request_read_object:
 * @self: a #ParleyChannelRequest
 * @error: return location for a #GError
 *
 * Parses the body as one JSON object, refusing what
 * parley_json_parse_object() refuses.
 *
 * Returns: (transfer full): the object, or %NULL with @error set
 *   (%PARLEY_ERROR_INVALID), ready for parley_channel_request_reply_error()
 */
JsonObject *
parley_channel_request_read_object (ParleyChannelRequest  *self,
                                    GError               **error)
{
  const char *data;
  gsize size;

  g_return_val_if_fail (PARLEY_IS_CHANNEL_REQUEST (self), NULL);

  data = g_bytes_get_data (parley_channel_request_get_body (self), &size);
  return parley_json_parse_object (data, size, "Request body", error);
}

/**
 * parley_channel_request_get_client_address:
 * @self: a #ParleyChannelRequest
 *
 * Who sent the request.
 *
 * Returns: (nullable): the address the request comes from, as the host
 *   determined it (behind trusted proxies too), for rate limits
 */
const char *
parley_channel_request_get_client_address (ParleyChannelRequest *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_REQUEST (self), NULL);

  return self->client_address;
}

/**
 * parley_channel_request_get_cancellable:
 * @self: a #ParleyChannelRequest
 *
 * What the request's work may be cancelled with.
 *
 * Returns: (transfer none): cancelled when the client goes away before
 *   the answer; pass it to work that is useless without the client
 */
GCancellable *
parley_channel_request_get_cancellable (ParleyChannelRequest *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_REQUEST (self), NULL);

  return self->cancellable;
}

/**
 * parley_channel_request_get_message:
 * @self: a #ParleyChannelRequest
 *
 * For routes that take the connection over, such as a WebSocket
 * handshake with parley_websocket_upgrade(); everything else has its
 * own function here.
 *
 * Returns: (transfer none): the server message
 */
SoupServerMessage *
parley_channel_request_get_message (ParleyChannelRequest *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_REQUEST (self), NULL);

  return self->msg;
}

/**
 * parley_channel_request_is_answered:
 * @self: a #ParleyChannelRequest
 *
 * Whether an answer was given.
 *
 * Returns: whether the request has had its answer
 */
gboolean
parley_channel_request_is_answered (ParleyChannelRequest *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_REQUEST (self), FALSE);

  return self->answered;
}

/**
 * parley_channel_request_set_header:
 * @self: a #ParleyChannelRequest
 * @name: a response header's name
 * @value: its value
 *
 * Sets a header of the answer to come.
 */
void
parley_channel_request_set_header (ParleyChannelRequest *self,
                                   const char           *name,
                                   const char           *value)
{
  g_return_if_fail (PARLEY_IS_CHANNEL_REQUEST (self));
  g_return_if_fail (name != NULL && value != NULL);

  soup_message_headers_replace (soup_server_message_get_response_headers (self->msg), name, value);
}

/* Whether an answer may be written now; a second answer is the channel's
 * mistake, and must not reach a client that already has the first. */
static gboolean
begin_answer (ParleyChannelRequest *self)
{
  if (self->answered)
    {
      g_critical ("A channel answered %s /%s twice", soup_server_message_get_method (self->msg), self->path);
      return FALSE;
    }
  self->answered = TRUE;
  return !self->finished;
}

static void
end_answer (ParleyChannelRequest *self)
{
  if (self->paused)
    soup_server_message_unpause (self->msg);
  self->paused = FALSE;
}

/**
 * parley_channel_request_reply_object:
 * @self: a #ParleyChannelRequest
 * @status: the HTTP status
 * @object: the JSON body
 *
 * Answers with a JSON object.
 */
void
parley_channel_request_reply_object (ParleyChannelRequest *self,
                                     guint                 status,
                                     JsonObject           *object)
{
  g_return_if_fail (PARLEY_IS_CHANNEL_REQUEST (self));
  g_return_if_fail (object != NULL);

  if (!begin_answer (self))
    return;
  parley_http_reply_object (self->msg, status, object);
  end_answer (self);
}

/**
 * parley_channel_request_reply_error:
 * @self: a #ParleyChannelRequest
 * @error: what went wrong; a #PARLEY_ERROR code picks the status
 *
 * Answers with `{"error":{"code","message"}}` and the status
 * parley_http_status_for_error() gives.
 */
void
parley_channel_request_reply_error (ParleyChannelRequest *self,
                                    const GError         *error)
{
  g_return_if_fail (PARLEY_IS_CHANNEL_REQUEST (self));
  g_return_if_fail (error != NULL);

  if (!begin_answer (self))
    return;
  parley_http_reply_error (self->msg, error);
  end_answer (self);
}

/**
 * parley_channel_request_reply_bytes:
 * @self: a #ParleyChannelRequest
 * @status: the HTTP status
 * @content_type: (nullable): the body's type, e.g. "text/css; charset=utf-8"
 * @body: (nullable): the body
 *
 * Answers with a body of any type (a file, a page), or none.
 */
void
parley_channel_request_reply_bytes (ParleyChannelRequest *self,
                                    guint                 status,
                                    const char           *content_type,
                                    GBytes               *body)
{
  g_return_if_fail (PARLEY_IS_CHANNEL_REQUEST (self));

  if (!begin_answer (self))
    return;
  if (body != NULL)
    soup_server_message_set_response (self->msg, content_type, SOUP_MEMORY_COPY,
                                      g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  soup_server_message_set_status (self->msg, status, NULL);
  end_answer (self);
}
