/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *parley_presence_title     (const char *state);
const char *parley_presence_reason_title (const char *state,
                                          const char *reason);
const char *parley_presence_icon_name (const char *state);
char       *parley_presence_describe  (const char *state,
                                       const char *reason);

G_END_DECLS
