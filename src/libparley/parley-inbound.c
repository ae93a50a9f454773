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

/* Getters return (transfer none) (nullable) strings owned by the inbound. */
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
