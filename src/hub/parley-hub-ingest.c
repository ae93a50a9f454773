/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-hub-ingest"

#include "config.h"

#include "parley-hub-private.h"

/* Group commit. An inbound message is committed at once when the store is
 * idle; otherwise it waits in self->pending until an idle takes up to
 * batch_size of them into one transaction, together with offer expiries
 * and the routing decisions they cause. Each message gets a savepoint, so
 * one bad message fails alone. Desktops get their pushes once the
 * transaction has committed; senders hear back (HTTP 202, the widget's ack
 * and so on) only once it is on disk too. */

typedef struct
{
  GTask         *task;
  ParleyInbound *inbound;
  char          *identity_value;
  char          *linked_value;   /* normalized, or NULL */
  JsonObject    *metadata;       /* parsed, checked when the message came */
  gint64         queue_id;
  GError        *error;
} ParleyHubPending;

void
_parley_hub_pending_free (gpointer data)
{
  ParleyHubPending *pending = data;

  g_clear_object (&pending->task);
  g_clear_object (&pending->inbound);
  g_free (pending->identity_value);
  g_free (pending->linked_value);
  g_clear_pointer (&pending->metadata, json_object_unref);
  g_clear_error (&pending->error);
  g_free (pending);
}

static gboolean
check_text (const char  *name,
            const char  *text,
            gsize        max_size,
            GError     **error)
{
  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "%s is not valid UTF-8", name);
      return FALSE;
    }
  if (strlen (text) > max_size)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_TOO_LARGE,
                   "%s is longer than %" G_GSIZE_FORMAT " bytes", name, max_size);
      return FALSE;
    }
  return TRUE;
}

static JsonObject *
parse_metadata (const char  *metadata,
                GError     **error)
{
  if (metadata == NULL)
    return json_object_new ();
  return parley_json_parse_object (metadata, strlen (metadata), "Metadata", error);
}

/* Checks everything that does not need the store, so bad input is refused
 * at once and never holds up a group commit. */
static gboolean
validate_inbound (ParleyHub         *self,
                  ParleyHubPending  *pending,
                  GError           **error)
{
  ParleyInbound *inbound = pending->inbound;
  const char *queue = parley_inbound_get_queue (inbound);
  gsize max = self->config->max_body_size;

  if (parley_inbound_get_channel (inbound) == NULL || *parley_inbound_get_channel (inbound) == '\0')
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Inbound message has no channel");
      return FALSE;
    }
  pending->identity_value = parley_identity_normalize (parley_inbound_get_identity_kind (inbound),
                                                       parley_inbound_get_identity_value (inbound),
                                                       self->config->default_region, error);
  if (pending->identity_value == NULL)
    return FALSE;
  if (parley_inbound_get_linked_kind (inbound) != NULL &&
      !(pending->linked_value = parley_identity_normalize (parley_inbound_get_linked_kind (inbound),
                                                           parley_inbound_get_linked_value (inbound),
                                                           self->config->default_region, error)))
    return FALSE;
  if (parley_inbound_get_text (inbound) == NULL && parley_inbound_get_html (inbound) == NULL)
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Message has no text");
      return FALSE;
    }
  if (!check_text ("Text", parley_inbound_get_text (inbound), max, error) ||
      !check_text ("HTML", parley_inbound_get_html (inbound), max, error) ||
      !check_text ("Name", parley_inbound_get_display_name (inbound), 1024, error) ||
      !check_text ("External id", parley_inbound_get_external_id (inbound), 1024, error))
    return FALSE;
  if (!(pending->metadata = parse_metadata (parley_inbound_get_metadata (inbound), error)))
    return FALSE;

  pending->queue_id = self->default_queue_id;
  if (queue != NULL && (pending->queue_id = _parley_hub_queue_by_name (self, queue)) == 0)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "No queue is called “%s”", queue);
      return FALSE;
    }
  return TRUE;
}

/* Pushes a stored event, read back only if some desktop will get it. */
gboolean
_parley_hub_notice_event (ParleyHub  *self,
                          gint64      event_id,
                          gint64      agent_id,
                          gint64      conversation_id,
                          GError    **error)
{
  g_autoptr(JsonObject) event = NULL;

  if (!_parley_hub_has_audience (self, agent_id, conversation_id))
    return TRUE;
  if (!(event = parley_store_get_event (self->store, event_id, error)))
    return FALSE;
  _parley_hub_notice (self, agent_id, conversation_id, "event", "event", event);
  return TRUE;
}

static gboolean
append_state (ParleyHub   *self,
              gint64       conversation_id,
              gint64       customer_id,
              const char  *channel,
              const char  *state,
              gint64       agent_id,
              gint64       holder,
              JsonObject  *metadata,
              gint64       now,
              GError     **error)
{
  g_autoptr(JsonObject) details = metadata ? json_object_ref (metadata) : json_object_new ();
  ParleyEventDraft draft = {
    .conversation_id = conversation_id,
    .customer_id = customer_id,
    .channel = channel,
    .kind = "state",
    .direction = "internal",
    .agent_id = agent_id,
    .text = state,
    .metadata = details,
    .created = now,
  };
  gint64 event_id;

  json_object_set_string_member (details, "state", state);
  return (event_id = parley_store_append_event (self->store, &draft, error)) > 0 &&
         _parley_hub_notice_event (self, event_id, holder, conversation_id, error);
}

/* A state change as a timeline event: every transition is on the record. */
gboolean
_parley_hub_append_state (ParleyHub   *self,
                          JsonObject  *conversation,
                          const char  *state,
                          gint64       agent_id,
                          JsonObject  *metadata,
                          gint64       now,
                          GError     **error)
{
  return append_state (self, json_object_get_int_member (conversation, "id"),
                       json_object_get_int_member (conversation, "customer_id"),
                       json_object_get_string_member (conversation, "channel"),
                       /* The push goes out after the commit, when a resolved
                        * conversation's holder is forgotten: it is named here. */
                       state, agent_id, json_object_get_int_member_with_default (conversation, "agent_id", 0),
                       metadata, now, error);
}

/* Tells the desktops the conversation's current row. */
static gboolean
notice_conversation (ParleyHub  *self,
                     gint64      conversation_id,
                     GError    **error)
{
  g_autoptr(JsonObject) conversation = NULL;

  if (!_parley_hub_has_audience (self, 0, conversation_id))
    return TRUE;
  if (!(conversation = parley_store_get_conversation (self->store, conversation_id, error)))
    return FALSE;
  _parley_hub_notice (self, 0, conversation_id, "conversation", "conversation", conversation);
  return TRUE;
}

/* Records, once, that the sender's customer may be the one who has the
 * identity they typed: an agent confirms it by merging the two (audited,
 * undoable). Until then nothing is linked and the sender sees nothing of
 * that customer. @owner: the customer who has it, or 0. */
static gboolean
suggest_match (ParleyHub         *self,
               ParleyHubPending  *pending,
               gint64             customer_id,
               gint64             owner,
               gint64             now,
               GError           **error)
{
  const char *kind = parley_inbound_get_linked_kind (pending->inbound);
  g_autoptr(GPtrArray) earlier = parley_store_timeline (self->store, customer_id, G_MAXINT64, 50, "system", NULL, error);
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autoptr(JsonObject) match = NULL;
  g_autofree char *text = NULL;

  if (earlier == NULL)
    return FALSE;
  for (guint i = 0; i < earlier->len; i++)
    {
      JsonObject *event = g_ptr_array_index (earlier, i);
      JsonObject *seen = json_object_get_object_member (event, "metadata");

      if (g_str_equal (json_object_get_string_member (event, "kind"), "match") && seen != NULL &&
          g_strcmp0 (json_object_get_string_member_with_default (seen, "value", NULL), pending->linked_value) == 0 &&
          json_object_get_int_member_with_default (seen, "customer_id", 0) == owner)
        return TRUE;
    }
  json_object_set_string_member (metadata, "kind", kind);
  json_object_set_string_member (metadata, "value", pending->linked_value);
  json_object_set_boolean_member (metadata, "verified", FALSE);
  if (owner > 0)
    {
      if (!(match = parley_store_get_customer (self->store, owner, error)))
        return FALSE;
      json_object_set_int_member (metadata, "customer_id", owner);
      json_object_set_string_member (metadata, "customer_name", json_object_get_string_member_with_default (match, "name", ""));
      text = g_strdup_printf ("Possible match: %s (%s %s, not verified)",
                              json_object_get_string_member_with_default (match, "name", ""), kind, pending->linked_value);
    }
  else
    text = g_strdup_printf ("Gave %s %s, not verified", kind, pending->linked_value);
  return _parley_hub_customer_event (self, customer_id, "match", text, metadata, 0, NULL, now, error);
}

/* The sender also gave another identity (a chat visitor's email). Only
 * a verified one is linked to the sender's customer or, if another
 * customer has it, merges the sender's customer into that one; a typed one
 * becomes a suggestion. Returns the customer the message belongs to. */
static gint64
apply_linked_identity (ParleyHub         *self,
                       ParleyHubPending  *pending,
                       gint64             customer_id,
                       gint64             now,
                       GError           **error)
{
  const char *kind = parley_inbound_get_linked_kind (pending->inbound);
  gint64 owner = parley_store_find_identity (self->store, kind, pending->linked_value, error);

  if (owner < 0)
    return 0;
  if (owner == customer_id)
    return customer_id;
  if (!parley_inbound_get_linked_identity_verified (pending->inbound))
    return suggest_match (self, pending, customer_id, owner, now, error) ? customer_id : 0;
  if (owner == 0)
    return _parley_hub_link_identity (self, customer_id, kind, pending->linked_value, 0, NULL, now, error)
           ? customer_id : 0;
  return _parley_hub_merge_customers (self, owner, customer_id, 0, NULL, now, error) > 0 ? owner : 0;
}

static gboolean
ingest_one (ParleyHub         *self,
            ParleyHubPending  *pending,
            gint64             now,
            GError           **error)
{
  ParleyInbound *inbound = pending->inbound;
  const char *channel = parley_inbound_get_channel (inbound);
  const char *kind = parley_inbound_get_identity_kind (inbound);
  const char *external_id = parley_inbound_get_external_id (inbound);
  JsonObject *metadata = pending->metadata;
  g_autoptr(JsonObject) survey = NULL;
  g_autoptr(GError) survey_error = NULL;
  JsonObject *from;
  gint priority = 0;
  gint64 customer_id, conversation_id, event_id;
  gboolean created_customer = FALSE, new_conversation;

  if (external_id != NULL)
    {
      g_autoptr(JsonObject) existing = parley_store_find_event_by_external (self->store, channel, external_id);

      /* A retry of something already committed: acknowledge it again. */
      if (existing != NULL)
        {
          parley_inbound_set_result (inbound,
                                     json_object_get_int_member (existing, "id"),
                                     json_object_get_int_member (existing, "conversation_id"),
                                     json_object_get_int_member (existing, "customer_id"),
                                     TRUE);
          return TRUE;
        }
    }

  customer_id = parley_store_resolve_identity (self->store, kind, pending->identity_value,
                                               parley_inbound_get_display_name (inbound),
                                               now, &created_customer, error);
  if (customer_id <= 0 ||
      (pending->linked_value && (customer_id = apply_linked_identity (self, pending, customer_id, now, error)) <= 0))
    return FALSE;

  conversation_id = parley_store_open_conversation_for (self->store, customer_id);
  /* A reply to a survey joins the conversation it rates, unrouted. */
  if (conversation_id <= 0 &&
      (survey = _parley_hub_survey_awaiting (self, customer_id, channel, parley_inbound_get_text (inbound) ?: "",
                                             now, &survey_error)) != NULL)
    conversation_id = json_object_get_int_member (survey, "conversation_id");
  if (survey_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&survey_error));
      return FALSE;
    }
  new_conversation = conversation_id <= 0;
  if (new_conversation)
    {
      priority = json_object_get_int_member (_parley_hub_queue_json (self, pending->queue_id), "priority");
      conversation_id = parley_store_create_conversation (self->store, customer_id, pending->queue_id, channel,
                                                          priority, now, error);
      if (conversation_id <= 0)
        return FALSE;
    }

  from = json_object_new ();
  json_object_set_string_member (from, "kind", kind);
  json_object_set_string_member (from, "value", pending->identity_value);
  json_object_set_object_member (metadata, "from", from);
  {
    ParleyEventDraft draft = {
      .conversation_id = conversation_id,
      .customer_id = customer_id,
      .channel = channel,
      .kind = "message",
      .direction = "in",
      .author_name = parley_inbound_get_display_name (inbound),
      .text = parley_inbound_get_text (inbound),
      .html = parley_inbound_get_html (inbound),
      .metadata = metadata,
      .external_id = external_id,
      .created = now,
    };

    if ((event_id = parley_store_append_event (self->store, &draft, error)) <= 0)
      return FALSE;
  }

  /* A new conversation's row is the record of it being queued; later
   * transitions are state events. */
  if (!_parley_hub_notice_event (self, event_id, 0, conversation_id, error) ||
      (new_conversation && !notice_conversation (self, conversation_id, error)) ||
      (survey && !_parley_hub_survey_take_reply (self, survey, parley_inbound_get_text (inbound) ?: "", now, error)))
    return FALSE;
  if (new_conversation)
    {
      parley_router_enqueue (self->router, conversation_id, pending->queue_id, channel, priority, now,
                             parley_store_last_agent_for (self->store, customer_id));
      self->dispatch_needed = TRUE;
    }
  parley_inbound_set_result (inbound, event_id, conversation_id, customer_id, FALSE);
  return TRUE;
}

/* Withdraws an open offer for a conversation leaving the queue. */
gboolean
_parley_hub_cancel_offer (ParleyHub  *self,
                          gint64      conversation_id,
                          gint64      now,
                          GError    **error)
{
  gint64 offer_id = parley_router_pending_offer (self->router, conversation_id);
  g_autoptr(JsonObject) offer = NULL;

  if (offer_id <= 0)
    return TRUE;
  if (!parley_store_decide_offer (self->store, offer_id, "cancelled", now, error) ||
      !(offer = parley_store_get_offer (self->store, offer_id, error)))
    return FALSE;
  g_hash_table_remove (self->offers_shown, &offer_id);
  _parley_hub_notice (self, json_object_get_int_member (offer, "agent_id"), 0, "offer", "offer", offer);
  return TRUE;
}

/* An open offer ends without an answer: the conversation goes back to the
 * queue and the agent is told. */
static gboolean
end_offer (ParleyHub                *self,
           const ParleyRouterExpiry *ending,
           const char               *state,
           gint64                    now,
           GError                  **error)
{
  g_autoptr(JsonObject) offer = NULL;

  if (!parley_store_decide_offer (self->store, ending->offer_id, state, now, error) ||
      !parley_store_update_conversation (self->store, ending->conversation_id, "queued", 0, 0, NULL, now, error) ||
      !(offer = parley_store_get_offer (self->store, ending->offer_id, error)) ||
      !notice_conversation (self, ending->conversation_id, error))
    return FALSE;
  parley_router_offer_declined (self->router, ending->conversation_id, now);
  g_hash_table_remove (self->offers_shown, &ending->offer_id);
  _parley_hub_notice (self, ending->agent_id, 0, "offer", "offer", offer);
  self->dispatch_needed = TRUE;
  return TRUE;
}

/* Offers nobody answered in time go back to the queue, and (by default) the
 * agent who missed one is set away so the next offer goes to someone there.
 * Only an offer the desktop said it displayed was missed: one that never
 * reached the agent's eyes (a second offer of a burst on an old desktop, a
 * window that was closing) says nothing about whether they are there. */
static gboolean
expire_offers (ParleyHub  *self,
               gint64      now,
               GError    **error)
{
  g_autoptr(GArray) expired = parley_router_collect_expired (self->router, now);

  for (guint i = 0; i < expired->len; i++)
    {
      ParleyRouterExpiry *expiry = &g_array_index (expired, ParleyRouterExpiry, i);
      ParleyHubAgent *agent = _parley_hub_lookup_agent (self, expiry->agent_id);
      gboolean shown = g_hash_table_contains (self->offers_shown, &expiry->offer_id);

      if (!end_offer (self, expiry, "expired", now, error))
        return FALSE;
      if (shown && self->config->missed_offer_away && agent != NULL &&
          g_strcmp0 (agent->presence, "available") == 0 &&
          !_parley_hub_set_presence (self, agent, "away", "missed-offer", now, error))
        return FALSE;
    }
  return TRUE;
}

/* An agent going offline cannot answer: their open offers go to someone
 * else now rather than when they expire. */
gboolean
_parley_hub_withdraw_offers (ParleyHub  *self,
                             gint64      agent_id,
                             gint64      now,
                             GError    **error)
{
  g_autoptr(GArray) open_offers = parley_router_offers_of (self->router, agent_id);

  for (guint i = 0; i < open_offers->len; i++)
    if (!end_offer (self, &g_array_index (open_offers, ParleyRouterExpiry, i), "cancelled", now, error))
      return FALSE;
  return TRUE;
}

static gboolean
make_offers (ParleyHub  *self,
             gint64      now,
             GError    **error)
{
  g_autoptr(GArray) picks = parley_router_dispatch (self->router, now);
  gint64 expires = now + (gint64) self->config->offer_timeout * G_USEC_PER_SEC;

  for (guint i = 0; i < picks->len; i++)
    {
      ParleyRouterOffer *pick = &g_array_index (picks, ParleyRouterOffer, i);
      g_autoptr(JsonObject) offer = NULL;
      g_autoptr(JsonObject) conversation = NULL;
      g_autoptr(JsonObject) customer = NULL;
      gint64 offer_id;

      offer_id = parley_store_create_offer (self->store, pick->conversation_id, pick->agent_id, now, expires, error);
      if (offer_id <= 0 ||
          !parley_store_update_conversation (self->store, pick->conversation_id, "offered", -1, 0, NULL, now, error) ||
          !(offer = parley_store_get_offer (self->store, offer_id, error)) ||
          !(conversation = parley_store_get_conversation (self->store, pick->conversation_id, error)) ||
          !(customer = parley_store_get_customer (self->store, json_object_get_int_member (conversation, "customer_id"), error)))
        return FALSE;
      parley_router_offer_created (self->router, pick->conversation_id, offer_id, expires);

      /* Everything the desktop needs to show the offer without asking back. */
      json_object_set_object_member (offer, "conversation", json_object_ref (conversation));
      json_object_set_object_member (offer, "customer", json_object_ref (customer));
      _parley_hub_notice (self, pick->agent_id, 0, "offer", "offer", offer);
      _parley_hub_notice (self, 0, pick->conversation_id, "conversation", "conversation", conversation);
    }
  return TRUE;
}

static void
arm_deadline (ParleyHub *self);

static gboolean
deadline_cb (gpointer user_data)
{
  ParleyHub *self = user_data;

  self->deadline_source = 0;
  self->deadline = 0;
  self->dispatch_needed = TRUE;
  _parley_hub_schedule_flush (self);
  return G_SOURCE_REMOVE;
}

static void
arm_deadline (ParleyHub *self)
{
  gint64 now = g_get_real_time ();
  gint64 deadline = parley_router_next_deadline (self->router, now);
  gint64 delay_ms;

  if (deadline == self->deadline && self->deadline_source != 0)
    return;
  g_clear_handle_id (&self->deadline_source, g_source_remove);
  self->deadline = 0;
  if (deadline == G_MAXINT64)
    return;
  delay_ms = MAX (0, (deadline - now + 999) / 1000);
  self->deadline = deadline;
  self->deadline_source = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (delay_ms, G_MAXUINT),
                                              deadline_cb, self, NULL);
}

/* One group commit: the messages it took, answered once the store says
 * the commit is durable. */
typedef struct
{
  ParleyHub *hub;
  GPtrArray *items;     /* ParleyHubPending */
  gint64     started;
} ParleyHubBatch;

static void
batch_free (ParleyHubBatch *batch)
{
  g_ptr_array_unref (batch->items);
  g_object_unref (batch->hub);
  g_free (batch);
}

static void
finish_batch (ParleyHubBatch *batch,
              const GError   *commit_error)
{
  for (guint i = 0; i < batch->items->len; i++)
    {
      ParleyHubPending *pending = g_ptr_array_index (batch->items, i);

      if (pending->error != NULL)
        g_task_return_error (pending->task, g_steal_pointer (&pending->error));
      else if (commit_error != NULL)
        g_task_return_new_error (pending->task, PARLEY_ERROR, PARLEY_ERROR_STORAGE,
                                 "The message could not be stored: %s", commit_error->message);
      else
        g_task_return_boolean (pending->task, TRUE);
    }
}

static gboolean
run_batch (ParleyHub  *self,
           GPtrArray  *batch,
           gint64      now,
           GError    **error)
{
  if (!parley_store_begin_lazy (self->store, error))
    return FALSE;

  for (guint i = 0; i < batch->len; i++)
    {
      ParleyHubPending *pending = g_ptr_array_index (batch, i);
      guint notices = self->notices->len, fresh = self->outbox_fresh->len;

      if (!parley_store_savepoint (self->store, error))
        return _parley_hub_fail_transaction (self, error);
      if (ingest_one (self, pending, now, &pending->error))
        {
          if (!parley_store_release_savepoint (self->store, error))
            return _parley_hub_fail_transaction (self, error);
        }
      else
        {
          /* What it would have pushed and sent goes with it. */
          parley_store_rollback_savepoint (self->store);
          _parley_hub_drop_notices (self, notices);
          _parley_hub_drop_fresh_outbound (self, fresh);
          g_debug ("Inbound message refused: %s", pending->error->message);
        }
    }

  if (!expire_offers (self, now, error))
    return _parley_hub_fail_transaction (self, error);
  if (self->dispatch_needed)
    {
      self->dispatch_needed = FALSE;
      if (!make_offers (self, now, error))
        return _parley_hub_fail_transaction (self, error);
    }
  if (!parley_store_commit_lazy (self->store, error))
    return _parley_hub_fail_transaction (self, error);
  return TRUE;
}

static void
batch_durable_cb (ParleyHub    *self,
                  const GError *error,
                  gpointer      data)
{
  ParleyHubBatch *batch = data;

  g_debug ("Group commit of %u messages durable after %" G_GINT64_FORMAT " µs", batch->items->len,
           g_get_monotonic_time () - batch->started);
  finish_batch (batch, error);
  arm_deadline (self);
  batch_free (batch);
}

/* Commits a batch and pushes it at once, but acknowledges it only after
 * its fsync, which runs on a worker thread (see _parley_hub_commit ()).
 * While it runs the main loop keeps reading requests, and what arrives
 * meanwhile is committed with an fsync of its own, up to
 * PARLEY_HUB_MAX_SYNCS at once. */
void
_parley_hub_flush_inbound (ParleyHub *self)
{
  ParleyHubBatch *batch;
  g_autoptr(GError) error = NULL;

  /* With every fsync slot busy, the disk is the bottleneck: let messages
   * pile up into fewer, larger commits; the end of the next fsync flushes
   * them (see synced_cb ()). Without this wait bench-hub's saturated run
   * made 16 % fewer durable messages a second. */
  if (self->syncs_running >= PARLEY_HUB_MAX_SYNCS)
    return;
  if (g_queue_is_empty (&self->pending) && !self->dispatch_needed)
    {
      arm_deadline (self);
      return;
    }

  batch = g_new0 (ParleyHubBatch, 1);
  batch->hub = g_object_ref (self);
  batch->items = g_ptr_array_new_with_free_func (_parley_hub_pending_free);
  batch->started = g_get_monotonic_time ();
  while (batch->items->len < self->config->batch_size && !g_queue_is_empty (&self->pending))
    g_ptr_array_add (batch->items, g_queue_pop_head (&self->pending));

  if (!run_batch (self, batch->items, g_get_real_time (), &error))
    {
      g_warning ("Group commit failed: %s", error->message);
      finish_batch (batch, error);
      batch_free (batch);
      if (!g_queue_is_empty (&self->pending))
        _parley_hub_schedule_flush (self);
      arm_deadline (self);
      return;
    }
  g_debug ("Group commit of %u messages committed in %" G_GINT64_FORMAT " µs", batch->items->len,
           g_get_monotonic_time () - batch->started);
  _parley_hub_send_committed (self);
  _parley_hub_when_durable (self, batch_durable_cb, batch);
  if (!g_queue_is_empty (&self->pending))
    _parley_hub_schedule_flush (self);
}

static gboolean
flush_cb (gpointer user_data)
{
  ParleyHub *self = user_data;

  self->flush_source = 0;
  _parley_hub_flush_inbound (self);
  return G_SOURCE_REMOVE;
}

/* Commits everything still waiting, at shutdown. */
void
_parley_hub_flush_pending (ParleyHub *self)
{
  g_clear_handle_id (&self->flush_source, g_source_remove);
  while (self->syncs_running > 0 || !g_queue_is_empty (&self->pending))
    {
      if (self->syncs_running == 0)
        flush_cb (self);
      g_main_context_iteration (NULL, self->syncs_running > 0);
      g_clear_handle_id (&self->flush_source, g_source_remove);
    }
  g_clear_handle_id (&self->deadline_source, g_source_remove);
}

/* At high priority, so the next pass of the main loop runs the group
 * commit alone and first, and the one after reads requests again: under
 * load the two alternate, and nothing waits for an idle moment that never
 * comes. */
void
_parley_hub_schedule_flush (ParleyHub *self)
{
  if (self->flush_source == 0 && !g_cancellable_is_cancelled (self->cancellable))
    self->flush_source = g_idle_add_full (G_PRIORITY_HIGH, flush_cb, self, NULL);
}

void
_parley_hub_submit_async (ParleyHub           *self,
                          ParleyInbound       *inbound,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  ParleyHubPending *pending = g_new0 (ParleyHubPending, 1);
  g_autoptr(GError) error = NULL;

  pending->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (pending->task, _parley_hub_submit_async);
  pending->inbound = g_object_ref (inbound);

  if (g_cancellable_is_cancelled (self->cancellable))
    g_set_error_literal (&error, PARLEY_ERROR, PARLEY_ERROR_CHANNEL_UNAVAILABLE, "The hub is shutting down");
  else
    validate_inbound (self, pending, &error);

  if (error != NULL)
    {
      g_task_return_error (pending->task, g_steal_pointer (&error));
      _parley_hub_pending_free (pending);
      return;
    }
  g_queue_push_tail (&self->pending, pending);
  /* With the store idle (no group commit due, no fsync running) the
   * message is committed at once; otherwise it shares the next group
   * commit, which runs first in the main loop's next pass (see below).
   * Waiting for an idle pass every time, a message waited behind the rest
   * of the pass and the requests ready in the next: 0.45 ms at p50 in
   * bench-chat, measured in parleyd from here to the push. Under load
   * fsyncs are running nearly all the time, so messages still go in
   * batches. */
  if (self->flush_source == 0 && self->syncs_running == 0 && !g_cancellable_is_cancelled (self->cancellable))
    _parley_hub_flush_inbound (self);
  _parley_hub_schedule_flush (self);
}

/* Reloads the routing state from the store: at start, and after a failed
 * transaction left memory ahead of what was committed. Offers still open in
 * the store go back to the queue; the router has forgotten them. */
gboolean
_parley_hub_rebuild_router (ParleyHub  *self,
                            GError    **error)
{
  static const char * const states[] = { "queued", "assigned" };
  g_autoptr(GPtrArray) offers = NULL;
  GHashTableIter iter;
  gpointer value;
  gint64 now = g_get_real_time ();

  g_clear_object (&self->router);
  g_hash_table_remove_all (self->offers_shown);
  self->router = parley_router_new ();
  parley_router_set_retry_exclusion (self->router, self->config->retry_exclusion);

  g_hash_table_iter_init (&iter, self->queues);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    parley_router_set_queue (self->router, json_object_get_int_member (value, "id"),
                             json_object_get_int_member (value, "priority"),
                             json_object_get_object_member (value, "skills"),
                             json_object_get_int_member (value, "relax_after"));
  g_hash_table_iter_init (&iter, self->agents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ParleyHubAgent *agent = value;

      parley_router_set_agent (self->router, agent->id,
                               json_object_get_object_member (agent->record, "skills"),
                               json_object_get_object_member (agent->record, "capacity"));
      parley_router_set_available (self->router, agent->id,
                                   g_strcmp0 (agent->presence, "available") == 0, agent->since);
    }

  if (!(offers = parley_store_list_open_offers (self->store, error)) ||
      !parley_store_begin (self->store, error))
    return FALSE;
  for (guint i = 0; i < offers->len; i++)
    {
      JsonObject *offer = g_ptr_array_index (offers, i);

      if (!parley_store_decide_offer (self->store, json_object_get_int_member (offer, "id"), "cancelled", now, error) ||
          !parley_store_update_conversation (self->store, json_object_get_int_member (offer, "conversation_id"),
                                             "queued", 0, 0, NULL, now, error))
        {
          parley_store_rollback (self->store);
          return FALSE;
        }
    }
  if (!parley_store_commit (self->store, error))
    return FALSE;

  /* Open offers became queued above; resolved history is not routing state. */
  for (guint s = 0; s < G_N_ELEMENTS (states); s++)
    {
      g_autoptr(GPtrArray) conversations = parley_store_list_conversations (self->store, states[s], 0, 0, error);

      if (conversations == NULL)
        return FALSE;
      for (guint i = 0; i < conversations->len; i++)
        {
          JsonObject *conversation = g_ptr_array_index (conversations, i);
          gint64 id = json_object_get_int_member (conversation, "id");
          const char *channel = json_object_get_string_member (conversation, "channel");

          if (s == 0)
            parley_router_enqueue (self->router, id, json_object_get_int_member (conversation, "queue_id"), channel,
                                   json_object_get_int_member (conversation, "priority"),
                                   json_object_get_int_member (conversation, "created"),
                                   parley_store_last_agent_for (self->store,
                                                                json_object_get_int_member (conversation, "customer_id")));
          else
            parley_router_assign (self->router, id, json_object_get_int_member (conversation, "agent_id"), channel);
        }
    }
  self->dispatch_needed = TRUE;
  return TRUE;
}
