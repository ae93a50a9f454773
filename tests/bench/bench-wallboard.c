/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The supervisor's desktop under a busy contact center: 500 agents and 50
 * queues on 4 channels, 200 events a second. A real parleyd holds the
 * agents and queues (seeded into its store) and serves them to the real
 * supervisor views (ParleyWallboard, ParleyAgentsBoard with
 * ParleyLiveConversations) under Xvfb. The load is fed to the desktop
 * directly, through the same entry point as the hub's pushes: a metrics
 * snapshot every second (as JSON text, parsed as the events socket would),
 * 200 conversation pushes a second and a few presence changes. Prints
 * frame times from the GdkFrameClock (p50, p95, p99, max) while each view
 * is on screen, over PARLEY_BENCH_SECONDS (default 30) each. Target: p95
 * under 16 ms. */
#include "config.h"

#include <adwaita.h>

#include "bench-frames.h"
#include "parley-agents-board.h"
#include "parley-live-conversations.h"
#include "parley-sqlite-store.h"
#include "parley-supervision.h"
#include "parley-test-hub.h"
#include "parley-wallboard.h"

#define N_AGENTS 500
#define N_QUEUES 50
#define EVENTS_PER_SECOND 200
#define PRESENCE_PER_SECOND 5

static const char *channels[] = { "chat", "email", "voice", "api" };
static const char *states[] = { "available", "busy", "away", "wrap-up" };

/* The contact center's day so far, advanced by every event. */
typedef struct
{
  gint64 offered, answered, abandoned, short_abandoned, transfers, waiting, longest_wait_ms;
  gint64 promoters, passives, detractors, csat_answers, csat_high;
  gint64 answered_in_time, handled;
} Counters;

typedef struct
{
  ParleySupervision *supervision;
  Counters           queues[N_QUEUES][G_N_ELEMENTS (channels)];
  Counters           agents[N_AGENTS];
  gint64             agent_ids[N_AGENTS];
  gint64             next_conversation;
  guint              events;
} Load;

static void
seed (ParleyTestHub *hub,
      gint64        *agent_ids)
{
  g_autofree char *path = g_build_filename (hub->data_dir, "parley.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ParleySqliteStore) store = parley_sqlite_store_new (path, &error);
  g_autoptr(JsonObject) supervisor = NULL;
  const char *hash;

  g_assert_no_error (error);
  supervisor = parley_store_get_agent_by_login (PARLEY_STORE (store), "sam", &error);
  g_assert_nonnull (supervisor);
  hash = json_object_get_string_member (supervisor, "password_hash");
  g_assert_true (parley_store_begin (PARLEY_STORE (store), &error));
  for (guint i = 0; i < N_QUEUES; i++)
    {
      g_autofree char *name = g_strdup_printf ("Queue %02u", i + 1);
      g_autoptr(JsonObject) skills = json_object_new ();
      g_autoptr(JsonObject) service_level = json_object_new ();

      json_object_set_int_member (skills, i % 5 == 0 ? "billing" : i % 5 == 1 ? "tech" : "en", 2);
      json_object_set_int_member (service_level, "chat", 30);
      g_assert_cmpint (parley_store_create_queue (PARLEY_STORE (store), name, (int) (i % 5), skills, 60,
                                                  service_level, NULL, &error), >, 0);
    }
  for (guint i = 0; i < N_AGENTS; i++)
    {
      g_autofree char *login = g_strdup_printf ("agent%03u", i);
      g_autofree char *name = g_strdup_printf ("Agent %03u", i);
      g_autoptr(JsonObject) skills = json_object_new ();
      g_autoptr(JsonObject) capacity = json_object_new ();

      json_object_set_int_member (skills, "en", 3);
      json_object_set_int_member (skills, i % 2 ? "billing" : "tech", 3);
      json_object_set_int_member (capacity, "chat", 3);
      json_object_set_int_member (capacity, "email", 5);
      agent_ids[i] = parley_store_create_agent (PARLEY_STORE (store), login, name, "agent", hash, skills, capacity, &error);
      g_assert_cmpint (agent_ids[i], >, 0);
    }
  g_assert_true (parley_store_commit (PARLEY_STORE (store), &error));
}

/* ---- the load ------------------------------------------------------------ */

static void
add_ratings (JsonObject *object,
             Counters   *c)
{
  JsonObject *nps = json_object_new ();
  JsonObject *csat = json_object_new ();
  gint64 responses = c->promoters + c->passives + c->detractors;

  json_object_set_int_member (nps, "promoters", c->promoters);
  json_object_set_int_member (nps, "passives", c->passives);
  json_object_set_int_member (nps, "detractors", c->detractors);
  json_object_set_int_member (nps, "responses", responses);
  if (responses)
    json_object_set_int_member (nps, "score", 100 * (c->promoters - c->detractors) / responses);
  else
    json_object_set_null_member (nps, "score");
  json_object_set_int_member (csat, "responses", c->csat_answers);
  if (c->csat_answers)
    {
      json_object_set_int_member (csat, "share", 100 * c->csat_high / c->csat_answers);
      json_object_set_double_member (csat, "average", 3.0 + 2.0 * c->csat_high / c->csat_answers);
    }
  else
    {
      json_object_set_null_member (csat, "share");
      json_object_set_null_member (csat, "average");
    }
  json_object_set_object_member (object, "nps", nps);
  json_object_set_object_member (object, "csat", csat);
}

static JsonObject *
figures_json (Counters *c)
{
  JsonObject *object = json_object_new ();
  gint64 counted = c->answered + c->abandoned;

  json_object_set_int_member (object, "waiting", c->waiting);
  json_object_set_int_member (object, "longest_wait_ms", c->longest_wait_ms);
  json_object_set_int_member (object, "offered", c->offered);
  json_object_set_int_member (object, "answered", c->answered);
  json_object_set_int_member (object, "abandoned", c->abandoned);
  json_object_set_int_member (object, "short_abandoned", c->short_abandoned);
  if (counted)
    json_object_set_double_member (object, "service_level", 100.0 * c->answered_in_time / counted);
  else
    json_object_set_null_member (object, "service_level");
  json_object_set_int_member (object, "asa_ms", 8000 + g_random_int_range (0, 30000));
  json_object_set_int_member (object, "aht_ms", 240000 + g_random_int_range (0, 120000));
  json_object_set_int_member (object, "first_response_ms", 20000 + g_random_int_range (0, 40000));
  json_object_set_int_member (object, "transfers", c->transfers);
  add_ratings (object, c);
  return object;
}

/* One event of the day: an offer, an answer, an abandon, a transfer or a
 * survey, somewhere. */
static void
count_event (Load *load)
{
  Counters *q = &load->queues[g_random_int_range (0, N_QUEUES)][g_random_int_range (0, G_N_ELEMENTS (channels))];
  Counters *a = &load->agents[g_random_int_range (0, N_AGENTS)];

  switch (g_random_int_range (0, 10))
    {
    case 0: case 1: case 2:
      q->offered++;
      q->waiting++;
      q->longest_wait_ms = g_random_int_range (1000, 120000);
      break;
    case 3: case 4: case 5:
      q->answered++;
      q->answered_in_time += g_random_int_range (0, 10) < 8;
      q->waiting = MAX (0, q->waiting - 1);
      a->handled++;
      break;
    case 6:
      if (g_random_boolean ())
        q->abandoned++;
      else
        q->short_abandoned++;
      q->waiting = MAX (0, q->waiting - 1);
      break;
    case 7:
      q->transfers++;
      break;
    default:
      {
        int score = g_random_int_range (0, 11);

        q->promoters += score >= 9, q->passives += score == 7 || score == 8, q->detractors += score <= 6;
        a->promoters += score >= 9, a->passives += score == 7 || score == 8, a->detractors += score <= 6;
        q->csat_answers++, a->csat_answers++;
        q->csat_high += score >= 7, a->csat_high += score >= 7;
      }
    }
  load->events++;
}

/* A pushed message as the desktop receives it: JSON text, parsed, then
 * the client's detailed "message" signal, which the views follow. */
static void
push (Load       *load,
      const char *type,
      const char *member,
      JsonObject *object)
{
  g_autoptr(JsonObject) message = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  g_autofree char *detailed = NULL;

  json_object_set_string_member (message, "type", type);
  json_object_set_object_member (message, member, object);
  node = json_node_init_object (json_node_alloc (), message);
  text = json_to_string (node, FALSE);
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  detailed = g_strdup_printf ("message::%s", type);
  g_signal_emit_by_name (parley_supervision_get_client (load->supervision), detailed, type,
                         json_node_get_object (json_parser_get_root (parser)));
}

static void
push_snapshot (Load *load)
{
  JsonObject *snapshot = json_object_new ();
  JsonArray *queues = json_array_new ();
  JsonArray *agents = json_array_new ();
  JsonObject *formulas = json_object_new ();
  Counters total = { 0 };
  gint64 now = g_get_real_time ();

  for (guint q = 0; q < N_QUEUES; q++)
    for (guint c = 0; c < G_N_ELEMENTS (channels); c++)
      {
        Counters *counters = &load->queues[q][c];
        JsonObject *figures = figures_json (counters);

        json_object_set_int_member (figures, "queue", q + 1);
        json_object_set_string_member (figures, "channel", channels[c]);
        json_array_add_object_element (queues, figures);
        total.offered += counters->offered, total.answered += counters->answered;
        total.abandoned += counters->abandoned, total.short_abandoned += counters->short_abandoned;
        total.transfers += counters->transfers, total.waiting += counters->waiting;
        total.longest_wait_ms = MAX (total.longest_wait_ms, counters->longest_wait_ms);
        total.promoters += counters->promoters, total.passives += counters->passives;
        total.detractors += counters->detractors, total.csat_answers += counters->csat_answers;
        total.csat_high += counters->csat_high, total.answered_in_time += counters->answered_in_time;
      }
  for (guint i = 0; i < N_AGENTS; i++)
    {
      JsonObject *agent = json_object_new ();
      JsonObject *current = json_object_new ();

      json_object_set_int_member (agent, "agent", load->agent_ids[i]);
      json_object_set_string_member (agent, "state", states[i % G_N_ELEMENTS (states)]);
      json_object_set_int_member (agent, "since", now - (gint64) i * G_USEC_PER_SEC);
      json_object_set_int_member (current, "chat", g_random_int_range (0, 4));
      json_object_set_int_member (current, "email", g_random_int_range (0, 3));
      json_object_set_object_member (agent, "current", current);
      json_object_set_int_member (agent, "handled", load->agents[i].handled);
      json_object_set_int_member (agent, "aht_ms", 200000 + g_random_int_range (0, 200000));
      json_object_set_double_member (agent, "occupancy", g_random_double ());
      add_ratings (agent, &load->agents[i]);
      json_array_add_object_element (agents, agent);
    }
  json_object_set_string_member (formulas, "service_level", "answered within the threshold ÷ (answered + abandoned) × 100");
  json_object_set_int_member (snapshot, "now", now);
  json_object_set_array_member (snapshot, "queues", queues);
  json_object_set_array_member (snapshot, "agents", agents);
  json_object_set_object_member (snapshot, "total", figures_json (&total));
  json_object_set_object_member (snapshot, "formulas", formulas);
  push (load, "metrics", "metrics", snapshot);
}

/* A conversation's life as supervisors see it pushed: queued, assigned,
 * resolved. */
static void
push_conversation (Load *load)
{
  JsonObject *conversation = json_object_new ();
  gint64 id = load->next_conversation++;
  gint64 step = id % 3;
  gint64 real_id = id / 3 + 1;

  json_object_set_int_member (conversation, "id", real_id);
  json_object_set_int_member (conversation, "customer_id", real_id);
  json_object_set_int_member (conversation, "queue_id", real_id % N_QUEUES + 1);
  json_object_set_string_member (conversation, "channel", channels[real_id % G_N_ELEMENTS (channels)]);
  json_object_set_string_member (conversation, "state", step == 0 ? "queued" : step == 1 ? "assigned" : "resolved");
  json_object_set_int_member (conversation, "agent_id", step == 1 ? load->agent_ids[real_id % N_AGENTS] : 0);
  json_object_set_int_member (conversation, "created", g_get_real_time ());
  json_object_set_int_member (conversation, "updated", g_get_real_time ());
  json_object_set_string_member (conversation, "customer_name", "Benchmark Customer");
  push (load, "conversation", "conversation", conversation);
}

static void
push_presence (Load *load)
{
  guint i = g_random_int_range (0, N_AGENTS);
  JsonObject *agent = json_object_ref (parley_supervision_get_agent (load->supervision, load->agent_ids[i]));
  JsonObject *changed = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (agent);

  for (GList *l = members; l; l = l->next)
    json_object_set_member (changed, l->data, json_node_copy (json_object_get_member (agent, l->data)));
  json_object_set_string_member (changed, "presence", states[g_random_int_range (0, 3)]);
  json_object_set_int_member (changed, "presence_since", g_get_real_time ());
  json_object_unref (agent);
  push (load, "presence", "agent", changed);
}

/* Runs the load for @seconds: 200 events a second spread evenly, a
 * snapshot at each second's end, as the hub pushes them. */
static void
run_load (Load  *load,
          guint  seconds)
{
  gint64 start = g_get_monotonic_time ();
  guint sent = 0, snapshots = 0, presence = 0;

  while (g_get_monotonic_time () - start < (gint64) seconds * G_USEC_PER_SEC)
    {
      gint64 elapsed = g_get_monotonic_time () - start;

      while (sent < elapsed * EVENTS_PER_SECOND / G_USEC_PER_SEC)
        {
          count_event (load);
          push_conversation (load);
          sent++;
        }
      while (presence < elapsed * PRESENCE_PER_SECOND / G_USEC_PER_SEC)
        {
          push_presence (load);
          presence++;
        }
      if (snapshots < elapsed / G_USEC_PER_SEC)
        {
          push_snapshot (load);
          snapshots++;
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

static void
iterate_until (gboolean (*done) (Load *), Load *load)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (load) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (done (load));
}

static gboolean
loaded (Load *load)
{
  g_autoptr(GList) agents = parley_supervision_list_agents (load->supervision);
  g_autoptr(GList) queues = parley_supervision_list_queues (load->supervision);

  return g_list_length (agents) > N_AGENTS && g_list_length (queues) >= N_QUEUES &&
         parley_supervision_get_snapshot (load->supervision) != NULL;
}

static void
logged_in_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_assert_true (parley_client_login_finish (PARLEY_CLIENT (source), result, NULL));
  *(gboolean *) user_data = TRUE;
}

static void
show (AdwViewStack *stack,
      const char   *name,
      Load         *load,
      guint         seconds,
      const char   *what)
{
  adw_view_stack_set_visible_child_name (stack, name);
  run_load (load, 2);
  bench_frames_reset ();
  run_load (load, seconds);
  bench_frames_print (what);
}

int
main (int argc, char *argv[])
{
  const char *duration = g_getenv ("PARLEY_BENCH_SECONDS");
  guint seconds = duration ? (guint) atoi (duration) : 30;
  static Load load;
  ParleyTestHub *hub;
  g_autoptr(ParleyClient) client = NULL;
  GtkWidget *window, *wallboard, *board, *conversations, *paned;
  AdwViewStack *stack;
  gboolean logged_in = FALSE;
  gint64 started;

  gtk_init ();
  adw_init ();
  hub = parley_test_hub_new (NULL);
  parley_test_hub_ctl (hub, "agent-add", "sam", "--password", "secret", "--role", "supervisor", NULL);
  started = g_get_monotonic_time ();
  seed (hub, load.agent_ids);
  g_print ("seeded %d agents and %d queues in %.1f s\n", N_AGENTS, N_QUEUES, (g_get_monotonic_time () - started) / 1e6);
  parley_test_hub_start (hub);

  client = parley_client_new (hub->base);
  parley_client_login_async (client, "sam", "secret", NULL, logged_in_cb, &logged_in);
  while (!logged_in || parley_client_get_state (client) != PARLEY_CLIENT_STATE_ONLINE)
    g_main_context_iteration (NULL, TRUE);

  /* The supervisor's window as ParleyWindow lays it out: the views in a
   * stack, the agents board beside the live conversations. */
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  stack = ADW_VIEW_STACK (adw_view_stack_new ());
  wallboard = g_object_new (PARLEY_TYPE_WALLBOARD, NULL);
  board = g_object_new (PARLEY_TYPE_AGENTS_BOARD, NULL);
  conversations = g_object_new (PARLEY_TYPE_LIVE_CONVERSATIONS, NULL);
  paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_paned_set_start_child (GTK_PANED (paned), board);
  gtk_paned_set_end_child (GTK_PANED (paned), conversations);
  gtk_paned_set_position (GTK_PANED (paned), 860);
  adw_view_stack_add_named (stack, wallboard, "wallboard");
  adw_view_stack_add_named (stack, paned, "agents");
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (stack));
  gtk_window_present (GTK_WINDOW (window));

  load.supervision = parley_supervision_new (client);
  parley_wallboard_set_supervision (PARLEY_WALLBOARD (wallboard), load.supervision);
  parley_agents_board_set_supervision (PARLEY_AGENTS_BOARD (board), load.supervision);
  parley_live_conversations_set_supervision (PARLEY_LIVE_CONVERSATIONS (conversations), load.supervision);
  parley_supervision_refresh (load.supervision);
  iterate_until (loaded, &load);
  bench_frames_watch (window);

  g_print ("%d agents, %d queues × %d channels, %d events/s, a snapshot every second, %u s per view\n",
           N_AGENTS, N_QUEUES, (int) G_N_ELEMENTS (channels), EVENTS_PER_SECOND, seconds);
  show (stack, "wallboard", &load, seconds, "frames, wallboard on screen");
  show (stack, "agents", &load, seconds, "frames, agents board on screen");
  g_print ("events fed: %u\n", load.events);

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&load.supervision);
  parley_test_hub_free (hub);
  return 0;
}
