/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley-router.h"

#define S G_USEC_PER_SEC
#define T0 ((gint64) 1000000 * S)

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

/* An agent with the given skills and capacity, available since `since`. */
static void
add_agent (ParleyRouter *router,
           gint64        id,
           JsonObject   *skills,
           JsonObject   *capacity,
           gint64        since)
{
  parley_router_set_agent (router, id, skills, capacity);
  parley_router_set_available (router, id, TRUE, since);
  json_object_unref (skills);
  json_object_unref (capacity);
}

static void
add_queue (ParleyRouter *router,
           gint64        id,
           gint          priority,
           JsonObject   *skills,
           guint         relax_after)
{
  parley_router_set_queue (router, id, priority, skills, relax_after);
  json_object_unref (skills);
}

/* Dispatches and returns the agent offered the conversation, 0 for none. */
static gint64
offered_to (GArray *offers,
            gint64  conversation_id)
{
  for (guint i = 0; i < offers->len; i++)
    if (g_array_index (offers, ParleyRouterOffer, i).conversation_id == conversation_id)
      return g_array_index (offers, ParleyRouterOffer, i).agent_id;
  return 0;
}

static void
test_priority_and_age (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();
  g_autoptr(GArray) offers = NULL;

  add_queue (router, 1, 0, levels (NULL), 0);
  add_queue (router, 2, 5, levels (NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 1, NULL), T0);
  parley_router_enqueue (router, 100, 1, "chat", 0, T0 + 1 * S, 0);   /* older, low priority */
  parley_router_enqueue (router, 101, 1, "chat", 0, T0 + 2 * S, 0);
  parley_router_enqueue (router, 102, 2, "chat", 5, T0 + 3 * S, 0);   /* newest, high priority */
  g_assert_cmpuint (parley_router_waiting_count (router, 0, NULL), ==, 3);
  g_assert_cmpint (parley_router_oldest_waiting (router, 1, NULL), ==, T0 + 1 * S);

  offers = parley_router_dispatch (router, T0 + 10 * S);
  g_assert_cmpuint (offers->len, ==, 1);
  g_assert_cmpint (offered_to (offers, 102), ==, 10);
  g_assert_cmpuint (parley_router_waiting_count (router, 0, NULL), ==, 2);
  g_assert_cmpint (parley_router_holder (router, 102), ==, 10);
}

static void
test_skills_and_relaxation (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();
  g_autoptr(GArray) first = NULL;
  g_autoptr(GArray) second = NULL;
  g_autoptr(GArray) third = NULL;

  add_queue (router, 1, 0, levels ("billing", 3, NULL), 30);
  add_agent (router, 10, levels ("billing", 1, NULL), levels ("email", 5, NULL), T0);
  add_agent (router, 11, levels ("tech", 5, NULL), levels ("email", 5, NULL), T0);
  parley_router_enqueue (router, 100, 1, "email", 0, T0, 0);

  first = parley_router_dispatch (router, T0 + 10 * S);
  g_assert_cmpuint (first->len, ==, 0);
  /* After 30 s the requirement drops to 2, after 60 s to 1. */
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 10 * S), ==, T0 + 30 * S);
  second = parley_router_dispatch (router, T0 + 31 * S);
  g_assert_cmpuint (second->len, ==, 0);
  third = parley_router_dispatch (router, T0 + 61 * S);
  g_assert_cmpint (offered_to (third, 100), ==, 10);   /* the one with some billing skill */
}

static void
test_best_skill_wins (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();
  g_autoptr(GArray) offers = NULL;

  add_queue (router, 1, 0, levels ("billing", 2, NULL), 0);
  add_agent (router, 10, levels ("billing", 2, NULL), levels ("chat", 3, NULL), T0);
  add_agent (router, 11, levels ("billing", 5, NULL), levels ("chat", 3, NULL), T0 + 5 * S);
  parley_router_enqueue (router, 100, 1, "chat", 0, T0, 0);
  offers = parley_router_dispatch (router, T0 + 10 * S);
  g_assert_cmpint (offered_to (offers, 100), ==, 11);
}

static void
test_capacity_blended (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();
  g_autoptr(GArray) offers = NULL;
  g_autoptr(GArray) more = NULL;
  g_autoptr(JsonObject) load = NULL;

  add_queue (router, 1, 0, levels (NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 2, NULL), T0);
  parley_router_enqueue (router, 100, 1, "chat", 0, T0 + 1, 0);
  parley_router_enqueue (router, 101, 1, "voice", 0, T0 + 2, 0);   /* no voice capacity */
  parley_router_enqueue (router, 102, 1, "chat", 0, T0 + 3, 0);
  parley_router_enqueue (router, 103, 1, "chat", 0, T0 + 4, 0);

  offers = parley_router_dispatch (router, T0 + S);
  g_assert_cmpuint (offers->len, ==, 2);
  g_assert_cmpint (offered_to (offers, 100), ==, 10);
  g_assert_cmpint (offered_to (offers, 102), ==, 10);
  g_assert_cmpint (offered_to (offers, 101), ==, 0);
  load = parley_router_agent_load (router, 10);
  g_assert_cmpint (json_object_get_int_member (load, "chat"), ==, 2);

  /* Pending offers hold capacity; accepting keeps it, removing frees it. */
  parley_router_offer_created (router, 100, 1000, T0 + 21 * S);
  parley_router_offer_accepted (router, 100);
  more = parley_router_dispatch (router, T0 + 2 * S);
  g_assert_cmpuint (more->len, ==, 0);
  parley_router_remove (router, 100);
  g_clear_pointer (&more, g_array_unref);
  more = parley_router_dispatch (router, T0 + 3 * S);
  g_assert_cmpint (offered_to (more, 103), ==, 10);
  g_assert_cmpuint (parley_router_waiting_count (router, 0, "voice"), ==, 1);
  g_clear_pointer (&load, json_object_unref);
  load = parley_router_waiting_by_channel (router, 1);
  g_assert_cmpint (json_object_get_int_member (load, "voice"), ==, 1);
  g_assert_false (json_object_has_member (load, "chat"));
}

static void
test_sticky (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();
  g_autoptr(GArray) offers = NULL;
  g_autoptr(GArray) fallback = NULL;

  add_queue (router, 1, 0, levels (NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 3, NULL), T0);          /* longest available */
  add_agent (router, 11, levels (NULL), levels ("chat", 3, NULL), T0 + 50 * S);
  parley_router_enqueue (router, 100, 1, "chat", 0, T0 + 60 * S, 11);
  offers = parley_router_dispatch (router, T0 + 61 * S);
  g_assert_cmpint (offered_to (offers, 100), ==, 11);

  /* The sticky agent away: someone else gets it. */
  parley_router_set_available (router, 11, FALSE, T0 + 62 * S);
  parley_router_enqueue (router, 101, 1, "chat", 0, T0 + 62 * S, 11);
  fallback = parley_router_dispatch (router, T0 + 63 * S);
  g_assert_cmpint (offered_to (fallback, 101), ==, 10);
}

static void
test_occupancy_then_longest_idle (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();
  g_autoptr(GArray) first = NULL;
  g_autoptr(GArray) second = NULL;

  add_queue (router, 1, 0, levels (NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 3, NULL), T0 + 10 * S);
  add_agent (router, 11, levels (NULL), levels ("chat", 3, NULL), T0);
  parley_router_enqueue (router, 100, 1, "chat", 0, T0 + 20 * S, 0);
  first = parley_router_dispatch (router, T0 + 21 * S);
  g_assert_cmpint (offered_to (first, 100), ==, 11);   /* available longer */
  parley_router_enqueue (router, 101, 1, "chat", 0, T0 + 22 * S, 0);
  second = parley_router_dispatch (router, T0 + 23 * S);
  g_assert_cmpint (offered_to (second, 101), ==, 10);  /* 11 is busier now */
}

static void
test_expiry_and_exclusion (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();
  g_autoptr(GArray) offers = NULL;
  g_autoptr(GArray) expired = NULL;
  g_autoptr(GArray) again = NULL;
  g_autoptr(GArray) later = NULL;
  gint64 first_agent;

  parley_router_set_retry_exclusion (router, 60);
  add_queue (router, 1, 0, levels (NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 1, NULL), T0);
  add_agent (router, 11, levels (NULL), levels ("chat", 1, NULL), T0 + S);
  parley_router_enqueue (router, 100, 1, "chat", 0, T0 + 2 * S, 0);
  offers = parley_router_dispatch (router, T0 + 3 * S);
  first_agent = offered_to (offers, 100);
  g_assert_cmpint (first_agent, ==, 10);
  parley_router_offer_created (router, 100, 1000, T0 + 23 * S);
  g_assert_cmpint (parley_router_pending_offer (router, 100), ==, 1000);
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 3 * S), ==, T0 + 23 * S);

  expired = parley_router_collect_expired (router, T0 + 22 * S);
  g_assert_cmpuint (expired->len, ==, 0);
  g_clear_pointer (&expired, g_array_unref);
  expired = parley_router_collect_expired (router, T0 + 23 * S);
  g_assert_cmpuint (expired->len, ==, 1);
  g_assert_cmpint (g_array_index (expired, ParleyRouterExpiry, 0).offer_id, ==, 1000);
  parley_router_offer_declined (router, 100, T0 + 23 * S);
  g_assert_cmpint (parley_router_pending_offer (router, 100), ==, 0);

  /* Agent 11 takes it now; if 11 declines too, 10 is still excluded. */
  again = parley_router_dispatch (router, T0 + 24 * S);
  g_assert_cmpint (offered_to (again, 100), ==, 11);
  parley_router_offer_created (router, 100, 1001, T0 + 44 * S);
  parley_router_offer_declined (router, 100, T0 + 25 * S);
  g_clear_pointer (&again, g_array_unref);
  again = parley_router_dispatch (router, T0 + 26 * S);
  g_assert_cmpuint (again->len, ==, 0);
  g_assert_cmpint (parley_router_next_deadline (router, T0 + 26 * S), ==, T0 + 83 * S);
  later = parley_router_dispatch (router, T0 + 84 * S);
  g_assert_cmpint (offered_to (later, 100), ==, 10);
}

static void
test_transfer_back_to_queue (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();
  g_autoptr(GArray) offers = NULL;
  g_autoptr(JsonObject) load = NULL;

  add_queue (router, 1, 0, levels (NULL), 0);
  add_agent (router, 10, levels (NULL), levels ("chat", 1, NULL), T0);
  parley_router_assign (router, 100, 10, "chat");
  parley_router_enqueue (router, 101, 1, "chat", 0, T0, 0);
  offers = parley_router_dispatch (router, T0 + S);
  g_assert_cmpuint (offers->len, ==, 0);    /* full */
  parley_router_enqueue (router, 100, 1, "chat", 0, T0 + 2 * S, 0);
  load = parley_router_agent_load (router, 10);
  g_assert_false (json_object_has_member (load, "chat"));
  g_assert_cmpuint (parley_router_waiting_count (router, 1, "chat"), ==, 2);
}

static void
test_many_agents (void)
{
  g_autoptr(ParleyRouter) router = parley_router_new ();
  g_autoptr(GArray) offers = NULL;
  g_autoptr(GArray) none = NULL;
  gint64 started;

  add_queue (router, 1, 0, levels (NULL), 0);
  for (gint64 id = 1; id <= 1000; id++)
    add_agent (router, id, levels ("en", 3, NULL), levels ("chat", 3, NULL), T0 + id);
  for (gint64 id = 1; id <= 5000; id++)
    parley_router_enqueue (router, 10000 + id, 1, "chat", 0, T0 + id, 0);
  started = g_get_monotonic_time ();
  offers = parley_router_dispatch (router, T0 + 10000);
  g_test_message ("dispatch of 5,000 waiting over 1,000 agents: %" G_GINT64_FORMAT " µs",
                  g_get_monotonic_time () - started);
  g_assert_cmpuint (offers->len, ==, 3000);
  started = g_get_monotonic_time ();
  none = parley_router_dispatch (router, T0 + 20000);
  g_test_message ("dispatch with every slot taken: %" G_GINT64_FORMAT " µs", g_get_monotonic_time () - started);
  g_assert_cmpuint (none->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hub/router/priority-and-age", test_priority_and_age);
  g_test_add_func ("/hub/router/skills-and-relaxation", test_skills_and_relaxation);
  g_test_add_func ("/hub/router/best-skill-wins", test_best_skill_wins);
  g_test_add_func ("/hub/router/capacity-blended", test_capacity_blended);
  g_test_add_func ("/hub/router/sticky", test_sticky);
  g_test_add_func ("/hub/router/occupancy-then-longest-idle", test_occupancy_then_longest_idle);
  g_test_add_func ("/hub/router/expiry-and-exclusion", test_expiry_and_exclusion);
  g_test_add_func ("/hub/router/transfer-back-to-queue", test_transfer_back_to_queue);
  g_test_add_func ("/hub/router/many-agents", test_many_agents);
  return g_test_run ();
}
