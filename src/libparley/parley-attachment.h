/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "parley-version-macros.h"

G_BEGIN_DECLS

/**
 * PARLEY_ATTACHMENT_MAX_SIZE:
 *
 * The largest file, in bytes, a customer or an agent may send (5 MiB).
 */
#define PARLEY_ATTACHMENT_MAX_SIZE (5 * 1024 * 1024)

PARLEY_AVAILABLE_IN_1_0
const char * const *parley_attachment_get_types   (void);
PARLEY_AVAILABLE_IN_1_0
const char         *parley_attachment_sniff_type  (GBytes     *data);
PARLEY_AVAILABLE_IN_1_0
const char         *parley_attachment_recognise   (GBytes     *data);
PARLEY_AVAILABLE_IN_1_0
char               *parley_attachment_clean_name  (const char *name);
PARLEY_AVAILABLE_IN_1_0
char               *parley_attachment_file_name   (const char *name,
                                                   const char *type);
PARLEY_AVAILABLE_IN_1_0
gboolean            parley_attachment_check_size  (guint64     size,
                                                   GError    **error);
PARLEY_AVAILABLE_IN_1_0
JsonObject         *parley_attachment_check       (GBytes     *data,
                                                   const char *encoded_name,
                                                   GError    **error);
PARLEY_AVAILABLE_IN_1_0
JsonObject         *parley_attachment_summary     (JsonObject *attachment);

G_END_DECLS
