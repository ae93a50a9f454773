/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hub benchmark, run on demand (meson test -C _build --setup bench --suite bench -v, or
 * run the binary). It starts real parleyd processes and prints:
 *   - a baseline: bare SQLite inserts with the hub's durability settings
 *     (WAL, synchronous=FULL), one commit per row and 100 rows per commit;
 *   - durable inbound messages per second through the api channel (each
 *     answered 202 only after its commit), and the ratio to the baseline;
 *   - p50/p99 latency from sending an inbound POST to its offer arriving on
 *     an agent's WebSocket, with 1, 100 and 1,000 agents connected. The
 *     agents accept and resolve every offer, as people at work would. */

#include "config.h"

#include "parley-test-hub.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <unistd.h>


typedef struct
{
  ParleyTestHub *hub;
  GHashTable *sent;       /* email → send time (µs), for latency */
  GArray     *latencies;  /* µs */
  GArray     *acks;       /* µs, inbound POST to 202 */
  guint       in_flight;
  guint       next;
  guint       total;
  guint       concurrency;
  gint64      interval;   /* µs between sends, 0 = as fast as possible */
  const char *prefix;
  GPtrArray  *sockets;
  GPtrArray  *tokens;
  guint       pending_setup;
  gboolean    passive;    /* agents only receive offers, they do not work them */
  guint       working;    /* offers being accepted and resolved */
} Bench;

static gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

static ParleyTestHub *
hub_start (void)
{
  ParleyTestHub *hub = parley_test_hub_new ("offer-timeout=60");

  parley_test_hub_ctl (hub, "agent-add", "admin", "--role", "admin", "--password", "bench", NULL);
  parley_test_hub_start (hub);
  return hub;
}

/* ---- baseline ----------------------------------------------------------- */

static double
sqlite_rate (guint rows,
             guint per_commit)
{
  g_autofree char *dir = g_dir_make_tmp ("parley-bench-sqlite-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bare.db", NULL);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);
  sqlite3 *db;
  sqlite3_stmt *insert;
  gint64 start;
  double seconds;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                    "CREATE TABLE events (id INTEGER PRIMARY KEY, customer TEXT, text TEXT, created INTEGER)",
                NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO events (customer, text, created) VALUES (?, ?, ?)", -1, &insert, NULL);
  start = now_us ();
  for (guint i = 0; i < rows; i++)
    {
      g_autofree char *customer = g_strdup_printf ("bench-%u@example.com", i);

      if (i % per_commit == 0)
        sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
      sqlite3_bind_text (insert, 1, customer, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 2, "Where is my order?", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 3, g_get_real_time ());
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      sqlite3_reset (insert);
      if (i % per_commit == per_commit - 1 || i == rows - 1)
        sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
    }
  seconds = (now_us () - start) / 1e6;
  sqlite3_finalize (insert);
  sqlite3_close (db);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  return rows / seconds;
}

/* ---- agents ------------------------------------------------------------- */

static void accepted_cb (GObject *source, GAsyncResult *result, gpointer user_data);

/* Works each offer as an agent would: accept, then resolve. */
static void
work_offer (Bench      *bench,
            const char *token,
            gint64      offer_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/offers/%" G_GINT64_FORMAT "/accept", offer_id);
  g_autoptr(SoupMessage) msg = parley_test_hub_request (bench->hub, "POST", path, token, NULL);

  g_object_set_data_full (G_OBJECT (msg), "token", g_strdup (token), g_free);
  bench->working++;
  soup_session_send_and_read_async (bench->hub->session, msg, G_PRIORITY_DEFAULT, NULL, accepted_cb, bench);
}

static void
resolved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  bench->working--;
}

static void
accepted_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Bench *bench = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  g_autoptr(JsonObject) conversation = reply ? parley_test_parse (reply) : NULL;
  g_autofree char *path = NULL;
  g_autoptr(SoupMessage) resolve = NULL;

  if (conversation == NULL || soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      bench->working--;
      return;
    }
  path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/resolve",
                          json_object_get_int_member (conversation, "id"));
  resolve = parley_test_hub_request (bench->hub, "POST", path, g_object_get_data (G_OBJECT (msg), "token"),
                     "{\"disposition\":\"bench\"}");
  soup_session_send_and_read_async (bench->hub->session, resolve, G_PRIORITY_DEFAULT, NULL, resolved_cb, bench);
}

static void
socket_message_cb (SoupWebsocketConnection *conn,
                   gint                     type,
                   GBytes                  *message,
                   Bench                   *bench)
{
  g_autoptr(JsonObject) object = parley_test_parse (message);
  JsonObject *offer, *customer;
  JsonArray *identities;
  gpointer sent;

  if (object == NULL || g_strcmp0 (json_object_get_string_member (object, "type"), "offer") != 0)
    return;
  offer = json_object_get_object_member (object, "offer");
  if (g_strcmp0 (json_object_get_string_member (offer, "state"), "offered") != 0)
    return;
  customer = json_object_get_object_member (offer, "customer");
  identities = json_object_get_array_member (customer, "identities");
  if (g_hash_table_lookup_extended (bench->sent,
                                    json_object_get_string_member (json_array_get_object_element (identities, 0), "value"),
                                    NULL, &sent))
    {
      gint64 latency = now_us () - *(gint64 *) sent;

      g_array_append_val (bench->latencies, latency);
    }
  if (!bench->passive)
    work_offer (bench, g_object_get_data (G_OBJECT (conn), "token"), json_object_get_int_member (offer, "id"));
}

static void
presence_set_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  g_assert_nonnull (reply);
  bench->pending_setup--;
}

static void
socket_connected_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  const char *token;
  g_autoptr(SoupMessage) msg = NULL;

  g_assert_no_error (error);
  token = g_ptr_array_index (bench->tokens, bench->sockets->len);
  g_object_set_data_full (G_OBJECT (conn), "token", g_strdup (token), g_free);
  g_signal_connect (conn, "message", G_CALLBACK (socket_message_cb), bench);
  g_ptr_array_add (bench->sockets, conn);
  msg = parley_test_hub_request (bench->hub, "PUT", "/api/v1/agents/me/presence", token, "{\"state\":\"available\"}");
  soup_session_send_and_read_async (bench->hub->session, msg, G_PRIORITY_DEFAULT, NULL, presence_set_cb, bench);
}

/* Creates, logs in and connects n agents, then makes them available. */
static void
connect_agents (Bench *bench,
                guint  n)
{
  g_autoptr(JsonObject) admin = parley_test_hub_call_ok (bench->hub, "POST", "/api/v1/auth/login", NULL,
                                      "{\"login\":\"admin\",\"password\":\"bench\"}");
  const char *admin_token = json_object_get_string_member (admin, "token");

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *agent = g_strdup_printf ("{\"login\":\"agent%u\",\"password\":\"bench\",\"name\":\"Agent %u\","
                                                "\"capacity\":{\"api\":100}}", i, i);
      g_autofree char *login = g_strdup_printf ("{\"login\":\"agent%u\",\"password\":\"bench\"}", i);
      g_autoptr(JsonObject) created = parley_test_hub_call_ok (bench->hub, "POST", "/api/v1/agents", admin_token, agent);
      g_autoptr(JsonObject) session = parley_test_hub_call_ok (bench->hub, "POST", "/api/v1/auth/login", NULL, login);

      g_ptr_array_add (bench->tokens, g_strdup (json_object_get_string_member (session, "token")));
    }
  bench->pending_setup = n;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *uri = g_strdup_printf ("%s/api/v1/events?access_token=%s", bench->hub->base,
                                              (char *) g_ptr_array_index (bench->tokens, i));
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);

      /* Connect one at a time so sockets and tokens pair up in order. */
      guint before = bench->sockets->len;
      soup_session_websocket_connect_async (bench->hub->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                            socket_connected_cb, bench);
      while (bench->sockets->len == before)
        g_main_context_iteration (NULL, TRUE);
    }
  while (bench->pending_setup > 0)
    g_main_context_iteration (NULL, TRUE);
}

/* ---- inbound load ------------------------------------------------------- */

static void send_next (Bench *bench);

static void
inbound_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Bench *bench = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  gint64 started = *(gint64 *) g_object_get_data (G_OBJECT (msg), "started");
  gint64 ack = now_us () - started;

  bench->in_flight--;
  if (reply != NULL && soup_message_get_status (msg) == SOUP_STATUS_ACCEPTED)
    g_array_append_val (bench->acks, ack);
  if (bench->interval == 0)
    send_next (bench);
}

static void
send_next (Bench *bench)
{
  g_autofree char *email = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  gint64 *started;

  if (bench->next >= bench->total)
    return;
  email = g_strdup_printf ("%s-%u@example.com", bench->prefix, bench->next);
  body = g_strdup_printf ("{\"from\":{\"kind\":\"email\",\"value\":\"%s\",\"name\":\"Customer %u\"},"
                          "\"text\":\"Where is my order %u?\",\"external_id\":\"%s\"}",
                          email, bench->next, bench->next, email);
  msg = parley_test_hub_request (bench->hub, "POST", "/api/v1/channels/api/inbound", NULL, body);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Parley-Key", PARLEY_TEST_API_KEY);
  started = g_new (gint64, 1);
  *started = now_us ();
  g_object_set_data_full (G_OBJECT (msg), "started", started, g_free);
  g_hash_table_insert (bench->sent, g_steal_pointer (&email), g_memdup2 (started, sizeof *started));
  bench->next++;
  bench->in_flight++;
  soup_session_send_and_read_async (bench->hub->session, msg, G_PRIORITY_DEFAULT, NULL, inbound_done_cb, bench);
}

static gboolean
paced_send_cb (gpointer user_data)
{
  Bench *bench = user_data;

  send_next (bench);
  return bench->next < bench->total ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static Bench *
bench_new (ParleyTestHub *hub,
           const char *prefix)
{
  Bench *bench = g_new0 (Bench, 1);

  bench->hub = hub;
  bench->prefix = prefix;
  bench->sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  bench->latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench->acks = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  bench->tokens = g_ptr_array_new_with_free_func (g_free);
  return bench;
}

static void
bench_free (Bench *bench)
{
  for (guint i = 0; i < bench->sockets->len; i++)
    soup_websocket_connection_close (g_ptr_array_index (bench->sockets, i), SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_ptr_array_unref (bench->sockets);
  g_ptr_array_unref (bench->tokens);
  g_hash_table_unref (bench->sent);
  g_array_unref (bench->latencies);
  g_array_unref (bench->acks);
  g_free (bench);
}

static void
curl_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The load comes from curl's parallel mode (libsoup's client needs more
 * CPU per request than parleyd does, and would measure itself). */
static double
measure_throughput (guint messages,
                    guint agents,
                    guint concurrency)
{
  ParleyTestHub *hub = hub_start ();
  Bench *bench = bench_new (hub, "throughput");
  g_autoptr(GString) config = g_string_new (NULL);
  g_autofree char *config_path = g_build_filename (hub->data_dir, "curl.cfg", NULL);
  g_autofree char *parallel = g_strdup_printf ("%u", concurrency);
  g_autofree char *output = NULL;
  g_autoptr(GSubprocess) curl = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  guint accepted = 0, unsent = 0;
  gint64 start;
  double seconds, rate, cpu;

  bench->passive = TRUE;
  connect_agents (bench, agents);
  for (guint i = 0; i < messages; i++)
    g_string_append_printf (config,
                            "url = \"%s/api/v1/channels/api/inbound\"\n"
                            "header = \"X-Parley-Key: " PARLEY_TEST_API_KEY "\"\n"
                            "header = \"Content-Type: application/json\"\n"
                            "data = \"{\\\"from\\\":{\\\"kind\\\":\\\"email\\\",\\\"value\\\":\\\"load-%u@example.com\\\"},"
                            "\\\"text\\\":\\\"Where is my order %u?\\\",\\\"external_id\\\":\\\"load-%u\\\"}\"\n"
                            "output = \"/dev/null\"\n"
                            "write-out = \"%%{http_code} %%{time_total} %%{errormsg}\\n\"\n%s",
                            hub->base, i, i, i,
                            /* A "next" with no URL after it is an error that aborts the
                             * transfers still running. */
                            i + 1 < messages ? "next\n" : "");
  g_file_set_contents (config_path, config->str, config->len, &error);
  g_assert_no_error (error);

  cpu = parley_test_hub_cpu (hub);
  start = now_us ();
  curl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "curl", "--silent", "--parallel",
                           "--parallel-max", parallel, "--config", config_path, NULL);
  g_assert_no_error (error);
  /* Spin our own loop meanwhile: the connected agents receive their offers. */
  g_subprocess_communicate_utf8_async (curl, NULL, NULL, curl_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_communicate_utf8_finish (curl, result, &output, NULL, &error);
  seconds = (now_us () - start) / 1e6;
  cpu = parley_test_hub_cpu (hub) - cpu;
  g_assert_no_error (error);

  lines = g_strsplit (output ? output : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "000 "))
      unsent++;
    else if (!g_str_has_prefix (lines[i], "202 ") && *lines[i] != '\0')
      g_printerr ("not accepted: %s\n", lines[i]);
    else if (g_str_has_prefix (lines[i], "202 "))
      {
        gint64 ack = (gint64) (g_ascii_strtod (lines[i] + 4, NULL) * G_USEC_PER_SEC);

        accepted++;
        g_array_append_val (bench->acks, ack);
      }
  rate = accepted / seconds;

  g_print ("hub: %u inbound messages, %u in flight, %u agents connected: %.2f s, %.0f durable msgs/s, "
           "202 after p50 %.2f ms p99 %.2f ms; parleyd used %.0f µs of CPU per message, RSS %ld KiB; "
           "%u not accepted, of which %u never left curl (its own errors)\n",
           messages, concurrency, agents, seconds, rate,
           parley_test_percentile_ms (bench->acks, 0.50), parley_test_percentile_ms (bench->acks, 0.99),
           accepted ? cpu * 1e6 / accepted : 0, parley_test_hub_rss_kib (hub), messages - accepted, unsent);
  bench_free (bench);
  parley_test_hub_free (hub);
  return rate;
}

static void
measure_latency (guint agents,
                 guint messages,
                 guint per_second)
{
  ParleyTestHub *hub = hub_start ();
  Bench *bench = bench_new (hub, "latency");
  gint64 deadline;
  guint source;

  connect_agents (bench, agents);
  bench->total = messages;
  bench->interval = G_USEC_PER_SEC / per_second;
  source = g_timeout_add (MAX (1, 1000 / per_second), paced_send_cb, bench);
  deadline = now_us () + 60 * G_USEC_PER_SEC;
  while ((bench->latencies->len < messages || bench->in_flight > 0 || bench->working > 0) &&
         now_us () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (bench->next < bench->total)
    g_source_remove (source);

  g_print ("latency, %4u agents connected: %u messages at %u/s, inbound POST -> offer on the agent's socket "
           "p50 %.2f ms p99 %.2f ms (%u offers seen), parleyd RSS %ld KiB\n",
           agents, messages, per_second, parley_test_percentile_ms (bench->latencies, 0.50),
           parley_test_percentile_ms (bench->latencies, 0.99), bench->latencies->len, parley_test_hub_rss_kib (hub));
  bench_free (bench);
  parley_test_hub_free (hub);
}

int
main (int   argc,
      char *argv[])
{
  double single, batched, hub_rate;
  const char *quick = g_getenv ("PARLEY_BENCH_QUICK");
  guint messages = quick ? 2000 : 20000;
  /* Offers per second in the latency runs; each is also accepted and
   * resolved by the benchmark's agents, three requests in all. */
  guint rate = g_getenv ("PARLEY_BENCH_RATE") ? atoi (g_getenv ("PARLEY_BENCH_RATE")) : 50;

  if (g_getenv ("PARLEYD") == NULL || g_getenv ("PARLEYCTL") == NULL)
    {
      g_printerr ("Set PARLEYD and PARLEYCTL (meson test --suite bench does)\n");
      return 77;
    }

  single = sqlite_rate (quick ? 1000 : 5000, 1);
  batched = sqlite_rate (quick ? 10000 : 100000, 100);
  g_print ("baseline: bare SQLite insert, WAL + synchronous=FULL: %.0f rows/s committing each row, "
           "%.0f rows/s committing 100 at a time\n", single, batched);

  hub_rate = measure_throughput (messages, g_getenv ("PARLEY_BENCH_AGENTS") ? atoi (g_getenv ("PARLEY_BENCH_AGENTS")) : 100, g_getenv ("PARLEY_BENCH_CONCURRENCY") ? atoi (g_getenv ("PARLEY_BENCH_CONCURRENCY")) : 256);
  g_print ("ratio: hub durable msgs/s / bare SQLite one-commit-per-row = %.2f; / 100-row batches = %.3f\n",
           hub_rate / single, hub_rate / batched);

  if (g_getenv ("PARLEY_BENCH_NO_LATENCY"))
    return 0;
  measure_latency (1, quick ? 200 : 1000, rate);
  measure_latency (100, quick ? 200 : 1000, rate);
  measure_latency (1000, quick ? 200 : 1000, rate);
  return 0;
}
