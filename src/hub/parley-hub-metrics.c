/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-hub-metrics"

#include "config.h"

#include <time.h>

#include "parley-hub-private.h"
#include "parley-metrics.h"

/* The hub's figures: ParleyMetrics over the store's recorded events.
 *
 * Today's figures live in one ParleyMetrics, built from the store's rows at
 * the first need and again when a new day begins, then fed only what was
 * recorded since: rows after the mark it has read up to, up to the mark of
 * the last fsync that finished (so nothing that could still be lost moves
 * a figure). Figures for any other interval are worked out from the store
 * afresh.
 *
 * Supervisors' desktops get a fresh snapshot as {"type":"metrics",
 * "metrics":{...}} at most PUSH_DELAY_MS after a change reached the
 * desktops, and at most once per PUSH_DELAY_MS. The CPU time all of this
 * takes is counted (cpu_total_us in the snapshot), so a benchmark can tell
 * the metrics' share of the hub's work exactly. */

#define PUSH_DELAY_MS 500


static gint64
thread_cpu_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static ParleyMetricKind
metric_kind (const char *kind,
             gboolean   *known)
{
  static const struct { const char *name; ParleyMetricKind kind; } kinds[] = {
    { "queued", PARLEY_METRIC_QUEUED }, { "assigned", PARLEY_METRIC_ANSWERED },
    { "abandoned", PARLEY_METRIC_ABANDONED }, { "first_response", PARLEY_METRIC_FIRST_RESPONSE },
    { "transferred", PARLEY_METRIC_TRANSFERRED }, { "resolved", PARLEY_METRIC_RESOLVED },
    { "survey", PARLEY_METRIC_SURVEY }, { "presence", PARLEY_METRIC_AGENT_STATE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kind, kinds[i].name) == 0)
      {
        *known = TRUE;
        return kinds[i].kind;
      }
  *known = FALSE;
  return PARLEY_METRIC_QUEUED;
}

static void
feed (ParleyMetrics *metrics,
      GPtrArray     *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *row = g_ptr_array_index (rows, i);
      gboolean known;
      ParleyMetricEvent event = {
        .kind = metric_kind (json_object_get_string_member_with_default (row, "kind", ""), &known),
        .at = json_object_get_int_member (row, "at"),
        .conversation = json_object_get_int_member (row, "conversation"),
        .queue = json_object_get_int_member (row, "queue"),
        .channel = json_object_get_string_member_with_default (row, "channel", NULL),
        .agent = json_object_get_int_member (row, "agent"),
        .nps = (int) json_object_get_int_member (row, "nps"),
        .csat = (int) json_object_get_int_member (row, "csat"),
        .state = json_object_get_string_member_with_default (row, "state", NULL),
      };

      if (known)
        parley_metrics_add (metrics, &event);
    }
}

/* A ParleyMetrics for [from, to) with each queue's service-level
 * thresholds, fed the store's rows for it. */
static ParleyMetrics *
metrics_from_store (ParleyHub  *self,
                    gint64      from,
                    gint64      to,
                    GError    **error)
{
  g_autoptr(GPtrArray) rows = parley_store_metric_rows (self->store, from, to, error);
  g_autoptr(ParleyMetrics) metrics = parley_metrics_new ((gint64) self->config->short_abandon * G_USEC_PER_SEC, from, to);
  g_autoptr(GStrvBuilder) realtime = g_strv_builder_new ();
  g_auto(GStrv) realtime_kinds = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (rows == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, self->channels);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      ParleyChannelInfo *info = parley_channel_get_info (value);

      if (info != NULL && parley_channel_info_has_capability (info, PARLEY_CHANNEL_CAPABILITY_REALTIME))
        g_strv_builder_add (realtime, key);
    }
  realtime_kinds = g_strv_builder_end (realtime);
  parley_metrics_set_realtime_channels (metrics, (const char * const *) realtime_kinds);
  g_hash_table_iter_init (&iter, self->queues);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      JsonObject *queue = value;
      JsonNode *node = json_object_get_member (queue, "service_level");
      JsonObject *levels = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autoptr(GList) channels = levels ? json_object_get_members (levels) : NULL;

      for (GList *l = channels; l; l = l->next)
        parley_metrics_set_service_level (metrics, json_object_get_int_member (queue, "id"), l->data,
                                          json_object_get_int_member (levels, l->data) * G_USEC_PER_SEC);
    }
  feed (metrics, rows);
  return g_steal_pointer (&metrics);
}

/* Every figure for [from, to), worked out afresh from the store. */
JsonObject *
_parley_hub_metrics_snapshot (ParleyHub  *self,
                              gint64      from,
                              gint64      to,
                              GError    **error)
{
  gint64 started = thread_cpu_us ();
  g_autoptr(ParleyMetrics) metrics = metrics_from_store (self, from, to, error);
  JsonObject *snapshot = metrics ? parley_metrics_snapshot (metrics, g_get_real_time ()) : NULL;

  self->metrics_cpu_us += thread_cpu_us () - started;
  return snapshot;
}

gint64
_parley_hub_start_of_today (void)
{
  g_autoptr(GDateTime) local = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (local), g_date_time_get_month (local),
                                                         g_date_time_get_day_of_month (local), 0, 0, 0);

  return g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
}

/* Where the current interval of the live figures began: the day (from
 * day-starts-at, local time) cut into interval-hours pieces. */
gint64
_parley_hub_interval_start (ParleyHub *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                    g_date_time_get_day_of_month (now), self->config->day_starts_at, 0, 0);
  g_autoptr(GDateTime) start = NULL;
  gint64 hours;

  if (g_date_time_compare (day, now) > 0)
    {
      GDateTime *before = g_date_time_add_days (day, -1);

      g_date_time_unref (day);
      day = before;
    }
  hours = g_date_time_difference (now, day) / G_TIME_SPAN_HOUR;
  start = g_date_time_add_hours (day, (int) (hours - hours % self->config->interval_hours));
  return g_date_time_to_unix (start) * G_USEC_PER_SEC;
}

/* Brings the current interval's figures up to what is on disk, building
 * them afresh at the first need and when a new interval begins. */
static gboolean
catch_up (ParleyHub  *self,
          GError    **error)
{
  gint64 today = _parley_hub_interval_start (self);
  ParleyStoreMark upto;
  g_autoptr(GPtrArray) rows = NULL;

  if (self->live_metrics == NULL || parley_metrics_get_from (self->live_metrics) != today)
    {
      g_clear_object (&self->live_metrics);
      /* The mark first: what it covers is what the rows below hold. */
      if (!parley_store_metric_mark (self->store, &self->live_mark, error) ||
          !(self->live_metrics = metrics_from_store (self, today, G_MAXINT64, error)))
        return FALSE;
      g_debug ("Today's figures built afresh from the store");
      return TRUE;
    }
  /* A rebuild may have read past the last fsync: never read anything twice. */
  upto.event = MAX (self->durable_mark.event, self->live_mark.event);
  upto.presence = MAX (self->durable_mark.presence, self->live_mark.presence);
  upto.conversation = MAX (self->durable_mark.conversation, self->live_mark.conversation);
  if (memcmp (&upto, &self->live_mark, sizeof upto) == 0)
    return TRUE;
  if (!(rows = parley_store_metric_rows_between (self->store, &self->live_mark, &upto, error)))
    return FALSE;
  feed (self->live_metrics, rows);
  self->live_mark = upto;
  return TRUE;
}

/* Today's figures as of now, with what they cost: cpu_us for this
 * snapshot, cpu_total_us for all the metrics work of the hub so far. */
JsonObject *
_parley_hub_metrics_live (ParleyHub  *self,
                          GError    **error)
{
  gint64 started = thread_cpu_us ();
  JsonObject *snapshot;
  gint64 spent;

  if (!catch_up (self, error))
    {
      g_clear_object (&self->live_metrics);
      self->metrics_cpu_us += thread_cpu_us () - started;
      return NULL;
    }
  snapshot = parley_metrics_snapshot (self->live_metrics, g_get_real_time ());
  spent = thread_cpu_us () - started;
  self->metrics_cpu_us += spent;
  json_object_set_int_member (snapshot, "cpu_us", spent);
  json_object_set_int_member (snapshot, "cpu_total_us", self->metrics_cpu_us);
  return snapshot;
}

/* Today's figures are built again at their next use: after a change to
 * what they are computed with, such as a queue's thresholds. */
void
_parley_hub_metrics_reset (ParleyHub *self)
{
  g_clear_object (&self->live_metrics);
}

/* At start everything in the store is on disk. */
gboolean
_parley_hub_metrics_start (ParleyHub  *self,
                           GError    **error)
{
  return parley_store_metric_mark (self->store, &self->durable_mark, error);
}

/* An fsync begins: what it will make durable ends at @mark. */
void
_parley_hub_metrics_sync_started (ParleyHub       *self,
                                  ParleyStoreMark *mark)
{
  gint64 started = thread_cpu_us ();
  g_autoptr(GError) error = NULL;

  if (!parley_store_metric_mark (self->store, mark, &error))
    {
      g_warning ("Could not mark the record for the metrics: %s", error->message);
      *mark = self->durable_mark;
    }
  self->metrics_cpu_us += thread_cpu_us () - started;
}

/* Everything up to @mark, from a sync's start, is on disk. */
void
_parley_hub_metrics_sync_done (ParleyHub             *self,
                               const ParleyStoreMark *mark)
{
  self->durable_mark = *mark;
}

static gboolean
push_metrics_cb (gpointer user_data)
{
  ParleyHub *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) message = NULL;
  JsonObject *snapshot;
  gint64 started;

  self->metrics_source = 0;
  if (self->supervisors->len == 0)
    return G_SOURCE_REMOVE;
  if (!(snapshot = _parley_hub_metrics_live (self, &error)))
    {
      g_warning ("Metrics could not be worked out: %s", error->message);
      return G_SOURCE_REMOVE;
    }
  started = thread_cpu_us ();
  message = json_object_new ();
  json_object_set_string_member (message, "type", "metrics");
  json_object_set_object_member (message, "metrics", snapshot);
  _parley_hub_push_to_supervisors (self, message);
  self->metrics_cpu_us += thread_cpu_us () - started;
  return G_SOURCE_REMOVE;
}

void
_parley_hub_metrics_changed (ParleyHub *self)
{
  if (self->metrics_source == 0 && self->supervisors->len > 0)
    self->metrics_source = g_timeout_add (PUSH_DELAY_MS, push_metrics_cb, self);
}
