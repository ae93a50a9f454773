/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <parley.h>

#include "parley-conversation-item.h"
#include "parley-offer-stack.h"
#include "parley-presence-button.h"

G_BEGIN_DECLS

/* The sidebar's width, whatever its rows say: long names and messages
 * are cut, and the panes beside it keep their place. */
#define PARLEY_SIDEBAR_WIDTH 320

#define PARLEY_TYPE_SIDEBAR (parley_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (ParleySidebar, parley_sidebar, PARLEY, SIDEBAR, GtkWidget)

void                    parley_sidebar_set_client          (ParleySidebar *self,
                                                            ParleyClient  *client,
                                                            GSettings     *settings);
ParleyOfferStack       *parley_sidebar_get_offer_stack     (ParleySidebar *self);
ParleyPresenceButton   *parley_sidebar_get_presence_button (ParleySidebar *self);
ParleyConversationItem *parley_sidebar_place               (ParleySidebar *self,
                                                            JsonObject    *conversation);
ParleyConversationItem *parley_sidebar_lookup              (ParleySidebar *self,
                                                            gint64         conversation_id);
void                    parley_sidebar_set_open            (ParleySidebar *self,
                                                            gint64         conversation_id);
ParleyConversationItem *parley_sidebar_step                (ParleySidebar *self,
                                                            int            step);
void                    parley_sidebar_set_menu_visible    (ParleySidebar *self,
                                                            gboolean       visible);
void                    parley_sidebar_focus_search        (ParleySidebar *self);
void                    parley_sidebar_refresh             (ParleySidebar *self);
void                    parley_sidebar_clear               (ParleySidebar *self);

void          parley_sidebar_add_status_item (ParleySidebar *self,
                                              GtkWidget     *item);

G_END_DECLS
