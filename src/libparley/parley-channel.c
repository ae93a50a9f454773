/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-channel"

#include "config.h"

#include "parley-channel.h"
#include "parley-error.h"
#include "parley-host.h"

/**
 * ParleyChannel:
 *
 * A channel plugin as the hub sees it. Inbound traffic goes to the hub with
 * parley_host_submit_async(); the hub calls parley_channel_deliver_async()
 * for each reply an agent sends on the channel and retries failed
 * deliveries with backoff.
 */

G_DEFINE_INTERFACE (ParleyChannel, parley_channel, G_TYPE_OBJECT)

static void
parley_channel_default_init (ParleyChannelInterface *iface)
{
  /**
   * ParleyChannel:host:
   *
   * The hub hosting this channel.
   */
  g_object_interface_install_property (iface,
      g_param_spec_object ("host", NULL, NULL, PARLEY_TYPE_HOST,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

/**
 * parley_channel_get_kind:
 * @self: a #ParleyChannel
 *
 * The kind the channel serves, which its `.plugin` file declares too
 * (`X-Parley-Channel-Kind`): the hub starts a channel only when both agree.
 *
 * Returns: (transfer none): the channel kind, e.g. "api"
 */
const char *
parley_channel_get_kind (ParleyChannel *self)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL (self), NULL);

  return PARLEY_CHANNEL_GET_IFACE (self)->get_kind (self);
}

/**
 * parley_channel_start:
 * @self: a #ParleyChannel
 * @error: return location for a #GError
 *
 * Called once, after the hub created the channel: read the settings, take
 * the routes or connections. On %FALSE, @error says why (the hub logs it)
 * and the channel is not used.
 *
 * Returns: %TRUE if the channel is ready for traffic
 */
gboolean
parley_channel_start (ParleyChannel  *self,
                      GError        **error)
{
  ParleyChannelInterface *iface;

  g_return_val_if_fail (PARLEY_IS_CHANNEL (self), FALSE);

  iface = PARLEY_CHANNEL_GET_IFACE (self);
  return iface->start == NULL || iface->start (self, error);
}

/**
 * parley_channel_stop:
 * @self: a #ParleyChannel
 *
 * Called when the hub shuts down: release what parley_channel_start()
 * took.
 */
void
parley_channel_stop (ParleyChannel *self)
{
  ParleyChannelInterface *iface;

  g_return_if_fail (PARLEY_IS_CHANNEL (self));

  iface = PARLEY_CHANNEL_GET_IFACE (self);
  if (iface->stop != NULL)
    iface->stop (self);
}

/**
 * parley_channel_deliver_async:
 * @self: a #ParleyChannel
 * @outbound: the message to send
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when delivery finished or failed
 * @user_data: data for @callback
 *
 * Sends an agent's message to the customer. A failure is tried again
 * later, as a new attempt.
 */
void
parley_channel_deliver_async (ParleyChannel       *self,
                              ParleyOutbound      *outbound,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  ParleyChannelInterface *iface;

  g_return_if_fail (PARLEY_IS_CHANNEL (self));
  g_return_if_fail (PARLEY_IS_OUTBOUND (outbound));

  iface = PARLEY_CHANNEL_GET_IFACE (self);
  if (iface->deliver_async == NULL)
    {
      g_task_report_new_error (self, callback, user_data, parley_channel_deliver_async,
                               PARLEY_ERROR, PARLEY_ERROR_CHANNEL_UNAVAILABLE,
                               "Channel “%s” cannot send messages",
                               parley_channel_get_kind (self));
      return;
    }
  iface->deliver_async (self, outbound, cancellable, callback, user_data);
}

/**
 * parley_channel_deliver_finish:
 * @self: a #ParleyChannel
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * The result of parley_channel_deliver_async(): on %FALSE, @error (in
 * #PARLEY_ERROR) says why.
 *
 * Returns: %TRUE if the peer took the message
 */
gboolean
parley_channel_deliver_finish (ParleyChannel  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (PARLEY_IS_CHANNEL (self), FALSE);

  if (g_async_result_is_tagged (result, parley_channel_deliver_async))
    return g_task_propagate_boolean (G_TASK (result), error);
  return PARLEY_CHANNEL_GET_IFACE (self)->deliver_finish (self, result, error);
}

/**
 * parley_channel_signal_activity:
 * @self: a #ParleyChannel
 * @to_kind: the kind of the customer's identity on this channel
 * @to_value: the identity
 * @activity: "typing" or "read"
 * @details: what goes with it (see #ParleyChannelInterface)
 *
 * Passes an agent's activity on to the customer, if the channel can show
 * it (a chat can, an email cannot); otherwise nothing happens.
 */
void
parley_channel_signal_activity (ParleyChannel *self,
                                const char    *to_kind,
                                const char    *to_value,
                                const char    *activity,
                                JsonObject    *details)
{
  ParleyChannelInterface *iface;

  g_return_if_fail (PARLEY_IS_CHANNEL (self));
  g_return_if_fail (activity != NULL && details != NULL);

  iface = PARLEY_CHANNEL_GET_IFACE (self);
  if (iface->signal_activity)
    iface->signal_activity (self, to_kind, to_value, activity, details);
}
