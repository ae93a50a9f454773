/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-identity"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "parley-error.h"
#include "parley-identity.h"
#include "parley-phone-number-private.h"

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

/* An internationalised domain has two spellings, "bücher.de" and its
 * ASCII form "xn--bcher-kva.de"; identities keep the Unicode one, which
 * agents can read and search for (mail is sent to the ASCII form, which
 * g_hostname_to_ascii() gives back). Going through the ASCII form folds
 * case and compatibility forms ("BÜCHER.DE", full-width letters), and
 * coming back checks it: a label that is not valid punycode does not
 * survive the round trip. */
static char *
canonical_domain (const char *domain, GError **error)
{
  g_autofree char *ascii = g_hostname_to_ascii (domain);
  g_autofree char *unicode = ascii ? g_hostname_to_unicode (ascii) : NULL;
  g_autofree char *again = unicode ? g_hostname_to_ascii (unicode) : NULL;
  g_auto(GStrv) labels = NULL;
  g_auto(GStrv) unicode_labels = NULL;

  if (again == NULL || strcmp (again, ascii) != 0)
    return invalid (error, "email", "the domain is not a valid internationalised name");
  if (strlen (ascii) > 253)
    return invalid (error, "email", "the domain is longer than 253 characters");
  labels = g_strsplit (ascii, ".", -1);
  unicode_labels = g_strsplit (unicode, ".", -1);
  if (g_strv_length (labels) != g_strv_length (unicode_labels))
    return invalid (error, "email", "the domain is not a valid internationalised name");
  for (guint i = 0; labels[i]; i++)
    {
      gsize len = strlen (labels[i]);
      gsize unicode_len = strlen (unicode_labels[i]);

      if (len == 0)
        return invalid (error, "email", "the domain has an empty label");
      if (len > 63)
        return invalid (error, "email", "a label of the domain is longer than 63 characters");
      if (unicode_labels[i][0] == '-' || unicode_labels[i][unicode_len - 1] == '-')
        return invalid (error, "email", "a label of the domain begins or ends with a hyphen");
    }
  return g_utf8_strdown (unicode, -1);
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
  {
    g_autofree char *local = g_utf8_strdown (addr, at - addr);
    g_autofree char *domain = canonical_domain (at + 1, error);

    if (domain == NULL)
      return NULL;
    /* Checked on the canonical form, which may have lost a final dot. */
    if (strchr (domain, '.') == NULL && !g_str_equal (domain, "localhost"))
      return invalid (error, "email", "domain has no dot");
    return g_strconcat (local, "@", domain, NULL);
  }
}

/* Phone numbers as people write them: digits (any script's), spaces,
 * dashes and the usual punctuation, a leading "+" or "tel:". Letters
 * (vanity numbers, "ext.") and dial-string parameters are refused before
 * libphonenumber, which would read them. */
static char *
normalize_phone (const char *value, const char *region, GError **error)
{
  const char *p = value;

  if (g_ascii_strncasecmp (p, "tel:", 4) == 0)
    p += 4;
  while (g_unichar_isspace (g_utf8_get_char (p)))
    p = g_utf8_next_char (p);
  for (const char *c = p; *c; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);

      if (g_unichar_isalpha (u))
        return invalid (error, "phone", "letters are not allowed");
      if (!(g_unichar_isdigit (u) || g_unichar_isspace (u) || (u == '+' && c == p) ||
            g_unichar_type (u) == G_UNICODE_DASH_PUNCTUATION ||
            u == '.' || u == '(' || u == ')' || u == '/'))
        return invalid (error, "phone", "only digits, spaces and - . ( ) / are allowed");
    }
  if (*p != '+' && (region == NULL || *region == '\0'))
    return invalid (error, "phone", "a national number needs a default region (or write it with +)");
  return parley_phone_number_to_e164 (p, region, error);
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
 * @default_region: (nullable): ISO 3166 alpha-2 code ("IT", "US") of the
 *   country national phone numbers are from; without it a phone number
 *   must start with "+"
 * @error: return location for a #GError
 *
 * Turns a raw address into the canonical form under which identities are
 * unique: emails lower-cased, phone numbers in E.164, SIP URIs without
 * parameters, social handles as "network:handle".
 *
 * Phone numbers are read with libphonenumber: "06 1234 5678" with region
 * "IT" and "+39 06 1234 5678" are both "+390612345678", and the region's
 * international prefix is understood ("011 39 …" from the US, "0011 39 …"
 * from Australia). A number must have a possible length for its country.
 *
 * Returns: (transfer full) (nullable): the normalized value, or %NULL with
 *   %PARLEY_ERROR_INVALID set
 */
char *
parley_identity_normalize (const char  *kind,
                           const char  *value,
                           const char  *default_region,
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
    normalized = normalize_phone (trimmed, default_region, error);
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

/**
 * parley_identity_region_is_valid:
 * @region: an ISO 3166 alpha-2 code such as "IT" (any case)
 *
 * Whether @region can be the default region of
 * parley_identity_normalize(): a country whose phone numbering plan is
 * known.
 *
 * Returns: %TRUE if @region is known
 */
gboolean
parley_identity_region_is_valid (const char *region)
{
  return region != NULL && parley_phone_number_region_is_known (region);
}

/**
 * parley_identity_region_for_calling_code:
 * @calling_code: a country calling code, such as "44" or "+44"
 *
 * The main region of a country calling code (GB for 44, US for 1, IT for
 * 39), for settings that gave a calling code where a region is now
 * expected. The other regions that share a code share its numbering plan,
 * so national numbers read the same with it.
 *
 * Returns: (transfer full) (nullable): the region, or %NULL if
 *   @calling_code is not one
 */
char *
parley_identity_region_for_calling_code (const char *calling_code)
{
  gsize len;

  g_return_val_if_fail (calling_code != NULL, NULL);

  if (*calling_code == '+')
    calling_code++;
  len = strspn (calling_code, "0123456789");
  if (len == 0 || len > 3 || calling_code[len] != '\0')
    return NULL;
  return parley_phone_number_region_for_calling_code (atoi (calling_code));
}
