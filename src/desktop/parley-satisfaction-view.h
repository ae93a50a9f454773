/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "parley-supervision.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_SATISFACTION_VIEW (parley_satisfaction_view_get_type ())
G_DECLARE_FINAL_TYPE (ParleySatisfactionView, parley_satisfaction_view, PARLEY, SATISFACTION_VIEW, GtkWidget)

void parley_satisfaction_view_set_supervision (ParleySatisfactionView *self,
                                               ParleySupervision      *supervision);

G_END_DECLS
