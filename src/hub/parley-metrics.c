/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-metrics"

#include "config.h"

#include "parley-metrics.h"

/* Contact-center figures computed from what happened (ParleyMetricEvent,
 * read back from the timeline and the presence log), for an interval and
 * as of a moment. Nothing here is a running counter that could drift: a
 * snapshot is worked out again from the events each time.
 *
 * Per queue and channel: waiting now and the longest wait; offered,
 * answered and abandoned in the interval, abandons shorter than the
 * short-abandon threshold counted apart; service level; ASA; AHT; first
 * response time on text channels; transfers; NPS and CSAT. Per agent:
 * state and since when, current conversations by channel, handled, AHT,
 * occupancy (time with at least one conversation or in wrap-up, over time
 * signed in and not away: three chats at once are not 300 % busy), NPS and
 * CSAT. Every figure's formula is in the snapshot's "formulas". */

#define DEFAULT_SERVICE_LEVEL (20 * G_USEC_PER_SEC)

typedef struct
{
  gint64  id;
  gint64  queue;
  char   *channel;
  gint64  queued_at;
  gint64  answered_at;
  gint64  abandoned_at;
  gint64  first_response_at;
  gint64  resolved_at;
  gint64  wrap_up_done_at;
  gint64  answered_by;
  gint64  holder;     /* the agent who has it now */
} Conversation;

typedef struct
{
  gint64  at;
  gint64  conversation;
  gint64  agent;
  int     nps;
  int     csat;
} Rated;

typedef struct
{
  gint64  at;
  char   *state;
} StateChange;

struct _ParleyMetrics
{
  GObject     parent_instance;

  gint64      short_abandon;
  GHashTable *service_levels;  /* "queue/channel" → gint64 threshold */
  GHashTable *conversations;   /* id → Conversation */
  GArray     *transfers;       /* Rated (agent: the new holder) */
  GArray     *surveys;         /* Rated */
  GHashTable *agents;          /* id → GArray of StateChange */
};

G_DEFINE_FINAL_TYPE (ParleyMetrics, parley_metrics, G_TYPE_OBJECT)

static const char * const text_channels[] = { "chat", "email", "sms", "social", "api", NULL };

/* Time in one of these states counts as staffed for occupancy. */
static const char * const staffed_states[] = { "available", "busy", "wrap-up", NULL };

static const struct { const char *name; const char *formula; } formulas[] = {
  { "waiting", "conversations queued and not yet answered, abandoned or resolved, now" },
  { "longest_wait_ms", "now − queued time of the oldest waiting conversation" },
  { "offered", "conversations queued in the interval" },
  { "answered", "conversations first answered by an agent in the interval" },
  { "abandoned", "customers who left unanswered in the interval after waiting at least the short-abandon threshold" },
  { "short_abandoned", "customers who left unanswered in the interval sooner than the short-abandon threshold" },
  { "service_level", "answered within the threshold ÷ (answered + abandoned) × 100; short abandons excluded" },
  { "asa_ms", "mean of (answered − queued) over answered conversations" },
  { "aht_ms", "mean of (resolved − answered) + (wrap-up end − resolved) over conversations resolved in the interval" },
  { "first_response_ms", "mean of (first agent reply − queued) on text channels, first replies in the interval" },
  { "transfers", "transfers in the interval" },
  { "nps", "% promoters (9–10) − % detractors (0–6), rounded, from −100 to 100" },
  { "csat", "share of 4–5 answers on the 1–5 scale, in %, and the average answer" },
  { "occupancy", "time with ≥ 1 conversation or in wrap-up ÷ time available, busy or in wrap-up" },
};

static void
conversation_free (Conversation *conversation)
{
  g_free (conversation->channel);
  g_free (conversation);
}

static void
state_changes_free (GArray *changes)
{
  for (guint i = 0; i < changes->len; i++)
    g_free (g_array_index (changes, StateChange, i).state);
  g_array_unref (changes);
}

ParleyMetrics *
parley_metrics_new (gint64 short_abandon)
{
  ParleyMetrics *self = g_object_new (PARLEY_TYPE_METRICS, NULL);

  self->short_abandon = short_abandon;
  return self;
}

/* The service-level threshold of one queue on one channel (default 20 s). */
void
parley_metrics_set_service_level (ParleyMetrics *self,
                                  gint64         queue,
                                  const char    *channel,
                                  gint64         threshold)
{
  gint64 *value = g_new (gint64, 1);

  *value = threshold;
  g_hash_table_replace (self->service_levels,
                        g_strdup_printf ("%" G_GINT64_FORMAT "/%s", queue, channel), value);
}

static gint64
service_level_of (ParleyMetrics *self,
                  Conversation  *conversation)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT "/%s", conversation->queue, conversation->channel);
  gint64 *threshold = g_hash_table_lookup (self->service_levels, key);

  return threshold ? *threshold : DEFAULT_SERVICE_LEVEL;
}

/* Events come in the order they happened. */
void
parley_metrics_add (ParleyMetrics           *self,
                    const ParleyMetricEvent *event)
{
  Conversation *conversation = g_hash_table_lookup (self->conversations, &event->conversation);
  Rated rated = { event->at, event->conversation, event->agent, event->nps, event->csat };

  if (event->kind == PARLEY_METRIC_AGENT_STATE)
    {
      GArray *changes = g_hash_table_lookup (self->agents, &event->agent);
      StateChange change = { event->at, g_strdup (event->state) };

      if (changes == NULL)
        {
          gint64 *key = g_new (gint64, 1);

          *key = event->agent;
          changes = g_array_new (FALSE, FALSE, sizeof (StateChange));
          g_hash_table_insert (self->agents, key, changes);
        }
      g_array_append_val (changes, change);
      return;
    }
  if (conversation == NULL)
    {
      if (event->kind != PARLEY_METRIC_QUEUED)
        return;  /* began before the events we were given */
      conversation = g_new0 (Conversation, 1);
      conversation->id = event->conversation;
      conversation->queue = event->queue;
      conversation->channel = g_strdup (event->channel);
      conversation->queued_at = event->at;
      g_hash_table_insert (self->conversations, &conversation->id, conversation);
      return;
    }

  switch (event->kind)
    {
    case PARLEY_METRIC_QUEUED:
      break;  /* back in the queue after a transfer: it still waits since its first queueing */
    case PARLEY_METRIC_ANSWERED:
      if (conversation->answered_at == 0 && conversation->abandoned_at == 0)
        {
          conversation->answered_at = event->at;
          conversation->answered_by = event->agent;
        }
      conversation->holder = event->agent;
      break;
    case PARLEY_METRIC_ABANDONED:
      if (conversation->answered_at == 0 && conversation->abandoned_at == 0)
        conversation->abandoned_at = event->at;
      break;
    case PARLEY_METRIC_FIRST_RESPONSE:
      if (conversation->first_response_at == 0)
        conversation->first_response_at = event->at;
      break;
    case PARLEY_METRIC_TRANSFERRED:
      rated.agent = event->agent;
      g_array_append_val (self->transfers, rated);
      conversation->holder = event->agent;
      break;
    case PARLEY_METRIC_RESOLVED:
      conversation->resolved_at = event->at;
      break;
    case PARLEY_METRIC_WRAP_UP_DONE:
      conversation->wrap_up_done_at = event->at;
      break;
    case PARLEY_METRIC_SURVEY:
      if (rated.agent <= 0)
        rated.agent = conversation->holder;
      g_array_append_val (self->surveys, rated);
      break;
    case PARLEY_METRIC_AGENT_STATE:
      g_assert_not_reached ();
    }
}

/* ---- snapshot ---------------------------------------------------------------- */

typedef struct
{
  gint64 waiting, longest_wait, offered, answered, answered_in_time, abandoned, short_abandoned;
  gint64 answer_wait_sum, handled, handle_sum, first_response_sum, first_responses, transfers;
  gint64 promoters, passives, detractors, csat_high, csat_sum, csat_answers;
} Figures;

static gboolean
within (gint64 at,
        gint64 from,
        gint64 to)
{
  return at > 0 && at >= from && at < to;
}

static void
set_mean_ms (JsonObject *object,
             const char *member,
             gint64      sum,
             gint64      count)
{
  if (count > 0)
    json_object_set_int_member (object, member, sum / count / 1000);
  else
    json_object_set_null_member (object, member);
}

static gint64
rounded_percent (gint64 part,
                 gint64 whole)
{
  gint64 scaled = 100 * part;

  return scaled >= 0 ? (scaled + whole / 2) / whole : -((-scaled + whole / 2) / whole);
}

static void
set_ratings (JsonObject *object,
             Figures    *figures)
{
  JsonObject *nps = json_object_new ();
  JsonObject *csat = json_object_new ();
  gint64 responses = figures->promoters + figures->passives + figures->detractors;

  json_object_set_int_member (nps, "promoters", figures->promoters);
  json_object_set_int_member (nps, "passives", figures->passives);
  json_object_set_int_member (nps, "detractors", figures->detractors);
  json_object_set_int_member (nps, "responses", responses);
  if (responses > 0)
    json_object_set_int_member (nps, "score", rounded_percent (figures->promoters - figures->detractors, responses));
  else
    json_object_set_null_member (nps, "score");
  json_object_set_object_member (object, "nps", nps);

  json_object_set_int_member (csat, "responses", figures->csat_answers);
  if (figures->csat_answers > 0)
    {
      json_object_set_int_member (csat, "share", rounded_percent (figures->csat_high, figures->csat_answers));
      json_object_set_double_member (csat, "average", (double) figures->csat_sum / (double) figures->csat_answers);
    }
  else
    {
      json_object_set_null_member (csat, "share");
      json_object_set_null_member (csat, "average");
    }
  json_object_set_object_member (object, "csat", csat);
}

static void
add_rating (Figures     *figures,
            const Rated *rated)
{
  if (rated->nps >= 9)
    figures->promoters++;
  else if (rated->nps >= 7)
    figures->passives++;
  else if (rated->nps >= 0)
    figures->detractors++;
  if (rated->csat >= 1)
    {
      figures->csat_answers++;
      figures->csat_sum += rated->csat;
      if (rated->csat >= 4)
        figures->csat_high++;
    }
}

static Figures *
figures_for (GHashTable *table,
             const char *key)
{
  Figures *figures = g_hash_table_lookup (table, key);

  if (figures == NULL)
    {
      figures = g_new0 (Figures, 1);
      g_hash_table_insert (table, g_strdup (key), figures);
    }
  return figures;
}

static char *
queue_key (Conversation *conversation)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%s", conversation->queue, conversation->channel);
}

static void
count_conversation (ParleyMetrics *self,
                    Conversation  *conversation,
                    Figures       *figures,
                    gint64         from,
                    gint64         to,
                    gint64         now)
{
  gint64 ended = conversation->answered_at ? conversation->answered_at
               : conversation->abandoned_at ? conversation->abandoned_at : conversation->resolved_at;

  if (conversation->queued_at <= now && (ended == 0 || ended > now))
    {
      figures->waiting++;
      figures->longest_wait = MAX (figures->longest_wait, now - conversation->queued_at);
    }
  if (within (conversation->queued_at, from, to))
    figures->offered++;
  if (within (conversation->answered_at, from, to))
    {
      gint64 wait = conversation->answered_at - conversation->queued_at;

      figures->answered++;
      figures->answer_wait_sum += wait;
      if (wait <= service_level_of (self, conversation))
        figures->answered_in_time++;
    }
  if (within (conversation->abandoned_at, from, to))
    {
      if (conversation->abandoned_at - conversation->queued_at < self->short_abandon)
        figures->short_abandoned++;
      else
        figures->abandoned++;
    }
  if (within (conversation->resolved_at, from, to) && conversation->answered_at > 0)
    {
      figures->handled++;
      figures->handle_sum += conversation->resolved_at - conversation->answered_at;
      if (conversation->wrap_up_done_at >= conversation->resolved_at)
        figures->handle_sum += conversation->wrap_up_done_at - conversation->resolved_at;
    }
  if (within (conversation->first_response_at, from, to) &&
      g_strv_contains (text_channels, conversation->channel))
    {
      figures->first_responses++;
      figures->first_response_sum += conversation->first_response_at - conversation->queued_at;
    }
}

static JsonObject *
figures_json (Figures *figures)
{
  JsonObject *object = json_object_new ();
  gint64 counted = figures->answered + figures->abandoned;

  json_object_set_int_member (object, "waiting", figures->waiting);
  json_object_set_int_member (object, "longest_wait_ms", figures->longest_wait / 1000);
  json_object_set_int_member (object, "offered", figures->offered);
  json_object_set_int_member (object, "answered", figures->answered);
  json_object_set_int_member (object, "abandoned", figures->abandoned);
  json_object_set_int_member (object, "short_abandoned", figures->short_abandoned);
  if (counted > 0)
    json_object_set_double_member (object, "service_level", 100.0 * (double) figures->answered_in_time / (double) counted);
  else
    json_object_set_null_member (object, "service_level");
  set_mean_ms (object, "asa_ms", figures->answer_wait_sum, figures->answered);
  set_mean_ms (object, "aht_ms", figures->handle_sum, figures->handled);
  set_mean_ms (object, "first_response_ms", figures->first_response_sum, figures->first_responses);
  json_object_set_int_member (object, "transfers", figures->transfers);
  set_ratings (object, figures);
  return object;
}

typedef struct
{
  gint64 start;
  gint64 end;
} Interval;

static int
compare_intervals (gconstpointer a,
                   gconstpointer b)
{
  const Interval *x = a, *y = b;

  return x->start < y->start ? -1 : x->start > y->start;
}

/* Total length of the union of the intervals. */
static gint64
union_length (GArray *intervals)
{
  gint64 total = 0, start = 0, end = 0;

  g_array_sort (intervals, compare_intervals);
  for (guint i = 0; i < intervals->len; i++)
    {
      Interval *interval = &g_array_index (intervals, Interval, i);

      if (interval->start > end)
        {
          total += end - start;
          start = interval->start;
          end = interval->end;
        }
      else
        end = MAX (end, interval->end);
    }
  return total + (end - start);
}

/* Adds [start, end) cut to [from, to), if anything is left of it. */
static void
add_interval (GArray *intervals,
              gint64  start,
              gint64  end,
              gint64  from,
              gint64  to)
{
  Interval interval = { MAX (start, from), MIN (end, to) };

  if (interval.end > interval.start)
    g_array_append_val (intervals, interval);
}

static JsonObject *
agent_json (ParleyMetrics *self,
            gint64         agent,
            GArray        *changes,
            gint64         from,
            gint64         to,
            gint64         now)
{
  JsonObject *object = json_object_new ();
  JsonObject *current = json_object_new ();
  g_autoptr(GArray) busy = g_array_new (FALSE, FALSE, sizeof (Interval));
  gint64 end = MIN (to, now), staffed = 0;
  const char *state = "offline";
  gint64 since = 0;
  Figures figures = { 0 };
  GHashTableIter iter;
  Conversation *conversation;

  for (guint i = 0; changes && i < changes->len; i++)
    {
      StateChange *change = &g_array_index (changes, StateChange, i);
      gint64 until = i + 1 < changes->len ? g_array_index (changes, StateChange, i + 1).at : now;

      if (change->at <= now)
        {
          state = change->state;
          since = change->at;
        }
      if (g_strv_contains (staffed_states, change->state))
        staffed += MAX (0, MIN (until, end) - MAX (change->at, from));
      if (g_str_equal (change->state, "wrap-up"))
        add_interval (busy, change->at, until, from, end);
    }

  g_hash_table_iter_init (&iter, self->conversations);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conversation))
    {
      if (conversation->holder != agent || conversation->answered_at == 0)
        continue;
      if (conversation->answered_at <= now && (conversation->resolved_at == 0 || conversation->resolved_at > now))
        json_object_set_int_member (current, conversation->channel,
                                    json_object_get_int_member_with_default (current, conversation->channel, 0) + 1);
      add_interval (busy, conversation->answered_at, conversation->resolved_at ? conversation->resolved_at : now, from, end);
      if (within (conversation->resolved_at, from, to))
        {
          figures.handled++;
          figures.handle_sum += conversation->resolved_at - conversation->answered_at;
          if (conversation->wrap_up_done_at >= conversation->resolved_at)
            {
              figures.handle_sum += conversation->wrap_up_done_at - conversation->resolved_at;
              add_interval (busy, conversation->resolved_at, conversation->wrap_up_done_at, from, end);
            }
        }
    }
  for (guint i = 0; i < self->surveys->len; i++)
    {
      Rated *rated = &g_array_index (self->surveys, Rated, i);

      if (rated->agent == agent && within (rated->at, from, to))
        add_rating (&figures, rated);
    }

  json_object_set_int_member (object, "agent", agent);
  json_object_set_string_member (object, "state", state);
  json_object_set_int_member (object, "since", since);
  json_object_set_object_member (object, "current", current);
  json_object_set_int_member (object, "handled", figures.handled);
  set_mean_ms (object, "aht_ms", figures.handle_sum, figures.handled);
  if (staffed > 0)
    json_object_set_double_member (object, "occupancy", MIN (1.0, (double) union_length (busy) / (double) staffed));
  else
    json_object_set_null_member (object, "occupancy");
  set_ratings (object, &figures);
  return object;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  const gint64 *x = a, *y = b;

  return *x < *y ? -1 : *x > *y;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Every figure for [from, to), with "now" for what is waiting. */
JsonObject *
parley_metrics_snapshot (ParleyMetrics *self,
                         gint64         from,
                         gint64         to,
                         gint64         now)
{
  g_autoptr(GHashTable) by_queue = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GArray) agents = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 *agent;
  char *key_text;
  JsonObject *snapshot = json_object_new ();
  JsonArray *queues = json_array_new ();
  JsonArray *agent_list = json_array_new ();
  JsonObject *explained = json_object_new ();
  Figures total = { 0 };
  GHashTableIter iter;
  Conversation *conversation;

  g_hash_table_iter_init (&iter, self->conversations);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conversation))
    {
      g_autofree char *key = queue_key (conversation);

      count_conversation (self, conversation, figures_for (by_queue, key), from, to, now);
      count_conversation (self, conversation, &total, from, to, now);
    }
  for (guint i = 0; i < self->transfers->len; i++)
    {
      Rated *transfer = &g_array_index (self->transfers, Rated, i);
      Conversation *moved = g_hash_table_lookup (self->conversations, &transfer->conversation);
      g_autofree char *key = moved ? queue_key (moved) : NULL;

      if (moved && within (transfer->at, from, to))
        {
          figures_for (by_queue, key)->transfers++;
          total.transfers++;
        }
    }
  for (guint i = 0; i < self->surveys->len; i++)
    {
      Rated *rated = &g_array_index (self->surveys, Rated, i);
      Conversation *rated_conversation = g_hash_table_lookup (self->conversations, &rated->conversation);
      g_autofree char *key = rated_conversation ? queue_key (rated_conversation) : NULL;

      if (rated_conversation && within (rated->at, from, to))
        {
          add_rating (figures_for (by_queue, key), rated);
          add_rating (&total, rated);
        }
    }

  keys = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, by_queue);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key_text, NULL))
    g_ptr_array_add (keys, key_text);
  g_ptr_array_sort (keys, compare_keys);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      JsonObject *queue = figures_json (g_hash_table_lookup (by_queue, key));
      g_auto(GStrv) parts = g_strsplit (key, "/", 2);

      json_object_set_int_member (queue, "queue", g_ascii_strtoll (parts[0], NULL, 10));
      json_object_set_string_member (queue, "channel", parts[1]);
      json_array_add_object_element (queues, queue);
    }

  /* Every agent with a presence history or who answered or holds a
   * conversation, in id order. */
  g_hash_table_iter_init (&iter, self->agents);
  while (g_hash_table_iter_next (&iter, (gpointer *) &agent, NULL))
    g_array_append_val (agents, *agent);
  g_hash_table_iter_init (&iter, self->conversations);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conversation))
    {
      if (conversation->holder > 0 && !g_hash_table_contains (self->agents, &conversation->holder))
        g_array_append_val (agents, conversation->holder);
      if (conversation->answered_by > 0 && !g_hash_table_contains (self->agents, &conversation->answered_by))
        g_array_append_val (agents, conversation->answered_by);
    }
  g_array_sort (agents, compare_ids);
  for (guint i = 0; i < agents->len; i++)
    {
      gint64 id = g_array_index (agents, gint64, i);

      if (i > 0 && id == g_array_index (agents, gint64, i - 1))
        continue;
      json_array_add_object_element (agent_list, agent_json (self, id, g_hash_table_lookup (self->agents, &id),
                                                             from, to, now));
    }

  for (guint i = 0; i < G_N_ELEMENTS (formulas); i++)
    json_object_set_string_member (explained, formulas[i].name, formulas[i].formula);
  json_object_set_int_member (snapshot, "from", from);
  json_object_set_int_member (snapshot, "to", to);
  json_object_set_int_member (snapshot, "now", now);
  json_object_set_int_member (snapshot, "short_abandon_ms", self->short_abandon / 1000);
  json_object_set_array_member (snapshot, "queues", queues);
  json_object_set_array_member (snapshot, "agents", agent_list);
  json_object_set_object_member (snapshot, "total", figures_json (&total));
  json_object_set_object_member (snapshot, "formulas", explained);
  return snapshot;
}

/* ---- GObject --------------------------------------------------------------------- */

static void
parley_metrics_finalize (GObject *object)
{
  ParleyMetrics *self = PARLEY_METRICS (object);

  g_hash_table_unref (self->service_levels);
  g_hash_table_unref (self->conversations);
  g_array_unref (self->transfers);
  g_array_unref (self->surveys);
  g_hash_table_unref (self->agents);
  G_OBJECT_CLASS (parley_metrics_parent_class)->finalize (object);
}

static void
parley_metrics_class_init (ParleyMetricsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = parley_metrics_finalize;
}

static void
parley_metrics_init (ParleyMetrics *self)
{
  self->service_levels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->conversations = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) conversation_free);
  self->transfers = g_array_new (FALSE, FALSE, sizeof (Rated));
  self->surveys = g_array_new (FALSE, FALSE, sizeof (Rated));
  self->agents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) state_changes_free);
}
