/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley.h"
#include "fuzz-glib.h"

/* A file a customer uploads: byte 0 is the length of its name as sent in
 * X-Parley-Filename (URI-escaped), then the name, then the bytes. What is
 * kept must be a plain name (no directory, no control character, cleaned
 * once for good) and one of the allowed types. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) attachment = NULL;
  g_autofree char *encoded_name = NULL;
  g_autofree char *again = NULL;
  const char *name, *type;
  gsize name_length;

  if (size < 1)
    return 0;
  name_length = MIN (data[0], size - 1);
  encoded_name = g_strndup ((const char *) data + 1, name_length);
  bytes = g_bytes_new (data + 1 + name_length, size - 1 - name_length);
  attachment = parley_attachment_check (bytes, encoded_name, &error);
  if (attachment == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  name = json_object_get_string_member (attachment, "name");
  type = json_object_get_string_member (attachment, "type");
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_null (strchr (name, '/'));
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
  again = parley_attachment_clean_name (name);
  g_assert_cmpstr (again, ==, name);
  g_assert_true (g_strv_contains (parley_attachment_get_types (), type));
  g_assert_cmpint (json_object_get_int_member (attachment, "size"), ==, (gint64) g_bytes_get_size (bytes));
  return 0;
}
