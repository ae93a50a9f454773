/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_LIVE_ITEM (parley_live_item_get_type ())
G_DECLARE_DERIVABLE_TYPE (ParleyLiveItem, parley_live_item, PARLEY, LIVE_ITEM, GObject)

struct _ParleyLiveItemClass
{
  GObjectClass parent_class;
};

const char *parley_live_item_get_key    (ParleyLiveItem  *self);
void        parley_live_item_changed    (ParleyLiveItem  *self);

/* For the item types: set a field and notify its property when it changed. */
void        parley_live_item_set_string (ParleyLiveItem  *self,
                                         char           **field,
                                         const char      *value,
                                         GParamSpec      *pspec);
void        parley_live_item_set_int64  (ParleyLiveItem  *self,
                                         gint64          *field,
                                         gint64           value,
                                         GParamSpec      *pspec);
void        parley_live_item_set_object (ParleyLiveItem  *self,
                                         JsonObject     **field,
                                         JsonObject      *value,
                                         GParamSpec      *pspec);

G_END_DECLS
