/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-inbound"

#include "config.h"

#include "parley-inbound.h"

/**
 * ParleyInbound:
 *
 * One message a channel received from a customer, handed to the hub with
 * parley_host_submit_async(). The hub resolves the sender's identity to a
 * customer, files the message in a conversation and, once that is
 * committed, fills in the ids with parley_inbound_set_result().
 */
struct _ParleyInbound
{
  GObject   parent_instance;

  char     *channel;
  char     *identity_kind;
  char     *identity_value;
  char     *display_name;
  char     *text;
  char     *html;
  char     *external_id;
  char     *metadata;
  char     *queue;
  char     *linked_kind;
  char     *linked_value;
  gboolean  linked_verified;

  gint64    event_id;
  gint64    conversation_id;
  gint64    customer_id;
  gboolean  duplicate;
};

G_DEFINE_FINAL_TYPE (ParleyInbound, parley_inbound, G_TYPE_OBJECT)

static void
parley_inbound_finalize (GObject *object)
{
  ParleyInbound *self = (ParleyInbound *) object;

  g_free (self->channel);
  g_free (self->identity_kind);
  g_free (self->identity_value);
  g_free (self->display_name);
  g_free (self->text);
  g_free (self->html);
  g_free (self->external_id);
  g_free (self->metadata);
  g_free (self->queue);
  g_free (self->linked_kind);
  g_free (self->linked_value);

  G_OBJECT_CLASS (parley_inbound_parent_class)->finalize (object);
}

static void
parley_inbound_class_init (ParleyInboundClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = parley_inbound_finalize;
}

static void
parley_inbound_init (ParleyInbound *self)
{
}

/**
 * parley_inbound_new:
 * @channel: the channel kind, such as "api"
 * @identity_kind: the sender's identity kind, such as "email"
 * @identity_value: the sender's address as the channel saw it
 *
 * A message a customer sent, from the identity given, to be handed to the
 * hub with parley_host_submit_async().
 *
 * Returns: (transfer full): a new #ParleyInbound
 */
ParleyInbound *
parley_inbound_new (const char *channel,
                    const char *identity_kind,
                    const char *identity_value)
{
  ParleyInbound *self = g_object_new (PARLEY_TYPE_INBOUND, NULL);

  self->channel = g_strdup (channel);
  self->identity_kind = g_strdup (identity_kind);
  self->identity_value = g_strdup (identity_value);
  return self;
}

#define STRING_ACCESSORS(field)                                                 \
  const char *parley_inbound_get_##field (ParleyInbound *self)                  \
  {                                                                             \
    g_return_val_if_fail (PARLEY_IS_INBOUND (self), NULL);                      \
    return self->field;                                                         \
  }

#define STRING_SETTER(field)                                                    \
  void parley_inbound_set_##field (ParleyInbound *self, const char *value)      \
  {                                                                             \
    g_return_if_fail (PARLEY_IS_INBOUND (self));                                \
    g_free (self->field);                                                       \
    self->field = g_strdup (value);                                             \
  }

/**
 * parley_inbound_get_channel:
 * @self: a #ParleyInbound
 *
 * The channel kind that received the message.
 *
 * Returns: (transfer none): the channel kind
 */
/**
 * parley_inbound_get_identity_kind:
 * @self: a #ParleyInbound
 *
 * The kind of the sender's identity (`email`, `phone`, or a channel's own).
 *
 * Returns: (transfer none): the identity kind
 */
/**
 * parley_inbound_get_identity_value:
 * @self: a #ParleyInbound
 *
 * The sender's identity as the channel saw it; the hub normalises it.
 *
 * Returns: (transfer none): the identity value
 */
/**
 * parley_inbound_get_display_name:
 * @self: a #ParleyInbound
 *
 * The sender's name as the channel gave it.
 *
 * Returns: (transfer none) (nullable): the name, or %NULL
 */
/**
 * parley_inbound_set_display_name:
 * @self: a #ParleyInbound
 * @display_name: (nullable): the sender's name
 *
 * Sets the sender's name as the channel knows it; a new customer is called by it.
 */
/**
 * parley_inbound_get_text:
 * @self: a #ParleyInbound
 *
 * The message's plain text.
 *
 * Returns: (transfer none) (nullable): the text, or %NULL
 */
/**
 * parley_inbound_set_text:
 * @self: a #ParleyInbound
 * @text: (nullable): the message's plain text
 *
 * Sets the message's text.
 */
/**
 * parley_inbound_get_html:
 * @self: a #ParleyInbound
 *
 * The message's HTML, for channels that have it (email); agents see it sanitised.
 *
 * Returns: (transfer none) (nullable): the HTML, or %NULL
 */
/**
 * parley_inbound_set_html:
 * @self: a #ParleyInbound
 * @html: (nullable): the message's HTML
 *
 * Sets the message's HTML, besides its plain text.
 */
/**
 * parley_inbound_get_external_id:
 * @self: a #ParleyInbound
 *
 * The provider's id for the message.
 *
 * Returns: (transfer none) (nullable): the id, or %NULL
 */
/**
 * parley_inbound_set_external_id:
 * @self: a #ParleyInbound
 * @external_id: (nullable): the provider's id for the message
 *
 * Sets the provider's id for the message: a later message of the channel with the same id is a repeated delivery, which the hub stores once (parley_inbound_get_duplicate()).
 */
/**
 * parley_inbound_get_metadata:
 * @self: a #ParleyInbound
 *
 * The channel's details kept with the event.
 *
 * Returns: (transfer none) (nullable): a JSON object as text, or %NULL
 */
/**
 * parley_inbound_set_metadata:
 * @self: a #ParleyInbound
 * @metadata_json: (nullable): a JSON object, as text
 *
 * Sets the channel's details for the event (a page address, a message header), kept in its `metadata`.
 */
/**
 * parley_inbound_get_queue:
 * @self: a #ParleyInbound
 *
 * The queue the channel asked for.
 *
 * Returns: (transfer none) (nullable): the queue's name or id, or %NULL
 */
/**
 * parley_inbound_set_queue:
 * @self: a #ParleyInbound
 * @queue: (nullable): a queue's name or id
 *
 * Asks for a queue for a new conversation, instead of the hub's routing.
 */
/**
 * parley_inbound_get_linked_kind:
 * @self: a #ParleyInbound
 *
 * The kind of the other identity the sender gave (see parley_inbound_set_linked_identity()).
 *
 * Returns: (transfer none) (nullable): the kind, or %NULL
 */
/**
 * parley_inbound_get_linked_value:
 * @self: a #ParleyInbound
 *
 * The value of the other identity the sender gave (see parley_inbound_set_linked_identity()).
 *
 * Returns: (transfer none) (nullable): the value, or %NULL
 */
/**
 * parley_inbound_get_linked_identity_verified:
 * @self: a #ParleyInbound
 *
 * Whether the channel has proof that the sender owns the linked identity.
 *
 * Returns: %TRUE when verified
 */

STRING_ACCESSORS (channel)
STRING_ACCESSORS (identity_kind)
STRING_ACCESSORS (identity_value)
STRING_ACCESSORS (display_name)
STRING_SETTER (display_name)
STRING_ACCESSORS (text)
STRING_SETTER (text)
STRING_ACCESSORS (html)
STRING_SETTER (html)
STRING_ACCESSORS (external_id)
STRING_SETTER (external_id)
STRING_ACCESSORS (metadata)
STRING_SETTER (metadata)
STRING_ACCESSORS (queue)
STRING_SETTER (queue)
STRING_ACCESSORS (linked_kind)
STRING_ACCESSORS (linked_value)

/**
 * parley_inbound_set_linked_identity:
 * @self: a #ParleyInbound
 * @kind: (nullable): an identity kind, such as "email"
 * @value: (nullable): the identity's value
 *
 * Another identity the sender gave (a chat visitor's email). Anyone can
 * type an address, so by itself it only suggests a match: if it belongs to
 * another customer, the hub records a suggestion an agent may confirm (an
 * audited merge they can undo), and nothing is linked. Only a verified
 * identity (see parley_inbound_set_linked_identity_verified()) is linked
 * to the sender's customer, or merges the sender's customer into the one
 * that has it, so the message lands in the history it belongs to.
 */
void
parley_inbound_set_linked_identity (ParleyInbound *self,
                                    const char    *kind,
                                    const char    *value)
{
  g_return_if_fail (PARLEY_IS_INBOUND (self));
  g_free (self->linked_kind);
  g_free (self->linked_value);
  self->linked_kind = g_strdup (kind);
  self->linked_value = g_strdup (value);
}

/**
 * parley_inbound_set_linked_identity_verified:
 * @self: a #ParleyInbound
 * @verified: whether the channel has proof the sender owns the linked identity
 *
 * Proof is, for example, the site's signature over the email of a user it
 * signed in (the chat channel's identity-secret). Unverified by default.
 */
void
parley_inbound_set_linked_identity_verified (ParleyInbound *self,
                                             gboolean       verified)
{
  g_return_if_fail (PARLEY_IS_INBOUND (self));
  self->linked_verified = verified;
}

gboolean
parley_inbound_get_linked_identity_verified (ParleyInbound *self)
{
  g_return_val_if_fail (PARLEY_IS_INBOUND (self), FALSE);
  return self->linked_verified;
}

/**
 * parley_inbound_get_event_id:
 * @self: a #ParleyInbound
 *
 * Set once parley_host_submit_finish() has succeeded.
 *
 * Returns: the id of the timeline event the message became, or 0 before
 */
/**
 * parley_inbound_get_conversation_id:
 * @self: a #ParleyInbound
 *
 * Set once parley_host_submit_finish() has succeeded.
 *
 * Returns: the id of the conversation it joined or opened, or 0 before
 */
/**
 * parley_inbound_get_customer_id:
 * @self: a #ParleyInbound
 *
 * Set once parley_host_submit_finish() has succeeded.
 *
 * Returns: the id of the customer it was resolved to, or 0 before
 */
/**
 * parley_inbound_set_result:
 * @self: a #ParleyInbound
 * @event_id: the event stored
 * @conversation_id: its conversation
 * @customer_id: its customer
 * @duplicate: whether it had been stored before
 *
 * Called by the hub once the message is committed; a test's own #ParleyHost calls it too.
 */
gint64
parley_inbound_get_event_id (ParleyInbound *self)
{
  g_return_val_if_fail (PARLEY_IS_INBOUND (self), 0);
  return self->event_id;
}

gint64
parley_inbound_get_conversation_id (ParleyInbound *self)
{
  g_return_val_if_fail (PARLEY_IS_INBOUND (self), 0);
  return self->conversation_id;
}

gint64
parley_inbound_get_customer_id (ParleyInbound *self)
{
  g_return_val_if_fail (PARLEY_IS_INBOUND (self), 0);
  return self->customer_id;
}

/**
 * parley_inbound_get_duplicate:
 * @self: a #ParleyInbound
 *
 * Whether the message was a repeated delivery, known by its external id.
 *
 * Returns: %TRUE if the hub had already stored a message with the same
 *   channel and external id; the ids then name that earlier message
 */
gboolean
parley_inbound_get_duplicate (ParleyInbound *self)
{
  g_return_val_if_fail (PARLEY_IS_INBOUND (self), FALSE);
  return self->duplicate;
}

void
parley_inbound_set_result (ParleyInbound *self,
                           gint64         event_id,
                           gint64         conversation_id,
                           gint64         customer_id,
                           gboolean       duplicate)
{
  g_return_if_fail (PARLEY_IS_INBOUND (self));
  self->event_id = event_id;
  self->conversation_id = conversation_id;
  self->customer_id = customer_id;
  self->duplicate = duplicate;
}
