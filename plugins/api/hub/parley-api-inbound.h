/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "parley.h"

G_BEGIN_DECLS

ParleyInbound *parley_api_inbound_from_json (JsonObject  *body,
                                             GError     **error);

G_END_DECLS
