/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-attachment"

#include "config.h"

#include <string.h>

#include "parley-attachment.h"
#include "parley-error.h"

/* Files people send each other through Parley: what kinds are allowed
 * (told by the bytes, never by the name or the declared type), what a name
 * may look like, and how large a file may be. The hub's upload endpoints
 * and channel plugins check files with the same rules, so a file one side
 * may send the other side may send too. */

static const struct
{
  const char *type;
  const char *magic;
  gsize       length;
} signatures[] = {
  { "image/png", "\x89PNG\r\n\x1a\n", 8 },
  { "image/jpeg", "\xff\xd8\xff", 3 },
  { "image/gif", "GIF8", 4 },
  { "application/pdf", "%PDF-", 5 },
};

#define MAX_NAME_CHARACTERS 200

/**
 * parley_attachment_get_types:
 *
 * The media types a file may have: PNG, JPEG and GIF pictures, PDF
 * documents and plain text. For file choosers and `accept` attributes;
 * what counts is parley_attachment_sniff_type().
 *
 * Returns: (transfer none) (array zero-terminated=1): the media types
 */
const char * const *
parley_attachment_get_types (void)
{
  static const char * const types[] = {
    "image/png", "image/jpeg", "image/gif", "application/pdf", "text/plain", NULL,
  };

  return types;
}

/**
 * parley_attachment_sniff_type:
 * @data: a file's bytes
 *
 * The type the bytes really are, if it is one that may be sent: pictures
 * and PDF by their signature, plain text when the whole file is UTF-8
 * without NUL bytes. A program or a web page renamed `photo.png` is
 * neither.
 *
 * Returns: (transfer none) (nullable): the media type, or %NULL when the
 *   file may not be sent
 */
const char *
parley_attachment_sniff_type (GBytes *data)
{
  gsize size;
  const char *bytes;

  g_return_val_if_fail (data != NULL, NULL);

  bytes = g_bytes_get_data (data, &size);
  for (guint i = 0; i < G_N_ELEMENTS (signatures); i++)
    if (size >= signatures[i].length && memcmp (bytes, signatures[i].magic, signatures[i].length) == 0)
      return signatures[i].type;
  if (size > 0 && g_utf8_validate_len (bytes, size, NULL) && memchr (bytes, '\0', size) == NULL)
    return "text/plain";
  return NULL;
}

/**
 * parley_attachment_clean_name:
 * @name: a file name as the sender gave it
 *
 * The name without any directory or control characters, at most 200
 * characters: safe to save a file under and to show. Markup in it stays
 * as it is (`<b>.pdf`); whoever shows it shows it as text.
 *
 * Returns: (transfer full) (nullable): the name, or %NULL when it is not
 *   UTF-8 or nothing is left of it
 */
char *
parley_attachment_clean_name (const char *name)
{
  g_autofree char *base = NULL;
  GString *clean;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return NULL;
  base = g_path_get_basename (name);
  clean = g_string_new (NULL);
  for (const char *p = base; *p && g_utf8_strlen (clean->str, -1) < MAX_NAME_CHARACTERS; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_iscntrl (c))
        g_string_append_unichar (clean, c);
    }
  if (clean->len == 0 || g_str_equal (clean->str, ".") || g_str_equal (clean->str, "..") ||
      g_str_equal (clean->str, "/"))
    {
      g_string_free (clean, TRUE);
      return NULL;
    }
  return g_string_free (clean, FALSE);
}

/**
 * parley_attachment_check_size:
 * @size: a file's size in bytes
 * @error: return location for a #GError
 *
 * Whether a file of @size bytes may be sent, so a client can say so before
 * it reads or uploads the file.
 *
 * Returns: %TRUE if it may, else %FALSE with %PARLEY_ERROR_TOO_LARGE
 */
gboolean
parley_attachment_check_size (guint64   size,
                              GError  **error)
{
  if (size <= PARLEY_ATTACHMENT_MAX_SIZE)
    return TRUE;
  g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_TOO_LARGE, "Files may be up to 5 MB");
  return FALSE;
}

/**
 * parley_attachment_check:
 * @data: the file's bytes
 * @encoded_name: (nullable): its name, percent-encoded as HTTP headers
 *   carry it (`X-Parley-Filename`)
 * @error: return location for a #GError
 *
 * Checks a file someone wants to send: at most
 * %PARLEY_ATTACHMENT_MAX_SIZE bytes (else %PARLEY_ERROR_TOO_LARGE), a
 * usable name and an allowed type (else %PARLEY_ERROR_INVALID). The
 * messages say what is wrong in words a customer understands.
 *
 * Returns: (transfer full) (nullable): `{name, type, size}` with the clean
 *   name and the type the bytes are, or %NULL with @error set
 */
JsonObject *
parley_attachment_check (GBytes      *data,
                         const char  *encoded_name,
                         GError     **error)
{
  g_autofree char *decoded = NULL;
  g_autofree char *name = NULL;
  const char *type;
  JsonObject *attachment;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!parley_attachment_check_size (g_bytes_get_size (data), error))
    return NULL;
  decoded = encoded_name ? g_uri_unescape_string (encoded_name, NULL) : NULL;
  if (!(name = parley_attachment_clean_name (decoded)))
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "The file needs a name");
      return NULL;
    }
  if (!(type = parley_attachment_sniff_type (data)))
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                           "Only pictures (PNG, JPEG, GIF), PDF documents and plain text can be sent");
      return NULL;
    }
  attachment = json_object_new ();
  json_object_set_string_member (attachment, "name", name);
  json_object_set_string_member (attachment, "type", type);
  json_object_set_int_member (attachment, "size", (gint64) g_bytes_get_size (data));
  return attachment;
}

/**
 * parley_attachment_summary:
 * @attachment: a kept file's record, as parley_host_get_attachment() gives it
 *
 * What a message says of its file, and all its recipients see: `id`,
 * `name`, `type` and `size`, without who uploaded it or when.
 *
 * Returns: (transfer full): a new object with those members
 */
JsonObject *
parley_attachment_summary (JsonObject *attachment)
{
  static const char * const members[] = { "id", "name", "type", "size" };
  JsonObject *summary;

  g_return_val_if_fail (attachment != NULL, NULL);

  summary = json_object_new ();
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (json_object_has_member (attachment, members[i]))
      json_object_set_member (summary, members[i], json_node_copy (json_object_get_member (attachment, members[i])));
  return summary;
}
