/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every kind of hostile client at once, from another loopback address,
 * while customers write in: the hub keeps answering its health probe, and
 * after kill -9 every message it acknowledged is still there. */
#include "config.h"

#include <signal.h>

#include "parley-test-hub.h"

#define ATTACKER_ADDRESS  "127.0.0.2"
#define HELD_PARTIAL      200
#define DEEP_LEVELS       100000
#define HEALTH_EVERY_MS   20
#define HEALTH_P99_MAX_MS 1000.0  /* a load balancer's health check gives up after a second or two */

typedef struct
{
  GInetSocketAddress *hub_address;
  GCancellable       *stop;
  GThread            *thread;
  guint               partial_held;
  guint               requests_sent;   /* complete hostile requests */
} Attack;

/* A blocking TCP connection to the hub from the attacker's own address. */
static GSocket *
attacker_connect (Attack *attack)
{
  g_autoptr(GInetAddress) local = g_inet_address_new_from_string (ATTACKER_ADDRESS);
  g_autoptr(GSocketAddress) bind_to = g_inet_socket_address_new (local, 0);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);

  if (socket == NULL || !g_socket_bind (socket, bind_to, TRUE, NULL))
    return NULL;
  g_socket_set_timeout (socket, 5);
  if (!g_socket_connect (socket, G_SOCKET_ADDRESS (attack->hub_address), NULL, NULL))
    return NULL;
  return g_steal_pointer (&socket);
}

/* Sends one whole request and reads whatever comes back until the hub
 * closes or 5 s pass: a hostile request is never answered with a crash. */
static void
attacker_request (Attack     *attack,
                  const char *path,
                  const char *extra_header,
                  const char *body)
{
  g_autoptr(GSocket) socket = attacker_connect (attack);
  g_autofree char *head = NULL;
  char buffer[4096];

  if (socket == NULL)
    return;
  head = g_strdup_printf ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                          "%sContent-Length: %zu\r\nConnection: close\r\n\r\n",
                          path, extra_header, strlen (body));
  if (g_socket_send_with_blocking (socket, head, strlen (head), TRUE, NULL, NULL) < 0 ||
      g_socket_send_with_blocking (socket, body, strlen (body), TRUE, NULL, NULL) < 0)
    return;
  while (g_socket_receive_with_blocking (socket, buffer, sizeof buffer, TRUE, NULL, NULL) > 0)
    ;
  attack->requests_sent++;
}

static char *
deep_json (void)
{
  GString *text = g_string_new ("{\"login\":");

  for (guint i = 0; i < DEEP_LEVELS; i++)
    g_string_append_c (text, '[');
  return g_string_free (text, FALSE);
}

static gpointer
attack_thread (gpointer user_data)
{
  Attack *attack = user_data;
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *deep = deep_json ();
  const char *partial = "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le";

  /* Requests that never finish, each holding a descriptor of the hub's. */
  for (guint i = 0; i < HELD_PARTIAL && !g_cancellable_is_cancelled (attack->stop); i++)
    {
      GSocket *socket = attacker_connect (attack);

      if (socket == NULL)
        continue;
      g_socket_send_with_blocking (socket, partial, strlen (partial), TRUE, NULL, NULL);
      g_ptr_array_add (held, socket);
      attack->partial_held++;
    }
  while (!g_cancellable_is_cancelled (attack->stop))
    {
      attacker_request (attack, "/api/v1/auth/login", "", deep);
      attacker_request (attack, "/api/v1/channels/api/inbound", "X-Parley-Key: " PARLEY_TEST_API_KEY "\r\n", deep);
      attacker_request (attack, "/api/v1/channels/api/inbound", "X-Parley-Key: wrong\r\n",
                        "{\"from\":{\"kind\":\"chat\",\"value\":\"x\"},\"text\":\"forged\"}");
      attacker_request (attack, "/api/v1/channels/api/inbound", "X-Parley-Key: " PARLEY_TEST_API_KEY "\r\n",
                        "{\"from\":{\"kind\":\"email\",\"value\":\"a@b.c\"},\"text\":\"\xff\xfe\",\"x\":1e999}");
      attacker_request (attack, "/api/v1/auth/login", "", "{\"login\":\"admin\",\"password\":\"guess\"}");
    }
  return NULL;
}

typedef struct
{
  ParleyTestHub *hub;
  GArray        *latencies;   /* µs */
  guint          in_flight;
} Probe;

static void
health_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Probe *probe = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  gint64 sent_at = *(gint64 *) g_object_get_data (G_OBJECT (msg), "sent-at");

  probe->in_flight--;
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_array_append_val (probe->latencies, (gint64) { g_get_monotonic_time () - sent_at });
}

static gboolean
health_probe_cb (gpointer user_data)
{
  Probe *probe = user_data;
  g_autoptr(SoupMessage) msg = parley_test_hub_request (probe->hub, "GET", "/api/v1/health", NULL, NULL);

  g_object_set_data_full (G_OBJECT (msg), "sent-at",
                          g_memdup2 (&(gint64) { g_get_monotonic_time () }, sizeof (gint64)), g_free);
  probe->in_flight++;
  soup_session_send_and_read_async (probe->hub->session, msg, G_PRIORITY_DEFAULT, NULL, health_done_cb, probe);
  return G_SOURCE_CONTINUE;
}

static void
test_attacked_and_killed (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  g_autoptr(GUri) base = NULL;
  g_autoptr(GInetAddress) hub_host = NULL;
  Attack attack = { 0 };
  Probe probe = { hub, g_array_new (FALSE, FALSE, sizeof (gint64)), 0 };
  ParleyTestBurst *burst;
  guint probe_source;
  double p99;

  hub->open_files = 1024;
  parley_test_hub_start (hub);
  base = g_uri_parse (hub->base, G_URI_FLAGS_NONE, NULL);
  hub_host = g_inet_address_new_from_string (g_uri_get_host (base));
  attack.hub_address = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (hub_host, g_uri_get_port (base)));
  attack.stop = g_cancellable_new ();
  attack.thread = g_thread_new ("attacker", attack_thread, &attack);

  /* Customers write in while the attack runs; the hub is killed mid-burst. */
  probe_source = g_timeout_add (HEALTH_EVERY_MS, health_probe_cb, &probe);
  burst = parley_test_burst_new (hub, 3000, 32);
  parley_test_burst_wait (burst, 600);
  g_source_remove (probe_source);
  while (probe.in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("under attack: %u partial requests held, %u hostile requests sent, "
                  "%u health probes, p50 %.2f ms, p99 %.2f ms, hub RSS %ld KiB",
                  attack.partial_held, attack.requests_sent, probe.latencies->len,
                  parley_test_percentile_ms (probe.latencies, 0.50),
                  parley_test_percentile_ms (probe.latencies, 0.99), parley_test_hub_rss_kib (hub));
  g_assert_cmpuint (attack.requests_sent, >, 0);
  g_assert_cmpuint (probe.latencies->len, >, 10);
  p99 = parley_test_percentile_ms (probe.latencies, 0.99);
  g_assert_cmpfloat (p99, <, parley_test_latency_limit_ms (HEALTH_P99_MAX_MS));

  parley_test_hub_stop (hub, SIGKILL);
  g_cancellable_cancel (attack.stop);
  g_thread_join (attack.thread);
  parley_test_burst_stop (burst);
  g_assert_cmpuint (parley_test_burst_acknowledged (burst), >=, 600);

  parley_test_hub_start (hub);
  parley_test_burst_check (burst);

  parley_test_burst_free (burst);
  g_array_unref (probe.latencies);
  g_object_unref (attack.stop);
  g_object_unref (attack.hub_address);
  parley_test_hub_free (hub);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hostile/attacked-and-killed", test_attacked_and_killed);
  return g_test_run ();
}
