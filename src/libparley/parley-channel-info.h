/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "parley-version-macros.h"

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "parley-channel-setting.h"

G_BEGIN_DECLS

/**
 * ParleyChannelCapabilities:
 * @PARLEY_CHANNEL_CAPABILITY_NONE: nothing beyond being a channel
 * @PARLEY_CHANNEL_CAPABILITY_TEXT: carries plain-text messages
 * @PARLEY_CHANNEL_CAPABILITY_RICH_TEXT: carries formatted (HTML) messages
 * @PARLEY_CHANNEL_CAPABILITY_SUBJECT: messages have a subject line
 * @PARLEY_CHANNEL_CAPABILITY_ATTACHMENTS: messages can carry files, within
 *   #ParleyChannelInfo:attachment-max-size and
 *   #ParleyChannelInfo:attachment-types
 * @PARLEY_CHANNEL_CAPABILITY_TYPING: shows the customer that the agent is typing
 * @PARLEY_CHANNEL_CAPABILITY_READ_RECEIPTS: tells when the customer read a message
 * @PARLEY_CHANNEL_CAPABILITY_DELIVERY_RECEIPTS: tells when a message reached
 *   the customer, after the plugin handed it on
 * @PARLEY_CHANNEL_CAPABILITY_REALTIME: voice or other real-time media: a
 *   conversation is a session, not messages (no first-response time)
 * @PARLEY_CHANNEL_CAPABILITY_OUTBOUND_INITIATED: an agent may start a
 *   conversation with a customer who has not written on it
 * @PARLEY_CHANNEL_CAPABILITY_REPLY_WINDOW: replies are only possible for
 *   #ParleyChannelInfo:reply-window seconds after the customer last wrote
 *
 * What a channel can do, as a channel plugin declares it in its
 * #ParleyChannelInfo.
 */
typedef enum /*< flags >*/
{
  PARLEY_CHANNEL_CAPABILITY_NONE = 0,
  PARLEY_CHANNEL_CAPABILITY_TEXT = 1 << 0,
  PARLEY_CHANNEL_CAPABILITY_RICH_TEXT = 1 << 1,
  PARLEY_CHANNEL_CAPABILITY_SUBJECT = 1 << 2,
  PARLEY_CHANNEL_CAPABILITY_ATTACHMENTS = 1 << 3,
  PARLEY_CHANNEL_CAPABILITY_TYPING = 1 << 4,
  PARLEY_CHANNEL_CAPABILITY_READ_RECEIPTS = 1 << 5,
  PARLEY_CHANNEL_CAPABILITY_DELIVERY_RECEIPTS = 1 << 6,
  PARLEY_CHANNEL_CAPABILITY_REALTIME = 1 << 7,
  PARLEY_CHANNEL_CAPABILITY_OUTBOUND_INITIATED = 1 << 8,
  PARLEY_CHANNEL_CAPABILITY_REPLY_WINDOW = 1 << 9,
} ParleyChannelCapabilities;

/**
 * PARLEY_CHANNEL_INFO_ANY_IDENTITY:
 *
 * In #ParleyChannelInfo:identity-kinds, any identity kind: a channel whose
 * peer addresses customers by whatever identity it was given (the api
 * channel) lists it, after the kinds it prefers.
 */
#define PARLEY_CHANNEL_INFO_ANY_IDENTITY "*"

#define PARLEY_TYPE_CHANNEL_INFO (parley_channel_info_get_type ())
PARLEY_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (ParleyChannelInfo, parley_channel_info, PARLEY, CHANNEL_INFO, GObject)

PARLEY_AVAILABLE_IN_1_0
ParleyChannelInfo         *parley_channel_info_new                  (const char                *kind,
                                                                     const char                *title,
                                                                     const char                *icon_name,
                                                                     const char * const        *identity_kinds,
                                                                     ParleyChannelCapabilities  capabilities);
PARLEY_AVAILABLE_IN_1_0
ParleyChannelInfo         *parley_channel_info_new_from_json        (JsonObject                *object,
                                                                     GError                   **error);
PARLEY_AVAILABLE_IN_1_0
JsonObject                *parley_channel_info_to_json              (ParleyChannelInfo         *self);
PARLEY_AVAILABLE_IN_1_0
const char                *parley_channel_info_get_kind             (ParleyChannelInfo         *self);
PARLEY_AVAILABLE_IN_1_0
const char                *parley_channel_info_get_title            (ParleyChannelInfo         *self);
PARLEY_AVAILABLE_IN_1_0
const char                *parley_channel_info_get_icon_name        (ParleyChannelInfo         *self);
PARLEY_AVAILABLE_IN_1_0
const char * const        *parley_channel_info_get_identity_kinds   (ParleyChannelInfo         *self);
PARLEY_AVAILABLE_IN_1_0
gboolean                   parley_channel_info_reaches              (ParleyChannelInfo         *self,
                                                                     const char                *identity_kind);
PARLEY_AVAILABLE_IN_1_0
ParleyChannelCapabilities  parley_channel_info_get_capabilities     (ParleyChannelInfo         *self);
PARLEY_AVAILABLE_IN_1_0
gboolean                   parley_channel_info_has_capability       (ParleyChannelInfo         *self,
                                                                     ParleyChannelCapabilities  capability);
PARLEY_AVAILABLE_IN_1_0
guint64                    parley_channel_info_get_attachment_max_size (ParleyChannelInfo      *self);
PARLEY_AVAILABLE_IN_1_0
const char * const        *parley_channel_info_get_attachment_types (ParleyChannelInfo         *self);
PARLEY_AVAILABLE_IN_1_0
guint                      parley_channel_info_get_reply_window     (ParleyChannelInfo         *self);
PARLEY_AVAILABLE_IN_1_0
guint                      parley_channel_info_get_capacity         (ParleyChannelInfo         *self);
PARLEY_AVAILABLE_IN_1_0
gboolean                   parley_channel_info_check_attachment     (ParleyChannelInfo         *self,
                                                                     guint64                    size,
                                                                     const char                *type,
                                                                     GError                   **error);
PARLEY_AVAILABLE_IN_1_0
ParleyChannelSetting      *parley_channel_info_declare_setting      (ParleyChannelInfo         *self,
                                                                     const char                *name,
                                                                     ParleySettingType          type,
                                                                     const char                *description);
PARLEY_AVAILABLE_IN_1_0
GPtrArray                 *parley_channel_info_get_settings         (ParleyChannelInfo         *self);
PARLEY_AVAILABLE_IN_1_0
ParleyChannelSetting      *parley_channel_info_lookup_setting       (ParleyChannelInfo         *self,
                                                                     const char                *name);
PARLEY_AVAILABLE_IN_1_0
gboolean                   parley_channel_info_check_setting        (ParleyChannelInfo         *self,
                                                                     const char                *name,
                                                                     const char                *value,
                                                                     char                     **kept,
                                                                     GError                   **error);

G_END_DECLS
