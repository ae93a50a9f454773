/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-channel-info"

#include "config.h"

#include <string.h>

#include "parley-channel-info.h"
#include "parley-channel-setting.h"
#include "parley-enums.h"
#include "parley-error.h"
#include "parley-http.h"

/**
 * ParleyChannelInfo:
 *
 * What a channel is, as its plugin declares it: its kind, the title and
 * icon agents see, the kinds of customer identity it can send to, what it
 * can do and how many of its conversations an agent holds at once by
 * default. The hub and the desktop take all of this from the declaration
 * (the desktop through `GET /api/v1/channels`), so a channel needs no
 * entry in any table of theirs.
 *
 * Every property is set once, at construction:
 * |[<!-- language="C" -->
 * static const char * const kinds[] = { "loft", NULL };
 * info = g_object_new (PARLEY_TYPE_CHANNEL_INFO,
 *                      "kind", "pigeon", "title", _("Carrier Pigeon"),
 *                      "icon-name", "mail-send-symbolic", "identity-kinds", kinds,
 *                      "capabilities", PARLEY_CHANNEL_CAPABILITY_TEXT,
 *                      NULL);
 * ]|
 */

/* Longest kind, title, icon name or MIME type read from JSON, and the most
 * identity kinds or MIME types: far more than any real channel needs. */
#define MAX_NAME 256
#define MAX_LIST 64

struct _ParleyChannelInfo
{
  GObject                    parent_instance;

  char                      *kind;
  char                      *title;
  char                      *icon_name;
  GStrv                      identity_kinds;
  ParleyChannelCapabilities  capabilities;
  guint64                    attachment_max_size;
  GStrv                      attachment_types;
  guint                      reply_window;
  guint                      capacity;
  GPtrArray                 *settings;      /* ParleyChannelSetting, in the order declared */
};

G_DEFINE_FINAL_TYPE (ParleyChannelInfo, parley_channel_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_TITLE,
  PROP_ICON_NAME,
  PROP_IDENTITY_KINDS,
  PROP_CAPABILITIES,
  PROP_ATTACHMENT_MAX_SIZE,
  PROP_ATTACHMENT_TYPES,
  PROP_REPLY_WINDOW,
  PROP_CAPACITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
parley_channel_info_finalize (GObject *object)
{
  ParleyChannelInfo *self = PARLEY_CHANNEL_INFO (object);

  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->icon_name, g_free);
  g_clear_pointer (&self->identity_kinds, g_strfreev);
  g_clear_pointer (&self->attachment_types, g_strfreev);
  g_clear_pointer (&self->settings, g_ptr_array_unref);
  G_OBJECT_CLASS (parley_channel_info_parent_class)->finalize (object);
}

static void
parley_channel_info_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ParleyChannelInfo *self = PARLEY_CHANNEL_INFO (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_ICON_NAME:
      g_value_set_string (value, self->icon_name);
      break;
    case PROP_IDENTITY_KINDS:
      g_value_set_boxed (value, self->identity_kinds);
      break;
    case PROP_CAPABILITIES:
      g_value_set_flags (value, self->capabilities);
      break;
    case PROP_ATTACHMENT_MAX_SIZE:
      g_value_set_uint64 (value, self->attachment_max_size);
      break;
    case PROP_ATTACHMENT_TYPES:
      g_value_set_boxed (value, self->attachment_types);
      break;
    case PROP_REPLY_WINDOW:
      g_value_set_uint (value, self->reply_window);
      break;
    case PROP_CAPACITY:
      g_value_set_uint (value, self->capacity);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_channel_info_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ParleyChannelInfo *self = PARLEY_CHANNEL_INFO (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_dup_string (value);
      break;
    case PROP_TITLE:
      self->title = g_value_dup_string (value);
      break;
    case PROP_ICON_NAME:
      self->icon_name = g_value_dup_string (value);
      break;
    case PROP_IDENTITY_KINDS:
      self->identity_kinds = g_value_dup_boxed (value);
      break;
    case PROP_CAPABILITIES:
      self->capabilities = g_value_get_flags (value);
      break;
    case PROP_ATTACHMENT_MAX_SIZE:
      self->attachment_max_size = g_value_get_uint64 (value);
      break;
    case PROP_ATTACHMENT_TYPES:
      self->attachment_types = g_value_dup_boxed (value);
      break;
    case PROP_REPLY_WINDOW:
      self->reply_window = g_value_get_uint (value);
      break;
    case PROP_CAPACITY:
      self->capacity = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_channel_info_constructed (GObject *object)
{
  ParleyChannelInfo *self = PARLEY_CHANNEL_INFO (object);

  G_OBJECT_CLASS (parley_channel_info_parent_class)->constructed (object);
  /* A declaration without a title or an icon still shows as something;
   * lists are never NULL, so callers can walk them without checking. */
  if (self->title == NULL)
    self->title = g_strdup (self->kind);
  if (self->icon_name == NULL)
    self->icon_name = g_strdup ("mail-send-receive-symbolic");
  if (self->identity_kinds == NULL)
    self->identity_kinds = g_new0 (char *, 1);
  if (self->attachment_types == NULL)
    self->attachment_types = g_new0 (char *, 1);
}

static void
parley_channel_info_class_init (ParleyChannelInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = parley_channel_info_finalize;
  object_class->get_property = parley_channel_info_get_property;
  object_class->set_property = parley_channel_info_set_property;
  object_class->constructed = parley_channel_info_constructed;

  /**
   * ParleyChannelInfo:kind:
   *
   * The channel kind, as in events and routes: "chat", "email", ...
   */
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  /**
   * ParleyChannelInfo:title:
   *
   * The channel's name as agents see it, translated; the kind if not given.
   */
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  /**
   * ParleyChannelInfo:icon-name:
   *
   * A symbolic icon for the channel, from the icon theme.
   */
  properties[PROP_ICON_NAME] = g_param_spec_string ("icon-name", NULL, NULL, NULL, flags);
  /**
   * ParleyChannelInfo:identity-kinds:
   *
   * The kinds of customer identity the channel can send to, most preferred
   * first ("phone", "email", ...). A reply goes to the identity the
   * customer last wrote from on the channel, else to their identity of the
   * first of these kinds they have; a customer with neither cannot be
   * reached on the channel. %PARLEY_CHANNEL_INFO_ANY_IDENTITY stands for
   * any kind.
   */
  properties[PROP_IDENTITY_KINDS] = g_param_spec_boxed ("identity-kinds", NULL, NULL, G_TYPE_STRV, flags);
  /**
   * ParleyChannelInfo:capabilities:
   *
   * What the channel can do.
   */
  properties[PROP_CAPABILITIES] = g_param_spec_flags ("capabilities", NULL, NULL,
                                                      PARLEY_TYPE_CHANNEL_CAPABILITIES,
                                                      PARLEY_CHANNEL_CAPABILITY_TEXT, flags);
  /**
   * ParleyChannelInfo:attachment-max-size:
   *
   * The largest file a message may carry, in bytes; 0 for no limit of the
   * channel's own. Only meaningful with %PARLEY_CHANNEL_CAPABILITY_ATTACHMENTS.
   */
  properties[PROP_ATTACHMENT_MAX_SIZE] = g_param_spec_uint64 ("attachment-max-size", NULL, NULL,
                                                              0, G_MAXUINT64, 0, flags);
  /**
   * ParleyChannelInfo:attachment-types:
   *
   * The MIME types a message's file may have ("image/png", "image/\*");
   * empty for any.
   */
  properties[PROP_ATTACHMENT_TYPES] = g_param_spec_boxed ("attachment-types", NULL, NULL, G_TYPE_STRV, flags);
  /**
   * ParleyChannelInfo:reply-window:
   *
   * With %PARLEY_CHANNEL_CAPABILITY_REPLY_WINDOW, how many seconds after
   * the customer last wrote a reply is still possible (WhatsApp: 86400);
   * 0 for no window.
   */
  properties[PROP_REPLY_WINDOW] = g_param_spec_uint ("reply-window", NULL, NULL, 0, G_MAXUINT, 0, flags);
  /**
   * ParleyChannelInfo:capacity:
   *
   * How many of the channel's conversations an agent holds at once unless
   * told otherwise: 1 for a call, several for chats.
   */
  properties[PROP_CAPACITY] = g_param_spec_uint ("capacity", NULL, NULL, 0, G_MAXUINT, 1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
parley_channel_info_init (ParleyChannelInfo *self)
{
  /* The properties' defaults, for construction without them. */
  self->capabilities = PARLEY_CHANNEL_CAPABILITY_TEXT;
  self->capacity = 1;
}

/**
 * parley_channel_info_new:
 * @kind: the channel kind
 * @title: (nullable): the channel's name for agents, translated
 * @icon_name: (nullable): a symbolic icon name
 * @identity_kinds: (array zero-terminated=1) (nullable): the identity kinds
 *   the channel reaches, most preferred first
 * @capabilities: what the channel can do
 *
 * A declaration with no attachment limits, no reply window and a capacity
 * of 1; use g_object_new() to set those too.
 *
 * Returns: (transfer full): a new #ParleyChannelInfo
 */
ParleyChannelInfo *
parley_channel_info_new (const char                *kind,
                         const char                *title,
                         const char                *icon_name,
                         const char * const        *identity_kinds,
                         ParleyChannelCapabilities  capabilities)
{
  g_return_val_if_fail (kind != NULL && *kind != '\0', NULL);

  return g_object_new (PARLEY_TYPE_CHANNEL_INFO,
                       "kind", kind,
                       "title", title,
                       "icon-name", icon_name,
                       "identity-kinds", identity_kinds,
                       "capabilities", capabilities,
                       NULL);
}

/* A short string member, or NULL (with @error set if it is there but bad,
 * or missing and @required). */
static const char *
get_name (JsonObject  *object,
          const char  *member,
          gboolean     required,
          GError     **error)
{
  const char *value = parley_json_get_string (object, member, required, error);

  if (value != NULL && (*value == '\0' || strlen (value) > MAX_NAME))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                   "Field “%s” must be 1 to %d bytes long", member, MAX_NAME);
      return NULL;
    }
  return value;
}

/* An array of short strings, or NULL with @error set. A missing member is
 * an empty list. */
static GStrv
get_names (JsonObject  *object,
           const char  *member,
           GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strv_builder_end (builder);
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (array = json_node_get_array (node)) > MAX_LIST)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                   "Field “%s” must be an array of at most %d strings", member, MAX_LIST);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *name = json_node_get_value_type (element) == G_TYPE_STRING ? json_node_get_string (element) : NULL;

      if (name == NULL || *name == '\0' || strlen (name) > MAX_NAME)
        {
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                       "Field “%s” must hold strings of 1 to %d bytes", member, MAX_NAME);
          return NULL;
        }
      g_strv_builder_add (builder, name);
    }
  return g_strv_builder_end (builder);
}

/* A non-negative integer member no larger than @max; @value is left as it
 * is when the member is missing. */
static gboolean
get_count (JsonObject  *object,
           const char  *member,
           guint64      max,
           guint64     *value,
           GError     **error)
{
  gint64 read = (gint64) *value;

  if (!parley_json_get_int (object, member, FALSE, &read, error))
    return FALSE;
  if (read < 0 || (guint64) read > max)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                   "Field “%s” must be from 0 to %" G_GUINT64_FORMAT, member, max);
      return FALSE;
    }
  *value = (guint64) read;
  return TRUE;
}

/**
 * parley_channel_info_new_from_json:
 * @object: a declaration as parley_channel_info_to_json() writes it
 * @error: return location for a #GError
 *
 * Reads a declaration back, as the desktop does from `GET /api/v1/channels`.
 * Capabilities this version does not know are left out, so a newer hub's
 * answer still reads.
 *
 * Returns: (transfer full) (nullable): the declaration, or %NULL with
 *   @error set (%PARLEY_ERROR_INVALID) if @object is not one
 */
ParleyChannelInfo *
parley_channel_info_new_from_json (JsonObject  *object,
                                   GError     **error)
{
  GFlagsClass *flags_class = g_type_class_ref (PARLEY_TYPE_CHANNEL_CAPABILITIES);
  g_auto(GStrv) identity_kinds = NULL;
  g_auto(GStrv) capability_names = NULL;
  g_auto(GStrv) attachment_types = NULL;
  ParleyChannelCapabilities capabilities = PARLEY_CHANNEL_CAPABILITY_NONE;
  g_autoptr(GError) local_error = NULL;
  JsonObject *attachments = NULL;
  const char *kind, *title, *icon_name;
  guint64 max_size = 0, reply_window = 0, capacity = 1;
  ParleyChannelInfo *info = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  if ((kind = get_name (object, "kind", TRUE, &local_error)) &&
      ((title = get_name (object, "title", FALSE, &local_error)), local_error == NULL) &&
      ((icon_name = get_name (object, "icon", FALSE, &local_error)), local_error == NULL) &&
      (identity_kinds = get_names (object, "identity_kinds", &local_error)) &&
      (capability_names = get_names (object, "capabilities", &local_error)) &&
      ((attachments = parley_json_get_object (object, "attachments", FALSE, &local_error)), local_error == NULL) &&
      (attachments == NULL ||
       (get_count (attachments, "max_size", G_MAXINT64, &max_size, &local_error) &&
        (attachment_types = get_names (attachments, "types", &local_error)))) &&
      get_count (object, "reply_window", G_MAXUINT, &reply_window, &local_error) &&
      get_count (object, "capacity", G_MAXUINT, &capacity, &local_error))
    {
      for (guint i = 0; capability_names[i]; i++)
        {
          GFlagsValue *value = g_flags_get_value_by_nick (flags_class, capability_names[i]);

          if (value != NULL)
            capabilities |= value->value;
        }
      info = g_object_new (PARLEY_TYPE_CHANNEL_INFO,
                           "kind", kind, "title", title, "icon-name", icon_name,
                           "identity-kinds", identity_kinds, "capabilities", capabilities,
                           "attachment-max-size", max_size, "attachment-types", attachment_types,
                           "reply-window", (guint) reply_window, "capacity", (guint) capacity,
                           NULL);
    }
  else
    g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "Channel declaration: ");
  g_type_class_unref (flags_class);
  return info;
}

static JsonArray *
strv_to_array (const char * const *strv)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strv[i]; i++)
    json_array_add_string_element (array, strv[i]);
  return array;
}

/**
 * parley_channel_info_to_json:
 * @self: a #ParleyChannelInfo
 *
 * The declaration as the hub answers `GET /api/v1/channels`:
 * `{"kind","title","icon","identity_kinds":[…],"capabilities":["text",…],
 * "attachments":{"max_size","types":[…]},"reply_window","capacity"}`, the
 * capabilities by their nicks.
 *
 * Returns: (transfer full): a new #JsonObject
 */
JsonObject *
parley_channel_info_to_json (ParleyChannelInfo *self)
{
  GFlagsClass *flags_class;
  JsonObject *object, *attachments;
  JsonArray *capabilities;

  g_return_val_if_fail (PARLEY_IS_CHANNEL_INFO (self), NULL);

  flags_class = g_type_class_ref (PARLEY_TYPE_CHANNEL_CAPABILITIES);
  object = json_object_new ();
  attachments = json_object_new ();
  capabilities = json_array_new ();
  for (guint i = 0; i < flags_class->n_values; i++)
    if (flags_class->values[i].value != 0 && (self->capabilities & flags_class->values[i].value))
      json_array_add_string_element (capabilities, flags_class->values[i].value_nick);
  g_type_class_unref (flags_class);

  json_object_set_string_member (object, "kind", self->kind);
  json_object_set_string_member (object, "title", self->title);
  json_object_set_string_member (object, "icon", self->icon_name);
  json_object_set_array_member (object, "identity_kinds", strv_to_array ((const char * const *) self->identity_kinds));
  json_object_set_array_member (object, "capabilities", capabilities);
  json_object_set_int_member (attachments, "max_size", (gint64) MIN (self->attachment_max_size, (guint64) G_MAXINT64));
  json_object_set_array_member (attachments, "types", strv_to_array ((const char * const *) self->attachment_types));
  json_object_set_object_member (object, "attachments", attachments);
  json_object_set_int_member (object, "reply_window", self->reply_window);
  json_object_set_int_member (object, "capacity", self->capacity);
  return object;
}

/**
 * parley_channel_info_get_kind:
 * @self: a #ParleyChannelInfo
 *
 * The kind the channel serves.
 *
 * Returns: (transfer none): the channel kind
 */
const char *
parley_channel_info_get_kind (ParleyChannelInfo *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_INFO (self), NULL);
  return self->kind;
}

/**
 * parley_channel_info_get_title:
 * @self: a #ParleyChannelInfo
 *
 * The channel's name as agents see it.
 *
 * Returns: (transfer none): the channel's name for agents
 */
const char *
parley_channel_info_get_title (ParleyChannelInfo *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_INFO (self), NULL);
  return self->title;
}

/**
 * parley_channel_info_get_icon_name:
 * @self: a #ParleyChannelInfo
 *
 * The channel's symbolic icon.
 *
 * Returns: (transfer none): a symbolic icon name
 */
const char *
parley_channel_info_get_icon_name (ParleyChannelInfo *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_INFO (self), NULL);
  return self->icon_name;
}

/**
 * parley_channel_info_get_identity_kinds:
 * @self: a #ParleyChannelInfo
 *
 * The identity kinds the channel reaches, the one it prefers first.
 *
 * Returns: (transfer none) (array zero-terminated=1): the identity kinds
 *   the channel reaches, most preferred first; possibly empty
 */
const char * const *
parley_channel_info_get_identity_kinds (ParleyChannelInfo *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_INFO (self), NULL);
  return (const char * const *) self->identity_kinds;
}

/**
 * parley_channel_info_reaches:
 * @self: a #ParleyChannelInfo
 * @identity_kind: an identity kind, e.g. "phone"
 *
 * Whether the channel reaches a customer by an identity of @identity_kind.
 *
 * Returns: whether the channel can send to identities of @identity_kind:
 *   it lists that kind or %PARLEY_CHANNEL_INFO_ANY_IDENTITY
 */
gboolean
parley_channel_info_reaches (ParleyChannelInfo *self,
                             const char        *identity_kind)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_INFO (self), FALSE);
  return identity_kind != NULL &&
         (g_strv_contains ((const char * const *) self->identity_kinds, identity_kind) ||
          g_strv_contains ((const char * const *) self->identity_kinds, PARLEY_CHANNEL_INFO_ANY_IDENTITY));
}

/**
 * parley_channel_info_get_capabilities:
 * @self: a #ParleyChannelInfo
 *
 * What the channel can do.
 *
 * Returns: what the channel can do
 */
ParleyChannelCapabilities
parley_channel_info_get_capabilities (ParleyChannelInfo *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_INFO (self), PARLEY_CHANNEL_CAPABILITY_NONE);
  return self->capabilities;
}

/**
 * parley_channel_info_has_capability:
 * @self: a #ParleyChannelInfo
 * @capability: one or more capabilities
 *
 * Whether the channel can do all of @capability.
 *
 * Returns: whether the channel has all of @capability
 */
gboolean
parley_channel_info_has_capability (ParleyChannelInfo         *self,
                                    ParleyChannelCapabilities  capability)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_INFO (self), FALSE);
  return (self->capabilities & capability) == capability;
}

/**
 * parley_channel_info_get_attachment_max_size:
 * @self: a #ParleyChannelInfo
 *
 * How large a file a message may carry.
 *
 * Returns: the largest file a message may carry in bytes, 0 for no limit
 */
guint64
parley_channel_info_get_attachment_max_size (ParleyChannelInfo *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_INFO (self), 0);
  return self->attachment_max_size;
}

/**
 * parley_channel_info_get_attachment_types:
 * @self: a #ParleyChannelInfo
 *
 * The types of file a message may carry.
 *
 * Returns: (transfer none) (array zero-terminated=1): the MIME types a
 *   message's file may have; empty for any
 */
const char * const *
parley_channel_info_get_attachment_types (ParleyChannelInfo *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_INFO (self), NULL);
  return (const char * const *) self->attachment_types;
}

/**
 * parley_channel_info_get_reply_window:
 * @self: a #ParleyChannelInfo
 *
 * How long after the customer last wrote an agent may reply.
 *
 * Returns: seconds after the customer last wrote in which replies are
 *   possible, 0 for no window
 */
guint
parley_channel_info_get_reply_window (ParleyChannelInfo *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_INFO (self), 0);
  return self->reply_window;
}

/**
 * parley_channel_info_get_capacity:
 * @self: a #ParleyChannelInfo
 *
 * The channel's default capacity unit for an agent.
 *
 * Returns: how many of the channel's conversations an agent holds at once
 *   by default
 */
guint
parley_channel_info_get_capacity (ParleyChannelInfo *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_INFO (self), 0);
  return self->capacity;
}

/**
 * parley_channel_info_declare_setting:
 * @self: a #ParleyChannelInfo
 * @name: the setting's name: lower-case letters, digits and "-", e.g. "callback-url"
 * @type: what its value is
 * @description: one sentence for administrators
 *
 * Declares one of the channel's settings, while the plugin builds its
 * declaration; set its default, bounds and whether it is secret or
 * required on what this returns. The hub takes only declared settings,
 * checked against their declaration (`parleyctl set`, `PATCH
 * /api/v1/channels/KIND/settings`).
 *
 * Returns: (transfer none): the new setting, owned by @self
 */
ParleyChannelSetting *
parley_channel_info_declare_setting (ParleyChannelInfo *self,
                                     const char        *name,
                                     ParleySettingType  type,
                                     const char        *description)
{
  ParleyChannelSetting *setting;

  g_return_val_if_fail (PARLEY_IS_CHANNEL_INFO (self), NULL);
  g_return_val_if_fail (name != NULL && parley_channel_info_lookup_setting (self, name) == NULL, NULL);

  if (!(setting = parley_channel_setting_new (name, type, description)))
    return NULL;
  if (self->settings == NULL)
    self->settings = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->settings, setting);
  return setting;
}

/**
 * parley_channel_info_get_settings:
 * @self: a #ParleyChannelInfo
 *
 * The settings the channel declared.
 *
 * Returns: (transfer none) (element-type ParleyChannelSetting) (nullable):
 *   the settings in the order declared, or %NULL if it has none
 */
GPtrArray *
parley_channel_info_get_settings (ParleyChannelInfo *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_INFO (self), NULL);
  return self->settings;
}

/**
 * parley_channel_info_lookup_setting:
 * @self: a #ParleyChannelInfo
 * @name: a setting's name
 *
 * The declaration of one setting.
 *
 * Returns: (transfer none) (nullable): the setting called @name, or %NULL
 */
ParleyChannelSetting *
parley_channel_info_lookup_setting (ParleyChannelInfo *self,
                                    const char        *name)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_INFO (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; self->settings && i < self->settings->len; i++)
    if (g_str_equal (parley_channel_setting_get_name (g_ptr_array_index (self->settings, i)), name))
      return g_ptr_array_index (self->settings, i);
  return NULL;
}

/**
 * parley_channel_info_check_setting:
 * @self: a #ParleyChannelInfo
 * @name: a setting's name, as an administrator gave it
 * @value: (nullable): its value, or %NULL to unset it
 * @kept: (out) (optional) (nullable) (transfer full): the value as kept,
 *   %NULL when unset
 * @error: return location for a #GError
 *
 * Checks a setting an administrator gives the channel: declared, and a
 * value its declaration takes (see parley_channel_setting_check()); only
 * a setting that is not required may be unset.
 *
 * Returns: %TRUE, or %FALSE with @error set (%PARLEY_ERROR_INVALID); an
 *   undeclared name is refused with the names the channel has
 */
gboolean
parley_channel_info_check_setting (ParleyChannelInfo  *self,
                                   const char         *name,
                                   const char         *value,
                                   char              **kept,
                                   GError            **error)
{
  ParleyChannelSetting *setting;
  g_autofree char *checked = NULL;

  g_return_val_if_fail (PARLEY_IS_CHANNEL_INFO (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!(setting = parley_channel_info_lookup_setting (self, name)))
    {
      g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
      g_auto(GStrv) known = NULL;
      g_autofree char *listed = NULL;

      for (guint i = 0; self->settings && i < self->settings->len; i++)
        g_strv_builder_add (names, parley_channel_setting_get_name (g_ptr_array_index (self->settings, i)));
      known = g_strv_builder_end (names);
      listed = g_strjoinv (", ", known);
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Channel %s has no setting “%s” (it has: %s)",
                   self->kind, name, *listed ? listed : "none");
      return FALSE;
    }
  if (value == NULL && parley_channel_setting_get_required (setting))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Channel %s needs its setting “%s”", self->kind, name);
      return FALSE;
    }
  if (value != NULL && !(checked = parley_channel_setting_check (setting, value, error)))
    return FALSE;
  if (kept != NULL)
    *kept = g_steal_pointer (&checked);
  return TRUE;
}

/**
 * parley_channel_info_check_attachment:
 * @self: a #ParleyChannelInfo
 * @size: the file's size in bytes
 * @type: the file's MIME type, as recognised from its bytes
 * @error: return location for a #GError
 *
 * Whether the channel can carry a file: it declares
 * %PARLEY_CHANNEL_CAPABILITY_ATTACHMENTS, and the file is within its
 * #ParleyChannelInfo:attachment-max-size and of one of its
 * #ParleyChannelInfo:attachment-types (when it lists any).
 *
 * Returns: %TRUE, or %FALSE with @error saying why (%PARLEY_ERROR_INVALID)
 */
gboolean
parley_channel_info_check_attachment (ParleyChannelInfo  *self,
                                      guint64             size,
                                      const char         *type,
                                      GError            **error)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_INFO (self), FALSE);
  g_return_val_if_fail (type != NULL, FALSE);

  if (!(self->capabilities & PARLEY_CHANNEL_CAPABILITY_ATTACHMENTS))
    g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "The “%s” channel carries no files", self->title);
  else if (self->attachment_max_size > 0 && size > self->attachment_max_size)
    {
      g_autofree char *limit = g_format_size (self->attachment_max_size);
      g_autofree char *actual = g_format_size (size);

      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "The “%s” channel takes files up to %s; this one is %s",
                   self->title, limit, actual);
    }
  else if (self->attachment_types != NULL && self->attachment_types[0] != NULL &&
           !g_strv_contains ((const char * const *) self->attachment_types, type))
    g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "The “%s” channel does not carry files of type %s",
                 self->title, type);
  else
    return TRUE;
  return FALSE;
}
