/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-ui-text-composer"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "parley-ui-composer.h"
#include "parley-ui-text-composer.h"

/**
 * ParleyUiTextComposer:
 *
 * The generic composer: a plain multi-line text field that grows up to a
 * few lines and then scrolls.
 */
struct _ParleyUiTextComposer
{
  GtkWidget    parent_instance;

  GtkWidget   *scroller;
  GtkTextView *view;
};

static void composer_iface_init (ParleyUiComposerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ParleyUiTextComposer, parley_ui_text_composer, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (PARLEY_UI_TYPE_COMPOSER, composer_iface_init))

static char *
text_composer_dup_text (ParleyUiComposer *composer)
{
  ParleyUiTextComposer *self = PARLEY_UI_TEXT_COMPOSER (composer);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
text_composer_clear (ParleyUiComposer *composer)
{
  ParleyUiTextComposer *self = PARLEY_UI_TEXT_COMPOSER (composer);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->view), "", 0);
}

static void
text_composer_insert_text (ParleyUiComposer *composer,
                           const char       *text)
{
  ParleyUiTextComposer *self = PARLEY_UI_TEXT_COMPOSER (composer);

  gtk_text_buffer_insert_at_cursor (gtk_text_view_get_buffer (self->view), text, -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

static void
composer_iface_init (ParleyUiComposerInterface *iface)
{
  iface->dup_text = text_composer_dup_text;
  iface->clear = text_composer_clear;
  iface->insert_text = text_composer_insert_text;
}

static gboolean
parley_ui_text_composer_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (PARLEY_UI_TEXT_COMPOSER (widget)->view));
}

static void
parley_ui_text_composer_dispose (GObject *object)
{
  ParleyUiTextComposer *self = PARLEY_UI_TEXT_COMPOSER (object);

  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  G_OBJECT_CLASS (parley_ui_text_composer_parent_class)->dispose (object);
}

static void
parley_ui_text_composer_class_init (ParleyUiTextComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = parley_ui_text_composer_dispose;
  widget_class->grab_focus = parley_ui_text_composer_grab_focus;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "parley-composer");
}

static void
parley_ui_text_composer_init (ParleyUiTextComposer *self)
{
  self->view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_wrap_mode (self->view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (self->view, FALSE);
  gtk_text_view_set_top_margin (self->view, 8);
  gtk_text_view_set_bottom_margin (self->view, 8);
  gtk_text_view_set_left_margin (self->view, 8);
  gtk_text_view_set_right_margin (self->view, 8);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reply text"), -1);

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (self->scroller), 40);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (self->scroller), 160);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->view));
  gtk_widget_add_css_class (self->scroller, "card");
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
}

/**
 * parley_ui_text_composer_new:
 *
 * The plain-text composer a channel without its own gets.
 *
 * Returns: (transfer full): a new plain-text composer
 */
GtkWidget *
parley_ui_text_composer_new (void)
{
  return g_object_new (PARLEY_UI_TYPE_TEXT_COMPOSER, NULL);
}
