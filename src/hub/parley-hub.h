/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "parley-config.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_HUB (parley_hub_get_type ())
G_DECLARE_FINAL_TYPE (ParleyHub, parley_hub, PARLEY, HUB, GObject)

/* Takes ownership of config. */
ParleyHub  *parley_hub_new        (ParleyConfig  *config,
                                   GError       **error);
gboolean    parley_hub_listen     (ParleyHub     *self,
                                   const char    *address,
                                   GError       **error);
GUri       *parley_hub_get_uri    (ParleyHub     *self);
const char *parley_hub_get_listen_address (ParleyHub *self);
void        parley_hub_reload     (ParleyHub     *self);
void        parley_hub_shutdown   (ParleyHub     *self);

G_END_DECLS
