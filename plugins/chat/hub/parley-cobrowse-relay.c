/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-cobrowse"

#include "config.h"

#include "parley-cobrowse-relay.h"
#include "parley-visitor-frame.h"

/* Co-browse: an agent sees a chat visitor's page live, with their consent.
 *
 * The agent's desktop opens /api/v1/channels/chat/cobrowse?customer=ID
 * (signed in, with the customer's open conversation assigned to them, or
 * a supervisor). Opening the socket asks every tab the visitor has open:
 *
 *   visitor ← {"type":"cobrowse_request","session","agent"}
 *   visitor → {"type":"cobrowse_accept"|"cobrowse_decline","session","page"?}
 *   visitor ← {"type":"cobrowse_active","session"}    start recording
 *   visitor → {"type":"cobrowse_events","session","events":[rrweb events]}
 *   visitor → {"type":"cobrowse_resume","session","page"}   on the next page
 *   visitor ← {"type":"cobrowse_pointer","session","kind":"move"|"highlight","x","y"}
 *   either  ↔ {"type":"cobrowse_end","session","by"?}
 *
 * The agent's socket receives {"type":"state","state":"requested" |
 * "active" | "navigating" | "declined" | "unanswered" | "withdrawn" | "ended",
 * "by"?, "page"?} and the visitor's cobrowse_events frames as they came; it sends
 * {"type":"pointer"|"highlight","x","y"} and {"type":"end"}.
 *
 * Recorded events pass through and are never stored: the browser masks
 * passwords, card numbers and fields the site marks before they leave it.
 * What the timeline keeps is the session: when, how long, which pages. */

#define REQUEST_TIMEOUT_SECONDS 60
/* A visitor moving to the next page reconnects within this time. */
#define NAVIGATION_GRACE_SECONDS 20
#define SHARING_MAX_FRAME (4 * 1024 * 1024)
#define CHAT_MAX_FRAME (16 * 1024)
/* Set on a visitor socket while it shares. */
#define SHARING_KEY "parley-cobrowse-sharing"
/* Recorded bytes a visitor may send: a burst, then a steady rate. */
#define BYTES_BURST (8.0 * 1024 * 1024)
#define BYTES_PER_SECOND (1.0 * 1024 * 1024)
#define MAX_PAGES 50

struct _ParleyCobrowseRelay
{
  GObject                  parent_instance;

  ParleyHost              *host;
  ParleyVisitorSocketsFunc sockets_func;
  gpointer                 sockets_data;
  GHashTable              *sessions;  /* id → ParleyCobrowseSession */
  gboolean                 started;
};

typedef enum {
  SESSION_REQUESTED,
  SESSION_ACTIVE,
} SessionState;

typedef struct
{
  ParleyCobrowseRelay     *relay;
  char                    *id;
  SessionState             state;
  gint64                   customer_id;
  gint64                   conversation_id;
  gint64                   agent_id;
  char                    *agent_name;
  GStrv                    visitor_ids;  /* the customer's chat identities */
  char                    *visitor_id;   /* the one who accepted */
  SoupWebsocketConnection *agent;
  SoupWebsocketConnection *visitor;      /* NULL between two pages */
  GPtrArray               *pages;        /* JsonObject {url, title} */
  gint64                   started;
  guint                    timeout_source;
  double                   allowance;
  gint64                   allowance_updated;
} ParleyCobrowseSession;

/* What the check before the upgrade found, kept on the message. */
typedef struct
{
  gint64  customer_id;
  gint64  conversation_id;
  gint64  agent_id;
  char   *agent_name;
  GStrv   visitor_ids;
} ParleyCobrowseGrant;

G_DEFINE_DYNAMIC_TYPE_EXTENDED (ParleyCobrowseRelay, parley_cobrowse_relay, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL, {})

void
parley_cobrowse_relay_register (GTypeModule *module)
{
  parley_cobrowse_relay_register_type (module);
}

/* ---- sending --------------------------------------------------------------- */

static JsonObject *
visitor_message (ParleyCobrowseSession *session,
                 const char            *type)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "type", type);
  json_object_set_string_member (object, "session", session->id);
  return object;
}

static void
tell_agent (ParleyCobrowseSession *session,
            const char            *state,
            const char            *by,
            JsonObject            *page)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "type", "state");
  json_object_set_string_member (object, "state", state);
  if (by)
    json_object_set_string_member (object, "by", by);
  if (page)
    json_object_set_object_member (object, "page", json_object_ref (page));
  parley_websocket_send_object (session->agent, object);
}

/* Every open tab of the visitor's; @except is left out. */
static void
tell_visitor_tabs (ParleyCobrowseSession   *session,
                   JsonObject              *object,
                   SoupWebsocketConnection *except)
{
  ParleyCobrowseRelay *self = session->relay;

  for (guint i = 0; session->visitor_ids[i]; i++)
    {
      g_autoptr(GPtrArray) sockets = self->sockets_func (self->sockets_data, session->visitor_ids[i]);

      for (guint j = 0; sockets && j < sockets->len; j++)
        if (g_ptr_array_index (sockets, j) != except)
          parley_websocket_send_object (g_ptr_array_index (sockets, j), object);
    }
}

/* ---- sessions ---------------------------------------------------------------- */

/* The sharing socket goes back to chat-sized frames, if it is still open. */
static void
release_visitor (ParleyCobrowseSession *session)
{
  if (session->visitor == NULL)
    return;
  parley_websocket_set_max_message_size (session->visitor, CHAT_MAX_FRAME);
  g_object_set_data (G_OBJECT (session->visitor), SHARING_KEY, NULL);
  g_clear_object (&session->visitor);
}

static void
session_free (ParleyCobrowseSession *session)
{
  g_clear_handle_id (&session->timeout_source, g_source_remove);
  if (session->agent)
    {
      g_signal_handlers_disconnect_by_data (session->agent, session);
      if (soup_websocket_connection_get_state (session->agent) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (session->agent, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (session->agent);
    }
  release_visitor (session);
  g_ptr_array_unref (session->pages);
  g_strfreev (session->visitor_ids);
  g_free (session->visitor_id);
  g_free (session->agent_name);
  g_free (session->id);
  g_free (session);
}

static void
record_session (ParleyCobrowseSession *session,
                const char            *outcome,
                const char            *by)
{
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *metadata_text = NULL;
  gint64 now = g_get_real_time ();

  json_object_set_string_member (metadata, "session", session->id);
  json_object_set_string_member (metadata, "outcome", outcome);
  if (by)
    json_object_set_string_member (metadata, "ended_by", by);
  if (g_str_equal (outcome, "shared"))
    {
      JsonArray *pages = json_array_new ();
      gint64 seconds = (now - session->started) / G_USEC_PER_SEC;

      for (guint i = 0; i < session->pages->len; i++)
        json_array_add_object_element (pages, json_object_ref (g_ptr_array_index (session->pages, i)));
      json_object_set_array_member (metadata, "pages", pages);
      json_object_set_int_member (metadata, "started", session->started);
      json_object_set_int_member (metadata, "ended", now);
      json_object_set_int_member (metadata, "duration", seconds);
      /* Desktops word it from the metadata, with their own plurals; this
       * English text is for older desktops and exports. */
      text = g_strdup_printf ("Co-browsed with the visitor for %" G_GINT64_FORMAT " min %02" G_GINT64_FORMAT " s; pages seen: %u",
                              seconds / 60, seconds % 60, session->pages->len);
    }
  else if (g_str_equal (outcome, "declined"))
    text = g_strdup ("The visitor declined co-browsing");
  else if (g_str_equal (outcome, "unanswered"))
    text = g_strdup ("The visitor did not answer the co-browse request");
  else
    text = g_strdup ("The co-browse request was withdrawn");
  node = json_node_init_object (json_node_alloc (), metadata);
  metadata_text = parley_json_to_string (node);
  if (parley_host_record_event (session->relay->host, session->conversation_id, "chat", "cobrowse",
                                text, metadata_text, session->agent_id, &error) <= 0)
    g_warning ("Co-browse session %s not recorded: %s", session->id, error->message);
}

/* Ends a session for everyone: @by is agent, visitor, or why it ended. */
static void
session_end (ParleyCobrowseSession *session,
             const char            *by)
{
  g_autoptr(JsonObject) end = visitor_message (session, "cobrowse_end");

  json_object_set_string_member (end, "by", by);
  if (session->state == SESSION_ACTIVE)
    {
      record_session (session, "shared", by);
      tell_agent (session, "ended", by, NULL);
    }
  else
    {
      const char *outcome = g_str_equal (by, "visitor") ? "declined"
                          : g_str_equal (by, "timeout") ? "unanswered" : "withdrawn";

      record_session (session, outcome, NULL);
      tell_agent (session, outcome, by, NULL);
    }
  /* Every tab: the one sharing stops, the others drop the question. */
  tell_visitor_tabs (session, end, NULL);
  g_hash_table_remove (session->relay->sessions, session->id);
}

static gboolean
session_timeout_cb (gpointer data)
{
  ParleyCobrowseSession *session = data;

  session->timeout_source = 0;
  session_end (session, session->state == SESSION_REQUESTED ? "timeout" : "visitor_left");
  return G_SOURCE_REMOVE;
}

/* The page in @body, added to those seen; NULL if it names none. */
static JsonObject *
session_add_page (ParleyCobrowseSession *session,
                  JsonObject            *body)
{
  JsonObject *page = parley_json_get_object (body, "page", FALSE, NULL);
  const char *url = page ? parley_json_get_string (page, "url", FALSE, NULL) : NULL;
  const char *title = page ? parley_json_get_string (page, "title", FALSE, NULL) : NULL;
  JsonObject *entry;

  if (url == NULL || strlen (url) > 2048 || session->pages->len >= MAX_PAGES)
    return NULL;
  entry = json_object_new ();
  json_object_set_string_member (entry, "url", url);
  if (title)
    json_object_set_string_member (entry, "title", title);
  json_object_set_int_member (entry, "at", g_get_real_time ());
  g_ptr_array_add (session->pages, entry);
  return entry;
}

/* The visitor socket that shares from now on. */
static void
session_attach (ParleyCobrowseSession   *session,
                SoupWebsocketConnection *visitor,
                JsonObject              *body)
{
  g_autoptr(JsonObject) active = visitor_message (session, "cobrowse_active");

  g_clear_handle_id (&session->timeout_source, g_source_remove);
  release_visitor (session);
  session->visitor = g_object_ref (visitor);
  parley_websocket_set_max_message_size (visitor, SHARING_MAX_FRAME);
  g_object_set_data (G_OBJECT (visitor), SHARING_KEY, session);
  session->allowance = BYTES_BURST;
  session->allowance_updated = g_get_monotonic_time ();
  parley_websocket_send_object (visitor, active);
  tell_agent (session, "active", NULL, session_add_page (session, body));
}

/* Token bucket over the recorded bytes. */
static gboolean
session_may_relay (ParleyCobrowseSession *session,
                   gsize                  size)
{
  gint64 now = g_get_monotonic_time ();

  session->allowance = MIN (BYTES_BURST, session->allowance +
                                         (now - session->allowance_updated) * BYTES_PER_SECOND / G_USEC_PER_SEC);
  session->allowance_updated = now;
  if (session->allowance < size)
    return FALSE;
  session->allowance -= size;
  return TRUE;
}

/* ---- the visitor side --------------------------------------------------------- */

/* How deeply a visitor socket's messages may nest: deeper while it shares
 * (a recorded page is a deep tree). */
guint
parley_cobrowse_relay_max_depth (ParleyCobrowseRelay     *self,
                                 SoupWebsocketConnection *visitor)
{
  return g_object_get_data (G_OBJECT (visitor), SHARING_KEY) ? PARLEY_VISITOR_FRAME_SHARING_MAX_DEPTH : PARLEY_JSON_MAX_DEPTH;
}

void
parley_cobrowse_relay_visitor_frame (ParleyCobrowseRelay     *self,
                                     SoupWebsocketConnection *visitor,
                                     const char              *visitor_id,
                                     const char              *type,
                                     JsonObject              *body,
                                     GBytes                  *frame)
{
  const char *id = parley_json_get_string (body, "session", FALSE, NULL);
  ParleyCobrowseSession *session = id ? g_hash_table_lookup (self->sessions, id) : NULL;

  if (session == NULL || !g_strv_contains ((const char * const *) session->visitor_ids, visitor_id))
    {
      g_autoptr(JsonObject) end = json_object_new ();

      /* Gone, or never theirs: the widget stops whatever it was doing. */
      json_object_set_string_member (end, "type", "cobrowse_end");
      json_object_set_string_member (end, "session", id ? id : "");
      json_object_set_string_member (end, "by", "gone");
      parley_websocket_send_object (visitor, end);
      return;
    }

  if (g_str_equal (type, "cobrowse_events"))
    {
      if (session->state != SESSION_ACTIVE || session->visitor != visitor)
        return;  /* left over from before the last page change */
      if (!session_may_relay (session, g_bytes_get_size (frame)))
        {
          parley_websocket_send_error (visitor, "cobrowse_too_much", "This page changes too fast to share; sharing stopped");
          session_end (session, "too_much");
          return;
        }
      if (session->agent && soup_websocket_connection_get_state (session->agent) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_message (session->agent, SOUP_WEBSOCKET_DATA_TEXT, frame);
    }
  else if (g_str_equal (type, "cobrowse_accept") && session->state == SESSION_REQUESTED)
    {
      g_autoptr(JsonObject) taken = visitor_message (session, "cobrowse_end");

      session->state = SESSION_ACTIVE;
      session->visitor_id = g_strdup (visitor_id);
      session->started = g_get_real_time ();
      /* The other tabs drop the question: this one shares. */
      json_object_set_string_member (taken, "by", "other_tab");
      tell_visitor_tabs (session, taken, visitor);
      session_attach (session, visitor, body);
    }
  else if (g_str_equal (type, "cobrowse_resume") && session->state == SESSION_ACTIVE &&
           g_strcmp0 (session->visitor_id, visitor_id) == 0)
    session_attach (session, visitor, body);
  else if (g_str_equal (type, "cobrowse_decline") && session->state == SESSION_REQUESTED)
    session_end (session, "visitor");
  else if (g_str_equal (type, "cobrowse_end"))
    session_end (session, "visitor");
  else
    parley_websocket_send_error (visitor, "invalid", "That co-browse message does not fit the session's state");
}

void
parley_cobrowse_relay_visitor_closed (ParleyCobrowseRelay     *self,
                                      SoupWebsocketConnection *visitor)
{
  GHashTableIter iter;
  ParleyCobrowseSession *session;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    if (session->visitor == visitor)
      {
        /* Most likely the next page is loading: wait for it to resume. */
        g_clear_object (&session->visitor);
        tell_agent (session, "navigating", NULL, NULL);
        session->timeout_source = g_timeout_add_seconds (NAVIGATION_GRACE_SECONDS, session_timeout_cb, session);
      }
}

/* ---- the agent side ---------------------------------------------------------- */

static void
grant_free (ParleyCobrowseGrant *grant)
{
  g_free (grant->agent_name);
  g_strfreev (grant->visitor_ids);
  g_free (grant);
}

static gboolean
visitor_online (ParleyCobrowseRelay *self,
                GStrv                visitor_ids)
{
  for (guint i = 0; visitor_ids[i]; i++)
    {
      g_autoptr(GPtrArray) sockets = self->sockets_func (self->sockets_data, visitor_ids[i]);

      if (sockets && sockets->len > 0)
        return TRUE;
    }
  return FALSE;
}

/* Who may co-browse with whom, checked before the upgrade so a refusal is
 * a plain HTTP error with a reason. */
static ParleyCobrowseGrant *
check_request (ParleyCobrowseRelay   *self,
               ParleyChannelRequest  *request,
               GError               **error)
{
  g_autoptr(JsonObject) agent = parley_host_authenticate (self->host, parley_channel_request_get_message (request));
  g_autoptr(JsonObject) customer = NULL;
  g_autoptr(GStrvBuilder) visitors = g_strv_builder_new ();
  ParleyCobrowseGrant *grant;
  JsonObject *conversation;
  JsonArray *identities;
  const char *customer_text = parley_channel_request_get_query (request, "customer");
  gint64 customer_id;
  gboolean supervisor;

  if (agent == NULL)
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_UNAUTHORIZED, "A valid access_token is required");
      return NULL;
    }
  if (customer_text == NULL || !g_ascii_string_to_signed (customer_text, 10, 1, G_MAXINT64, &customer_id, NULL))
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Give the customer to co-browse with: ?customer=ID");
      return NULL;
    }
  if (!(customer = parley_host_get_customer (self->host, customer_id, error)))
    return NULL;
  conversation = json_object_has_member (customer, "conversation")
    ? json_object_get_object_member (customer, "conversation") : NULL;
  supervisor = g_strcmp0 (json_object_get_string_member_with_default (agent, "role", ""), "agent") != 0;
  if (conversation == NULL ||
      (!supervisor && json_object_get_int_member_with_default (conversation, "agent_id", 0) !=
                      json_object_get_int_member (agent, "id")))
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_FORBIDDEN,
                           "Co-browse needs an open conversation with this customer assigned to you");
      return NULL;
    }
  identities = json_object_get_array_member (customer, "identities");
  for (guint i = 0; identities && i < json_array_get_length (identities); i++)
    {
      JsonObject *identity = json_array_get_object_element (identities, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (identity, "kind", ""), "chat") == 0)
        g_strv_builder_add (visitors, json_object_get_string_member (identity, "value"));
    }
  grant = g_new0 (ParleyCobrowseGrant, 1);
  grant->visitor_ids = g_strv_builder_end (visitors);
  if (!visitor_online (self, grant->visitor_ids))
    {
      grant_free (grant);
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT,
                           "The visitor is not on the site right now");
      return NULL;
    }
  grant->customer_id = customer_id;
  grant->conversation_id = json_object_get_int_member (conversation, "id");
  grant->agent_id = json_object_get_int_member (agent, "id");
  grant->agent_name = g_strdup (json_object_get_string_member_with_default (agent, "name", ""));
  return grant;
}


/* A number member, -1 if it is none (json-glib's getters complain about
 * anything else, and the agent's client may send anything). */
static double
coordinate (JsonObject *body,
            const char *member)
{
  JsonNode *node = json_object_get_member (body, member);
  GType type = node ? json_node_get_value_type (node) : G_TYPE_INVALID;

  return type == G_TYPE_DOUBLE || type == G_TYPE_INT64 ? json_node_get_double (node) : -1;
}

static void
agent_message_cb (SoupWebsocketConnection *connection,
                  int                      type,
                  GBytes                  *message,
                  ParleyCobrowseSession   *session)
{
  g_autoptr(JsonObject) pointer = NULL;
  g_autoptr(JsonObject) body = NULL;
  gsize size;
  const char *data = g_bytes_get_data (message, &size);
  const char *kind;
  double x, y;

  if (type != SOUP_WEBSOCKET_DATA_TEXT || !(body = parley_json_parse_object (data, size, "A message", NULL)))
    return;
  kind = parley_json_get_string (body, "type", FALSE, NULL);
  if (g_strcmp0 (kind, "end") == 0)
    {
      session_end (session, "agent");
      return;
    }
  if ((g_strcmp0 (kind, "pointer") != 0 && g_strcmp0 (kind, "highlight") != 0) ||
      session->state != SESSION_ACTIVE || session->visitor == NULL)
    return;
  x = coordinate (body, "x");
  y = coordinate (body, "y");
  if (x < 0 || y < 0 || x > 1e6 || y > 1e6)
    return;
  pointer = visitor_message (session, "cobrowse_pointer");
  json_object_set_string_member (pointer, "kind", g_str_equal (kind, "pointer") ? "move" : "highlight");
  json_object_set_double_member (pointer, "x", x);
  json_object_set_double_member (pointer, "y", y);
  parley_websocket_send_object (session->visitor, pointer);
}

static void
agent_closed_cb (SoupWebsocketConnection *connection,
                 ParleyCobrowseSession   *session)
{
  g_signal_handlers_disconnect_by_data (connection, session);
  g_clear_object (&session->agent);
  session_end (session, "agent");
}

static void
cobrowse_socket_cb (SoupServerMessage       *msg,
                    SoupWebsocketConnection *connection,
                    gpointer                 owner)
{
  ParleyCobrowseRelay *self = owner;
  ParleyCobrowseGrant *grant = g_object_get_data (G_OBJECT (msg), "parley-cobrowse-grant");
  ParleyCobrowseSession *session;
  g_autoptr(JsonObject) request = NULL;
  g_autofree char *uuid = g_uuid_string_random ();

  if (grant == NULL)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "not allowed");
      return;
    }
  session = g_new0 (ParleyCobrowseSession, 1);
  session->relay = self;
  session->id = g_strdup (uuid);
  session->state = SESSION_REQUESTED;
  session->customer_id = grant->customer_id;
  session->conversation_id = grant->conversation_id;
  session->agent_id = grant->agent_id;
  session->agent_name = g_strdup (grant->agent_name);
  session->visitor_ids = g_strdupv (grant->visitor_ids);
  session->agent = g_object_ref (connection);
  session->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  session->timeout_source = g_timeout_add_seconds (REQUEST_TIMEOUT_SECONDS, session_timeout_cb, session);
  g_hash_table_insert (self->sessions, session->id, session);

  soup_websocket_connection_set_keepalive_interval (connection, 30);
  g_signal_connect (connection, "message", G_CALLBACK (agent_message_cb), session);
  g_signal_connect (connection, "closed", G_CALLBACK (agent_closed_cb), session);

  request = visitor_message (session, "cobrowse_request");
  json_object_set_string_member (request, "agent", session->agent_name);
  tell_visitor_tabs (session, request, NULL);
  tell_agent (session, "requested", NULL, NULL);
}

static void
cobrowse_http_cb (ParleyChannelRequest *request,
                  gpointer              user_data)
{
  ParleyCobrowseRelay *self = user_data;
  SoupServerMessage *msg = parley_channel_request_get_message (request);
  g_autoptr(GError) error = NULL;
  ParleyCobrowseGrant *grant = check_request (self, request, &error);

  if (grant == NULL)
    {
      parley_channel_request_reply_error (request, error);
      return;
    }
  g_object_set_data_full (G_OBJECT (msg), "parley-cobrowse-grant", grant, (GDestroyNotify) grant_free);
  parley_websocket_upgrade (msg, CHAT_MAX_FRAME, cobrowse_socket_cb, self);
}

/* ---- life cycle -------------------------------------------------------------- */

/* @channel: the chat channel, whose route "cobrowse" agents' desktops open */
gboolean
parley_cobrowse_relay_start (ParleyCobrowseRelay  *self,
                             ParleyChannel        *channel,
                             GError              **error)
{
  if (!parley_host_add_route (self->host, channel, "cobrowse", PARLEY_HTTP_GET, 0, cobrowse_http_cb, self, NULL, error))
    return FALSE;
  self->started = TRUE;
  return TRUE;
}

void
parley_cobrowse_relay_stop (ParleyCobrowseRelay *self)
{
  if (!self->started)
    return;
  g_hash_table_remove_all (self->sessions);
  self->started = FALSE;
}

ParleyCobrowseRelay *
parley_cobrowse_relay_new (ParleyHost               *host,
                           ParleyVisitorSocketsFunc  sockets_func,
                           gpointer                  sockets_data)
{
  ParleyCobrowseRelay *self = g_object_new (PARLEY_TYPE_COBROWSE_RELAY, NULL);

  self->host = g_object_ref (host);
  self->sockets_func = sockets_func;
  self->sockets_data = sockets_data;
  return self;
}

static void
parley_cobrowse_relay_finalize (GObject *object)
{
  ParleyCobrowseRelay *self = PARLEY_COBROWSE_RELAY (object);

  parley_cobrowse_relay_stop (self);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_object (&self->host);
  G_OBJECT_CLASS (parley_cobrowse_relay_parent_class)->finalize (object);
}

static void
parley_cobrowse_relay_class_init (ParleyCobrowseRelayClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = parley_cobrowse_relay_finalize;
}

static void
parley_cobrowse_relay_class_finalize (ParleyCobrowseRelayClass *klass)
{
}

static void
parley_cobrowse_relay_init (ParleyCobrowseRelay *self)
{
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) session_free);
}
