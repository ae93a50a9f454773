/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_LIVE_ITEM (parley_live_item_get_type ())
G_DECLARE_FINAL_TYPE (ParleyLiveItem, parley_live_item, PARLEY, LIVE_ITEM, GObject)

ParleyLiveItem *parley_live_item_new        (const char     *key,
                                             JsonObject     *object);
const char     *parley_live_item_get_key    (ParleyLiveItem *self);
JsonObject     *parley_live_item_get_object (ParleyLiveItem *self);
void            parley_live_item_set_object (ParleyLiveItem *self,
                                             JsonObject     *object);
void            parley_live_item_changed    (ParleyLiveItem *self);

G_END_DECLS
