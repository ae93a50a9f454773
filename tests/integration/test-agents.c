/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>

#include "parley-test-hub.h"

/* Changing agents while the hub runs (PATCH /api/v1/agents/{id}) and on
 * its data directory (parleyctl agent-set, agent-add). */

#define WAIT_SECONDS 10

typedef struct
{
  ParleyTestHub *hub;
  char          *admin;
  char          *sam;
  char          *alice;
  gint64         alice_id;
} Site;

static void
site_start (Site *site)
{
  site->hub = parley_test_hub_new (NULL);
  parley_test_hub_ctl (site->hub, "agent-add", "admin", "--password", "secret", "--role", "admin", NULL);
  parley_test_hub_ctl (site->hub, "agent-add", "sam", "--password", "secret", "--role", "supervisor", NULL);
  parley_test_hub_ctl (site->hub, "agent-add", "alice", "--password", "secret", "--role", "agent",
                       "--capacity", "chat=1", "--skill", "billing=2", NULL);
  parley_test_hub_start (site->hub);
  site->admin = parley_test_hub_login (site->hub, "admin", "secret");
  site->sam = parley_test_hub_login (site->hub, "sam", "secret");
  site->alice = parley_test_hub_login (site->hub, "alice", "secret");
  site->alice_id = parley_test_hub_agent_id (site->hub, site->alice);
}

static void
site_stop (Site *site)
{
  parley_test_hub_free (site->hub);
  g_free (site->admin);
  g_free (site->sam);
  g_free (site->alice);
}

static JsonObject *
patch_alice (Site       *site,
             const char *token,
             const char *body,
             guint       expected)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/agents/%" G_GINT64_FORMAT, site->alice_id);

  return parley_test_hub_call_expect (site->hub, "PATCH", path, token, body, expected);
}

static void
assert_error (JsonObject *answer,
              const char *message)
{
  g_assert_nonnull (answer);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (answer, "error"), "message"), ==, message);
}

/* What may be changed, by whom, and what is refused with which words. */
static void
test_patch_validation (void)
{
  Site site = { 0 };
  g_autoptr(JsonObject) changed = NULL;
  JsonObject *capacity, *skills;
  static const struct { const char *body; const char *message; } refused[] = {
    { "{\"role\":\"boss\"}", "Role must be agent, supervisor or admin, not “boss”" },
    { "{\"capacity\":{\"chat\":-1}}", "“chat” in “capacity” must be a whole number from 0 to 100, or null to remove it" },
    { "{\"capacity\":{\"chat\":\"3\"}}", "“chat” in “capacity” must be a whole number from 0 to 100, or null to remove it" },
    { "{\"capacity\":[3]}", "“capacity” must be an object of names and numbers, e.g. {\"chat\": 3}" },
    { "{\"skills\":{\"billing\":11}}", "“billing” in “skills” must be a whole number from 1 to 10, or null to remove it" },
    { "{\"name\":42}", "“name” must be text of 1 to 256 bytes" },
    { "{\"capacities\":{\"chat\":3}}", "An agent has no “capacities”: change name, role, skills or capacity" },
  };

  site_start (&site);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(JsonObject) answer = patch_alice (&site, site.admin, refused[i].body, 400);

      assert_error (answer, refused[i].message);
    }
  /* Only admins: a supervisor could otherwise make anyone an admin. */
  g_clear_pointer (&changed, json_object_unref);
  changed = patch_alice (&site, site.sam, "{\"capacity\":{\"chat\":2}}", 403);
  g_clear_pointer (&changed, json_object_unref);
  changed = patch_alice (&site, site.alice, "{\"capacity\":{\"chat\":2}}", 403);
  g_clear_pointer (&changed, json_object_unref);
  changed = parley_test_hub_call_expect (site.hub, "PATCH", "/api/v1/agents/999", site.admin, "{\"name\":\"x\"}", 404);

  /* The members given change, the others stay; null takes one away. A
   * channel no plugin of this hub serves (a third party's) is fine. */
  g_clear_pointer (&changed, json_object_unref);
  changed = patch_alice (&site, site.admin,
                         "{\"name\":\"Alice Martin\",\"capacity\":{\"whatsapp\":2,\"api\":1},"
                         "\"skills\":{\"billing\":null,\"german\":4}}", 200);
  capacity = json_object_get_object_member (changed, "capacity");
  skills = json_object_get_object_member (changed, "skills");
  g_assert_cmpstr (json_object_get_string_member (changed, "name"), ==, "Alice Martin");
  g_assert_cmpint (json_object_get_int_member (capacity, "chat"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (capacity, "whatsapp"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (capacity, "api"), ==, 1);
  g_assert_false (json_object_has_member (skills, "billing"));
  g_assert_cmpint (json_object_get_int_member (skills, "german"), ==, 4);

  /* A new role counts at once. */
  g_clear_pointer (&changed, json_object_unref);
  changed = parley_test_hub_call_expect (site.hub, "GET", "/api/v1/agents", site.alice, NULL, 403);
  g_clear_pointer (&changed, json_object_unref);
  changed = patch_alice (&site, site.admin, "{\"role\":\"supervisor\"}", 200);
  g_clear_pointer (&changed, json_object_unref);
  changed = parley_test_hub_call_expect (site.hub, "GET", "/api/v1/agents", site.alice, NULL, 200);

  /* And it was stored: the same after a restart. */
  parley_test_hub_stop (site.hub, SIGTERM);
  parley_test_hub_start (site.hub);
  g_clear_pointer (&changed, json_object_unref);
  changed = parley_test_hub_call_expect (site.hub, "GET", "/api/v1/agents/me", site.alice, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (changed, "role"), ==, "supervisor");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (changed, "capacity"), "whatsapp"), ==, 2);
  site_stop (&site);
}

/* A customer waits on a channel alice has no capacity for; given one, she
 * is offered the conversation at once, and supervisors' boards see her
 * new capacity. */
static void
test_patch_reaches_router (void)
{
  Site site = { 0 };
  ParleyTestSocket *desk, *board;
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) changed = NULL;
  g_autoptr(JsonObject) offer = NULL;
  g_autoptr(JsonObject) presence = NULL;
  gboolean seen = FALSE;

  site_start (&site);
  desk = parley_test_socket_events (site.hub, site.alice);
  board = parley_test_socket_events (site.hub, site.sam);
  parley_test_hub_set_available (site.hub, site.alice);
  ack = parley_test_hub_inbound_ok (site.hub, "{\"from\":{\"kind\":\"email\",\"value\":\"kim@example.com\"},\"text\":\"hello\"}");
  /* No capacity on api: nothing is offered. */
  g_assert_null (parley_test_socket_wait (desk, "offer", "offer", "offered", 1));

  changed = patch_alice (&site, site.admin, "{\"capacity\":{\"api\":1}}", 200);
  offer = parley_test_socket_wait (desk, "offer", "offer", "offered", WAIT_SECONDS);
  g_assert_nonnull (offer);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (offer, "offer"), "conversation_id"), ==,
                   json_object_get_int_member (ack, "conversation"));
  while (!seen && (presence = parley_test_socket_wait (board, "presence", NULL, NULL, WAIT_SECONDS)) != NULL)
    {
      JsonObject *agent = json_object_get_object_member (presence, "agent");

      seen = json_object_get_int_member (agent, "id") == site.alice_id &&
             json_object_get_int_member_with_default (json_object_get_object_member (agent, "capacity"), "api", 0) == 1;
      g_clear_pointer (&presence, json_object_unref);
    }
  g_assert_true (seen);

  /* Sam, made an agent, no longer sees everything: not alice's presence. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/agents/%" G_GINT64_FORMAT,
                                             parley_test_hub_agent_id (site.hub, site.sam));
    g_autoptr(JsonObject) demoted = parley_test_hub_call_expect (site.hub, "PATCH", path, site.admin,
                                                                 "{\"role\":\"agent\"}", 200);
    g_autoptr(JsonObject) away = parley_test_hub_call_expect (site.hub, "PUT", "/api/v1/agents/me/presence", site.alice,
                                                              "{\"state\":\"away\"}", 200);

    parley_test_spin (500);
    while ((presence = parley_test_socket_wait (board, "presence", NULL, NULL, 0)) != NULL)
      {
        g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (presence, "agent"), "id"), !=,
                         site.alice_id);
        g_clear_pointer (&presence, json_object_unref);
      }
  }
  parley_test_socket_free (desk);
  parley_test_socket_free (board);
  site_stop (&site);
}

static void
test_parleyctl (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *admin = NULL;

  parley_test_hub_ctl (hub, "agent-add", "alice", "--password", "secret", "--capacity", "chat=1", NULL);
  g_assert_cmpint (parley_test_hub_ctl_output (hub, &out, "agent-set", "alice", "--capacity", "sms=2", "--skill", "billing=3",
                            "--role", "supervisor", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"capacity\":{\"chat\":1,\"sms\":2}"));
  g_assert_nonnull (strstr (out, "\"skills\":{\"billing\":3}"));
  g_assert_nonnull (strstr (out, "\"role\":\"supervisor\""));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (parley_test_hub_ctl_output (hub, &out, "agent-set", "alice", "--capacity", "sms=-1", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "parleyctl: “sms=-1” is not NAME=NUMBER\n");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (parley_test_hub_ctl_output (hub, &out, "agent-set", "alice", "--role", "boss", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "parleyctl: Role must be agent, supervisor or admin, not “boss”\n");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (parley_test_hub_ctl_output (hub, &out, "agent-set", "bob", "--role", "admin", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "parleyctl: No agent with login “bob”\n");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (parley_test_hub_ctl_output (hub, &out, "agent-add", "alice", "--password", "other", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "parleyctl: An agent with the login “alice” exists already\n");

  /* The API says the same, as a conflict. */
  parley_test_hub_ctl (hub, "agent-add", "admin", "--password", "secret", "--role", "admin", NULL);
  parley_test_hub_start (hub);
  admin = parley_test_hub_login (hub, "admin", "secret");
  answer = parley_test_hub_call_expect (hub, "POST", "/api/v1/agents", admin,
                                        "{\"login\":\"alice\",\"password\":\"another-secret\"}", 409);
  assert_error (answer, "An agent with the login “alice” exists already");
  parley_test_hub_free (hub);
}

int
main (int   argc,
      char *argv[])
{
  parley_test_init (&argc, &argv);
  g_test_add_func ("/agents/patch-validation", test_patch_validation);
  g_test_add_func ("/agents/patch-reaches-router", test_patch_reaches_router);
  g_test_add_func ("/agents/parleyctl", test_parleyctl);
  return g_test_run ();
}
