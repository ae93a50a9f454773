/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>

#include "parley-test-hub.h"

/* parleyctl backup of a hub under load, restored into a new data
 * directory and served by a new hub: every message acknowledged before the
 * backup began is there. */

/* Messages of the burst: more than are sent before and during the backup. */
#define BURST_TOTAL 100000
#define BURST_PARALLEL 16
/* Acknowledged before the backup begins: enough history that the copy
 * takes several steps while the hub goes on committing. */
#define HISTORY 1500

static void
backup_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* parleyctl backup of the hub's data into @dir while the burst goes on. */
static void
backup_under_load (ParleyTestHub *hub,
                   const char    *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) ctl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, g_getenv ("PARLEYCTL"),
                                                 "--data-dir", hub->data_dir, "backup", dir, NULL);
  gboolean done = FALSE;

  g_assert_no_error (error);
  g_subprocess_wait_check_async (ctl, NULL, backup_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* The external ids of the messages acknowledged so far. */
static GHashTable *
acknowledged_now (ParleyTestBurst *burst)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer external_id;

  g_hash_table_iter_init (&iter, parley_test_burst_acked (burst));
  while (g_hash_table_iter_next (&iter, &external_id, NULL))
    g_hash_table_add (ids, g_strdup (external_id));
  return ids;
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

static void
test_backup_under_load (void)
{
  ParleyTestHub *hub = parley_test_hub_new (NULL);
  ParleyTestHub *restored = parley_test_hub_new (NULL);
  g_autofree char *backup_dir = g_build_filename (hub->data_dir, "backup", NULL);
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) until_done = NULL;
  g_autoptr(GHashTable) restored_ids = NULL;
  ParleyTestBurst *burst;
  GHashTableIter iter;
  gpointer external_id;
  guint found_during = 0;
  gint64 started, took;

  parley_test_hub_start (hub);
  burst = parley_test_burst_new (hub, BURST_TOTAL, BURST_PARALLEL);
  parley_test_burst_wait (burst, HISTORY);

  /* What was acknowledged before the backup began must all be in it. */
  before = acknowledged_now (burst);
  started = g_get_monotonic_time ();
  backup_under_load (hub, backup_dir);
  took = g_get_monotonic_time () - started;
  until_done = acknowledged_now (burst);
  parley_test_burst_stop (burst);

  /* A running hub's data is never overwritten, nor served by a second hub. */
  g_assert_cmpint (run_ctl (hub->data_dir, "restore", backup_dir), !=, 0);
  g_assert_false (second_hub_starts (hub));

  g_assert_cmpint (run_ctl (restored->data_dir, "restore", backup_dir), ==, 0);
  parley_test_hub_start (restored);
  restored_ids = parley_test_burst_found_in (burst, restored);
  g_hash_table_iter_init (&iter, parley_test_burst_acked (burst));
  while (g_hash_table_iter_next (&iter, &external_id, NULL))
    {
      gboolean found = g_hash_table_contains (restored_ids, external_id);

      if (g_hash_table_contains (before, external_id) && !found)
        g_error ("%s, acknowledged before the backup began, is not in the restored hub", (char *) external_id);
      found_during += found && !g_hash_table_contains (before, external_id) &&
                      g_hash_table_contains (until_done, external_id);
    }
  g_test_message ("%u messages acknowledged before the backup, all restored; %u of the %u acknowledged "
                  "during the %.0f ms backup are in it",
                  g_hash_table_size (before), found_during,
                  g_hash_table_size (until_done) - g_hash_table_size (before), took / 1000.0);

  /* Restoring again over the stopped hub's data takes --force. */
  parley_test_hub_stop (restored, SIGTERM);
  g_assert_cmpint (run_ctl (restored->data_dir, "restore", backup_dir), !=, 0);

  parley_test_burst_free (burst);
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
