/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>
#include "parley-version-macros.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_OUTBOUND (parley_outbound_get_type ())
PARLEY_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (ParleyOutbound, parley_outbound, PARLEY, OUTBOUND, GObject)

PARLEY_AVAILABLE_IN_1_0
ParleyOutbound *parley_outbound_new                 (gint64          event_id,
                                                     gint64          conversation_id,
                                                     gint64          customer_id,
                                                     const char     *channel,
                                                     const char     *to_kind,
                                                     const char     *to_value);
PARLEY_AVAILABLE_IN_1_0
gint64          parley_outbound_get_event_id        (ParleyOutbound *self);
PARLEY_AVAILABLE_IN_1_0
gint64          parley_outbound_get_conversation_id (ParleyOutbound *self);
PARLEY_AVAILABLE_IN_1_0
gint64          parley_outbound_get_customer_id     (ParleyOutbound *self);
PARLEY_AVAILABLE_IN_1_0
const char     *parley_outbound_get_channel         (ParleyOutbound *self);
PARLEY_AVAILABLE_IN_1_0
const char     *parley_outbound_get_to_kind         (ParleyOutbound *self);
PARLEY_AVAILABLE_IN_1_0
const char     *parley_outbound_get_to_value        (ParleyOutbound *self);
PARLEY_AVAILABLE_IN_1_0
const char     *parley_outbound_get_text            (ParleyOutbound *self);
PARLEY_AVAILABLE_IN_1_0
void            parley_outbound_set_text            (ParleyOutbound *self,
                                                     const char     *text);
PARLEY_AVAILABLE_IN_1_0
const char     *parley_outbound_get_author_name     (ParleyOutbound *self);
PARLEY_AVAILABLE_IN_1_0
void            parley_outbound_set_author_name     (ParleyOutbound *self,
                                                     const char     *author_name);
PARLEY_AVAILABLE_IN_1_0
const char     *parley_outbound_get_metadata        (ParleyOutbound *self);
PARLEY_AVAILABLE_IN_1_0
void            parley_outbound_set_metadata        (ParleyOutbound *self,
                                                     const char     *metadata_json);
PARLEY_AVAILABLE_IN_1_0
JsonObject     *parley_outbound_get_survey          (ParleyOutbound *self);
PARLEY_AVAILABLE_IN_1_0
void            parley_outbound_set_survey          (ParleyOutbound *self,
                                                     JsonObject     *survey);
PARLEY_AVAILABLE_IN_1_0
JsonObject     *parley_outbound_get_attachment      (ParleyOutbound *self);
PARLEY_AVAILABLE_IN_1_0
void            parley_outbound_set_attachment      (ParleyOutbound *self,
                                                     JsonObject     *attachment);
PARLEY_AVAILABLE_IN_1_0
guint           parley_outbound_get_attempt         (ParleyOutbound *self);
PARLEY_AVAILABLE_IN_1_0
void            parley_outbound_set_attempt         (ParleyOutbound *self,
                                                     guint           attempt);
PARLEY_AVAILABLE_IN_1_0
const char     *parley_outbound_get_provider_id     (ParleyOutbound *self);
PARLEY_AVAILABLE_IN_1_0
void            parley_outbound_set_provider_id     (ParleyOutbound *self,
                                                     const char     *provider_id);

G_END_DECLS
