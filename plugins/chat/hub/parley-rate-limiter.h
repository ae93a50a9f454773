/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_RATE_LIMITER (parley_rate_limiter_get_type ())
G_DECLARE_FINAL_TYPE (ParleyRateLimiter, parley_rate_limiter, PARLEY, RATE_LIMITER, GObject)

void               parley_rate_limiter_register (GTypeModule       *module);
ParleyRateLimiter *parley_rate_limiter_new      (double             burst,
                                                 double             per_second);
gboolean           parley_rate_limiter_take     (ParleyRateLimiter *self,
                                                 const char        *key);

G_END_DECLS
