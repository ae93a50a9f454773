/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-channel-setting"

#include "config.h"

#include "parley-channel-setting.h"
#include "parley-enums.h"
#include "parley-error.h"

/**
 * ParleyChannelSetting:
 *
 * One setting a channel declares (an API key, a callback URL, a mailbox's
 * host): its name, what its value is, its default, whether it is secret
 * (written, never shown back) or required. The hub checks every value an
 * administrator gives (`parleyctl set`, `PATCH
 * /api/v1/channels/KIND/settings`) with parley_channel_setting_check()
 * before it keeps it, so a misspelt name or a wrong value is refused
 * with a message, not found later by the plugin.
 */

/* Longest text a string setting takes unless its range says otherwise. */
#define DEFAULT_MAX_LENGTH 4096

struct _ParleyChannelSetting
{
  GObject            parent_instance;

  char              *name;
  ParleySettingType  type;
  char              *description;
  char              *default_value;
  gboolean           secret;
  gboolean           required;
  gint64             minimum;   /* a number's bounds, or a string's length */
  gint64             maximum;
  GStrv              choices;
};

G_DEFINE_FINAL_TYPE (ParleyChannelSetting, parley_channel_setting, G_TYPE_OBJECT)

static void
parley_channel_setting_finalize (GObject *object)
{
  ParleyChannelSetting *self = PARLEY_CHANNEL_SETTING (object);

  g_free (self->name);
  g_free (self->description);
  g_free (self->default_value);
  g_strfreev (self->choices);
  G_OBJECT_CLASS (parley_channel_setting_parent_class)->finalize (object);
}

static void
parley_channel_setting_class_init (ParleyChannelSettingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = parley_channel_setting_finalize;
}

static void
parley_channel_setting_init (ParleyChannelSetting *self)
{
}

static gboolean
is_setting_name (const char *name)
{
  if (name == NULL || *name == '\0' || !g_ascii_islower (*name))
    return FALSE;
  for (const char *c = name; *c; c++)
    if (!g_ascii_islower (*c) && !g_ascii_isdigit (*c) && *c != '-')
      return FALSE;
  return strlen (name) <= 64;
}

/**
 * parley_channel_setting_new:
 * @name: the setting's name: lower-case letters, digits and "-", e.g. "callback-url"
 * @type: what its value is
 * @description: one sentence for administrators
 *
 * A setting that is optional, not secret, without a default; numbers may
 * be anything, strings up to 4096 characters.
 *
 * Returns: (transfer full): the setting
 */
ParleyChannelSetting *
parley_channel_setting_new (const char        *name,
                            ParleySettingType  type,
                            const char        *description)
{
  ParleyChannelSetting *self;

  g_return_val_if_fail (is_setting_name (name), NULL);
  g_return_val_if_fail (description != NULL, NULL);

  self = g_object_new (PARLEY_TYPE_CHANNEL_SETTING, NULL);
  self->name = g_strdup (name);
  self->type = type;
  self->description = g_strdup (description);
  self->minimum = type == PARLEY_SETTING_INTEGER ? G_MININT64 : 0;
  self->maximum = type == PARLEY_SETTING_INTEGER ? G_MAXINT64 : DEFAULT_MAX_LENGTH;
  return self;
}

/**
 * parley_channel_setting_set_default:
 * @self: a #ParleyChannelSetting
 * @value: (nullable): the value the plugin uses when none is set
 *
 * The value used when none is set.
 */
void
parley_channel_setting_set_default (ParleyChannelSetting *self,
                                    const char           *value)
{
  g_return_if_fail (PARLEY_IS_CHANNEL_SETTING (self));
  g_free (self->default_value);
  self->default_value = g_strdup (value);
}

/**
 * parley_channel_setting_set_secret:
 * @self: a #ParleyChannelSetting
 * @secret: whether the value is a secret: written, never shown back
 *
 * Makes the setting a secret: written, never shown back.
 */
void
parley_channel_setting_set_secret (ParleyChannelSetting *self,
                                   gboolean              secret)
{
  g_return_if_fail (PARLEY_IS_CHANNEL_SETTING (self));
  self->secret = secret;
}

/**
 * parley_channel_setting_set_required:
 * @self: a #ParleyChannelSetting
 * @required: whether the channel cannot start without it
 *
 * Makes the setting one the channel needs.
 */
void
parley_channel_setting_set_required (ParleyChannelSetting *self,
                                     gboolean              required)
{
  g_return_if_fail (PARLEY_IS_CHANNEL_SETTING (self));
  self->required = required;
}

/**
 * parley_channel_setting_set_range:
 * @self: a #ParleyChannelSetting
 * @minimum: the smallest number, or the fewest characters of a string
 * @maximum: the largest number, or the most characters of a string
 *
 * Bounds of a number, or of a string's length.
 */
void
parley_channel_setting_set_range (ParleyChannelSetting *self,
                                  gint64                minimum,
                                  gint64                maximum)
{
  g_return_if_fail (PARLEY_IS_CHANNEL_SETTING (self));
  g_return_if_fail (minimum <= maximum);
  self->minimum = minimum;
  self->maximum = maximum;
}

/**
 * parley_channel_setting_set_choices:
 * @self: a #ParleyChannelSetting of type %PARLEY_SETTING_CHOICE
 * @choices: (array zero-terminated=1): the words it may be
 *
 * The words a %PARLEY_SETTING_CHOICE may be.
 */
void
parley_channel_setting_set_choices (ParleyChannelSetting *self,
                                    const char * const   *choices)
{
  g_return_if_fail (PARLEY_IS_CHANNEL_SETTING (self));
  g_strfreev (self->choices);
  self->choices = g_strdupv ((char **) choices);
}

/**
 * parley_channel_setting_get_name:
 * @self: a #ParleyChannelSetting
 *
 * The setting's name, as `parleyctl set KIND NAME` takes it.
 *
 * Returns: the setting's name
 */
const char *
parley_channel_setting_get_name (ParleyChannelSetting *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_SETTING (self), NULL);
  return self->name;
}

/**
 * parley_channel_setting_get_value_type:
 * @self: a #ParleyChannelSetting
 *
 * The setting's type.
 *
 * Returns: what its value is
 */
ParleySettingType
parley_channel_setting_get_value_type (ParleyChannelSetting *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_SETTING (self), PARLEY_SETTING_STRING);
  return self->type;
}

/**
 * parley_channel_setting_get_description:
 * @self: a #ParleyChannelSetting
 *
 * What the setting is for.
 *
 * Returns: the sentence for administrators
 */
const char *
parley_channel_setting_get_description (ParleyChannelSetting *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_SETTING (self), NULL);
  return self->description;
}

/**
 * parley_channel_setting_get_default:
 * @self: a #ParleyChannelSetting
 *
 * The setting's default.
 *
 * Returns: (nullable): the value used when none is set
 */
const char *
parley_channel_setting_get_default (ParleyChannelSetting *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_SETTING (self), NULL);
  return self->default_value;
}

/**
 * parley_channel_setting_get_secret:
 * @self: a #ParleyChannelSetting
 *
 * Whether the setting is a secret.
 *
 * Returns: whether the value is never shown back
 */
gboolean
parley_channel_setting_get_secret (ParleyChannelSetting *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_SETTING (self), FALSE);
  return self->secret;
}

/**
 * parley_channel_setting_get_required:
 * @self: a #ParleyChannelSetting
 *
 * Whether the setting must be set.
 *
 * Returns: whether the channel cannot start without it
 */
gboolean
parley_channel_setting_get_required (ParleyChannelSetting *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL_SETTING (self), FALSE);
  return self->required;
}

static char *
check_boolean (const char *value)
{
  static const char *const yes[] = { "true", "yes", "on", "1", NULL };
  static const char *const no[] = { "false", "no", "off", "0", NULL };
  g_autofree char *lower = g_ascii_strdown (value, -1);

  if (g_strv_contains (yes, lower))
    return g_strdup ("true");
  if (g_strv_contains (no, lower))
    return g_strdup ("false");
  return NULL;
}

static gboolean
is_web_url (const char *value)
{
  g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0' &&
         (g_str_equal (g_uri_get_scheme (uri), "http") || g_str_equal (g_uri_get_scheme (uri), "https"));
}

/**
 * parley_channel_setting_check:
 * @self: a #ParleyChannelSetting
 * @value: a value an administrator gave
 * @error: return location for a #GError
 *
 * Checks @value against the declaration: valid UTF-8 without control
 * characters, trimmed, and then as its type says (a number within its
 * bounds, a string of an allowed length, a boolean, an http(s) URL, one of
 * the choices).
 *
 * Returns: (transfer full): the value as kept (trimmed; booleans as
 *   "true" or "false"; numbers without a sign or zeros they need not
 *   have), or %NULL with @error set (%PARLEY_ERROR_INVALID) saying what
 *   the setting takes
 */
char *
parley_channel_setting_check (ParleyChannelSetting  *self,
                              const char            *value,
                              GError               **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *joined = NULL;
  char *kept = NULL;
  gint64 number;
  glong length;

  g_return_val_if_fail (PARLEY_IS_CHANNEL_SETTING (self), NULL);
  g_return_val_if_fail (value != NULL, NULL);

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Setting “%s” is not valid UTF-8", self->name);
      return NULL;
    }
  for (const char *c = value; *c; c++)
    if ((guchar) *c < 0x20 || *c == 0x7f)
      {
        g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Setting “%s” has a control character", self->name);
        return NULL;
      }
  trimmed = g_strstrip (g_strdup (value));
  length = g_utf8_strlen (trimmed, -1);

  switch (self->type)
    {
    case PARLEY_SETTING_INTEGER:
      if (g_ascii_string_to_signed (trimmed, 10, self->minimum, self->maximum, &number, NULL))
        kept = g_strdup_printf ("%" G_GINT64_FORMAT, number);
      else
        g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                     "Setting “%s” takes a whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                     self->name, self->minimum, self->maximum);
      break;
    case PARLEY_SETTING_BOOLEAN:
      if (!(kept = check_boolean (trimmed)))
        g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Setting “%s” takes true or false", self->name);
      break;
    case PARLEY_SETTING_URL:
      if (is_web_url (trimmed) && length <= self->maximum)
        kept = g_steal_pointer (&trimmed);
      else
        g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Setting “%s” takes an http or https URL", self->name);
      break;
    case PARLEY_SETTING_CHOICE:
      if (self->choices && g_strv_contains ((const char * const *) self->choices, trimmed))
        kept = g_steal_pointer (&trimmed);
      else
        {
          joined = self->choices ? g_strjoinv (", ", self->choices) : g_strdup ("");
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Setting “%s” takes one of: %s", self->name, joined);
        }
      break;
    case PARLEY_SETTING_STRING:
    default:
      if (length >= self->minimum && length <= self->maximum)
        kept = g_steal_pointer (&trimmed);
      else
        g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                     "Setting “%s” takes %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " characters",
                     self->name, self->minimum, self->maximum);
      break;
    }
  return kept;
}

/**
 * parley_channel_setting_to_json:
 * @self: a #ParleyChannelSetting
 *
 * The declaration as the hub describes it: `{"name","type","description",
 * "secret","required","default"?,"min"?,"max"?,"choices"?}` (a secret's
 * default is never shown).
 *
 * Returns: (transfer full): the object
 */
JsonObject *
parley_channel_setting_to_json (ParleyChannelSetting *self)
{
  g_autoptr(GEnumClass) types = g_type_class_ref (PARLEY_TYPE_SETTING_TYPE);
  JsonObject *object;

  g_return_val_if_fail (PARLEY_IS_CHANNEL_SETTING (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "name", self->name);
  json_object_set_string_member (object, "type", g_enum_get_value (types, self->type)->value_nick);
  json_object_set_string_member (object, "description", self->description);
  json_object_set_boolean_member (object, "secret", self->secret);
  json_object_set_boolean_member (object, "required", self->required);
  if (self->default_value != NULL && !self->secret)
    json_object_set_string_member (object, "default", self->default_value);
  if (self->type == PARLEY_SETTING_INTEGER || self->type == PARLEY_SETTING_STRING)
    {
      json_object_set_int_member (object, "min", self->minimum);
      json_object_set_int_member (object, "max", self->maximum);
    }
  if (self->choices != NULL)
    {
      JsonArray *choices = json_array_new ();

      for (guint i = 0; self->choices[i]; i++)
        json_array_add_string_element (choices, self->choices[i]);
      json_object_set_array_member (object, "choices", choices);
    }
  return object;
}
