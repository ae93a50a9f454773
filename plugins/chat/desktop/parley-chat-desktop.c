/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-chat-desktop"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libpeas/peas.h>

#include "parley-ui.h"
#include "parley-cobrowse-panel.h"

/* The desktop side of web chat: the usual bubble (with the message's file,
 * if any, as libparley-ui shows it for every channel), and under a
 * visitor's message the page they wrote it on (title and address, as plain
 * text: a customer's page is never loaded or opened from here). Replies use
 * the generic text composer. For customers with a chat identity the details
 * carry the co-browse panel (parley-cobrowse-panel.c). */

#define PARLEY_TYPE_CHAT_DESKTOP (parley_chat_desktop_get_type ())
G_DECLARE_FINAL_TYPE (ParleyChatDesktop, parley_chat_desktop, PARLEY, CHAT_DESKTOP, GObject)

struct _ParleyChatDesktop
{
  GObject parent_instance;
};

static void parley_chat_desktop_iface_init (ParleyUiChannelInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (ParleyChatDesktop, parley_chat_desktop, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (PARLEY_UI_TYPE_CHANNEL, parley_chat_desktop_iface_init))

static const char *
parley_chat_desktop_get_kind (ParleyUiChannel *channel)
{
  return "chat";
}

/* Translated here; the hub declares it in English. */
static const char *
parley_chat_desktop_get_title (ParleyUiChannel *channel)
{
  return _("Chat");
}

/* Parley's own: a bubble that does not say "new". */
static const char *
parley_chat_desktop_get_icon_name (ParleyUiChannel *channel)
{
  return "parley-chat-symbolic";
}

static GtkWidget *
parley_chat_desktop_create_event_view (ParleyUiChannel *channel)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *page = gtk_label_new (NULL);

  gtk_box_append (GTK_BOX (box), parley_ui_event_view_new ());
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
  GtkWidget *page = gtk_widget_get_next_sibling (bubble);
  JsonNode *node = json_object_get_member (event, "metadata");
  JsonObject *metadata = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *title = metadata ? json_object_get_string_member_with_default (metadata, "page_title", NULL) : NULL;
  const char *url = metadata ? json_object_get_string_member_with_default (metadata, "page_url", NULL) : NULL;
  g_autofree char *text = NULL;
  /* The agents' own messages sit at the right, their page line too. */
  GtkAlign side = g_strcmp0 (json_object_get_string_member_with_default (event, "direction", ""), "out") == 0
                  ? GTK_ALIGN_END : GTK_ALIGN_START;

  /* The bubble shows the message's file too, fetched with this client. */
  parley_ui_event_view_set_client (PARLEY_UI_EVENT_VIEW (bubble), parley_ui_channel_get_client (channel));
  parley_ui_event_view_set_event (PARLEY_UI_EVENT_VIEW (bubble), event);
  if (url && *url)
    /* Translators: under a chat message: the page title, then its address */
    text = g_strdup_printf (_("On “%s” · %s"), title && *title ? title : url, url);
  else if (metadata && json_object_has_member (metadata, "pages"))
    text = pages_seen (json_object_get_array_member (metadata, "pages"));
  gtk_label_set_text (GTK_LABEL (page), text ? text : "");
  gtk_widget_set_visible (page, text != NULL);
  gtk_widget_set_halign (page, side);
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
  if (!has_chat_identity (customer))
    return NULL;
  return parley_cobrowse_panel_new (parley_ui_channel_get_client (channel), json_object_get_int_member (customer, "id"),
                                    json_object_get_string_member_with_default (customer, "name", ""));
}

static void
parley_chat_desktop_iface_init (ParleyUiChannelInterface *iface)
{
  iface->get_kind = parley_chat_desktop_get_kind;
  iface->get_title = parley_chat_desktop_get_title;
  iface->get_icon_name = parley_chat_desktop_get_icon_name;
  iface->create_context_panel = parley_chat_desktop_create_context_panel;
  iface->create_event_view = parley_chat_desktop_create_event_view;
  iface->bind_event_view = parley_chat_desktop_bind_event_view;
}

static void
parley_chat_desktop_class_init (ParleyChatDesktopClass *klass)
{
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
