/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Text as searches compare it, whatever the store: every store keeps and
 * compares this form, so "maría" finds "MARÍA" and "straße" "STRASSE". */
char *parley_search_text_fold         (const char *text);
char *parley_search_text_phone_digits (const char *query);

G_END_DECLS
