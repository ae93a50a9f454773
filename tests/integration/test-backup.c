/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>

#include "parley-test-hub.h"

/* parleyctl backup of a hub under load, restored into a new data
 * directory and served by a new hub: every message acknowledged before the
 * backup began is there. */

#define LOAD_THREADS 4
#define LOAD_CUSTOMERS 16

typedef struct
{
  const char *base;
  GMutex      lock;
  GArray     *acked;        /* gint64 event ids answered 202, in order */
  GHashTable *customers;    /* customer id → TRUE */
  gint        stop;
  gint        next;         /* message number */
} Load;

static gpointer
load_thread (gpointer data)
{
  Load *load = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autofree char *uri = g_strconcat (load->base, "/api/v1/channels/api/inbound", NULL);

  while (!g_atomic_int_get (&load->stop))
    {
      int n = g_atomic_int_add (&load->next, 1);
      g_autofree char *body = g_strdup_printf ("{\"from\":{\"kind\":\"email\",\"value\":\"load%d@example.com\"},"
                                               "\"text\":\"message %d\",\"external_id\":\"load-%d\"}",
                                               n % LOAD_CUSTOMERS, n, n);
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
      g_autoptr(GBytes) reply = NULL;
      g_autoptr(JsonObject) answer = NULL;
      g_autoptr(GError) error = NULL;
      gint64 event, customer;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Parley-Key", PARLEY_TEST_API_KEY);
      soup_message_set_request_body_from_bytes (msg, "application/json", request);
      reply = soup_session_send_and_read (session, msg, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 202);
      answer = parley_test_parse (reply);
      event = json_object_get_int_member (answer, "event");
      customer = json_object_get_int_member (answer, "customer");
      g_mutex_lock (&load->lock);
      g_array_append_val (load->acked, event);
      g_hash_table_add (load->customers, g_memdup2 (&customer, sizeof customer));
      g_mutex_unlock (&load->lock);
    }
  return NULL;
}

static guint
acked_count (Load *load)
{
  guint n;

  g_mutex_lock (&load->lock);
  n = load->acked->len;
  g_mutex_unlock (&load->lock);
  return n;
}

/* parleyctl on @data_dir; its exit status. */
static int
run_ctl (const char *data_dir,
         const char *command,
         const char *argument)
{
  const char *argv[] = { g_getenv ("PARLEYCTL"), "--data-dir", data_dir, command, argument, NULL };
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* Whether another parleyd would run on the hub's data directory. */
static gboolean
second_hub_starts (ParleyTestHub *hub)
{
  const char *argv[] = { g_getenv ("PARLEYD"), "--data-dir", hub->data_dir, "--listen", "127.0.0.1:0",
                         "--config", hub->config_path, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *errors = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &errors, &status, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (errors, "A hub is running on"));
  return g_spawn_check_wait_status (status, NULL);
}

/* Every event id in the customers' timelines. */
static GHashTable *
stored_events (ParleyTestHub *hub,
               const char    *token,
               GHashTable    *customers)
{
  GHashTable *events = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer customer;

  g_hash_table_iter_init (&iter, customers);
  while (g_hash_table_iter_next (&iter, &customer, NULL))
    {
      gint64 before = 0;

      do
        {
          g_autofree char *path = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/timeline?limit=200%s%" G_GINT64_FORMAT,
                                                   *(gint64 *) customer, before ? "&before=" : "&x=", before);
          g_autoptr(JsonObject) page = parley_test_hub_call_ok (hub, "GET", path, token, NULL);
          JsonArray *list = json_object_get_array_member (page, "events");

          for (guint i = 0; i < json_array_get_length (list); i++)
            {
              gint64 id = json_object_get_int_member (json_array_get_object_element (list, i), "id");

              g_hash_table_add (events, g_memdup2 (&id, sizeof id));
            }
          before = json_object_get_null_member (page, "next_before") ? 0
                   : json_object_get_int_member (page, "next_before");
        }
      while (before > 0);
    }
  return events;
}

static void
test_backup_under_load (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  ParleyTestHub *restored = parley_test_hub_new (NULL);
  g_autofree char *backup_dir = g_build_filename (hub->data_dir, "backup", NULL);
  g_autofree char *token = NULL;
  g_autoptr(GHashTable) events = NULL;
  GThread *threads[LOAD_THREADS];
  Load load = { 0 };
  guint before_backup, after_backup, found_during = 0;
  gint64 started, took;

  parley_test_hub_ctl (hub, "agent-add", "root", "--password", "secret", "--role", "admin", NULL);
  parley_test_hub_start (hub);
  g_mutex_init (&load.lock);
  load.base = hub->base;
  load.acked = g_array_new (FALSE, FALSE, sizeof (gint64));
  load.customers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < LOAD_THREADS; i++)
    threads[i] = g_thread_new ("load", load_thread, &load);

  /* Enough history that the copy takes several steps while the hub
   * goes on committing. */
  while (acked_count (&load) < 3000)
    g_usleep (G_USEC_PER_SEC / 20);
  before_backup = acked_count (&load);
  started = g_get_monotonic_time ();
  g_assert_cmpint (run_ctl (hub->data_dir, "backup", backup_dir), ==, 0);
  took = g_get_monotonic_time () - started;
  after_backup = acked_count (&load);
  g_usleep (G_USEC_PER_SEC / 4);
  g_atomic_int_set (&load.stop, 1);
  for (guint i = 0; i < LOAD_THREADS; i++)
    g_thread_join (threads[i]);
  g_assert_cmpuint (after_backup, >, before_backup);

  /* A running hub's data is never overwritten, nor served by a second hub. */
  g_assert_cmpint (run_ctl (hub->data_dir, "restore", backup_dir), !=, 0);
  g_assert_false (second_hub_starts (hub));

  g_assert_cmpint (run_ctl (restored->data_dir, "restore", backup_dir), ==, 0);
  parley_test_hub_start (restored);
  token = parley_test_hub_login (restored, "root", "secret");
  events = stored_events (restored, token, load.customers);
  for (guint i = 0; i < before_backup; i++)
    if (!g_hash_table_contains (events, &g_array_index (load.acked, gint64, i)))
      g_error ("Event %" G_GINT64_FORMAT ", acknowledged before the backup began, is not in the restored hub",
               g_array_index (load.acked, gint64, i));
  for (guint i = before_backup; i < after_backup; i++)
    found_during += g_hash_table_contains (events, &g_array_index (load.acked, gint64, i));
  g_test_message ("%u messages acknowledged before the backup, all restored; %u of the %u acknowledged "
                  "during the %.0f ms backup are in it; %u acknowledged in all",
                  before_backup, found_during, after_backup - before_backup, took / 1000.0, load.acked->len);

  /* Restoring again over the stopped hub's data takes --force. */
  parley_test_hub_stop (restored, SIGTERM);
  g_assert_cmpint (run_ctl (restored->data_dir, "restore", backup_dir), !=, 0);

  g_array_unref (load.acked);
  g_hash_table_unref (load.customers);
  g_mutex_clear (&load.lock);
  parley_test_hub_free (restored);
  parley_test_hub_free (hub);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/backup/under-load", test_backup_under_load);
  return g_test_run ();
}
