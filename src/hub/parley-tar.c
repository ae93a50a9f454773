/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-tar"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "parley-error.h"
#include "parley-tar.h"

#define BLOCK 512

/* Writes @value in octal, NUL-terminated, filling @size bytes. */
static void
put_octal (char    *field,
           gsize    size,
           guint64  value)
{
  char text[32];

  g_snprintf (text, sizeof text, "%0*" G_GINT64_MODIFIER "o", (int) size - 1, value);
  memcpy (field, text, size - 1);
  field[size - 1] = '\0';
}

/**
 * parley_tar_add_file:
 * @out: the archive being written
 * @path: the file's path inside the archive (at most %PARLEY_TAR_MAX_PATH bytes)
 * @contents: what the file holds
 * @mtime: its modification time, µs since the epoch
 * @error: return location for a #GError
 *
 * Appends one regular file, readable by its owner only once extracted.
 *
 * Returns: whether it was written
 */
gboolean
parley_tar_add_file (GOutputStream  *out,
                     const char     *path,
                     GBytes         *contents,
                     gint64          mtime,
                     GError        **error)
{
  char header[BLOCK] = { 0 };
  static const char padding[BLOCK] = { 0 };
  gsize size = g_bytes_get_size (contents);
  guint checksum = 0;

  g_return_val_if_fail (strlen (path) <= PARLEY_TAR_MAX_PATH && *path != '\0', FALSE);

  memcpy (header, path, strlen (path));
  put_octal (header + 100, 8, 0600);
  put_octal (header + 108, 8, 0);
  put_octal (header + 116, 8, 0);
  put_octal (header + 124, 12, size);
  put_octal (header + 136, 12, (guint64) MAX (mtime, 0) / G_USEC_PER_SEC);
  header[156] = '0';
  memcpy (header + 257, "ustar", 6);
  memcpy (header + 263, "00", 2);
  /* The checksum is summed with its own field as spaces. */
  memset (header + 148, ' ', 8);
  for (guint i = 0; i < BLOCK; i++)
    checksum += (guchar) header[i];
  g_snprintf (header + 148, 8, "%06o", checksum);
  header[155] = ' ';

  return g_output_stream_write_all (out, header, BLOCK, NULL, NULL, error) &&
         g_output_stream_write_all (out, g_bytes_get_data (contents, NULL), size, NULL, NULL, error) &&
         g_output_stream_write_all (out, padding, (BLOCK - size % BLOCK) % BLOCK, NULL, NULL, error);
}

/**
 * parley_tar_finish:
 * @out: the archive being written
 * @error: return location for a #GError
 *
 * Ends the archive with its two empty blocks; @out is left open.
 *
 * Returns: whether they were written
 */
gboolean
parley_tar_finish (GOutputStream  *out,
                   GError        **error)
{
  static const char end[2 * BLOCK] = { 0 };

  return g_output_stream_write_all (out, end, sizeof end, NULL, NULL, error);
}
