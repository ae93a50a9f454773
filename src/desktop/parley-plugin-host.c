/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-plugin-host"

#include "config.h"

#include "parley-plugin-engine.h"
#include "parley-plugin-host.h"

/**
 * ParleyPluginHost:
 *
 * The desktop's channel plugins, loaded through libpeas from
 * PARLEY_DESKTOP_PLUGIN_DIR (and the build tree). A channel without a
 * plugin gets the generic plain-text one, so every channel the hub runs can
 * be read and answered.
 */
struct _ParleyPluginHost
{
  GObject       parent_instance;

  PeasEngine   *engine;
  GHashTable   *plugins;  /* kind → ParleyUiChannel from a plugin */
  GHashTable   *generic;  /* kind → ParleyUiTextChannel */
  ParleyClient *client;   /* given to every channel, generic ones too */
};

G_DEFINE_FINAL_TYPE (ParleyPluginHost, parley_plugin_host, G_TYPE_OBJECT)

static void
plugin_loaded (PeasEngine     *engine,
               PeasPluginInfo *info,
               gpointer        user_data)
{
  ParleyPluginHost *self = user_data;
  g_autoptr(PeasExtension) extension = NULL;
  g_autoptr(GError) error = NULL;
  const char *kind;

  if (!peas_engine_provides_extension (engine, info, PARLEY_UI_TYPE_CHANNEL))
    return;
  extension = peas_engine_create_extension (engine, info, PARLEY_UI_TYPE_CHANNEL, NULL);
  if (extension == NULL || (kind = parley_ui_channel_get_kind (PARLEY_UI_CHANNEL (extension))) == NULL)
    {
      g_warning ("Plugin %s provides no usable channel", peas_plugin_info_get_module_name (info));
      return;
    }
  if (!parley_plugin_engine_check_kind (info, kind, &error))
    {
      g_warning ("Plugin %s is disabled: %s", peas_plugin_info_get_module_name (info), error->message);
      return;
    }
  if (g_hash_table_contains (self->plugins, kind))
    {
      g_warning ("Plugin %s: channel “%s” already has a plugin", peas_plugin_info_get_module_name (info), kind);
      return;
    }
  g_debug ("Desktop plugin for %s: %s", kind, peas_plugin_info_get_name (info));
  parley_ui_channel_directory_add_plugin (parley_ui_channel_directory_get_default (), PARLEY_UI_CHANNEL (extension));
  g_hash_table_insert (self->plugins, g_strdup (kind), g_steal_pointer (&extension));
}

static void
parley_plugin_host_dispose (GObject *object)
{
  ParleyPluginHost *self = PARLEY_PLUGIN_HOST (object);

  g_clear_pointer (&self->plugins, g_hash_table_unref);
  g_clear_pointer (&self->generic, g_hash_table_unref);
  g_clear_object (&self->engine);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (parley_plugin_host_parent_class)->dispose (object);
}

static void
parley_plugin_host_class_init (ParleyPluginHostClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = parley_plugin_host_dispose;
}

static void
parley_plugin_host_init (ParleyPluginHost *self)
{
  self->plugins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->generic = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->engine = parley_plugin_engine_new ("desktop", PARLEY_DESKTOP_PLUGIN_DIR, "ParleyUi");
  parley_plugin_engine_load_all (self->engine, plugin_loaded, self);
}

ParleyPluginHost *
parley_plugin_host_new (void)
{
  return g_object_new (PARLEY_TYPE_PLUGIN_HOST, NULL);
}

/* The plugin for @kind, or the generic plain-text channel. */
ParleyUiChannel *
parley_plugin_host_get_channel (ParleyPluginHost *self,
                                const char       *kind)
{
  ParleyUiChannel *channel;

  if (kind == NULL)
    kind = "";
  if ((channel = g_hash_table_lookup (self->plugins, kind)) != NULL)
    return channel;
  if ((channel = g_hash_table_lookup (self->generic, kind)) == NULL)
    {
      channel = PARLEY_UI_CHANNEL (parley_ui_text_channel_new (kind));
      g_hash_table_insert (self->generic, g_strdup (kind), channel);
      if (self->client)
        parley_ui_channel_set_client (channel, self->client);
    }
  return channel;
}

/* The kinds served by real plugins (not the generic fallback). */
GList *
parley_plugin_host_list_plugin_kinds (ParleyPluginHost *self)
{
  return g_hash_table_get_keys (self->plugins);
}

/* Hands the hub connection to every channel: plugins talk to their hub
 * side with it, and every channel's views fetch files with it. */
void
parley_plugin_host_set_client (ParleyPluginHost *self,
                               ParleyClient     *client)
{
  GHashTable *tables[] = { self->plugins, self->generic };

  g_set_object (&self->client, client);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      GHashTableIter iter;
      gpointer channel;

      g_hash_table_iter_init (&iter, tables[i]);
      while (g_hash_table_iter_next (&iter, NULL, &channel))
        parley_ui_channel_set_client (channel, client);
    }
}

/* The plugins in a fixed order (by kind), so menus and status items keep
 * their places from one start to the next. */
static GList *
sorted_plugins (ParleyPluginHost *self)
{
  GList *kinds = g_list_sort (g_hash_table_get_keys (self->plugins), (GCompareFunc) g_strcmp0);

  for (GList *l = kinds; l; l = l->next)
    l->data = g_hash_table_lookup (self->plugins, l->data);
  return kinds;
}

/* Inserts each plugin's actions into @widget (the window) as the
 * "<kind>" group, as ParleyUiChannel documents. */
void
parley_plugin_host_insert_actions (ParleyPluginHost *self,
                                   GtkWidget        *widget)
{
  g_autoptr(GList) channels = NULL;

  g_return_if_fail (PARLEY_IS_PLUGIN_HOST (self));

  channels = sorted_plugins (self);
  for (GList *l = channels; l; l = l->next)
    {
      GActionGroup *actions = parley_ui_channel_get_actions (l->data);

      if (actions != NULL)
        gtk_widget_insert_action_group (widget, parley_ui_channel_get_kind (l->data), actions);
    }
}

/* Fills @section with the plugins' menu items for customer @customer_id:
 * an item whose action takes an int64 gets the customer's id. */
void
parley_plugin_host_fill_customer_menu (ParleyPluginHost *self,
                                       GMenu            *section,
                                       gint64            customer_id)
{
  g_autoptr(GList) channels = NULL;

  g_return_if_fail (PARLEY_IS_PLUGIN_HOST (self));

  g_menu_remove_all (section);
  channels = sorted_plugins (self);
  for (GList *l = channels; l; l = l->next)
    {
      GMenuModel *menu = parley_ui_channel_get_menu (l->data);
      GActionGroup *actions = parley_ui_channel_get_actions (l->data);
      const char *kind = parley_ui_channel_get_kind (l->data);

      for (int i = 0; menu != NULL && i < g_menu_model_get_n_items (menu); i++)
        {
          g_autofree char *label = NULL;
          g_autofree char *action = NULL;
          g_autoptr(GMenuItem) item = NULL;
          const GVariantType *parameter = NULL;
          g_autofree char *prefix = g_strconcat (kind, ".", NULL);

          if (!g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label) ||
              !g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
            continue;
          if (actions != NULL && g_str_has_prefix (action, prefix))
            parameter = g_action_group_get_action_parameter_type (actions, action + strlen (prefix));
          item = g_menu_item_new (label, NULL);
          if (parameter != NULL && g_variant_type_equal (parameter, G_VARIANT_TYPE_INT64))
            g_menu_item_set_action_and_target_value (item, action, g_variant_new_int64 (customer_id));
          else
            g_menu_item_set_action_and_target_value (item, action, NULL);
          g_menu_append_item (section, item);
        }
    }
}

/* New status widgets from the plugins that have one, for the window. */
GPtrArray *
parley_plugin_host_create_status_items (ParleyPluginHost *self)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GList) channels = NULL;

  g_return_val_if_fail (PARLEY_IS_PLUGIN_HOST (self), items);

  channels = sorted_plugins (self);
  for (GList *l = channels; l; l = l->next)
    {
      GtkWidget *item = parley_ui_channel_create_status_item (l->data);

      if (item != NULL)
        g_ptr_array_add (items, g_object_ref_sink (item));
    }
  return items;
}
