/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where the hub and the desktop find plugins: the per-user directory, and
 * what happens when two plugins claim the same module name or channel kind,
 * or a plugin's code serves another kind than its file declares. */
#include "config.h"

#include <gio/gio.h>

#include "parley-plugin-engine.h"

static char *
write_plugin (const char *dir,
              const char *module,
              const char *kind)
{
  g_autofree char *contents = g_strdup_printf ("[Plugin]\nModule=%s\nName=%s\nX-Parley-Channel-Kind=%s\n",
                                               module, module, kind);
  char *path = g_build_filename (dir, module, NULL);
  g_autofree char *file = g_strconcat (path, G_DIR_SEPARATOR_S, module, ".plugin", NULL);

  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, contents, -1, NULL));
  return path;
}

/* A build-tree root ($PARLEY_PLUGIN_DIR) holding only a copy of the built
 * api channel, <root>/api/hub (a copy: the isolated directories are
 * deleted after each test, and a link would take the build with them). */
static char *
make_build_tree_root (void)
{
  const char *built = g_getenv ("API_HUB_PLUGIN_DIR");
  const char *files[] = { "api-hub.plugin", "libapi-hub.so" };
  char *root = g_build_filename (g_get_user_cache_dir (), "tree", NULL);
  g_autofree char *hub = g_build_filename (root, "api", "hub", NULL);

  g_assert_cmpint (g_mkdir_with_parents (hub, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *from_path = g_build_filename (built, files[i], NULL);
      g_autofree char *to_path = g_build_filename (hub, files[i], NULL);
      g_autoptr(GFile) from = g_file_new_for_path (from_path);
      g_autoptr(GFile) to = g_file_new_for_path (to_path);
      g_autoptr(GError) error = NULL;

      g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  return root;
}

static void
count_loaded (PeasEngine     *engine,
              PeasPluginInfo *info,
              gpointer        user_data)
{
  g_ptr_array_add (user_data, g_strdup (peas_plugin_info_get_module_name (info)));
}

static void
test_user_dir (void)
{
  g_autofree char *user_dir = parley_plugin_engine_dup_user_dir ("hub");
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "parley", "plugins", "hub", NULL);
  g_autofree char *plugin_dir = NULL;
  g_autoptr(PeasEngine) engine = NULL;
  PeasPluginInfo *info;

  g_assert_cmpstr (user_dir, ==, expected);
  plugin_dir = write_plugin (user_dir, "sms-example", "sms-example");
  g_unsetenv ("PARLEY_PLUGIN_DIR");
  engine = parley_plugin_engine_new ("hub", "/nonexistent", "Parley");
  info = peas_engine_get_plugin_info (engine, "sms-example");
  g_assert_nonnull (info);
  g_assert_cmpstr (peas_plugin_info_get_module_dir (info), ==, plugin_dir);
}

/* An engine for the build tree at @root and a per-user plugin @module of
 * kind "api", which clashes with the api channel there: the warning, which
 * begins with @clash_what, names the api channel's file and then @module's. */
static PeasEngine *
new_engine_with_clash (const char *root,
                       const char *module,
                       const char *clash_what)
{
  g_autofree char *user_dir = parley_plugin_engine_dup_user_dir ("hub");
  g_autofree char *clash = write_plugin (user_dir, module, "api");
  g_autofree char *pattern = g_strdup_printf ("*%s both %s/api/hub/api-hub.plugin and %s/%s.plugin*",
                                              clash_what, root, clash, module);
  PeasEngine *engine;

  g_setenv ("PARLEY_PLUGIN_DIR", root, TRUE);
  g_test_expect_message ("parley-plugin-engine", G_LOG_LEVEL_WARNING, pattern);
  engine = parley_plugin_engine_new ("hub", "/nonexistent", "Parley");
  g_test_assert_expected_messages ();
  return engine;
}

static void
test_duplicate_module (void)
{
  g_autofree char *root = make_build_tree_root ();
  g_autoptr(PeasEngine) engine =
    new_engine_with_clash (root, "api-hub", "“api-hub” is in");
  PeasPluginInfo *info;

  /* The one reported as used is the one libpeas uses. */
  info = peas_engine_get_plugin_info (engine, "api-hub");
  g_assert_true (g_str_has_prefix (peas_plugin_info_get_module_dir (info), root));
}

static void
test_duplicate_kind (void)
{
  g_autofree char *root = make_build_tree_root ();
  g_autoptr(PeasEngine) engine =
    new_engine_with_clash (root, "impostor", "“api” is declared by");
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (g_free);
  PeasPluginInfo *info;
  g_autoptr(GError) error = NULL;

  /* The impostor's module does not exist: trying it would fail loudly. */
  parley_plugin_engine_load_all (engine, count_loaded, loaded);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (loaded, 0), ==, "api-hub");
  g_assert_false (peas_plugin_info_is_loaded (peas_engine_get_plugin_info (engine, "impostor")));

  /* The hub and the desktop start a loaded plugin only if its code serves
   * the kind its file declares (here, since a module loads once a process). */
  info = peas_engine_get_plugin_info (engine, "api-hub");
  g_assert_true (parley_plugin_engine_check_kind (info, "api", NULL));
  g_assert_false (parley_plugin_engine_check_kind (info, "chat", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "its channel says it is “chat” but its .plugin file"));
  g_clear_error (&error);
  g_assert_false (parley_plugin_engine_check_kind (info, NULL, &error));
  g_assert_cmpstr (error->message, ==, "its channel gives no kind");
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/sdk/plugin-engine/user-dir", test_user_dir);
  g_test_add_func ("/sdk/plugin-engine/duplicate-module", test_duplicate_module);
  g_test_add_func ("/sdk/plugin-engine/duplicate-kind", test_duplicate_kind);
  return g_test_run ();
}
