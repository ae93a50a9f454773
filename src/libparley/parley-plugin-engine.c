/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-plugin-engine"

#include "config.h"

#include <girepository.h>

#include "parley-plugin-engine.h"

/* The libpeas set-up shared by parleyd and the desktop (an internal static
 * library, not part of the SDK). Plugins are looked for, in this order:
 *
 * - in the build tree, under <root>/<channel>/<side>/ for each root in
 *   $PARLEY_PLUGIN_DIR (a list separated like PATH);
 * - per user, under $XDG_DATA_HOME/parley/plugins/<side>/<channel>/
 *   (~/.local/share/... by default);
 * - installed, under <install_dir>/<channel>/.
 *
 * Each directory holds a .plugin file and its module. libpeas takes the
 * first plugin of a module name and ignores later ones without a word; a
 * later plugin of a channel kind that an earlier one declares would fail
 * when it starts. Both are reported here with both paths, and only the
 * first is loaded. $PARLEY_TYPELIB_DIR, also a list, points Python plugins
 * at uninstalled typelibs. */

#define KIND_KEY "X-Parley-Channel-Kind"

static void
add_build_tree_plugins (GPtrArray  *dirs,
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
        g_ptr_array_add (dirs, g_steal_pointer (&side_dir));
    }
}

/* Every directory plugins of @side are looked for in, in order. */
static GPtrArray *
list_search_dirs (const char *side,
                  const char *install_dir)
{
  const char *plugin_dirs = g_getenv ("PARLEY_PLUGIN_DIR");
  GPtrArray *dirs = g_ptr_array_new_with_free_func (g_free);

  if (plugin_dirs != NULL)
    {
      g_auto(GStrv) roots = g_strsplit (plugin_dirs, G_SEARCHPATH_SEPARATOR_S, -1);

      for (guint i = 0; roots[i] != NULL; i++)
        add_build_tree_plugins (dirs, roots[i], side);
    }
  g_ptr_array_add (dirs, parley_plugin_engine_dup_user_dir (side));
  g_ptr_array_add (dirs, g_strdup (install_dir));
  return dirs;
}

/* Calls @found for each .plugin file in @dir and its subdirectories, as
 * libpeas finds them. */
static void
scan_plugin_files (const char *dir,
                   guint       depth,
                   void      (*found) (const char *path, gpointer user_data),
                   gpointer    user_data)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, (gpointer) name);
  /* The order the directory hands out is not the order anyone meant. */
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);

      if (depth > 0 && g_file_test (path, G_FILE_TEST_IS_DIR))
        scan_plugin_files (path, depth - 1, found, user_data);
      else if (g_str_has_suffix (path, ".plugin"))
        found (path, user_data);
    }
}

typedef struct {
  GHashTable *modules;   /* module name → .plugin path, the first found */
  GHashTable *kinds;     /* channel kind → .plugin path, the first found */
  GHashTable *shadowed;  /* module names not to load */
} PluginScan;

static void
check_plugin_file (const char *path,
                   gpointer    user_data)
{
  PluginScan *scan = user_data;
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *module = NULL;
  g_autofree char *kind = NULL;
  const char *earlier;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL)
      || (module = g_key_file_get_string (file, "Plugin", "Module", NULL)) == NULL)
    return;  /* libpeas says what is wrong with it */
  if ((earlier = g_hash_table_lookup (scan->modules, module)) != NULL)
    {
      g_warning ("Plugin module “%s” is in both %s and %s: %s is ignored",
                 module, earlier, path, path);
      return;
    }
  g_hash_table_insert (scan->modules, g_strdup (module), g_strdup (path));
  kind = g_key_file_get_string (file, "Plugin", KIND_KEY, NULL);
  if (kind == NULL)
    return;
  if ((earlier = g_hash_table_lookup (scan->kinds, kind)) != NULL)
    {
      g_warning ("Channel kind “%s” is declared by both %s and %s: %s is not loaded",
                 kind, earlier, path, path);
      g_hash_table_add (scan->shadowed, g_steal_pointer (&module));
      return;
    }
  g_hash_table_insert (scan->kinds, g_steal_pointer (&kind), g_strdup (path));
}

/* The module names of plugins that must not load: those declaring a channel
 * kind that a plugin found earlier declares too. */
static GHashTable *
find_shadowed_plugins (GPtrArray *dirs)
{
  PluginScan scan = {
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
  };

  for (guint i = 0; i < dirs->len; i++)
    scan_plugin_files (g_ptr_array_index (dirs, i), 1, check_plugin_file, &scan);
  g_hash_table_unref (scan.modules);
  g_hash_table_unref (scan.kinds);
  return scan.shadowed;
}

/**
 * parley_plugin_engine_dup_user_dir:
 * @side: "hub" or "desktop"
 *
 * Returns: (transfer full): the directory one user's plugins for @side
 *   are installed in, `$XDG_DATA_HOME/parley/plugins/<side>`
 */
char *
parley_plugin_engine_dup_user_dir (const char *side)
{
  return g_build_filename (g_get_user_data_dir (), "parley", "plugins", side, NULL);
}

/* A new engine with the Python loader and every search path for @side
 * ("hub" or "desktop"). @typelib_namespace is what Python plugins import. */
PeasEngine *
parley_plugin_engine_new (const char *side,
                          const char *install_dir,
                          const char *typelib_namespace)
{
  const char *typelib_dirs = g_getenv ("PARLEY_TYPELIB_DIR");
  g_auto(GStrv) typelib_list = g_strsplit (typelib_dirs ? typelib_dirs : PARLEY_TYPELIB_DIR, G_SEARCHPATH_SEPARATOR_S, -1);
  g_autoptr(GPtrArray) dirs = list_search_dirs (side, install_dir);
  g_autoptr(GError) error = NULL;
  PeasEngine *engine;

  for (guint i = g_strv_length (typelib_list); i-- > 0;)
    g_irepository_prepend_search_path (typelib_list[i]);
  if (!g_irepository_require (NULL, typelib_namespace, "1", 0, &error))
    g_debug ("%s typelib not found, Python plugins will not load: %s", typelib_namespace, error->message);

  engine = peas_engine_new ();
  peas_engine_enable_loader (engine, "python3");
  for (guint i = 0; i < dirs->len; i++)
    peas_engine_add_search_path (engine, g_ptr_array_index (dirs, i), NULL);
  g_object_set_data_full (G_OBJECT (engine), "parley-shadowed-plugins",
                          find_shadowed_plugins (dirs), (GDestroyNotify) g_hash_table_unref);
  return engine;
}

/* Loads every plugin found, but those shadowed by an earlier plugin of the
 * same channel kind, and calls @loaded for each that loaded. A plugin that
 * fails is logged and skipped: one broken channel never takes the process
 * down. */
void
parley_plugin_engine_load_all (PeasEngine             *engine,
                               ParleyPluginLoadedFunc  loaded,
                               gpointer                user_data)
{
  GHashTable *shadowed = g_object_get_data (G_OBJECT (engine), "parley-shadowed-plugins");

  for (const GList *l = peas_engine_get_plugin_list (engine); l != NULL; l = l->next)
    {
      PeasPluginInfo *info = l->data;
      g_autoptr(GError) error = NULL;

      if (g_hash_table_contains (shadowed, peas_plugin_info_get_module_name (info)))
        continue;
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

/**
 * parley_plugin_engine_check_kind:
 * @info: a loaded plugin
 * @kind: (nullable): the channel kind its code says it serves
 * @error: return location for a #GError
 *
 * Whether @kind is a kind (not empty, UTF-8) and the one the plugin's file
 * declares (`X-Parley-Channel-Kind`), which is what duplicates were looked
 * for by. A plugin whose code and file disagree must not be started.
 *
 * Returns: %TRUE when they agree, else %FALSE with @error saying why
 *   (%G_IO_ERROR_INVALID_DATA), for the caller to log
 */
gboolean
parley_plugin_engine_check_kind (PeasPluginInfo  *info,
                                 const char      *kind,
                                 GError         **error)
{
  const char *declared = peas_plugin_info_get_external_data (info, "Parley-Channel-Kind");

  if (declared == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "its .plugin file declares no " KIND_KEY);
  else if (kind == NULL || *kind == '\0')
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "its channel gives no kind");
  else if (!g_utf8_validate (kind, -1, NULL))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "its channel kind is not UTF-8");
  else if (!g_str_equal (declared, kind))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "its channel says it is “%s” but its .plugin file declares “%s”", kind, declared);
  else
    return TRUE;
  return FALSE;
}
