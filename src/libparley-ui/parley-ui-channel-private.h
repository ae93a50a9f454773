/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "parley-ui-channel.h"

G_BEGIN_DECLS

/* What a plugin says itself, or NULL where it leaves the default: the
 * channel directory falls back to the hub's declaration then. */
const char *_parley_ui_channel_get_own_title     (ParleyUiChannel *self);
const char *_parley_ui_channel_get_own_icon_name (ParleyUiChannel *self);

G_END_DECLS
