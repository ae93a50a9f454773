/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Writes a POSIX ustar archive, one regular file at a time: what a
 * customer's export needs, and nothing more (no directories, links or
 * long names: paths are at most 99 bytes). Any tar reads it. */

#define PARLEY_TAR_MAX_PATH 99

gboolean parley_tar_add_file (GOutputStream  *out,
                              const char     *path,
                              GBytes         *contents,
                              gint64          mtime,
                              GError        **error);
gboolean parley_tar_finish   (GOutputStream  *out,
                              GError        **error);

G_END_DECLS
