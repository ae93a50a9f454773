/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "parley-channel.h"
#include "parley-channel-request.h"
#include "parley-connector.h"
#include "parley-inbound.h"
#include "parley-version-macros.h"

G_BEGIN_DECLS

/**
 * ParleyReceiptState:
 * @PARLEY_RECEIPT_STATE_DELIVERED: the peer reports the message reached
 *   the customer's device or mailbox
 * @PARLEY_RECEIPT_STATE_READ: the customer read it
 * @PARLEY_RECEIPT_STATE_FAILED: it did not reach the customer after all
 *   (a bounce)
 *
 * What a channel learnt about a message it delivered earlier, for
 * parley_host_report_receipt().
 */
typedef enum {
  PARLEY_RECEIPT_STATE_DELIVERED,
  PARLEY_RECEIPT_STATE_READ,
  PARLEY_RECEIPT_STATE_FAILED,
} ParleyReceiptState;

#define PARLEY_TYPE_HOST (parley_host_get_type ())
PARLEY_AVAILABLE_IN_1_0
G_DECLARE_INTERFACE (ParleyHost, parley_host, PARLEY, HOST, GObject)

/**
 * ParleyHostInterface:
 * @add_route: answer requests to a path under the channel's own prefix
 * @add_connector: run a long-running connection for the channel
 * @get_setting: a channel setting from the config file or the store
 * @get_max_body_size: the largest request body the hub accepts, in bytes
 * @count_staffing: how many agents answer a channel now
 * @submit_async: hand one inbound message to the hub
 * @submit_finish: the result of @submit_async
 * @authenticate: the agent a request to a plugin's own endpoint comes from
 * @get_customer: a customer, with identities and open conversation
 * @record_event: add a channel's own event to a conversation's timeline
 * @push_activity: tell the agents what the customer is doing
 * @save_attachment: keep a file a customer sent
 * @get_attachment: what is known of a kept file
 * @abandon: the customer left before an agent answered
 * @load_attachment_for: a kept file, if a customer may download it
 * @list_messages_with: the recent messages to and from one identity
 * @is_own_origin: whether an origin is one of the hub's own
 * @dup_client_address: the address a request comes from, behind trusted proxies too
 * @report_receipt: what became of a message delivered earlier
 *
 * What the hub offers to channel plugins.
 */
struct _ParleyHostInterface
{
  GTypeInterface parent_iface;

  gboolean    (*add_route)         (ParleyHost           *self,
                                    ParleyChannel        *channel,
                                    const char           *path,
                                    ParleyHttpMethods     methods,
                                    gsize                 max_body_size,
                                    ParleyChannelRouteFunc func,
                                    gpointer              user_data,
                                    GDestroyNotify        destroy,
                                    GError              **error);
  gboolean    (*add_connector)     (ParleyHost           *self,
                                    ParleyChannel        *channel,
                                    ParleyConnector      *connector,
                                    GError              **error);
  char       *(*get_setting)       (ParleyHost           *self,
                                    const char           *channel,
                                    const char           *key);
  gsize       (*get_max_body_size) (ParleyHost           *self);
  guint       (*count_staffing)    (ParleyHost           *self,
                                    const char           *channel);
  void        (*submit_async)      (ParleyHost           *self,
                                    ParleyInbound        *inbound,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
  gboolean    (*submit_finish)     (ParleyHost           *self,
                                    GAsyncResult         *result,
                                    GError              **error);
  JsonObject *(*authenticate)      (ParleyHost           *self,
                                    SoupServerMessage    *msg);
  JsonObject *(*get_customer)      (ParleyHost           *self,
                                    gint64                customer_id,
                                    GError              **error);
  gint64      (*record_event)      (ParleyHost           *self,
                                    gint64                conversation_id,
                                    const char           *channel,
                                    const char           *kind,
                                    const char           *text,
                                    const char           *metadata,
                                    gint64                agent_id,
                                    GError              **error);
  void        (*push_activity)     (ParleyHost           *self,
                                    const char           *channel,
                                    const char           *identity_kind,
                                    const char           *identity_value,
                                    const char           *activity,
                                    JsonObject           *details);
  char       *(*save_attachment)   (ParleyHost           *self,
                                    const char           *owner,
                                    const char           *name,
                                    const char           *type,
                                    GBytes               *data,
                                    GError              **error);
  JsonObject *(*get_attachment)    (ParleyHost           *self,
                                    const char           *id,
                                    GError              **error);
  gint64      (*abandon)           (ParleyHost           *self,
                                    const char           *channel,
                                    const char           *identity_kind,
                                    const char           *identity_value,
                                    GError              **error);
  GBytes     *(*load_attachment_for) (ParleyHost         *self,
                                    const char           *id,
                                    const char           *identity_kind,
                                    const char           *identity_value,
                                    JsonObject          **attachment,
                                    GError              **error);
  GPtrArray  *(*list_messages_with) (ParleyHost          *self,
                                    const char           *channel,
                                    const char           *identity_kind,
                                    const char           *identity_value,
                                    guint                 limit,
                                    GError              **error);
  gboolean    (*is_own_origin)     (ParleyHost           *self,
                                    const char           *origin);
  char       *(*dup_client_address) (ParleyHost          *self,
                                    SoupServerMessage    *msg);
  gboolean    (*report_receipt)    (ParleyHost           *self,
                                    const char           *channel,
                                    const char           *provider_id,
                                    ParleyReceiptState    state,
                                    const char           *reason);
};

PARLEY_AVAILABLE_IN_1_0
gboolean    parley_host_add_route         (ParleyHost           *self,
                                           ParleyChannel        *channel,
                                           const char           *path,
                                           ParleyHttpMethods     methods,
                                           gsize                 max_body_size,
                                           ParleyChannelRouteFunc func,
                                           gpointer              user_data,
                                           GDestroyNotify        destroy,
                                           GError              **error);
PARLEY_AVAILABLE_IN_1_0
gboolean    parley_host_add_connector     (ParleyHost           *self,
                                           ParleyChannel        *channel,
                                           ParleyConnector      *connector,
                                           GError              **error);
PARLEY_AVAILABLE_IN_1_0
char       *parley_host_get_setting       (ParleyHost           *self,
                                           const char           *channel,
                                           const char           *key);
PARLEY_AVAILABLE_IN_1_0
gsize       parley_host_get_max_body_size (ParleyHost           *self);
PARLEY_AVAILABLE_IN_1_0
guint       parley_host_count_staffing    (ParleyHost           *self,
                                           const char           *channel);
PARLEY_AVAILABLE_IN_1_0
void        parley_host_submit_async      (ParleyHost           *self,
                                           ParleyInbound        *inbound,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
PARLEY_AVAILABLE_IN_1_0
gboolean    parley_host_submit_finish     (ParleyHost           *self,
                                           GAsyncResult         *result,
                                           GError              **error);
PARLEY_AVAILABLE_IN_1_0
JsonObject *parley_host_authenticate      (ParleyHost           *self,
                                           SoupServerMessage    *msg);
PARLEY_AVAILABLE_IN_1_0
JsonObject *parley_host_get_customer      (ParleyHost           *self,
                                           gint64                customer_id,
                                           GError              **error);
PARLEY_AVAILABLE_IN_1_0
gint64      parley_host_record_event      (ParleyHost           *self,
                                           gint64                conversation_id,
                                           const char           *channel,
                                           const char           *kind,
                                           const char           *text,
                                           const char           *metadata,
                                           gint64                agent_id,
                                           GError              **error);
PARLEY_AVAILABLE_IN_1_0
void        parley_host_push_activity     (ParleyHost           *self,
                                           const char           *channel,
                                           const char           *identity_kind,
                                           const char           *identity_value,
                                           const char           *activity,
                                           JsonObject           *details);
PARLEY_AVAILABLE_IN_1_0
char       *parley_host_save_attachment   (ParleyHost           *self,
                                           const char           *owner,
                                           const char           *name,
                                           const char           *type,
                                           GBytes               *data,
                                           GError              **error);
PARLEY_AVAILABLE_IN_1_0
JsonObject *parley_host_get_attachment    (ParleyHost           *self,
                                           const char           *id,
                                           GError              **error);
PARLEY_AVAILABLE_IN_1_0
gint64      parley_host_abandon           (ParleyHost           *self,
                                           const char           *channel,
                                           const char           *identity_kind,
                                           const char           *identity_value,
                                           GError              **error);
PARLEY_AVAILABLE_IN_1_0
GBytes     *parley_host_load_attachment_for (ParleyHost         *self,
                                           const char           *id,
                                           const char           *identity_kind,
                                           const char           *identity_value,
                                           JsonObject          **attachment,
                                           GError              **error);
PARLEY_AVAILABLE_IN_1_0
GPtrArray  *parley_host_list_messages_with (ParleyHost          *self,
                                           const char           *channel,
                                           const char           *identity_kind,
                                           const char           *identity_value,
                                           guint                 limit,
                                           GError              **error);
PARLEY_AVAILABLE_IN_1_0
gboolean    parley_host_is_own_origin     (ParleyHost           *self,
                                           const char           *origin);
PARLEY_AVAILABLE_IN_1_0
char       *parley_host_dup_client_address (ParleyHost          *self,
                                           SoupServerMessage    *msg);
PARLEY_AVAILABLE_IN_1_0
gboolean    parley_host_report_receipt    (ParleyHost           *self,
                                           const char           *channel,
                                           const char           *provider_id,
                                           ParleyReceiptState    state,
                                           const char           *reason);

G_END_DECLS
