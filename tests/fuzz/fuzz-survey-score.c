/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley.h"
#include "parley-survey-private.h"
#include "fuzz-glib.h"

/* A customer's reply to a survey question, read for a score: byte 0 picks
 * the scale (CSAT 5 or NPS 10) and the language, the rest is the reply. A
 * score found is on the scale. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const languages[] = { "en", "de", "es", "fr" };
  g_autofree char *reply = NULL;
  int max, score = -1;

  if (size < 1)
    return 0;
  max = data[0] & 1 ? 10 : 5;
  reply = g_strndup ((const char *) data + 1, size - 1);
  if (parley_survey_parse_score (reply, languages[(data[0] >> 1) % G_N_ELEMENTS (languages)], max, &score))
    g_assert_true (score >= 0 && score <= max);
  return 0;
}
