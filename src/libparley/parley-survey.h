/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean parley_survey_parse_score (const char *reply,
                                    const char *language,
                                    int         max,
                                    int        *score);

G_END_DECLS
