/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *parley_ui_identity_kind_title (const char *kind);
const char *parley_ui_away_reason_title   (const char *reason);
char       *parley_ui_disposition_title   (const char *disposition);

G_END_DECLS
