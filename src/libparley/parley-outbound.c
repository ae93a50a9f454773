/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-outbound"

#include "config.h"

#include "parley-outbound.h"

/**
 * ParleyOutbound:
 *
 * One committed timeline event the hub asks a channel to deliver to a
 * customer's identity. Delivery is retried by the hub with backoff until the
 * channel reports success, so a channel only makes one attempt per call.
 */
struct _ParleyOutbound
{
  GObject  parent_instance;

  gint64   event_id;
  gint64   conversation_id;
  gint64   customer_id;
  char    *channel;
  char    *to_kind;
  char    *to_value;
  char    *text;
  char    *author_name;
  char    *metadata;
  JsonObject *survey;
  JsonObject *attachment;
  guint    attempt;
  char    *provider_id;
};

G_DEFINE_FINAL_TYPE (ParleyOutbound, parley_outbound, G_TYPE_OBJECT)

static void
parley_outbound_finalize (GObject *object)
{
  ParleyOutbound *self = (ParleyOutbound *) object;

  g_free (self->channel);
  g_free (self->to_kind);
  g_free (self->to_value);
  g_free (self->text);
  g_free (self->author_name);
  g_free (self->metadata);
  g_free (self->provider_id);
  g_clear_pointer (&self->survey, json_object_unref);
  g_clear_pointer (&self->attachment, json_object_unref);

  G_OBJECT_CLASS (parley_outbound_parent_class)->finalize (object);
}

static void
parley_outbound_class_init (ParleyOutboundClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = parley_outbound_finalize;
}

static void
parley_outbound_init (ParleyOutbound *self)
{
}

/**
 * parley_outbound_new:
 * @event_id: the timeline event being delivered
 * @conversation_id: its conversation
 * @customer_id: its customer
 * @channel: the channel kind that must deliver it
 * @to_kind: the recipient identity kind
 * @to_value: the recipient identity value, normalized
 *
 * The hub makes one for each delivery; a plugin's tests make their own.
 *
 * Returns: (transfer full): a new #ParleyOutbound
 */
ParleyOutbound *
parley_outbound_new (gint64      event_id,
                     gint64      conversation_id,
                     gint64      customer_id,
                     const char *channel,
                     const char *to_kind,
                     const char *to_value)
{
  ParleyOutbound *self = g_object_new (PARLEY_TYPE_OUTBOUND, NULL);

  self->event_id = event_id;
  self->conversation_id = conversation_id;
  self->customer_id = customer_id;
  self->channel = g_strdup (channel);
  self->to_kind = g_strdup (to_kind);
  self->to_value = g_strdup (to_value);
  return self;
}

#define INT_GETTER(type, field)                                                 \
  type parley_outbound_get_##field (ParleyOutbound *self)                       \
  {                                                                             \
    g_return_val_if_fail (PARLEY_IS_OUTBOUND (self), 0);                        \
    return self->field;                                                         \
  }

#define STRING_GETTER(field)                                                    \
  const char *parley_outbound_get_##field (ParleyOutbound *self)                \
  {                                                                             \
    g_return_val_if_fail (PARLEY_IS_OUTBOUND (self), NULL);                     \
    return self->field;                                                         \
  }

#define STRING_SETTER(field)                                                    \
  void parley_outbound_set_##field (ParleyOutbound *self, const char *value)    \
  {                                                                             \
    g_return_if_fail (PARLEY_IS_OUTBOUND (self));                               \
    g_free (self->field);                                                       \
    self->field = g_strdup (value);                                             \
  }

static void
replace_object (JsonObject **field,
                JsonObject  *value)
{
  g_clear_pointer (field, json_object_unref);
  *field = value ? json_object_ref (value) : NULL;
}

/**
 * parley_outbound_get_event_id:
 * @self: a #ParleyOutbound
 *
 * The timeline event being delivered: the same on every attempt, so a provider that takes an idempotency key can be given it.
 *
 * Returns: the event's id
 */
/**
 * parley_outbound_get_conversation_id:
 * @self: a #ParleyOutbound
 *
 * The conversation the message belongs to.
 *
 * Returns: the conversation's id
 */
/**
 * parley_outbound_get_customer_id:
 * @self: a #ParleyOutbound
 *
 * The customer the message goes to.
 *
 * Returns: the customer's id
 */
/**
 * parley_outbound_get_attempt:
 * @self: a #ParleyOutbound
 *
 * Which attempt at delivering the message this is; a failed delivery is tried again later.
 *
 * Returns: the attempt, from 1
 */
/**
 * parley_outbound_set_attempt:
 * @self: a #ParleyOutbound
 * @attempt: the attempt, from 1
 *
 * Set by the hub before each delivery.
 */
/**
 * parley_outbound_get_channel:
 * @self: a #ParleyOutbound
 *
 * The channel kind that must deliver the message.
 *
 * Returns: (transfer none): the channel kind
 */
/**
 * parley_outbound_get_to_kind:
 * @self: a #ParleyOutbound
 *
 * The kind of the identity to send to: the one the customer last wrote from on this channel, as the hub chose it.
 *
 * Returns: (transfer none): the identity kind
 */
/**
 * parley_outbound_get_to_value:
 * @self: a #ParleyOutbound
 *
 * The identity to send to, normalised (an E.164 number, a lower-case email address).
 *
 * Returns: (transfer none): the identity value
 */
/**
 * parley_outbound_get_text:
 * @self: a #ParleyOutbound
 *
 * The message's text.
 *
 * Returns: (transfer none) (nullable): the text
 */
/**
 * parley_outbound_set_text:
 * @self: a #ParleyOutbound
 * @text: (nullable): the text
 *
 * Set by the hub.
 */
/**
 * parley_outbound_get_author_name:
 * @self: a #ParleyOutbound
 *
 * The name of the agent who wrote the message, for channels that show a sender's name.
 *
 * Returns: (transfer none) (nullable): the name, or %NULL for the hub itself (a survey)
 */
/**
 * parley_outbound_set_author_name:
 * @self: a #ParleyOutbound
 * @author_name: (nullable): the agent's name
 *
 * Set by the hub.
 */
/**
 * parley_outbound_get_metadata:
 * @self: a #ParleyOutbound
 *
 * The event's metadata: what the hub keeps with it.
 *
 * Returns: (transfer none) (nullable): a JSON object as text
 */
/**
 * parley_outbound_set_metadata:
 * @self: a #ParleyOutbound
 * @metadata_json: (nullable): a JSON object as text
 *
 * Set by the hub.
 */
INT_GETTER (gint64, event_id)
INT_GETTER (gint64, conversation_id)
INT_GETTER (gint64, customer_id)
INT_GETTER (guint, attempt)
STRING_GETTER (channel)
STRING_GETTER (to_kind)
STRING_GETTER (to_value)
STRING_GETTER (text)
STRING_SETTER (text)
STRING_GETTER (author_name)
STRING_SETTER (author_name)
STRING_GETTER (metadata)
STRING_SETTER (metadata)
/**
 * parley_outbound_get_provider_id:
 * @self: a #ParleyOutbound
 *
 * The peer's id for the message, once the channel has set one.
 *
 * Returns: (transfer none) (nullable): the id the channel gave the message
 *   with parley_outbound_set_provider_id(), or %NULL
 */
STRING_GETTER (provider_id)

/**
 * parley_outbound_get_survey:
 * @self: a #ParleyOutbound
 *
 * When the hub asks a survey question, what it asks:
 * {"id","question" ("nps", "csat" or "comment"),"language", and for scores
 * "min","max","low","high"}. A channel with its own way of asking (buttons)
 * uses it; any channel can send the text instead.
 *
 * Returns: (transfer none) (nullable): the question, or %NULL
 */
JsonObject *
parley_outbound_get_survey (ParleyOutbound *self)
{
  g_return_val_if_fail (PARLEY_IS_OUTBOUND (self), NULL);
  return self->survey;
}

/**
 * parley_outbound_set_survey:
 * @self: a #ParleyOutbound
 * @survey: (nullable): the survey question, see parley_outbound_get_survey()
 *
 * Set by the hub when the message asks a survey question.
 */
void
parley_outbound_set_survey (ParleyOutbound *self,
                            JsonObject     *survey)
{
  g_return_if_fail (PARLEY_IS_OUTBOUND (self));
  replace_object (&self->survey, survey);
}

/**
 * parley_outbound_get_attachment:
 * @self: a #ParleyOutbound
 *
 * The file the agent sends with the message: `{id, name, type, size}`.
 * The customer downloads it from the channel's own endpoint (chat:
 * `GET /api/v1/channels/chat/attachments/{id}`); a channel that
 * cannot carry files sends the text alone.
 *
 * Returns: (transfer none) (nullable): the attachment, or %NULL
 */
JsonObject *
parley_outbound_get_attachment (ParleyOutbound *self)
{
  g_return_val_if_fail (PARLEY_IS_OUTBOUND (self), NULL);
  return self->attachment;
}

/**
 * parley_outbound_set_attachment:
 * @self: a #ParleyOutbound
 * @attachment: (nullable): the file, see parley_outbound_get_attachment()
 *
 * Set by the hub when the agent sends a file.
 */
void
parley_outbound_set_attachment (ParleyOutbound *self,
                                JsonObject     *attachment)
{
  g_return_if_fail (PARLEY_IS_OUTBOUND (self));
  replace_object (&self->attachment, attachment);
}

void
parley_outbound_set_attempt (ParleyOutbound *self,
                             guint           attempt)
{
  g_return_if_fail (PARLEY_IS_OUTBOUND (self));
  self->attempt = attempt;
}

/**
 * parley_outbound_set_provider_id:
 * @self: a #ParleyOutbound
 * @provider_id: (nullable): the id the peer gave the message (an email's
 *   Message-ID, an SMS gateway's message id)
 *
 * Set by a channel while delivering, before it reports success: the hub
 * keeps the id with the message, so that later receipts for it, reported
 * with parley_host_report_receipt(), find it. Unique per channel.
 */
void
parley_outbound_set_provider_id (ParleyOutbound *self,
                                 const char     *provider_id)
{
  g_return_if_fail (PARLEY_IS_OUTBOUND (self));
  g_return_if_fail (provider_id == NULL || g_utf8_validate (provider_id, -1, NULL));
  g_free (self->provider_id);
  self->provider_id = g_strdup (provider_id);
}
