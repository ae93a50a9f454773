/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "parley-live-item.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_LIVE_STORE (parley_live_store_get_type ())
G_DECLARE_FINAL_TYPE (ParleyLiveStore, parley_live_store, PARLEY, LIVE_STORE, GObject)

ParleyLiveStore *parley_live_store_new       (GType            item_type);
ParleyLiveItem  *parley_live_store_lookup    (ParleyLiveStore *self,
                                              const char      *key);
ParleyLiveItem  *parley_live_store_add       (ParleyLiveStore *self,
                                              ParleyLiveItem  *item);
void             parley_live_store_remove    (ParleyLiveStore *self,
                                              const char      *key);
void             parley_live_store_retain    (ParleyLiveStore *self,
                                              GHashTable      *keys);
void             parley_live_store_clear     (ParleyLiveStore *self);

G_END_DECLS
