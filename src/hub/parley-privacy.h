/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "parley-store.h"

G_BEGIN_DECLS

/* What Parley does with a customer's data on request and with time:
 * export it all as one archive, erase it, and delete files whose
 * retention has passed. Shared by parleyd (REST) and parleyctl (on the
 * data directory); both work through ParleyStore only. */

/* Files by what they are, told by their MIME type. */
typedef enum {
  PARLEY_FILE_KIND_IMAGE,
  PARLEY_FILE_KIND_DOCUMENT,
  PARLEY_FILE_KIND_RECORDING,
  PARLEY_N_FILE_KINDS
} ParleyFileKind;

/* Days each kind of file is kept; 0 keeps it for ever. */
typedef struct
{
  guint days[PARLEY_N_FILE_KINDS];
} ParleyRetention;

ParleyFileKind parley_file_kind_for_type  (const char             *type);

gboolean       parley_retention_load      (ParleyRetention        *self,
                                           GKeyFile               *file,
                                           GError                **error);
gint64         parley_retention_apply     (const ParleyRetention  *self,
                                           ParleyStore            *store,
                                           gint64                  now,
                                           GError                **error);

gboolean       parley_privacy_export      (ParleyStore            *store,
                                           gint64                  customer_id,
                                           GOutputStream          *out,
                                           gint64                  now,
                                           GError                **error);
gboolean       parley_privacy_audit_export (ParleyStore           *store,
                                           gint64                  customer_id,
                                           gint64                  agent_id,
                                           const char             *via,
                                           gint64                  now,
                                           GError                **error);
gboolean       parley_privacy_erase       (ParleyStore            *store,
                                           gint64                  customer_id,
                                           gint64                  agent_id,
                                           const char             *via,
                                           gint64                  now,
                                           GError                **error);

G_END_DECLS
