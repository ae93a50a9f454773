/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-live-store"

#include "config.h"

#include "parley-live-store.h"

/* The rows of a live board as a GListModel of one #ParleyLiveItem type,
 * found by key. A row that is already there is updated in place by its
 * owner (rows on screen redraw their cells); only keys that come or go
 * change the list. */
struct _ParleyLiveStore
{
  GObject     parent_instance;

  GType       item_type;
  GPtrArray  *items;   /* ParleyLiveItem, in the order they came */
  GHashTable *by_key;  /* key → ParleyLiveItem (borrowed from items) */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ParleyLiveStore, parley_live_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return PARLEY_LIVE_STORE (model)->item_type;
}

static guint
get_n_items (GListModel *model)
{
  return PARLEY_LIVE_STORE (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  ParleyLiveStore *self = PARLEY_LIVE_STORE (model);

  return position < self->items->len ? g_object_ref (g_ptr_array_index (self->items, position)) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
parley_live_store_finalize (GObject *object)
{
  ParleyLiveStore *self = PARLEY_LIVE_STORE (object);

  g_hash_table_unref (self->by_key);
  g_ptr_array_unref (self->items);
  G_OBJECT_CLASS (parley_live_store_parent_class)->finalize (object);
}

static void
parley_live_store_class_init (ParleyLiveStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = parley_live_store_finalize;
}

static void
parley_live_store_init (ParleyLiveStore *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_key = g_hash_table_new (g_str_hash, g_str_equal);
}

/* A store of @item_type rows (a #ParleyLiveItem type). */
ParleyLiveStore *
parley_live_store_new (GType item_type)
{
  ParleyLiveStore *self = g_object_new (PARLEY_TYPE_LIVE_STORE, NULL);

  g_return_val_if_fail (g_type_is_a (item_type, PARLEY_TYPE_LIVE_ITEM), self);
  self->item_type = item_type;
  return self;
}

ParleyLiveItem *
parley_live_store_lookup (ParleyLiveStore *self,
                          const char      *key)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_STORE (self), NULL);
  return g_hash_table_lookup (self->by_key, key);
}

/* Adds @item (taken), whose key is not in the store yet; returns it. */
ParleyLiveItem *
parley_live_store_add (ParleyLiveStore *self,
                       ParleyLiveItem  *item)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_STORE (self), NULL);
  g_return_val_if_fail (G_TYPE_CHECK_INSTANCE_TYPE (item, self->item_type), NULL);
  g_return_val_if_fail (!g_hash_table_contains (self->by_key, parley_live_item_get_key (item)), NULL);
  g_ptr_array_add (self->items, item);
  g_hash_table_insert (self->by_key, (gpointer) parley_live_item_get_key (item), item);
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
  return item;
}

static void
remove_at (ParleyLiveStore *self,
           guint            position)
{
  ParleyLiveItem *item = g_ptr_array_index (self->items, position);

  g_hash_table_remove (self->by_key, parley_live_item_get_key (item));
  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

void
parley_live_store_remove (ParleyLiveStore *self,
                          const char      *key)
{
  ParleyLiveItem *item;
  guint position;

  g_return_if_fail (PARLEY_IS_LIVE_STORE (self));
  if ((item = g_hash_table_lookup (self->by_key, key)) && g_ptr_array_find (self->items, item, &position))
    remove_at (self, position);
}

/* Removes every row whose key is not in @keys (a set of strings). */
void
parley_live_store_retain (ParleyLiveStore *self,
                          GHashTable      *keys)
{
  g_return_if_fail (PARLEY_IS_LIVE_STORE (self));
  for (guint i = self->items->len; i > 0; i--)
    if (!g_hash_table_contains (keys, parley_live_item_get_key (g_ptr_array_index (self->items, i - 1))))
      remove_at (self, i - 1);
}

void
parley_live_store_clear (ParleyLiveStore *self)
{
  guint removed;

  g_return_if_fail (PARLEY_IS_LIVE_STORE (self));
  removed = self->items->len;
  g_hash_table_remove_all (self->by_key);
  g_ptr_array_set_size (self->items, 0);
  if (removed)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
}
