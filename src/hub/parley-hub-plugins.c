/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-hub-plugins"

#include "config.h"

#include "parley-hub-private.h"
#include "parley-plugin-engine.h"

/* Channel plugins, through libpeas (see parley-plugin-engine.c for where
 * they are found). A plugin that fails to load or start, whatever it
 * returns or does, is logged with its name and left out: one broken
 * channel never takes the hub down. */

/* The kind a plugin's code gives, if it may have it: a name (not empty),
 * the one its .plugin file declares (X-Parley-Channel-Kind), and no other
 * running channel's. The declaration is required: a plugin claiming
 * another's kind in code alone would shadow it if loaded first. */
static gboolean
check_kind (ParleyHub       *self,
            PeasPluginInfo  *info,
            const char      *kind,
            GError         **error)
{
  if (!parley_plugin_engine_check_kind (info, kind, error))
    return FALSE;
  if (g_hash_table_contains (self->channels, kind))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT, "channel “%s” is running already", kind);
      return FALSE;
    }
  return TRUE;
}

static void
start_channel (PeasEngine     *engine,
               PeasPluginInfo *info,
               gpointer        user_data)
{
  ParleyHub *self = user_data;
  const char *module = peas_plugin_info_get_module_name (info);
  g_autoptr(GError) error = NULL;
  g_autoptr(PeasExtension) extension = NULL;
  g_autofree char *kind = NULL;
  ParleyChannelInfo *declaration;

  if (!peas_engine_provides_extension (self->engine, info, PARLEY_TYPE_CHANNEL))
    return;
  extension = peas_engine_create_extension (self->engine, info, PARLEY_TYPE_CHANNEL, "host", self, NULL);
  if (extension == NULL)
    {
      g_warning ("Plugin %s is disabled: it provides no usable channel", module);
      return;
    }
  /* A copy: the plugin's string need not outlive the call. */
  kind = g_strdup (parley_channel_get_kind (PARLEY_CHANNEL (extension)));
  if (!check_kind (self, info, kind, &error))
    {
      g_warning ("Plugin %s is disabled: %s", module, error->message);
      return;
    }
  /* Hub and desktop take everything about a channel from its declaration. */
  if ((declaration = parley_channel_get_info (PARLEY_CHANNEL (extension))) == NULL ||
      g_strcmp0 (parley_channel_info_get_kind (declaration), kind) != 0)
    {
      g_warning ("Plugin %s is disabled: its channel declares no ParleyChannelInfo of kind “%s”", module, kind);
      return;
    }
  if (!parley_channel_start (PARLEY_CHANNEL (extension), &error))
    {
      g_warning ("Plugin %s is disabled: channel %s did not start: %s", module, kind, error->message);
      /* What it took before failing, it gives back; the routes and
       * connectors it registered go with it. */
      parley_channel_stop (PARLEY_CHANNEL (extension));
      parley_channel_routes_remove_kind (self->channel_routes, kind);
      parley_connectors_remove_kind (self->connectors, kind);
      /* Kept idle: its settings can still be given, and start it. */
      g_hash_table_insert (self->idle_channels, g_steal_pointer (&kind), g_steal_pointer (&extension));
      return;
    }
  g_message ("Channel %s started (%s)", kind, peas_plugin_info_get_name (info));
  g_hash_table_insert (self->channels, g_steal_pointer (&kind), g_steal_pointer (&extension));
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
  g_hash_table_remove_all (self->idle_channels);
}

ParleyChannel *
_parley_hub_get_channel (ParleyHub  *self,
                         const char *kind)
{
  return kind ? g_hash_table_lookup (self->channels, kind) : NULL;
}

/* The declaration of channel @kind, running or idle, or NULL. */
ParleyChannelInfo *
_parley_hub_get_declaration (ParleyHub  *self,
                             const char *kind)
{
  ParleyChannel *channel = _parley_hub_get_channel (self, kind);

  if (channel == NULL && kind != NULL)
    channel = g_hash_table_lookup (self->idle_channels, kind);
  return channel ? parley_channel_get_info (channel) : NULL;
}

/* Stops channel @kind (running or idle) and starts it again, reading its
 * settings anew. One that does not start is kept idle, for the caller to
 * try again (with the settings it had). */
gboolean
_parley_hub_restart_channel (ParleyHub   *self,
                             const char  *kind,
                             GError     **error)
{
  g_autoptr(ParleyChannel) channel = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) start_error = NULL;
  gboolean running = g_hash_table_contains (self->channels, kind);

  if (!g_hash_table_steal_extended (running ? self->channels : self->idle_channels, kind,
                                    (gpointer *) &key, (gpointer *) &channel))
    g_return_val_if_reached (FALSE);
  if (running)
    {
      parley_connectors_remove_kind (self->connectors, kind);
      parley_channel_stop (channel);
      parley_channel_routes_remove_kind (self->channel_routes, kind);
    }
  if (parley_channel_start (channel, &start_error))
    {
      g_message ("Channel %s started with new settings", kind);
      g_hash_table_insert (self->channels, g_strdup (kind), g_steal_pointer (&channel));
      return TRUE;
    }
  g_warning ("Channel %s did not start: %s", kind, start_error->message);
  parley_channel_stop (channel);
  parley_connectors_remove_kind (self->connectors, kind);
  parley_channel_routes_remove_kind (self->channel_routes, kind);
  g_hash_table_insert (self->idle_channels, g_strdup (kind), g_steal_pointer (&channel));
  g_propagate_error (error, g_steal_pointer (&start_error));
  return FALSE;
}
