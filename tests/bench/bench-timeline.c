/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How the desktop's timeline behaves with a customer who has 100,000
 * events: a real parleyd with that history, the real ParleyCustomerView in
 * a window under Xvfb. Prints the time to the first page, the time per
 * older page while the agent scrolls to the very beginning, frame times
 * while loading and while scrolling through everything loaded, and the
 * desktop's memory. PARLEY_BENCH_EVENTS sets the size (default 100000). */
#include "config.h"

#include <adwaita.h>

#include "bench-frames.h"
#include "parley-test-hooks.h"
#include "parley-customer-view.h"
#include "parley-sqlite-store.h"
#include "parley-test-hub.h"
#include "parley-timeline-model.h"

static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || !(line = strstr (status, "VmRSS:")))
    return -1;
  return strtol (line + 6, NULL, 10);
}

static void
iterate_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

/* Scrolls down from the top by @step pixels a frame (0: a screenful),
 * waiting for each frame to be painted. */
static void
scroll_frames (GtkAdjustment *adjustment,
               double         step)
{
  gtk_adjustment_set_value (adjustment, 0);
  iterate_for (200);
  bench_frames_reset ();
  for (guint i = 0; i < 600; i++)
    {
      double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
      gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;
      guint painted = bench_frames_count ();

      if (gtk_adjustment_get_value (adjustment) >= bottom)
        break;
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) +
                                            (step > 0 ? step : gtk_adjustment_get_page_size (adjustment)));
      while (bench_frames_count () == painted && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, FALSE);
    }
}

static gint64
seed_history (ParleyTestHub *hub, guint n_events)
{
  static const char *channels[] = { "chat", "email", "voice", "api" };
  g_autofree char *path = g_build_filename (hub->data_dir, "parley.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ParleySqliteStore) store = parley_sqlite_store_new (path, &error);
  gint64 now = g_get_real_time (), customer;
  gboolean created;

  g_assert_no_error (error);
  customer = parley_store_resolve_identity (PARLEY_STORE (store), "email", "big@example.com", "Big Customer", now, &created, &error);
  g_assert_cmpint (customer, >, 0);
  for (guint i = 0; i < n_events; i++)
    {
      g_autofree char *text = g_strdup_printf ("Message %u about order #%u: the parcel, the refund and the next steps.", i, 1000 + i % 97);
      ParleyEventDraft draft = {
        .customer_id = customer,
        .channel = channels[i % G_N_ELEMENTS (channels)],
        .kind = "message",
        .direction = i % 2 ? "out" : "in",
        .author_name = i % 2 ? "Alice Martin" : "Big Customer",
        .text = text,
        .created = now - (gint64) (n_events - i) * 10 * 60 * G_USEC_PER_SEC,
      };

      if (i % 10000 == 0)
        g_assert_true (i == 0 || parley_store_commit (PARLEY_STORE (store), &error));
      if (i % 10000 == 0)
        g_assert_true (parley_store_begin (PARLEY_STORE (store), &error));
      g_assert_cmpint (parley_store_append_event (PARLEY_STORE (store), &draft, &error), >, 0);
    }
  g_assert_true (parley_store_commit (PARLEY_STORE (store), &error));
  return customer;
}

/* Scrolls up by 64 px a frame from the bottom, @n_frames times or until
 * the top, waiting for each frame to be painted. */
static void
scroll_up_frames (GtkWidget *view,
                  guint      n_frames)
{
  GtkWidget *list = parley_test_hooks_find_widget (view, GTK_TYPE_LIST_VIEW, "timeline");
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (gtk_widget_get_parent (list)));

  bench_frames_reset ();
  for (guint i = 0; i < n_frames && gtk_adjustment_get_value (adjustment) > 0; i++)
    {
      gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;
      guint painted = bench_frames_count ();

      gtk_adjustment_set_value (adjustment, MAX (0, gtk_adjustment_get_value (adjustment) - 64));
      while (bench_frames_count () == painted && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, FALSE);
    }
}

static void
logged_in_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_assert_true (parley_client_login_finish (PARLEY_CLIENT (source), result, NULL));
  *(gboolean *) user_data = TRUE;
}

int
main (int argc, char *argv[])
{
  const char *size = g_getenv ("PARLEY_BENCH_EVENTS");
  guint n_events = size ? (guint) atoi (size) : 100000;
  ParleyTestHub *hub;
  g_autoptr(ParleyClient) client = NULL;
  g_autoptr(ParleyPluginHost) plugins = NULL;
  g_autoptr(GSettings) settings = NULL;
  ParleyTimelineModel *model;
  GtkAdjustment *adjustment;
  GtkWidget *window, *view;
  gboolean logged_in = FALSE;
  gint64 customer, started, first_page;
  long rss_before, rss_first, rss_all;
  guint pages = 0;
  double page_ms_total = 0, page_ms_max = 0;

  gtk_init ();
  adw_init ();

  hub = parley_test_hub_new (NULL);
  parley_test_hub_ctl (hub, "agent-add", "alice", "--password", "secret", NULL);
  started = g_get_monotonic_time ();
  customer = seed_history (hub, n_events);
  g_print ("seeded %u events for one customer in %.1f s\n", n_events, (g_get_monotonic_time () - started) / 1e6);
  parley_test_hub_start (hub);

  client = parley_client_new (hub->base);
  parley_client_login_async (client, "alice", "secret", NULL, logged_in_cb, &logged_in);
  while (!logged_in || parley_client_get_state (client) != PARLEY_CLIENT_STATE_ONLINE)
    g_main_context_iteration (NULL, TRUE);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  view = g_object_new (PARLEY_TYPE_CUSTOMER_VIEW, NULL);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  iterate_for (500);
  bench_frames_watch (window);

  plugins = parley_plugin_host_new ();
  settings = g_settings_new (APPLICATION_ID);
  parley_customer_view_setup (PARLEY_CUSTOMER_VIEW (view), client, plugins, settings);
  rss_before = rss_kib ();
  bench_frames_reset ();

  /* Opening the customer: until the newest page is on screen. */
  started = g_get_monotonic_time ();
  parley_customer_view_open_customer (PARLEY_CUSTOMER_VIEW (view), customer);
  for (;;)
    {
      GtkListView *list = GTK_LIST_VIEW (parley_test_hooks_find_widget (view, GTK_TYPE_LIST_VIEW, "timeline"));
      GtkSelectionModel *selection = list ? gtk_list_view_get_model (list) : NULL;

      g_main_context_iteration (NULL, TRUE);
      if (selection == NULL)
        continue;
      model = PARLEY_TIMELINE_MODEL (gtk_no_selection_get_model (GTK_NO_SELECTION (selection)));
      if (parley_timeline_model_get_n_events (model) > 0 && bench_frames_count () > 0)
        break;
    }
  first_page = g_get_monotonic_time () - started;
  iterate_for (300);
  rss_first = rss_kib ();
  bench_frames_print ("frames while opening");

  /* Reading back through the history as an agent does: scrolling up 64 px
   * a frame from the newest message for 1500 frames, older pages loading
   * as they come near. */
  scroll_up_frames (view, 1500);
  g_print ("read back %u events by scrolling up\n", parley_timeline_model_get_n_events (model));
  bench_frames_print ("frames while scrolling up 64 px a frame");

  /* Then to the very beginning, a page at a time, the view at the top. */
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (gtk_widget_get_parent (parley_test_hooks_find_widget (view, GTK_TYPE_LIST_VIEW, "timeline"))));
  started = g_get_monotonic_time ();
  while (!parley_timeline_model_get_complete (model))
    {
      guint before = parley_timeline_model_get_n_events (model);
      gint64 asked = g_get_monotonic_time ();
      double ms;

      /* Stay at the top and ask for the page before, as reaching the top
       * does, without waiting for the scroll to settle. */
      gtk_adjustment_set_value (adjustment, 0);
      parley_timeline_model_load_older (model);
      while (parley_timeline_model_get_n_events (model) == before && !parley_timeline_model_get_complete (model))
        g_main_context_iteration (NULL, TRUE);
      ms = (g_get_monotonic_time () - asked) / 1000.0;
      page_ms_total += ms;
      page_ms_max = MAX (page_ms_max, ms);
      pages++;
      g_main_context_iteration (NULL, FALSE);
    }
  g_print ("scrolled back through %u events in %.1f s: %u pages, %.1f ms per page (max %.1f)\n",
           parley_timeline_model_get_n_events (model), (g_get_monotonic_time () - started) / 1e6,
           pages, pages ? page_ms_total / pages : 0, page_ms_max);
  bench_frames_print ("frames while loading older pages");
  rss_all = rss_kib ();

  /* Scrolling through what is loaded from the top, as a fast flick of a
   * wheel or touchpad does (64 px a frame), then a screenful a frame, as
   * holding Page Down does, each for up to 600 frames. */
  scroll_frames (adjustment, 64);
  bench_frames_print ("frames while scrolling 64 px a frame");
  scroll_frames (adjustment, 0);
  bench_frames_print ("frames while scrolling (a page a frame)");

  g_print ("time to first page: %.1f ms\n", first_page / 1000.0);
  g_print ("desktop RSS: %ld MiB before, %ld MiB with the first page, %ld MiB with all %u events loaded\n",
           rss_before / 1024, rss_first / 1024, rss_all / 1024, parley_timeline_model_get_n_events (model));
  g_print ("list items: %u (events plus day headings)\n", g_list_model_get_n_items (G_LIST_MODEL (model)));

  gtk_window_destroy (GTK_WINDOW (window));
  parley_test_hub_free (hub);
  return 0;
}
