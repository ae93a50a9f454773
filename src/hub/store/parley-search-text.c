/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-search-text"

#include "config.h"

#include "parley-search-text.h"

/**
 * parley_search_text_fold:
 * @text: (nullable): text as written, valid UTF-8
 *
 * Full Unicode case folding (g_utf8_casefold(), as the desktop's own
 * filter of the timeline does: "ß" matches "ss", "Í" matches "í" in any
 * language), then NFC, so composed and decomposed accents are one. Accents
 * still count: "maria" does not find "maría". Decomposing first lets the
 * folding see every letter of a composed one.
 *
 * Returns: (transfer full) (nullable): the folded text, %NULL for %NULL
 */
char *
parley_search_text_fold (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *folded = NULL;

  if (text == NULL)
    return NULL;
  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  if (decomposed == NULL)   /* not UTF-8: compared as it is */
    return g_strdup (text);
  folded = g_utf8_casefold (decomposed, -1);
  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFC);
}

/**
 * parley_search_text_phone_digits:
 * @query: what an agent typed to find a customer
 *
 * Phone identities are kept in E.164 ("+390612345678"), while agents type
 * numbers as they hear them: "06 1234 5678", "020 7946 0018", "+39 06
 * 1234". A query of digits and the punctuation of phone numbers is also
 * looked for as its digits without leading zeros (the trunk prefix, or
 * an international one), which lie inside the stored number whichever
 * way it was written.
 *
 * Returns: (transfer full) (nullable): at least four digits, or %NULL if
 *   @query is not a phone number
 */
char *
parley_search_text_phone_digits (const char *query)
{
  g_autoptr(GString) digits = g_string_new (NULL);

  for (const char *p = query; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (digits->len > 0 || *p != '0')
            g_string_append_c (digits, *p);
        }
      else if (!(*p == '+' || *p == ' ' || *p == '-' || *p == '.' || *p == '(' || *p == ')' || *p == '/'))
        return NULL;
    }
  return digits->len >= 4 ? g_string_free (g_steal_pointer (&digits), FALSE) : NULL;
}
