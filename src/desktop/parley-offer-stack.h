/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <parley.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_OFFER_STACK (parley_offer_stack_get_type ())
G_DECLARE_FINAL_TYPE (ParleyOfferStack, parley_offer_stack, PARLEY, OFFER_STACK, GtkBox)

void     parley_offer_stack_set_client    (ParleyOfferStack *self,
                                           ParleyClient     *client,
                                           GSettings        *settings);
guint    parley_offer_stack_get_n_offers  (ParleyOfferStack *self);
gboolean parley_offer_stack_is_offered    (ParleyOfferStack *self,
                                           gint64            conversation_id);
void     parley_offer_stack_decide        (ParleyOfferStack *self,
                                           gint64            offer_id,
                                           gboolean          accept);
void     parley_offer_stack_decide_oldest (ParleyOfferStack *self,
                                           gboolean          accept);
void     parley_offer_stack_clear         (ParleyOfferStack *self);

G_END_DECLS
