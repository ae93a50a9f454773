/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <parley-version-macros.h>

#include <json-glib/json-glib.h>
#include <parley.h>

#include "parley-ui-channel.h"

G_BEGIN_DECLS

#define PARLEY_UI_TYPE_CHANNEL_DIRECTORY (parley_ui_channel_directory_get_type ())
PARLEY_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (ParleyUiChannelDirectory, parley_ui_channel_directory, PARLEY_UI, CHANNEL_DIRECTORY, GObject)

PARLEY_AVAILABLE_IN_1_0
ParleyUiChannelDirectory *parley_ui_channel_directory_get_default      (void);
PARLEY_AVAILABLE_IN_1_0
void                      parley_ui_channel_directory_set_declarations (ParleyUiChannelDirectory *self,
                                                                        GPtrArray                *declarations);
PARLEY_AVAILABLE_IN_1_0
gboolean                  parley_ui_channel_directory_load_json        (ParleyUiChannelDirectory *self,
                                                                        JsonObject               *answer,
                                                                        GError                  **error);
PARLEY_AVAILABLE_IN_1_0
void                      parley_ui_channel_directory_add_plugin       (ParleyUiChannelDirectory *self,
                                                                        ParleyUiChannel          *channel);
PARLEY_AVAILABLE_IN_1_0
const char * const       *parley_ui_channel_directory_get_kinds        (ParleyUiChannelDirectory *self);
PARLEY_AVAILABLE_IN_1_0
ParleyChannelInfo        *parley_ui_channel_directory_lookup           (ParleyUiChannelDirectory *self,
                                                                        const char               *kind);
PARLEY_AVAILABLE_IN_1_0
const char               *parley_ui_channel_directory_get_title        (ParleyUiChannelDirectory *self,
                                                                        const char               *kind);
PARLEY_AVAILABLE_IN_1_0
const char               *parley_ui_channel_directory_get_icon_name    (ParleyUiChannelDirectory *self,
                                                                        const char               *kind);
PARLEY_AVAILABLE_IN_1_0
const char               *parley_ui_channel_directory_find_for_identity (ParleyUiChannelDirectory *self,
                                                                          const char               *identity_kind);
PARLEY_AVAILABLE_IN_1_0
gboolean                  parley_ui_channel_directory_reaches          (ParleyUiChannelDirectory *self,
                                                                        const char               *kind,
                                                                        JsonArray                *identities);

G_END_DECLS
