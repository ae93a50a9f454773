/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <parley.h>
#include <parley-version-macros.h>

G_BEGIN_DECLS

#define PARLEY_UI_TYPE_EVENT_VIEW (parley_ui_event_view_get_type ())
PARLEY_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (ParleyUiEventView, parley_ui_event_view, PARLEY_UI, EVENT_VIEW, GtkWidget)

PARLEY_AVAILABLE_IN_1_0
GtkWidget *parley_ui_event_view_new        (void);
PARLEY_AVAILABLE_IN_1_0
void       parley_ui_event_view_set_event  (ParleyUiEventView *self,
                                            JsonObject        *event);
PARLEY_AVAILABLE_IN_1_0
void       parley_ui_event_view_set_client (ParleyUiEventView *self,
                                            ParleyClient      *client);

G_END_DECLS
