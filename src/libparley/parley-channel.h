/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "parley-channel-info.h"
#include "parley-outbound.h"
#include "parley-version-macros.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_CHANNEL (parley_channel_get_type ())
PARLEY_AVAILABLE_IN_1_0
G_DECLARE_INTERFACE (ParleyChannel, parley_channel, PARLEY, CHANNEL, GObject)

/**
 * ParleyChannelInterface:
 * @get_kind: optional: the channel kind this plugin serves, e.g. "api" or
 *   "email"; left out, it is the kind in the @get_info declaration
 * @start: connect to the outside world (bind routes, open mailboxes)
 * @stop: release what @start took
 * @deliver_async: send one outbound message to the customer
 * @deliver_finish: the result of @deliver_async
 * @signal_activity: optional: tell the customer what the agent is doing,
 *   without a message: "typing" (@details: `typing`, `author`) or "read"
 *   (@details: `up_to`, the last of the customer's events the agent has seen)
 * @get_info: required: what the channel is (its #ParleyChannelInfo), the
 *   same object for the plugin's whole life
 *
 * The hub-side extension point. A channel plugin implements it and the hub
 * hands each plugin its #ParleyHost through the "host" property.
 */
struct _ParleyChannelInterface
{
  GTypeInterface parent_iface;

  const char *(*get_kind)       (ParleyChannel        *self);
  gboolean    (*start)          (ParleyChannel        *self,
                                 GError              **error);
  void        (*stop)           (ParleyChannel        *self);
  void        (*deliver_async)  (ParleyChannel        *self,
                                 ParleyOutbound       *outbound,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data);
  gboolean    (*deliver_finish) (ParleyChannel        *self,
                                 GAsyncResult         *result,
                                 GError              **error);
  void        (*signal_activity) (ParleyChannel       *self,
                                  const char          *to_kind,
                                  const char          *to_value,
                                  const char          *activity,
                                  JsonObject          *details);
  ParleyChannelInfo *(*get_info) (ParleyChannel       *self);
};

PARLEY_AVAILABLE_IN_1_0
const char *parley_channel_get_kind       (ParleyChannel        *self);
PARLEY_AVAILABLE_IN_1_0
ParleyChannelInfo *parley_channel_get_info (ParleyChannel       *self);
PARLEY_AVAILABLE_IN_1_0
gboolean    parley_channel_start          (ParleyChannel        *self,
                                           GError              **error);
PARLEY_AVAILABLE_IN_1_0
void        parley_channel_stop           (ParleyChannel        *self);
PARLEY_AVAILABLE_IN_1_0
void        parley_channel_deliver_async  (ParleyChannel        *self,
                                           ParleyOutbound       *outbound,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
PARLEY_AVAILABLE_IN_1_0
gboolean    parley_channel_deliver_finish (ParleyChannel        *self,
                                           GAsyncResult         *result,
                                           GError              **error);
PARLEY_AVAILABLE_IN_1_0
void        parley_channel_signal_activity (ParleyChannel       *self,
                                            const char          *to_kind,
                                            const char          *to_value,
                                            const char          *activity,
                                            JsonObject          *details);

G_END_DECLS
