/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_CUSTOMER_EDITOR (parley_customer_editor_get_type ())
G_DECLARE_FINAL_TYPE (ParleyCustomerEditor, parley_customer_editor, PARLEY, CUSTOMER_EDITOR, AdwWindow)

ParleyCustomerEditor *parley_customer_editor_new (GtkWindow  *parent,
                                                  JsonObject *customer);

G_END_DECLS
