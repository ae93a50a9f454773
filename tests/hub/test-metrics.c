/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley-error.h"
#include "parley-metrics.h"
#include "parley-trend.h"

/* Every figure on hand-built days with known answers: abandons long and
 * short, transfers to an agent and to a queue, wrap-up, three chats at
 * once, interval edges, ratings and their rounding, and NPS/CSAT trends
 * across the days the clocks change. */

/* A duration, and a moment of the day (the epoch is never a moment here). */
#define S(seconds) ((gint64) (seconds) * G_USEC_PER_SEC)
#define T(seconds) (S (seconds) + S (1700000000))

static void
event (ParleyMetrics    *metrics,
       ParleyMetricKind  kind,
       gint64            at,
       gint64            conversation,
       gint64            queue,
       gint64            agent)
{
  ParleyMetricEvent happened = { kind, at, conversation, queue, "chat", agent, -1, -1, NULL };

  parley_metrics_add (metrics, &happened);
}

static void
rate (ParleyMetrics *metrics,
      int            seconds,
      gint64         conversation,
      gint64         agent,
      int            nps,
      int            csat)
{
  ParleyMetricEvent answer = { PARLEY_METRIC_SURVEY, T (seconds), conversation, 1, "chat", agent, nps, csat, NULL };

  parley_metrics_add (metrics, &answer);
}

static void
presence (ParleyMetrics *metrics,
          int            seconds,
          gint64         agent,
          const char    *state)
{
  ParleyMetricEvent change = { PARLEY_METRIC_AGENT_STATE, T (seconds), 0, 0, NULL, agent, -1, -1, state };

  parley_metrics_add (metrics, &change);
}

/* The day most tests look at (times in seconds, short abandons under 5 s),
 * with agents 1, 2 and 3 available from 0 s:
 *   1: queued 0, answered 10 by agent 1 (first reply 15), resolved 70,
 *      agent 1 in wrap-up 70-80
 *   2: queued 5, answered 35 by agent 2 (first reply 40), transferred to
 *      agent 3 at 50, resolved 95
 *   3: queued 10, left at 13 (a short abandon)
 *   4: queued 20, left at 50 (an abandon)
 *   5: queued 100, still waiting */
static const struct
{
  int               at;
  ParleyMetricKind  kind;
  gint64            conversation;
  gint64            agent;
  const char       *state;
} day[] = {
  { 0, PARLEY_METRIC_AGENT_STATE, 0, 1, "available" },
  { 0, PARLEY_METRIC_AGENT_STATE, 0, 2, "available" },
  { 0, PARLEY_METRIC_AGENT_STATE, 0, 3, "available" },
  { 0, PARLEY_METRIC_QUEUED, 1, 0, NULL },
  { 5, PARLEY_METRIC_QUEUED, 2, 0, NULL },
  { 10, PARLEY_METRIC_ANSWERED, 1, 1, NULL },
  { 10, PARLEY_METRIC_QUEUED, 3, 0, NULL },
  { 13, PARLEY_METRIC_ABANDONED, 3, 0, NULL },
  { 15, PARLEY_METRIC_FIRST_RESPONSE, 1, 1, NULL },
  { 20, PARLEY_METRIC_QUEUED, 4, 0, NULL },
  { 35, PARLEY_METRIC_ANSWERED, 2, 2, NULL },
  { 40, PARLEY_METRIC_FIRST_RESPONSE, 2, 2, NULL },
  { 50, PARLEY_METRIC_TRANSFERRED, 2, 3, NULL },
  { 50, PARLEY_METRIC_ABANDONED, 4, 0, NULL },
  { 70, PARLEY_METRIC_RESOLVED, 1, 1, NULL },
  { 70, PARLEY_METRIC_AGENT_STATE, 0, 1, "wrap-up" },
  { 80, PARLEY_METRIC_AGENT_STATE, 0, 1, "available" },
  { 95, PARLEY_METRIC_RESOLVED, 2, 3, NULL },
  { 100, PARLEY_METRIC_QUEUED, 5, 0, NULL },
};

/* Feeds the day's events in (after, until]. */
static void
live_through (ParleyMetrics *metrics,
              int            after,
              int            until)
{
  for (guint i = 0; i < G_N_ELEMENTS (day); i++)
    {
      if (day[i].at <= after || day[i].at > until)
        continue;
      if (day[i].kind == PARLEY_METRIC_AGENT_STATE)
        presence (metrics, day[i].at, day[i].agent, day[i].state);
      else
        event (metrics, day[i].kind, T (day[i].at), day[i].conversation, 1, day[i].agent);
    }
}

static ParleyMetrics *
a_day (gint64 from,
       gint64 to)
{
  ParleyMetrics *metrics = parley_metrics_new (S (5), from, to);

  live_through (metrics, -1, 1000);
  return metrics;
}

static JsonObject *
line_of (JsonObject *snapshot,
         gint64      queue)
{
  JsonArray *queues = json_object_get_array_member (snapshot, "queues");

  for (guint i = 0; i < json_array_get_length (queues); i++)
    if (json_object_get_int_member (json_array_get_object_element (queues, i), "queue") == queue)
      return json_array_get_object_element (queues, i);
  return NULL;
}

static JsonObject *
queue_of (JsonObject *snapshot)
{
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (snapshot, "queues")), ==, 1);
  return line_of (snapshot, 1);
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

static gint64
member_of (JsonObject *object,
           const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i + 1] != NULL; i++)
    object = json_object_get_object_member (object, parts[i]);
  return json_object_get_int_member (object, parts[g_strv_length (parts) - 1]);
}

static void
test_queue_figures (void)
{
  g_autoptr(ParleyMetrics) metrics = a_day (T (0), T (120));
  g_autoptr(JsonObject) snapshot = parley_metrics_snapshot (metrics, T (130));
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
  /* One queue on one channel: the total is the same. */
  g_assert_cmpint (member_of (snapshot, "total.offered"), ==, 5);
  g_assert_cmpint (member_of (snapshot, "total.aht_ms"), ==, 65000);
}

static void
test_interval_edges (void)
{
  /* From 10 s up to, not including, 35 s. */
  g_autoptr(ParleyMetrics) metrics = parley_metrics_new (S (5), T (10), T (35));
  g_autoptr(JsonObject) snapshot = NULL;
  JsonObject *queue;

  live_through (metrics, -1, 30);
  snapshot = parley_metrics_snapshot (metrics, T (30));
  queue = queue_of (snapshot);
  g_assert_cmpint (json_object_get_int_member (queue, "offered"), ==, 2);          /* 3 and 4; 1 and 2 came before */
  g_assert_cmpint (json_object_get_int_member (queue, "answered"), ==, 1);         /* 1, answered right on the start */
  g_assert_cmpint (json_object_get_int_member (queue, "asa_ms"), ==, 10000);       /* its wait began before the interval */
  g_assert_cmpint (json_object_get_int_member (queue, "short_abandoned"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (queue, "abandoned"), ==, 0);
  g_assert_true (json_object_get_null_member (queue, "aht_ms"));
  /* At 30 s, 2 (since 5 s, before the interval) and 4 (since 20 s) wait. */
  g_assert_cmpint (json_object_get_int_member (queue, "waiting"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (queue, "longest_wait_ms"), ==, 25000);
  /* Agent 1, available since 0 s and busy since 10 s: the interval's 20 s both. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (agent_of (snapshot, 1), "occupancy"), 1.0, 1e-9);
  g_assert_cmpint (json_object_get_int_member (snapshot, "to"), ==, T (30));

  /* Conversation 2 answered right on the end does not count; it no longer waits. */
  live_through (metrics, 30, 35);
  g_clear_pointer (&snapshot, json_object_unref);
  snapshot = parley_metrics_snapshot (metrics, T (35));
  queue = queue_of (snapshot);
  g_assert_cmpint (json_object_get_int_member (queue, "answered"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (queue, "waiting"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (queue, "longest_wait_ms"), ==, 15000);
  /* Agent 2, available for the 25 s, took it only at the end. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (agent_of (snapshot, 2), "occupancy"), 0.0, 1e-9);

  /* Resolved right on the end: not handled; right on the start: handled. */
  {
    g_autoptr(ParleyMetrics) before = a_day (T (0), T (70));
    g_autoptr(ParleyMetrics) after = a_day (T (70), T (120));
    g_autoptr(JsonObject) before_snapshot = parley_metrics_snapshot (before, T (130));
    g_autoptr(JsonObject) after_snapshot = parley_metrics_snapshot (after, T (130));

    g_assert_true (json_object_get_null_member (queue_of (before_snapshot), "aht_ms"));
    g_assert_cmpint (json_object_get_int_member (agent_of (before_snapshot, 1), "handled"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (queue_of (after_snapshot), "aht_ms"), ==, 65000);
    g_assert_cmpint (json_object_get_int_member (agent_of (after_snapshot, 1), "handled"), ==, 1);
    /* Only conversation 5 was queued within the second interval. */
    g_assert_cmpint (json_object_get_int_member (queue_of (after_snapshot), "offered"), ==, 1);
  }
}

static void
test_thresholds (void)
{
  g_autoptr(ParleyMetrics) metrics = parley_metrics_new (S (5), T (0), T (120));
  g_autoptr(JsonObject) snapshot = NULL;

  /* A 40 s target takes in the 30 s answer too. */
  parley_metrics_set_service_level (metrics, 1, "chat", S (40));
  live_through (metrics, -1, 1000);
  snapshot = parley_metrics_snapshot (metrics, T (130));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (queue_of (snapshot), "service_level"), 200.0 / 3, 1e-9);

  /* A threshold for a queue that saw nothing is no line of figures. */
  parley_metrics_set_service_level (metrics, 2, "chat", S (40));
  g_clear_pointer (&snapshot, json_object_unref);
  snapshot = parley_metrics_snapshot (metrics, T (130));
  g_assert_null (line_of (snapshot, 2));
}

static void
test_abandons (void)
{
  g_autoptr(ParleyMetrics) metrics = parley_metrics_new (S (5), T (0), T (120));
  g_autoptr(JsonObject) snapshot = NULL;
  JsonObject *queue;

  /* Just under the 5 s threshold, right on it, and long after. */
  event (metrics, PARLEY_METRIC_QUEUED, T (0), 1, 1, 0);
  event (metrics, PARLEY_METRIC_QUEUED, T (0), 2, 1, 0);
  event (metrics, PARLEY_METRIC_QUEUED, T (0), 3, 1, 0);
  event (metrics, PARLEY_METRIC_QUEUED, T (0), 4, 1, 0);
  event (metrics, PARLEY_METRIC_ABANDONED, T (5) - 1, 1, 1, 0);
  event (metrics, PARLEY_METRIC_ABANDONED, T (5), 2, 1, 0);
  event (metrics, PARLEY_METRIC_ANSWERED, T (6), 4, 1, 9);
  event (metrics, PARLEY_METRIC_ABANDONED, T (60), 3, 1, 0);
  /* Leaving after an agent answered is no abandon. */
  event (metrics, PARLEY_METRIC_ABANDONED, T (61), 4, 1, 0);
  snapshot = parley_metrics_snapshot (metrics, T (120));
  queue = queue_of (snapshot);
  g_assert_cmpint (json_object_get_int_member (queue, "short_abandoned"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (queue, "abandoned"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (queue, "answered"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (queue, "waiting"), ==, 0);
  /* 1 in time over 1 answered + 2 abandoned; the short abandon left out. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (queue, "service_level"), 100.0 / 3, 1e-9);
  /* The agent still has the one the customer left after the answer, to close it. */
  g_assert_cmpint (member_of (agent_of (snapshot, 9), "current.chat"), ==, 1);

  /* With no short-abandon threshold, every abandon counts against the service level. */
  {
    g_autoptr(ParleyMetrics) strict = parley_metrics_new (0, T (0), T (10));
    g_autoptr(JsonObject) strict_snapshot = NULL;

    event (strict, PARLEY_METRIC_QUEUED, T (0), 1, 1, 0);
    event (strict, PARLEY_METRIC_ABANDONED, T (1), 1, 1, 0);
    strict_snapshot = parley_metrics_snapshot (strict, T (10));
    g_assert_cmpint (json_object_get_int_member (queue_of (strict_snapshot), "abandoned"), ==, 1);
    g_assert_cmpfloat (json_object_get_double_member (queue_of (strict_snapshot), "service_level"), ==, 0.0);
  }
}

static void
test_agents (void)
{
  g_autoptr(ParleyMetrics) metrics = a_day (T (0), T (120));
  g_autoptr(JsonObject) snapshot = parley_metrics_snapshot (metrics, T (120));
  JsonObject *one = agent_of (snapshot, 1);

  g_assert_cmpstr (json_object_get_string_member (one, "state"), ==, "available");
  g_assert_cmpint (json_object_get_int_member (one, "since"), ==, T (80));
  g_assert_cmpint (json_object_get_int_member (one, "handled"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (one, "aht_ms"), ==, 70000);
  /* Busy 10-70 with the chat and 70-80 in wrap-up: 70 of 120 s signed in. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (one, "occupancy"), 70.0 / 120, 1e-9);
  /* The transfer made agent 3 the one who handled conversation 2 ... */
  g_assert_cmpint (json_object_get_int_member (agent_of (snapshot, 3), "handled"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (agent_of (snapshot, 3), "aht_ms"), ==, 60000);
  g_assert_cmpint (json_object_get_int_member (agent_of (snapshot, 2), "handled"), ==, 0);
  /* ... and each was busy with it while they had it: 35-50 and 50-95. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (agent_of (snapshot, 2), "occupancy"), 15.0 / 120, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (agent_of (snapshot, 3), "occupancy"), 45.0 / 120, 1e-9);
}

static void
test_wrap_up_ends_for_all (void)
{
  g_autoptr(ParleyMetrics) metrics = parley_metrics_new (S (5), T (0), T (200));
  g_autoptr(JsonObject) snapshot = NULL;

  /* Two chats resolved 70 and 75 s in; the wrap-up that began with the first
   * ends at 100 s for both. One resolved earlier, while away from wrap-up,
   * gets none, however late the agent's next change comes. */
  presence (metrics, 0, 1, "available");
  for (gint64 c = 1; c <= 3; c++)
    {
      event (metrics, PARLEY_METRIC_QUEUED, T (0), c, 1, 0);
      event (metrics, PARLEY_METRIC_ANSWERED, T (10), c, 1, 1);
    }
  event (metrics, PARLEY_METRIC_RESOLVED, T (40), 3, 1, 1);
  event (metrics, PARLEY_METRIC_RESOLVED, T (70), 1, 1, 1);
  presence (metrics, 70, 1, "wrap-up");
  event (metrics, PARLEY_METRIC_RESOLVED, T (75), 2, 1, 1);
  presence (metrics, 100, 1, "available");
  snapshot = parley_metrics_snapshot (metrics, T (200));
  /* (30) + (60 + 30) + (65 + 25), over 3 */
  g_assert_cmpint (json_object_get_int_member (agent_of (snapshot, 1), "aht_ms"), ==, 70000);
}

static void
test_concurrency (void)
{
  g_autoptr(ParleyMetrics) metrics = parley_metrics_new (S (5), T (0), T (120));
  g_autoptr(JsonObject) snapshot = NULL;
  JsonObject *agent;

  /* Three chats at once for a minute out of two signed in: 50 %, not 150 %. */
  presence (metrics, 0, 7, "available");
  for (gint64 c = 1; c <= 3; c++)
    {
      event (metrics, PARLEY_METRIC_QUEUED, T (0), c, 1, 0);
      event (metrics, PARLEY_METRIC_ANSWERED, T (0), c, 1, 7);
    }
  snapshot = parley_metrics_snapshot (metrics, T (30));
  agent = agent_of (snapshot, 7);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (agent, "current"), "chat"), ==, 3);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (agent, "occupancy"), 1.0, 1e-9);
  event (metrics, PARLEY_METRIC_RESOLVED, T (20), 1, 1, 7);
  event (metrics, PARLEY_METRIC_RESOLVED, T (40), 2, 1, 7);
  event (metrics, PARLEY_METRIC_RESOLVED, T (60), 3, 1, 7);
  g_clear_pointer (&snapshot, json_object_unref);
  snapshot = parley_metrics_snapshot (metrics, T (120));
  agent = agent_of (snapshot, 7);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (agent, "occupancy"), 0.5, 1e-9);
  g_assert_false (json_object_has_member (json_object_get_object_member (agent, "current"), "chat"));
  /* Time away is not staffed: 60 s busy of 90 s available. */
  presence (metrics, 120, 7, "away");
  g_clear_pointer (&snapshot, json_object_unref);
  snapshot = parley_metrics_snapshot (metrics, T (150));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (agent_of (snapshot, 7), "occupancy"), 0.5, 1e-9);
}

static void
test_transfers (void)
{
  g_autoptr(ParleyMetrics) metrics = parley_metrics_new (S (5), T (0), T (120));
  g_autoptr(JsonObject) snapshot = NULL;
  JsonObject *two;

  /* Answered in queue 1 after 10 s, sent to queue 2 at 20 s, where it
   * waits again until agent 2 takes it at 30 s. */
  event (metrics, PARLEY_METRIC_QUEUED, T (0), 1, 1, 0);
  event (metrics, PARLEY_METRIC_ANSWERED, T (10), 1, 1, 1);
  event (metrics, PARLEY_METRIC_TRANSFERRED, T (20), 1, 2, 0);
  snapshot = parley_metrics_snapshot (metrics, T (25));
  g_assert_null (line_of (snapshot, 1));
  two = line_of (snapshot, 2);
  g_assert_cmpint (json_object_get_int_member (two, "waiting"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (two, "longest_wait_ms"), ==, 5000);
  g_assert_cmpint (json_object_get_int_member (two, "offered"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (two, "transfers"), ==, 1);
  g_assert_false (json_object_has_member (json_object_get_object_member (agent_of (snapshot, 1), "current"), "chat"));

  event (metrics, PARLEY_METRIC_ANSWERED, T (30), 1, 2, 2);
  event (metrics, PARLEY_METRIC_TRANSFERRED, T (40), 1, 2, 3);
  g_clear_pointer (&snapshot, json_object_unref);
  snapshot = parley_metrics_snapshot (metrics, T (45));
  two = line_of (snapshot, 2);
  g_assert_cmpint (json_object_get_int_member (two, "waiting"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (two, "transfers"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (two, "answered"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (two, "asa_ms"), ==, 10000);  /* the first answer */
  g_assert_cmpint (member_of (agent_of (snapshot, 3), "current.chat"), ==, 1);
  g_assert_false (json_object_has_member (json_object_get_object_member (agent_of (snapshot, 2), "current"), "chat"));
}

static void
test_ratings (void)
{
  g_autoptr(ParleyMetrics) metrics = a_day (T (0), T (120));
  g_autoptr(JsonObject) snapshot = NULL;
  static const int scores[] = { 10, 9, 8, 6, 0 };

  for (guint i = 0; i < G_N_ELEMENTS (scores); i++)
    rate (metrics, 100 + (int) i, 1, 0, scores[i], -1);
  rate (metrics, 110, 2, 0, -1, 5);
  rate (metrics, 111, 2, 0, -1, 4);
  rate (metrics, 112, 2, 0, -1, 3);
  rate (metrics, 113, 2, 0, -1, 1);
  rate (metrics, 200, 2, 0, 10, -1);  /* after the interval */
  snapshot = parley_metrics_snapshot (metrics, T (200));
  g_assert_cmpint (member_of (snapshot, "total.nps.promoters"), ==, 2);
  g_assert_cmpint (member_of (snapshot, "total.nps.passives"), ==, 1);
  g_assert_cmpint (member_of (snapshot, "total.nps.detractors"), ==, 2);
  g_assert_cmpint (member_of (snapshot, "total.nps.score"), ==, 0);
  g_assert_cmpint (member_of (snapshot, "total.csat.share"), ==, 50);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_object_get_object_member (json_object_get_object_member (snapshot, "total"), "csat"), "average"),
                                  3.25, 1e-9);
  g_assert_cmpint (member_of (queue_of (snapshot), "nps.responses"), ==, 5);
  /* Ratings follow the agent who had the conversation: 1 for the NPS, 3 for the CSAT. */
  g_assert_cmpint (member_of (agent_of (snapshot, 1), "nps.responses"), ==, 5);
  g_assert_cmpint (member_of (agent_of (snapshot, 3), "csat.responses"), ==, 4);
  g_assert_cmpint (member_of (agent_of (snapshot, 2), "csat.responses"), ==, 0);
  g_assert_true (json_object_get_null_member (json_object_get_object_member (agent_of (snapshot, 2), "csat"), "share"));
}

static void
test_rating_rounding (void)
{
  /* score, share: half a point rounds away from zero. */
  static const struct { int nps[8]; int csat[3]; gint64 score; gint64 share; } cases[] = {
    { { 10, 8, 8, 8, 8, 8, 8, 8 }, { 5, 4, 1 }, 13, 67 },     /* 12.5 → 13; 66.7 → 67 */
    { { 0, 8, 8, 8, 8, 8, 8, 8 }, { 5, 1, 1 }, -13, 33 },     /* −12.5 → −13; 33.3 → 33 */
    { { 9, 9, 6, -1, -1, -1, -1, -1 }, { 4, -1, -1 }, 33, 100 }, /* 33.3 → 33 */
    { { 0, -1, -1, -1, -1, -1, -1, -1 }, { 3, 2, -1 }, -100, 0 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      ParleyRatings ratings = { 0 };
      g_autoptr(JsonObject) object = json_object_new ();

      for (guint i = 0; i < G_N_ELEMENTS (cases[c].nps); i++)
        parley_ratings_add (&ratings, cases[c].nps[i], i < G_N_ELEMENTS (cases[c].csat) ? cases[c].csat[i] : -1);
      parley_ratings_to_json (&ratings, object);
      g_assert_cmpint (member_of (object, "nps.score"), ==, cases[c].score);
      g_assert_cmpint (member_of (object, "csat.share"), ==, cases[c].share);
    }
}

static void
test_late_answers (void)
{
  g_autoptr(ParleyMetrics) metrics = parley_metrics_new (S (5), T (100), T (200));
  g_autoptr(JsonObject) snapshot = NULL;

  /* Conversation 9 ended before the interval; its answer came within it. */
  rate (metrics, 150, 9, 4, 10, 5);
  snapshot = parley_metrics_snapshot (metrics, T (200));
  g_assert_cmpint (member_of (snapshot, "total.nps.promoters"), ==, 1);
  g_assert_cmpint (member_of (queue_of (snapshot), "csat.responses"), ==, 1);
  g_assert_cmpint (member_of (queue_of (snapshot), "offered"), ==, 0);
  g_assert_cmpint (member_of (queue_of (snapshot), "waiting"), ==, 0);
  g_assert_cmpint (member_of (agent_of (snapshot, 4), "nps.score"), ==, 100);
}

/* µs since the epoch of a UTC time. */
static gint64
utc (int year, int month, int day_of_month, int hour, int minute)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (year, month, day_of_month, hour, minute, 0);

  return g_date_time_to_unix (time) * G_USEC_PER_SEC;
}

static void
test_trend_across_dst (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GError) error = NULL;
  g_autoptr(ParleyTrend) days = NULL;
  g_autoptr(ParleyTrend) hours = NULL;
  g_autoptr(ParleyTrend) too_long = NULL;
  g_autoptr(JsonObject) json = NULL;
  JsonArray *points;

  g_assert_nonnull (berlin);
  /* Berlin's clocks go forward on 29 March 2026: that day has 23 hours. */
  days = parley_trend_new (utc (2026, 3, 28, 11, 0), utc (2026, 3, 30, 12, 0), PARLEY_TREND_DAY, berlin, &error);
  g_assert_no_error (error);
  parley_trend_add (days, utc (2026, 3, 29, 21, 30), 10, 5);   /* 23:30 local on the 29th */
  parley_trend_add (days, utc (2026, 3, 29, 22, 30), 0, -1);   /* 00:30 local on the 30th */
  parley_trend_add (days, utc (2026, 3, 27, 22, 59), 0, -1);   /* 23:59 on the 27th: before the first day */
  json = parley_trend_to_json (days);
  g_assert_cmpstr (json_object_get_string_member (json, "step"), ==, "day");
  g_assert_cmpint (json_object_get_int_member (json, "from"), ==, utc (2026, 3, 27, 23, 0));
  g_assert_cmpint (json_object_get_int_member (json, "to"), ==, utc (2026, 3, 30, 22, 0));
  points = json_object_get_array_member (json, "points");
  g_assert_cmpuint (json_array_get_length (points), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (points, 1), "to") -
                   json_object_get_int_member (json_array_get_object_element (points, 1), "from"), ==, S (23 * 3600));
  g_assert_cmpint (member_of (json_array_get_object_element (points, 0), "nps.responses"), ==, 0);
  g_assert_cmpint (member_of (json_array_get_object_element (points, 1), "nps.score"), ==, 100);
  g_assert_cmpint (member_of (json_array_get_object_element (points, 1), "csat.share"), ==, 100);
  g_assert_cmpint (member_of (json_array_get_object_element (points, 2), "nps.score"), ==, -100);
  g_clear_pointer (&json, json_object_unref);

  /* Back on 25 October: 02:00-03:00 comes twice, as two hours of their own. */
  hours = parley_trend_new (utc (2026, 10, 24, 22, 15), utc (2026, 10, 25, 3, 30), PARLEY_TREND_HOUR, berlin, &error);
  g_assert_no_error (error);
  parley_trend_add (hours, utc (2026, 10, 25, 0, 30), 10, -1);  /* 02:30 summer time */
  parley_trend_add (hours, utc (2026, 10, 25, 1, 30), 0, -1);   /* 02:30 winter time */
  json = parley_trend_to_json (hours);
  points = json_object_get_array_member (json, "points");
  g_assert_cmpuint (json_array_get_length (points), ==, 6);     /* 00, 01, 02, 02, 03, 04 local */
  g_assert_cmpint (json_object_get_int_member (json, "from"), ==, utc (2026, 10, 24, 22, 0));
  g_assert_cmpint (member_of (json_array_get_object_element (points, 2), "nps.promoters"), ==, 1);
  g_assert_cmpint (member_of (json_array_get_object_element (points, 3), "nps.detractors"), ==, 1);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpint (member_of (json_array_get_object_element (points, i), "to") -
                     member_of (json_array_get_object_element (points, i), "from"), ==, S (3600));

  /* 42 days of hours is more than 1,000 points. */
  too_long = parley_trend_new (utc (2026, 1, 1, 0, 0), utc (2026, 2, 12, 0, 0), PARLEY_TREND_HOUR, berlin, &error);
  g_assert_null (too_long);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
}

/* A channel whose plugin declares real-time media (a call) has no first
 * response: the same day on such a channel leaves it out. */
static void
test_realtime_channel (void)
{
  static const char * const realtime[] = { "chat", NULL };
  g_autoptr(ParleyMetrics) metrics = parley_metrics_new (S (5), T (0), T (120));
  g_autoptr(JsonObject) snapshot = NULL;

  parley_metrics_set_realtime_channels (metrics, realtime);
  live_through (metrics, -1, 1000);
  snapshot = parley_metrics_snapshot (metrics, T (130));
  g_assert_cmpint (json_object_get_int_member (queue_of (snapshot), "answered"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (queue_of (snapshot), "first_response_ms"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/metrics/queue", test_queue_figures);
  g_test_add_func ("/metrics/realtime-channel", test_realtime_channel);
  g_test_add_func ("/metrics/interval-edges", test_interval_edges);
  g_test_add_func ("/metrics/thresholds", test_thresholds);
  g_test_add_func ("/metrics/abandons", test_abandons);
  g_test_add_func ("/metrics/agents", test_agents);
  g_test_add_func ("/metrics/wrap-up-ends-for-all", test_wrap_up_ends_for_all);
  g_test_add_func ("/metrics/concurrency", test_concurrency);
  g_test_add_func ("/metrics/transfers", test_transfers);
  g_test_add_func ("/metrics/ratings", test_ratings);
  g_test_add_func ("/metrics/rating-rounding", test_rating_rounding);
  g_test_add_func ("/metrics/late-answers", test_late_answers);
  g_test_add_func ("/metrics/trend-across-dst", test_trend_across_dst);
  return g_test_run ();
}
