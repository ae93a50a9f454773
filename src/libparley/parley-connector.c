/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-connector"

#include "config.h"

#include "parley-connector.h"
#include "parley-enums.h"

/* The life of a connector: STOPPED -start-> CONNECTING -ok-> CONNECTED;
 * a failed or timed-out attempt, or a connection lost, goes to FAILED
 * and, after the backoff, to CONNECTING again; stop goes to STOPPED from
 * anywhere. Each attempt has a number: a subclass that answers late (after
 * its timeout, or after a stop) is not heard. */

typedef struct
{
  char                 *name;
  ParleyConnectorState  state;
  char                 *message;
  gint64                since;
  guint                 failures;
  gint64                next_attempt;
  guint                 first_retry_ms;
  guint                 max_retry_ms;
  guint                 attempt_timeout_ms;
  guint                 attempt;        /* number of the attempt under way */
  GCancellable         *cancellable;    /* the attempt under way */
  guint                 retry_source;
  guint                 timeout_source;
} ParleyConnectorPrivate;

/**
 * ParleyConnector:
 *
 * A long-running connection of a channel's, run by the hub: see
 * #ParleyConnectorClass.
 */
G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (ParleyConnector, parley_connector, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_STATE,
  PROP_MESSAGE,
  PROP_SINCE,
  PROP_FAILURES,
  PROP_NEXT_ATTEMPT,
  PROP_FIRST_RETRY,
  PROP_MAX_RETRY,
  PROP_ATTEMPT_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void begin_attempt (ParleyConnector *self);

static void
set_state (ParleyConnector      *self,
           ParleyConnectorState  state,
           const char           *message,
           gint64                next_attempt)
{
  ParleyConnectorPrivate *priv = parley_connector_get_instance_private (self);

  g_object_freeze_notify (G_OBJECT (self));
  if (priv->state != state)
    {
      priv->state = state;
      priv->since = g_get_real_time ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SINCE]);
    }
  if (g_strcmp0 (priv->message, message) != 0)
    {
      g_free (priv->message);
      priv->message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
  if (priv->next_attempt != next_attempt)
    {
      priv->next_attempt = next_attempt;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_ATTEMPT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* Ends the attempt under way, if any, without hearing its answer. */
static void
drop_attempt (ParleyConnector *self)
{
  ParleyConnectorPrivate *priv = parley_connector_get_instance_private (self);

  priv->attempt++;
  g_clear_handle_id (&priv->timeout_source, g_source_remove);
  if (priv->cancellable != NULL)
    g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
}

static gboolean
retry_cb (gpointer user_data)
{
  ParleyConnector *self = user_data;
  ParleyConnectorPrivate *priv = parley_connector_get_instance_private (self);

  priv->retry_source = 0;
  begin_attempt (self);
  return G_SOURCE_REMOVE;
}

static void
fail (ParleyConnector *self,
      const char      *message)
{
  ParleyConnectorPrivate *priv = parley_connector_get_instance_private (self);
  guint delay = priv->first_retry_ms;

  drop_attempt (self);
  PARLEY_CONNECTOR_GET_CLASS (self)->disconnect (self);
  priv->failures++;
  for (guint i = 1; i < priv->failures && delay < priv->max_retry_ms; i++)
    delay *= 2;
  delay = MIN (delay, priv->max_retry_ms);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURES]);
  g_message ("%s: %s; trying again in %u ms", priv->name, message, delay);
  g_clear_handle_id (&priv->retry_source, g_source_remove);
  priv->retry_source = g_timeout_add (delay, retry_cb, self);
  set_state (self, PARLEY_CONNECTOR_FAILED, message, g_get_real_time () + (gint64) delay * 1000);
}

typedef struct
{
  ParleyConnector *self;
  guint            attempt;
} ParleyConnectorAttempt;

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ParleyConnectorAttempt *attempt = user_data;
  g_autoptr(ParleyConnector) self = attempt->self;
  ParleyConnectorPrivate *priv = parley_connector_get_instance_private (self);
  g_autoptr(GError) error = NULL;
  gboolean connected;

  connected = PARLEY_CONNECTOR_GET_CLASS (self)->connect_finish (self, result, &error);
  if (attempt->attempt != priv->attempt)
    {
      g_debug ("%s: an attempt answered after it was given up", priv->name);
      g_free (attempt);
      return;
    }
  g_free (attempt);
  if (!connected)
    {
      fail (self, error ? error->message : "The connection failed without saying why");
      return;
    }
  g_clear_handle_id (&priv->timeout_source, g_source_remove);
  g_clear_object (&priv->cancellable);
  if (priv->failures > 0)
    {
      priv->failures = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURES]);
    }
  g_message ("%s: connected", priv->name);
  set_state (self, PARLEY_CONNECTOR_CONNECTED, NULL, 0);
}

static gboolean
attempt_timeout_cb (gpointer user_data)
{
  ParleyConnector *self = user_data;
  ParleyConnectorPrivate *priv = parley_connector_get_instance_private (self);
  g_autofree char *message = g_strdup_printf ("No connection within %g s", priv->attempt_timeout_ms / 1000.0);

  priv->timeout_source = 0;
  fail (self, message);
  return G_SOURCE_REMOVE;
}

static void
begin_attempt (ParleyConnector *self)
{
  ParleyConnectorPrivate *priv = parley_connector_get_instance_private (self);
  ParleyConnectorAttempt *attempt = g_new0 (ParleyConnectorAttempt, 1);

  drop_attempt (self);
  priv->cancellable = g_cancellable_new ();
  priv->timeout_source = g_timeout_add (priv->attempt_timeout_ms, attempt_timeout_cb, self);
  attempt->self = g_object_ref (self);
  attempt->attempt = priv->attempt;
  set_state (self, PARLEY_CONNECTOR_CONNECTING, priv->message, 0);
  PARLEY_CONNECTOR_GET_CLASS (self)->connect_async (self, priv->cancellable, connected_cb, attempt);
}

static void
parley_connector_real_disconnect (ParleyConnector *self)
{
}

static void
parley_connector_dispose (GObject *object)
{
  ParleyConnector *self = PARLEY_CONNECTOR (object);
  ParleyConnectorPrivate *priv = parley_connector_get_instance_private (self);

  drop_attempt (self);
  g_clear_handle_id (&priv->retry_source, g_source_remove);
  G_OBJECT_CLASS (parley_connector_parent_class)->dispose (object);
}

static void
parley_connector_finalize (GObject *object)
{
  ParleyConnectorPrivate *priv = parley_connector_get_instance_private (PARLEY_CONNECTOR (object));

  g_free (priv->name);
  g_free (priv->message);
  G_OBJECT_CLASS (parley_connector_parent_class)->finalize (object);
}

static void
parley_connector_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ParleyConnectorPrivate *priv = parley_connector_get_instance_private (PARLEY_CONNECTOR (object));

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, priv->state);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, priv->message);
      break;
    case PROP_SINCE:
      g_value_set_int64 (value, priv->since);
      break;
    case PROP_FAILURES:
      g_value_set_uint (value, priv->failures);
      break;
    case PROP_NEXT_ATTEMPT:
      g_value_set_int64 (value, priv->next_attempt);
      break;
    case PROP_FIRST_RETRY:
      g_value_set_uint (value, priv->first_retry_ms);
      break;
    case PROP_MAX_RETRY:
      g_value_set_uint (value, priv->max_retry_ms);
      break;
    case PROP_ATTEMPT_TIMEOUT:
      g_value_set_uint (value, priv->attempt_timeout_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_connector_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ParleyConnectorPrivate *priv = parley_connector_get_instance_private (PARLEY_CONNECTOR (object));

  switch (prop_id)
    {
    case PROP_NAME:
      priv->name = g_value_dup_string (value);
      break;
    case PROP_FIRST_RETRY:
      priv->first_retry_ms = g_value_get_uint (value);
      break;
    case PROP_MAX_RETRY:
      priv->max_retry_ms = g_value_get_uint (value);
      break;
    case PROP_ATTEMPT_TIMEOUT:
      priv->attempt_timeout_ms = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_connector_class_init (ParleyConnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = parley_connector_dispose;
  object_class->finalize = parley_connector_finalize;
  object_class->get_property = parley_connector_get_property;
  object_class->set_property = parley_connector_set_property;
  klass->disconnect = parley_connector_real_disconnect;

  /**
   * ParleyConnector:name:
   *
   * What it connects, for people: "support@example.com (IMAP)".
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * ParleyConnector:state:
   *
   * Where the connection stands.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, PARLEY_TYPE_CONNECTOR_STATE, PARLEY_CONNECTOR_STOPPED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ParleyConnector:message:
   *
   * Why the last attempt failed or the connection was lost, or %NULL.
   */
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ParleyConnector:since:
   *
   * When it entered its state, in µs since the epoch.
   */
  properties[PROP_SINCE] =
    g_param_spec_int64 ("since", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ParleyConnector:failures:
   *
   * Attempts failed in a row since it was last connected.
   */
  properties[PROP_FAILURES] =
    g_param_spec_uint ("failures", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ParleyConnector:next-attempt:
   *
   * When the next attempt is due (in µs since the epoch), or 0.
   */
  properties[PROP_NEXT_ATTEMPT] =
    g_param_spec_int64 ("next-attempt", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ParleyConnector:first-retry:
   *
   * The wait after the first failure, in ms; it doubles with each failure.
   */
  properties[PROP_FIRST_RETRY] =
    g_param_spec_uint ("first-retry", NULL, NULL, 1, G_MAXUINT, 1000,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /**
   * ParleyConnector:max-retry:
   *
   * The longest wait between attempts, in ms.
   */
  properties[PROP_MAX_RETRY] =
    g_param_spec_uint ("max-retry", NULL, NULL, 1, G_MAXUINT, 300000,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  /**
   * ParleyConnector:attempt-timeout:
   *
   * How long an attempt may take before it counts as failed, in ms.
   */
  properties[PROP_ATTEMPT_TIMEOUT] =
    g_param_spec_uint ("attempt-timeout", NULL, NULL, 1, G_MAXUINT, 60000,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
parley_connector_init (ParleyConnector *self)
{
}

/**
 * parley_connector_get_name:
 * @self: a #ParleyConnector
 *
 * The connection's name for supervisors.
 *
 * Returns: what it connects, for people
 */
const char *
parley_connector_get_name (ParleyConnector *self)
{
  ParleyConnectorPrivate *priv;

  g_return_val_if_fail (PARLEY_IS_CONNECTOR (self), NULL);
  priv = parley_connector_get_instance_private (self);
  return priv->name ? priv->name : G_OBJECT_TYPE_NAME (self);
}

/**
 * parley_connector_get_state:
 * @self: a #ParleyConnector
 *
 * The connection's state.
 *
 * Returns: where the connection stands
 */
ParleyConnectorState
parley_connector_get_state (ParleyConnector *self)
{
  ParleyConnectorPrivate *priv;

  g_return_val_if_fail (PARLEY_IS_CONNECTOR (self), PARLEY_CONNECTOR_STOPPED);
  priv = parley_connector_get_instance_private (self);
  return priv->state;
}

/**
 * parley_connector_get_message:
 * @self: a #ParleyConnector
 *
 * Why the connection is down.
 *
 * Returns: (nullable): why the last attempt failed or the connection was lost
 */
const char *
parley_connector_get_message (ParleyConnector *self)
{
  ParleyConnectorPrivate *priv;

  g_return_val_if_fail (PARLEY_IS_CONNECTOR (self), NULL);
  priv = parley_connector_get_instance_private (self);
  return priv->message;
}

/**
 * parley_connector_get_since:
 * @self: a #ParleyConnector
 *
 * Since when the connection is in its state.
 *
 * Returns: when it entered its state, in µs since the epoch
 */
gint64
parley_connector_get_since (ParleyConnector *self)
{
  ParleyConnectorPrivate *priv;

  g_return_val_if_fail (PARLEY_IS_CONNECTOR (self), 0);
  priv = parley_connector_get_instance_private (self);
  return priv->since;
}

/**
 * parley_connector_get_failures:
 * @self: a #ParleyConnector
 *
 * How often the connection failed in a row.
 *
 * Returns: attempts failed in a row since it was last connected
 */
guint
parley_connector_get_failures (ParleyConnector *self)
{
  ParleyConnectorPrivate *priv;

  g_return_val_if_fail (PARLEY_IS_CONNECTOR (self), 0);
  priv = parley_connector_get_instance_private (self);
  return priv->failures;
}

/**
 * parley_connector_get_next_attempt:
 * @self: a #ParleyConnector
 *
 * When the hub tries the connection again.
 *
 * Returns: when the next attempt is due, in µs since the epoch, or 0
 */
gint64
parley_connector_get_next_attempt (ParleyConnector *self)
{
  ParleyConnectorPrivate *priv;

  g_return_val_if_fail (PARLEY_IS_CONNECTOR (self), 0);
  priv = parley_connector_get_instance_private (self);
  return priv->next_attempt;
}

/**
 * parley_connector_start:
 * @self: a #ParleyConnector
 *
 * For the host: connects, and keeps connecting after failures, until
 * parley_connector_stop(). Does nothing if it runs already.
 */
void
parley_connector_start (ParleyConnector *self)
{
  ParleyConnectorPrivate *priv;

  g_return_if_fail (PARLEY_IS_CONNECTOR (self));
  priv = parley_connector_get_instance_private (self);
  if (priv->state == PARLEY_CONNECTOR_STOPPED)
    begin_attempt (self);
}

/**
 * parley_connector_stop:
 * @self: a #ParleyConnector
 *
 * For the host: gives up the attempt under way or the retry to come, and
 * disconnects.
 */
void
parley_connector_stop (ParleyConnector *self)
{
  ParleyConnectorPrivate *priv;

  g_return_if_fail (PARLEY_IS_CONNECTOR (self));
  priv = parley_connector_get_instance_private (self);
  if (priv->state == PARLEY_CONNECTOR_STOPPED)
    return;
  drop_attempt (self);
  g_clear_handle_id (&priv->retry_source, g_source_remove);
  PARLEY_CONNECTOR_GET_CLASS (self)->disconnect (self);
  set_state (self, PARLEY_CONNECTOR_STOPPED, NULL, 0);
}

/**
 * parley_connector_lost:
 * @self: a #ParleyConnector
 * @error: what happened
 *
 * For subclasses: the connection, once up, broke (the server closed it,
 * the network went). The connector disconnects and tries again after the
 * backoff. Ignored unless it is connected.
 */
void
parley_connector_lost (ParleyConnector *self,
                       const GError    *error)
{
  ParleyConnectorPrivate *priv;

  g_return_if_fail (PARLEY_IS_CONNECTOR (self));
  g_return_if_fail (error != NULL);
  priv = parley_connector_get_instance_private (self);
  if (priv->state == PARLEY_CONNECTOR_CONNECTED)
    fail (self, error->message);
}
