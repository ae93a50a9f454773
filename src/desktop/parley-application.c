/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-application"

#include "config.h"

#include <epoxy/gl.h>
#include <glib/gi18n.h>
#include <string.h>

#include "parley-application.h"
#include "parley-plugin-host.h"
#include "parley-test-hooks.h"
#include "parley-window.h"

/**
 * ParleyApplication:
 *
 * The agent and supervisor desktop. One window; desktop plugins are loaded
 * once at start-up; notification buttons arrive here as app actions.
 */
struct _ParleyApplication
{
  AdwApplication    parent_instance;

  ParleyPluginHost *plugins;
};

G_DEFINE_FINAL_TYPE (ParleyApplication, parley_application, ADW_TYPE_APPLICATION)

static const struct {
  const char *action;
  const char *accels[3];
} shortcuts[] = {
  { "app.quit", { "<Primary>q", NULL } },
  { "win.accept-offer", { "<Primary><Shift>a", NULL } },
  { "win.reject-offer", { "<Primary><Shift>r", NULL } },
  { "win.next-conversation", { "<Primary>Page_Down", "<Alt>Down", NULL } },
  { "win.previous-conversation", { "<Primary>Page_Up", "<Alt>Up", NULL } },
  { "win.search-customers", { "<Primary>k", NULL } },
  { "win.search-timeline", { "<Primary>f", NULL } },
  { "win.presence-menu", { "<Primary><Shift>s", NULL } },
  { "win.next-pane", { "F6", NULL } },
  { "win.previous-pane", { "<Shift>F6", NULL } },
  { "customer.focus-composer", { "<Primary>r", NULL } },
  { "customer.send", { "<Primary>Return", "<Primary>KP_Enter", NULL } },
  { "customer.next-channel", { "<Primary><Shift>c", NULL } },
  { "customer.note", { "<Primary><Shift>n", NULL } },
  { "customer.attach", { "<Primary><Shift>o", NULL } },
  /* Not Ctrl+Shift+D: that is GTK's Inspector. */
  { "customer.resolve", { "<Primary><Shift>x", NULL } },
  { "customer.transfer", { "<Primary><Shift>t", NULL } },
  { "customer.details", { "F9", NULL } },
  { "win.show-help-overlay", { "<Primary>question", NULL } },
  { "win.show-view('conversations')", { "<Alt>1", NULL } },
  { "win.show-view('wallboard')", { "<Alt>2", NULL } },
  { "win.show-view('agents')", { "<Alt>3", NULL } },
  { "win.show-view('satisfaction')", { "<Alt>4", NULL } },
};

static ParleyWindow *
main_window (ParleyApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return PARLEY_IS_WINDOW (window) ? PARLEY_WINDOW (window) : NULL;
}

static void
decide_offer (ParleyApplication *self,
              GVariant          *parameter,
              gboolean           accept)
{
  ParleyWindow *window = main_window (self);

  if (window)
    parley_window_decide_offer (window, g_variant_get_int64 (parameter), accept);
}

static void
accept_offer_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  decide_offer (user_data, parameter, TRUE);
}

static void
reject_offer_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  decide_offer (user_data, parameter, FALSE);
}

static void
activate_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  g_application_activate (G_APPLICATION (user_data));
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  /* Closing the window saves its size; the application then ends. */
  if (window)
    gtk_window_close (window);
  else
    g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  const char *developers[] = { _("The Parley developers"), NULL };

  adw_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (user_data)),
                         "application-name", _("Parley"),
                         "application-icon", APPLICATION_ID,
                         "developer-name", _("The Parley developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Every customer, every channel, one conversation"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "accept-offer", accept_offer_activated, "x" },
  { "reject-offer", reject_offer_activated, "x" },
  { "activate", activate_activated },
  { "quit", quit_activated },
  { "about", about_activated },
};

/* TRUE when OpenGL on @display is Mesa drawing on the CPU, as on a virtual
 * desktop or any machine without a GPU. */
static gboolean
gl_is_software (GdkDisplay *display)
{
  static const char *rasterizers[] = { "llvmpipe", "softpipe", "swrast", "Software Rasterizer" };
  g_autoptr(GdkGLContext) context = gdk_display_create_gl_context (display, NULL);
  const char *renderer;
  gboolean software = FALSE;

  if (context == NULL || !gdk_gl_context_realize (context, NULL))
    return FALSE;
  gdk_gl_context_make_current (context);
  renderer = (const char *) glGetString (GL_RENDERER);
  for (guint i = 0; renderer && i < G_N_ELEMENTS (rasterizers); i++)
    software |= strstr (renderer, rasterizers[i]) != NULL;
  if (software)
    g_info ("OpenGL renders in software here (%s): drawing with cairo instead", renderer);
  gdk_gl_context_clear_current ();
  return software;
}

static void
parley_application_startup (GApplication *application)
{
  ParleyApplication *self = PARLEY_APPLICATION (application);

  G_APPLICATION_CLASS (parley_application_parent_class)->startup (application);
  /* GTK 4.8 draws with OpenGL wherever it gets a context, and Mesa's
   * software one draws the timeline twice as slowly as cairo and costs
   * some 100 MiB more (see the README, bench-timeline). A renderer the
   * user chose stays. */
  if (g_getenv ("GSK_RENDERER") == NULL && gl_is_software (gdk_display_get_default ()))
    g_setenv ("GSK_RENDERER", "cairo", FALSE);
  self->plugins = parley_plugin_host_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  parley_test_hooks_install (GTK_APPLICATION (self));
  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), shortcuts[i].action, shortcuts[i].accels);
}

static void
parley_application_activate (GApplication *application)
{
  ParleyApplication *self = PARLEY_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (parley_window_new (ADW_APPLICATION (self), self->plugins));
  gtk_window_present (window);
}

static void
parley_application_dispose (GObject *object)
{
  g_clear_object (&PARLEY_APPLICATION (object)->plugins);
  G_OBJECT_CLASS (parley_application_parent_class)->dispose (object);
}

static void
parley_application_class_init (ParleyApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = parley_application_dispose;
  app_class->startup = parley_application_startup;
  app_class->activate = parley_application_activate;
}

static void
parley_application_init (ParleyApplication *self)
{
}

ParleyApplication *
parley_application_new (void)
{
  return g_object_new (PARLEY_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/parley/Parley",
                       NULL);
}
