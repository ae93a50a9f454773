/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-dialogs"

#include "config.h"

#include <glib/gi18n.h>

#include <parley.h>

#include "parley-dialogs.h"
#include "parley-presence.h"
#include "parley-ui-labels.h"

/* Small builders for the window's modal questions (resolve, transfer, edit,
 * link, merge), so each reads the same and is reachable by keyboard and
 * screen reader: a heading, radio choices or labelled entries, Cancel
 * (also Escape) and one confirm response. Nothing is chosen for the user:
 * with choices, confirming waits until one is made. */

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

/* Whether the dialog holding @box has an answer to confirm: a choice, or
 * text typed in its "other" entry, if it has one. */
static void
update_confirm (GtkBox *box)
{
  GtkWidget *dialog = gtk_widget_get_ancestor (GTK_WIDGET (box), ADW_TYPE_MESSAGE_DIALOG);
  GtkEditable *other = g_object_get_data (G_OBJECT (box), "other");

  if (dialog)
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                             parley_dialog_get_choice (box) != NULL ||
                                             (other && *gtk_editable_get_text (other)));
}

/* A radio choice; @value is what parley_dialog_get_choice() returns. None
 * starts chosen (a lone one is a check box the user ticks), and the dialog
 * cannot be confirmed until one is. */
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
  g_signal_connect_object (check, "toggled", G_CALLBACK (update_confirm), box, G_CONNECT_SWAPPED);
  gtk_box_append (box, check);
  update_confirm (box);
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

/* ---- resolve ------------------------------------------------------------- */

/* A disposition typed in by the agent, as the slug the hub keeps
 * ("Damaged in transit" → "damaged-in-transit"). */
static char *
typed_disposition (const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);
  g_auto(GStrv) words = g_strsplit_set (g_strstrip (lower), " \t", -1);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) joined = NULL;

  for (guint i = 0; words[i]; i++)
    if (*words[i])
      g_strv_builder_add (kept, words[i]);
  joined = g_strv_builder_end (kept);
  return g_strjoinv ("-", joined);
}

static void
resolve_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  GtkBox *box = g_object_get_data (G_OBJECT (dialog), "box");
  const char *typed = gtk_editable_get_text (g_object_get_data (G_OBJECT (box), "other"));
  ParleyResolveChosen chosen = (ParleyResolveChosen) g_object_get_data (G_OBJECT (dialog), "chosen");
  GObject *owner = g_object_get_data (G_OBJECT (dialog), "owner");
  g_autofree char *disposition = NULL;

  if (!g_str_equal (response, "confirm"))
    return;
  /* Text typed under "Other disposition" wins over a choice. */
  disposition = *typed ? typed_disposition (typed) : g_strdup (parley_dialog_get_choice (box));
  if (disposition && *disposition)
    chosen (owner, disposition);
}

/* Asks how a conversation ended: one of @dispositions (slugs, shown by
 * their titles) or one the agent types in; hands @chosen the slug, with
 * @owner, which the dialog keeps alive. */
void
parley_resolve_dialog_present (GtkWidget           *parent,
                               const char * const  *dispositions,
                               GObject             *owner,
                               ParleyResolveChosen  chosen)
{
  AdwMessageDialog *dialog = parley_dialog_new (parent, _("Resolve Conversation"),
                                                _("How did it end? The customer may be asked to rate it."),
                                                _("_Resolve"));
  GtkBox *box = parley_dialog_add_box (dialog);
  GtkCheckButton *group = NULL;
  GtkEntry *other;

  for (guint i = 0; dispositions[i]; i++)
    {
      g_autofree char *title = parley_ui_disposition_title (dispositions[i]);
      GtkCheckButton *check = parley_dialog_add_choice (box, title, dispositions[i], group);

      group = group ? group : check;
    }
  other = parley_dialog_add_entry (box, _("Other disposition"), NULL);
  g_object_set_data (G_OBJECT (box), "other", other);
  g_signal_connect_object (other, "changed", G_CALLBACK (update_confirm), box, G_CONNECT_SWAPPED);
  update_confirm (box);
  g_object_set_data (G_OBJECT (dialog), "box", box);
  g_object_set_data (G_OBJECT (dialog), "chosen", chosen);
  g_object_set_data_full (G_OBJECT (dialog), "owner", g_object_ref (owner), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (resolve_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
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
        /* Translators: a transfer target: a colleague's name and presence, e.g. "Bob Okafor (Away)" */
        label = g_strdup_printf (_("%s (%s)"), json_object_get_string_member_with_default (item, "name", ""),
                                 parley_presence_title (json_object_get_string_member_with_default (item, "presence", "")));
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

  if (answer)
    add_transfer_choices (box, answer, member, g_str_equal (member, "queues") ? "queue" : "agent");
  if (g_str_equal (member, "queues"))
    {
      g_autofree char *path = g_strdup_printf ("conversations/%" G_GINT64_FORMAT "/colleagues",
                                               *(gint64 *) g_object_get_data (G_OBJECT (dialog), "conversation"));

      g_object_set_data (G_OBJECT (dialog), "pending", (gpointer) "colleagues");
      parley_client_request_async (PARLEY_CLIENT (source), "GET", path, NULL, NULL,
                                   transfer_targets_cb, g_object_ref (dialog));
      return;
    }
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Asks where conversation @conversation_id should go (a queue, or a
 * colleague who can take it), then hands @chosen the transfer's body,
 * {"queue":ID} or {"agent":ID}, with @owner, which the dialog keeps alive. */
void
parley_transfer_dialog_present (GtkWidget            *parent,
                                ParleyClient         *client,
                                gint64                conversation_id,
                                GObject              *owner,
                                ParleyTransferChosen  chosen)
{
  AdwMessageDialog *dialog = parley_dialog_new (parent, _("Transfer Conversation"),
                                                _("Hand the conversation to a queue or a colleague."),
                                                _("_Transfer"));

  g_object_set_data (G_OBJECT (dialog), "box", parley_dialog_add_box (dialog));
  g_object_set_data (G_OBJECT (dialog), "pending", (gpointer) "queues");
  g_object_set_data_full (G_OBJECT (dialog), "conversation", g_memdup2 (&conversation_id, sizeof conversation_id), g_free);
  g_object_set_data (G_OBJECT (dialog), "chosen", chosen);
  g_object_set_data_full (G_OBJECT (dialog), "owner", g_object_ref (owner), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (transfer_response_cb), NULL);
  parley_client_request_async (client, "GET", "queues", NULL, NULL,
                               transfer_targets_cb, g_object_ref_sink (dialog));
}
