/* SPDX-License-Identifier: CC0-1.0 */
/* A template for the desktop side of a Parley channel: what the agent's
 * window shows of the "example" channel (see ../hub for the hub side).
 * Every part is optional but get_kind: what a channel leaves out, the
 * desktop does the generic way (a plain-text bubble and composer), which
 * is also what a channel without any desktop plugin gets. This one gives
 *
 * - its name and icon, wherever the desktop names the channel;
 * - its timeline events: the generic bubble (text, and the file a message
 *   carries) with a line under the customer's messages;
 * - a panel beside a conversation on this channel (a softphone would put
 *   its call controls there).
 *
 * The composer is left to the generic one; a channel with its own (rich
 * text, a subject) returns a widget implementing ParleyUiComposer from
 * create_composer. Customer text is never markup: set it as text. */
#define G_LOG_DOMAIN "example-desktop"

#include <libpeas/peas.h>
#include <parley-ui.h>

#define KIND "example"

#define EXAMPLE_TYPE_DESKTOP (example_desktop_get_type ())
G_DECLARE_FINAL_TYPE (ExampleDesktop, example_desktop, EXAMPLE, DESKTOP, GObject)

struct _ExampleDesktop
{
  GObject parent_instance;
};

static void example_desktop_iface_init (ParleyUiChannelInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (ExampleDesktop, example_desktop, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (PARLEY_UI_TYPE_CHANNEL, example_desktop_iface_init))

static const char *
example_desktop_get_kind (ParleyUiChannel *channel)
{
  return KIND;
}

static const char *
example_desktop_get_title (ParleyUiChannel *channel)
{
  return "Example";
}

static const char *
example_desktop_get_icon_name (ParleyUiChannel *channel)
{
  return "mail-send-symbolic";
}

/* One view is made, then bound to many events as the timeline scrolls:
 * keep what it shows out of the view itself and set all of it in bind. */
static GtkWidget *
example_desktop_create_event_view (ParleyUiChannel *channel)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *via = gtk_label_new (NULL);

  gtk_box_append (GTK_BOX (box), parley_ui_event_view_new ());
  gtk_widget_add_css_class (via, "caption");
  gtk_widget_add_css_class (via, "dim-label");
  gtk_box_append (GTK_BOX (box), via);
  return box;
}

static void
example_desktop_bind_event_view (ParleyUiChannel *channel,
                                 GtkWidget       *view,
                                 JsonObject      *event)
{
  GtkWidget *bubble = gtk_widget_get_first_child (view);
  GtkWidget *via = gtk_widget_get_next_sibling (bubble);
  gboolean inbound = g_strcmp0 (json_object_get_string_member_with_default (event, "direction", ""), "in") == 0;

  /* The bubble fetches a message's file with the agent's credentials. */
  parley_ui_event_view_set_client (PARLEY_UI_EVENT_VIEW (bubble), parley_ui_channel_get_client (channel));
  parley_ui_event_view_set_event (PARLEY_UI_EVENT_VIEW (bubble), event);
  gtk_label_set_text (GTK_LABEL (via), "via the example provider");
  gtk_widget_set_visible (via, inbound);
  gtk_widget_set_halign (via, GTK_ALIGN_START);
}

/* @customer is the hub's JSON for the customer: "id", "name",
 * "identities" ([{"kind", "value"}]), "attributes". */
static GtkWidget *
example_desktop_create_context_panel (ParleyUiChannel *channel,
                                      JsonObject      *customer)
{
  JsonArray *identities = json_object_has_member (customer, "identities")
    ? json_object_get_array_member (customer, "identities") : NULL;
  GtkWidget *panel = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new ("Example");
  GtkWidget *numbers = gtk_label_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; identities != NULL && i < json_array_get_length (identities); i++)
    {
      JsonObject *identity = json_array_get_object_element (identities, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (identity, "kind", ""), PARLEY_IDENTITY_PHONE) == 0)
        g_string_append_printf (text, "%s%s", text->len ? "\n" : "",
                                json_object_get_string_member_with_default (identity, "value", ""));
    }
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_set_halign (heading, GTK_ALIGN_START);
  gtk_label_set_text (GTK_LABEL (numbers), text->len ? text->str : "No phone number");
  gtk_label_set_selectable (GTK_LABEL (numbers), TRUE);
  gtk_widget_set_halign (numbers, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (panel), heading);
  gtk_box_append (GTK_BOX (panel), numbers);
  /* Screen readers name the panel by its purpose. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (panel), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Example channel details", -1);
  return panel;
}

static void
example_desktop_iface_init (ParleyUiChannelInterface *iface)
{
  iface->get_kind = example_desktop_get_kind;
  iface->get_title = example_desktop_get_title;
  iface->get_icon_name = example_desktop_get_icon_name;
  iface->create_event_view = example_desktop_create_event_view;
  iface->bind_event_view = example_desktop_bind_event_view;
  iface->create_context_panel = example_desktop_create_context_panel;
}

static void
example_desktop_class_init (ExampleDesktopClass *klass)
{
}

static void
example_desktop_class_finalize (ExampleDesktopClass *klass)
{
}

static void
example_desktop_init (ExampleDesktop *self)
{
}

G_MODULE_EXPORT void peas_register_types (PeasObjectModule *module);

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  example_desktop_register_type (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, PARLEY_UI_TYPE_CHANNEL, EXAMPLE_TYPE_DESKTOP);
}
