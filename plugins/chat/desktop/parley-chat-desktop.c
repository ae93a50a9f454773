/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-chat-desktop"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libpeas/peas.h>

#include "parley-ui.h"
#include "parley-cobrowse-panel.h"

/* The desktop side of web chat: the usual bubble, and under a visitor's
 * message the page they wrote it on (title and address, as plain text: a
 * customer's page is never loaded or opened from here). Replies use the
 * generic text composer. For customers with a chat identity the details
 * carry the co-browse panel (parley-cobrowse-panel.c). */

#define PARLEY_TYPE_CHAT_DESKTOP (parley_chat_desktop_get_type ())
G_DECLARE_FINAL_TYPE (ParleyChatDesktop, parley_chat_desktop, PARLEY, CHAT_DESKTOP, GObject)

struct _ParleyChatDesktop
{
  GObject       parent_instance;

  ParleyClient *client;
};

static void parley_chat_desktop_iface_init (ParleyUiChannelInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (ParleyChatDesktop, parley_chat_desktop, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (PARLEY_UI_TYPE_CHANNEL, parley_chat_desktop_iface_init))

static const char *
parley_chat_desktop_get_kind (ParleyUiChannel *channel)
{
  return "chat";
}

/* ---- attachments: fetched with the agent's credentials, kept in the cache
 * and handed to the desktop's own viewer; never shown by Parley itself. */

static void
attachment_fetched_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GtkWidget) button = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = parley_client_download_finish (PARLEY_CLIENT (source), result, &error);
  const char *id = g_object_get_data (G_OBJECT (button), "attachment-id");
  g_autofree char *name = g_path_get_basename (g_object_get_data (G_OBJECT (button), "attachment-name"));
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "parley", "attachments", id, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *uri = NULL;
  GtkRoot *root = gtk_widget_get_root (button);

  gtk_widget_set_sensitive (button, TRUE);
  if (bytes == NULL ||
      g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      gtk_widget_set_tooltip_text (button, error ? error->message : _("The file could not be saved"));
      return;
    }
  uri = g_filename_to_uri (path, NULL, NULL);
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
attachment_clicked_cb (GtkButton         *button,
                       ParleyChatDesktop *self)
{
  g_autofree char *path = NULL;

  if (self->client == NULL)
    return;
  path = g_strdup_printf ("attachments/%s", (const char *) g_object_get_data (G_OBJECT (button), "attachment-id"));
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  parley_client_download_async (self->client, path, NULL, attachment_fetched_cb, g_object_ref (button));
}

static GtkWidget *
parley_chat_desktop_create_event_view (ParleyUiChannel *channel)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *page = gtk_label_new (NULL);
  GtkWidget *attachment = gtk_button_new ();

  gtk_box_append (GTK_BOX (box), parley_ui_event_view_new ());
  gtk_widget_add_css_class (attachment, "pill");
  gtk_widget_set_margin_start (attachment, 12);
  gtk_widget_set_margin_end (attachment, 12);
  gtk_widget_set_visible (attachment, FALSE);
  g_signal_connect (attachment, "clicked", G_CALLBACK (attachment_clicked_cb), channel);
  gtk_box_append (GTK_BOX (box), attachment);
  gtk_label_set_ellipsize (GTK_LABEL (page), PANGO_ELLIPSIZE_END);
  gtk_label_set_selectable (GTK_LABEL (page), TRUE);
  gtk_label_set_xalign (GTK_LABEL (page), 0);
  gtk_widget_set_margin_start (page, 12);
  gtk_widget_add_css_class (page, "caption");
  gtk_widget_add_css_class (page, "dim-label");
  gtk_widget_add_css_class (page, "chat-page");
  gtk_box_append (GTK_BOX (box), page);
  return box;
}

/* Under a co-browse session: the titles of the pages the agent saw. */
static char *
pages_seen (JsonArray *pages)
{
  g_autoptr(GString) titles = g_string_new (NULL);

  for (guint i = 0; pages && i < json_array_get_length (pages); i++)
    {
      JsonObject *page = json_array_get_object_element (pages, i);
      const char *title = page ? json_object_get_string_member_with_default (page, "title", NULL) : NULL;
      const char *url = page ? json_object_get_string_member_with_default (page, "url", "") : "";

      if (titles->len > 0)
        g_string_append (titles, " · ");
      g_string_append (titles, title && *title ? title : url);
    }
  if (titles->len == 0)
    return NULL;
  /* Translators: under a co-browse session: the titles of the pages seen */
  return g_strdup_printf (_("Pages seen: %s"), titles->str);
}

static void
parley_chat_desktop_bind_event_view (ParleyUiChannel *channel,
                                     GtkWidget       *view,
                                     JsonObject      *event)
{
  GtkWidget *bubble = gtk_widget_get_first_child (view);
  GtkWidget *attachment = gtk_widget_get_next_sibling (bubble);
  GtkWidget *page = gtk_widget_get_next_sibling (attachment);
  JsonNode *node = json_object_get_member (event, "metadata");
  JsonObject *metadata = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *title = metadata ? json_object_get_string_member_with_default (metadata, "page_title", NULL) : NULL;
  const char *url = metadata ? json_object_get_string_member_with_default (metadata, "page_url", NULL) : NULL;
  g_autofree char *text = NULL;
  /* The agents' own messages, files and all, sit at the right. */
  GtkAlign side = g_strcmp0 (json_object_get_string_member_with_default (event, "direction", ""), "out") == 0
                  ? GTK_ALIGN_END : GTK_ALIGN_START;

  JsonObject *file = metadata && json_object_has_member (metadata, "attachment") &&
                     JSON_NODE_HOLDS_OBJECT (json_object_get_member (metadata, "attachment"))
                     ? json_object_get_object_member (metadata, "attachment") : NULL;

  parley_ui_event_view_set_event (PARLEY_UI_EVENT_VIEW (bubble), event);
  gtk_widget_set_visible (attachment, file != NULL);
  if (file)
    {
      g_autofree char *size = g_format_size (json_object_get_int_member_with_default (file, "size", 0));
      /* Translators: a button under a message: the file's name, then its size */
      g_autofree char *label = g_strdup_printf (_("Open “%s” (%s)"), json_object_get_string_member_with_default (file, "name", ""), size);

      gtk_button_set_label (GTK_BUTTON (attachment), label);
      gtk_widget_set_tooltip_text (attachment, _("Opens the file with the desktop’s viewer"));
      g_object_set_data_full (G_OBJECT (attachment), "attachment-id",
                              g_strdup (json_object_get_string_member_with_default (file, "id", "")), g_free);
      g_object_set_data_full (G_OBJECT (attachment), "attachment-name",
                              g_strdup (json_object_get_string_member_with_default (file, "name", "file")), g_free);
    }
  if (url && *url)
    /* Translators: under a chat message: the page title, then its address */
    text = g_strdup_printf (_("On “%s” · %s"), title && *title ? title : url, url);
  else if (metadata && json_object_has_member (metadata, "pages"))
    text = pages_seen (json_object_get_array_member (metadata, "pages"));
  gtk_label_set_text (GTK_LABEL (page), text ? text : "");
  gtk_widget_set_visible (page, text != NULL);
  gtk_widget_set_halign (page, side);
  gtk_widget_set_halign (attachment, side);
}

static void
parley_chat_desktop_set_client (ParleyUiChannel *channel,
                                ParleyClient    *client)
{
  ParleyChatDesktop *self = PARLEY_CHAT_DESKTOP (channel);

  g_set_object (&self->client, client);
}

static gboolean
has_chat_identity (JsonObject *customer)
{
  JsonArray *identities = json_object_has_member (customer, "identities")
    ? json_object_get_array_member (customer, "identities") : NULL;

  for (guint i = 0; identities && i < json_array_get_length (identities); i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (json_array_get_object_element (identities, i), "kind", ""),
                   "chat") == 0)
      return TRUE;
  return FALSE;
}

static GtkWidget *
parley_chat_desktop_create_context_panel (ParleyUiChannel *channel,
                                          JsonObject      *customer)
{
  ParleyChatDesktop *self = PARLEY_CHAT_DESKTOP (channel);

  if (!has_chat_identity (customer))
    return NULL;
  return parley_cobrowse_panel_new (self->client, json_object_get_int_member (customer, "id"),
                                    json_object_get_string_member_with_default (customer, "name", ""));
}

static void
parley_chat_desktop_iface_init (ParleyUiChannelInterface *iface)
{
  iface->get_kind = parley_chat_desktop_get_kind;
  iface->set_client = parley_chat_desktop_set_client;
  iface->create_context_panel = parley_chat_desktop_create_context_panel;
  iface->create_event_view = parley_chat_desktop_create_event_view;
  iface->bind_event_view = parley_chat_desktop_bind_event_view;
}

static void
parley_chat_desktop_dispose (GObject *object)
{
  g_clear_object (&PARLEY_CHAT_DESKTOP (object)->client);
  G_OBJECT_CLASS (parley_chat_desktop_parent_class)->dispose (object);
}

static void
parley_chat_desktop_class_init (ParleyChatDesktopClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = parley_chat_desktop_dispose;
}

static void
parley_chat_desktop_class_finalize (ParleyChatDesktopClass *klass)
{
}

static void
parley_chat_desktop_init (ParleyChatDesktop *self)
{
}

G_MODULE_EXPORT void peas_register_types (PeasObjectModule *module);

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  parley_chat_desktop_register_type (G_TYPE_MODULE (module));
  g_autofree char *dir = NULL;

  parley_cobrowse_panel_register (G_TYPE_MODULE (module));
  /* The co-browse view is a module beside this one. */
  g_object_get (module, "path", &dir, NULL);
  parley_cobrowse_panel_set_module_dir (dir);
  peas_object_module_register_extension_type (module, PARLEY_UI_TYPE_CHANNEL, PARLEY_TYPE_CHAT_DESKTOP);
}
