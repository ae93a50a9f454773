/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley-login-throttle.h"

#define SECOND G_USEC_PER_SEC

/* Five wrong passwords are free; then each failure doubles the lock, and
 * while locked even the right password must wait. */
static void
test_backoff (void)
{
  g_autoptr(ParleyLoginThrottle) throttle = parley_login_throttle_new ();
  gint64 now = 1000 * SECOND;

  for (int i = 0; i < 5; i++)
    {
      g_assert_cmpint (parley_login_throttle_wait (throttle, "alice", "10.0.0.1", now), ==, 0);
      parley_login_throttle_failed (throttle, "alice", "10.0.0.1", now);
    }
  g_assert_cmpint (parley_login_throttle_wait (throttle, "alice", "10.0.0.1", now), ==, 0);
  parley_login_throttle_failed (throttle, "alice", "10.0.0.1", now);
  g_assert_cmpint (parley_login_throttle_wait (throttle, "alice", "10.0.0.1", now), ==, 1 * SECOND);
  /* The same login from elsewhere is locked as well. */
  g_assert_cmpint (parley_login_throttle_wait (throttle, "alice", "10.0.0.2", now), ==, 1 * SECOND);
  /* Another login from this address is not (yet). */
  g_assert_cmpint (parley_login_throttle_wait (throttle, "bob", "10.0.0.1", now), ==, 0);

  now += 1 * SECOND;
  g_assert_cmpint (parley_login_throttle_wait (throttle, "alice", "10.0.0.1", now), ==, 0);
  parley_login_throttle_failed (throttle, "alice", "10.0.0.1", now);
  g_assert_cmpint (parley_login_throttle_wait (throttle, "alice", "10.0.0.1", now), ==, 2 * SECOND);
  now += 2 * SECOND;
  parley_login_throttle_failed (throttle, "alice", "10.0.0.1", now);
  g_assert_cmpint (parley_login_throttle_wait (throttle, "alice", "10.0.0.1", now), ==, 4 * SECOND);

  /* The lock never passes a quarter of an hour. */
  for (int i = 0; i < 60; i++)
    parley_login_throttle_failed (throttle, "alice", "10.0.0.9", now);
  g_assert_cmpint (parley_login_throttle_wait (throttle, "alice", "10.0.0.3", now), ==, 15 * 60 * SECOND);

  /* The right password (once the lock passed) clears the login. */
  now += 15 * 60 * SECOND;
  parley_login_throttle_succeeded (throttle, "alice");
  parley_login_throttle_failed (throttle, "alice", "10.0.0.4", now);
  g_assert_cmpint (parley_login_throttle_wait (throttle, "alice", "10.0.0.4", now), ==, 0);
}

/* An address guessing many logins is slowed down after twenty failures. */
static void
test_address (void)
{
  g_autoptr(ParleyLoginThrottle) throttle = parley_login_throttle_new ();
  gint64 now = 1000 * SECOND;

  for (int i = 0; i < 20; i++)
    {
      g_autofree char *login = g_strdup_printf ("guess-%d", i);

      parley_login_throttle_failed (throttle, login, "10.0.0.1", now);
    }
  g_assert_cmpint (parley_login_throttle_wait (throttle, "anyone", "10.0.0.1", now), ==, 0);
  parley_login_throttle_failed (throttle, "guess-20", "10.0.0.1", now);
  g_assert_cmpint (parley_login_throttle_wait (throttle, "anyone", "10.0.0.1", now), ==, 1 * SECOND);
  g_assert_cmpint (parley_login_throttle_wait (throttle, "anyone", "10.0.0.2", now), ==, 0);
}

/* Failures long ago are forgotten. */
static void
test_forgets (void)
{
  g_autoptr(ParleyLoginThrottle) throttle = parley_login_throttle_new ();
  gint64 now = 1000 * SECOND;

  for (int i = 0; i < 5; i++)
    parley_login_throttle_failed (throttle, "alice", "10.0.0.1", now);
  now += 16 * 60 * SECOND;
  parley_login_throttle_failed (throttle, "alice", "10.0.0.1", now);
  g_assert_cmpint (parley_login_throttle_wait (throttle, "alice", "10.0.0.1", now), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hub/login-throttle/backoff", test_backoff);
  g_test_add_func ("/hub/login-throttle/address", test_address);
  g_test_add_func ("/hub/login-throttle/forgets", test_forgets);
  return g_test_run ();
}
