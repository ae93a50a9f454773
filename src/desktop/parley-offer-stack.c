/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-offer-stack"

#include "config.h"

#include <glib/gi18n.h>
#include <parley-ui.h>

#include "parley-offer-card.h"
#include "parley-offer-stack.h"

/**
 * ParleyOfferStack:
 *
 * Every offer the hub made to the agent and the agent has not answered,
 * oldest first, each a #ParleyOfferCard with its own countdown and
 * buttons. It listens to the client's `message::offer` pushes itself,
 * tells the hub when an offer was displayed (only those count as missed
 * when they expire), asks the hub for the agent's decisions, and sends a
 * desktop notification for offers that arrive while the window is in the
 * background.
 */
struct _ParleyOfferStack
{
  GtkBox        parent_instance;

  ParleyClient *client;
  GSettings    *settings;
  GCancellable *cancellable;
  GHashTable   *cards;          /* offer id → ParleyOfferCard */
  GHashTable   *conversations;  /* conversation id → offer id */
  guint         tick_source;
};

G_DEFINE_FINAL_TYPE (ParleyOfferStack, parley_offer_stack, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_N_OFFERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  OFFER_ADDED,
  OFFER_ENDED,
  TAKEN,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GApplication *
application (ParleyOfferStack *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;

  return app ? G_APPLICATION (app) : NULL;
}

static char *
notification_id (gint64 offer_id)
{
  return g_strdup_printf ("offer-%" G_GINT64_FORMAT, offer_id);
}

/* Offers arriving while the agent works in another window come as a
 * desktop notification with the same two decisions. */
static void
notify_offer (ParleyOfferStack *self,
              ParleyOfferCard  *card)
{
  GApplication *app = application (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gint64 offer_id = parley_offer_card_get_offer_id (card);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = notification_id (offer_id);

  if (app == NULL || !g_settings_get_boolean (self->settings, "notify-offers") ||
      gtk_window_is_active (GTK_WINDOW (root)))
    return;
  notification = g_notification_new (parley_offer_card_get_title (card));
  g_notification_set_body (notification, parley_offer_card_get_preview (card));
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
  g_notification_add_button_with_target (notification, _("Reject"), "app.reject-offer", "x", offer_id);
  g_notification_add_button_with_target (notification, _("Accept"), "app.accept-offer", "x", offer_id);
  g_notification_set_default_action (notification, "app.activate");
  g_application_send_notification (app, id, notification);
}

static gboolean
tick_cb (gpointer user_data)
{
  ParleyOfferStack *self = user_data;
  GHashTableIter iter;
  gpointer card;

  g_hash_table_iter_init (&iter, self->cards);
  while (g_hash_table_iter_next (&iter, NULL, &card))
    parley_offer_card_tick (card);
  return G_SOURCE_CONTINUE;
}

static void
changed (ParleyOfferStack *self)
{
  guint n = g_hash_table_size (self->cards);

  gtk_widget_set_visible (GTK_WIDGET (self), n > 0);
  if (n > 0 && self->tick_source == 0)
    self->tick_source = g_timeout_add (250, tick_cb, self);
  else if (n == 0)
    g_clear_handle_id (&self->tick_source, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_OFFERS]);
}

static void
remove_card (ParleyOfferStack *self,
             gint64            offer_id)
{
  GtkWidget *card = g_hash_table_lookup (self->cards, &offer_id);
  GApplication *app = application (self);
  GHashTableIter iter;
  gpointer value;
  g_autofree char *id = notification_id (offer_id);

  if (card == NULL)
    return;
  if (app)
    g_application_withdraw_notification (app, id);
  g_hash_table_iter_init (&iter, self->conversations);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (*(gint64 *) value == offer_id)
      g_hash_table_iter_remove (&iter);
  gtk_box_remove (GTK_BOX (self), card);
  g_hash_table_remove (self->cards, &offer_id);
  changed (self);
}

static void
shown_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, &error);

  /* An offer that ended meanwhile cannot be missed any more. */
  if (error && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("The hub did not note an offer as shown: %s", error->message);
}

/* The agent can see the offer now: from here on, letting it expire means
 * they missed it. */
static void
card_mapped_cb (ParleyOfferCard  *card,
                ParleyOfferStack *self)
{
  g_autofree char *path = g_strdup_printf ("offers/%" G_GINT64_FORMAT "/shown", parley_offer_card_get_offer_id (card));

  g_signal_handlers_disconnect_by_func (card, card_mapped_cb, self);
  parley_client_request_async (self->client, "POST", path, NULL, self->cancellable, shown_cb, NULL);
}

static void
card_decided_cb (ParleyOfferCard  *card,
                 gboolean          accept,
                 ParleyOfferStack *self)
{
  parley_offer_stack_decide (self, parley_offer_card_get_offer_id (card), accept);
}

static void
offer_pushed_cb (ParleyOfferStack *self,
                 const char       *type,
                 JsonObject       *message)
{
  JsonObject *offer = parley_json_get_object (message, "offer", FALSE, NULL);
  gint64 id = offer ? json_object_get_int_member_with_default (offer, "id", 0) : 0;
  gint64 conversation_id = offer ? json_object_get_int_member_with_default (offer, "conversation_id", 0) : 0;
  const char *state = offer ? json_object_get_string_member_with_default (offer, "state", "offered") : NULL;
  GtkWidget *card;

  if (id <= 0)
    return;
  if (!g_str_equal (state, "offered"))
    {
      gboolean was_shown = g_hash_table_contains (self->cards, &id);

      remove_card (self, id);
      g_signal_emit (self, signals[OFFER_ENDED], 0, conversation_id, was_shown && g_str_equal (state, "expired"));
      return;
    }
  if (g_hash_table_contains (self->cards, &id))
    return;
  card = parley_offer_card_new (offer);
  g_hash_table_insert (self->cards, g_memdup2 (&id, sizeof id), card);
  g_hash_table_insert (self->conversations, g_memdup2 (&conversation_id, sizeof conversation_id),
                       g_memdup2 (&id, sizeof id));
  g_signal_connect (card, "decided", G_CALLBACK (card_decided_cb), self);
  g_signal_connect (card, "map", G_CALLBACK (card_mapped_cb), self);
  gtk_box_append (GTK_BOX (self), card);
  changed (self);
  g_signal_emit (self, signals[OFFER_ADDED], 0, conversation_id);
  notify_offer (self, PARLEY_OFFER_CARD (card));
}

static void
decided_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ParleyOfferStack) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) conversation = parley_client_request_finish (PARLEY_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (conversation == NULL)
    g_signal_emit (self, signals[FAILED], 0, error);
  else
    g_signal_emit (self, signals[TAKEN], 0, conversation);
}

static void
parley_offer_stack_dispose (GObject *object)
{
  ParleyOfferStack *self = PARLEY_OFFER_STACK (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->cards, g_hash_table_unref);
  g_clear_pointer (&self->conversations, g_hash_table_unref);
  G_OBJECT_CLASS (parley_offer_stack_parent_class)->dispose (object);
}

static void
parley_offer_stack_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ParleyOfferStack *self = PARLEY_OFFER_STACK (object);

  switch (prop_id)
    {
    case PROP_N_OFFERS:
      g_value_set_uint (value, parley_offer_stack_get_n_offers (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_offer_stack_class_init (ParleyOfferStackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = parley_offer_stack_dispose;
  object_class->get_property = parley_offer_stack_get_property;

  properties[PROP_N_OFFERS] =
    g_param_spec_uint ("n-offers", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ParleyOfferStack::offer-added:
   * @conversation_id: the conversation offered
   */
  signals[OFFER_ADDED] = g_signal_new ("offer-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * ParleyOfferStack::offer-ended:
   * @conversation_id: the conversation that was offered
   * @expired: whether the agent let a shown offer run out
   *
   * The hub ended an offer without the agent's decision.
   */
  signals[OFFER_ENDED] = g_signal_new ("offer-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_BOOLEAN);
  /**
   * ParleyOfferStack::taken:
   * @conversation: (type Json.Object): the conversation as the hub answered the decision
   */
  signals[TAKEN] = g_signal_new ("taken", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
  /**
   * ParleyOfferStack::failed:
   * @error: why the hub refused the decision
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "offerstack");
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_LIST);
}

static void
parley_offer_stack_init (ParleyOfferStack *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  self->cancellable = g_cancellable_new ();
  self->cards = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->conversations = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Offers"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/* Listens to @client's offers from now on; NULL stops. */
void
parley_offer_stack_set_client (ParleyOfferStack *self,
                               ParleyClient     *client,
                               GSettings        *settings)
{
  g_return_if_fail (PARLEY_IS_OFFER_STACK (self));

  parley_offer_stack_clear (self);
  if (self->client)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  g_set_object (&self->settings, settings);
  if (client)
    {
      g_signal_connect_object (client, "message::offer", G_CALLBACK (offer_pushed_cb), self, G_CONNECT_SWAPPED);
      /* Offers made before a drop were withdrawn by the hub when the last
       * socket closed; those that still stand come again. */
      g_signal_connect_object (client, "connected", G_CALLBACK (parley_offer_stack_clear), self, G_CONNECT_SWAPPED);
    }
}

guint
parley_offer_stack_get_n_offers (ParleyOfferStack *self)
{
  return self->cards ? g_hash_table_size (self->cards) : 0;
}

/* Whether @conversation_id is offered to the agent right now. */
gboolean
parley_offer_stack_is_offered (ParleyOfferStack *self,
                               gint64            conversation_id)
{
  return g_hash_table_contains (self->conversations, &conversation_id);
}

void
parley_offer_stack_decide (ParleyOfferStack *self,
                           gint64            offer_id,
                           gboolean          accept)
{
  g_autofree char *path = g_strdup_printf ("offers/%" G_GINT64_FORMAT "/%s", offer_id, accept ? "accept" : "reject");

  g_return_if_fail (PARLEY_IS_OFFER_STACK (self));
  if (self->client == NULL)
    return;
  remove_card (self, offer_id);
  parley_client_request_async (self->client, "POST", path, NULL, self->cancellable, decided_cb, g_object_ref (self));
}

/* The keyboard's decision goes to the offer that expires first. */
void
parley_offer_stack_decide_oldest (ParleyOfferStack *self,
                                  gboolean          accept)
{
  GtkWidget *first = gtk_widget_get_first_child (GTK_WIDGET (self));

  if (first)
    parley_offer_stack_decide (self, parley_offer_card_get_offer_id (PARLEY_OFFER_CARD (first)), accept);
}

void
parley_offer_stack_clear (ParleyOfferStack *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    remove_card (self, parley_offer_card_get_offer_id (PARLEY_OFFER_CARD (child)));
}
