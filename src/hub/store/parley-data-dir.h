/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A hub's data directory: the database (with its WAL and shared-memory
 * files) and the lock a running hub holds. Nothing else in it matters:
 * settings and attachments live in the database. */

#define PARLEY_DATA_DIR_DATABASE "parley.db"
#define PARLEY_DATA_DIR_LOCK     "parleyd.lock"

gboolean  parley_data_dir_prepare  (const char  *dir,
                                    GError     **error);
char     *parley_data_dir_database (const char  *dir);
int       parley_data_dir_lock     (const char  *dir,
                                    GError     **error);

G_END_DECLS
