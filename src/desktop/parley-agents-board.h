/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "parley-supervision.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_AGENTS_BOARD (parley_agents_board_get_type ())
G_DECLARE_FINAL_TYPE (ParleyAgentsBoard, parley_agents_board, PARLEY, AGENTS_BOARD, GtkWidget)

void parley_agents_board_set_supervision (ParleyAgentsBoard *self,
                                          ParleySupervision *supervision);

G_END_DECLS
