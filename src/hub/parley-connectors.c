/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-connectors"

#include "config.h"

#include "parley-connectors.h"

typedef struct
{
  char            *kind;
  ParleyConnector *connector;
} ParleyConnectorEntry;

struct _ParleyConnectors
{
  GObject  parent_instance;

  GArray  *entries;   /* ParleyConnectorEntry, in the order they were added */
};

G_DEFINE_FINAL_TYPE (ParleyConnectors, parley_connectors, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
state_changed_cb (ParleyConnector  *connector,
                  GParamSpec       *pspec,
                  ParleyConnectors *self)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      ParleyConnectorEntry *entry = &g_array_index (self->entries, ParleyConnectorEntry, i);

      if (entry->connector == connector)
        g_signal_emit (self, signals[CHANGED], 0, entry->kind, connector);
    }
}

static void
entry_clear (gpointer data)
{
  ParleyConnectorEntry *entry = data;

  g_signal_handlers_disconnect_matched (entry->connector, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, state_changed_cb, NULL);
  parley_connector_stop (entry->connector);
  g_clear_object (&entry->connector);
  g_clear_pointer (&entry->kind, g_free);
}

static void
parley_connectors_dispose (GObject *object)
{
  ParleyConnectors *self = PARLEY_CONNECTORS (object);

  if (self->entries != NULL)
    g_array_set_size (self->entries, 0);
  G_OBJECT_CLASS (parley_connectors_parent_class)->dispose (object);
}

static void
parley_connectors_finalize (GObject *object)
{
  g_array_unref (PARLEY_CONNECTORS (object)->entries);
  G_OBJECT_CLASS (parley_connectors_parent_class)->finalize (object);
}

static void
parley_connectors_class_init (ParleyConnectorsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = parley_connectors_dispose;
  object_class->finalize = parley_connectors_finalize;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 2, G_TYPE_STRING, PARLEY_TYPE_CONNECTOR);
}

static void
parley_connectors_init (ParleyConnectors *self)
{
  self->entries = g_array_new (FALSE, TRUE, sizeof (ParleyConnectorEntry));
  g_array_set_clear_func (self->entries, entry_clear);
}

ParleyConnectors *
parley_connectors_new (void)
{
  return g_object_new (PARLEY_TYPE_CONNECTORS, NULL);
}

/* Runs @connector for channel @kind from now on. */
void
parley_connectors_add (ParleyConnectors *self,
                       const char       *kind,
                       ParleyConnector  *connector)
{
  ParleyConnectorEntry entry = { g_strdup (kind), g_object_ref (connector) };

  g_return_if_fail (PARLEY_IS_CONNECTORS (self));
  g_return_if_fail (PARLEY_IS_CONNECTOR (connector));

  g_array_append_val (self->entries, entry);
  g_signal_connect (connector, "notify::state", G_CALLBACK (state_changed_cb), self);
  parley_connector_start (connector);
}

/* Stops and forgets the connectors of channel @kind. */
void
parley_connectors_remove_kind (ParleyConnectors *self,
                               const char       *kind)
{
  g_return_if_fail (PARLEY_IS_CONNECTORS (self));

  for (guint i = self->entries->len; i > 0; i--)
    if (g_str_equal (g_array_index (self->entries, ParleyConnectorEntry, i - 1).kind, kind))
      g_array_remove_index (self->entries, i - 1);
}

/* {"channel","name","state","message"?,"since","failures","next_attempt"}:
 * times in seconds since the epoch, next_attempt 0 when none is due. */
JsonObject *
parley_connectors_describe (ParleyConnectors *self,
                            ParleyConnector  *connector)
{
  g_autoptr(GEnumClass) states = g_type_class_ref (PARLEY_TYPE_CONNECTOR_STATE);
  JsonObject *object = json_object_new ();
  const char *channel = NULL;

  for (guint i = 0; i < self->entries->len && channel == NULL; i++)
    if (g_array_index (self->entries, ParleyConnectorEntry, i).connector == connector)
      channel = g_array_index (self->entries, ParleyConnectorEntry, i).kind;
  json_object_set_string_member (object, "channel", channel);
  json_object_set_string_member (object, "name", parley_connector_get_name (connector));
  json_object_set_string_member (object, "state",
                                 g_enum_get_value (states, parley_connector_get_state (connector))->value_nick);
  if (parley_connector_get_message (connector) != NULL)
    json_object_set_string_member (object, "message", parley_connector_get_message (connector));
  json_object_set_int_member (object, "since", parley_connector_get_since (connector) / G_USEC_PER_SEC);
  json_object_set_int_member (object, "failures", parley_connector_get_failures (connector));
  json_object_set_int_member (object, "next_attempt", parley_connector_get_next_attempt (connector) / G_USEC_PER_SEC);
  return object;
}

/* Every connector, described as above. */
JsonArray *
parley_connectors_list (ParleyConnectors *self)
{
  JsonArray *list = json_array_new ();

  g_return_val_if_fail (PARLEY_IS_CONNECTORS (self), list);

  for (guint i = 0; i < self->entries->len; i++)
    json_array_add_object_element (list, parley_connectors_describe (self,
                                   g_array_index (self->entries, ParleyConnectorEntry, i).connector));
  return list;
}
