/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The desktop's parts against a real parleyd: the hub client (sign-in,
 * pushes, reconnecting after a hub restart), the paged timeline model, and
 * the widgets that show customer text (never as markup). Runs under Xvfb. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <parley-ui.h>
#include <signal.h>

#include "parley-certificate-private.h"
#include "parley-connector-bar.h"
#include "parley-conversation-item.h"
#include "parley-conversation-row.h"
#include "parley-customer-editor.h"
#include "parley-customer-view.h"
#include "parley-figures.h"
#include "parley-live-agent.h"
#include "parley-live-store.h"
#include "parley-metric-tile.h"
#include "parley-offer-card.h"
#include "parley-plugin-host.h"
#include "parley-presence-button.h"
#include "parley-reply-composer.h"
#include "parley-sidebar.h"
#include "parley-wallboard.h"
#include "parley-test-hub.h"
#include "parley-timeline-item.h"
#include "parley-timeline-model.h"
#include "parley-timeline-row.h"

typedef struct
{
  ParleyTestHub *hub;
  ParleyClient  *client;
} Fixture;

static gboolean
spin_until (gboolean (*done) (gpointer), gpointer data, guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static gboolean
client_online (gpointer data)
{
  return parley_client_get_state (data) == PARLEY_CLIENT_STATE_ONLINE;
}

static void
logged_in_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (parley_client_login_finish (PARLEY_CLIENT (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  gboolean done = FALSE;

  f->hub = parley_test_hub_new (NULL);
  parley_test_hub_ctl (f->hub, "agent-add", "alice", "--password", "secret", "--capacity", "api=5", NULL);
  /* data: a chat site key, for tests with chat visitors. */
  if (data != NULL)
    {
      parley_test_hub_ctl (f->hub, "set", "chat", "site-key", data, NULL);
      parley_test_hub_ctl (f->hub, "set", "chat", "secret", "a-secret-long-enough-to-sign", NULL);
    }
  parley_test_hub_start (f->hub);
  f->client = parley_client_new (f->hub->base);
  parley_client_login_async (f->client, "alice", "secret", NULL, logged_in_cb, &done);
  g_assert_true (spin_until (flag_set, &done, 10));
  g_assert_true (spin_until (client_online, f->client, 10));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  parley_client_sign_out (f->client);
  g_clear_object (&f->client);
  parley_test_hub_free (f->hub);
}

static gint64
send_inbound (Fixture *f, const char *email, const char *text, int n)
{
  g_autofree char *body = g_strdup_printf ("{\"from\":{\"kind\":\"email\",\"value\":\"%s\",\"name\":\"Ann\"},"
                                           "\"text\":\"%s %d\"}", email, text, n);
  g_autoptr(JsonObject) answer = NULL;
  guint status = 0;

  answer = parley_test_hub_inbound (f->hub, body, &status);
  g_assert_cmpuint (status, ==, 202);
  return json_object_get_int_member (answer, "customer");
}

/* ---- the client ---------------------------------------------------------- */

typedef struct
{
  JsonObject *answer;
  GError     *error;
  gboolean    done;
} Answer;

static void
answered_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Answer *answer = user_data;

  answer->answer = parley_client_request_finish (PARLEY_CLIENT (source), result, &answer->error);
  answer->done = TRUE;
}

static gboolean
answer_done (gpointer data)
{
  return ((Answer *) data)->done;
}

static Answer
request (Fixture *f, const char *method, const char *path, const char *body_json)
{
  g_autoptr(JsonNode) node = body_json ? json_from_string (body_json, NULL) : NULL;
  Answer answer = { 0 };

  parley_client_request_async (f->client, method, path, node ? json_node_get_object (node) : NULL, NULL, answered_cb, &answer);
  g_assert_true (spin_until (answer_done, &answer, 10));
  return answer;
}

static void
count_push_cb (ParleyClient *client, const char *type, JsonObject *message, gpointer user_data)
{
  (*(int *) user_data)++;
}

static void
count_cb (ParleyClient *client, gpointer user_data)
{
  (*(int *) user_data)++;
}

static gboolean
client_retrying (gpointer data)
{
  return parley_client_get_retry_seconds (data) > 0;
}

static gboolean
counter_positive (gpointer data)
{
  return *(int *) data > 0;
}

static void
test_client_requests (Fixture *f, gconstpointer data)
{
  Answer me = request (f, "GET", "agents/me", NULL);
  Answer missing = request (f, "GET", "customers/999", NULL);
  Answer bad = request (f, "PUT", "agents/me/presence", "{\"state\":\"dancing\"}");
  Answer available = request (f, "PUT", "agents/me/presence", "{\"state\":\"available\"}");

  g_assert_no_error (me.error);
  g_assert_cmpstr (json_object_get_string_member (me.answer, "login"), ==, "alice");
  /* The hub's error bodies become ParleyErrors with the hub's message. */
  g_assert_error (missing.error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_assert_error (bad.error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
  g_assert_no_error (available.error);
  g_assert_cmpstr (json_object_get_string_member (available.answer, "presence"), ==, "available");
  g_clear_pointer (&me.answer, json_object_unref);
  g_clear_pointer (&available.answer, json_object_unref);
  g_clear_error (&missing.error);
  g_clear_error (&bad.error);
}

static void
test_client_pushes_and_reconnects (Fixture *f, gconstpointer data)
{
  int offers = 0, connected = 0;
  Answer available = request (f, "PUT", "agents/me/presence", "{\"state\":\"available\"}");

  g_clear_pointer (&available.answer, json_object_unref);
  g_signal_connect (f->client, "message::offer", G_CALLBACK (count_push_cb), &offers);
  g_signal_connect (f->client, "connected", G_CALLBACK (count_cb), &connected);
  send_inbound (f, "ann@example.com", "Hello", 1);
  g_assert_true (spin_until (counter_positive, &offers, 10));

  /* The hub goes away: the client says so and keeps trying ... */
  parley_test_hub_stop (f->hub, SIGTERM);
  g_assert_true (spin_until (client_retrying, f->client, 10));
  g_assert_cmpint (parley_client_get_state (f->client), ==, PARLEY_CLIENT_STATE_CONNECTING);
  /* ... and is back, with a fresh "connected", once the hub restarts. */
  parley_test_hub_start (f->hub);
  parley_client_reconnect_now (f->client);
  g_assert_true (spin_until (counter_positive, &connected, 20));
  g_assert_cmpint (parley_client_get_state (f->client), ==, PARLEY_CLIENT_STATE_ONLINE);
}

static void
uploaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Answer *answer = user_data;

  answer->answer = parley_client_upload_finish (PARLEY_CLIENT (source), result, &answer->error);
  answer->done = TRUE;
}

static Answer
upload (Fixture *f, gint64 conversation, GFile *file)
{
  g_autofree char *path = g_strdup_printf ("conversations/%" G_GINT64_FORMAT "/attachments", conversation);
  Answer answer = { 0 };

  parley_client_upload_async (f->client, path, file, NULL, uploaded_cb, &answer);
  g_assert_true (spin_until (answer_done, &answer, 10));
  return answer;
}

static gboolean
offer_arrived (gpointer data)
{
  return *(gint64 *) data > 0;
}

static void
remember_offer_cb (ParleyClient *client, const char *type, JsonObject *message, gpointer user_data)
{
  JsonObject *offer = json_object_get_object_member (message, "offer");

  if (g_strcmp0 (json_object_get_string_member_with_default (offer, "state", ""), "offered") == 0)
    *(gint64 *) user_data = json_object_get_int_member (offer, "id");
}

/* Goes available, lets a customer write on the api channel and accepts
 * the offer: returns the conversation, now alice's. */
static gint64
take_conversation (Fixture *f, const char *text)
{
  Answer available = request (f, "PUT", "agents/me/presence", "{\"state\":\"available\"}");
  g_autofree char *accept = NULL;
  Answer accepted;
  gint64 offer = 0, conversation;
  gulong handler;

  g_assert_no_error (available.error);
  g_clear_pointer (&available.answer, json_object_unref);
  handler = g_signal_connect (f->client, "message::offer", G_CALLBACK (remember_offer_cb), &offer);
  send_inbound (f, "ann@example.com", text, 1);
  g_assert_true (spin_until (offer_arrived, &offer, 10));
  g_signal_handler_disconnect (f->client, handler);
  accept = g_strdup_printf ("offers/%" G_GINT64_FORMAT "/accept", offer);
  accepted = request (f, "POST", accept, NULL);
  g_assert_no_error (accepted.error);
  conversation = json_object_get_int_member (accepted.answer, "id");
  json_object_unref (accepted.answer);
  return conversation;
}

/* A file goes up without the window waiting: named after itself, refused
 * before it is read when it is too large, and the hub's refusals come back
 * as ParleyErrors. */
static void
test_client_upload (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("parley-upload-XXXXXX", &error);
  g_autofree char *pdf_path = g_build_filename (dir, "Rücksendung <1>.pdf", NULL);
  g_autofree char *big_path = g_build_filename (dir, "huge.pdf", NULL);
  g_autoptr(GFile) pdf = g_file_new_for_path (pdf_path);
  g_autoptr(GFile) big = g_file_new_for_path (big_path);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/label.pdf");
  g_autoptr(GFileIOStream) stream = NULL;
  Answer sent, too_big, gone, foreign;
  JsonObject *attachment;
  gint64 conversation;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (pdf_path, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", -1, &error));
  /* 6 MiB that are never written: only a read would notice. */
  stream = g_file_create_readwrite (big, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_seekable_truncate (G_SEEKABLE (stream), 6 * 1024 * 1024, NULL, &error));
  g_assert_true (g_io_stream_close (G_IO_STREAM (stream), NULL, &error));

  conversation = take_conversation (f, "Label please");
  sent = upload (f, conversation, pdf);
  g_assert_no_error (sent.error);
  attachment = json_object_get_object_member (sent.answer, "attachment");
  g_assert_cmpstr (json_object_get_string_member (attachment, "name"), ==, "Rücksendung <1>.pdf");
  g_assert_cmpstr (json_object_get_string_member (attachment, "type"), ==, "application/pdf");

  too_big = upload (f, conversation, big);
  g_assert_error (too_big.error, PARLEY_ERROR, PARLEY_ERROR_TOO_LARGE);
  gone = upload (f, conversation, missing);
  g_assert_error (gone.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  foreign = upload (f, 999999, pdf);
  g_assert_error (foreign.error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);

  g_clear_pointer (&sent.answer, json_object_unref);
  g_clear_error (&too_big.error);
  g_clear_error (&gone.error);
  g_clear_error (&foreign.error);
  g_unlink (pdf_path);
  g_unlink (big_path);
  g_rmdir (dir);
}

/* ---- the hub's certificate ---------------------------------------------- */

/* A hub on TLS in this process, with a certificate made for the test:
 * sign-in and the events socket, nothing else. */
typedef struct
{
  char            *dir;
  char            *cert_path;    /* the hub's certificate, PEM */
  char            *other_path;   /* another one, for 127.0.0.1 too */
  GTlsCertificate *certificate;
  SoupServer      *server;
  char            *base;
  GList           *sockets;
} TlsFixture;

/* Makes a self-signed certificate @name.pem (key @name.key) in @dir for
 * @alt_names (openssl's subjectAltName syntax). */
static char *
make_certificate (const char *dir,
                  const char *name,
                  const char *alt_names)
{
  g_autofree char *key = g_strdup_printf ("%s/%s.key", dir, name);
  g_autofree char *cert = g_strdup_printf ("%s/%s.pem", dir, name);
  g_autofree char *san = g_strdup_printf ("subjectAltName=%s", alt_names);
  const char *argv[] = {
    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=Parley test hub", "-addext", san, NULL,
  };
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                               G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&cert);
}

static void
tls_login_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  static const char answer[] = "{\"token\":\"t0k3n\",\"agent\":{\"id\":1,\"login\":\"alice\"}}";

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, answer, sizeof answer - 1);
}

static void
tls_events_cb (SoupServer              *server,
               SoupServerMessage       *msg,
               const char              *path,
               SoupWebsocketConnection *connection,
               gpointer                 user_data)
{
  TlsFixture *f = user_data;

  f->sockets = g_list_prepend (f->sockets, g_object_ref (connection));
  soup_websocket_connection_send_text (connection, "{\"type\":\"hello\",\"agent\":{\"id\":1,\"login\":\"alice\"}}");
}

/* Serves sign-in and the events socket with @certificate on @port (0:
 * any), in place of what was served before. */
static void
tls_serve (TlsFixture      *f,
           GTlsCertificate *certificate,
           guint            port)
{
  g_autoptr(GError) error = NULL;

  g_list_free_full (g_steal_pointer (&f->sockets), g_object_unref);
  if (f->server)
    soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  f->server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (f->server, "/api/v1/auth/login", tls_login_cb, f, NULL);
  soup_server_add_websocket_handler (f->server, "/api/v1/events", NULL, NULL, tls_events_cb, f, NULL);
  g_assert_true (soup_server_listen_local (f->server, port, SOUP_SERVER_LISTEN_HTTPS | SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
}

static void
tls_fixture_setup (TlsFixture *f, gconstpointer data)
{
  const char *alt_names = data ? data : "IP:127.0.0.1,DNS:localhost";
  g_autofree char *key_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  f->dir = g_dir_make_tmp ("parley-tls-XXXXXX", &error);
  g_assert_no_error (error);
  f->cert_path = make_certificate (f->dir, "hub", alt_names);
  f->other_path = make_certificate (f->dir, "other", "IP:127.0.0.1,DNS:localhost");
  key_path = g_build_filename (f->dir, "hub.key", NULL);
  f->certificate = g_tls_certificate_new_from_files (f->cert_path, key_path, &error);
  g_assert_no_error (error);
  tls_serve (f, f->certificate, 0);
  uris = soup_server_get_uris (f->server);
  f->base = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
}

static void
tls_fixture_teardown (TlsFixture *f, gconstpointer data)
{
  g_list_free_full (f->sockets, g_object_unref);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->certificate);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->cert_path);
  g_free (f->other_path);
  g_free (f->base);
}

typedef struct
{
  gboolean  done;
  GError   *error;
} SignIn;

static void
signed_in_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SignIn *sign_in = user_data;

  parley_client_login_finish (PARLEY_CLIENT (source), result, &sign_in->error);
  sign_in->done = TRUE;
}

static void
spin_for (gint64 usec)
{
  gint64 until = g_get_monotonic_time () + usec;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
client_refused (gpointer data)
{
  return parley_client_get_refused_certificate (data, NULL) != NULL;
}

/* Signs @client in; returns the error, if any. */
static GError *
sign_in (ParleyClient *client)
{
  SignIn sign_in = { 0 };

  parley_client_login_async (client, "alice", "secret", NULL, signed_in_cb, &sign_in);
  g_assert_true (spin_until (flag_set, &sign_in.done, 10));
  return sign_in.error;
}

static char *
load_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

/* By default a hub must show a certificate the system trusts: one made up
 * for the test is refused, and the error names the host and why. */
static void
test_tls_system_trust (TlsFixture *f, gconstpointer data)
{
  g_autoptr(ParleyClient) client = parley_client_new (f->base);
  g_autoptr(GError) error = sign_in (client);
  GTlsCertificateFlags errors = 0;
  GTlsCertificate *refused;

  g_assert_error (error, PARLEY_CLIENT_ERROR, PARLEY_CLIENT_ERROR_UNTRUSTED_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  refused = parley_client_get_refused_certificate (client, &errors);
  g_assert_nonnull (refused);
  g_assert_true (g_tls_certificate_is_same (refused, f->certificate));
  if (data)
    {
      /* Made out to another name as well. */
      g_assert_cmpint (errors, ==, G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_BAD_IDENTITY);
      g_assert_nonnull (strstr (error->message, "made out to another name"));
    }
  else
    g_assert_cmpint (errors, ==, G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_assert_nonnull (strstr (error->message, "issued by an authority this computer does not trust"));
  g_assert_cmpint (parley_client_get_state (client), ==, PARLEY_CLIENT_STATE_OFFLINE);
}

/* A pinned certificate, handed out as a PEM file, as PEM text or as its
 * fingerprint, is accepted though self-signed (and made out to another
 * name), for requests and the events socket alike; any other is refused,
 * even for the very same hub. */
static void
test_tls_pinned (TlsFixture *f, gconstpointer data)
{
  g_autofree char *pem = load_text (f->cert_path);
  g_autofree char *fingerprint = parley_certificate_dup_fingerprint (f->certificate);
  g_autofree char *bare = g_strdup (fingerprint);
  const char *pins[] = { f->cert_path, pem, fingerprint, NULL };
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (strlen (fingerprint), ==, 32 * 3 - 1);
  /* The same fingerprint as openssl would print it, or as bare digits. */
  pins[3] = g_strdelimit (bare, ":", ' ');
  for (guint i = 0; i < G_N_ELEMENTS (pins); i++)
    {
      g_autoptr(ParleyClient) client = parley_client_new (f->base);
      g_autoptr(GError) failed = NULL;

      g_assert_true (parley_client_set_pinned_certificate (client, pins[i], &error));
      g_assert_no_error (error);
      failed = sign_in (client);
      g_assert_no_error (failed);
      g_assert_true (spin_until (client_online, client, 10));
      g_assert_null (parley_client_get_refused_certificate (client, NULL));
      parley_client_sign_out (client);
    }

  /* Another certificate pinned: this hub's is refused, and said to be
   * not the pinned one. */
  {
    g_autoptr(ParleyClient) client = parley_client_new (f->base);
    g_autoptr(GError) failed = NULL;
    GTlsCertificateFlags errors = 0;

    g_assert_true (parley_client_set_pinned_certificate (client, f->other_path, &error));
    failed = sign_in (client);
    g_assert_error (failed, PARLEY_CLIENT_ERROR, PARLEY_CLIENT_ERROR_UNTRUSTED_CERTIFICATE);
    g_assert_nonnull (strstr (failed->message, "not the certificate pinned for this hub"));
    g_assert_true (g_tls_certificate_is_same (parley_client_get_refused_certificate (client, &errors), f->certificate));
    g_assert_cmpint (errors, ==, G_TLS_CERTIFICATE_UNKNOWN_CA);
  }

  /* What is neither a certificate nor a fingerprint is refused, and the
   * trust stays as it was. */
  {
    g_autoptr(ParleyClient) client = parley_client_new (f->base);
    const char *bad[] = { "AB:CD", "sha256:xyz", "/nonexistent/hub.pem", "-----BEGIN CERTIFICATE-----\nnope" };

    g_assert_true (parley_client_set_pinned_certificate (client, fingerprint, &error));
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) wrong = NULL;

        g_assert_false (parley_client_set_pinned_certificate (client, bad[i], &wrong));
        g_assert_nonnull (wrong);
      }
    g_clear_error (&error);
    error = sign_in (client);
    g_assert_no_error (error);
  }

  /* The hub's certificate changes under a signed-in client (someone in
   * the middle): the events socket is refused as well, and the client
   * says why while it keeps trying. */
  {
    g_autoptr(ParleyClient) client = parley_client_new (f->base);
    g_autoptr(GError) failed = NULL;
    g_autofree char *other_key = g_build_filename (f->dir, "other.key", NULL);
    g_autoptr(GTlsCertificate) other = g_tls_certificate_new_from_files (f->other_path, other_key, &error);
    g_autoptr(GUri) uri = g_uri_parse (f->base, G_URI_FLAGS_NONE, NULL);

    g_assert_no_error (error);
    g_assert_true (parley_client_set_pinned_certificate (client, f->cert_path, &error));
    failed = sign_in (client);
    g_assert_no_error (failed);
    g_assert_true (spin_until (client_online, client, 10));
    tls_serve (f, other, (guint) g_uri_get_port (uri));
    g_assert_true (spin_until (client_refused, client, 15));
    g_assert_true (g_tls_certificate_is_same (parley_client_get_refused_certificate (client, NULL), other));
    g_assert_cmpint (parley_client_get_state (client), ==, PARLEY_CLIENT_STATE_CONNECTING);
    /* Gone, its last refused connection closes, so the server's side of
     * that handshake ends before the server is stopped. */
    parley_client_sign_out (client);
    g_clear_object (&client);
    spin_for (G_USEC_PER_SEC);
  }
}

/* http:// to a hub on another computer is refused before anything is
 * sent (addresses that would never answer show it: no connection is even
 * tried), unless the user allowed it; this computer's own addresses are
 * fine. */
static void
test_tls_unencrypted (Fixture *f, gconstpointer data)
{
  const char *remote[] = { "http://hub.example.com", "http://192.0.2.7:8080", "http://[2001:db8::7]:8080",
                           "http://127.0.0.1.example.com:8080", "http://10.0.0.1" };

  for (guint i = 0; i < G_N_ELEMENTS (remote); i++)
    {
      g_autoptr(ParleyClient) client = parley_client_new (remote[i]);
      g_autoptr(GError) error = NULL;
      gint64 started = g_get_monotonic_time ();

      error = sign_in (client);
      g_assert_error (error, PARLEY_CLIENT_ERROR, PARLEY_CLIENT_ERROR_UNENCRYPTED);
      g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC / 2);
    }

  /* Allowed, the client does try (the name does not even resolve). */
  {
    g_autoptr(ParleyClient) client = parley_client_new ("http://hub.invalid:1");
    g_autoptr(GError) error = NULL;

    parley_client_set_allow_unencrypted (client, TRUE);
    error = sign_in (client);
    g_assert_nonnull (error);
    g_assert_false (g_error_matches (error, PARLEY_CLIENT_ERROR, PARLEY_CLIENT_ERROR_UNENCRYPTED));
  }

  /* This computer: the test hub on 127.0.0.1 (f->client signed in), and
   * other loopback addresses, refused by nobody listening there rather
   * than by the client. */
  g_assert_cmpint (parley_client_get_state (f->client), ==, PARLEY_CLIENT_STATE_ONLINE);
  {
    const char *local[] = { "http://127.0.0.2:1", "http://[::1]:1", "http://localhost:1" };

    for (guint i = 0; i < G_N_ELEMENTS (local); i++)
      {
        g_autoptr(ParleyClient) client = parley_client_new (local[i]);
        g_autoptr(GError) error = sign_in (client);

        g_assert_nonnull (error);
        g_assert_false (g_error_matches (error, PARLEY_CLIENT_ERROR, PARLEY_CLIENT_ERROR_UNENCRYPTED));
      }
  }
}

/* ---- the timeline model -------------------------------------------------- */

static gboolean
model_idle (gpointer data)
{
  return !parley_timeline_model_get_loading (data);
}

static void
assert_model_sound (ParleyTimelineModel *model)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));
  gint64 last_id = 0;
  guint events = 0;
  gboolean previous_was_day = FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ParleyTimelineItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);
      gint64 id = parley_timeline_item_get_id (item);

      if (i == 0)
        g_assert_nonnull (parley_timeline_item_get_day (item));
      if (id == 0)
        {
          /* Never two headings in a row, never one at the end. */
          g_assert_false (previous_was_day);
          g_assert_cmpuint (i, <, n - 1);
          previous_was_day = TRUE;
          continue;
        }
      g_assert_cmpint (id, >, last_id);
      last_id = id;
      previous_was_day = FALSE;
      events++;
    }
  g_assert_cmpuint (events, ==, parley_timeline_model_get_n_events (model));
}

static void
test_model_pages (Fixture *f, gconstpointer data)
{
  g_autoptr(ParleyTimelineModel) model = NULL;
  gint64 customer = 0;

  for (int i = 0; i < 250; i++)
    customer = send_inbound (f, "ann@example.com", "Message", i);
  send_inbound (f, "bob@example.com", "Other", 0);

  model = parley_timeline_model_new (f->client, customer, NULL, NULL);
  g_assert_true (spin_until (model_idle, model, 10));
  /* One page of the newest, under one day heading. */
  g_assert_cmpuint (parley_timeline_model_get_n_events (model), ==, 50);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 51);
  g_assert_false (parley_timeline_model_get_complete (model));
  assert_model_sound (model);

  while (!parley_timeline_model_get_complete (model))
    {
      parley_timeline_model_load_older (model);
      g_assert_true (spin_until (model_idle, model, 10));
      assert_model_sound (model);
    }
  g_assert_cmpuint (parley_timeline_model_get_n_events (model), ==, 250);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 251);
}

static void
test_model_filters_and_pushes (Fixture *f, gconstpointer data)
{
  g_autoptr(ParleyTimelineModel) all = NULL;
  g_autoptr(ParleyTimelineModel) found = NULL;
  g_autoptr(ParleyTimelineModel) none = NULL;
  g_autoptr(ParleyTimelineItem) last = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(JsonObject) event = NULL;
  gint64 customer = 0;
  guint n;

  for (int i = 0; i < 5; i++)
    customer = send_inbound (f, "ann@example.com", i % 2 ? "Refund please" : "Where is my parcel", i);

  all = parley_timeline_model_new (f->client, customer, NULL, NULL);
  found = parley_timeline_model_new (f->client, customer, NULL, "REFUND");
  none = parley_timeline_model_new (f->client, customer, "chat", NULL);
  g_assert_true (spin_until (model_idle, all, 10));
  g_assert_true (spin_until (model_idle, found, 10));
  g_assert_true (spin_until (model_idle, none, 10));
  g_assert_cmpuint (parley_timeline_model_get_n_events (all), ==, 5);
  g_assert_cmpuint (parley_timeline_model_get_n_events (found), ==, 2);
  g_assert_cmpuint (parley_timeline_model_get_n_events (none), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (none)), ==, 0);
  g_assert_true (parley_timeline_model_get_complete (all));

  /* A pushed event is appended where it matches, replaced when it comes
   * again (delivery changed), and ignored elsewhere. */
  n = g_list_model_get_n_items (G_LIST_MODEL (all));
  event = json_object_new ();
  json_object_set_int_member (event, "id", 1000);
  json_object_set_int_member (event, "customer_id", customer);
  json_object_set_string_member (event, "channel", "api");
  json_object_set_string_member (event, "text", "refund sent");
  json_object_set_int_member (event, "created", g_get_real_time ());
  parley_timeline_model_add_event (all, event);
  parley_timeline_model_add_event (found, event);
  parley_timeline_model_add_event (none, event);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (all)), ==, n + 1);
  g_assert_cmpuint (parley_timeline_model_get_n_events (found), ==, 3);
  g_assert_cmpuint (parley_timeline_model_get_n_events (none), ==, 0);
  json_object_set_string_member (event, "delivery", "delivered");
  parley_timeline_model_add_event (all, event);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (all)), ==, n + 1);
  last = g_list_model_get_item (G_LIST_MODEL (all), n);
  stored = parley_timeline_item_dup_event (last);
  g_assert_cmpstr (json_object_get_string_member (stored, "delivery"), ==, "delivered");
  json_object_set_int_member (event, "customer_id", customer + 1);
  json_object_set_int_member (event, "id", 1001);
  parley_timeline_model_add_event (all, event);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (all)), ==, n + 1);
  assert_model_sound (all);
}

/* ---- widgets: customer text is never markup ------------------------------ */

/* The first label under @widget whose text holds @wanted; never markup. */
static GtkLabel *
first_label (GtkWidget *widget, const char *wanted)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found;

      if (GTK_IS_LABEL (child) && strstr (gtk_label_get_label (GTK_LABEL (child)), wanted))
        {
          g_assert_false (gtk_label_get_use_markup (GTK_LABEL (child)));
          return GTK_LABEL (child);
        }
      if ((found = first_label (child, wanted)))
        return found;
    }
  return NULL;
}

static const char *
first_label_text (GtkWidget *widget, const char *wanted)
{
  GtkLabel *label = first_label (widget, wanted);

  return label ? gtk_label_get_text (label) : NULL;
}

static void
test_widgets_plain_text (void)
{
  const char *hostile = "<b>bold</b> & <span foreground='red'>red</span> <a href='x'>link</a>";
  g_autoptr(JsonObject) event = json_object_new ();
  g_autoptr(JsonObject) conversation = json_object_new ();
  g_autoptr(JsonObject) last = json_object_new ();
  GtkWidget *view = g_object_ref_sink (parley_ui_event_view_new ());
  g_autoptr(ParleyConversationItem) item = NULL;
  GtkWidget *row;

  json_object_set_int_member (event, "id", 1);
  json_object_set_string_member (event, "kind", "message");
  json_object_set_string_member (event, "direction", "in");
  json_object_set_string_member (event, "channel", "chat");
  json_object_set_string_member (event, "author_name", "<i>Mallory</i>");
  json_object_set_string_member (event, "text", hostile);
  json_object_set_int_member (event, "created", g_get_real_time ());
  parley_ui_event_view_set_event (PARLEY_UI_EVENT_VIEW (view), event);
  g_assert_cmpstr (first_label_text (view, "<b>bold"), ==, hostile);
  g_assert_cmpstr (first_label_text (view, "Mallory"), ==, "<i>Mallory</i>");
  g_object_unref (view);

  json_object_set_int_member (conversation, "id", 7);
  json_object_set_string_member (conversation, "channel", "chat");
  json_object_set_string_member (conversation, "customer_name", "<b>Eve</b>");
  json_object_set_string_member (last, "text", hostile);
  json_object_set_object_member (conversation, "last_event", json_object_ref (last));
  item = parley_conversation_item_new (conversation);
  row = g_object_ref_sink (parley_conversation_row_new (item));
  g_assert_cmpstr (first_label_text (row, "Eve"), ==, "<b>Eve</b>");
  g_assert_cmpstr (first_label_text (row, "<span"), ==, hostile);
  g_object_unref (row);
}

/* A bubble is only as wide as its text and sits at its kind's side:
 * the customer's at the start, the agent's at the end, records centred,
 * mirrored right to left. */
static void
test_widgets_bubble_sides (void)
{
  static const struct
  {
    const char       *kind;
    const char       *direction;
    GtkTextDirection  text_direction;
    int               side;  /* -1 left, 0 centre, 1 right */
  } cases[] = {
    { "message", "in", GTK_TEXT_DIR_LTR, -1 },
    { "message", "out", GTK_TEXT_DIR_LTR, 1 },
    { "state", "in", GTK_TEXT_DIR_LTR, 0 },
    { "message", "in", GTK_TEXT_DIR_RTL, 1 },
    { "message", "out", GTK_TEXT_DIR_RTL, -1 },
  };
  const int width = 600;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) event = json_object_new ();
      GtkWidget *view = g_object_ref_sink (parley_ui_event_view_new ());
      graphene_rect_t bounds;
      double left, right;
      int height;

      json_object_set_int_member (event, "id", 1);
      json_object_set_string_member (event, "kind", cases[i].kind);
      json_object_set_string_member (event, "direction", cases[i].direction);
      json_object_set_string_member (event, "channel", "chat");
      json_object_set_string_member (event, "author_name", "Ann");
      json_object_set_string_member (event, "text", g_str_equal (cases[i].kind, "state") ? "assigned" : "Short");
      json_object_set_int_member (event, "created", g_get_real_time ());
      gtk_widget_set_direction (view, cases[i].text_direction);
      parley_ui_event_view_set_event (PARLEY_UI_EVENT_VIEW (view), event);
      gtk_widget_measure (view, GTK_ORIENTATION_VERTICAL, width, NULL, &height, NULL, NULL);
      g_assert_cmpint (height, >, 0);
      gtk_widget_size_allocate (view, &(GtkAllocation) { 0, 0, width, height }, -1);

      g_assert_true (gtk_widget_compute_bounds (gtk_widget_get_first_child (view), view, &bounds));
      left = bounds.origin.x;
      right = width - bounds.origin.x - bounds.size.width;
      g_test_message ("%s %s %s: bubble from %.0f to %.0f of %d", cases[i].kind, cases[i].direction,
                      cases[i].text_direction == GTK_TEXT_DIR_RTL ? "rtl" : "ltr", left, width - right, width);
      g_assert_cmpfloat (bounds.size.width, <, width / 2);
      g_assert_cmpfloat (bounds.size.height, ==, height);
      if (cases[i].side < 0)
        g_assert_cmpfloat (left, ==, 0);
      else if (cases[i].side > 0)
        g_assert_cmpfloat (right, ==, 0);
      else
        g_assert_cmpfloat (ABS (left - right), <=, 1);
      g_object_unref (view);
    }
}

/* ---- files in the timeline ----------------------------------------------- */

/* The widget below @root whose accessible name is @label, as a screen
 * reader finds it, or NULL. */
static GtkWidget *
find_by_accessible_label (GtkWidget  *root,
                          const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      g_autofree char *mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (child),
                                                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label);
      GtkWidget *found;

      if (mismatch == NULL)
        return child;
      if ((found = find_by_accessible_label (child, label)))
        return found;
    }
  return NULL;
}

static GtkWidget *
find_of_type (GtkWidget *root,
              GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_of_type (child, type)))
        return found;
    }
  return NULL;
}

static gboolean
open_file_cb (ParleyUiAttachmentButton *button,
              GFile                    *file,
              gpointer                  user_data)
{
  g_set_object ((GFile **) user_data, file);
  return TRUE;  /* opened here: no viewer runs under test */
}

static gboolean
file_given (gpointer data)
{
  return *(GFile **) data != NULL;
}

static gboolean
widget_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

/* Binds @event, whose file is called @name, to a new view of @channel;
 * finds its button by the name a screen reader hears; presses it; and
 * returns the file it saved, after checking that it holds @bytes and that
 * only the user may read it. */
static GFile *
press_file_button (ParleyUiChannel *channel,
                   JsonObject      *event,
                   const char      *shown_name,
                   GBytes          *bytes)
{
  g_autoptr(GtkWidget) view = g_object_ref_sink (parley_ui_channel_create_event_view (channel));
  g_autofree char *size = g_format_size (g_bytes_get_size (bytes));
  g_autofree char *label = g_strdup_printf ("Open “%s”, %s", shown_name, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  gsize length;
  GFile *opened = NULL;
  GStatBuf st;
  GtkWidget *button;

  parley_ui_channel_bind_event_view (channel, view, event);
  button = find_by_accessible_label (view, label);
  g_assert_nonnull (button);
  g_assert_true (PARLEY_UI_IS_ATTACHMENT_BUTTON (button));
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_connect (button, "open-file", G_CALLBACK (open_file_cb), &opened);
  g_signal_emit_by_name (button, "clicked");  /* what a click does */
  g_assert_false (gtk_widget_get_sensitive (button));  /* while it downloads */
  g_assert_true (spin_until (file_given, &opened, 10));
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_false (gtk_widget_has_css_class (button, "error"));

  g_assert_true (g_file_load_contents (opened, NULL, &saved, &length, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (saved, length, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_cmpint (g_stat (g_file_peek_path (opened), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  return opened;
}

/* A file an agent sent on the api channel, which has no desktop plugin:
 * the generic view shows it as a button a screen reader names, and the
 * button saves the very bytes in the cache, for the user only, under a
 * plain name whatever the sender called it. */
static void
test_widgets_attachment (Fixture *f, gconstpointer data)
{
  static const char pdf[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (pdf, sizeof pdf - 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("parley-attach-XXXXXX", &error);
  g_autofree char *pdf_path = g_build_filename (dir, "label.pdf", NULL);
  g_autoptr(GFile) pdf_file = g_file_new_for_path (pdf_path);
  g_autoptr(ParleyPluginHost) host = parley_plugin_host_new ();
  g_autoptr(JsonObject) plain = json_object_new ();
  g_autoptr(GtkWidget) view = NULL;
  g_autoptr(GFile) cache = g_file_new_build_filename (g_get_user_cache_dir (), "parley", "attachments", NULL);
  g_autoptr(GPtrArray) saved = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GFile) folder = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *body = NULL;
  Answer uploaded, sent;
  ParleyUiChannel *api = parley_plugin_host_get_channel (host, "api");
  JsonObject *event, *attachment;
  const char *id;
  GtkWidget *button;
  gint64 conversation;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (pdf_path, pdf, sizeof pdf - 1, &error));

  /* The agent sends a file on the api channel. */
  conversation = take_conversation (f, "My label?");
  uploaded = upload (f, conversation, pdf_file);
  g_assert_no_error (uploaded.error);
  id = json_object_get_string_member (json_object_get_object_member (uploaded.answer, "attachment"), "id");
  messages = g_strdup_printf ("conversations/%" G_GINT64_FORMAT "/messages", conversation);
  body = g_strdup_printf ("{\"channel\":\"api\",\"text\":\"Your label\",\"attachment\":\"%s\"}", id);
  sent = request (f, "POST", messages, body);
  g_assert_no_error (sent.error);
  event = json_object_get_object_member (sent.answer, "event");
  g_assert_cmpstr (json_object_get_string_member (event, "channel"), ==, "api");
  attachment = parley_ui_event_get_attachment (event);
  g_assert_nonnull (attachment);
  g_assert_cmpstr (json_object_get_string_member (attachment, "id"), ==, id);

  /* Channels without a plugin get the hub connection from the host too,
   * also those made after sign-in. */
  g_assert_true (PARLEY_UI_IS_TEXT_CHANNEL (api));
  parley_plugin_host_set_client (host, f->client);
  g_assert_true (parley_ui_channel_get_client (api) == f->client);
  g_assert_true (parley_ui_channel_get_client (parley_plugin_host_get_channel (host, "sms")) == f->client);

  /* A message without a file makes no button: binding it stays as cheap
   * as before. */
  json_object_set_string_member (plain, "kind", "message");
  json_object_set_string_member (plain, "channel", "api");
  json_object_set_string_member (plain, "text", "No file here");
  view = g_object_ref_sink (parley_ui_channel_create_event_view (api));
  parley_ui_channel_bind_event_view (api, view, plain);
  g_assert_null (find_of_type (view, PARLEY_UI_TYPE_ATTACHMENT_BUTTON));

  /* The api event's file: found by its accessible name, pressed, saved;
   * a sender's name is only ever a file name in the file's own folder. */
  g_ptr_array_add (saved, press_file_button (api, event, "label.pdf", bytes));
  json_object_set_string_member (attachment, "name", "../../x");
  g_ptr_array_add (saved, press_file_button (api, event, "x", bytes));
  json_object_set_string_member (attachment, "name", "a/b");
  g_ptr_array_add (saved, press_file_button (api, event, "b", bytes));
  folder = g_file_get_child (cache, id);
  for (guint i = 0; i < saved->len; i++)
    {
      g_autoptr(GFile) parent = g_file_get_parent (g_ptr_array_index (saved, i));

      g_assert_true (g_file_equal (parent, folder));
    }

  /* A recycled view: rebinding to the file shows it, to a message without
   * one hides it. */
  parley_ui_channel_bind_event_view (api, view, event);
  button = find_of_type (view, PARLEY_UI_TYPE_ATTACHMENT_BUTTON);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  parley_ui_channel_bind_event_view (api, view, plain);
  g_assert_false (gtk_widget_get_visible (button));

  /* A file the hub does not have: the button says so and can be pressed
   * again. An id that is not the hub's kind is not even asked for. */
  json_object_set_string_member (attachment, "id", "no-such-file");
  parley_ui_channel_bind_event_view (api, view, event);
  g_signal_emit_by_name (button, "clicked");  /* what a click does */
  g_assert_true (spin_until (widget_sensitive, button, 10));
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (button), "Could not download the file: "));
  g_assert_true (gtk_widget_has_css_class (button, "error"));
  json_object_set_string_member (attachment, "id", "../../etc");
  parley_ui_channel_bind_event_view (api, view, event);
  g_assert_false (gtk_widget_has_css_class (button, "error"));
  g_signal_emit_by_name (button, "clicked");  /* what a click does */
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "This file cannot be fetched from the hub");

  for (guint i = 0; i < saved->len; i++)
    g_assert_true (g_file_delete (g_ptr_array_index (saved, i), NULL, NULL));
  g_assert_true (g_file_delete (folder, NULL, NULL));
  parley_plugin_host_set_client (host, NULL);
  g_clear_pointer (&uploaded.answer, json_object_unref);
  g_clear_pointer (&sent.answer, json_object_unref);
  g_unlink (pdf_path);
  g_rmdir (dir);
}

/* ---- a chat visitor's suggested match ------------------------------------ */

static void
visitor_message_cb (SoupWebsocketConnection *conn, int type, GBytes *message, gpointer user_data)
{
  g_ptr_array_add (user_data, g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
}

static void
visitor_connected_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  *(SoupWebsocketConnection **) user_data = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
connection_set (gpointer data)
{
  return *(SoupWebsocketConnection **) data != NULL;
}

static gboolean
has_ack (gpointer data)
{
  GPtrArray *frames = data;

  for (guint i = 0; i < frames->len; i++)
    if (strstr (g_ptr_array_index (frames, i), "\"type\":\"ack\""))
      return TRUE;
  return FALSE;
}

static GtkWidget *
find_confirm (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), "customer.confirm-match") == 0)
        return child;
      if ((found = find_confirm (child)))
        return found;
    }
  return NULL;
}

static gboolean
confirm_shown (gpointer data)
{
  return find_confirm (data) != NULL;
}

typedef struct
{
  ParleyCustomerView *view;
  gint64              customer;
} ShownCustomer;

static gboolean
customer_shown (gpointer data)
{
  ShownCustomer *shown = data;

  return parley_customer_view_get_customer_id (shown->view) == shown->customer;
}

/* A visitor typed the email of a customer the hub knows: their customer
 * shows the suggested match, and the agent's Confirm merges them. */
static void
test_customer_view_match (Fixture *f, gconstpointer data)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/channels/chat/visitor", f->hub->base);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SoupWebsocketConnection) visitor = NULL;
  g_autoptr(ParleyPluginHost) host = parley_plugin_host_new ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *merged_path = NULL;
  ParleyCustomerView *view;
  GtkWidget *window, *confirm;
  Answer found, timeline;
  ShownCustomer shown;
  gint64 ann, stranger;
  JsonArray *events;
  gboolean merged = FALSE;

  ann = send_inbound (f, "ann@example.com", "Where is my order?", 1);
  soup_session_websocket_connect_async (f->hub->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        visitor_connected_cb, &visitor);
  g_assert_true (spin_until (connection_set, &visitor, 10));
  g_signal_connect (visitor, "message", G_CALLBACK (visitor_message_cb), frames);
  soup_websocket_connection_send_text (visitor, "{\"type\":\"hello\",\"site\":\"desk-shop\",\"name\":\"Stranger\","
                                                "\"email\":\"ann@example.com\"}");
  soup_websocket_connection_send_text (visitor, "{\"type\":\"message\",\"id\":\"v1\",\"text\":\"It is Ann\"}");
  g_assert_true (spin_until (has_ack, frames, 10));
  found = request (f, "GET", "customers?q=Stranger", NULL);
  g_assert_no_error (found.error);
  stranger = json_object_get_int_member (json_array_get_object_element (json_object_get_array_member (found.answer, "customers"), 0), "id");
  g_assert_cmpint (stranger, !=, ann);

  window = gtk_window_new ();
  view = g_object_new (PARLEY_TYPE_CUSTOMER_VIEW, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  parley_customer_view_setup (view, f->client, host, settings);
  parley_customer_view_open_customer (view, stranger);
  g_assert_true (spin_until (confirm_shown, view, 10));
  confirm = find_confirm (GTK_WIDGET (view));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (confirm), GTK_ACCESSIBLE_PROPERTY_LABEL, "Confirm match with Ann");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_widget_get_ancestor (confirm, ADW_TYPE_ACTION_ROW))),
                   ==, "Possible match: Ann");

  g_signal_emit_by_name (confirm, "clicked");  /* what a click does */
  shown = (ShownCustomer) { view, ann };
  g_assert_true (spin_until (customer_shown, &shown, 10));
  merged_path = g_strdup_printf ("customers/%" G_GINT64_FORMAT "/timeline?channel=system", ann);
  timeline = request (f, "GET", merged_path, NULL);
  g_assert_no_error (timeline.error);
  events = json_object_get_array_member (timeline.answer, "events");
  for (guint i = 0; i < json_array_get_length (events); i++)
    merged |= g_strcmp0 (json_object_get_string_member (json_array_get_object_element (events, i), "kind"), "merge") == 0;
  g_assert_true (merged);

  soup_websocket_connection_close (visitor, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_pointer (&found.answer, json_object_unref);
  g_clear_pointer (&timeline.answer, json_object_unref);
}

/* The desktop takes a channel's title and icon from its desktop plugin
 * (translated), else from the hub's declaration, else shows the kind
 * itself (the history of a channel since removed) with a generic icon;
 * whether it can reach a customer comes from the declared identity kinds. */
static void
test_channel_directory (void)
{
  ParleyUiChannelDirectory *directory = parley_ui_channel_directory_get_default ();
  g_autoptr(ParleyPluginHost) host = parley_plugin_host_new ();
  g_autoptr(JsonNode) answer = json_from_string ("{\"channels\":["
      "{\"kind\":\"chat\",\"title\":\"Chat (hub)\",\"icon\":\"dialog-information-symbolic\",\"identity_kinds\":[\"chat\"]},"
      "{\"kind\":\"pigeon\",\"title\":\"Carrier Pigeon\",\"icon\":\"airplane-mode-symbolic\",\"identity_kinds\":[\"loft\"]},"
      "{\"kind\":\"\"}]}", NULL);
  g_autoptr(JsonNode) loft = json_from_string ("[{\"kind\":\"email\",\"value\":\"a@example.com\"},{\"kind\":\"loft\",\"value\":\"roof-7\"}]", NULL);
  g_autoptr(JsonNode) email = json_from_string ("[{\"kind\":\"email\",\"value\":\"a@example.com\"}]", NULL);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) offer = json_from_string ("{\"id\":5,\"customer\":{\"name\":\"Percy\"},"
                                                "\"conversation\":{\"channel\":\"pigeon\"}}", NULL);
  GtkWidget *card = g_object_ref_sink (parley_offer_card_new (json_node_get_object (offer)));

  /* An offer pushed before the hub's channels are read is named again
   * once they are. */
  g_assert_cmpstr (parley_offer_card_get_title (PARLEY_OFFER_CARD (card)), ==, "New pigeon: Percy");

  /* A bad declaration is reported; the good ones are still taken. */
  g_assert_false (parley_ui_channel_directory_load_json (directory, json_node_get_object (answer), &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
  g_assert_cmpstrv (parley_ui_channel_directory_get_kinds (directory), ((const char * const []) { "chat", "pigeon", NULL }));
  g_assert_cmpstr (parley_offer_card_get_title (PARLEY_OFFER_CARD (card)), ==, "New Carrier Pigeon: Percy");
  g_object_unref (card);

  g_assert_cmpstr (parley_ui_channel_directory_get_title (directory, "chat"), ==, "Chat");
  g_assert_cmpstr (parley_ui_channel_directory_get_icon_name (directory, "chat"), ==, "parley-chat-symbolic");
  g_assert_cmpstr (parley_ui_channel_directory_get_title (directory, "pigeon"), ==, "Carrier Pigeon");
  g_assert_cmpstr (parley_ui_channel_directory_get_icon_name (directory, "pigeon"), ==, "airplane-mode-symbolic");
  /* The generic channel a desktop without the plugin uses says the same. */
  g_assert_cmpstr (parley_ui_channel_get_title (parley_plugin_host_get_channel (host, "pigeon")), ==, "Carrier Pigeon");
  g_assert_cmpstr (parley_ui_channel_get_icon_name (parley_plugin_host_get_channel (host, "pigeon")), ==, "airplane-mode-symbolic");
  g_assert_cmpstr (parley_ui_channel_directory_get_title (directory, "voice"), ==, "voice");
  g_assert_cmpstr (parley_ui_channel_directory_get_icon_name (directory, "voice"), ==, "mail-send-receive-symbolic");

  g_assert_true (parley_ui_channel_directory_reaches (directory, "pigeon", json_node_get_array (loft)));
  g_assert_false (parley_ui_channel_directory_reaches (directory, "pigeon", json_node_get_array (email)));
  g_assert_false (parley_ui_channel_directory_reaches (directory, "voice", json_node_get_array (loft)));
  g_assert_cmpstr (parley_ui_channel_directory_find_for_identity (directory, "loft"), ==, "pigeon");
  g_assert_null (parley_ui_channel_directory_find_for_identity (directory, "phone"));
  g_assert_null (parley_ui_channel_directory_lookup (directory, "voice"));

  parley_ui_channel_directory_set_declarations (directory, none);
}

/* Records read as what happened: a call was never "delivered", an
 * assignment names the agent, and every event carries its channel's
 * colour class. */
static void
test_widgets_records (void)
{
  g_autoptr(JsonObject) call = json_object_new ();
  g_autoptr(JsonObject) assigned = json_object_new ();
  g_autoptr(JsonObject) metadata = json_object_new ();
  GtkWidget *view = g_object_ref_sink (parley_ui_event_view_new ());

  json_object_set_int_member (call, "id", 1);
  json_object_set_string_member (call, "kind", "call");
  json_object_set_string_member (call, "direction", "out");
  json_object_set_string_member (call, "channel", "voice");
  json_object_set_string_member (call, "delivery", "delivered");
  json_object_set_string_member (call, "text", "Call, 4 minutes");
  json_object_set_int_member (call, "created", g_get_real_time ());
  parley_ui_event_view_set_event (PARLEY_UI_EVENT_VIEW (view), call);
  g_assert_null (first_label_text (view, "delivered"));
  g_assert_true (gtk_widget_has_css_class (view, "channel-voice"));
  /* Chat has a bubble of its own, shipped with the app, not "new message". */
  {
    g_autoptr(ParleyPluginHost) host = parley_plugin_host_new ();

    g_assert_cmpstr (parley_ui_channel_get_icon_name (parley_plugin_host_get_channel (host, "chat")), ==, "parley-chat-symbolic");
    g_assert_cmpstr (parley_ui_channel_directory_get_icon_name (parley_ui_channel_directory_get_default (), "chat"), ==,
                     "parley-chat-symbolic");
  }
  g_assert_true (g_resources_get_info ("/org/parley/Parley/icons/scalable/actions/parley-chat-symbolic.svg",
                                       G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL));

  json_object_set_int_member (assigned, "id", 2);
  json_object_set_string_member (assigned, "kind", "state");
  json_object_set_string_member (assigned, "direction", "internal");
  json_object_set_string_member (assigned, "channel", "email");
  json_object_set_string_member (assigned, "text", "assigned");
  json_object_set_string_member (metadata, "agent_name", "Alice Martin");
  json_object_set_object_member (assigned, "metadata", json_object_ref (metadata));
  json_object_set_int_member (assigned, "created", g_get_real_time ());
  parley_ui_event_view_set_event (PARLEY_UI_EVENT_VIEW (view), assigned);
  g_assert_cmpstr (first_label_text (view, "assigned"), ==, "Conversation assigned to Alice Martin");
  g_assert_true (gtk_widget_has_css_class (view, "channel-email"));
  g_assert_false (gtk_widget_has_css_class (view, "channel-voice"));

  /* The hub's English text is the fallback: records are worded here,
   * from their metadata, with plurals. */
  {
    g_autoptr(JsonObject) merge = json_object_new ();
    g_autoptr(JsonObject) merged = json_object_new ();
    g_autoptr(JsonObject) cobrowse = json_object_new ();
    g_autoptr(JsonObject) session = json_object_new ();
    JsonArray *pages = json_array_new ();

    json_object_set_int_member (merged, "survivor_id", 1);
    json_object_set_int_member (merged, "absorbed_id", 4);
    json_object_set_string_member (merged, "survivor_name", "María García");
    json_object_set_string_member (merged, "absorbed_name", "Léa Dubois");
    json_object_set_int_member (merge, "id", 3);
    json_object_set_int_member (merge, "customer_id", 1);
    json_object_set_string_member (merge, "kind", "merge");
    json_object_set_string_member (merge, "channel", "system");
    json_object_set_string_member (merge, "text", "Merged customer #4 (Léa Dubois) into this one");
    json_object_set_object_member (merge, "metadata", json_object_ref (merged));
    parley_ui_event_view_set_event (PARLEY_UI_EVENT_VIEW (view), merge);
    g_assert_nonnull (first_label_text (view, "Customer #4 (Léa Dubois) merged into this one"));
    json_object_set_int_member (merge, "customer_id", 4);
    parley_ui_event_view_set_event (PARLEY_UI_EVENT_VIEW (view), merge);
    g_assert_nonnull (first_label_text (view, "Merged into customer #1 (María García)"));

    json_array_add_object_element (pages, json_object_new ());
    json_object_set_string_member (session, "outcome", "shared");
    json_object_set_int_member (session, "duration", 185);
    json_object_set_array_member (session, "pages", pages);
    json_object_set_int_member (cobrowse, "id", 4);
    json_object_set_string_member (cobrowse, "kind", "cobrowse");
    json_object_set_string_member (cobrowse, "channel", "chat");
    json_object_set_string_member (cobrowse, "text", "Co-browsed with the visitor for 3 min 05 s; pages seen: 1");
    json_object_set_object_member (cobrowse, "metadata", json_object_ref (session));
    parley_ui_event_view_set_event (PARLEY_UI_EVENT_VIEW (view), cobrowse);
    g_assert_nonnull (first_label_text (view, "Co-browsed for 3 minutes, 1 page seen"));
  }
  g_object_unref (view);
}

/* Day headings name the day without padding: "Friday, 4 December". */
static void
test_widgets_day_headings (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) this_year = g_date_time_new_local (g_date_time_get_year (now), 1, 4, 0, 0, 0);
  g_autoptr(GDateTime) last_year = g_date_time_new_local (g_date_time_get_year (now) - 1, 12, 4, 0, 0, 0);
  g_autofree char *shown = NULL;
  g_autofree char *older = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *older_end = NULL;

  /* 4 January is "today" on one day a year: then the test says so. */
  if (g_date_time_get_month (now) == 1 && g_date_time_get_day_of_month (now) <= 5)
    {
      g_test_skip ("4 January is today or yesterday");
      return;
    }
  shown = parley_timeline_row_format_day (this_year);
  expected = g_date_time_format (this_year, "%A, 4 January");
  g_assert_cmpstr (shown, ==, expected);
  older = parley_timeline_row_format_day (last_year);
  older_end = g_strdup_printf (", 4 December %d", g_date_time_get_year (last_year));
  g_assert_true (g_str_has_suffix (older, older_end));
}

/* The first widget of @type under @widget, with @css_class if not NULL. */
static GtkWidget *
find_descendant (GtkWidget  *widget,
                 GType       type,
                 const char *css_class)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = G_TYPE_CHECK_INSTANCE_TYPE (child, type) && (!css_class || gtk_widget_has_css_class (child, css_class))
                         ? child : find_descendant (child, type, css_class);

      if (found)
        return found;
    }
  return NULL;
}

/* The first widget under @widget whose tooltip is @tooltip. */
static GtkWidget *
find_with_tooltip (GtkWidget  *widget,
                   const char *tooltip)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = g_strcmp0 (gtk_widget_get_tooltip_text (child), tooltip) == 0 ? child : find_with_tooltip (child, tooltip);

      if (found)
        return found;
    }
  return NULL;
}

static gboolean
list_allocated (gpointer data)
{
  return gtk_widget_get_width (data) > 0;
}

/* The two screens agents use: at 1366 px the details pane (F9) fits
 * beside the window's sidebar (300 px) without folding it away, for a
 * customer reachable on every channel; at 1920 px the timeline keeps a
 * readable width instead of spreading bubbles 1,200 px apart. */
static void
test_customer_view_layout (Fixture *f, gconstpointer data)
{
  /* A hub running six channels, each reaching an identity Ann has. */
  static const struct { const char *kind; const char *reaches; } channels[] = {
    { "api", "email" }, { "chat", "chat" }, { "email", "email" }, { "sms", "phone" }, { "voice", "phone" }, { "social", "email" },
  };
  g_autoptr(GPtrArray) declarations = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(ParleyPluginHost) host = parley_plugin_host_new ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *link_path = NULL;
  ParleyCustomerView *view;
  GtkWidget *window, *box, *sidebar, *list;
  ShownCustomer shown;
  Answer linked, queued;
  JsonArray *conversations;
  GtkWidget *text;
  gint64 ann;
  int minimum, steps;

  ann = send_inbound (f, "wide@example.com", "Hello", 1);
  link_path = g_strdup_printf ("customers/%" G_GINT64_FORMAT "/identities", ann);
  linked = request (f, "POST", link_path, "{\"kind\":\"phone\",\"value\":\"+442079460011\"}");
  g_assert_no_error (linked.error);
  g_clear_pointer (&linked.answer, json_object_unref);
  linked = request (f, "POST", link_path, "{\"kind\":\"chat\",\"value\":\"wide-visitor\"}");
  g_assert_no_error (linked.error);
  g_clear_pointer (&linked.answer, json_object_unref);

  window = gtk_window_new ();
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  sidebar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_size_request (sidebar, 300, -1);
  view = g_object_new (PARLEY_TYPE_CUSTOMER_VIEW, "hexpand", TRUE, NULL);
  gtk_box_append (GTK_BOX (box), sidebar);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (view));
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1920, 1080);
  g_settings_set_strv (settings, "canned-responses",
                       (const char * const[]) { "Hello {customer.first_name}, your order_number is below.", NULL });
  parley_customer_view_setup (view, f->client, host, settings);
  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    g_ptr_array_add (declarations, parley_channel_info_new (channels[i].kind, NULL, NULL,
                                                            (const char * const []) { channels[i].reaches, NULL },
                                                            PARLEY_CHANNEL_CAPABILITY_TEXT));
  parley_ui_channel_directory_set_declarations (parley_ui_channel_directory_get_default (), declarations);
  queued = request (f, "GET", "conversations?state=queued", NULL);
  g_assert_no_error (queued.error);
  conversations = json_object_get_array_member (queued.answer, "conversations");
  for (guint i = 0; i < json_array_get_length (conversations); i++)
    if (json_object_get_int_member (json_array_get_object_element (conversations, i), "customer_id") == ann)
      parley_customer_view_open_conversation (view, json_array_get_object_element (conversations, i));
  shown = (ShownCustomer) { view, ann };
  g_assert_true (spin_until (customer_shown, &shown, 10));
  g_clear_pointer (&queued.answer, json_object_unref);

  /* Canned responses read as they will be sent, underscores and all. */
  {
    GtkWidget *canned = find_with_tooltip (GTK_WIDGET (view), "Canned Responses");
    GMenuModel *menu;
    g_autofree char *label = NULL;

    g_assert_true (GTK_IS_MENU_BUTTON (canned));
    menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (canned));
    g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
    g_assert_cmpstr (label, ==, "Hello Ann, your order__number is below.");
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "customer.details", NULL));
  gtk_widget_measure (box, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("sidebar and customer view with details need %d px", minimum);
  g_assert_cmpint (minimum, <=, 1366 - 1);

  /* 1920 px, wider than the test's X screen, so the window takes it. */
  gtk_widget_set_size_request (box, 1920, 1000);
  gtk_window_present (GTK_WINDOW (window));
  list = find_descendant (GTK_WIDGET (view), GTK_TYPE_LIST_VIEW, "timeline");
  g_assert_true (spin_until (list_allocated, list, 10));
  g_test_message ("the timeline is %d px wide in a %d px view", gtk_widget_get_width (list), gtk_widget_get_width (GTK_WIDGET (view)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (view)), >=, 1920 - 300);
  g_assert_cmpint (gtk_widget_get_width (list), <=, 900);

  /* The keyboard: Shift+Tab leaves the text and the composer; the
   * timeline is one stop, from either side. (Open details come between
   * composer and timeline, as they lie above the composer.) */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "customer.details", NULL));
  text = find_descendant (GTK_WIDGET (view), GTK_TYPE_TEXT_VIEW, NULL);
  gtk_widget_grab_focus (text);
  for (steps = 0; steps < 12 && !gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), list); steps++)
    gtk_widget_child_focus (window, GTK_DIR_TAB_BACKWARD);
  g_test_message ("Shift+Tab from the text reached the timeline in %d steps", steps);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), list));
  gtk_widget_child_focus (window, GTK_DIR_TAB_BACKWARD);
  g_assert_nonnull (gtk_widget_get_ancestor (gtk_root_get_focus (GTK_ROOT (window)), GTK_TYPE_SEARCH_ENTRY));
  gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), list));
  gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD);
  g_assert_false (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), list));
  g_assert_nonnull (gtk_widget_get_ancestor (gtk_root_get_focus (GTK_ROOT (window)), PARLEY_TYPE_REPLY_COMPOSER));
  gtk_window_destroy (GTK_WINDOW (window));
  g_ptr_array_set_size (declarations, 0);
  parley_ui_channel_directory_set_declarations (parley_ui_channel_directory_get_default (), declarations);
}

static void
editor_saved_cb (ParleyCustomerEditor *editor,
                 JsonObject           *body,
                 const char           *address,
                 gpointer              user_data)
{
  JsonObject **saved = user_data;

  saved[0] = json_object_ref (body);
  saved[1] = json_object_new ();
  json_object_set_string_member (saved[1], "address", address);
}

/* The entry row titled @title under @widget. */
static GtkWidget *
entry_row (GtkWidget  *widget,
           const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ADW_IS_ENTRY_ROW (child) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0
                         ? child : entry_row (child, title);

      if (found)
        return found;
    }
  return NULL;
}

/* Edit Customer edits the name, tags and every text attribute by its
 * name, keeps what it does not edit, and links a new address. */
static void
test_customer_editor (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"id\":4,\"name\":\"Léa Dubois\",\"identities\":[{\"kind\":\"email\","
                                               "\"value\":\"lea@example.fr\"}],\"attributes\":{\"language\":\"fr\","
                                               "\"shoe_size\":\"38\",\"purchases\":[1,2],\"tags\":[\"vip\"]}}", NULL);
  JsonObject *saved[2] = { NULL, NULL };
  ParleyCustomerEditor *editor = parley_customer_editor_new (NULL, json_node_get_object (node));
  JsonObject *attributes;

  g_signal_connect (editor, "save", G_CALLBACK (editor_saved_cb), saved);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry_row (GTK_WIDGET (editor), "Language"))), ==, "fr");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry_row (GTK_WIDGET (editor), "Shoe size"))), ==, "38");
  g_assert_nonnull (entry_row (GTK_WIDGET (editor), "Tier"));
  gtk_editable_set_text (GTK_EDITABLE (entry_row (GTK_WIDGET (editor), "Name")), "Léa Dubois-Martin");
  gtk_editable_set_text (GTK_EDITABLE (entry_row (GTK_WIDGET (editor), "Tier")), "gold");
  gtk_editable_set_text (GTK_EDITABLE (entry_row (GTK_WIDGET (editor), "Shoe size")), "");
  gtk_editable_set_text (GTK_EDITABLE (entry_row (GTK_WIDGET (editor), "Tags, separated by commas")), "vip, returns ,");
  gtk_editable_set_text (GTK_EDITABLE (entry_row (GTK_WIDGET (editor), "Add an email address or phone number")), " +33 6 12 34 56 78 ");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));

  g_assert_nonnull (saved[0]);
  g_assert_cmpstr (json_object_get_string_member (saved[0], "name"), ==, "Léa Dubois-Martin");
  attributes = json_object_get_object_member (saved[0], "attributes");
  g_assert_cmpstr (json_object_get_string_member (attributes, "language"), ==, "fr");
  g_assert_cmpstr (json_object_get_string_member (attributes, "tier"), ==, "gold");
  g_assert_false (json_object_has_member (attributes, "shoe_size"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (attributes, "purchases")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (attributes, "tags")), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (attributes, "tags"), 1), ==, "returns");
  g_assert_cmpstr (json_object_get_string_member (saved[1], "address"), ==, "+33 6 12 34 56 78");
  json_object_unref (saved[0]);
  json_object_unref (saved[1]);
}

/* The window Parley shows a file in that the desktop's apps must not
 * get, found by its title, or NULL. */
static GtkWindow *
find_refused_window (const char *title)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l; l = l->next)
    if (g_strcmp0 (gtk_window_get_title (l->data), title) == 0 && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

typedef struct
{
  GFile      *opened;
  const char *title;
} Pressed;

static gboolean
pressed_done (gpointer data)
{
  Pressed *pressed = data;

  return pressed->opened != NULL || find_refused_window (pressed->title) != NULL;
}

static char *
label_text_below (GtkWidget *root)
{
  GtkWidget *label = find_of_type (root, GTK_TYPE_LABEL);

  return label ? g_strdup (gtk_label_get_text (GTK_LABEL (label))) : NULL;
}

/* Files as a customer might send them, whatever they are called or claim to
 * be: only pictures, PDF and plain text reach the desktop's apps, named for
 * what their bytes are, in a folder only the agent may enter; web pages,
 * SVG, launchers and scripts are shown as text inside Parley, never
 * handed on; names lose what could hide their real end. */
static void
test_widgets_attachment_types (Fixture *f, gconstpointer data)
{
  static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
  static const char pdf[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  static const char html[] = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n";
  static const struct
  {
    const char *name;       /* as the sender gave it */
    const char *type;       /* as the event declares it; NULL: as the hub found */
    const char *bytes;
    gsize       length;
    const char *shown;      /* the name the button shows */
    const char *saved;      /* the file handed to the desktop; NULL: none */
    const char *kind;       /* what the refusal says it is */
  } files[] = {
#define BYTES(b) b, sizeof (b) - 1
    { "invoice.html", NULL, BYTES ("Invoice 42\nTotal: 12 EUR\n"), "invoice.html", "invoice.txt", NULL },
    { "invoice.html", NULL, BYTES (html), "invoice.html", NULL, "HTML document" },
    { "logo.svg", NULL, BYTES ("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"),
      "logo.svg", NULL, "SVG image" },
    { "report.desktop", NULL, BYTES ("[Desktop Entry]\nType=Application\nName=Report\nExec=sh -c 'touch /tmp/owned'\n"),
      "report.desktop", NULL, "desktop entry" },
    { "run.sh", NULL, BYTES ("#!/bin/sh\ntouch /tmp/owned\n"), "run.sh", NULL, "shell script" },
    { "image.png", "image/png", BYTES (html), "image.png", NULL, "HTML document" },
    { "invoice\u202Efdp.exe", NULL, BYTES (png), "invoicefdp.exe", "invoicefdp.png", NULL },
    { "\u2067.\u2069../../.photo.png", NULL, BYTES (png), "photo.png", "photo.png", NULL },
    { "label.pdf", NULL, BYTES (pdf), "label.pdf", "label.pdf", NULL },
#undef BYTES
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("parley-attach-XXXXXX", &error);
  g_autoptr(ParleyPluginHost) host = parley_plugin_host_new ();
  ParleyUiChannel *api = parley_plugin_host_get_channel (host, "api");
  g_autofree char *messages = NULL;
  g_autofree char *attachments = g_build_filename (g_get_user_cache_dir (), "parley", "attachments", NULL);
  gint64 conversation;
  GStatBuf st;

  g_assert_no_error (error);
  parley_plugin_host_set_client (host, f->client);
  conversation = take_conversation (f, "Here are my files");
  messages = g_strdup_printf ("conversations/%" G_GINT64_FORMAT "/messages", conversation);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, "upload", NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GtkWidget) view = g_object_ref_sink (parley_ui_channel_create_event_view (api));
      g_autofree char *body = NULL;
      g_autofree char *folder = NULL;
      g_autofree char *size = g_format_size (files[i].length);
      g_autofree char *label = g_strdup_printf ("Open “%s”, %s", files[i].shown, size);
      Pressed pressed = { NULL, files[i].shown };
      Answer uploaded, sent;
      JsonObject *attachment;
      GtkWidget *button;

      g_test_message ("%s", files[i].name);
      g_assert_true (g_file_set_contents (path, files[i].bytes, (gssize) files[i].length, &error));
      uploaded = upload (f, conversation, file);
      g_assert_no_error (uploaded.error);
      body = g_strdup_printf ("{\"channel\":\"api\",\"text\":\"A file\",\"attachment\":\"%s\"}",
                              json_object_get_string_member (json_object_get_object_member (uploaded.answer, "attachment"), "id"));
      sent = request (f, "POST", messages, body);
      g_assert_no_error (sent.error);
      attachment = parley_ui_event_get_attachment (json_object_get_object_member (sent.answer, "event"));
      /* The hub took each as what its bytes are (text for every page);
       * what the event says it is called and is comes from the sender. */
      json_object_set_string_member (attachment, "name", files[i].name);
      if (files[i].type)
        json_object_set_string_member (attachment, "type", files[i].type);
      folder = g_build_filename (attachments, json_object_get_string_member (attachment, "id"), NULL);

      parley_ui_channel_bind_event_view (api, view, json_object_get_object_member (sent.answer, "event"));
      button = find_by_accessible_label (view, label);
      g_assert_nonnull (button);
      g_signal_connect (button, "open-file", G_CALLBACK (open_file_cb), &pressed.opened);
      g_signal_emit_by_name (button, "clicked");  /* what a click does */
      g_assert_true (spin_until (pressed_done, &pressed, 10));
      g_assert_true (gtk_widget_get_sensitive (button));
      g_assert_false (gtk_widget_has_css_class (button, "error"));

      if (files[i].saved)
        {
          g_autofree char *basename = g_file_get_basename (pressed.opened);
          g_autofree char *parent = g_path_get_dirname (g_file_peek_path (pressed.opened));
          g_autofree char *saved = NULL;
          gsize length;

          g_assert_cmpstr (basename, ==, files[i].saved);
          g_assert_cmpstr (parent, ==, folder);
          g_assert_true (g_file_get_contents (g_file_peek_path (pressed.opened), &saved, &length, &error));
          g_assert_cmpmem (saved, length, files[i].bytes, files[i].length);
          g_assert_cmpint (g_stat (g_file_peek_path (pressed.opened), &st), ==, 0);
          g_assert_cmpint (st.st_mode & 0777, ==, 0600);
          g_assert_cmpint (g_stat (folder, &st), ==, 0);
          g_assert_cmpint (st.st_mode & 0777, ==, 0700);
          g_assert_cmpint (g_stat (attachments, &st), ==, 0);
          g_assert_cmpint (st.st_mode & 0777, ==, 0700);
          g_assert_true (g_file_delete (pressed.opened, NULL, NULL));
          g_rmdir (folder);
          g_clear_object (&pressed.opened);
        }
      else
        {
          GtkWindow *window = find_refused_window (files[i].shown);
          GtkWidget *text = find_of_type (GTK_WIDGET (window), GTK_TYPE_TEXT_VIEW);
          g_autofree char *notice = label_text_below (gtk_window_get_child (window));
          g_autofree char *contents = NULL;
          g_autofree char *contents_label = g_strdup_printf ("Contents of “%s”", files[i].shown);
          GtkTextIter start, end;

          /* Nothing reached the desktop or the cache. */
          g_assert_null (pressed.opened);
          g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
          /* The window says what the file is, and shows it as text. */
          g_assert_nonnull (strstr (notice, files[i].kind));
          g_assert_nonnull (text);
          g_assert_true (text == find_by_accessible_label (GTK_WIDGET (window), contents_label));
          gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text)), &start, &end);
          contents = gtk_text_iter_get_text (&start, &end);
          g_assert_cmpmem (contents, strlen (contents), files[i].bytes, files[i].length);
          g_assert_nonnull (find_by_accessible_label (gtk_window_get_titlebar (window), "Save As…"));
          gtk_window_destroy (window);
        }
      g_clear_pointer (&uploaded.answer, json_object_unref);
      g_clear_pointer (&sent.answer, json_object_unref);
      g_unlink (path);
    }
  /* Whoever asks the button to open a file, a kind not on the list is
   * not handed on. */
  {
    g_autoptr(GtkWidget) button = g_object_ref_sink (parley_ui_attachment_button_new ());
    g_autoptr(GFile) page = g_file_new_for_path ("/nonexistent/invoice.html");
    gboolean handled = FALSE;

    g_signal_emit_by_name (button, "open-file", page, &handled);
    g_assert_true (handled);
    g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "This kind of file is not opened with other apps");
    g_assert_true (gtk_widget_has_css_class (button, "error"));
  }
  parley_plugin_host_set_client (host, NULL);
  g_rmdir (dir);
}

/* ---- desktop plugins ----------------------------------------------------- */

static void
test_plugins_python (void)
{
  g_autoptr(ParleyPluginHost) host = parley_plugin_host_new ();
  g_autoptr(JsonObject) event = json_object_new ();
  ParleyUiChannel *echo = parley_plugin_host_get_channel (host, "pyecho");
  ParleyUiChannel *api = parley_plugin_host_get_channel (host, "api");
  GtkWidget *view, *composer;
  g_autofree char *draft = NULL;

  /* The Python plugin serves its channel ... */
  g_assert_false (PARLEY_UI_IS_TEXT_CHANNEL (echo));
  g_assert_cmpstr (parley_ui_channel_get_kind (echo), ==, "pyecho");
  g_assert_cmpstr (parley_ui_channel_get_title (echo), ==, "Echo");
  json_object_set_string_member (event, "text", "<b>hi</b>");
  view = g_object_ref_sink (parley_ui_channel_create_event_view (echo));
  g_assert_true (GTK_IS_LABEL (view));
  parley_ui_channel_bind_event_view (echo, view, event);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (view)), ==, "echo: <b>hi</b>");
  g_object_unref (view);
  composer = g_object_ref_sink (parley_ui_channel_create_composer (echo));
  g_assert_true (PARLEY_UI_IS_COMPOSER (composer));
  parley_ui_composer_insert_text (PARLEY_UI_COMPOSER (composer), "typed");
  draft = parley_ui_composer_dup_text (PARLEY_UI_COMPOSER (composer));
  g_assert_cmpstr (draft, ==, "typed");
  g_object_unref (composer);

  /* Its customer action reaches the customer menu aimed at the customer
   * shown, and its status item says what the action did. */
  {
    g_autoptr(GMenu) section = g_menu_new ();
    g_autoptr(GPtrArray) items = parley_plugin_host_create_status_items (host);
    g_autofree char *label = NULL;
    g_autofree char *action = NULL;
    g_autoptr(GVariant) target = NULL;

    parley_plugin_host_fill_customer_menu (host, section, 42);
    g_assert_cmpint (g_menu_model_get_n_items (G_MENU_MODEL (section)), ==, 1);
    g_assert_true (g_menu_model_get_item_attribute (G_MENU_MODEL (section), 0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
    g_assert_cmpstr (label, ==, "Ping Customer");
    g_assert_true (g_menu_model_get_item_attribute (G_MENU_MODEL (section), 0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
    g_assert_cmpstr (action, ==, "pyecho.ping");
    target = g_menu_model_get_item_attribute_value (G_MENU_MODEL (section), 0, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_INT64);
    g_assert_cmpint (g_variant_get_int64 (target), ==, 42);
    g_assert_cmpuint (items->len, ==, 1);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (g_ptr_array_index (items, 0))), ==, "Echo ready");
    g_action_group_activate_action (parley_ui_channel_get_actions (echo), "ping", target);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (g_ptr_array_index (items, 0))), ==, "Pinged customer 42");
  }

  /* ... and channels without a plugin get the generic plain-text one,
   * titled as the hub declares them: with no hub here, by their kind. */
  g_assert_true (PARLEY_UI_IS_TEXT_CHANNEL (api));
  g_assert_cmpstr (parley_ui_channel_get_title (api), ==, "api");
  g_assert_true (api == parley_plugin_host_get_channel (host, "api"));
}

/* The chat plugin is C, loaded by the same engine: the bubble, and the
 * page the visitor wrote from as plain text. */
static void
test_plugins_c_chat (void)
{
  g_autoptr(ParleyPluginHost) host = parley_plugin_host_new ();
  g_autoptr(JsonObject) event = json_object_new ();
  JsonObject *metadata = json_object_new ();
  JsonObject *attachment = json_object_new ();
  ParleyUiChannel *chat = parley_plugin_host_get_channel (host, "chat");
  GtkWidget *view, *page, *button;

  g_assert_false (PARLEY_UI_IS_TEXT_CHANNEL (chat));
  g_assert_cmpstr (parley_ui_channel_get_kind (chat), ==, "chat");
  json_object_set_string_member (event, "channel", "chat");
  json_object_set_string_member (event, "kind", "message");
  json_object_set_string_member (event, "direction", "in");
  json_object_set_string_member (event, "text", "Is it <i>in stock</i>?");
  json_object_set_string_member (metadata, "page_title", "Kettles <script>alert(1)</script>");
  json_object_set_string_member (metadata, "page_url", "https://shop.example/kettles?a=1&b=2");
  json_object_set_object_member (event, "metadata", metadata);

  view = g_object_ref_sink (parley_ui_channel_create_event_view (chat));
  parley_ui_channel_bind_event_view (chat, view, event);
  page = gtk_widget_get_last_child (view);
  g_assert_true (GTK_IS_LABEL (page));
  g_assert_true (gtk_widget_get_visible (page));
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (page)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (page)), ==,
                   "On “Kettles <script>alert(1)</script>” · https://shop.example/kettles?a=1&b=2");

  /* A file shows as every channel's does: the one button libparley-ui
   * has for it, inside the message's bubble. */
  json_object_set_string_member (attachment, "id", "f00d");
  json_object_set_string_member (attachment, "name", "receipt <1>.png");
  json_object_set_string_member (attachment, "type", "image/png");
  json_object_set_int_member (attachment, "size", 70);
  json_object_set_object_member (metadata, "attachment", attachment);
  parley_ui_channel_bind_event_view (chat, view, event);
  button = find_by_accessible_label (view, "Open “receipt <1>.png”, 70 bytes");
  g_assert_true (PARLEY_UI_IS_ATTACHMENT_BUTTON (button));
  g_assert_true (gtk_widget_is_ancestor (button, gtk_widget_get_first_child (view)));
  g_assert_true (PARLEY_UI_IS_EVENT_VIEW (gtk_widget_get_first_child (view)));

  /* A message without a page or a file shows neither. */
  json_object_remove_member (event, "metadata");
  parley_ui_channel_bind_event_view (chat, view, event);
  g_assert_false (gtk_widget_get_visible (page));
  g_assert_false (gtk_widget_get_visible (button));
  g_object_unref (view);
}

/* A queued conversation for the sidebar, from @name saying @text. */
static JsonObject *
queued_conversation (gint64      id,
                     const char *name,
                     const char *text)
{
  JsonObject *conversation = json_object_new ();
  JsonObject *last = json_object_new ();

  json_object_set_int_member (conversation, "id", id);
  json_object_set_string_member (conversation, "state", "queued");
  json_object_set_string_member (conversation, "channel", "email");
  json_object_set_string_member (conversation, "customer_name", name);
  json_object_set_int_member (conversation, "created", g_get_real_time ());
  json_object_set_string_member (last, "text", text);
  json_object_set_object_member (conversation, "last_event", last);
  return conversation;
}

/* The sidebar keeps one width whatever its rows say: long names and
 * messages are cut, never shown by widening it (it jumped between 327 and
 * 474 px as rows changed). */
static void
test_widgets_sidebar_width (void)
{
  GtkWidget *sidebar = g_object_ref_sink (g_object_new (PARLEY_TYPE_SIDEBAR, NULL));
  GtkWidget *window = gtk_window_new ();
  g_autoptr(JsonObject) short_row = queued_conversation (1, "Al", "Hi");
  g_autoptr(JsonObject) long_row = NULL;
  g_autoptr(GString) long_text = g_string_new (NULL);
  /* the app's own style, as AdwApplication loads it */
  g_autoptr(GtkCssProvider) style = gtk_css_provider_new ();
  GtkWidget *header, *state, *reason;
  int minimum, short_natural, long_natural, header_height;

  gtk_css_provider_load_from_resource (style, "/org/parley/Parley/style.css");

  gtk_window_set_child (GTK_WINDOW (window), sidebar);
  g_assert_nonnull (parley_sidebar_place (PARLEY_SIDEBAR (sidebar), short_row));
  gtk_widget_measure (sidebar, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &short_natural, NULL, NULL);

  for (int i = 0; i < 40; i++)
    g_string_append (long_text, "where is the parcel I ordered last week ");
  long_row = queued_conversation (2, "Maximiliane Alexandra von Hohenzollern-Sigmaringen-Brandenburg", long_text->str);
  g_assert_nonnull (parley_sidebar_place (PARLEY_SIDEBAR (sidebar), long_row));
  gtk_widget_measure (sidebar, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &long_natural, NULL, NULL);

  g_assert_cmpint (short_natural, ==, PARLEY_SIDEBAR_WIDTH);
  g_assert_cmpint (long_natural, ==, PARLEY_SIDEBAR_WIDTH);
  g_assert_cmpint (minimum, ==, PARLEY_SIDEBAR_WIDTH);

  /* The longest status the desktop shows (German: "Abwesend" and below
   * it "Angebot verpasst") fits in the header, which keeps the height of
   * the conversation's beside it; the window's controls are there, as
   * when the window is wide enough for both panes. */
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (style),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set (sidebar, "show-end-title-buttons", FALSE, NULL);
  header = find_of_type (sidebar, ADW_TYPE_HEADER_BAR);
  gtk_widget_measure (header, GTK_ORIENTATION_VERTICAL, PARLEY_SIDEBAR_WIDTH, &header_height, NULL, NULL, NULL);
  state = find_of_type (find_of_type (sidebar, PARLEY_TYPE_PRESENCE_BUTTON), GTK_TYPE_LABEL);
  reason = gtk_widget_get_next_sibling (state);
  gtk_label_set_text (GTK_LABEL (state), "Abwesend");
  gtk_label_set_text (GTK_LABEL (reason), "Angebot verpasst");
  gtk_widget_set_visible (reason, TRUE);
  gtk_widget_add_css_class (find_of_type (sidebar, GTK_TYPE_MENU_BUTTON), "with-reason");
  gtk_widget_measure (sidebar, GTK_ORIENTATION_VERTICAL, PARLEY_SIDEBAR_WIDTH, &minimum, NULL, NULL, NULL);
  gtk_widget_size_allocate (sidebar, &(GtkAllocation) { 0, 0, PARLEY_SIDEBAR_WIDTH, MAX (minimum, 600) }, -1);
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (state))));
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (reason))));
  g_assert_cmpint (gtk_widget_get_height (header), ==, header_height);
  gtk_style_context_remove_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (style));
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (sidebar);
}

/* ---- the wallboard read across a room ------------------------------------ */

/* On a 1920×1080 and a 1366×768 screen (less a header bar), every figure
 * is at least 5 % of the screen's height, shown whole ("1 min 49 s" at
 * its widest), larger on the larger screen, and the tiles take the room
 * the queue table (as tall as its rows) leaves. */
static void
test_wallboard_figure_sizes (void)
{
  static const struct
  {
    int width;
    int height;
  } screens[] = { { 1920, 1080 }, { 1366, 768 } };
  const int header_bar = 47;
  GtkWidget *board = g_object_ref_sink (g_object_new (PARLEY_TYPE_WALLBOARD, NULL));
  GtkWidget *table = find_of_type (board, GTK_TYPE_COLUMN_VIEW);
  int previous = G_MAXINT;

  g_assert_nonnull (table);
  for (guint i = 0; i < G_N_ELEMENTS (screens); i++)
    {
      int height = screens[i].height - header_bar, minimum;
      GtkWidget *tile = find_of_type (board, PARLEY_TYPE_METRIC_TILE);
      GtkWidget *tiles = gtk_widget_get_parent (tile);
      GtkWidget *value = parley_metric_tile_get_value_label (PARLEY_METRIC_TILE (tile));
      int size, shown = 0;
      PangoRectangle logical;
      graphene_rect_t bounds;

      for (GtkWidget *child = gtk_widget_get_first_child (tiles); child; child = gtk_widget_get_next_sibling (child))
        parley_metric_tile_set_value (PARLEY_METRIC_TILE (child), "59 min 59 s", NULL);
      gtk_widget_measure (board, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      g_assert_cmpint (minimum, <=, screens[i].width);
      gtk_widget_measure (board, GTK_ORIENTATION_VERTICAL, screens[i].width, &minimum, NULL, NULL, NULL);
      g_assert_cmpint (minimum, <=, height);
      gtk_widget_size_allocate (board, &(GtkAllocation) { 0, 0, screens[i].width, height }, -1);

      size = parley_metric_tile_get_figure_size (PARLEY_METRIC_TILE (tile));
      pango_layout_get_pixel_extents (gtk_label_get_layout (GTK_LABEL (value)), NULL, &logical);
      g_assert_true (gtk_widget_compute_bounds (value, board, &bounds));
      g_test_message ("%d×%d: figures %d px (%.1f %% of the height), lines %d px, \"59 min 59 s\" %d px wide "
                      "ending at %.0f; tiles %d px high, table %d px",
                      screens[i].width, screens[i].height, size, 100.0 * size / screens[i].height, logical.height,
                      logical.width, bounds.origin.x + logical.width, gtk_widget_get_height (tiles),
                      gtk_widget_get_height (table));
      g_assert_cmpint (size * 20, >=, screens[i].height);
      g_assert_cmpint (logical.height * 20, >=, screens[i].height);
      g_assert_cmpint (size, <, previous);
      previous = size;
      /* Every figure whole, inside the board. */
      for (GtkWidget *child = gtk_widget_get_first_child (tiles); child; child = gtk_widget_get_next_sibling (child), shown++)
        {
          GtkWidget *label = parley_metric_tile_get_value_label (PARLEY_METRIC_TILE (child));

          g_assert_true (gtk_widget_compute_bounds (label, board, &bounds));
          g_assert_cmpfloat (bounds.size.width, >=, logical.width);
          g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, screens[i].width);
          g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, height);
        }
      g_assert_cmpint (shown, ==, 16);
      g_assert_cmpint (gtk_widget_get_height (tiles), >, height / 2);
      g_assert_cmpint (gtk_widget_get_height (table), <, height / 5);
    }
  g_object_unref (board);
}

/* Durations read as durations, never as a time of day ("1:49"), and a
 * day as the locale writes it, never "12/05/26". */
static void
test_figures_durations_and_days (void)
{
  static const struct
  {
    gint64      ms;
    const char *text;
  } durations[] = {
    { 0, "0 s" }, { 42400, "42 s" }, { 60000, "1 min" }, { 109000, "1 min 49 s" },
    { 3599000, "59 min 59 s" }, { 3600000, "1 h" }, { 7500000, "2 h 5 min" },
  };
  g_autoptr(GDateTime) past = g_date_time_new_local (2026, 12, 5, 9, 13, 0);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = parley_figures_format_day (past);
  g_autofree char *today = parley_figures_format_day (now);
  g_autofree char *expected_today = g_date_time_format (now, "Today %H:%M");

  for (guint i = 0; i < G_N_ELEMENTS (durations); i++)
    {
      g_autofree char *text = parley_figures_format_duration (durations[i].ms);

      g_assert_cmpstr (text, ==, durations[i].text);
    }
  if (g_date_time_get_year (now) != 2026 || g_date_time_get_day_of_year (now) != g_date_time_get_day_of_year (past))
    g_assert_cmpstr (day, ==, "5 Dec 2026");
  g_assert_cmpstr (today, ==, expected_today);
}

static void
live_item_counted_cb (GObject  *object,
                      gpointer  user_data)
{
  (*(int *) user_data)++;
}

static void
live_item_notified_cb (GObject    *object,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  (*(int *) user_data)++;
}

/* A live row is a typed item: the hub's agent becomes properties, a fresh
 * record that changes nothing redraws nothing, and a new state with its
 * reason notifies those two properties, and the row's cells of each. */
static void
test_live_agent_typed (void)
{
  g_autoptr(ParleyLiveStore) store = parley_live_store_new (PARLEY_TYPE_LIVE_AGENT);
  static const char record[] = "{\"id\":7,\"name\":\"Bob Okafor\",\"login\":\"bob\",\"presence\":\"away\","
                               "\"reason\":\"Lunch\",\"presence_since\":5,\"skills\":{\"billing\":3}}";
  g_autoptr(JsonObject) agent = parley_json_parse_object (record, strlen (record), "An agent", NULL);
  g_autoptr(JsonObject) again = json_object_ref (agent);
  ParleyLiveAgent *row = parley_live_agent_new ("7");
  g_autofree char *presence = NULL;
  int changed = 0, presence_notified = 0;

  g_assert_nonnull (agent);
  parley_live_agent_update (row, agent, NULL);
  parley_live_store_add (store, PARLEY_LIVE_ITEM (row));
  g_assert_true (parley_live_store_lookup (store, "7") == PARLEY_LIVE_ITEM (row));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == PARLEY_TYPE_LIVE_AGENT);
  g_object_get (row, "presence", &presence, NULL);
  g_assert_cmpstr (presence, ==, "away");
  g_assert_cmpstr (parley_live_agent_get_reason (row), ==, "Lunch");
  g_assert_cmpint (parley_live_agent_get_presence_since (row), ==, 5);
  g_assert_cmpint (json_object_get_int_member (parley_live_agent_get_skills (row), "billing"), ==, 3);

  g_signal_connect (row, "changed", G_CALLBACK (live_item_counted_cb), &changed);
  g_signal_connect (row, "notify::presence", G_CALLBACK (live_item_notified_cb), &presence_notified);
  parley_live_agent_update (row, again, NULL);
  g_assert_cmpint (changed, ==, 0);
  json_object_set_string_member (again, "presence", "available");
  json_object_set_null_member (again, "reason");
  parley_live_agent_update (row, again, NULL);
  g_assert_cmpint (presence_notified, ==, 1);
  g_assert_cmpstr (parley_live_agent_get_presence (row), ==, "available");
  g_assert_null (parley_live_agent_get_reason (row));
  g_assert_cmpint (changed, ==, 2);
}

/* ---- connector health --------------------------------------------------- */

static JsonObject *
connector_json (const char *name,
                const char *state,
                const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("{\"channel\":\"email\",\"name\":\"%s\",\"state\":\"%s\","
                                           "\"message\":\"%s\",\"next_attempt\":0}", name, state, message);
  JsonObject *object = parley_json_parse_object (text, strlen (text), "connector", &error);

  g_assert_no_error (error);
  return object;
}

/* The bar shows while a connector is down, says which and why, and goes
 * when it is back. */
static void
test_connector_bar (void)
{
  GtkWidget *bar = g_object_ref_sink (g_object_new (PARLEY_TYPE_CONNECTOR_BAR, NULL));
  GtkRevealer *revealer = GTK_REVEALER (find_of_type (bar, GTK_TYPE_REVEALER));
  GtkLabel *label = GTK_LABEL (find_of_type (bar, GTK_TYPE_LABEL));
  g_autoptr(JsonObject) sales_down = connector_json ("sales@example.com (IMAP)", "failed", "Connection refused");
  g_autoptr(JsonObject) support_down = connector_json ("support@example.com (IMAP)", "failed", "Login failed");
  g_autoptr(JsonObject) sales_up = connector_json ("sales@example.com (IMAP)", "connected", "");
  g_autoptr(JsonObject) support_up = connector_json ("support@example.com (IMAP)", "connected", "");

  parley_connector_bar_update (PARLEY_CONNECTOR_BAR (bar), sales_up);
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
  parley_connector_bar_update (PARLEY_CONNECTOR_BAR (bar), sales_down);
  g_assert_true (gtk_revealer_get_reveal_child (revealer));
  g_assert_cmpstr (gtk_label_get_text (label), ==, "sales@example.com (IMAP) is down: Connection refused.");
  parley_connector_bar_update (PARLEY_CONNECTOR_BAR (bar), support_down);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (label), "2 connections are down. "));
  parley_connector_bar_update (PARLEY_CONNECTOR_BAR (bar), sales_up);
  g_assert_cmpstr (gtk_label_get_text (label), ==, "support@example.com (IMAP) is down: Login failed.");
  parley_connector_bar_update (PARLEY_CONNECTOR_BAR (bar), support_up);
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
  g_object_unref (bar);
}

/* A message that did not go out says why, as the channel said it, when
 * the pointer rests on its state (the reason is plain text, never
 * markup); one delivered says nothing more. */
static void
test_widgets_delivery_reason (void)
{
  g_autoptr(JsonObject) event = json_object_new ();
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autoptr(GtkWidget) view = g_object_ref_sink (parley_ui_event_view_new ());
  GtkLabel *meta;

  json_object_set_int_member (event, "id", 1);
  json_object_set_string_member (event, "kind", "message");
  json_object_set_string_member (event, "direction", "out");
  json_object_set_string_member (event, "channel", "email");
  json_object_set_string_member (event, "text", "Your order shipped");
  json_object_set_string_member (event, "delivery", "failed");
  json_object_set_int_member (event, "created", g_get_real_time ());
  json_object_set_string_member (metadata, "delivery_error", "No such <b>mailbox</b>");
  json_object_set_object_member (event, "metadata", json_object_ref (metadata));
  parley_ui_event_view_set_event (PARLEY_UI_EVENT_VIEW (view), event);
  meta = first_label (view, "not delivered");
  g_assert_nonnull (meta);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (meta)), ==, "No such <b>mailbox</b>");
  g_assert_cmpstr (gtk_widget_get_tooltip_markup (GTK_WIDGET (meta)), ==, "No such &lt;b&gt;mailbox&lt;/b&gt;");

  json_object_set_string_member (event, "delivery", "delivered");
  json_object_remove_member (metadata, "delivery_error");
  parley_ui_event_view_set_event (PARLEY_UI_EVENT_VIEW (view), event);
  meta = first_label (view, "delivered");
  g_assert_nonnull (meta);
  g_assert_null (gtk_widget_get_tooltip_text (GTK_WIDGET (meta)));
}

int
main (int argc, char *argv[])
{
  g_autofree char *cache = g_dir_make_tmp ("parley-test-cache-XXXXXX", NULL);
  int status;

  /* Files the timeline downloads land here, not in the user's cache. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/desktop/client/requests", Fixture, NULL, fixture_setup, test_client_requests, fixture_teardown);
  g_test_add ("/desktop/client/upload", Fixture, NULL, fixture_setup, test_client_upload, fixture_teardown);
  g_test_add ("/desktop/client/pushes-and-reconnects", Fixture, NULL, fixture_setup, test_client_pushes_and_reconnects, fixture_teardown);
  g_test_add ("/desktop/client/tls/system-trust", TlsFixture, NULL, tls_fixture_setup, test_tls_system_trust, tls_fixture_teardown);
  g_test_add ("/desktop/client/tls/system-trust-other-name", TlsFixture, "DNS:hub.example.com", tls_fixture_setup,
              test_tls_system_trust, tls_fixture_teardown);
  g_test_add ("/desktop/client/tls/pinned", TlsFixture, NULL, tls_fixture_setup, test_tls_pinned, tls_fixture_teardown);
  g_test_add ("/desktop/client/tls/pinned-other-name", TlsFixture, "DNS:hub.example.com", tls_fixture_setup,
              test_tls_pinned, tls_fixture_teardown);
  g_test_add ("/desktop/client/unencrypted", Fixture, NULL, fixture_setup, test_tls_unencrypted, fixture_teardown);
  g_test_add ("/desktop/timeline/pages", Fixture, NULL, fixture_setup, test_model_pages, fixture_teardown);
  g_test_add ("/desktop/timeline/filters-and-pushes", Fixture, NULL, fixture_setup, test_model_filters_and_pushes, fixture_teardown);
  g_test_add_func ("/desktop/widgets/plain-text", test_widgets_plain_text);
  g_test_add_func ("/desktop/widgets/bubble-sides", test_widgets_bubble_sides);
  g_test_add_func ("/desktop/widgets/sidebar-width", test_widgets_sidebar_width);
  g_test_add ("/desktop/widgets/attachment", Fixture, NULL, fixture_setup, test_widgets_attachment, fixture_teardown);
  g_test_add ("/desktop/customer/suggested-match", Fixture, "desk-shop", fixture_setup, test_customer_view_match, fixture_teardown);
  g_test_add ("/desktop/widgets/attachment-types", Fixture, NULL, fixture_setup, test_widgets_attachment_types, fixture_teardown);
  g_test_add_func ("/desktop/wallboard/figure-sizes", test_wallboard_figure_sizes);
  g_test_add_func ("/desktop/figures/durations-and-days", test_figures_durations_and_days);
  g_test_add_func ("/desktop/live/agent-typed", test_live_agent_typed);
  g_test_add_func ("/desktop/supervision/connector-bar", test_connector_bar);
  g_test_add_func ("/desktop/plugins/python", test_plugins_python);
  g_test_add_func ("/desktop/plugins/c-chat", test_plugins_c_chat);
  g_test_add_func ("/desktop/channel-directory", test_channel_directory);
  g_test_add_func ("/desktop/widgets/records", test_widgets_records);
  g_test_add_func ("/desktop/widgets/day-headings", test_widgets_day_headings);
  g_test_add_func ("/desktop/customer/editor", test_customer_editor);
  g_test_add_func ("/desktop/widgets/delivery-reason", test_widgets_delivery_reason);
  g_test_add ("/desktop/customer/layout", Fixture, NULL, fixture_setup, test_customer_view_layout, fixture_teardown);
  status = g_test_run ();
  remove_tree (cache);
  return status;
}
