/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>

#include "parley-test-hub.h"

/* A hub with channel plugins that break the contract on purpose
 * (tests/broken-plugins, C and Python) beside the good ones: it starts,
 * logs and leaves out each broken one, runs the others, and ends every
 * delivery of a channel that hangs, lies or refuses with a recorded
 * outcome. */

#define WAIT_SECONDS 10

/* Plugins that must be logged as disabled (or not loaded) and absent. */
static const char *const refused[] = {
  "start-silent", "start-error", "start-lies", "kind-null", "kind-empty", "kind-taken", "kind-undeclared",
  "module-missing", "pybroken_hub", "pyliar_hub", "pynone_hub", "pyimport_hub",
};
/* Channels that must run: the good ones, and the broken ones whose harm
 * comes only later. */
static const char *const running[] = {
  "api", "pyecho", "host-garbage", "deliver-hang", "deliver-twice",
  "deliver-late", "deliver-refuse", "deliver-receipts", "pyrefuse", "pyhang",
};

static ParleyTestHub *
start_hub (void)
{
  ParleyTestHub *hub = parley_test_hub_new ("delivery-timeout=1\ndelivery-attempts=2");

  hub->log_path = g_build_filename (hub->data_dir, "parleyd.log", NULL);
  parley_test_hub_ctl (hub, "agent-add", "alice", "--password", "secret", "--role", "agent",
                       "--capacity", "api=2", NULL);
  parley_test_hub_start (hub);
  return hub;
}

static gboolean
has_channel (JsonArray  *channels,
             const char *kind)
{
  for (guint i = 0; i < json_array_get_length (channels); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (channels, i), "kind"), kind) == 0)
      return TRUE;
  return FALSE;
}

/* Whether the hub's log has a line with both @first and @second. */
static gboolean
logged (ParleyTestHub *hub,
        const char    *first,
        const char    *second)
{
  g_autofree char *log = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (hub->log_path, &log, NULL, NULL));
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], first) && strstr (lines[i], second))
      return TRUE;
  return FALSE;
}

static void
test_broken_plugins_start (void)
{
  ParleyTestHub *hub = start_hub ();
  g_autofree char *token = parley_test_hub_login (hub, "alice", "secret");
  g_autoptr(JsonObject) health = parley_test_hub_call_expect (hub, "GET", "/api/v1/health", NULL, NULL, 200);
  g_autoptr(JsonObject) channels = parley_test_hub_call_expect (hub, "GET", "/api/v1/channels", token, NULL, 200);
  JsonArray *kinds = json_object_get_array_member (channels, "channels");

  g_assert_cmpstr (json_object_get_string_member (health, "status"), ==, "ok");
  for (guint i = 0; i < G_N_ELEMENTS (running); i++)
    if (!has_channel (kinds, running[i]))
      g_error ("Channel %s is not running", running[i]);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *kind = g_strdelimit (g_strdup (refused[i]), "_", '\0');

      if (has_channel (kinds, kind))
        g_error ("The broken plugin %s runs", refused[i]);
      if (!logged (hub, refused[i], "is disabled") && !logged (hub, refused[i], "did not load"))
        g_error ("The hub did not log why %s is left out", refused[i]);
    }
  /* The two that claim another's kind say so; the silent one gets a reason. */
  g_assert_true (logged (hub, "kind-taken", "says it is “api” but its .plugin file declares “kind-taken”"));
  g_assert_true (logged (hub, "pyliar_hub", "declares “pyliar”"));
  g_assert_true (logged (hub, "start-silent", "failed without saying why"));
  /* What host-garbage passed the host ended in criticals, not a crash. */
  g_assert_true (logged (hub, "parley_host_submit_async", "assertion"));
  g_assert_true (logged (hub, "parley_host_report_receipt", "assertion"));
  /* The good channels work. */
  g_assert_nonnull (parley_test_hub_inbound_ok (hub, "{\"from\":{\"kind\":\"email\",\"value\":\"a@example.com\"},\"text\":\"hi\"}"));
  parley_test_hub_free (hub);
}

typedef struct
{
  ParleyTestHub    *hub;
  ParleyTestSocket *desk;
  char             *token;
  gint64            conversation;
  gint64            customer;
} Desk;

/* A customer writes on the api channel and alice takes the conversation. */
static void
desk_open (Desk *desk)
{
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) offer = NULL;
  g_autoptr(JsonObject) accepted = NULL;
  g_autofree char *path = NULL;

  desk->hub = start_hub ();
  desk->token = parley_test_hub_login (desk->hub, "alice", "secret");
  desk->desk = parley_test_socket_events (desk->hub, desk->token);
  parley_test_hub_set_available (desk->hub, desk->token);
  ack = parley_test_hub_inbound_ok (desk->hub, "{\"from\":{\"kind\":\"email\",\"value\":\"kim@example.com\"},\"text\":\"hello\"}");
  desk->conversation = json_object_get_int_member (ack, "conversation");
  desk->customer = json_object_get_int_member (ack, "customer");
  offer = parley_test_socket_wait (desk->desk, "offer", "offer", "offered", WAIT_SECONDS);
  g_assert_nonnull (offer);
  path = g_strdup_printf ("/api/v1/offers/%" G_GINT64_FORMAT "/accept",
                          json_object_get_int_member (json_object_get_object_member (offer, "offer"), "id"));
  accepted = parley_test_hub_call_expect (desk->hub, "POST", path, desk->token, NULL, 200);
}

static void
desk_close (Desk *desk)
{
  parley_test_socket_free (desk->desk);
  parley_test_hub_free (desk->hub);
  g_free (desk->token);
}

/* Alice replies on @channel; returns the event's id. */
static gint64
desk_send (Desk       *desk,
           const char *channel)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/messages", desk->conversation);
  g_autofree char *body = g_strdup_printf ("{\"channel\":\"%s\",\"text\":\"reply on %s\"}", channel, channel);
  g_autoptr(JsonObject) sent = parley_test_hub_call_expect (desk->hub, "POST", path, desk->token, body, 201);

  return json_object_get_int_member (json_object_get_object_member (sent, "event"), "id");
}

/* The pushes of event @id that came to alice's desktop so far, taken off
 * the queue (others stay). */
static GPtrArray *
desk_take_pushes (Desk   *desk,
                  gint64  id)
{
  GPtrArray *pushes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  GList *l = desk->desk->messages.head;

  while (l != NULL)
    {
      GList *next = l->next;
      JsonObject *message = l->data;

      if (g_strcmp0 (json_object_get_string_member (message, "type"), "event") == 0 &&
          json_object_get_int_member (json_object_get_object_member (message, "event"), "id") == id)
        {
          g_ptr_array_add (pushes, json_object_ref (json_object_get_object_member (message, "event")));
          json_object_unref (message);
          g_queue_delete_link (&desk->desk->messages, l);
        }
      l = next;
    }
  return pushes;
}

/* Waits for event @id to be pushed to alice with @delivery (or, for
 * "read", with read_at); returns it. */
static JsonObject *
desk_wait (Desk       *desk,
           gint64      id,
           const char *delivery,
           guint       seconds)
{
  gint64 until = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < until)
    {
      g_autoptr(GPtrArray) pushes = NULL;

      parley_test_spin (50);
      pushes = desk_take_pushes (desk, id);
      for (guint i = 0; i < pushes->len; i++)
        {
          JsonObject *event = g_ptr_array_index (pushes, i);
          JsonObject *metadata = json_object_get_object_member (event, "metadata");

          if (g_str_equal (delivery, "read") ? json_object_has_member (metadata, "read_at")
                                             : g_strcmp0 (json_object_get_string_member (event, "delivery"), delivery) == 0)
            return json_object_ref (event);
        }
    }
  g_error ("Event %" G_GINT64_FORMAT " did not become %s within %u s", id, delivery, seconds);
}

static const char *
delivery_error (JsonObject *event)
{
  return json_object_get_string_member_with_default (json_object_get_object_member (event, "metadata"),
                                                     "delivery_error", NULL);
}

/* A permanent failure marks the message failed at once, with the
 * channel's reason: no retries. */
static void
test_permanent_failure (void)
{
  Desk desk = { 0 };
  g_autoptr(JsonObject) failed = NULL;
  g_autoptr(JsonObject) python_failed = NULL;
  gint64 id, python_id;

  desk_open (&desk);
  id = desk_send (&desk, "deliver-refuse");
  python_id = desk_send (&desk, "pyrefuse");
  failed = desk_wait (&desk, id, "failed", 3);
  python_failed = desk_wait (&desk, python_id, "failed", 3);
  g_assert_cmpstr (delivery_error (failed), ==, "No such mailbox: kim@example.com");
  g_assert_cmpstr (delivery_error (python_failed), ==, "Unknown handle kim@example.com");
  /* Once only: the failure was not retried. */
  parley_test_spin (1500);
  g_assert_false (logged (desk.hub, "Delivery of event", "(attempt 2)"));
  desk_close (&desk);
}

/* A channel that never answers, and one that answers long after the
 * deadline: each attempt is cancelled at the deadline and counts as a
 * transient failure; after the last the message is failed, not pending
 * for ever, and the late answers change nothing. */
static void
test_hanging_and_late (void)
{
  Desk desk = { 0 };
  g_autoptr(JsonObject) hung = NULL;
  g_autoptr(JsonObject) late = NULL;
  g_autoptr(JsonObject) python_hung = NULL;
  g_autoptr(GPtrArray) after = NULL;
  gint64 hang_id, late_id, python_id;

  desk_open (&desk);
  hang_id = desk_send (&desk, "deliver-hang");
  late_id = desk_send (&desk, "deliver-late");
  python_id = desk_send (&desk, "pyhang");
  /* Two attempts of 1 s with 1 s between them. */
  hung = desk_wait (&desk, hang_id, "failed", 8);
  late = desk_wait (&desk, late_id, "failed", 8);
  python_hung = desk_wait (&desk, python_id, "failed", 8);
  g_assert_cmpstr (delivery_error (hung), ==, "The channel did not deliver the message within 1 s");
  g_assert_cmpstr (delivery_error (python_hung), ==, "The channel did not deliver the message within 1 s");
  g_assert_cmpstr (delivery_error (late), ==, "The channel did not deliver the message within 1 s");
  /* The late channel answers success now: ignored. */
  parley_test_spin (3500);
  after = desk_take_pushes (&desk, late_id);
  g_assert_cmpuint (after->len, ==, 0);
  g_assert_true (logged (desk.hub, "deliver-late channel did not answer", "(attempt 2)"));
  g_assert_nonnull (parley_test_hub_call_expect (desk.hub, "GET", "/api/v1/health", NULL, NULL, 200));
  desk_close (&desk);
}

/* A channel that calls back twice: one outcome, recorded and pushed once. */
static void
test_answers_twice (void)
{
  Desk desk = { 0 };
  g_autoptr(JsonObject) delivered = NULL;
  g_autoptr(GPtrArray) again = NULL;
  gint64 id;

  desk_open (&desk);
  id = desk_send (&desk, "deliver-twice");
  delivered = desk_wait (&desk, id, "delivered", 3);
  parley_test_spin (1000);
  again = desk_take_pushes (&desk, id);
  g_assert_cmpuint (again->len, ==, 0);
  g_assert_nonnull (parley_test_hub_call_expect (desk.hub, "GET", "/api/v1/health", NULL, NULL, 200));
  desk_close (&desk);
}

static guint
report_receipt (Desk       *desk,
                const char *body)
{
  guint status = 0;
  g_autoptr(JsonObject) answer = parley_test_hub_call (desk->hub, "POST", "/api/v1/channels/deliver-receipts/receipt",
                                                       NULL, body, &status);

  return status;
}

/* A channel gives each message its provider's id when delivering it and
 * reports receipts for it later: read, then a bounce with its reason. A
 * receipt for an id the hub never gave out changes nothing. */
static void
test_receipts (void)
{
  Desk desk = { 0 };
  g_autoptr(JsonObject) delivered = NULL;
  g_autoptr(JsonObject) read = NULL;
  g_autoptr(JsonObject) bounced = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autofree char *body = NULL;
  g_autofree char *provider_id = NULL;
  gint64 id;

  desk_open (&desk);
  id = desk_send (&desk, "deliver-receipts");
  delivered = desk_wait (&desk, id, "delivered", 3);
  provider_id = g_strdup_printf ("provider-%" G_GINT64_FORMAT, id);
  g_assert_cmpstr (json_object_get_string_member (delivered, "external_id"), ==, provider_id);

  body = g_strdup_printf ("{\"provider_id\":\"provider-%" G_GINT64_FORMAT "\",\"state\":\"read\"}", id);
  g_assert_cmpuint (report_receipt (&desk, body), ==, 200);
  read = desk_wait (&desk, id, "read", 3);
  g_free (body);
  body = g_strdup_printf ("{\"provider_id\":\"provider-%" G_GINT64_FORMAT "\",\"state\":\"failed\","
                          "\"reason\":\"Bounced: mailbox full\"}", id);
  g_assert_cmpuint (report_receipt (&desk, body), ==, 200);
  bounced = desk_wait (&desk, id, "failed", 3);
  g_assert_cmpstr (delivery_error (bounced), ==, "Bounced: mailbox full");

  g_assert_cmpuint (report_receipt (&desk, "{\"provider_id\":\"provider-0\",\"state\":\"failed\"}"), ==, 404);
  parley_test_spin (500);
  none = desk_take_pushes (&desk, id);
  g_assert_cmpuint (none->len, ==, 0);
  desk_close (&desk);
}

int
main (int   argc,
      char *argv[])
{
  parley_test_init (&argc, &argv);
  g_test_add_func ("/plugins/broken-start", test_broken_plugins_start);
  g_test_add_func ("/plugins/permanent-failure", test_permanent_failure);
  g_test_add_func ("/plugins/hanging-and-late", test_hanging_and_late);
  g_test_add_func ("/plugins/answers-twice", test_answers_twice);
  g_test_add_func ("/plugins/receipts", test_receipts);
  return g_test_run ();
}
