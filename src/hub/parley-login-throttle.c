/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-login-throttle"

#include "config.h"

#include "parley-login-throttle.h"

/* One person mistypes a few times; many people may share an office's
 * address, so an address gets more failures before it is slowed down. */
#define FREE_FAILURES_PER_LOGIN 5
#define FREE_FAILURES_PER_ADDRESS 20
#define FIRST_LOCK ((gint64) G_USEC_PER_SEC)
#define LONGEST_LOCK ((gint64) 15 * 60 * G_USEC_PER_SEC)
/* A quiet quarter of an hour wipes the slate clean. */
#define FORGET_AFTER ((gint64) 15 * 60 * G_USEC_PER_SEC)
/* Attackers choose the logins and may have many addresses: the table
 * stays this small, forgetting the quiet ones first. */
#define MAX_ENTRIES 100000

typedef struct
{
  guint  failures;
  gint64 last_failure;
  gint64 locked_until;
} Failures;

struct _ParleyLoginThrottle
{
  GObject     parent_instance;

  GHashTable *entries;  /* "login:NAME" or "address:ADDR" → Failures */
};

G_DEFINE_FINAL_TYPE (ParleyLoginThrottle, parley_login_throttle, G_TYPE_OBJECT)

static void
parley_login_throttle_finalize (GObject *object)
{
  ParleyLoginThrottle *self = PARLEY_LOGIN_THROTTLE (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);
  G_OBJECT_CLASS (parley_login_throttle_parent_class)->finalize (object);
}

static void
parley_login_throttle_class_init (ParleyLoginThrottleClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = parley_login_throttle_finalize;
}

static void
parley_login_throttle_init (ParleyLoginThrottle *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

ParleyLoginThrottle *
parley_login_throttle_new (void)
{
  return g_object_new (PARLEY_TYPE_LOGIN_THROTTLE, NULL);
}

static char *
login_key (const char *login)
{
  /* Logins are matched as the store matches them. */
  return g_strconcat ("login:", login, NULL);
}

static char *
address_key (const char *address)
{
  return g_strconcat ("address:", address ? address : "", NULL);
}

static gint64
wait_for (ParleyLoginThrottle *self,
          const char          *key,
          gint64               now)
{
  Failures *failures = g_hash_table_lookup (self->entries, key);

  return failures != NULL && failures->locked_until > now ? failures->locked_until - now : 0;
}

/* How long the caller must wait before trying again: 0 if they may now. */
gint64
parley_login_throttle_wait (ParleyLoginThrottle *self,
                            const char          *login,
                            const char          *address,
                            gint64               now)
{
  g_autofree char *by_login = login_key (login);
  g_autofree char *by_address = address_key (address);

  g_return_val_if_fail (PARLEY_IS_LOGIN_THROTTLE (self), 0);
  return MAX (wait_for (self, by_login, now), wait_for (self, by_address, now));
}

static void
forget_quiet (ParleyLoginThrottle *self,
              gint64               now)
{
  GHashTableIter iter;
  Failures *failures;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &failures))
    if (failures->locked_until <= now && now - failures->last_failure > FORGET_AFTER)
      g_hash_table_iter_remove (&iter);
}

static void
count_failure (ParleyLoginThrottle *self,
               char                *key,
               guint                free_failures,
               gint64               now)
{
  Failures *failures = g_hash_table_lookup (self->entries, key);

  if (failures == NULL)
    {
      if (g_hash_table_size (self->entries) >= MAX_ENTRIES)
        forget_quiet (self, now);
      if (g_hash_table_size (self->entries) >= MAX_ENTRIES)
        {
          /* Still full of live entries: an attack from everywhere at once.
           * The newcomer is not remembered, but hashing stays bounded. */
          g_free (key);
          return;
        }
      failures = g_new0 (Failures, 1);
      g_hash_table_insert (self->entries, key, failures);
    }
  else
    g_free (key);

  if (now - failures->last_failure > FORGET_AFTER)
    failures->failures = 0;
  failures->failures++;
  failures->last_failure = now;
  if (failures->failures > free_failures)
    {
      guint doublings = MIN (failures->failures - free_failures - 1, 20);

      failures->locked_until = now + MIN (FIRST_LOCK << doublings, LONGEST_LOCK);
    }
}

void
parley_login_throttle_failed (ParleyLoginThrottle *self,
                              const char          *login,
                              const char          *address,
                              gint64               now)
{
  g_return_if_fail (PARLEY_IS_LOGIN_THROTTLE (self));
  count_failure (self, login_key (login), FREE_FAILURES_PER_LOGIN, now);
  count_failure (self, address_key (address), FREE_FAILURES_PER_ADDRESS, now);
}

/* The right password clears the login's failures; the address's stay, so
 * one account of one's own cannot be used to go on guessing others. */
void
parley_login_throttle_succeeded (ParleyLoginThrottle *self,
                                 const char          *login)
{
  g_autofree char *by_login = login_key (login);

  g_return_if_fail (PARLEY_IS_LOGIN_THROTTLE (self));
  g_hash_table_remove (self->entries, by_login);
}
