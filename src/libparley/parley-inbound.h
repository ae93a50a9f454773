/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>
#include "parley-version-macros.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_INBOUND (parley_inbound_get_type ())
PARLEY_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (ParleyInbound, parley_inbound, PARLEY, INBOUND, GObject)

PARLEY_AVAILABLE_IN_1_0
ParleyInbound *parley_inbound_new                  (const char    *channel,
                                                    const char    *identity_kind,
                                                    const char    *identity_value);
PARLEY_AVAILABLE_IN_1_0
const char    *parley_inbound_get_channel          (ParleyInbound *self);
PARLEY_AVAILABLE_IN_1_0
const char    *parley_inbound_get_identity_kind    (ParleyInbound *self);
PARLEY_AVAILABLE_IN_1_0
const char    *parley_inbound_get_identity_value   (ParleyInbound *self);
PARLEY_AVAILABLE_IN_1_0
const char    *parley_inbound_get_display_name     (ParleyInbound *self);
PARLEY_AVAILABLE_IN_1_0
void           parley_inbound_set_display_name     (ParleyInbound *self,
                                                    const char    *display_name);
PARLEY_AVAILABLE_IN_1_0
const char    *parley_inbound_get_text             (ParleyInbound *self);
PARLEY_AVAILABLE_IN_1_0
void           parley_inbound_set_text             (ParleyInbound *self,
                                                    const char    *text);
PARLEY_AVAILABLE_IN_1_0
const char    *parley_inbound_get_html             (ParleyInbound *self);
PARLEY_AVAILABLE_IN_1_0
void           parley_inbound_set_html             (ParleyInbound *self,
                                                    const char    *html);
PARLEY_AVAILABLE_IN_1_0
const char    *parley_inbound_get_external_id      (ParleyInbound *self);
PARLEY_AVAILABLE_IN_1_0
void           parley_inbound_set_external_id      (ParleyInbound *self,
                                                    const char    *external_id);
PARLEY_AVAILABLE_IN_1_0
const char    *parley_inbound_get_metadata         (ParleyInbound *self);
PARLEY_AVAILABLE_IN_1_0
void           parley_inbound_set_metadata         (ParleyInbound *self,
                                                    const char    *metadata_json);
PARLEY_AVAILABLE_IN_1_0
const char    *parley_inbound_get_queue            (ParleyInbound *self);
PARLEY_AVAILABLE_IN_1_0
void           parley_inbound_set_queue            (ParleyInbound *self,
                                                    const char    *queue);
PARLEY_AVAILABLE_IN_1_0
const char    *parley_inbound_get_linked_kind      (ParleyInbound *self);
PARLEY_AVAILABLE_IN_1_0
const char    *parley_inbound_get_linked_value     (ParleyInbound *self);
PARLEY_AVAILABLE_IN_1_0
void           parley_inbound_set_linked_identity  (ParleyInbound *self,
                                                    const char    *kind,
                                                    const char    *value);
PARLEY_AVAILABLE_IN_1_0
gboolean       parley_inbound_get_linked_identity_verified (ParleyInbound *self);
PARLEY_AVAILABLE_IN_1_0
void           parley_inbound_set_linked_identity_verified (ParleyInbound *self,
                                                    gboolean       verified);

/* Filled in by the hub once the message is committed. */
PARLEY_AVAILABLE_IN_1_0
gint64         parley_inbound_get_event_id         (ParleyInbound *self);
PARLEY_AVAILABLE_IN_1_0
gint64         parley_inbound_get_conversation_id  (ParleyInbound *self);
PARLEY_AVAILABLE_IN_1_0
gint64         parley_inbound_get_customer_id      (ParleyInbound *self);
PARLEY_AVAILABLE_IN_1_0
gboolean       parley_inbound_get_duplicate        (ParleyInbound *self);
PARLEY_AVAILABLE_IN_1_0
void           parley_inbound_set_result           (ParleyInbound *self,
                                                    gint64         event_id,
                                                    gint64         conversation_id,
                                                    gint64         customer_id,
                                                    gboolean       duplicate);

G_END_DECLS
