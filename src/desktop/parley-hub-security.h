/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <parley.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_HUB_SECURITY (parley_hub_security_get_type ())
G_DECLARE_FINAL_TYPE (ParleyHubSecurity, parley_hub_security, PARLEY, HUB_SECURITY, GtkBox)

void     parley_hub_security_set_settings (ParleyHubSecurity *self,
                                           GSettings         *settings);
void     parley_hub_security_set_hub      (ParleyHubSecurity *self,
                                           const char        *hub_url);
gboolean parley_hub_security_apply        (ParleyHubSecurity *self,
                                           ParleyClient      *client,
                                           GError           **error);
void     parley_hub_security_remember     (ParleyHubSecurity *self);
gboolean parley_hub_security_show_problem (ParleyHubSecurity *self,
                                           ParleyClient      *client,
                                           const GError      *error);
void     parley_hub_security_clear_problem (ParleyHubSecurity *self);

G_END_DECLS
