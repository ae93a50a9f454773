/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley-metrics.h"

/* Every figure on hand-built days with known answers: abandons long and
 * short, a transfer, wrap-up, three chats at once, interval edges, ratings. */

/* A duration, and a moment of the day (the epoch is never a moment here). */
#define S(seconds) ((gint64) (seconds) * G_USEC_PER_SEC)
#define T(seconds) (S (seconds) + S (1700000000))

static void
add (ParleyMetrics    *metrics,
     ParleyMetricKind  kind,
     int               seconds,
     gint64            conversation,
     gint64            agent)
{
  ParleyMetricEvent event = { kind, T (seconds), conversation, 1, "chat", agent, -1, -1, NULL };

  parley_metrics_add (metrics, &event);
}

static void
rate (ParleyMetrics *metrics,
      int            seconds,
      gint64         conversation,
      int            nps,
      int            csat)
{
  ParleyMetricEvent event = { PARLEY_METRIC_SURVEY, T (seconds), conversation, 1, "chat", 0, nps, csat, NULL };

  parley_metrics_add (metrics, &event);
}

static void
presence (ParleyMetrics *metrics,
          int            seconds,
          gint64         agent,
          const char    *state)
{
  ParleyMetricEvent event = { PARLEY_METRIC_AGENT_STATE, T (seconds), 0, 0, NULL, agent, -1, -1, state };

  parley_metrics_add (metrics, &event);
}

/* The day every test starts from (times in seconds, short abandons under 5 s):
 *   1: queued 0, answered 10 by agent 1 (first reply 15), resolved 70, wrap-up done 80
 *   2: queued 5, answered 35 by agent 2 (first reply 40), transferred to agent 3 at 50, resolved 95
 *   3: queued 10, left at 13 (a short abandon)
 *   4: queued 20, left at 50 (an abandon)
 *   5: queued 100, still waiting */
static ParleyMetrics *
a_day (void)
{
  ParleyMetrics *metrics = parley_metrics_new (S (5));

  add (metrics, PARLEY_METRIC_QUEUED, 0, 1, 0);
  add (metrics, PARLEY_METRIC_QUEUED, 5, 2, 0);
  add (metrics, PARLEY_METRIC_ANSWERED, 10, 1, 1);
  add (metrics, PARLEY_METRIC_QUEUED, 10, 3, 0);
  add (metrics, PARLEY_METRIC_ABANDONED, 13, 3, 0);
  add (metrics, PARLEY_METRIC_FIRST_RESPONSE, 15, 1, 1);
  add (metrics, PARLEY_METRIC_QUEUED, 20, 4, 0);
  add (metrics, PARLEY_METRIC_ANSWERED, 35, 2, 2);
  add (metrics, PARLEY_METRIC_FIRST_RESPONSE, 40, 2, 2);
  add (metrics, PARLEY_METRIC_TRANSFERRED, 50, 2, 3);
  add (metrics, PARLEY_METRIC_ABANDONED, 50, 4, 0);
  add (metrics, PARLEY_METRIC_RESOLVED, 70, 1, 1);
  add (metrics, PARLEY_METRIC_WRAP_UP_DONE, 80, 1, 1);
  add (metrics, PARLEY_METRIC_RESOLVED, 95, 2, 3);
  add (metrics, PARLEY_METRIC_QUEUED, 100, 5, 0);
  return metrics;
}

static JsonObject *
queue_of (JsonObject *snapshot)
{
  JsonArray *queues = json_object_get_array_member (snapshot, "queues");

  g_assert_cmpuint (json_array_get_length (queues), ==, 1);
  return json_array_get_object_element (queues, 0);
}

static JsonObject *
agent_of (JsonObject *snapshot,
          gint64      id)
{
  JsonArray *agents = json_object_get_array_member (snapshot, "agents");

  for (guint i = 0; i < json_array_get_length (agents); i++)
    if (json_object_get_int_member (json_array_get_object_element (agents, i), "agent") == id)
      return json_array_get_object_element (agents, i);
  g_assert_not_reached ();
}

static void
test_queue_figures (void)
{
  g_autoptr(ParleyMetrics) metrics = a_day ();
  g_autoptr(JsonObject) snapshot = parley_metrics_snapshot (metrics, T (0), T (120), T (130));
  JsonObject *queue = queue_of (snapshot);

  g_assert_cmpint (json_object_get_int_member (queue, "queue"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (queue, "channel"), ==, "chat");
  g_assert_cmpint (json_object_get_int_member (queue, "offered"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (queue, "answered"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (queue, "abandoned"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (queue, "short_abandoned"), ==, 1);
  /* 1 of 2 answered within the default 20 s, over 2 answered + 1 abandoned. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (queue, "service_level"), 100.0 / 3, 1e-9);
  g_assert_cmpint (json_object_get_int_member (queue, "asa_ms"), ==, 20000);          /* (10 + 30) / 2 */
  g_assert_cmpint (json_object_get_int_member (queue, "aht_ms"), ==, 65000);          /* (60 + 10 + 60) / 2 */
  g_assert_cmpint (json_object_get_int_member (queue, "first_response_ms"), ==, 25000); /* (15 + 35) / 2 */
  g_assert_cmpint (json_object_get_int_member (queue, "transfers"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (queue, "waiting"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (queue, "longest_wait_ms"), ==, 30000);
  g_assert_true (json_object_has_member (json_object_get_object_member (snapshot, "formulas"), "service_level"));
}

static void
test_interval_edges (void)
{
  g_autoptr(ParleyMetrics) metrics = a_day ();
  /* From 10 s up to, not including, 35 s; as seen at 30 s. */
  g_autoptr(JsonObject) snapshot = parley_metrics_snapshot (metrics, T (10), T (35), T (30));
  JsonObject *queue = queue_of (snapshot);

  g_assert_cmpint (json_object_get_int_member (queue, "offered"), ==, 2);          /* 3 and 4; 1 and 2 came before */
  g_assert_cmpint (json_object_get_int_member (queue, "answered"), ==, 1);         /* 1 at 10; 2 at 35 is outside */
  g_assert_cmpint (json_object_get_int_member (queue, "short_abandoned"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (queue, "abandoned"), ==, 0);
  g_assert_true (json_object_get_null_member (queue, "aht_ms"));
  /* At 30 s, 2 (since 5 s) and 4 (since 20 s) wait. */
  g_assert_cmpint (json_object_get_int_member (queue, "waiting"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (queue, "longest_wait_ms"), ==, 25000);
}

static void
test_thresholds (void)
{
  g_autoptr(ParleyMetrics) metrics = a_day ();
  g_autoptr(JsonObject) snapshot = NULL;
  JsonObject *queue;

  /* A 40 s target takes in the 30 s answer too. */
  parley_metrics_set_service_level (metrics, 1, "chat", S (40));
  snapshot = parley_metrics_snapshot (metrics, T (0), T (120), T (130));
  queue = queue_of (snapshot);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (queue, "service_level"), 200.0 / 3, 1e-9);

  /* With no short-abandon threshold, both abandons count against it. */
  {
    g_autoptr(ParleyMetrics) strict = parley_metrics_new (0);
    g_autoptr(JsonObject) strict_snapshot = NULL;

    add (strict, PARLEY_METRIC_QUEUED, 0, 1, 0);
    add (strict, PARLEY_METRIC_ABANDONED, 1, 1, 0);
    strict_snapshot = parley_metrics_snapshot (strict, T (0), T (10), T (10));
    g_assert_cmpint (json_object_get_int_member (queue_of (strict_snapshot), "abandoned"), ==, 1);
    g_assert_cmpfloat (json_object_get_double_member (queue_of (strict_snapshot), "service_level"), ==, 0.0);
  }
}

static void
test_agents (void)
{
  g_autoptr(ParleyMetrics) metrics = a_day ();
  g_autoptr(JsonObject) snapshot = NULL;
  JsonObject *one, *three;

  presence (metrics, 0, 1, "available");
  presence (metrics, 70, 1, "wrap-up");
  presence (metrics, 80, 1, "available");
  snapshot = parley_metrics_snapshot (metrics, T (0), T (120), T (120));
  one = agent_of (snapshot, 1);
  g_assert_cmpstr (json_object_get_string_member (one, "state"), ==, "available");
  g_assert_cmpint (json_object_get_int_member (one, "since"), ==, T (80));
  g_assert_cmpint (json_object_get_int_member (one, "handled"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (one, "aht_ms"), ==, 70000);
  /* Busy 10-70 with the chat and 70-80 in wrap-up: 70 of 120 s signed in. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (one, "occupancy"), 70.0 / 120, 1e-9);
  /* The transfer made agent 3 the one who handled conversation 2. */
  three = agent_of (snapshot, 3);
  g_assert_cmpint (json_object_get_int_member (three, "handled"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (agent_of (snapshot, 2), "handled"), ==, 0);
}

static void
test_concurrency (void)
{
  g_autoptr(ParleyMetrics) metrics = parley_metrics_new (S (5));
  g_autoptr(JsonObject) snapshot = NULL;
  JsonObject *agent;

  /* Three chats at once for a minute out of two signed in: 50 %, not 150 %. */
  presence (metrics, 0, 7, "available");
  for (gint64 c = 1; c <= 3; c++)
    {
      add (metrics, PARLEY_METRIC_QUEUED, 0, c, 0);
      add (metrics, PARLEY_METRIC_ANSWERED, 0, c, 7);
    }
  snapshot = parley_metrics_snapshot (metrics, T (0), T (120), T (30));
  agent = agent_of (snapshot, 7);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (agent, "current"), "chat"), ==, 3);
  for (gint64 c = 1; c <= 3; c++)
    add (metrics, PARLEY_METRIC_RESOLVED, 60, c, 7);
  g_clear_pointer (&snapshot, json_object_unref);
  snapshot = parley_metrics_snapshot (metrics, T (0), T (120), T (120));
  agent = agent_of (snapshot, 7);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (agent, "occupancy"), 0.5, 1e-9);
  g_assert_false (json_object_has_member (json_object_get_object_member (agent, "current"), "chat"));
}

static void
test_ratings (void)
{
  g_autoptr(ParleyMetrics) metrics = a_day ();
  g_autoptr(JsonObject) snapshot = NULL;
  JsonObject *nps, *csat;
  static const int scores[] = { 10, 9, 8, 6, 0 };

  for (guint i = 0; i < G_N_ELEMENTS (scores); i++)
    rate (metrics, 100 + (int) i, 1, scores[i], -1);
  rate (metrics, 110, 2, -1, 5);
  rate (metrics, 111, 2, -1, 4);
  rate (metrics, 112, 2, -1, 3);
  rate (metrics, 113, 2, -1, 1);
  rate (metrics, 200, 2, 10, -1);  /* after the interval */
  snapshot = parley_metrics_snapshot (metrics, T (0), T (120), T (130));
  nps = json_object_get_object_member (json_object_get_object_member (snapshot, "total"), "nps");
  g_assert_cmpint (json_object_get_int_member (nps, "promoters"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (nps, "passives"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (nps, "detractors"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (nps, "score"), ==, 0);
  csat = json_object_get_object_member (json_object_get_object_member (snapshot, "total"), "csat");
  g_assert_cmpint (json_object_get_int_member (csat, "share"), ==, 50);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (csat, "average"), 3.25, 1e-9);
  /* Ratings follow the agent who had the conversation: 1 for the NPS, 3 for the CSAT. */
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (agent_of (snapshot, 1), "nps"), "responses"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (agent_of (snapshot, 3), "csat"), "responses"), ==, 4);

  /* 3 promoters and a detractor of 4: +50; a lone detractor: −100. */
  {
    g_autoptr(ParleyMetrics) more = a_day ();
    g_autoptr(JsonObject) more_snapshot = NULL;

    rate (more, 100, 1, 10, -1);
    rate (more, 101, 1, 10, -1);
    rate (more, 102, 1, 9, -1);
    rate (more, 103, 1, 6, -1);
    more_snapshot = parley_metrics_snapshot (more, T (0), T (120), T (130));
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_object_get_object_member (more_snapshot, "total"), "nps"), "score"), ==, 50);
    g_clear_pointer (&more_snapshot, json_object_unref);
    more_snapshot = parley_metrics_snapshot (more, T (103), T (120), T (130));
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_object_get_object_member (more_snapshot, "total"), "nps"), "score"), ==, -100);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/metrics/queue", test_queue_figures);
  g_test_add_func ("/metrics/interval-edges", test_interval_edges);
  g_test_add_func ("/metrics/thresholds", test_thresholds);
  g_test_add_func ("/metrics/agents", test_agents);
  g_test_add_func ("/metrics/concurrency", test_concurrency);
  g_test_add_func ("/metrics/ratings", test_ratings);
  return g_test_run ();
}
