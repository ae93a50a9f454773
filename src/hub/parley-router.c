/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-router"

#include "config.h"

#include "parley-router.h"

/* Cost: waiting conversations sit in a GSequence ordered by priority and
 * age, so enqueueing is O(log W). A dispatch round first counts, per
 * channel, the available agents with a free slot (O(A)); conversations on
 * a channel with no free slot are skipped in O(1), and the round stops as
 * soon as no slot is left anywhere. Only conversations that might be served
 * pay the O(A) search for the best agent. */

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
  GHashTable *load;       /* channel → slots in use */
  guint       total_capacity;
  guint       total_load;
  gboolean    available;
  gint64      available_since;
} Agent;

typedef struct
{
  gint        priority;
  GHashTable *skills;     /* skill → minimum level */
  guint       relax_after;
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
  gint64             agent_id;
  gint64             offer_id;
  gint64             expires;
  GHashTable        *excluded;   /* agent id → excluded until */
  GSequenceIter     *waiting;    /* position in the queue while waiting */
} Conversation;

struct _ParleyRouter
{
  GObject     parent_instance;

  GHashTable *agents;         /* id → Agent */
  GHashTable *queues;         /* id → Queue */
  GHashTable *conversations;  /* id → Conversation */
  GSequence  *waiting;        /* Conversation, by priority then age */
  GHashTable *offered;        /* id → Conversation with a pending offer */
  GHashTable *timed;          /* id → waiting Conversation whose skills relax or
                               * that excludes someone: what next_deadline reads */
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
      g_hash_table_insert (levels, g_strdup (name), GINT_TO_POINTER ((gint) json_node_get_int (node)));
  return levels;
}

static guint
level_of (GHashTable *levels,
          const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (levels, name));
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
  g_hash_table_unref (conversation->excluded);
  g_free (conversation);
}

static guint
free_slots (Agent      *agent,
            const char *channel)
{
  guint capacity = level_of (agent->capacity, channel);
  guint load = level_of (agent->load, channel);

  return capacity > load ? capacity - load : 0;
}

static void
add_load (Agent      *agent,
          const char *channel,
          gint        delta)
{
  gint load = (gint) level_of (agent->load, channel) + delta;

  g_hash_table_replace (agent->load, g_strdup (channel), GINT_TO_POINTER (MAX (load, 0)));
  agent->total_load = (guint) MAX ((gint) agent->total_load + delta, 0);
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
 * slot of the agent offered or holding it. */
static void
release (ParleyRouter *self,
         Conversation *conversation)
{
  Agent *agent = g_hash_table_lookup (self->agents, &conversation->agent_id);

  if (conversation->state == CONVERSATION_WAITING && conversation->waiting != NULL)
    g_sequence_remove (conversation->waiting);
  else if (agent != NULL)
    add_load (agent, conversation->channel, -1);
  g_hash_table_remove (self->offered, &conversation->id);
  g_hash_table_remove (self->timed, &conversation->id);
  conversation->waiting = NULL;
  conversation->agent_id = 0;
  conversation->offer_id = 0;
  conversation->expires = 0;
}

static void
start_waiting (ParleyRouter *self,
               Conversation *conversation)
{
  Queue *queue = g_hash_table_lookup (self->queues, &conversation->queue_id);

  conversation->state = CONVERSATION_WAITING;
  conversation->waiting = g_sequence_insert_sorted (self->waiting, conversation, compare_waiting, NULL);
  if ((queue != NULL && queue->relax_after > 0 && g_hash_table_size (queue->skills) > 0) ||
      g_hash_table_size (conversation->excluded) > 0)
    g_hash_table_insert (self->timed, &conversation->id, conversation);
}

static Conversation *
lookup_conversation (ParleyRouter *self,
                     gint64        conversation_id)
{
  return g_hash_table_lookup (self->conversations, &conversation_id);
}

/* The level a skill still requires after the conversation's wait. */
static gint
required_level (Queue        *queue,
                guint         minimum,
                Conversation *conversation,
                gint64        now)
{
  gint64 waited = (now - conversation->waiting_since) / G_USEC_PER_SEC;

  if (queue->relax_after == 0 || waited <= 0)
    return (gint) minimum;
  return (gint) minimum - (gint) (waited / queue->relax_after);
}

static gboolean
is_eligible (Agent        *agent,
             Queue        *queue,
             Conversation *conversation,
             gint64        now,
             guint        *score)
{
  gpointer until;
  GHashTableIter iter;
  gpointer skill, minimum;

  if (!agent->available || free_slots (agent, conversation->channel) == 0)
    return FALSE;
  if (g_hash_table_lookup_extended (conversation->excluded, &agent->id, NULL, &until) &&
      *(gint64 *) until > now)
    return FALSE;

  *score = 0;
  if (queue == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, queue->skills);
  while (g_hash_table_iter_next (&iter, &skill, &minimum))
    {
      gint required = required_level (queue, GPOINTER_TO_UINT (minimum), conversation, now);
      guint level = level_of (agent->skills, skill);

      if (required > 0 && (gint) level < required)
        return FALSE;
      *score += level;
    }
  return TRUE;
}

/* Whether a beats b: stickiness, then skill, then the lighter load, then
 * whoever has been available longest, then the lower id. */
static gboolean
better_agent (Agent        *a,
              guint         a_score,
              Agent        *b,
              guint         b_score,
              Conversation *conversation)
{
  double a_occupancy, b_occupancy;

  if (b == NULL)
    return TRUE;
  if ((a->id == conversation->preferred_agent_id) != (b->id == conversation->preferred_agent_id))
    return a->id == conversation->preferred_agent_id;
  if (a_score != b_score)
    return a_score > b_score;
  a_occupancy = a->total_capacity ? (double) a->total_load / a->total_capacity : 1.0;
  b_occupancy = b->total_capacity ? (double) b->total_load / b->total_capacity : 1.0;
  if (a_occupancy != b_occupancy)
    return a_occupancy < b_occupancy;
  if (a->available_since != b->available_since)
    return a->available_since < b->available_since;
  return a->id < b->id;
}

static void
parley_router_finalize (GObject *object)
{
  ParleyRouter *self = (ParleyRouter *) object;

  g_sequence_free (self->waiting);
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
  self->offered = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->timed = g_hash_table_new (g_int64_hash, g_int64_equal);
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
  Queue *queue = g_new0 (Queue, 1);

  g_return_if_fail (PARLEY_IS_ROUTER (self));

  queue->priority = priority;
  queue->skills = levels_from_json (skills);
  queue->relax_after = relax_after;
  g_hash_table_replace (self->queues, g_memdup2 (&queue_id, sizeof queue_id), queue);
}

void
parley_router_set_agent (ParleyRouter *self,
                         gint64        agent_id,
                         JsonObject   *skills,
                         JsonObject   *capacity)
{
  Agent *agent;
  GHashTableIter iter;
  gpointer slots;

  g_return_if_fail (PARLEY_IS_ROUTER (self));

  agent = g_hash_table_lookup (self->agents, &agent_id);
  if (agent == NULL)
    {
      agent = g_new0 (Agent, 1);
      agent->id = agent_id;
      agent->load = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->agents, &agent->id, agent);
    }
  else
    {
      g_hash_table_unref (agent->skills);
      g_hash_table_unref (agent->capacity);
    }
  agent->skills = levels_from_json (skills);
  agent->capacity = levels_from_json (capacity);
  agent->total_capacity = 0;
  g_hash_table_iter_init (&iter, agent->capacity);
  while (g_hash_table_iter_next (&iter, NULL, &slots))
    agent->total_capacity += GPOINTER_TO_UINT (slots);
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
      conversation->excluded = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
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
    add_load (agent, channel, +1);
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

/* Per channel, how many available agents have a free slot. */
static GHashTable *
count_free_agents (ParleyRouter *self,
                   guint        *total)
{
  GHashTable *free_agents = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter, slots;
  gpointer value, channel;

  *total = 0;
  g_hash_table_iter_init (&iter, self->agents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Agent *agent = value;

      if (!agent->available)
        continue;
      g_hash_table_iter_init (&slots, agent->capacity);
      while (g_hash_table_iter_next (&slots, &channel, NULL))
        if (free_slots (agent, channel) > 0)
          {
            g_hash_table_replace (free_agents, channel,
                                  GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (free_agents, channel)) + 1));
            (*total)++;
          }
    }
  return free_agents;
}

static Agent *
best_agent (ParleyRouter *self,
            Conversation *conversation,
            gint64        now)
{
  Queue *queue = g_hash_table_lookup (self->queues, &conversation->queue_id);
  Agent *best = NULL;
  guint best_score = 0;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->agents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Agent *agent = value;
      guint score;

      if (is_eligible (agent, queue, conversation, now, &score) &&
          better_agent (agent, score, best, best_score, conversation))
        {
          best = agent;
          best_score = score;
        }
    }
  return best;
}

GArray *
parley_router_dispatch (ParleyRouter *self,
                        gint64        now)
{
  GArray *offers = g_array_new (FALSE, FALSE, sizeof (ParleyRouterOffer));
  g_autoptr(GHashTable) free_agents = NULL;
  GSequenceIter *iter;
  guint total_free;

  g_return_val_if_fail (PARLEY_IS_ROUTER (self), offers);

  free_agents = count_free_agents (self, &total_free);
  iter = g_sequence_get_begin_iter (self->waiting);
  while (total_free > 0 && !g_sequence_iter_is_end (iter))
    {
      Conversation *conversation = g_sequence_get (iter);
      ParleyRouterOffer offer;
      Agent *agent;

      iter = g_sequence_iter_next (iter);
      if (g_hash_table_lookup (free_agents, conversation->channel) == NULL)
        continue;
      if ((agent = best_agent (self, conversation, now)) == NULL)
        continue;

      g_sequence_remove (conversation->waiting);
      conversation->waiting = NULL;
      conversation->state = CONVERSATION_OFFERED;
      conversation->agent_id = agent->id;
      g_hash_table_insert (self->offered, &conversation->id, conversation);
      add_load (agent, conversation->channel, +1);
      offer.conversation_id = conversation->id;
      offer.agent_id = agent->id;
      g_array_append_val (offers, offer);

      /* This agent may have just filled a slot on this channel. */
      if (free_slots (agent, conversation->channel) == 0)
        {
          guint left = GPOINTER_TO_UINT (g_hash_table_lookup (free_agents, conversation->channel)) - 1;

          total_free--;
          if (left == 0)
            g_hash_table_remove (free_agents, conversation->channel);
          else
            g_hash_table_replace (free_agents, conversation->channel, GUINT_TO_POINTER (left));
        }
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
  g_hash_table_remove (self->offered, &conversation->id);
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
  g_hash_table_replace (conversation->excluded,
                        g_memdup2 (&conversation->agent_id, sizeof (gint64)),
                        g_memdup2 (&until, sizeof until));
  /* A sticky agent who declined is no longer the one to wait for. */
  if (conversation->preferred_agent_id == conversation->agent_id)
    conversation->preferred_agent_id = 0;
  release (self, conversation);
  start_waiting (self, conversation);
}

GArray *
parley_router_collect_expired (ParleyRouter *self,
                               gint64        now)
{
  GArray *expired = g_array_new (FALSE, FALSE, sizeof (ParleyRouterExpiry));
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (PARLEY_IS_ROUTER (self), expired);

  g_hash_table_iter_init (&iter, self->offered);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Conversation *conversation = value;

      if (conversation->offer_id > 0 && conversation->expires <= now)
        {
          ParleyRouterExpiry expiry = { conversation->offer_id, conversation->id, conversation->agent_id };

          g_array_append_val (expired, expiry);
        }
    }
  return expired;
}

/* When the next skill step relaxes for a waiting conversation, if ever. */
static gint64
next_relaxation (ParleyRouter *self,
                 Conversation *conversation,
                 gint64        now)
{
  Queue *queue = g_hash_table_lookup (self->queues, &conversation->queue_id);
  gint64 step, waited_steps;
  GHashTableIter iter;
  gpointer minimum;

  if (queue == NULL || queue->relax_after == 0)
    return G_MAXINT64;
  g_hash_table_iter_init (&iter, queue->skills);
  while (g_hash_table_iter_next (&iter, NULL, &minimum))
    if (required_level (queue, GPOINTER_TO_UINT (minimum), conversation, now) > 0)
      {
        step = (gint64) queue->relax_after * G_USEC_PER_SEC;
        waited_steps = MAX (now - conversation->waiting_since, 0) / step;
        return conversation->waiting_since + (waited_steps + 1) * step;
      }
  return G_MAXINT64;
}

gint64
parley_router_next_deadline (ParleyRouter *self,
                             gint64        now)
{
  gint64 deadline = G_MAXINT64;
  GHashTableIter iter, excluded;
  gpointer value, until;

  g_return_val_if_fail (PARLEY_IS_ROUTER (self), G_MAXINT64);

  g_hash_table_iter_init (&iter, self->offered);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Conversation *) value)->offer_id > 0)
      deadline = MIN (deadline, ((Conversation *) value)->expires);

  g_hash_table_iter_init (&iter, self->timed);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Conversation *conversation = value;

      deadline = MIN (deadline, next_relaxation (self, conversation, now));
      g_hash_table_iter_init (&excluded, conversation->excluded);
      while (g_hash_table_iter_next (&excluded, NULL, &until))
        if (*(gint64 *) until > now)
          deadline = MIN (deadline, *(gint64 *) until);
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
    if (GPOINTER_TO_UINT (used) > 0)
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
  return conversation ? conversation->agent_id : 0;
}

gint64
parley_router_pending_offer (ParleyRouter *self,
                             gint64        conversation_id)
{
  Conversation *conversation;

  g_return_val_if_fail (PARLEY_IS_ROUTER (self), 0);

  conversation = lookup_conversation (self, conversation_id);
  return conversation && conversation->state == CONVERSATION_OFFERED ? conversation->offer_id : 0;
}
