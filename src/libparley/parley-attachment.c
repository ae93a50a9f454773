/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-attachment"

#include "config.h"

#include <gio/gio.h>
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
  const char *extension;
} signatures[] = {
  { "image/png", "\x89PNG\r\n\x1a\n", 8, "png" },
  { "image/jpeg", "\xff\xd8\xff", 3, "jpg" },
  { "image/gif", "GIF8", 4, "gif" },
  { "application/pdf", "%PDF-", 5, "pdf" },
};

#define TEXT_TYPE "text/plain"
#define MAX_NAME_CHARACTERS 200
/* Of a file name made for saving: the part before the extension. */
#define MAX_STEM_CHARACTERS 60

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
    return TEXT_TYPE;
  return NULL;
}

/**
 * parley_attachment_recognise:
 * @data: the bytes of a file someone sent
 *
 * The type a received file may be handed to the desktop's own apps as:
 * one of parley_attachment_get_types(), when parley_attachment_sniff_type()
 * finds it and GIO's sniffing of the bytes finds the very same type. Text
 * that GIO takes for a web page, an SVG picture, a launcher or a script is
 * none of them: handed to the desktop, it would be run or rendered.
 *
 * Returns: (transfer none) (nullable): the media type, or %NULL when the
 *   file must not be opened with the desktop's apps
 */
const char *
parley_attachment_recognise (GBytes *data)
{
  const char *type;
  g_autofree char *guessed = NULL;
  g_autofree char *guessed_type = NULL;
  gsize size;
  const guchar *bytes;

  g_return_val_if_fail (data != NULL, NULL);

  if ((type = parley_attachment_sniff_type (data)) == NULL)
    return NULL;
  bytes = g_bytes_get_data (data, &size);
  guessed = g_content_type_guess (NULL, bytes, size, NULL);
  guessed_type = g_content_type_get_mime_type (guessed);
  return g_strcmp0 (guessed_type, type) == 0 ? type : NULL;
}

static const char *
extension_of (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (signatures); i++)
    if (g_str_equal (type, signatures[i].type))
      return signatures[i].extension;
  return "txt";
}

/**
 * parley_attachment_file_name:
 * @name: (nullable): the file's name as its sender gave it
 * @type: the type the bytes were recognised as, one of
 *   parley_attachment_get_types()
 *
 * A name to save a received file under: the sender's name, cleaned as
 * parley_attachment_clean_name() does and without its extension, shortened
 * to 60 characters, then the extension of @type. So a text file called
 * `invoice.html` is saved as `invoice.txt`, and whatever opens it by its
 * name opens it as what it is.
 *
 * Returns: (transfer full): the file name
 */
char *
parley_attachment_file_name (const char *name,
                             const char *type)
{
  g_autofree char *clean = parley_attachment_clean_name (name);
  g_autofree char *stem = NULL;
  const char *dot;

  g_return_val_if_fail (type != NULL, NULL);

  if (clean && (dot = strrchr (clean, '.')))
    *(char *) dot = '\0';
  stem = clean ? g_utf8_substring (clean, 0, MIN (g_utf8_strlen (clean, -1), MAX_STEM_CHARACTERS)) : NULL;
  if (stem)
    g_strstrip (stem);
  return g_strconcat (stem && *stem ? stem : "file", ".", extension_of (type), NULL);
}

/**
 * parley_attachment_clean_name:
 * @name: a file name as the sender gave it
 *
 * The name without any directory (`/` and `\\` both separate them),
 * control characters, characters that reorder text (bidirectional
 * overrides, isolates and marks, which make `exe.pdf` of
 * `fdp.exe`) or leading dots (which hide a file), at most 200 characters:
 * safe to save a file under and to show. Markup in it stays as it is
 * (`<b>.pdf`); whoever shows it shows it as text.
 *
 * Returns: (transfer full) (nullable): the name, or %NULL when it is not
 *   UTF-8 or nothing is left of it
 */
/* Characters that only change how the text around them is ordered or
 * broken into lines. */
static gboolean
is_layout_control (gunichar c)
{
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0x200E || c == 0x200F || c == 0x061C || c == 0x2028 || c == 0x2029;
}

char *
parley_attachment_clean_name (const char *name)
{
  const char *base;
  GString *clean;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return NULL;
  base = name;
  for (const char *p = name; *p; p++)
    if (*p == '/' || *p == '\\')
      base = p + 1;
  clean = g_string_new (NULL);
  for (const char *p = base; *p && g_utf8_strlen (clean->str, -1) < MAX_NAME_CHARACTERS; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_iscntrl (c) && !is_layout_control (c) && !(c == '.' && clean->len == 0))
        g_string_append_unichar (clean, c);
    }
  if (clean->len == 0)
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
