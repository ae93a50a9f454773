/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_OFFER_CARD (parley_offer_card_get_type ())
G_DECLARE_FINAL_TYPE (ParleyOfferCard, parley_offer_card, PARLEY, OFFER_CARD, GtkBox)

GtkWidget  *parley_offer_card_new               (JsonObject      *offer);
gint64      parley_offer_card_get_offer_id      (ParleyOfferCard *self);
const char *parley_offer_card_get_title         (ParleyOfferCard *self);
const char *parley_offer_card_get_preview       (ParleyOfferCard *self);
void        parley_offer_card_tick              (ParleyOfferCard *self);

G_END_DECLS
