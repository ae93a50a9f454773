/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-data-dir"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "parley-data-dir.h"
#include "parley-error.h"

/**
 * parley_data_dir_prepare:
 * @dir: the data directory
 * @error: return location for a #GError
 *
 * Creates @dir readable by its owner only, and takes that right away from
 * everyone else if an existing one allowed more: it holds customers' data.
 *
 * Returns: whether @dir is there and private
 */
gboolean
parley_data_dir_prepare (const char  *dir,
                         GError     **error)
{
  int saved_errno;

  if (g_mkdir_with_parents (dir, 0700) == 0 && g_chmod (dir, 0700) == 0)
    return TRUE;
  saved_errno = errno;
  g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_STORAGE, "Cannot prepare the data directory %s: %s",
               dir, g_strerror (saved_errno));
  return FALSE;
}

/**
 * parley_data_dir_database:
 * @dir: the data directory
 *
 * Returns: (transfer full): the path of the database in @dir
 */
char *
parley_data_dir_database (const char *dir)
{
  return g_build_filename (dir, PARLEY_DATA_DIR_DATABASE, NULL);
}

/**
 * parley_data_dir_lock:
 * @dir: the data directory
 * @error: return location for a #GError
 *
 * Takes the data directory for this process alone: a running hub holds
 * it, and a restore takes it so that no hub starts on a half-written
 * database. The lock goes with the descriptor (close it, or exit).
 *
 * Returns: the descriptor holding the lock, or -1 with @error set
 *   (%PARLEY_ERROR_CONFLICT when another process holds it)
 */
int
parley_data_dir_lock (const char  *dir,
                      GError     **error)
{
  g_autofree char *path = g_build_filename (dir, PARLEY_DATA_DIR_LOCK, NULL);
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  int saved_errno;

  if (fd >= 0 && flock (fd, LOCK_EX | LOCK_NB) == 0)
    return fd;
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  if (saved_errno == EWOULDBLOCK)
    g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT,
                 "A hub is running on %s (it holds %s)", dir, path);
  else
    g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_STORAGE, "Cannot lock %s: %s", path, g_strerror (saved_errno));
  return -1;
}
