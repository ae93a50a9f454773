/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-hub-sessions"

#include "config.h"

#include "parley-hub-private.h"

/* Desktops hold one WebSocket each on /api/v1/events. An agent with at
 * least one open socket is signed in; when the last one closes the agent
 * goes offline. Pushes are queued as notices during a transaction and sent
 * after it commits, to the sockets allowed to see them:
 *   offer          only the agent offered;
 *   anything else  supervisors and admins, the agent the notice names, and
 *                  the agent holding or offered the conversation it is about. */

#define AGENT_ID_KEY "parley-agent-id"
/* Desktops send nothing but pings; anything longer is not theirs. */
#define MAX_MESSAGE_SIZE (64 * 1024)

gboolean
_parley_presence_is_valid (const char *presence)
{
  static const char * const presences[] = { "available", "away", "busy", "wrap-up", "offline", NULL };

  return presence != NULL && g_strv_contains (presences, presence);
}

static void
notice_free (gpointer data)
{
  ParleyHubNotice *notice = data;

  json_object_unref (notice->message);
  g_free (notice);
}

void
_parley_hub_notice (ParleyHub  *self,
                    gint64      agent_id,
                    gint64      conversation_id,
                    const char *type,
                    const char *member,
                    JsonObject *payload)
{
  ParleyHubNotice *notice = g_new0 (ParleyHubNotice, 1);

  notice->agent_id = agent_id;
  notice->conversation_id = conversation_id;
  notice->message = json_object_new ();
  json_object_set_string_member (notice->message, "type", type);
  json_object_set_object_member (notice->message, member, json_object_ref (payload));
  g_ptr_array_add (self->notices, notice);
}

/* Forgets the notices since the first @keep of this transaction: they
 * were rolled back. */
void
_parley_hub_drop_notices (ParleyHub *self,
                          guint      keep)
{
  if (keep < self->notices->len)
    g_ptr_array_set_size (self->notices, keep);
}

static void
send_to_agent (ParleyHubAgent *agent,
               const char     *text)
{
  for (guint i = 0; i < agent->sockets->len; i++)
    {
      SoupWebsocketConnection *conn = g_ptr_array_index (agent->sockets, i);

      if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_text (conn, text);
    }
}

static void
send_to (ParleyHub  *self,
         gint64      agent_id,
         const char *text)
{
  ParleyHubAgent *agent = agent_id > 0 ? _parley_hub_lookup_agent (self, agent_id) : NULL;

  /* Supervisors already got it. */
  if (agent != NULL && agent->role < PARLEY_ROLE_SUPERVISOR)
    send_to_agent (agent, text);
}

static gboolean
is_connected (ParleyHub *self,
              gint64     agent_id)
{
  ParleyHubAgent *agent = agent_id > 0 ? _parley_hub_lookup_agent (self, agent_id) : NULL;

  return agent != NULL && agent->sockets->len > 0;
}

/* Whether any desktop would receive a push about this agent or
 * conversation; callers skip building pushes nobody will get. */
gboolean
_parley_hub_has_audience (ParleyHub *self,
                          gint64     agent_id,
                          gint64     conversation_id)
{
  return self->supervisors->len > 0 || is_connected (self, agent_id) ||
         (conversation_id > 0 && is_connected (self, parley_router_holder (self->router, conversation_id)));
}

static void
send_notice (ParleyHub       *self,
             ParleyHubNotice *notice)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  gboolean offer = g_str_equal (json_object_get_string_member (notice->message, "type"), "offer");
  gint64 holder = 0;

  if (!_parley_hub_has_audience (self, notice->agent_id, offer ? 0 : notice->conversation_id))
    return;
  json_node_set_object (node, notice->message);
  text = parley_json_to_string (node);
  if (offer)
    {
      ParleyHubAgent *agent = _parley_hub_lookup_agent (self, notice->agent_id);

      if (agent != NULL)
        send_to_agent (agent, text);
      return;
    }

  for (guint i = 0; i < self->supervisors->len; i++)
    send_to_agent (g_ptr_array_index (self->supervisors, i), text);
  send_to (self, notice->agent_id, text);
  if (notice->conversation_id > 0)
    holder = parley_router_holder (self->router, notice->conversation_id);
  if (holder != notice->agent_id)
    send_to (self, holder, text);
}

/* A push that is not stored (typing), sent at once to whoever sees the
 * conversation. */
void
_parley_hub_push_now (ParleyHub  *self,
                      gint64      conversation_id,
                      JsonObject *message)
{
  ParleyHubNotice notice = { 0, conversation_id, message };

  send_notice (self, &notice);
}

/* Sends the notices of the transaction just committed, in order. */
void
_parley_hub_send_notices (ParleyHub *self)
{
  g_autoptr(GPtrArray) notices = g_steal_pointer (&self->notices);

  self->notices = g_ptr_array_new_with_free_func (notice_free);
  for (guint i = 0; i < notices->len; i++)
    send_notice (self, g_ptr_array_index (notices, i));
  /* What moved a desktop may have moved the figures too. */
  if (notices->len > 0)
    _parley_hub_metrics_changed (self);
}

void
_parley_hub_push_to_supervisors (ParleyHub  *self,
                                 JsonObject *message)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), message);
  g_autofree char *text = parley_json_to_string (node);

  for (guint i = 0; i < self->supervisors->len; i++)
    send_to_agent (g_ptr_array_index (self->supervisors, i), text);
}

static gboolean wrap_up_done_cb (gpointer user_data);

/* Must run inside a transaction; the change is pushed when it commits. */
gboolean
_parley_hub_set_presence (ParleyHub       *self,
                          ParleyHubAgent  *agent,
                          const char      *presence,
                          const char      *reason,
                          gint64           now,
                          GError         **error)
{
  g_autoptr(JsonObject) json = NULL;
  gboolean was_available = g_strcmp0 (agent->presence, "available") == 0;

  if (!parley_store_set_presence (self->store, agent->id, presence, reason, now, error) ||
      (g_str_equal (presence, "offline") && !_parley_hub_withdraw_offers (self, agent->id, now, error)))
    return FALSE;

  g_clear_handle_id (&agent->wrap_up_source, g_source_remove);
  if (g_str_equal (presence, "wrap-up"))
    {
      /* Back to whatever the agent was once the wrap-up time is over. */
      g_free (agent->presence_before_wrap_up);
      agent->presence_before_wrap_up = g_strdup (agent->presence);
      agent->wrap_up_source = g_timeout_add_seconds (self->config->wrap_up, wrap_up_done_cb, agent);
    }
  g_free (agent->presence);
  agent->presence = g_strdup (presence);
  g_free (agent->reason);
  agent->reason = g_strdup (reason);
  agent->since = now;

  parley_router_set_available (self->router, agent->id, g_str_equal (presence, "available"), now);
  if (!was_available && g_str_equal (presence, "available"))
    self->dispatch_needed = TRUE;

  json = _parley_hub_agent_json (self, agent);
  _parley_hub_notice (self, agent->id, 0, "presence", "agent", json);
  return TRUE;
}

/* A presence change on its own, outside any other transaction. */
static void
change_presence (ParleyHub      *self,
                 ParleyHubAgent *agent,
                 const char     *presence,
                 const char     *reason)
{
  g_autoptr(GError) error = NULL;

  if (!_parley_hub_begin (self, &error) ||
      !_parley_hub_set_presence (self, agent, presence, reason, g_get_real_time (), &error))
    _parley_hub_fail_transaction (self, NULL);
  else if (_parley_hub_commit (self, NULL, &error))
    {
      _parley_hub_schedule_flush (self);
      return;
    }
  g_warning ("Could not record presence %s of agent %" G_GINT64_FORMAT ": %s",
             presence, agent->id, error ? error->message : "transaction failed");
}

static gboolean
wrap_up_done_cb (gpointer user_data)
{
  ParleyHubAgent *agent = user_data;
  g_autofree char *previous = g_steal_pointer (&agent->presence_before_wrap_up);

  agent->wrap_up_source = 0;
  change_presence (agent->hub, agent, previous ? previous : "available", NULL);
  return G_SOURCE_REMOVE;
}

static void
socket_closed_cb (SoupWebsocketConnection *conn,
                  ParleyHub               *self)
{
  gint64 *agent_id = g_object_get_data (G_OBJECT (conn), AGENT_ID_KEY);
  ParleyHubAgent *agent = _parley_hub_lookup_agent (self, *agent_id);

  if (agent == NULL)
    return;
  g_ptr_array_remove (agent->sockets, conn);
  if (agent->sockets->len > 0)
    return;
  g_ptr_array_remove (self->supervisors, agent);
  if (!g_cancellable_is_cancelled (self->cancellable))
    change_presence (self, agent, "offline", NULL);
}

/* Desktops may ping to measure latency; nothing else is expected. */
static void
socket_message_cb (SoupWebsocketConnection *conn,
                   gint                     type,
                   GBytes                  *message,
                   ParleyHub               *self)
{
  gsize size;
  const char *data = g_bytes_get_data (message, &size);

  if (type == SOUP_WEBSOCKET_DATA_TEXT && size == 4 && memcmp (data, "ping", 4) == 0)
    soup_websocket_connection_send_text (conn, "pong");
}

static void
events_socket_cb (SoupServerMessage       *msg,
                  SoupWebsocketConnection *conn,
                  gpointer                 owner)
{
  ParleyHub *self = owner;
  gint64 *agent_id = g_object_get_data (G_OBJECT (msg), AGENT_ID_KEY);
  ParleyHubAgent *agent = agent_id ? _parley_hub_lookup_agent (self, *agent_id) : NULL;
  g_autoptr(JsonObject) hello = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  if (agent == NULL)
    {
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "unknown agent");
      return;
    }

  g_object_set_data_full (G_OBJECT (conn), AGENT_ID_KEY, g_memdup2 (agent_id, sizeof *agent_id), g_free);
  soup_websocket_connection_set_keepalive_interval (conn, 30);
  g_signal_connect_object (conn, "closed", G_CALLBACK (socket_closed_cb), self, 0);
  g_signal_connect_object (conn, "message", G_CALLBACK (socket_message_cb), self, 0);
  g_ptr_array_add (agent->sockets, g_object_ref (conn));
  /* Supervisors see everything; keep them at hand for every push. */
  if (agent->role >= PARLEY_ROLE_SUPERVISOR && agent->sockets->len == 1)
    g_ptr_array_add (self->supervisors, agent);

  /* Signing in makes the agent reachable, not yet available for offers.
   * Reasons the hub gives are codes each desktop words in its language. */
  if (g_str_equal (agent->presence, "offline"))
    change_presence (self, agent, "away", "signed-in");

  hello = json_object_new ();
  json_object_set_string_member (hello, "type", "hello");
  json_object_set_object_member (hello, "agent", _parley_hub_agent_json (self, agent));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, hello);
  text = parley_json_to_string (node);
  soup_websocket_connection_send_text (conn, text);
}

/* Checks the token, then answers the handshake. */
static void
events_http_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  ParleyHub *self = user_data;
  gint64 agent_id = _parley_hub_authenticate (self, _parley_hub_request_token (msg, query));

  if (agent_id <= 0)
    {
      g_autoptr(GError) error = g_error_new_literal (PARLEY_ERROR, PARLEY_ERROR_UNAUTHORIZED,
                                                     "A valid access_token is required");
      parley_http_reply_error (msg, error);
      return;
    }
  g_object_set_data_full (G_OBJECT (msg), AGENT_ID_KEY, g_memdup2 (&agent_id, sizeof agent_id), g_free);
  parley_websocket_upgrade (msg, MAX_MESSAGE_SIZE, events_socket_cb, self);
}

void
_parley_hub_setup_sessions (ParleyHub *self)
{
  self->notices = g_ptr_array_new_with_free_func (notice_free);
  self->supervisors = g_ptr_array_new ();
  soup_server_add_handler (self->server, "/api/v1/events", events_http_cb, self, NULL);
}

void
_parley_hub_close_sessions (ParleyHub *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self->agents == NULL)
    return;
  g_hash_table_iter_init (&iter, self->agents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ParleyHubAgent *agent = value;
      g_autoptr(GPtrArray) sockets = g_ptr_array_copy (agent->sockets, (GCopyFunc) g_object_ref, NULL);

      g_ptr_array_set_free_func (sockets, g_object_unref);
      for (guint i = 0; i < sockets->len; i++)
        soup_websocket_connection_close (g_ptr_array_index (sockets, i), SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    }
}
