/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-hub-plugins"

#include "config.h"

#include <girepository.h>

#include "parley-hub-private.h"

/* Channel plugins, through libpeas. Installed plugins live in
 * PARLEY_HUB_PLUGIN_DIR/<channel>/; in the build tree they are under
 * <root>/<channel>/hub/ for each root in $PARLEY_PLUGIN_DIR (a list
 * separated like PATH). A plugin that fails to load or start
 * is logged and skipped: one broken channel never takes the hub down. */

static void
add_build_tree_plugins (PeasEngine *engine,
                        const char *root)
{
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *hub_dir = g_build_filename (root, name, "hub", NULL);

      if (g_file_test (hub_dir, G_FILE_TEST_IS_DIR))
        peas_engine_add_search_path (engine, hub_dir, NULL);
    }
}

static void
start_channel (ParleyHub      *self,
               PeasPluginInfo *info)
{
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
  if (kind == NULL || g_hash_table_contains (self->channels, kind))
    {
      g_warning ("Plugin %s: channel kind “%s” is missing or taken", peas_plugin_info_get_module_name (info), kind);
      return;
    }
  if (!parley_channel_start (PARLEY_CHANNEL (extension), &error))
    {
      g_warning ("Channel %s did not start: %s", kind, error->message);
      return;
    }
  g_message ("Channel %s started (%s)", kind, peas_plugin_info_get_name (info));
  g_hash_table_insert (self->channels, g_strdup (kind), g_steal_pointer (&extension));
}

void
_parley_hub_load_plugins (ParleyHub *self)
{
  const char *plugin_dir = g_getenv ("PARLEY_PLUGIN_DIR");
  const char *typelib_dir = g_getenv ("PARLEY_TYPELIB_DIR");
  g_autoptr(GError) error = NULL;
  const GList *plugins;

  /* Python plugins need the Parley typelib; C plugins do not. */
  g_irepository_prepend_search_path (typelib_dir ? typelib_dir : PARLEY_TYPELIB_DIR);
  if (!g_irepository_require (NULL, "Parley", "1", 0, &error))
    g_debug ("Parley typelib not found, Python plugins will not load: %s", error->message);

  self->engine = peas_engine_new ();
  peas_engine_enable_loader (self->engine, "python3");
  if (plugin_dir != NULL)
    {
      g_auto(GStrv) roots = g_strsplit (plugin_dir, G_SEARCHPATH_SEPARATOR_S, -1);

      for (guint i = 0; roots[i] != NULL; i++)
        add_build_tree_plugins (self->engine, roots[i]);
    }
  peas_engine_add_search_path (self->engine, PARLEY_HUB_PLUGIN_DIR, NULL);

  for (plugins = peas_engine_get_plugin_list (self->engine); plugins != NULL; plugins = plugins->next)
    {
      PeasPluginInfo *info = plugins->data;
      g_autoptr(GError) load_error = NULL;

      if (!peas_engine_load_plugin (self->engine, info))
        {
          peas_plugin_info_is_available (info, &load_error);
          g_warning ("Plugin %s did not load: %s", peas_plugin_info_get_module_name (info),
                     load_error ? load_error->message : "unknown error");
          continue;
        }
      start_channel (self, info);
    }
}

void
_parley_hub_unload_plugins (ParleyHub *self)
{
  GHashTableIter iter;
  gpointer channel;

  if (self->channels == NULL)
    return;
  g_hash_table_iter_init (&iter, self->channels);
  while (g_hash_table_iter_next (&iter, NULL, &channel))
    parley_channel_stop (channel);
  g_hash_table_remove_all (self->channels);
}

ParleyChannel *
_parley_hub_get_channel (ParleyHub  *self,
                         const char *kind)
{
  return kind ? g_hash_table_lookup (self->channels, kind) : NULL;
}
