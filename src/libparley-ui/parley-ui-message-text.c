/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-ui-message-text"

#include "config.h"

#include "parley-ui-message-text.h"

/**
 * ParleyUiMessageText:
 *
 * The text of a message in a timeline row: plain text (never markup) that
 * wraps, can be selected and copied, and is at least 16 and at most 72
 * characters wide. It looks and behaves like a wrapping #GtkLabel, which
 * it holds, but works out its width with one text layout per text: a
 * wrapping label lays its text out at each width it might be given (its
 * widest, its narrowest, its most natural) every time it is measured, and
 * a list view measures every new row several times. The height is still
 * the label's own, for the width it gets: only the label knows where its
 * lines break.
 *
 * Use it for text that can be long and arrives in bulk, such as the body
 * of an event view.
 */
#define MIN_CHARS 16
#define MAX_CHARS 72

struct _ParleyUiMessageText
{
  GtkWidget  parent_instance;

  GtkLabel  *label;

  /* The width of the text with each paragraph on one line; valid while
   * unwrapped_serial is the serial of the label's Pango context. */
  guint      unwrapped_serial;  /* 0: not measured since the text changed */
  int        unwrapped_width;
};

G_DEFINE_FINAL_TYPE (ParleyUiMessageText, parley_ui_message_text, GTK_TYPE_WIDGET)

static void
parley_ui_message_text_dispose (GObject *object)
{
  ParleyUiMessageText *self = PARLEY_UI_MESSAGE_TEXT (object);

  if (self->label)
    gtk_widget_unparent (GTK_WIDGET (g_steal_pointer (&self->label)));
  G_OBJECT_CLASS (parley_ui_message_text_parent_class)->dispose (object);
}

/* The width of an average character in the label's font. Pango shapes a
 * sample sentence to find it, so it is kept for the last font asked about:
 * rows are made and dropped all the time, and nearly all use one font. */
static int
char_width (ParleyUiMessageText *self)
{
  static PangoFontDescription *last_font;
  static PangoLanguage *last_language;
  static int last_width;
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self->label));
  const PangoFontDescription *font = pango_context_get_font_description (context);
  PangoLanguage *language = pango_context_get_language (context);
  PangoFontMetrics *metrics;

  if (last_font && language == last_language && pango_font_description_equal (last_font, font))
    return last_width;

  metrics = pango_context_get_metrics (context, font, language);
  last_width = PANGO_PIXELS_CEIL (MAX (pango_font_metrics_get_approximate_char_width (metrics),
                                       pango_font_metrics_get_approximate_digit_width (metrics)));
  pango_font_metrics_unref (metrics);
  g_clear_pointer (&last_font, pango_font_description_free);
  last_font = pango_font_description_copy (font);
  last_language = language;
  return last_width;
}

/* Lays the text out with each paragraph on one line, in the label's font
 * and attributes, once per text and font. */
static void
measure_unwrapped (ParleyUiMessageText *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self->label));
  g_autoptr(PangoLayout) layout = NULL;
  PangoRectangle logical;

  if (self->unwrapped_serial == pango_context_get_serial (context))
    return;
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->label), gtk_label_get_text (self->label));
  pango_layout_set_attributes (layout, pango_layout_get_attributes (gtk_label_get_layout (self->label)));
  pango_layout_get_extents (layout, NULL, &logical);
  self->unwrapped_width = PANGO_PIXELS_CEIL (logical.width);
  self->unwrapped_serial = pango_context_get_serial (context);
}

static void
parley_ui_message_text_measure (GtkWidget      *widget,
                                GtkOrientation  orientation,
                                int             for_size,
                                int            *minimum,
                                int            *natural,
                                int            *minimum_baseline,
                                int            *natural_baseline)
{
  ParleyUiMessageText *self = PARLEY_UI_MESSAGE_TEXT (widget);
  int average = char_width (self);
  int narrowest = MIN_CHARS * average;
  int widest;

  measure_unwrapped (self);
  widest = CLAMP (self->unwrapped_width, narrowest, MAX_CHARS * average);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = narrowest;
      *natural = widest;
    }
  else
    /* Where the lines break only the label knows: it measures the height. */
    gtk_widget_measure (GTK_WIDGET (self->label), GTK_ORIENTATION_VERTICAL, for_size < 0 ? widest : for_size,
                        minimum, natural, minimum_baseline, natural_baseline);
}

static void
parley_ui_message_text_size_allocate (GtkWidget *widget,
                                      int        width,
                                      int        height,
                                      int        baseline)
{
  ParleyUiMessageText *self = PARLEY_UI_MESSAGE_TEXT (widget);

  gtk_widget_allocate (GTK_WIDGET (self->label), width, height, baseline, NULL);
}

static GtkSizeRequestMode
parley_ui_message_text_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
parley_ui_message_text_class_init (ParleyUiMessageTextClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = parley_ui_message_text_dispose;
  widget_class->measure = parley_ui_message_text_measure;
  widget_class->size_allocate = parley_ui_message_text_size_allocate;
  widget_class->get_request_mode = parley_ui_message_text_get_request_mode;
  gtk_widget_class_set_css_name (widget_class, "parley-message-text");
}

static void
parley_ui_message_text_init (ParleyUiMessageText *self)
{
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_use_markup (self->label, FALSE);
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_wrap_mode (self->label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (self->label, TRUE);
  gtk_label_set_xalign (self->label, 0);
  /* Before measuring a height GTK measures the label's width, at its
   * narrowest too: 16 characters to a line, not one word. */
  gtk_label_set_width_chars (self->label, MIN_CHARS);
  gtk_widget_set_parent (GTK_WIDGET (self->label), GTK_WIDGET (self));
}

/**
 * parley_ui_message_text_new:
 *
 * A selectable, wrapping plain text for a message.
 *
 * Returns: (transfer full): a new, empty message text
 */
GtkWidget *
parley_ui_message_text_new (void)
{
  return g_object_new (PARLEY_UI_TYPE_MESSAGE_TEXT, NULL);
}

/**
 * parley_ui_message_text_get_text:
 * @self: a #ParleyUiMessageText
 *
 * The text shown, as it was set.
 *
 * Returns: the text shown
 */
const char *
parley_ui_message_text_get_text (ParleyUiMessageText *self)
{
  g_return_val_if_fail (PARLEY_UI_IS_MESSAGE_TEXT (self), NULL);

  return gtk_label_get_text (self->label);
}

/**
 * parley_ui_message_text_set_text:
 * @self: a #ParleyUiMessageText
 * @text: (nullable): plain text, shown as it is
 *
 * Shows @text. Markup in it is shown as text.
 */
void
parley_ui_message_text_set_text (ParleyUiMessageText *self,
                                 const char          *text)
{
  g_return_if_fail (PARLEY_UI_IS_MESSAGE_TEXT (self));

  if (g_strcmp0 (gtk_label_get_text (self->label), text ? text : "") == 0)
    return;
  self->unwrapped_serial = 0;
  gtk_label_set_text (self->label, text ? text : "");
}
