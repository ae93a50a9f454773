/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-rate-limiter"

#include "config.h"

#include "parley-rate-limiter.h"

/* How fast one sender (a visitor, an address) may go: a token bucket per
 * key that holds up to `burst` messages and refills at `per_second`.
 * Buckets that have refilled completely say nothing a new one would not,
 * so they are dropped now and then: the table holds only recent senders. */

#define SWEEP_EVERY_US (60 * G_USEC_PER_SEC)

typedef struct
{
  double allowance;
  gint64 updated;  /* monotonic */
} Bucket;

struct _ParleyRateLimiter
{
  GObject     parent_instance;

  double      burst;
  double      per_second;
  GHashTable *buckets;     /* key → Bucket */
  gint64      swept_at;
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED (ParleyRateLimiter, parley_rate_limiter, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL, {})

void
parley_rate_limiter_register (GTypeModule *module)
{
  parley_rate_limiter_register_type (module);
}

static void
parley_rate_limiter_finalize (GObject *object)
{
  ParleyRateLimiter *self = PARLEY_RATE_LIMITER (object);

  g_hash_table_unref (self->buckets);
  G_OBJECT_CLASS (parley_rate_limiter_parent_class)->finalize (object);
}

static void
parley_rate_limiter_class_init (ParleyRateLimiterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = parley_rate_limiter_finalize;
}

static void
parley_rate_limiter_class_finalize (ParleyRateLimiterClass *klass)
{
}

static void
parley_rate_limiter_init (ParleyRateLimiter *self)
{
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->swept_at = g_get_monotonic_time ();
}

ParleyRateLimiter *
parley_rate_limiter_new (double burst,
                         double per_second)
{
  ParleyRateLimiter *self = g_object_new (PARLEY_TYPE_RATE_LIMITER, NULL);

  self->burst = burst;
  self->per_second = per_second;
  return self;
}

static void
refill (ParleyRateLimiter *self,
        Bucket            *bucket,
        gint64             now)
{
  bucket->allowance = MIN (self->burst, bucket->allowance + (now - bucket->updated) * self->per_second / G_USEC_PER_SEC);
  bucket->updated = now;
}

static gboolean
refilled (gpointer key,
          gpointer value,
          gpointer user_data)
{
  ParleyRateLimiter *self = user_data;

  refill (self, value, self->swept_at);
  return ((Bucket *) value)->allowance >= self->burst;
}

/* Whether @key may send one more message now; if so, it is counted. */
gboolean
parley_rate_limiter_take (ParleyRateLimiter *self,
                          const char        *key)
{
  gint64 now = g_get_monotonic_time ();
  Bucket *bucket;

  g_return_val_if_fail (PARLEY_IS_RATE_LIMITER (self), FALSE);

  if (now - self->swept_at > SWEEP_EVERY_US)
    {
      self->swept_at = now;
      g_hash_table_foreach_remove (self->buckets, refilled, self);
    }
  bucket = g_hash_table_lookup (self->buckets, key);
  if (bucket == NULL)
    {
      bucket = g_new (Bucket, 1);
      bucket->allowance = self->burst;
      bucket->updated = now;
      g_hash_table_insert (self->buckets, g_strdup (key), bucket);
    }
  refill (self, bucket, now);
  if (bucket->allowance < 1.0)
    return FALSE;
  bucket->allowance -= 1.0;
  return TRUE;
}
