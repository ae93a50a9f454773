/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley.h"
#include "parley-survey-private.h"

/* Replies customers really write to "from 0 to 10", and what each means:
 * a score, or -1 for "unclear, ask once more". A wrong score is worse than
 * asking again. */
typedef struct
{
  const char *reply;
  int         max;
  int         score;
} Reply;

static const Reply replies[] = {
  { "9", 10, 9 },
  { "10!", 10, 10 },
  { "nine out of 10", 10, 9 },
  { "Nine out of ten", 10, 9 },
  { "8/10", 10, 8 },
  { "10/10 would recommend", 10, 10 },
  { "  7  ", 10, 7 },
  { "0", 10, 0 },
  { "zero", 10, 0 },
  { "a solid eight", 10, 8 },
  { "I'd give you a 6 because the delivery was late", 10, 6 },
  { "10 10 10", 10, 10 },
  { "Ten!!!", 10, 10 },
  { "5 stars", 5, 5 },
  { "4/5", 5, 4 },
  { "7 or 8", 10, -1 },
  { "7-8", 10, -1 },
  { "8.5", 10, -1 },
  { "8,5", 10, -1 },
  { "11", 10, -1 },
  { "-3", 10, -1 },
  { "100%", 10, -1 },
  { "one hundred percent", 10, -1 },
  { "maybe", 10, -1 },
  { "", 10, -1 },
  { "no one helped me for an hour", 10, -1 },
  { "9/5", 10, -1 },
  { "8 out of 100", 10, -1 },
  { "6", 5, -1 },
  { "call me on 07700900123", 10, -1 },
  { "you are number1", 10, -1 },
};

/* The same in German, Spanish and French, for a queue whose survey asks
 * in that language. */
static const Reply german_replies[] = {
  { "neun", 10, 9 },
  { "Zehn!", 10, 10 },
  { "null", 10, 0 },
  { "eins", 5, 1 },
  { "fünf", 5, 5 },
  { "Fünf Sterne", 5, 5 },
  { "neun von zehn", 10, 9 },
  { "8 von 10", 10, 8 },
  { "eine glatte Acht", 10, 8 },
  { "sieben oder acht", 10, -1 },
  { "hundert Prozent", 10, -1 },
  { "acht von 100", 10, -1 },
  { "nine", 10, -1 },
};

static const Reply spanish_replies[] = {
  { "nueve", 10, 9 },
  { "Diez", 10, 10 },
  { "ocho de diez", 10, 8 },
  { "cien por cien", 10, -1 },
};

static const Reply french_replies[] = {
  { "neuf", 10, 9 },
  { "zéro", 10, 0 },
  { "huit sur dix", 10, 8 },
  { "cent pour cent", 10, -1 },
};

static void
check_replies (const char  *language,
               const Reply *list,
               gsize        n)
{
  for (gsize i = 0; i < n; i++)
    {
      int score = -1;
      gboolean found = parley_survey_parse_score (list[i].reply, language, list[i].max, &score);

      if (!found)
        score = -1;
      if (score != list[i].score)
        g_error ("“%s” (0–%d, %s) read as %d, expected %d", list[i].reply, list[i].max, language, score, list[i].score);
    }
}

static void
test_replies (void)
{
  check_replies ("en", replies, G_N_ELEMENTS (replies));
  /* Queues without a known language read English. */
  check_replies (NULL, replies, G_N_ELEMENTS (replies));
}

static void
test_other_languages (void)
{
  check_replies ("de", german_replies, G_N_ELEMENTS (german_replies));
  check_replies ("de-AT", german_replies, G_N_ELEMENTS (german_replies));
  check_replies ("es", spanish_replies, G_N_ELEMENTS (spanish_replies));
  check_replies ("fr", french_replies, G_N_ELEMENTS (french_replies));
}

static void
test_bad_input (void)
{
  int score = 42;

  g_assert_false (parley_survey_parse_score (NULL, "en", 10, &score));
  g_assert_false (parley_survey_parse_score ("\xff\xfe 9", "de", 10, &score));
  g_assert_cmpint (score, ==, 42);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/survey/replies", test_replies);
  g_test_add_func ("/survey/other-languages", test_other_languages);
  g_test_add_func ("/survey/bad-input", test_bad_input);
  return g_test_run ();
}
