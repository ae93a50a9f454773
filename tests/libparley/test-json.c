/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

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
    { "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
      NULL },
    { "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
      "A message nests deeper than 64 levels" },
    { "{\"text\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[\"}", NULL },
    { "{\"n\":9223372036854775807,\"m\":-9223372036854775808,\"z\":-0,\"d\":1e308,\"e\":-0.0,\"f\":0.1}", NULL },
    { "{\"n\":9223372036854775808}",
      "A message has the number 9223372036854775808, which is out of range (integers must fit in 64 bits, other numbers in a double)" },
    { "{\"n\":-9223372036854775809}",
      "A message has the number -9223372036854775809, which is out of range (integers must fit in 64 bits, other numbers in a double)" },
    { "{\"n\":[1, 123456789012345678901234567890]}",
      "A message has the number 123456789012345678901234567890, which is out of range (integers must fit in 64 bits, other numbers in a double)" },
    { "{\"d\":1e400}", "A message has the number 1e400, which is out of range (integers must fit in 64 bits, other numbers in a double)" },
    { "{\"d\":-1E+400}", "A message has the number -1E+400, which is out of range (integers must fit in 64 bits, other numbers in a double)" },
    { "{\"d\":1e-400}", "A message has the number 1e-400, which is out of range (integers must fit in 64 bits, other numbers in a double)" },
    { "{\"text\":\"1e400 and 99999999999999999999 in a string\"}", NULL },
    { "{\"text\":\"a surrogate pair \\uD83D\\uDE00 in capitals\"}", NULL },
    /* json-glib 1.6 would write invalid UTF-8, or fail and leak the string */
    { "{\"text\":\"lone high \\ud83d here\"}", "A message has a UTF-16 surrogate escape that is not half of a pair" },
    { "{\"text\":\"lone low \\ude00\"}", "A message has a UTF-16 surrogate escape that is not half of a pair" },
    { "{\"text\":\"high then not low \\ud83d\\u0041\"}", "A message has a UTF-16 surrogate escape that is not half of a pair" },
    { "{\"text\":\"cut \\ud83d\\u", "A message has a UTF-16 surrogate escape that is not half of a pair" },
    { "{\"text\":\"short \\ud8 \\u00e9\"}", "A message has a \\u escape without four hex digits" },
    { "{\"text\":\"short \\u41\"}", "A message has a \\u escape without four hex digits" },
    /* json-glib 1.6 reads single-quoted strings and // comments, so a
     * double quote inside one would put the check out of step with the
     * parser, and an escape it leaks on would go unchecked */
    { "{\"a\":'\"',\"b\":\"\\ud83d\\u0041\"}", "A message has a single-quoted string (JSON strings take double quotes)" },
    { "{'text':\"hello\"}", "A message has a single-quoted string (JSON strings take double quotes)" },
    { "{\"a\":1 // \"\n,\"b\":\"\\ud83d\\u0041\"}", "A message has a / outside a string (JSON has no comments)" },
    { "{\"text\":\"it's a/b // not a comment\"}", NULL },
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

/* About 100,000 levels overflow json-glib's stack; the check refuses them
 * before it recurses, and costs nothing like that itself. */
static void
test_deep_nesting (void)
{
  static const guint depth = 100000;
  g_autoptr(GString) text = g_string_new ("{\"a\":");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;

  for (guint i = 0; i < depth; i++)
    g_string_append (text, i % 2 ? "{\"a\":" : "[");
  object = parley_json_parse_object (text->str, text->len, "Request body", &error);
  g_assert_null (object);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Request body nests deeper than 64 levels");

  /* A deeper limit for those who need it (a co-browsed page's tree). */
  g_clear_error (&error);
  g_string_assign (text, "");
  for (guint i = 0; i < 1000; i++)
    g_string_append (text, "{\"a\":");
  g_string_append (text, "1");
  for (guint i = 0; i < 1000; i++)
    g_string_append_c (text, '}');
  g_assert_null (parley_json_parse_object (text->str, text->len, "A frame", &error));
  g_clear_error (&error);
  object = parley_json_parse_object_full (text->str, text->len, 1000, "A frame", &error);
  g_assert_no_error (error);
  g_assert_nonnull (object);
}

/* What parley_json_to_string() writes reads back as the same value, even
 * where json-glib's generator writes "1e+308.0". */
static void
test_numbers_round_trip (void)
{
  static const char *texts[] = {
    "{\"a\":1e308}", "{\"a\":-1e+300,\"b\":[1e17,2.5e-8]}", "{\"a\":1.7976931348623157e308}",
    "{\"a\":9223372036854775807,\"b\":-9223372036854775808}", "{\"a\":-0.0,\"b\":0.1,\"c\":\"1e+308.0\"}",
    "{\"a\":{\"b\":[true,false,null,1E20]}}", "{\"s\":\"\\\"inf.0\\\" 1e+5.0\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) object = parley_json_parse_object (texts[i], strlen (texts[i]), "Body", &error);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(JsonNode) again = NULL;
      g_autofree char *written = NULL;
      g_autofree char *rewritten = NULL;
      g_autoptr(JsonObject) back = NULL;

      g_assert_no_error (error);
      node = json_node_init_object (json_node_alloc (), object);
      written = parley_json_to_string (node);
      g_test_message ("%s -> %s", texts[i], written);
      back = parley_json_parse_object (written, strlen (written), "Written", &error);
      g_assert_no_error (error);
      again = json_node_init_object (json_node_alloc (), back);
      g_assert_true (json_node_equal (node, again));
      rewritten = parley_json_to_string (again);
      g_assert_cmpstr (written, ==, rewritten);
    }

  /* Nothing accepted from outside is infinite, but nothing written is
   * ever invalid JSON either. */
  {
    g_autoptr(JsonObject) object = json_object_new ();
    g_autoptr(JsonNode) node = NULL;
    g_autofree char *written = NULL;

    json_object_set_double_member (object, "a", INFINITY);
    json_object_set_double_member (object, "b", -INFINITY);
    json_object_set_double_member (object, "c", NAN);
    json_object_set_double_member (object, "d", 1e21);
    node = json_node_init_object (json_node_alloc (), object);
    written = parley_json_to_string (node);
    g_assert_cmpstr (written, ==, "{\"a\":null,\"b\":null,\"c\":null,\"d\":1e+21}");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/parse-object", test_parse_object);
  g_test_add_func ("/json/deep-nesting", test_deep_nesting);
  g_test_add_func ("/json/numbers-round-trip", test_numbers_round_trip);
  return g_test_run ();
}
