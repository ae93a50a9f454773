/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The hub over TLS: a real parleyd with a certificate the test makes with
 * openssl, serving HTTPS only, taking a new certificate without a restart
 * (when the files change, and on SIGHUP), keeping the one in use when the
 * new files are broken, and refusing plain HTTP on a public address. */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>

#include "parley-test-hub.h"

#define RELOAD_WAIT_SECONDS 10

/* A self-signed certificate for 127.0.0.1 and its key, written over
 * @dir/cert.pem and @dir/key.pem at once (renamed into place, as tools that
 * renew certificates do). */
static GTlsCertificate *
make_certificate (const char *dir)
{
  g_autofree char *cert = g_build_filename (dir, "new-cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "new-key.pem", NULL);
  g_autofree char *cert_in_place = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key_in_place = g_build_filename (dir, "key.pem", NULL);
  const char *argv[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                         "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                         "-addext", "subjectAltName=IP:127.0.0.1", NULL };
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_rename (key, key_in_place), ==, 0);
  g_assert_cmpint (g_rename (cert, cert_in_place), ==, 0);
  return certificate;
}

static gboolean
accept_any_cb (GTlsConnection       *connection,
               GTlsCertificate      *peer,
               GTlsCertificateFlags  errors,
               gpointer              user_data)
{
  return TRUE;  /* the test compares the certificate itself */
}

/* A TLS connection to the hub, whatever its certificate. */
static GIOStream *
tls_connect (ParleyTestHub *hub)
{
  g_autoptr(GUri) uri = g_uri_parse (hub->base, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) tcp = NULL;
  g_autoptr(GError) error = NULL;
  GIOStream *tls;

  g_socket_client_set_timeout (client, 10);
  tcp = g_socket_client_connect_to_host (client, g_uri_get_host (uri), g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  tls = g_tls_client_connection_new (G_IO_STREAM (tcp), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_any_cb), NULL);
  g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error);
  g_assert_no_error (error);
  return tls;
}

/* Whether a new connection sees @expected. */
static gboolean
serves (ParleyTestHub   *hub,
        GTlsCertificate *expected)
{
  g_autoptr(GIOStream) tls = tls_connect (hub);

  return g_tls_certificate_is_same (g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (tls)), expected);
}

static gboolean
wait_until_served (ParleyTestHub   *hub,
                   GTlsCertificate *expected)
{
  gint64 give_up = g_get_monotonic_time () + RELOAD_WAIT_SECONDS * G_USEC_PER_SEC;

  while (!serves (hub, expected))
    {
      if (g_get_monotonic_time () > give_up)
        return FALSE;
      g_usleep (100 * 1000);
    }
  return TRUE;
}

/* GET /api/v1/health on @stream; the whole answer. */
static char *
health_over (GIOStream *stream)
{
  static const char request[] = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  g_autoptr(GError) error = NULL;
  char buffer[2048] = "";
  gsize got = 0;

  g_output_stream_write_all (g_io_stream_get_output_stream (stream), request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  while (got < sizeof buffer - 1 && !strstr (buffer, "\"status\":\"ok\""))
    {
      gssize n = g_input_stream_read (g_io_stream_get_input_stream (stream), buffer + got, sizeof buffer - 1 - got,
                                      NULL, &error);

      g_assert_no_error (error);
      if (n <= 0)
        break;
      got += n;
      buffer[got] = '\0';
    }
  return g_strdup (buffer);
}

static void
test_reload (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autofree char *cert_path = g_build_filename (hub->data_dir, "cert.pem", NULL);
  g_autofree char *key_path = g_build_filename (hub->data_dir, "key.pem", NULL);
  g_autofree char *config = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *later = NULL;
  g_autoptr(GTlsCertificate) first = make_certificate (hub->data_dir);
  g_autoptr(GTlsCertificate) second = NULL;
  g_autoptr(GTlsCertificate) third = NULL;
  g_autoptr(GIOStream) kept = NULL;
  g_autoptr(GError) error = NULL;

  config = g_strdup_printf ("[hub]\nwrap-up=0\npassword-strength=min\ntls-certificate=%s\ntls-key=%s\n", cert_path, key_path);
  g_file_set_contents (hub->config_path, config, -1, &error);
  g_assert_no_error (error);
  parley_test_hub_start (hub);
  g_assert_true (g_str_has_prefix (hub->base, "https://127.0.0.1:"));

  kept = tls_connect (hub);
  g_assert_true (g_tls_certificate_is_same (g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (kept)), first));
  answer = health_over (kept);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200"));

  /* New files: new connections get them, without a restart or a signal. */
  second = make_certificate (hub->data_dir);
  g_assert_false (g_tls_certificate_is_same (first, second));
  g_assert_true (wait_until_served (hub, second));
  /* The connection made before goes on with the certificate it had. */
  later = health_over (kept);
  g_assert_true (g_str_has_prefix (later, "HTTP/1.1 200"));

  /* Broken files are not taken: the hub keeps the certificate in use. */
  g_file_set_contents (cert_path, "-----BEGIN CERTIFICATE-----\nbroken\n", -1, &error);
  g_assert_no_error (error);
  g_subprocess_send_signal (hub->process, SIGHUP);
  g_usleep (1200 * 1000);  /* the file monitor's wait too */
  g_assert_true (serves (hub, second));

  /* SIGHUP reads them again. */
  third = make_certificate (hub->data_dir);
  g_subprocess_send_signal (hub->process, SIGHUP);
  g_assert_true (wait_until_served (hub, third));
  parley_test_hub_free (hub);
}

/* Only TLS is spoken where a certificate is configured, and a client that
 * never finishes its handshake is closed after header-timeout. */
static void
test_tls_only (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autofree char *cert_path = g_build_filename (hub->data_dir, "cert.pem", NULL);
  g_autofree char *key_path = g_build_filename (hub->data_dir, "key.pem", NULL);
  g_autoptr(GTlsCertificate) certificate = make_certificate (hub->data_dir);
  g_autofree char *config = g_strdup_printf ("[hub]\nheader-timeout=2\ntls-certificate=%s\ntls-key=%s\n",
                                             cert_path, key_path);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) silent = NULL;
  gint64 start;
  gssize got;
  char byte;
  g_autofree char *plain = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 5, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;

  g_file_set_contents (hub->config_path, config, -1, &error);
  g_assert_no_error (error);
  parley_test_hub_start (hub);
  plain = g_strconcat ("http://", hub->base + strlen ("https://"), "/api/v1/health", NULL);
  msg = soup_message_new ("GET", plain);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_nonnull (error);
  g_assert_null (body);

  uri = g_uri_parse (hub->base, G_URI_FLAGS_NONE, NULL);
  silent = g_socket_client_connect_to_host (client, g_uri_get_host (uri), g_uri_get_port (uri), NULL, NULL);
  g_assert_nonnull (silent);
  g_socket_set_timeout (g_socket_connection_get_socket (silent), 10);
  start = g_get_monotonic_time ();
  got = g_socket_receive (g_socket_connection_get_socket (silent), &byte, 1, NULL, NULL);
  g_assert_cmpint (got, <=, 0);
  g_assert_cmpint (g_get_monotonic_time () - start, >, G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  parley_test_hub_free (hub);
}

/* Plain HTTP only on loopback, unless a proxy in front does TLS. */
static void
test_plaintext_needs_loopback (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  const char *argv[] = { g_getenv ("PARLEYD"), "--data-dir", hub->data_dir, "--listen", "0.0.0.0:0",
                         "--config", hub->config_path, NULL };
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "Plain HTTP is for loopback addresses"));
  parley_test_hub_free (hub);
}

int
main (int   argc,
      char *argv[])
{
  parley_test_init (&argc, &argv);
  g_test_add_func ("/hub/tls/reload", test_reload);
  g_test_add_func ("/hub/tls/tls-only", test_tls_only);
  g_test_add_func ("/hub/tls/plaintext-needs-loopback", test_plaintext_needs_loopback);
  return g_test_run ();
}
