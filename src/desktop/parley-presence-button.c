/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-presence-button"

#include "config.h"

#include <glib/gi18n.h>

#include "parley-presence.h"
#include "parley-presence-button.h"

/**
 * ParleyPresenceButton:
 *
 * The agent's status at the top of the sidebar, and the menu to change it
 * (the "presence.state" action, whose state is the status the hub last
 * said). It follows the client's `message::presence` pushes and keeps
 * what the agent chose, to ask for it again after a reconnection.
 */
struct _ParleyPresenceButton
{
  GtkWidget           parent_instance;

  ParleyClient       *client;
  GCancellable       *cancellable;
  GSimpleActionGroup *actions;
  char               *wanted;  /* the agent's last choice, e.g. "away:Lunch" */

  GtkMenuButton      *button;
  GtkImage           *icon;
  GtkLabel           *label;
  GtkLabel           *reason_label;
};

G_DEFINE_FINAL_TYPE (ParleyPresenceButton, parley_presence_button, GTK_TYPE_WIDGET)

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show (ParleyPresenceButton *self,
      const char           *state,
      const char           *reason)
{
  g_autofree char *text = parley_presence_describe (state, reason);
  g_autofree char *accessible = NULL;
  const char *reason_title = parley_presence_reason_title (state, reason);

  gtk_label_set_text (self->label, parley_presence_title (state));
  gtk_label_set_text (self->reason_label, reason_title ? reason_title : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), reason_title != NULL);
  if (reason_title != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->button), "with-reason");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->button), "with-reason");
  gtk_image_set_from_icon_name (self->icon, parley_presence_icon_name (state));
  for (const char *c = "available\0away\0busy\0wrap-up\0offline\0"; *c; c += strlen (c) + 1)
    gtk_widget_remove_css_class (GTK_WIDGET (self->button), c);
  gtk_widget_add_css_class (GTK_WIDGET (self->button), state);
  /* Translators: accessible name of the presence switcher, %s is e.g. "Available" */
  accessible = g_strdup_printf (_("Status: %s"), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
show_agent (ParleyPresenceButton *self)
{
  JsonObject *agent = self->client ? parley_client_get_agent (self->client) : NULL;
  const char *state = agent ? json_object_get_string_member_with_default (agent, "presence", "offline") : "offline";
  const char *reason = agent ? json_object_get_string_member_with_default (agent, "reason", NULL) : NULL;
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "state");

  /* Nobody signed in: nothing to say yet. */
  if (agent == NULL)
    return;
  show (self, state, reason);
  /* Menu targets read "away:Lunch", so the right reason shows checked. */
  if (g_str_equal (state, "away") && reason && *reason)
    {
      g_autofree char *target = g_strdup_printf ("away:%s", reason);

      g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (target));
    }
  else
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (state));
}

static void
presence_set_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ParleyPresenceButton) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) agent = parley_client_request_finish (PARLEY_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (agent == NULL)
    g_signal_emit (self, signals[FAILED], 0, _("Could not change your status"), error);
  show_agent (self);
}

static void
request (ParleyPresenceButton *self,
         const char           *target)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_auto(GStrv) parts = g_strsplit (target, ":", 2);

  json_object_set_string_member (body, "state", parts[0]);
  if (parts[1])
    json_object_set_string_member (body, "reason", parts[1]);
  parley_client_request_async (self->client, "PUT", "agents/me/presence", body, self->cancellable,
                               presence_set_cb, g_object_ref (self));
}

static void
state_change_state (GSimpleAction *action,
                    GVariant      *value,
                    gpointer       user_data)
{
  ParleyPresenceButton *self = user_data;
  const char *target = g_variant_get_string (value, NULL);

  if (self->client == NULL)
    return;
  /* Remembered so a reconnection restores what the agent chose. */
  g_free (self->wanted);
  self->wanted = g_strdup (target);
  request (self, target);
}

/* The actions live on the window, as the window's own would: GTK 4.8
 * gives the menu's items their radio role only for actions it finds once
 * the menu is in place. */
static void
parley_presence_button_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (parley_presence_button_parent_class)->root (widget);
  gtk_widget_insert_action_group (GTK_WIDGET (gtk_widget_get_root (widget)), "presence",
                                  G_ACTION_GROUP (PARLEY_PRESENCE_BUTTON (widget)->actions));
}

static void
parley_presence_button_dispose (GObject *object)
{
  ParleyPresenceButton *self = PARLEY_PRESENCE_BUTTON (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->wanted, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARLEY_TYPE_PRESENCE_BUTTON);
  G_OBJECT_CLASS (parley_presence_button_parent_class)->dispose (object);
}

static void
parley_presence_button_class_init (ParleyPresenceButtonClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = parley_presence_button_dispose;
  widget_class->root = parley_presence_button_root;

  /**
   * ParleyPresenceButton::failed:
   * @what: what did not work, for people
   * @error: why
   */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/parley/Parley/ui/parley-presence-button.ui");
  gtk_widget_class_bind_template_child (widget_class, ParleyPresenceButton, button);
  gtk_widget_class_bind_template_child (widget_class, ParleyPresenceButton, icon);
  gtk_widget_class_bind_template_child (widget_class, ParleyPresenceButton, label);
  gtk_widget_class_bind_template_child (widget_class, ParleyPresenceButton, reason_label);
}

static const GActionEntry action_entries[] = {
  { "state", NULL, "s", "'offline'", state_change_state },
};

static void
parley_presence_button_init (ParleyPresenceButton *self)
{
  self->cancellable = g_cancellable_new ();
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), action_entries, G_N_ELEMENTS (action_entries), self);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Shows and changes @client's agent from now on (NULL: signed out). */
void
parley_presence_button_set_client (ParleyPresenceButton *self,
                                   ParleyClient         *client)
{
  g_return_if_fail (PARLEY_IS_PRESENCE_BUTTON (self));

  if (self->client)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  g_clear_pointer (&self->wanted, g_free);
  if (client)
    {
      g_signal_connect_object (client, "message::presence", G_CALLBACK (show_agent), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "notify::agent", G_CALLBACK (show_agent), self, G_CONNECT_SWAPPED);
    }
  show_agent (self);
}

void
parley_presence_button_popup (ParleyPresenceButton *self)
{
  if (gtk_widget_is_sensitive (GTK_WIDGET (self->button)))
    gtk_menu_button_popup (self->button);
}

/* While the hub cannot be reached, the agent is offline for customers. */
void
parley_presence_button_show_offline (ParleyPresenceButton *self)
{
  show (self, "offline", NULL);
}

/* After a reconnection: the status the agent chose last, again. */
void
parley_presence_button_restore (ParleyPresenceButton *self)
{
  if (self->client && self->wanted && !g_str_equal (self->wanted, "offline"))
    request (self, self->wanted);
}
