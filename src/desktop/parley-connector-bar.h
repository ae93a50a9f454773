/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <parley.h>

#include "parley-supervision.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_CONNECTOR_BAR (parley_connector_bar_get_type ())
G_DECLARE_FINAL_TYPE (ParleyConnectorBar, parley_connector_bar, PARLEY, CONNECTOR_BAR, GtkWidget)

void parley_connector_bar_set_supervision (ParleyConnectorBar *self,
                                           ParleySupervision  *supervision);
void parley_connector_bar_update          (ParleyConnectorBar *self,
                                           JsonObject         *connector);

G_END_DECLS
