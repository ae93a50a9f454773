/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-supervision"

#include "config.h"

#include "parley-supervision.h"

/**
 * ParleySupervision:
 *
 * What the supervisor's views show, kept in one place: today's figures
 * (the hub's metrics snapshot, pushed within half a second of a change),
 * every agent (presence pushed as it changes) and every queue with its
 * thresholds. It fetches all of it after each (re)connection and follows
 * the client's "metrics" and "presence" pushes after that; views listen to
 * its signals rather than each asking the hub.
 */
struct _ParleySupervision
{
  GObject       parent_instance;

  ParleyClient *client;
  GCancellable *cancellable;
  JsonObject   *snapshot;      /* today's figures: queues, agents, total, formulas */
  gint64        snapshot_at;   /* monotonic µs when it arrived */
  GHashTable   *agents;        /* id → agent (login, name, role, skills, presence...) */
  GHashTable   *queues;        /* id → queue (name, skills, targets...) */
};

G_DEFINE_FINAL_TYPE (ParleySupervision, parley_supervision, G_TYPE_OBJECT)

enum { SNAPSHOT_CHANGED, AGENT_CHANGED, QUEUES_CHANGED, REFRESH, N_SIGNALS };

static guint signals[N_SIGNALS];

static void
set_snapshot (ParleySupervision *self,
              JsonObject        *snapshot)
{
  if (snapshot == NULL)
    return;
  g_clear_pointer (&self->snapshot, json_object_unref);
  self->snapshot = json_object_ref (snapshot);
  self->snapshot_at = g_get_monotonic_time ();
  g_signal_emit (self, signals[SNAPSHOT_CHANGED], 0);
}

static void
put_agent (ParleySupervision *self,
           JsonObject        *agent)
{
  gint64 id = json_object_get_int_member_with_default (agent, "id", 0);

  if (id > 0)
    g_hash_table_replace (self->agents, g_memdup2 (&id, sizeof id), json_object_ref (agent));
}

static void
snapshot_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ParleySupervision) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, &error);

  if (answer == NULL)
    {
      g_debug ("No figures: %s", error->message);
      return;
    }
  set_snapshot (self, parley_json_get_object (answer, "interval", FALSE, NULL));
}

static void
agents_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ParleySupervision) self = user_data;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);
  JsonArray *agents = answer && json_object_has_member (answer, "agents") ? json_object_get_array_member (answer, "agents") : NULL;

  if (agents == NULL)
    return;
  g_hash_table_remove_all (self->agents);
  for (guint i = 0; i < json_array_get_length (agents); i++)
    put_agent (self, json_array_get_object_element (agents, i));
  g_signal_emit (self, signals[AGENT_CHANGED], 0, (gint64) 0);
}

/* Queues come as {"queue":{id, name, skills, settings:{targets...}}, "waiting"...}. */
static JsonObject *
queue_record (JsonObject *entry)
{
  JsonObject *queue = parley_json_get_object (entry, "queue", FALSE, NULL);
  JsonObject *settings = queue ? parley_json_get_object (queue, "settings", FALSE, NULL) : NULL;
  JsonObject *targets = settings ? parley_json_get_object (settings, "targets", FALSE, NULL) : NULL;
  JsonObject *record = json_object_new ();

  json_object_set_int_member (record, "id", queue ? json_object_get_int_member_with_default (queue, "id", 0) : 0);
  json_object_set_string_member (record, "name", queue ? json_object_get_string_member_with_default (queue, "name", "") : "");
  if (queue && json_object_has_member (queue, "skills"))
    json_object_set_member (record, "skills", json_node_copy (json_object_get_member (queue, "skills")));
  if (targets)
    json_object_set_object_member (record, "targets", json_object_ref (targets));
  return record;
}

static void
queues_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ParleySupervision) self = user_data;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);
  JsonArray *queues = answer && json_object_has_member (answer, "queues") ? json_object_get_array_member (answer, "queues") : NULL;

  if (queues == NULL)
    return;
  g_hash_table_remove_all (self->queues);
  for (guint i = 0; i < json_array_get_length (queues); i++)
    {
      JsonObject *record = queue_record (json_array_get_object_element (queues, i));
      gint64 id = json_object_get_int_member (record, "id");

      g_hash_table_replace (self->queues, g_memdup2 (&id, sizeof id), record);
    }
  g_signal_emit (self, signals[QUEUES_CHANGED], 0);
}

static void
metrics_pushed_cb (ParleySupervision *self,
                   const char        *type,
                   JsonObject        *message)
{
  set_snapshot (self, parley_json_get_object (message, "metrics", FALSE, NULL));
}

static void
presence_pushed_cb (ParleySupervision *self,
                    const char        *type,
                    JsonObject        *message)
{
  JsonObject *agent = parley_json_get_object (message, "agent", FALSE, NULL);

  if (agent)
    parley_supervision_update_agent (self, agent);
}

static void
parley_supervision_dispose (GObject *object)
{
  ParleySupervision *self = PARLEY_SUPERVISION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->client)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (parley_supervision_parent_class)->dispose (object);
}

static void
parley_supervision_finalize (GObject *object)
{
  ParleySupervision *self = PARLEY_SUPERVISION (object);

  g_clear_pointer (&self->snapshot, json_object_unref);
  g_hash_table_unref (self->agents);
  g_hash_table_unref (self->queues);
  G_OBJECT_CLASS (parley_supervision_parent_class)->finalize (object);
}

static void
parley_supervision_class_init (ParleySupervisionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = parley_supervision_dispose;
  object_class->finalize = parley_supervision_finalize;

  /**
   * ParleySupervision::snapshot-changed:
   *
   * Fresh figures arrived.
   */
  signals[SNAPSHOT_CHANGED] = g_signal_new ("snapshot-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * ParleySupervision::agent-changed:
   * @id: the agent, or 0 when the whole list was loaded again
   *
   * An agent's presence or record changed.
   */
  signals[AGENT_CHANGED] = g_signal_new ("agent-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * ParleySupervision::queues-changed:
   *
   * The queues (names, skills, thresholds) were loaded again.
   */
  signals[QUEUES_CHANGED] = g_signal_new ("queues-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * ParleySupervision::refresh:
   *
   * Everything is being fetched again (after a (re)connection): views
   * that keep their own lists fetch them too.
   */
  signals[REFRESH] = g_signal_new ("refresh", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
parley_supervision_init (ParleySupervision *self)
{
  self->cancellable = g_cancellable_new ();
  self->agents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) json_object_unref);
  self->queues = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) json_object_unref);
}

ParleySupervision *
parley_supervision_new (ParleyClient *client)
{
  ParleySupervision *self = g_object_new (PARLEY_TYPE_SUPERVISION, NULL);

  self->client = g_object_ref (client);
  g_signal_connect_object (client, "message::metrics", G_CALLBACK (metrics_pushed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "message::presence", G_CALLBACK (presence_pushed_cb), self, G_CONNECT_SWAPPED);
  return self;
}

ParleyClient *
parley_supervision_get_client (ParleySupervision *self)
{
  g_return_val_if_fail (PARLEY_IS_SUPERVISION (self), NULL);
  return self->client;
}

/* Fetches everything again, as after a (re)connection. */
void
parley_supervision_refresh (ParleySupervision *self)
{
  g_return_if_fail (PARLEY_IS_SUPERVISION (self));
  parley_client_request_async (self->client, "GET", "queues", NULL, self->cancellable,
                               queues_loaded_cb, g_object_ref (self));
  parley_client_request_async (self->client, "GET", "agents", NULL, self->cancellable,
                               agents_loaded_cb, g_object_ref (self));
  parley_client_request_async (self->client, "GET", "metrics/live", NULL, self->cancellable,
                               snapshot_loaded_cb, g_object_ref (self));
  g_signal_emit (self, signals[REFRESH], 0);
}

/* An agent's record as the hub just gave it (a push, or the answer to a
 * change made here): the views show it at once. */
void
parley_supervision_update_agent (ParleySupervision *self,
                                 JsonObject        *agent)
{
  g_return_if_fail (PARLEY_IS_SUPERVISION (self));
  put_agent (self, agent);
  g_signal_emit (self, signals[AGENT_CHANGED], 0, json_object_get_int_member_with_default (agent, "id", 0));
}

/* Today's figures, or NULL before the first arrived. */
JsonObject *
parley_supervision_get_snapshot (ParleySupervision *self)
{
  g_return_val_if_fail (PARLEY_IS_SUPERVISION (self), NULL);
  return self->snapshot;
}

/* How long ago the snapshot arrived: waits have grown by that much. */
gint64
parley_supervision_get_snapshot_age_ms (ParleySupervision *self)
{
  g_return_val_if_fail (PARLEY_IS_SUPERVISION (self), 0);
  return self->snapshot ? (g_get_monotonic_time () - self->snapshot_at) / 1000 : 0;
}

JsonObject *
parley_supervision_get_formulas (ParleySupervision *self)
{
  g_return_val_if_fail (PARLEY_IS_SUPERVISION (self), NULL);
  return self->snapshot ? parley_json_get_object (self->snapshot, "formulas", FALSE, NULL) : NULL;
}

/* Every agent (JsonObject, borrowed); free the list with g_list_free. */
GList *
parley_supervision_list_agents (ParleySupervision *self)
{
  g_return_val_if_fail (PARLEY_IS_SUPERVISION (self), NULL);
  return g_hash_table_get_values (self->agents);
}

JsonObject *
parley_supervision_get_agent (ParleySupervision *self,
                              gint64             id)
{
  g_return_val_if_fail (PARLEY_IS_SUPERVISION (self), NULL);
  return g_hash_table_lookup (self->agents, &id);
}

/* Every queue (JsonObject with id, name, skills, targets; borrowed). */
GList *
parley_supervision_list_queues (ParleySupervision *self)
{
  g_return_val_if_fail (PARLEY_IS_SUPERVISION (self), NULL);
  return g_hash_table_get_values (self->queues);
}

JsonObject *
parley_supervision_get_queue (ParleySupervision *self,
                              gint64             id)
{
  g_return_val_if_fail (PARLEY_IS_SUPERVISION (self), NULL);
  return g_hash_table_lookup (self->queues, &id);
}

/* The queue's thresholds: service level in %, longest wait in seconds.
 * @queue_id 0 gives the strictest of all queues, for the totals. */
void
parley_supervision_get_targets (ParleySupervision *self,
                                gint64             queue_id,
                                double            *service_level,
                                double            *longest_wait_s)
{
  GHashTableIter iter;
  JsonObject *queue;
  gboolean found = FALSE;

  g_return_if_fail (PARLEY_IS_SUPERVISION (self));
  *service_level = PARLEY_DEFAULT_SERVICE_LEVEL_TARGET;
  *longest_wait_s = PARLEY_DEFAULT_LONGEST_WAIT_TARGET;
  g_hash_table_iter_init (&iter, self->queues);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &queue))
    {
      JsonObject *targets = parley_json_get_object (queue, "targets", FALSE, NULL);
      double level = targets ? json_object_get_double_member_with_default (targets, "service_level", PARLEY_DEFAULT_SERVICE_LEVEL_TARGET)
                             : PARLEY_DEFAULT_SERVICE_LEVEL_TARGET;
      double wait = targets ? json_object_get_double_member_with_default (targets, "longest_wait", PARLEY_DEFAULT_LONGEST_WAIT_TARGET)
                            : PARLEY_DEFAULT_LONGEST_WAIT_TARGET;

      if (queue_id != 0 && json_object_get_int_member (queue, "id") != queue_id)
        continue;
      *service_level = found ? MAX (*service_level, level) : level;
      *longest_wait_s = found ? MIN (*longest_wait_s, wait) : wait;
      found = TRUE;
    }
}
