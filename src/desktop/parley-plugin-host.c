/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-plugin-host"

#include "config.h"

#include "parley-plugin-engine.h"
#include "parley-plugin-host.h"

/**
 * ParleyPluginHost:
 *
 * The desktop's channel plugins, loaded through libpeas from
 * PARLEY_DESKTOP_PLUGIN_DIR (and the build tree). A channel without a
 * plugin gets the generic plain-text one, so every channel the hub runs can
 * be read and answered.
 */
struct _ParleyPluginHost
{
  GObject       parent_instance;

  PeasEngine   *engine;
  GHashTable   *plugins;  /* kind → ParleyUiChannel from a plugin */
  GHashTable   *generic;  /* kind → ParleyUiTextChannel */
  ParleyClient *client;   /* given to every channel, generic ones too */
};

G_DEFINE_FINAL_TYPE (ParleyPluginHost, parley_plugin_host, G_TYPE_OBJECT)

static void
plugin_loaded (PeasEngine     *engine,
               PeasPluginInfo *info,
               gpointer        user_data)
{
  ParleyPluginHost *self = user_data;
  g_autoptr(PeasExtension) extension = NULL;
  const char *kind;

  if (!peas_engine_provides_extension (engine, info, PARLEY_UI_TYPE_CHANNEL))
    return;
  extension = peas_engine_create_extension (engine, info, PARLEY_UI_TYPE_CHANNEL, NULL);
  if (extension == NULL || (kind = parley_ui_channel_get_kind (PARLEY_UI_CHANNEL (extension))) == NULL)
    {
      g_warning ("Plugin %s provides no usable channel", peas_plugin_info_get_module_name (info));
      return;
    }
  if (!parley_plugin_engine_check_kind (info, kind))
    return;
  if (g_hash_table_contains (self->plugins, kind))
    {
      g_warning ("Plugin %s: channel “%s” already has a plugin", peas_plugin_info_get_module_name (info), kind);
      return;
    }
  g_debug ("Desktop plugin for %s: %s", kind, peas_plugin_info_get_name (info));
  g_hash_table_insert (self->plugins, g_strdup (kind), g_steal_pointer (&extension));
}

static void
parley_plugin_host_dispose (GObject *object)
{
  ParleyPluginHost *self = PARLEY_PLUGIN_HOST (object);

  g_clear_pointer (&self->plugins, g_hash_table_unref);
  g_clear_pointer (&self->generic, g_hash_table_unref);
  g_clear_object (&self->engine);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (parley_plugin_host_parent_class)->dispose (object);
}

static void
parley_plugin_host_class_init (ParleyPluginHostClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = parley_plugin_host_dispose;
}

static void
parley_plugin_host_init (ParleyPluginHost *self)
{
  self->plugins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->generic = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->engine = parley_plugin_engine_new ("desktop", PARLEY_DESKTOP_PLUGIN_DIR, "ParleyUi");
  parley_plugin_engine_load_all (self->engine, plugin_loaded, self);
}

ParleyPluginHost *
parley_plugin_host_new (void)
{
  return g_object_new (PARLEY_TYPE_PLUGIN_HOST, NULL);
}

/* The plugin for @kind, or the generic plain-text channel. */
ParleyUiChannel *
parley_plugin_host_get_channel (ParleyPluginHost *self,
                                const char       *kind)
{
  ParleyUiChannel *channel;

  if (kind == NULL)
    kind = "";
  if ((channel = g_hash_table_lookup (self->plugins, kind)) != NULL)
    return channel;
  if ((channel = g_hash_table_lookup (self->generic, kind)) == NULL)
    {
      channel = PARLEY_UI_CHANNEL (parley_ui_text_channel_new (kind));
      g_hash_table_insert (self->generic, g_strdup (kind), channel);
      if (self->client)
        parley_ui_channel_set_client (channel, self->client);
    }
  return channel;
}

/* The kinds served by real plugins (not the generic fallback). */
GList *
parley_plugin_host_list_plugin_kinds (ParleyPluginHost *self)
{
  return g_hash_table_get_keys (self->plugins);
}

/* Hands the hub connection to every channel: plugins talk to their hub
 * side with it, and every channel's views fetch files with it. */
void
parley_plugin_host_set_client (ParleyPluginHost *self,
                               ParleyClient     *client)
{
  GHashTable *tables[] = { self->plugins, self->generic };

  g_set_object (&self->client, client);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      GHashTableIter iter;
      gpointer channel;

      g_hash_table_iter_init (&iter, tables[i]);
      while (g_hash_table_iter_next (&iter, NULL, &channel))
        parley_ui_channel_set_client (channel, client);
    }
}
