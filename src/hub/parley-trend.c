/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-trend"

#include "config.h"

#include "parley-trend.h"

#include "parley-error.h"
#include "parley-metrics.h"

/* NPS and CSAT over time: answers summed up in buckets of a local hour or
 * a local day. Days follow the calendar of the time zone, so the day a
 * clock goes forward has 23 hours and the day it goes back 25. */

struct _ParleyTrend
{
  GObject          parent_instance;

  ParleyTrendStep  step;
  GArray          *bounds;    /* gint64 µs: bucket i is [bounds[i], bounds[i + 1]) */
  GArray          *ratings;   /* ParleyRatings, one per bucket */
};

G_DEFINE_FINAL_TYPE (ParleyTrend, parley_trend, G_TYPE_OBJECT)

static gint64
to_usec (GDateTime *time)
{
  return g_date_time_to_unix (time) * G_USEC_PER_SEC;
}

/* The start of the local hour or day @at falls in. */
static GDateTime *
bucket_start (gint64           at,
              ParleyTrendStep  step,
              GTimeZone       *zone)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);

  if (step == PARLEY_TREND_DAY)
    return g_date_time_new (zone, g_date_time_get_year (local), g_date_time_get_month (local),
                            g_date_time_get_day_of_month (local), 0, 0, 0);
  /* Hours are whole hours of the zone's offset, before and after a change. */
  return g_date_time_add_seconds (local, -(g_date_time_get_minute (local) * 60 + g_date_time_get_second (local)));
}

static GDateTime *
bucket_after (GDateTime       *start,
              ParleyTrendStep  step,
              GTimeZone       *zone)
{
  g_autoptr(GDateTime) later = NULL;

  if (step == PARLEY_TREND_HOUR)
    return g_date_time_add_hours (start, 1);
  later = g_date_time_add_days (start, 1);
  return g_date_time_new (zone, g_date_time_get_year (later), g_date_time_get_month (later),
                          g_date_time_get_day_of_month (later), 0, 0, 0);
}

/* Buckets from the one @from falls in up to the one @to falls in;
 * more than PARLEY_TREND_MAX_BUCKETS is refused. */
ParleyTrend *
parley_trend_new (gint64            from,
                  gint64            to,
                  ParleyTrendStep   step,
                  GTimeZone        *zone,
                  GError          **error)
{
  g_autoptr(ParleyTrend) self = g_object_new (PARLEY_TYPE_TREND, NULL);
  g_autoptr(GDateTime) start = bucket_start (from, step, zone);
  gint64 bound = to_usec (start);

  self->step = step;
  g_array_append_val (self->bounds, bound);
  while (bound < to)
    {
      GDateTime *next = bucket_after (start, step, zone);

      g_date_time_unref (start);
      start = next;
      bound = to_usec (start);
      g_array_append_val (self->bounds, bound);
      if (self->bounds->len > PARLEY_TREND_MAX_BUCKETS + 1)
        {
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "A trend has at most %d points",
                       PARLEY_TREND_MAX_BUCKETS);
          return NULL;
        }
    }
  g_array_set_size (self->ratings, self->bounds->len - 1);
  return g_steal_pointer (&self);
}

gint64
parley_trend_get_from (ParleyTrend *self)
{
  return g_array_index (self->bounds, gint64, 0);
}

gint64
parley_trend_get_to (ParleyTrend *self)
{
  return g_array_index (self->bounds, gint64, self->bounds->len - 1);
}

/* An answer given at @at; outside every bucket it is left out. */
void
parley_trend_add (ParleyTrend *self,
                  gint64       at,
                  int          nps,
                  int          csat)
{
  guint low = 0, high = self->ratings->len;

  if (at < parley_trend_get_from (self) || at >= parley_trend_get_to (self))
    return;
  /* The last bucket starting at or before @at. */
  while (high - low > 1)
    {
      guint middle = (low + high) / 2;

      if (g_array_index (self->bounds, gint64, middle) <= at)
        low = middle;
      else
        high = middle;
    }
  parley_ratings_add (&g_array_index (self->ratings, ParleyRatings, low), nps, csat);
}

/* {"step","from","to","points":[{"from","to","nps":{...},"csat":{...}}]} */
JsonObject *
parley_trend_to_json (ParleyTrend *self)
{
  JsonObject *object = json_object_new ();
  JsonArray *points = json_array_new ();

  for (guint i = 0; i < self->ratings->len; i++)
    {
      JsonObject *point = json_object_new ();

      json_object_set_int_member (point, "from", g_array_index (self->bounds, gint64, i));
      json_object_set_int_member (point, "to", g_array_index (self->bounds, gint64, i + 1));
      parley_ratings_to_json (&g_array_index (self->ratings, ParleyRatings, i), point);
      json_array_add_object_element (points, point);
    }
  json_object_set_string_member (object, "step", self->step == PARLEY_TREND_HOUR ? "hour" : "day");
  json_object_set_int_member (object, "from", parley_trend_get_from (self));
  json_object_set_int_member (object, "to", parley_trend_get_to (self));
  json_object_set_array_member (object, "points", points);
  return object;
}

static void
parley_trend_finalize (GObject *object)
{
  ParleyTrend *self = PARLEY_TREND (object);

  g_array_unref (self->bounds);
  g_array_unref (self->ratings);
  G_OBJECT_CLASS (parley_trend_parent_class)->finalize (object);
}

static void
parley_trend_class_init (ParleyTrendClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = parley_trend_finalize;
}

static void
parley_trend_init (ParleyTrend *self)
{
  self->bounds = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->ratings = g_array_new (FALSE, TRUE, sizeof (ParleyRatings));
}
