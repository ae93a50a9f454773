/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-identity"

#include "config.h"

#include <string.h>

#include "parley-error.h"
#include "parley-identity.h"

/**
 * parley_identity_kind_is_valid:
 * @kind: an identity kind such as "email"
 *
 * Kinds are short lower-case ASCII words so they can be used as keys
 * anywhere (URLs, config groups, SQL values).
 *
 * Returns: %TRUE if @kind is well-formed
 */
gboolean
parley_identity_kind_is_valid (const char *kind)
{
  gsize len;

  if (kind == NULL || (len = strlen (kind)) == 0 || len > 32)
    return FALSE;
  for (const char *p = kind; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_' || *p == '-'))
      return FALSE;
  return TRUE;
}

static gboolean
has_control_chars (const char *s)
{
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static char *
invalid (GError **error, const char *kind, const char *why)
{
  g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
               "Invalid %s identity: %s", kind, why);
  return NULL;
}

/* "Jane <jane@example.org>" and "mailto:" forms are common in headers and links. */
static char *
normalize_email (const char *value, GError **error)
{
  g_autofree char *addr = NULL;
  const char *lt = strrchr (value, '<');
  const char *at;

  if (lt != NULL)
    {
      const char *gt = strchr (lt, '>');
      if (gt == NULL)
        return invalid (error, "email", "unbalanced angle brackets");
      addr = g_strndup (lt + 1, gt - lt - 1);
    }
  else
    addr = g_strdup (value);

  g_strstrip (addr);
  if (g_ascii_strncasecmp (addr, "mailto:", 7) == 0)
    {
      char *link = addr;

      addr = g_strndup (link + 7, strcspn (link + 7, "?"));   /* without ?subject= and such */
      g_free (link);
    }
  at = strchr (addr, '@');
  if (at == NULL || at == addr || at[1] == '\0' || strchr (at + 1, '@') != NULL)
    return invalid (error, "email", "expected local@domain");
  /* A colon left means a second "mailto:", which the stored form must not
   * keep: normalising it again would strip it. */
  for (const char *p = addr; *p; p++)
    if (g_ascii_isspace (*p) || *p == '<' || *p == '>' || *p == ',' || *p == ';' || *p == ':')
      return invalid (error, "email", "unexpected character");
  if (strchr (at + 1, '.') == NULL && g_ascii_strcasecmp (at + 1, "localhost") != 0)
    return invalid (error, "email", "domain has no dot");

  return g_utf8_strdown (addr, -1);
}

/* E.164: "+" then 8 to 15 digits. National numbers need a country code. */
static char *
normalize_phone (const char *value, const char *country, GError **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *p = value;
  gboolean international = FALSE;

  if (g_ascii_strncasecmp (p, "tel:", 4) == 0)
    p += 4;
  while (g_ascii_isspace (*p))
    p++;
  if (*p == '+')
    {
      international = TRUE;
      p++;
    }
  for (; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p == ' ' || *p == '-' || *p == '.' || *p == '(' || *p == ')' || *p == '/')
        continue;
      else
        return invalid (error, "phone", "only digits, spaces and - . ( ) / are allowed");
    }

  if (!international && g_str_has_prefix (digits->str, "00"))
    {
      g_string_erase (digits, 0, 2);
      international = TRUE;
    }
  if (!international)
    {
      gsize country_len;

      if (country == NULL || *country == '\0')
        return invalid (error, "phone", "national number without a country code");
      if (digits->str[0] == '0')
        g_string_erase (digits, 0, 1);
      /* "+44" and "44" both name the United Kingdom. */
      if (country[0] == '+')
        country++;
      country_len = strspn (country, "0123456789");
      if (country_len == 0 || country_len > 3 || country[country_len] != '\0')
        return invalid (error, "phone", "the default country code is not 1 to 3 digits");
      g_string_prepend (digits, country);
    }
  if (digits->len < 8 || digits->len > 15 || digits->str[0] == '0')
    return invalid (error, "phone", "E.164 numbers have 8 to 15 digits");

  return g_strconcat ("+", digits->str, NULL);
}

/* sip:user@host[:port]; the host is case-insensitive, the user part is not. */
static char *
normalize_sip (const char *value, GError **error)
{
  g_autofree char *uri = NULL;
  const char *lt = strchr (value, '<');
  const char *rest;
  const char *at;
  char *cut;

  if (lt != NULL)
    {
      const char *gt = strchr (lt, '>');
      if (gt == NULL)
        return invalid (error, "sip", "unbalanced angle brackets");
      uri = g_strndup (lt + 1, gt - lt - 1);
    }
  else
    uri = g_strdup (value);
  g_strstrip (uri);

  if ((cut = strpbrk (uri, ";?")) != NULL)
    *cut = '\0';

  if (g_ascii_strncasecmp (uri, "sips:", 5) == 0)
    rest = uri + 5;
  else if (g_ascii_strncasecmp (uri, "sip:", 4) == 0)
    rest = uri + 4;
  else
    rest = uri;

  at = strchr (rest, '@');
  if (at == NULL || at == rest || at[1] == '\0')
    return invalid (error, "sip", "expected sip:user@host");
  for (const char *p = rest; *p; p++)
    if (g_ascii_isspace (*p) || *p == '<' || *p == '>')
      return invalid (error, "sip", "unexpected character");

  {
    g_autofree char *user = g_strndup (rest, at - rest);
    g_autofree char *host = g_ascii_strdown (at + 1, -1);
    return g_strdup_printf ("sip:%s@%s", user, host);
  }
}

static char *
normalize_chat (const char *value, GError **error)
{
  gsize len = strlen (value);

  if (len == 0 || len > 128)
    return invalid (error, "chat", "visitor ids have 1 to 128 characters");
  for (const char *p = value; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.'))
      return invalid (error, "chat", "visitor ids use letters, digits, - _ and .");
  return g_strdup (value);
}

/* "network:handle", both case-insensitive; leading "@"s on the handle are
 * dropped (after the spaces around it, so the result is its own form). */
static char *
normalize_social (const char *value, GError **error)
{
  const char *colon = strchr (value, ':');
  g_autofree char *network = NULL;
  g_autofree char *lowered = NULL;
  const char *handle;

  if (colon == NULL || colon == value || colon[1] == '\0')
    return invalid (error, "social", "expected network:handle");
  network = g_ascii_strdown (value, colon - value);
  if (!parley_identity_kind_is_valid (network))
    return invalid (error, "social", "network must be a short lower-case word");
  lowered = g_utf8_strdown (colon + 1, -1);
  for (handle = g_strstrip (lowered); *handle == '@'; handle++)
    ;
  if (*handle == '\0')
    return invalid (error, "social", "empty handle");
  for (const char *p = handle; *p; p = g_utf8_next_char (p))
    if (g_unichar_isspace (g_utf8_get_char (p)))
      return invalid (error, "social", "handles contain no spaces");
  return g_strdup_printf ("%s:%s", network, handle);
}

/**
 * parley_identity_normalize:
 * @kind: the identity kind
 * @value: the raw value as the channel saw it
 * @default_country_code: (nullable): digits of the country calling code used
 *   for national phone numbers, such as "44"
 * @error: return location for a #GError
 *
 * Turns a raw address into the canonical form under which identities are
 * unique: emails lower-cased, phone numbers in E.164, SIP URIs without
 * parameters, social handles as "network:handle".
 *
 * Returns: (transfer full) (nullable): the normalized value, or %NULL with
 *   %PARLEY_ERROR_INVALID set
 */
char *
parley_identity_normalize (const char  *kind,
                           const char  *value,
                           const char  *default_country_code,
                           GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!parley_identity_kind_is_valid (kind))
    return invalid (error, "unknown", "the kind must be a short lower-case word");
  if (value == NULL || !g_utf8_validate (value, -1, NULL))
    return invalid (error, kind, "not valid UTF-8");
  if (strlen (value) > PARLEY_IDENTITY_MAX_LENGTH)
    return invalid (error, kind, "too long");

  trimmed = g_utf8_normalize (value, -1, G_NORMALIZE_NFC);
  g_strstrip (trimmed);
  if (*trimmed == '\0')
    return invalid (error, kind, "empty");
  if (has_control_chars (trimmed))
    return invalid (error, kind, "control characters");

  if (g_str_equal (kind, PARLEY_IDENTITY_EMAIL))
    normalized = normalize_email (trimmed, error);
  else if (g_str_equal (kind, PARLEY_IDENTITY_PHONE))
    normalized = normalize_phone (trimmed, default_country_code, error);
  else if (g_str_equal (kind, PARLEY_IDENTITY_SIP))
    normalized = normalize_sip (trimmed, error);
  else if (g_str_equal (kind, PARLEY_IDENTITY_CHAT))
    normalized = normalize_chat (trimmed, error);
  else if (g_str_equal (kind, PARLEY_IDENTITY_SOCIAL))
    normalized = normalize_social (trimmed, error);
  else
    normalized = g_steal_pointer (&trimmed);

  /* The canonical form can be longer than the value given (NFC, case
   * mapping, an added "sip:"): the limit holds for what is stored. */
  if (normalized != NULL && strlen (normalized) > PARLEY_IDENTITY_MAX_LENGTH)
    return invalid (error, kind, "too long");
  return g_steal_pointer (&normalized);
}
