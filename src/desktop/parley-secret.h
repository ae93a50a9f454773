/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     parley_secret_lookup_async  (const char           *hub_url,
                                      const char           *login,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
char    *parley_secret_lookup_finish (GAsyncResult         *result,
                                      GError              **error);
void     parley_secret_store_async   (const char           *hub_url,
                                      const char           *login,
                                      const char           *password,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
gboolean parley_secret_store_finish  (GAsyncResult         *result,
                                      GError              **error);
void     parley_secret_clear         (const char           *hub_url,
                                      const char           *login);

G_END_DECLS
