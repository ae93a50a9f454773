/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-host"

#include "config.h"

#include "parley-host.h"

/**
 * ParleyHost:
 *
 * The hub as a channel plugin sees it. parley_host_submit_async() completes
 * only once the message is committed to the store, so a channel may
 * acknowledge it to its sender (HTTP 202, IMAP flag, SIP 200) in the
 * callback and never before.
 */

G_DEFINE_INTERFACE (ParleyHost, parley_host, G_TYPE_OBJECT)

static void
parley_host_default_init (ParleyHostInterface *iface)
{
}

/**
 * parley_host_add_route:
 * @self: a #ParleyHost
 * @channel: the channel adding it
 * @path: below the channel's prefix `/api/v1/channels/KIND/`: "inbound",
 *   or "files/\*" for everything below "files/"
 * @methods: the methods it answers; others get 405
 * @max_body_size: the largest request body it takes, in bytes (0: the
 *   hub's limit); larger ones get 413
 * @func: (scope notified): answers each request
 * @user_data: given to @func
 * @destroy: (nullable): frees @user_data when the route goes
 * @error: return location for a #GError
 *
 * Makes @func answer requests to a path of the channel's own. The hub
 * checks the method and the body size first, answers errors as JSON, and
 * holds a request the channel answers later. A channel's routes go when
 * it stops.
 *
 * Returns: %TRUE, or %FALSE with @error set for a path outside the
 *   channel's prefix (%PARLEY_ERROR_INVALID; "settings" is the hub's) or
 *   one it has already (%PARLEY_ERROR_CONFLICT)
 */
gboolean
parley_host_add_route (ParleyHost              *self,
                       ParleyChannel           *channel,
                       const char              *path,
                       ParleyHttpMethods        methods,
                       gsize                    max_body_size,
                       ParleyChannelRouteFunc   func,
                       gpointer                 user_data,
                       GDestroyNotify           destroy,
                       GError                 **error)
{
  g_return_val_if_fail (PARLEY_IS_HOST (self), FALSE);
  g_return_val_if_fail (PARLEY_IS_CHANNEL (channel), FALSE);
  g_return_val_if_fail (path != NULL && func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return PARLEY_HOST_GET_IFACE (self)->add_route (self, channel, path, methods, max_body_size,
                                                  func, user_data, destroy, error);
}

/**
 * parley_host_add_connector:
 * @self: a #ParleyHost
 * @channel: the channel it belongs to
 * @connector: the connection, not started
 * @error: return location for a #GError
 *
 * Gives the host a long-running connection of the channel's (a mailbox,
 * a trunk registration) to run: the host starts it, retries it with
 * backoff after failures, shows its health to supervisors, and stops it
 * when the channel stops. With several hubs, it runs on one of them.
 *
 * Returns: %TRUE, or %FALSE with @error set if @channel is not the
 *   running plugin of its kind
 */
gboolean
parley_host_add_connector (ParleyHost       *self,
                           ParleyChannel    *channel,
                           ParleyConnector  *connector,
                           GError          **error)
{
  g_return_val_if_fail (PARLEY_IS_HOST (self), FALSE);
  g_return_val_if_fail (PARLEY_IS_CHANNEL (channel), FALSE);
  g_return_val_if_fail (PARLEY_IS_CONNECTOR (connector), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return PARLEY_HOST_GET_IFACE (self)->add_connector (self, channel, connector, error);
}

/**
 * parley_host_get_setting:
 * @self: a #ParleyHost
 * @channel: the channel kind, e.g. "api"
 * @key: the setting's name
 *
 * A setting of @channel, from the `[channel:KIND]` group of parleyd's
 * configuration file or else from `parleyctl set KIND KEY VALUE`.
 *
 * Returns: (transfer full) (nullable): the value, or %NULL when unset
 */
char *
parley_host_get_setting (ParleyHost *self,
                         const char *channel,
                         const char *key)
{
  g_return_val_if_fail (PARLEY_IS_HOST (self), NULL);
  g_return_val_if_fail (channel != NULL && key != NULL, NULL);

  return PARLEY_HOST_GET_IFACE (self)->get_setting (self, channel, key);
}

/**
 * parley_host_get_max_body_size:
 * @self: a #ParleyHost
 *
 * The hub's limit for request bodies (`max-body-kib` in its configuration).
 *
 * Returns: the largest request body, in bytes, channels should accept
 */
gsize
parley_host_get_max_body_size (ParleyHost *self)
{
  g_return_val_if_fail (PARLEY_IS_HOST (self), 0);

  return PARLEY_HOST_GET_IFACE (self)->get_max_body_size (self);
}

/**
 * parley_host_count_staffing:
 * @self: a #ParleyHost
 * @channel: a channel kind
 *
 * How many agents are available to take @channel now, whether or not they
 * have a free slot: 0 means nobody is answering it (tell the customer).
 *
 * Returns: the number of agents
 */
guint
parley_host_count_staffing (ParleyHost *self,
                            const char *channel)
{
  g_return_val_if_fail (PARLEY_IS_HOST (self), 0);
  g_return_val_if_fail (channel != NULL, 0);

  return PARLEY_HOST_GET_IFACE (self)->count_staffing (self, channel);
}

/**
 * parley_host_submit_async:
 * @self: a #ParleyHost
 * @inbound: the message received
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called once the message is committed or refused
 * @user_data: data for @callback
 *
 * Hands one inbound message to the hub, which resolves its sender to a
 * customer, stores it and routes its conversation. Acknowledge the message
 * to its sender only once parley_host_submit_finish() succeeded.
 */
void
parley_host_submit_async (ParleyHost          *self,
                          ParleyInbound       *inbound,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (PARLEY_IS_HOST (self));
  g_return_if_fail (PARLEY_IS_INBOUND (inbound));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  PARLEY_HOST_GET_IFACE (self)->submit_async (self, inbound, cancellable, callback, user_data);
}

/**
 * parley_host_submit_finish:
 * @self: a #ParleyHost
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * On success the inbound's event, conversation and customer ids are set.
 *
 * Returns: %TRUE if the message is committed
 */
gboolean
parley_host_submit_finish (ParleyHost    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (PARLEY_IS_HOST (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return PARLEY_HOST_GET_IFACE (self)->submit_finish (self, result, error);
}

/**
 * parley_host_authenticate:
 * @self: a #ParleyHost
 * @msg: a request to an endpoint the plugin serves
 *
 * Who sent @msg: the agent whose token it carries, as `Authorization:
 * Bearer TOKEN` or, for WebSockets, an `access_token` query parameter.
 * Plugins use it to serve agents (co-browse, call control) behind the same
 * sign-in as the hub's own API.
 *
 * Returns: (transfer full) (nullable): the agent (`id`, `login`, `name`,
 *   `role`: agent, supervisor or admin), or %NULL without a valid token
 */
JsonObject *
parley_host_authenticate (ParleyHost        *self,
                          SoupServerMessage *msg)
{
  g_return_val_if_fail (PARLEY_IS_HOST (self), NULL);
  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (msg), NULL);

  return PARLEY_HOST_GET_IFACE (self)->authenticate (self, msg);
}

/**
 * parley_host_get_customer:
 * @self: a #ParleyHost
 * @customer_id: a customer id
 * @error: return location for a #GError
 *
 * The customer as the API shows it (`id`, `name`, `identities`: an array of
 * `{kind, value}`, ...), plus `conversation`, their open conversation
 * (`id`, `state`, `agent_id`, `channel`), when they have one.
 *
 * Returns: (transfer full) (nullable): the customer, or %NULL with @error set
 */
JsonObject *
parley_host_get_customer (ParleyHost  *self,
                          gint64       customer_id,
                          GError     **error)
{
  g_return_val_if_fail (PARLEY_IS_HOST (self), NULL);
  g_return_val_if_fail (customer_id > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return PARLEY_HOST_GET_IFACE (self)->get_customer (self, customer_id, error);
}

/**
 * parley_host_record_event:
 * @self: a #ParleyHost
 * @conversation_id: the conversation the event belongs to
 * @channel: the channel kind the event happened on
 * @kind: the event kind ("cobrowse", "call", ...)
 * @text: (nullable): the event as a sentence agents read
 * @metadata: (nullable): a JSON object with the channel's details
 * @agent_id: the agent involved, or 0
 * @error: return location for a #GError
 *
 * Adds an event of the plugin's channel to a conversation's timeline, for
 * things that happen on a channel besides messages (a co-browse session, a
 * call). The event is committed at once and pushed to the desktops that
 * see the conversation.
 *
 * Returns: the event id, or 0 with @error set
 */
gint64
parley_host_record_event (ParleyHost  *self,
                          gint64       conversation_id,
                          const char  *channel,
                          const char  *kind,
                          const char  *text,
                          const char  *metadata,
                          gint64       agent_id,
                          GError     **error)
{
  g_return_val_if_fail (PARLEY_IS_HOST (self), 0);
  g_return_val_if_fail (conversation_id > 0, 0);
  g_return_val_if_fail (channel != NULL, 0);
  g_return_val_if_fail (kind != NULL, 0);
  g_return_val_if_fail (agent_id >= 0, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  return PARLEY_HOST_GET_IFACE (self)->record_event (self, conversation_id, channel, kind, text, metadata, agent_id, error);
}

/**
 * parley_host_push_activity:
 * @self: a #ParleyHost
 * @channel: the channel kind it happens on
 * @identity_kind: the customer's identity kind on it
 * @identity_value: the identity
 * @activity: "typing" (@details: `typing`, a boolean) or "read" (@details:
 *   `up_to`, the last agent message the customer has seen)
 * @details: what goes with it
 *
 * Tells the agents of the customer's open conversation what the customer
 * is doing. Typing reaches their desktops at once and is not stored; "read"
 * marks the agents' messages read in the timeline.
 */
void
parley_host_push_activity (ParleyHost *self,
                           const char *channel,
                           const char *identity_kind,
                           const char *identity_value,
                           const char *activity,
                           JsonObject *details)
{
  g_return_if_fail (PARLEY_IS_HOST (self));
  g_return_if_fail (channel != NULL && identity_kind != NULL && identity_value != NULL);
  g_return_if_fail (activity != NULL && details != NULL);

  PARLEY_HOST_GET_IFACE (self)->push_activity (self, channel, identity_kind, identity_value, activity, details);
}

/**
 * parley_host_save_attachment:
 * @self: a #ParleyHost
 * @owner: who sent it, as the channel knows them (a visitor id, an address)
 * @name: the file's name as the customer gave it
 * @type: its media type, already checked by the channel
 * @data: its bytes
 * @error: return location for a #GError
 *
 * Keeps a file a customer sent. Agents fetch it with `GET
 * /api/v1/attachments/{id}`; a message refers to it in its metadata as
 * `attachment`: `{id, name, type, size}`. The file is committed at once,
 * so it is on disk before any message that refers to it is.
 *
 * Returns: (transfer full) (nullable): the attachment's id
 */
char *
parley_host_save_attachment (ParleyHost  *self,
                             const char  *owner,
                             const char  *name,
                             const char  *type,
                             GBytes      *data,
                             GError     **error)
{
  g_return_val_if_fail (PARLEY_IS_HOST (self), NULL);
  g_return_val_if_fail (owner != NULL && name != NULL && type != NULL && data != NULL, NULL);

  return PARLEY_HOST_GET_IFACE (self)->save_attachment (self, owner, name, type, data, error);
}

/**
 * parley_host_get_attachment:
 * @self: a #ParleyHost
 * @id: an attachment id
 * @error: return location for a #GError
 *
 * What is known of a kept file.
 *
 * Returns: (transfer full) (nullable): the attachment's `id`, `owner`,
 *   `conversation_id` (of an agent's file; 0 for a customer's), `name`,
 *   `type`, `size` and `created`, without its bytes
 */
JsonObject *
parley_host_get_attachment (ParleyHost  *self,
                            const char  *id,
                            GError     **error)
{
  g_return_val_if_fail (PARLEY_IS_HOST (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return PARLEY_HOST_GET_IFACE (self)->get_attachment (self, id, error);
}

/**
 * parley_host_abandon:
 * @self: a #ParleyHost
 * @channel: the channel kind the customer left from
 * @identity_kind: the kind of identity the customer wrote from
 * @identity_value: that identity's value
 * @error: return location for a #GError
 *
 * Tells the hub the customer gave up waiting: they closed the chat, hung
 * up in the queue. If their open conversation is still waiting for an
 * agent, it ends as abandoned (counted as such in the metrics) and any
 * offer for it is withdrawn. A conversation an agent already has is left
 * alone: the customer may come back to it.
 *
 * Returns: the abandoned conversation's id, 0 when nothing was waiting
 *   (@error unset), or -1 with @error set
 */
gint64
parley_host_abandon (ParleyHost  *self,
                     const char  *channel,
                     const char  *identity_kind,
                     const char  *identity_value,
                     GError     **error)
{
  g_return_val_if_fail (PARLEY_IS_HOST (self), -1);
  g_return_val_if_fail (channel != NULL && identity_kind != NULL && identity_value != NULL, -1);

  return PARLEY_HOST_GET_IFACE (self)->abandon (self, channel, identity_kind, identity_value, error);
}

/**
 * parley_host_load_attachment_for:
 * @self: a #ParleyHost
 * @id: an attachment id
 * @identity_kind: the kind of identity the customer asks as
 * @identity_value: that identity's value
 * @attachment: (out) (optional) (transfer full): the attachment's record,
 *   as parley_host_get_attachment() gives it
 * @error: return location for a #GError
 *
 * A kept file, for a channel that lets customers download what agents
 * send them: only a file the customer sent themselves (@identity_value is
 * its owner) or one an agent sent in a conversation of the customer the
 * identity belongs to. Anyone else's file is %PARLEY_ERROR_NOT_FOUND, as
 * an unknown id is, so a customer learns nothing of other customers' files.
 *
 * Returns: (transfer full) (nullable): the file's bytes, or %NULL with
 *   @error set
 */
GBytes *
parley_host_load_attachment_for (ParleyHost  *self,
                                 const char  *id,
                                 const char  *identity_kind,
                                 const char  *identity_value,
                                 JsonObject **attachment,
                                 GError     **error)
{
  g_return_val_if_fail (PARLEY_IS_HOST (self), NULL);
  g_return_val_if_fail (id != NULL && identity_kind != NULL && identity_value != NULL, NULL);

  return PARLEY_HOST_GET_IFACE (self)->load_attachment_for (self, id, identity_kind, identity_value, attachment, error);
}

/**
 * parley_host_list_messages_with:
 * @self: a #ParleyHost
 * @channel: the channel's kind
 * @identity_kind: the kind of identity
 * @identity_value: that identity's value
 * @limit: how many messages at most
 * @error: return location for a #GError
 *
 * The newest @limit messages on @channel that the customer sent from this
 * identity or agents sent to it, oldest first, as timeline events. For a
 * channel that shows the customer the conversation so far, as a chat
 * widget does after the page changes. Internal notes are never among them,
 * nor anything the customer said or was sent on another identity.
 *
 * Returns: (transfer full) (element-type Json.Object) (nullable): the
 *   events, or %NULL with @error set
 */
GPtrArray *
parley_host_list_messages_with (ParleyHost  *self,
                                const char  *channel,
                                const char  *identity_kind,
                                const char  *identity_value,
                                guint        limit,
                                GError     **error)
{
  g_return_val_if_fail (PARLEY_IS_HOST (self), NULL);
  g_return_val_if_fail (channel != NULL && identity_kind != NULL && identity_value != NULL, NULL);

  return PARLEY_HOST_GET_IFACE (self)->list_messages_with (self, channel, identity_kind, identity_value,
                                                            limit, error);
}

/**
 * parley_host_is_own_origin:
 * @self: a #ParleyHost
 * @origin: an origin, as a browser sends it in `Origin`
 *
 * Whether @origin is one the hub serves its own pages from: its configured
 * public URLs and the address it listens on. Origins are compared as
 * parley_origin_normalize() spells them (the Host header plays no part, so a
 * name rebound to the hub's address is not its origin).
 *
 * Returns: %TRUE for one of the hub's own origins
 */
gboolean
parley_host_is_own_origin (ParleyHost *self,
                           const char *origin)
{
  g_return_val_if_fail (PARLEY_IS_HOST (self), FALSE);

  return origin != NULL && PARLEY_HOST_GET_IFACE (self)->is_own_origin (self, origin);
}

/**
 * parley_host_dup_client_address:
 * @self: a #ParleyHost
 * @msg: a request to the hub
 *
 * The address @msg comes from: its peer's, or, when that peer is one of
 * the reverse proxies the hub trusts, the client's it forwarded the
 * request for (from X-Forwarded-For).
 *
 * Returns: (transfer full): the address, as text
 */
char *
parley_host_dup_client_address (ParleyHost        *self,
                                SoupServerMessage *msg)
{
  g_return_val_if_fail (PARLEY_IS_HOST (self), NULL);
  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (msg), NULL);

  return PARLEY_HOST_GET_IFACE (self)->dup_client_address (self, msg);
}

/**
 * parley_host_report_receipt:
 * @self: a #ParleyHost
 * @channel: the channel kind reporting it
 * @provider_id: the id the peer gave the message, as the channel set it
 *   with parley_outbound_set_provider_id() when delivering it
 * @state: what became of the message
 * @reason: (nullable): for %PARLEY_RECEIPT_STATE_FAILED, why, in words
 *   an agent understands
 *
 * Tells the hub what became of a message after the channel delivered it:
 * the peer handed it on, the customer read it, or it failed after all (a
 * bounce). The hub records it on the message's timeline event and shows
 * it to the agents. A receipt for a message the hub does not know (never
 * sent through it, or sent before the channel gave provider ids) is
 * ignored.
 *
 * Returns: %TRUE if @provider_id named a message of @channel
 */
gboolean
parley_host_report_receipt (ParleyHost         *self,
                            const char         *channel,
                            const char         *provider_id,
                            ParleyReceiptState  state,
                            const char         *reason)
{
  ParleyHostInterface *iface;

  g_return_val_if_fail (PARLEY_IS_HOST (self), FALSE);
  g_return_val_if_fail (channel != NULL && provider_id != NULL, FALSE);
  g_return_val_if_fail (state >= PARLEY_RECEIPT_STATE_DELIVERED && state <= PARLEY_RECEIPT_STATE_FAILED, FALSE);

  iface = PARLEY_HOST_GET_IFACE (self);
  return iface->report_receipt != NULL && iface->report_receipt (self, channel, provider_id, state, reason);
}
