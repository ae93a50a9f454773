/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-timeline-model"

#include "config.h"

#include <string.h>

#include "parley-timeline-item.h"
#include "parley-timeline-model.h"

/* Rows are measured as a page comes in: smaller pages, shorter hitches. */
#define PAGE_SIZE 50

/**
 * ParleyTimelineModel:
 *
 * One customer's timeline as a #GListModel of #ParleyTimelineItem, oldest
 * first with a heading before each local day. It holds only the pages
 * loaded so far: the view asks for older ones as the agent scrolls up, so
 * a customer with 100,000 events costs what is on screen plus a few pages.
 * Pushed events are appended (or replace the one with the same id, e.g.
 * when its delivery state changes).
 */
struct _ParleyTimelineModel
{
  GObject       parent_instance;

  ParleyClient *client;
  gint64        customer_id;
  char         *channel;
  char         *search;

  GPtrArray    *items;
  gint64        oldest_id;
  gboolean      loading;
  gboolean      complete;
  guint         n_events;
  GCancellable *cancellable;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ParleyTimelineModel, parley_timeline_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum { PROP_0, PROP_LOADING, PROP_COMPLETE, N_PROPS };
static GParamSpec *properties[N_PROPS];

static GType
timeline_get_item_type (GListModel *model)
{
  return PARLEY_TYPE_TIMELINE_ITEM;
}

static guint
timeline_get_n_items (GListModel *model)
{
  return PARLEY_TIMELINE_MODEL (model)->items->len;
}

static gpointer
timeline_get_item (GListModel *model,
                   guint       position)
{
  ParleyTimelineModel *self = PARLEY_TIMELINE_MODEL (model);

  return position < self->items->len ? g_object_ref (g_ptr_array_index (self->items, position)) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = timeline_get_item_type;
  iface->get_n_items = timeline_get_n_items;
  iface->get_item = timeline_get_item;
}

/* The local midnight starting the day @event happened on. */
static GDateTime *
event_day (JsonObject *event)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (json_object_get_int_member_with_default (event, "created", 0) / G_USEC_PER_SEC);

  return g_date_time_new_local (g_date_time_get_year (local), g_date_time_get_month (local),
                                g_date_time_get_day_of_month (local), 0, 0, 0);
}

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  return a && b && g_date_time_equal (a, b);
}

static gboolean
matches_filter (ParleyTimelineModel *self,
                JsonObject          *event)
{
  const char *text;
  g_autofree char *folded_text = NULL;
  g_autofree char *folded_search = NULL;

  if (json_object_get_int_member_with_default (event, "customer_id", 0) != self->customer_id)
    return FALSE;
  if (self->channel && g_strcmp0 (json_object_get_string_member_with_default (event, "channel", NULL), self->channel) != 0)
    return FALSE;
  if (self->search == NULL)
    return TRUE;
  if ((text = json_object_get_string_member_with_default (event, "text", NULL)) == NULL)
    return FALSE;
  folded_text = g_utf8_casefold (text, -1);
  folded_search = g_utf8_casefold (self->search, -1);
  return strstr (folded_text, folded_search) != NULL;
}

static void
page_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ParleyTimelineModel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GDateTime) current = NULL;
  JsonArray *events;
  guint removed = 0;
  guint n;

  answer = parley_client_request_finish (PARLEY_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (answer == NULL || !json_object_has_member (answer, "events"))
    {
      g_warning ("Could not load the timeline: %s", error ? error->message : "no events");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      return;
    }

  /* The hub answers newest first; the model reads oldest first. */
  events = json_object_get_array_member (answer, "events");
  n = json_array_get_length (events);
  stored = parley_timeline_item_new_events (events);
  page = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = n; i-- > 0;)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      g_autoptr(GDateTime) day = event_day (event);

      if (!same_day (day, current))
        {
          g_ptr_array_add (page, parley_timeline_item_new_day (day));
          g_clear_pointer (&current, g_date_time_unref);
          current = g_date_time_ref (day);
        }
      g_ptr_array_add (page, g_object_ref (g_ptr_array_index (stored, i)));
    }
  if (n > 0)
    self->oldest_id = json_object_get_int_member (json_array_get_object_element (events, n - 1), "id");
  self->complete = json_object_get_null_member (answer, "next_before") || n == 0;
  self->n_events += n;

  /* The page's last day may continue into what is already loaded: that
   * day's heading moves up to the page. */
  if (self->items->len > 0 && current &&
      same_day (parley_timeline_item_get_day (g_ptr_array_index (self->items, 0)), current))
    {
      g_ptr_array_remove_index (self->items, 0);
      removed = 1;
    }
  n = self->items->len;
  g_ptr_array_set_size (self->items, n + page->len);
  memmove (self->items->pdata + page->len, self->items->pdata, n * sizeof (gpointer));
  for (guint i = 0; i < page->len; i++)
    self->items->pdata[i] = g_object_ref (g_ptr_array_index (page, i));

  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, page->len);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  if (self->complete)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

static void
parley_timeline_model_dispose (GObject *object)
{
  ParleyTimelineModel *self = PARLEY_TIMELINE_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (parley_timeline_model_parent_class)->dispose (object);
}

static void
parley_timeline_model_finalize (GObject *object)
{
  ParleyTimelineModel *self = PARLEY_TIMELINE_MODEL (object);

  g_ptr_array_unref (self->items);
  g_free (self->channel);
  g_free (self->search);
  G_OBJECT_CLASS (parley_timeline_model_parent_class)->finalize (object);
}

static void
parley_timeline_model_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  ParleyTimelineModel *self = PARLEY_TIMELINE_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_timeline_model_class_init (ParleyTimelineModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = parley_timeline_model_dispose;
  object_class->finalize = parley_timeline_model_finalize;
  object_class->get_property = parley_timeline_model_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
parley_timeline_model_init (ParleyTimelineModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

/* Starts loading the newest page at once. @channel and @search (either may
 * be NULL) filter on the hub. */
ParleyTimelineModel *
parley_timeline_model_new (ParleyClient *client,
                           gint64        customer_id,
                           const char   *channel,
                           const char   *search)
{
  ParleyTimelineModel *self = g_object_new (PARLEY_TYPE_TIMELINE_MODEL, NULL);

  self->client = g_object_ref (client);
  self->customer_id = customer_id;
  self->channel = channel && *channel ? g_strdup (channel) : NULL;
  self->search = search && *search ? g_strdup (search) : NULL;
  parley_timeline_model_load_older (self);
  return self;
}

gint64
parley_timeline_model_get_customer (ParleyTimelineModel *self)
{
  return self->customer_id;
}

gboolean
parley_timeline_model_get_loading (ParleyTimelineModel *self)
{
  return self->loading;
}

/* TRUE once the oldest event is loaded. */
gboolean
parley_timeline_model_get_complete (ParleyTimelineModel *self)
{
  return self->complete;
}

guint
parley_timeline_model_get_n_events (ParleyTimelineModel *self)
{
  return self->n_events;
}

void
parley_timeline_model_load_older (ParleyTimelineModel *self)
{
  GString *path;

  if (self->loading || self->complete)
    return;
  path = g_string_new (NULL);
  g_string_printf (path, "customers/%" G_GINT64_FORMAT "/timeline?limit=%d", self->customer_id, PAGE_SIZE);
  if (self->oldest_id > 0)
    g_string_append_printf (path, "&before=%" G_GINT64_FORMAT, self->oldest_id);
  if (self->channel)
    {
      g_string_append (path, "&channel=");
      g_string_append_uri_escaped (path, self->channel, NULL, FALSE);
    }
  if (self->search)
    {
      g_string_append (path, "&q=");
      g_string_append_uri_escaped (path, self->search, NULL, FALSE);
    }
  self->loading = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  parley_client_request_async (self->client, "GET", path->str, NULL, self->cancellable,
                               page_loaded_cb, g_object_ref (self));
  g_string_free (path, TRUE);
}

/* How far along delivery is: a reply's own answer can arrive after the push
 * saying it was delivered, and must not set it back to pending. */
static int
delivery_rank (JsonObject *event)
{
  const char *delivery = json_object_get_string_member_with_default (event, "delivery", "");
  JsonNode *metadata = json_object_get_member (event, "metadata");

  if (metadata && JSON_NODE_HOLDS_OBJECT (metadata) &&
      json_object_has_member (json_node_get_object (metadata), "read_at"))
    return 3;
  if (g_str_equal (delivery, "delivered") || g_str_equal (delivery, "failed"))
    return 2;
  if (g_str_equal (delivery, "pending"))
    return 1;
  return 0;
}

void
parley_timeline_model_add_event (ParleyTimelineModel *self,
                                 JsonObject          *event)
{
  gint64 id = json_object_get_int_member_with_default (event, "id", 0);
  g_autoptr(GDateTime) day = NULL;
  guint position;

  if (!matches_filter (self, event))
    return;

  /* A known event changed (delivery state): replace it where it is. */
  for (guint i = self->items->len; i-- > 0;)
    {
      ParleyTimelineItem *item = g_ptr_array_index (self->items, i);
      gint64 item_id = parley_timeline_item_get_id (item);

      if (item_id == id)
        {
          g_autoptr(JsonObject) known = parley_timeline_item_dup_event (item);

          if (delivery_rank (known) > delivery_rank (event))
            return;
          g_ptr_array_index (self->items, i) = parley_timeline_item_new_event (event);
          g_object_unref (item);
          g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 1);
          return;
        }
      if (item_id != 0 && item_id < id)
        break;
    }

  /* Until the first page is in, it will bring this event along. */
  if (self->loading && self->n_events == 0)
    return;

  position = self->items->len;
  day = event_day (event);
  for (guint i = self->items->len; i-- > 0;)
    {
      GDateTime *last_day = parley_timeline_item_get_day (g_ptr_array_index (self->items, i));

      if (last_day == NULL)
        continue;
      if (!same_day (last_day, day))
        g_ptr_array_add (self->items, parley_timeline_item_new_day (day));
      break;
    }
  if (self->items->len == 0)
    g_ptr_array_add (self->items, parley_timeline_item_new_day (day));
  g_ptr_array_add (self->items, parley_timeline_item_new_event (event));
  self->n_events++;
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, self->items->len - position);
}
