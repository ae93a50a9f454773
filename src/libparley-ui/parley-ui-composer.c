/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-ui-composer"

#include "config.h"

#include "parley-ui-composer.h"

/**
 * ParleyUiComposer:
 *
 * A widget that holds the agent's draft reply for one channel.
 */
G_DEFINE_INTERFACE (ParleyUiComposer, parley_ui_composer, GTK_TYPE_WIDGET)

static void
parley_ui_composer_default_init (ParleyUiComposerInterface *iface)
{
}

/**
 * parley_ui_composer_dup_text:
 * @self: a #ParleyUiComposer
 *
 * The text written so far.
 *
 * Returns: (transfer full): the draft
 */
char *
parley_ui_composer_dup_text (ParleyUiComposer *self)
{
  g_return_val_if_fail (PARLEY_UI_IS_COMPOSER (self), NULL);
  return PARLEY_UI_COMPOSER_GET_IFACE (self)->dup_text (self);
}

/**
 * parley_ui_composer_clear:
 * @self: a #ParleyUiComposer
 *
 * Empties the composer once its text was sent.
 */
void
parley_ui_composer_clear (ParleyUiComposer *self)
{
  g_return_if_fail (PARLEY_UI_IS_COMPOSER (self));
  PARLEY_UI_COMPOSER_GET_IFACE (self)->clear (self);
}

/**
 * parley_ui_composer_insert_text:
 * @self: a #ParleyUiComposer
 * @text: plain text to insert at the cursor
 *
 * Inserts @text at the cursor (a canned response).
 */
void
parley_ui_composer_insert_text (ParleyUiComposer *self,
                                const char       *text)
{
  g_return_if_fail (PARLEY_UI_IS_COMPOSER (self));
  PARLEY_UI_COMPOSER_GET_IFACE (self)->insert_text (self, text);
}
