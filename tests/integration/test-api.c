/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Integration tests: a real parleyd on 127.0.0.1, driven over HTTP and the
 * events WebSocket as a desktop and an integrator would. */

#include "config.h"

#include <signal.h>

#include "parley-test-hub.h"

#define WAIT_SECONDS 10

/* ---- helpers ------------------------------------------------------------ */

static void
add_agent (ParleyTestHub *hub,
           const char    *login,
           const char    *role,
           const char    *skill)
{
  if (skill != NULL)
    parley_test_hub_ctl (hub, "agent-add", login, "--password", "secret", "--role", role,
                         "--capacity", "api=2", "--skill", skill, NULL);
  else
    parley_test_hub_ctl (hub, "agent-add", login, "--password", "secret", "--role", role,
                         "--capacity", "api=2", NULL);
}

static guint
timeline_length (ParleyTestHub *hub,
                 const char    *token,
                 gint64         customer)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/timeline?limit=200", customer);
  g_autoptr(JsonObject) page = parley_test_hub_call_expect (hub, "GET", path, token, NULL, 200);

  return json_array_get_length (json_object_get_array_member (page, "events"));
}

/* ---- tests -------------------------------------------------------------- */

static void
test_auth (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autoptr(JsonObject) health = NULL;
  g_autoptr(JsonObject) me = NULL;
  g_autoptr(JsonObject) denied = NULL;
  g_autofree char *token = NULL;
  guint status;

  add_agent (hub, "alice", "agent", NULL);
  parley_test_hub_start (hub);

  health = parley_test_hub_call_expect (hub, "GET", "/api/v1/health", NULL, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (health, "status"), ==, "ok");

  g_clear_pointer (&denied, json_object_unref);
  denied = parley_test_hub_call (hub, "POST", "/api/v1/auth/login", NULL, "{\"login\":\"alice\",\"password\":\"wrong\"}", &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (denied, "error"), "code"), ==, "unauthorized");
  g_clear_pointer (&denied, json_object_unref);
  denied = parley_test_hub_call (hub, "POST", "/api/v1/auth/login", NULL, "{\"login\":\"nobody\",\"password\":\"secret\"}", &status);
  g_assert_cmpuint (status, ==, 401);
  g_clear_pointer (&denied, json_object_unref);
  denied = parley_test_hub_call (hub, "GET", "/api/v1/agents/me", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_clear_pointer (&denied, json_object_unref);
  denied = parley_test_hub_call (hub, "GET", "/api/v1/agents/me", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", NULL, &status);
  g_assert_cmpuint (status, ==, 401);

  token = parley_test_hub_login (hub, "alice", "secret");
  me = parley_test_hub_call_expect (hub, "GET", "/api/v1/agents/me", token, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (me, "login"), ==, "alice");
  g_assert_false (json_object_has_member (me, "password_hash"));
  /* An agent is not a supervisor. */
  g_clear_pointer (&denied, json_object_unref);
  denied = parley_test_hub_call (hub, "GET", "/api/v1/agents", token, NULL, &status);
  g_assert_cmpuint (status, ==, 403);

  g_clear_pointer (&denied, json_object_unref);
  denied = parley_test_hub_call (hub, "POST", "/api/v1/auth/logout", token, NULL, &status);
  g_assert_cmpuint (status, ==, 204);
  g_clear_pointer (&denied, json_object_unref);
  denied = parley_test_hub_call (hub, "GET", "/api/v1/agents/me", token, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  parley_test_hub_free (hub);
}

/* The issue's desktop flow, then a restart that must lose nothing. */
static void
test_desktop_flow_and_restart (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  ParleyTestCallback *callback = parley_test_callback_new ();
  g_autofree char *alice = NULL;
  g_autofree char *bob = NULL;
  g_autofree char *path = NULL;
  g_autofree char *signed_text = NULL;
  g_autofree char *expected_signature = NULL;
  ParleyTestDelivery *delivery;
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) offer_message = NULL;
  g_autoptr(JsonObject) stray = NULL;
  g_autoptr(JsonObject) conversation = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) resolved = NULL;
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(JsonObject) older = NULL;
  g_autoptr(JsonObject) customer = NULL;
  ParleyTestSocket *alice_desk, *bob_desk;
  JsonObject *offer, *sent;
  JsonArray *events;
  gint64 conversation_id, customer_id, offer_id;
  guint events_before_restart, delivered = 0;

  add_agent (hub, "alice", "agent", "billing=3");
  add_agent (hub, "bob", "agent", NULL);
  parley_test_hub_ctl (hub, "queue-add", "Billing", "--skill", "billing=2", "--relax-after", "0", NULL);
  parley_test_hub_ctl (hub, "set", "api", "callback-url", callback->url, NULL);
  parley_test_hub_start (hub);

  alice = parley_test_hub_login (hub, "alice", "secret");
  bob = parley_test_hub_login (hub, "bob", "secret");
  alice_desk = parley_test_socket_events (hub, alice);
  bob_desk = parley_test_socket_events (hub, bob);
  g_assert_nonnull (parley_test_socket_wait (alice_desk, "hello", NULL, NULL, WAIT_SECONDS));
  parley_test_hub_set_available (hub, alice);
  parley_test_hub_set_available (hub, bob);

  ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"email\",\"value\":\"Pat@Example.COM\",\"name\":\"Pat <b>Doe</b>\"},"
                         "\"text\":\"I was charged twice\",\"external_id\":\"msg-1\",\"queue\":\"Billing\"}");
  conversation_id = json_object_get_int_member (ack, "conversation");
  customer_id = json_object_get_int_member (ack, "customer");
  g_assert_false (json_object_get_boolean_member (ack, "duplicate"));

  /* Only alice has the billing skill. */
  offer_message = parley_test_socket_wait (alice_desk, "offer", "offer", "offered", WAIT_SECONDS);
  g_assert_nonnull (offer_message);
  offer = json_object_get_object_member (offer_message, "offer");
  offer_id = json_object_get_int_member (offer, "id");
  g_assert_cmpint (json_object_get_int_member (offer, "conversation_id"), ==, conversation_id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (offer, "customer"), "name"),
                   ==, "Pat <b>Doe</b>");
  stray = parley_test_socket_wait (bob_desk, "offer", NULL, NULL, 1);
  g_assert_null (stray);

  path = g_strdup_printf ("/api/v1/offers/%" G_GINT64_FORMAT "/accept", offer_id);
  conversation = parley_test_hub_call_expect (hub, "POST", path, alice, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (conversation, "state"), ==, "assigned");

  /* Bob may not answer alice's conversation. */
  g_free (path);
  path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/messages", conversation_id);
  g_clear_pointer (&reply, json_object_unref);
  reply = parley_test_hub_call_expect (hub, "POST", path, bob, "{\"channel\":\"api\",\"text\":\"Hi\"}", 403);
  g_clear_pointer (&reply, json_object_unref);
  reply = parley_test_hub_call_expect (hub, "POST", path, alice, "{\"channel\":\"api\",\"text\":\"Refunded, sorry!\"}", 201);

  parley_test_callback_wait (callback, 1, WAIT_SECONDS);
  delivery = g_ptr_array_index (callback->deliveries, 0);
  sent = delivery->json;
  g_assert_cmpstr (json_object_get_string_member (sent, "text"), ==, "Refunded, sorry!");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (sent, "to"), "value"),
                   ==, "pat@example.com");
  g_assert_cmpint (json_object_get_int_member (sent, "conversation"), ==, conversation_id);
  signed_text = g_strjoin (".", delivery->id, delivery->timestamp, delivery->body, NULL);
  expected_signature = parley_test_webhook_signature (PARLEY_TEST_SIGNING_SECRET, signed_text);
  g_assert_cmpstr (delivery->signature, ==, expected_signature);

  /* The outbound event turns delivered once the callback took it. */
  for (guint attempt = 0; attempt < 50 && delivered == 0; attempt++)
    {
      g_autofree char *timeline = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/timeline", customer_id);
      g_autoptr(JsonObject) now = parley_test_hub_call_expect (hub, "GET", timeline, alice, NULL, 200);
      JsonArray *list = json_object_get_array_member (now, "events");

      for (guint i = 0; i < json_array_get_length (list); i++)
        if (g_strcmp0 (json_object_get_string_member_with_default (json_array_get_object_element (list, i), "delivery", NULL),
                       "delivered") == 0)
          delivered++;
      if (delivered == 0)
        g_usleep (100 * 1000);
    }
  g_assert_cmpuint (delivered, ==, 1);

  g_free (path);
  path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/resolve", conversation_id);
  resolved = parley_test_hub_call_expect (hub, "POST", path, alice, "{\"disposition\":\"refund\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (resolved, "state"), ==, "resolved");
  g_assert_cmpstr (json_object_get_string_member (resolved, "disposition"), ==, "refund");

  /* Timeline: newest first, every kind of entry, pages and a channel filter. */
  g_free (path);
  path = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/timeline", customer_id);
  page = parley_test_hub_call_expect (hub, "GET", path, alice, NULL, 200);
  events = json_object_get_array_member (page, "events");
  events_before_restart = json_array_get_length (events);
  g_assert_cmpuint (events_before_restart, ==, 4);   /* message in, assigned, message out, resolved */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0), "text"), ==, "resolved");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 3), "text"), ==, "I was charged twice");
  g_free (path);
  path = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/timeline?limit=2&before=%" G_GINT64_FORMAT,
                          customer_id, json_object_get_int_member (json_array_get_object_element (events, 0), "id"));
  older = parley_test_hub_call_expect (hub, "GET", path, alice, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (older, "events")), ==, 2);
  g_assert_cmpint (json_object_get_int_member (older, "next_before"), ==,
                   json_object_get_int_member (json_array_get_object_element (events, 2), "id"));

  parley_test_socket_free (alice_desk);
  parley_test_socket_free (bob_desk);

  /* A clean restart finds everything again. */
  parley_test_hub_stop (hub, SIGTERM);
  parley_test_hub_start (hub);
  g_free (alice);
  alice = parley_test_hub_login (hub, "alice", "secret");
  g_assert_cmpuint (timeline_length (hub, alice, customer_id), ==, events_before_restart);
  g_free (path);
  path = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT, customer_id);
  customer = parley_test_hub_call_expect (hub, "GET", path, alice, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (customer, "name"), ==, "Pat <b>Doe</b>");
  g_clear_pointer (&ack, json_object_unref);
  /* The sender retrying its message is told it is already here. */
  ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"email\",\"value\":\"pat@example.com\"},"
                         "\"text\":\"I was charged twice\",\"external_id\":\"msg-1\"}");
  g_assert_true (json_object_get_boolean_member (ack, "duplicate"));
  g_assert_cmpint (json_object_get_int_member (ack, "conversation"), ==, conversation_id);

  parley_test_callback_free (callback);
  parley_test_hub_free (hub);
}

/* kill -9 in the middle of a burst: every message that got its 202 is there. */
static void
test_kill_during_burst (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  ParleyTestBurst *burst;

  parley_test_hub_start (hub);
  burst = parley_test_burst_new (hub, 3000, 64);
  parley_test_burst_wait (burst, 500);

  parley_test_hub_stop (hub, SIGKILL);
  parley_test_burst_stop (burst);
  g_assert_cmpuint (parley_test_burst_acknowledged (burst), <, 3000);

  parley_test_hub_start (hub);
  parley_test_burst_check (burst);
  parley_test_burst_free (burst);
  parley_test_hub_free (hub);
}

/* Waits for the next push of a message event and records its id in
 * @pushed, counting it in @out_of_order if an event with a larger id came
 * before it. */
static void
record_pushed_message (ParleyTestSocket *desk,
                       GHashTable       *pushed,
                       gint64           *last,
                       guint            *out_of_order)
{
  for (;;)
    {
      g_autoptr(JsonObject) message = parley_test_socket_wait (desk, "event", NULL, NULL, WAIT_SECONDS);
      JsonObject *event;
      gint64 id;

      g_assert_nonnull (message);
      event = json_object_get_object_member (message, "event");
      if (g_strcmp0 (json_object_get_string_member_with_default (event, "kind", NULL), "message") != 0)
        continue;
      id = json_object_get_int_member (event, "id");
      g_assert_false (g_hash_table_contains (pushed, &id));
      *out_of_order += id < *last;
      *last = MAX (*last, id);
      g_hash_table_add (pushed, g_memdup2 (&id, sizeof id));
      return;
    }
}

/* Many messages in flight at once commit in several groups whose fsyncs
 * overlap: a supervisor still gets every one, each once, in the order
 * they were stored, and each sender's 202 names an event pushed. */
static void
test_pushes_in_commit_order (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  ParleyTestBurst *burst;
  g_autoptr(GHashTable) pushed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *sue = NULL;
  ParleyTestSocket *desk;
  gint64 last = 0;
  guint out_of_order = 0;
  GHashTableIter iter;
  gpointer value;

  add_agent (hub, "sue", "supervisor", NULL);
  parley_test_hub_start (hub);
  sue = parley_test_hub_login (hub, "sue", "secret");
  desk = parley_test_socket_events (hub, sue);
  g_assert_nonnull (parley_test_socket_wait (desk, "hello", NULL, NULL, WAIT_SECONDS));

  burst = parley_test_burst_new (hub, 600, 64);
  while (g_hash_table_size (pushed) < 600)
    record_pushed_message (desk, pushed, &last, &out_of_order);
  parley_test_burst_stop (burst);
  g_test_message ("%u messages pushed, %u acknowledged, %u pushed out of order",
                  g_hash_table_size (pushed), parley_test_burst_acknowledged (burst), out_of_order);
  g_assert_cmpuint (out_of_order, ==, 0);
  g_assert_cmpuint (parley_test_burst_acknowledged (burst), ==, 600);
  g_hash_table_iter_init (&iter, parley_test_burst_acked (burst));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_assert_true (g_hash_table_contains (pushed, value));

  parley_test_burst_free (burst);
  parley_test_socket_free (desk);
  parley_test_hub_free (hub);
}

/* An offer nobody takes goes to someone else; the missing agent is set away. */
static void
test_expiry_and_reject (void)
{
  ParleyTestHub *hub = parley_test_hub_new ("offer-timeout=1\nretry-exclusion=2");
  g_autofree char *alice = NULL;
  g_autofree char *bob = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) away = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) rejected = NULL;
  g_autoptr(JsonObject) third = NULL;
  g_autofree char *path = NULL;
  ParleyTestSocket *desks[2];
  const char *tokens[2];
  gint64 first_agent;
  guint taker;

  add_agent (hub, "alice", "agent", NULL);
  add_agent (hub, "bob", "agent", NULL);
  parley_test_hub_start (hub);
  alice = parley_test_hub_login (hub, "alice", "secret");
  bob = parley_test_hub_login (hub, "bob", "secret");
  tokens[0] = alice;
  tokens[1] = bob;
  for (guint i = 0; i < 2; i++)
    {
      desks[i] = parley_test_socket_events (hub, tokens[i]);
      parley_test_hub_set_available (hub, tokens[i]);
    }

  ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"phone\",\"value\":\"+44 20 7946 0018\"},\"text\":\"Call me back\"}");
  /* Whoever got it lets it expire. */
  first = parley_test_socket_wait (desks[0], "offer", "offer", "offered", 3);
  taker = first ? 0 : 1;
  if (first == NULL)
    first = parley_test_socket_wait (desks[1], "offer", "offer", "offered", 3);
  g_assert_nonnull (first);
  first_agent = json_object_get_int_member (json_object_get_object_member (first, "offer"), "agent_id");
  /* Only an offer the desktop displayed counts as missed. */
  path = g_strdup_printf ("/api/v1/offers/%" G_GINT64_FORMAT "/shown",
                          json_object_get_int_member (json_object_get_object_member (first, "offer"), "id"));
  g_assert_null (parley_test_hub_call_expect (hub, "POST", path, tokens[taker], NULL, 204));
  g_clear_pointer (&path, g_free);
  /* The first "away" is from signing in; the one that matters follows. */
  do
    {
      g_clear_pointer (&away, json_object_unref);
      away = parley_test_socket_wait (desks[taker], "presence", "agent", "away", 5);
      g_assert_nonnull (away);
    }
  while (g_strcmp0 (json_object_get_string_member (json_object_get_object_member (away, "agent"), "reason"),
                    "missed-offer") != 0);
  second = parley_test_socket_wait (desks[1 - taker], "offer", "offer", "offered", 5);
  g_assert_nonnull (second);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (second, "offer"), "agent_id"), !=, first_agent);

  /* Rejecting sends it back to the queue; the agent who missed it gets it once
   * back and past the retry exclusion. */
  path = g_strdup_printf ("/api/v1/offers/%" G_GINT64_FORMAT "/reject",
                          json_object_get_int_member (json_object_get_object_member (second, "offer"), "id"));
  rejected = parley_test_hub_call_expect (hub, "POST", path, tokens[1 - taker], NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (rejected, "state"), ==, "queued");
  parley_test_hub_set_available (hub, tokens[taker]);
  third = parley_test_socket_wait (desks[taker], "offer", "offer", "offered", 5);
  g_assert_nonnull (third);

  parley_test_socket_free (desks[0]);
  parley_test_socket_free (desks[1]);
  parley_test_hub_free (hub);
}

/* An offer the desktop never displayed (it said nothing) expires without
 * setting the agent away; nobody else may mark it shown. */
static void
test_unshown_offer_not_missed (void)
{
  ParleyTestHub *hub = parley_test_hub_new ("offer-timeout=1\nretry-exclusion=60");
  g_autofree char *alice = NULL;
  g_autofree char *bob = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) offered = NULL;
  g_autoptr(JsonObject) expired = NULL;
  g_autoptr(JsonObject) me = NULL;
  ParleyTestSocket *desk;

  add_agent (hub, "alice", "agent", NULL);
  add_agent (hub, "bob", "agent", NULL);
  parley_test_hub_start (hub);
  alice = parley_test_hub_login (hub, "alice", "secret");
  bob = parley_test_hub_login (hub, "bob", "secret");
  desk = parley_test_socket_events (hub, alice);
  parley_test_hub_set_available (hub, alice);

  ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"phone\",\"value\":\"+44 20 7946 0019\"},\"text\":\"Unseen\"}");
  offered = parley_test_socket_wait (desk, "offer", "offer", "offered", 3);
  g_assert_nonnull (offered);
  path = g_strdup_printf ("/api/v1/offers/%" G_GINT64_FORMAT "/shown",
                          json_object_get_int_member (json_object_get_object_member (offered, "offer"), "id"));
  json_object_unref (parley_test_hub_call_expect (hub, "POST", path, bob, NULL, 403));
  expired = parley_test_socket_wait (desk, "offer", "offer", "expired", 5);
  g_assert_nonnull (expired);
  me = parley_test_hub_call_ok (hub, "GET", "/api/v1/agents/me", alice, NULL);
  g_assert_cmpstr (json_object_get_string_member (me, "presence"), ==, "available");
  /* Too late to say it was shown: the offer is over. */
  json_object_unref (parley_test_hub_call_expect (hub, "POST", path, alice, NULL, 409));

  parley_test_socket_free (desk);
  parley_test_hub_free (hub);
}

/* The agent whose conversation is resolved (by themselves or a supervisor)
 * is told, though the router has forgotten them by the time the push goes
 * out: their sidebar would keep the conversation otherwise. */
static void
test_resolved_pushed_to_holder (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autofree char *alice = NULL;
  g_autofree char *sam = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) offered = NULL;
  g_autoptr(JsonObject) accepted = NULL;
  g_autoptr(JsonObject) resolved = NULL;
  g_autoptr(JsonObject) pushed = NULL;
  ParleyTestSocket *desk;

  add_agent (hub, "alice", "agent", NULL);
  add_agent (hub, "sam", "supervisor", NULL);
  parley_test_hub_start (hub);
  alice = parley_test_hub_login (hub, "alice", "secret");
  sam = parley_test_hub_login (hub, "sam", "secret");
  desk = parley_test_socket_events (hub, alice);
  parley_test_hub_set_available (hub, alice);

  ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"phone\",\"value\":\"+44 20 7946 0020\"},\"text\":\"Resolve me\"}");
  offered = parley_test_socket_wait (desk, "offer", "offer", "offered", 5);
  g_assert_nonnull (offered);
  path = g_strdup_printf ("/api/v1/offers/%" G_GINT64_FORMAT "/accept",
                          json_object_get_int_member (json_object_get_object_member (offered, "offer"), "id"));
  accepted = parley_test_hub_call_ok (hub, "POST", path, alice, NULL);
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/resolve", json_object_get_int_member (accepted, "id"));
  resolved = parley_test_hub_call_ok (hub, "POST", path, sam, "{\"disposition\":\"done\"}");
  pushed = parley_test_socket_wait (desk, "conversation", "conversation", "resolved", 5);
  g_assert_nonnull (pushed);

  parley_test_socket_free (desk);
  parley_test_hub_free (hub);
}

/* An agent who closes the desktop while an offer is open loses it at once. */
static void
test_offer_withdrawn_when_offline (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);   /* offers expire after 20 s */
  g_autofree char *alice = NULL;
  g_autofree char *bob = NULL;
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  ParleyTestSocket *desks[2];
  guint taker;

  add_agent (hub, "alice", "agent", NULL);
  add_agent (hub, "bob", "agent", NULL);
  parley_test_hub_start (hub);
  alice = parley_test_hub_login (hub, "alice", "secret");
  bob = parley_test_hub_login (hub, "bob", "secret");
  desks[0] = parley_test_socket_events (hub, alice);
  desks[1] = parley_test_socket_events (hub, bob);
  parley_test_hub_set_available (hub, alice);
  parley_test_hub_set_available (hub, bob);

  ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"chat\",\"value\":\"visitor-gone\"},\"text\":\"anyone?\"}");
  first = parley_test_socket_wait (desks[0], "offer", "offer", "offered", 3);
  taker = first ? 0 : 1;
  if (first == NULL)
    first = parley_test_socket_wait (desks[1], "offer", "offer", "offered", 3);
  g_assert_nonnull (first);

  parley_test_socket_free (desks[taker]);
  second = parley_test_socket_wait (desks[1 - taker], "offer", "offer", "offered", 5);
  g_assert_nonnull (second);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (second, "offer"), "conversation_id"),
                   ==, json_object_get_int_member (ack, "conversation"));
  parley_test_socket_free (desks[1 - taker]);
  parley_test_hub_free (hub);
}

static void
test_merge_unmerge (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) b = NULL;
  g_autoptr(JsonObject) merged = NULL;
  g_autoptr(JsonObject) restored = NULL;
  g_autoptr(JsonObject) linked = NULL;
  g_autofree char *body = NULL;
  gint64 first, second;

  add_agent (hub, "alice", "agent", NULL);
  parley_test_hub_start (hub);
  token = parley_test_hub_login (hub, "alice", "secret");
  a = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"email\",\"value\":\"sam@example.com\",\"name\":\"Sam\"},\"text\":\"by email\"}");
  b = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"phone\",\"value\":\"+1 415 555 0100\",\"name\":\"Sam\"},\"text\":\"by phone\"}");
  first = json_object_get_int_member (a, "customer");
  second = json_object_get_int_member (b, "customer");
  g_assert_cmpint (first, !=, second);

  path = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/merge", first);
  body = g_strdup_printf ("{\"other\":%" G_GINT64_FORMAT "}", second);
  merged = parley_test_hub_call_expect (hub, "POST", path, token, body, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (merged, "customer"),
                                                                          "identities")), ==, 2);
  /* Both messages and the merge itself, in one timeline. */
  g_assert_cmpuint (timeline_length (hub, token, first), ==, 3);
  /* The merge record carries what desktops word it from: both customers
   * by number and name (its English text is for older desktops). */
  {
    g_autofree char *timeline_path = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/timeline?channel=system", first);
    g_autoptr(JsonObject) page = parley_test_hub_call_expect (hub, "GET", timeline_path, token, NULL, 200);
    JsonObject *record = json_array_get_object_element (json_object_get_array_member (page, "events"), 0);
    JsonObject *metadata = json_object_get_object_member (record, "metadata");

    g_assert_cmpstr (json_object_get_string_member (record, "kind"), ==, "merge");
    g_assert_cmpint (json_object_get_int_member (metadata, "absorbed_id"), ==, second);
    g_assert_cmpstr (json_object_get_string_member (metadata, "absorbed_name"), ==, "Sam");
    g_assert_cmpstr (json_object_get_string_member (metadata, "survivor_name"), ==, "Sam");
  }

  g_free (path);
  g_free (body);
  path = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/unmerge", first);
  body = g_strdup_printf ("{\"merge\":%" G_GINT64_FORMAT "}", json_object_get_int_member (merged, "merge"));
  restored = parley_test_hub_call_expect (hub, "POST", path, token, body, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (restored, "customer"),
                                                                          "identities")), ==, 1);
  g_assert_cmpuint (timeline_length (hub, token, first), ==, 3);   /* email, merge, unmerge */
  g_assert_cmpuint (timeline_length (hub, token, second), ==, 3);  /* phone, merge, unmerge */

  /* Linking the phone moves it for good: the next call lands on the first. */
  g_free (path);
  path = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/identities", first);
  linked = parley_test_hub_call_expect (hub, "POST", path, token, "{\"kind\":\"phone\",\"value\":\"+14155550100\"}", 200);
  g_clear_pointer (&b, json_object_unref);
  b = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"phone\",\"value\":\"tel:+1-415-555-0100\"},\"text\":\"again\"}");
  g_assert_cmpint (json_object_get_int_member (b, "customer"), ==, first);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (linked, "identities")), ==, 2);
  parley_test_hub_free (hub);
}

typedef struct
{
  const char *method;
  const char *path;
  gboolean    with_token;
  const char *body;
  guint       status;
} BadRequest;

/* Sends @head and then up to @body_bytes of body on a raw connection,
 * stopping once the hub answers or hangs up; returns its status line (or
 * NULL) and how much body went out. */
static char *
send_raw_body (ParleyTestHub *hub,
               const char    *head,
               gsize          body_bytes,
               gboolean       chunked,
               gsize         *sent)
{
  g_autoptr(GUri) uri = g_uri_parse (hub->base, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri), (guint16) g_uri_get_port (uri), NULL, NULL);
  GSocket *socket = g_socket_connection_get_socket (connection);
  g_autofree char *block = g_strnfill (64 * 1024, 'x');
  g_autofree char *chunk_head = g_strdup_printf ("%x\r\n", 64 * 1024);
  char answer[256] = "";
  gssize got;

  g_assert_nonnull (connection);
  g_assert_cmpint (g_socket_send (socket, head, strlen (head), NULL, NULL), ==, (gssize) strlen (head));
  g_socket_set_timeout (socket, 5);
  for (*sent = 0; *sent < body_bytes; *sent += 64 * 1024)
    if ((chunked && g_socket_send (socket, chunk_head, strlen (chunk_head), NULL, NULL) < 0) ||
        g_socket_send (socket, block, 64 * 1024, NULL, NULL) < 0 ||
        (chunked && g_socket_send (socket, "\r\n", 2, NULL, NULL) < 0) ||
        g_socket_condition_check (socket, G_IO_IN | G_IO_HUP) != 0)
      break;
  got = g_socket_receive (socket, answer, sizeof answer - 1, NULL, NULL);
  if (got <= 0)
    return NULL;
  answer[got] = '\0';
  return g_strndup (answer, strcspn (answer, "\r"));
}

static void
test_bad_input (void)
{
  ParleyTestHub *hub = parley_test_hub_new ("max-body-kib=4");
  static const BadRequest cases[] = {
    { "POST", "/api/v1/auth/login", FALSE, "{not json", 400 },
    { "POST", "/api/v1/auth/login", FALSE, "[1,2,3]", 400 },
    { "POST", "/api/v1/auth/login", FALSE, "{\"login\":5,\"password\":\"x\"}", 400 },
    { "POST", "/api/v1/auth/login", FALSE, "{\"password\":\"x\"}", 400 },
    { "GET", "/api/v1/customers/999999", TRUE, NULL, 404 },
    { "GET", "/api/v1/customers/abc", TRUE, NULL, 404 },
    { "GET", "/api/v1/customers/1/timeline?limit=0", TRUE, NULL, 400 },
    { "GET", "/api/v1/customers/1/timeline?before=-5", TRUE, NULL, 400 },
    { "GET", "/api/v1/conversations?state=bogus", TRUE, NULL, 400 },
    { "POST", "/api/v1/offers/424242/accept", TRUE, NULL, 404 },
    { "PUT", "/api/v1/agents/me/presence", TRUE, "{\"state\":\"asleep\"}", 400 },
    { "PUT", "/api/v1/agents/me/presence", TRUE, "{\"state\":[\"available\"]}", 400 },
    { "POST", "/api/v1/customers/1/merge", TRUE, "{\"other\":\"2\"}", 400 },
    { "GET", "/api/v1/agents", TRUE, NULL, 403 },
    { "POST", "/api/v1/queues", TRUE, "{\"name\":\"X\"}", 403 },
    { "GET", "/api/v1/nowhere", TRUE, NULL, 404 },
    { "DELETE", "/api/v1/health", FALSE, NULL, 405 },
  };
  static const char * const inbound[] = {
    "{\"from\":\"pat@example.com\",\"text\":\"hi\"}",
    "{\"from\":{\"kind\":\"email\",\"value\":\"not-an-email\"},\"text\":\"hi\"}",
    "{\"from\":{\"kind\":\"phone\",\"value\":\"12\"},\"text\":\"hi\"}",
    "{\"from\":{\"kind\":\"email\",\"value\":\"pat@example.com\"},\"text\":5}",
    "{\"from\":{\"kind\":\"email\",\"value\":\"pat@example.com\"}}",
    "{\"from\":{\"kind\":\"email\",\"value\":\"pat@example.com\"},\"text\":\"hi\",\"queue\":\"No such queue\"}",
    "\xff\xfe{}",
    "{\"from\":{\"kind\":\"email\",\"value\":\"pat@example.com\"},\"text\":\"cut \\u0000 short\"}",
  };
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) customers = NULL;
  g_autoptr(JsonObject) nasty = NULL;
  g_autoptr(JsonObject) found = NULL;
  g_autoptr(GString) big = g_string_new ("{\"from\":{\"kind\":\"email\",\"value\":\"pat@example.com\"},\"text\":\"");
  guint status;

  add_agent (hub, "alice", "agent", NULL);
  parley_test_hub_start (hub);
  token = parley_test_hub_login (hub, "alice", "secret");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) reply = parley_test_hub_call (hub, cases[i].method, cases[i].path,
                                                          cases[i].with_token ? token : NULL, cases[i].body, &status);

      g_test_message ("%s %s → %u", cases[i].method, cases[i].path, status);
      g_assert_cmpuint (status, ==, cases[i].status);
      g_assert_nonnull (reply);
      g_assert_true (json_object_has_member (json_object_get_object_member (reply, "error"), "message"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (inbound); i++)
    {
      g_autoptr(JsonObject) reply = parley_test_hub_inbound (hub, inbound[i], &status);

      g_assert_cmpuint (status, ==, 400);
      g_assert_nonnull (json_object_get_object_member (reply, "error"));
    }
  for (guint i = 0; i < 5000; i++)
    g_string_append_c (big, 'x');
  g_string_append (big, "\"}");
  {
    g_autoptr(JsonObject) reply = parley_test_hub_inbound (hub, big->str, &status);
    g_assert_cmpuint (status, ==, 413);
  }
  /* Bodies larger than any endpoint takes (5 MiB) are refused before
   * they are read: announced, at once; chunked, once they pass it. */
  {
    gsize sent;
    g_autofree char *announced = send_raw_body (hub, "POST /api/v1/channels/api/inbound HTTP/1.1\r\nHost: hub\r\n"
                                                "Content-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n",
                                                0, FALSE, &sent);
    g_autofree char *chunked = send_raw_body (hub, "POST /api/v1/channels/api/inbound HTTP/1.1\r\nHost: hub\r\n"
                                              "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                                              64 * 1024 * 1024, TRUE, &sent);
    g_autoptr(JsonObject) health = parley_test_hub_call (hub, "GET", "/api/v1/health", NULL, NULL, &status);

    g_assert_cmpstr (announced, ==, "HTTP/1.1 413 Request Entity Too Large");
    /* Cut off well before the 64 MiB went out (the kernel buffers some). */
    g_test_message ("chunked body cut off after %zu bytes sent", sent);
    g_assert_cmpuint (sent, <, 32 * 1024 * 1024);
    g_assert_true (chunked == NULL || g_str_equal (chunked, "HTTP/1.1 413 Request Entity Too Large"));
    g_assert_cmpuint (status, ==, 200);
  }

  /* Wrong or missing key. */
  {
    g_autoptr(SoupMessage) msg = parley_test_hub_request (hub, "POST", "/api/v1/channels/api/inbound", NULL,
                                                          "{\"from\":{\"kind\":\"chat\",\"value\":\"v1\"},\"text\":\"x\"}");
    g_autoptr(GBytes) reply = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Parley-Key", "wrong-wrong-wrong-key");
    reply = soup_session_send_and_read (hub->session, msg, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
  }

  /* Nothing of the above was written. */
  customers = parley_test_hub_call_expect (hub, "GET", "/api/v1/customers", token, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (customers, "customers")), ==, 0);

  /* SQL and markup in customer text are stored as they came, and searchable. */
  nasty = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"email\",\"value\":\"bobby@example.com\","
                           "\"name\":\"Robert'); DROP TABLE customers;--\"},\"text\":\"<script>alert(1)</script> 100%\"}");
  found = parley_test_hub_call_expect (hub, "GET", "/api/v1/customers?q=DROP%20TABLE", token, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (found, "customers")), ==, 1);
  g_clear_pointer (&found, json_object_unref);
  found = parley_test_hub_call_expect (hub, "GET", "/api/v1/customers?q=%25", token, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (found, "customers")), ==, 0);
  g_assert_cmpuint (timeline_length (hub, token, json_object_get_int_member (nasty, "customer")), ==, 1);
  g_clear_pointer (&found, json_object_unref);
  found = parley_test_hub_call_expect (hub, "GET", "/api/v1/health", NULL, NULL, 200);
  parley_test_hub_free (hub);
}

/* ---- metrics -------------------------------------------------------------- */

static gint64
offer_for (ParleyTestSocket *desktop)
{
  g_autoptr(JsonObject) message = parley_test_socket_wait (desktop, "offer", "offer", "offered", WAIT_SECONDS);

  g_assert_nonnull (message);
  return json_object_get_int_member (json_object_get_object_member (message, "offer"), "id");
}

/* POST /api/v1/{collection}/{id}/{action}, which must succeed. */
static void
act (ParleyTestHub *hub,
     const char    *token,
     const char    *collection,
     gint64         id,
     const char    *action,
     const char    *body)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/%s/%" G_GINT64_FORMAT "/%s", collection, id, action);
  gboolean creates = g_str_equal (action, "survey") || g_str_equal (action, "messages");
  g_autoptr(JsonObject) reply = parley_test_hub_call_expect (hub, "POST", path, token, body, creates ? 201 : 200);
}

static void
assert_same_member (JsonObject *a,
                    JsonObject *b,
                    const char *member)
{
  JsonNode *x = json_object_get_member (a, member);
  JsonNode *y = json_object_get_member (b, member);

  g_assert_nonnull (x);
  if (!json_node_equal (x, y))
    {
      g_autofree char *left = json_to_string (x, FALSE);
      g_autofree char *right = json_to_string (y, FALSE);

      g_assert_cmpstr (left, ==, right);
    }
}

static gint64
sum_of_points (JsonObject *trend,
               const char *rating)
{
  JsonArray *points = json_object_get_array_member (trend, "points");
  gint64 sum = 0;

  for (guint i = 0; i < json_array_get_length (points); i++)
    sum += json_object_get_int_member (json_object_get_object_member (json_array_get_object_element (points, i), rating),
                                       "responses");
  return sum;
}

/* What a JSONPath ("$.a.b") finds in @object: one value. */
static JsonNode *
found (JsonObject *object,
       const char *path)
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonNode) matches = json_path_query (path, root, NULL);

  g_assert_cmpuint (json_array_get_length (json_node_get_array (matches)), ==, 1);
  return json_node_copy (json_array_get_element (json_node_get_array (matches), 0));
}

static gint64
found_int (JsonObject *object,
           const char *path)
{
  g_autoptr(JsonNode) value = found (object, path);

  return json_node_get_int (value);
}

static void
assert_refused (ParleyTestHub *hub,
                const char    *path,
                const char    *token,
                guint          status)
{
  g_autoptr(JsonObject) reply = parley_test_hub_call_expect (hub, "GET", path, token, NULL, status);
  JsonObject *error = json_object_get_object_member (reply, "error");

  g_assert_nonnull (json_object_get_string_member (error, "code"));
  g_assert_nonnull (json_object_get_string_member (error, "message"));
}

/* A day of work: today's figures, kept up to date as the record grows, are
 * the figures worked out afresh from the store, before and after a
 * restart; supervisors get them pushed; answers show as trends and as the
 * latest comments. */
static void
test_metrics (void)
{
  ParleyTestHub *hub = parley_test_hub_new ("wrap-up=1");
  g_autofree char *alice = NULL, *bob = NULL, *sam = NULL, *history_path = NULL;
  g_autofree char *to_bob = NULL, *bobs_path = NULL, *rest_path = NULL;
  g_autoptr(JsonObject) first = NULL, live = NULL, history = NULL, pushed = NULL, again = NULL;
  g_autoptr(JsonObject) hours = NULL, days = NULL, bobs = NULL, page = NULL, rest = NULL;
  g_autoptr(JsonNode) bob_state = NULL, alice_occupancy = NULL, bob_aht = NULL, bob_aht_again = NULL;
  ParleyTestSocket *alice_desk, *bob_desk, *sam_desk;
  gint64 c[3], alice_id, bob_id;
  JsonObject *interval, *total, *latest;
  static const char * const members[] = { "queues", "agents", "total" };

  add_agent (hub, "alice", "agent", NULL);
  add_agent (hub, "bob", "agent", NULL);
  add_agent (hub, "sam", "supervisor", NULL);
  parley_test_hub_ctl (hub, "queue-add", "Billing", "--relax-after", "0", NULL);
  parley_test_hub_start (hub);
  alice = parley_test_hub_login (hub, "alice", "secret");
  bob = parley_test_hub_login (hub, "bob", "secret");
  sam = parley_test_hub_login (hub, "sam", "secret");
  alice_id = parley_test_hub_agent_id (hub, alice);
  bob_id = parley_test_hub_agent_id (hub, bob);
  sam_desk = parley_test_socket_events (hub, sam);
  g_assert_nonnull (parley_test_socket_wait (sam_desk, "hello", NULL, NULL, WAIT_SECONDS));

  /* Today's figures are built now; all that follows comes in as recorded. */
  first = parley_test_hub_call_expect (hub, "GET", "/api/v1/metrics/live", sam, NULL, 200);
  g_assert_cmpint (found_int (first, "$.interval.total.offered"), ==, 0);

  alice_desk = parley_test_socket_events (hub, alice);
  bob_desk = parley_test_socket_events (hub, bob);
  parley_test_hub_set_available (hub, alice);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"from\":{\"kind\":\"email\",\"value\":\"customer%u@example.com\","
                                               "\"name\":\"Customer %u\"},\"text\":\"Help %u\"}", i, i, i);
      g_autoptr(JsonObject) ack = parley_test_hub_inbound_ok (hub, body);

      c[i] = json_object_get_int_member (ack, "conversation");
    }
  /* Alice takes two (her capacity) and answers the first; the third waits for bob. */
  act (hub, alice, "offers", offer_for (alice_desk), "accept", NULL);
  act (hub, alice, "offers", offer_for (alice_desk), "accept", NULL);
  act (hub, alice, "conversations", c[0], "messages", "{\"channel\":\"api\",\"text\":\"On it\"}");
  parley_test_hub_set_available (hub, bob);
  act (hub, bob, "offers", offer_for (bob_desk), "accept", NULL);
  /* One transfer to bob, one back to a queue, where alice takes it again. */
  to_bob = g_strdup_printf ("{\"agent\":%" G_GINT64_FORMAT "}", bob_id);
  act (hub, alice, "conversations", c[1], "transfer", to_bob);
  act (hub, alice, "conversations", c[0], "transfer", "{\"queue\":\"Billing\"}");
  act (hub, alice, "offers", offer_for (alice_desk), "accept", NULL);
  act (hub, alice, "conversations", c[0], "resolve", "{\"disposition\":\"done\"}");
  act (hub, bob, "conversations", c[1], "resolve", "{\"disposition\":\"done\"}");
  act (hub, bob, "conversations", c[2], "resolve", "{\"disposition\":\"done\"}");
  act (hub, sam, "conversations", c[0], "survey", "{\"nps\":10,\"comment\":\"Quick and kind\"}");
  act (hub, sam, "conversations", c[1], "survey", "{\"csat\":2,\"comment\":\"Too slow\"}");
  act (hub, sam, "conversations", c[2], "survey", "{\"nps\":6,\"csat\":4}");
  /* Wrap-up (1 s) ends, then both sign off. */
  parley_test_spin (1500);
  parley_test_socket_free (alice_desk);
  parley_test_socket_free (bob_desk);
  g_assert_nonnull (parley_test_socket_wait (sam_desk, "presence", "agent", "offline", WAIT_SECONDS));
  g_assert_nonnull (parley_test_socket_wait (sam_desk, "presence", "agent", "offline", WAIT_SECONDS));

  /* The last push after all that. */
  parley_test_spin (1000);
  for (JsonObject *message; (message = parley_test_socket_wait (sam_desk, "metrics", NULL, NULL, 1)) != NULL;)
    {
      g_clear_pointer (&pushed, json_object_unref);
      pushed = message;
    }
  g_assert_nonnull (pushed);

  live = parley_test_hub_call_expect (hub, "GET", "/api/v1/metrics/live", sam, NULL, 200);
  interval = json_object_get_object_member (live, "interval");
  history_path = g_strdup_printf ("/api/v1/metrics?from=%" G_GINT64_FORMAT, json_object_get_int_member (interval, "from"));
  history = parley_test_hub_call_expect (hub, "GET", history_path, sam, NULL, 200);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      assert_same_member (interval, history, members[i]);
      assert_same_member (interval, json_object_get_object_member (pushed, "metrics"), members[i]);
    }
  /* ... and they are the day's figures, not empty ones. */
  total = json_object_get_object_member (interval, "total");
  g_assert_cmpint (json_object_get_int_member (total, "offered"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (total, "answered"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (total, "waiting"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (total, "transfers"), ==, 2);
  g_assert_cmpint (found_int (total, "$.nps.responses"), ==, 2);
  g_assert_cmpint (found_int (total, "$.nps.score"), ==, 0);
  g_assert_cmpint (found_int (total, "$.csat.share"), ==, 50);
  g_assert_false (json_object_get_null_member (total, "first_response_ms"));
  /* Agents come in id order: alice, bob, sam. */
  g_assert_cmpint (found_int (interval, "$.agents[0].agent"), ==, alice_id);
  g_assert_cmpint (found_int (interval, "$.agents[1].agent"), ==, bob_id);
  g_assert_cmpint (found_int (interval, "$.agents[0].handled"), ==, 1);
  g_assert_cmpint (found_int (interval, "$.agents[1].handled"), ==, 2);
  bob_state = found (interval, "$.agents[1].state");
  g_assert_cmpstr (json_node_get_string (bob_state), ==, "offline");
  alice_occupancy = found (interval, "$.agents[0].occupancy");
  g_assert_false (JSON_NODE_HOLDS_NULL (alice_occupancy));
  g_assert_cmpint (found_int (live, "$.today.offered"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (interval, "cpu_total_us"), >, 0);

  /* Answers over time: today's hours and the last week's days. */
  hours = parley_test_hub_call_expect (hub, "GET", "/api/v1/metrics/trend?step=hour", sam, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (hours, "step"), ==, "hour");
  g_assert_cmpint (sum_of_points (hours, "nps"), ==, 2);
  g_assert_cmpint (sum_of_points (hours, "csat"), ==, 2);
  days = parley_test_hub_call_expect (hub, "GET", "/api/v1/metrics/trend?step=day", sam, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (days, "points")), >=, 7);
  g_assert_cmpint (sum_of_points (days, "nps"), ==, 2);
  latest = json_array_get_object_element (json_object_get_array_member (days, "points"),
                                          json_array_get_length (json_object_get_array_member (days, "points")) - 1);
  g_assert_cmpint (found_int (latest, "$.nps.score"), ==, 0);
  bobs_path = g_strdup_printf ("/api/v1/metrics/trend?step=day&agent=%" G_GINT64_FORMAT, bob_id);
  bobs = parley_test_hub_call_expect (hub, "GET", bobs_path, sam, NULL, 200);
  g_assert_cmpint (sum_of_points (bobs, "csat"), ==, 2);
  g_assert_cmpint (sum_of_points (bobs, "nps"), ==, 1);
  assert_refused (hub, "/api/v1/metrics/trend?step=week", sam, 400);
  assert_refused (hub, "/api/v1/metrics/trend?step=day&from=200&to=100", sam, 400);
  assert_refused (hub, "/api/v1/metrics/trend?step=hour&from=1", sam, 400);
  assert_refused (hub, "/api/v1/metrics/trend?step=day", alice, 403);

  /* The latest comments first, a page at a time. */
  page = parley_test_hub_call_expect (hub, "GET", "/api/v1/surveys?limit=2", sam, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "surveys")), ==, 2);
  latest = json_array_get_object_element (json_object_get_array_member (page, "surveys"), 1);
  g_assert_cmpstr (json_object_get_string_member (latest, "comment"), ==, "Too slow");
  g_assert_cmpstr (json_object_get_string_member (latest, "customer_name"), ==, "Customer 1");
  g_assert_cmpstr (json_object_get_string_member (latest, "agent_name"), ==, "bob");
  g_assert_cmpstr (json_object_get_string_member (latest, "channel"), ==, "api");
  g_assert_cmpint (json_object_get_int_member (latest, "csat"), ==, 2);
  g_assert_true (json_object_get_null_member (latest, "nps"));
  rest_path = g_strdup_printf ("/api/v1/surveys?limit=2&before=%" G_GINT64_FORMAT,
                               json_object_get_int_member (page, "next_before"));
  rest = parley_test_hub_call_expect (hub, "GET", rest_path, sam, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (rest, "surveys")), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (rest, "surveys"), 0),
                                                  "comment"), ==, "Quick and kind");
  g_assert_true (json_object_get_null_member (rest, "next_before"));
  assert_refused (hub, "/api/v1/surveys?limit=0", sam, 400);
  assert_refused (hub, "/api/v1/surveys", alice, 403);

  /* After a restart the figures are worked out from the store again: the same. */
  parley_test_socket_free (sam_desk);
  parley_test_hub_stop (hub, SIGTERM);
  parley_test_hub_start (hub);
  again = parley_test_hub_call_expect (hub, "GET", "/api/v1/metrics/live", sam, NULL, 200);
  assert_same_member (json_object_get_object_member (again, "interval"), interval, "queues");
  assert_same_member (json_object_get_object_member (again, "interval"), interval, "total");
  bob_aht = found (interval, "$.agents[1].aht_ms");
  bob_aht_again = found (json_object_get_object_member (again, "interval"), "$.agents[1].aht_ms");
  g_assert_true (json_node_equal (bob_aht, bob_aht_again));
  parley_test_hub_free (hub);
}

/* A channel plugin written in Python against the installed SDK's typelib
 * (tests/plugins/pyecho) is loaded beside the C ones and delivers. */
static void
test_python_plugin (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) offer = NULL;
  g_autoptr(JsonObject) accepted = NULL;
  g_autoptr(JsonObject) sent = NULL;
  ParleyTestSocket *desk;
  gboolean echoed = FALSE, delivered = FALSE;

  add_agent (hub, "alice", "agent", NULL);
  parley_test_hub_start (hub);
  token = parley_test_hub_login (hub, "alice", "secret");
  desk = parley_test_socket_events (hub, token);
  parley_test_hub_set_available (hub, token);
  ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"chat\",\"value\":\"visitor-py\"},\"text\":\"hello\"}");
  offer = parley_test_socket_wait (desk, "offer", "offer", "offered", WAIT_SECONDS);
  g_assert_nonnull (offer);
  path = g_strdup_printf ("/api/v1/offers/%" G_GINT64_FORMAT "/accept",
                          json_object_get_int_member (json_object_get_object_member (offer, "offer"), "id"));
  accepted = parley_test_hub_call_expect (hub, "POST", path, token, NULL, 200);

  g_free (path);
  path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/messages",
                          json_object_get_int_member (ack, "conversation"));
  sent = parley_test_hub_call_expect (hub, "POST", path, token, "{\"channel\":\"pyecho\",\"text\":\"ping\"}", 201);

  g_free (path);
  path = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/timeline?channel=pyecho",
                          json_object_get_int_member (ack, "customer"));
  for (guint attempt = 0; attempt < 50 && !(echoed && delivered); attempt++)
    {
      g_autoptr(JsonObject) page = parley_test_hub_call_expect (hub, "GET", path, token, NULL, 200);
      JsonArray *events = json_object_get_array_member (page, "events");

      for (guint i = 0; i < json_array_get_length (events); i++)
        {
          JsonObject *event = json_array_get_object_element (events, i);

          echoed |= g_strcmp0 (json_object_get_string_member (event, "text"), "echo: ping") == 0;
          delivered |= g_strcmp0 (json_object_get_string_member_with_default (event, "delivery", NULL), "delivered") == 0;
        }
      g_usleep (100 * 1000);
    }
  g_assert_true (echoed);
  g_assert_true (delivered);
  parley_test_socket_free (desk);
  parley_test_hub_free (hub);
}

/* The same plugin answers its own route, and keeps a connector whose first
 * attempt fails: supervisors see it failed with the reason, then see it
 * connect on its own. */
static void
test_python_routes_and_connectors (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) pong = NULL;
  g_autoptr(JsonObject) listed = NULL;
  g_autoptr(JsonObject) connected = NULL;
  JsonObject *connector;
  ParleyTestSocket *desk;

  add_agent (hub, "sue", "supervisor", NULL);
  parley_test_hub_start (hub);
  token = parley_test_hub_login (hub, "sue", "secret");
  desk = parley_test_socket_events (hub, token);

  pong = parley_test_hub_call_expect (hub, "GET", "/api/v1/channels/pyecho/ping", token, NULL, 200);
  g_assert_true (json_object_get_boolean_member (pong, "pong"));
  g_clear_pointer (&pong, json_object_unref);
  pong = parley_test_hub_call_expect (hub, "POST", "/api/v1/channels/pyecho/ping", token, "{}", 405);

  listed = parley_test_hub_call_expect (hub, "GET", "/api/v1/connectors", token, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (listed, "connectors")), ==, 1);
  connector = json_array_get_object_element (json_object_get_array_member (listed, "connectors"), 0);
  g_assert_cmpstr (json_object_get_string_member (connector, "channel"), ==, "pyecho");
  g_assert_cmpstr (json_object_get_string_member (connector, "name"), ==, "echo server (Python)");
  g_assert_cmpstr (json_object_get_string_member (connector, "state"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (connector, "message"), ==, "The echo server is not up yet");
  g_assert_cmpint (json_object_get_int_member (connector, "failures"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (connector, "next_attempt"), >=, g_get_real_time () / G_USEC_PER_SEC);

  connected = parley_test_socket_wait (desk, "connector", "connector", "connected", WAIT_SECONDS);
  g_assert_nonnull (connected);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (connected, "connector"), "failures"), ==, 0);
  parley_test_socket_free (desk);
  parley_test_hub_free (hub);
}

/* ---- surveys and abandons ------------------------------------------------ */

/* Takes the next offer pushed to the agent and accepts it; returns its conversation. */
static gint64
accept_next (ParleyTestHub    *hub,
             ParleyTestSocket *desk,
             const char       *token)
{
  g_autoptr(JsonObject) message = parley_test_socket_wait (desk, "offer", "offer", "offered", WAIT_SECONDS);
  JsonObject *offer;

  g_assert_nonnull (message);
  offer = json_object_get_object_member (message, "offer");
  act (hub, token, "offers", json_object_get_int_member (offer, "id"), "accept", NULL);
  return json_object_get_int_member (offer, "conversation_id");
}

/* The customer writes, the agent takes it and resolves it; returns the
 * conversation. */
static gint64
serve_and_resolve (ParleyTestHub    *hub,
                   ParleyTestSocket *desk,
                   const char       *token,
                   const char       *phone)
{
  g_autofree char *body = g_strdup_printf ("{\"from\":{\"kind\":\"phone\",\"value\":\"%s\"},\"text\":\"My order is late\"}", phone);
  g_autoptr(JsonObject) ack = parley_test_hub_inbound_ok (hub, body);
  gint64 conversation = json_object_get_int_member (ack, "conversation");

  g_assert_cmpint (accept_next (hub, desk, token), ==, conversation);
  act (hub, token, "conversations", conversation, "resolve", "{\"disposition\":\"solved\"}");
  return conversation;
}

/* The customer's reply to the survey: it joins the resolved conversation. */
static void
reply_to_survey (ParleyTestHub *hub,
                 const char    *phone,
                 const char    *text,
                 gint64         conversation)
{
  g_autofree char *body = g_strdup_printf ("{\"from\":{\"kind\":\"phone\",\"value\":\"%s\"},\"text\":\"%s\"}", phone, text);
  g_autoptr(JsonObject) ack = parley_test_hub_inbound_ok (hub, body);

  g_assert_cmpint (json_object_get_int_member (ack, "conversation"), ==, conversation);
}

/* The callback's body @index, which must be a survey question of @question. */
static JsonObject *
survey_question (ParleyTestCallback *callback,
                 guint               index,
                 const char         *question)
{
  JsonObject *body;

  parley_test_callback_wait (callback, index + 1, WAIT_SECONDS);
  body = ((ParleyTestDelivery *) g_ptr_array_index (callback->deliveries, index))->json;
  if (question == NULL)
    g_assert_false (json_object_has_member (body, "survey"));
  else
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "survey"), "question"), ==, question);
  return body;
}

static void
test_surveys (void)
{
  ParleyTestHub *hub = parley_test_hub_new ("offer-timeout=30\nwrap-up=0");
  ParleyTestCallback *callback = parley_test_callback_new ();
  g_autofree char *alice = NULL;
  g_autofree char *root = NULL;
  g_autofree char *sam = NULL;
  g_autofree char *timeline = NULL;
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(JsonObject) bad = NULL;
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(JsonObject) metrics = NULL;
  g_autoptr(JsonObject) routed_ack = NULL;
  g_autoptr(JsonObject) routed = NULL;
  JsonObject *body, *survey, *total;
  JsonArray *events;
  ParleyTestSocket *desk;
  gint64 first, second, third, customer = 0;
  guint status, nps = 0, csat = 0, comments = 0, seen;

  add_agent (hub, "alice", "agent", NULL);
  add_agent (hub, "root", "admin", NULL);
  add_agent (hub, "sam", "supervisor", NULL);
  parley_test_hub_ctl (hub, "set", "api", "callback-url", callback->url, NULL);
  parley_test_hub_start (hub);
  alice = parley_test_hub_login (hub, "alice", "secret");
  root = parley_test_hub_login (hub, "root", "secret");
  sam = parley_test_hub_login (hub, "sam", "secret");

  /* Settings are checked: a misspelt or out-of-range one is refused, and
   * only admins change them. */
  bad = parley_test_hub_call (hub, "PATCH", "/api/v1/queues/1", root, "{\"survey\":{\"enabeld\":true}}", &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (bad, "error"), "message"), ==,
                   "Queue settings have no “survey.enabeld”");
  g_clear_pointer (&bad, json_object_unref);
  bad = parley_test_hub_call (hub, "PATCH", "/api/v1/queues/1", root, "{\"survey\":{\"delay\":-1}}", &status);
  g_assert_cmpuint (status, ==, 400);
  g_clear_pointer (&bad, json_object_unref);
  bad = parley_test_hub_call (hub, "PATCH", "/api/v1/queues/1", sam, "{\"survey\":{\"enabled\":true}}", &status);
  g_assert_cmpuint (status, ==, 403);
  settings = parley_test_hub_call_expect (hub, "PATCH", "/api/v1/queues/1", root,
                      "{\"survey\":{\"enabled\":true,\"delay\":1,\"quiet_period\":3600},\"targets\":{\"service_level\":90}}", 200);
  survey = json_object_get_object_member (json_object_get_object_member (settings, "settings"), "survey");
  g_assert_true (json_object_get_boolean_member (survey, "enabled"));
  g_assert_true (json_object_get_boolean_member (survey, "csat"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_object_get_object_member (settings, "settings"), "targets"), "longest_wait"), ==, 60);

  desk = parley_test_socket_events (hub, alice);
  parley_test_hub_set_available (hub, alice);

  /* A clear answer, an unclear one and its retry, a comment with markup. */
  first = serve_and_resolve (hub, desk, alice, "+44 20 7946 0101");
  body = survey_question (callback, 0, "nps");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (body, "text"), "How likely are you to recommend us"));
  survey = json_object_get_object_member (body, "survey");
  g_assert_cmpint (json_object_get_int_member (survey, "min"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (survey, "max"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (body, "conversation"), ==, first);
  reply_to_survey (hub, "+44 20 7946 0101", "nine out of 10", first);
  survey_question (callback, 1, "csat");
  reply_to_survey (hub, "+44 20 7946 0101", "maybe", first);
  body = survey_question (callback, 2, "csat");
  g_assert_cmpstr (json_object_get_string_member (body, "text"), ==,
                   "Sorry, we did not understand that. Please reply with just a number from 1 to 5.");
  reply_to_survey (hub, "+44 20 7946 0101", "4!", first);
  survey_question (callback, 3, "comment");
  reply_to_survey (hub, "+44 20 7946 0101", "<b>Quick</b> help", first);
  body = survey_question (callback, 4, NULL);
  g_assert_cmpstr (json_object_get_string_member (body, "text"), ==, "Thank you for your feedback!");

  /* The answers are events of the conversation, tied to the agent. */
  {
    g_autoptr(JsonObject) conversation = NULL;
    g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT, first);

    conversation = parley_test_hub_call_expect (hub, "GET", path, alice, NULL, 200);
    customer = json_object_get_int_member (conversation, "customer_id");
    g_assert_cmpstr (json_object_get_string_member (conversation, "state"), ==, "resolved");
  }
  timeline = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/timeline?limit=100", customer);
  page = parley_test_hub_call_expect (hub, "GET", timeline, alice, NULL, 200);
  events = json_object_get_array_member (page, "events");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      JsonObject *metadata = json_object_get_object_member (event, "metadata");

      if (g_strcmp0 (json_object_get_string_member (event, "kind"), "survey") != 0)
        continue;
      g_assert_cmpint (json_object_get_int_member (event, "conversation_id"), ==, first);
      g_assert_cmpint (json_object_get_int_member (metadata, "agent_id"), ==, 1);
      nps += json_object_get_int_member (metadata, "nps") == 9;
      csat += json_object_get_int_member (metadata, "csat") == 4;
      comments += g_strcmp0 (json_object_get_string_member (event, "text"), "<b>Quick</b> help") == 0;
    }
  g_assert_cmpuint (nps, ==, 1);
  g_assert_cmpuint (csat, ==, 1);
  g_assert_cmpuint (comments, ==, 1);
  metrics = parley_test_hub_call_expect (hub, "GET", "/api/v1/metrics", sam, NULL, 200);
  total = json_object_get_object_member (metrics, "total");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (total, "nps"), "promoters"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (total, "nps"), "score"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (total, "csat"), "share"), ==, 100);
  /* None of the replies opened a conversation or reached an agent. */
  g_assert_null (parley_test_socket_wait (desk, "offer", "offer", "offered", 1));

  /* Within the quiet period the same customer is not asked again. */
  second = serve_and_resolve (hub, desk, alice, "+44 20 7946 0101");
  g_assert_cmpint (second, !=, first);
  seen = callback->deliveries->len;
  parley_test_spin (3000);
  g_assert_cmpuint (callback->deliveries->len, ==, seen);

  /* Two unclear replies: the second is a new contact, never a score. */
  third = serve_and_resolve (hub, desk, alice, "+44 20 7946 0202");
  survey_question (callback, seen, "nps");
  reply_to_survey (hub, "+44 20 7946 0202", "7 or 8", third);
  body = survey_question (callback, seen + 1, "nps");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (body, "text"), "from 0 to 10."));
  routed_ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"phone\",\"value\":\"+44 20 7946 0202\"},\"text\":\"Where is my refund?\"}");
  g_assert_cmpint (json_object_get_int_member (routed_ack, "conversation"), !=, third);
  routed = parley_test_socket_wait (desk, "offer", "offer", "offered", WAIT_SECONDS);
  g_assert_nonnull (routed);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (routed, "offer"), "conversation_id"), ==,
                   json_object_get_int_member (routed_ack, "conversation"));
  g_clear_pointer (&page, json_object_unref);
  page = parley_test_hub_call_expect (hub, "GET", "/api/v1/metrics", sam, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_object_get_object_member (page, "total"), "nps"), "responses"), ==, 1);

  /* The queue's language and its own wording. */
  g_clear_pointer (&settings, json_object_unref);
  settings = parley_test_hub_call_expect (hub, "PATCH", "/api/v1/queues/1", root,
                      "{\"survey\":{\"language\":\"de\",\"delay\":0,\"questions\":{\"thanks\":\"Danke!\"}}}", 200);
  survey = json_object_get_object_member (json_object_get_object_member (settings, "settings"), "survey");
  g_assert_cmpint (json_object_get_int_member (survey, "quiet_period"), ==, 3600);
  serve_and_resolve (hub, desk, alice, "+49 30 901820");
  body = survey_question (callback, seen + 2, "nps");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (body, "text"), "Wie wahrscheinlich"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "survey"), "language"), ==, "de");

  parley_test_socket_free (desk);
  parley_test_callback_free (callback);
  parley_test_hub_free (hub);
}

/* A customer who gives up waiting: the conversation ends abandoned and
 * counts as such; one an agent already has is left alone. */
/* POST /api/v1/conversations/{id}/attachments: the file as the body, its
 * name (if any) percent-encoded in X-Parley-Filename. */
static JsonObject *
upload (ParleyTestHub *hub,
        const char    *token,
        gint64         conversation,
        const char    *name,
        GBytes        *data,
        guint         *status)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/attachments", conversation);
  g_autoptr(SoupMessage) msg = parley_test_hub_request (hub, "POST", path, token, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = NULL;

  if (name != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Parley-Filename", escaped);
    }
  soup_message_set_request_body_from_bytes (msg, "application/octet-stream", data);
  reply = soup_session_send_and_read (hub->session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return parley_test_parse (reply);
}

static void
assert_error (JsonObject *reply,
              const char *code,
              const char *message)
{
  JsonObject *error = json_object_get_object_member (reply, "error");

  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  if (message != NULL)
    g_assert_cmpstr (json_object_get_string_member (error, "message"), ==, message);
}

static void
assert_upload_refused (ParleyTestHub *hub,
                       const char    *token,
                       gint64         conversation,
                       const char    *name,
                       GBytes        *data,
                       guint          expected,
                       const char    *code,
                       const char    *message)
{
  guint status;
  g_autoptr(JsonObject) reply = upload (hub, token, conversation, name, data, &status);

  g_assert_cmpuint (status, ==, expected);
  assert_error (reply, code, message);
}

/* An agent sends a file: it goes up for one conversation, within the same
 * limits as a visitor's, and a message in that conversation (and no other)
 * carries it to the channel and into the timeline. */
static void
test_attachments (void)
{
  ParleyTestHub *hub = parley_test_hub_new ("offer-timeout=30");
  ParleyTestCallback *callback = parley_test_callback_new ();
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", 23);
  g_autoptr(GBytes) zip = g_bytes_new_static ("PK\x03\x04\x14\0\0\0\x08\0", 10);
  g_autoptr(GBytes) big = g_bytes_new_take (g_malloc0 (5 * 1024 * 1024 + 1), 5 * 1024 * 1024 + 1);
  g_autoptr(GBytes) text = g_bytes_new_static ("Tracking: 1Z999", 15);
  g_autofree char *alice = NULL;
  g_autofree char *bob = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *timeline = NULL;
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) other_ack = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) other_reply = NULL;
  g_autoptr(JsonObject) sent = NULL;
  g_autoptr(JsonObject) page = NULL;
  JsonObject *attachment, *other_attachment, *delivered, *event, *stored;
  ParleyTestSocket *desk;
  gint64 conversation, other;
  guint status;

  add_agent (hub, "alice", "agent", NULL);
  add_agent (hub, "bob", "agent", NULL);
  parley_test_hub_ctl (hub, "set", "api", "callback-url", callback->url, NULL);
  parley_test_hub_start (hub);
  alice = parley_test_hub_login (hub, "alice", "secret");
  bob = parley_test_hub_login (hub, "bob", "secret");
  desk = parley_test_socket_events (hub, alice);
  parley_test_hub_set_available (hub, alice);
  ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"email\",\"value\":\"pat@example.com\"},\"text\":\"Where is my parcel?\"}");
  conversation = accept_next (hub, desk, alice);
  g_assert_cmpint (conversation, ==, json_object_get_int_member (ack, "conversation"));
  other_ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"email\",\"value\":\"kim@example.com\"},\"text\":\"Invoice please\"}");
  other = accept_next (hub, desk, alice);
  g_assert_cmpint (other, ==, json_object_get_int_member (other_ack, "conversation"));

  /* Up it goes, named as the agent named it (markup and all), typed by its
   * bytes. */
  reply = upload (hub, alice, conversation, "<img src=x onerror=alert(1)>.pdf", pdf, &status);
  g_assert_cmpuint (status, ==, 201);
  attachment = json_object_get_object_member (reply, "attachment");
  g_assert_cmpstr (json_object_get_string_member (attachment, "name"), ==, "<img src=x onerror=alert(1)>.pdf");
  g_assert_cmpstr (json_object_get_string_member (attachment, "type"), ==, "application/pdf");
  g_assert_cmpint (json_object_get_int_member (attachment, "size"), ==, 23);
  g_assert_cmpuint (strlen (json_object_get_string_member (attachment, "id")), ==, 36);

  /* Too big, of a kind nobody may send, without a name, or for a
   * conversation the agent does not hold: refused, and said why. */
  assert_upload_refused (hub, alice, conversation, "big.txt", big, 413, "too_large", "Files may be up to 5 MB");
  assert_upload_refused (hub, alice, conversation, "label.pdf", zip, 400, "invalid",
                         "Only pictures (PNG, JPEG, GIF), PDF documents and plain text can be sent");
  assert_upload_refused (hub, alice, conversation, NULL, pdf, 400, "invalid", "The file needs a name");
  assert_upload_refused (hub, bob, conversation, "label.pdf", pdf, 403, "forbidden", NULL);
  assert_upload_refused (hub, NULL, conversation, "label.pdf", pdf, 401, "unauthorized", NULL);

  /* A file uploaded for the other conversation cannot go out in this one,
   * nor can an id nobody uploaded; without a file a message needs text. */
  other_reply = upload (hub, alice, other, "invoice.txt", text, &status);
  g_assert_cmpuint (status, ==, 201);
  other_attachment = json_object_get_object_member (other_reply, "attachment");
  path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/messages", conversation);
  body = g_strdup_printf ("{\"channel\":\"api\",\"text\":\"Here it is\",\"attachment\":\"%s\"}",
                          json_object_get_string_member (other_attachment, "id"));
  {
    const char *refused[] = {
      body,
      "{\"channel\":\"api\",\"text\":\"Here\",\"attachment\":\"no-such-file\"}",
      "{\"channel\":\"api\",\"attachment\":42}",
      "{\"channel\":\"api\"}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autoptr(JsonObject) answer = parley_test_hub_call_expect (hub, "POST", path, alice, refused[i], 400);

        assert_error (answer, "invalid", NULL);
      }
  }

  /* A channel that declares no files does not get one. */
  g_free (body);
  body = g_strdup_printf ("{\"channel\":\"pyecho\",\"text\":\"Here it is\",\"attachment\":\"%s\"}",
                          json_object_get_string_member (attachment, "id"));
  {
    g_autoptr(JsonObject) answer = parley_test_hub_call_expect (hub, "POST", path, alice, body, 400);

    assert_error (answer, "invalid", "The “Echo” channel carries no files");
  }

  /* The file goes out with the message: the integrator's callback gets it
   * besides the text, and the timeline shows it on the agent's message. */
  g_free (body);
  body = g_strdup_printf ("{\"channel\":\"api\",\"text\":\"Your label\",\"attachment\":\"%s\"}",
                          json_object_get_string_member (attachment, "id"));
  g_clear_pointer (&sent, json_object_unref);
  sent = parley_test_hub_call_expect (hub, "POST", path, alice, body, 201);
  event = json_object_get_object_member (sent, "event");
  assert_same_member (json_object_get_object_member (event, "metadata"), reply, "attachment");
  parley_test_callback_wait (callback, 1, WAIT_SECONDS);
  g_assert_cmpuint (callback->deliveries->len, ==, 1);
  delivered = ((ParleyTestDelivery *) g_ptr_array_index (callback->deliveries, 0))->json;
  g_assert_cmpstr (json_object_get_string_member (delivered, "text"), ==, "Your label");
  g_assert_cmpint (json_object_get_int_member (delivered, "conversation"), ==, conversation);
  assert_same_member (delivered, reply, "attachment");
  timeline = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/timeline?limit=1",
                              json_object_get_int_member (ack, "customer"));
  page = parley_test_hub_call_expect (hub, "GET", timeline, alice, NULL, 200);
  stored = json_array_get_object_element (json_object_get_array_member (page, "events"), 0);
  g_assert_cmpstr (json_object_get_string_member (stored, "direction"), ==, "out");
  assert_same_member (json_object_get_object_member (stored, "metadata"), reply, "attachment");

  /* A file alone: its name stands in for the text. */
  g_free (path);
  path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/messages", other);
  g_free (body);
  body = g_strdup_printf ("{\"channel\":\"api\",\"attachment\":\"%s\"}", json_object_get_string_member (other_attachment, "id"));
  g_clear_pointer (&sent, json_object_unref);
  sent = parley_test_hub_call_expect (hub, "POST", path, alice, body, 201);
  parley_test_callback_wait (callback, 2, WAIT_SECONDS);
  delivered = ((ParleyTestDelivery *) g_ptr_array_index (callback->deliveries, 1))->json;
  g_assert_cmpstr (json_object_get_string_member (delivered, "text"), ==, "invoice.txt");
  assert_same_member (delivered, other_reply, "attachment");
  g_assert_cmpuint (callback->deliveries->len, ==, 2);

  parley_test_socket_free (desk);
  parley_test_callback_free (callback);
  parley_test_hub_free (hub);
}

static void
test_abandon (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autofree char *alice = NULL;
  g_autofree char *sam = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) left = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) stranger = NULL;
  g_autoptr(JsonObject) conversation = NULL;
  g_autoptr(JsonObject) metrics = NULL;
  g_autoptr(JsonObject) forged = NULL;
  g_autoptr(JsonObject) served = NULL;
  g_autoptr(JsonObject) kept = NULL;
  const char *from = "{\"from\":{\"kind\":\"phone\",\"value\":\"+44 20 7946 0404\"}}";
  JsonObject *total;
  ParleyTestSocket *desk;
  guint status;

  add_agent (hub, "alice", "agent", NULL);
  add_agent (hub, "sam", "supervisor", NULL);
  parley_test_hub_start (hub);
  alice = parley_test_hub_login (hub, "alice", "secret");
  sam = parley_test_hub_login (hub, "sam", "secret");

  /* Nobody is available: the customer waits, then hangs up. */
  ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"phone\",\"value\":\"+44 20 7946 0404\"},\"text\":\"Hello?\"}");
  forged = parley_test_hub_api_channel (hub, "abandon", "not-the-key-at-all", from, &status);
  g_assert_cmpuint (status, ==, 401);
  left = parley_test_hub_api_channel (hub, "abandon", PARLEY_TEST_API_KEY, from, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (left, "conversation"), ==, json_object_get_int_member (ack, "conversation"));
  path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT, json_object_get_int_member (ack, "conversation"));
  conversation = parley_test_hub_call_expect (hub, "GET", path, sam, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (conversation, "state"), ==, "resolved");
  g_assert_cmpstr (json_object_get_string_member (conversation, "disposition"), ==, "abandoned");
  /* It waited under the 5 s short-abandon threshold: counted apart. */
  metrics = parley_test_hub_call_expect (hub, "GET", "/api/v1/metrics", sam, NULL, 200);
  total = json_object_get_object_member (metrics, "total");
  g_assert_cmpint (json_object_get_int_member (total, "short_abandoned"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (total, "abandoned"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (total, "waiting"), ==, 0);

  /* Nothing waits any more, and a stranger has nothing to abandon. */
  again = parley_test_hub_api_channel (hub, "abandon", PARLEY_TEST_API_KEY, from, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (again, "conversation"), ==, 0);
  stranger = parley_test_hub_api_channel (hub, "abandon", PARLEY_TEST_API_KEY,
                                          "{\"from\":{\"kind\":\"phone\",\"value\":\"+44 20 7946 0999\"}}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (stranger, "conversation"), ==, 0);
  g_clear_pointer (&forged, json_object_unref);
  forged = parley_test_hub_api_channel (hub, "abandon", PARLEY_TEST_API_KEY, "{\"from\":{\"kind\":\"phone\"}}", &status);
  g_assert_cmpuint (status, ==, 400);

  /* Once an agent has it, leaving the line does not end it. */
  desk = parley_test_socket_events (hub, alice);
  parley_test_hub_set_available (hub, alice);
  g_clear_pointer (&ack, json_object_unref);
  ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"phone\",\"value\":\"+44 20 7946 0404\"},\"text\":\"Me again\"}");
  served = parley_test_socket_wait (desk, "offer", "offer", "offered", WAIT_SECONDS);
  g_assert_nonnull (served);
  g_free (path);
  path = g_strdup_printf ("/api/v1/offers/%" G_GINT64_FORMAT "/accept",
                          json_object_get_int_member (json_object_get_object_member (served, "offer"), "id"));
  kept = parley_test_hub_call_expect (hub, "POST", path, alice, NULL, 200);
  g_clear_pointer (&again, json_object_unref);
  again = parley_test_hub_api_channel (hub, "abandon", PARLEY_TEST_API_KEY, from, &status);
  g_assert_cmpint (json_object_get_int_member (again, "conversation"), ==, 0);
  g_clear_pointer (&kept, json_object_unref);
  g_free (path);
  path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT, json_object_get_int_member (ack, "conversation"));
  kept = parley_test_hub_call_expect (hub, "GET", path, alice, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (kept, "state"), ==, "assigned");

  parley_test_socket_free (desk);
  parley_test_hub_free (hub);
}

/* ---- a scripted day ------------------------------------------------------- */

static void
presence (ParleyTestHub *hub,
          const char    *token,
          const char    *state)
{
  g_autofree char *body = g_strdup_printf ("{\"state\":\"%s\",\"reason\":\"Scripted\"}", state);
  g_autoptr(JsonObject) agent = parley_test_hub_call_expect (hub, "PUT", "/api/v1/agents/me/presence", token, body, 200);
}

/* What the record says of one conversation, read back as an agent would:
 * when it was queued, first answered, first replied to and resolved (µs). */
typedef struct
{
  gint64 queued, answered, first_response, resolved;
} Moments;

static Moments
moments_of (ParleyTestHub *hub,
            const char    *token,
            gint64         conversation_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT, conversation_id);
  g_autoptr(JsonObject) conversation = parley_test_hub_call_expect (hub, "GET", path, token, NULL, 200);
  g_autofree char *timeline = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/timeline?limit=200",
                                               json_object_get_int_member (conversation, "customer_id"));
  g_autoptr(JsonObject) page = parley_test_hub_call_expect (hub, "GET", timeline, token, NULL, 200);
  JsonArray *events = json_object_get_array_member (page, "events");
  Moments moments = {
    json_object_get_int_member (conversation, "created"), 0,
    json_object_get_int_member (conversation, "first_response_at"),
    json_object_get_int_member (conversation, "resolved_at"),
  };

  /* Newest first: the last "assigned" seen is the first answer. */
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (json_object_get_int_member (event, "conversation_id") == conversation_id &&
          g_strcmp0 (json_object_get_string_member (event, "kind"), "state") == 0 &&
          g_strcmp0 (json_object_get_string_member (event, "text"), "assigned") == 0)
        moments.answered = json_object_get_int_member (event, "created");
    }
  return moments;
}

static JsonObject *
figures_of (JsonObject *snapshot,
            gint64      queue,
            const char *channel)
{
  JsonArray *queues = json_object_get_array_member (snapshot, "queues");

  for (guint i = 0; i < json_array_get_length (queues); i++)
    {
      JsonObject *figures = json_array_get_object_element (queues, i);

      if (json_object_get_int_member (figures, "queue") == queue &&
          g_strcmp0 (json_object_get_string_member (figures, "channel"), channel) == 0)
        return figures;
    }
  g_error ("No figures for queue %" G_GINT64_FORMAT " on %s", queue, channel);
}

static JsonObject *
agent_figures (JsonObject *snapshot,
               gint64      agent)
{
  JsonArray *agents = json_object_get_array_member (snapshot, "agents");

  for (guint i = 0; i < json_array_get_length (agents); i++)
    if (json_object_get_int_member (json_array_get_object_element (agents, i), "agent") == agent)
      return json_array_get_object_element (agents, i);
  g_error ("No figures for agent %" G_GINT64_FORMAT, agent);
}

static void
assert_counts (JsonObject *figures,
               gint64      offered,
               gint64      answered,
               gint64      abandoned,
               gint64      short_abandoned,
               gint64      transfers)
{
  g_assert_cmpint (json_object_get_int_member (figures, "offered"), ==, offered);
  g_assert_cmpint (json_object_get_int_member (figures, "answered"), ==, answered);
  g_assert_cmpint (json_object_get_int_member (figures, "abandoned"), ==, abandoned);
  g_assert_cmpint (json_object_get_int_member (figures, "short_abandoned"), ==, short_abandoned);
  g_assert_cmpint (json_object_get_int_member (figures, "transfers"), ==, transfers);
}

/* Each checked figure of the snapshot against what the test worked out
 * from the record itself. */
static void
check_day (JsonObject    *snapshot,
           gint64         general_id,
           gint64         billing_id,
           const Moments *general,    /* c1 */
           const Moments *billing,    /* c2 */
           const Moments *chat,       /* c5 */
           gint64         alice_id,
           gint64         bob_id)
{
  JsonObject *general_api = figures_of (snapshot, general_id, "api");
  JsonObject *billing_api = figures_of (snapshot, billing_id, "api");
  JsonObject *general_chat = figures_of (snapshot, general_id, "chat");
  JsonObject *total = json_object_get_object_member (snapshot, "total");
  JsonObject *alice = agent_figures (snapshot, alice_id);
  JsonObject *bob = agent_figures (snapshot, bob_id);

  /* General on api: c1 answered, c3 left at once, c4 after 5 s, c6 waits. */
  assert_counts (general_api, 4, 1, 1, 1, 0);
  g_assert_cmpint (json_object_get_int_member (general_api, "waiting"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (general_api, "longest_wait_ms"), >, 0);
  g_assert_cmpfloat (json_object_get_double_member (general_api, "service_level"), ==, 50.0);
  g_assert_cmpint (json_object_get_int_member (general_api, "asa_ms"), ==, (general->answered - general->queued) / 1000);
  g_assert_cmpint (json_object_get_int_member (general_api, "aht_ms"), ==, (general->resolved - general->answered) / 1000);
  g_assert_cmpint (json_object_get_int_member (general_api, "first_response_ms"), ==,
                   (general->first_response - general->queued) / 1000);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (general_api, "nps"), "score"), ==, 100);

  /* Billing answers within 2 s: c2 took longer. */
  assert_counts (billing_api, 1, 1, 0, 0, 0);
  g_assert_cmpfloat (json_object_get_double_member (billing_api, "service_level"), ==, 0.0);
  g_assert_cmpint (json_object_get_int_member (billing_api, "asa_ms"), ==, (billing->answered - billing->queued) / 1000);
  g_assert_true (json_object_get_null_member (billing_api, "first_response_ms"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (billing_api, "nps"), "score"), ==, -100);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (billing_api, "csat"), "share"), ==, 100);

  /* The chat went from alice to bob, who resolved it. */
  assert_counts (general_chat, 1, 1, 0, 0, 1);
  g_assert_cmpint (json_object_get_int_member (general_chat, "aht_ms"), ==, (chat->resolved - chat->answered) / 1000);

  assert_counts (total, 6, 3, 1, 1, 1);
  g_assert_cmpint (json_object_get_int_member (total, "waiting"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (total, "nps"), "promoters"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (total, "nps"), "detractors"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (total, "nps"), "score"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (total, "csat"), "responses"), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (total, "csat"), "average"), ==, 4.5);

  /* Per agent: who handled what, and whose customers rated how. */
  g_assert_cmpint (json_object_get_int_member (alice, "handled"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (bob, "handled"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (alice, "nps"), "responses"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (bob, "nps"), "responses"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (alice, "state"), ==, "away");
}

/* A day of traffic on the api and chat channels, then every figure on the
 * live and the historical endpoints, checked against the record. */
static void
test_scripted_day (void)
{
  ParleyTestHub *hub = parley_test_hub_new ("offer-timeout=60\nwrap-up=0");
  g_autofree char *alice = NULL;
  g_autofree char *bob = NULL;
  g_autofree char *sam = NULL;
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) left = NULL;
  g_autoptr(JsonObject) welcome = NULL;
  g_autoptr(JsonObject) chat_ack = NULL;
  g_autoptr(JsonObject) history = NULL;
  g_autoptr(JsonObject) live = NULL;
  g_autoptr(JsonObject) me = NULL;
  ParleyTestSocket *alice_desk, *bob_desk, *visitor;
  Moments general, billing, chat;
  gint64 c1, c2, c5, alice_id, bob_id, general_id = 0, billing_id = 0;
  guint status;

  parley_test_hub_ctl (hub, "agent-add", "alice", "--password", "secret", "--capacity", "api=2", "--capacity", "chat=2", NULL);
  parley_test_hub_ctl (hub, "agent-add", "bob", "--password", "secret", "--capacity", "api=2", "--capacity", "chat=2", NULL);
  add_agent (hub, "sam", "supervisor", NULL);
  parley_test_hub_ctl (hub, "queue-add", "General", NULL);
  parley_test_hub_ctl (hub, "queue-add", "Billing", "--service-level", "api=2", "--relax-after", "0", NULL);
  parley_test_hub_ctl (hub, "set", "chat", "site-key", "day-shop", NULL);
  parley_test_hub_ctl (hub, "set", "chat", "secret", "a-secret-long-enough-to-sign", NULL);
  parley_test_hub_start (hub);
  alice = parley_test_hub_login (hub, "alice", "secret");
  bob = parley_test_hub_login (hub, "bob", "secret");
  sam = parley_test_hub_login (hub, "sam", "secret");
  me = parley_test_hub_call_expect (hub, "GET", "/api/v1/agents/me", alice, NULL, 200);
  alice_id = json_object_get_int_member (me, "id");
  g_clear_pointer (&me, json_object_unref);
  me = parley_test_hub_call_expect (hub, "GET", "/api/v1/agents/me", bob, NULL, 200);
  bob_id = json_object_get_int_member (me, "id");
  alice_desk = parley_test_socket_events (hub, alice);
  bob_desk = parley_test_socket_events (hub, bob);
  presence (hub, bob, "away");

  /* c1: answered at once, replied to, resolved; c2 (Billing) answered late. */
  presence (hub, alice, "available");
  g_clear_pointer (&ack, json_object_unref);
  ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"phone\",\"value\":\"+44 20 7946 0301\"},\"text\":\"Where is my parcel?\"}");
  c1 = accept_next (hub, alice_desk, alice);
  act (hub, alice, "conversations", c1, "messages", "{\"channel\":\"api\",\"text\":\"On its way.\"}");
  parley_test_spin (300);
  act (hub, alice, "conversations", c1, "resolve", "{\"disposition\":\"answered\"}");
  g_clear_pointer (&ack, json_object_unref);
  ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"phone\",\"value\":\"+44 20 7946 0302\"},\"text\":\"Double charge\",\"queue\":\"Billing\"}");
  parley_test_spin (2500);
  c2 = accept_next (hub, alice_desk, alice);
  act (hub, alice, "conversations", c2, "resolve", "{\"disposition\":\"refunded\"}");

  /* c3 leaves at once, c4 after waiting over the short-abandon threshold. */
  presence (hub, alice, "away");
  g_clear_pointer (&ack, json_object_unref);
  ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"phone\",\"value\":\"+44 20 7946 0303\"},\"text\":\"Hello?\"}");
  left = parley_test_hub_api_channel (hub, "abandon", PARLEY_TEST_API_KEY,
                                      "{\"from\":{\"kind\":\"phone\",\"value\":\"+44 20 7946 0303\"}}", &status);
  g_assert_cmpint (json_object_get_int_member (left, "conversation"), ==, json_object_get_int_member (ack, "conversation"));
  g_clear_pointer (&ack, json_object_unref);
  ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"phone\",\"value\":\"+44 20 7946 0304\"},\"text\":\"Still there?\"}");
  parley_test_spin (5300);
  g_clear_pointer (&left, json_object_unref);
  left = parley_test_hub_api_channel (hub, "abandon", PARLEY_TEST_API_KEY,
                                      "{\"from\":{\"kind\":\"phone\",\"value\":\"+44 20 7946 0304\"}}", &status);
  g_assert_cmpint (json_object_get_int_member (left, "conversation"), ==, json_object_get_int_member (ack, "conversation"));

  /* c5: a chat visitor; alice answers, hands over to bob, who resolves. */
  visitor = parley_test_socket_connect (hub, "/api/v1/channels/chat/visitor", NULL);
  soup_websocket_connection_send_text (visitor->conn, "{\"type\":\"hello\",\"site\":\"day-shop\"}");
  welcome = parley_test_socket_wait (visitor, "welcome", NULL, NULL, WAIT_SECONDS);
  g_assert_nonnull (welcome);
  soup_websocket_connection_send_text (visitor->conn, "{\"type\":\"message\",\"id\":\"m1\",\"text\":\"Hi from the shop\"}");
  chat_ack = parley_test_socket_wait (visitor, "ack", NULL, NULL, WAIT_SECONDS);
  g_assert_nonnull (chat_ack);
  presence (hub, alice, "available");
  c5 = accept_next (hub, alice_desk, alice);
  presence (hub, bob, "available");
  {
    g_autofree char *to_bob = g_strdup_printf ("{\"agent\":%" G_GINT64_FORMAT "}", bob_id);

    act (hub, alice, "conversations", c5, "transfer", to_bob);
  }
  parley_test_spin (200);
  act (hub, bob, "conversations", c5, "resolve", "{\"disposition\":\"answered\"}");

  /* The customers rate c1 and c2 (answers taken elsewhere). */
  act (hub, sam, "conversations", c1, "survey", "{\"nps\":10,\"csat\":4}");
  act (hub, sam, "conversations", c2, "survey", "{\"nps\":3,\"csat\":5}");

  /* c6 is still waiting at the end of the day. */
  presence (hub, alice, "away");
  presence (hub, bob, "away");
  g_clear_pointer (&ack, json_object_unref);
  ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"phone\",\"value\":\"+44 20 7946 0306\"},\"text\":\"Last one\"}");
  parley_test_spin (100);

  {
    g_autoptr(JsonObject) queues = parley_test_hub_call_expect (hub, "GET", "/api/v1/queues", sam, NULL, 200);
    JsonArray *list = json_object_get_array_member (queues, "queues");

    for (guint i = 0; i < json_array_get_length (list); i++)
      {
        JsonObject *queue = json_object_get_object_member (json_array_get_object_element (list, i), "queue");
        gint64 id = json_object_get_int_member (queue, "id");

        if (g_str_equal (json_object_get_string_member (queue, "name"), "Billing"))
          billing_id = id;
        else
          general_id = id;
      }
  }
  general = moments_of (hub, sam, c1);
  billing = moments_of (hub, sam, c2);
  chat = moments_of (hub, sam, c5);
  g_assert_cmpint (general.answered, >, general.queued);
  g_assert_cmpint (billing.answered - billing.queued, >=, 2500 * 1000);
  history = parley_test_hub_call_expect (hub, "GET", "/api/v1/metrics", sam, NULL, 200);
  check_day (history, general_id, billing_id, &general, &billing, &chat, alice_id, bob_id);
  live = parley_test_hub_call_expect (hub, "GET", "/api/v1/metrics/live", sam, NULL, 200);
  check_day (json_object_get_object_member (live, "interval"), general_id, billing_id, &general, &billing, &chat,
             alice_id, bob_id);

  parley_test_socket_free (visitor);
  parley_test_socket_free (alice_desk);
  parley_test_socket_free (bob_desk);
  parley_test_hub_free (hub);
}

static gint64
start_of_local_hour (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) hour = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                     g_date_time_get_day_of_month (now), g_date_time_get_hour (now), 0, 0);

  return g_date_time_to_unix (hour) * G_USEC_PER_SEC;
}

/* The live figures' interval follows the configuration: hourly here. */
static void
test_live_interval (void)
{
  ParleyTestHub *hub = parley_test_hub_new ("interval-hours=1");
  g_autofree char *sam = NULL;
  g_autoptr(JsonObject) live = NULL;
  g_autoptr(JsonObject) history = NULL;
  gint64 before, after, from;

  add_agent (hub, "sam", "supervisor", NULL);
  parley_test_hub_start (hub);
  sam = parley_test_hub_login (hub, "sam", "secret");
  before = start_of_local_hour ();
  live = parley_test_hub_call_expect (hub, "GET", "/api/v1/metrics/live", sam, NULL, 200);
  history = parley_test_hub_call_expect (hub, "GET", "/api/v1/metrics", sam, NULL, 200);
  after = start_of_local_hour ();
  from = json_object_get_int_member (json_object_get_object_member (live, "interval"), "from");
  g_assert_true (from == before || from == after);
  g_assert_cmpint (json_object_get_int_member (history, "from"), ==, from);
  parley_test_hub_free (hub);
}

/* ---- many chat visitors ------------------------------------------------------ */

/* A visitor socket that said hello and got welcome. */
static ParleyTestSocket *
visitor_connect_via (ParleyTestHub *hub,
                     const char    *forwarded_for)
{
  ParleyTestSocket *visitor = parley_test_socket_connect (hub, "/api/v1/channels/chat/visitor", forwarded_for);
  g_autoptr(JsonObject) welcome = NULL;

  soup_websocket_connection_send_text (visitor->conn, "{\"type\":\"hello\",\"site\":\"many-shop\"}");
  welcome = parley_test_socket_wait (visitor, "welcome", NULL, NULL, WAIT_SECONDS);
  g_assert_nonnull (welcome);
  return visitor;
}

static ParleyTestSocket *
visitor_connect (ParleyTestHub *hub)
{
  return visitor_connect_via (hub, NULL);
}

static void
visitors_say_hi (GPtrArray *visitors)
{
  for (guint i = 0; i < visitors->len; i++)
    soup_websocket_connection_send_text (((ParleyTestSocket *) g_ptr_array_index (visitors, i))->conn,
                                         "{\"type\":\"message\",\"id\":\"hi\",\"text\":\"Hi\"}");
  for (guint i = 0; i < visitors->len; i++)
    {
      g_autoptr(JsonObject) ack = parley_test_socket_wait (g_ptr_array_index (visitors, i), "ack", NULL, NULL, WAIT_SECONDS);

      g_assert_nonnull (ack);
    }
}

/* Visitor sockets live in shards of 128 (parley-socket-pool.c): enough of
 * them for three shards are heard and answered; once most have gone (and
 * their shards with them), newcomers on the same descriptor numbers are
 * heard too. */
static void
test_many_visitors (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autoptr(GPtrArray) visitors = g_ptr_array_new_with_free_func ((GDestroyNotify) parley_test_socket_free);
  g_autoptr(JsonObject) health = NULL;
  guint status;

  parley_test_hub_ctl (hub, "queue-add", "General", NULL);
  parley_test_hub_ctl (hub, "set", "chat", "site-key", "many-shop", NULL);
  parley_test_hub_ctl (hub, "set", "chat", "secret", "a-secret-long-enough-to-sign", NULL);
  /* All 500 come from 127.0.0.1, which by default may send 100 at once. */
  parley_test_hub_ctl (hub, "set", "chat", "address-rate", "1000", NULL);
  parley_test_hub_start (hub);
  for (guint i = 0; i < 300; i++)
    g_ptr_array_add (visitors, visitor_connect (hub));
  visitors_say_hi (visitors);

  g_ptr_array_remove_range (visitors, 0, 200);
  parley_test_spin (500);
  for (guint i = 0; i < 200; i++)
    g_ptr_array_add (visitors, visitor_connect (hub));
  visitors_say_hi (visitors);

  health = parley_test_hub_call (hub, "GET", "/api/v1/health", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&visitors, g_ptr_array_unref);
  parley_test_hub_free (hub);
}

/* Behind a trusted proxy visitors are told apart by the address it
 * forwards for: the limit per address applies to each of them, and a
 * visitor cannot escape it by writing addresses of their own in front. */
static void
test_visitors_behind_proxy (void)
{
  ParleyTestHub *hub = parley_test_hub_new ("trusted-proxies=127.0.0.0/8, ::1");
  ParleyTestSocket *first, *spoofing, *other;
  guint acked = 0, limited = 0;

  parley_test_hub_ctl (hub, "queue-add", "General", NULL);
  parley_test_hub_ctl (hub, "set", "chat", "site-key", "many-shop", NULL);
  parley_test_hub_ctl (hub, "set", "chat", "secret", "a-secret-long-enough-to-sign", NULL);
  parley_test_hub_ctl (hub, "set", "chat", "address-rate", "1", NULL);  /* 5 at once, then 1 a second */
  parley_test_hub_start (hub);
  first = visitor_connect_via (hub, "203.0.113.7");
  spoofing = visitor_connect_via (hub, "198.51.100.1, 203.0.113.7");
  other = visitor_connect_via (hub, "198.51.100.9");

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *message = g_strdup_printf ("{\"type\":\"message\",\"id\":\"m%u\",\"text\":\"Hi\"}", i);

      soup_websocket_connection_send_text (first->conn, message);
      soup_websocket_connection_send_text (spoofing->conn, message);
    }
  while (acked + limited < 8)
    {
      ParleyTestSocket *visitor = (acked + limited) % 2 ? spoofing : first;
      g_autoptr(JsonObject) answer = NULL;
      const char *type;

      while (!(answer = g_queue_pop_head (&visitor->messages)))
        g_main_context_iteration (NULL, TRUE);
      type = json_object_get_string_member (answer, "type");
      if (g_str_equal (type, "ack"))
        acked++;
      else if (g_str_equal (type, "error"))
        {
          g_assert_cmpstr (json_object_get_string_member (answer, "code"), ==, "rate_limited");
          limited++;
        }
    }
  g_assert_cmpuint (acked, ==, 5);
  g_assert_cmpuint (limited, ==, 3);

  soup_websocket_connection_send_text (other->conn, "{\"type\":\"message\",\"id\":\"o\",\"text\":\"Hi\"}");
  g_assert_nonnull (parley_test_socket_wait (other, "ack", NULL, NULL, WAIT_SECONDS));

  parley_test_socket_free (first);
  parley_test_socket_free (spoofing);
  parley_test_socket_free (other);
  parley_test_hub_free (hub);
}

/* ---- running out of descriptors ------------------------------------------- */

/* GET /health on a connection of its own: a pooled one would say nothing
 * about whether the hub still takes new connections. */
static gboolean
health_on_new_connection (ParleyTestHub *hub,
                          guint          timeout_seconds)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", timeout_seconds, NULL);
  g_autofree char *uri = g_strconcat (hub->base, "/api/v1/health", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);

  return body != NULL && soup_message_get_status (msg) == SOUP_STATUS_OK;
}

/* More clients than descriptors: the hub closes the oldest connections
 * that never sent a request to make room, so it still answers, and takes
 * new connections again once they are gone (libsoup 3.2 by itself stopped
 * accepting for good). */
static void
test_out_of_descriptors (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketConnectable) address = NULL;
  g_autoptr(GUri) uri = NULL;
  gboolean answered = FALSE;
  gint64 give_up;

  hub->open_files = 64;
  parley_test_hub_start (hub);
  g_assert_true (health_on_new_connection (hub, 5));
  uri = g_uri_parse (hub->base, G_URI_FLAGS_NONE, NULL);
  address = g_network_address_new (g_uri_get_host (uri), g_uri_get_port (uri));
  for (guint i = 0; i < 128; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocketConnection *connection = g_socket_client_connect (client, address, NULL, &error);

      g_assert_no_error (error);
      g_ptr_array_add (clients, connection);
    }
  parley_test_spin (500);
  g_assert_true (health_on_new_connection (hub, 5));

  g_ptr_array_set_size (clients, 0);
  give_up = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  while (!answered && g_get_monotonic_time () < give_up)
    answered = health_on_new_connection (hub, 2);
  g_assert_true (answered);
  parley_test_hub_free (hub);
}

/* The out message with @text in @customer's timeline (asserted to be there). */
static JsonObject *
find_reply (ParleyTestHub *hub,
            const char    *token,
            gint64         customer,
            const char    *text)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/timeline?limit=200", customer);
  g_autoptr(JsonObject) page = parley_test_hub_call_expect (hub, "GET", path, token, NULL, 200);
  JsonArray *events = json_object_get_array_member (page, "events");

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (g_strcmp0 (json_object_get_string_member (event, "direction"), "out") == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (event, "text", NULL), text) == 0)
        return json_object_ref (event);
    }
  g_assert_not_reached ();
}

/* A chat read receipt says the visitor has seen the chat: it marks the
 * agents' chat messages read, not a reply the customer got on another
 * channel of the same conversation. */
static void
test_chat_read_receipt_stays_on_chat (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autofree char *alice = NULL;
  g_autofree char *from_visitor = NULL;
  g_autofree char *receipt = NULL;
  g_autoptr(JsonObject) welcome = NULL;
  g_autoptr(JsonObject) chat_ack = NULL;
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) chat_reply = NULL;
  g_autoptr(JsonObject) api_reply = NULL;
  ParleyTestSocket *alice_desk, *visitor;
  gint64 conversation, customer;

  parley_test_hub_ctl (hub, "agent-add", "alice", "--password", "secret", "--capacity", "api=2", "--capacity", "chat=2", NULL);
  parley_test_hub_ctl (hub, "queue-add", "General", NULL);
  parley_test_hub_ctl (hub, "set", "chat", "site-key", "read-shop", NULL);
  parley_test_hub_ctl (hub, "set", "chat", "secret", "a-secret-long-enough-to-sign", NULL);
  parley_test_hub_start (hub);
  alice = parley_test_hub_login (hub, "alice", "secret");
  alice_desk = parley_test_socket_events (hub, alice);
  presence (hub, alice, "available");

  visitor = parley_test_socket_connect (hub, "/api/v1/channels/chat/visitor", NULL);
  soup_websocket_connection_send_text (visitor->conn, "{\"type\":\"hello\",\"site\":\"read-shop\"}");
  welcome = parley_test_socket_wait (visitor, "welcome", NULL, NULL, WAIT_SECONDS);
  g_assert_nonnull (welcome);
  soup_websocket_connection_send_text (visitor->conn, "{\"type\":\"message\",\"id\":\"m1\",\"text\":\"Hi from the shop\"}");
  chat_ack = parley_test_socket_wait (visitor, "ack", NULL, NULL, WAIT_SECONDS);
  g_assert_nonnull (chat_ack);
  conversation = accept_next (hub, alice_desk, alice);

  /* The same customer writes through an integration too. */
  from_visitor = g_strdup_printf ("{\"from\":{\"kind\":\"chat\",\"value\":\"%s\"},\"text\":\"And by the app\"}",
                                  json_object_get_string_member (welcome, "visitor"));
  ack = parley_test_hub_inbound_ok (hub, from_visitor);
  g_assert_cmpint (json_object_get_int_member (ack, "conversation"), ==, conversation);
  customer = json_object_get_int_member (ack, "customer");
  act (hub, alice, "conversations", conversation, "messages", "{\"channel\":\"api\",\"text\":\"Answered in the app\"}");
  act (hub, alice, "conversations", conversation, "messages", "{\"channel\":\"chat\",\"text\":\"Answered in the chat\"}");
  chat_reply = find_reply (hub, alice, customer, "Answered in the chat");

  receipt = g_strdup_printf ("{\"type\":\"read\",\"event\":%" G_GINT64_FORMAT "}",
                             json_object_get_int_member (chat_reply, "id"));
  soup_websocket_connection_send_text (visitor->conn, receipt);
  for (guint attempt = 0; attempt < 50 && !json_object_has_member (json_object_get_object_member (chat_reply, "metadata"), "read_at"); attempt++)
    {
      parley_test_spin (100);
      g_clear_pointer (&chat_reply, json_object_unref);
      chat_reply = find_reply (hub, alice, customer, "Answered in the chat");
    }
  g_assert_true (json_object_has_member (json_object_get_object_member (chat_reply, "metadata"), "read_at"));
  api_reply = find_reply (hub, alice, customer, "Answered in the app");
  g_assert_false (json_object_has_member (json_object_get_object_member (api_reply, "metadata"), "read_at"));

  parley_test_socket_free (visitor);
  parley_test_socket_free (alice_desk);
  parley_test_hub_free (hub);
}

/* An agent's Transfer names colleagues: the hub tells an agent who can
 * take their conversation (signed in, taking its channel) and nothing more
 * of them; the agents' list stays for supervisors. */
static void
test_colleagues (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autofree char *alice = NULL;
  g_autofree char *bob = NULL;
  g_autofree char *carol = NULL;
  g_autofree char *sam = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) agents = NULL;
  g_autoptr(JsonObject) supervised = NULL;
  g_autoptr(GList) members = NULL;
  ParleyTestSocket *alice_desk;
  JsonArray *colleagues;
  JsonObject *bob_seen;
  gint64 conversation;

  add_agent (hub, "alice", "agent", NULL);
  add_agent (hub, "bob", "agent", NULL);
  add_agent (hub, "dave", "agent", NULL);   /* never signs in */
  parley_test_hub_ctl (hub, "agent-add", "carol", "--password", "secret", "--role", "agent", "--capacity", "chat=2", NULL);
  add_agent (hub, "sam", "supervisor", NULL);
  parley_test_hub_ctl (hub, "queue-add", "General", NULL);
  parley_test_hub_start (hub);
  alice = parley_test_hub_login (hub, "alice", "secret");
  bob = parley_test_hub_login (hub, "bob", "secret");
  carol = parley_test_hub_login (hub, "carol", "secret");
  sam = parley_test_hub_login (hub, "sam", "secret");
  alice_desk = parley_test_socket_events (hub, alice);
  /* The hub's own reasons are codes, for desktops to word. */
  {
    g_autoptr(JsonObject) me = parley_test_hub_call_expect (hub, "GET", "/api/v1/agents/me", alice, NULL, 200);

    g_assert_cmpstr (json_object_get_string_member (me, "reason"), ==, "signed-in");
  }
  presence (hub, bob, "away");
  presence (hub, carol, "available");
  presence (hub, alice, "available");
  ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"email\",\"value\":\"pat@example.com\"},\"text\":\"Hello\"}");
  conversation = accept_next (hub, alice_desk, alice);

  /* Alice sees bob, with his name and state only: not carol, who takes
   * no api conversations, nor dave, who is offline, nor herself. */
  path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/colleagues", conversation);
  answer = parley_test_hub_call_expect (hub, "GET", path, alice, NULL, 200);
  colleagues = json_object_get_array_member (answer, "colleagues");
  g_assert_cmpuint (json_array_get_length (colleagues), ==, 1);
  bob_seen = json_array_get_object_element (colleagues, 0);
  g_assert_cmpint (json_object_get_int_member (bob_seen, "id"), ==, parley_test_hub_agent_id (hub, bob));
  g_assert_cmpstr (json_object_get_string_member (bob_seen, "name"), ==, "bob");
  g_assert_cmpstr (json_object_get_string_member (bob_seen, "presence"), ==, "away");
  members = json_object_get_members (bob_seen);
  g_assert_cmpuint (g_list_length (members), ==, 3);

  /* Only whoever holds the conversation (or a supervisor) asks. */
  refused = parley_test_hub_call_expect (hub, "GET", path, bob, NULL, 403);
  supervised = parley_test_hub_call_expect (hub, "GET", path, sam, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (supervised, "colleagues")), ==, 1);

  /* The whole list of agents, with their load and logins, is still the
   * supervisors' alone. */
  g_clear_pointer (&refused, json_object_unref);
  refused = parley_test_hub_call_expect (hub, "GET", "/api/v1/agents", alice, NULL, 403);
  agents = parley_test_hub_call_expect (hub, "GET", "/api/v1/agents", sam, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (agents, "agents")), ==, 5);
  g_assert_true (json_object_has_member (json_array_get_object_element (json_object_get_array_member (agents, "agents"), 0), "load"));

  parley_test_socket_free (alice_desk);
  parley_test_hub_free (hub);
}

/* Identities through a hub configured with a default region: national and
 * international spellings of one number, and both spellings of an IDN
 * domain, are one customer; searches ignore case in any language. */
static void
test_identity_spellings (void)
{
  ParleyTestHub *hub = parley_test_hub_new ("default-region=IT");
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) national = NULL;
  g_autoptr(JsonObject) international = NULL;
  g_autoptr(JsonObject) dialled = NULL;
  g_autoptr(JsonObject) unicode = NULL;
  g_autoptr(JsonObject) ascii = NULL;
  g_autoptr(JsonObject) found = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) customer = NULL;
  g_autofree char *path = NULL;
  guint status;
  gint64 id;

  add_agent (hub, "alice", "agent", NULL);
  parley_test_hub_start (hub);
  token = parley_test_hub_login (hub, "alice", "secret");
  national = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"phone\",\"value\":\"06 1234 5678\","
                                              "\"name\":\"MAR\u00cdA ROSSI\"},\"text\":\"ciao\"}");
  international = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"phone\",\"value\":\"+39 06 1234 5678\"},"
                                                   "\"text\":\"again\"}");
  dialled = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"phone\",\"value\":\"00 39 06 1234 5678\"},"
                                             "\"text\":\"and again\"}");
  id = json_object_get_int_member (national, "customer");
  g_assert_cmpint (json_object_get_int_member (international, "customer"), ==, id);
  g_assert_cmpint (json_object_get_int_member (dialled, "customer"), ==, id);
  path = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT, id);
  customer = parley_test_hub_call_expect (hub, "GET", path, token, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (customer, "identities"), 0),
                     "value"), ==, "+390612345678");

  unicode = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"email\",\"value\":\"Anna@B\u00fccher.de\"},\"text\":\"hallo\"}");
  ascii = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"email\",\"value\":\"anna@xn--bcher-kva.de\"},\"text\":\"hallo\"}");
  g_assert_cmpint (json_object_get_int_member (unicode, "customer"), ==, json_object_get_int_member (ascii, "customer"));
  refused = parley_test_hub_inbound (hub, "{\"from\":{\"kind\":\"phone\",\"value\":\"06\"},\"text\":\"hi\"}", &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (refused, "error"), "message"), ==,
                   "Invalid phone identity: too short");

  found = parley_test_hub_call_expect (hub, "GET", "/api/v1/customers?q=mar%C3%ADa", token, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (found, "customers")), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (json_object_get_array_member (found, "customers"), 0),
                                               "id"), ==, id);
  parley_test_hub_free (hub);
}

/* ---- channels declared by their plugins --------------------------------- */

/* The declaration of @kind in GET /api/v1/channels, or NULL. */
static JsonObject *
declared_channel (JsonObject *answer,
                  const char *kind)
{
  JsonArray *channels = json_object_get_array_member (answer, "channels");

  for (guint i = 0; i < json_array_get_length (channels); i++)
    {
      JsonObject *channel = json_array_get_object_element (channels, i);

      if (g_strcmp0 (json_object_get_string_member (channel, "kind"), kind) == 0)
        return channel;
    }
  return NULL;
}

static JsonArray *
pigeon_deliveries (ParleyTestHub *hub)
{
  g_autoptr(JsonObject) answer = parley_test_hub_call_expect (hub, "GET", "/api/v1/channels/pigeon/delivered", NULL, NULL, 200);

  return json_array_ref (json_object_get_array_member (answer, "delivered"));
}

/* A reply's refusal: 400, with a message that says why. */
static void
assert_reply_refused (ParleyTestHub *hub,
                      const char    *path,
                      const char    *token,
                      const char    *body,
                      const char    *says)
{
  guint status = 0;
  g_autoptr(JsonObject) answer = parley_test_hub_call (hub, "POST", path, token, body, &status);
  const char *message;

  g_assert_cmpuint (status, ==, 400);
  message = json_object_get_string_member (json_object_get_object_member (answer, "error"), "message");
  g_assert_nonnull (strstr (message, says));
}

/* A channel that exists only as a third-party plugin (tests/plugins/pigeon,
 * in Python, with no desktop side) is listed with its declaration, offered
 * to agents with capacity on it, and reaches only the identity kinds it
 * declares: a reply to a customer it cannot reach is refused before
 * anything is stored. */
static void
test_declared_channel (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autofree char *link = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) bird = NULL;
  g_autoptr(JsonObject) linked = NULL;
  g_autoptr(JsonObject) sent = NULL;
  g_autoptr(JsonArray) delivered = NULL;
  JsonObject *pigeon, *api;
  ParleyTestSocket *desk;
  guint before;

  parley_test_hub_ctl (hub, "agent-add", "alice", "--password", "secret", "--role", "agent",
                       "--capacity", "api=2", "--capacity", "pigeon=2", NULL);
  parley_test_hub_start (hub);
  token = parley_test_hub_login (hub, "alice", "secret");
  desk = parley_test_socket_events (hub, token);
  parley_test_hub_set_available (hub, token);

  /* Listed as declared, to every signed-in agent only. */
  g_clear_pointer (&answer, json_object_unref);
  answer = parley_test_hub_call_expect (hub, "GET", "/api/v1/channels", NULL, NULL, 401);
  g_clear_pointer (&answer, json_object_unref);
  answer = parley_test_hub_call_expect (hub, "GET", "/api/v1/channels", token, NULL, 200);
  pigeon = declared_channel (answer, "pigeon");
  g_assert_nonnull (pigeon);
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), pigeon);
    g_autofree char *text = json_to_string (node, FALSE);

    g_assert_cmpstr (text, ==,
                     "{\"kind\":\"pigeon\",\"title\":\"Carrier Pigeon\",\"icon\":\"airplane-mode-symbolic\","
                     "\"identity_kinds\":[\"loft\"],\"capabilities\":[\"text\",\"outbound-initiated\"],"
                     "\"attachments\":{\"max_size\":0,\"types\":[]},\"reply_window\":0,\"capacity\":2}");
  }
  api = declared_channel (answer, "api");
  g_assert_nonnull (api);
  g_assert_cmpstr (json_object_get_string_member (api, "title"), ==, "API");
  /* Integrators address customers by any identity, an "api" one first. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (api, "identity_kinds")), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (api, "identity_kinds"), 1), ==, "*");
  /* Only running channels: chat has no site key here. */
  g_assert_null (declared_channel (answer, "chat"));

  /* A customer without a loft writes on the api channel. */
  ack = parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"email\",\"value\":\"hen@example.com\"},\"text\":\"Hello\"}");
  g_assert_cmpint (accept_next (hub, desk, token), ==, json_object_get_int_member (ack, "conversation"));
  path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/messages", json_object_get_int_member (ack, "conversation"));
  before = timeline_length (hub, token, json_object_get_int_member (ack, "customer"));
  assert_reply_refused (hub, path, token, "{\"channel\":\"pigeon\",\"text\":\"coo\"}",
                        "no identity the “pigeon” channel can reach (it reaches “loft”)");
  assert_reply_refused (hub, path, token, "{\"channel\":\"owl\",\"text\":\"hoot\"}", "No “owl” channel is running");
  g_assert_cmpuint (timeline_length (hub, token, json_object_get_int_member (ack, "customer")), ==, before);
  delivered = pigeon_deliveries (hub);
  g_assert_cmpuint (json_array_get_length (delivered), ==, 0);

  /* Given a loft, the same reply reaches the plugin with it. */
  link = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/identities", json_object_get_int_member (ack, "customer"));
  linked = parley_test_hub_call_expect (hub, "POST", link, token, "{\"kind\":\"loft\",\"value\":\"roof-7\"}", 200);
  sent = parley_test_hub_call_expect (hub, "POST", path, token, "{\"channel\":\"pigeon\",\"text\":\"coo\"}", 201);
  for (guint attempt = 0; attempt < 50; attempt++)
    {
      g_clear_pointer (&delivered, json_array_unref);
      delivered = pigeon_deliveries (hub);
      if (json_array_get_length (delivered) > 0)
        break;
      g_usleep (100 * 1000);
    }
  g_assert_cmpuint (json_array_get_length (delivered), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (delivered, 0), "to_kind"), ==, "loft");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (delivered, 0), "to_value"), ==, "roof-7");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (delivered, 0), "text"), ==, "coo");

  /* A bird flies in: its conversation is offered to the agent with
   * capacity on pigeon. */
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/resolve", json_object_get_int_member (ack, "conversation"));
  g_clear_pointer (&answer, json_object_unref);
  answer = parley_test_hub_call_expect (hub, "POST", path, token, "{\"disposition\":\"done\"}", 200);
  bird = parley_test_hub_call_expect (hub, "POST", "/api/v1/channels/pigeon/inbound", NULL,
                                      "{\"loft\":\"dovecote-3\",\"name\":\"Percy\",\"text\":\"Coo from the tower\"}", 202);
  {
    g_autoptr(JsonObject) offer = parley_test_socket_wait (desk, "offer", "offer", "offered", WAIT_SECONDS);

    g_assert_nonnull (offer);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (offer, "offer"), "conversation_id"), ==,
                     json_object_get_int_member (bird, "conversation"));
  }
  parley_test_socket_free (desk);
  parley_test_hub_free (hub);
}

/* ---- channel settings -------------------------------------------------- */

/* The setting @name in a settings answer. */
static JsonObject *
listed_setting (JsonObject *answer,
                const char *name)
{
  JsonArray *settings = json_object_get_array_member (answer, "settings");

  for (guint i = 0; i < json_array_get_length (settings); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (settings, i), "name"), name))
      return json_array_get_object_element (settings, i);
  return NULL;
}

/* Settings as the channels declare them: listed (secrets never shown),
 * checked (a misspelt name, a wrong value and unsetting a required one
 * are refused with what the channel takes), applied at once by starting
 * the channel again (chat, idle for want of its settings, starts), and
 * put back when the channel would not start with them. parleyctl checks
 * the same way. */
static void
test_channel_settings (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autofree char *root = NULL;
  g_autofree char *alice = NULL;
  g_autofree char *output = NULL;
  g_autoptr(JsonObject) api = NULL;
  g_autoptr(JsonObject) chat = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) channels = NULL;
  JsonObject *setting;

  add_agent (hub, "root", "admin", NULL);
  add_agent (hub, "alice", "agent", NULL);
  g_assert_cmpint (parley_test_hub_ctl_output (hub, &output, "set", "api", "kye", "x", NULL), !=, 0);
  g_assert_nonnull (strstr (output, "Channel api has no setting “kye” (it has: key, callback-url, signing-secret)"));
  g_clear_pointer (&output, g_free);
  g_assert_cmpint (parley_test_hub_ctl_output (hub, &output, "set", "chat", "abandon-after", "soon", NULL), !=, 0);
  g_assert_nonnull (strstr (output, "Setting “abandon-after” takes a whole number from 1 to 86400"));
  g_clear_pointer (&output, g_free);
  g_assert_cmpint (parley_test_hub_ctl_output (hub, &output, "set", "chat", "abandon-after", " 90 ", NULL), ==, 0);
  parley_test_hub_start (hub);
  root = parley_test_hub_login (hub, "root", "secret");
  alice = parley_test_hub_login (hub, "alice", "secret");

  answer = parley_test_hub_call_expect (hub, "GET", "/api/v1/channels/api/settings", alice, NULL, 403);
  api = parley_test_hub_call_expect (hub, "GET", "/api/v1/channels/api/settings", root, NULL, 200);
  setting = listed_setting (api, "key");
  g_assert_true (json_object_get_boolean_member (setting, "secret"));
  g_assert_true (json_object_get_boolean_member (setting, "set"));
  g_assert_false (json_object_has_member (setting, "value"));
  g_assert_cmpstr (json_object_get_string_member (setting, "source"), ==, "config");
  g_assert_false (json_object_has_member (listed_setting (api, "callback-url"), "value"));
  g_assert_cmpstr (json_object_get_string_member (listed_setting (api, "callback-url"), "source"), ==, "default");

  /* Refused, each saying why. */
  g_clear_pointer (&answer, json_object_unref);
  answer = parley_test_hub_call_expect (hub, "PATCH", "/api/v1/channels/api/settings", root, "{\"kye\":\"x\"}", 400);
  assert_error (answer, "invalid", "Channel api has no setting “kye” (it has: key, callback-url, signing-secret)");
  g_clear_pointer (&answer, json_object_unref);
  answer = parley_test_hub_call_expect (hub, "PATCH", "/api/v1/channels/api/settings", root,
                                        "{\"callback-url\":\"ftp://crm.example.com/\"}", 400);
  assert_error (answer, "invalid", "Setting “callback-url” takes an http or https URL");
  g_clear_pointer (&answer, json_object_unref);
  answer = parley_test_hub_call_expect (hub, "PATCH", "/api/v1/channels/api/settings", root, "{\"key\":\"0123456789abcdef-new\"}", 409);
  assert_error (answer, "conflict", "“key” is set in the config file ([channel:api]); change it there");
  g_clear_pointer (&answer, json_object_unref);
  answer = parley_test_hub_call_expect (hub, "PATCH", "/api/v1/channels/nosuch/settings", root, "{}", 404);

  /* Chat is idle for want of its settings; given them, it starts. */
  chat = parley_test_hub_call_expect (hub, "GET", "/api/v1/channels/chat/settings", root, NULL, 200);
  g_assert_false (json_object_get_boolean_member (listed_setting (chat, "secret"), "set"));
  g_assert_cmpstr (json_object_get_string_member (listed_setting (chat, "abandon-after"), "value"), ==, "90");
  g_assert_cmpstr (json_object_get_string_member (listed_setting (chat, "address-rate"), "source"), ==, "default");
  g_clear_pointer (&answer, json_object_unref);
  answer = parley_test_hub_call_expect (hub, "GET", "/api/v1/channels/chat/widget.js", NULL, NULL, 404);
  g_clear_pointer (&answer, json_object_unref);
  answer = parley_test_hub_call_expect (hub, "PATCH", "/api/v1/channels/chat/settings", root,
                                        "{\"site-key\":\"shop\",\"secret\":\"short\"}", 400);
  assert_error (answer, "invalid", "Setting “secret” takes 16 to 256 characters");
  g_clear_pointer (&chat, json_object_unref);
  chat = parley_test_hub_call_expect (hub, "PATCH", "/api/v1/channels/chat/settings", root,
                                      "{\"site-key\":\"shop\",\"secret\":\"0123456789abcdef0123\",\"address-rate\":50}", 200);
  g_assert_true (json_object_get_boolean_member (listed_setting (chat, "secret"), "set"));
  g_assert_cmpstr (json_object_get_string_member (listed_setting (chat, "address-rate"), "value"), ==, "50");
  channels = parley_test_hub_call_expect (hub, "GET", "/api/v1/channels", alice, NULL, 200);
  g_assert_nonnull (declared_channel (channels, "chat"));

  /* Business hours it cannot read: it would not start, so they are not
   * kept, and it runs on as it did. */
  g_clear_pointer (&answer, json_object_unref);
  answer = parley_test_hub_call_expect (hub, "PATCH", "/api/v1/channels/chat/settings", root,
                                        "{\"business-hours\":\"whenever\"}", 400);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (json_object_get_object_member (answer, "error"), "message"),
                                   "Channel chat did not start with these settings, so they were not kept: "));
  g_clear_pointer (&chat, json_object_unref);
  chat = parley_test_hub_call_expect (hub, "GET", "/api/v1/channels/chat/settings", root, NULL, 200);
  g_assert_false (json_object_has_member (listed_setting (chat, "business-hours"), "value"));
  g_assert_cmpstr (json_object_get_string_member (listed_setting (chat, "abandon-after"), "source"), ==, "stored");
  g_clear_pointer (&answer, json_object_unref);
  answer = parley_test_hub_call_expect (hub, "PATCH", "/api/v1/channels/chat/settings", root, "{\"site-key\":null}", 400);
  assert_error (answer, "invalid", "Channel chat needs its setting “site-key”");
  parley_test_hub_free (hub);
}

int
main (int   argc,
      char *argv[])
{
  parley_test_init (&argc, &argv);
  g_test_add_func ("/hub/api/auth", test_auth);
  g_test_add_func ("/hub/api/desktop-flow-and-restart", test_desktop_flow_and_restart);
  g_test_add_func ("/hub/api/kill-9-during-burst", test_kill_during_burst);
  g_test_add_func ("/hub/api/pushes-in-commit-order", test_pushes_in_commit_order);
  g_test_add_func ("/hub/api/expiry-and-reject", test_expiry_and_reject);
  g_test_add_func ("/hub/api/offer-withdrawn-when-offline", test_offer_withdrawn_when_offline);
  g_test_add_func ("/hub/api/unshown-offer-not-missed", test_unshown_offer_not_missed);
  g_test_add_func ("/hub/api/resolved-pushed-to-holder", test_resolved_pushed_to_holder);
  g_test_add_func ("/hub/api/merge-unmerge-link", test_merge_unmerge);
  g_test_add_func ("/hub/api/bad-input", test_bad_input);
  g_test_add_func ("/hub/api/python-plugin", test_python_plugin);
  g_test_add_func ("/hub/api/python-routes-and-connectors", test_python_routes_and_connectors);
  g_test_add_func ("/hub/api/surveys", test_surveys);
  g_test_add_func ("/hub/api/abandon", test_abandon);
  g_test_add_func ("/hub/api/attachments", test_attachments);
  g_test_add_func ("/hub/api/scripted-day", test_scripted_day);
  g_test_add_func ("/hub/api/live-interval", test_live_interval);
  g_test_add_func ("/hub/api/metrics", test_metrics);
  g_test_add_func ("/hub/api/many-visitors", test_many_visitors);
  g_test_add_func ("/hub/api/visitors-behind-proxy", test_visitors_behind_proxy);
  g_test_add_func ("/hub/api/out-of-descriptors", test_out_of_descriptors);
  g_test_add_func ("/hub/api/chat-read-receipt-stays-on-chat", test_chat_read_receipt_stays_on_chat);
  g_test_add_func ("/hub/api/colleagues", test_colleagues);
  g_test_add_func ("/hub/api/identity-spellings", test_identity_spellings);
  g_test_add_func ("/hub/api/declared-channel", test_declared_channel);
  g_test_add_func ("/hub/api/channel-settings", test_channel_settings);
  return g_test_run ();
}
