/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-ui-channel-directory"

#include "config.h"

#include "parley-ui-channel-directory.h"
#include "parley-ui-channel-private.h"

/**
 * ParleyUiChannelDirectory:
 *
 * Everything the desktop knows about channels, in one place: the
 * declarations (#ParleyChannelInfo) of the channels the hub runs, read
 * from `GET /api/v1/channels` when the desktop signs in, merged with the
 * desktop's channel plugins, whose own title and icon win. A channel
 * without a desktop plugin shows with the hub's title and icon; a kind no
 * one declares (the history of a channel since removed) shows as the kind
 * itself with a generic icon.
 *
 * Views ask it by kind and redraw on #ParleyUiChannelDirectory::changed.
 */

/* For a kind no one declares. */
#define GENERIC_ICON_NAME "mail-send-receive-symbolic"

struct _ParleyUiChannelDirectory
{
  GObject     parent_instance;

  GHashTable *declarations;  /* kind → ParleyChannelInfo, the hub's */
  GStrv       kinds;         /* the hub's channels, in its order */
  GHashTable *plugins;       /* kind → ParleyUiChannel, the desktop's */
};

G_DEFINE_FINAL_TYPE (ParleyUiChannelDirectory, parley_ui_channel_directory, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
parley_ui_channel_directory_finalize (GObject *object)
{
  ParleyUiChannelDirectory *self = PARLEY_UI_CHANNEL_DIRECTORY (object);

  g_clear_pointer (&self->declarations, g_hash_table_unref);
  g_clear_pointer (&self->plugins, g_hash_table_unref);
  g_clear_pointer (&self->kinds, g_strfreev);
  G_OBJECT_CLASS (parley_ui_channel_directory_parent_class)->finalize (object);
}

static void
parley_ui_channel_directory_class_init (ParleyUiChannelDirectoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = parley_ui_channel_directory_finalize;

  /**
   * ParleyUiChannelDirectory::changed:
   * @self: the directory
   *
   * The hub's channels or the desktop's plugins changed: titles, icons
   * and the channels on offer may be different now.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
parley_ui_channel_directory_init (ParleyUiChannelDirectory *self)
{
  self->declarations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->plugins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->kinds = g_new0 (char *, 1);
}

/**
 * parley_ui_channel_directory_get_default:
 *
 * The desktop's directory of channels.
 *
 * Returns: (transfer none): the desktop's one directory of channels
 */
ParleyUiChannelDirectory *
parley_ui_channel_directory_get_default (void)
{
  static ParleyUiChannelDirectory *directory;

  if (g_once_init_enter (&directory))
    g_once_init_leave (&directory, g_object_new (PARLEY_UI_TYPE_CHANNEL_DIRECTORY, NULL));
  return directory;
}

/**
 * parley_ui_channel_directory_set_declarations:
 * @self: a #ParleyUiChannelDirectory
 * @declarations: (element-type ParleyChannelInfo): the channels the hub
 *   runs, in the order to offer them
 *
 * Replaces what the directory knows of the hub's channels.
 */
void
parley_ui_channel_directory_set_declarations (ParleyUiChannelDirectory *self,
                                              GPtrArray                *declarations)
{
  g_autoptr(GStrvBuilder) kinds = g_strv_builder_new ();

  g_return_if_fail (PARLEY_UI_IS_CHANNEL_DIRECTORY (self));
  g_return_if_fail (declarations != NULL);

  g_hash_table_remove_all (self->declarations);
  for (guint i = 0; i < declarations->len; i++)
    {
      ParleyChannelInfo *info = g_ptr_array_index (declarations, i);
      const char *kind = parley_channel_info_get_kind (info);

      if (g_hash_table_contains (self->declarations, kind))
        continue;
      g_hash_table_insert (self->declarations, g_strdup (kind), g_object_ref (info));
      g_strv_builder_add (kinds, kind);
    }
  g_strfreev (self->kinds);
  self->kinds = g_strv_builder_end (kinds);
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * parley_ui_channel_directory_load_json:
 * @self: a #ParleyUiChannelDirectory
 * @answer: the hub's answer to `GET /api/v1/channels`
 * @error: return location for a #GError
 *
 * Reads the hub's declarations. A declaration that does not read is left
 * out and reported in @error; the others are still taken.
 *
 * Returns: %TRUE if every declaration was read
 */
gboolean
parley_ui_channel_directory_load_json (ParleyUiChannelDirectory  *self,
                                       JsonObject                *answer,
                                       GError                   **error)
{
  g_autoptr(GPtrArray) declarations = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) first_error = NULL;
  JsonNode *node;
  JsonArray *channels;

  g_return_val_if_fail (PARLEY_UI_IS_CHANNEL_DIRECTORY (self), FALSE);
  g_return_val_if_fail (answer != NULL, FALSE);

  node = json_object_get_member (answer, "channels");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "The hub's answer lists no “channels”");
      return FALSE;
    }
  channels = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (channels); i++)
    {
      JsonNode *element = json_array_get_element (channels, i);
      g_autoptr(GError) local_error = NULL;
      ParleyChannelInfo *info = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        g_set_error_literal (&local_error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "A channel declaration is not an object");
      else
        info = parley_channel_info_new_from_json (json_node_get_object (element), &local_error);
      if (info != NULL)
        g_ptr_array_add (declarations, info);
      else if (first_error == NULL)
        first_error = g_steal_pointer (&local_error);
    }
  parley_ui_channel_directory_set_declarations (self, declarations);
  if (first_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * parley_ui_channel_directory_add_plugin:
 * @self: a #ParleyUiChannelDirectory
 * @channel: a desktop channel plugin
 *
 * Its own title and icon, where it gives them, win over the hub's.
 */
void
parley_ui_channel_directory_add_plugin (ParleyUiChannelDirectory *self,
                                        ParleyUiChannel          *channel)
{
  g_return_if_fail (PARLEY_UI_IS_CHANNEL_DIRECTORY (self));
  g_return_if_fail (PARLEY_UI_IS_CHANNEL (channel));

  g_hash_table_insert (self->plugins, g_strdup (parley_ui_channel_get_kind (channel)), g_object_ref (channel));
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * parley_ui_channel_directory_get_kinds:
 * @self: a #ParleyUiChannelDirectory
 *
 * The channels the hub runs.
 *
 * Returns: (transfer none) (array zero-terminated=1): the kinds of the
 *   channels the hub runs, in its order; empty before it said
 */
const char * const *
parley_ui_channel_directory_get_kinds (ParleyUiChannelDirectory *self)
{
  g_return_val_if_fail (PARLEY_UI_IS_CHANNEL_DIRECTORY (self), NULL);
  return (const char * const *) self->kinds;
}

/**
 * parley_ui_channel_directory_lookup:
 * @self: a #ParleyUiChannelDirectory
 * @kind: (nullable): a channel kind
 *
 * The hub's declaration of a channel.
 *
 * Returns: (transfer none) (nullable): the hub's declaration of @kind, or
 *   %NULL when the hub runs no such channel
 */
ParleyChannelInfo *
parley_ui_channel_directory_lookup (ParleyUiChannelDirectory *self,
                                    const char               *kind)
{
  g_return_val_if_fail (PARLEY_UI_IS_CHANNEL_DIRECTORY (self), NULL);
  return kind ? g_hash_table_lookup (self->declarations, kind) : NULL;
}

/**
 * parley_ui_channel_directory_get_title:
 * @self: a #ParleyUiChannelDirectory
 * @kind: a channel kind
 *
 * The name of a channel as agents see it.
 *
 * Returns: (transfer none): the channel's name for agents: its desktop
 *   plugin's, else the hub's declaration's, else @kind itself
 */
const char *
parley_ui_channel_directory_get_title (ParleyUiChannelDirectory *self,
                                       const char               *kind)
{
  ParleyUiChannel *plugin;
  ParleyChannelInfo *info;
  const char *title;

  g_return_val_if_fail (PARLEY_UI_IS_CHANNEL_DIRECTORY (self), NULL);

  if (kind == NULL)
    return "";
  if ((plugin = g_hash_table_lookup (self->plugins, kind)) && (title = _parley_ui_channel_get_own_title (plugin)))
    return title;
  if ((info = g_hash_table_lookup (self->declarations, kind)))
    return parley_channel_info_get_title (info);
  return kind;
}

/**
 * parley_ui_channel_directory_get_icon_name:
 * @self: a #ParleyUiChannelDirectory
 * @kind: (nullable): a channel kind
 *
 * The symbolic icon of a channel.
 *
 * Returns: (transfer none): a symbolic icon for the channel: its desktop
 *   plugin's, else the hub's declaration's, else a generic one
 */
const char *
parley_ui_channel_directory_get_icon_name (ParleyUiChannelDirectory *self,
                                           const char               *kind)
{
  ParleyUiChannel *plugin;
  ParleyChannelInfo *info;
  const char *icon_name;

  g_return_val_if_fail (PARLEY_UI_IS_CHANNEL_DIRECTORY (self), NULL);

  if (kind && (plugin = g_hash_table_lookup (self->plugins, kind)) &&
      (icon_name = _parley_ui_channel_get_own_icon_name (plugin)))
    return icon_name;
  if (kind && (info = g_hash_table_lookup (self->declarations, kind)))
    return parley_channel_info_get_icon_name (info);
  return GENERIC_ICON_NAME;
}

/**
 * parley_ui_channel_directory_find_for_identity:
 * @self: a #ParleyUiChannelDirectory
 * @identity_kind: an identity kind, e.g. "phone"
 *
 * A channel that reaches identities of @identity_kind.
 *
 * Returns: (transfer none) (nullable): the kind of the first channel the
 *   hub runs that reaches identities of @identity_kind, or %NULL
 */
const char *
parley_ui_channel_directory_find_for_identity (ParleyUiChannelDirectory *self,
                                               const char               *identity_kind)
{
  g_return_val_if_fail (PARLEY_UI_IS_CHANNEL_DIRECTORY (self), NULL);

  for (guint i = 0; self->kinds[i]; i++)
    if (parley_channel_info_reaches (g_hash_table_lookup (self->declarations, self->kinds[i]), identity_kind))
      return self->kinds[i];
  return NULL;
}

/**
 * parley_ui_channel_directory_reaches:
 * @self: a #ParleyUiChannelDirectory
 * @kind: a channel kind
 * @identities: (nullable): a customer's identities, `[{"kind","value"}]`
 *
 * Whether a channel can reach a customer.
 *
 * Returns: whether the hub runs @kind and it can send to one of
 *   @identities, by the identity kinds it declares
 */
gboolean
parley_ui_channel_directory_reaches (ParleyUiChannelDirectory *self,
                                     const char               *kind,
                                     JsonArray                *identities)
{
  ParleyChannelInfo *info;

  g_return_val_if_fail (PARLEY_UI_IS_CHANNEL_DIRECTORY (self), FALSE);

  if (!(info = parley_ui_channel_directory_lookup (self, kind)))
    return FALSE;
  for (guint i = 0; identities && i < json_array_get_length (identities); i++)
    {
      JsonNode *node = json_array_get_element (identities, i);

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          parley_channel_info_reaches (info, json_object_get_string_member_with_default (json_node_get_object (node), "kind", NULL)))
        return TRUE;
    }
  return FALSE;
}
