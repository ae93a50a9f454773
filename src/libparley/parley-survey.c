/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "parley-survey.h"

/* Reading a customer's free-text answer to "How likely are you to
 * recommend us, from 0 to 10?". A score is taken only when the reply names
 * exactly one number in range, as digits or in words, optionally with its
 * scale ("9/10", "nine out of ten"); anything else ("7 or 8", "8.5",
 * "maybe", "11") is unclear, and the channel asks once more rather than
 * record a wrong score. */

static const char * const number_words[] = {
  "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
};

/* The number a word or digit run at @text stands for, and its length; -1
 * when it is none. */
static int
read_number (const char *text,
             gsize      *length)
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
  for (guint i = 0; i < G_N_ELEMENTS (number_words); i++)
    {
      gsize word = strlen (number_words[i]);

      if (g_ascii_strncasecmp (text, number_words[i], word) == 0 && !g_ascii_isalpha (text[word]))
        {
          *length = word;
          return (int) i;
        }
    }
  return -1;
}

/* Skips spaces, then "/" or "out of", then spaces; returns where the scale
 * would start, or NULL when no scale follows. */
static const char *
scale_start (const char *text)
{
  while (*text == ' ')
    text++;
  if (*text == '/')
    text++;
  else if (g_ascii_strncasecmp (text, "out of", 6) == 0)
    text += 6;
  else
    return NULL;
  while (*text == ' ')
    text++;
  return text;
}

/**
 * parley_survey_parse_score:
 * @reply: what the customer wrote
 * @max: the top of the scale (10 for NPS, 5 for CSAT); the bottom is 0
 * @score: (out): the score, when one is found
 *
 * Returns: %TRUE if @reply names one score from 0 to @max, unambiguously
 */
static guint
count_words (const char *text)
{
  guint words = 0;

  for (const char *p = text; *p; p++)
    if (g_ascii_isalnum (*p) && (p == text || !g_ascii_isalnum (p[-1])))
      words++;
  return words;
}

gboolean
parley_survey_parse_score (const char *reply,
                           int         max,
                           int        *score)
{
  int found = -1;
  gboolean short_reply;

  g_return_val_if_fail (score != NULL, FALSE);

  if (reply == NULL || !g_utf8_validate (reply, -1, NULL) || strlen (reply) > 500 ||
      strchr (reply, '%') || strstr (reply, "hundred"))
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
      if ((p > reply && (g_ascii_isalnum (p[-1]))) || (value = read_number (p, &length)) < 0)
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
      if ((scale = scale_start (p)) != NULL)
        {
          gsize scale_length = 0;

          if (read_number (scale, &scale_length) != max)
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
