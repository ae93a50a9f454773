/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley.h"

/* Replies customers really write to "from 0 to 10", and what each means:
 * a score, or -1 for "unclear, ask once more". A wrong score is worse than
 * asking again. */
static const struct
{
  const char *reply;
  int         max;
  int         score;
} replies[] = {
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

static void
test_replies (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      int score = -1;
      gboolean found = parley_survey_parse_score (replies[i].reply, replies[i].max, &score);

      if (!found)
        score = -1;
      if (score != replies[i].score)
        g_error ("“%s” (0–%d) read as %d, expected %d", replies[i].reply, replies[i].max, score, replies[i].score);
    }
}

static void
test_bad_input (void)
{
  int score = 42;

  g_assert_false (parley_survey_parse_score (NULL, 10, &score));
  g_assert_false (parley_survey_parse_score ("\xff\xfe 9", 10, &score));
  g_assert_cmpint (score, ==, 42);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/survey/replies", test_replies);
  g_test_add_func ("/survey/bad-input", test_bad_input);
  return g_test_run ();
}
