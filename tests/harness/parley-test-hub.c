/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gunixoutputstream.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "parley-test-hub.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
int __lsan_is_turned_off (void);

/* In the sanitizer build, what a test program itself leaves allocated at
 * exit (sockets held to the end, pushes never read) is not under test;
 * every parleyd it starts is checked, and its leaks fail the test (see
 * parley_test_hub_stop()). */
int
__lsan_is_turned_off (void)
{
  return 1;
}
#endif
#endif

JsonObject *
parley_test_parse (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = bytes ? g_bytes_get_data (bytes, &size) : NULL;

  if (data == NULL || !json_parser_load_from_data (parser, data, size, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

char *
parley_test_webhook_signature (const char *secret,
                               const char *signed_text)
{
  gsize key_size, digest_size = 32;
  g_autofree guchar *key = g_base64_decode (secret, &key_size);
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_size);
  guint8 digest[32];
  g_autofree char *mac = NULL;

  g_hmac_update (hmac, (const guchar *) signed_text, strlen (signed_text));
  g_hmac_get_digest (hmac, digest, &digest_size);
  mac = g_base64_encode (digest, digest_size);
  return g_strconcat ("v1,", mac, NULL);
}

void
parley_test_init (int    *argc,
                  char ***argv)
{
  g_test_init (argc, argv, NULL);
  if (g_getenv ("PARLEYD") == NULL)
    g_error ("Set PARLEYD and PARLEYCTL (meson test does)");
}

ParleyTestHub *
parley_test_hub_new (const char *extra_config)
{
  ParleyTestHub *hub = g_new0 (ParleyTestHub, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;

  hub->data_dir = g_dir_make_tmp ("parley-test-XXXXXX", &error);
  g_assert_no_error (error);
  hub->config_path = g_build_filename (hub->data_dir, "parleyd.conf", NULL);
  config = g_strdup_printf ("[hub]\nwrap-up=0\npassword-strength=min\n%s\n"
                            "[channel:api]\nkey=" PARLEY_TEST_API_KEY "\nsigning-secret=" PARLEY_TEST_SIGNING_SECRET "\n",
                            extra_config ? extra_config : "");
  g_file_set_contents (hub->config_path, config, -1, &error);
  g_assert_no_error (error);
  hub->session = soup_session_new_with_options ("max-conns", 1024, "max-conns-per-host", 1024,
                                                "timeout", 60, NULL);
  return hub;
}

/* parleyctl on the hub's data directory, hashing passwords fast, with
 * @first_arg and the rest. */
static GSubprocess *
spawn_ctl (ParleyTestHub  *hub,
           GSubprocessFlags flags,
           const char     *first_arg,
           va_list         args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *ctl;

  g_ptr_array_add (argv, (gpointer) g_getenv ("PARLEYCTL"));
  g_ptr_array_add (argv, "--data-dir");
  g_ptr_array_add (argv, hub->data_dir);
  g_ptr_array_add (argv, "--password-strength");
  g_ptr_array_add (argv, "min");
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);
  ctl = g_subprocess_newv ((const char *const *) argv->pdata, flags, &error);
  g_assert_no_error (error);
  return ctl;
}

void
parley_test_hub_ctl (ParleyTestHub *hub,
                     const char    *first_arg,
                     ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) ctl = NULL;
  va_list args;

  va_start (args, first_arg);
  ctl = spawn_ctl (hub, G_SUBPROCESS_FLAGS_NONE, first_arg, args);
  va_end (args);
  g_subprocess_wait_check (ctl, NULL, &error);
  g_assert_no_error (error);
}

int
parley_test_hub_ctl_output (ParleyTestHub  *hub,
                            char          **output,
                            const char     *first_arg,
                            ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) ctl = NULL;
  va_list args;

  va_start (args, first_arg);
  ctl = spawn_ctl (hub, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, first_arg, args);
  va_end (args);
  g_subprocess_communicate_utf8 (ctl, NULL, NULL, output, NULL, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (ctl);
}

static void
child_setup (gpointer user_data)
{
  ParleyTestHub *hub = user_data;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (hub->open_files > 0)
    {
      struct rlimit limit = { hub->open_files, hub->open_files };

      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

void
parley_test_hub_start (ParleyTestHub *hub)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  /* A restart comes back on the same port, as a real hub would. */
  const char *listen = hub->base ? hub->base + strlen ("http://") : "127.0.0.1:0";

  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  g_assert_null (hub->process);
  /* A test that fails (aborts) takes its hub down with it, so nothing is
   * left holding the test's output open. */
  g_subprocess_launcher_set_child_setup (launcher, child_setup, hub, NULL);
  if (hub->log_path != NULL)
    g_subprocess_launcher_set_stderr_file_path (launcher, hub->log_path);
  hub->process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("PARLEYD"),
                                              "--data-dir", hub->data_dir, "--listen", listen,
                                              "--config", hub->config_path, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (hub->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (line != NULL && g_str_has_prefix (line, "parleyd listening on "));
  g_free (hub->base);
  hub->base = g_strdup (line + strlen ("parleyd listening on "));
  if (g_str_has_suffix (hub->base, "/"))
    hub->base[strlen (hub->base) - 1] = '\0';
  /* Keep draining its stdout (debug logs go there) so it never blocks. */
  g_clear_object (&hub->log);
  hub->log = g_unix_output_stream_new (STDERR_FILENO, FALSE);
  g_output_stream_splice_async (hub->log, G_INPUT_STREAM (out), G_OUTPUT_STREAM_SPLICE_NONE,
                                G_PRIORITY_LOW, NULL, NULL, NULL);
}

/* SIGTERM for a clean stop, SIGKILL for a crash. */
void
parley_test_hub_stop (ParleyTestHub *hub,
                      int            signal_number)
{
  if (hub->process == NULL)
    return;
  g_subprocess_send_signal (hub->process, signal_number);
  g_subprocess_wait (hub->process, NULL, NULL);
  /* Asked to stop, a hub exits 0; one that died before (a sanitizer report
   * aborts it) or failed on the way out (a leak report) fails the test. */
  if (signal_number != SIGKILL &&
      !(g_subprocess_get_if_exited (hub->process) && g_subprocess_get_exit_status (hub->process) == 0))
    g_error ("parleyd did not stop cleanly (wait status %d): see its log above",
             g_subprocess_get_status (hub->process));
  g_clear_object (&hub->process);
  /* Connections to the old process are dead. */
  soup_session_abort (hub->session);
}

void
parley_test_hub_free (ParleyTestHub *hub)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", hub->data_dir);

  parley_test_hub_stop (hub, SIGTERM);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_clear_object (&hub->session);
  g_clear_object (&hub->log);
  g_free (hub->data_dir);
  g_free (hub->config_path);
  g_free (hub->log_path);
  g_free (hub->base);
  g_free (hub);
}

long
parley_test_hub_rss_kib (ParleyTestHub *hub)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (hub->process));
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL) || !(line = strstr (status, "VmRSS:")))
    return -1;
  return strtol (line + strlen ("VmRSS:"), NULL, 10);
}

/* CPU time parleyd has used so far, user + system, in seconds. */
double
parley_test_hub_cpu (ParleyTestHub *hub)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (hub->process));
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || !(after_name = strrchr (stat, ')')))
    return 0;
  fields = g_strsplit (after_name + 2, " ", -1);
  /* utime and stime are fields 14 and 15 of stat(5); 12 and 13 after the name. */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

SoupMessage *
parley_test_hub_request (ParleyTestHub *hub,
                         const char    *method,
                         const char    *path,
                         const char    *token,
                         const char    *body)
{
  g_autofree char *uri = g_strconcat (hub->base, path, NULL);
  SoupMessage *msg = soup_message_new (method, uri);

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *header = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  return msg;
}

JsonObject *
parley_test_hub_call (ParleyTestHub *hub,
                      const char    *method,
                      const char    *path,
                      const char    *token,
                      const char    *body,
                      guint         *status)
{
  g_autoptr(SoupMessage) msg = parley_test_hub_request (hub, method, path, token, body);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = soup_session_send_and_read (hub->session, msg, NULL, &error);

  g_assert_no_error (error);
  if (status != NULL)
    *status = soup_message_get_status (msg);
  return parley_test_parse (reply);
}

JsonObject *
parley_test_hub_call_ok (ParleyTestHub *hub,
                         const char    *method,
                         const char    *path,
                         const char    *token,
                         const char    *body)
{
  guint status;
  JsonObject *reply = parley_test_hub_call (hub, method, path, token, body, &status);

  if (status < 200 || status >= 300)
    g_error ("%s %s answered %u", method, path, status);
  return reply;
}

JsonObject *
parley_test_hub_call_expect (ParleyTestHub *hub,
                             const char    *method,
                             const char    *path,
                             const char    *token,
                             const char    *body,
                             guint          expected)
{
  guint status;
  JsonObject *reply = parley_test_hub_call (hub, method, path, token, body, &status);

  if (status != expected)
    g_error ("%s %s answered %u, expected %u", method, path, status, expected);
  return reply;
}

gint64
parley_test_hub_agent_id (ParleyTestHub *hub,
                          const char    *token)
{
  g_autoptr(JsonObject) me = parley_test_hub_call_expect (hub, "GET", "/api/v1/agents/me", token, NULL, 200);

  return json_object_get_int_member (me, "id");
}

void
parley_test_hub_set_available (ParleyTestHub *hub,
                               const char    *token)
{
  g_autoptr(JsonObject) agent = parley_test_hub_call_expect (hub, "PUT", "/api/v1/agents/me/presence", token,
                                                             "{\"state\":\"available\"}", 200);

  g_assert_cmpstr (json_object_get_string_member (agent, "presence"), ==, "available");
}

char *
parley_test_hub_login (ParleyTestHub *hub,
                       const char    *login,
                       const char    *password)
{
  g_autofree char *body = g_strdup_printf ("{\"login\":\"%s\",\"password\":\"%s\"}", login, password);
  guint status;
  g_autoptr(JsonObject) reply = parley_test_hub_call (hub, "POST", "/api/v1/auth/login", NULL, body, &status);

  g_assert_cmpuint (status, ==, 200);
  return g_strdup (json_object_get_string_member (reply, "token"));
}

JsonObject *
parley_test_hub_inbound (ParleyTestHub *hub,
                         const char    *body,
                         guint         *status)
{
  return parley_test_hub_api_channel (hub, "inbound", PARLEY_TEST_API_KEY, body, status);
}

/* A POST to the api channel's @endpoint ("inbound", "abandon") with @key. */
JsonObject *
parley_test_hub_inbound_ok (ParleyTestHub *hub,
                            const char    *body)
{
  guint status;
  JsonObject *reply = parley_test_hub_inbound (hub, body, &status);

  g_assert_cmpuint (status, ==, 202);
  return reply;
}

JsonObject *
parley_test_hub_api_channel (ParleyTestHub *hub,
                             const char    *endpoint,
                             const char    *key,
                             const char    *body,
                             guint         *status)
{
  g_autofree char *path = g_strconcat ("/api/v1/channels/api/", endpoint, NULL);
  g_autoptr(SoupMessage) msg = parley_test_hub_request (hub, "POST", path, NULL, body);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Parley-Key", key);
  reply = soup_session_send_and_read (hub->session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return parley_test_parse (reply);
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The sanitizer build runs parleyd several times slower; its test setup
 * says how much through PARLEY_TEST_LATENCY_SCALE. */
double
parley_test_latency_limit_ms (double ms)
{
  const char *scale = g_getenv ("PARLEY_TEST_LATENCY_SCALE");

  return scale ? ms * g_ascii_strtod (scale, NULL) : ms;
}

/* ---- a socket to the hub, its messages queued ---------------------------- */

static void
socket_message_cb (SoupWebsocketConnection *conn,
                   int                      type,
                   GBytes                  *message,
                   ParleyTestSocket        *socket)
{
  JsonObject *object = parley_test_parse (message);

  if (object != NULL)
    g_queue_push_tail (&socket->messages, object);
}

static void
socket_connected_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ParleyTestSocket *socket = user_data;
  g_autoptr(GError) error = NULL;

  socket->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  g_signal_connect (socket->conn, "message", G_CALLBACK (socket_message_cb), socket);
}

ParleyTestSocket *
parley_test_socket_connect (ParleyTestHub *hub,
                            const char    *path,
                            const char    *forwarded_for)
{
  ParleyTestSocket *socket = g_new0 (ParleyTestSocket, 1);
  g_autofree char *uri = g_strconcat (hub->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);

  if (forwarded_for != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Forwarded-For", forwarded_for);
  soup_session_websocket_connect_async (hub->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        socket_connected_cb, socket);
  while (socket->conn == NULL)
    g_main_context_iteration (NULL, TRUE);
  return socket;
}

ParleyTestSocket *
parley_test_socket_events (ParleyTestHub *hub,
                           const char    *token)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/events?access_token=%s", token);

  return parley_test_socket_connect (hub, path, NULL);
}

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
parley_test_spin (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
message_matches (JsonObject *message,
                 const char *type,
                 const char *member,
                 const char *value)
{
  JsonObject *inner;

  if (g_strcmp0 (json_object_get_string_member_with_default (message, "type", NULL), type) != 0)
    return FALSE;
  if (value == NULL)
    return TRUE;
  inner = member != NULL && json_object_has_member (message, member) ? json_object_get_object_member (message, member) : NULL;
  return inner != NULL &&
         (g_strcmp0 (json_object_get_string_member_with_default (inner, "state", NULL), value) == 0 ||
          g_strcmp0 (json_object_get_string_member_with_default (inner, "presence", NULL), value) == 0);
}

JsonObject *
parley_test_socket_wait (ParleyTestSocket *socket,
                         const char       *type,
                         const char       *member,
                         const char       *value,
                         guint             seconds)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add_seconds (seconds, flag_cb, &timed_out);

  while (TRUE)
    {
      for (GList *l = socket->messages.head; l != NULL; l = l->next)
        if (message_matches (l->data, type, member, value))
          {
            JsonObject *message = l->data;

            g_queue_delete_link (&socket->messages, l);
            if (!timed_out)
              g_source_remove (source);
            return message;
          }
      if (timed_out)
        return NULL;
      g_main_context_iteration (NULL, TRUE);
    }
}

void
parley_test_socket_free (ParleyTestSocket *socket)
{
  soup_websocket_connection_close (socket->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_object_unref (socket->conn);
  g_queue_clear_full (&socket->messages, (GDestroyNotify) json_object_unref);
  g_free (socket);
}

/* ---- an integrator's callback endpoint ----------------------------------- */

static void
delivery_free (ParleyTestDelivery *delivery)
{
  g_free (delivery->id);
  g_free (delivery->timestamp);
  g_free (delivery->signature);
  g_free (delivery->legacy_signature);
  g_free (delivery->body);
  g_clear_pointer (&delivery->json, json_object_unref);
  g_free (delivery);
}

static void
callback_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  ParleyTestCallback *callback = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  ParleyTestDelivery *delivery = g_new0 (ParleyTestDelivery, 1);

  delivery->id = g_strdup (soup_message_headers_get_one (headers, "webhook-id"));
  delivery->timestamp = g_strdup (soup_message_headers_get_one (headers, "webhook-timestamp"));
  delivery->signature = g_strdup (soup_message_headers_get_one (headers, "webhook-signature"));
  delivery->legacy_signature = g_strdup (soup_message_headers_get_one (headers, "X-Parley-Signature"));
  delivery->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  delivery->json = parley_test_parse (body);
  g_ptr_array_add (callback->deliveries, delivery);
  soup_server_message_set_status (msg, 200, NULL);
}

ParleyTestCallback *
parley_test_callback_new (void)
{
  ParleyTestCallback *callback = g_new0 (ParleyTestCallback, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *base = NULL;

  callback->server = soup_server_new (NULL, NULL);
  callback->deliveries = g_ptr_array_new_with_free_func ((GDestroyNotify) delivery_free);
  soup_server_add_handler (callback->server, "/callback", callback_cb, callback, NULL);
  soup_server_listen_local (callback->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (callback->server);
  base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  callback->url = g_strconcat (base, "callback", NULL);
  return callback;
}

void
parley_test_callback_wait (ParleyTestCallback *callback,
                           guint               count,
                           guint               seconds)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add_seconds (seconds, flag_cb, &timed_out);

  while (callback->deliveries->len < count && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (source);
  g_assert_cmpuint (callback->deliveries->len, >=, count);
}

void
parley_test_callback_free (ParleyTestCallback *callback)
{
  soup_server_disconnect (callback->server);
  g_object_unref (callback->server);
  g_ptr_array_unref (callback->deliveries);
  g_free (callback->url);
  g_free (callback);
}

double
parley_test_percentile_ms (GArray *values,
                           double  p)
{
  if (values->len == 0)
    return -1;
  g_array_sort (values, compare_int64);
  return g_array_index (values, gint64, MIN (values->len - 1, (guint) (p * values->len))) / 1000.0;
}

struct _ParleyTestBurst
{
  ParleyTestHub *hub;
  guint          next, total, in_flight;
  GHashTable    *acked;   /* external id → event id */
  gboolean       stopped;
};

static void burst_send (ParleyTestBurst *burst);

static void
burst_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ParleyTestBurst *burst = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  g_autoptr(JsonObject) ack = parley_test_parse (reply);

  burst->in_flight--;
  if (ack != NULL && soup_message_get_status (msg) == 202)
    g_hash_table_insert (burst->acked, g_strdup (g_object_get_data (G_OBJECT (msg), "external-id")),
                         g_memdup2 (&(gint64) { json_object_get_int_member (ack, "event") }, sizeof (gint64)));
  if (!burst->stopped)
    burst_send (burst);
}

static char *
burst_body (const char *number,
            const char *text)
{
  return g_strdup_printf ("{\"from\":{\"kind\":\"chat\",\"value\":\"visitor-%s\"},\"text\":\"%s\","
                          "\"external_id\":\"burst-%s\"}", number, text, number);
}

static void
burst_send (ParleyTestBurst *burst)
{
  g_autofree char *number = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  if (burst->next >= burst->total)
    return;
  number = g_strdup_printf ("%u", burst->next++);
  body = burst_body (number, "burst");
  msg = parley_test_hub_request (burst->hub, "POST", "/api/v1/channels/api/inbound", NULL, body);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Parley-Key", PARLEY_TEST_API_KEY);
  g_object_set_data_full (G_OBJECT (msg), "external-id", g_strconcat ("burst-", number, NULL), g_free);
  burst->in_flight++;
  soup_session_send_and_read_async (burst->hub->session, msg, G_PRIORITY_DEFAULT, NULL, burst_done_cb, burst);
}

ParleyTestBurst *
parley_test_burst_new (ParleyTestHub *hub,
                       guint          total,
                       guint          parallel)
{
  ParleyTestBurst *burst = g_new0 (ParleyTestBurst, 1);

  burst->hub = hub;
  burst->total = total;
  burst->acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < parallel; i++)
    burst_send (burst);
  return burst;
}

void
parley_test_burst_wait (ParleyTestBurst *burst,
                        guint            count)
{
  while (g_hash_table_size (burst->acked) < count && burst->in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
}

void
parley_test_burst_stop (ParleyTestBurst *burst)
{
  burst->stopped = TRUE;
  while (burst->in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("%u of %u messages sent were acknowledged",
                  g_hash_table_size (burst->acked), burst->next);
}

guint
parley_test_burst_acknowledged (ParleyTestBurst *burst)
{
  return g_hash_table_size (burst->acked);
}

GHashTable *
parley_test_burst_acked (ParleyTestBurst *burst)
{
  return burst->acked;
}

/* Many resent at once, so the hub's group commit takes them together. */
#define RESEND_PARALLEL 32

typedef struct
{
  ParleyTestHub  *hub;
  GHashTableIter  next;
  gboolean        more;
  guint           in_flight;
  GHashTable     *found;     /* external ids the hub had */
} Resend;

static void resend_next (Resend *resend);

static void
resent_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Resend *resend = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonObject) ack = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 202);
  ack = parley_test_parse (reply);
  if (json_object_get_boolean_member (ack, "duplicate"))
    {
      g_assert_cmpint (json_object_get_int_member (ack, "event"), ==,
                       *(gint64 *) g_object_get_data (G_OBJECT (msg), "event"));
      g_hash_table_add (resend->found, g_strdup (g_object_get_data (G_OBJECT (msg), "external-id")));
    }
  resend->in_flight--;
  resend_next (resend);
}

static void
resend_next (Resend *resend)
{
  gpointer external_id, event;
  g_autofree char *body = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  if (!resend->more || !(resend->more = g_hash_table_iter_next (&resend->next, &external_id, &event)))
    return;
  body = burst_body ((char *) external_id + strlen ("burst-"), "again");
  msg = parley_test_hub_request (resend->hub, "POST", "/api/v1/channels/api/inbound", NULL, body);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Parley-Key", PARLEY_TEST_API_KEY);
  g_object_set_data (G_OBJECT (msg), "external-id", external_id);
  g_object_set_data (G_OBJECT (msg), "event", event);
  resend->in_flight++;
  soup_session_send_and_read_async (resend->hub->session, msg, G_PRIORITY_DEFAULT, NULL, resent_cb, resend);
}

GHashTable *
parley_test_burst_found_in (ParleyTestBurst *burst,
                            ParleyTestHub   *hub)
{
  Resend resend = { .hub = hub, .more = TRUE };

  resend.found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_iter_init (&resend.next, burst->acked);
  for (guint i = 0; i < RESEND_PARALLEL; i++)
    resend_next (&resend);
  while (resend.in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
  return resend.found;
}

void
parley_test_burst_check (ParleyTestBurst *burst)
{
  g_autoptr(GHashTable) found = parley_test_burst_found_in (burst, burst->hub);

  g_assert_cmpuint (g_hash_table_size (found), ==, g_hash_table_size (burst->acked));
}

void
parley_test_burst_free (ParleyTestBurst *burst)
{
  g_hash_table_unref (burst->acked);
  g_free (burst);
}
