/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-metrics"

#include "config.h"

#include "parley-metrics.h"

#include <string.h>

/* Contact-center figures for one interval [from, to), computed from what
 * happened (ParleyMetricEvent, read back from the timeline and the presence
 * log). Nothing here is a counter kept beside the record: every figure is a
 * sum of what the events say, and the hub feeds the same events again after
 * a restart or at the start of a new day.
 *
 * The events come in the order they happened and every figure is kept up
 * to date as they come, so a snapshot costs what is open now (waiting
 * conversations, agents), not the length of the day. Each conversation's
 * share of its queue's and its agent's sums is taken out before one of its
 * events is applied and put back after, so a conversation that moves to
 * another queue or agent takes its share along.
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

/* Sums over an interval, for a queue on a channel, an agent or one
 * conversation's share of them. Only gint64 members: shares are added and
 * taken out member by member. */
typedef struct
{
  gint64        offered, answered, answered_in_time, abandoned, short_abandoned;
  gint64        answer_wait_sum, handled, handle_sum, first_response_sum, first_responses, transfers;
  ParleyRatings ratings;
} Figures;

G_STATIC_ASSERT (sizeof (Figures) % sizeof (gint64) == 0);

typedef struct
{
  gint64      queue;
  const char *channel;      /* interned */
  gint64      threshold;    /* service level */
  Figures     figures;
  gint64      waiting;      /* worked out by each snapshot */
  gint64      longest_wait;
} Line;

typedef struct
{
  gint64      id;
  const char *state;        /* interned */
  gint64      since;
  gint64      staffed;      /* time in a staffed state within the interval, up to since */
  gint64      busy;         /* time busy within the interval, before busy_since */
  gint64      busy_since;   /* > 0 while busy */
  guint       held;         /* open conversations held */
  GHashTable *current;      /* interned channel → open conversations held there */
  Figures     handling;     /* the shares of the conversations it holds */
  ParleyRatings ratings;    /* answers that name it */
  GPtrArray  *wrapping;     /* Conversation resolved whose wrap-up may still be under way */
} Agent;

typedef struct
{
  gint64         id;
  Line          *line;
  gint64         queued_at;       /* 0: queued before the events we were given */
  gint64         answered_at;
  gint64         abandoned_at;
  gint64         first_response_at;
  gint64         resolved_at;
  gint64         wrap_up_done_at;
  gint64         transfers;       /* within the interval */
  ParleyRatings  ratings;         /* within the interval */
  Agent         *holder;          /* the agent who has it now */
  Agent         *held_by;         /* the agent whose open conversations count it */
} Conversation;

struct _ParleyMetrics
{
  GObject     parent_instance;

  gint64      short_abandon;
  gint64      from;
  gint64      to;
  GHashTable *lines;           /* "queue/channel" → Line */
  GHashTable *conversations;   /* id → Conversation */
  GHashTable *waiting;         /* Conversation → gint64 *, waiting since when */
  GHashTable *agents;          /* id → Agent */
  GStrv       realtime_channels; /* calls and the like: no first response */
  Figures     total;
};

G_DEFINE_FINAL_TYPE (ParleyMetrics, parley_metrics, G_TYPE_OBJECT)

/* Time in one of these states counts as staffed for occupancy. */
static const char * const staffed_states[] = { "available", "busy", "wrap-up", NULL };

static const struct { const char *name; const char *formula; } formulas[] = {
  { "waiting", "conversations queued (or transferred back to a queue) and not yet answered, abandoned or resolved, now" },
  { "longest_wait_ms", "now − the time the longest-waiting conversation joined the queue" },
  { "offered", "conversations queued in the interval" },
  { "answered", "conversations first answered by an agent in the interval" },
  { "abandoned", "customers who left unanswered in the interval after waiting at least the short-abandon threshold" },
  { "short_abandoned", "customers who left unanswered in the interval sooner than the short-abandon threshold" },
  { "handled", "answered conversations resolved in the interval" },
  { "service_level", "answered within the threshold ÷ (answered + abandoned) × 100; short abandons excluded" },
  { "asa_ms", "mean of (answered − queued) over answered conversations" },
  { "aht_ms", "mean of (resolved − answered) + (wrap-up end − resolved) over conversations resolved in the interval" },
  { "first_response_ms", "mean of (first agent reply − queued) on text channels, first replies in the interval" },
  { "transfers", "transfers in the interval" },
  { "nps", "% promoters (9–10) − % detractors (0–6), rounded, from −100 to 100" },
  { "csat", "share of 4–5 answers on the 1–5 scale, in %, and the average answer" },
  { "occupancy", "time with ≥ 1 conversation or in wrap-up ÷ time available, busy or in wrap-up" },
};

/* ---- ratings -------------------------------------------------------------- */

void
parley_ratings_add (ParleyRatings *self,
                    int            nps,
                    int            csat)
{
  if (nps >= 9)
    self->promoters++;
  else if (nps >= 7)
    self->passives++;
  else if (nps >= 0)
    self->detractors++;
  if (csat >= 1)
    {
      self->csat_answers++;
      self->csat_sum += csat;
      if (csat >= 4)
        self->csat_high++;
    }
}

/* 100 × part ÷ whole, rounded half away from zero. */
static gint64
rounded_percent (gint64 part,
                 gint64 whole)
{
  gint64 scaled = 100 * part;

  return scaled >= 0 ? (scaled + whole / 2) / whole : -((-scaled + whole / 2) / whole);
}

/* Sets "nps" {promoters, passives, detractors, responses, score} and
 * "csat" {responses, share, average}; no answers give null figures. */
void
parley_ratings_to_json (const ParleyRatings *self,
                        JsonObject          *object)
{
  JsonObject *nps = json_object_new ();
  JsonObject *csat = json_object_new ();
  gint64 responses = self->promoters + self->passives + self->detractors;

  json_object_set_int_member (nps, "promoters", self->promoters);
  json_object_set_int_member (nps, "passives", self->passives);
  json_object_set_int_member (nps, "detractors", self->detractors);
  json_object_set_int_member (nps, "responses", responses);
  if (responses > 0)
    json_object_set_int_member (nps, "score", rounded_percent (self->promoters - self->detractors, responses));
  else
    json_object_set_null_member (nps, "score");
  json_object_set_object_member (object, "nps", nps);

  json_object_set_int_member (csat, "responses", self->csat_answers);
  if (self->csat_answers > 0)
    {
      json_object_set_int_member (csat, "share", rounded_percent (self->csat_high, self->csat_answers));
      json_object_set_double_member (csat, "average", (double) self->csat_sum / (double) self->csat_answers);
    }
  else
    {
      json_object_set_null_member (csat, "share");
      json_object_set_null_member (csat, "average");
    }
  json_object_set_object_member (object, "csat", csat);
}

/* ---- bookkeeping ------------------------------------------------------------ */

static void
agent_free (Agent *agent)
{
  g_hash_table_unref (agent->current);
  g_ptr_array_unref (agent->wrapping);
  g_free (agent);
}

ParleyMetrics *
parley_metrics_new (gint64 short_abandon,
                    gint64 from,
                    gint64 to)
{
  ParleyMetrics *self = g_object_new (PARLEY_TYPE_METRICS, NULL);

  self->short_abandon = short_abandon;
  self->from = from;
  self->to = to;
  return self;
}

gint64
parley_metrics_get_from (ParleyMetrics *self)
{
  return self->from;
}

/* The channels whose conversations are sessions (their plugins declare
 * PARLEY_CHANNEL_CAPABILITY_REALTIME), left out of the first-response
 * time; every other channel, running or not, is counted as text. Set
 * before the first conversation is fed. */
void
parley_metrics_set_realtime_channels (ParleyMetrics      *self,
                                      const char * const *kinds)
{
  g_strfreev (self->realtime_channels);
  self->realtime_channels = g_strdupv ((char **) kinds);
}

static Line *
line_for (ParleyMetrics *self,
          gint64         queue,
          const char    *channel)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT "/%s", queue, channel);
  Line *line = g_hash_table_lookup (self->lines, key);

  if (line == NULL)
    {
      line = g_new0 (Line, 1);
      line->queue = queue;
      line->channel = g_intern_string (channel);
      line->threshold = DEFAULT_SERVICE_LEVEL;
      g_hash_table_insert (self->lines, g_steal_pointer (&key), line);
    }
  return line;
}

/* The service-level threshold of one queue on one channel (default 20 s),
 * set before the events come. */
void
parley_metrics_set_service_level (ParleyMetrics *self,
                                  gint64         queue,
                                  const char    *channel,
                                  gint64         threshold)
{
  line_for (self, queue, channel)->threshold = threshold;
}

static Agent *
agent_for (ParleyMetrics *self,
           gint64         id)
{
  Agent *agent;

  if (id <= 0)
    return NULL;
  if ((agent = g_hash_table_lookup (self->agents, &id)) == NULL)
    {
      agent = g_new0 (Agent, 1);
      agent->id = id;
      agent->state = g_intern_static_string ("offline");
      agent->current = g_hash_table_new (NULL, NULL);
      agent->wrapping = g_ptr_array_new ();
      g_hash_table_insert (self->agents, &agent->id, agent);
    }
  return agent;
}

static gboolean
within (ParleyMetrics *self,
        gint64         at)
{
  return at > 0 && at >= self->from && at < self->to;
}

/* The part of [start, end) inside the interval. */
static gint64
clipped (ParleyMetrics *self,
         gint64         start,
         gint64         end)
{
  return MAX (0, MIN (end, self->to) - MAX (start, self->from));
}

/* An agent is busy while holding an open conversation or in wrap-up. */
static void
settle_busy (ParleyMetrics *self,
             Agent         *agent,
             gint64         at)
{
  gboolean busy = agent->held > 0 || g_str_equal (agent->state, "wrap-up");

  if (busy && agent->busy_since == 0)
    agent->busy_since = at;
  else if (!busy && agent->busy_since > 0)
    {
      agent->busy += clipped (self, agent->busy_since, at);
      agent->busy_since = 0;
    }
}

static gboolean
is_open (Conversation *conversation)
{
  return conversation->holder != NULL && conversation->resolved_at == 0 && conversation->abandoned_at == 0;
}

/* Moves the conversation to the open conversations of whoever holds it
 * now, if it is open. */
static void
settle_holding (ParleyMetrics *self,
                Conversation  *conversation,
                gint64         at)
{
  Agent *now_held_by = is_open (conversation) ? conversation->holder : NULL;
  Agent *before = conversation->held_by;
  const char *channel = conversation->line->channel;

  if (now_held_by == before)
    return;
  if (before != NULL)
    {
      guint left = GPOINTER_TO_UINT (g_hash_table_lookup (before->current, channel)) - 1;

      before->held--;
      if (left > 0)
        g_hash_table_insert (before->current, (gpointer) channel, GUINT_TO_POINTER (left));
      else
        g_hash_table_remove (before->current, channel);
      settle_busy (self, before, at);
    }
  if (now_held_by != NULL)
    {
      now_held_by->held++;
      g_hash_table_insert (now_held_by->current, (gpointer) channel,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (now_held_by->current, channel)) + 1));
      settle_busy (self, now_held_by, at);
    }
  conversation->held_by = now_held_by;
}

static void
set_waiting (ParleyMetrics *self,
             Conversation  *conversation,
             gint64         since)
{
  if (since > 0)
    g_hash_table_insert (self->waiting, conversation, g_memdup2 (&since, sizeof since));
  else
    g_hash_table_remove (self->waiting, conversation);
}

/* The conversation's share of the interval's sums, as it stands. */
static void
count_share (ParleyMetrics *self,
             Conversation  *conversation,
             Figures       *share)
{
  if (within (self, conversation->queued_at))
    share->offered++;
  if (within (self, conversation->answered_at))
    {
      gint64 wait = conversation->answered_at - conversation->queued_at;

      share->answered++;
      share->answer_wait_sum += wait;
      if (wait <= conversation->line->threshold)
        share->answered_in_time++;
    }
  if (within (self, conversation->abandoned_at))
    {
      if (conversation->abandoned_at - conversation->queued_at < self->short_abandon)
        share->short_abandoned++;
      else
        share->abandoned++;
    }
  if (within (self, conversation->resolved_at) && conversation->answered_at > 0)
    {
      share->handled++;
      share->handle_sum += conversation->resolved_at - conversation->answered_at;
      if (conversation->wrap_up_done_at >= conversation->resolved_at)
        share->handle_sum += conversation->wrap_up_done_at - conversation->resolved_at;
    }
  if (within (self, conversation->first_response_at) && conversation->queued_at > 0 &&
      !(self->realtime_channels && g_strv_contains ((const char * const *) self->realtime_channels, conversation->line->channel)))
    {
      share->first_responses++;
      share->first_response_sum += conversation->first_response_at - conversation->queued_at;
    }
  share->transfers += conversation->transfers;
  share->ratings = conversation->ratings;
}

static void
figures_merge (Figures       *into,
               const Figures *part,
               gint64         sign)
{
  gint64 *to = (gint64 *) into;
  const gint64 *from = (const gint64 *) part;

  for (gsize i = 0; i < sizeof (Figures) / sizeof (gint64); i++)
    to[i] += sign * from[i];
}

/* sign −1 takes the conversation's share out of its queue's, its agent's
 * and the total sums; +1 puts it back. */
static void
apply_share (ParleyMetrics *self,
             Conversation  *conversation,
             gint64         sign)
{
  Figures share = { 0 };

  count_share (self, conversation, &share);
  figures_merge (&conversation->line->figures, &share, sign);
  figures_merge (&self->total, &share, sign);
  if (conversation->holder != NULL)
    figures_merge (&conversation->holder->handling, &share, sign);
}

static Conversation *
conversation_new (ParleyMetrics           *self,
                  const ParleyMetricEvent *event)
{
  Conversation *conversation = g_new0 (Conversation, 1);

  conversation->id = event->conversation;
  conversation->line = line_for (self, event->queue, event->channel);
  g_hash_table_insert (self->conversations, &conversation->id, conversation);
  return conversation;
}

/* The end of an agent's wrap-up ends the wrap-up of everything they
 * resolved since it began. */
static void
change_state (ParleyMetrics           *self,
              const ParleyMetricEvent *event)
{
  Agent *agent = agent_for (self, event->agent);
  const char *state = g_intern_string (event->state);
  gboolean wrapping_up = g_str_equal (state, "wrap-up");

  if (agent == NULL)
    return;
  if (g_strv_contains (staffed_states, agent->state))
    agent->staffed += clipped (self, agent->since, event->at);
  if (g_str_equal (agent->state, "wrap-up") && !wrapping_up)
    for (guint i = 0; i < agent->wrapping->len; i++)
      {
        Conversation *conversation = g_ptr_array_index (agent->wrapping, i);

        if (conversation->resolved_at < agent->since)
          continue;
        apply_share (self, conversation, -1);
        conversation->wrap_up_done_at = event->at;
        apply_share (self, conversation, +1);
      }
  /* Resolved before a wrap-up that starts now: no wrap-up of theirs. */
  for (guint i = agent->wrapping->len; i > 0; i--)
    {
      Conversation *conversation = g_ptr_array_index (agent->wrapping, i - 1);

      if (!wrapping_up || conversation->resolved_at < event->at)
        g_ptr_array_remove_index_fast (agent->wrapping, i - 1);
    }
  agent->state = state;
  agent->since = event->at;
  settle_busy (self, agent, event->at);
}

static void
rate (ParleyMetrics           *self,
      Conversation            *conversation,
      const ParleyMetricEvent *event)
{
  Agent *agent = event->agent > 0 ? agent_for (self, event->agent) : conversation->holder;

  if (!within (self, event->at))
    return;
  parley_ratings_add (&conversation->ratings, event->nps, event->csat);
  if (agent != NULL)
    parley_ratings_add (&agent->ratings, event->nps, event->csat);
}

/* Events come in the order they happened. */
void
parley_metrics_add (ParleyMetrics           *self,
                    const ParleyMetricEvent *event)
{
  Conversation *conversation = g_hash_table_lookup (self->conversations, &event->conversation);

  if (event->kind == PARLEY_METRIC_AGENT_STATE)
    {
      change_state (self, event);
      return;
    }
  if (conversation == NULL)
    {
      /* Answers may come long after the conversation: it still counts for
       * the ratings of its queue and agent. Other events of a conversation
       * that began before the events we were given are no figure's. */
      if (event->kind != PARLEY_METRIC_QUEUED && event->kind != PARLEY_METRIC_SURVEY)
        return;
      conversation = conversation_new (self, event);
      if (event->kind == PARLEY_METRIC_QUEUED)
        {
          conversation->queued_at = event->at;
          set_waiting (self, conversation, event->at);
        }
      else
        rate (self, conversation, event);
      apply_share (self, conversation, +1);
      return;
    }

  apply_share (self, conversation, -1);
  switch (event->kind)
    {
    case PARLEY_METRIC_QUEUED:
      break;  /* queued once; back in the queue comes as a transfer */
    case PARLEY_METRIC_ANSWERED:
      if (conversation->answered_at == 0 && conversation->abandoned_at == 0)
        conversation->answered_at = event->at;
      conversation->holder = agent_for (self, event->agent);
      set_waiting (self, conversation, 0);
      break;
    case PARLEY_METRIC_ABANDONED:
      if (conversation->answered_at == 0 && conversation->abandoned_at == 0)
        conversation->abandoned_at = event->at;
      set_waiting (self, conversation, 0);
      break;
    case PARLEY_METRIC_FIRST_RESPONSE:
      if (conversation->first_response_at == 0)
        conversation->first_response_at = event->at;
      break;
    case PARLEY_METRIC_TRANSFERRED:
      if (within (self, event->at))
        conversation->transfers++;
      conversation->holder = agent_for (self, event->agent);
      if (conversation->holder == NULL && event->queue > 0)
        conversation->line = line_for (self, event->queue, conversation->line->channel);
      /* Back in a queue it waits again, from now. */
      set_waiting (self, conversation, conversation->holder == NULL ? event->at : 0);
      break;
    case PARLEY_METRIC_RESOLVED:
      {
        Agent *wrapping = conversation->holder ? conversation->holder : agent_for (self, event->agent);

        conversation->resolved_at = event->at;
        set_waiting (self, conversation, 0);
        if (wrapping != NULL)
          g_ptr_array_add (wrapping->wrapping, conversation);
      }
      break;
    case PARLEY_METRIC_SURVEY:
      rate (self, conversation, event);
      break;
    case PARLEY_METRIC_AGENT_STATE:
      g_assert_not_reached ();
    }
  apply_share (self, conversation, +1);
  settle_holding (self, conversation, event->at);
}

/* ---- snapshot ---------------------------------------------------------------- */

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

static JsonObject *
figures_json (const Figures *figures,
              gint64         waiting,
              gint64         longest_wait)
{
  JsonObject *object = json_object_new ();
  gint64 counted = figures->answered + figures->abandoned;

  json_object_set_int_member (object, "waiting", waiting);
  json_object_set_int_member (object, "longest_wait_ms", longest_wait / 1000);
  json_object_set_int_member (object, "offered", figures->offered);
  json_object_set_int_member (object, "answered", figures->answered);
  json_object_set_int_member (object, "abandoned", figures->abandoned);
  json_object_set_int_member (object, "short_abandoned", figures->short_abandoned);
  json_object_set_int_member (object, "handled", figures->handled);
  if (counted > 0)
    json_object_set_double_member (object, "service_level", 100.0 * (double) figures->answered_in_time / (double) counted);
  else
    json_object_set_null_member (object, "service_level");
  set_mean_ms (object, "asa_ms", figures->answer_wait_sum, figures->answered);
  set_mean_ms (object, "aht_ms", figures->handle_sum, figures->handled);
  set_mean_ms (object, "first_response_ms", figures->first_response_sum, figures->first_responses);
  json_object_set_int_member (object, "transfers", figures->transfers);
  parley_ratings_to_json (&figures->ratings, object);
  return object;
}

static JsonObject *
agent_json (ParleyMetrics *self,
            Agent         *agent,
            gint64         now)
{
  JsonObject *object = json_object_new ();
  JsonObject *current = json_object_new ();
  gint64 staffed = agent->staffed, busy = agent->busy;
  GHashTableIter iter;
  gpointer channel, count;

  if (g_strv_contains (staffed_states, agent->state))
    staffed += clipped (self, agent->since, now);
  if (agent->busy_since > 0)
    busy += clipped (self, agent->busy_since, now);
  g_hash_table_iter_init (&iter, agent->current);
  while (g_hash_table_iter_next (&iter, &channel, &count))
    json_object_set_int_member (current, channel, GPOINTER_TO_UINT (count));

  json_object_set_int_member (object, "agent", agent->id);
  json_object_set_string_member (object, "state", agent->state);
  json_object_set_int_member (object, "since", agent->since);
  json_object_set_object_member (object, "current", current);
  json_object_set_int_member (object, "handled", agent->handling.handled);
  set_mean_ms (object, "aht_ms", agent->handling.handle_sum, agent->handling.handled);
  if (staffed > 0)
    json_object_set_double_member (object, "occupancy", MIN (1.0, (double) busy / (double) staffed));
  else
    json_object_set_null_member (object, "occupancy");
  parley_ratings_to_json (&agent->ratings, object);
  return object;
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  const Line *x = *(Line * const *) a, *y = *(Line * const *) b;

  if (x->queue != y->queue)
    return x->queue < y->queue ? -1 : 1;
  return strcmp (x->channel, y->channel);
}

static int
compare_agents (gconstpointer a,
                gconstpointer b)
{
  const Agent *x = *(Agent * const *) a, *y = *(Agent * const *) b;

  return x->id < y->id ? -1 : x->id > y->id;
}

/* g_hash_table_get_values_as_ptr_array () came after GLib 2.74. */
static GPtrArray *
values_of (GHashTable *table)
{
  GPtrArray *values = g_ptr_array_sized_new (g_hash_table_size (table));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (values, value);
  return values;
}

/* Every figure for the interval, with "now" (no earlier than any event
 * given) for what is waiting and what is still going on. */
JsonObject *
parley_metrics_snapshot (ParleyMetrics *self,
                         gint64         now)
{
  g_autoptr(GPtrArray) lines = values_of (self->lines);
  g_autoptr(GPtrArray) agents = values_of (self->agents);
  JsonObject *snapshot = json_object_new ();
  JsonArray *queues = json_array_new ();
  JsonArray *agent_list = json_array_new ();
  JsonObject *explained = json_object_new ();
  gint64 waiting = 0, longest_wait = 0;
  GHashTableIter iter;
  gpointer key, since;

  for (guint i = 0; i < lines->len; i++)
    {
      Line *line = g_ptr_array_index (lines, i);

      line->waiting = line->longest_wait = 0;
    }
  g_hash_table_iter_init (&iter, self->waiting);
  while (g_hash_table_iter_next (&iter, &key, &since))
    {
      Line *line = ((Conversation *) key)->line;
      gint64 wait = MAX (0, now - *(gint64 *) since);

      line->waiting++;
      line->longest_wait = MAX (line->longest_wait, wait);
      waiting++;
      longest_wait = MAX (longest_wait, wait);
    }

  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    {
      Line *line = g_ptr_array_index (lines, i);
      JsonObject *queue;

      /* A threshold set for a queue that saw nothing is not a figure. */
      if (line->waiting == 0 && memcmp (&line->figures, &(Figures) { 0 }, sizeof (Figures)) == 0)
        continue;
      queue = figures_json (&line->figures, line->waiting, line->longest_wait);
      json_object_set_int_member (queue, "queue", line->queue);
      json_object_set_string_member (queue, "channel", line->channel);
      json_array_add_object_element (queues, queue);
    }

  g_ptr_array_sort (agents, compare_agents);
  for (guint i = 0; i < agents->len; i++)
    json_array_add_object_element (agent_list, agent_json (self, g_ptr_array_index (agents, i), now));

  for (guint i = 0; i < G_N_ELEMENTS (formulas); i++)
    json_object_set_string_member (explained, formulas[i].name, formulas[i].formula);
  json_object_set_int_member (snapshot, "from", self->from);
  json_object_set_int_member (snapshot, "to", MIN (self->to, now));
  json_object_set_int_member (snapshot, "now", now);
  json_object_set_int_member (snapshot, "short_abandon_ms", self->short_abandon / 1000);
  json_object_set_array_member (snapshot, "queues", queues);
  json_object_set_array_member (snapshot, "agents", agent_list);
  json_object_set_object_member (snapshot, "total", figures_json (&self->total, waiting, longest_wait));
  json_object_set_object_member (snapshot, "formulas", explained);
  return snapshot;
}

/* ---- GObject --------------------------------------------------------------------- */

static void
parley_metrics_finalize (GObject *object)
{
  ParleyMetrics *self = PARLEY_METRICS (object);

  g_hash_table_unref (self->waiting);
  g_hash_table_unref (self->conversations);
  g_hash_table_unref (self->agents);
  g_hash_table_unref (self->lines);
  g_strfreev (self->realtime_channels);
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
  self->lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->conversations = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  self->waiting = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->agents = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) agent_free);
  self->to = G_MAXINT64;
}
