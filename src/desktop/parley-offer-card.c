/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-offer-card"

#include "config.h"

#include <glib/gi18n.h>
#include <parley-ui.h>

#include "parley-offer-card.h"
#include "parley-figures.h"

/**
 * ParleyOfferCard:
 *
 * One offer as the agent sees it: channel and customer, a preview of what
 * they wrote, how long they have waited and how long is left to accept,
 * and the agent's Accept and Reject for this offer alone. The buttons
 * emit #ParleyOfferCard::decided; the #ParleyOfferStack asks the hub.
 */
struct _ParleyOfferCard
{
  GtkBox          parent_instance;

  gint64          offer_id;
  char           *title;
  char           *preview;
  char           *channel;
  char           *customer_name;
  gint64          customer_since;  /* real µs the conversation began */
  gint64          lifetime;        /* µs the hub gives the offer */
  gint64          arrived_at;      /* monotonic µs it arrived here */

  GtkLabel       *title_label;
  GtkLabel       *preview_label;
  GtkLabel       *time_label;
  GtkProgressBar *countdown;
  GtkImage       *channel_icon;
  GtkWidget      *accept_button;
  GtkWidget      *reject_button;
};

G_DEFINE_FINAL_TYPE (ParleyOfferCard, parley_offer_card, GTK_TYPE_BOX)

enum {
  DECIDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
accept_clicked_cb (ParleyOfferCard *self)
{
  g_signal_emit (self, signals[DECIDED], 0, TRUE);
}

static void
reject_clicked_cb (ParleyOfferCard *self)
{
  g_signal_emit (self, signals[DECIDED], 0, FALSE);
}

static void
parley_offer_card_finalize (GObject *object)
{
  ParleyOfferCard *self = PARLEY_OFFER_CARD (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->preview, g_free);
  g_clear_pointer (&self->channel, g_free);
  g_clear_pointer (&self->customer_name, g_free);
  G_OBJECT_CLASS (parley_offer_card_parent_class)->finalize (object);
}

static void
parley_offer_card_class_init (ParleyOfferCardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = parley_offer_card_finalize;

  /**
   * ParleyOfferCard::decided:
   * @accept: TRUE for Accept, FALSE for Reject
   *
   * The agent decided on this offer.
   */
  signals[DECIDED] = g_signal_new ("decided", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/parley/Parley/ui/parley-offer-card.ui");
  gtk_widget_class_bind_template_child (widget_class, ParleyOfferCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, ParleyOfferCard, preview_label);
  gtk_widget_class_bind_template_child (widget_class, ParleyOfferCard, time_label);
  gtk_widget_class_bind_template_child (widget_class, ParleyOfferCard, countdown);
  gtk_widget_class_bind_template_child (widget_class, ParleyOfferCard, channel_icon);
  gtk_widget_class_bind_template_child (widget_class, ParleyOfferCard, accept_button);
  gtk_widget_class_bind_template_child (widget_class, ParleyOfferCard, reject_button);
  gtk_widget_class_bind_template_callback (widget_class, accept_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reject_clicked_cb);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
parley_offer_card_init (ParleyOfferCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
name_button (GtkWidget *button,
             char      *name)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_free (name);
}

/* The channel's title and icon, as the directory has them now: an offer
 * pushed before the hub's channels were read is named again once they are. */
static void
show_channel (ParleyOfferCard *self)
{
  ParleyUiChannelDirectory *directory = parley_ui_channel_directory_get_default ();

  g_free (self->title);
  /* Translators: an offer, e.g. "New Chat: María García" */
  self->title = g_strdup_printf (_("New %s: %s"), parley_ui_channel_directory_get_title (directory, self->channel),
                                 self->customer_name);
  gtk_label_set_text (self->title_label, self->title);
  gtk_image_set_from_icon_name (self->channel_icon, parley_ui_channel_directory_get_icon_name (directory, self->channel));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, self->title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->preview, -1);
}

GtkWidget *
parley_offer_card_new (JsonObject *offer)
{
  ParleyOfferCard *self = g_object_new (PARLEY_TYPE_OFFER_CARD, NULL);
  JsonObject *customer = json_object_get_object_member (offer, "customer");
  JsonObject *conversation = json_object_get_object_member (offer, "conversation");
  JsonNode *last = conversation ? json_object_get_member (conversation, "last_event") : NULL;
  const char *channel = conversation ? json_object_get_string_member_with_default (conversation, "channel", "") : "";
  const char *name = customer ? json_object_get_string_member_with_default (customer, "name", "") : "";
  const char *preview = NULL;

  if (last && JSON_NODE_HOLDS_OBJECT (last))
    preview = json_object_get_string_member_with_default (json_node_get_object (last), "text", NULL);
  self->offer_id = json_object_get_int_member_with_default (offer, "id", 0);
  self->channel = g_strdup (channel);
  self->customer_name = g_strdup (name);
  self->preview = g_strdup (preview ? preview : "");
  self->customer_since = conversation ? json_object_get_int_member_with_default (conversation, "created", 0) : 0;
  if (self->customer_since <= 0)
    self->customer_since = g_get_real_time ();
  self->lifetime = json_object_get_int_member_with_default (offer, "expires", 0) -
                   json_object_get_int_member_with_default (offer, "created", 0);
  self->arrived_at = g_get_monotonic_time ();

  /* Customer text goes in as plain text, never as markup. */
  gtk_label_set_text (self->preview_label, self->preview);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_label), *self->preview != '\0');
  show_channel (self);
  g_signal_connect_object (parley_ui_channel_directory_get_default (), "changed",
                           G_CALLBACK (show_channel), self, G_CONNECT_SWAPPED);
  /* Translators: accessible name of an offer's button, %s is the customer */
  name_button (self->accept_button, g_strdup_printf (_("Accept %s"), name));
  /* Translators: accessible name of an offer's button, %s is the customer */
  name_button (self->reject_button, g_strdup_printf (_("Reject %s"), name));
  parley_offer_card_tick (self);
  return GTK_WIDGET (self);
}

gint64
parley_offer_card_get_offer_id (ParleyOfferCard *self)
{
  return self->offer_id;
}

const char *
parley_offer_card_get_title (ParleyOfferCard *self)
{
  return self->title;
}

const char *
parley_offer_card_get_preview (ParleyOfferCard *self)
{
  return self->preview;
}

/* Refreshes the waiting time and the countdown. The countdown runs from
 * when the offer arrived here, so clock skew with the hub does not matter. */
void
parley_offer_card_tick (ParleyOfferCard *self)
{
  gint64 left = MAX (0, self->lifetime - (g_get_monotonic_time () - self->arrived_at));
  g_autofree char *waited = parley_figures_format_duration ((g_get_real_time () - self->customer_since) / 1000);
  g_autofree char *text = NULL;

  /* Translators: under an offer: "Waiting 7 min 6 s · 12 s left to accept" */
  text = g_strdup_printf (_("Waiting %s · %d s left to accept"), waited,
                          (int) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
  gtk_label_set_text (self->time_label, text);
  gtk_progress_bar_set_fraction (self->countdown, self->lifetime > 0 ? (double) left / self->lifetime : 0);
}
