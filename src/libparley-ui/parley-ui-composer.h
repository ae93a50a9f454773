/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtk/gtk.h>
#include <parley-version-macros.h>

G_BEGIN_DECLS

#define PARLEY_UI_TYPE_COMPOSER (parley_ui_composer_get_type ())
PARLEY_AVAILABLE_IN_1_0
G_DECLARE_INTERFACE (ParleyUiComposer, parley_ui_composer, PARLEY_UI, COMPOSER, GtkWidget)

/**
 * ParleyUiComposerInterface:
 * @dup_text: the text written so far
 * @clear: empties the composer after a send
 * @insert_text: inserts @text at the cursor (canned responses)
 *
 * What the agent writes a reply in. The host owns the channel switcher and
 * the send button; the composer only holds the draft.
 */
struct _ParleyUiComposerInterface
{
  GTypeInterface parent_iface;

  char *(*dup_text)    (ParleyUiComposer *self);
  void  (*clear)       (ParleyUiComposer *self);
  void  (*insert_text) (ParleyUiComposer *self,
                        const char       *text);

  /*< private >*/
  gpointer padding[8];
};

PARLEY_AVAILABLE_IN_1_0
char *parley_ui_composer_dup_text    (ParleyUiComposer *self);
PARLEY_AVAILABLE_IN_1_0
void  parley_ui_composer_clear       (ParleyUiComposer *self);
PARLEY_AVAILABLE_IN_1_0
void  parley_ui_composer_insert_text (ParleyUiComposer *self,
                                      const char       *text);

G_END_DECLS
