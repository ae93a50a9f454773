/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-customer-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "parley-customer-details.h"
#include "parley-customer-editor.h"

/* Attributes every customer can be given, besides those they have. */
static const char * const known_attributes[] = { "language", "tier", "location", NULL };

/**
 * ParleyCustomerEditor:
 *
 * Edit Customer: name, tags, every attribute by its name, and the
 * customer's email addresses and phone numbers (a new one is linked as an
 * identity). Save hands the changes to whoever opened it through the
 * #ParleyCustomerEditor::save signal; the editor itself talks to no hub.
 */
struct _ParleyCustomerEditor
{
  AdwWindow            parent_instance;

  JsonObject          *customer;
  GHashTable          *attribute_rows;  /* key → AdwEntryRow */

  /* template children */
  AdwEntryRow         *name_row;
  AdwEntryRow         *tags_row;
  AdwEntryRow         *address_row;
  AdwPreferencesGroup *identities_group;
  AdwPreferencesGroup *attributes_group;
};

G_DEFINE_FINAL_TYPE (ParleyCustomerEditor, parley_customer_editor, ADW_TYPE_WINDOW)

enum { SAVE, N_SIGNALS };
static guint signals[N_SIGNALS];

static JsonObject *
customer_attributes (ParleyCustomerEditor *self)
{
  JsonNode *node = json_object_get_member (self->customer, "attributes");

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
add_attribute_row (ParleyCustomerEditor *self,
                   const char           *key,
                   const char           *value)
{
  GtkWidget *row = adw_entry_row_new ();
  g_autofree char *title = parley_customer_details_label_for (key);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), value ? value : "");
  adw_preferences_group_add (self->attributes_group, row);
  g_hash_table_insert (self->attribute_rows, g_strdup (key), row);
}

static void
fill (ParleyCustomerEditor *self)
{
  JsonObject *attributes = customer_attributes (self);
  JsonNode *tags = attributes ? json_object_get_member (attributes, "tags") : NULL;
  JsonNode *identities = json_object_get_member (self->customer, "identities");
  g_autoptr(GList) keys = attributes ? json_object_get_members (attributes) : NULL;
  g_autoptr(GString) tag_text = g_string_new (NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), json_object_get_string_member_with_default (self->customer, "name", ""));
  for (guint i = 0; tags && JSON_NODE_HOLDS_ARRAY (tags) && i < json_array_get_length (json_node_get_array (tags)); i++)
    g_string_append_printf (tag_text, "%s%s", i ? ", " : "", json_array_get_string_element (json_node_get_array (tags), i));
  gtk_editable_set_text (GTK_EDITABLE (self->tags_row), tag_text->str);

  for (guint i = 0; identities && JSON_NODE_HOLDS_ARRAY (identities) && i < json_array_get_length (json_node_get_array (identities)); i++)
    {
      JsonObject *identity = json_array_get_object_element (json_node_get_array (identities), i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), json_object_get_string_member_with_default (identity, "value", ""));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), json_object_get_string_member_with_default (identity, "kind", ""));
      adw_preferences_group_add (self->identities_group, row);
    }

  for (guint i = 0; known_attributes[i]; i++)
    add_attribute_row (self, known_attributes[i],
                       attributes ? json_object_get_string_member_with_default (attributes, known_attributes[i], "") : "");
  for (GList *l = keys; l; l = l->next)
    {
      JsonNode *value = json_object_get_member (attributes, l->data);

      /* Texts are edited here; lists and numbers (imported purchases...) stay as they are. */
      if (!g_hash_table_contains (self->attribute_rows, l->data) && JSON_NODE_HOLDS_VALUE (value) &&
          json_node_get_value_type (value) == G_TYPE_STRING)
        add_attribute_row (self, l->data, json_node_get_string (value));
    }
}

/* The PATCH body: the name, and the attributes as they were with the
 * edited texts and tags put in (an emptied text goes). */
static JsonObject *
changes (ParleyCustomerEditor *self)
{
  JsonObject *body = json_object_new ();
  JsonObject *attributes = json_object_new ();
  JsonObject *before = customer_attributes (self);
  g_autoptr(GList) keys = before ? json_object_get_members (before) : NULL;
  g_auto(GStrv) tag_list = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->tags_row)), ",", -1);
  JsonArray *tags = json_array_new ();
  GHashTableIter iter;
  gpointer key, row;

  for (GList *l = keys; l; l = l->next)
    json_object_set_member (attributes, l->data, json_node_copy (json_object_get_member (before, l->data)));
  g_hash_table_iter_init (&iter, self->attribute_rows);
  while (g_hash_table_iter_next (&iter, &key, &row))
    {
      g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

      if (*value)
        json_object_set_string_member (attributes, key, value);
      else if (json_object_has_member (attributes, key))
        json_object_remove_member (attributes, key);
    }
  for (guint i = 0; tag_list[i]; i++)
    if (*g_strstrip (tag_list[i]))
      json_array_add_string_element (tags, tag_list[i]);
  json_object_set_array_member (attributes, "tags", tags);
  json_object_set_string_member (body, "name", gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  json_object_set_object_member (body, "attributes", attributes);
  return body;
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ParleyCustomerEditor *self = PARLEY_CUSTOMER_EDITOR (widget);
  g_autoptr(JsonObject) body = changes (self);
  g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_row))));

  g_signal_emit (self, signals[SAVE], 0, body, *address ? address : NULL);
  gtk_window_close (GTK_WINDOW (self));
}

static void
parley_customer_editor_finalize (GObject *object)
{
  ParleyCustomerEditor *self = PARLEY_CUSTOMER_EDITOR (object);

  g_clear_pointer (&self->customer, json_object_unref);
  g_clear_pointer (&self->attribute_rows, g_hash_table_unref);
  G_OBJECT_CLASS (parley_customer_editor_parent_class)->finalize (object);
}

static void
parley_customer_editor_class_init (ParleyCustomerEditorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = parley_customer_editor_finalize;

  /**
   * ParleyCustomerEditor::save:
   * @body: the customer's new name and attributes, as PATCH takes them
   * @address: (nullable): an email address or phone number to link
   *
   * The agent saved.
   */
  signals[SAVE] = g_signal_new ("save", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                G_TYPE_NONE, 2, JSON_TYPE_OBJECT, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/parley/Parley/ui/parley-customer-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerEditor, tags_row);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerEditor, address_row);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerEditor, identities_group);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerEditor, attributes_group);
  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
parley_customer_editor_init (ParleyCustomerEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->attribute_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

ParleyCustomerEditor *
parley_customer_editor_new (GtkWindow  *parent,
                            JsonObject *customer)
{
  ParleyCustomerEditor *self = g_object_new (PARLEY_TYPE_CUSTOMER_EDITOR, "transient-for", parent, NULL);

  self->customer = json_object_ref (customer);
  fill (self);
  return self;
}
