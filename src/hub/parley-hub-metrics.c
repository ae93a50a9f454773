/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-hub-metrics"

#include "config.h"

#include "parley-hub-private.h"
#include "parley-metrics.h"

/* The hub's figures (ParleyMetrics over the store's recorded events), and
 * keeping supervisors' desktops up to date: every change that reaches a
 * desktop schedules a fresh snapshot, pushed as {"type":"metrics",
 * "metrics":{...}} to the supervisors connected, at most PUSH_DELAY_MS after
 * the change and at most once per PUSH_DELAY_MS. */

#define PUSH_DELAY_MS 500


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

/* Every figure for [from, to), worked out again from the store. */
JsonObject *
_parley_hub_metrics_snapshot (ParleyHub  *self,
                  gint64      from,
                  gint64      to,
                  GError    **error)
{
  g_autoptr(GPtrArray) rows = parley_store_metric_rows (self->store, from, to, error);
  g_autoptr(ParleyMetrics) metrics = parley_metrics_new ((gint64) self->config->short_abandon * G_USEC_PER_SEC);
  g_autoptr(GHashTable) resolving = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer value;

  if (rows == NULL)
    return NULL;
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
      gint64 *pending;

      if (!known)
        continue;
      /* The end of an agent's wrap-up ends the wrap-up of what they resolved
       * last; an agent who never went into wrap-up had none. pending[0] is
       * the conversation, pending[1] whether wrap-up began. */
      if (event.kind == PARLEY_METRIC_AGENT_STATE &&
          (pending = g_hash_table_lookup (resolving, &event.agent)) != NULL)
        {
          if (g_strcmp0 (event.state, "wrap-up") == 0)
            pending[1] = TRUE;
          else
            {
              ParleyMetricEvent done = { PARLEY_METRIC_WRAP_UP_DONE, event.at, pending[0], 0, NULL, event.agent, -1, -1, NULL };

              if (pending[1])
                parley_metrics_add (metrics, &done);
              g_hash_table_remove (resolving, &event.agent);
            }
        }
      if (event.kind == PARLEY_METRIC_RESOLVED && event.agent > 0)
        {
          gint64 started[2] = { event.conversation, FALSE };

          g_hash_table_replace (resolving, g_memdup2 (&event.agent, sizeof event.agent), g_memdup2 (started, sizeof started));
        }
      parley_metrics_add (metrics, &event);
    }
  return parley_metrics_snapshot (metrics, from, to, g_get_real_time ());
}

gint64
_parley_hub_start_of_today (void)
{
  g_autoptr(GDateTime) local = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (local), g_date_time_get_month (local),
                                                         g_date_time_get_day_of_month (local), 0, 0, 0);

  return g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
}

static gboolean
push_metrics_cb (gpointer user_data)
{
  ParleyHub *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) message = NULL;
  JsonObject *snapshot;

  self->metrics_source = 0;
  if (self->supervisors->len == 0)
    return G_SOURCE_REMOVE;
  if (!(snapshot = _parley_hub_metrics_snapshot (self, _parley_hub_start_of_today (), g_get_real_time (), &error)))
    {
      g_warning ("Metrics could not be worked out: %s", error->message);
      return G_SOURCE_REMOVE;
    }
  message = json_object_new ();
  json_object_set_string_member (message, "type", "metrics");
  json_object_set_object_member (message, "metrics", snapshot);
  _parley_hub_push_to_supervisors (self, message);
  return G_SOURCE_REMOVE;
}

void
_parley_hub_metrics_changed (ParleyHub *self)
{
  if (self->metrics_source == 0 && self->supervisors->len > 0)
    self->metrics_source = g_timeout_add (PUSH_DELAY_MS, push_metrics_cb, self);
}
