/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_LOGIN_THROTTLE (parley_login_throttle_get_type ())
G_DECLARE_FINAL_TYPE (ParleyLoginThrottle, parley_login_throttle, PARLEY, LOGIN_THROTTLE, GObject)

/* Failed logins, counted per login and per client address. A few may fail
 * freely; after that each failure locks further attempts for twice as long
 * as the one before (1 s, 2 s, 4 s … up to 15 min). Times are the caller's,
 * in µs, so the clock can be anything (tests pass their own). */
ParleyLoginThrottle *parley_login_throttle_new       (void);
gint64               parley_login_throttle_wait      (ParleyLoginThrottle *self,
                                                      const char          *login,
                                                      const char          *address,
                                                      gint64               now);
void                 parley_login_throttle_failed    (ParleyLoginThrottle *self,
                                                      const char          *login,
                                                      const char          *address,
                                                      gint64               now);
void                 parley_login_throttle_succeeded (ParleyLoginThrottle *self,
                                                      const char          *login);

G_END_DECLS
