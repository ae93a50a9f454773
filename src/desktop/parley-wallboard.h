/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "parley-supervision.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_WALLBOARD (parley_wallboard_get_type ())
G_DECLARE_FINAL_TYPE (ParleyWallboard, parley_wallboard, PARLEY, WALLBOARD, GtkWidget)

void parley_wallboard_set_supervision (ParleyWallboard   *self,
                                       ParleySupervision *supervision);

G_END_DECLS
