/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-cobrowse"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "parley-cobrowse-panel.h"

/* Co-browse in the customer's details: ask the visitor to share their
 * page, see how the request stands, and end the session. While the visitor
 * shares, their page plays live in a ParleyCobrowseWindow, from the
 * libcobrowse-view module, loaded the first time it is needed.
 *
 * The panel owns the hub socket (/api/v1/channels/chat/cobrowse, opened
 * through the ParleyClient so the web view never holds the agent's token);
 * closing it ends the session. */

#define EVENTS_PREFIX "{\"type\":\"cobrowse_events\""

struct _ParleyCobrowsePanel
{
  GtkWidget                parent_instance;

  ParleyClient            *client;
  gint64                   customer_id;
  char                    *customer_name;
  GtkLabel                *status;
  GtkButton               *button;
  SoupWebsocketConnection *socket;
  GCancellable            *cancellable;
  GtkWidget               *window;  /* a ParleyCobrowseWindow */
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED (ParleyCobrowsePanel, parley_cobrowse_panel, GTK_TYPE_WIDGET, G_TYPE_FLAG_FINAL, {})

void
parley_cobrowse_panel_register (GTypeModule *module)
{
  parley_cobrowse_panel_register_type (module);
}

static void
set_idle (ParleyCobrowsePanel *self,
          const char          *status)
{
  gtk_button_set_use_underline (self->button, TRUE);
  gtk_button_set_label (self->button, _("_Ask to Co-browse"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->button), "destructive-action");
  gtk_widget_set_sensitive (GTK_WIDGET (self->button), TRUE);
  gtk_label_set_text (self->status, status);
}

static void
set_busy (ParleyCobrowsePanel *self,
          const char          *status)
{
  gtk_button_set_label (self->button, _("_End Co-browse"));
  gtk_widget_add_css_class (GTK_WIDGET (self->button), "destructive-action");
  gtk_widget_set_sensitive (GTK_WIDGET (self->button), TRUE);
  gtk_label_set_text (self->status, status);
}

static void
drop_window (ParleyCobrowsePanel *self)
{
  if (self->window == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->window, self);
  gtk_window_destroy (GTK_WINDOW (self->window));
  self->window = NULL;
}

static void
drop_socket (ParleyCobrowsePanel *self)
{
  parley_websocket_drop (&self->socket, self);
}

static void
send_to_hub (ParleyCobrowsePanel *self,
             JsonObject          *message)
{
  parley_websocket_send_object (self->socket, message);
}

/* Ends the session from this side: the hub tells the visitor. */
static void
end_sharing (ParleyCobrowsePanel *self,
             const char          *status)
{
  g_autoptr(JsonObject) end = json_object_new ();

  json_object_set_string_member (end, "type", "end");
  send_to_hub (self, end);
  drop_window (self);
  drop_socket (self);
  set_idle (self, status);
}

/* ---- the window ------------------------------------------------------------ */

static void
agent_input_cb (GtkWidget            *window,
                const char           *type,
                double                x,
                double                y,
                ParleyCobrowsePanel  *self)
{
  g_autoptr(JsonObject) message = json_object_new ();

  json_object_set_string_member (message, "type", type);
  json_object_set_double_member (message, "x", x);
  json_object_set_double_member (message, "y", y);
  send_to_hub (self, message);
}

static void
replayed_cb (GtkWidget            *window,
             const char           *title,
             const char           *text,
             ParleyCobrowsePanel  *self)
{
  g_object_set (window, "page-title", title, NULL);
  /* The UI tests check what the web view rebuilt. */
  if (g_strcmp0 (g_getenv ("PARLEY_TEST_HOOKS"), "1") == 0)
    {
      g_autofree char *flat = g_strdelimit (g_strdup (text), "\n", ' ');

      g_print ("parley-test: co-browse replayed “%s”: %s\n", title, flat);
    }
}

static void
end_requested_cb (GtkWidget            *window,
                  ParleyCobrowsePanel  *self)
{
  g_autoptr(JsonObject) end = json_object_new ();

  json_object_set_string_member (end, "type", "end");
  send_to_hub (self, end);
  g_signal_handlers_disconnect_by_data (self->window, self);
  self->window = NULL;  /* it is closing itself */
  drop_socket (self);
  set_idle (self, _("You ended co-browsing."));
}

static char *view_module_dir;

void
parley_cobrowse_panel_set_module_dir (const char *dir)
{
  g_free (view_module_dir);
  view_module_dir = g_strdup (dir);
}

/* The window's type, from libcobrowse-view, loaded (for good) on first use. */
static GType
window_type (void)
{
  static GType type;
  g_autofree char *path = NULL;
  GType (*get_type) (void);
  GModule *module;

  if (type != 0)
    return type;
  path = g_module_build_path (view_module_dir, "cobrowse-view");
  module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL || !g_module_symbol (module, "parley_cobrowse_window_get_type", (gpointer *) &get_type))
    {
      g_warning ("Cannot load the co-browse view from %s: %s", path, g_module_error ());
      return G_TYPE_INVALID;
    }
  g_module_make_resident (module);
  type = get_type ();
  return type;
}

static gboolean
show_window (ParleyCobrowsePanel *self)
{
  GtkRoot *root;

  if (self->window == NULL)
    {
      GType type = window_type ();

      if (type == G_TYPE_INVALID)
        return FALSE;
      self->window = g_object_new (type,
                                   "customer-name", self->customer_name,
                                   "default-width", 1100,
                                   "default-height", 760,
                                   NULL);
      root = gtk_widget_get_root (GTK_WIDGET (self));
      if (GTK_IS_WINDOW (root))
        {
          gtk_window_set_transient_for (GTK_WINDOW (self->window), GTK_WINDOW (root));
          gtk_window_set_application (GTK_WINDOW (self->window), gtk_window_get_application (GTK_WINDOW (root)));
        }
      g_signal_connect (self->window, "agent-input", G_CALLBACK (agent_input_cb), self);
      g_signal_connect (self->window, "replayed", G_CALLBACK (replayed_cb), self);
      g_signal_connect (self->window, "end-requested", G_CALLBACK (end_requested_cb), self);
    }
  gtk_window_present (GTK_WINDOW (self->window));
  return TRUE;
}

/* ---- the hub socket ---------------------------------------------------------- */

static const char *
ended_status (const char *state,
              const char *by)
{
  if (g_strcmp0 (state, "declined") == 0)
    return _("The visitor declined to share their page.");
  if (g_strcmp0 (state, "unanswered") == 0)
    return _("The visitor did not answer.");
  if (g_strcmp0 (by, "visitor") == 0)
    return _("The visitor stopped sharing.");
  if (g_strcmp0 (by, "visitor_left") == 0)
    return _("The visitor left the site.");
  if (g_strcmp0 (by, "too_much") == 0)
    return _("The page changed too fast to share.");
  return _("Co-browsing ended.");
}

static void
handle_state (ParleyCobrowsePanel *self,
              JsonObject          *message)
{
  const char *state = json_object_get_string_member_with_default (message, "state", "");
  const char *by = json_object_get_string_member_with_default (message, "by", NULL);
  JsonObject *page = json_object_has_member (message, "page") ? json_object_get_object_member (message, "page") : NULL;
  g_autofree char *status = NULL;

  if (g_str_equal (state, "requested"))
    set_busy (self, _("Waiting for the visitor to agree…"));
  else if (g_str_equal (state, "active"))
    {
      const char *title = page ? json_object_get_string_member_with_default (page, "title", NULL) : NULL;

      if (!show_window (self))
        {
          end_sharing (self, _("Co-browsing could not start: the view is missing from this installation."));
          return;
        }
      g_object_set (self->window, "status", NULL, NULL);
      if (title && *title)
        /* Translators: the title of the visitor's page */
        status = g_strdup_printf (_("Seeing “%s”"), title);
      set_busy (self, status ? status : _("Seeing the visitor’s page"));
    }
  else if (g_str_equal (state, "navigating"))
    {
      if (self->window)
        g_object_set (self->window, "status", _("The visitor is opening another page…"), NULL);
    }
  else
    {
      drop_window (self);
      drop_socket (self);
      set_idle (self, ended_status (state, by));
    }
}

static void
socket_message_cb (SoupWebsocketConnection *socket,
                   int                      type,
                   GBytes                  *message,
                   ParleyCobrowsePanel     *self)
{
  g_autoptr(JsonParser) parser = NULL;
  gsize size;
  const char *data = g_bytes_get_data (message, &size);
  JsonNode *root;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  /* Recordings go to the view as they are, without parsing them here. */
  if (size > strlen (EVENTS_PREFIX) && memcmp (data, EVENTS_PREFIX, strlen (EVENTS_PREFIX)) == 0)
    {
      if (self->window)
        g_signal_emit_by_name (self->window, "receive", message);
      return;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, size, NULL) ||
      !(root = json_parser_get_root (parser)) || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  if (g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (root), "type", ""), "state") == 0)
    handle_state (self, json_node_get_object (root));
}

static void
socket_closed_cb (SoupWebsocketConnection *socket,
                  ParleyCobrowsePanel     *self)
{
  drop_window (self);
  drop_socket (self);
  set_idle (self, _("Co-browsing ended: the connection to the hub was lost."));
}

static void
socket_opened_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ParleyCobrowsePanel *self = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *socket = parley_client_open_socket_finish (PARLEY_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (socket == NULL)
    {
      if (g_error_matches (error, PARLEY_ERROR, PARLEY_ERROR_FORBIDDEN))
        set_idle (self, _("Co-browsing needs an open conversation with this customer assigned to you."));
      else if (g_error_matches (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT))
        set_idle (self, _("The visitor is not on the site right now."));
      else
        set_idle (self, _("Co-browsing could not start: the hub did not answer."));
      return;
    }
  self->socket = socket;
  /* A page's first snapshot can be large. */
  soup_websocket_connection_set_max_incoming_payload_size (socket, 16 * 1024 * 1024);
  g_signal_connect (socket, "message", G_CALLBACK (socket_message_cb), self);
  g_signal_connect (socket, "closed", G_CALLBACK (socket_closed_cb), self);
  set_busy (self, _("Asking the visitor…"));
}

static void
button_clicked_cb (ParleyCobrowsePanel *self)
{
  g_autofree char *path = NULL;

  if (self->socket != NULL)
    {
      end_sharing (self, _("You ended co-browsing."));
      return;
    }
  if (self->client == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->button), FALSE);
  gtk_label_set_text (self->status, _("Asking the visitor…"));
  path = g_strdup_printf ("/api/v1/channels/chat/cobrowse?customer=%" G_GINT64_FORMAT, self->customer_id);
  parley_client_open_socket_async (self->client, path, self->cancellable, socket_opened_cb, self);
}

/* ---- GObject ------------------------------------------------------------------ */

GtkWidget *
parley_cobrowse_panel_new (ParleyClient *client,
                           gint64        customer_id,
                           const char   *customer_name)
{
  ParleyCobrowsePanel *self = g_object_new (PARLEY_TYPE_COBROWSE_PANEL, NULL);

  self->client = client ? g_object_ref (client) : NULL;
  self->customer_id = customer_id;
  self->customer_name = g_strdup (customer_name);
  return GTK_WIDGET (self);
}

static void
parley_cobrowse_panel_dispose (GObject *object)
{
  ParleyCobrowsePanel *self = PARLEY_COBROWSE_PANEL (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  drop_window (self);
  drop_socket (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (parley_cobrowse_panel_parent_class)->dispose (object);
}

static void
parley_cobrowse_panel_finalize (GObject *object)
{
  g_free (PARLEY_COBROWSE_PANEL (object)->customer_name);
  G_OBJECT_CLASS (parley_cobrowse_panel_parent_class)->finalize (object);
}

static void
parley_cobrowse_panel_class_init (ParleyCobrowsePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = parley_cobrowse_panel_dispose;
  object_class->finalize = parley_cobrowse_panel_finalize;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "cobrowse-panel");
}

static void
parley_cobrowse_panel_class_finalize (ParleyCobrowsePanelClass *klass)
{
}

static void
parley_cobrowse_panel_init (ParleyCobrowsePanel *self)
{
  GtkWidget *heading = gtk_label_new (_("Co-browse"));
  GtkWidget *status = gtk_label_new (NULL);
  GtkWidget *button = gtk_button_new ();

  self->cancellable = g_cancellable_new ();
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 6);

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_set_parent (heading, GTK_WIDGET (self));

  self->status = GTK_LABEL (status);
  gtk_label_set_wrap (self->status, TRUE);
  gtk_label_set_xalign (self->status, 0);
  gtk_widget_add_css_class (status, "dim-label");
  gtk_widget_set_parent (status, GTK_WIDGET (self));

  self->button = GTK_BUTTON (button);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (button, _("Ask the visitor to show you the page they are on"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (button_clicked_cb), self);
  gtk_widget_set_parent (button, GTK_WIDGET (self));
  set_idle (self, _("See the visitor’s page live, with their consent."));
}
