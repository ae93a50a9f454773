/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley.h"

/* The rules every upload endpoint applies to a file: its type is what its
 * bytes are, its name is cleaned of paths and control characters, and it
 * may be up to 5 MiB. */

static void
test_sniff (void)
{
  static const struct
  {
    const char *bytes;
    gsize       length;
    const char *type;
  } files[] = {
#define FILE(bytes, type) { bytes, sizeof (bytes) - 1, type }
    FILE ("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "image/png"),
    FILE ("\xff\xd8\xff\xe0\0\x10JFIF", "image/jpeg"),
    FILE ("GIF89a\x01\0\x01\0", "image/gif"),
    FILE ("%PDF-1.7\n%\xe2\xe3\xcf\xd3", "application/pdf"),
    FILE ("Order 1234: two kettles, one blue", "text/plain"),
    FILE ("Grüße aus Köln", "text/plain"),
    /* A page or a program stays out, whatever its name says. */
    FILE ("PK\x03\x04\x0a\0\0\0", NULL),
    FILE ("MZ\x90\0\x03\0\0\0", NULL),
    FILE ("text with a \0 NUL", NULL),
    FILE ("\xff\xfe not UTF-8", NULL),
    FILE ("", NULL),
#undef FILE
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GBytes) data = g_bytes_new_static (files[i].bytes, files[i].length);

      g_assert_cmpstr (parley_attachment_sniff_type (data), ==, files[i].type);
    }
  g_assert_true (g_strv_contains (parley_attachment_get_types (), "application/pdf"));
  g_assert_true (g_strv_contains (parley_attachment_get_types (), "text/plain"));
  g_assert_false (g_strv_contains (parley_attachment_get_types (), "text/html"));
}

static void
test_clean_name (void)
{
  static const struct
  {
    const char *name;
    const char *clean;
  } names[] = {
    { "receipt.pdf", "receipt.pdf" },
    { "../../etc/passwd", "passwd" },
    { "C:/Users/me/photo.png", "photo.png" },
    { "line\nbreak\r.txt", "linebreak.txt" },
    { "<img src=x onerror=alert(1)>.pdf", "<img src=x onerror=alert(1)>.pdf" },
    { "Rechnung März.pdf", "Rechnung März.pdf" },
    { "/", NULL },
    { ".", NULL },
    { "..", NULL },
    { "", NULL },
    { "\x01\x02", NULL },
    { "\xff.pdf", NULL },
    { NULL, NULL },
  };
  g_autofree char *long_name = g_strnfill (300, 'x');
  g_autofree char *shortened = parley_attachment_clean_name (long_name);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *clean = parley_attachment_clean_name (names[i].name);

      g_assert_cmpstr (clean, ==, names[i].clean);
    }
  g_assert_cmpuint (strlen (shortened), ==, 200);
}

static void
test_check (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4\n", 9);
  g_autoptr(GBytes) zip = g_bytes_new_static ("PK\x03\x04\x0a\0\0\0", 8);
  g_autofree char *big_text = g_strnfill (PARLEY_ATTACHMENT_MAX_SIZE + 1, 'a');
  g_autoptr(GBytes) big = g_bytes_new_take (g_steal_pointer (&big_text), PARLEY_ATTACHMENT_MAX_SIZE + 1);
  g_autoptr(JsonObject) attachment = NULL;
  g_autoptr(JsonObject) summary = NULL;

  /* The name comes percent-encoded, as in X-Parley-Filename. */
  attachment = parley_attachment_check (pdf, "Rechnung%20M%C3%A4rz%3Cb%3E.pdf", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (attachment, "name"), ==, "Rechnung März<b>.pdf");
  g_assert_cmpstr (json_object_get_string_member (attachment, "type"), ==, "application/pdf");
  g_assert_cmpint (json_object_get_int_member (attachment, "size"), ==, 9);

  g_assert_null (parley_attachment_check (big, "big.txt", &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_null (parley_attachment_check (zip, "tool.zip", &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
  g_assert_true (strstr (error->message, "PDF documents") != NULL);
  g_clear_error (&error);
  g_assert_null (parley_attachment_check (pdf, NULL, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (parley_attachment_check (pdf, "%2F", &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
  g_clear_error (&error);

  /* A message shows its file without who kept it or when. */
  json_object_set_string_member (attachment, "id", "a-1");
  json_object_set_string_member (attachment, "owner", "visitor-1");
  json_object_set_int_member (attachment, "created", 100);
  summary = parley_attachment_summary (attachment);
  g_assert_cmpuint (json_object_get_size (summary), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (summary, "id"), ==, "a-1");
  g_assert_false (json_object_has_member (summary, "owner"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/attachment/sniff", test_sniff);
  g_test_add_func ("/attachment/clean-name", test_clean_name);
  g_test_add_func ("/attachment/check", test_check);
  return g_test_run ();
}
