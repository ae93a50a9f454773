/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtk/gtk.h>
#include <parley-version-macros.h>

G_BEGIN_DECLS

#define PARLEY_UI_TYPE_TEXT_COMPOSER (parley_ui_text_composer_get_type ())
PARLEY_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (ParleyUiTextComposer, parley_ui_text_composer, PARLEY_UI, TEXT_COMPOSER, GtkWidget)

PARLEY_AVAILABLE_IN_1_0
GtkWidget *parley_ui_text_composer_new (void);

G_END_DECLS
