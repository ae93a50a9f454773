/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>
#include <parley-version-macros.h>

G_BEGIN_DECLS

#define PARLEY_UI_TYPE_TEXT_CHANNEL (parley_ui_text_channel_get_type ())
PARLEY_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (ParleyUiTextChannel, parley_ui_text_channel, PARLEY_UI, TEXT_CHANNEL, GObject)

PARLEY_AVAILABLE_IN_1_0
ParleyUiTextChannel *parley_ui_text_channel_new (const char *kind);

G_END_DECLS
