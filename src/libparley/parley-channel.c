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

/* A plugin's answer held to the contract: an error exactly when it
 * failed. A plugin that fails without saying why gets a reason; one that
 * succeeds with an error set has failed. */
static gboolean
keep_contract (ParleyChannel  *self,
               gboolean        succeeded,
               GError         *plugin_error,
               const char     *what,
               GError        **error)
{
  if (succeeded && plugin_error == NULL)
    return TRUE;
  if (plugin_error == NULL)
    plugin_error = g_error_new (PARLEY_ERROR, PARLEY_ERROR_FAILED,
                                "The channel's %s failed without saying why", what);
  else if (succeeded)
    g_warning ("%s: %s reported success with an error set; taken as failed",
               G_OBJECT_TYPE_NAME (self), what);
  g_propagate_error (error, plugin_error);
  return FALSE;
}

/**
 * parley_channel_get_kind:
 * @self: a #ParleyChannel
 *
 * The kind the channel serves, which its `.plugin` file declares too
 * (`X-Parley-Channel-Kind`): the hub starts a channel only when both agree.
 *
 * Returns: (transfer none) (nullable): the channel kind, e.g. "api"; %NULL
 *   only from a plugin that does not implement get_kind
 */
const char *
parley_channel_get_kind (ParleyChannel *self)
{
  ParleyChannelInterface *iface;
  ParleyChannelInfo *info;

  g_return_val_if_fail (PARLEY_IS_CHANNEL (self), NULL);

  iface = PARLEY_CHANNEL_GET_IFACE (self);
  if (iface->get_kind != NULL)
    return iface->get_kind (self);
  return (info = parley_channel_get_info (self)) ? parley_channel_info_get_kind (info) : NULL;
}

/**
 * parley_channel_get_info:
 * @self: a #ParleyChannel
 *
 * What the channel declares it is. The hub refuses to start a plugin
 * without a declaration.
 *
 * Returns: (transfer none) (nullable): the declaration, owned by the
 *   plugin, or %NULL if the plugin gives none
 */
ParleyChannelInfo *
parley_channel_get_info (ParleyChannel *self)
{
  ParleyChannelInterface *iface;
  ParleyChannelInfo *info;

  g_return_val_if_fail (PARLEY_IS_CHANNEL (self), NULL);

  iface = PARLEY_CHANNEL_GET_IFACE (self);
  if (iface->get_info == NULL)
    return NULL;
  info = iface->get_info (self);
  return PARLEY_IS_CHANNEL_INFO (info) ? info : NULL;
}

/**
 * parley_channel_start:
 * @self: a #ParleyChannel
 * @error: return location for a #GError
 *
 * Called once, after the hub created the channel: read the settings, take
 * the routes or connections. On %FALSE, @error says why (the hub logs it)
 * and the channel is not used. Whatever the plugin returns, @error is set
 * exactly when this returns %FALSE.
 *
 * Returns: %TRUE if the channel is ready for traffic
 */
gboolean
parley_channel_start (ParleyChannel  *self,
                      GError        **error)
{
  ParleyChannelInterface *iface;
  GError *plugin_error = NULL;
  gboolean started;

  g_return_val_if_fail (PARLEY_IS_CHANNEL (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = PARLEY_CHANNEL_GET_IFACE (self);
  if (iface->start == NULL)
    return TRUE;
  started = iface->start (self, &plugin_error);
  return keep_contract (self, started, plugin_error, "start", error);
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
 * Sends an agent's message to the customer. Calls @callback exactly once.
 * The hub gives each delivery a deadline, after which it cancels
 * @cancellable and counts the attempt as a transient failure; a result
 * that comes later is ignored.
 *
 * A channel whose peer gives the message an id (to report receipts for it
 * later with parley_host_report_receipt()) sets it with
 * parley_outbound_set_provider_id() before calling back.
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
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

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
 * The result of parley_channel_deliver_async(). A failure in the
 * %PARLEY_DELIVERY_ERROR domain says whether to try again
 * (%PARLEY_DELIVERY_ERROR_TRANSIENT) or give up at once
 * (%PARLEY_DELIVERY_ERROR_PERMANENT); any other error is transient.
 * Whatever the plugin returns, @error is set exactly when this returns
 * %FALSE.
 *
 * Returns: %TRUE if the peer took the message
 */
gboolean
parley_channel_deliver_finish (ParleyChannel  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  ParleyChannelInterface *iface;
  GError *plugin_error = NULL;
  gboolean delivered;

  g_return_val_if_fail (PARLEY_IS_CHANNEL (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_async_result_is_tagged (result, parley_channel_deliver_async))
    return g_task_propagate_boolean (G_TASK (result), error);
  iface = PARLEY_CHANNEL_GET_IFACE (self);
  if (iface->deliver_finish == NULL)
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_CHANNEL_UNAVAILABLE,
                           "The channel cannot tell how its deliveries end");
      return FALSE;
    }
  delivered = iface->deliver_finish (self, result, &plugin_error);
  return keep_contract (self, delivered, plugin_error, "delivery", error);
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
