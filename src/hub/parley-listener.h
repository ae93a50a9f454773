/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "parley-config.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_LISTENER (parley_listener_get_type ())
G_DECLARE_FINAL_TYPE (ParleyListener, parley_listener, PARLEY, LISTENER, GObject)

ParleyListener *parley_listener_new                (SoupServer          *server,
                                                    const char          *address,
                                                    GError             **error);
gboolean        parley_listener_apply_config       (ParleyListener      *self,
                                                    const ParleyConfig  *config,
                                                    GError             **error);
void            parley_listener_reload             (ParleyListener      *self);
GUri           *parley_listener_get_uri            (ParleyListener      *self);
void            parley_listener_close              (ParleyListener      *self);
GSocket        *parley_listener_get_socket         (SoupServerMessage   *msg);
void            parley_listener_trust_connection   (SoupServerMessage   *msg);

G_END_DECLS
