/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "parley-store.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_SQLITE_STORE (parley_sqlite_store_get_type ())
G_DECLARE_FINAL_TYPE (ParleySqliteStore, parley_sqlite_store, PARLEY, SQLITE_STORE, ParleyStore)

ParleySqliteStore *parley_sqlite_store_new (const char  *path,
                                            GError     **error);

G_END_DECLS
