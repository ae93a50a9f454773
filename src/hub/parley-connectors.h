/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "parley.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_CONNECTORS (parley_connectors_get_type ())
G_DECLARE_FINAL_TYPE (ParleyConnectors, parley_connectors, PARLEY, CONNECTORS, GObject)

/* The long-running connections channels keep (mailboxes, trunk
 * registrations, XMPP logins), each run from when its channel adds it
 * until the channel stops. "changed" (kind, connector) says a connector's
 * state changed, for supervisors. This is where running a connector on
 * exactly one of several hubs will be decided. */
ParleyConnectors *parley_connectors_new         (void);
void              parley_connectors_add         (ParleyConnectors *self,
                                                 const char       *kind,
                                                 ParleyConnector  *connector);
void              parley_connectors_remove_kind (ParleyConnectors *self,
                                                 const char       *kind);
JsonArray        *parley_connectors_list        (ParleyConnectors *self);
JsonObject       *parley_connectors_describe    (ParleyConnectors *self,
                                                 ParleyConnector  *connector);

G_END_DECLS
