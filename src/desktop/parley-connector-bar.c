/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-connector-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "parley-connector-bar.h"

/* Tells supervisors when a channel's long-running connection (a mailbox,
 * a trunk registration) is down: what, why, and when the hub tries again.
 * It keeps the hub's description of every connector (GET /connectors,
 * then "connector" pushes) and shows itself only while one has failed. */

struct _ParleyConnectorBar
{
  GtkWidget          parent_instance;

  GtkRevealer       *revealer;
  GtkLabel          *label;
  ParleySupervision *supervision;
  GCancellable      *cancellable;
  GHashTable        *connectors;    /* "channel\nname" → JsonObject, as the hub describes it */
};

G_DEFINE_FINAL_TYPE (ParleyConnectorBar, parley_connector_bar, GTK_TYPE_WIDGET)

static gboolean
is_down (JsonObject *connector)
{
  return g_strcmp0 (json_object_get_string_member_with_default (connector, "state", NULL), "failed") == 0;
}

static char *
describe_failure (JsonObject *connector)
{
  const char *name = json_object_get_string_member_with_default (connector, "name", "");
  const char *message = json_object_get_string_member_with_default (connector, "message", "");
  gint64 next = json_object_get_int_member_with_default (connector, "next_attempt", 0);
  g_autoptr(GDateTime) at = next > 0 ? g_date_time_new_from_unix_local (next) : NULL;
  g_autofree char *time = at ? g_date_time_format (at, "%X") : NULL;

  if (time != NULL)
    /* Translators: a connection that is down, e.g. "support@example.com (IMAP) is down: Connection refused. Trying again at 14:03:10." */
    return g_strdup_printf (_("%s is down: %s. Trying again at %s."), name, message, time);
  /* Translators: a connection that is down, e.g. "support@example.com (IMAP) is down: Connection refused." */
  return g_strdup_printf (_("%s is down: %s."), name, message);
}

static void
show (ParleyConnectorBar *self)
{
  GHashTableIter iter;
  JsonObject *connector, *first = NULL;
  guint down = 0;

  g_hash_table_iter_init (&iter, self->connectors);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &connector))
    if (is_down (connector) && down++ == 0)
      first = connector;
  if (first != NULL)
    {
      g_autofree char *failure = describe_failure (first);
      g_autofree char *text = NULL;

      if (down > 1)
        /* Translators: %u connections (more than one) are down; the second %s describes the first of them */
        text = g_strdup_printf (ngettext ("%u connection is down. %s", "%u connections are down. %s", down), down, failure);
      gtk_label_set_text (self->label, text ? text : failure);
    }
  gtk_revealer_set_reveal_child (self->revealer, first != NULL);
}

/* A connector as the hub describes it now (GET /connectors, a push). */
void
parley_connector_bar_update (ParleyConnectorBar *self,
                             JsonObject         *connector)
{
  g_return_if_fail (PARLEY_IS_CONNECTOR_BAR (self));

  g_hash_table_replace (self->connectors,
                        g_strdup_printf ("%s\n%s", json_object_get_string_member_with_default (connector, "channel", ""),
                                         json_object_get_string_member_with_default (connector, "name", "")),
                        json_object_ref (connector));
  show (self);
}

static void
connectors_loaded_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(ParleyConnectorBar) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, &error);
  JsonArray *connectors;

  if (answer == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not load the connectors: %s", error->message);
      return;
    }
  g_hash_table_remove_all (self->connectors);
  connectors = json_object_get_array_member (answer, "connectors");
  for (guint i = 0; connectors && i < json_array_get_length (connectors); i++)
    parley_connector_bar_update (self, json_array_get_object_element (connectors, i));
  show (self);
}

static void
refresh_cb (ParleyConnectorBar *self)
{
  parley_client_request_async (parley_supervision_get_client (self->supervision), "GET", "connectors", NULL,
                               self->cancellable, connectors_loaded_cb, g_object_ref (self));
}

static void
connector_pushed_cb (ParleyConnectorBar *self,
                     JsonObject         *message)
{
  JsonObject *connector = parley_json_get_object (message, "connector", FALSE, NULL);

  if (connector != NULL)
    parley_connector_bar_update (self, connector);
}

/* Follows @supervision's hub, or nothing (NULL: hidden). */
void
parley_connector_bar_set_supervision (ParleyConnectorBar *self,
                                      ParleySupervision  *supervision)
{
  g_return_if_fail (PARLEY_IS_CONNECTOR_BAR (self));

  if (self->supervision != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->supervision, self);
      g_signal_handlers_disconnect_by_data (parley_supervision_get_client (self->supervision), self);
    }
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  g_set_object (&self->supervision, supervision);
  g_hash_table_remove_all (self->connectors);
  show (self);
  if (supervision == NULL)
    return;
  g_signal_connect_object (supervision, "refresh", G_CALLBACK (refresh_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (parley_supervision_get_client (supervision), "message::connector",
                           G_CALLBACK (connector_pushed_cb), self, G_CONNECT_SWAPPED);
  refresh_cb (self);
}

static void
parley_connector_bar_dispose (GObject *object)
{
  ParleyConnectorBar *self = PARLEY_CONNECTOR_BAR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->supervision);
  if (self->revealer != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->revealer));
  self->revealer = NULL;
  G_OBJECT_CLASS (parley_connector_bar_parent_class)->dispose (object);
}

static void
parley_connector_bar_finalize (GObject *object)
{
  g_hash_table_unref (PARLEY_CONNECTOR_BAR (object)->connectors);
  G_OBJECT_CLASS (parley_connector_bar_parent_class)->finalize (object);
}

static void
parley_connector_bar_class_init (ParleyConnectorBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = parley_connector_bar_dispose;
  object_class->finalize = parley_connector_bar_finalize;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
parley_connector_bar_init (ParleyConnectorBar *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  self->connectors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);
  self->cancellable = g_cancellable_new ();
  self->revealer = GTK_REVEALER (gtk_revealer_new ());
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_xalign (self->label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_widget_add_css_class (box, "connector-bar");
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));
  gtk_revealer_set_child (self->revealer, box);
  gtk_widget_set_parent (GTK_WIDGET (self->revealer), GTK_WIDGET (self));
}
