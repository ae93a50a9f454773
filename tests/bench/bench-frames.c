/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bench-frames.h"

/* Frame times of a window from its GdkFrameClock, for the desktop's
 * benchmarks: from the first phase a frame runs to the end of its paint. */

static GArray *frame_ms;
static gint64 frame_start;
static const char *frame_phases[] = { "flush-events", "before-paint", "update", "layout", "paint" };

/* A frame runs only the phases something asked for; it begins with the
 * first of them. */
static void
frame_begins_cb (GdkFrameClock *clock, gpointer data)
{
  if (frame_start == 0)
    frame_start = g_get_monotonic_time ();
}

static void
frame_ends_cb (GdkFrameClock *clock, gpointer data)
{
  double ms;

  if (frame_start == 0)
    return;
  ms = (g_get_monotonic_time () - frame_start) / 1000.0;
  g_array_append_val (frame_ms, ms);
  frame_start = 0;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Starts recording the frames of @window, which must be shown. */
void
bench_frames_watch (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  if (frame_ms == NULL)
    frame_ms = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < G_N_ELEMENTS (frame_phases); i++)
    g_signal_connect (clock, frame_phases[i], G_CALLBACK (frame_begins_cb), NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (frame_ends_cb), NULL);
}

void
bench_frames_reset (void)
{
  g_array_set_size (frame_ms, 0);
}

guint
bench_frames_count (void)
{
  return frame_ms->len;
}

/* Prints p50, p95, p99 and max of the frames since the last reset, and
 * starts over. */
void
bench_frames_print (const char *what)
{
  g_array_sort (frame_ms, compare_double);
  if (frame_ms->len == 0)
    {
      g_print ("%-40s no frames\n", what);
      return;
    }
  g_print ("%-40s %5u frames  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  max %6.2f ms\n", what, frame_ms->len,
           g_array_index (frame_ms, double, frame_ms->len / 2),
           g_array_index (frame_ms, double, frame_ms->len * 95 / 100),
           g_array_index (frame_ms, double, frame_ms->len * 99 / 100),
           g_array_index (frame_ms, double, frame_ms->len - 1));
  bench_frames_reset ();
}
