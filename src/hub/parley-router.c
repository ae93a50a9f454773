/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-router"

#include "config.h"

#include "parley-router.h"

/* Cost, for W waiting conversations and A agents:
 *  - waiting conversations sit in a GSequence ordered by priority then age,
 *    so enqueueing is O(log W) and a dispatch round never sorts;
 *  - per channel, the set of available agents with a free slot there is kept
 *    up to date as load, presence and capacity change (O(channels) per
 *    change), so a round skips a conversation whose channel has nobody free
 *    in O(1), and stops as soon as nobody is free anywhere;
 *  - the search for the best agent walks only the channel's free agents, and
 *    a requirement (queue, channel, relaxation step) that found nobody is not
 *    searched again in the same round: picks only ever take slots away.
 * A round is O(W + searches × free agents on the channel), where searches are
 * the offers made, one per distinct requirement nobody meets, and one per
 * unserved conversation that excludes someone. next_deadline is O(offers +
 * waiting conversations that still relax or exclude someone). */

typedef enum {
  CONVERSATION_WAITING,
  CONVERSATION_OFFERED,
  CONVERSATION_ASSIGNED,
} ConversationState;

typedef struct
{
  gint64      id;
  GHashTable *skills;     /* skill → level */
  GHashTable *capacity;   /* channel → slots */
  GHashTable *load;       /* channel → slots in use, no zero entries */
  guint       total_capacity;
  guint       total_load;
  gboolean    available;
  gint64      available_since;
} Agent;

/* A queue's priority is not kept: conversations are ordered by the priority
 * they were enqueued with, which the hub takes from the queue. */
typedef struct
{
  GHashTable *skills;     /* skill → minimum level */
  guint       relax_after;
  guint       max_level;  /* relaxation steps after which nothing is required */
} Queue;

typedef struct
{
  gint64             id;
  gint64             queue_id;
  char              *channel;
  gint               priority;
  gint64             waiting_since;
  gint64             preferred_agent_id;
  ConversationState  state;
  gint64             agent_id;   /* offered to or held by */
  gint64             offer_id;
  gint64             expires;
  GHashTable        *excluded;   /* agent id → excluded until; NULL until a decline */
  GSequenceIter     *waiting;    /* position in self->waiting while waiting */
} Conversation;

struct _ParleyRouter
{
  GObject     parent_instance;

  GHashTable *agents;         /* id → Agent */
  GHashTable *queues;         /* id → Queue */
  GHashTable *conversations;  /* id → Conversation */
  GSequence  *waiting;        /* Conversation, by priority then age */
  GHashTable *free_agents;    /* channel → set of available Agents with a free slot */
  GHashTable *offered;        /* set of Conversations with a pending offer */
  GHashTable *timed;          /* set of waiting Conversations that may still relax
                               * or exclude someone; pruned by next_deadline */
  gint64      retry_exclusion;
};

G_DEFINE_FINAL_TYPE (ParleyRouter, parley_router, G_TYPE_OBJECT)

static GHashTable *
levels_from_json (JsonObject *object)
{
  GHashTable *levels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (object == NULL)
    return levels;
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    if (json_node_get_value_type (node) == G_TYPE_INT64 && json_node_get_int (node) > 0)
      g_hash_table_insert (levels, g_strdup (name),
                           GUINT_TO_POINTER ((guint) MIN (json_node_get_int (node), G_MAXINT)));
  return levels;
}

static guint
level_of (GHashTable *levels,
          const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (levels, name));
}

/* The sum of the levels, and their maximum if max is not NULL. */
static guint
sum_of (GHashTable *levels,
        guint      *max)
{
  GHashTableIter iter;
  gpointer level;
  guint sum = 0;

  if (max != NULL)
    *max = 0;
  g_hash_table_iter_init (&iter, levels);
  while (g_hash_table_iter_next (&iter, NULL, &level))
    {
      sum += GPOINTER_TO_UINT (level);
      if (max != NULL)
        *max = MAX (*max, GPOINTER_TO_UINT (level));
    }
  return sum;
}

static void
agent_free (gpointer data)
{
  Agent *agent = data;

  g_hash_table_unref (agent->skills);
  g_hash_table_unref (agent->capacity);
  g_hash_table_unref (agent->load);
  g_free (agent);
}

static void
queue_free (gpointer data)
{
  Queue *queue = data;

  g_hash_table_unref (queue->skills);
  g_free (queue);
}

static void
conversation_free (gpointer data)
{
  Conversation *conversation = data;

  g_free (conversation->channel);
  g_clear_pointer (&conversation->excluded, g_hash_table_unref);
  g_free (conversation);
}

static Conversation *
lookup_conversation (ParleyRouter *self,
                     gint64        conversation_id)
{
  return g_hash_table_lookup (self->conversations, &conversation_id);
}

static guint
free_slots (Agent      *agent,
            const char *channel)
{
  guint capacity = level_of (agent->capacity, channel);
  guint load = level_of (agent->load, channel);

  return capacity > load ? capacity - load : 0;
}

/* Brings self->free_agents in line with the agent's state on one channel. */
static void
track_slot (ParleyRouter *self,
            Agent        *agent,
            const char   *channel)
{
  GHashTable *agents = g_hash_table_lookup (self->free_agents, channel);

  if (agent->available && free_slots (agent, channel) > 0)
    {
      if (agents == NULL)
        {
          agents = g_hash_table_new (NULL, NULL);
          g_hash_table_insert (self->free_agents, g_strdup (channel), agents);
        }
      g_hash_table_add (agents, agent);
    }
  else if (agents != NULL && g_hash_table_remove (agents, agent) && g_hash_table_size (agents) == 0)
    g_hash_table_remove (self->free_agents, channel);
}

static void
track_channels (ParleyRouter *self,
                Agent        *agent,
                GHashTable   *channels)
{
  GHashTableIter iter;
  gpointer channel;

  g_hash_table_iter_init (&iter, channels);
  while (g_hash_table_iter_next (&iter, &channel, NULL))
    track_slot (self, agent, channel);
}

static void
add_load (ParleyRouter *self,
          Agent        *agent,
          const char   *channel,
          gint          delta)
{
  guint load = level_of (agent->load, channel);

  g_return_if_fail (delta > 0 || load > 0);

  load += delta;
  agent->total_load += delta;
  if (load == 0)
    g_hash_table_remove (agent->load, channel);
  else
    g_hash_table_replace (agent->load, g_strdup (channel), GUINT_TO_POINTER (load));
  track_slot (self, agent, channel);
}

static gint
compare_waiting (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const Conversation *x = a, *y = b;

  if (x->priority != y->priority)
    return x->priority > y->priority ? -1 : 1;
  if (x->waiting_since != y->waiting_since)
    return x->waiting_since < y->waiting_since ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Frees whatever the conversation holds: its place in the queue, or the
 * slot of the agent it is offered to or held by. */
static void
release (ParleyRouter *self,
         Conversation *conversation)
{
  Agent *agent = g_hash_table_lookup (self->agents, &conversation->agent_id);

  if (conversation->waiting != NULL)
    g_sequence_remove (conversation->waiting);
  else if (agent != NULL && conversation->state != CONVERSATION_WAITING)
    add_load (self, agent, conversation->channel, -1);
  g_hash_table_remove (self->offered, conversation);
  g_hash_table_remove (self->timed, conversation);
  conversation->state = CONVERSATION_WAITING;
  conversation->waiting = NULL;
  conversation->agent_id = 0;
  conversation->offer_id = 0;
  conversation->expires = 0;
}

static void
start_waiting (ParleyRouter *self,
               Conversation *conversation)
{
  conversation->state = CONVERSATION_WAITING;
  conversation->waiting = g_sequence_insert_sorted (self->waiting, conversation, compare_waiting, NULL);
  g_hash_table_add (self->timed, conversation);
}

/* How many steps the queue's requirements have relaxed, capped where
 * nothing is required any more so equal requirements get equal steps. */
static gint64
relax_steps (Queue        *queue,
             Conversation *conversation,
             gint64        now)
{
  gint64 waited = MAX (now - conversation->waiting_since, 0);

  if (queue == NULL || queue->relax_after == 0)
    return 0;
  return MIN (waited / ((gint64) queue->relax_after * G_USEC_PER_SEC), (gint64) queue->max_level);
}

static gboolean
is_excluded (Conversation *conversation,
             gint64        agent_id,
             gint64        now)
{
  gint64 *until;

  return conversation->excluded != NULL &&
         (until = g_hash_table_lookup (conversation->excluded, &agent_id)) != NULL &&
         *until > now;
}

static gboolean
excludes_anyone (Conversation *conversation,
                 gint64        now)
{
  GHashTableIter iter;
  gpointer until;

  if (conversation->excluded == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, conversation->excluded);
  while (g_hash_table_iter_next (&iter, NULL, &until))
    if (*(gint64 *) until > now)
      return TRUE;
  return FALSE;
}

/* Candidates are already available with a free slot on the channel; this
 * checks exclusion and skills, and scores the agent's skills. */
static gboolean
is_eligible (Agent        *agent,
             Queue        *queue,
             gint64        steps,
             Conversation *conversation,
             gint64        now,
             guint        *score)
{
  GHashTableIter iter;
  gpointer skill, minimum;

  *score = 0;
  if (is_excluded (conversation, agent->id, now))
    return FALSE;
  if (queue == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, queue->skills);
  while (g_hash_table_iter_next (&iter, &skill, &minimum))
    {
      guint level = level_of (agent->skills, skill);

      /* A requirement relaxed to 0 or below is met by anyone. */
      if ((gint64) level < (gint64) GPOINTER_TO_UINT (minimum) - steps)
        return FALSE;
      *score += level;
    }
  return TRUE;
}

/* Whether a beats b once stickiness is settled: skill, then the lighter
 * load, then whoever has been available longest, then the lower id. */
static gboolean
better_agent (Agent *a,
              guint  a_score,
              Agent *b,
              guint  b_score)
{
  /* Occupancies compared as fractions, without rounding. */
  guint64 a_occupancy = (guint64) a->total_load * b->total_capacity;
  guint64 b_occupancy = (guint64) b->total_load * a->total_capacity;

  if (a_score != b_score)
    return a_score > b_score;
  if (a_occupancy != b_occupancy)
    return a_occupancy < b_occupancy;
  if (a->available_since != b->available_since)
    return a->available_since < b->available_since;
  return a->id < b->id;
}

static Agent *
best_agent (ParleyRouter *self,
            Queue        *queue,
            gint64        steps,
            Conversation *conversation,
            GHashTable   *candidates,
            gint64        now)
{
  Agent *preferred = g_hash_table_lookup (self->agents, &conversation->preferred_agent_id);
  Agent *best = NULL;
  guint best_score = 0, score;
  GHashTableIter iter;
  gpointer agent;

  if (preferred != NULL && g_hash_table_contains (candidates, preferred) &&
      is_eligible (preferred, queue, steps, conversation, now, &score))
    return preferred;

  g_hash_table_iter_init (&iter, candidates);
  while (g_hash_table_iter_next (&iter, &agent, NULL))
    if (is_eligible (agent, queue, steps, conversation, now, &score) &&
        (best == NULL || better_agent (agent, score, best, best_score)))
      {
        best = agent;
        best_score = score;
      }
  return best;
}

static void
parley_router_finalize (GObject *object)
{
  ParleyRouter *self = (ParleyRouter *) object;

  g_sequence_free (self->waiting);
  g_hash_table_unref (self->free_agents);
  g_hash_table_unref (self->offered);
  g_hash_table_unref (self->timed);
  g_hash_table_unref (self->conversations);
  g_hash_table_unref (self->queues);
  g_hash_table_unref (self->agents);

  G_OBJECT_CLASS (parley_router_parent_class)->finalize (object);
}

static void
parley_router_class_init (ParleyRouterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = parley_router_finalize;
}

static void
parley_router_init (ParleyRouter *self)
{
  self->agents = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, agent_free);
  self->queues = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, queue_free);
  self->conversations = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, conversation_free);
  self->waiting = g_sequence_new (NULL);
  self->free_agents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_hash_table_unref);
  self->offered = g_hash_table_new (NULL, NULL);
  self->timed = g_hash_table_new (NULL, NULL);
  self->retry_exclusion = 60 * G_USEC_PER_SEC;
}

ParleyRouter *
parley_router_new (void)
{
  return g_object_new (PARLEY_TYPE_ROUTER, NULL);
}

void
parley_router_set_retry_exclusion (ParleyRouter *self,
                                   guint         seconds)
{
  g_return_if_fail (PARLEY_IS_ROUTER (self));

  self->retry_exclusion = (gint64) seconds * G_USEC_PER_SEC;
}

void
parley_router_set_queue (ParleyRouter *self,
                         gint64        queue_id,
                         gint          priority,
                         JsonObject   *skills,
                         guint         relax_after)
{
  Queue *queue;
  GSequenceIter *iter;

  g_return_if_fail (PARLEY_IS_ROUTER (self));

  queue = g_new0 (Queue, 1);
  queue->skills = levels_from_json (skills);
  queue->relax_after = relax_after;
  sum_of (queue->skills, &queue->max_level);
  g_hash_table_replace (self->queues, g_memdup2 (&queue_id, sizeof queue_id), queue);

  /* Its waiting conversations may now relax on a new schedule. */
  for (iter = g_sequence_get_begin_iter (self->waiting); !g_sequence_iter_is_end (iter);
       iter = g_sequence_iter_next (iter))
    {
      Conversation *conversation = g_sequence_get (iter);

      if (conversation->queue_id == queue_id)
        g_hash_table_add (self->timed, conversation);
    }
}

void
parley_router_set_agent (ParleyRouter *self,
                         gint64        agent_id,
                         JsonObject   *skills,
                         JsonObject   *capacity)
{
  g_autoptr(GHashTable) old_capacity = NULL;
  Agent *agent;

  g_return_if_fail (PARLEY_IS_ROUTER (self));

  agent = g_hash_table_lookup (self->agents, &agent_id);
  if (agent != NULL)
    {
      g_hash_table_unref (agent->skills);
      old_capacity = agent->capacity;
    }
  else
    {
      agent = g_new0 (Agent, 1);
      agent->id = agent_id;
      agent->load = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->agents, &agent->id, agent);
    }
  agent->skills = levels_from_json (skills);
  agent->capacity = levels_from_json (capacity);
  agent->total_capacity = sum_of (agent->capacity, NULL);

  if (old_capacity == NULL)
    {
      GHashTableIter iter;
      gpointer value;

      /* Conversations assigned before the agent was known hold slots too. */
      g_hash_table_iter_init (&iter, self->conversations);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Conversation *conversation = value;

          if (conversation->state != CONVERSATION_WAITING && conversation->agent_id == agent_id)
            add_load (self, agent, conversation->channel, +1);
        }
    }

  /* Channels gained, and channels lost. */
  track_channels (self, agent, agent->capacity);
  if (old_capacity != NULL)
    track_channels (self, agent, old_capacity);
}

void
parley_router_set_available (ParleyRouter *self,
                             gint64        agent_id,
                             gboolean      available,
                             gint64        now)
{
  Agent *agent;

  g_return_if_fail (PARLEY_IS_ROUTER (self));

  agent = g_hash_table_lookup (self->agents, &agent_id);
  if (agent == NULL || agent->available == !!available)
    return;
  agent->available = !!available;
  if (available)
    agent->available_since = now;
  track_channels (self, agent, agent->capacity);
}

/* Agents available with any capacity on @channel, busy or not: whether
 * anyone is answering that channel at all. */
guint
parley_router_count_staffing (ParleyRouter *self,
                              const char   *channel)
{
  GHashTableIter iter;
  Agent *agent;
  guint n = 0;

  g_return_val_if_fail (PARLEY_IS_ROUTER (self), 0);

  g_hash_table_iter_init (&iter, self->agents);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &agent))
    if (agent->available && level_of (agent->capacity, channel) > 0)
      n++;
  return n;
}

gboolean
parley_router_is_available (ParleyRouter *self,
                            gint64        agent_id)
{
  Agent *agent;

  g_return_val_if_fail (PARLEY_IS_ROUTER (self), FALSE);

  agent = g_hash_table_lookup (self->agents, &agent_id);
  return agent != NULL && agent->available;
}

/* The conversation, new or freed of whatever it held, on the channel. */
static Conversation *
ensure_conversation (ParleyRouter *self,
                     gint64        conversation_id,
                     const char   *channel)
{
  Conversation *conversation = lookup_conversation (self, conversation_id);

  if (conversation != NULL)
    {
      release (self, conversation);
      g_free (conversation->channel);
    }
  else
    {
      conversation = g_new0 (Conversation, 1);
      conversation->id = conversation_id;
      g_hash_table_insert (self->conversations, &conversation->id, conversation);
    }
  conversation->channel = g_strdup (channel);
  return conversation;
}

void
parley_router_enqueue (ParleyRouter *self,
                       gint64        conversation_id,
                       gint64        queue_id,
                       const char   *channel,
                       gint          priority,
                       gint64        waiting_since,
                       gint64        preferred_agent_id)
{
  Conversation *conversation;

  g_return_if_fail (PARLEY_IS_ROUTER (self));
  g_return_if_fail (channel != NULL);

  conversation = ensure_conversation (self, conversation_id, channel);
  conversation->queue_id = queue_id;
  conversation->priority = priority;
  conversation->waiting_since = waiting_since;
  conversation->preferred_agent_id = preferred_agent_id;
  start_waiting (self, conversation);
}

void
parley_router_assign (ParleyRouter *self,
                      gint64        conversation_id,
                      gint64        agent_id,
                      const char   *channel)
{
  Conversation *conversation;
  Agent *agent;

  g_return_if_fail (PARLEY_IS_ROUTER (self));
  g_return_if_fail (channel != NULL);

  conversation = ensure_conversation (self, conversation_id, channel);
  conversation->state = CONVERSATION_ASSIGNED;
  conversation->agent_id = agent_id;
  agent = g_hash_table_lookup (self->agents, &agent_id);
  if (agent != NULL)
    add_load (self, agent, channel, +1);
}

void
parley_router_remove (ParleyRouter *self,
                      gint64        conversation_id)
{
  Conversation *conversation;

  g_return_if_fail (PARLEY_IS_ROUTER (self));

  conversation = lookup_conversation (self, conversation_id);
  if (conversation == NULL)
    return;
  release (self, conversation);
  g_hash_table_remove (self->conversations, &conversation_id);
}

static void
offer_to (ParleyRouter *self,
          Conversation *conversation,
          Agent        *agent)
{
  release (self, conversation);
  conversation->state = CONVERSATION_OFFERED;
  conversation->agent_id = agent->id;
  g_hash_table_add (self->offered, conversation);
  add_load (self, agent, conversation->channel, +1);
}

GArray *
parley_router_dispatch (ParleyRouter *self,
                        gint64        now)
{
  GArray *offers = g_array_new (FALSE, FALSE, sizeof (ParleyRouterOffer));
  g_autoptr(GHashTable) unmet = NULL;
  GSequenceIter *iter;

  g_return_val_if_fail (PARLEY_IS_ROUTER (self), offers);

  unmet = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  iter = g_sequence_get_begin_iter (self->waiting);
  while (g_hash_table_size (self->free_agents) > 0 && !g_sequence_iter_is_end (iter))
    {
      Conversation *conversation = g_sequence_get (iter);
      GHashTable *candidates = g_hash_table_lookup (self->free_agents, conversation->channel);
      g_autofree char *requirement = NULL;
      ParleyRouterOffer offer;
      Queue *queue;
      Agent *agent;
      gint64 steps;

      iter = g_sequence_iter_next (iter);
      if (candidates == NULL)
        continue;

      /* Conversations with the same requirement ask the same of the same
       * agents, and exclusions only make it harder. */
      queue = g_hash_table_lookup (self->queues, &conversation->queue_id);
      steps = relax_steps (queue, conversation, now);
      requirement = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%s",
                                     conversation->queue_id, steps, conversation->channel);
      if (g_hash_table_contains (unmet, requirement))
        continue;
      agent = best_agent (self, queue, steps, conversation, candidates, now);
      if (agent == NULL)
        {
          if (!excludes_anyone (conversation, now))
            g_hash_table_add (unmet, g_steal_pointer (&requirement));
          continue;
        }

      offer_to (self, conversation, agent);
      offer.conversation_id = conversation->id;
      offer.agent_id = agent->id;
      g_array_append_val (offers, offer);
    }
  return offers;
}

void
parley_router_offer_created (ParleyRouter *self,
                             gint64        conversation_id,
                             gint64        offer_id,
                             gint64        expires)
{
  Conversation *conversation;

  g_return_if_fail (PARLEY_IS_ROUTER (self));

  conversation = lookup_conversation (self, conversation_id);
  if (conversation == NULL || conversation->state != CONVERSATION_OFFERED)
    return;
  conversation->offer_id = offer_id;
  conversation->expires = expires;
}

void
parley_router_offer_accepted (ParleyRouter *self,
                              gint64        conversation_id)
{
  Conversation *conversation;

  g_return_if_fail (PARLEY_IS_ROUTER (self));

  conversation = lookup_conversation (self, conversation_id);
  if (conversation == NULL || conversation->state != CONVERSATION_OFFERED)
    return;
  conversation->state = CONVERSATION_ASSIGNED;
  conversation->offer_id = 0;
  conversation->expires = 0;
  g_hash_table_remove (self->offered, conversation);
}

void
parley_router_offer_declined (ParleyRouter *self,
                              gint64        conversation_id,
                              gint64        now)
{
  Conversation *conversation;
  gint64 until = now + self->retry_exclusion;

  g_return_if_fail (PARLEY_IS_ROUTER (self));

  conversation = lookup_conversation (self, conversation_id);
  if (conversation == NULL || conversation->state != CONVERSATION_OFFERED)
    return;
  if (conversation->excluded == NULL)
    conversation->excluded = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_hash_table_replace (conversation->excluded,
                        g_memdup2 (&conversation->agent_id, sizeof conversation->agent_id),
                        g_memdup2 (&until, sizeof until));
  release (self, conversation);
  start_waiting (self, conversation);
}

/* Open offers, all of them or only those made to one agent (0 = any) or
 * expiring by `until` (G_MAXINT64 = whenever). */
static GArray *
open_offers (ParleyRouter *self,
             gint64        agent_id,
             gint64        until)
{
  GArray *found = g_array_new (FALSE, FALSE, sizeof (ParleyRouterExpiry));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->offered);
  while (g_hash_table_iter_next (&iter, &value, NULL))
    {
      Conversation *conversation = value;

      if (conversation->offer_id > 0 && conversation->expires <= until &&
          (agent_id == 0 || conversation->agent_id == agent_id))
        {
          ParleyRouterExpiry offer = { conversation->offer_id, conversation->id, conversation->agent_id };

          g_array_append_val (found, offer);
        }
    }
  return found;
}

GArray *
parley_router_collect_expired (ParleyRouter *self,
                               gint64        now)
{
  g_return_val_if_fail (PARLEY_IS_ROUTER (self), NULL);

  return open_offers (self, 0, now);
}

GArray *
parley_router_offers_of (ParleyRouter *self,
                         gint64        agent_id)
{
  g_return_val_if_fail (PARLEY_IS_ROUTER (self), NULL);

  return open_offers (self, agent_id, G_MAXINT64);
}

/* When the next skill requirement relaxes a step for the conversation. */
static gint64
next_relaxation (Queue        *queue,
                 Conversation *conversation,
                 gint64        now)
{
  gint64 steps = relax_steps (queue, conversation, now);

  if (queue == NULL || queue->relax_after == 0 || steps >= queue->max_level)
    return G_MAXINT64;
  return conversation->waiting_since + (steps + 1) * (gint64) queue->relax_after * G_USEC_PER_SEC;
}

/* When the first exclusion still running ends; ended ones are dropped. */
static gint64
next_readmission (Conversation *conversation,
                  gint64        now)
{
  gint64 next = G_MAXINT64;
  GHashTableIter iter;
  gpointer until;

  if (conversation->excluded == NULL)
    return G_MAXINT64;
  g_hash_table_iter_init (&iter, conversation->excluded);
  while (g_hash_table_iter_next (&iter, NULL, &until))
    if (*(gint64 *) until <= now)
      g_hash_table_iter_remove (&iter);
    else
      next = MIN (next, *(gint64 *) until);
  return next;
}

gint64
parley_router_next_deadline (ParleyRouter *self,
                             gint64        now)
{
  gint64 deadline = G_MAXINT64;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (PARLEY_IS_ROUTER (self), G_MAXINT64);

  g_hash_table_iter_init (&iter, self->offered);
  while (g_hash_table_iter_next (&iter, &value, NULL))
    if (((Conversation *) value)->offer_id > 0)
      deadline = MIN (deadline, ((Conversation *) value)->expires);

  g_hash_table_iter_init (&iter, self->timed);
  while (g_hash_table_iter_next (&iter, &value, NULL))
    {
      Conversation *conversation = value;
      Queue *queue = g_hash_table_lookup (self->queues, &conversation->queue_id);
      gint64 next = MIN (next_relaxation (queue, conversation, now), next_readmission (conversation, now));

      /* Nothing will change for it with time alone any more. */
      if (next == G_MAXINT64)
        g_hash_table_iter_remove (&iter);
      deadline = MIN (deadline, next);
    }
  return deadline;
}

static gboolean
waiting_matches (Conversation *conversation,
                 gint64        queue_id,
                 const char   *channel)
{
  return (queue_id == 0 || conversation->queue_id == queue_id) &&
         (channel == NULL || g_strcmp0 (conversation->channel, channel) == 0);
}

guint
parley_router_waiting_count (ParleyRouter *self,
                             gint64        queue_id,
                             const char   *channel)
{
  GSequenceIter *iter;
  guint count = 0;

  g_return_val_if_fail (PARLEY_IS_ROUTER (self), 0);

  for (iter = g_sequence_get_begin_iter (self->waiting); !g_sequence_iter_is_end (iter);
       iter = g_sequence_iter_next (iter))
    if (waiting_matches (g_sequence_get (iter), queue_id, channel))
      count++;
  return count;
}

JsonObject *
parley_router_waiting_by_channel (ParleyRouter *self,
                                  gint64        queue_id)
{
  JsonObject *counts = json_object_new ();
  GSequenceIter *iter;

  g_return_val_if_fail (PARLEY_IS_ROUTER (self), counts);

  for (iter = g_sequence_get_begin_iter (self->waiting); !g_sequence_iter_is_end (iter);
       iter = g_sequence_iter_next (iter))
    {
      Conversation *conversation = g_sequence_get (iter);

      if (waiting_matches (conversation, queue_id, NULL))
        json_object_set_int_member (counts, conversation->channel,
                                    json_object_get_int_member_with_default (counts, conversation->channel, 0) + 1);
    }
  return counts;
}

gint64
parley_router_oldest_waiting (ParleyRouter *self,
                              gint64        queue_id,
                              const char   *channel)
{
  GSequenceIter *iter;
  gint64 oldest = 0;

  g_return_val_if_fail (PARLEY_IS_ROUTER (self), 0);

  for (iter = g_sequence_get_begin_iter (self->waiting); !g_sequence_iter_is_end (iter);
       iter = g_sequence_iter_next (iter))
    {
      Conversation *conversation = g_sequence_get (iter);

      if (waiting_matches (conversation, queue_id, channel) &&
          (oldest == 0 || conversation->waiting_since < oldest))
        oldest = conversation->waiting_since;
    }
  return oldest;
}

JsonObject *
parley_router_agent_load (ParleyRouter *self,
                          gint64        agent_id)
{
  JsonObject *load = json_object_new ();
  Agent *agent;
  GHashTableIter iter;
  gpointer channel, used;

  g_return_val_if_fail (PARLEY_IS_ROUTER (self), load);

  agent = g_hash_table_lookup (self->agents, &agent_id);
  if (agent == NULL)
    return load;
  g_hash_table_iter_init (&iter, agent->load);
  while (g_hash_table_iter_next (&iter, &channel, &used))
    json_object_set_int_member (load, channel, GPOINTER_TO_UINT (used));
  return load;
}

gint64
parley_router_holder (ParleyRouter *self,
                      gint64        conversation_id)
{
  Conversation *conversation;

  g_return_val_if_fail (PARLEY_IS_ROUTER (self), 0);

  conversation = lookup_conversation (self, conversation_id);
  return conversation != NULL ? conversation->agent_id : 0;
}

gint64
parley_router_pending_offer (ParleyRouter *self,
                             gint64        conversation_id)
{
  Conversation *conversation;

  g_return_val_if_fail (PARLEY_IS_ROUTER (self), 0);

  conversation = lookup_conversation (self, conversation_id);
  return conversation != NULL && conversation->state == CONVERSATION_OFFERED ? conversation->offer_id : 0;
}
