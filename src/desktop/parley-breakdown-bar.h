/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_BREAKDOWN_BAR (parley_breakdown_bar_get_type ())
G_DECLARE_FINAL_TYPE (ParleyBreakdownBar, parley_breakdown_bar, PARLEY, BREAKDOWN_BAR, GtkWidget)

GtkWidget *parley_breakdown_bar_new        (const char         *title);
void       parley_breakdown_bar_set_parts  (ParleyBreakdownBar *self,
                                            const char * const *names,
                                            const char * const *colors,
                                            const gint64       *counts,
                                            guint               n_parts);
char      *parley_breakdown_bar_describe_parts (ParleyBreakdownBar *self);

G_END_DECLS
