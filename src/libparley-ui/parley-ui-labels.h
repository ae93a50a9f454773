/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <parley-version-macros.h>

G_BEGIN_DECLS

PARLEY_AVAILABLE_IN_1_0
const char *parley_ui_identity_kind_title (const char *kind);
PARLEY_AVAILABLE_IN_1_0
const char *parley_ui_away_reason_title   (const char *reason);
PARLEY_AVAILABLE_IN_1_0
char       *parley_ui_disposition_title   (const char *disposition);

G_END_DECLS
