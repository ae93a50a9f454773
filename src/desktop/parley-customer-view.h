/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <parley.h>

#include "parley-plugin-host.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_CUSTOMER_VIEW (parley_customer_view_get_type ())
G_DECLARE_FINAL_TYPE (ParleyCustomerView, parley_customer_view, PARLEY, CUSTOMER_VIEW, GtkWidget)

void        parley_customer_view_setup             (ParleyCustomerView *self,
                                                    ParleyClient       *client,
                                                    ParleyPluginHost   *plugins,
                                                    GSettings          *settings);
void        parley_customer_view_open_conversation (ParleyCustomerView *self,
                                                    JsonObject         *conversation);
void        parley_customer_view_open_customer     (ParleyCustomerView *self,
                                                    gint64              customer_id);
void        parley_customer_view_close             (ParleyCustomerView *self);
gint64      parley_customer_view_get_conversation_id (ParleyCustomerView *self);
gint64      parley_customer_view_get_customer_id   (ParleyCustomerView *self);
void        parley_customer_view_resync            (ParleyCustomerView *self);
void        parley_customer_view_set_back_visible  (ParleyCustomerView *self,
                                                    gboolean            visible);
void        parley_customer_view_set_title_buttons (ParleyCustomerView *self,
                                                    gboolean            visible);
void        parley_customer_view_focus_search      (ParleyCustomerView *self);

G_END_DECLS
