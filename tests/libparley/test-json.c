/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley.h"

/* What reaches the hub as JSON text is one object, checked before it is
 * parsed: each kind of bad input has its own message. */
static void
test_parse_object (void)
{
  static const struct {
    const char *text;
    const char *message;  /* NULL: accepted */
  } cases[] = {
    { "{\"text\":\"hello\"}", NULL },
    { "{\"text\":\"a backslash, then u0000: \\\\u0000\"}", NULL },
    { "{\"text\":\"ok \\ud83d\\ude00\"}", NULL },
    { "", "A message is empty; a JSON object is expected" },
    { "{\"text\":\"\xff\"}", "A message is not valid UTF-8" },
    { "{\"text\":\"cut \\u0000 short\"}", "A message contains a NUL character (\\u0000)" },
    { "{\"text\":", "A message is not valid JSON" },
    { "[1, 2]", "A message must be a JSON object" },
    { "{\"text\":\"a surrogate pair \\uD83D\\uDE00 in capitals\"}", NULL },
    /* json-glib 1.6 would write invalid UTF-8, or fail and leak the string */
    { "{\"text\":\"lone high \\ud83d here\"}", "A message has a UTF-16 surrogate escape that is not half of a pair" },
    { "{\"text\":\"lone low \\ude00\"}", "A message has a UTF-16 surrogate escape that is not half of a pair" },
    { "{\"text\":\"high then not low \\ud83d\\u0041\"}", "A message has a UTF-16 surrogate escape that is not half of a pair" },
    { "{\"text\":\"cut \\ud83d\\u", "A message has a UTF-16 surrogate escape that is not half of a pair" },
    { "{\"text\":\"short \\ud8 \\u00e9\"}", "A message has a \\u escape without four hex digits" },
    { "{\"text\":\"short \\u41\"}", "A message has a \\u escape without four hex digits" },
    /* json-glib 1.6 would parse on and leak each value but the first */
    { "{}{}", "A message holds more than one JSON value" },
    { "{\"a\":{}} [[1]] {}", "A message holds more than one JSON value" },
    { "[] {\"text\":\"hello\"}", "A message holds more than one JSON value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) object = parley_json_parse_object (cases[i].text, strlen (cases[i].text), "A message", &error);
      /* Escaped: a message that is not UTF-8 would not be valid TAP. */
      g_autofree char *shown = g_strescape (cases[i].text, NULL);

      g_test_message ("%s", shown);
      if (cases[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (object);
        }
      else
        {
          g_assert_null (object);
          g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
          g_assert_cmpstr (error->message, ==, cases[i].message);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/parse-object", test_parse_object);
  return g_test_run ();
}
