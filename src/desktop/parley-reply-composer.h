/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <parley.h>

#include "parley-plugin-host.h"

G_BEGIN_DECLS

#define PARLEY_TYPE_REPLY_COMPOSER (parley_reply_composer_get_type ())
G_DECLARE_FINAL_TYPE (ParleyReplyComposer, parley_reply_composer, PARLEY, REPLY_COMPOSER, GtkWidget)

void parley_reply_composer_setup            (ParleyReplyComposer *self,
                                             ParleyClient        *client,
                                             ParleyPluginHost    *plugins,
                                             GSettings           *settings,
                                             GActionMap          *actions);
void parley_reply_composer_set_conversation (ParleyReplyComposer *self,
                                             JsonObject          *customer,
                                             JsonObject          *conversation,
                                             gboolean             writable);
void parley_reply_composer_forget_drafts    (ParleyReplyComposer *self);

G_END_DECLS
