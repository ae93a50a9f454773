/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_INBOUND (parley_inbound_get_type ())
G_DECLARE_FINAL_TYPE (ParleyInbound, parley_inbound, PARLEY, INBOUND, GObject)

ParleyInbound *parley_inbound_new                  (const char    *channel,
                                                    const char    *identity_kind,
                                                    const char    *identity_value);
const char    *parley_inbound_get_channel          (ParleyInbound *self);
const char    *parley_inbound_get_identity_kind    (ParleyInbound *self);
const char    *parley_inbound_get_identity_value   (ParleyInbound *self);
const char    *parley_inbound_get_display_name     (ParleyInbound *self);
void           parley_inbound_set_display_name     (ParleyInbound *self,
                                                    const char    *display_name);
const char    *parley_inbound_get_text             (ParleyInbound *self);
void           parley_inbound_set_text             (ParleyInbound *self,
                                                    const char    *text);
const char    *parley_inbound_get_html             (ParleyInbound *self);
void           parley_inbound_set_html             (ParleyInbound *self,
                                                    const char    *html);
const char    *parley_inbound_get_external_id      (ParleyInbound *self);
void           parley_inbound_set_external_id      (ParleyInbound *self,
                                                    const char    *external_id);
const char    *parley_inbound_get_metadata         (ParleyInbound *self);
void           parley_inbound_set_metadata         (ParleyInbound *self,
                                                    const char    *metadata_json);
const char    *parley_inbound_get_queue            (ParleyInbound *self);
void           parley_inbound_set_queue            (ParleyInbound *self,
                                                    const char    *queue);
const char    *parley_inbound_get_linked_kind      (ParleyInbound *self);
const char    *parley_inbound_get_linked_value     (ParleyInbound *self);
void           parley_inbound_set_linked_identity  (ParleyInbound *self,
                                                    const char    *kind,
                                                    const char    *value);
gboolean       parley_inbound_get_linked_identity_verified (ParleyInbound *self);
void           parley_inbound_set_linked_identity_verified (ParleyInbound *self,
                                                    gboolean       verified);

/* Filled in by the hub once the message is committed. */
gint64         parley_inbound_get_event_id         (ParleyInbound *self);
gint64         parley_inbound_get_conversation_id  (ParleyInbound *self);
gint64         parley_inbound_get_customer_id      (ParleyInbound *self);
gboolean       parley_inbound_get_duplicate        (ParleyInbound *self);
void           parley_inbound_set_result           (ParleyInbound *self,
                                                    gint64         event_id,
                                                    gint64         conversation_id,
                                                    gint64         customer_id,
                                                    gboolean       duplicate);

G_END_DECLS
