/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "parley-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ParleyApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* Installed, the translations lie under the configured prefix; a build
   * run in place finds them in <build>/po, given as PARLEY_LOCALEDIR. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PARLEY_LOCALEDIR") ? g_getenv ("PARLEY_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_application_name (_("Parley"));

  app = parley_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
