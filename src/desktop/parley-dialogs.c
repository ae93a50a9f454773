/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-dialogs"

#include "config.h"

#include <glib/gi18n.h>

#include "parley-dialogs.h"

/* Small builders for the window's modal questions (resolve, transfer, edit,
 * link, merge), so each reads the same and is reachable by keyboard and
 * screen reader: a heading, radio choices or labelled entries, Cancel and
 * one confirm response. */

AdwMessageDialog *
parley_dialog_new (GtkWidget  *parent,
                   const char *heading,
                   const char *body,
                   const char *confirm_label)
{
  GtkRoot *root = gtk_widget_get_root (parent);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                       heading, body));

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "confirm", confirm_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, "confirm", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "confirm");
  adw_message_dialog_set_close_response (dialog, "cancel");
  return dialog;
}

GtkBox *
parley_dialog_add_box (AdwMessageDialog *dialog)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  adw_message_dialog_set_extra_child (dialog, box);
  return GTK_BOX (box);
}

static void
choice_toggled_cb (GtkCheckButton *check,
                   GtkBox         *box)
{
  GtkWidget *dialog = gtk_widget_get_ancestor (GTK_WIDGET (box), ADW_TYPE_MESSAGE_DIALOG);

  /* A lone choice is a plain check box the user can untick: confirming
   * then would do nothing, so it waits until something is chosen. */
  if (dialog)
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                             parley_dialog_get_choice (box) != NULL);
}

/* A radio choice; @value is what parley_dialog_get_choice() returns. The
 * first of a group starts chosen. */
GtkCheckButton *
parley_dialog_add_choice (GtkBox         *box,
                          const char     *label,
                          const char     *value,
                          GtkCheckButton *group)
{
  GtkWidget *check = gtk_check_button_new_with_label (label);

  g_object_set_data_full (G_OBJECT (check), "choice", g_strdup (value), g_free);
  if (group)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
  else
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_signal_connect_object (check, "toggled", G_CALLBACK (choice_toggled_cb), box, 0);
  gtk_box_append (box, check);
  return GTK_CHECK_BUTTON (check);
}

const char *
parley_dialog_get_choice (GtkBox *box)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (box)); child;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_CHECK_BUTTON (child) && gtk_check_button_get_active (GTK_CHECK_BUTTON (child)))
      return g_object_get_data (G_OBJECT (child), "choice");
  return NULL;
}

GtkEntry *
parley_dialog_add_entry (GtkBox     *box,
                         const char *label,
                         const char *text)
{
  GtkWidget *title = gtk_label_new (label);
  GtkWidget *entry = gtk_entry_new ();

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "caption-heading");
  gtk_label_set_mnemonic_widget (GTK_LABEL (title), entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text ? text : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_box_append (box, title);
  gtk_box_append (box, entry);
  return GTK_ENTRY (entry);
}
