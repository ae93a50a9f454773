/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The second reference for bench-chat.mjs: ws-reference-relay.mjs's relay
 * again, on parleyd's own networking instead of node's: libsoup 3, the
 * hub's listener and the chat plugin's socket pool, with the same JSON
 * helpers. Nothing is stored and there is no routing beyond the relay's.
 * What parleyd takes beyond this relay is what its store and hub logic
 * cost; what this relay takes beyond the ws one is what the stack costs.
 *
 *   soup-reference-relay [--listen 127.0.0.1:0] [--site KEY] [--capacity N]
 *
 * Prints "soup-reference-relay listening on http://HOST:PORT/" once it
 * accepts, and speaks ws-reference-relay.mjs's protocol (see the comment
 * at its top); like parleyd, and unlike that relay, it sends every visitor
 * socket a {"type":"ping"} now and then (the socket pool does). */

#include "config.h"

#include <glib-unix.h>
#include <stdio.h>
#include <string.h>

#include "parley.h"
#include "parley-listener.h"
#include "parley-rate-limiter.h"
#include "parley-socket-pool.h"

#define RATE_BURST 10.0
#define RATE_PER_SECOND 2.0
#define MAX_FRAME_SIZE (16 * 1024)
#define MAX_BODY_SIZE (64 * 1024)
#define MAX_TEXT_LENGTH 4000
#define TOKEN_LIFETIME_US (G_GINT64_CONSTANT (12) * 3600 * G_USEC_PER_SEC)

typedef struct _Conversation Conversation;

typedef struct
{
  gint64     id;
  char      *login;
  char      *presence;
  gint64     load;
  GPtrArray *sockets;   /* SoupWebsocketConnection, owned */
} Agent;

typedef struct
{
  char         *id;
  gint64        customer_id;
  char         *name;
  GPtrArray    *sockets;   /* SoupWebsocketConnection, unowned */
  Conversation *conversation;
} Visitor;

struct _Conversation
{
  gint64      id;
  Visitor    *visitor;
  const char *state;
  gint64   agent_id;
  gint64   created;
};

typedef struct
{
  gint64      id;
  gint64      conversation_id;
  gint64      agent_id;
  const char *state;
  gint64      created;
} Offer;

typedef struct
{
  const char        *site;
  gint64             capacity;
  gint64             next_id;
  SoupServer        *server;
  ParleyListener    *listener;
  ParleySocketPool  *pool;
  ParleyRateLimiter *visitor_rate;    /* per visitor, as the chat plugin's */
  GHashTable        *agents;          /* id → Agent */
  GHashTable        *agents_by_login; /* login → Agent */
  GHashTable        *tokens;          /* token → Agent */
  GHashTable        *visitors;        /* id → Visitor */
  GHashTable        *conversations;   /* id → Conversation */
  GHashTable        *offers;          /* id → Offer */
  GQueue             queued;          /* Conversation, waiting for an agent */
} Relay;

/* The socket pool and the rate limiter are types of the chat plugin's module: here it belongs
 * to a module that is always loaded. */
G_DECLARE_FINAL_TYPE (StaticModule, static_module, STATIC, MODULE, GTypeModule)

struct _StaticModule
{
  GTypeModule parent_instance;
};

G_DEFINE_FINAL_TYPE (StaticModule, static_module, G_TYPE_TYPE_MODULE)

static gboolean
static_module_load (GTypeModule *module)
{
  return TRUE;
}

static void
static_module_unload (GTypeModule *module)
{
}

static void
static_module_class_init (StaticModuleClass *klass)
{
  G_TYPE_MODULE_CLASS (klass)->load = static_module_load;
  G_TYPE_MODULE_CLASS (klass)->unload = static_module_unload;
}

static void
static_module_init (StaticModule *module)
{
}

static void
set_text (char       **field,
          const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

/* ---- JSON -------------------------------------------------------------------- */

static JsonObject *
agent_json (Relay *relay,
            Agent *agent)
{
  JsonObject *object = json_object_new ();
  JsonObject *capacity = json_object_new ();
  JsonObject *load = json_object_new ();

  json_object_set_int_member (object, "id", agent->id);
  json_object_set_string_member (object, "login", agent->login);
  json_object_set_string_member (object, "name", agent->login);
  json_object_set_string_member (object, "role", "agent");
  json_object_set_string_member (object, "presence", agent->presence);
  json_object_set_int_member (capacity, "chat", relay->capacity);
  json_object_set_object_member (object, "capacity", capacity);
  json_object_set_int_member (load, "chat", agent->load);
  json_object_set_object_member (object, "load", load);
  return object;
}

static JsonObject *
conversation_json (Conversation *conversation)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "id", conversation->id);
  json_object_set_int_member (object, "customer_id", conversation->visitor->customer_id);
  json_object_set_string_member (object, "channel", "chat");
  json_object_set_string_member (object, "state", conversation->state);
  json_object_set_int_member (object, "agent_id", conversation->agent_id);
  json_object_set_int_member (object, "created", conversation->created);
  json_object_set_string_member (object, "customer_name", conversation->visitor->name);
  return object;
}

/* @object: (transfer full) */
static JsonObject *
typed (const char *type,
       const char *member,
       JsonObject *object)
{
  JsonObject *message = json_object_new ();

  json_object_set_string_member (message, "type", type);
  json_object_set_object_member (message, member, object);
  return message;
}

static void
push_to_agent (Agent      *agent,
               JsonObject *message)
{
  for (guint i = 0; agent && i < agent->sockets->len; i++)
    parley_websocket_send_object (g_ptr_array_index (agent->sockets, i), message);
}

static void
reply_error (SoupServerMessage *msg,
             gint               code,
             const char        *message)
{
  g_autoptr(GError) error = g_error_new_literal (PARLEY_ERROR, code, message);

  parley_http_reply_error (msg, error);
}

/* ---- routing ------------------------------------------------------------------ */

/* Offers queued conversations to the available agents with the most free
 * chat slots, as the ws relay does. */
static void
dispatch (Relay *relay)
{
  while (!g_queue_is_empty (&relay->queued))
    {
      Agent *best = NULL;
      Conversation *conversation;
      Offer *offer;
      JsonObject *body, *customer;
      g_autoptr(JsonObject) message = NULL;
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, relay->agents);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Agent *agent = value;

          if (g_str_equal (agent->presence, "available") && agent->sockets->len > 0 &&
              agent->load < relay->capacity && (best == NULL || agent->load < best->load))
            best = agent;
        }
      if (best == NULL)
        return;

      conversation = g_queue_pop_head (&relay->queued);
      offer = g_new0 (Offer, 1);
      offer->id = relay->next_id++;
      offer->conversation_id = conversation->id;
      offer->agent_id = best->id;
      offer->state = "open";
      offer->created = g_get_real_time ();
      g_hash_table_insert (relay->offers, &offer->id, offer);
      conversation->state = "offered";
      best->load++;

      body = json_object_new ();
      json_object_set_int_member (body, "id", offer->id);
      json_object_set_int_member (body, "conversation_id", offer->conversation_id);
      json_object_set_int_member (body, "agent_id", offer->agent_id);
      json_object_set_string_member (body, "state", offer->state);
      json_object_set_int_member (body, "created", offer->created);
      json_object_set_object_member (body, "conversation", conversation_json (conversation));
      customer = json_object_new ();
      json_object_set_int_member (customer, "id", conversation->visitor->customer_id);
      json_object_set_string_member (customer, "name", conversation->visitor->name);
      json_object_set_object_member (body, "customer", customer);
      message = typed ("offer", "offer", body);
      push_to_agent (best, message);
    }
}

/* ---- the visitor socket -------------------------------------------------------- */

static void
visitor_hello (Relay                   *relay,
               SoupWebsocketConnection *connection,
               JsonObject              *body)
{
  const char *token = parley_json_get_string (body, "token", FALSE, NULL);
  const char *name = parley_json_get_string (body, "name", FALSE, NULL);
  g_autoptr(JsonObject) welcome = json_object_new ();
  Visitor *visitor;

  if (g_object_get_data (G_OBJECT (connection), "relay-visitor") != NULL)
    {
      parley_websocket_send_error (connection, "invalid", "Hello was already said");
      return;
    }
  if (g_strcmp0 (parley_json_get_string (body, "site", FALSE, NULL), relay->site) != 0)
    {
      parley_websocket_send_error (connection, "unknown_site", "This site is not set up for chat");
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "unknown site");
      return;
    }
  visitor = token ? g_hash_table_lookup (relay->visitors, token) : NULL;
  if (visitor == NULL)
    {
      g_autofree char *uuid = g_uuid_string_random ();

      visitor = g_new0 (Visitor, 1);
      visitor->id = g_strconcat ("visitor-", uuid, NULL);
      visitor->customer_id = relay->next_id++;
      visitor->name = g_strdup (name && *name ? name : "Visitor");
      visitor->sockets = g_ptr_array_new ();
      g_hash_table_insert (relay->visitors, visitor->id, visitor);
    }
  g_ptr_array_add (visitor->sockets, connection);
  g_object_set_data (G_OBJECT (connection), "relay-visitor", visitor);
  json_object_set_string_member (welcome, "type", "welcome");
  json_object_set_string_member (welcome, "token", visitor->id);
  json_object_set_string_member (welcome, "visitor", visitor->id);
  json_object_set_boolean_member (welcome, "available", TRUE);
  parley_websocket_send_object (connection, welcome);
}

static void
visitor_message (Relay                   *relay,
                 SoupWebsocketConnection *connection,
                 JsonObject              *body)
{
  Visitor *visitor = g_object_get_data (G_OBJECT (connection), "relay-visitor");
  const char *client_id = parley_json_get_string (body, "id", FALSE, NULL);
  const char *text = parley_json_get_string (body, "text", FALSE, NULL);
  g_autoptr(JsonObject) ack = json_object_new ();
  g_autofree char *external_id = NULL;
  JsonObject *event;
  Conversation *conversation;
  gboolean fresh;

  if (visitor == NULL)
    {
      parley_websocket_send_error (connection, "invalid", "Say hello first");
      return;
    }
  if (client_id == NULL || text == NULL || strlen (client_id) > 64 || *text == '\0' ||
      g_utf8_strlen (text, -1) > MAX_TEXT_LENGTH)
    {
      parley_websocket_send_error (connection, "invalid", "A message has 1 to 4000 characters and an id of at most 64");
      return;
    }
  if (!parley_rate_limiter_take (relay->visitor_rate, visitor->id))
    {
      parley_websocket_send_error (connection, "rate_limited", "You are sending messages too fast; please wait a moment");
      return;
    }

  fresh = (conversation = visitor->conversation) == NULL;
  if (fresh)
    {
      conversation = g_new0 (Conversation, 1);
      conversation->id = relay->next_id++;
      conversation->visitor = visitor;
      conversation->state = "queued";
      conversation->created = g_get_real_time ();
      g_hash_table_insert (relay->conversations, &conversation->id, conversation);
      visitor->conversation = conversation;
    }

  external_id = g_strdup_printf ("%s:%s", visitor->id, client_id);
  event = json_object_new ();
  json_object_set_int_member (event, "id", relay->next_id++);
  json_object_set_int_member (event, "conversation_id", conversation->id);
  json_object_set_int_member (event, "customer_id", visitor->customer_id);
  json_object_set_string_member (event, "channel", "chat");
  json_object_set_string_member (event, "kind", "message");
  json_object_set_string_member (event, "direction", "in");
  json_object_set_string_member (event, "author_name", visitor->name);
  json_object_set_string_member (event, "text", text);
  json_object_set_string_member (event, "external_id", external_id);
  json_object_set_int_member (event, "created", g_get_real_time ());

  json_object_set_string_member (ack, "type", "ack");
  json_object_set_string_member (ack, "id", client_id);
  json_object_set_int_member (ack, "event", json_object_get_int_member (event, "id"));
  json_object_set_boolean_member (ack, "duplicate", FALSE);
  parley_websocket_send_object (connection, ack);

  {
    g_autoptr(JsonObject) push = typed ("event", "event", event);

    if (g_str_equal (conversation->state, "assigned"))
      push_to_agent (g_hash_table_lookup (relay->agents, &conversation->agent_id), push);
  }
  if (fresh)
    {
      g_queue_push_tail (&relay->queued, conversation);
      dispatch (relay);
    }
}

/* Runs while the socket's shard of the pool is the thread-default
 * context: what it sends to agents belongs to the main context, as in the
 * chat plugin. */
static void
visitor_frame_cb (SoupWebsocketConnection *connection,
                  int                      type,
                  GBytes                  *message,
                  Relay                   *relay)
{
  g_autoptr(JsonObject) body = NULL;
  gsize size;
  const char *data = g_bytes_get_data (message, &size);
  const char *kind;

  g_main_context_push_thread_default (NULL);
  if (type != SOUP_WEBSOCKET_DATA_TEXT ||
      (body = parley_json_parse_object (data, size, "A message", NULL)) == NULL)
    parley_websocket_send_error (connection, "invalid", "Messages are JSON objects");
  else if (g_strcmp0 (kind = parley_json_get_string (body, "type", FALSE, NULL), "hello") == 0)
    visitor_hello (relay, connection, body);
  else if (g_strcmp0 (kind, "message") == 0)
    visitor_message (relay, connection, body);
  else if (g_strcmp0 (kind, "ping") != 0 && g_strcmp0 (kind, "typing") != 0)
    parley_websocket_send_error (connection, "invalid", "Unknown message type");
  g_main_context_pop_thread_default (NULL);
}

static void
visitor_closed_cb (SoupWebsocketConnection *connection,
                   Relay                   *relay)
{
  Visitor *visitor = g_object_get_data (G_OBJECT (connection), "relay-visitor");

  if (visitor)
    g_ptr_array_remove_fast (visitor->sockets, connection);
  g_object_unref (connection);  /* taken in visitor_socket_cb () */
}

static void
visitor_socket_cb (SoupServer              *server,
                   SoupServerMessage       *msg,
                   const char              *path,
                   SoupWebsocketConnection *connection,
                   gpointer                 user_data)
{
  g_signal_connect (connection, "message", G_CALLBACK (visitor_frame_cb), user_data);
  g_signal_connect (connection, "closed", G_CALLBACK (visitor_closed_cb), user_data);
  g_object_ref (connection);  /* the pool holds none: open until it closes */
}

static void
visitor_upgrade_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  Relay *relay = user_data;

  parley_socket_pool_upgrade (relay->pool, server, msg, MAX_FRAME_SIZE, visitor_socket_cb, relay);
}

/* ---- the agents' events socket --------------------------------------------------- */

static Agent *
agent_for_token (Relay      *relay,
                 const char *token)
{
  return token ? g_hash_table_lookup (relay->tokens, token) : NULL;
}

static void
events_http_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Agent *agent = agent_for_token (user_data, query ? g_hash_table_lookup (query, "access_token") : NULL);

  /* A status set here refuses the upgrade. */
  if (agent == NULL)
    reply_error (msg, PARLEY_ERROR_UNAUTHORIZED, "A valid access_token is required");
  g_object_set_data (G_OBJECT (msg), "relay-agent", agent);
}

static void
agent_socket_message_cb (SoupWebsocketConnection *connection,
                         int                      type,
                         GBytes                  *message,
                         gpointer                 user_data)
{
  gsize size;
  const char *data = g_bytes_get_data (message, &size);

  if (size == 4 && memcmp (data, "ping", 4) == 0)
    soup_websocket_connection_send_text (connection, "pong");
}

static void
agent_socket_closed_cb (SoupWebsocketConnection *connection,
                        Agent                   *agent)
{
  g_ptr_array_remove_fast (agent->sockets, connection);
  if (agent->sockets->len == 0)
    set_text (&agent->presence, "offline");
}

static void
events_socket_cb (SoupServer              *server,
                  SoupServerMessage       *msg,
                  const char              *path,
                  SoupWebsocketConnection *connection,
                  gpointer                 user_data)
{
  Relay *relay = user_data;
  Agent *agent = g_object_get_data (G_OBJECT (msg), "relay-agent");
  g_autoptr(JsonObject) hello = NULL;

  if (agent == NULL)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "unknown agent");
      return;
    }
  g_ptr_array_add (agent->sockets, g_object_ref (connection));
  if (g_str_equal (agent->presence, "offline"))
    set_text (&agent->presence, "away");
  g_signal_connect (connection, "message", G_CALLBACK (agent_socket_message_cb), NULL);
  g_signal_connect (connection, "closed", G_CALLBACK (agent_socket_closed_cb), agent);
  hello = typed ("hello", "agent", agent_json (relay, agent));
  parley_websocket_send_object (connection, hello);
  dispatch (relay);
}

/* ---- HTTP ---------------------------------------------------------------------- */

static void
login (Relay             *relay,
       SoupServerMessage *msg,
       JsonObject        *body)
{
  const char *name = body ? parley_json_get_string (body, "login", FALSE, NULL) : NULL;
  g_autoptr(JsonObject) reply = json_object_new ();
  Agent *agent;
  char *token;

  if (name == NULL)
    {
      reply_error (msg, PARLEY_ERROR_INVALID, "login and password are required");
      return;
    }
  if ((agent = g_hash_table_lookup (relay->agents_by_login, name)) == NULL)
    {
      agent = g_new0 (Agent, 1);
      agent->id = relay->next_id++;
      agent->login = g_strdup (name);
      agent->presence = g_strdup ("offline");
      agent->sockets = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (relay->agents, &agent->id, agent);
      g_hash_table_insert (relay->agents_by_login, agent->login, agent);
    }
  token = g_uuid_string_random ();
  g_hash_table_insert (relay->tokens, token, agent);
  json_object_set_string_member (reply, "token", token);
  json_object_set_int_member (reply, "expires", g_get_real_time () + TOKEN_LIFETIME_US);
  json_object_set_object_member (reply, "agent", agent_json (relay, agent));
  parley_http_reply_object (msg, SOUP_STATUS_OK, reply);
}

static void
accept_offer (Relay             *relay,
              SoupServerMessage *msg,
              Agent             *agent,
              gint64             offer_id)
{
  Offer *offer = g_hash_table_lookup (relay->offers, &offer_id);
  Conversation *conversation;
  g_autoptr(JsonObject) push = NULL;
  g_autoptr(JsonObject) reply = NULL;

  if (offer == NULL || offer->agent_id != agent->id || !g_str_equal (offer->state, "open"))
    {
      reply_error (msg, PARLEY_ERROR_CONFLICT, "This offer is no longer open");
      return;
    }
  offer->state = "accepted";
  conversation = g_hash_table_lookup (relay->conversations, &offer->conversation_id);
  conversation->state = "assigned";
  conversation->agent_id = agent->id;
  push = typed ("conversation", "conversation", conversation_json (conversation));
  push_to_agent (agent, push);
  reply = conversation_json (conversation);
  parley_http_reply_object (msg, SOUP_STATUS_OK, reply);
}

static void
send_message (Relay             *relay,
              SoupServerMessage *msg,
              Agent             *agent,
              gint64             conversation_id,
              JsonObject        *body)
{
  Conversation *conversation = g_hash_table_lookup (relay->conversations, &conversation_id);
  const char *text = body ? parley_json_get_string (body, "text", FALSE, NULL) : NULL;
  g_autoptr(JsonObject) to_visitor = json_object_new ();
  g_autoptr(JsonObject) push = NULL;
  g_autoptr(JsonObject) reply = json_object_new ();
  JsonObject *event;
  gint64 event_id;

  if (conversation == NULL)
    {
      reply_error (msg, PARLEY_ERROR_NOT_FOUND, "No such conversation");
      return;
    }
  if (conversation->agent_id != agent->id)
    {
      reply_error (msg, PARLEY_ERROR_FORBIDDEN, "You do not hold this conversation");
      return;
    }
  if (text == NULL || *text == '\0')
    {
      reply_error (msg, PARLEY_ERROR_INVALID, "text is required");
      return;
    }

  event_id = relay->next_id++;
  json_object_set_string_member (to_visitor, "type", "message");
  json_object_set_int_member (to_visitor, "event", event_id);
  json_object_set_string_member (to_visitor, "text", text);
  json_object_set_string_member (to_visitor, "author", agent->login);
  for (guint i = 0; i < conversation->visitor->sockets->len; i++)
    parley_websocket_send_object (g_ptr_array_index (conversation->visitor->sockets, i), to_visitor);

  event = json_object_new ();
  json_object_set_int_member (event, "id", event_id);
  json_object_set_int_member (event, "conversation_id", conversation->id);
  json_object_set_int_member (event, "customer_id", conversation->visitor->customer_id);
  json_object_set_string_member (event, "channel", "chat");
  json_object_set_string_member (event, "kind", "message");
  json_object_set_string_member (event, "direction", "out");
  json_object_set_int_member (event, "agent_id", agent->id);
  json_object_set_string_member (event, "author_name", agent->login);
  json_object_set_string_member (event, "text", text);
  json_object_set_string_member (event, "delivery", "delivered");
  json_object_set_int_member (event, "created", g_get_real_time ());
  push = typed ("event", "event", json_object_ref (event));
  push_to_agent (agent, push);
  json_object_set_object_member (reply, "event", event);
  parley_http_reply_object (msg, SOUP_STATUS_CREATED, reply);
}

/* The number in "/api/v1/PREFIX/NUMBER/SUFFIX", or 0. */
static gint64
path_id (const char *path,
         const char *prefix,
         const char *suffix)
{
  const char *rest = g_str_has_prefix (path, prefix) ? path + strlen (prefix) : NULL;
  char *end = NULL;
  gint64 id = rest ? g_ascii_strtoll (rest, &end, 10) : 0;

  return id > 0 && end != rest && g_str_equal (end, suffix) ? id : 0;
}

static void
api_cb (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  Relay *relay = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  Agent *agent;
  gint64 id;

  if (g_str_equal (method, "GET") && g_str_equal (path, "/api/v1/health"))
    {
      g_autoptr(JsonObject) ok = json_object_new ();

      json_object_set_string_member (ok, "status", "ok");
      parley_http_reply_object (msg, SOUP_STATUS_OK, ok);
      return;
    }
  if (soup_server_message_get_request_body (msg)->length > 0 &&
      (body = parley_http_read_object (msg, MAX_BODY_SIZE, &error)) == NULL)
    {
      parley_http_reply_error (msg, error);
      return;
    }
  if (g_str_equal (method, "POST") && g_str_equal (path, "/api/v1/auth/login"))
    {
      login (relay, msg, body);
      return;
    }
  if ((agent = agent_for_token (relay, parley_http_bearer_token (msg))) == NULL)
    reply_error (msg, PARLEY_ERROR_UNAUTHORIZED, "A valid token is required");
  else if (g_str_equal (method, "PUT") && g_str_equal (path, "/api/v1/agents/me/presence"))
    {
      g_autoptr(JsonObject) reply = NULL;
      const char *state = body ? parley_json_get_string (body, "state", FALSE, NULL) : NULL;

      if (state)
        set_text (&agent->presence, state);
      dispatch (relay);
      reply = agent_json (relay, agent);
      parley_http_reply_object (msg, SOUP_STATUS_OK, reply);
    }
  else if (g_str_equal (method, "POST") && (id = path_id (path, "/api/v1/offers/", "/accept")) > 0)
    accept_offer (relay, msg, agent, id);
  else if (g_str_equal (method, "POST") && (id = path_id (path, "/api/v1/conversations/", "/messages")) > 0)
    send_message (relay, msg, agent, id, body);
  else
    reply_error (msg, PARLEY_ERROR_NOT_FOUND, "No such endpoint");
}

/* ---- main ---------------------------------------------------------------------- */

static void
agent_free (Agent *agent)
{
  g_ptr_array_unref (agent->sockets);
  g_free (agent->login);
  g_free (agent->presence);
  g_free (agent);
}

static void
visitor_free (Visitor *visitor)
{
  g_ptr_array_unref (visitor->sockets);
  g_free (visitor->id);
  g_free (visitor->name);
  g_free (visitor);
}

static gboolean
quit_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *listen = NULL;
  g_autofree char *site = NULL;
  g_autofree char *uri_text = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— the bench-chat relay on libsoup");
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  GTypeModule *module = g_object_new (static_module_get_type (), NULL);  /* in use until the end */
  gint capacity = 25;
  GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, "Address to listen on", "HOST:PORT" },
    { "site", 0, 0, G_OPTION_ARG_STRING, &site, "The site key visitors say hello with", "KEY" },
    { "capacity", 0, 0, G_OPTION_ARG_INT, &capacity, "Chats each agent takes", "N" },
    { NULL }
  };
  Relay relay = { .next_id = 1 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("soup-reference-relay: %s\n", error->message);
      return 2;
    }
  relay.site = site ? site : "bench-site";
  relay.capacity = capacity;
  relay.agents = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) agent_free);
  relay.agents_by_login = g_hash_table_new (g_str_hash, g_str_equal);
  relay.tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  relay.visitors = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) visitor_free);
  relay.conversations = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  relay.offers = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);

  g_type_module_use (module);
  parley_socket_pool_register (module);
  parley_rate_limiter_register (module);
  relay.visitor_rate = parley_rate_limiter_new (RATE_BURST, RATE_PER_SECOND);
  if ((relay.pool = parley_socket_pool_new ("{\"type\":\"ping\"}", &error)) == NULL)
    {
      g_printerr ("soup-reference-relay: %s\n", error->message);
      return 1;
    }
  relay.server = soup_server_new ("server-header", "soup-reference-relay", NULL);
  soup_server_add_handler (relay.server, "/api", api_cb, &relay, NULL);
  soup_server_add_handler (relay.server, "/api/v1/channels/chat/visitor", visitor_upgrade_cb, &relay, NULL);
  soup_server_add_handler (relay.server, "/api/v1/events", events_http_cb, &relay, NULL);
  soup_server_add_websocket_handler (relay.server, "/api/v1/events", NULL, NULL, events_socket_cb, &relay, NULL);
  if ((relay.listener = parley_listener_new (relay.server, listen ? listen : "127.0.0.1:0", &error)) == NULL)
    {
      g_printerr ("soup-reference-relay: %s\n", error->message);
      return 1;
    }
  uri_text = g_uri_to_string (parley_listener_get_uri (relay.listener));
  g_print ("soup-reference-relay listening on %s\n", uri_text);
  fflush (stdout);

  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  parley_listener_close (relay.listener);
  g_clear_object (&relay.listener);
  g_clear_object (&relay.pool);
  g_clear_object (&relay.visitor_rate);
  g_clear_pointer (&relay.tokens, g_hash_table_unref);
  g_clear_pointer (&relay.agents_by_login, g_hash_table_unref);
  g_clear_pointer (&relay.agents, g_hash_table_unref);
  g_clear_pointer (&relay.offers, g_hash_table_unref);
  g_clear_pointer (&relay.conversations, g_hash_table_unref);
  g_clear_pointer (&relay.visitors, g_hash_table_unref);
  g_clear_object (&relay.server);
  return 0;
}
