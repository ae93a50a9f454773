/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parleyd"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>

#include "parley-hub.h"

/* Every visitor and desktop holds a socket; the usual soft limit of 1,024
 * descriptors would cap the hub near a thousand of them (and libsoup 3.2
 * stops accepting for good once accept() fails), so take all the system
 * allows. */
static void
raise_open_files_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        g_warning ("Cannot raise the open files limit: %s", g_strerror (errno));
    }
}

static gboolean
reload_cb (gpointer user_data)
{
  parley_hub_reload (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dir = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *config_path = NULL;
  gboolean version = FALSE;
  GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir, N_("Where the database lives"), N_("DIR") },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen, N_("Address to listen on (default 127.0.0.1:8080)"), N_("HOST:PORT") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, N_("Configuration file"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParleyConfig) config = NULL;
  g_autoptr(ParleyHub) hub = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *uri = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Parley hub: routes every channel's traffic to agents."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("parleyd: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("parleyd %s\n", PACKAGE_VERSION);
      return 0;
    }
  raise_open_files_limit ();

  config = parley_config_new ();
  if (config_path != NULL && !parley_config_load (config, config_path, &error))
    {
      g_printerr ("parleyd: %s: %s\n", config_path, error->message);
      return 2;
    }
  if (data_dir != NULL)
    {
      g_free (config->data_dir);
      config->data_dir = g_steal_pointer (&data_dir);
    }
  if (listen != NULL)
    {
      g_free (config->listen);
      config->listen = g_steal_pointer (&listen);
    }

  loop = g_main_loop_new (NULL, FALSE);
  hub = parley_hub_new (g_steal_pointer (&config), &error);
  if (hub == NULL)
    {
      g_printerr ("parleyd: %s\n", error->message);
      return 1;
    }
  if (!parley_hub_listen (hub, parley_hub_get_listen_address (hub), &error))
    {
      g_printerr ("parleyd: cannot listen: %s\n", error->message);
      return 1;
    }

  uri = g_uri_to_string (parley_hub_get_uri (hub));
  /* Tests and scripts read this line to find a kernel-chosen port. */
  g_print ("parleyd listening on %s\n", uri);
  fflush (stdout);

  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGHUP, reload_cb, hub);
  g_main_loop_run (loop);

  g_message ("Shutting down");
  parley_hub_shutdown (hub);
  return 0;
}
