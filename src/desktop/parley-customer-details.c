/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-customer-details"

#include "config.h"

#include <glib/gi18n.h>

#include "parley-customer-details.h"

/**
 * ParleyCustomerDetails:
 *
 * The customer's 360 view beside the timeline: name, tags, every
 * identity (and customers a chat visitor may be, to confirm), attributes,
 * and the panel the open conversation's channel brings (co-browse for a
 * chat). It shows the customer the customer view hands it; confirming a
 * match is the customer view's "customer.confirm-match" action.
 */
struct _ParleyCustomerDetails
{
  GtkWidget         parent_instance;

  ParleyClient     *client;
  ParleyPluginHost *plugins;
  GCancellable     *cancellable;
  gint64            customer_id;
  gint64            conversation_id;  /* the open one, not among the "others" */
  gint64            panels_for;     /* the customer the panels were made for */
  char             *panels_kind;    /* and the conversation's channel */

  /* template children */
  GtkWidget        *scroller;
  AdwAvatar        *avatar;
  GtkLabel         *name_label;
  GtkFlowBox       *tags_box;
  GtkListBox       *identities_list;
  GtkListBox       *attributes_list;
  GtkListBox       *summary_list;
  GtkBox           *panels_box;
};

G_DEFINE_FINAL_TYPE (ParleyCustomerDetails, parley_customer_details, GTK_TYPE_WIDGET)

/* @object's array @member, or NULL when it has none. */
static JsonArray *
array_member (JsonObject *object,
              const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))))
    gtk_list_box_remove (list, child);
}

static GtkWidget *
detail_row (const char *icon_name,
            const char *title,
            const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Customer data is plain text: no markup in row titles. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (icon_name)
    adw_action_row_set_icon_name (ADW_ACTION_ROW (row), icon_name);
  gtk_widget_add_css_class (row, "property");
  return row;
}

/* ---- attributes ------------------------------------------------------------ */

/* Attributes agents know by name; any other key is shown as it is,
 * made readable ("shoe_size" reads "Shoe size"). */
static const struct {
  const char *key;
  const char *label;
} attribute_labels[] = {
  { "language", N_("Language") }, { "tier", N_("Tier") }, { "location", N_("Location") },
  { "company", N_("Company") }, { "country", N_("Country") }, { "timezone", N_("Time zone") },
};

/**
 * parley_customer_details_label_for:
 * @key: an attribute's key
 *
 * Returns: (transfer full): how agents read @key
 */
char *
parley_customer_details_label_for (const char *key)
{
  g_autofree char *spaced = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (attribute_labels); i++)
    if (g_str_equal (key, attribute_labels[i].key))
      return g_strdup (_(attribute_labels[i].label));
  spaced = g_strdelimit (g_strdup (key), "_-", ' ');
  return g_strconcat ((char[]) { g_ascii_toupper (spaced[0]), 0 }, spaced + (spaced[0] ? 1 : 0), NULL);
}

/* The language called @code ("es", "spa"), in the desktop's language,
 * from the iso-codes tables, or NULL for a code they do not know. */
static char *
language_name (const char *code)
{
  static GHashTable *names;  /* code → English name, loaded once */
  const char *english;
  const char *translated;

  if (names == NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root;
      JsonArray *languages = NULL;

      names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      if (json_parser_load_from_file (parser, "/usr/share/iso-codes/json/iso_639-2.json", NULL) &&
          (root = json_parser_get_root (parser)) && JSON_NODE_HOLDS_OBJECT (root))
        languages = array_member (json_node_get_object (root), "639-2");
      for (guint i = 0; languages && i < json_array_get_length (languages); i++)
        {
          JsonObject *language = json_array_get_object_element (languages, i);
          const char *name = json_object_get_string_member_with_default (language, "name", NULL);

          for (guint j = 0; name && j < 2; j++)
            {
              const char *alpha = json_object_get_string_member_with_default (language, j ? "alpha_3" : "alpha_2", NULL);

              if (alpha)
                g_hash_table_insert (names, g_strdup (alpha), g_strdup (name));
            }
        }
    }
  if (!(english = g_hash_table_lookup (names, code)))
    return NULL;
  /* "Spanish; Castilian" ("Spanisch (Kastilisch)"): the first name is
   * the one people use. */
  translated = g_dgettext ("iso_639-2", english);
  return g_strstrip (g_strndup (translated, strcspn (translated, ";(")));
}

/* ---- suggested matches ----------------------------------------------------- */

/* A chat visitor who typed an email another customer has is only a
 * suggestion (anyone can type anyone's email): the hub puts a "match"
 * event in the visitor's timeline, and the agent who recognises them
 * confirms it here, which merges the visitor into that customer (undoable
 * like any merge). */
static void
remove_match_rows (ParleyCustomerDetails *self)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->identities_list));

  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (g_object_get_data (G_OBJECT (child), "parley-match"))
        gtk_list_box_remove (self->identities_list, child);
      child = next;
    }
}

static GtkWidget *
match_row (gint64      other,
           const char *name,
           const char *value)
{
  /* Translators: a customer this chat visitor may be; %s is their name */
  g_autofree char *title = g_strdup_printf (_("Possible match: %s"), name);
  /* Translators: %s is an email address the visitor typed in */
  g_autofree char *subtitle = g_strdup_printf (_("%s, typed in by the visitor, not verified"), value);
  /* Translators: the accessible name of the Confirm button; %s is a customer's name */
  g_autofree char *confirm_label = g_strdup_printf (_("Confirm match with %s"), name);
  GtkWidget *row = detail_row ("dialog-question-symbolic", title, subtitle);
  GtkWidget *confirm = gtk_button_new_with_mnemonic (_("_Confirm"));

  gtk_widget_set_valign (confirm, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (confirm), GTK_ACCESSIBLE_PROPERTY_LABEL, confirm_label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (confirm), "customer.confirm-match");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (confirm), g_variant_new_int64 (other));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), confirm);
  g_object_set_data (G_OBJECT (row), "parley-match", GINT_TO_POINTER (TRUE));
  return row;
}

static void
show_matches (ParleyCustomerDetails *self,
              JsonArray             *events)
{
  g_autoptr(GHashTable) shown = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  remove_match_rows (self);
  for (guint i = 0; events && i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      JsonObject *metadata = parley_json_get_object (event, "metadata", FALSE, NULL);
      gint64 other;

      if (g_strcmp0 (json_object_get_string_member_with_default (event, "kind", ""), "match") != 0 || metadata == NULL ||
          json_object_get_int_member_with_default (event, "customer_id", 0) != self->customer_id ||
          (other = json_object_get_int_member_with_default (metadata, "customer_id", 0)) <= 0 ||
          g_hash_table_contains (shown, &other))
        continue;
      g_hash_table_add (shown, g_memdup2 (&other, sizeof other));
      gtk_list_box_append (self->identities_list,
                           match_row (other, json_object_get_string_member_with_default (metadata, "customer_name", ""),
                                      json_object_get_string_member_with_default (metadata, "value", "")));
    }
}

/* ---- summary ----------------------------------------------------------------- */

/* The customer at a glance, from their recent history (newest first):
 * how many conversations, when they last wrote, how they rated the
 * last one, and which others are still open. */
static void
show_summary (ParleyCustomerDetails *self,
              JsonArray             *events)
{
  g_autoptr(GHashTable) states = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gint64 last_contact = 0;
  int nps = -1, csat = -1;
  guint open_others = 0;
  GHashTableIter iter;
  gpointer key, value;

  clear_list (self->summary_list);
  for (guint i = 0; events && i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      const char *kind = json_object_get_string_member_with_default (event, "kind", "");
      JsonObject *metadata = parley_json_get_object (event, "metadata", FALSE, NULL);
      gint64 conversation = json_object_get_int_member_with_default (event, "conversation_id", 0);

      if (conversation > 0 && !g_hash_table_contains (states, &conversation))
        g_hash_table_insert (states, g_memdup2 (&conversation, sizeof conversation), NULL);
      /* The newest state event of each conversation says where it stands. */
      if (conversation > 0 && g_str_equal (kind, "state") && g_hash_table_lookup (states, &conversation) == NULL)
        g_hash_table_insert (states, g_memdup2 (&conversation, sizeof conversation),
                             (gpointer) json_object_get_string_member_with_default (event, "text", ""));
      if (last_contact == 0 && g_strcmp0 (json_object_get_string_member_with_default (event, "direction", ""), "in") == 0 &&
          (g_str_equal (kind, "message") || g_str_equal (kind, "call")))
        last_contact = json_object_get_int_member_with_default (event, "created", 0);
      if (g_str_equal (kind, "survey") && metadata && nps < 0 && csat < 0)
        {
          nps = json_object_get_int_member_with_default (metadata, "nps", -1);
          csat = json_object_get_int_member_with_default (metadata, "csat", -1);
        }
    }
  g_hash_table_iter_init (&iter, states);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (*(gint64 *) key != self->conversation_id && value && !g_str_equal (value, "resolved"))
      open_others++;

  {
    guint n = g_hash_table_size (states);
    g_autofree char *count = g_strdup_printf (ngettext ("%u conversation", "%u conversations", n), n);

    gtk_list_box_append (self->summary_list, detail_row ("view-list-symbolic", count, _("Contacts")));
  }
  if (last_contact > 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (last_contact / G_USEC_PER_SEC);
      /* Translators: when the customer last wrote or called, see g_date_time_format() */
      g_autofree char *text = g_date_time_format (when, _("%-d %B %Y, %H:%M"));

      gtk_list_box_append (self->summary_list, detail_row ("document-open-recent-symbolic", text, _("Last contact")));
    }
  if (nps >= 0 || csat >= 0)
    {
      g_autofree char *nps_text = nps >= 0 ? g_strdup_printf (_("NPS %d of 10"), nps) : NULL;
      g_autofree char *csat_text = csat >= 0 ? g_strdup_printf (_("CSAT %d of 5"), csat) : NULL;
      /* Translators: the last survey's two scores, "NPS 9 of 10 · CSAT 5 of 5" */
      g_autofree char *both = nps_text && csat_text ? g_strdup_printf (_("%s · %s"), nps_text, csat_text) : NULL;

      gtk_list_box_append (self->summary_list, detail_row ("starred-symbolic", both ? both : nps_text ? nps_text : csat_text,
                                                           _("Last rating")));
    }
  if (open_others > 0)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%u other conversation is open", "%u other conversations are open",
                                                         open_others), open_others);

      gtk_list_box_append (self->summary_list, detail_row ("dialog-information-symbolic", text, _("Open")));
    }
}

static void
history_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ParleyCustomerDetails) self = user_data;
  g_autoptr(JsonObject) page = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);
  JsonArray *events = page ? array_member (page, "events") : NULL;

  if (page == NULL)
    return;
  show_matches (self, events);
  show_summary (self, events);
}

/* The recent history the summary and the suggested matches come from. */
static void
load_history (ParleyCustomerDetails *self)
{
  g_autofree char *path = g_strdup_printf ("customers/%" G_GINT64_FORMAT "/timeline?limit=200", self->customer_id);

  parley_client_request_async (self->client, "GET", path, NULL, self->cancellable,
                               history_loaded_cb, g_object_ref (self));
}

/* ---- showing a customer ---------------------------------------------------- */

static void
show_identities (ParleyCustomerDetails *self,
                 JsonObject            *customer)
{
  JsonArray *identities = json_object_get_array_member (customer, "identities");
  ParleyUiChannelDirectory *directory = parley_ui_channel_directory_get_default ();

  clear_list (self->identities_list);
  for (guint i = 0; identities && i < json_array_get_length (identities); i++)
    {
      JsonObject *identity = json_array_get_object_element (identities, i);
      const char *kind = json_object_get_string_member_with_default (identity, "kind", "");
      /* The icon of a channel that reaches it, if one runs. */
      const char *channel = parley_ui_channel_directory_find_for_identity (directory, kind);

      gtk_list_box_append (self->identities_list,
                           detail_row (parley_ui_channel_directory_get_icon_name (directory, channel),
                                       json_object_get_string_member_with_default (identity, "value", ""),
                                       parley_ui_identity_kind_title (kind)));
    }
}

static void
show_attributes (ParleyCustomerDetails *self,
                 JsonObject            *customer)
{
  JsonObject *attributes = parley_json_get_object (customer, "attributes", FALSE, NULL);
  g_autoptr(GList) members = attributes ? json_object_get_members (attributes) : NULL;
  GtkWidget *child;

  clear_list (self->attributes_list);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_box))))
    gtk_flow_box_remove (self->tags_box, child);
  for (GList *l = members; l; l = l->next)
    {
      JsonNode *node = json_object_get_member (attributes, l->data);

      if (g_str_equal (l->data, "tags") && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *tags = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (tags); i++)
            {
              GtkWidget *tag = gtk_label_new (json_array_get_string_element (tags, i));

              gtk_widget_add_css_class (tag, "tag");
              gtk_widget_set_halign (tag, GTK_ALIGN_START);
              gtk_flow_box_append (self->tags_box, tag);
            }
        }
      else if (JSON_NODE_HOLDS_VALUE (node))
        {
          gboolean is_text = json_node_get_value_type (node) == G_TYPE_STRING;
          g_autofree char *text = is_text ? g_strdup (json_node_get_string (node)) : parley_json_to_string (node);
          g_autofree char *label = parley_customer_details_label_for (l->data);
          g_autofree char *language = is_text && g_str_equal (l->data, "language") ? language_name (text) : NULL;

          if (*text)
            gtk_list_box_append (self->attributes_list, detail_row (NULL, language ? language : text, label));
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->tags_box), gtk_widget_get_first_child (GTK_WIDGET (self->tags_box)) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->attributes_list), gtk_widget_get_first_child (GTK_WIDGET (self->attributes_list)) != NULL);
}

/* The panel the conversation's channel brings (co-browse for a chat):
 * made again only for another customer or another channel, so a session
 * under way survives the customer's details changing. */
static void
show_panels (ParleyCustomerDetails *self,
             JsonObject            *customer,
             const char            *kind)
{
  GtkWidget *child;
  GtkWidget *panel;

  if (self->panels_for == self->customer_id && g_strcmp0 (self->panels_kind, kind) == 0)
    return;
  self->panels_for = self->customer_id;
  g_free (self->panels_kind);
  self->panels_kind = g_strdup (kind);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->panels_box))))
    gtk_box_remove (self->panels_box, child);
  if (kind && (panel = parley_ui_channel_create_context_panel (parley_plugin_host_get_channel (self->plugins, kind), customer)))
    gtk_box_append (self->panels_box, panel);
}

/* ---- GObject --------------------------------------------------------------- */

static void
parley_customer_details_dispose (GObject *object)
{
  ParleyCustomerDetails *self = PARLEY_CUSTOMER_DETAILS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARLEY_TYPE_CUSTOMER_DETAILS);
  g_clear_object (&self->client);
  g_clear_object (&self->plugins);
  g_clear_pointer (&self->panels_kind, g_free);
  G_OBJECT_CLASS (parley_customer_details_parent_class)->dispose (object);
}

static void
parley_customer_details_class_init (ParleyCustomerDetailsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = parley_customer_details_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/parley/Parley/ui/parley-customer-details.ui");
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerDetails, scroller);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerDetails, avatar);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerDetails, name_label);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerDetails, tags_box);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerDetails, identities_list);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerDetails, attributes_list);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerDetails, summary_list);
  gtk_widget_class_bind_template_child (widget_class, ParleyCustomerDetails, panels_box);
}

static void
parley_customer_details_init (ParleyCustomerDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

void
parley_customer_details_setup (ParleyCustomerDetails *self,
                               ParleyClient          *client,
                               ParleyPluginHost      *plugins)
{
  g_return_if_fail (PARLEY_IS_CUSTOMER_DETAILS (self));

  g_set_object (&self->client, client);
  g_set_object (&self->plugins, plugins);
}

/* Shows @customer, with the panel of @conversation's channel (if any). */
void
parley_customer_details_show (ParleyCustomerDetails *self,
                              JsonObject            *customer,
                              JsonObject            *conversation)
{
  const char *name = json_object_get_string_member_with_default (customer, "name", NULL);
  gint64 id = json_object_get_int_member_with_default (customer, "id", 0);

  g_return_if_fail (PARLEY_IS_CUSTOMER_DETAILS (self));

  if (id != self->customer_id)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  self->customer_id = id;
  self->conversation_id = conversation ? json_object_get_int_member_with_default (conversation, "id", 0) : 0;
  if (name == NULL || *name == '\0')
    name = _("Unknown customer");
  gtk_label_set_text (self->name_label, name);
  adw_avatar_set_text (self->avatar, name);
  show_identities (self, customer);
  load_history (self);
  show_attributes (self, customer);
  show_panels (self, customer,
               conversation ? json_object_get_string_member_with_default (conversation, "channel", NULL) : NULL);
}
