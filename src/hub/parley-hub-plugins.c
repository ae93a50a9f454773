/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-hub-plugins"

#include "config.h"

#include "parley-hub-private.h"
#include "parley-plugin-engine.h"

/* Channel plugins, through libpeas (see parley-plugin-engine.c for where
 * they are found). A plugin that fails to load or start is logged and
 * skipped: one broken channel never takes the hub down. */

static void
start_channel (PeasEngine     *engine,
               PeasPluginInfo *info,
               gpointer        user_data)
{
  ParleyHub *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PeasExtension) extension = NULL;
  const char *kind;

  if (!peas_engine_provides_extension (self->engine, info, PARLEY_TYPE_CHANNEL))
    return;
  extension = peas_engine_create_extension (self->engine, info, PARLEY_TYPE_CHANNEL, "host", self, NULL);
  if (extension == NULL)
    {
      g_warning ("Plugin %s provides no usable channel", peas_plugin_info_get_module_name (info));
      return;
    }
  kind = parley_channel_get_kind (PARLEY_CHANNEL (extension));
  if (!parley_plugin_engine_check_kind (info, kind))
    return;
  if (kind == NULL || g_hash_table_contains (self->channels, kind))
    {
      g_warning ("Plugin %s: channel kind “%s” is missing or taken", peas_plugin_info_get_module_name (info), kind);
      return;
    }
  if (!parley_channel_start (PARLEY_CHANNEL (extension), &error))
    {
      g_warning ("Channel %s did not start: %s", kind, error->message);
      parley_channel_routes_remove_kind (self->channel_routes, kind);
      parley_connectors_remove_kind (self->connectors, kind);
      return;
    }
  g_message ("Channel %s started (%s)", kind, peas_plugin_info_get_name (info));
  g_hash_table_insert (self->channels, g_strdup (kind), g_steal_pointer (&extension));
}

/* Supervisors see a connector's health change as it happens. */
static void
connector_changed_cb (ParleyConnectors *connectors,
                      const char       *kind,
                      ParleyConnector  *connector,
                      ParleyHub        *self)
{
  g_autoptr(JsonObject) message = json_object_new ();

  json_object_set_string_member (message, "type", "connector");
  json_object_set_object_member (message, "connector", parley_connectors_describe (connectors, connector));
  _parley_hub_push_to_supervisors (self, message);
}

void
_parley_hub_load_plugins (ParleyHub *self)
{
  self->channel_routes = parley_channel_routes_new (self->config->max_body_size);
  self->connectors = parley_connectors_new ();
  g_signal_connect (self->connectors, "changed", G_CALLBACK (connector_changed_cb), self);
  self->engine = parley_plugin_engine_new ("hub", PARLEY_HUB_PLUGIN_DIR, "Parley");
  parley_plugin_engine_load_all (self->engine, start_channel, self);
}

void
_parley_hub_unload_plugins (ParleyHub *self)
{
  GHashTableIter iter;
  gpointer kind, channel;

  if (self->channels == NULL)
    return;
  g_hash_table_iter_init (&iter, self->channels);
  while (g_hash_table_iter_next (&iter, &kind, &channel))
    {
      parley_connectors_remove_kind (self->connectors, kind);
      parley_channel_stop (channel);
      parley_channel_routes_remove_kind (self->channel_routes, kind);
    }
  g_hash_table_remove_all (self->channels);
}

ParleyChannel *
_parley_hub_get_channel (ParleyHub  *self,
                         const char *kind)
{
  return kind ? g_hash_table_lookup (self->channels, kind) : NULL;
}
