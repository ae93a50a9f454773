/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>

#include "parley-test-hub.h"

/* Who may do what, and what credentials are worth, against a real
 * parleyd: notes and survey answers per role, tokens across a restart,
 * password guessing, logins in parallel, signed callbacks and the chat
 * visitor's claimed identity. */

#define WAIT_SECONDS 10

/* ---- hub helpers --------------------------------------------------------- */

static void
add_agent (ParleyTestHub *hub,
           const char    *login,
           const char    *role)
{
  parley_test_hub_ctl (hub, "agent-add", login, "--password", "secret", "--role", role,
                       "--capacity", "api=3", "--capacity", "chat=3", NULL);
}

/* An api-channel contact that @token's agent (with its socket open) is
 * offered and accepts; returns the conversation id. */
static gint64
take_conversation (ParleyTestHub    *hub,
                   ParleyTestSocket *desk,
                   const char       *token,
                   const char       *from)
{
  g_autofree char *body = g_strdup_printf ("{\"from\":{\"kind\":\"email\",\"value\":\"%s\"},\"text\":\"Hello\"}", from);
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) offer = NULL;
  g_autoptr(JsonObject) accepted = NULL;

  ack = parley_test_hub_inbound_ok (hub, body);
  offer = parley_test_socket_wait (desk, "offer", NULL, NULL, WAIT_SECONDS);
  g_assert_nonnull (offer);
  path = g_strdup_printf ("/api/v1/offers/%" G_GINT64_FORMAT "/accept",
                          json_object_get_int_member (json_object_get_object_member (offer, "offer"), "id"));
  accepted = parley_test_hub_call_expect (hub, "POST", path, token, NULL, 200);
  return json_object_get_int_member (ack, "conversation");
}

/* ---- 7: notes and survey answers ----------------------------------------- */

static void
test_notes_and_surveys (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autofree char *alice = NULL, *bob = NULL, *sam = NULL, *root = NULL;
  g_autofree char *notes = NULL, *survey = NULL, *resolve = NULL;
  g_autoptr(JsonObject) reply = NULL;
  JsonObject *metadata;
  ParleyTestSocket *desk;
  gint64 conversation;
  struct { const char **token; guint open, resolved; } note_rules[] = {
    { (const char **) &alice, 201, 409 },  /* holds it; not once resolved */
    { (const char **) &bob, 403, 409 },    /* another agent: never */
    { (const char **) &sam, 201, 201 },    /* a supervisor: always */
    { (const char **) &root, 201, 201 },   /* an admin: always */
  };

  add_agent (hub, "alice", "agent");
  add_agent (hub, "bob", "agent");
  add_agent (hub, "sam", "supervisor");
  add_agent (hub, "root", "admin");
  parley_test_hub_start (hub);
  alice = parley_test_hub_login (hub, "alice", "secret");
  bob = parley_test_hub_login (hub, "bob", "secret");
  sam = parley_test_hub_login (hub, "sam", "secret");
  root = parley_test_hub_login (hub, "root", "secret");
  desk = parley_test_socket_events (hub, alice);
  parley_test_hub_set_available (hub, alice);
  conversation = take_conversation (hub, desk, alice, "pat@example.com");
  notes = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/notes", conversation);
  survey = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/survey", conversation);
  resolve = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/resolve", conversation);

  for (guint i = 0; i < G_N_ELEMENTS (note_rules); i++)
    {
      g_clear_pointer (&reply, json_object_unref);
      reply = parley_test_hub_call_expect (hub, "POST", notes, *note_rules[i].token, "{\"text\":\"internal\"}", note_rules[i].open);
    }

  /* Survey answers from the agent endpoint: supervisors only, marked. */
  g_clear_pointer (&reply, json_object_unref);
  reply = parley_test_hub_call_expect (hub, "POST", survey, alice, "{\"nps\":10,\"csat\":5}", 403);
  g_clear_pointer (&reply, json_object_unref);
  reply = parley_test_hub_call_expect (hub, "POST", survey, bob, "{\"nps\":10}", 403);
  g_clear_pointer (&reply, json_object_unref);
  reply = parley_test_hub_call_expect (hub, "POST", survey, sam, "{\"nps\":6,\"comment\":\"said on the phone\"}", 201);
  metadata = json_object_get_object_member (json_object_get_object_member (reply, "event"), "metadata");
  g_assert_cmpint (json_object_get_int_member (metadata, "recorded_by"), ==, parley_test_hub_agent_id (hub, sam));
  g_assert_cmpstr (json_object_get_string_member (metadata, "recorded_by_name"), ==, "sam");
  g_clear_pointer (&reply, json_object_unref);
  reply = parley_test_hub_call_expect (hub, "POST", survey, root, "{\"csat\":3}", 201);

  g_clear_pointer (&reply, json_object_unref);
  reply = parley_test_hub_call_expect (hub, "POST", resolve, alice, "{\"disposition\":\"done\"}", 200);
  for (guint i = 0; i < G_N_ELEMENTS (note_rules); i++)
    {
      g_clear_pointer (&reply, json_object_unref);
      reply = parley_test_hub_call_expect (hub, "POST", notes, *note_rules[i].token, "{\"text\":\"after\"}", note_rules[i].resolved);
    }
  g_clear_pointer (&reply, json_object_unref);
  reply = parley_test_hub_call_expect (hub, "POST", survey, alice, "{\"nps\":0}", 403);

  parley_test_socket_free (desk);
  parley_test_hub_free (hub);
}

/* ---- 10: tokens across a restart ------------------------------------------ */

static void
sql (ParleyTestHub *hub,
     const char    *statement)
{
  g_autofree char *path = g_build_filename (hub->data_dir, "parley.db", NULL);
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, statement, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", statement, message);
  sqlite3_close (db);
}

static gint64
count_rows (ParleyTestHub *hub,
            const char    *query)
{
  g_autofree char *path = g_build_filename (hub->data_dir, "parley.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, query, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}

/* A token issued long ago, with two seconds left when the hub restarts,
 * must stop working two seconds later, not a whole lifetime later; a token
 * already expired is gone from the store once the hub has started. */
static void
test_token_expiry_after_restart (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autofree char *alice = NULL, *stale = NULL, *update = NULL;
  g_autoptr(JsonObject) reply = NULL;
  gint64 now;

  add_agent (hub, "alice", "agent");
  parley_test_hub_start (hub);
  alice = parley_test_hub_login (hub, "alice", "secret");
  stale = parley_test_hub_login (hub, "alice", "secret");
  reply = parley_test_hub_call_expect (hub, "GET", "/api/v1/agents/me", alice, NULL, 200);
  parley_test_hub_stop (hub, SIGTERM);

  /* The store's clock is µs since the epoch. The first token gets two
   * seconds, the second expired an hour ago. */
  now = g_get_real_time ();
  update = g_strdup_printf ("UPDATE tokens SET expires = %" G_GINT64_FORMAT " WHERE expires = (SELECT MIN (expires) FROM tokens);"
                            "UPDATE tokens SET expires = %" G_GINT64_FORMAT " WHERE expires = (SELECT MAX (expires) FROM tokens);",
                            now + 2 * G_USEC_PER_SEC, now - (gint64) 3600 * G_USEC_PER_SEC);
  sql (hub, update);
  parley_test_hub_start (hub);

  g_clear_pointer (&reply, json_object_unref);
  reply = parley_test_hub_call_expect (hub, "GET", "/api/v1/agents/me", alice, NULL, 200);
  g_clear_pointer (&reply, json_object_unref);
  reply = parley_test_hub_call_expect (hub, "GET", "/api/v1/agents/me", stale, NULL, 401);
  parley_test_spin (2500);
  g_clear_pointer (&reply, json_object_unref);
  reply = parley_test_hub_call_expect (hub, "GET", "/api/v1/agents/me", alice, NULL, 401);
  /* The expired one was purged when the hub started. */
  g_assert_cmpint (count_rows (hub, "SELECT COUNT(*) FROM tokens"), ==, 1);

  parley_test_hub_free (hub);
}

/* ---- 11: logins ----------------------------------------------------------- */

static guint
try_login (ParleyTestHub *hub,
           const char    *login,
           const char    *password,
           gint64        *retry_after)
{
  g_autofree char *body = g_strdup_printf ("{\"login\":\"%s\",\"password\":\"%s\"}", login, password);
  g_autoptr(SoupMessage) msg = parley_test_hub_request (hub, "POST", "/api/v1/auth/login", NULL, body);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = soup_session_send_and_read (hub->session, msg, NULL, &error);
  const char *header = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");

  g_assert_no_error (error);
  g_assert_nonnull (reply);

  if (retry_after != NULL)
    *retry_after = header ? g_ascii_strtoll (header, NULL, 10) : 0;
  return soup_message_get_status (msg);
}

static void
test_login_throttle (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  guint refused = 0, throttled = 0;
  gint64 retry_after = 0;

  add_agent (hub, "alice", "agent");
  parley_test_hub_start (hub);

  for (int i = 0; i < 60; i++)
    {
      guint status = try_login (hub, "alice", "guess", NULL);

      g_assert_true (status == 401 || status == 429);
      refused += status == 401;
      throttled += status == 429;
    }
  g_test_message ("60 wrong passwords: %u refused after checking, %u throttled", refused, throttled);
  g_assert_cmpuint (refused, <, 10);
  /* The right password waits for the lock to pass like any other. */
  g_assert_cmpuint (try_login (hub, "alice", "secret", &retry_after), ==, 429);
  g_assert_cmpint (retry_after, >=, 1);
  g_assert_cmpint (retry_after, <=, 15 * 60);
  parley_test_spin (retry_after * 1000);
  g_assert_cmpuint (try_login (hub, "alice", "secret", NULL), ==, 200);

  parley_test_hub_free (hub);
}

/* The time a wrong password for @login takes to be refused, in µs. */
static gint64
refusal_time (ParleyTestHub *hub,
              const char    *login)
{
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpuint (try_login (hub, login, "wrong-password", NULL), ==, 401);
  return g_get_monotonic_time () - start;
}

/* An unknown login takes as long to refuse as a known one with a wrong
 * password, so timing does not tell which logins exist. Real hashing
 * strength, or there is nothing to measure. */
static void
test_login_timing (void)
{
  ParleyTestHub *hub = parley_test_hub_new ("password-strength=interactive");
  g_autoptr(GArray) known_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) unknown_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  double known, unknown;

  parley_test_hub_ctl (hub, "agent-add", "alice", "--password", "secret", "--password-strength", "interactive", NULL);
  parley_test_hub_start (hub);
  /* Five each (the free failures of one login), taken in turns so that
   * a busy machine slows both alike. */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *nobody = g_strdup_printf ("nobody-%u", i);
      gint64 elapsed = refusal_time (hub, "alice");

      g_array_append_val (known_times, elapsed);
      elapsed = refusal_time (hub, nobody);
      g_array_append_val (unknown_times, elapsed);
    }
  known = parley_test_percentile_ms (known_times, 0.5);
  unknown = parley_test_percentile_ms (unknown_times, 0.5);
  g_test_message ("wrong password: %.1f ms for a known login, %.1f ms for an unknown one", known, unknown);
  g_assert_cmpfloat (known, >, 5);
  g_assert_cmpfloat (unknown / known, >, 0.5);
  g_assert_cmpfloat (unknown / known, <, 2.0);

  parley_test_hub_free (hub);
}

static long
peak_rss_kib (ParleyTestHub *hub)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (hub->process));
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL) || !(line = strstr (status, "VmHWM:")))
    return -1;
  return strtol (line + strlen ("VmHWM:"), NULL, 10);
}

typedef struct
{
  guint ok;
  guint busy;
  guint done;
} LoginTally;

static void
parallel_login_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LoginTally *tally = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  g_assert_no_error (error);
  g_assert_nonnull (reply);
  tally->ok += soup_message_get_status (msg) == 200;
  tally->busy += soup_message_get_status (msg) == 503;
  tally->done++;
}

/* 64 logins at once with argon2's interactive strength (64 MiB each): the
 * hub hashes a few at a time, so its memory stays bounded. */
static void
test_parallel_logins (void)
{
  ParleyTestHub *hub = parley_test_hub_new ("password-strength=interactive");
  LoginTally tally = { 0 };
  long before, peak;
  gint64 start;

  parley_test_hub_ctl (hub, "agent-add", "alice", "--password", "secret", "--password-strength", "interactive", NULL);
  parley_test_hub_start (hub);
  before = parley_test_hub_rss_kib (hub);
  start = g_get_monotonic_time ();
  for (int i = 0; i < 64; i++)
    {
      g_autoptr(SoupMessage) msg = parley_test_hub_request (hub, "POST", "/api/v1/auth/login", NULL,
                                                            "{\"login\":\"alice\",\"password\":\"secret\"}");

      soup_session_send_and_read_async (hub->session, msg, G_PRIORITY_DEFAULT, NULL, parallel_login_cb, &tally);
    }
  while (tally.done < 64)
    g_main_context_iteration (NULL, TRUE);
  peak = peak_rss_kib (hub);
  g_test_message ("64 parallel logins: %u signed in, %u told to retry, in %.1f s; RSS %ld MiB before, peak %ld MiB",
                  tally.ok, tally.busy, (g_get_monotonic_time () - start) / 1e6, before / 1024, peak / 1024);
  g_assert_cmpuint (tally.ok + tally.busy, ==, 64);
  g_assert_cmpuint (tally.ok, >=, 32);
  /* Two hashes of 64 MiB at a time, and the hub itself. */
  g_assert_cmpint (peak, <, 250 * 1024);

  parley_test_hub_free (hub);
}

/* ---- 14, 15: signed callbacks ---------------------------------------------- */

/* The hub POSTs an agent's reply to the integrator's callback: it arrives
 * whole, signed over id, timestamp and body with the signing secret (as a
 * Standard Webhooks receiver checks it), and the inbound key signs nothing. */
static void
test_signed_callback (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  ParleyTestCallback *callback = parley_test_callback_new ();
  g_autofree char *alice = NULL, *path = NULL, *signed_text = NULL, *expected = NULL;
  g_autofree char *with_inbound_key = NULL, *inbound_key_secret = NULL;
  g_autoptr(JsonObject) reply = NULL;
  gint64 conversation, timestamp;
  ParleyTestDelivery *delivery;
  ParleyTestSocket *desk;

  add_agent (hub, "alice", "agent");
  parley_test_hub_ctl (hub, "set", "api", "callback-url", callback->url, NULL);
  parley_test_hub_start (hub);
  alice = parley_test_hub_login (hub, "alice", "secret");
  desk = parley_test_socket_events (hub, alice);
  parley_test_hub_set_available (hub, alice);
  conversation = take_conversation (hub, desk, alice, "pat@example.com");
  path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/messages", conversation);
  reply = parley_test_hub_call_expect (hub, "POST", path, alice, "{\"channel\":\"api\",\"text\":\"Refunded — sorry, Pat!\"}", 201);

  parley_test_callback_wait (callback, 1, WAIT_SECONDS);
  g_assert_cmpuint (callback->deliveries->len, ==, 1);
  delivery = g_ptr_array_index (callback->deliveries, 0);

  /* Intact: the whole JSON, the text as sent. */
  g_assert_nonnull (delivery->json);
  g_assert_cmpstr (json_object_get_string_member (delivery->json, "text"), ==, "Refunded — sorry, Pat!");

  /* Standard Webhooks: a fresh timestamp, and v1 over "id.timestamp.body". */
  g_assert_nonnull (delivery->id);
  g_assert_nonnull (delivery->timestamp);
  g_assert_nonnull (delivery->signature);
  timestamp = g_ascii_strtoll (delivery->timestamp, NULL, 10);
  g_assert_cmpint (ABS (g_get_real_time () / G_USEC_PER_SEC - timestamp), <, 300);
  signed_text = g_strjoin (".", delivery->id, delivery->timestamp, delivery->body, NULL);
  expected = parley_test_webhook_signature (PARLEY_TEST_SIGNING_SECRET, signed_text);
  g_assert_cmpstr (delivery->signature, ==, expected);

  /* The key that lets integrators in signs nothing that goes out. */
  g_assert_null (delivery->legacy_signature);
  inbound_key_secret = g_base64_encode ((const guchar *) PARLEY_TEST_API_KEY, strlen (PARLEY_TEST_API_KEY));
  with_inbound_key = parley_test_webhook_signature (inbound_key_secret, signed_text);
  g_assert_cmpstr (delivery->signature, !=, with_inbound_key);

  parley_test_socket_free (desk);
  parley_test_hub_free (hub);
  parley_test_callback_free (callback);
}

/* ---- 8: who a chat visitor is ------------------------------------------- */

#define IDENTITY_SECRET "test-identity-secret-0123"

/* A visitor socket that said @hello; @token (optional) gets its token. */
static ParleyTestSocket *
visitor_hello (ParleyTestHub  *hub,
               const char     *hello,
               char          **token)
{
  ParleyTestSocket *visitor = parley_test_socket_connect (hub, "/api/v1/channels/chat/visitor", NULL);
  g_autoptr(JsonObject) welcome = NULL;

  soup_websocket_connection_send_text (visitor->conn, hello);
  welcome = parley_test_socket_wait (visitor, "welcome", NULL, NULL, WAIT_SECONDS);
  g_assert_nonnull (welcome);
  if (token != NULL)
    *token = g_strdup (json_object_get_string_member (welcome, "token"));
  return visitor;
}

/* Sends a message and waits for its ack. */
static void
visitor_say (ParleyTestSocket *visitor,
             const char       *id,
             const char       *text)
{
  g_autofree char *frame = g_strdup_printf ("{\"type\":\"message\",\"id\":\"%s\",\"text\":\"%s\"}", id, text);
  g_autoptr(JsonObject) ack = NULL;

  soup_websocket_connection_send_text (visitor->conn, frame);
  ack = parley_test_socket_wait (visitor, "ack", NULL, NULL, WAIT_SECONDS);
  g_assert_nonnull (ack);
}

static gboolean
timeline_has (ParleyTestHub *hub,
              const char    *token,
              gint64         customer,
              const char    *kind,
              const char    *text)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/timeline?limit=200", customer);
  g_autoptr(JsonObject) page = parley_test_hub_call_expect (hub, "GET", path, token, NULL, 200);
  JsonArray *events = json_object_get_array_member (page, "events");
  guint found = 0;

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      found += g_strcmp0 (json_object_get_string_member (event, "kind"), kind) == 0 &&
               (text == NULL || g_strcmp0 (json_object_get_string_member_with_default (event, "text", NULL), text) == 0);
    }
  return found;
}

/* The customer of the conversation the next offer on @desk is for. */
static gint64
offered_customer (ParleyTestHub    *hub,
                  ParleyTestSocket *desk,
                  const char       *token)
{
  g_autoptr(JsonObject) offer = parley_test_socket_wait (desk, "offer", NULL, NULL, WAIT_SECONDS);
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) conversation = NULL;

  g_assert_nonnull (offer);
  path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT,
                          json_object_get_int_member (json_object_get_object_member (offer, "offer"), "conversation_id"));
  conversation = parley_test_hub_call_expect (hub, "GET", path, token, NULL, 200);
  if (json_object_has_member (conversation, "conversation"))
    return json_object_get_int_member (json_object_get_object_member (conversation, "conversation"), "customer_id");
  return json_object_get_int_member (conversation, "customer_id");
}

/* Typing María's email into the pre-chat form gets the visitor nothing of
 * hers: no history, no file, no merge; her agent sees a suggestion to
 * confirm. A signature from the site is what links a visitor to her. */
static void
test_visitor_identity (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autofree char *sam = NULL, *path = NULL, *file_id = NULL, *signature = NULL, *hello = NULL, *token = NULL;
  g_autoptr(JsonObject) reply = NULL, history = NULL, error = NULL;
  gint64 maria, maria_conversation, stranger;
  ParleyTestSocket *desk, *visitor, *impostor, *signed_in;

  add_agent (hub, "sam", "supervisor");
  parley_test_hub_ctl (hub, "set", "chat", "site-key", "test-site", NULL);
  parley_test_hub_ctl (hub, "set", "chat", "secret", "a-secret-long-enough-to-sign", NULL);
  parley_test_hub_ctl (hub, "set", "chat", "identity-secret", IDENTITY_SECRET, NULL);
  parley_test_hub_start (hub);
  sam = parley_test_hub_login (hub, "sam", "secret");
  desk = parley_test_socket_events (hub, sam);
  parley_test_hub_set_available (hub, sam);

  /* María writes by email; her agent sends her a file. */
  maria_conversation = take_conversation (hub, desk, sam, "maria@example.com");
  path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT, maria_conversation);
  reply = parley_test_hub_call_expect (hub, "GET", path, sam, NULL, 200);
  maria = json_object_has_member (reply, "conversation")
          ? json_object_get_int_member (json_object_get_object_member (reply, "conversation"), "customer_id")
          : json_object_get_int_member (reply, "customer_id");
  {
    g_autofree char *upload = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/attachments", maria_conversation);
    g_autoptr(SoupMessage) msg = parley_test_hub_request (hub, "POST", upload, sam, "Invoice 42: 99 EUR\n");
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(JsonObject) answer = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Parley-Filename", "invoice.txt");
    bytes = soup_session_send_and_read (hub->session, msg, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 201);
    answer = parley_test_parse (bytes);
    file_id = g_strdup (json_object_get_string_member (json_object_get_object_member (answer, "attachment"), "id"));
  }
  {
    g_autofree char *messages = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/messages", maria_conversation);
    g_autofree char *body = g_strdup_printf ("{\"channel\":\"api\",\"text\":\"Your invoice\",\"attachment\":\"%s\"}", file_id);

    g_clear_pointer (&reply, json_object_unref);
    reply = parley_test_hub_call_expect (hub, "POST", messages, sam, body, 201);
  }

  /* Someone types her email. */
  visitor = visitor_hello (hub, "{\"type\":\"hello\",\"site\":\"test-site\",\"name\":\"María\","
                                "\"email\":\"Maria@Example.com\"}", &token);
  history = parley_test_socket_wait (visitor, "history", NULL, NULL, WAIT_SECONDS);
  g_assert_nonnull (history);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (history, "messages")), ==, 0);
  visitor_say (visitor, "m1", "It is me, María. Send me the invoice again?");
  stranger = offered_customer (hub, desk, sam);
  visitor_say (visitor, "m2", "Hello?");
  g_assert_cmpint (stranger, !=, maria);
  g_assert_false (timeline_has (hub, sam, maria, "message", "Hello?"));
  g_assert_false (timeline_has (hub, sam, maria, "merge", NULL));
  /* One suggestion however often the email comes, pointing at María. */
  g_assert_cmpuint (timeline_has (hub, sam, stranger, "match", NULL), ==, 1);
  {
    g_autofree char *timeline = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/timeline?channel=system", stranger);
    g_autoptr(JsonObject) page = parley_test_hub_call_expect (hub, "GET", timeline, sam, NULL, 200);
    JsonObject *match = json_array_get_object_element (json_object_get_array_member (page, "events"), 0);
    JsonObject *metadata = json_object_get_object_member (match, "metadata");

    g_assert_cmpstr (json_object_get_string_member (match, "kind"), ==, "match");
    g_assert_cmpint (json_object_get_int_member (metadata, "customer_id"), ==, maria);
    g_assert_cmpstr (json_object_get_string_member (metadata, "value"), ==, "maria@example.com");
    g_assert_false (json_object_get_boolean_member (metadata, "verified"));
  }
  /* Her file stays hers. */
  {
    g_autofree char *file = g_strdup_printf ("/api/v1/channels/chat/attachments/%s", file_id);
    g_autoptr(SoupMessage) msg = parley_test_hub_request (hub, "GET", file, NULL, NULL);
    g_autoptr(GBytes) bytes = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Parley-Visitor", token);
    bytes = soup_session_send_and_read (hub->session, msg, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 404);
  }

  /* A forged signature is refused; the site's own links at once. */
  impostor = visitor_hello (hub, "{\"type\":\"hello\",\"site\":\"test-site\","
                                 "\"identity\":{\"email\":\"maria@example.com\",\"signature\":\"00ff\"}}", NULL);
  error = parley_test_socket_wait (impostor, "error", NULL, NULL, WAIT_SECONDS);
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "identity_rejected");
  visitor_say (impostor, "i1", "Forged hello");
  g_assert_false (timeline_has (hub, sam, maria, "message", "Forged hello"));

  signature = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) IDENTITY_SECRET, strlen (IDENTITY_SECRET),
                                         "maria@example.com", -1);
  hello = g_strdup_printf ("{\"type\":\"hello\",\"site\":\"test-site\","
                           "\"identity\":{\"email\":\"maria@example.com\",\"signature\":\"%s\"}}", signature);
  signed_in = visitor_hello (hub, hello, NULL);
  visitor_say (signed_in, "s1", "Signed in, it is really me");
  g_assert_true (timeline_has (hub, sam, maria, "message", "Signed in, it is really me"));

  /* The agent confirms the suggestion: an audited merge, undoable. */
  g_free (path);
  path = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/merge", maria);
  {
    g_autofree char *body = g_strdup_printf ("{\"other\":%" G_GINT64_FORMAT "}", stranger);

    g_clear_pointer (&reply, json_object_unref);
    reply = parley_test_hub_call_expect (hub, "POST", path, sam, body, 200);
  }
  g_assert_true (timeline_has (hub, sam, maria, "message", "Hello?"));
  g_assert_true (timeline_has (hub, sam, maria, "merge", NULL));

  parley_test_socket_free (signed_in);
  parley_test_socket_free (impostor);
  parley_test_socket_free (visitor);
  parley_test_socket_free (desk);
  parley_test_hub_free (hub);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hostile/auth/notes-and-surveys", test_notes_and_surveys);
  g_test_add_func ("/hostile/auth/token-expiry-after-restart", test_token_expiry_after_restart);
  g_test_add_func ("/hostile/auth/login-throttle", test_login_throttle);
  g_test_add_func ("/hostile/auth/login-timing", test_login_timing);
  g_test_add_func ("/hostile/auth/parallel-logins", test_parallel_logins);
  g_test_add_func ("/hostile/auth/signed-callback", test_signed_callback);
  g_test_add_func ("/hostile/auth/visitor-identity", test_visitor_identity);
  return g_test_run ();
}
