/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <parley.h>

G_BEGIN_DECLS

AdwMessageDialog *parley_dialog_new        (GtkWidget        *parent,
                                            const char       *heading,
                                            const char       *body,
                                            const char       *confirm_label);
GtkBox           *parley_dialog_add_box    (AdwMessageDialog *dialog);
GtkCheckButton   *parley_dialog_add_choice (GtkBox           *box,
                                            const char       *label,
                                            const char       *value,
                                            GtkCheckButton   *group);
const char       *parley_dialog_get_choice (GtkBox           *box);
GtkEntry         *parley_dialog_add_entry  (GtkBox           *box,
                                            const char       *label,
                                            const char       *text);

/* Called with the chosen disposition's slug. */
typedef void (*ParleyResolveChosen) (GObject    *owner,
                                     const char *disposition);

void              parley_resolve_dialog_present (GtkWidget           *parent,
                                                 const char * const  *dispositions,
                                                 GObject             *owner,
                                                 ParleyResolveChosen  chosen);

/* Called with the chosen transfer's body: {"queue":ID} or {"agent":ID}. */
typedef void (*ParleyTransferChosen) (GObject    *owner,
                                      JsonObject *body);

void              parley_transfer_dialog_present (GtkWidget            *parent,
                                                  ParleyClient         *client,
                                                  gint64                conversation_id,
                                                  GObject              *owner,
                                                  ParleyTransferChosen  chosen);

G_END_DECLS
