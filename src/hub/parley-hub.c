/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-hub"

#include "config.h"

#include <glib/gstdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "parley-auth.h"
#include "parley-data-dir.h"
#include "parley-hub-private.h"
#include "parley-net-private.h"
#include "parley-queue-settings.h"
#include "parley-sqlite-store.h"

/**
 * ParleyHub:
 *
 * parleyd's one object: it owns the store, the router, the HTTP server,
 * the desktops' sockets and the channel plugins, and is the #ParleyHost
 * those plugins talk to.
 */

typedef struct
{
  gint64 agent_id;
  gint64 expires;
} ParleyHubToken;

static void parley_hub_initable_iface_init (GInitableIface *iface);
static void parley_hub_host_iface_init (ParleyHostInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ParleyHub, parley_hub, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, parley_hub_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (PARLEY_TYPE_HOST, parley_hub_host_iface_init))

static void
hub_agent_free (gpointer data)
{
  ParleyHubAgent *agent = data;

  g_clear_handle_id (&agent->wrap_up_source, g_source_remove);
  json_object_unref (agent->record);
  g_free (agent->presence);
  g_free (agent->reason);
  g_free (agent->presence_before_wrap_up);
  g_ptr_array_unref (agent->sockets);
  g_free (agent);
}

ParleyRole
_parley_role_from_string (const char *role)
{
  if (g_strcmp0 (role, "admin") == 0)
    return PARLEY_ROLE_ADMIN;
  if (g_strcmp0 (role, "supervisor") == 0)
    return PARLEY_ROLE_SUPERVISOR;
  if (g_strcmp0 (role, "agent") == 0)
    return PARLEY_ROLE_AGENT;
  return 0;
}

void
_parley_hub_add_agent (ParleyHub  *self,
                       JsonObject *record)
{
  ParleyHubAgent *agent = g_new0 (ParleyHubAgent, 1);

  agent->hub = self;
  agent->id = json_object_get_int_member (record, "id");
  agent->role = _parley_role_from_string (json_object_get_string_member (record, "role"));
  agent->record = json_object_ref (record);
  agent->presence = g_strdup ("offline");
  agent->since = g_get_real_time ();
  agent->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_replace (self->agents, &agent->id, agent);

  parley_router_set_agent (self->router, agent->id,
                           json_object_get_object_member (record, "skills"),
                           json_object_get_object_member (record, "capacity"));
}

ParleyHubAgent *
_parley_hub_lookup_agent (ParleyHub *self,
                          gint64     agent_id)
{
  return g_hash_table_lookup (self->agents, &agent_id);
}

/* The agent as the API shows it: the stored record plus live state. */
JsonObject *
_parley_hub_agent_json (ParleyHub      *self,
                        ParleyHubAgent *agent)
{
  JsonObject *json = json_object_new ();
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  json_object_iter_init (&iter, agent->record);
  while (json_object_iter_next (&iter, &member, &node))
    if (!g_str_equal (member, "password_hash"))
      json_object_set_member (json, member, json_node_copy (node));
  json_object_set_string_member (json, "presence", agent->presence);
  json_object_set_string_member (json, "reason", agent->reason);
  json_object_set_int_member (json, "presence_since", agent->since);
  json_object_set_object_member (json, "load", parley_router_agent_load (self->router, agent->id));
  json_object_set_int_member (json, "connections", agent->sockets->len);
  return json;
}

JsonObject *
_parley_hub_queue_json (ParleyHub *self,
                        gint64     queue_id)
{
  return g_hash_table_lookup (self->queues, &queue_id);
}

gint64
_parley_hub_queue_by_name (ParleyHub  *self,
                           const char *name)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->queues);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_strcmp0 (json_object_get_string_member (value, "name"), name) == 0)
      return json_object_get_int_member (value, "id");
  return 0;
}

/* Undo whatever the failed transaction did, in the store and in memory. */
gboolean
_parley_hub_fail_transaction (ParleyHub  *self,
                              GError    **error)
{
  g_autoptr(GError) rebuild_error = NULL;

  parley_store_rollback (self->store);
  _parley_hub_drop_notices (self, 0);
  _parley_hub_drop_fresh_outbound (self, 0);
  if (!_parley_hub_rebuild_router (self, &rebuild_error))
    g_warning ("Could not rebuild the routing state: %s", rebuild_error->message);
  return FALSE;
}

/* A transaction whose commit is made durable off the main loop. */
gboolean
_parley_hub_begin (ParleyHub  *self,
                   GError    **error)
{
  return parley_store_begin_lazy (self->store, error);
}

typedef struct
{
  ParleyHubSyncFunc func;
  gpointer          data;
} ParleyHubWaiter;

/* One fsync and whoever waits for it. They are answered in the order the
 * fsyncs began, each once its own has returned: a later fsync that
 * returns first is not taken to cover an earlier one, since an error of
 * the earlier one is reported to it alone. */
typedef struct
{
  ParleyHub       *hub;       /* owned while the fsync runs */
  GArray          *waiters;   /* ParleyHubWaiter */
  ParleyStoreMark  mark;      /* where the record ended when it began */
  GError          *error;
  gboolean         finished;
} ParleyHubSync;

static void start_sync (ParleyHub *self);

/* Calls the waiters of the oldest fsyncs that have returned. */
static void
answer_syncs (ParleyHub *self)
{
  ParleyHubSync *sync;

  while ((sync = g_queue_peek_head (&self->syncs)) && sync->finished)
    {
      g_queue_pop_head (&self->syncs);
      if (sync->error == NULL)
        _parley_hub_metrics_sync_done (self, &sync->mark);
      for (guint i = 0; i < sync->waiters->len; i++)
        {
          ParleyHubWaiter *waiter = &g_array_index (sync->waiters, ParleyHubWaiter, i);

          if (waiter->func != NULL)
            waiter->func (self, sync->error, waiter->data);
        }
      g_array_unref (sync->waiters);
      g_clear_error (&sync->error);
      g_free (sync);
    }
}

static void
synced_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ParleyHubSync *sync = user_data;
  ParleyHub *self = sync->hub;

  if (!parley_store_sync_finish (PARLEY_STORE (source), result, &sync->error))
    g_warning ("Commits could not be made durable: %s", sync->error->message);
  sync->finished = TRUE;
  self->syncs_running--;
  answer_syncs (self);
  /* Inbound messages that piled up while every fsync slot was busy go now. */
  _parley_hub_flush_inbound (self);
  if (self->sync_waiting->len > 0 && self->syncs_running < PARLEY_HUB_MAX_SYNCS)
    start_sync (self);
  g_object_unref (self);
}

static void
start_sync (ParleyHub *self)
{
  ParleyHubSync *sync = g_new0 (ParleyHubSync, 1);

  sync->waiters = g_steal_pointer (&self->sync_waiting);
  self->sync_waiting = g_array_new (FALSE, FALSE, sizeof (ParleyHubWaiter));
  _parley_hub_metrics_sync_started (self, &sync->mark);
  g_queue_push_tail (&self->syncs, sync);
  self->syncs_running++;
  sync->hub = g_object_ref (self);
  parley_store_sync_async (self->store, NULL, synced_cb, sync);
}

/* Calls func, if any, once everything committed so far is on disk: an
 * fsync starts at once, unless PARLEY_HUB_MAX_SYNCS run already; then the
 * next one to start covers it. Every lazy commit calls this at once. */
void
_parley_hub_when_durable (ParleyHub         *self,
                          ParleyHubSyncFunc  func,
                          gpointer           data)
{
  ParleyHubWaiter waiter = { func, data };

  g_array_append_val (self->sync_waiting, waiter);
  if (self->syncs_running < PARLEY_HUB_MAX_SYNCS)
    start_sync (self);
}

/* What the transaction just committed lets go: the customers' messages
 * first, so that a reply does not wait behind the desktops' pushes, then
 * the pushes, in commit order. */
void
_parley_hub_send_committed (ParleyHub *self)
{
  _parley_hub_send_fresh_outbound (self);
  _parley_hub_send_notices (self);
}

typedef struct
{
  SoupServerMessage *held;
  gboolean           finished;
} ParleyHubCommit;

static void
held_finished_cb (SoupServerMessage *msg,
                  ParleyHubCommit   *commit)
{
  commit->finished = TRUE;
}

static void
committed_cb (ParleyHub    *self,
              const GError *error,
              gpointer      data)
{
  ParleyHubCommit *commit = data;

  if (error != NULL)
    parley_http_reply_error (commit->held, error);
  g_signal_handlers_disconnect_by_func (commit->held, held_finished_cb, commit);
  if (!commit->finished)
    soup_server_message_unpause (commit->held);
  g_object_unref (commit->held);
  g_free (commit);
}

/* Commits and tells the desktops at once, but lets the held request's
 * answer go out only once the commit is on disk: nothing is acknowledged
 * that a power cut could still take back, and the main loop never waits
 * for the disk. A commit survives the hub's own crash (kill -9) before its
 * fsync, since it is in the kernel's cache; what a power cut takes back was
 * never acknowledged, so its sender sends it again. */
gboolean
_parley_hub_commit (ParleyHub          *self,
                    SoupServerMessage  *held,
                    GError            **error)
{
  ParleyHubCommit *commit;

  if (!parley_store_commit_lazy (self->store, error))
    return _parley_hub_fail_transaction (self, error);

  _parley_hub_send_committed (self);
  if (held == NULL)
    {
      _parley_hub_when_durable (self, NULL, NULL);
      return TRUE;
    }
  commit = g_new0 (ParleyHubCommit, 1);
  commit->held = g_object_ref (held);
  g_signal_connect (held, "finished", G_CALLBACK (held_finished_cb), commit);
  soup_server_message_pause (held);
  _parley_hub_when_durable (self, committed_cb, commit);
  return TRUE;
}

void
_parley_hub_remember_token (ParleyHub  *self,
                            const char *digest,
                            gint64      agent_id,
                            gint64      expires)
{
  ParleyHubToken *token = g_new0 (ParleyHubToken, 1);

  token->agent_id = agent_id;
  token->expires = expires;
  g_hash_table_replace (self->tokens, g_strdup (digest), token);
}

void
_parley_hub_forget_token (ParleyHub  *self,
                          const char *digest)
{
  g_hash_table_remove (self->tokens, digest);
}

/* A request's token: "Authorization: Bearer" or, for WebSockets, which
 * browsers cannot give headers, the access_token query parameter. */
const char *
_parley_hub_request_token (SoupServerMessage *msg,
                           GHashTable        *query)
{
  const char *token = parley_http_bearer_token (msg);

  if (token == NULL && query != NULL)
    token = g_hash_table_lookup (query, "access_token");
  return token;
}

/* The agent id a bearer token stands for, or 0. */
gint64
_parley_hub_authenticate (ParleyHub  *self,
                          const char *token)
{
  g_autofree char *digest = NULL;
  ParleyHubToken *known;
  gint64 now = g_get_real_time ();
  gint64 agent_id, expires;

  if (token == NULL || strlen (token) != 64)
    return 0;
  digest = parley_auth_token_digest (token);
  known = g_hash_table_lookup (self->tokens, digest);
  if (known != NULL)
    {
      if (known->expires > now && _parley_hub_lookup_agent (self, known->agent_id) != NULL)
        return known->agent_id;
      g_hash_table_remove (self->tokens, digest);
      return 0;
    }
  /* Tokens issued before a restart live only in the store. */
  agent_id = parley_store_lookup_token (self->store, digest, now, &expires);
  if (agent_id <= 0 || _parley_hub_lookup_agent (self, agent_id) == NULL)
    return 0;
  /* It expires when it was issued to, not a full lifetime from now. */
  _parley_hub_remember_token (self, digest, agent_id, expires);
  return agent_id;
}

static gboolean
load_queues (ParleyHub  *self,
             GError    **error)
{
  g_autoptr(GPtrArray) queues = parley_store_list_queues (self->store, error);

  if (queues == NULL)
    return FALSE;
  if (queues->len == 0)
    {
      /* Every hub has somewhere for traffic to go. */
      g_autoptr(JsonObject) skills = json_object_new ();
      g_autoptr(JsonObject) service_level = json_object_new ();

      if (parley_store_create_queue (self->store, "General", 0, skills,
                                     self->config->relax_after, service_level, NULL, error) <= 0)
        return FALSE;
      g_clear_pointer (&queues, g_ptr_array_unref);
      if (!(queues = parley_store_list_queues (self->store, error)))
        return FALSE;
    }

  for (guint i = 0; i < queues->len; i++)
    {
      JsonObject *queue = g_ptr_array_index (queues, i);
      gint64 *id = g_new (gint64, 1);
      JsonObject *settings = parley_queue_settings_apply (json_object_get_object_member (queue, "settings"), NULL, NULL);

      /* Settings stored by an older hub get today's defaults filled in. */
      json_object_set_object_member (queue, "settings", settings);
      *id = json_object_get_int_member (queue, "id");
      g_hash_table_replace (self->queues, id, json_object_ref (queue));
      if (self->default_queue_id == 0 || g_strcmp0 (json_object_get_string_member (queue, "name"), "General") == 0)
        self->default_queue_id = *id;
    }
  return TRUE;
}

static gboolean
load_agents (ParleyHub  *self,
             GError    **error)
{
  g_autoptr(GPtrArray) agents = parley_store_list_agents (self->store, error);
  gint64 now = g_get_real_time ();

  if (agents == NULL || !parley_store_begin (self->store, error))
    return FALSE;
  for (guint i = 0; i < agents->len; i++)
    {
      JsonObject *record = g_ptr_array_index (agents, i);

      _parley_hub_add_agent (self, record);
      /* Nobody is connected to a hub that just started. */
      if (g_strcmp0 (json_object_get_string_member (record, "presence"), "offline") != 0 &&
          !parley_store_set_presence (self->store, json_object_get_int_member (record, "id"),
                                      "offline", NULL, now, error))
        {
          parley_store_rollback (self->store);
          return FALSE;
        }
    }
  return parley_store_commit (self->store, error);
}

/* The most any endpoint takes: a file, or the configured body size. */
static goffset
largest_body (ParleyHub *self)
{
  return MAX ((goffset) self->config->max_body_size, (goffset) PARLEY_ATTACHMENT_MAX_SIZE);
}

/* How long a refused body is read and thrown away before hanging up. */
#define REFUSED_BODY_DRAIN_USEC (10 * G_USEC_PER_SEC)

typedef struct
{
  GIOStream *stream;
  gint64     until;
} ParleyDrain;

static void
drain_free (ParleyDrain *drain)
{
  g_io_stream_close (drain->stream, NULL, NULL);
  g_object_unref (drain->stream);
  g_free (drain);
}

/* Reads what is left of a refused body into nothing: hanging up on unread
 * data would reset the connection, and the client would lose the answer. */
static gboolean
drain_refused_cb (GSocket      *socket,
                  GIOCondition  condition,
                  gpointer      user_data)
{
  ParleyDrain *drain = user_data;
  char discard[16384];
  gssize got = 0;

  if (condition & G_IO_IN)
    got = g_socket_receive_with_blocking (socket, discard, sizeof discard, FALSE, NULL, NULL);
  return got > 0 && g_get_monotonic_time () < drain->until ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Answers 413 at once and reads no more of the body into memory (libsoup
 * would read all of it first, whatever status is set). */
static void
refuse_body (SoupServerMessage *msg,
             ParleyHub         *self)
{
  GSocket *socket = parley_listener_get_socket (msg);
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(GSource) source = NULL;
  ParleyDrain *drain;

  /* Uploads (every one ends in /attachments) say what a file may be. */
  if (g_str_has_suffix (g_uri_get_path (soup_server_message_get_uri (msg)), "/attachments"))
    parley_attachment_check_size (G_MAXUINT64, &error);
  else
    g_set_error (&error, PARLEY_ERROR, PARLEY_ERROR_TOO_LARGE,
                 "The request body is larger than %" G_GOFFSET_FORMAT " bytes", largest_body (self));
  answer = parley_http_closing_answer (parley_http_status_for_error (error), error);

  if (!g_output_stream_write_all (g_io_stream_get_output_stream (stream), answer, strlen (answer), NULL, NULL, NULL) ||
      socket == NULL || !g_socket_shutdown (socket, FALSE, TRUE, NULL))
    {
      g_io_stream_close (stream, NULL, NULL);
      return;
    }
  drain = g_new0 (ParleyDrain, 1);
  drain->stream = g_steal_pointer (&stream);
  drain->until = g_get_monotonic_time () + REFUSED_BODY_DRAIN_USEC;
  source = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  /* Wakes up at the deadline even if the client has gone quiet. */
  g_source_set_ready_time (source, drain->until);
  g_source_set_callback (source, (GSourceFunc) G_CALLBACK (drain_refused_cb), drain, (GDestroyNotify) drain_free);
  g_source_attach (source, NULL);
}

/* A body larger than any endpoint takes is refused once the headers say
 * so; each endpoint still checks its own, smaller limit on what it reads. */
static void
request_headers_cb (SoupServerMessage *msg,
                    ParleyHub         *self)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  /* An agent's connection is never closed to make room for anonymous ones. */
  if (_parley_hub_authenticate (self, parley_http_bearer_token (msg)) > 0)
    parley_listener_trust_connection (msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > largest_body (self))
    refuse_body (msg, self);
}

/* A body sent in chunks, whose size shows only as it comes. */
static void
request_chunk_cb (SoupServerMessage *msg,
                  GBytes            *chunk,
                  ParleyHub         *self)
{
  if (soup_server_message_get_request_body (msg)->length > largest_body (self))
    refuse_body (msg, self);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    ParleyHub         *self)
{
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (request_headers_cb), self, 0);
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (request_chunk_cb), self, 0);
}

/* Files uploaded for a message that was never sent (an agent removed
 * it from the composer, a visitor left the page) are kept this long. */
#define UNSENT_FILE_DAYS 7
#define HOUSEKEEPING_SECONDS 3600

static gboolean
housekeeping_cb (gpointer data)
{
  ParleyHub *self = data;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  gint64 forgotten = -1;

  /* Expired tokens only take room; the cache drops them as they are used. */
  if (_parley_hub_begin (self, &error))
    {
      forgotten = parley_store_forget_unsent_attachments (self->store, now - UNSENT_FILE_DAYS * G_TIME_SPAN_DAY, &error);
      if (forgotten >= 0 && parley_store_purge_tokens (self->store, now, &error) < 0)
        forgotten = -1;
      if (forgotten < 0)
        _parley_hub_fail_transaction (self, NULL);
      else if (!_parley_hub_commit (self, NULL, &error))
        forgotten = -1;
    }
  if (forgotten < 0)
    g_warning ("Files never sent and expired tokens could not be forgotten: %s", error->message);
  else if (forgotten > 0)
    g_message ("Forgot %" G_GINT64_FORMAT " files uploaded more than %d days ago and never sent",
               forgotten, UNSENT_FILE_DAYS);
  _parley_hub_apply_retention (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
parley_hub_initable_init (GInitable     *initable,
                          GCancellable  *cancellable,
                          GError       **error)
{
  ParleyHub *self = PARLEY_HUB (initable);
  g_autofree char *db_path = NULL;

  if (!parley_auth_init (error) || !_parley_hub_load_retention (self, error))
    return FALSE;
  if (!parley_data_dir_prepare (self->config->data_dir, error) ||
      (self->data_dir_lock = parley_data_dir_lock (self->config->data_dir, error)) < 0)
    return FALSE;
  db_path = parley_data_dir_database (self->config->data_dir);
  self->store = PARLEY_STORE (parley_sqlite_store_new (db_path, error));
  if (self->store == NULL)
    return FALSE;

  self->router = parley_router_new ();
  parley_router_set_retry_exclusion (self->router, self->config->retry_exclusion);
  if (!load_queues (self, error) || !load_agents (self, error) ||
      !_parley_hub_rebuild_router (self, error) || !_parley_hub_metrics_start (self, error))
    return FALSE;

  self->server = soup_server_new ("server-header", "parleyd/" PACKAGE_VERSION " ", NULL);
  /* Compressed sockets cost about 100 KiB each (zlib state both ways); the
   * messages are small JSON, so thousands of visitors go uncompressed. */
  soup_server_remove_websocket_extension (self->server, SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE);
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb), self);
  if (!_parley_hub_setup_api (self, error))
    return FALSE;
  _parley_hub_setup_sessions (self);
  _parley_hub_load_plugins (self);

  _parley_hub_schedule_flush (self);
  _parley_hub_start_outbox (self);
  _parley_hub_arm_surveys (self);
  housekeeping_cb (self);
  self->housekeeping_source = g_timeout_add_seconds (HOUSEKEEPING_SECONDS, housekeeping_cb, self);
  return TRUE;
}

static void
parley_hub_initable_iface_init (GInitableIface *iface)
{
  iface->init = parley_hub_initable_init;
}

/* The kind @channel serves, if it is the plugin starting or running for
 * it: a channel adds routes and connectors for its own kind only. */
static const char *
own_kind (ParleyHub      *self,
          ParleyChannel  *channel,
          GError        **error)
{
  const char *kind = parley_channel_get_kind (channel);
  ParleyChannel *running = _parley_hub_get_channel (self, kind);

  if (kind == NULL || (running != NULL && running != channel))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_FORBIDDEN, "Channel “%s” is another plugin's", kind);
      return NULL;
    }
  return kind;
}

static gboolean
parley_hub_host_add_route (ParleyHost              *host,
                           ParleyChannel           *channel,
                           const char              *path,
                           ParleyHttpMethods        methods,
                           gsize                    max_body_size,
                           ParleyChannelRouteFunc   func,
                           gpointer                 user_data,
                           GDestroyNotify           destroy,
                           GError                 **error)
{
  ParleyHub *self = PARLEY_HUB (host);
  const char *kind = own_kind (self, channel, error);

  return kind != NULL && parley_channel_routes_add (self->channel_routes, kind, path, methods, max_body_size,
                                                    func, user_data, destroy, error);
}

static gboolean
parley_hub_host_add_connector (ParleyHost       *host,
                               ParleyChannel    *channel,
                               ParleyConnector  *connector,
                               GError          **error)
{
  ParleyHub *self = PARLEY_HUB (host);
  const char *kind = own_kind (self, channel, error);

  if (kind == NULL)
    return FALSE;
  parley_connectors_add (self->connectors, kind, connector);
  return TRUE;
}

/* The config file wins over settings stored with parleyctl. */
static char *
parley_hub_host_get_setting (ParleyHost *host,
                             const char *channel,
                             const char *key)
{
  ParleyHub *self = PARLEY_HUB (host);
  char *value = parley_config_get_channel (self->config, channel, key);

  if (value != NULL)
    return value;
  return parley_store_get_setting (self->store, channel, key);
}

static gsize
parley_hub_host_get_max_body_size (ParleyHost *host)
{
  return PARLEY_HUB (host)->config->max_body_size;
}

static guint
parley_hub_host_count_staffing (ParleyHost *host,
                                const char *channel)
{
  return parley_router_count_staffing (PARLEY_HUB (host)->router, channel);
}

static void
parley_hub_host_submit_async (ParleyHost          *host,
                              ParleyInbound       *inbound,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  _parley_hub_submit_async (PARLEY_HUB (host), inbound, cancellable, callback, user_data);
}

static gboolean
parley_hub_host_submit_finish (ParleyHost    *host,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, host), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static JsonObject *
parley_hub_host_authenticate (ParleyHost        *host,
                              SoupServerMessage *msg)
{
  ParleyHub *self = PARLEY_HUB (host);
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) params = query ? g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
  ParleyHubAgent *agent;

  agent = _parley_hub_lookup_agent (self, _parley_hub_authenticate (self, _parley_hub_request_token (msg, params)));
  return agent ? _parley_hub_agent_json (self, agent) : NULL;
}

static JsonObject *
parley_hub_host_get_customer (ParleyHost  *host,
                              gint64       customer_id,
                              GError     **error)
{
  ParleyHub *self = PARLEY_HUB (host);
  g_autoptr(JsonObject) customer = parley_store_get_customer (self->store, customer_id, error);
  gint64 conversation_id;

  if (customer == NULL)
    return NULL;
  conversation_id = parley_store_open_conversation_for (self->store, customer_id);
  if (conversation_id > 0)
    {
      JsonObject *conversation = parley_store_get_conversation (self->store, conversation_id, error);

      if (conversation == NULL)
        return NULL;
      json_object_set_object_member (customer, "conversation", conversation);
    }
  return g_steal_pointer (&customer);
}

static gboolean
record_event_work (ParleyHub         *self,
                   gint64             conversation_id,
                   ParleyEventDraft  *draft,
                   gint64            *event_id,
                   GError           **error)
{
  g_autoptr(JsonObject) conversation = parley_store_get_conversation (self->store, conversation_id, error);
  ParleyHubAgent *agent = _parley_hub_lookup_agent (self, draft->agent_id);

  if (conversation == NULL)
    return FALSE;
  draft->customer_id = json_object_get_int_member (conversation, "customer_id");
  draft->author_name = agent ? json_object_get_string_member (agent->record, "name") : NULL;
  return (*event_id = parley_store_append_event (self->store, draft, error)) > 0 &&
         _parley_hub_notice_event (self, *event_id, 0, conversation_id, error);
}

static gint64
parley_hub_host_record_event (ParleyHost  *host,
                              gint64       conversation_id,
                              const char  *channel,
                              const char  *kind,
                              const char  *text,
                              const char  *metadata,
                              gint64       agent_id,
                              GError     **error)
{
  ParleyHub *self = PARLEY_HUB (host);
  g_autoptr(JsonObject) details = NULL;
  gint64 event_id = 0;
  ParleyEventDraft draft = {
    .conversation_id = conversation_id,
    .channel = channel,
    .kind = kind,
    .direction = "internal",
    .agent_id = agent_id,
    .text = text,
    .created = g_get_real_time (),
  };

  if (metadata != NULL &&
      !(draft.metadata = details = parley_json_parse_object (metadata, strlen (metadata), "Event metadata", error)))
    return 0;
  if (!_parley_hub_begin (self, error))
    return 0;
  if (!record_event_work (self, conversation_id, &draft, &event_id, error))
    return _parley_hub_fail_transaction (self, error);
  if (!_parley_hub_commit (self, NULL, error))
    return 0;
  return event_id;
}

/* The customer's waiting conversation ends unanswered. */
static gboolean
abandon_work (ParleyHub   *self,
              gint64       customer_id,
              gint64      *abandoned,
              GError     **error)
{
  gint64 conversation_id = parley_store_open_conversation_for (self->store, customer_id);
  g_autoptr(JsonObject) conversation = NULL;
  g_autoptr(JsonObject) metadata = json_object_new ();
  const char *state;
  gint64 now = g_get_real_time ();

  *abandoned = 0;
  if (conversation_id <= 0)
    return TRUE;
  if (!(conversation = parley_store_get_conversation (self->store, conversation_id, error)))
    return FALSE;
  state = json_object_get_string_member (conversation, "state");
  if (!g_str_equal (state, "queued") && !g_str_equal (state, "offered"))
    return TRUE;
  json_object_set_string_member (metadata, "disposition", "abandoned");
  if (!_parley_hub_cancel_offer (self, conversation_id, now, error) ||
      !parley_store_resolve_conversation (self->store, conversation_id, "abandoned", now, error) ||
      !_parley_hub_append_state (self, conversation, "abandoned", 0, metadata, now, error))
    return FALSE;
  g_clear_pointer (&conversation, json_object_unref);
  if (!(conversation = parley_store_get_conversation (self->store, conversation_id, error)))
    return FALSE;
  _parley_hub_notice (self, 0, conversation_id, "conversation", "conversation", conversation);
  parley_router_remove (self->router, conversation_id);
  self->dispatch_needed = TRUE;
  *abandoned = conversation_id;
  return TRUE;
}

static gint64
parley_hub_host_abandon (ParleyHost  *host,
                         const char  *channel,
                         const char  *identity_kind,
                         const char  *identity_value,
                         GError     **error)
{
  ParleyHub *self = PARLEY_HUB (host);
  g_autofree char *value = parley_identity_normalize (identity_kind, identity_value, self->config->default_region, error);
  gint64 customer_id, abandoned = 0;

  if (value == NULL || (customer_id = parley_store_find_identity (self->store, identity_kind, value, error)) < 0)
    return -1;
  if (customer_id == 0)
    return 0;
  if (!_parley_hub_begin (self, error))
    return -1;
  if (!abandon_work (self, customer_id, &abandoned, error))
    {
      _parley_hub_fail_transaction (self, error);
      return -1;
    }
  if (!_parley_hub_commit (self, NULL, error))
    return -1;
  if (self->dispatch_needed)
    _parley_hub_schedule_flush (self);
  return abandoned;
}

static gboolean
mark_read_work (ParleyHub  *self,
                gint64      conversation_id,
                const char *channel,
                gint64      up_to,
                GError    **error)
{
  g_autoptr(GPtrArray) changed = parley_store_mark_read (self->store, conversation_id, channel, up_to,
                                                         g_get_real_time (), error);

  if (changed == NULL)
    return FALSE;
  for (guint i = 0; i < changed->len; i++)
    _parley_hub_notice (self, 0, conversation_id, "event", "event", g_ptr_array_index (changed, i));
  return TRUE;
}

static void
parley_hub_host_push_activity (ParleyHost *host,
                               const char *channel,
                               const char *identity_kind,
                               const char *identity_value,
                               const char *activity,
                               JsonObject *details)
{
  ParleyHub *self = PARLEY_HUB (host);
  g_autoptr(GError) error = NULL;
  gint64 customer_id = parley_store_find_identity (self->store, identity_kind, identity_value, NULL);
  gint64 conversation_id = customer_id > 0 ? parley_store_open_conversation_for (self->store, customer_id) : 0;

  if (conversation_id <= 0)
    return;  /* nobody is talking with them */
  if (g_str_equal (activity, "typing"))
    {
      g_autoptr(JsonObject) message = json_object_new ();

      json_object_set_string_member (message, "type", "activity");
      json_object_set_string_member (message, "activity", "typing");
      json_object_set_string_member (message, "channel", channel);
      json_object_set_int_member (message, "conversation", conversation_id);
      json_object_set_int_member (message, "customer", customer_id);
      json_object_set_boolean_member (message, "typing",
                                      json_object_get_boolean_member_with_default (details, "typing", FALSE));
      _parley_hub_push_now (self, conversation_id, message);
    }
  else if (g_str_equal (activity, "read"))
    {
      if (!_parley_hub_begin (self, &error))
        goto failed;
      if (!mark_read_work (self, conversation_id, channel, json_object_get_int_member_with_default (details, "up_to", 0), &error))
        {
          _parley_hub_fail_transaction (self, &error);
          goto failed;
        }
      if (!_parley_hub_commit (self, NULL, &error))
        goto failed;
    }
  return;

failed:
  g_warning ("A read receipt for conversation %" G_GINT64_FORMAT " was lost: %s", conversation_id, error->message);
}

static char *
parley_hub_host_save_attachment (ParleyHost  *host,
                                 const char  *owner,
                                 const char  *name,
                                 const char  *type,
                                 GBytes      *data,
                                 GError     **error)
{
  ParleyHub *self = PARLEY_HUB (host);
  g_autofree char *id = g_uuid_string_random ();
  gint64 unsent;

  if (!_parley_hub_begin (self, error))
    return NULL;
  /* Anyone can upload: all that waits to be sent has a ceiling. */
  unsent = parley_store_unsent_attachment_bytes (self->store, error);
  if (unsent >= 0 && unsent + (gint64) g_bytes_get_size (data) > self->config->max_unsent_uploads)
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_TOO_LARGE,
                           "The hub holds as many files waiting to be sent as it may; please try again later");
      unsent = -1;
    }
  if (unsent < 0 ||
      !parley_store_save_attachment (self->store, id, owner, 0, name, type, data, g_get_real_time (), error))
    {
      _parley_hub_fail_transaction (self, error);
      return NULL;
    }
  if (!_parley_hub_commit (self, NULL, error))
    return NULL;
  return g_steal_pointer (&id);
}

static JsonObject *
parley_hub_host_get_attachment (ParleyHost  *host,
                                const char  *id,
                                GError     **error)
{
  return parley_store_load_attachment (PARLEY_HUB (host)->store, id, NULL, error);
}

/* A customer's own file, or an agent's sent in one of the customer's
 * conversations; anything else is as unknown as a wrong id. */
static GBytes *
parley_hub_host_load_attachment_for (ParleyHost  *host,
                                     const char  *id,
                                     const char  *identity_kind,
                                     const char  *identity_value,
                                     JsonObject **attachment,
                                     GError     **error)
{
  ParleyHub *self = PARLEY_HUB (host);
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) conversation = NULL;
  g_autoptr(GBytes) data = NULL;
  gint64 conversation_id, customer_id;

  if (!(record = parley_store_load_attachment (self->store, id, &data, error)))
    return NULL;
  if (g_strcmp0 (json_object_get_string_member (record, "owner"), identity_value) != 0)
    {
      conversation_id = json_object_get_int_member (record, "conversation_id");
      customer_id = conversation_id > 0 ? parley_store_find_identity (self->store, identity_kind, identity_value, NULL) : 0;
      conversation = customer_id > 0 ? parley_store_get_conversation (self->store, conversation_id, NULL) : NULL;
      if (conversation == NULL || json_object_get_int_member (conversation, "customer_id") != customer_id)
        {
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND, "No attachment %s", id);
          return NULL;
        }
    }
  if (attachment)
    *attachment = g_steal_pointer (&record);
  return g_steal_pointer (&data);
}

static GPtrArray *
parley_hub_host_list_messages_with (ParleyHost  *host,
                                    const char  *channel,
                                    const char  *identity_kind,
                                    const char  *identity_value,
                                    guint        limit,
                                    GError     **error)
{
  return parley_store_messages_with (PARLEY_HUB (host)->store, channel, identity_kind, identity_value,
                                     limit, error);
}

static gboolean
parley_hub_host_is_own_origin (ParleyHost *host,
                               const char *origin)
{
  ParleyHub *self = PARLEY_HUB (host);
  g_autofree char *normalized = parley_origin_normalize (origin, NULL);

  return normalized != NULL &&
         (g_strv_contains ((const char * const *) self->config->public_origins, normalized) ||
          (self->listen_origins && g_strv_contains ((const char * const *) self->listen_origins, normalized)));
}

static char *
parley_hub_host_dup_client_address (ParleyHost        *host,
                                    SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  return parley_forwarded_client (PARLEY_HUB (host)->config->trusted_proxies,
                                  soup_server_message_get_remote_host (msg),
                                  soup_message_headers_get_list (headers, "X-Forwarded-For"));
}

static gboolean
parley_hub_host_report_receipt (ParleyHost         *host,
                                const char         *channel,
                                const char         *provider_id,
                                ParleyReceiptState  state,
                                const char         *reason)
{
  return _parley_hub_report_receipt (PARLEY_HUB (host), channel, provider_id, state, reason);
}

static void
parley_hub_host_iface_init (ParleyHostInterface *iface)
{
  iface->add_route = parley_hub_host_add_route;
  iface->add_connector = parley_hub_host_add_connector;
  iface->get_setting = parley_hub_host_get_setting;
  iface->get_max_body_size = parley_hub_host_get_max_body_size;
  iface->count_staffing = parley_hub_host_count_staffing;
  iface->submit_async = parley_hub_host_submit_async;
  iface->submit_finish = parley_hub_host_submit_finish;
  iface->authenticate = parley_hub_host_authenticate;
  iface->get_customer = parley_hub_host_get_customer;
  iface->record_event = parley_hub_host_record_event;
  iface->push_activity = parley_hub_host_push_activity;
  iface->abandon = parley_hub_host_abandon;
  iface->save_attachment = parley_hub_host_save_attachment;
  iface->get_attachment = parley_hub_host_get_attachment;
  iface->load_attachment_for = parley_hub_host_load_attachment_for;
  iface->list_messages_with = parley_hub_host_list_messages_with;
  iface->is_own_origin = parley_hub_host_is_own_origin;
  iface->dup_client_address = parley_hub_host_dup_client_address;
  iface->report_receipt = parley_hub_host_report_receipt;
}

static void
parley_hub_dispose (GObject *object)
{
  ParleyHub *self = (ParleyHub *) object;

  parley_hub_shutdown (self);
  g_clear_object (&self->listener);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (parley_hub_parent_class)->dispose (object);
}

static void
parley_hub_finalize (GObject *object)
{
  ParleyHub *self = (ParleyHub *) object;

  g_queue_clear_full (&self->pending, _parley_hub_pending_free);
  g_clear_pointer (&self->notices, g_ptr_array_unref);
  g_clear_pointer (&self->supervisors, g_ptr_array_unref);
  g_clear_pointer (&self->agents, g_hash_table_unref);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_object (&self->login_throttle);
  /* Waits for hashes under way: their tasks hold the hub. */
  if (self->password_workers != NULL)
    g_thread_pool_free (g_steal_pointer (&self->password_workers), FALSE, TRUE);
  g_clear_pointer (&self->dummy_hash, g_free);
  g_clear_pointer (&self->queues, g_hash_table_unref);
  g_clear_pointer (&self->channels, g_hash_table_unref);
  g_clear_pointer (&self->idle_channels, g_hash_table_unref);
  g_clear_object (&self->channel_routes);
  g_clear_object (&self->connectors);
  g_clear_pointer (&self->outbox_inflight, g_hash_table_unref);
  g_clear_pointer (&self->offers_shown, g_hash_table_unref);
  g_clear_pointer (&self->outbox_fresh, g_ptr_array_unref);
  g_clear_pointer (&self->outbox_finished, g_ptr_array_unref);
  g_clear_pointer (&self->sync_waiting, g_array_unref);
  g_clear_object (&self->engine);
  g_clear_object (&self->router);
  g_clear_object (&self->live_metrics);
  g_clear_object (&self->store);
  /* Only once the database is closed may another process take it. */
  if (self->data_dir_lock >= 0)
    close (self->data_dir_lock);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->config, parley_config_free);
  g_strfreev (self->listen_origins);

  G_OBJECT_CLASS (parley_hub_parent_class)->finalize (object);
}

static void
parley_hub_class_init (ParleyHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = parley_hub_dispose;
  object_class->finalize = parley_hub_finalize;
}

static void
parley_hub_init (ParleyHub *self)
{
  self->cancellable = g_cancellable_new ();
  self->data_dir_lock = -1;
  self->agents = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, hub_agent_free);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->queues = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                        (GDestroyNotify) json_object_unref);
  self->channels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->idle_channels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->outbox_inflight = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->offers_shown = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->outbox_fresh = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->sync_waiting = g_array_new (FALSE, FALSE, sizeof (ParleyHubWaiter));
  g_queue_init (&self->pending);
}

ParleyHub *
parley_hub_new (ParleyConfig  *config,
                GError       **error)
{
  ParleyHub *self = g_object_new (PARLEY_TYPE_HUB, NULL);

  self->config = config;
  if (!g_initable_init (G_INITABLE (self), NULL, error))
    {
      g_object_unref (self);
      return NULL;
    }
  return self;
}

/* Listens on host:port ("127.0.0.1:0" lets the kernel pick the port). */
gboolean
parley_hub_listen (ParleyHub   *self,
                   const char  *address,
                   GError     **error)
{
  g_autoptr(GStrvBuilder) origins = g_strv_builder_new ();
  g_autoptr(GInetAddress) host = NULL;
  g_autofree char *text = NULL;
  g_autofree char *own = NULL;
  GUri *uri;

  g_return_val_if_fail (PARLEY_IS_HUB (self), FALSE);
  g_return_val_if_fail (self->listener == NULL, FALSE);

  self->listener = parley_listener_new (self->server, address, error);
  if (self->listener == NULL || !parley_listener_apply_config (self->listener, self->config, error))
    {
      g_clear_object (&self->listener);
      return FALSE;
    }
  /* Its own pages are where it listens, and on loopback also at
   * "localhost", a name no page elsewhere can rebind. */
  uri = parley_listener_get_uri (self->listener);
  text = g_uri_to_string (uri);
  own = parley_origin_normalize (text, NULL);
  g_strv_builder_add (origins, own);
  host = g_inet_address_new_from_string (g_uri_get_host (uri));
  if (host != NULL && g_inet_address_get_is_loopback (host))
    {
      g_autofree char *localhost = g_strdup_printf ("%s://localhost:%d", g_uri_get_scheme (uri), g_uri_get_port (uri));
      g_autofree char *normalized = parley_origin_normalize (localhost, NULL);

      g_strv_builder_add (origins, normalized);
    }
  self->listen_origins = g_strv_builder_end (origins);
  return TRUE;
}

/* Reads the TLS certificate and key again (SIGHUP): new connections get
 * them. A pair that does not load leaves the one in use, and says why. */
void
parley_hub_reload (ParleyHub *self)
{
  g_return_if_fail (PARLEY_IS_HUB (self));

  if (self->listener != NULL)
    parley_listener_reload (self->listener);
}

/* Where the hub answers, once it listens. */
GUri *
parley_hub_get_uri (ParleyHub *self)
{
  g_return_val_if_fail (PARLEY_IS_HUB (self), NULL);

  return self->listener ? parley_listener_get_uri (self->listener) : NULL;
}

/* The address from the config file or the command line. */
const char *
parley_hub_get_listen_address (ParleyHub *self)
{
  g_return_val_if_fail (PARLEY_IS_HUB (self), NULL);

  return self->config->listen;
}

/* Stops taking traffic. Messages already received are committed and
 * answered first, so a clean stop loses nothing a sender was promised. */
void
parley_hub_shutdown (ParleyHub *self)
{
  gint64 give_up;

  g_return_if_fail (PARLEY_IS_HUB (self));

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  _parley_hub_flush_pending (self);
  /* Let the answers to those messages reach their senders. */
  give_up = g_get_monotonic_time () + 200 * 1000;
  while (g_get_monotonic_time () < give_up && g_main_context_iteration (NULL, FALSE))
    ;
  _parley_hub_record_deliveries (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->flush_source, g_source_remove);
  g_clear_handle_id (&self->deadline_source, g_source_remove);
  g_clear_handle_id (&self->outbox_source, g_source_remove);
  g_clear_handle_id (&self->metrics_source, g_source_remove);
  g_clear_handle_id (&self->survey_source, g_source_remove);
  g_clear_handle_id (&self->housekeeping_source, g_source_remove);
  if (self->listener != NULL)
    parley_listener_close (self->listener);
  if (self->server != NULL)
    soup_server_disconnect (self->server);  /* the HTTP clients */
  _parley_hub_close_sessions (self);
  _parley_hub_unload_plugins (self);
}
