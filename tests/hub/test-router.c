/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley-router.h"

#define S ((gint64) G_USEC_PER_SEC)
#define T0 ((gint64) 1000000 * S)

/* levels ("billing", 3, "tech", 1, NULL): a {"name": n} object. */
static JsonObject *
levels (const char *first_name,
        ...)
{
  JsonObject *object = json_object_new ();
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    json_object_set_int_member (object, name, va_arg (args, int));
  va_end (args);
  return object;
}

/* Takes the objects made by levels (); capacity may be NULL. */
static void
set_agent (ParleyRouter *router,
           gint64        id,
           JsonObject   *skills,
           JsonObject   *capacity)
{
  parley_router_set_agent (router, id, skills, capacity);
  json_object_unref (skills);
  g_clear_pointer (&capacity, json_object_unref);
}

/* An agent with the given skills and capacity, available since `since`. */
static void
add_agent (ParleyRouter *router,
           gint64        id,
           JsonObject   *skills,
           JsonObject   *capacity,
           gint64        since)
{
  set_agent (router, id, skills, capacity);
  parley_router_set_available (router, id, TRUE, since);
}

static void
add_queue (ParleyRouter *router,
           gint64        id,
           JsonObject   *skills,
           guint         relax_after)
{
  parley_router_set_queue (router, id, 0, skills, relax_after);
  json_object_unref (skills);
}

static void
enqueue (ParleyRouter *router,
         gint64        conversation_id,
         gint64        queue_id,
         const char   *channel,
         gint64        waiting_since)
{
  parley_router_enqueue (router, conversation_id, queue_id, channel, 0, waiting_since, 0);
}

/* One dispatch round as "conversation:agent" pairs in the order offered. */
static char *
dispatch_text (ParleyRouter *router,
               gint64        now)
{
  g_autoptr(GArray) offers = parley_router_dispatch (router, now);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < offers->len; i++)
    {
      ParleyRouterOffer *offer = &g_array_index (offers, ParleyRouterOffer, i);

      g_string_append_printf (text, "%s%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                              i > 0 ? " " : "", offer->conversation_id, offer->agent_id);
    }
  return g_string_free (text, FALSE);
}

#define assert_dispatch(router, now, expected) \
  G_STMT_START { \
    g_autofree char *dispatched_ = dispatch_text ((router), (now)); \
    g_assert_cmpstr (dispatched_, ==, (expected)); \
  } G_STMT_END

static gint64
load_of (ParleyRouter *router,
         gint64        agent_id,
         const char   *channel)
{
  g_autoptr(JsonObject) load = parley_router_agent_load (router, agent_id);

  return json_object_get_int_member_with_default (load, channel, 0);
}

static void
test_empty (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  assert_dispatch (router, T0, "");
  g_assert_cmpint (parley_router_next_deadline (router, T0), ==, G_MAXINT64);
  g_assert_cmpuint (parley_router_waiting_count (router, 0, NULL), ==, 0);
  g_assert_cmpint (parley_router_oldest_waiting (router, 0, NULL), ==, 0);
  g_assert_cmpint (parley_router_holder (router, 1), ==, 0);
  g_assert_cmpint (parley_router_pending_offer (router, 1), ==, 0);
  g_assert_false (parley_router_is_available (router, 1));
  g_assert_cmpint (load_of (router, 1, "chat"), ==, 0);
}

static void
test_priority_and_age (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  add_queue (router, 1, levels (NULL), 0);
  add_queue (router, 2, levels (NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 1, NULL), T0);
  parley_router_enqueue (router, 100, 1, "chat", 0, T0 + 2 * S, 0);
  parley_router_enqueue (router, 101, 1, "chat", 0, T0 + 1 * S, 0);   /* older than 100 */
  parley_router_enqueue (router, 102, 2, "chat", 5, T0 + 3 * S, 0);   /* newest, high priority */
  parley_router_enqueue (router, 103, 2, "email", 0, T0, 0);
  g_assert_cmpuint (parley_router_waiting_count (router, 0, NULL), ==, 4);
  g_assert_cmpuint (parley_router_waiting_count (router, 1, NULL), ==, 2);
  g_assert_cmpuint (parley_router_waiting_count (router, 0, "chat"), ==, 3);
  g_assert_cmpuint (parley_router_waiting_count (router, 2, "email"), ==, 1);
  g_assert_cmpint (parley_router_oldest_waiting (router, 0, NULL), ==, T0);
  g_assert_cmpint (parley_router_oldest_waiting (router, 0, "chat"), ==, T0 + 1 * S);
  g_assert_cmpint (parley_router_oldest_waiting (router, 2, "chat"), ==, T0 + 3 * S);
  g_assert_cmpint (parley_router_oldest_waiting (router, 3, NULL), ==, 0);

  /* Priority first, then age; one slot, so one offer per round. */
  assert_dispatch (router, T0 + 10 * S, "102:10");
  g_assert_cmpuint (parley_router_waiting_count (router, 0, NULL), ==, 3);
  g_assert_cmpint (parley_router_holder (router, 102), ==, 10);
  parley_router_remove (router, 102);
  assert_dispatch (router, T0 + 11 * S, "101:10");
  parley_router_remove (router, 101);
  assert_dispatch (router, T0 + 12 * S, "100:10");
  g_assert_cmpuint (parley_router_waiting_count (router, 0, "chat"), ==, 0);
}

static void
test_skills_required (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  add_queue (router, 1, levels ("billing", 1, "spanish", 2, NULL), 0);
  add_agent (router, 10, levels ("tech", 5, NULL), levels ("chat", 5, NULL), T0);
  add_agent (router, 11, levels ("billing", 5, NULL), levels ("chat", 5, NULL), T0);
  enqueue (router, 100, 1, "chat", T0);

  /* Nobody holds both skills. */
  assert_dispatch (router, T0 + S, "");
  add_agent (router, 12, levels ("billing", 1, "spanish", 2, "tech", 1, NULL), levels ("chat", 5, NULL), T0 + S);
  assert_dispatch (router, T0 + 2 * S, "100:12");
}

static void
test_skill_level_threshold (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  add_queue (router, 1, levels ("billing", 3, NULL), 0);
  add_agent (router, 10, levels ("billing", 2, NULL), levels ("chat", 5, NULL), T0);
  enqueue (router, 100, 1, "chat", T0);

  assert_dispatch (router, T0 + S, "");
  /* Never relaxes: no deadline, and still nothing an hour later. */
  g_assert_cmpint (parley_router_next_deadline (router, T0 + S), ==, G_MAXINT64);
  assert_dispatch (router, T0 + 3600 * S, "");

  /* Exactly the required level is enough; set_agent keeps presence. */
  set_agent (router, 10, levels ("billing", 3, NULL), levels ("chat", 5, NULL));
  g_assert_true (parley_router_is_available (router, 10));
  assert_dispatch (router, T0 + 3601 * S, "100:10");
}

static void
test_relaxation (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  add_queue (router, 1, levels ("billing", 3, NULL), 30);
  add_agent (router, 10, levels ("billing", 1, NULL), levels ("email", 5, NULL), T0);
  enqueue (router, 100, 1, "email", T0);

  assert_dispatch (router, T0 + 10 * S, "");
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 10 * S), ==, T0 + 30 * S);
  /* After 30 s the requirement is 2: still not enough. */
  assert_dispatch (router, T0 + 31 * S, "");
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 31 * S), ==, T0 + 60 * S);
  assert_dispatch (router, T0 + 59 * S, "");
  /* After 60 s it is 1. */
  assert_dispatch (router, T0 + 60 * S, "100:10");

  /* After 90 s the requirement is dropped: an agent without the skill will do. */
  parley_router_set_available (router, 10, FALSE, T0 + 61 * S);
  add_agent (router, 11, levels (NULL), levels ("email", 5, NULL), T0);
  enqueue (router, 101, 1, "email", T0);
  assert_dispatch (router, T0 + 89 * S, "");
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 89 * S), ==, T0 + 90 * S);
  assert_dispatch (router, T0 + 90 * S, "101:11");
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 90 * S), ==, G_MAXINT64);
}

static void
test_queue_change_relaxes_waiting (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  add_queue (router, 1, levels ("billing", 2, NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 1, NULL), T0);
  enqueue (router, 100, 1, "chat", T0);
  assert_dispatch (router, T0 + 5 * S, "");
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 5 * S), ==, G_MAXINT64);

  /* The queue now relaxes every 10 s: the waiting conversation follows. */
  add_queue (router, 1, levels ("billing", 2, NULL), 10);
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 5 * S), ==, T0 + 10 * S);
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 12 * S), ==, T0 + 20 * S);
  assert_dispatch (router, T0 + 19 * S, "");
  assert_dispatch (router, T0 + 20 * S, "100:10");
}

static void
test_unknown_queue (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  add_agent (router, 10, levels (NULL), levels ("chat", 1, NULL), T0);
  parley_router_enqueue (router, 100, 7, "chat", 0, T0, 0);
  parley_router_enqueue (router, 101, 8, "chat", 3, T0 + S, 0);
  assert_dispatch (router, T0 + 2 * S, "101:10");
  g_assert_cmpuint (parley_router_waiting_count (router, 7, NULL), ==, 1);
}

static void
test_capacity_per_channel (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  add_queue (router, 1, levels (NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 2, "voice", 0, NULL), T0);
  enqueue (router, 100, 1, "chat", T0 + 1);
  enqueue (router, 101, 1, "voice", T0 + 2);   /* capacity 0: refused */
  enqueue (router, 102, 1, "email", T0 + 3);   /* no entry: refused */
  enqueue (router, 103, 1, "chat", T0 + 4);
  enqueue (router, 104, 1, "chat", T0 + 5);

  /* Blended: the calls and the email wait, two chats go, the third waits. */
  assert_dispatch (router, T0 + S, "100:10 103:10");
  g_assert_cmpint (load_of (router, 10, "chat"), ==, 2);
  g_assert_cmpuint (parley_router_waiting_count (router, 0, NULL), ==, 3);

  /* Pending offers hold their slots: nothing more for now. */
  parley_router_offer_created (router, 100, 1000, T0 + 30 * S);
  assert_dispatch (router, T0 + 2 * S, "");

  /* Another channel opening serves the call without touching the chats. */
  set_agent (router, 10, levels (NULL), levels ("chat", 2, "voice", 1, NULL));
  assert_dispatch (router, T0 + 3 * S, "101:10");
  g_assert_cmpint (load_of (router, 10, "chat"), ==, 2);
  g_assert_cmpint (load_of (router, 10, "voice"), ==, 1);
  g_assert_cmpuint (parley_router_waiting_count (router, 0, "chat"), ==, 1);
  g_assert_cmpuint (parley_router_waiting_count (router, 0, "email"), ==, 1);
}

static void
test_capacity_within_round (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  add_queue (router, 1, levels (NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 1, NULL), T0);
  add_agent (router, 11, levels (NULL), levels ("chat", 1, NULL), T0 + S);
  enqueue (router, 100, 1, "chat", T0 + 10 * S);
  enqueue (router, 101, 1, "chat", T0 + 11 * S);
  enqueue (router, 102, 1, "chat", T0 + 12 * S);
  assert_dispatch (router, T0 + 20 * S, "100:10 101:11");
  g_assert_cmpuint (parley_router_waiting_count (router, 0, NULL), ==, 1);
}

static void
test_sticky (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  add_queue (router, 1, levels ("billing", 1, NULL), 0);
  add_agent (router, 10, levels ("billing", 5, NULL), levels ("chat", 3, NULL), T0);   /* better, longer */
  add_agent (router, 11, levels ("billing", 1, NULL), levels ("chat", 1, NULL), T0 + 50 * S);
  parley_router_enqueue (router, 100, 1, "chat", 0, T0 + 60 * S, 11);
  assert_dispatch (router, T0 + 61 * S, "100:11");

  /* The sticky agent is full: someone else gets the next one. */
  parley_router_enqueue (router, 101, 1, "chat", 0, T0 + 62 * S, 11);
  assert_dispatch (router, T0 + 63 * S, "101:10");

  /* The sticky agent has room again but is away: someone else. */
  parley_router_remove (router, 100);
  parley_router_set_available (router, 11, FALSE, T0 + 64 * S);
  parley_router_enqueue (router, 102, 1, "chat", 0, T0 + 64 * S, 11);
  assert_dispatch (router, T0 + 65 * S, "102:10");

  /* Back: sticky again. */
  parley_router_set_available (router, 11, TRUE, T0 + 66 * S);
  parley_router_enqueue (router, 103, 1, "chat", 0, T0 + 66 * S, 11);
  assert_dispatch (router, T0 + 67 * S, "103:11");
}

static void
test_sticky_needs_skills (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  add_queue (router, 1, levels ("billing", 3, NULL), 0);
  add_agent (router, 10, levels ("billing", 3, NULL), levels ("chat", 1, NULL), T0 + S);
  add_agent (router, 11, levels ("billing", 2, NULL), levels ("chat", 1, NULL), T0);
  parley_router_enqueue (router, 100, 1, "chat", 0, T0, 11);
  assert_dispatch (router, T0 + 2 * S, "100:10");
}

static void
test_tie_break_skill (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  /* Score is the sum over the queue's skills; other skills do not count. */
  add_queue (router, 1, levels ("billing", 2, "french", 1, NULL), 0);
  add_agent (router, 10, levels ("billing", 2, "french", 2, "tech", 9, NULL), levels ("chat", 3, NULL), T0);
  add_agent (router, 11, levels ("billing", 4, "french", 1, NULL), levels ("chat", 3, NULL), T0 + 5 * S);
  enqueue (router, 100, 1, "chat", T0 + 10 * S);
  assert_dispatch (router, T0 + 11 * S, "100:11");
}

static void
test_tie_break_occupancy (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  add_queue (router, 1, levels (NULL), 0);
  /* 10 holds 1 of 4 slots (25%), 11 holds 1 of 2 (50%), 12 holds 0 of 1 but
   * has no email slot. Occupancy counts every channel. */
  add_agent (router, 10, levels (NULL), levels ("chat", 2, "email", 2, NULL), T0 + 2 * S);
  add_agent (router, 11, levels (NULL), levels ("chat", 2, NULL), T0);
  add_agent (router, 12, levels (NULL), levels ("chat", 1, NULL), T0 + S);
  parley_router_assign (router, 90, 10, "email");
  parley_router_assign (router, 91, 11, "chat");
  parley_router_set_available (router, 12, FALSE, T0 + 3 * S);
  enqueue (router, 100, 1, "chat", T0 + 10 * S);
  assert_dispatch (router, T0 + 11 * S, "100:10");

  /* Now 10 is at 50% too, and 11 has been available longer. */
  enqueue (router, 101, 1, "chat", T0 + 12 * S);
  assert_dispatch (router, T0 + 13 * S, "101:11");
}

static void
test_tie_break_longest_available (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  add_queue (router, 1, levels (NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 3, NULL), T0 + 10 * S);
  add_agent (router, 11, levels (NULL), levels ("chat", 3, NULL), T0);
  add_agent (router, 12, levels (NULL), levels ("chat", 3, NULL), T0 + 10 * S);
  enqueue (router, 100, 1, "chat", T0 + 20 * S);
  assert_dispatch (router, T0 + 21 * S, "100:11");

  /* 11 is busier now; 10 and 12 tie on everything but the id. */
  enqueue (router, 101, 1, "chat", T0 + 22 * S);
  assert_dispatch (router, T0 + 23 * S, "101:10");

  /* Being set available again restarts the clock; staying available does not. */
  parley_router_set_available (router, 10, TRUE, T0 + 24 * S);
  parley_router_set_available (router, 11, FALSE, T0 + 24 * S);
  parley_router_set_available (router, 11, TRUE, T0 + 25 * S);
  parley_router_remove (router, 100);
  parley_router_remove (router, 101);
  enqueue (router, 102, 1, "chat", T0 + 26 * S);
  assert_dispatch (router, T0 + 27 * S, "102:10");
}

static void
test_expiry_and_exclusion (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();
  g_autoptr(GArray) expired = NULL;
  ParleyRouterExpiry *expiry;

  add_queue (router, 1, levels (NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 1, NULL), T0);
  add_agent (router, 11, levels (NULL), levels ("chat", 1, NULL), T0 + S);
  enqueue (router, 100, 1, "chat", T0 + 2 * S);
  assert_dispatch (router, T0 + 3 * S, "100:10");
  g_assert_cmpint (parley_router_pending_offer (router, 100), ==, 0);   /* not stored yet */
  parley_router_offer_created (router, 100, 1000, T0 + 23 * S);
  g_assert_cmpint (parley_router_pending_offer (router, 100), ==, 1000);
  g_assert_cmpint (parley_router_holder (router, 100), ==, 10);
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 3 * S), ==, T0 + 23 * S);

  expired = parley_router_collect_expired (router, T0 + 22 * S);
  g_assert_cmpuint (expired->len, ==, 0);
  g_clear_pointer (&expired, g_array_unref);
  expired = parley_router_collect_expired (router, T0 + 23 * S);
  g_assert_cmpuint (expired->len, ==, 1);
  expiry = &g_array_index (expired, ParleyRouterExpiry, 0);
  g_assert_cmpint (expiry->offer_id, ==, 1000);
  g_assert_cmpint (expiry->conversation_id, ==, 100);
  g_assert_cmpint (expiry->agent_id, ==, 10);

  /* Still pending until the hub declines it. */
  g_assert_cmpint (parley_router_pending_offer (router, 100), ==, 1000);
  g_assert_cmpint (load_of (router, 10, "chat"), ==, 1);
  parley_router_offer_declined (router, 100, T0 + 23 * S);
  g_assert_cmpint (parley_router_pending_offer (router, 100), ==, 0);
  g_assert_cmpint (parley_router_holder (router, 100), ==, 0);
  g_assert_cmpint (load_of (router, 10, "chat"), ==, 0);
  g_assert_cmpint (parley_router_oldest_waiting (router, 1, "chat"), ==, T0 + 2 * S);   /* keeps its age */

  /* 11 gets it although 10 is free and has been available longer. */
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 23 * S), ==, T0 + 83 * S);
  assert_dispatch (router, T0 + 24 * S, "100:11");

  /* 11 lets it expire too: nobody is left until 10's exclusion ends. */
  parley_router_offer_created (router, 100, 1001, T0 + 44 * S);
  g_clear_pointer (&expired, g_array_unref);
  expired = parley_router_collect_expired (router, T0 + 44 * S);
  g_assert_cmpuint (expired->len, ==, 1);
  parley_router_offer_declined (router, 100, T0 + 44 * S);
  assert_dispatch (router, T0 + 45 * S, "");
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 45 * S), ==, T0 + 83 * S);
  assert_dispatch (router, T0 + 82 * S, "");
  assert_dispatch (router, T0 + 83 * S, "100:10");
}

static void
test_rejection (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  parley_router_set_retry_exclusion (router, 10);
  add_queue (router, 1, levels (NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 1, NULL), T0);
  add_agent (router, 11, levels (NULL), levels ("chat", 1, NULL), T0 + S);
  parley_router_enqueue (router, 100, 1, "chat", 0, T0 + 2 * S, 10);   /* sticky to 10 */
  enqueue (router, 101, 1, "chat", T0 + 3 * S);
  assert_dispatch (router, T0 + 4 * S, "100:10 101:11");
  parley_router_offer_created (router, 100, 1000, T0 + 24 * S);
  parley_router_offer_created (router, 101, 1001, T0 + 24 * S);

  /* 10 rejects: excluded for 10 s even though it is the sticky agent. */
  parley_router_offer_declined (router, 100, T0 + 5 * S);
  assert_dispatch (router, T0 + 6 * S, "");
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 6 * S), ==, T0 + 15 * S);

  /* 11 frees up: it takes 100. */
  parley_router_remove (router, 101);
  assert_dispatch (router, T0 + 7 * S, "100:11");
  parley_router_offer_declined (router, 100, T0 + 8 * S);
  assert_dispatch (router, T0 + 14 * S, "");
  /* 10 is sticky again once the exclusion is over, 11 is still excluded. */
  assert_dispatch (router, T0 + 15 * S, "100:10");

  /* Declining something not offered changes nothing. */
  parley_router_offer_declined (router, 101, T0 + 16 * S);
  parley_router_offer_declined (router, 999, T0 + 16 * S);
  g_assert_cmpint (parley_router_holder (router, 100), ==, 10);
}

static void
test_exclusion_is_per_conversation (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  add_queue (router, 1, levels (NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 1, NULL), T0);
  enqueue (router, 100, 1, "chat", T0 + S);
  enqueue (router, 101, 1, "chat", T0 + 2 * S);
  assert_dispatch (router, T0 + 3 * S, "100:10");
  parley_router_offer_declined (router, 100, T0 + 4 * S);

  /* 100 comes first but 10 refused it; the same agent still serves 101. */
  assert_dispatch (router, T0 + 5 * S, "101:10");
}

static void
test_accept_and_remove (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  add_queue (router, 1, levels (NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 1, NULL), T0);
  enqueue (router, 100, 1, "chat", T0);
  enqueue (router, 101, 1, "chat", T0 + S);
  assert_dispatch (router, T0 + 2 * S, "100:10");
  parley_router_offer_created (router, 100, 1000, T0 + 22 * S);
  parley_router_offer_accepted (router, 100);

  g_assert_cmpint (parley_router_pending_offer (router, 100), ==, 0);
  g_assert_cmpint (parley_router_holder (router, 100), ==, 10);
  g_assert_cmpint (load_of (router, 10, "chat"), ==, 1);
  /* No expiry any more, and the slot is still taken. */
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 2 * S), ==, G_MAXINT64);
  {
    g_autoptr(GArray) expired = parley_router_collect_expired (router, T0 + 60 * S);

    g_assert_cmpuint (expired->len, ==, 0);
  }
  assert_dispatch (router, T0 + 3 * S, "");

  parley_router_remove (router, 100);
  g_assert_cmpint (parley_router_holder (router, 100), ==, 0);
  g_assert_cmpint (load_of (router, 10, "chat"), ==, 0);
  assert_dispatch (router, T0 + 4 * S, "101:10");

  /* Removing a pending offer frees its slot as well. */
  parley_router_remove (router, 101);
  parley_router_remove (router, 101);
  g_assert_cmpint (load_of (router, 10, "chat"), ==, 0);
}

static void
test_transfer_back_to_queue (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  add_queue (router, 1, levels (NULL), 0);
  add_queue (router, 2, levels ("billing", 1, NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 1, NULL), T0);
  add_agent (router, 11, levels ("billing", 1, NULL), levels ("chat", 1, NULL), T0 + S);
  parley_router_assign (router, 100, 10, "chat");
  parley_router_assign (router, 101, 11, "chat");
  g_assert_cmpint (parley_router_holder (router, 100), ==, 10);
  enqueue (router, 102, 1, "chat", T0);
  assert_dispatch (router, T0 + S, "");    /* both full */

  /* 100 moves to the billing queue: 10 gets 102, 100 waits for 11. */
  enqueue (router, 100, 2, "chat", T0 + 2 * S);
  g_assert_cmpint (parley_router_holder (router, 100), ==, 0);
  g_assert_cmpint (load_of (router, 10, "chat"), ==, 0);
  g_assert_cmpuint (parley_router_waiting_count (router, 0, "chat"), ==, 2);
  assert_dispatch (router, T0 + 3 * S, "102:10");
  parley_router_remove (router, 101);
  assert_dispatch (router, T0 + 4 * S, "100:11");

  /* Enqueueing a pending offer again withdraws it. */
  parley_router_offer_created (router, 100, 1000, T0 + 24 * S);
  enqueue (router, 100, 2, "chat", T0 + 2 * S);
  g_assert_cmpint (parley_router_pending_offer (router, 100), ==, 0);
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 5 * S), ==, G_MAXINT64);
  assert_dispatch (router, T0 + 5 * S, "100:11");
}

static void
test_unavailable (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  add_queue (router, 1, levels (NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 2, NULL), T0);
  set_agent (router, 11, levels (NULL), levels ("chat", 2, NULL));   /* never available */
  enqueue (router, 100, 1, "chat", T0);
  assert_dispatch (router, T0 + S, "100:10");
  parley_router_offer_created (router, 100, 1000, T0 + 21 * S);

  /* Going away keeps the pending offer (the hub cancels it) and stops new ones. */
  parley_router_set_available (router, 10, FALSE, T0 + 2 * S);
  g_assert_false (parley_router_is_available (router, 10));
  g_assert_cmpint (parley_router_pending_offer (router, 100), ==, 1000);
  g_assert_cmpint (load_of (router, 10, "chat"), ==, 1);
  enqueue (router, 101, 1, "chat", T0 + 2 * S);
  assert_dispatch (router, T0 + 3 * S, "");

  parley_router_set_available (router, 10, TRUE, T0 + 4 * S);
  assert_dispatch (router, T0 + 5 * S, "101:10");

  /* No capacity any more: as good as removed, even with a slot just freed. */
  parley_router_remove (router, 101);
  set_agent (router, 10, levels (NULL), NULL);
  enqueue (router, 102, 1, "chat", T0 + 6 * S);
  assert_dispatch (router, T0 + 7 * S, "");
  g_assert_cmpint (load_of (router, 10, "chat"), ==, 1);   /* what it holds stays counted */
  parley_router_set_available (router, 11, TRUE, T0 + 8 * S);
  assert_dispatch (router, T0 + 9 * S, "102:11");
}

static void
test_assigned_before_agent_known (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  /* A restart restores held conversations; the agent may come later. */
  parley_router_assign (router, 100, 10, "chat");
  add_agent (router, 10, levels (NULL), levels ("chat", 1, NULL), T0);
  g_assert_cmpint (load_of (router, 10, "chat"), ==, 1);
  enqueue (router, 101, 1, "chat", T0);
  assert_dispatch (router, T0 + S, "");
  parley_router_remove (router, 100);
  assert_dispatch (router, T0 + 2 * S, "101:10");
}

static void
test_blended_skip (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  add_queue (router, 1, levels ("french", 1, NULL), 0);
  add_queue (router, 2, levels (NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 1, "voice", 1, NULL), T0);
  /* Unservable ones first: no voice slot, then a skill nobody has. */
  parley_router_enqueue (router, 100, 2, "email", 9, T0, 0);
  parley_router_enqueue (router, 101, 1, "chat", 9, T0, 0);
  parley_router_enqueue (router, 102, 1, "chat", 9, T0 + S, 0);
  enqueue (router, 103, 2, "voice", T0 + 2 * S);
  enqueue (router, 104, 2, "chat", T0 + 3 * S);
  assert_dispatch (router, T0 + 4 * S, "103:10 104:10");

  {
    g_autoptr(JsonObject) by_channel = parley_router_waiting_by_channel (router, 0);

    g_assert_cmpint (json_object_get_int_member (by_channel, "chat"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (by_channel, "email"), ==, 1);
    g_assert_false (json_object_has_member (by_channel, "voice"));
  }
}

static void
test_next_deadline_earliest (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();

  add_queue (router, 1, levels ("billing", 2, NULL), 100);
  add_queue (router, 2, levels (NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 1, NULL), T0);
  add_agent (router, 11, levels (NULL), levels ("email", 1, NULL), T0);
  enqueue (router, 100, 1, "chat", T0);          /* relaxes at +100 and +200 */
  enqueue (router, 101, 2, "email", T0);
  assert_dispatch (router, T0 + S, "101:11");
  g_assert_cmpint (parley_router_next_deadline (router, T0 + S), ==, T0 + 100 * S);
  parley_router_offer_created (router, 101, 1000, T0 + 50 * S);
  g_assert_cmpint (parley_router_next_deadline (router, T0 + S), ==, T0 + 50 * S);
  parley_router_offer_declined (router, 101, T0 + 2 * S);   /* excluded until +62 */
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 2 * S), ==, T0 + 62 * S);
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 62 * S), ==, T0 + 100 * S);
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 150 * S), ==, T0 + 200 * S);
  assert_dispatch (router, T0 + 150 * S, "101:11");
  assert_dispatch (router, T0 + 200 * S, "100:10");
  /* An offer already past its expiry is due now. */
  parley_router_offer_created (router, 100, 1001, T0 + 140 * S);
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 200 * S), ==, T0 + 140 * S);
  parley_router_offer_accepted (router, 100);
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 200 * S), ==, G_MAXINT64);
}

static void
test_many_agents (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();
  g_autoptr(GArray) offers = NULL;
  g_autoptr(GArray) none = NULL;
  const char *channels[] = { "chat", "email", "voice" };
  gint64 started, elapsed;

  add_queue (router, 1, levels (NULL), 0);
  add_queue (router, 2, levels ("billing", 2, NULL), 60);
  add_queue (router, 3, levels ("klingon", 5, NULL), 0);   /* nobody speaks it */
  for (gint64 id = 1; id <= 1000; id++)
    add_agent (router, id, levels ("billing", (int) (id % 4), NULL),
               levels ("chat", 2, "email", 1, "voice", id % 10 == 0 ? 1 : 0, NULL), T0 + id);
  for (gint64 id = 1; id <= 5000; id++)
    parley_router_enqueue (router, 10000 + id, 1 + id % 3, channels[(id / 3) % 3], (int) (id % 2),
                           T0 + id * 1000, 1 + id % 1000);

  started = g_get_monotonic_time ();
  offers = parley_router_dispatch (router, T0 + 10 * S);
  elapsed = g_get_monotonic_time () - started;
  g_test_message ("dispatch of 5,000 waiting over 1,000 agents: %u offers in %" G_GINT64_FORMAT " µs",
                  offers->len, elapsed);
  g_assert_cmpuint (offers->len, >, 0);
  g_assert_cmpuint (parley_router_waiting_count (router, 0, NULL), ==, 5000 - offers->len);
  g_assert_cmpuint (parley_router_waiting_count (router, 3, NULL), ==, 1667);

  started = g_get_monotonic_time ();
  none = parley_router_dispatch (router, T0 + 11 * S);
  elapsed = g_get_monotonic_time () - started;
  g_test_message ("dispatch again with nothing servable: %" G_GINT64_FORMAT " µs", elapsed);
  g_assert_cmpuint (none->len, ==, 0);

  started = g_get_monotonic_time ();
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 11 * S), <, G_MAXINT64);
  g_test_message ("next_deadline: %" G_GINT64_FORMAT " µs", g_get_monotonic_time () - started);
}

static void
test_offers_of_agent (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();
  g_autoptr(GArray) mine = NULL;
  g_autoptr(GArray) none = NULL;

  add_queue (router, 1, levels (NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 2, NULL), 1);
  add_agent (router, 11, levels (NULL), levels ("chat", 1, NULL), 2);
  enqueue (router, 100, 1, "chat", 10);
  enqueue (router, 101, 1, "chat", 11);
  enqueue (router, 102, 1, "chat", 12);
  assert_dispatch (router, 20, "100:10 101:11 102:10");
  parley_router_offer_created (router, 100, 1000, 1000000);
  parley_router_offer_created (router, 101, 1001, 1000000);
  parley_router_offer_created (router, 102, 1002, 1000000);

  mine = parley_router_offers_of (router, 10);
  g_assert_cmpuint (mine->len, ==, 2);
  for (guint i = 0; i < mine->len; i++)
    {
      g_assert_cmpint (g_array_index (mine, ParleyRouterExpiry, i).agent_id, ==, 10);
      parley_router_offer_declined (router, g_array_index (mine, ParleyRouterExpiry, i).conversation_id, 30);
    }
  none = parley_router_offers_of (router, 10);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpint (load_of (router, 10, "chat"), ==, 0);
  g_assert_cmpuint (parley_router_waiting_count (router, 1, "chat"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hub/router/empty", test_empty);
  g_test_add_func ("/hub/router/offers-of-agent", test_offers_of_agent);
  g_test_add_func ("/hub/router/priority-and-age", test_priority_and_age);
  g_test_add_func ("/hub/router/skills-required", test_skills_required);
  g_test_add_func ("/hub/router/skill-level-threshold", test_skill_level_threshold);
  g_test_add_func ("/hub/router/relaxation", test_relaxation);
  g_test_add_func ("/hub/router/queue-change-relaxes-waiting", test_queue_change_relaxes_waiting);
  g_test_add_func ("/hub/router/unknown-queue", test_unknown_queue);
  g_test_add_func ("/hub/router/capacity-per-channel", test_capacity_per_channel);
  g_test_add_func ("/hub/router/capacity-within-round", test_capacity_within_round);
  g_test_add_func ("/hub/router/sticky", test_sticky);
  g_test_add_func ("/hub/router/sticky-needs-skills", test_sticky_needs_skills);
  g_test_add_func ("/hub/router/tie-break-skill", test_tie_break_skill);
  g_test_add_func ("/hub/router/tie-break-occupancy", test_tie_break_occupancy);
  g_test_add_func ("/hub/router/tie-break-longest-available", test_tie_break_longest_available);
  g_test_add_func ("/hub/router/expiry-and-exclusion", test_expiry_and_exclusion);
  g_test_add_func ("/hub/router/rejection", test_rejection);
  g_test_add_func ("/hub/router/exclusion-is-per-conversation", test_exclusion_is_per_conversation);
  g_test_add_func ("/hub/router/accept-and-remove", test_accept_and_remove);
  g_test_add_func ("/hub/router/transfer-back-to-queue", test_transfer_back_to_queue);
  g_test_add_func ("/hub/router/unavailable", test_unavailable);
  g_test_add_func ("/hub/router/assigned-before-agent-known", test_assigned_before_agent_known);
  g_test_add_func ("/hub/router/blended-skip", test_blended_skip);
  g_test_add_func ("/hub/router/next-deadline-earliest", test_next_deadline_earliest);
  g_test_add_func ("/hub/router/many-agents", test_many_agents);
  return g_test_run ();
}
