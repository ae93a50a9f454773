/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * ParleyRouter decides who gets offered what. It holds no I/O and reads no
 * clock: the hub passes `now` (microseconds) to every call, so every decision
 * can be replayed in a unit test.
 *
 * One blended queue: waiting conversations are taken by priority (higher
 * first), then by age. Each is offered to the best eligible agent:
 *   - available, with free capacity on the conversation's channel (assigned
 *     conversations and pending offers both count against capacity);
 *   - holding every skill the queue requires at the required level, where the
 *     required level drops by one for each relax_after seconds waited (a
 *     requirement that reaches 0 is dropped);
 *   - not one who rejected or let this conversation's offer expire within the
 *     retry exclusion period.
 * Among eligible agents: the conversation's preferred (sticky) agent first;
 * then the highest total level over the required skills; then the lowest
 * occupancy (share of total capacity in use); then the longest available.
 */

#define PARLEY_TYPE_ROUTER (parley_router_get_type ())
G_DECLARE_FINAL_TYPE (ParleyRouter, parley_router, PARLEY, ROUTER, GObject)

typedef struct
{
  gint64 conversation_id;
  gint64 agent_id;
} ParleyRouterOffer;

typedef struct
{
  gint64 offer_id;
  gint64 conversation_id;
  gint64 agent_id;
} ParleyRouterExpiry;

ParleyRouter *parley_router_new                 (void);

/* Seconds an agent stays excluded from a conversation they rejected or let expire. */
void          parley_router_set_retry_exclusion (ParleyRouter *self,
                                                 guint         seconds);

/* skills: {"skill": min_level}; relax_after in seconds, 0 = never relax. */
void          parley_router_set_queue           (ParleyRouter *self,
                                                 gint64        queue_id,
                                                 gint          priority,
                                                 JsonObject   *skills,
                                                 guint         relax_after);

/* skills: {"skill": level}; capacity: {"channel": n}. Keeps presence and load. */
void          parley_router_set_agent           (ParleyRouter *self,
                                                 gint64        agent_id,
                                                 JsonObject   *skills,
                                                 JsonObject   *capacity);
void          parley_router_set_available       (ParleyRouter *self,
                                                 gint64        agent_id,
                                                 gboolean      available,
                                                 gint64        now);
gboolean      parley_router_is_available        (ParleyRouter *self,
                                                 gint64        agent_id);
guint         parley_router_count_staffing      (ParleyRouter *self,
                                                 const char   *channel);

/* A conversation waits in the queue. preferred_agent_id 0 = no sticky agent.
 * Enqueueing a conversation already known moves it back to waiting and frees
 * whatever it held. */
void          parley_router_enqueue             (ParleyRouter *self,
                                                 gint64        conversation_id,
                                                 gint64        queue_id,
                                                 const char   *channel,
                                                 gint          priority,
                                                 gint64        waiting_since,
                                                 gint64        preferred_agent_id);
/* The conversation is held by an agent (accepted, or restored at start). */
void          parley_router_assign              (ParleyRouter *self,
                                                 gint64        conversation_id,
                                                 gint64        agent_id,
                                                 const char   *channel);
/* The conversation leaves the router (resolved, or gone). */
void          parley_router_remove              (ParleyRouter *self,
                                                 gint64        conversation_id);

/* Picks offers for as many waiting conversations as can be served now. Each
 * pair returned is marked pending (counts against capacity) until
 * parley_router_offer_created / _accepted / _declined. Returns an array of
 * ParleyRouterOffer, possibly empty. */
GArray       *parley_router_dispatch            (ParleyRouter *self,
                                                 gint64        now);
/* The hub stored the offer: remember its id and when it expires. */
void          parley_router_offer_created       (ParleyRouter *self,
                                                 gint64        conversation_id,
                                                 gint64        offer_id,
                                                 gint64        expires);
/* The agent accepted: the conversation becomes assigned to them. */
void          parley_router_offer_accepted      (ParleyRouter *self,
                                                 gint64        conversation_id);
/* Rejected or expired: the conversation waits again (keeping its age) and
 * the agent is excluded from it for the retry period. */
void          parley_router_offer_declined      (ParleyRouter *self,
                                                 gint64        conversation_id,
                                                 gint64        now);
/* Offers whose expiry is <= now, as ParleyRouterExpiry. They stay pending
 * until the hub calls parley_router_offer_declined for each. */
GArray       *parley_router_collect_expired     (ParleyRouter *self,
                                                 gint64        now);
/* The agent's offers still open, as ParleyRouterExpiry. They stay pending
 * until the hub calls parley_router_offer_declined for each. */
GArray       *parley_router_offers_of           (ParleyRouter *self,
                                                 gint64        agent_id);
/* Earliest time something may change without outside input (an offer
 * expiring, a skill relaxing, an exclusion ending); G_MAXINT64 if none. */
gint64        parley_router_next_deadline       (ParleyRouter *self,
                                                 gint64        now);

/* State for queue views and metrics; queue_id 0 / channel NULL mean any. */
guint         parley_router_waiting_count       (ParleyRouter *self,
                                                 gint64        queue_id,
                                                 const char   *channel);
/* {"channel": n} of the conversations waiting in a queue (0 = any). */
JsonObject   *parley_router_waiting_by_channel  (ParleyRouter *self,
                                                 gint64        queue_id);
gint64        parley_router_oldest_waiting      (ParleyRouter *self,
                                                 gint64        queue_id,
                                                 const char   *channel);
/* {"channel": n} of conversations held or offered to the agent. */
JsonObject   *parley_router_agent_load          (ParleyRouter *self,
                                                 gint64        agent_id);
/* The agent holding the conversation or offered it, 0 if none. */
gint64        parley_router_holder              (ParleyRouter *self,
                                                 gint64        conversation_id);
/* Offer id pending for the conversation, 0 if none. */
gint64        parley_router_pending_offer       (ParleyRouter *self,
                                                 gint64        conversation_id);

G_END_DECLS
