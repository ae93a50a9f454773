/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void       parley_test_hooks_install     (GtkApplication *application);
GtkWidget *parley_test_hooks_find_widget (GtkWidget      *root,
                                          GType           type,
                                          const char     *css_class);

G_END_DECLS
