/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley.h"

/* A connector whose attempts go as the test says: each takes the next
 * outcome from a script ("ok", "fail", or "hang": never answers until
 * the test answers it late). */

#define TEST_TYPE_CONNECTOR (test_connector_get_type ())
G_DECLARE_FINAL_TYPE (TestConnector, test_connector, TEST, CONNECTOR, ParleyConnector)

struct _TestConnector
{
  ParleyConnector  parent_instance;

  GQueue           script;       /* const char *outcomes */
  GTask           *hanging;      /* the attempt left without an answer */
  guint            attempts;
  guint            disconnects;
};

G_DEFINE_FINAL_TYPE (TestConnector, test_connector, PARLEY_TYPE_CONNECTOR)

static void
test_connector_connect_async (ParleyConnector     *connector,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  TestConnector *self = TEST_CONNECTOR (connector);
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  const char *outcome = g_queue_pop_head (&self->script);

  self->attempts++;
  g_assert_nonnull (outcome);
  if (g_str_equal (outcome, "ok"))
    g_task_return_boolean (task, TRUE);
  else if (g_str_equal (outcome, "fail"))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "Connection refused by 127.0.0.1:993");
  else
    g_set_object (&self->hanging, task);
}

static gboolean
test_connector_connect_finish (ParleyConnector  *connector,
                               GAsyncResult     *result,
                               GError          **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_connector_disconnect (ParleyConnector *connector)
{
  TEST_CONNECTOR (connector)->disconnects++;
}

static void
test_connector_finalize (GObject *object)
{
  TestConnector *self = TEST_CONNECTOR (object);

  g_queue_clear (&self->script);
  g_clear_object (&self->hanging);
  G_OBJECT_CLASS (test_connector_parent_class)->finalize (object);
}

static void
test_connector_class_init (TestConnectorClass *klass)
{
  ParleyConnectorClass *connector_class = PARLEY_CONNECTOR_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_connector_finalize;
  connector_class->connect_async = test_connector_connect_async;
  connector_class->connect_finish = test_connector_connect_finish;
  connector_class->disconnect = test_connector_disconnect;
}

static void
test_connector_init (TestConnector *self)
{
}

static TestConnector *
connector_new (const char *first,
               ...)
{
  TestConnector *self = g_object_new (TEST_TYPE_CONNECTOR, "name", "support@example.com (IMAP)",
                                      "first-retry", 20, "max-retry", 50, "attempt-timeout", 200, NULL);
  va_list args;

  va_start (args, first);
  for (const char *outcome = first; outcome; outcome = va_arg (args, const char *))
    g_queue_push_tail (&self->script, (gpointer) outcome);
  va_end (args);
  return self;
}

static gboolean
reached (ParleyConnector      *connector,
         ParleyConnectorState  state,
         guint                 timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (parley_connector_get_state (connector) != state && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  return parley_connector_get_state (connector) == state;
}

/* Failures are retried after a backoff that doubles up to its cap. */
static void
test_backoff (void)
{
  g_autoptr(TestConnector) test = connector_new ("fail", "fail", "fail", "ok", NULL);
  ParleyConnector *connector = PARLEY_CONNECTOR (test);
  gint64 before = g_get_real_time ();

  g_assert_cmpint (parley_connector_get_state (connector), ==, PARLEY_CONNECTOR_STOPPED);
  parley_connector_start (connector);
  g_assert_cmpint (parley_connector_get_state (connector), ==, PARLEY_CONNECTOR_CONNECTING);
  g_assert_true (reached (connector, PARLEY_CONNECTOR_FAILED, 1000));
  g_assert_cmpstr (parley_connector_get_message (connector), ==, "Connection refused by 127.0.0.1:993");
  g_assert_cmpuint (parley_connector_get_failures (connector), ==, 1);
  /* the first wait is first-retry (20 ms), then 40, then the cap of 50 */
  g_assert_cmpint (parley_connector_get_next_attempt (connector) - before, >=, 20000);
  g_assert_cmpint (parley_connector_get_next_attempt (connector) - before, <, 40000);
  g_assert_true (reached (connector, PARLEY_CONNECTOR_CONNECTED, 2000));
  g_assert_cmpuint (test->attempts, ==, 4);
  g_assert_cmpuint (parley_connector_get_failures (connector), ==, 0);
  g_assert_null (parley_connector_get_message (connector));
  g_assert_cmpint (parley_connector_get_next_attempt (connector), ==, 0);
  /* each failed attempt was cleaned up before the next */
  g_assert_cmpuint (test->disconnects, ==, 3);
  g_assert_cmpint (g_get_real_time () - before, >=, (20 + 40 + 50) * 1000);
}

/* A connection that breaks later is opened again. */
static void
test_lost (void)
{
  g_autoptr(TestConnector) test = connector_new ("ok", "ok", NULL);
  ParleyConnector *connector = PARLEY_CONNECTOR (test);
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "The server said BYE");

  parley_connector_start (connector);
  g_assert_true (reached (connector, PARLEY_CONNECTOR_CONNECTED, 1000));
  parley_connector_lost (connector, error);
  g_assert_cmpint (parley_connector_get_state (connector), ==, PARLEY_CONNECTOR_FAILED);
  g_assert_cmpstr (parley_connector_get_message (connector), ==, "The server said BYE");
  g_assert_cmpuint (test->disconnects, ==, 1);
  g_assert_true (reached (connector, PARLEY_CONNECTOR_CONNECTED, 2000));
  g_assert_cmpuint (test->attempts, ==, 2);
}

/* An attempt that never answers times out and is retried; its late
 * answer is not heard. */
static void
test_hanging (void)
{
  g_autoptr(TestConnector) test = connector_new ("hang", "hang", NULL);
  ParleyConnector *connector = PARLEY_CONNECTOR (test);
  g_autoptr(GTask) late = NULL;

  parley_connector_start (connector);
  g_assert_cmpint (parley_connector_get_state (connector), ==, PARLEY_CONNECTOR_CONNECTING);
  g_assert_true (reached (connector, PARLEY_CONNECTOR_FAILED, 2000));
  g_assert_cmpstr (parley_connector_get_message (connector), ==, "No connection within 0.2 s");
  late = g_steal_pointer (&test->hanging);
  g_assert_true (reached (connector, PARLEY_CONNECTOR_CONNECTING, 2000));
  g_task_return_boolean (late, TRUE);
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (parley_connector_get_state (connector), ==, PARLEY_CONNECTOR_CONNECTING);

  /* Stopped during an attempt: STOPPED, and the attempt's answer is not heard. */
  parley_connector_stop (connector);
  g_assert_cmpint (parley_connector_get_state (connector), ==, PARLEY_CONNECTOR_STOPPED);
  g_task_return_boolean (test->hanging, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (parley_connector_get_state (connector), ==, PARLEY_CONNECTOR_STOPPED);
  g_assert_cmpint (parley_connector_get_next_attempt (connector), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/connector/backoff", test_backoff);
  g_test_add_func ("/connector/lost", test_lost);
  g_test_add_func ("/connector/hanging", test_hanging);
  return g_test_run ();
}
