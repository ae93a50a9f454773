/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-hub-outbox"

#include "config.h"

#include "parley-hub-private.h"

/* Outbound delivery. A reply is committed together with its outbox row, so
 * a crash between "sent" and "delivered" means a retry, never a loss. Due
 * rows go to their channel plugin, which has delivery-timeout seconds to
 * answer; failures retry with exponential backoff (1 s, 2 s, 4 s ... capped
 * at 5 min) until delivery-attempts, then the event is marked failed for
 * the agent to see, with the reason. A permanent failure
 * (PARLEY_DELIVERY_ERROR_PERMANENT) marks it failed at once. */

#define MAX_BACKOFF_SECONDS 300
#define BATCH 100
/* How long a delivery result waits at least for others to share its
 * commit (and fsync). Under load each result had one of its own, a third of the
 * commits an agent's reply cost; the agent sees "delivered" this much
 * later, and a crash in between resends the message, as before. */
#define RECORD_AFTER_MS 10
/* Results waiting to be recorded beyond which they no longer wait for a
 * moment when nothing else is ready (see finish_delivery ()). */
#define RECORD_BACKLOG 256

/* The identity to reach the customer on a channel: the one they last wrote
 * from on it, else their identity of the first kind the channel's
 * declaration reaches. A customer the channel cannot reach, or a channel no
 * running plugin serves, is refused (PARLEY_ERROR_INVALID, 400) before
 * anything is stored. */
JsonObject *
_parley_hub_reply_identity (ParleyHub   *self,
                            gint64       customer_id,
                            const char  *channel,
                            GError     **error)
{
  ParleyChannel *plugin = _parley_hub_get_channel (self, channel);
  ParleyChannelInfo *info = plugin ? parley_channel_get_info (plugin) : NULL;
  const char * const *kinds;
  g_autoptr(JsonObject) customer = NULL;
  JsonObject *found;
  JsonArray *identities;

  if (info == NULL)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "No “%s” channel is running on this hub", channel);
      return NULL;
    }
  if ((found = parley_store_last_sender (self->store, customer_id, channel, error)) != NULL)
    return found;
  if (error != NULL && *error != NULL)
    return NULL;

  if (!(customer = parley_store_get_customer (self->store, customer_id, error)))
    return NULL;
  identities = json_object_get_array_member (customer, "identities");
  kinds = parley_channel_info_get_identity_kinds (info);
  for (guint k = 0; kinds[k]; k++)
    for (guint i = 0; i < json_array_get_length (identities); i++)
      {
        JsonObject *identity = json_array_get_object_element (identities, i);

        if (g_str_equal (kinds[k], PARLEY_CHANNEL_INFO_ANY_IDENTITY) ||
            g_strcmp0 (json_object_get_string_member (identity, "kind"), kinds[k]) == 0)
          return json_object_ref (identity);
      }
  if (kinds[0] == NULL)
    g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                 "The “%s” channel only answers customers who wrote on it", channel);
  else
    {
      g_autofree char *listed = g_strjoinv ("”, “", (char **) kinds);

      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                   "The customer has no identity the “%s” channel can reach (it reaches “%s”)", channel, listed);
    }
  return NULL;
}

/* Appends an outbound message to the conversation's timeline and commits
 * it with its outbox row, so a restart resends exactly this. @author is the
 * agent writing, or NULL for the hub itself (a survey); @survey, if given,
 * reaches the channel as parley_outbound_get_survey (), so a channel can
 * ask it its own way; @attachment, a file's {id, name, type, size}, as
 * parley_outbound_get_attachment (). Both are kept in the event's metadata
 * too. Returns the event. */
JsonObject *
_parley_hub_queue_message (ParleyHub       *self,
                           JsonObject      *conversation,
                           const char      *channel,
                           const char      *text,
                           ParleyHubAgent  *author,
                           JsonObject      *survey,
                           JsonObject      *attachment,
                           gint64           now,
                           GError         **error)
{
  gint64 conversation_id = json_object_get_int_member (conversation, "id");
  gint64 customer_id = json_object_get_int_member (conversation, "customer_id");
  const char *author_name = author ? json_object_get_string_member (author->record, "name") : NULL;
  ParleyChannel *plugin = _parley_hub_get_channel (self, channel);
  g_autoptr(JsonObject) to = NULL;
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(JsonNode) payload_node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *payload_text = NULL;
  JsonObject *event;
  gint64 event_id, outbound_id;
  JsonObject *row;

  /* A file the channel cannot carry is refused before anything is kept. */
  if (attachment != NULL && plugin != NULL &&
      !parley_channel_info_check_attachment (parley_channel_get_info (plugin),
                                             json_object_get_int_member (attachment, "size"),
                                             json_object_get_string_member (attachment, "type"), error))
    return NULL;
  if (!(to = _parley_hub_reply_identity (self, customer_id, channel, error)))
    return NULL;
  json_object_set_object_member (metadata, "to", json_object_ref (to));
  if (survey != NULL)
    json_object_set_object_member (metadata, "survey", json_object_ref (survey));
  if (attachment != NULL)
    json_object_set_object_member (metadata, "attachment", json_object_ref (attachment));
  {
    ParleyEventDraft draft = {
      .conversation_id = conversation_id,
      .customer_id = customer_id,
      .channel = channel,
      .kind = "message",
      .direction = "out",
      .agent_id = author ? author->id : 0,
      .author_name = author_name,
      .text = text,
      .metadata = metadata,
      .delivery = "pending",
      .created = now,
    };
    if ((event_id = parley_store_append_event (self->store, &draft, error)) <= 0)
      return NULL;
  }

  json_object_set_int_member (payload, "event", event_id);
  json_object_set_int_member (payload, "conversation", conversation_id);
  json_object_set_int_member (payload, "customer", customer_id);
  json_object_set_object_member (payload, "to", json_object_ref (to));
  json_object_set_string_member (payload, "text", text);
  json_object_set_string_member (payload, "author", author_name);
  if (survey != NULL)
    json_object_set_object_member (payload, "survey", json_object_ref (survey));
  if (attachment != NULL)
    json_object_set_object_member (payload, "attachment", json_object_ref (attachment));
  json_node_set_object (payload_node, payload);
  payload_text = parley_json_to_string (payload_node);

  if ((outbound_id = parley_store_enqueue_outbound (self->store, event_id, channel, payload_text, now, error)) <= 0 ||
      !(event = parley_store_get_event (self->store, event_id, error)))
    return NULL;
  /* The row as the outbox reads it, to send without reading it back. */
  row = json_object_new ();
  json_object_set_int_member (row, "id", outbound_id);
  json_object_set_int_member (row, "event_id", event_id);
  json_object_set_string_member (row, "channel", channel);
  json_object_set_string_member (row, "payload", payload_text);
  json_object_set_int_member (row, "attempts", 0);
  g_ptr_array_add (self->outbox_fresh, row);
  _parley_hub_notice (self, 0, conversation_id, "event", "event", event);
  return event;
}

/* One attempt at delivering an outbox row. */
typedef struct
{
  ParleyHub      *hub;
  gsize           ticket;          /* its key in under_way, while the channel has it */
  gint64          outbound_id;
  gint64          event_id;
  guint           attempts;
  ParleyChannel  *channel;
  ParleyOutbound *outbound;
  GCancellable   *cancellable;     /* cancelled at the deadline or at shutdown */
  guint           deadline_source;
  GError         *failure;         /* once finished: why it failed, or NULL */
} ParleyDelivery;

/* Ticket → ParleyDelivery: the attempts a channel has not answered yet.
 * A channel's callback gets the ticket, never a pointer the hub frees, so
 * a plugin that answers after the deadline, answers twice, or answers
 * after the hub shut down finds no ticket and is ignored. Process-wide,
 * as the ticket is all the callback has to find its hub by. */
static GHashTable *under_way;
static gsize last_ticket;

static void
delivery_free (ParleyDelivery *delivery)
{
  g_object_unref (delivery->hub);
  g_clear_object (&delivery->channel);
  g_clear_object (&delivery->outbound);
  g_clear_object (&delivery->cancellable);
  g_clear_error (&delivery->failure);
  g_free (delivery);
}

/* Takes a delivery off the channel's hands: from now on no answer of the
 * channel's reaches it. NULL if it was taken already. */
static ParleyDelivery *
take_under_way (gsize ticket)
{
  ParleyDelivery *delivery = under_way ? g_hash_table_lookup (under_way, GSIZE_TO_POINTER (ticket)) : NULL;

  if (delivery == NULL)
    return NULL;
  g_hash_table_remove (under_way, GSIZE_TO_POINTER (ticket));
  g_clear_handle_id (&delivery->deadline_source, g_source_remove);
  return delivery;
}

static gboolean
record_result (ParleyHub       *self,
               ParleyDelivery  *delivery,
               gint64           now,
               GError         **error)
{
  const GError *failure = delivery->failure;
  gboolean delivered = failure == NULL;
  gboolean given_up = !delivered && (delivery->attempts >= self->config->delivery_attempts ||
                                     g_error_matches (failure, PARLEY_DELIVERY_ERROR, PARLEY_DELIVERY_ERROR_PERMANENT));
  gint64 backoff = (gint64) MIN (1u << MIN (delivery->attempts - 1, 16u), MAX_BACKOFF_SECONDS) * G_USEC_PER_SEC;
  /* A row given up on is never due again. */
  gint64 next_attempt = delivered ? 0 : given_up ? G_MAXINT64 : now + backoff;
  g_autoptr(JsonObject) event = NULL;

  if (!parley_store_finish_outbound (self->store, delivery->outbound_id, delivered, delivery->attempts,
                                     next_attempt, failure ? failure->message : NULL, error))
    return FALSE;
  if (delivered || given_up)
    {
      if (!parley_store_set_event_delivery (self->store, delivery->event_id, delivered ? "delivered" : "failed",
                                            failure ? failure->message : NULL,
                                            delivery->outbound ? parley_outbound_get_provider_id (delivery->outbound) : NULL,
                                            error) ||
          !(event = parley_store_get_event (self->store, delivery->event_id, error)))
        return FALSE;
      _parley_hub_notice (self, 0, json_object_get_int_member (event, "conversation_id"), "event", "event", event);
    }
  return TRUE;
}

/* Records every finished delivery in one transaction: under load one
 * commit covers many results instead of one each. Each result gets a
 * savepoint, so one that cannot be recorded fails alone, as when each had
 * its own transaction. Until then a result lives only here, and a crash
 * resends its message, as it would have without the commit's fsync; the
 * row stays in flight, so the outbox does not send it again meanwhile. */
void
_parley_hub_record_deliveries (ParleyHub *self)
{
  g_autoptr(GPtrArray) finished = g_steal_pointer (&self->outbox_finished);
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();

  g_clear_handle_id (&self->outbox_record_source, g_source_remove);
  if (finished == NULL)
    return;
  if (!_parley_hub_begin (self, &error))
    goto failed;
  for (guint i = 0; i < finished->len; i++)
    {
      ParleyDelivery *delivery = g_ptr_array_index (finished, i);
      g_autoptr(GError) result_error = NULL;

      if (!parley_store_savepoint (self->store, &error))
        {
          _parley_hub_fail_transaction (self, NULL);
          goto failed;
        }
      if (!record_result (self, delivery, now, &result_error))
        {
          parley_store_rollback_savepoint (self->store);
          g_warning ("Could not record the delivery of event %" G_GINT64_FORMAT ": %s",
                     delivery->event_id, result_error->message);
        }
      else if (!parley_store_release_savepoint (self->store, &error))
        {
          _parley_hub_fail_transaction (self, NULL);
          goto failed;
        }
    }
  if (_parley_hub_commit (self, NULL, &error))
    goto recorded;
failed:
  g_warning ("Could not record %u delivery results: %s", finished->len, error->message);
recorded:
  /* Until now their rows were still due: sending them again before this
   * would have delivered each message twice. */
  for (guint i = 0; i < finished->len; i++)
    g_hash_table_remove (self->outbox_inflight, &((ParleyDelivery *) g_ptr_array_index (finished, i))->outbound_id);
}

static gboolean
record_deliveries_cb (gpointer user_data)
{
  ParleyHub *self = user_data;

  self->outbox_record_source = 0;
  _parley_hub_record_deliveries (self);
  return G_SOURCE_REMOVE;
}

static void
finish_delivery (ParleyHub      *self,
                 ParleyDelivery *delivery,
                 GError         *failure)
{
  delivery->failure = failure;
  /* Shutting down: the row stays due and goes out after the restart. */
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      delivery_free (delivery);
      return;
    }
  if (self->outbox_finished == NULL)
    self->outbox_finished = g_ptr_array_new_with_free_func ((GDestroyNotify) delivery_free);
  g_ptr_array_add (self->outbox_finished, delivery);
  /* Recording is bookkeeping, at low priority: it runs when nothing else
   * is ready, rather than holding up the next message by a commit of its
   * own. Under a load that never lets it run, a backlog goes at once. */
  if (self->outbox_record_source == 0)
    self->outbox_record_source = g_timeout_add_full (G_PRIORITY_LOW, RECORD_AFTER_MS, record_deliveries_cb, self, NULL);
  else if (self->outbox_finished->len == RECORD_BACKLOG)
    g_source_set_priority (g_main_context_find_source_by_id (NULL, self->outbox_record_source), G_PRIORITY_DEFAULT);
}

static void
delivered_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ParleyDelivery *delivery = take_under_way (GPOINTER_TO_SIZE (user_data));
  GError *failure = NULL;

  if (delivery == NULL)
    {
      g_debug ("A channel answered delivery %" G_GSIZE_FORMAT " after the hub stopped waiting "
               "(after its deadline, or a second time); ignored", GPOINTER_TO_SIZE (user_data));
      return;
    }
  /* The channel it was handed to, whatever @source the plugin passed. */
  parley_channel_deliver_finish (delivery->channel, result, &failure);
  if (failure != NULL)
    g_message ("Delivery of event %" G_GINT64_FORMAT " failed (attempt %u): %s",
               delivery->event_id, delivery->attempts, failure->message);
  finish_delivery (delivery->hub, delivery, failure);
}

/* The channel took too long: it is told to stop, and the attempt failed. */
static gboolean
deadline_cb (gpointer user_data)
{
  ParleyDelivery *delivery = user_data;
  guint timeout = delivery->hub->config->delivery_timeout;

  delivery->deadline_source = 0;  /* this one, ending */
  take_under_way (delivery->ticket);

  g_cancellable_cancel (delivery->cancellable);
  g_message ("Delivery of event %" G_GINT64_FORMAT " failed (attempt %u): the %s channel did not answer within %u s",
             delivery->event_id, delivery->attempts, parley_channel_get_kind (delivery->channel), timeout);
  finish_delivery (delivery->hub, delivery,
                   g_error_new (PARLEY_DELIVERY_ERROR, PARLEY_DELIVERY_ERROR_TRANSIENT,
                                "The channel did not deliver the message within %u s", timeout));
  return G_SOURCE_REMOVE;
}

/* Shutting down: every delivery under way is cancelled and forgotten;
 * their rows stay due and go out after the restart. */
static void
hub_cancelled_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  g_autoptr(GList) deliveries = under_way ? g_hash_table_get_values (under_way) : NULL;

  for (GList *l = deliveries; l != NULL; l = l->next)
    {
      ParleyDelivery *delivery = l->data;

      if (delivery->hub != user_data)
        continue;
      take_under_way (delivery->ticket);
      g_cancellable_cancel (delivery->cancellable);
      delivery_free (delivery);
    }
}

static ParleyOutbound *
outbound_from_row (JsonObject  *row,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  ParleyOutbound *outbound;
  JsonObject *payload, *to;

  if (!json_parser_load_from_data (parser, json_object_get_string_member (row, "payload"), -1, error))
    return NULL;
  payload = json_node_get_object (json_parser_get_root (parser));
  to = json_object_get_object_member (payload, "to");
  outbound = parley_outbound_new (json_object_get_int_member (payload, "event"),
                                  json_object_get_int_member (payload, "conversation"),
                                  json_object_get_int_member (payload, "customer"),
                                  json_object_get_string_member (row, "channel"),
                                  json_object_get_string_member (to, "kind"),
                                  json_object_get_string_member (to, "value"));
  parley_outbound_set_text (outbound, json_object_get_string_member (payload, "text"));
  parley_outbound_set_author_name (outbound, json_object_get_string_member_with_default (payload, "author", NULL));
  if (json_object_has_member (payload, "survey"))
    parley_outbound_set_survey (outbound, json_object_get_object_member (payload, "survey"));
  if (json_object_has_member (payload, "attachment"))
    parley_outbound_set_attachment (outbound, json_object_get_object_member (payload, "attachment"));
  parley_outbound_set_attempt (outbound, (guint) json_object_get_int_member (row, "attempts") + 1);
  return outbound;
}

static void
send_row (ParleyHub  *self,
          JsonObject *row)
{
  g_autoptr(ParleyOutbound) outbound = NULL;
  g_autoptr(GError) error = NULL;
  ParleyChannel *channel = _parley_hub_get_channel (self, json_object_get_string_member (row, "channel"));
  ParleyDelivery *delivery;

  delivery = g_new0 (ParleyDelivery, 1);
  delivery->hub = g_object_ref (self);
  delivery->outbound_id = json_object_get_int_member (row, "id");
  delivery->event_id = json_object_get_int_member (row, "event_id");
  delivery->attempts = (guint) json_object_get_int_member (row, "attempts") + 1;

  if (channel == NULL || !(outbound = outbound_from_row (row, &error)))
    {
      if (error == NULL)
        g_set_error (&error, PARLEY_ERROR, PARLEY_ERROR_CHANNEL_UNAVAILABLE, "Channel “%s” is not running",
                     json_object_get_string_member (row, "channel"));
      finish_delivery (self, delivery, g_steal_pointer (&error));
      return;
    }
  g_hash_table_add (self->outbox_inflight, g_memdup2 (&delivery->outbound_id, sizeof (gint64)));
  delivery->channel = g_object_ref (channel);
  delivery->outbound = g_steal_pointer (&outbound);
  delivery->cancellable = g_cancellable_new ();
  delivery->ticket = ++last_ticket;
  if (under_way == NULL)
    under_way = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (under_way, GSIZE_TO_POINTER (delivery->ticket), delivery);
  delivery->deadline_source = g_timeout_add_seconds (self->config->delivery_timeout, deadline_cb, delivery);
  parley_channel_deliver_async (channel, delivery->outbound, delivery->cancellable, delivered_cb,
                                GSIZE_TO_POINTER (delivery->ticket));
}

/* Forgets the rows queued since the first @keep of this transaction:
 * they were rolled back. */
void
_parley_hub_drop_fresh_outbound (ParleyHub *self,
                                 guint      keep)
{
  if (keep < self->outbox_fresh->len)
    g_ptr_array_set_size (self->outbox_fresh, keep);
}

/* Sends the outbox rows of the transaction just committed, as they were
 * queued: no need to read the outbox back for a reply. Called right after each
 * commit, so what goes out to a customer is committed: the hub's own crash
 * cannot take it back. A power cut before the commit's fsync can, but then
 * the agent's request was never answered: the reply was not taken as
 * sent. */
void
_parley_hub_send_fresh_outbound (ParleyHub *self)
{
  g_autoptr(GPtrArray) fresh = g_steal_pointer (&self->outbox_fresh);

  self->outbox_fresh = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;  /* they stay due for the restart */
  for (guint i = 0; i < fresh->len; i++)
    send_row (self, g_ptr_array_index (fresh, i));
}

/* Everything due, read from the outbox: retries, and what a restart left. */
static void
send_due (ParleyHub *self)
{
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GError) error = NULL;

  /* The query finds the fresh rows too. */
  _parley_hub_drop_fresh_outbound (self, 0);
  if (!(due = parley_store_due_outbound (self->store, g_get_real_time (), BATCH, &error)))
    {
      g_warning ("Could not read the outbox: %s", error->message);
      return;
    }
  for (guint i = 0; i < due->len; i++)
    {
      JsonObject *row = g_ptr_array_index (due, i);
      gint64 id = json_object_get_int_member (row, "id");

      if (!g_hash_table_contains (self->outbox_inflight, &id))
        send_row (self, row);
    }
}

static gboolean
outbox_tick_cb (gpointer user_data)
{
  ParleyHub *self = user_data;

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      self->outbox_source = 0;
      return G_SOURCE_REMOVE;
    }
  send_due (self);
  return G_SOURCE_CONTINUE;
}

/* Sends everything due, then polls once a second for retries. */
void
_parley_hub_start_outbox (ParleyHub *self)
{
  g_cancellable_connect (self->cancellable, G_CALLBACK (hub_cancelled_cb), self, NULL);
  self->outbox_source = g_timeout_add_seconds (1, outbox_tick_cb, self);
  outbox_tick_cb (self);
}

/* A receipt for the message the channel gave @provider_id, as the desktops
 * see it: the event changes and comes to them again. */
static gboolean
record_receipt (ParleyHub           *self,
                JsonObject          *event,
                ParleyReceiptState   state,
                const char          *reason,
                GError             **error)
{
  gint64 event_id = json_object_get_int_member (event, "id");
  gint64 conversation_id = json_object_get_int_member (event, "conversation_id");
  g_autoptr(GPtrArray) changed = NULL;

  if (state == PARLEY_RECEIPT_STATE_READ)
    changed = parley_store_mark_read (self->store, conversation_id, json_object_get_string_member (event, "channel"),
                                      event_id, g_get_real_time (), error);
  else if (parley_store_set_event_delivery (self->store, event_id,
                                            state == PARLEY_RECEIPT_STATE_FAILED ? "failed" : "delivered",
                                            state != PARLEY_RECEIPT_STATE_FAILED ? NULL
                                            : reason ? reason : "The channel reported that the message did not reach the customer",
                                            NULL, error))
    {
      changed = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      if ((event = parley_store_get_event (self->store, event_id, error)) != NULL)
        g_ptr_array_add (changed, event);
    }
  if (changed == NULL || (error != NULL && *error != NULL))
    return FALSE;
  for (guint i = 0; i < changed->len; i++)
    _parley_hub_notice (self, 0, conversation_id, "event", "event", g_ptr_array_index (changed, i));
  return TRUE;
}

gboolean
_parley_hub_report_receipt (ParleyHub          *self,
                            const char         *channel,
                            const char         *provider_id,
                            ParleyReceiptState  state,
                            const char         *reason)
{
  g_autoptr(JsonObject) event = parley_store_find_event_by_external (self->store, channel, provider_id);
  g_autoptr(GError) error = NULL;

  if (event == NULL || g_strcmp0 (json_object_get_string_member (event, "direction"), "out") != 0)
    {
      g_debug ("A receipt of the %s channel for “%s” names no message sent on it; ignored", channel, provider_id);
      return FALSE;
    }
  if (!_parley_hub_begin (self, &error))
    goto failed;
  if (!record_receipt (self, event, state, reason, &error))
    {
      _parley_hub_fail_transaction (self, &error);
      goto failed;
    }
  if (_parley_hub_commit (self, NULL, &error))
    return TRUE;
failed:
  g_warning ("A receipt of the %s channel for “%s” was lost: %s", channel, provider_id, error->message);
  return TRUE;
}
