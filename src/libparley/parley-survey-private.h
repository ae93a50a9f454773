/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Not SDK API (not installed, not exported from libparley-1):
 * how the hub reads a survey reply as a score. In-tree users link libparley_internal_dep. */

gboolean parley_survey_parse_score (const char *reply,
                                    const char *language,
                                    int         max,
                                    int        *score);

G_END_DECLS
