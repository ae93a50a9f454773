/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "parley-plugin-host.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_WINDOW (parley_window_get_type ())
G_DECLARE_FINAL_TYPE (ParleyWindow, parley_window, PARLEY, WINDOW, AdwApplicationWindow)

ParleyWindow *parley_window_new          (AdwApplication *application,
                                          ParleyPluginHost *plugins);
void          parley_window_decide_offer (ParleyWindow   *self,
                                          gint64          offer_id,
                                          gboolean        accept);

G_END_DECLS
