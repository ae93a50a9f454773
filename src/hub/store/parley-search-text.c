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
