/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-hub-api"

#include "config.h"

#include "parley-auth.h"
#include "parley-hub-private.h"
#include "parley-query.h"
#include "parley-queue-settings.h"
#include "parley-trend.h"

/* The REST API under /api/v1. One SoupServer handler takes every path and
 * looks it up in `routes`, which states each endpoint's method, path
 * pattern ("*" is a numeric id), the least role allowed and whether a JSON
 * body is required. Handlers either answer at once or pause the message
 * and own the request until they answer. */

#define API_PREFIX "/api/v1/"
#define TIMELINE_PAGE_MAX 200

typedef struct
{
  ParleyHub         *self;
  SoupServerMessage *msg;
  ParleyHubAgent    *agent;
  gint64             id;
  char              *name;      /* a "$" segment of the route: a channel kind */
  GHashTable        *query;
  JsonObject        *body;
  gboolean           paused;
} ParleyRequest;

typedef void (*ParleyRouteHandler) (ParleyRequest *req);

typedef struct
{
  const char         *method;
  const char         *path;
  ParleyRole          role;     /* 0 = no login needed */
  gboolean            body;
  ParleyRouteHandler  handler;
} ParleyRoute;

static void
request_free (ParleyRequest *req)
{
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->body, json_object_unref);
  g_clear_object (&req->msg);
  g_free (req->name);
  g_free (req);
}

static void
reply_error (ParleyRequest *req,
             const GError  *error)
{
  parley_http_reply_error (req->msg, error);
}

static void
reply_new_error (ParleyRequest *req,
                 ParleyError    code,
                 const char    *format,
                 ...) G_GNUC_PRINTF (3, 4);

static void
reply_new_error (ParleyRequest *req,
                 ParleyError    code,
                 const char    *format,
                 ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (PARLEY_ERROR, code, format, args);
  va_end (args);
  reply_error (req, error);
}

/* Takes ownership of object. */
static void
reply_object (ParleyRequest *req,
              guint          status,
              JsonObject    *object)
{
  parley_http_reply_object (req->msg, status, object);
  json_object_unref (object);
}

static JsonObject *
wrap (const char *member,
      JsonObject *object)
{
  JsonObject *outer = json_object_new ();

  json_object_set_object_member (outer, member, object);
  return outer;
}

static JsonArray *
array_of (GPtrArray *objects)
{
  JsonArray *array = json_array_sized_new (objects->len);

  for (guint i = 0; i < objects->len; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (objects, i)));
  return array;
}

static void
finish_paused (ParleyRequest *req)
{
  soup_server_message_unpause (req->msg);
  request_free (req);
}

/* Runs `work` inside one transaction, then commits; any failure rolls
 * back everything the request did. */
typedef gboolean (*ParleyWork) (ParleyRequest *req, gint64 now, GError **error);

static gboolean
in_transaction (ParleyRequest  *req,
                ParleyWork      work,
                GError        **error)
{
  ParleyHub *self = req->self;

  if (!_parley_hub_begin (self, error))
    return FALSE;
  if (!work (req, g_get_real_time (), error))
    return _parley_hub_fail_transaction (self, error);
  if (!_parley_hub_commit (self, req->msg, error))
    return FALSE;
  if (self->dispatch_needed)
    _parley_hub_schedule_flush (self);
  return TRUE;
}

static const char *
query_string (ParleyRequest  *req,
              const char     *name,
              GError        **error)
{
  return parley_query_get_string (req->query, name, error);
}

static gboolean
query_int (ParleyRequest  *req,
           const char     *name,
           gint64          min,
           gint64          max,
           gint64         *value,
           GError        **error)
{
  return parley_query_get_int (req->query, name, min, max, value, error);
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* A string field that must be present, non-empty and at most max bytes. */
static const char *
body_text (ParleyRequest  *req,
           const char     *member,
           gboolean        required,
           gsize           max,
           GError        **error)
{
  const char *value = parley_json_get_string (req->body, member, required, error);

  if (value == NULL)
    return NULL;
  if (required && is_blank (value))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Field “%s” is empty", member);
      return NULL;
    }
  if (strlen (value) > max)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_TOO_LARGE,
                   "Field “%s” is longer than %" G_GSIZE_FORMAT " bytes", member, max);
      return NULL;
    }
  return value;
}

/* A {"name": integer} object with every value in [min, max]. */
static gboolean
check_levels (JsonObject  *levels,
              const char  *member,
              gint64       min,
              gint64       max,
              GError     **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (levels == NULL)
    return TRUE;
  json_object_iter_init (&iter, levels);
  while (json_object_iter_next (&iter, &name, &node))
    if (json_node_get_value_type (node) != G_TYPE_INT64 ||
        json_node_get_int (node) < min || json_node_get_int (node) > max)
      {
        g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                     "“%s” in “%s” must be a whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                     name, member, min, max);
        return FALSE;
      }
  return TRUE;
}

/* ---- health and auth ---------------------------------------------------- */

/* The channels the hub can send on, so desktops offer only those. */
/* GET /api/v1/channels: the running channels' declarations, by kind, for
 * every signed-in agent: the desktop takes titles, icons, the identity
 * kinds a channel reaches and its capabilities from here. */
static void
handle_channels (ParleyRequest *req)
{
  g_autoptr(GList) kinds = g_hash_table_get_keys (req->self->channels);
  JsonObject *body = json_object_new ();
  JsonArray *array = json_array_new ();

  kinds = g_list_sort (kinds, (GCompareFunc) g_strcmp0);
  for (GList *l = kinds; l; l = l->next)
    {
      ParleyChannelInfo *info = parley_channel_get_info (_parley_hub_get_channel (req->self, l->data));

      /* A plugin that stopped declaring itself is left out, not trusted. */
      if (info != NULL)
        json_array_add_object_element (array, parley_channel_info_to_json (info));
    }
  json_object_set_array_member (body, "channels", array);
  reply_object (req, SOUP_STATUS_OK, body);
}

/* GET /api/v1/connectors: the channels' long-running connections and
 * their health (see parley-connectors.c). */
static void
handle_connectors (ParleyRequest *req)
{
  JsonObject *body = json_object_new ();

  json_object_set_array_member (body, "connectors", parley_connectors_list (req->self->connectors));
  reply_object (req, SOUP_STATUS_OK, body);
}

static void
handle_health (ParleyRequest *req)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "status", "ok");
  json_object_set_string_member (body, "version", PACKAGE_VERSION);
  reply_object (req, SOUP_STATUS_OK, body);
}

/* Argon2 takes a good fraction of a second and 64 MiB a time on purpose,
 * so at most PASSWORD_WORKERS run at once, off the main loop; up to
 * PASSWORD_QUEUE more wait their turn, and beyond that the hub answers 503
 * rather than grow without bound. */
#define PASSWORD_WORKERS 2
#define PASSWORD_QUEUE 256

typedef struct
{
  ParleyRequest  *req;
  GTaskThreadFunc func;
  char           *password;
  char           *hash;
  char           *strength;
  char           *address;     /* the client's, for the login throttle */
  gboolean        known;       /* the login exists (else hash is the dummy) */
  gboolean        ok;
} ParleyPasswordJob;

static void
password_job_free (gpointer data)
{
  ParleyPasswordJob *job = data;

  /* Do not leave the password lying around in freed memory. */
  if (job->password != NULL)
    explicit_bzero (job->password, strlen (job->password));
  g_free (job->password);
  g_free (job->hash);
  g_free (job->strength);
  g_free (job->address);
  g_free (job);
}

/* An unknown login is verified against a dummy hash, so that it takes as
 * long as a known one and timing does not tell which logins exist. */
static void
verify_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ParleyPasswordJob *job = task_data;

  job->ok = parley_auth_verify_password (job->hash, job->password) && job->known;
  g_task_return_boolean (task, TRUE);
}

static void
hash_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ParleyPasswordJob *job = task_data;
  GError *error = NULL;

  g_free (job->hash);
  job->hash = parley_auth_hash_password (job->password, job->strength, &error);
  if (job->hash == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
password_worker (gpointer data,
                 gpointer user_data)
{
  g_autoptr(GTask) task = data;
  ParleyPasswordJob *job = g_task_get_task_data (task);

  job->func (task, g_task_get_source_object (task), job, NULL);
}

/* Answers @status (429, 503) with Retry-After: @seconds. */
static void
reply_retry_later (ParleyRequest *req,
                   guint          status,
                   gint64         seconds,
                   const char    *message)
{
  g_autoptr(GError) error = g_error_new_literal (PARLEY_ERROR, PARLEY_ERROR_REJECTED, message);
  g_autofree char *retry_after = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (seconds, 1));

  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Retry-After", retry_after);
  reply_object (req, status, parley_http_error_object (error));
}

/* Runs @func on a password worker while the request is paused; @done gets
 * the job back on the main loop. With too many waiting already, answers
 * 503 and frees the job. */
static void
run_password_job (ParleyRequest       *req,
                  ParleyPasswordJob   *job,
                  GTaskThreadFunc      func,
                  GAsyncReadyCallback  done)
{
  GTask *task;

  if (g_thread_pool_unprocessed (req->self->password_workers) >= PASSWORD_QUEUE)
    {
      password_job_free (job);
      reply_retry_later (req, SOUP_STATUS_SERVICE_UNAVAILABLE, 1, "Too many logins at once; try again in a moment");
      return;
    }
  task = g_task_new (req->self, NULL, done, job);
  job->req = req;
  job->func = func;
  req->paused = TRUE;
  soup_server_message_pause (req->msg);
  g_task_set_task_data (task, job, NULL);
  g_thread_pool_push (req->self->password_workers, task, NULL);
}

static void
login_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ParleyPasswordJob *job = user_data;
  ParleyRequest *req = job->req;
  ParleyHub *self = req->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) agent_record = NULL;
  g_autofree char *token = NULL;
  g_autofree char *digest = NULL;
  const char *login = json_object_get_string_member (req->body, "login");
  ParleyHubAgent *agent;
  JsonObject *body;
  gint64 expires;

  g_task_propagate_boolean (G_TASK (result), NULL);
  if (!job->ok)
    {
      parley_login_throttle_failed (self->login_throttle, login, job->address, g_get_monotonic_time ());
      reply_new_error (req, PARLEY_ERROR_UNAUTHORIZED, "Wrong login or password");
      goto out;
    }
  parley_login_throttle_succeeded (self->login_throttle, login);

  agent_record = parley_store_get_agent_by_login (self->store, login, &error);
  agent = agent_record ? _parley_hub_lookup_agent (self, json_object_get_int_member (agent_record, "id")) : NULL;
  if (agent == NULL)
    {
      reply_new_error (req, PARLEY_ERROR_UNAUTHORIZED, "Wrong login or password");
      goto out;
    }

  token = parley_auth_new_token ();
  digest = parley_auth_token_digest (token);
  expires = g_get_real_time () + (gint64) self->config->token_ttl * G_USEC_PER_SEC;
  if (!parley_store_add_token (self->store, digest, agent->id, expires, &error))
    {
      reply_error (req, error);
      goto out;
    }
  _parley_hub_remember_token (self, digest, agent->id, expires);

  body = json_object_new ();
  json_object_set_string_member (body, "token", token);
  json_object_set_int_member (body, "expires", expires);
  json_object_set_object_member (body, "agent", _parley_hub_agent_json (self, agent));
  reply_object (req, SOUP_STATUS_OK, body);

out:
  password_job_free (job);
  finish_paused (req);
}

/* Failed logins are throttled per login and per address (429 with
 * Retry-After, even for the right password, until the lock passes); behind
 * a trusted proxy, per the address it forwarded for. */
static void
handle_login (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) record = NULL;
  const char *login, *password;
  g_autofree char *address = parley_host_dup_client_address (PARLEY_HOST (req->self), req->msg);
  ParleyPasswordJob *job;
  gint64 wait;

  if (!(login = body_text (req, "login", TRUE, 256, &error)) ||
      !(password = body_text (req, "password", TRUE, 1024, &error)))
    {
      reply_error (req, error);
      return;
    }
  wait = parley_login_throttle_wait (req->self->login_throttle, login, address, g_get_monotonic_time ());
  if (wait > 0)
    {
      reply_retry_later (req, 429 /* Too Many Requests: libsoup 3.2 has no name for it */, (wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC,
                         "Too many failed logins; wait before trying again");
      return;
    }

  record = parley_store_get_agent_by_login (req->self->store, login, NULL);
  job = g_new0 (ParleyPasswordJob, 1);
  job->password = g_strdup (password);
  job->address = g_strdup (address);
  job->known = record != NULL;
  job->hash = g_strdup (record ? json_object_get_string_member (record, "password_hash") : req->self->dummy_hash);
  run_password_job (req, job, verify_thread, login_done_cb);
}

static void
handle_logout (ParleyRequest *req)
{
  g_autofree char *digest = parley_auth_token_digest (parley_http_bearer_token (req->msg));
  g_autoptr(GError) error = NULL;

  _parley_hub_forget_token (req->self, digest);
  if (!parley_store_remove_token (req->self->store, digest, &error) &&
      !g_error_matches (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND))
    {
      reply_error (req, error);
      return;
    }
  soup_server_message_set_status (req->msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* ---- agents and presence ------------------------------------------------ */

static void
handle_me (ParleyRequest *req)
{
  reply_object (req, SOUP_STATUS_OK, _parley_hub_agent_json (req->self, req->agent));
}

static void
handle_agents (ParleyRequest *req)
{
  JsonArray *array = json_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, req->self->agents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    json_array_add_object_element (array, _parley_hub_agent_json (req->self, value));
  {
    JsonObject *body = json_object_new ();
    json_object_set_array_member (body, "agents", array);
    reply_object (req, SOUP_STATUS_OK, body);
  }
}

static void
create_agent_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  ParleyPasswordJob *job = user_data;
  ParleyRequest *req = job->req;
  ParleyHub *self = req->self;
  JsonObject *body = req->body;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) empty_skills = json_object_new ();
  g_autoptr(JsonObject) empty_capacity = json_object_new ();
  JsonObject *skills = json_object_has_member (body, "skills") ? json_object_get_object_member (body, "skills") : empty_skills;
  JsonObject *capacity = json_object_has_member (body, "capacity") ? json_object_get_object_member (body, "capacity") : empty_capacity;
  const char *login = json_object_get_string_member (body, "login");
  const char *name = json_object_get_string_member_with_default (body, "name", login);
  const char *role = json_object_get_string_member_with_default (body, "role", "agent");
  gint64 id;

  if (!g_task_propagate_boolean (G_TASK (result), &error) ||
      (id = parley_store_create_agent (self->store, login, name, role, job->hash, skills, capacity, &error)) <= 0 ||
      !(record = parley_store_get_agent (self->store, id, &error)))
    reply_error (req, error);
  else
    {
      _parley_hub_add_agent (self, record);
      reply_object (req, SOUP_STATUS_CREATED, _parley_hub_agent_json (self, _parley_hub_lookup_agent (self, id)));
    }
  password_job_free (job);
  finish_paused (req);
}

static void
handle_create_agent (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;
  const char *login, *password, *role;
  JsonObject *skills, *capacity;
  ParleyPasswordJob *job;

  if (!(login = body_text (req, "login", TRUE, 256, &error)) ||
      !(password = body_text (req, "password", TRUE, 1024, &error)) ||
      (body_text (req, "name", FALSE, 256, &error), error != NULL) ||
      (role = body_text (req, "role", FALSE, 32, &error), error != NULL) ||
      (skills = parley_json_get_object (req->body, "skills", FALSE, &error), error != NULL) ||
      (capacity = parley_json_get_object (req->body, "capacity", FALSE, &error), error != NULL) ||
      !check_levels (skills, "skills", 1, 10, &error) ||
      !check_levels (capacity, "capacity", 0, 100, &error))
    {
      reply_error (req, error);
      return;
    }
  if (role != NULL && _parley_role_from_string (role) == 0)
    {
      reply_new_error (req, PARLEY_ERROR_INVALID, "Role must be agent, supervisor or admin");
      return;
    }
  job = g_new0 (ParleyPasswordJob, 1);
  job->password = g_strdup (password);
  job->strength = g_strdup (req->self->config->password_strength);
  run_password_job (req, job, hash_thread, create_agent_done_cb);
}

/* Name, role, skills and capacity, changed in the store and at once in
 * the router (a channel gained offers the agent its waiting
 * conversations) and on the boards. */
static gboolean
update_agent_work (ParleyRequest  *req,
                   gint64          now,
                   GError        **error)
{
  ParleyHub *self = req->self;
  ParleyHubAgent *agent = _parley_hub_lookup_agent (self, req->id);
  g_autoptr(JsonObject) record = parley_store_patch_agent (self->store, req->id, req->body, error);
  g_autoptr(JsonObject) json = NULL;

  if (record == NULL)
    return FALSE;
  json_object_unref (agent->record);
  agent->record = g_steal_pointer (&record);
  agent->role = _parley_role_from_string (json_object_get_string_member (agent->record, "role"));
  /* Who gets every push follows the role at once: a supervisor made an
   * agent again must not keep seeing everything until signing out. */
  g_ptr_array_remove (self->supervisors, agent);
  if (agent->role >= PARLEY_ROLE_SUPERVISOR && agent->sockets->len > 0)
    g_ptr_array_add (self->supervisors, agent);
  parley_router_set_agent (self->router, agent->id,
                           json_object_get_object_member (agent->record, "skills"),
                           json_object_get_object_member (agent->record, "capacity"));
  self->dispatch_needed = TRUE;
  json = _parley_hub_agent_json (self, agent);
  _parley_hub_notice (self, agent->id, 0, "presence", "agent", json);
  return TRUE;
}

static void
handle_update_agent (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (_parley_hub_lookup_agent (req->self, req->id) == NULL)
    reply_new_error (req, PARLEY_ERROR_NOT_FOUND, "No agent has id %" G_GINT64_FORMAT, req->id);
  else if (!in_transaction (req, update_agent_work, &error))
    reply_error (req, error);
  else
    reply_object (req, SOUP_STATUS_OK, _parley_hub_agent_json (req->self, _parley_hub_lookup_agent (req->self, req->id)));
}

static gboolean
set_presence_work (ParleyRequest  *req,
                   gint64          now,
                   GError        **error)
{
  ParleyHubAgent *agent = req->id > 0 ? _parley_hub_lookup_agent (req->self, req->id) : req->agent;
  const char *state = json_object_get_string_member (req->body, "state");
  const char *reason = json_object_get_string_member_with_default (req->body, "reason", NULL);

  return _parley_hub_set_presence (req->self, agent, state, reason, now, error);
}

static void
handle_presence (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;
  ParleyHubAgent *agent = req->agent;
  const char *state;

  if (req->id > 0 && !(agent = _parley_hub_lookup_agent (req->self, req->id)))
    {
      reply_new_error (req, PARLEY_ERROR_NOT_FOUND, "No agent has id %" G_GINT64_FORMAT, req->id);
      return;
    }
  if (!(state = body_text (req, "state", TRUE, 32, &error)) ||
      (body_text (req, "reason", FALSE, 200, &error), error != NULL))
    {
      reply_error (req, error);
      return;
    }
  if (!_parley_presence_is_valid (state) || g_str_equal (state, "wrap-up"))
    {
      reply_new_error (req, PARLEY_ERROR_INVALID, "State must be available, away, busy or offline");
      return;
    }
  if (!in_transaction (req, set_presence_work, &error))
    reply_error (req, error);
  else
    reply_object (req, SOUP_STATUS_OK, _parley_hub_agent_json (req->self, agent));
}

/* ---- queues and metrics ------------------------------------------------- */

static JsonObject *
queue_state (ParleyHub  *self,
             JsonObject *queue)
{
  JsonObject *state = json_object_new ();
  gint64 id = json_object_get_int_member (queue, "id");
  gint64 oldest = parley_router_oldest_waiting (self->router, id, NULL);

  json_object_set_object_member (state, "queue", json_object_ref (queue));
  json_object_set_int_member (state, "waiting", parley_router_waiting_count (self->router, id, NULL));
  if (oldest > 0)
    json_object_set_int_member (state, "longest_wait_ms", (g_get_real_time () - oldest) / 1000);
  else
    json_object_set_null_member (state, "longest_wait_ms");
  json_object_set_object_member (state, "waiting_by_channel", parley_router_waiting_by_channel (self->router, id));
  return state;
}

static JsonArray *
queue_states (ParleyHub *self)
{
  JsonArray *array = json_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->queues);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    json_array_add_object_element (array, queue_state (self, value));
  return array;
}

static void
handle_queues (ParleyRequest *req)
{
  JsonObject *body = json_object_new ();

  json_object_set_array_member (body, "queues", queue_states (req->self));
  reply_object (req, SOUP_STATUS_OK, body);
}

/* The request's "targets" and "survey" applied to a queue's settings. */
static JsonObject *
queue_settings_change (ParleyRequest  *req,
                       JsonObject     *current,
                       GError        **error)
{
  g_autoptr(JsonObject) changes = json_object_new ();
  static const char * const sections[] = { "targets", "survey" };

  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    if (json_object_has_member (req->body, sections[i]))
      json_object_set_member (changes, sections[i], json_node_copy (json_object_get_member (req->body, sections[i])));
  return parley_queue_settings_apply (current, changes, error);
}

static void
handle_update_queue (ParleyRequest *req)
{
  ParleyHub *self = req->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) settings = NULL;
  JsonObject *queue = _parley_hub_queue_json (self, req->id);

  if (queue == NULL)
    {
      reply_new_error (req, PARLEY_ERROR_NOT_FOUND, "No queue has id %" G_GINT64_FORMAT, req->id);
      return;
    }
  if (!(settings = queue_settings_change (req, json_object_get_object_member (queue, "settings"), &error)) ||
      !parley_store_set_queue_settings (self->store, req->id, settings, &error))
    {
      reply_error (req, error);
      return;
    }
  json_object_set_object_member (queue, "settings", g_steal_pointer (&settings));
  reply_object (req, SOUP_STATUS_OK, json_object_ref (queue));
}

static void
handle_create_queue (ParleyRequest *req)
{
  ParleyHub *self = req->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) empty_skills = json_object_new ();
  g_autoptr(JsonObject) empty_levels = json_object_new ();
  g_autoptr(GPtrArray) queues = NULL;
  g_autoptr(JsonObject) settings = NULL;
  JsonObject *skills, *service_level;
  const char *name;
  gint64 priority = 0, relax_after = self->config->relax_after, id;

  if (!(name = body_text (req, "name", TRUE, 128, &error)) ||
      !parley_json_get_int (req->body, "priority", FALSE, &priority, &error) ||
      !parley_json_get_int (req->body, "relax_after", FALSE, &relax_after, &error) ||
      (skills = parley_json_get_object (req->body, "skills", FALSE, &error), error != NULL) ||
      (service_level = parley_json_get_object (req->body, "service_level", FALSE, &error), error != NULL) ||
      !check_levels (skills, "skills", 1, 10, &error) ||
      !check_levels (service_level, "service_level", 1, 86400, &error) ||
      !(settings = queue_settings_change (req, NULL, &error)))
    {
      reply_error (req, error);
      return;
    }
  if (priority < -100 || priority > 100 || relax_after < 0 || relax_after > 86400)
    {
      reply_new_error (req, PARLEY_ERROR_INVALID, "Priority must be from -100 to 100 and relax_after from 0 to 86400");
      return;
    }
  id = parley_store_create_queue (self->store, name, (int) priority, skills ? skills : empty_skills,
                                  (int) relax_after, service_level ? service_level : empty_levels, settings, &error);
  if (id <= 0 || !(queues = parley_store_list_queues (self->store, &error)))
    {
      reply_error (req, error);
      return;
    }
  for (guint i = 0; i < queues->len; i++)
    {
      JsonObject *queue = g_ptr_array_index (queues, i);

      if (json_object_get_int_member (queue, "id") != id)
        continue;
      json_object_set_object_member (queue, "settings", g_steal_pointer (&settings));
      g_hash_table_replace (self->queues, g_memdup2 (&id, sizeof id), json_object_ref (queue));
      _parley_hub_metrics_reset (self);
      parley_router_set_queue (self->router, id, (int) priority, json_object_get_object_member (queue, "skills"),
                               (guint) relax_after);
      reply_object (req, SOUP_STATUS_CREATED, json_object_ref (queue));
    }
}

static void
append_csv_cell (GString    *csv,
                 JsonObject *object,
                 const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_string_append (csv, json_node_get_string (node));
  else if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    g_string_append_printf (csv, "%.1f", json_node_get_double (node));
  else if (node && JSON_NODE_HOLDS_VALUE (node))
    g_string_append_printf (csv, "%" G_GINT64_FORMAT, json_node_get_int (node));
}

/* GET /metrics?from=&to=&format=csv: an interval's figures (default the
 * current one, as the live figures have it). */
static void
handle_metrics_history (ParleyRequest *req)
{
  static const char * const columns[] = {
    "queue", "channel", "offered", "answered", "abandoned", "short_abandoned", "handled", "service_level",
    "asa_ms", "aht_ms", "first_response_ms", "transfers",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) snapshot = NULL;
  gint64 from = 0, to = 0;
  const char *format = NULL;

  if (!query_int (req, "from", 0, G_MAXINT64, &from, &error) ||
      !query_int (req, "to", 0, G_MAXINT64, &to, &error) ||
      (format = query_string (req, "format", &error), error != NULL))
    {
      reply_error (req, error);
      return;
    }
  if (from == 0)
    from = _parley_hub_interval_start (req->self);
  if (to == 0)
    to = g_get_real_time ();
  if (to <= from)
    {
      reply_new_error (req, PARLEY_ERROR_INVALID, "“to” must come after “from”");
      return;
    }
  if (!(snapshot = _parley_hub_metrics_snapshot (req->self, from, to, &error)))
    {
      reply_error (req, error);
      return;
    }
  if (g_strcmp0 (format, "csv") == 0)
    {
      JsonArray *queues = json_object_get_array_member (snapshot, "queues");
      GString *csv = g_string_new (NULL);

      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        g_string_append_printf (csv, "%s%s", c ? "," : "", columns[c]);
      g_string_append_c (csv, '\n');
      for (guint i = 0; i < json_array_get_length (queues); i++)
        {
          for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
            {
              if (c)
                g_string_append_c (csv, ',');
              append_csv_cell (csv, json_array_get_object_element (queues, i), columns[c]);
            }
          g_string_append_c (csv, '\n');
        }
      soup_server_message_set_response (req->msg, "text/csv; charset=utf-8", SOUP_MEMORY_TAKE, csv->str, csv->len);
      soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
      g_string_free (csv, FALSE);
      return;
    }
  reply_object (req, SOUP_STATUS_OK, g_steal_pointer (&snapshot));
}

/* GET /metrics/live: the queues and agents now, and today's figures
 * ("interval"; "today" is its total, for older clients). */
static void
handle_metrics (ParleyRequest *req)
{
  ParleyHub *self = req->self;
  g_autoptr(GError) error = NULL;
  JsonObject *body, *interval, *presence = json_object_new ();
  GHashTableIter iter;
  gpointer value;

  if (!(interval = _parley_hub_metrics_live (self, &error)))
    {
      json_object_unref (presence);
      reply_error (req, error);
      return;
    }
  g_hash_table_iter_init (&iter, self->agents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ParleyHubAgent *agent = value;
      gint64 n = json_object_get_int_member_with_default (presence, agent->presence, 0);

      json_object_set_int_member (presence, agent->presence, n + 1);
    }

  body = json_object_new ();
  json_object_set_int_member (body, "generated_at", json_object_get_int_member (interval, "now"));
  json_object_set_int_member (body, "interval_start", json_object_get_int_member (interval, "from"));
  json_object_set_array_member (body, "queues", queue_states (self));
  json_object_set_object_member (body, "agents_by_presence", presence);
  json_object_set_object_member (body, "today", json_object_ref (json_object_get_object_member (interval, "total")));
  json_object_set_object_member (body, "interval", interval);
  reply_object (req, SOUP_STATUS_OK, body);
}

/* GET /metrics/trend?from=&to=&step=hour|day&queue=&channel=&agent=: NPS
 * and CSAT per local hour or day. */
static void
handle_metrics_trend (ParleyRequest *req)
{
  ParleyHub *self = req->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(ParleyTrend) trend = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  const char *step = NULL, *channel = NULL;
  gint64 from = 0, to = 0, queue = 0, agent = 0, now = g_get_real_time ();
  ParleyTrendStep unit;

  if ((step = query_string (req, "step", &error), error != NULL) ||
      (channel = query_string (req, "channel", &error), error != NULL) ||
      !query_int (req, "from", 1, G_MAXINT64, &from, &error) ||
      !query_int (req, "to", 1, G_MAXINT64, &to, &error) ||
      !query_int (req, "queue", 1, G_MAXINT64, &queue, &error) ||
      !query_int (req, "agent", 1, G_MAXINT64, &agent, &error))
    {
      reply_error (req, error);
      return;
    }
  if (g_strcmp0 (step, "hour") != 0 && g_strcmp0 (step, "day") != 0)
    {
      reply_new_error (req, PARLEY_ERROR_INVALID, "“step” must be “hour” or “day”");
      return;
    }
  unit = g_str_equal (step, "hour") ? PARLEY_TREND_HOUR : PARLEY_TREND_DAY;
  if (from == 0)
    from = unit == PARLEY_TREND_HOUR ? _parley_hub_start_of_today () : now - 7 * G_TIME_SPAN_DAY;
  if (to == 0)
    to = MAX (now, from + 1);
  if (to <= from)
    {
      reply_new_error (req, PARLEY_ERROR_INVALID, "“to” must come after “from”");
      return;
    }
  if (!(trend = parley_trend_new (from, to, unit, zone, &error)) ||
      !(rows = parley_store_survey_rows (self->store, parley_trend_get_from (trend), parley_trend_get_to (trend),
                                         queue, channel, agent, &error)))
    {
      reply_error (req, error);
      return;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *row = g_ptr_array_index (rows, i);

      parley_trend_add (trend, json_object_get_int_member (row, "at"), (int) json_object_get_int_member (row, "nps"),
                        (int) json_object_get_int_member (row, "csat"));
    }
  reply_object (req, SOUP_STATUS_OK, parley_trend_to_json (trend));
}

#define SURVEYS_PAGE_MAX 200

/* GET /surveys?limit=&before=: the latest answers and comments first. */
static void
handle_surveys (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) surveys = NULL;
  gint64 before = 0, limit = 50;
  JsonObject *body;

  if (!query_int (req, "before", 1, G_MAXINT64, &before, &error) ||
      !query_int (req, "limit", 1, SURVEYS_PAGE_MAX, &limit, &error) ||
      !(surveys = parley_store_list_surveys (req->self->store, before, (guint) limit, &error)))
    {
      reply_error (req, error);
      return;
    }
  body = json_object_new ();
  json_object_set_array_member (body, "surveys", array_of (surveys));
  if (surveys->len == (guint) limit)
    json_object_set_int_member (body, "next_before",
                                json_object_get_int_member (g_ptr_array_index (surveys, surveys->len - 1), "id"));
  else
    json_object_set_null_member (body, "next_before");
  reply_object (req, SOUP_STATUS_OK, body);
}

/* ---- customers ---------------------------------------------------------- */

static void
handle_customers (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  const char *q = query_string (req, "q", &error);
  gint64 limit = 50;
  JsonObject *body;

  if (error != NULL || !query_int (req, "limit", 1, 200, &limit, &error) ||
      !(found = parley_store_search_customers (req->self->store, q, (guint) limit, &error)))
    {
      reply_error (req, error);
      return;
    }
  body = json_object_new ();
  json_object_set_array_member (body, "customers", array_of (found));
  reply_object (req, SOUP_STATUS_OK, body);
}

static void
handle_customer (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonObject *customer = parley_store_get_customer (req->self->store, req->id, &error);

  if (customer == NULL)
    reply_error (req, error);
  else
    reply_object (req, SOUP_STATUS_OK, customer);
}

static gboolean
update_customer_work (ParleyRequest  *req,
                      gint64          now,
                      GError        **error)
{
  g_autoptr(JsonObject) customer = NULL;
  const char *name = json_object_get_string_member_with_default (req->body, "name", NULL);
  JsonObject *attributes = json_object_has_member (req->body, "attributes")
    ? json_object_get_object_member (req->body, "attributes") : NULL;

  if (!parley_store_update_customer (req->self->store, req->id, name, attributes, now, error) ||
      !(customer = parley_store_get_customer (req->self->store, req->id, error)))
    return FALSE;
  _parley_hub_notice (req->self, 0, 0, "customer", "customer", customer);
  return TRUE;
}

static void
handle_update_customer (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;

  if ((body_text (req, "name", FALSE, 256, &error), error != NULL) ||
      (parley_json_get_object (req->body, "attributes", FALSE, &error), error != NULL) ||
      !in_transaction (req, update_customer_work, &error))
    reply_error (req, error);
  else
    handle_customer (req);
}

static void
handle_timeline (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonObject) customer = NULL;
  const char *channel = query_string (req, "channel", &error);
  const char *search = error ? NULL : query_string (req, "q", &error);
  gint64 before = 0, limit = 50;
  JsonObject *body;

  if (error != NULL ||
      !query_int (req, "before", 1, G_MAXINT64, &before, &error) ||
      !query_int (req, "limit", 1, TIMELINE_PAGE_MAX, &limit, &error) ||
      !(customer = parley_store_get_customer (req->self->store, req->id, &error)) ||
      !(events = parley_store_timeline (req->self->store, req->id, before, (guint) limit, channel, search, &error)))
    {
      reply_error (req, error);
      return;
    }
  body = json_object_new ();
  json_object_set_array_member (body, "events", array_of (events));
  /* Where the next (older) page starts, or null at the beginning of time. */
  if (events->len == (guint) limit)
    json_object_set_int_member (body, "next_before",
                                json_object_get_int_member (g_ptr_array_index (events, events->len - 1), "id"));
  else
    json_object_set_null_member (body, "next_before");
  reply_object (req, SOUP_STATUS_OK, body);
}

/* A customer-level entry made by the requesting agent. */
static gboolean
append_customer_event (ParleyRequest  *req,
                       gint64          customer_id,
                       const char     *kind,
                       const char     *text,
                       JsonObject     *metadata,
                       gint64          now,
                       GError        **error)
{
  return _parley_hub_customer_event (req->self, customer_id, kind, text, metadata, req->agent->id,
                                     json_object_get_string_member (req->agent->record, "name"), now, error);
}

static gboolean
merge_work (ParleyRequest  *req,
            gint64          now,
            GError        **error)
{
  gint64 merge_id = _parley_hub_merge_customers (req->self, req->id, json_object_get_int_member (req->body, "other"),
                                                 req->agent->id,
                                                 json_object_get_string_member (req->agent->record, "name"),
                                                 now, error);

  json_object_set_int_member (req->body, "merge_id", merge_id);
  return merge_id > 0;
}

static void
handle_merge (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) customer = NULL;
  gint64 other = 0;
  JsonObject *body;

  if (!parley_json_get_int (req->body, "other", TRUE, &other, &error) ||
      !in_transaction (req, merge_work, &error) ||
      !(customer = parley_store_get_customer (req->self->store, req->id, &error)))
    {
      reply_error (req, error);
      return;
    }
  body = json_object_new ();
  json_object_set_int_member (body, "merge", json_object_get_int_member (req->body, "merge_id"));
  json_object_set_object_member (body, "customer", g_steal_pointer (&customer));
  reply_object (req, SOUP_STATUS_OK, body);
}

static gboolean
unmerge_work (ParleyRequest  *req,
              gint64          now,
              GError        **error)
{
  ParleyStore *store = req->self->store;
  gint64 merge_id = json_object_get_int_member (req->body, "merge");
  g_autoptr(JsonObject) merge = parley_store_get_merge (store, merge_id, error);
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autofree char *text = NULL;
  gint64 absorbed;

  if (merge == NULL)
    return FALSE;
  if (json_object_get_int_member (merge, "survivor_id") != req->id)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                   "Merge %" G_GINT64_FORMAT " did not merge into customer %" G_GINT64_FORMAT, merge_id, req->id);
      return FALSE;
    }
  absorbed = json_object_get_int_member (merge, "absorbed_id");
  if (!parley_store_unmerge (store, merge_id, now, error))
    return FALSE;
  json_object_set_int_member (metadata, "merge_id", merge_id);
  json_object_set_int_member (metadata, "survivor_id", req->id);
  json_object_set_int_member (metadata, "absorbed_id", absorbed);
  json_object_set_int_member (req->body, "absorbed_id", absorbed);
  text = g_strdup_printf ("Merge with customer #%" G_GINT64_FORMAT " undone", absorbed);
  return append_customer_event (req, req->id, "unmerge", text, metadata, now, error) &&
         append_customer_event (req, absorbed, "unmerge", text, metadata, now, error);
}

static void
handle_unmerge (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) customer = NULL;
  g_autoptr(JsonObject) restored = NULL;
  gint64 merge_id = 0;
  JsonObject *body;

  if (!parley_json_get_int (req->body, "merge", TRUE, &merge_id, &error) ||
      !in_transaction (req, unmerge_work, &error) ||
      !(customer = parley_store_get_customer (req->self->store, req->id, &error)) ||
      !(restored = parley_store_get_customer (req->self->store,
                                              json_object_get_int_member (req->body, "absorbed_id"), &error)))
    {
      reply_error (req, error);
      return;
    }
  body = json_object_new ();
  json_object_set_object_member (body, "customer", g_steal_pointer (&customer));
  json_object_set_object_member (body, "restored", g_steal_pointer (&restored));
  reply_object (req, SOUP_STATUS_OK, body);
}

static gboolean
link_work (ParleyRequest  *req,
           gint64          now,
           GError        **error)
{
  return _parley_hub_link_identity (req->self, req->id, json_object_get_string_member (req->body, "kind"),
                                    json_object_get_string_member (req->body, "normalized"), req->agent->id,
                                    json_object_get_string_member (req->agent->record, "name"), now, error);
}

static void
handle_link (ParleyRequest *req)
{
  ParleyHub *self = req->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  const char *kind, *value;

  if (!(kind = body_text (req, "kind", TRUE, 32, &error)) ||
      !(value = body_text (req, "value", TRUE, PARLEY_IDENTITY_MAX_LENGTH, &error)) ||
      !(normalized = parley_identity_normalize (kind, value, self->config->default_region, &error)))
    {
      reply_error (req, error);
      return;
    }
  json_object_set_string_member (req->body, "normalized", normalized);
  if (!in_transaction (req, link_work, &error))
    reply_error (req, error);
  else
    handle_customer (req);
}

/* ---- conversations ------------------------------------------------------ */

static gboolean
is_conversation_state (const char *state)
{
  static const char * const states[] = { "queued", "offered", "assigned", "wrap-up", "resolved", NULL };

  return g_strv_contains (states, state);
}

static void
handle_conversations (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  const char *state = query_string (req, "state", &error);
  const char *agent = query_string (req, "agent", &error);
  gint64 agent_id = 0, limit = 100;
  JsonObject *body;

  if (error != NULL || !query_int (req, "limit", 1, 1000, &limit, &error))
    {
      reply_error (req, error);
      return;
    }
  if (state != NULL && !is_conversation_state (state))
    {
      reply_new_error (req, PARLEY_ERROR_INVALID, "Unknown state “%s”", state);
      return;
    }
  if (g_strcmp0 (agent, "me") == 0)
    agent_id = req->agent->id;
  else if (agent != NULL && !g_ascii_string_to_signed (agent, 10, 1, G_MAXINT64, &agent_id, NULL))
    {
      reply_new_error (req, PARLEY_ERROR_INVALID, "Parameter “agent” must be “me” or an agent id");
      return;
    }
  /* Agents see the queue and their own work; supervisors see everything. */
  if (req->agent->role < PARLEY_ROLE_SUPERVISOR &&
      g_strcmp0 (state, "queued") != 0 && g_strcmp0 (state, "offered") != 0)
    {
      if (agent_id != 0 && agent_id != req->agent->id)
        {
          reply_new_error (req, PARLEY_ERROR_FORBIDDEN, "Agents may list only their own conversations");
          return;
        }
      agent_id = req->agent->id;
    }
  if (!(found = parley_store_list_conversations (req->self->store, state, agent_id, (guint) limit, &error)))
    {
      reply_error (req, error);
      return;
    }
  body = json_object_new ();
  json_object_set_array_member (body, "conversations", array_of (found));
  reply_object (req, SOUP_STATUS_OK, body);
}

static void
handle_conversation (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonObject *conversation = parley_store_get_conversation (req->self->store, req->id, &error);
  JsonObject *customer;

  if (conversation == NULL ||
      !(customer = parley_store_get_customer (req->self->store,
                                              json_object_get_int_member (conversation, "customer_id"), &error)))
    {
      g_clear_pointer (&conversation, json_object_unref);
      reply_error (req, error);
      return;
    }
  json_object_set_object_member (conversation, "customer", customer);
  reply_object (req, SOUP_STATUS_OK, conversation);
}

/* The conversation, if the caller may act on it: it must be open, and held
 * by the caller unless the caller is a supervisor. */
static JsonObject *
held_conversation (ParleyRequest  *req,
                   GError        **error)
{
  g_autoptr(JsonObject) conversation = parley_store_get_conversation (req->self->store, req->id, error);

  if (conversation == NULL)
    return NULL;
  if (g_str_equal (json_object_get_string_member (conversation, "state"), "resolved"))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT, "Conversation %" G_GINT64_FORMAT " is resolved", req->id);
      return NULL;
    }
  if (req->agent->role < PARLEY_ROLE_SUPERVISOR &&
      json_object_get_int_member (conversation, "agent_id") != req->agent->id)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_FORBIDDEN,
                   "Conversation %" G_GINT64_FORMAT " is not assigned to you", req->id);
      return NULL;
    }
  return g_steal_pointer (&conversation);
}

static int
colleague_name_cmp (gconstpointer a,
                    gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a;
  JsonObject *y = *(JsonObject **) b;

  return g_utf8_collate (json_object_get_string_member_with_default (x, "name", ""),
                         json_object_get_string_member_with_default (y, "name", ""));
}

/* GET /conversations/{id}/colleagues: whom the caller may hand the
 * conversation to, so an agent's Transfer can name a colleague without
 * seeing more of them than a name and a state: the other agents who are
 * signed in and take conversations on its channel. */
static void
handle_colleagues (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) conversation = held_conversation (req, &error);
  g_autoptr(GPtrArray) colleagues = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonArray *array;
  JsonObject *body;
  GHashTableIter iter;
  gpointer value;

  if (conversation == NULL)
    {
      reply_error (req, error);
      return;
    }
  g_hash_table_iter_init (&iter, req->self->agents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ParleyHubAgent *agent = value;
      JsonObject *capacity = json_object_get_object_member (agent->record, "capacity");
      JsonObject *colleague;

      if (agent->id == req->agent->id || agent->id == json_object_get_int_member (conversation, "agent_id") ||
          g_str_equal (agent->presence, "offline") || capacity == NULL ||
          json_object_get_int_member_with_default (capacity, json_object_get_string_member (conversation, "channel"), 0) <= 0)
        continue;
      colleague = json_object_new ();
      json_object_set_int_member (colleague, "id", agent->id);
      json_object_set_string_member (colleague, "name", json_object_get_string_member_with_default (agent->record, "name", ""));
      json_object_set_string_member (colleague, "presence", agent->presence);
      g_ptr_array_add (colleagues, colleague);
    }
  g_ptr_array_sort (colleagues, colleague_name_cmp);
  array = json_array_sized_new (colleagues->len);
  for (guint i = 0; i < colleagues->len; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (colleagues, i)));
  body = json_object_new ();
  json_object_set_array_member (body, "colleagues", array);
  reply_object (req, SOUP_STATUS_OK, body);
}

/* The agent is typing, or has read the customer's messages: the channel
 * tells the customer, if it can. Nothing is stored. */
static void
handle_activity (ParleyRequest *req)
{
  ParleyHub *self = req->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) conversation = NULL;
  g_autoptr(JsonObject) to = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  const char *activity, *channel_kind;
  ParleyChannel *channel;
  gint64 up_to = 0;
  gboolean typing;

  if (!(activity = body_text (req, "activity", TRUE, 16, &error)) ||
      !(channel_kind = body_text (req, "channel", TRUE, 64, &error)) ||
      !parley_json_get_int (req->body, "up_to", FALSE, &up_to, &error))
    {
      reply_error (req, error);
      return;
    }
  if (!g_str_equal (activity, "typing") && !g_str_equal (activity, "read"))
    {
      reply_new_error (req, PARLEY_ERROR_INVALID, "“activity” is “typing” or “read”");
      return;
    }
  if ((channel = _parley_hub_get_channel (self, channel_kind)) == NULL)
    {
      reply_new_error (req, PARLEY_ERROR_INVALID, "No “%s” channel is running on this hub", channel_kind);
      return;
    }
  if (!(conversation = held_conversation (req, &error)) ||
      !(to = _parley_hub_reply_identity (self, json_object_get_int_member (conversation, "customer_id"), channel_kind, &error)))
    {
      reply_error (req, error);
      return;
    }
  typing = json_object_get_boolean_member_with_default (req->body, "typing", TRUE);
  if (g_str_equal (activity, "typing"))
    {
      json_object_set_boolean_member (details, "typing", typing);
      json_object_set_string_member (details, "author", json_object_get_string_member (req->agent->record, "name"));
    }
  else
    json_object_set_int_member (details, "up_to", up_to);
  parley_channel_signal_activity (channel, json_object_get_string_member (to, "kind"),
                                  json_object_get_string_member (to, "value"), activity, details);
  reply_object (req, SOUP_STATUS_OK, json_object_new ());
}

/* The file @id the message carries, if it was uploaded for this
 * conversation: {id, name, type, size}. */
static JsonObject *
conversation_attachment (ParleyRequest  *req,
                         const char     *id,
                         GError        **error)
{
  g_autoptr(JsonObject) attachment = parley_store_load_attachment (req->self->store, id, NULL, NULL);

  if (attachment == NULL || json_object_get_int_member (attachment, "conversation_id") != req->id)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                   "Attachment “%s” was not uploaded for conversation %" G_GINT64_FORMAT, id, req->id);
      return NULL;
    }
  return parley_attachment_summary (attachment);
}

static gboolean
send_message_work (ParleyRequest  *req,
                   gint64          now,
                   GError        **error)
{
  ParleyHub *self = req->self;
  g_autoptr(JsonObject) conversation = held_conversation (req, error);
  g_autoptr(JsonObject) event = NULL;
  g_autoptr(JsonObject) attachment = NULL;
  const char *attachment_id = json_object_get_string_member_with_default (req->body, "attachment", NULL);
  const char *text = json_object_get_string_member_with_default (req->body, "text", NULL);

  if (conversation == NULL || (attachment_id && !(attachment = conversation_attachment (req, attachment_id, error))))
    return FALSE;
  /* A file sent alone: its name is the text, for the channels and
   * previews that only show text. */
  if (text == NULL || is_blank (text))
    text = json_object_get_string_member (attachment, "name");
  if (!(event = _parley_hub_queue_message (self, conversation, json_object_get_string_member (req->body, "channel"),
                                           text, req->agent, NULL, attachment, now, error)) ||
      !parley_store_mark_first_response (self->store, req->id, now, error) ||
      !parley_store_update_conversation (self->store, req->id, NULL, -1, 0,
                                         json_object_get_string_member (req->body, "channel"), now, error))
    return FALSE;
  json_object_set_object_member (req->body, "event", g_steal_pointer (&event));
  return TRUE;
}

static void
handle_send_message (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;
  const char *channel;
  const char *attachment = NULL;

  if (!(channel = body_text (req, "channel", TRUE, 64, &error)) ||
      (attachment = parley_json_get_string (req->body, "attachment", FALSE, &error), error != NULL) ||
      (!body_text (req, "text", attachment == NULL, req->self->config->max_body_size, &error) && error != NULL))
    {
      reply_error (req, error);
      return;
    }
  if (_parley_hub_get_channel (req->self, channel) == NULL)
    {
      reply_new_error (req, PARLEY_ERROR_INVALID, "No “%s” channel is running on this hub", channel);
      return;
    }
  if (!in_transaction (req, send_message_work, &error))
    {
      reply_error (req, error);
      return;
    }
  reply_object (req, SOUP_STATUS_CREATED, wrap ("event", json_object_ref (json_object_get_object_member (req->body, "event"))));
}

/* The file is the body; X-Parley-Filename its name, percent-encoded. It is
 * kept for this conversation: a message in it may carry it, and the
 * customer may download it. */
static gboolean
upload_work (ParleyRequest  *req,
             gint64          now,
             GError        **error)
{
  g_autoptr(JsonObject) conversation = held_conversation (req, error);
  g_autoptr(GBytes) data = soup_message_body_flatten (soup_server_message_get_request_body (req->msg));
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *owner = g_strdup_printf ("agent:%" G_GINT64_FORMAT, req->agent->id);

  if (conversation == NULL ||
      !parley_store_save_attachment (req->self->store, id, owner, req->id,
                                     json_object_get_string_member (req->body, "name"),
                                     json_object_get_string_member (req->body, "type"), data, now, error))
    return FALSE;
  json_object_set_string_member (req->body, "id", id);
  return TRUE;
}

static void
handle_upload (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = soup_message_body_flatten (soup_server_message_get_request_body (req->msg));
  const char *name = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                                   "X-Parley-Filename");

  /* The body holds what is known of the file until it is kept. */
  if (!(req->body = parley_attachment_check (data, name, &error)) ||
      !in_transaction (req, upload_work, &error))
    {
      reply_error (req, error);
      return;
    }
  reply_object (req, SOUP_STATUS_CREATED, wrap ("attachment", json_object_ref (req->body)));
}

/* Internal notes: the agent holding the conversation, while it is open;
 * supervisors and admins on any, resolved ones too (a review after the
 * fact). Agents with no part in a conversation cannot write into it. */
static gboolean
note_work (ParleyRequest  *req,
           gint64          now,
           GError        **error)
{
  g_autoptr(JsonObject) conversation = req->agent->role >= PARLEY_ROLE_SUPERVISOR
                                       ? parley_store_get_conversation (req->self->store, req->id, error)
                                       : held_conversation (req, error);
  g_autoptr(JsonObject) event = NULL;
  gint64 event_id;

  if (conversation == NULL)
    return FALSE;
  {
    ParleyEventDraft draft = {
      .conversation_id = req->id,
      .customer_id = json_object_get_int_member (conversation, "customer_id"),
      .channel = json_object_get_string_member (conversation, "channel"),
      .kind = "note",
      .direction = "internal",
      .agent_id = req->agent->id,
      .author_name = json_object_get_string_member (req->agent->record, "name"),
      .text = json_object_get_string_member (req->body, "text"),
      .created = now,
    };
    if ((event_id = parley_store_append_event (req->self->store, &draft, error)) <= 0 ||
        !(event = parley_store_get_event (req->self->store, event_id, error)))
      return FALSE;
  }
  _parley_hub_notice (req->self, 0, req->id, "event", "event", event);
  json_object_set_object_member (req->body, "event", g_steal_pointer (&event));
  return TRUE;
}

static void
handle_note (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (!body_text (req, "text", TRUE, req->self->config->max_body_size, &error) ||
      !in_transaction (req, note_work, &error))
    {
      reply_error (req, error);
      return;
    }
  reply_object (req, SOUP_STATUS_CREATED, wrap ("event", json_object_ref (json_object_get_object_member (req->body, "event"))));
}

static gboolean
finish_conversation_change (ParleyHub  *self,
                            gint64      conversation_id,
                            gint64      former_holder,
                            JsonObject *request_body,
                            GError    **error)
{
  g_autoptr(JsonObject) conversation = parley_store_get_conversation (self->store, conversation_id, error);

  if (conversation == NULL)
    return FALSE;
  /* The push goes out after the commit, when the router knows only the
   * new holder (or none, once resolved): the agent who held the
   * conversation is named here, so their sidebar lets it go. */
  _parley_hub_notice (self, former_holder, conversation_id, "conversation", "conversation", conversation);
  json_object_set_object_member (request_body, "conversation", json_object_ref (conversation));
  return TRUE;
}

static gboolean
resolve_work (ParleyRequest  *req,
              gint64          now,
              GError        **error)
{
  ParleyHub *self = req->self;
  g_autoptr(JsonObject) conversation = held_conversation (req, error);
  g_autoptr(JsonObject) metadata = json_object_new ();
  const char *disposition = json_object_get_string_member (req->body, "disposition");
  ParleyHubAgent *holder;

  if (conversation == NULL)
    return FALSE;
  holder = _parley_hub_lookup_agent (self, json_object_get_int_member (conversation, "agent_id"));
  json_object_set_string_member (metadata, "disposition", disposition);
  if (!_parley_hub_cancel_offer (self, req->id, now, error) ||
      !parley_store_resolve_conversation (self->store, req->id, disposition, now, error) ||
      !_parley_hub_append_state (self, conversation, "resolved", req->agent->id, metadata, now, error) ||
      !_parley_hub_schedule_survey (self, conversation, now, error))
    return FALSE;
  if (!finish_conversation_change (self, req->id, json_object_get_int_member (conversation, "agent_id"), req->body, error))
    return FALSE;
  parley_router_remove (self->router, req->id);
  self->dispatch_needed = TRUE;

  if (holder != NULL && self->config->wrap_up > 0 && g_strcmp0 (holder->presence, "available") == 0)
    return _parley_hub_set_presence (self, holder, "wrap-up", NULL, now, error);
  return TRUE;
}

static void
handle_resolve (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;

  if (!body_text (req, "disposition", TRUE, 128, &error) ||
      !in_transaction (req, resolve_work, &error))
    {
      reply_error (req, error);
      return;
    }
  reply_object (req, SOUP_STATUS_OK, json_object_ref (json_object_get_object_member (req->body, "conversation")));
}

static gboolean
transfer_work (ParleyRequest  *req,
               gint64          now,
               GError        **error)
{
  ParleyHub *self = req->self;
  g_autoptr(JsonObject) conversation = held_conversation (req, error);
  g_autoptr(JsonObject) metadata = json_object_new ();
  gint64 to_agent = json_object_get_int_member_with_default (req->body, "agent", 0);
  gint64 to_queue = json_object_get_int_member_with_default (req->body, "queue_id", 0);
  const char *channel;

  if (conversation == NULL)
    return FALSE;
  channel = json_object_get_string_member (conversation, "channel");
  json_object_set_int_member (metadata, "from_agent_id", json_object_get_int_member (conversation, "agent_id"));
  if (!_parley_hub_cancel_offer (self, req->id, now, error))
    return FALSE;

  if (to_agent > 0)
    {
      json_object_set_int_member (metadata, "to_agent_id", to_agent);
      if (!parley_store_update_conversation (self->store, req->id, "assigned", to_agent, 0, NULL, now, error))
        return FALSE;
      parley_router_assign (self->router, req->id, to_agent, channel);
    }
  else
    {
      JsonObject *queue = _parley_hub_queue_json (self, to_queue);

      json_object_set_int_member (metadata, "to_queue_id", to_queue);
      if (!parley_store_update_conversation (self->store, req->id, "queued", 0, to_queue, NULL, now, error))
        return FALSE;
      parley_router_enqueue (self->router, req->id, to_queue, channel,
                             json_object_get_int_member (queue, "priority"), now, 0);
      self->dispatch_needed = TRUE;
    }
  return _parley_hub_append_state (self, conversation, "transferred", req->agent->id, metadata, now, error) &&
         finish_conversation_change (self, req->id, json_object_get_int_member (conversation, "agent_id"), req->body, error);
}

static void
handle_transfer (ParleyRequest *req)
{
  ParleyHub *self = req->self;
  g_autoptr(GError) error = NULL;
  gint64 to_agent = 0, to_queue = 0;
  JsonNode *queue = json_object_get_member (req->body, "queue");

  if (!parley_json_get_int (req->body, "agent", FALSE, &to_agent, &error))
    {
      reply_error (req, error);
      return;
    }
  /* A queue is named by id or by name. */
  if (queue != NULL && json_node_get_value_type (queue) == G_TYPE_INT64)
    to_queue = _parley_hub_queue_json (self, json_node_get_int (queue)) ? json_node_get_int (queue) : -1;
  else if (queue != NULL && json_node_get_value_type (queue) == G_TYPE_STRING)
    to_queue = _parley_hub_queue_by_name (self, json_node_get_string (queue)) ?: -1;
  else if (queue != NULL)
    to_queue = -1;

  if ((to_agent > 0) == (queue != NULL))
    {
      reply_new_error (req, PARLEY_ERROR_INVALID, "Give exactly one of “agent” or “queue”");
      return;
    }
  if (to_queue < 0)
    {
      reply_new_error (req, PARLEY_ERROR_INVALID, "No such queue");
      return;
    }
  if (to_agent > 0)
    {
      ParleyHubAgent *target = _parley_hub_lookup_agent (self, to_agent);

      if (target == NULL)
        {
          reply_new_error (req, PARLEY_ERROR_NOT_FOUND, "No agent has id %" G_GINT64_FORMAT, to_agent);
          return;
        }
      if (g_str_equal (target->presence, "offline"))
        {
          reply_new_error (req, PARLEY_ERROR_CONFLICT, "%s is offline",
                           json_object_get_string_member (target->record, "name"));
          return;
        }
    }
  json_object_set_int_member (req->body, "queue_id", to_queue);
  if (!in_transaction (req, transfer_work, &error))
    reply_error (req, error);
  else
    reply_object (req, SOUP_STATUS_OK, json_object_ref (json_object_get_object_member (req->body, "conversation")));
}

/* An answer the customer gave a supervisor by phone, typed in by them:
 * only supervisors may (customers answer through their channel), and the
 * event says who recorded it. */
static gboolean
survey_work (ParleyRequest  *req,
             gint64          now,
             GError        **error)
{
  ParleyHub *self = req->self;
  g_autoptr(JsonObject) conversation = parley_store_get_conversation (self->store, req->id, error);
  JsonObject *event;
  int nps = (int) json_object_get_int_member_with_default (req->body, "nps", -1);
  int csat = (int) json_object_get_int_member_with_default (req->body, "csat", -1);
  const char *comment = json_object_get_string_member_with_default (req->body, "comment", NULL);
  gint64 agent_id;

  if (conversation == NULL)
    return FALSE;
  agent_id = json_object_get_int_member (conversation, "agent_id");
  if (parley_store_add_survey_answer (self->store, req->id, agent_id, nps, csat, comment, now, error) <= 0 ||
      !(event = _parley_hub_append_survey_event (self, conversation, agent_id, 0, req->agent, nps, csat, comment, now, error)))
    return FALSE;
  json_object_set_object_member (req->body, "event", event);
  return TRUE;
}

static void
handle_survey (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;
  gint64 nps = -1, csat = -1;

  if (!parley_json_get_int (req->body, "nps", FALSE, &nps, &error) ||
      !parley_json_get_int (req->body, "csat", FALSE, &csat, &error) ||
      (body_text (req, "comment", FALSE, 4096, &error), error != NULL))
    {
      reply_error (req, error);
      return;
    }
  if ((nps == -1 && csat == -1) || nps < -1 || nps > 10 || csat == 0 || csat < -1 || csat > 5)
    {
      reply_new_error (req, PARLEY_ERROR_INVALID, "Give “nps” from 0 to 10 and/or “csat” from 1 to 5");
      return;
    }
  if (!in_transaction (req, survey_work, &error))
    reply_error (req, error);
  else
    reply_object (req, SOUP_STATUS_CREATED, wrap ("event", json_object_ref (json_object_get_object_member (req->body, "event"))));
}

/* ---- offers ------------------------------------------------------------- */

/* The offer, if it is the caller's and still open. */
static JsonObject *
open_offer (ParleyRequest  *req,
            GError        **error)
{
  g_autoptr(JsonObject) offer = parley_store_get_offer (req->self->store, req->id, error);

  if (offer == NULL)
    return NULL;
  if (json_object_get_int_member (offer, "agent_id") != req->agent->id)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_FORBIDDEN, "Offer %" G_GINT64_FORMAT " was made to another agent", req->id);
      return NULL;
    }
  if (!g_str_equal (json_object_get_string_member (offer, "state"), "offered") ||
      parley_router_pending_offer (req->self->router, json_object_get_int_member (offer, "conversation_id")) != req->id)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT, "Offer %" G_GINT64_FORMAT " is %s", req->id,
                   json_object_get_string_member (offer, "state"));
      return NULL;
    }
  return g_steal_pointer (&offer);
}

static gboolean
accept_work (ParleyRequest  *req,
             gint64          now,
             GError        **error)
{
  ParleyHub *self = req->self;
  g_autoptr(JsonObject) offer = open_offer (req, error);
  g_autoptr(JsonObject) conversation = NULL;
  g_autoptr(JsonObject) metadata = json_object_new ();
  gint64 conversation_id;

  if (offer == NULL)
    return FALSE;
  conversation_id = json_object_get_int_member (offer, "conversation_id");
  json_object_set_int_member (metadata, "offer_id", req->id);
  /* The timeline says to whom. */
  json_object_set_string_member (metadata, "agent_name", json_object_get_string_member_with_default (req->agent->record, "name", ""));
  if (!parley_store_decide_offer (self->store, req->id, "accepted", now, error) ||
      !parley_store_update_conversation (self->store, conversation_id, "assigned", req->agent->id, 0, NULL, now, error) ||
      !(conversation = parley_store_get_conversation (self->store, conversation_id, error)))
    return FALSE;
  parley_router_offer_accepted (self->router, conversation_id);
  g_hash_table_remove (self->offers_shown, &req->id);
  return _parley_hub_append_state (self, conversation, "assigned", req->agent->id, metadata, now, error) &&
         finish_conversation_change (self, conversation_id, 0, req->body, error);
}

static gboolean
reject_work (ParleyRequest  *req,
             gint64          now,
             GError        **error)
{
  ParleyHub *self = req->self;
  g_autoptr(JsonObject) offer = open_offer (req, error);
  gint64 conversation_id;

  if (offer == NULL)
    return FALSE;
  conversation_id = json_object_get_int_member (offer, "conversation_id");
  if (!parley_store_decide_offer (self->store, req->id, "rejected", now, error) ||
      !parley_store_update_conversation (self->store, conversation_id, "queued", 0, 0, NULL, now, error))
    return FALSE;
  parley_router_offer_declined (self->router, conversation_id, now);
  g_hash_table_remove (self->offers_shown, &req->id);
  self->dispatch_needed = TRUE;
  return finish_conversation_change (self, conversation_id, 0, req->body, error);
}

static void
decide_offer (ParleyRequest *req,
              ParleyWork     work)
{
  g_autoptr(GError) error = NULL;

  req->body = json_object_new ();
  if (!in_transaction (req, work, &error))
    reply_error (req, error);
  else
    reply_object (req, SOUP_STATUS_OK, json_object_ref (json_object_get_object_member (req->body, "conversation")));
}

static void
handle_accept (ParleyRequest *req)
{
  decide_offer (req, accept_work);
}

static void
handle_reject (ParleyRequest *req)
{
  decide_offer (req, reject_work);
}

/* POST /offers/{id}/shown: the desktop displayed the offer, so letting it
 * expire counts as missing it (see expire_offers). Kept in memory only: a
 * restart withdraws every open offer anyway. */
static void
handle_offer_shown (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) offer = open_offer (req, &error);

  if (offer == NULL)
    {
      reply_error (req, error);
      return;
    }
  g_hash_table_add (req->self->offers_shown, g_memdup2 (&req->id, sizeof req->id));
  soup_server_message_set_status (req->msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* ---- privacy ------------------------------------------------------------ */

/* GET /customers/{id}/export: everything about the customer, one tar. */
static void
handle_export (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) archive = _parley_hub_export_customer (req->self, req->id, req->agent->id, &error);
  g_autofree char *disposition = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);

  if (archive == NULL)
    {
      reply_error (req, error);
      return;
    }
  disposition = g_strdup_printf ("attachment; filename=\"customer-%" G_GINT64_FORMAT ".tar\"", req->id);
  soup_message_headers_replace (headers, "Content-Disposition", disposition);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_response (req->msg, "application/x-tar", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (archive, NULL), g_bytes_get_size (archive));
  soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
}

static gboolean
erase_work (ParleyRequest  *req,
            gint64          now,
            GError        **error)
{
  return _parley_hub_erase_customer (req->self, req->id, req->agent->id, now, error);
}

/* POST /customers/{id}/erase */
static void
handle_erase (ParleyRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonObject *body;

  if (!in_transaction (req, erase_work, &error))
    {
      reply_error (req, error);
      return;
    }
  body = json_object_new ();
  json_object_set_int_member (body, "erased", req->id);
  reply_object (req, SOUP_STATUS_OK, body);
}

/* ---- dispatch ----------------------------------------------------------- */

/* ---- channel settings ------------------------------------------------------- */

/* The declaration of the channel a settings request names, running or
 * idle (its start failed, for want of settings perhaps), or NULL (404
 * answered). */
static ParleyChannelInfo *
settings_channel (ParleyRequest *req)
{
  ParleyChannelInfo *info = _parley_hub_get_declaration (req->self, req->name);

  if (info == NULL)
    reply_new_error (req, PARLEY_ERROR_NOT_FOUND, "No channel plugin for “%s” is loaded on this hub", req->name);
  return info;
}

/* {"channel","settings":[declaration + "source" ("config", "stored" or
 * "default") + "value" (never a secret's: "set" instead)]}. */
static JsonObject *
settings_json (ParleyHub         *self,
               ParleyChannelInfo *info)
{
  const char *kind = parley_channel_info_get_kind (info);
  GPtrArray *settings = parley_channel_info_get_settings (info);
  JsonObject *body = json_object_new ();
  JsonArray *list = json_array_new ();

  for (guint i = 0; settings && i < settings->len; i++)
    {
      ParleyChannelSetting *setting = g_ptr_array_index (settings, i);
      const char *name = parley_channel_setting_get_name (setting);
      JsonObject *object = parley_channel_setting_to_json (setting);
      g_autofree char *configured = parley_config_get_channel (self->config, kind, name);
      g_autofree char *stored = configured ? NULL : parley_store_get_setting (self->store, kind, name);
      const char *value = configured ? configured : stored ? stored : parley_channel_setting_get_default (setting);

      json_object_set_string_member (object, "source", configured ? "config" : stored ? "stored" : "default");
      if (parley_channel_setting_get_secret (setting))
        json_object_set_boolean_member (object, "set", configured || stored);
      else if (value != NULL)
        json_object_set_string_member (object, "value", value);
      json_array_add_object_element (list, object);
    }
  json_object_set_string_member (body, "channel", kind);
  json_object_set_array_member (body, "settings", list);
  return body;
}

/* GET /api/v1/channels/{kind}/settings */
static void
handle_channel_settings (ParleyRequest *req)
{
  ParleyChannelInfo *info = settings_channel (req);

  if (info != NULL)
    reply_object (req, SOUP_STATUS_OK, settings_json (req->self, info));
}

typedef struct
{
  char *name;
  char *value;   /* NULL: unset */
} ParleySettingChange;

static void
setting_change_clear (gpointer data)
{
  ParleySettingChange *change = data;

  g_free (change->name);
  g_free (change->value);
}

/* The changes a PATCH body asks for, each checked against the channel's
 * declaration: {"name": "value" | number | boolean | null}. */
static GArray *
read_setting_changes (ParleyRequest      *req,
                      ParleyChannelInfo  *info,
                      GError            **error)
{
  const char *kind = parley_channel_info_get_kind (info);
  g_autoptr(GArray) changes = g_array_new (FALSE, TRUE, sizeof (ParleySettingChange));
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_array_set_clear_func (changes, setting_change_clear);
  json_object_iter_init (&iter, req->body);
  while (json_object_iter_next (&iter, &name, &node))
    {
      g_autofree char *configured = parley_config_get_channel (req->self->config, kind, name);
      g_autofree char *text = NULL;
      ParleySettingChange change = { g_strdup (name), NULL };

      g_array_append_val (changes, change);
      if (configured != NULL)
        {
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT,
                       "“%s” is set in the config file ([channel:%s]); change it there", name, kind);
          return NULL;
        }
      if (JSON_NODE_HOLDS_NULL (node))
        {
          if (!parley_channel_info_check_setting (info, name, NULL, NULL, error))
            return NULL;
          continue;
        }
      if (!JSON_NODE_HOLDS_VALUE (node))
        {
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Setting “%s” takes a string, number or boolean", name);
          return NULL;
        }
      text = json_node_get_value_type (node) == G_TYPE_STRING ? g_strdup (json_node_get_string (node))
           : json_node_get_value_type (node) == G_TYPE_BOOLEAN ? g_strdup (json_node_get_boolean (node) ? "true" : "false")
           : json_node_get_value_type (node) == G_TYPE_INT64 ? g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node))
           : NULL;
      if (text == NULL)
        {
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Setting “%s” takes a string, a whole number or a boolean", name);
          return NULL;
        }
      if (!parley_channel_info_check_setting (info, name, text,
                                              &g_array_index (changes, ParleySettingChange, changes->len - 1).value, error))
        return NULL;
    }
  return g_steal_pointer (&changes);
}

/* Keeps @changes; the answer to @held (if any) waits until they are on disk. */
static gboolean
store_settings (ParleyHub          *self,
                const char         *kind,
                GArray             *changes,
                SoupServerMessage  *held,
                GError            **error)
{
  if (!_parley_hub_begin (self, error))
    return FALSE;
  for (guint i = 0; i < changes->len; i++)
    {
      ParleySettingChange *change = &g_array_index (changes, ParleySettingChange, i);

      if (!parley_store_set_setting (self->store, kind, change->name, change->value, error))
        return _parley_hub_fail_transaction (self, error);
    }
  return _parley_hub_commit (self, held, error);
}

/* PATCH /api/v1/channels/{kind}/settings: checked against the channel's
 * declaration, kept, and applied by starting the channel again; if it
 * does not start with them, the settings it had are put back. */
static void
handle_update_channel_settings (ParleyRequest *req)
{
  ParleyChannelInfo *info = settings_channel (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) start_error = NULL;
  g_autoptr(GArray) changes = NULL;
  g_autoptr(GArray) before = NULL;
  gboolean was_running = _parley_hub_get_channel (req->self, req->name) != NULL;

  if (info == NULL)
    return;
  if (!(changes = read_setting_changes (req, info, &error)))
    {
      reply_error (req, error);
      return;
    }
  before = g_array_new (FALSE, TRUE, sizeof (ParleySettingChange));
  g_array_set_clear_func (before, setting_change_clear);
  for (guint i = 0; i < changes->len; i++)
    {
      const char *name = g_array_index (changes, ParleySettingChange, i).name;
      ParleySettingChange old = { g_strdup (name), parley_store_get_setting (req->self->store, req->name, name) };

      g_array_append_val (before, old);
    }
  if (!store_settings (req->self, req->name, changes, req->msg, &error))
    {
      reply_error (req, error);
      return;
    }
  if (!_parley_hub_restart_channel (req->self, req->name, &start_error))
    {
      g_autoptr(GError) restore_error = NULL;

      /* A channel that ran runs on as it did; an idle one stays idle. */
      if (!store_settings (req->self, req->name, before, NULL, &restore_error) ||
          (was_running && !_parley_hub_restart_channel (req->self, req->name, &restore_error)))
        g_warning ("Channel %s is left without its former settings: %s", req->name, restore_error->message);
      reply_new_error (req, PARLEY_ERROR_INVALID, "Channel %s did not start with these settings, so they were not kept: %s",
                       req->name, start_error->message);
      return;
    }
  reply_object (req, SOUP_STATUS_OK, settings_json (req->self, info));
}

static const ParleyRoute routes[] = {
  { "GET",   "health",                    0,                      FALSE, handle_health },
  { "GET",   "channels",                  PARLEY_ROLE_AGENT,      FALSE, handle_channels },
  { "GET",   "connectors",                PARLEY_ROLE_SUPERVISOR, FALSE, handle_connectors },
  { "GET",   "channels/$/settings",       PARLEY_ROLE_ADMIN,      FALSE, handle_channel_settings },
  { "PATCH", "channels/$/settings",       PARLEY_ROLE_ADMIN,      TRUE,  handle_update_channel_settings },
  { "POST",  "auth/login",                0,                      TRUE,  handle_login },
  { "POST",  "auth/logout",               PARLEY_ROLE_AGENT,      FALSE, handle_logout },
  { "GET",   "agents/me",                 PARLEY_ROLE_AGENT,      FALSE, handle_me },
  { "PUT",   "agents/me/presence",        PARLEY_ROLE_AGENT,      TRUE,  handle_presence },
  { "GET",   "agents",                    PARLEY_ROLE_SUPERVISOR, FALSE, handle_agents },
  { "POST",  "agents",                    PARLEY_ROLE_ADMIN,      TRUE,  handle_create_agent },
  { "PATCH", "agents/*",                  PARLEY_ROLE_ADMIN,      TRUE,  handle_update_agent },
  { "PUT",   "agents/*/presence",         PARLEY_ROLE_SUPERVISOR, TRUE,  handle_presence },
  { "GET",   "queues",                    PARLEY_ROLE_AGENT,      FALSE, handle_queues },
  { "POST",  "queues",                    PARLEY_ROLE_ADMIN,      TRUE,  handle_create_queue },
  { "PATCH", "queues/*",                  PARLEY_ROLE_ADMIN,      TRUE,  handle_update_queue },
  { "GET",   "metrics/live",              PARLEY_ROLE_SUPERVISOR, FALSE, handle_metrics },
  { "GET",   "metrics/trend",             PARLEY_ROLE_SUPERVISOR, FALSE, handle_metrics_trend },
  { "GET",   "surveys",                   PARLEY_ROLE_SUPERVISOR, FALSE, handle_surveys },
  { "GET",   "metrics",                   PARLEY_ROLE_SUPERVISOR, FALSE, handle_metrics_history },
  { "GET",   "customers",                 PARLEY_ROLE_AGENT,      FALSE, handle_customers },
  { "GET",   "customers/*",               PARLEY_ROLE_AGENT,      FALSE, handle_customer },
  { "PATCH", "customers/*",               PARLEY_ROLE_AGENT,      TRUE,  handle_update_customer },
  { "GET",   "customers/*/timeline",      PARLEY_ROLE_AGENT,      FALSE, handle_timeline },
  { "POST",  "customers/*/merge",         PARLEY_ROLE_AGENT,      TRUE,  handle_merge },
  { "POST",  "customers/*/unmerge",       PARLEY_ROLE_AGENT,      TRUE,  handle_unmerge },
  { "POST",  "customers/*/identities",    PARLEY_ROLE_AGENT,      TRUE,  handle_link },
  { "GET",   "customers/*/export",        PARLEY_ROLE_ADMIN,      FALSE, handle_export },
  { "POST",  "customers/*/erase",         PARLEY_ROLE_ADMIN,      FALSE, handle_erase },
  { "GET",   "conversations",             PARLEY_ROLE_AGENT,      FALSE, handle_conversations },
  { "GET",   "conversations/*",           PARLEY_ROLE_AGENT,      FALSE, handle_conversation },
  { "POST",  "conversations/*/messages",  PARLEY_ROLE_AGENT,      TRUE,  handle_send_message },
  { "POST",  "conversations/*/attachments", PARLEY_ROLE_AGENT,    FALSE, handle_upload },
  { "POST",  "conversations/*/notes",     PARLEY_ROLE_AGENT,      TRUE,  handle_note },
  { "POST",  "conversations/*/activity",  PARLEY_ROLE_AGENT,      TRUE,  handle_activity },
  { "POST",  "conversations/*/resolve",   PARLEY_ROLE_AGENT,      TRUE,  handle_resolve },
  { "POST",  "conversations/*/transfer",  PARLEY_ROLE_AGENT,      TRUE,  handle_transfer },
  { "GET",   "conversations/*/colleagues", PARLEY_ROLE_AGENT,     FALSE, handle_colleagues },
  { "POST",  "conversations/*/survey",    PARLEY_ROLE_SUPERVISOR, TRUE,  handle_survey },
  { "POST",  "offers/*/accept",           PARLEY_ROLE_AGENT,      FALSE, handle_accept },
  { "POST",  "offers/*/reject",           PARLEY_ROLE_AGENT,      FALSE, handle_reject },
  { "POST",  "offers/*/shown",            PARLEY_ROLE_AGENT,      FALSE, handle_offer_shown },
};

/* Whether path segments match a pattern; "*" takes a positive id, "$" a
 * name (kept in *@name). Returns FALSE for a malformed id so the caller can
 * answer 404. */
static gboolean
path_matches (char       **segments,
              const char  *pattern,
              gint64      *id,
              const char **name)
{
  g_auto(GStrv) parts = g_strsplit (pattern, "/", -1);
  guint n = g_strv_length (parts);

  if (g_strv_length (segments) != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (g_str_equal (parts[i], "*"))
        {
          if (!g_ascii_string_to_signed (segments[i], 10, 1, G_MAXINT64, id, NULL))
            return FALSE;
        }
      else if (g_str_equal (parts[i], "$"))
        *name = segments[i];
      else if (!g_str_equal (parts[i], segments[i]))
        return FALSE;
    }
  return TRUE;
}

static ParleyHubAgent *
authenticate (ParleyHub         *self,
              SoupServerMessage *msg)
{
  return _parley_hub_lookup_agent (self, _parley_hub_authenticate (self, parley_http_bearer_token (msg)));
}

static void
api_cb (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  ParleyHub *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) segments = NULL;
  g_autoptr(GError) error = NULL;
  const ParleyRoute *route = NULL;
  gboolean path_known = FALSE;
  ParleyRequest *req;
  const char *name = NULL;
  gint64 id = 0;

  if (!g_str_has_prefix (path, API_PREFIX))
    {
      g_set_error (&error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND, "Nothing lives at %s", path);
      parley_http_reply_error (msg, error);
      return;
    }
  /* Below a channel's prefix, its plugin's routes; "settings" is the hub's. */
  segments = g_strsplit (path + strlen (API_PREFIX), "/", 3);
  if (g_strv_length (segments) == 3 && g_str_equal (segments[0], "channels") && !g_str_equal (segments[2], "settings"))
    {
      g_autofree char *address = parley_host_dup_client_address (PARLEY_HOST (self), msg);

      parley_channel_routes_dispatch (self->channel_routes, msg, segments[1], segments[2], query, address);
      return;
    }
  g_clear_pointer (&segments, g_strfreev);
  segments = g_strsplit (path + strlen (API_PREFIX), "/", -1);
  for (guint i = 0; i < G_N_ELEMENTS (routes) && route == NULL; i++)
    if (path_matches (segments, routes[i].path, &id, &name))
      {
        path_known = TRUE;
        if (g_str_equal (routes[i].method, method))
          route = &routes[i];
      }
  if (route == NULL)
    {
      if (path_known)
        g_set_error (&error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "%s is not allowed on %s", method, path);
      else
        g_set_error (&error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND, "Nothing lives at %s", path);
      parley_http_reply_error (msg, error);
      if (path_known)
        soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  req = g_new0 (ParleyRequest, 1);
  req->self = self;
  req->msg = g_object_ref (msg);
  req->id = id;
  req->name = g_strdup (name);
  req->query = query ? g_hash_table_ref (query) : NULL;

  if (route->role > 0)
    {
      req->agent = authenticate (self, msg);
      if (req->agent == NULL)
        g_set_error_literal (&error, PARLEY_ERROR, PARLEY_ERROR_UNAUTHORIZED,
                             "Log in first: send “Authorization: Bearer TOKEN”");
      else if (req->agent->role < route->role)
        g_set_error_literal (&error, PARLEY_ERROR, PARLEY_ERROR_FORBIDDEN,
                             "Your role may not do this");
    }
  if (error == NULL && route->body)
    req->body = parley_http_read_object (msg, self->config->max_body_size, &error);

  if (error != NULL)
    reply_error (req, error);
  else
    route->handler (req);
  if (!req->paused)
    request_free (req);
}

/* GET /api/v1/attachments/{id}: a file a customer or an agent sent, for
 * agents. Served as a download that no browser or viewer would run as a
 * page. */
static void
attachment_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  ParleyHub *self = user_data;
  const char *id = path + strlen ("/api/v1/attachments/");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(JsonObject) attachment = NULL;

  if (!g_str_has_prefix (path, "/api/v1/attachments/") || *id == '\0' || strchr (id, '/'))
    g_set_error (&error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND, "Nothing lives at %s", path);
  else if (!g_str_equal (soup_server_message_get_method (msg), "GET"))
    g_set_error (&error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Attachments are fetched with GET");
  else if (authenticate (self, msg) == NULL)
    g_set_error_literal (&error, PARLEY_ERROR, PARLEY_ERROR_UNAUTHORIZED, "Log in first: send “Authorization: Bearer TOKEN”");
  else
    attachment = parley_store_load_attachment (self->store, id, &data, &error);
  if (attachment == NULL)
    {
      parley_http_reply_error (msg, error);
      return;
    }
  parley_http_reply_file (msg, attachment, data);
}

gboolean
_parley_hub_setup_api (ParleyHub  *self,
                       GError    **error)
{
  g_autofree char *nobody = parley_auth_new_token ();

  self->login_throttle = parley_login_throttle_new ();
  if (!(self->password_workers = g_thread_pool_new (password_worker, NULL, PASSWORD_WORKERS, FALSE, error)) ||
      !(self->dummy_hash = parley_auth_hash_password (nobody, self->config->password_strength, error)))
    return FALSE;
  soup_server_add_handler (self->server, "/api", api_cb, self, NULL);
  soup_server_add_handler (self->server, "/api/v1/attachments", attachment_cb, self, NULL);
  return TRUE;
}
