/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-plugin-engine"

#include "config.h"

#include <girepository.h>

#include "parley-plugin-engine.h"

/* The libpeas set-up shared by parleyd and the desktop (an internal static
 * library, not part of the SDK). Installed plugins live in
 * <install_dir>/<channel>/; in the build tree they are under
 * <root>/<channel>/<side>/ for each root in $PARLEY_PLUGIN_DIR (a list
 * separated like PATH). $PARLEY_TYPELIB_DIR, also a list, points Python
 * plugins at uninstalled typelibs. */

static void
add_build_tree_plugins (PeasEngine *engine,
                        const char *root,
                        const char *side)
{
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *side_dir = g_build_filename (root, name, side, NULL);

      if (g_file_test (side_dir, G_FILE_TEST_IS_DIR))
        peas_engine_add_search_path (engine, side_dir, NULL);
    }
}

/* A new engine with the Python loader and every search path for @side
 * ("hub" or "desktop"). @typelib_namespace is what Python plugins import. */
PeasEngine *
parley_plugin_engine_new (const char *side,
                          const char *install_dir,
                          const char *typelib_namespace)
{
  const char *plugin_dirs = g_getenv ("PARLEY_PLUGIN_DIR");
  const char *typelib_dirs = g_getenv ("PARLEY_TYPELIB_DIR");
  g_auto(GStrv) typelib_list = g_strsplit (typelib_dirs ? typelib_dirs : PARLEY_TYPELIB_DIR, G_SEARCHPATH_SEPARATOR_S, -1);
  g_autoptr(GError) error = NULL;
  PeasEngine *engine;

  for (guint i = g_strv_length (typelib_list); i-- > 0;)
    g_irepository_prepend_search_path (typelib_list[i]);
  if (!g_irepository_require (NULL, typelib_namespace, "1", 0, &error))
    g_debug ("%s typelib not found, Python plugins will not load: %s", typelib_namespace, error->message);

  engine = peas_engine_new ();
  peas_engine_enable_loader (engine, "python3");
  if (plugin_dirs != NULL)
    {
      g_auto(GStrv) roots = g_strsplit (plugin_dirs, G_SEARCHPATH_SEPARATOR_S, -1);

      for (guint i = 0; roots[i] != NULL; i++)
        add_build_tree_plugins (engine, roots[i], side);
    }
  peas_engine_add_search_path (engine, install_dir, NULL);
  return engine;
}

/* Loads every plugin found and calls @loaded for each that loaded. A plugin
 * that fails is logged and skipped: one broken channel never takes the
 * process down. */
void
parley_plugin_engine_load_all (PeasEngine             *engine,
                               ParleyPluginLoadedFunc  loaded,
                               gpointer                user_data)
{
  for (const GList *l = peas_engine_get_plugin_list (engine); l != NULL; l = l->next)
    {
      PeasPluginInfo *info = l->data;
      g_autoptr(GError) error = NULL;

      if (!peas_engine_load_plugin (engine, info))
        {
          peas_plugin_info_is_available (info, &error);
          g_warning ("Plugin %s did not load: %s", peas_plugin_info_get_module_name (info),
                     error ? error->message : "unknown error");
          continue;
        }
      loaded (engine, info, user_data);
    }
}
