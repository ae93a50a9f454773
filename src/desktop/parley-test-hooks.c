/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-test-hooks"

#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "parley-test-hooks.h"

/* Actions that only the UI tests use, installed when PARLEY_TEST_HOOKS=1.
 * Tests call them over D-Bus (org.gtk.Actions on /org/parley/Parley) to
 * render the window to PNG the way the user sees it, in the light or
 * dark style and at a given size, and to read what the timeline shows. The start-up benchmark reads the line
 * printed when the first frame with the queue has been painted. */

static void
screenshot_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width, height;

  if (window == NULL)
    return;
  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_warning ("Nothing to render at %d×%d yet", width, height);
      return;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, g_variant_get_string (parameter, NULL)))
    g_warning ("Could not write %s", g_variant_get_string (parameter, NULL));
}

static void
style_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  gboolean dark = g_str_equal (g_variant_get_string (parameter, NULL), "dark");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
}

static void
window_size_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  int width, height;

  g_variant_get (parameter, "(ii)", &width, &height);
  if (window)
    {
      gtk_window_unmaximize (window);
      gtk_window_set_default_size (window, width, height);
    }
}

/**
 * parley_test_hooks_find_widget:
 * @root: where to look
 * @type: the widget type sought
 * @css_class: (nullable): a style class it must have
 *
 * For tests and benchmarks: the first widget of @type under @root (itself
 * included), with @css_class if given (the channel drop-down holds a list
 * view of its own).
 *
 * Returns: (transfer none) (nullable): the widget
 */
GtkWidget *
parley_test_hooks_find_widget (GtkWidget  *root,
                               GType       type,
                               const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (css_class == NULL || gtk_widget_has_css_class (root, css_class)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = parley_test_hooks_find_widget (child, type, css_class);

      if (found)
        return found;
    }
  return NULL;
}

/* Adds the text of every label under @widget that lies within @list's
 * visible area. */
static void
collect_visible_labels (GtkWidget *widget,
                        GtkWidget *list,
                        JsonArray *texts)
{
  graphene_rect_t bounds;

  if (!gtk_widget_get_child_visible (widget) || !gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_widget_compute_bounds (widget, list, &bounds) &&
      bounds.origin.y >= 0 && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (list))
    json_array_add_string_element (texts, gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_visible_labels (child, list, texts);
}

/* Writes the texts the timeline shows on screen, as a JSON array, to the
 * file named: AT-SPI in GTK 4.8 tells which labels exist, not which are
 * scrolled into view. */
static void
timeline_visible_activated (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GtkWidget *list = window ? parley_test_hooks_find_widget (GTK_WIDGET (window), GTK_TYPE_LIST_VIEW, "timeline") : NULL;
  g_autoptr(JsonArray) texts = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;

  if (list == NULL)
    return;
  collect_visible_labels (list, list, texts);
  node = json_node_init_array (json_node_alloc (), texts);
  json = json_to_string (node, FALSE);
  g_file_set_contents (g_variant_get_string (parameter, NULL), json, -1, NULL);
}

static void
queue_painted_cb (GdkFrameClock *clock,
                  gpointer       user_data)
{
  /* Wall-clock time, so the benchmark can subtract its own launch time. */
  g_print ("parley-test: first frame with the queue at %" G_GINT64_FORMAT " us\n", g_get_real_time ());
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (clock, queue_painted_cb, user_data);
}

static void
queue_shown_cb (GtkWidget  *window,
                GParamSpec *pspec,
                gpointer    user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_handlers_disconnect_by_func (window, queue_shown_cb, user_data);
  if (clock == NULL)
    return;
  g_signal_connect (clock, "after-paint", G_CALLBACK (queue_painted_cb), NULL);
  gtk_widget_queue_draw (window);
}

static void
window_added_cb (GtkApplication *application,
                 GtkWindow      *window,
                 gpointer        user_data)
{
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (window), "queue-shown"))
    g_signal_connect (window, "notify::queue-shown", G_CALLBACK (queue_shown_cb), NULL);
}

static const GActionEntry hooks[] = {
  { "test-screenshot", screenshot_activated, "s" },
  { "test-style", style_activated, "s" },
  { "test-window-size", window_size_activated, "(ii)" },
  { "test-timeline-visible", timeline_visible_activated, "s" },
};

void
parley_test_hooks_install (GtkApplication *application)
{
  if (g_strcmp0 (g_getenv ("PARLEY_TEST_HOOKS"), "1") != 0)
    return;
  g_action_map_add_action_entries (G_ACTION_MAP (application), hooks, G_N_ELEMENTS (hooks), application);
  g_signal_connect (application, "window-added", G_CALLBACK (window_added_cb), NULL);
}
