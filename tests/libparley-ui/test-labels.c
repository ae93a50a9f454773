/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "parley-ui-labels.h"

/* Run in German (LANGUAGE=de, see meson.build): what the hub sends as
 * codes reaches the agent in their language; what a person typed, and
 * codes Parley does not know, come through readable. */

static void
test_identity_kinds (void)
{
  g_assert_cmpstr (parley_ui_identity_kind_title ("email"), ==, "E-Mail-Adresse");
  g_assert_cmpstr (parley_ui_identity_kind_title ("phone"), ==, "Telefonnummer");
  g_assert_cmpstr (parley_ui_identity_kind_title ("fax"), ==, "fax");
}

static void
test_away_reasons (void)
{
  g_assert_cmpstr (parley_ui_away_reason_title ("signed-in"), ==, "Angemeldet");
  g_assert_cmpstr (parley_ui_away_reason_title ("missed-offer"), ==, "Angebot verpasst");
  g_assert_cmpstr (parley_ui_away_reason_title ("Mittagspause"), ==, "Mittagspause");
  g_assert_null (parley_ui_away_reason_title (NULL));
}

static void
test_dispositions (void)
{
  g_autofree char *known = parley_ui_disposition_title ("refund-issued");
  g_autofree char *custom = parley_ui_disposition_title ("damaged_in-transit");
  g_autofree char *accented = parley_ui_disposition_title ("überfällig");
  g_autofree char *empty = parley_ui_disposition_title ("");

  g_assert_cmpstr (known, ==, "Geld erstattet");
  g_assert_cmpstr (custom, ==, "Damaged in transit");
  g_assert_cmpstr (accented, ==, "Überfällig");
  g_assert_cmpstr (empty, ==, "");
}

/* The default canned replies come from the settings schema, translated
 * there (l10n="messages"). */
static void
test_canned_replies (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.parley.Parley");
  g_auto(GStrv) replies = g_settings_get_strv (settings, "canned-responses");

  g_assert_cmpuint (g_strv_length (replies), ==, 4);
  g_assert_true (g_str_has_prefix (replies[0], "Hallo {customer.first_name}"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/labels/identity-kinds", test_identity_kinds);
  g_test_add_func ("/labels/away-reasons", test_away_reasons);
  g_test_add_func ("/labels/dispositions", test_dispositions);
  g_test_add_func ("/labels/canned-replies", test_canned_replies);
  return g_test_run ();
}
