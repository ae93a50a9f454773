/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * PARLEY_ATTACHMENT_MAX_SIZE:
 *
 * The largest file, in bytes, a customer or an agent may send (5 MiB).
 */
#define PARLEY_ATTACHMENT_MAX_SIZE (5 * 1024 * 1024)

const char * const *parley_attachment_get_types   (void);
const char         *parley_attachment_sniff_type  (GBytes     *data);
const char         *parley_attachment_recognise   (GBytes     *data);
char               *parley_attachment_clean_name  (const char *name);
char               *parley_attachment_file_name   (const char *name,
                                                   const char *type);
gboolean            parley_attachment_check_size  (guint64     size,
                                                   GError    **error);
JsonObject         *parley_attachment_check       (GBytes     *data,
                                                   const char *encoded_name,
                                                   GError    **error);
JsonObject         *parley_attachment_summary     (JsonObject *attachment);

G_END_DECLS
