/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Metrics benchmark, run on demand (meson test -C _build --setup bench --suite bench bench-metrics -v,
 * or run the binary with PARLEYD and PARLEYCTL set). A real parleyd with 500
 * agents on the events WebSocket, 50 queues and a supervisor's socket; a
 * day's work at 200 events a second for 60 s: customers write in through
 * the api channel, agents accept the offers, reply, transfer some to a
 * colleague and resolve them, and take short breaks (presence changes).
 * It prints:
 *   - the time from an event's HTTP answer (it is committed and on disk
 *     by then) to the first metrics push on the supervisor's socket whose
 *     figures include it, p50/p99/max: inbound messages count in
 *     "offered", first accepts in "answered", transfers in "transfers",
 *     resolves in "handled";
 *   - the CPU time the hub took to bring today's figures up to date and
 *     work out a snapshot, p50/p99 (the snapshot's cpu_us);
 *   - the hub's CPU spent on metrics (cpu_total_us, counted by the hub
 *     around all its metrics work) over the wall time, as % of one core,
 *     and the hub's total CPU.
 * Targets: pushed within 1 s at p99, metrics under 10 % of one core.
 * PARLEY_BENCH_SECONDS, PARLEY_BENCH_RATE (events/s), PARLEY_BENCH_AGENTS
 * and PARLEY_BENCH_QUEUES change the load; PARLEY_BENCH_QUICK=1 runs 15 s. */

#include "config.h"

#include "parley-test-hub.h"

#include <libsoup/soup.h>
#include <stdlib.h>
#include <sys/resource.h>

/* Events that move a figure of the total, and that figure. */
typedef enum {
  TRACK_INBOUND,
  TRACK_ACCEPT,
  TRACK_TRANSFER,
  TRACK_RESOLVE,
  N_TRACKS
} TrackKind;

static const char * const track_figures[N_TRACKS] = { "offered", "answered", "transfers", "handled" };
static const char * const track_names[N_TRACKS] = { "inbound", "accept", "transfer", "resolve" };

typedef struct
{
  GArray *answered_at;   /* gint64 µs (monotonic) of each HTTP answer, in order */
  guint   matched;       /* answers found in a push so far */
  gint64  reflected;     /* the figure in the latest push */
} Track;

typedef struct _Load Load;

typedef struct
{
  Load                    *load;
  gint64                   id;
  char                    *token;
  SoupWebsocketConnection *socket;
  gboolean                 on_break;
} Agent;

struct _Load
{
  ParleyTestHub *hub;
  SoupServer    *callback;      /* takes the api channel's replies */
  /* The load's requests share a few keep-alive connections: a main loop
   * watching hundreds of idle ones spends more than the requests. */
  SoupSession   *http;
  char          *supervisor_token;
  /* The WebSockets live on a thread of their own, with their own main
   * context and session: in the loop that drives the requests, 500
   * sockets would be visited on every pass. What they receive is handed
   * to the main thread. */
  GThread       *socket_thread;
  GMainContext  *socket_context;
  GMainLoop     *socket_loop;
  SoupWebsocketConnection *supervisor;
  GMutex         lock;
  GCond          connected;
  gboolean       sockets_ready;
  GPtrArray     *agents;        /* Agent */
  guint          queues;
  double         rate;          /* events/s */
  gboolean       running;       /* answers and pushes are counted */
  gboolean       draining;      /* nothing new starts */
  gint64         started;
  guint          breaks;
  guint          customers;
  GHashTable    *accepted;      /* conversation ids accepted once */
  Track          tracks[N_TRACKS];
  guint          sent[N_TRACKS + 2];   /* + replies, presence changes */
  guint          failed;
  GArray        *latencies;     /* µs */
  GArray        *round_trips;   /* µs from sending a request to its answer */
  GArray        *recompute;     /* µs of CPU per snapshot */
  guint          pushes;
  gsize          push_bytes;
  gint64         first_cpu_total, last_cpu_total, first_push_at, last_push_at;
};

#define SENT_REPLY    N_TRACKS
#define SENT_PRESENCE (N_TRACKS + 1)

static gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);

  return value ? (guint) atoi (value) : fallback;
}

/* ---- matching answers to pushes ------------------------------------------- */

/* Every answer the latest push includes, from @at on. */
static void
match (Load  *load,
       Track *track,
       gint64 at)
{
  while (track->matched < track->answered_at->len && track->matched < track->reflected)
    {
      gint64 latency = MAX (0, at - g_array_index (track->answered_at, gint64, track->matched));

      g_array_append_val (load->latencies, latency);
      track->matched++;
    }
}

static void
answered (Load      *load,
          TrackKind  kind)
{
  gint64 at = now_us ();

  load->sent[kind]++;
  if (!load->running)
    return;
  g_array_append_val (load->tracks[kind].answered_at, at);
  match (load, &load->tracks[kind], at);
}

/* What a metrics push said, taken off the socket thread. */
typedef struct
{
  Load   *load;
  gint64  received_at;
  gint64  figures[N_TRACKS];
  gint64  cpu_us;
  gint64  cpu_total_us;
  gint64  now;
  gsize   size;
} Pushed;

static gboolean
push_received (gpointer data)
{
  Pushed *push = data;
  Load *load = push->load;

  if (!load->running)
    return G_SOURCE_REMOVE;
  for (guint k = 0; k < N_TRACKS; k++)
    {
      load->tracks[k].reflected = push->figures[k];
      match (load, &load->tracks[k], push->received_at);
    }
  if (load->pushes == 0)
    {
      load->first_cpu_total = push->cpu_total_us;
      load->first_push_at = push->now;
    }
  load->last_cpu_total = push->cpu_total_us;
  load->last_push_at = push->now;
  g_array_append_val (load->recompute, push->cpu_us);
  load->push_bytes += push->size;
  load->pushes++;
  return G_SOURCE_REMOVE;
}

/* The message parsed if it starts with @prefix: most of what a socket
 * receives is not worth parsing here. */
static JsonObject *
parse_if (GBytes     *message,
          const char *prefix)
{
  gsize size;
  const char *text = g_bytes_get_data (message, &size);

  if (size <= strlen (prefix) || strncmp (text, prefix, strlen (prefix)) != 0)
    return NULL;
  return parley_test_parse (message);
}

/* On the socket thread. */
static void
supervisor_message_cb (SoupWebsocketConnection *socket,
                       gint                     type,
                       GBytes                  *message,
                       Load                    *load)
{
  /* The supervisor sees everything; only the figures matter here. */
  g_autoptr(JsonObject) object = parse_if (message, "{\"type\":\"metrics\"");
  JsonObject *metrics, *total;
  Pushed *push;

  if (object == NULL)
    return;
  metrics = json_object_get_object_member (object, "metrics");
  total = json_object_get_object_member (metrics, "total");
  push = g_new0 (Pushed, 1);
  push->load = load;
  push->received_at = now_us ();
  for (guint k = 0; k < N_TRACKS; k++)
    push->figures[k] = json_object_get_int_member (total, track_figures[k]);
  push->cpu_us = json_object_get_int_member (metrics, "cpu_us");
  push->cpu_total_us = json_object_get_int_member (metrics, "cpu_total_us");
  push->now = json_object_get_int_member (metrics, "now");
  push->size = g_bytes_get_size (message);
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, push_received, push, g_free);
}

/* ---- the agents' work ----------------------------------------------------- */

typedef struct
{
  Agent     *agent;
  TrackKind  kind;          /* or SENT_REPLY / SENT_PRESENCE */
  gint64     conversation;
  gint64     sent_at;
} Action;

static void act (Agent *agent, int kind, gint64 conversation, const char *method, const char *path, const char *body);

static Agent *
random_agent (Load *load)
{
  return g_ptr_array_index (load->agents, g_random_int_range (0, load->agents->len));
}

static gboolean resolve_later_cb (gpointer data);
static gboolean reply_later_cb (gpointer data);

static Action *
action_new (Agent *agent,
            int    kind,
            gint64 conversation)
{
  Action *action = g_new0 (Action, 1);

  action->agent = agent;
  action->kind = kind;
  action->conversation = conversation;
  action->sent_at = now_us ();
  return action;
}

/* What an agent does after each step: reply a moment after accepting;
 * after replying, hand one in five to a colleague; resolve a few seconds
 * later (the colleague, for a transfer). */
static void
next_step (Action *done)
{
  Load *load = done->agent->load;

  if (!load->running)
    return;
  if (done->kind == TRACK_ACCEPT)
    g_timeout_add (g_random_int_range (200, 1500), reply_later_cb, action_new (done->agent, SENT_REPLY, done->conversation));
  else if (done->kind == SENT_REPLY && g_random_int_range (0, 5) == 0)
    {
      Agent *colleague = random_agent (load);
      g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/transfer", done->conversation);
      g_autofree char *body = g_strdup_printf ("{\"agent\":%" G_GINT64_FORMAT "}", colleague->id);

      if (colleague != done->agent)
        {
          act (done->agent, TRACK_TRANSFER, done->conversation, "POST", path, body);
          return;
        }
      g_timeout_add (g_random_int_range (1000, 4000), resolve_later_cb, action_new (done->agent, TRACK_RESOLVE, done->conversation));
    }
  else if (done->kind == SENT_REPLY)
    g_timeout_add (g_random_int_range (1000, 4000), resolve_later_cb, action_new (done->agent, TRACK_RESOLVE, done->conversation));
}

static void
acted_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autofree Action *action = user_data;
  Load *load = action->agent->load;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  guint status = soup_message_get_status (msg);
  gint64 round_trip = now_us () - action->sent_at;

  if (load->running)
    g_array_append_val (load->round_trips, round_trip);
  if (reply == NULL || status >= 300)
    {
      load->failed++;
      return;
    }
  if (action->kind == SENT_REPLY || action->kind == SENT_PRESENCE)
    load->sent[action->kind]++;
  else if (action->kind != TRACK_ACCEPT || g_hash_table_add (load->accepted, g_memdup2 (&action->conversation, sizeof (gint64))))
    answered (load, action->kind);
  else
    load->sent[TRACK_ACCEPT]++;   /* accepted again after a transfer: no first answer */

  if (action->kind == TRACK_TRANSFER)
    {
      g_autoptr(JsonObject) conversation = parley_test_parse (reply);
      gint64 holder = json_object_get_int_member (conversation, "agent_id");

      for (guint i = 0; i < load->agents->len; i++)
        if (((Agent *) g_ptr_array_index (load->agents, i))->id == holder)
          g_timeout_add (g_random_int_range (1000, 4000), resolve_later_cb,
                         action_new (g_ptr_array_index (load->agents, i), TRACK_RESOLVE, action->conversation));
      return;
    }
  next_step (action);
}

static void
act (Agent      *agent,
     int         kind,
     gint64      conversation,
     const char *method,
     const char *path,
     const char *body)
{
  g_autoptr(SoupMessage) msg = NULL;

  if (agent->load->draining)
    return;
  msg = parley_test_hub_request (agent->load->hub, method, path, agent->token, body);
  soup_session_send_and_read_async (agent->load->http, msg, G_PRIORITY_DEFAULT, NULL, acted_cb,
                                    action_new (agent, kind, conversation));
}

static gboolean
reply_later_cb (gpointer data)
{
  g_autofree Action *action = data;
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/messages", action->conversation);

  if (action->agent->load->running)
    act (action->agent, SENT_REPLY, action->conversation, "POST", path,
         "{\"channel\":\"api\",\"text\":\"Thanks, I am looking into it.\"}");
  return G_SOURCE_REMOVE;
}

static gboolean
resolve_later_cb (gpointer data)
{
  g_autofree Action *action = data;
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/resolve", action->conversation);

  if (action->agent->load->running)
    act (action->agent, TRACK_RESOLVE, action->conversation, "POST", path, "{\"disposition\":\"bench\"}");
  return G_SOURCE_REMOVE;
}

typedef struct
{
  Agent  *agent;
  gint64  offer;
  gint64  conversation;
} Offered;

static gboolean
offered_cb (gpointer data)
{
  Offered *offer = data;
  g_autofree char *path = g_strdup_printf ("/api/v1/offers/%" G_GINT64_FORMAT "/accept", offer->offer);

  if (offer->agent->load->running)
    act (offer->agent, TRACK_ACCEPT, offer->conversation, "POST", path, NULL);
  return G_SOURCE_REMOVE;
}

/* On the socket thread: an offer is accepted from the main thread. */
static void
agent_message_cb (SoupWebsocketConnection *socket,
                  gint                     type,
                  GBytes                  *message,
                  Agent                   *agent)
{
  g_autoptr(JsonObject) object = parse_if (message, "{\"type\":\"offer\"");
  JsonObject *offer;
  Offered *offered;

  if (object == NULL)
    return;
  offer = json_object_get_object_member (object, "offer");
  if (g_strcmp0 (json_object_get_string_member (offer, "state"), "offered") != 0)
    return;
  offered = g_new (Offered, 1);
  offered->agent = agent;
  offered->offer = json_object_get_int_member (offer, "id");
  offered->conversation = json_object_get_int_member (offer, "conversation_id");
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, offered_cb, offered, g_free);
}

/* ---- load ------------------------------------------------------------------ */

static void
inbound_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Load *load = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  gint64 round_trip = now_us () - *(gint64 *) g_object_get_data (G_OBJECT (msg), "sent-at");

  if (load->running)
    g_array_append_val (load->round_trips, round_trip);
  if (reply != NULL && soup_message_get_status (msg) == SOUP_STATUS_ACCEPTED)
    answered (load, TRACK_INBOUND);
  else
    load->failed++;
}

static void
send_inbound (Load *load)
{
  guint n = load->customers++;
  g_autofree char *body = g_strdup_printf ("{\"from\":{\"kind\":\"email\",\"value\":\"customer-%u@example.com\","
                                           "\"name\":\"Customer %u\"},\"text\":\"Where is order %u?\","
                                           "\"queue\":\"Queue %u\"}", n, n, n, n % load->queues);
  g_autoptr(SoupMessage) msg = parley_test_hub_request (load->hub, "POST", "/api/v1/channels/api/inbound", NULL, body);
  gint64 sent_at = now_us ();

  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Parley-Key", PARLEY_TEST_API_KEY);
  g_object_set_data_full (G_OBJECT (msg), "sent-at", g_memdup2 (&sent_at, sizeof sent_at), g_free);
  soup_session_send_and_read_async (load->http, msg, G_PRIORITY_DEFAULT, NULL, inbound_cb, load);
}

static gboolean
back_from_break_cb (gpointer data)
{
  Agent *agent = data;

  agent->on_break = FALSE;
  act (agent, SENT_PRESENCE, 0, "PUT", "/api/v1/agents/me/presence", "{\"state\":\"available\"}");
  return G_SOURCE_REMOVE;
}

static void
take_break (Load *load)
{
  Agent *agent = random_agent (load);

  if (agent->on_break)
    return;
  agent->on_break = TRUE;
  act (agent, SENT_PRESENCE, 0, "PUT", "/api/v1/agents/me/presence", "{\"state\":\"busy\"}");
  g_timeout_add (g_random_int_range (1000, 3000), back_from_break_cb, agent);
}

/* Each conversation makes about 4.2 events (inbound, accept, reply, a
 * transfer in five, resolve); breaks make a twentieth of the rest, two
 * events each. */
static gboolean
pace_cb (gpointer user_data)
{
  Load *load = user_data;
  double elapsed = (now_us () - load->started) / 1e6;
  double conversations = load->rate * 0.95 / 4.2, breaks = load->rate * 0.05 / 2;

  if (load->draining)
    return G_SOURCE_REMOVE;
  while (load->customers < elapsed * conversations)
    send_inbound (load);
  for (; load->breaks < elapsed * breaks; load->breaks++)
    take_break (load);
  return G_SOURCE_CONTINUE;
}

/* ---- setup ----------------------------------------------------------------- */

static void
callback_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

static char *
start_callback (Load *load)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *base = NULL;

  load->callback = soup_server_new (NULL, NULL);
  soup_server_add_handler (load->callback, NULL, callback_cb, NULL, NULL);
  soup_server_listen_local (load->callback, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (load->callback);
  base = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  return g_strconcat (base, "replies", NULL);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SoupWebsocketConnection **socket = user_data;
  g_autoptr(GError) error = NULL;

  *socket = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static SoupWebsocketConnection *
open_socket (Load        *load,
             SoupSession *session,
             const char  *token)
{
  g_autofree char *uri = g_strdup_printf ("%s/api/v1/events?access_token=%s", load->hub->base, token);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  SoupWebsocketConnection *socket = NULL;

  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, connected_cb, &socket);
  while (socket == NULL)
    g_main_context_iteration (load->socket_context, TRUE);
  return socket;
}

/* The socket thread: every agent's socket and the supervisor's, then
 * whatever they receive until the end. */
static gpointer
socket_thread (gpointer data)
{
  Load *load = data;
  g_autoptr(SoupSession) session = NULL;

  g_main_context_push_thread_default (load->socket_context);
  session = soup_session_new_with_options ("max-conns", 2048, "max-conns-per-host", 2048, NULL);
  for (guint i = 0; i < load->agents->len; i++)
    {
      Agent *agent = g_ptr_array_index (load->agents, i);

      agent->socket = open_socket (load, session, agent->token);
      g_signal_connect (agent->socket, "message", G_CALLBACK (agent_message_cb), agent);
    }
  load->supervisor = open_socket (load, session, load->supervisor_token);
  /* As the desktop's client does: the figures of 500 agents are larger than libsoup's default frame. */
  soup_websocket_connection_set_max_incoming_payload_size (load->supervisor, 16 * 1024 * 1024);
  g_signal_connect (load->supervisor, "message", G_CALLBACK (supervisor_message_cb), load);

  g_mutex_lock (&load->lock);
  load->sockets_ready = TRUE;
  g_cond_signal (&load->connected);
  g_mutex_unlock (&load->lock);
  g_main_loop_run (load->socket_loop);

  for (guint i = 0; i < load->agents->len; i++)
    g_clear_object (&((Agent *) g_ptr_array_index (load->agents, i))->socket);
  g_clear_object (&load->supervisor);
  g_main_context_pop_thread_default (load->socket_context);
  return NULL;
}

static gboolean
close_sockets_cb (gpointer data)
{
  Load *load = data;

  for (guint i = 0; i < load->agents->len; i++)
    soup_websocket_connection_close (((Agent *) g_ptr_array_index (load->agents, i))->socket,
                                     SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  soup_websocket_connection_close (load->supervisor, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_main_loop_quit (load->socket_loop);
  return G_SOURCE_REMOVE;
}

static void
open_sockets (Load *load)
{
  load->socket_context = g_main_context_new ();
  load->socket_loop = g_main_loop_new (load->socket_context, FALSE);
  load->socket_thread = g_thread_new ("sockets", socket_thread, load);
  g_mutex_lock (&load->lock);
  while (!load->sockets_ready)
    g_cond_wait (&load->connected, &load->lock);
  g_mutex_unlock (&load->lock);
}

static void
close_sockets (Load *load)
{
  g_main_context_invoke (load->socket_context, close_sockets_cb, load);
  g_thread_join (load->socket_thread);
  g_main_loop_unref (load->socket_loop);
  g_main_context_unref (load->socket_context);
}

static void
set_up (Load  *load,
        guint  agents)
{
  g_autofree char *callback_url = start_callback (load);
  g_autofree char *admin = NULL;

  parley_test_hub_ctl (load->hub, "agent-add", "admin", "--role", "admin", "--password", "bench", NULL);
  parley_test_hub_ctl (load->hub, "agent-add", "sam", "--role", "supervisor", "--password", "bench", NULL);
  parley_test_hub_ctl (load->hub, "set", "api", "callback-url", callback_url, NULL);
  parley_test_hub_start (load->hub);
  admin = parley_test_hub_login (load->hub, "admin", "bench");

  for (guint q = 0; q < load->queues; q++)
    {
      g_autofree char *body = g_strdup_printf ("{\"name\":\"Queue %u\",\"service_level\":{\"api\":%u}}", q, 20 + q % 5 * 10);
      g_autoptr(JsonObject) queue = parley_test_hub_call_ok (load->hub, "POST", "/api/v1/queues", admin, body);
    }
  for (guint i = 0; i < agents; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"login\":\"agent%u\",\"password\":\"bench\",\"name\":\"Agent %u\","
                                               "\"capacity\":{\"api\":3}}", i, i);
      g_autofree char *login = g_strdup_printf ("agent%u", i);
      g_autoptr(JsonObject) created = parley_test_hub_call_ok (load->hub, "POST", "/api/v1/agents", admin, body);
      Agent *agent = g_new0 (Agent, 1);

      agent->load = load;
      agent->id = json_object_get_int_member (created, "id");
      agent->token = parley_test_hub_login (load->hub, login, "bench");
      g_ptr_array_add (load->agents, agent);
    }
  load->supervisor_token = parley_test_hub_login (load->hub, "sam", "bench");
  open_sockets (load);
  for (guint i = 0; i < agents; i++)
    {
      Agent *agent = g_ptr_array_index (load->agents, i);
      g_autoptr(JsonObject) me = parley_test_hub_call_ok (load->hub, "PUT", "/api/v1/agents/me/presence", agent->token,
                                             "{\"state\":\"available\"}");
    }
}

static void
agent_free (Agent *agent)
{
  g_free (agent->token);
  g_free (agent);
}

/* This process's own CPU time, in seconds: the load must not be what limits it. */
static double
own_cpu (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int
main (int   argc,
      char *argv[])
{
  Load load = { 0 };
  guint agents = env_uint ("PARLEY_BENCH_AGENTS", 500);
  guint seconds = env_uint ("PARLEY_BENCH_SECONDS", g_getenv ("PARLEY_BENCH_QUICK") ? 15 : 60);
  guint events = 0, unreflected = 0;
  double wall, hub_cpu, bench_cpu;
  gint64 stop_at;

  if (g_getenv ("PARLEYD") == NULL || g_getenv ("PARLEYCTL") == NULL)
    {
      g_printerr ("Set PARLEYD and PARLEYCTL (meson test --suite bench does)\n");
      return 77;
    }
  load.hub = parley_test_hub_new ("offer-timeout=60");
  load.queues = env_uint ("PARLEY_BENCH_QUEUES", 50);
  load.rate = env_uint ("PARLEY_BENCH_RATE", 200);
  load.agents = g_ptr_array_new_with_free_func ((GDestroyNotify) agent_free);
  load.http = soup_session_new_with_options ("max-conns", 32, "max-conns-per-host", 32, "timeout", 60, NULL);
  g_mutex_init (&load.lock);
  g_cond_init (&load.connected);
  load.accepted = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  load.latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  load.round_trips = g_array_new (FALSE, FALSE, sizeof (gint64));
  load.recompute = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint k = 0; k < N_TRACKS; k++)
    load.tracks[k].answered_at = g_array_new (FALSE, FALSE, sizeof (gint64));

  set_up (&load, agents);

  hub_cpu = parley_test_hub_cpu (load.hub);
  bench_cpu = own_cpu ();
  load.running = TRUE;
  load.started = now_us ();
  g_timeout_add (10, pace_cb, &load);
  stop_at = load.started + (gint64) seconds * G_USEC_PER_SEC;
  while (now_us () < stop_at)
    g_main_context_iteration (NULL, TRUE);
  wall = (now_us () - load.started) / 1e6;
  hub_cpu = parley_test_hub_cpu (load.hub) - hub_cpu;
  bench_cpu = own_cpu () - bench_cpu;
  /* Nothing new starts; what was answered by now gets its push. */
  load.draining = TRUE;
  stop_at = now_us () + 2 * G_USEC_PER_SEC;
  while (now_us () < stop_at)
    g_main_context_iteration (NULL, TRUE);
  load.running = FALSE;

  for (guint k = 0; k < N_TRACKS + 2; k++)
    events += load.sent[k];
  for (guint k = 0; k < N_TRACKS; k++)
    unreflected += load.tracks[k].answered_at->len - load.tracks[k].matched;
  g_print ("metrics: %u agents, %u queues, 1 supervisor, %u s: %u events answered (%.0f/s: ",
           agents, load.queues, seconds, events, events / (double) seconds);
  for (guint k = 0; k < N_TRACKS; k++)
    g_print ("%s %u, ", track_names[k], load.sent[k]);
  g_print ("reply %u, presence %u), %u refused; %u customers wrote\n", load.sent[SENT_REPLY], load.sent[SENT_PRESENCE], load.failed, load.customers);
  g_print ("metrics: requests answered (committed and on disk) after p50 %.0f ms, p99 %.0f ms\n",
           parley_test_percentile_ms (load.round_trips, 0.50), parley_test_percentile_ms (load.round_trips, 0.99));
  g_print ("metrics: event answered -> first push that includes it: p50 %.0f ms, p99 %.0f ms, max %.0f ms "
           "(%u events matched, %u never included)\n",
           parley_test_percentile_ms (load.latencies, 0.50), parley_test_percentile_ms (load.latencies, 0.99),
           parley_test_percentile_ms (load.latencies, 1.0), load.latencies->len, unreflected);
  g_print ("metrics: snapshot brought up to date and worked out (hub CPU): p50 %.2f ms, p99 %.2f ms over %u pushes "
           "of %.0f KiB on average\n",
           parley_test_percentile_ms (load.recompute, 0.50), parley_test_percentile_ms (load.recompute, 0.99), load.pushes,
           load.pushes ? load.push_bytes / 1024.0 / load.pushes : 0);
  g_print ("metrics: hub CPU on metrics %.2f %% of one core (%.3f s of %.1f s); parleyd CPU in all %.1f %% of one core, "
           "RSS %ld KiB; the benchmark's own CPU %.1f %% of one core\n",
           100.0 * (load.last_cpu_total - load.first_cpu_total) / MAX (1, load.last_push_at - load.first_push_at),
           (load.last_cpu_total - load.first_cpu_total) / 1e6, (load.last_push_at - load.first_push_at) / 1e6,
           100.0 * hub_cpu / wall, parley_test_hub_rss_kib (load.hub), 100.0 * bench_cpu / wall);

  close_sockets (&load);
  g_ptr_array_unref (load.agents);
  g_free (load.supervisor_token);
  parley_test_hub_free (load.hub);
  g_object_unref (load.callback);
  g_object_unref (load.http);
  g_mutex_clear (&load.lock);
  g_cond_clear (&load.connected);
  return 0;
}
