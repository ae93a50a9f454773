/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <parley.h>

#include "parley-plugin-host.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_CUSTOMER_DETAILS (parley_customer_details_get_type ())
G_DECLARE_FINAL_TYPE (ParleyCustomerDetails, parley_customer_details, PARLEY, CUSTOMER_DETAILS, GtkWidget)

void parley_customer_details_setup        (ParleyCustomerDetails *self,
                                           ParleyClient          *client,
                                           ParleyPluginHost      *plugins);
void parley_customer_details_show         (ParleyCustomerDetails *self,
                                           JsonObject            *customer,
                                           JsonObject            *conversation);
char *parley_customer_details_label_for   (const char            *key);

G_END_DECLS
