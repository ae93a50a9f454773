/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley.h"

/* The rules every upload endpoint applies to a file: its type is what its
 * bytes are, its name is cleaned of paths and control characters, and it
 * may be up to 5 MiB. */

/* What a file is told by its bytes; and what a received one may be opened
 * as: only that when GIO's sniffing agrees, so text that is a page, a
 * picture drawn in XML, a launcher or a script is nothing the desktop's
 * apps may get. */
static void
test_sniff (void)
{
  static const struct
  {
    const char *bytes;
    gsize       length;
    const char *type;
    const char *recognised;
  } files[] = {
#define FILE(bytes, type, recognised) { bytes, sizeof (bytes) - 1, type, recognised }
    FILE ("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "image/png", "image/png"),
    FILE ("\xff\xd8\xff\xe0\0\x10JFIF", "image/jpeg", "image/jpeg"),
    FILE ("GIF89a\x01\0\x01\0", "image/gif", "image/gif"),
    FILE ("%PDF-1.7\n%\xe2\xe3\xcf\xd3", "application/pdf", "application/pdf"),
    FILE ("Order 1234: two kettles, one blue", "text/plain", "text/plain"),
    FILE ("Grüße aus Köln", "text/plain", "text/plain"),
    FILE ("<!DOCTYPE html><html><script>alert(1)</script>", "text/plain", NULL),
    FILE ("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>", "text/plain", NULL),
    FILE ("[Desktop Entry]\nType=Application\nExec=true\n", "text/plain", NULL),
    FILE ("#!/bin/sh\ntrue\n", "text/plain", NULL),
    /* A page or a program stays out, whatever its name says. */
    FILE ("PK\x03\x04\x0a\0\0\0", NULL, NULL),
    FILE ("MZ\x90\0\x03\0\0\0", NULL, NULL),
    FILE ("\x7f" "ELF\x02\x01\x01\0", NULL, NULL),
    FILE ("text with a \0 NUL", NULL, NULL),
    FILE ("\xff\xfe not UTF-8", NULL, NULL),
    FILE ("", NULL, NULL),
#undef FILE
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GBytes) data = g_bytes_new_static (files[i].bytes, files[i].length);

      g_assert_cmpstr (parley_attachment_sniff_type (data), ==, files[i].type);
      g_assert_cmpstr (parley_attachment_recognise (data), ==, files[i].recognised);
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
    { "C:\\Users\\me\\photo.png", "photo.png" },
    /* Nothing that reorders what is shown: "invoice<RLO>fdp.exe" would
     * show as "invoiceexe.pdf". */
    { "invoice\u202Efdp.exe", "invoicefdp.exe" },
    { "\u2066a\u2069\u200E\u200F\u061C\u202Ab\u202C\u2028.txt", "ab.txt" },
    /* Nor a hidden file. */
    { ".bashrc", "bashrc" },
    { "...", NULL },
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

/* The name a received file is saved under ends in what it is. */
static void
test_file_name (void)
{
  static const struct
  {
    const char *name;
    const char *type;
    const char *file_name;
  } names[] = {
    { "invoice.html", "text/plain", "invoice.txt" },
    { "photo.png", "image/png", "photo.png" },
    { "scan.jpeg", "image/jpeg", "scan.jpg" },
    { "invoice\u202Efdp.exe", "image/png", "invoicefdp.png" },
    { "../../.profile", "text/plain", "profile.txt" },
    { "archive.tar.gz", "application/pdf", "archive.tar.pdf" },
    { ".", "image/gif", "file.gif" },
    { NULL, "text/plain", "file.txt" },
  };
  g_autofree char *long_name = g_strnfill (300, 'x');
  g_autofree char *shortened = parley_attachment_file_name (long_name, "application/pdf");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *file_name = parley_attachment_file_name (names[i].name, names[i].type);

      g_assert_cmpstr (file_name, ==, names[i].file_name);
    }
  g_assert_cmpuint (strlen (shortened), ==, 64);
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
  g_test_add_func ("/attachment/file-name", test_file_name);
  g_test_add_func ("/attachment/check", test_check);
  return g_test_run ();
}
