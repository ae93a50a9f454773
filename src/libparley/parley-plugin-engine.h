/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <libpeas/peas.h>

G_BEGIN_DECLS

typedef void (*ParleyPluginLoadedFunc) (PeasEngine     *engine,
                                        PeasPluginInfo *info,
                                        gpointer        user_data);

PeasEngine *parley_plugin_engine_new      (const char             *side,
                                           const char             *install_dir,
                                           const char             *typelib_namespace);
void        parley_plugin_engine_load_all (PeasEngine             *engine,
                                           ParleyPluginLoadedFunc  loaded,
                                           gpointer                user_data);
gboolean    parley_plugin_engine_check_kind (PeasPluginInfo       *info,
                                           const char             *kind,
                                           GError                **error);
char       *parley_plugin_engine_dup_user_dir (const char         *side);

G_END_DECLS
