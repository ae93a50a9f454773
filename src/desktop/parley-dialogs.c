/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-dialogs"

#include "config.h"

#include <glib/gi18n.h>

#include <parley.h>

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

/* ---- transfer ------------------------------------------------------------ */

static void
transfer_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  const char *choice = parley_dialog_get_choice (g_object_get_data (G_OBJECT (dialog), "box"));
  ParleyTransferChosen chosen = (ParleyTransferChosen) g_object_get_data (G_OBJECT (dialog), "chosen");
  GObject *owner = g_object_get_data (G_OBJECT (dialog), "owner");
  g_autoptr(JsonObject) body = json_object_new ();
  gint64 id;

  if (!g_str_equal (response, "confirm") || choice == NULL)
    return;
  /* Choices read "queue:ID" or "agent:ID". */
  id = g_ascii_strtoll (strchr (choice, ':') + 1, NULL, 10);
  json_object_set_int_member (body, g_str_has_prefix (choice, "queue:") ? "queue" : "agent", id);
  chosen (owner, body);
}

static void
add_transfer_choices (GtkBox     *box,
                      JsonObject *answer,
                      const char *member,
                      const char *prefix)
{
  JsonArray *array = json_object_has_member (answer, member) ? json_object_get_array_member (answer, member) : NULL;
  GtkWidget *first = gtk_widget_get_first_child (GTK_WIDGET (box));

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);
      g_autofree char *value = NULL;
      g_autofree char *label = NULL;

      /* Queues come wrapped with their state. */
      if (json_object_has_member (item, "queue"))
        item = json_object_get_object_member (item, "queue");
      value = g_strdup_printf ("%s:%" G_GINT64_FORMAT, prefix, json_object_get_int_member (item, "id"));
      if (g_str_equal (prefix, "queue"))
        /* Translators: a transfer target, %s is a queue name */
        label = g_strdup_printf (_("Queue: %s"), json_object_get_string_member_with_default (item, "name", ""));
      else
        /* Translators: a transfer target: agent name and presence */
        label = g_strdup_printf (_("%s (%s)"), json_object_get_string_member_with_default (item, "name", ""),
                                 json_object_get_string_member_with_default (item, "presence", ""));
      parley_dialog_add_choice (box, label, value, first ? GTK_CHECK_BUTTON (first) : NULL);
      first = first ? first : gtk_widget_get_first_child (GTK_WIDGET (box));
    }
}

static void
transfer_targets_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(AdwMessageDialog) dialog = user_data;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);
  GtkBox *box = g_object_get_data (G_OBJECT (dialog), "box");
  const char *member = g_object_get_data (G_OBJECT (dialog), "pending");

  /* Agents may not list other agents; they transfer to a queue. */
  if (answer)
    add_transfer_choices (box, answer, member, g_str_equal (member, "queues") ? "queue" : "agent");
  if (g_str_equal (member, "queues"))
    {
      g_object_set_data (G_OBJECT (dialog), "pending", (gpointer) "agents");
      parley_client_request_async (PARLEY_CLIENT (source), "GET", "agents", NULL, NULL,
                                   transfer_targets_cb, g_object_ref (dialog));
      return;
    }
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Asks where a conversation should go (a queue, or a colleague when the
 * hub lets the agent list them), then hands @chosen the transfer's body,
 * {"queue":ID} or {"agent":ID}, with @owner, which the dialog keeps alive. */
void
parley_transfer_dialog_present (GtkWidget            *parent,
                                ParleyClient         *client,
                                GObject              *owner,
                                ParleyTransferChosen  chosen)
{
  AdwMessageDialog *dialog = parley_dialog_new (parent, _("Transfer Conversation"),
                                                _("Hand the conversation to a queue or a colleague."),
                                                _("_Transfer"));

  g_object_set_data (G_OBJECT (dialog), "box", parley_dialog_add_box (dialog));
  g_object_set_data (G_OBJECT (dialog), "pending", (gpointer) "queues");
  g_object_set_data (G_OBJECT (dialog), "chosen", chosen);
  g_object_set_data_full (G_OBJECT (dialog), "owner", g_object_ref (owner), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (transfer_response_cb), NULL);
  parley_client_request_async (client, "GET", "queues", NULL, NULL,
                               transfer_targets_cb, g_object_ref_sink (dialog));
}
