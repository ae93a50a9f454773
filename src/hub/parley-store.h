/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * ParleyStore is the one place the hub keeps state. Everything above it
 * speaks in ids (gint64, > 0), times (gint64 microseconds since the Unix
 * epoch) and JSON objects shaped as the REST API returns them, so a
 * PostgreSQL store can implement the same class without SQL leaking upward.
 *
 * Writes happen inside begin()/commit(); a savepoint lets one failing item
 * of a group commit be undone without losing the others. Lookups that find
 * nothing return NULL / 0 and set PARLEY_ERROR_NOT_FOUND. Storage failures
 * set PARLEY_ERROR_STORAGE. Constraint clashes set PARLEY_ERROR_CONFLICT.
 *
 * JSON shapes (keys always present unless marked optional):
 *  agent:        {id, login, name, role, skills:{skill:level}, capacity:{channel:n},
 *                 presence, reason, presence_since}      (+ password_hash from get_agent_by_login)
 *  queue:        {id, name, priority, skills:{skill:min_level}, relax_after (seconds),
 *                 service_level:{channel:seconds}, settings:{} (see parley-queue-settings.h)}
 *  customer:     {id, name, attributes:{}, identities:[{kind,value}], created, merged_into (0 or id)}
 *  conversation: {id, customer_id, queue_id, channel, state, priority, agent_id (0 = none),
 *                 created, updated, first_response_at (0), resolved_at (0), disposition (null),
 *                 customer_name, last_event (null or {id, channel, kind, direction, text, created})}
 *  event:        {id, conversation_id (0 for customer-level events), customer_id, channel, kind,
 *                 direction, agent_id, author_name, text, html, metadata:{}, external_id,
 *                 delivery, created}
 *  offer:        {id, conversation_id, agent_id, state, created, expires, decided}
 *  outbound:     {id, event_id, channel, payload (string), attempts, next_attempt}
 *  merge:        {id, survivor_id, absorbed_id, agent_id, created, undone_at}
 *  survey:       {id, conversation_id, customer_id, agent_id, queue_id, channel, state, step,
 *                 retried, answer_id (0 = none yet), due_at, asked_at, created}
 *  attachment:   {id, owner, conversation_id (0 = none: a customer's upload), name, type,
 *                 size, created}; an event's metadata.attachment gains "expired" (time)
 *                 when retention deleted the file
 * Survey states: scheduled, asking (step: nps, csat or comment), done, skipped.
 * Conversation states: queued, offered, assigned, wrap-up, resolved.
 * update_conversation(): state/channel NULL = unchanged, agent_id -1 = unchanged
 * (0 clears it), queue_id 0 = unchanged. list_conversations(): state NULL = any
 * state, agent_id 0 = any agent; ordered by priority desc, then created asc.
 * resolve_identity() creates the customer (named display_name, or the value)
 * and the identity when the identity is new; find_identity() only looks
 * (the owner's id, 0 if nobody has it). link_identity() moves an
 * identity to the customer (creating it if new) and returns the customer it
 * belonged to before (0 if new). merge_customers() moves the absorbed
 * customer's identities, conversations and events to the survivor, marks the
 * absorbed one merged_into and records exactly what moved so unmerge() can
 * move it all back.
 * Offer states: offered, accepted, rejected, expired, cancelled.
 * Event directions: in, out, internal.
 */

#define PARLEY_TYPE_STORE (parley_store_get_type ())
G_DECLARE_DERIVABLE_TYPE (ParleyStore, parley_store, PARLEY, STORE, GObject)

/* Where the record ends: the newest event, presence change and
 * conversation. Ids only grow, so what was recorded between two marks is
 * what has an id after the first and up to the second. */
typedef struct
{
  gint64 event;
  gint64 presence;
  gint64 conversation;
} ParleyStoreMark;

/* A timeline entry to append. Strings may be NULL. */
typedef struct
{
  gint64      conversation_id;
  gint64      customer_id;
  const char *channel;
  const char *kind;          /* message, note, state, offer, link, merge, unmerge, survey, ... */
  const char *direction;     /* in, out, internal */
  gint64      agent_id;      /* 0 = not by an agent */
  const char *author_name;
  const char *text;
  const char *html;
  JsonObject *metadata;      /* may be NULL */
  const char *external_id;   /* unique per channel when set */
  const char *delivery;      /* NULL, pending, delivered, failed */
  gint64      created;
} ParleyEventDraft;

struct _ParleyStoreClass
{
  GObjectClass parent_class;

  /* transactions */
  gboolean    (*begin)               (ParleyStore *self, GError **error);
  gboolean    (*commit)              (ParleyStore *self, GError **error);
  /* A transaction begun lazily commits so that later reads see it, but it
   * may not survive a power cut until a sync_async() started afterwards
   * completes. Roll it back with rollback(). */
  gboolean    (*begin_lazy)          (ParleyStore *self, GError **error);
  gboolean    (*commit_lazy)         (ParleyStore *self, GError **error);
  void        (*sync_async)          (ParleyStore *self, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
  gboolean    (*sync_finish)         (ParleyStore *self, GAsyncResult *result, GError **error);
  void        (*rollback)            (ParleyStore *self);
  gboolean    (*savepoint)           (ParleyStore *self, GError **error);
  gboolean    (*release_savepoint)   (ParleyStore *self, GError **error);
  void        (*rollback_savepoint)  (ParleyStore *self);

  /* settings: (scope, key) → value; scope "hub" or a channel kind */
  gboolean    (*set_setting)         (ParleyStore *self, const char *scope, const char *key,
                                      const char *value, GError **error);
  char       *(*get_setting)         (ParleyStore *self, const char *scope, const char *key);

  /* agents and tokens */
  gint64      (*create_agent)        (ParleyStore *self, const char *login, const char *name,
                                      const char *role, const char *password_hash,
                                      JsonObject *skills, JsonObject *capacity, GError **error);
  gboolean    (*update_agent)        (ParleyStore *self, gint64 agent_id, const char *name,
                                      const char *role, const char *password_hash,
                                      JsonObject *skills, JsonObject *capacity, GError **error);
  JsonObject *(*get_agent)           (ParleyStore *self, gint64 agent_id, GError **error);
  JsonObject *(*get_agent_by_login)  (ParleyStore *self, const char *login, GError **error);
  GPtrArray  *(*list_agents)         (ParleyStore *self, GError **error);
  gboolean    (*set_presence)        (ParleyStore *self, gint64 agent_id, const char *presence,
                                      const char *reason, gint64 since, GError **error);
  gboolean    (*add_token)           (ParleyStore *self, const char *token_hash, gint64 agent_id,
                                      gint64 expires, GError **error);
  gint64      (*lookup_token)        (ParleyStore *self, const char *token_hash, gint64 now,
                                      gint64 *expires);
  gboolean    (*remove_token)        (ParleyStore *self, const char *token_hash, GError **error);
  gint64      (*purge_tokens)        (ParleyStore *self, gint64 now, GError **error);

  /* queues */
  gint64      (*create_queue)        (ParleyStore *self, const char *name, gint priority,
                                      JsonObject *skills, gint relax_after,
                                      JsonObject *service_level, JsonObject *settings,
                                      GError **error);
  GPtrArray  *(*list_queues)         (ParleyStore *self, GError **error);
  gboolean    (*set_queue_settings)  (ParleyStore *self, gint64 queue_id, JsonObject *settings,
                                      GError **error);

  /* customers and identities */
  gint64      (*resolve_identity)    (ParleyStore *self, const char *kind, const char *value,
                                      const char *display_name, gint64 now,
                                      gboolean *created, GError **error);
  JsonObject *(*get_customer)        (ParleyStore *self, gint64 customer_id, GError **error);
  GPtrArray  *(*search_customers)    (ParleyStore *self, const char *query, guint limit,
                                      GError **error);
  gboolean    (*update_customer)     (ParleyStore *self, gint64 customer_id, const char *name,
                                      JsonObject *attributes, gint64 now, GError **error);
  gint64      (*find_identity)       (ParleyStore *self, const char *kind, const char *value,
                                      GError **error);
  gint64      (*link_identity)       (ParleyStore *self, gint64 customer_id, const char *kind,
                                      const char *value, GError **error);
  gint64      (*merge_customers)     (ParleyStore *self, gint64 survivor_id, gint64 absorbed_id,
                                      gint64 agent_id, gint64 now, GError **error);
  JsonObject *(*get_merge)           (ParleyStore *self, gint64 merge_id, GError **error);
  gboolean    (*unmerge)             (ParleyStore *self, gint64 merge_id, gint64 now,
                                      GError **error);

  /* conversations */
  gint64      (*open_conversation_for) (ParleyStore *self, gint64 customer_id);
  gint64      (*create_conversation) (ParleyStore *self, gint64 customer_id, gint64 queue_id,
                                      const char *channel, gint priority, gint64 now,
                                      GError **error);
  JsonObject *(*get_conversation)    (ParleyStore *self, gint64 conversation_id, GError **error);
  GPtrArray  *(*list_conversations)  (ParleyStore *self, const char *state, gint64 agent_id,
                                      guint limit, GError **error);
  gboolean    (*update_conversation) (ParleyStore *self, gint64 conversation_id,
                                      const char *state, gint64 agent_id, gint64 queue_id,
                                      const char *channel, gint64 now, GError **error);
  gboolean    (*resolve_conversation) (ParleyStore *self, gint64 conversation_id,
                                       const char *disposition, gint64 now, GError **error);
  gboolean    (*mark_first_response) (ParleyStore *self, gint64 conversation_id, gint64 now,
                                      GError **error);
  gint64      (*last_agent_for)      (ParleyStore *self, gint64 customer_id);

  /* events */
  gint64      (*append_event)        (ParleyStore *self, const ParleyEventDraft *draft,
                                      GError **error);
  JsonObject *(*get_event)           (ParleyStore *self, gint64 event_id, GError **error);
  JsonObject *(*find_event_by_external) (ParleyStore *self, const char *channel,
                                         const char *external_id);
  GPtrArray  *(*timeline)            (ParleyStore *self, gint64 customer_id, gint64 before_id,
                                      guint limit, const char *channel, const char *search,
                                      GError **error);
  /* @reason: why it failed, kept as metadata.delivery_error (NULL removes
   * it); @provider_id, if given and not another event's of the channel
   * already, becomes the event's external_id, where receipts find it. */
  gboolean    (*set_event_delivery)  (ParleyStore *self, gint64 event_id, const char *delivery,
                                      const char *reason, const char *provider_id, GError **error);
  /* The `from` of the customer's latest inbound message among their recent
   * events (on @channel, or any when NULL), or NULL. */
  JsonObject *(*last_sender)         (ParleyStore *self, gint64 customer_id, const char *channel,
                                      GError **error);
  /* Marks the conversation's outbound messages on @channel up to @up_to
   * read (once): a receipt speaks for its own channel only. Returns the
   * events that changed. */
  GPtrArray  *(*mark_read)           (ParleyStore *self, gint64 conversation_id, const char *channel,
                                      gint64 up_to, gint64 now, GError **error);
  /* The newest @limit messages on @channel from and to the identity
   * (@kind, @value), oldest first. */
  GPtrArray  *(*messages_with)       (ParleyStore *self, const char *channel, const char *kind,
                                      const char *value, guint limit, GError **error);

  /* metrics: rows {kind, at, conversation, queue, channel, agent, nps,
   * csat, state} in time order: for conversations open in [since, until)
   * everything recorded before until, answers in [since, until), presence
   * changes in [since, until) and each agent's last one before since */
  GPtrArray  *(*metric_rows)         (ParleyStore *self, gint64 since, gint64 until, GError **error);
  /* where the record ends now (see ParleyStoreMark) */
  gboolean    (*metric_mark)         (ParleyStore *self, ParleyStoreMark *mark, GError **error);
  /* the same rows for what was recorded after one mark up to another */
  GPtrArray  *(*metric_rows_between) (ParleyStore *self, const ParleyStoreMark *after,
                                      const ParleyStoreMark *upto, GError **error);

  /* attachments: files customers and agents send, by a random id */
  gboolean    (*save_attachment)     (ParleyStore *self, const char *id, const char *owner,
                                      gint64 conversation_id, const char *name, const char *type,
                                      GBytes *data, gint64 now, GError **error);
  JsonObject *(*load_attachment)     (ParleyStore *self, const char *id, GBytes **data,
                                      GError **error);
  /* Deletes files uploaded before @created_before that no message ever
   * carried; returns how many, or -1. */
  gint64      (*forget_unsent_attachments) (ParleyStore *self, gint64 created_before, GError **error);
  /* Bytes of the files no message carried yet; -1 on failure. */
  gint64      (*unsent_attachment_bytes) (ParleyStore *self, GError **error);

  /* offers */
  gint64      (*create_offer)        (ParleyStore *self, gint64 conversation_id, gint64 agent_id,
                                      gint64 now, gint64 expires, GError **error);
  JsonObject *(*get_offer)           (ParleyStore *self, gint64 offer_id, GError **error);
  gboolean    (*decide_offer)        (ParleyStore *self, gint64 offer_id, const char *state,
                                      gint64 now, GError **error);
  GPtrArray  *(*list_open_offers)    (ParleyStore *self, GError **error);

  /* outbound delivery queue */
  gint64      (*enqueue_outbound)    (ParleyStore *self, gint64 event_id, const char *channel,
                                      const char *payload, gint64 next_attempt, GError **error);
  GPtrArray  *(*due_outbound)        (ParleyStore *self, gint64 now, guint limit, GError **error);
  gboolean    (*finish_outbound)     (ParleyStore *self, gint64 outbound_id, gboolean delivered,
                                      guint attempts, gint64 next_attempt, const char *last_error,
                                      GError **error);

  /* surveys */
  gint64      (*add_survey_answer)   (ParleyStore *self, gint64 conversation_id, gint64 agent_id,
                                      gint nps, gint csat, const char *comment, gint64 now,
                                      GError **error);
  /* sets one answer (question: nps, csat or comment) of an answer row */
  gboolean    (*set_survey_answer)   (ParleyStore *self, gint64 answer_id, const char *question,
                                      gint score, const char *comment, GError **error);
  gint64      (*create_survey)       (ParleyStore *self, gint64 conversation_id, gint64 customer_id,
                                      gint64 agent_id, gint64 queue_id, const char *channel,
                                      gint64 due_at, gint64 now, GError **error);
  GPtrArray  *(*due_surveys)         (ParleyStore *self, gint64 now, guint limit, GError **error);
  gint64      (*next_survey_due)     (ParleyStore *self);
  gboolean    (*update_survey)       (ParleyStore *self, gint64 survey_id, const char *state,
                                      const char *step, gboolean retried, gint64 answer_id,
                                      gint64 asked_at, GError **error);
  /* the customer's survey asking on @channel since @since; NOT_FOUND if none */
  JsonObject *(*awaiting_survey)     (ParleyStore *self, gint64 customer_id, const char *channel,
                                      gint64 since, GError **error);
  gint64      (*count_surveys_since) (ParleyStore *self, gint64 customer_id, gint64 since,
                                      GError **error);

  /* answers {at, nps, csat} given in [since, until), of a queue, channel
   * or agent when given (0 or NULL: any) */
  GPtrArray  *(*survey_rows)         (ParleyStore *self, gint64 since, gint64 until, gint64 queue_id,
                                      const char *channel, gint64 agent_id, GError **error);
  /* answers newest first, before answer before_id (0: the newest):
   * {id, at, conversation, customer, customer_name, agent, agent_name,
   * queue, channel, nps, csat, comment}, 0 and null for what is not known */
  GPtrArray  *(*list_surveys)        (ParleyStore *self, gint64 before_id, guint limit, GError **error);

  /* privacy: a customer's record reaches every customer merged into it */
  /* Everything kept about the customer: {customer, merged_customers:[customer],
   * conversations:[conversation], events:[event] (all channels, oldest first),
   * survey_answers:[{id, conversation_id, agent_id, nps, csat, comment, created}],
   * merges:[merge], attachments:[attachment]} (the files' bytes come from
   * load_attachment()). NOT_FOUND for an erased customer. */
  JsonObject *(*export_customer)     (ParleyStore *self, gint64 customer_id, GError **error);
  /* Deletes the identities and files, blanks the name, attributes, events'
   * text, HTML and metadata (state names and survey scores stay, so every
   * figure stays as it was), survey comments and unsent replies; the
   * customer's id then answers NOT_FOUND; surveys not yet asked are
   * skipped. CONFLICT while one of their conversations is not resolved.
   * What was overwritten leaves the files at the next scrub(). */
  gboolean    (*erase_customer)      (ParleyStore *self, gint64 customer_id, gint64 now, GError **error);
  /* Takes overwritten data out of the store's files (logs, free space). */
  gboolean    (*scrub)               (ParleyStore *self, GError **error);
  /* audit log: {id, at, agent_id (0 = an administrator's command), action,
   * customer_id, details:{}}; list_audit() of one customer, or all (0) */
  gint64      (*add_audit)           (ParleyStore *self, gint64 agent_id, const char *action,
                                      gint64 customer_id, JsonObject *details, gint64 now,
                                      GError **error);
  GPtrArray  *(*list_audit)          (ParleyStore *self, gint64 customer_id, GError **error);
  /* Deletes files whose type starts with @type_prefix ("image/") uploaded
   * before @created_before; the events that carried one get
   * metadata.attachment.expired = @now. Returns how many, or -1. */
  gint64      (*expire_attachments)  (ParleyStore *self, const char *type_prefix, gint64 created_before,
                                      gint64 now, GError **error);

  /* backups: a consistent copy in one new file at @target while others go
   * on writing; restore() replaces all data with such a copy */
  gboolean    (*backup)              (ParleyStore *self, const char *target, GError **error);
  gboolean    (*restore)             (ParleyStore *self, const char *source, GError **error);
};

/* Public wrappers, one per vfunc, same arguments. */
gboolean    parley_store_begin                  (ParleyStore *self, GError **error);
gboolean    parley_store_commit                 (ParleyStore *self, GError **error);
gboolean    parley_store_begin_lazy             (ParleyStore *self, GError **error);
gboolean    parley_store_commit_lazy            (ParleyStore *self, GError **error);
void        parley_store_sync_async             (ParleyStore *self, GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean    parley_store_sync_finish            (ParleyStore *self, GAsyncResult *result,
                                                 GError **error);
void        parley_store_rollback               (ParleyStore *self);
gboolean    parley_store_savepoint              (ParleyStore *self, GError **error);
gboolean    parley_store_release_savepoint      (ParleyStore *self, GError **error);
void        parley_store_rollback_savepoint     (ParleyStore *self);
gboolean    parley_store_set_setting            (ParleyStore *self, const char *scope,
                                                 const char *key, const char *value,
                                                 GError **error);
char       *parley_store_get_setting            (ParleyStore *self, const char *scope,
                                                 const char *key);
gint64      parley_store_create_agent           (ParleyStore *self, const char *login,
                                                 const char *name, const char *role,
                                                 const char *password_hash, JsonObject *skills,
                                                 JsonObject *capacity, GError **error);
gboolean    parley_store_update_agent           (ParleyStore *self, gint64 agent_id,
                                                 const char *name, const char *role,
                                                 const char *password_hash, JsonObject *skills,
                                                 JsonObject *capacity, GError **error);
/* Changes an agent as PATCH /agents/{id} and parleyctl agent-set do:
 * @changes holds any of name, role, skills and capacity; skills and
 * capacity change the members given (null removes one). Checked first
 * (PARLEY_ERROR_INVALID saying what is wrong); returns the new record. */
JsonObject *parley_store_patch_agent            (ParleyStore *self, gint64 agent_id,
                                                 JsonObject *changes, GError **error);
JsonObject *parley_store_get_agent              (ParleyStore *self, gint64 agent_id,
                                                 GError **error);
JsonObject *parley_store_get_agent_by_login     (ParleyStore *self, const char *login,
                                                 GError **error);
GPtrArray  *parley_store_list_agents            (ParleyStore *self, GError **error);
gboolean    parley_store_set_presence           (ParleyStore *self, gint64 agent_id,
                                                 const char *presence, const char *reason,
                                                 gint64 since, GError **error);
gboolean    parley_store_add_token              (ParleyStore *self, const char *token_hash,
                                                 gint64 agent_id, gint64 expires,
                                                 GError **error);
/* The agent a token stands for (0 if none or expired) and when it expires. */
gint64      parley_store_lookup_token           (ParleyStore *self, const char *token_hash,
                                                 gint64 now, gint64 *expires);
gboolean    parley_store_remove_token           (ParleyStore *self, const char *token_hash,
                                                 GError **error);
/* Forgets tokens expired by @now; the number forgotten, or -1. */
gint64      parley_store_purge_tokens           (ParleyStore *self, gint64 now, GError **error);
gint64      parley_store_create_queue           (ParleyStore *self, const char *name,
                                                 gint priority, JsonObject *skills,
                                                 gint relax_after, JsonObject *service_level,
                                                 JsonObject *settings, GError **error);
GPtrArray  *parley_store_list_queues            (ParleyStore *self, GError **error);
gboolean    parley_store_set_queue_settings     (ParleyStore *self, gint64 queue_id,
                                                 JsonObject *settings, GError **error);
gint64      parley_store_resolve_identity       (ParleyStore *self, const char *kind,
                                                 const char *value, const char *display_name,
                                                 gint64 now, gboolean *created, GError **error);
JsonObject *parley_store_get_customer           (ParleyStore *self, gint64 customer_id,
                                                 GError **error);
GPtrArray  *parley_store_search_customers       (ParleyStore *self, const char *query,
                                                 guint limit, GError **error);
gboolean    parley_store_update_customer        (ParleyStore *self, gint64 customer_id,
                                                 const char *name, JsonObject *attributes,
                                                 gint64 now, GError **error);
gint64      parley_store_find_identity          (ParleyStore *self, const char *kind,
                                                 const char *value, GError **error);
gint64      parley_store_link_identity          (ParleyStore *self, gint64 customer_id,
                                                 const char *kind, const char *value,
                                                 GError **error);
gint64      parley_store_merge_customers        (ParleyStore *self, gint64 survivor_id,
                                                 gint64 absorbed_id, gint64 agent_id,
                                                 gint64 now, GError **error);
JsonObject *parley_store_get_merge              (ParleyStore *self, gint64 merge_id,
                                                 GError **error);
gboolean    parley_store_unmerge                (ParleyStore *self, gint64 merge_id,
                                                 gint64 now, GError **error);
gint64      parley_store_open_conversation_for  (ParleyStore *self, gint64 customer_id);
gint64      parley_store_create_conversation    (ParleyStore *self, gint64 customer_id,
                                                 gint64 queue_id, const char *channel,
                                                 gint priority, gint64 now, GError **error);
JsonObject *parley_store_get_conversation       (ParleyStore *self, gint64 conversation_id,
                                                 GError **error);
GPtrArray  *parley_store_list_conversations     (ParleyStore *self, const char *state,
                                                 gint64 agent_id, guint limit,
                                                 GError **error);
gboolean    parley_store_update_conversation    (ParleyStore *self, gint64 conversation_id,
                                                 const char *state, gint64 agent_id,
                                                 gint64 queue_id, const char *channel,
                                                 gint64 now, GError **error);
gboolean    parley_store_resolve_conversation   (ParleyStore *self, gint64 conversation_id,
                                                 const char *disposition, gint64 now,
                                                 GError **error);
gboolean    parley_store_mark_first_response    (ParleyStore *self, gint64 conversation_id,
                                                 gint64 now, GError **error);
gint64      parley_store_last_agent_for         (ParleyStore *self, gint64 customer_id);
gint64      parley_store_append_event           (ParleyStore *self,
                                                 const ParleyEventDraft *draft,
                                                 GError **error);
JsonObject *parley_store_get_event              (ParleyStore *self, gint64 event_id,
                                                 GError **error);
JsonObject *parley_store_find_event_by_external (ParleyStore *self, const char *channel,
                                                 const char *external_id);
GPtrArray  *parley_store_timeline               (ParleyStore *self, gint64 customer_id,
                                                 gint64 before_id, guint limit,
                                                 const char *channel, const char *search,
                                                 GError **error);
gboolean    parley_store_set_event_delivery     (ParleyStore *self, gint64 event_id,
                                                 const char *delivery, const char *reason,
                                                 const char *provider_id, GError **error);
JsonObject *parley_store_last_sender            (ParleyStore *self, gint64 customer_id,
                                                 const char *channel, GError **error);
GPtrArray  *parley_store_mark_read              (ParleyStore *self, gint64 conversation_id,
                                                 const char *channel, gint64 up_to, gint64 now,
                                                 GError **error);
GPtrArray  *parley_store_messages_with          (ParleyStore *self, const char *channel,
                                                 const char *kind, const char *value,
                                                 guint limit, GError **error);
GPtrArray  *parley_store_metric_rows            (ParleyStore *self, gint64 since, gint64 until,
                                                 GError **error);
gboolean    parley_store_metric_mark            (ParleyStore *self, ParleyStoreMark *mark,
                                                 GError **error);
GPtrArray  *parley_store_metric_rows_between    (ParleyStore *self, const ParleyStoreMark *after,
                                                 const ParleyStoreMark *upto, GError **error);
gboolean    parley_store_save_attachment        (ParleyStore *self, const char *id,
                                                 const char *owner, gint64 conversation_id,
                                                 const char *name, const char *type,
                                                 GBytes *data, gint64 now, GError **error);
JsonObject *parley_store_load_attachment        (ParleyStore *self, const char *id,
                                                 GBytes **data, GError **error);
gint64      parley_store_forget_unsent_attachments (ParleyStore *self, gint64 created_before,
                                                    GError **error);
gint64      parley_store_unsent_attachment_bytes (ParleyStore *self, GError **error);
gint64      parley_store_create_offer           (ParleyStore *self, gint64 conversation_id,
                                                 gint64 agent_id, gint64 now, gint64 expires,
                                                 GError **error);
JsonObject *parley_store_get_offer              (ParleyStore *self, gint64 offer_id,
                                                 GError **error);
gboolean    parley_store_decide_offer           (ParleyStore *self, gint64 offer_id,
                                                 const char *state, gint64 now,
                                                 GError **error);
GPtrArray  *parley_store_list_open_offers       (ParleyStore *self, GError **error);
gint64      parley_store_enqueue_outbound       (ParleyStore *self, gint64 event_id,
                                                 const char *channel, const char *payload,
                                                 gint64 next_attempt, GError **error);
GPtrArray  *parley_store_due_outbound           (ParleyStore *self, gint64 now, guint limit,
                                                 GError **error);
gboolean    parley_store_finish_outbound        (ParleyStore *self, gint64 outbound_id,
                                                 gboolean delivered, guint attempts,
                                                 gint64 next_attempt, const char *last_error,
                                                 GError **error);
gint64      parley_store_add_survey_answer      (ParleyStore *self, gint64 conversation_id,
                                                 gint64 agent_id, gint nps, gint csat,
                                                 const char *comment, gint64 now,
                                                 GError **error);
gboolean    parley_store_set_survey_answer      (ParleyStore *self, gint64 answer_id,
                                                 const char *question, gint score,
                                                 const char *comment, GError **error);
gint64      parley_store_create_survey          (ParleyStore *self, gint64 conversation_id,
                                                 gint64 customer_id, gint64 agent_id,
                                                 gint64 queue_id, const char *channel,
                                                 gint64 due_at, gint64 now, GError **error);
GPtrArray  *parley_store_due_surveys            (ParleyStore *self, gint64 now, guint limit,
                                                 GError **error);
gint64      parley_store_next_survey_due        (ParleyStore *self);
gboolean    parley_store_update_survey          (ParleyStore *self, gint64 survey_id,
                                                 const char *state, const char *step,
                                                 gboolean retried, gint64 answer_id,
                                                 gint64 asked_at, GError **error);
JsonObject *parley_store_awaiting_survey        (ParleyStore *self, gint64 customer_id,
                                                 const char *channel, gint64 since,
                                                 GError **error);
gint64      parley_store_count_surveys_since    (ParleyStore *self, gint64 customer_id,
                                                 gint64 since, GError **error);
GPtrArray  *parley_store_survey_rows            (ParleyStore *self, gint64 since, gint64 until,
                                                 gint64 queue_id, const char *channel,
                                                 gint64 agent_id, GError **error);
GPtrArray  *parley_store_list_surveys           (ParleyStore *self, gint64 before_id, guint limit,
                                                 GError **error);
JsonObject *parley_store_export_customer        (ParleyStore *self, gint64 customer_id, GError **error);
gboolean    parley_store_erase_customer         (ParleyStore *self, gint64 customer_id, gint64 now,
                                                 GError **error);
gboolean    parley_store_scrub                  (ParleyStore *self, GError **error);
gint64      parley_store_add_audit              (ParleyStore *self, gint64 agent_id, const char *action,
                                                 gint64 customer_id, JsonObject *details, gint64 now,
                                                 GError **error);
GPtrArray  *parley_store_list_audit             (ParleyStore *self, gint64 customer_id, GError **error);
gint64      parley_store_expire_attachments     (ParleyStore *self, const char *type_prefix,
                                                 gint64 created_before, gint64 now, GError **error);
gboolean    parley_store_backup                 (ParleyStore *self, const char *target, GError **error);
gboolean    parley_store_restore                (ParleyStore *self, const char *source, GError **error);

G_END_DECLS
