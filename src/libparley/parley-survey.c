/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "parley-survey-private.h"

/* Reading a customer's free-text answer to "How likely are you to
 * recommend us, from 0 to 10?". A score is taken only when the reply names
 * exactly one number in range, as digits or in words of the survey's
 * language, optionally with its scale ("9/10", "nine out of ten", "neun
 * von zehn"); anything else ("7 or 8", "8.5", "maybe", "11") is unclear,
 * and the channel asks once more rather than record a wrong score. */

typedef struct
{
  const char *language;
  const char *numbers[11];  /* 0 to 10 */
  const char *out_of;       /* "9 out of 10" */
  const char *hundred;      /* "one hundred percent" is no score */
} NumberWords;

static const NumberWords number_words[] = {
  { "en", { "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten" },
    "out of", "hundred" },
  { "de", { "null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn" },
    "von", "hundert" },
  { "es", { "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez" },
    "de", "cien" },
  { "fr", { "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix" },
    "sur", "cent" },
};

/* The words of @language ("de", "de-AT", "de_CH"), English for others. */
static const NumberWords *
number_words_for (const char *language)
{
  for (guint i = 0; language && i < G_N_ELEMENTS (number_words); i++)
    if (g_ascii_strncasecmp (language, number_words[i].language, 2) == 0 &&
        (language[2] == '\0' || language[2] == '-' || language[2] == '_'))
      return &number_words[i];
  return &number_words[0];
}

/* Letters and digits, counting every byte of a non-ASCII letter ("ü"). */
static gboolean
is_word_byte (char c)
{
  return g_ascii_isalnum (c) || (guchar) c >= 0x80;
}

/* Whether @text starts with @word, in any case of its ASCII letters, and
 * no letter follows ("ten" in "10 out of ten!", not in "tent"). */
static gboolean
starts_with_word (const char *text,
                  const char *word)
{
  gsize length = strlen (word);

  return g_ascii_strncasecmp (text, word, length) == 0 &&
         !g_ascii_isalpha (text[length]) && (guchar) text[length] < 0x80;
}

/* The number a word or digit run at @text stands for, and its length; -1
 * when it is none. */
static int
read_number (const char        *text,
             const NumberWords *words,
             gsize             *length)
{
  if (g_ascii_isdigit (*text))
    {
      gsize n = 0;
      int value = 0;

      while (g_ascii_isdigit (text[n]) && n < 4)
        value = value * 10 + (text[n++] - '0');
      if (g_ascii_isdigit (text[n]))
        return -1;
      *length = n;
      return value;
    }
  for (guint i = 0; i < G_N_ELEMENTS (words->numbers); i++)
    if (starts_with_word (text, words->numbers[i]))
      {
        *length = strlen (words->numbers[i]);
        return (int) i;
      }
  return -1;
}

/* Skips spaces, then "/" or "out of" (in the survey's language), then
 * spaces; returns where the scale would start, or NULL when no scale
 * follows. */
static const char *
scale_start (const char        *text,
             const NumberWords *words)
{
  while (*text == ' ')
    text++;
  if (*text == '/')
    text++;
  else if (starts_with_word (text, words->out_of))
    text += strlen (words->out_of);
  else
    return NULL;
  while (*text == ' ')
    text++;
  return text;
}

static guint
count_words (const char *text)
{
  guint words = 0;

  for (const char *p = text; *p; p++)
    if (is_word_byte (*p) && (p == text || !is_word_byte (p[-1])))
      words++;
  return words;
}

/**
 * parley_survey_parse_score:
 * @reply: what the customer wrote
 * @language: (nullable): the survey's language ("en", "de", "es", "fr"),
 *   whose number words count besides digits; English for %NULL or others
 * @max: the top of the scale (10 for NPS, 5 for CSAT); the bottom is 0
 * @score: (out): the score, when one is found
 *
 * Returns: %TRUE if @reply names one score from 0 to @max, unambiguously
 */
gboolean
parley_survey_parse_score (const char *reply,
                           const char *language,
                           int         max,
                           int        *score)
{
  const NumberWords *words = number_words_for (language);
  g_autofree char *folded = NULL;
  int found = -1;
  gboolean short_reply;

  g_return_val_if_fail (score != NULL, FALSE);

  if (reply == NULL || !g_utf8_validate (reply, -1, NULL) || strlen (reply) > 500 || strchr (reply, '%'))
    return FALSE;
  folded = g_ascii_strdown (reply, -1);
  if (strstr (folded, words->hundred))
    return FALSE;
  /* "No one helped" is no score: a number in words counts in a short reply
   * ("nine", "a solid eight") or with its scale ("nine out of ten"). */
  short_reply = count_words (reply) <= 3;
  for (const char *p = reply; *p; )
    {
      gsize length = 0;
      int value;
      const char *scale;
      gboolean in_words;

      /* A number starts at a word boundary. */
      if ((p > reply && is_word_byte (p[-1])) || (value = read_number (p, words, &length)) < 0)
        {
          p++;
          continue;
        }
      /* Decimals, ranges and negatives are not one clear score. */
      if ((p > reply && (p[-1] == '-' || p[-1] == '.' || p[-1] == ',')) ||
          ((p[length] == '.' || p[length] == ',' || p[length] == '-') && g_ascii_isdigit (p[length + 1])))
        return FALSE;
      in_words = !g_ascii_isdigit (*p);
      p += length;
      /* "9/10", "nine out of ten": the scale must be ours, and is no score. */
      if ((scale = scale_start (p, words)) != NULL)
        {
          gsize scale_length = 0;

          if (read_number (scale, words, &scale_length) != max)
            return FALSE;
          p = scale + scale_length;
        }
      else if (in_words && !short_reply)
        continue;
      if (value > max || (found >= 0 && found != value))
        return FALSE;
      found = value;
    }
  if (found < 0)
    return FALSE;
  *score = found;
  return TRUE;
}
