/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-sqlite-store"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include "parley-error.h"
#include "parley-http.h"
#include "parley-identity.h"
#include "parley-search-text.h"
#include "parley-sqlite-store.h"

/* ParleyStore on one SQLite connection: WAL with synchronous=FULL, so a
 * commit that returned survives a crash or power loss. Every query is a
 * persistent prepared statement cached by its SQL text; values are only
 * ever bound, never written into SQL. */

struct _ParleySqliteStore
{
  ParleyStore  parent_instance;

  char        *path;
  sqlite3     *db;
  GHashTable  *statements;   /* SQL text (a copy the table owns) → sqlite3_stmt */
  gboolean     lazy;         /* in a transaction begun with begin_lazy */
  GMutex       checkpoint_lock; /* one checkpoint at a time on the worker threads */
  sqlite3     *checkpointer; /* the workers' own connection, for checkpoints */
  int          wal_frames;   /* frames in the log after the last commit (atomic) */
  int          checkpointed_frames; /* of those, copied by the last checkpoint */
};

static void parley_sqlite_store_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ParleySqliteStore, parley_sqlite_store, PARLEY_TYPE_STORE,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      parley_sqlite_store_initable_iface_init))

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One entry per schema version, applied in order; never edit a released one,
 * add a new step instead. */
static const char * const migrations[] = {
  "CREATE TABLE settings ("
  "  scope TEXT NOT NULL,"
  "  key   TEXT NOT NULL,"
  "  value TEXT,"
  "  PRIMARY KEY (scope, key)"
  ") WITHOUT ROWID;"

  "CREATE TABLE agents ("
  "  id             INTEGER PRIMARY KEY,"
  "  login          TEXT NOT NULL UNIQUE,"
  "  name           TEXT NOT NULL,"
  "  role           TEXT NOT NULL,"
  "  password_hash  TEXT,"
  "  skills         TEXT NOT NULL DEFAULT '{}',"
  "  capacity       TEXT NOT NULL DEFAULT '{}',"
  "  presence       TEXT NOT NULL DEFAULT 'offline',"
  "  reason         TEXT,"
  "  presence_since INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE agent_presence ("
  "  id       INTEGER PRIMARY KEY,"
  "  agent_id INTEGER NOT NULL REFERENCES agents (id),"
  "  state    TEXT NOT NULL,"
  "  reason   TEXT,"
  "  at       INTEGER NOT NULL"
  ");"
  "CREATE INDEX agent_presence_agent ON agent_presence (agent_id, at);"
  "CREATE TABLE tokens ("
  "  hash     TEXT PRIMARY KEY,"
  "  agent_id INTEGER NOT NULL REFERENCES agents (id),"
  "  expires  INTEGER NOT NULL"
  ") WITHOUT ROWID;"

  "CREATE TABLE queues ("
  "  id            INTEGER PRIMARY KEY,"
  "  name          TEXT NOT NULL UNIQUE,"
  "  priority      INTEGER NOT NULL DEFAULT 0,"
  "  skills        TEXT NOT NULL DEFAULT '{}',"
  "  relax_after   INTEGER NOT NULL DEFAULT 0,"
  "  service_level TEXT NOT NULL DEFAULT '{}'"
  ");"

  "CREATE TABLE customers ("
  "  id          INTEGER PRIMARY KEY,"
  "  name        TEXT NOT NULL,"
  "  attributes  TEXT NOT NULL DEFAULT '{}',"
  "  merged_into INTEGER REFERENCES customers (id),"
  "  created     INTEGER NOT NULL,"
  "  updated     INTEGER NOT NULL"
  ");"
  "CREATE INDEX customers_recent ON customers (updated DESC, id DESC) WHERE merged_into IS NULL;"
  "CREATE TABLE identities ("
  "  id          INTEGER PRIMARY KEY,"
  "  kind        TEXT NOT NULL,"
  "  value       TEXT NOT NULL,"
  "  customer_id INTEGER NOT NULL REFERENCES customers (id),"
  "  UNIQUE (kind, value)"
  ");"
  "CREATE INDEX identities_customer ON identities (customer_id);"
  /* The ids each merge moved, as JSON arrays, so unmerge moves exactly
   * those back. */
  "CREATE TABLE merges ("
  "  id               INTEGER PRIMARY KEY,"
  "  survivor_id      INTEGER NOT NULL REFERENCES customers (id),"
  "  absorbed_id      INTEGER NOT NULL REFERENCES customers (id),"
  "  agent_id         INTEGER REFERENCES agents (id),"
  "  created          INTEGER NOT NULL,"
  "  undone_at        INTEGER NOT NULL DEFAULT 0,"
  "  identity_ids     TEXT NOT NULL,"
  "  conversation_ids TEXT NOT NULL,"
  "  event_ids        TEXT NOT NULL"
  ");"

  /* last_agent_id outlives agent_id, which a transfer or requeue clears,
   * for routing back to whoever helped the customer last. */
  "CREATE TABLE conversations ("
  "  id                INTEGER PRIMARY KEY,"
  "  customer_id       INTEGER NOT NULL REFERENCES customers (id),"
  "  queue_id          INTEGER NOT NULL REFERENCES queues (id),"
  "  channel           TEXT NOT NULL,"
  "  state             TEXT NOT NULL DEFAULT 'queued'"
  "                    CHECK (state IN ('queued', 'offered', 'assigned', 'wrap-up', 'resolved')),"
  "  priority          INTEGER NOT NULL DEFAULT 0,"
  "  agent_id          INTEGER REFERENCES agents (id),"
  "  last_agent_id     INTEGER REFERENCES agents (id),"
  "  created           INTEGER NOT NULL,"
  "  updated           INTEGER NOT NULL,"
  "  first_response_at INTEGER NOT NULL DEFAULT 0,"
  "  resolved_at       INTEGER NOT NULL DEFAULT 0,"
  "  disposition       TEXT"
  ");"
  "CREATE INDEX conversations_customer ON conversations (customer_id, updated);"
  "CREATE INDEX conversations_state ON conversations (state, priority DESC, created);"
  "CREATE INDEX conversations_resolved ON conversations (resolved_at) WHERE state = 'resolved';"

  "CREATE TABLE events ("
  "  id              INTEGER PRIMARY KEY,"
  "  conversation_id INTEGER REFERENCES conversations (id),"
  "  customer_id     INTEGER NOT NULL REFERENCES customers (id),"
  "  channel         TEXT NOT NULL,"
  "  kind            TEXT NOT NULL,"
  "  direction       TEXT NOT NULL CHECK (direction IN ('in', 'out', 'internal')),"
  "  agent_id        INTEGER REFERENCES agents (id),"
  "  author_name     TEXT,"
  "  text            TEXT,"
  "  html            TEXT,"
  "  metadata        TEXT NOT NULL DEFAULT '{}',"
  "  external_id     TEXT,"
  "  delivery        TEXT CHECK (delivery IN ('pending', 'delivered', 'failed')),"
  "  created         INTEGER NOT NULL"
  ");"
  "CREATE UNIQUE INDEX events_external ON events (channel, external_id) WHERE external_id IS NOT NULL;"
  "CREATE INDEX events_customer ON events (customer_id, id DESC);"
  "CREATE INDEX events_customer_channel ON events (customer_id, channel, id DESC);"
  "CREATE INDEX events_conversation ON events (conversation_id);"
  "CREATE INDEX events_created ON events (created);"
  /* Recency follows the newest event, whoever appends it. Only newer
   * events move it (imported history may be older), and a row created with
   * the event is left alone, which keeps the common inbound path cheap. */
  "CREATE TRIGGER events_touch AFTER INSERT ON events "
  "BEGIN"
  "  UPDATE customers SET updated = NEW.created WHERE id = NEW.customer_id AND updated < NEW.created;"
  "  UPDATE conversations SET updated = NEW.created WHERE id = NEW.conversation_id AND updated < NEW.created;"
  "END;"

  "CREATE TABLE offers ("
  "  id              INTEGER PRIMARY KEY,"
  "  conversation_id INTEGER NOT NULL REFERENCES conversations (id),"
  "  agent_id        INTEGER NOT NULL REFERENCES agents (id),"
  "  state           TEXT NOT NULL DEFAULT 'offered'"
  "                  CHECK (state IN ('offered', 'accepted', 'rejected', 'expired', 'cancelled')),"
  "  created         INTEGER NOT NULL,"
  "  expires         INTEGER NOT NULL,"
  "  decided         INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX offers_open ON offers (id) WHERE state = 'offered';"
  "CREATE INDEX offers_created ON offers (created);"

  "CREATE TABLE outbox ("
  "  id           INTEGER PRIMARY KEY,"
  "  event_id     INTEGER NOT NULL REFERENCES events (id),"
  "  channel      TEXT NOT NULL,"
  "  payload      TEXT NOT NULL,"
  "  attempts     INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt INTEGER NOT NULL,"
  "  delivered    INTEGER NOT NULL DEFAULT 0,"
  "  last_error   TEXT"
  ");"
  "CREATE INDEX outbox_due ON outbox (next_attempt) WHERE delivered = 0;"

  "CREATE TABLE survey_answers ("
  "  id              INTEGER PRIMARY KEY,"
  "  conversation_id INTEGER NOT NULL REFERENCES conversations (id),"
  "  agent_id        INTEGER REFERENCES agents (id),"
  "  nps             INTEGER CHECK (nps BETWEEN 0 AND 10),"
  "  csat            INTEGER CHECK (csat BETWEEN 1 AND 5),"
  "  comment         TEXT,"
  "  created         INTEGER NOT NULL"
  ");"
  "CREATE INDEX survey_answers_conversation ON survey_answers (conversation_id);",

  /* 2: files customers send (chat attachments), kept with the timeline. */
  "CREATE TABLE attachments ("
  "  id      TEXT PRIMARY KEY,"
  "  owner   TEXT NOT NULL,"
  "  name    TEXT NOT NULL,"
  "  type    TEXT NOT NULL,"
  "  size    INTEGER NOT NULL,"
  "  data    BLOB NOT NULL,"
  "  created INTEGER NOT NULL"
  ");",

  /* 3: per-queue settings (wallboard targets, surveys), and the surveys the
   * hub asks after a conversation is resolved, step by step. */
  "ALTER TABLE queues ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';"
  "CREATE TABLE surveys ("
  "  id              INTEGER PRIMARY KEY,"
  "  conversation_id INTEGER NOT NULL REFERENCES conversations (id),"
  "  customer_id     INTEGER NOT NULL REFERENCES customers (id),"
  "  agent_id        INTEGER REFERENCES agents (id),"
  "  queue_id        INTEGER NOT NULL REFERENCES queues (id),"
  "  channel         TEXT NOT NULL,"
  "  state           TEXT NOT NULL DEFAULT 'scheduled',"
  "  step            TEXT,"
  "  retried         INTEGER NOT NULL DEFAULT 0,"
  "  answer_id       INTEGER REFERENCES survey_answers (id),"
  "  due_at          INTEGER NOT NULL,"
  "  asked_at        INTEGER NOT NULL DEFAULT 0,"
  "  created         INTEGER NOT NULL"
  ");"
  "CREATE INDEX surveys_due ON surveys (due_at) WHERE state = 'scheduled';"
  "CREATE INDEX surveys_customer ON surveys (customer_id, created);",

  /* 4: files agents send, each for one conversation; only that
   * conversation's messages may carry it. */
  "ALTER TABLE attachments ADD COLUMN conversation_id INTEGER REFERENCES conversations (id);",

  /* 5: a file is kept for good once a message carries it; one uploaded and
   * never sent can be forgotten. Files from before are all kept. */
  "ALTER TABLE attachments ADD COLUMN sent INTEGER NOT NULL DEFAULT 1;"
  "CREATE INDEX attachments_unsent ON attachments (created) WHERE sent = 0;"
  "CREATE TRIGGER events_attachment_sent AFTER INSERT ON events "
  "WHEN json_extract (NEW.metadata, '$.attachment.id') IS NOT NULL "
  "BEGIN"
  "  UPDATE attachments SET sent = 1 WHERE id = json_extract (NEW.metadata, '$.attachment.id') AND sent = 0;"
  "END;",

  /* 6: privacy. An erased customer keeps its row (conversations and the
   * figures refer to it) but nothing personal; what admins did to
   * customers' data stays in an audit log; files that reach the end of
   * their retention are found from the messages that carried them. */
  "ALTER TABLE customers ADD COLUMN erased_at INTEGER NOT NULL DEFAULT 0;"
  "CREATE TABLE audit_log ("
  "  id          INTEGER PRIMARY KEY,"
  "  at          INTEGER NOT NULL,"
  "  agent_id    INTEGER REFERENCES agents (id),"
  "  action      TEXT NOT NULL,"
  "  customer_id INTEGER REFERENCES customers (id),"
  "  details     TEXT NOT NULL DEFAULT '{}'"
  ");"
  "CREATE INDEX audit_log_customer ON audit_log (customer_id);"
  "CREATE INDEX customers_merged ON customers (merged_into) WHERE merged_into IS NOT NULL;"
  "CREATE INDEX attachments_created ON attachments (created);"
  "CREATE INDEX events_attachment ON events (json_extract (metadata, '$.attachment.id')) "
  "WHERE json_extract (metadata, '$.attachment.id') IS NOT NULL;",

  /* 7: searches ignore case in every language (SQLite's lower () and LIKE
   * fold ASCII only): what customer search compares, folded as
   * parley_search_text_fold () does (parley_fold (), which the store
   * registers), is kept beside the original. */
  "ALTER TABLE customers ADD COLUMN search_name TEXT NOT NULL DEFAULT '';"
  "UPDATE customers SET search_name = parley_fold (name);"
  "ALTER TABLE identities ADD COLUMN search_value TEXT NOT NULL DEFAULT '';"
  "UPDATE identities SET search_value = parley_fold (value);",

  /* 8: phone numbers and email domains as parley_identity_normalize ()
   * spells them now (libphonenumber, IDN); renormalize_identities () does
   * it after this. */
  "",
};

/* Result columns holding JSON text, handed out as JSON values. */
static const char * const json_columns[] = {
  "skills", "capacity", "service_level", "settings", "attributes", "identities", "metadata", "last_event",
  "sender", "details", NULL
};

/* Column lists shaped as parley-store.h documents; "0 = none" ids are NULL
 * in the tables so foreign keys hold. */
#define AGENT_COLUMNS \
  "id, login, name, role, skills, capacity, presence, reason, presence_since"
#define QUEUE_COLUMNS \
  "id, name, priority, skills, relax_after, service_level, settings"
#define CUSTOMER_COLUMNS \
  "id, name, attributes, " \
  "(SELECT json_group_array (json_object ('kind', kind, 'value', value)) " \
  " FROM (SELECT kind, value FROM identities WHERE customer_id = customers.id ORDER BY id)) AS identities, " \
  "created, IFNULL (merged_into, 0) AS merged_into"
#define CONVERSATION_COLUMNS \
  "id, customer_id, queue_id, channel, state, priority, IFNULL (agent_id, 0) AS agent_id, " \
  "created, updated, first_response_at, resolved_at, disposition, " \
  "(SELECT name FROM customers WHERE customers.id = conversations.customer_id) AS customer_name, " \
  "(SELECT json_object ('id', e.id, 'channel', e.channel, 'kind', e.kind, 'direction', e.direction, " \
  "                     'text', substr (e.text, 1, 160), 'created', e.created) " \
  " FROM events e WHERE e.conversation_id = conversations.id AND e.kind IN ('message', 'note') " \
  " ORDER BY e.id DESC LIMIT 1) AS last_event"
#define EVENT_COLUMNS \
  "id, IFNULL (conversation_id, 0) AS conversation_id, customer_id, channel, kind, direction, " \
  "IFNULL (agent_id, 0) AS agent_id, author_name, text, html, metadata, external_id, delivery, created"
#define OFFER_COLUMNS \
  "id, conversation_id, agent_id, state, created, expires, decided"
#define OUTBOUND_COLUMNS \
  "id, event_id, channel, payload, attempts, next_attempt"
#define MERGE_COLUMNS \
  "id, survivor_id, absorbed_id, IFNULL (agent_id, 0) AS agent_id, created, undone_at"

/* What a merge moves, each as (merge id, from customer, to customer), so
 * the same statements merge and unmerge. Rows moved elsewhere since stay
 * where they are. The last one brings along events appended to a moved
 * conversation after the merge. */
static const char * const merge_moves[] = {
  "UPDATE identities SET customer_id = ?3 WHERE customer_id = ?2 AND id IN "
  "(SELECT value FROM merges, json_each (merges.identity_ids) WHERE merges.id = ?1)",
  "UPDATE conversations SET customer_id = ?3 WHERE customer_id = ?2 AND id IN "
  "(SELECT value FROM merges, json_each (merges.conversation_ids) WHERE merges.id = ?1)",
  "UPDATE events SET customer_id = ?3 WHERE customer_id = ?2 AND id IN "
  "(SELECT value FROM merges, json_each (merges.event_ids) WHERE merges.id = ?1)",
  "UPDATE events SET customer_id = ?3 WHERE customer_id = ?2 AND conversation_id IN "
  "(SELECT value FROM merges, json_each (merges.conversation_ids) WHERE merges.id = ?1)",
};

/* ---- statements ---------------------------------------------------------- */

/* A cached statement with values bound; resetting it on scope exit keeps
 * the connection free of half-read statements. */
typedef sqlite3_stmt *BoundStatement;

static void
release_statement (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (BoundStatement, release_statement, NULL)

static void
set_db_error (ParleySqliteStore  *self,
              GError            **error)
{
  ParleyError code;

  switch (sqlite3_extended_errcode (self->db))
    {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      code = PARLEY_ERROR_CONFLICT;
      break;
    /* We never delete referenced rows, so this is a reference to nothing. */
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      code = PARLEY_ERROR_NOT_FOUND;
      break;
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
      code = PARLEY_ERROR_INVALID;
      break;
    default:
      code = PARLEY_ERROR_STORAGE;
      break;
    }
  g_set_error_literal (error, PARLEY_ERROR, code, sqlite3_errmsg (self->db));
}

static sqlite3_stmt *
lookup_statement (ParleySqliteStore  *self,
                  const char         *sql,
                  GError            **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    return stmt;
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, error);
      return NULL;
    }
  /* The key is copied: a caller's SQL need not outlive the call. */
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  /* Not json_to_string (): it writes 1e308 as "1e+308.0", which no
   * parser reads back. */
  return parley_json_to_string (node);
}

/* Binds the arguments to ?1, ?2, ... as @types spells them:
 *  i  gint64
 *  d  int
 *  n  gint64 id where 0 means none, bound as NULL
 *  s  const char * (NULL binds NULL)
 *  j  JsonObject * as JSON text (NULL binds NULL) */
static sqlite3_stmt *
prepare_va (ParleySqliteStore  *self,
            GError            **error,
            const char         *sql,
            const char         *types,
            va_list             args)
{
  sqlite3_stmt *stmt = lookup_statement (self, sql, error);

  if (stmt == NULL)
    return NULL;
  for (int i = 0; types[i] != '\0'; i++)
    {
      int param = i + 1, rc;

      /* Variants of one query may leave out trailing parameters. */
      if (param > sqlite3_bind_parameter_count (stmt))
        {
          if (types[i] == 'd')
            (void) va_arg (args, int);
          else if (types[i] == 'i' || types[i] == 'n')
            (void) va_arg (args, gint64);
          else
            (void) va_arg (args, gpointer);
          continue;
        }
      switch (types[i])
        {
        case 'i':
          rc = sqlite3_bind_int64 (stmt, param, va_arg (args, gint64));
          break;
        case 'd':
          rc = sqlite3_bind_int (stmt, param, va_arg (args, int));
          break;
        case 'n':
          {
            gint64 id = va_arg (args, gint64);

            rc = id > 0 ? sqlite3_bind_int64 (stmt, param, id) : sqlite3_bind_null (stmt, param);
          }
          break;
        case 's':
          rc = sqlite3_bind_text (stmt, param, va_arg (args, const char *), -1, SQLITE_STATIC);
          break;
        case 'b':
          {
            GBytes *bytes = va_arg (args, GBytes *);
            gsize size;
            gconstpointer data = g_bytes_get_data (bytes, &size);

            rc = sqlite3_bind_blob64 (stmt, param, data ? data : "", size, SQLITE_STATIC);
          }
          break;
        case 'j':
          {
            JsonObject *object = va_arg (args, JsonObject *);

            rc = object ? sqlite3_bind_text (stmt, param, object_to_string (object), -1, g_free)
                        : sqlite3_bind_null (stmt, param);
          }
          break;
        default:
          g_assert_not_reached ();
        }
      if (rc != SQLITE_OK)
        {
          set_db_error (self, error);
          release_statement (stmt);
          return NULL;
        }
    }
  return stmt;
}

static sqlite3_stmt *
prepare (ParleySqliteStore  *self,
         GError            **error,
         const char         *sql,
         const char         *types,
         ...)
{
  sqlite3_stmt *stmt;
  va_list args;

  va_start (args, types);
  stmt = prepare_va (self, error, sql, types, args);
  va_end (args);
  return stmt;
}

/* SQLITE_ROW or SQLITE_DONE, or 0 with @error set. */
static int
step (ParleySqliteStore  *self,
      sqlite3_stmt       *stmt,
      GError            **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;
  set_db_error (self, error);
  return 0;
}

/* Runs a statement to its end: the number of rows it changed, or -1. */
static gint64
run (ParleySqliteStore  *self,
     GError            **error,
     const char         *sql,
     const char         *types,
     ...)
{
  g_auto(BoundStatement) stmt = NULL;
  va_list args;
  int rc;

  va_start (args, types);
  stmt = prepare_va (self, error, sql, types, args);
  va_end (args);
  if (stmt == NULL)
    return -1;
  while ((rc = step (self, stmt, error)) == SQLITE_ROW)
    ;
  return rc == SQLITE_DONE ? sqlite3_changes (self->db) : -1;
}

/* For statements issued where nobody is left to tell. */
static void
run_logged (ParleySqliteStore *self,
            const char        *sql)
{
  g_autoptr(GError) error = NULL;

  if (run (self, &error, sql, "") < 0)
    g_warning ("%s failed: %s", sql, error->message);
}

static gint64
query_int_va (ParleySqliteStore  *self,
              GError            **error,
              const char         *sql,
              const char         *types,
              va_list             args)
{
  g_auto(BoundStatement) stmt = prepare_va (self, error, sql, types, args);

  if (stmt == NULL)
    return -1;
  switch (step (self, stmt, error))
    {
    case SQLITE_ROW:
      return sqlite3_column_int64 (stmt, 0);
    case SQLITE_DONE:
      return 0;
    default:
      return -1;
    }
}

/* The first column of the first row: 0 without a row, -1 on failure. Only
 * for values that are never negative: ids, counts, flags. */
static gint64
query_int (ParleySqliteStore  *self,
           GError            **error,
           const char         *sql,
           const char         *types,
           ...)
{
  va_list args;
  gint64 value;

  va_start (args, types);
  value = query_int_va (self, error, sql, types, args);
  va_end (args);
  return value;
}

/* An INSERT ... RETURNING id: the new id, or 0 on failure. */
static gint64
insert (ParleySqliteStore  *self,
        GError            **error,
        const char         *sql,
        const char         *types,
        ...)
{
  va_list args;
  gint64 id;

  va_start (args, types);
  id = query_int_va (self, error, sql, types, args);
  va_end (args);
  return MAX (id, 0);
}

/* Lookups without an error argument answer 0 when they fail, and log it. */
static gint64
zero_on_failure (gint64   value,
                 GError **error)
{
  if (value >= 0)
    return value;
  g_warning ("Store lookup failed: %s", (*error)->message);
  g_clear_error (error);
  return 0;
}

/* One row as a JSON object keyed by column name. */
static JsonObject *
row_to_object (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();
  int n_columns = sqlite3_column_count (stmt);

  for (int i = 0; i < n_columns; i++)
    {
      const char *name = sqlite3_column_name (stmt, i);
      const char *text;
      JsonNode *node;

      switch (sqlite3_column_type (stmt, i))
        {
        case SQLITE_INTEGER:
          json_object_set_int_member (object, name, sqlite3_column_int64 (stmt, i));
          break;
        case SQLITE_NULL:
          json_object_set_null_member (object, name);
          break;
        case SQLITE_BLOB:
          break;  /* read with load_attachment () */
        default:
          text = (const char *) sqlite3_column_text (stmt, i);
          if (!g_strv_contains (json_columns, name))
            json_object_set_string_member (object, name, text);
          else if ((node = json_from_string (text, NULL)) != NULL)
            json_object_set_member (object, name, node);
          else
            json_object_set_null_member (object, name);
          break;
        }
    }
  return object;
}

/* Every row as a JSON object, or NULL on failure. */
static GPtrArray *
query_objects (ParleySqliteStore  *self,
               GError            **error,
               const char         *sql,
               const char         *types,
               ...)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_auto(BoundStatement) stmt = NULL;
  va_list args;
  int rc;

  va_start (args, types);
  stmt = prepare_va (self, error, sql, types, args);
  va_end (args);
  if (stmt == NULL)
    return NULL;
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  while ((rc = step (self, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (rows, row_to_object (stmt));
  return rc == SQLITE_DONE ? g_steal_pointer (&rows) : NULL;
}

/* The first of @rows (taking them), or NULL; NOT_FOUND, described by
 * @format, when there is none. */
G_GNUC_PRINTF (3, 4)
static JsonObject *
first_object (GPtrArray   *rows,
              GError     **error,
              const char  *format,
              ...)
{
  g_autoptr(GPtrArray) owned = rows;
  va_list args;

  if (rows == NULL)
    return NULL;
  if (rows->len > 0)
    return json_object_ref (g_ptr_array_index (rows, 0));
  if (error != NULL)
    {
      va_start (args, format);
      *error = g_error_new_valist (PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND, format, args);
      va_end (args);
    }
  return NULL;
}

/* Whether the statement found the row @what @id: @n is the rows it changed
 * or counted, -1 if it failed; NOT_FOUND when 0. */
static gboolean
expect_row (gint64       n,
            GError     **error,
            const char  *what,
            gint64       id)
{
  if (n > 0)
    return TRUE;
  if (n == 0)
    g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND, "No %s %" G_GINT64_FORMAT, what, id);
  return FALSE;
}

/* Statements outside any begin() commit one by one, which is atomic only
 * for a single statement. Methods of several statements use these: a
 * savepoint inside the caller's transaction (so they nest), else a
 * transaction of their own, IMMEDIATE so another connection cannot make
 * it fail half way when it upgrades to writing. */
static gboolean
atomic_begin (ParleySqliteStore  *self,
              gboolean           *own,
              GError            **error)
{
  *own = sqlite3_get_autocommit (self->db) != 0;
  return run (self, error, *own ? "BEGIN IMMEDIATE" : "SAVEPOINT parley_atomic", "") >= 0;
}

/* Keeps what happened since atomic_begin() when @ok, else undoes it. */
static gboolean
atomic_end (ParleySqliteStore  *self,
            gboolean            own,
            gboolean            ok,
            GError            **error)
{
  if (ok && run (self, error, own ? "COMMIT" : "RELEASE parley_atomic", "") >= 0)
    return TRUE;
  if (!own)
    {
      run_logged (self, "ROLLBACK TO parley_atomic");
      run_logged (self, "RELEASE parley_atomic");
    }
  else if (!sqlite3_get_autocommit (self->db))
    run_logged (self, "ROLLBACK");
  return FALSE;
}

/* ---- opening and migrations ---------------------------------------------- */

/* Runs SQL of several statements once; pragmas and migrations are not worth
 * keeping prepared. */
static gboolean
exec_script (ParleySqliteStore  *self,
             const char         *sql,
             GError            **error)
{
  while (*sql != '\0')
    {
      sqlite3_stmt *stmt = NULL;
      const char *tail = NULL;
      int rc;

      if (sqlite3_prepare_v3 (self->db, sql, -1, 0, &stmt, &tail) != SQLITE_OK)
        {
          set_db_error (self, error);
          return FALSE;
        }
      /* Only blanks or comments were left. */
      if (stmt == NULL)
        break;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        ;
      if (rc != SQLITE_DONE)
        set_db_error (self, error);
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        return FALSE;
      sql = tail;
    }
  return TRUE;
}

static gint64 identity_owner (ParleySqliteStore *self, const char *kind, const char *value, GError **error);

/* Stored phone and email identities as parley_identity_normalize () spells
 * them now: "+44 (0)20 …" was kept as +4402079460018, "bücher.de" as
 * "xn--bcher-kva.de" when written so. Every stored number has its "+", so
 * no default region is needed. A key another customer holds already is
 * left as it was and logged (by ids only): the two may or may not be one
 * person, which an agent decides by merging them (one customer holding
 * both spellings keeps both). Values that are no longer valid stay as
 * they are; new contacts cannot produce them any more. */
static gboolean
renormalize_identities (ParleySqliteStore  *self,
                        GError            **error)
{
  guint moved = 0, kept = 0;
  gint64 after = 0;

  /* A thousand at a time, so a large store is not read into memory. */
  for (;;)
    {
      g_autoptr(GPtrArray) rows = query_objects (self, error,
                                                 "SELECT id, kind, value, customer_id FROM identities "
                                                 "WHERE kind IN ('phone', 'email') AND id > ?1 ORDER BY id LIMIT 1000",
                                                 "i", after);

      if (rows == NULL)
        return FALSE;
      if (rows->len == 0)
        break;
      for (guint i = 0; i < rows->len; i++)
        {
          JsonObject *row = g_ptr_array_index (rows, i);
          gint64 id = json_object_get_int_member (row, "id");
          gint64 customer_id = json_object_get_int_member (row, "customer_id");
          const char *kind = json_object_get_string_member (row, "kind");
          const char *value = json_object_get_string_member (row, "value");
          g_autofree char *key = parley_identity_normalize (kind, value, NULL, NULL);
          gint64 owner;

          after = id;
          if (key == NULL || g_str_equal (key, value))
            continue;
          if ((owner = identity_owner (self, kind, key, error)) < 0)
            return FALSE;
          if (owner == 0)
            {
              if (run (self, error, "UPDATE identities SET value = ?2, search_value = parley_fold (?2) WHERE id = ?1",
                       "is", id, key) < 0)
                return FALSE;
              moved++;
            }
          else if (owner != customer_id)
            {
              g_message ("Customers %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT " have one %s identity now, "
                         "spelt two ways (identity %" G_GINT64_FORMAT " keeps the old spelling): "
                         "merge them if they are one person",
                         owner, customer_id, kind, id);
              kept++;
            }
        }
    }
  if (moved > 0 || kept > 0)
    g_message ("%s: %u identities respelt, %u left as they were beside another customer's",
               self->path, moved, kept);
  return TRUE;
}

/* Steps of a schema version that SQL cannot do, run after its SQL. */
static const struct
{
  gint64     version;
  gboolean (*run) (ParleySqliteStore *self, GError **error);
} migration_code[] = {
  { 8, renormalize_identities },
};

static gboolean
run_migration (ParleySqliteStore  *self,
               gint64              version,
               GError            **error)
{
  if (!exec_script (self, migrations[version - 1], error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (migration_code); i++)
    if (migration_code[i].version == version && !migration_code[i].run (self, error))
      return FALSE;
  return TRUE;
}

/* Brings the schema up to date in one transaction, taking the write lock
 * first so two processes opening one new database do not both migrate. */
static gboolean
migrate (ParleySqliteStore  *self,
         GError            **error)
{
  gboolean own, ok;
  gint64 version = 0;

  if (!atomic_begin (self, &own, error))
    return FALSE;
  ok = exec_script (self,
                    "CREATE TABLE IF NOT EXISTS schema_version ("
                    "  version INTEGER PRIMARY KEY,"
                    "  applied INTEGER NOT NULL"
                    ")", error) &&
       (version = query_int (self, error, "SELECT IFNULL (MAX (version), 0) FROM schema_version", "")) >= 0;
  if (ok && version > (gint64) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_STORAGE,
                   "%s has schema version %" G_GINT64_FORMAT ", newer than the %u this program knows",
                   self->path, version, (guint) G_N_ELEMENTS (migrations));
      ok = FALSE;
    }
  for (gint64 i = version; ok && i < (gint64) G_N_ELEMENTS (migrations); i++)
    {
      g_debug ("Migrating %s to schema version %" G_GINT64_FORMAT, self->path, i + 1);
      ok = run_migration (self, i + 1, error) &&
           run (self, error, "INSERT INTO schema_version (version, applied) VALUES (?1, ?2)",
                "ii", i + 1, g_get_real_time ()) >= 0;
    }
  return atomic_end (self, own, ok, error);
}

/* After each commit on the main connection: how long the log is now, for
 * the sync worker's checkpoint (). */
static int
wal_committed_cb (void       *data,
                  sqlite3    *db,
                  const char *name,
                  int         frames)
{
  ParleySqliteStore *self = data;

  g_atomic_int_set (&self->wal_frames, frames);
  return SQLITE_OK;
}

/* The database holds customers' data: it, and the log and shared-memory
 * files SQLite makes beside it (which take the database's mode), are for
 * the owner alone, also when an older hub made them readable to others. */
static gboolean
make_files_private (ParleySqliteStore  *self,
                    GError            **error)
{
  static const char * const suffixes[] = { "-wal", "-shm" };
  int fd, saved_errno;

  if (g_str_equal (self->path, ":memory:"))
    return TRUE;
  fd = open (self->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || fchmod (fd, 0600) != 0)
    goto failed;
  close (fd);
  fd = -1;
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (self->path, suffixes[i], NULL);

      if (g_chmod (path, 0600) != 0 && errno != ENOENT)
        goto failed;
    }
  return TRUE;

failed:
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_STORAGE, "Cannot make %s private: %s", self->path,
               g_strerror (saved_errno));
  return FALSE;
}

/* parley_fold (text): parley_search_text_fold () for SQL; NULL stays NULL. */
static void
fold_function (sqlite3_context  *context,
               int               argc,
               sqlite3_value   **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  char *folded;

  if (text == NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  if ((folded = parley_search_text_fold (text)) == NULL)
    sqlite3_result_error_nomem (context);
  else
    sqlite3_result_text (context, folded, -1, g_free);
}

static gboolean
parley_sqlite_store_initable_init (GInitable     *initable,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (initable);

  if (!make_files_private (self, error))
    return FALSE;
  if (sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_STORAGE, "Cannot open %s: %s", self->path,
                   self->db ? sqlite3_errmsg (self->db) : "out of memory");
      return FALSE;
    }
  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 5000);
  if (!exec_script (self,
                    "PRAGMA journal_mode = WAL;"
                    "PRAGMA synchronous = FULL;"
                    "PRAGMA foreign_keys = ON;"
                    /* Savepoint journals stay in memory, not in temp files. */
                    "PRAGMA temp_store = MEMORY;"
                    /* The sync worker checkpoints; see checkpoint (). */
                    "PRAGMA wal_autocheckpoint = 0;"
                    /* Once checkpointed, the log starts over and is cut back to this size.
                     * The cut runs in the commit that starts it over, on the main
                     * loop, and took 5-36 ms under bench-chat's load with 16 MiB:
                     * the log grew to about 18 MiB between restarts, and was cut
                     * back each time. */
                    "PRAGMA journal_size_limit = 67108864;"
                    /* Reads through a memory map and a 64 MiB cache: fewer syscalls
                     * on the inbound path (measured 244 -> ~225 µs per message). */
                    "PRAGMA mmap_size = 268435456;"
                    "PRAGMA cache_size = -65536;", error))
    return FALSE;
  /* Only now: setting wal_autocheckpoint removes any WAL hook. */
  sqlite3_wal_hook (self->db, wal_committed_cb, self);
  if (sqlite3_create_function_v2 (self->db, "parley_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                  NULL, fold_function, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_db_error (self, error);
      return FALSE;
    }
  return migrate (self, error);
}

static void
parley_sqlite_store_initable_iface_init (GInitableIface *iface)
{
  iface->init = parley_sqlite_store_initable_init;
}

/* ---- transactions -------------------------------------------------------- */

static void
end_lazy (ParleySqliteStore *self)
{
  if (!self->lazy || !sqlite3_get_autocommit (self->db))
    return;
  self->lazy = FALSE;
  run_logged (self, "PRAGMA synchronous = FULL");
}

static gboolean
parley_sqlite_store_begin (ParleyStore  *store,
                           GError      **error)
{
  return run (PARLEY_SQLITE_STORE (store), error, "BEGIN IMMEDIATE", "") >= 0;
}

static gboolean
parley_sqlite_store_commit (ParleyStore  *store,
                            GError      **error)
{
  return run (PARLEY_SQLITE_STORE (store), error, "COMMIT", "") >= 0;
}

/* A transaction whose commit does not wait for the disk: SQLite takes the
 * safety level only outside transactions, so synchronous=NORMAL is set
 * before BEGIN and FULL restored once it ends; sync_async() does the WAL
 * fsync on a thread. */
static gboolean
parley_sqlite_store_begin_lazy (ParleyStore  *store,
                                GError      **error)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);

  if (run (self, error, "PRAGMA synchronous = NORMAL", "") < 0)
    return FALSE;
  self->lazy = TRUE;
  if (parley_sqlite_store_begin (store, error))
    return TRUE;
  end_lazy (self);
  return FALSE;
}

static gboolean
parley_sqlite_store_commit_lazy (ParleyStore  *store,
                                 GError      **error)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);
  gboolean ok = run (self, error, "COMMIT", "") >= 0;

  end_lazy (self);
  return ok;
}

/* Frames (pages) of WAL after which the sync worker checkpoints them into
 * the database: 1 MiB of 4 KiB pages. Larger checkpoints come rarer but
 * hold the disk longer: at 4 MiB the commits waiting behind one showed in
 * bench-chat's p99 (8-11 ms against 4 ms). */
#define CHECKPOINT_AFTER_FRAMES 256

/* Checkpoints run here rather than in a COMMIT on the main loop (automatic
 * checkpoints are off), so the hub never stalls for the fsyncs they need.
 * PASSIVE never waits for the main connection. They are counted in frames
 * written since the last one, not by the log's size: the file keeps its
 * size when the log starts over, and each checkpoint costs two fsyncs. */
static void
checkpoint (ParleySqliteStore *self)
{
  int frames = g_atomic_int_get (&self->wal_frames);
  int in_log = 0, copied = 0;

  /* A checkpoint already running will do. */
  if (!g_mutex_trylock (&self->checkpoint_lock))
    return;
  /* The log started over since the last checkpoint. */
  if (frames < self->checkpointed_frames)
    self->checkpointed_frames = 0;
  if (frames - self->checkpointed_frames < CHECKPOINT_AFTER_FRAMES)
    {
      g_mutex_unlock (&self->checkpoint_lock);
      return;
    }
  if (self->checkpointer == NULL)
    {
      if (sqlite3_open_v2 (self->path, &self->checkpointer, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        {
          g_warning ("Cannot open %s to checkpoint it: %s", self->path, sqlite3_errmsg (self->checkpointer));
          g_clear_pointer (&self->checkpointer, sqlite3_close);
          g_mutex_unlock (&self->checkpoint_lock);
          return;
        }
      sqlite3_busy_timeout (self->checkpointer, 2000);
      /* A connection that has read nothing has no WAL open yet, and SQLite
       * 3.40 then "checkpoints" nothing (the log reports -1 frames). */
      sqlite3_exec (self->checkpointer, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
    }
  if (sqlite3_wal_checkpoint_v2 (self->checkpointer, NULL, SQLITE_CHECKPOINT_PASSIVE, &in_log, &copied) != SQLITE_OK)
    g_debug ("Checkpoint of %s postponed: %s", self->path, sqlite3_errmsg (self->checkpointer));
  else
    self->checkpointed_frames = copied;
  g_mutex_unlock (&self->checkpoint_lock);
}

static void
sync_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ParleySqliteStore *self = source;
  g_autofree char *wal = g_strconcat (self->path, "-wal", NULL);
  int fd = open (wal, O_RDONLY | O_CLOEXEC);
  int saved_errno;

  /* No WAL file yet (or an in-memory database): nothing to make durable. */
  if (fd < 0 && errno == ENOENT)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (fd >= 0 && fdatasync (fd) == 0)
    {
      close (fd);
      /* Answer first: the commits are durable, the checkpoint is housekeeping. */
      g_task_return_boolean (task, TRUE);
      checkpoint (self);
      return;
    }
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  g_task_return_new_error (task, PARLEY_ERROR, PARLEY_ERROR_STORAGE, "Cannot sync %s: %s",
                           wal, g_strerror (saved_errno));
}

static void
parley_sqlite_store_sync_async (ParleyStore         *store,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, parley_sqlite_store_sync_async);
  g_task_run_in_thread (task, sync_thread);
}

static gboolean
parley_sqlite_store_sync_finish (ParleyStore   *store,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
parley_sqlite_store_rollback (ParleyStore *store)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);

  /* Some failures (a full disk, for one) already rolled it back. */
  if (!sqlite3_get_autocommit (self->db))
    run_logged (self, "ROLLBACK");
  end_lazy (self);
}

static gboolean
parley_sqlite_store_savepoint (ParleyStore  *store,
                               GError      **error)
{
  return run (PARLEY_SQLITE_STORE (store), error, "SAVEPOINT parley_item", "") >= 0;
}

static gboolean
parley_sqlite_store_release_savepoint (ParleyStore  *store,
                                       GError      **error)
{
  return run (PARLEY_SQLITE_STORE (store), error, "RELEASE parley_item", "") >= 0;
}

static void
parley_sqlite_store_rollback_savepoint (ParleyStore *store)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);

  /* ROLLBACK TO keeps the savepoint open; release it so the next item
   * starts from the same depth. */
  run_logged (self, "ROLLBACK TO parley_item");
  run_logged (self, "RELEASE parley_item");
}

/* ---- settings ------------------------------------------------------------ */

static gboolean
parley_sqlite_store_set_setting (ParleyStore  *store,
                                 const char   *scope,
                                 const char   *key,
                                 const char   *value,
                                 GError      **error)
{
  return run (PARLEY_SQLITE_STORE (store), error,
              "INSERT INTO settings (scope, key, value) VALUES (?1, ?2, ?3) "
              "ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value",
              "sss", scope, key, value) >= 0;
}

static char *
parley_sqlite_store_get_setting (ParleyStore *store,
                                 const char  *scope,
                                 const char  *key)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);
  g_autoptr(GError) error = NULL;
  g_auto(BoundStatement) stmt = prepare (self, &error, "SELECT value FROM settings WHERE scope = ?1 AND key = ?2",
                                         "ss", scope, key);

  if (stmt != NULL && step (self, stmt, &error) == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (error != NULL)
    g_warning ("Cannot read setting %s.%s: %s", scope, key, error->message);
  return NULL;
}

/* ---- agents and tokens --------------------------------------------------- */

static gint64
parley_sqlite_store_create_agent (ParleyStore  *store,
                                  const char   *login,
                                  const char   *name,
                                  const char   *role,
                                  const char   *password_hash,
                                  JsonObject   *skills,
                                  JsonObject   *capacity,
                                  GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 id = insert (PARLEY_SQLITE_STORE (store), &local_error,
                      "INSERT INTO agents (login, name, role, password_hash, skills, capacity) "
                      "VALUES (?1, ?2, ?3, ?4, IFNULL (?5, '{}'), IFNULL (?6, '{}')) RETURNING id",
                      "ssssjj", login, name, role, password_hash, skills, capacity);

  /* The only unique column is the login. */
  if (g_error_matches (local_error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT))
    g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT, "An agent with the login “%s” exists already", login);
  else if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return id;
}

/* NULL arguments leave those fields as they are. */
static gboolean
parley_sqlite_store_update_agent (ParleyStore  *store,
                                  gint64        agent_id,
                                  const char   *name,
                                  const char   *role,
                                  const char   *password_hash,
                                  JsonObject   *skills,
                                  JsonObject   *capacity,
                                  GError      **error)
{
  return expect_row (run (PARLEY_SQLITE_STORE (store), error,
                           "UPDATE agents SET name = IFNULL (?2, name), role = IFNULL (?3, role), "
                           "password_hash = IFNULL (?4, password_hash), skills = IFNULL (?5, skills), "
                           "capacity = IFNULL (?6, capacity) WHERE id = ?1",
                           "isssjj", agent_id, name, role, password_hash, skills, capacity),
                      error, "agent", agent_id);
}

static JsonObject *
parley_sqlite_store_get_agent (ParleyStore  *store,
                               gint64        agent_id,
                               GError      **error)
{
  return first_object (query_objects (PARLEY_SQLITE_STORE (store), error,
                                      "SELECT " AGENT_COLUMNS " FROM agents WHERE id = ?1",
                                      "i", agent_id),
                       error, "No agent %" G_GINT64_FORMAT, agent_id);
}

static JsonObject *
parley_sqlite_store_get_agent_by_login (ParleyStore  *store,
                                        const char   *login,
                                        GError      **error)
{
  return first_object (query_objects (PARLEY_SQLITE_STORE (store), error,
                                      "SELECT " AGENT_COLUMNS ", password_hash FROM agents WHERE login = ?1",
                                      "s", login),
                       error, "No agent with login “%s”", login);
}

static GPtrArray *
parley_sqlite_store_list_agents (ParleyStore  *store,
                                 GError      **error)
{
  return query_objects (PARLEY_SQLITE_STORE (store), error,
                        "SELECT " AGENT_COLUMNS " FROM agents ORDER BY id", "");
}

static gboolean
parley_sqlite_store_set_presence (ParleyStore  *store,
                                  gint64        agent_id,
                                  const char   *presence,
                                  const char   *reason,
                                  gint64        since,
                                  GError      **error)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);
  gboolean own;

  if (!atomic_begin (self, &own, error))
    return FALSE;
  return atomic_end (self, own,
                     expect_row (run (self, error,
                                       "UPDATE agents SET presence = ?2, reason = ?3, presence_since = ?4 WHERE id = ?1",
                                       "issi", agent_id, presence, reason, since),
                                  error, "agent", agent_id) &&
                     run (self, error,
                          "INSERT INTO agent_presence (agent_id, state, reason, at) VALUES (?1, ?2, ?3, ?4)",
                          "issi", agent_id, presence, reason, since) >= 0,
                     error);
}

static gboolean
parley_sqlite_store_add_token (ParleyStore  *store,
                               const char   *token_hash,
                               gint64        agent_id,
                               gint64        expires,
                               GError      **error)
{
  return run (PARLEY_SQLITE_STORE (store), error,
              "INSERT INTO tokens (hash, agent_id, expires) VALUES (?1, ?2, ?3)",
              "sii", token_hash, agent_id, expires) >= 0;
}

static gint64
parley_sqlite_store_lookup_token (ParleyStore *store,
                                  const char  *token_hash,
                                  gint64       now,
                                  gint64      *expires)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);
  g_autoptr(GError) error = NULL;
  g_auto(BoundStatement) stmt = prepare (self, &error,
                                         "SELECT agent_id, expires FROM tokens WHERE hash = ?1 AND expires > ?2",
                                         "si", token_hash, now);
  int rc = stmt ? step (self, stmt, &error) : 0;

  if (rc == 0)
    g_warning ("Store lookup failed: %s", error->message);
  if (rc != SQLITE_ROW)
    return 0;
  *expires = sqlite3_column_int64 (stmt, 1);
  return sqlite3_column_int64 (stmt, 0);
}

static gint64
parley_sqlite_store_purge_tokens (ParleyStore  *store,
                                  gint64        now,
                                  GError      **error)
{
  return run (PARLEY_SQLITE_STORE (store), error, "DELETE FROM tokens WHERE expires <= ?1", "i", now);
}

static gboolean
parley_sqlite_store_remove_token (ParleyStore  *store,
                                  const char   *token_hash,
                                  GError      **error)
{
  gint64 changes = run (PARLEY_SQLITE_STORE (store), error, "DELETE FROM tokens WHERE hash = ?1", "s", token_hash);

  if (changes == 0)
    g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND, "Unknown token");
  return changes > 0;
}

/* ---- queues -------------------------------------------------------------- */

static gint64
parley_sqlite_store_create_queue (ParleyStore  *store,
                                  const char   *name,
                                  gint          priority,
                                  JsonObject   *skills,
                                  gint          relax_after,
                                  JsonObject   *service_level,
                                  JsonObject   *settings,
                                  GError      **error)
{
  return insert (PARLEY_SQLITE_STORE (store), error,
                 "INSERT INTO queues (name, priority, skills, relax_after, service_level, settings) "
                 "VALUES (?1, ?2, IFNULL (?3, '{}'), ?4, IFNULL (?5, '{}'), IFNULL (?6, '{}')) RETURNING id",
                 "sdjdjj", name, priority, skills, relax_after, service_level, settings);
}

static GPtrArray *
parley_sqlite_store_list_queues (ParleyStore  *store,
                                 GError      **error)
{
  return query_objects (PARLEY_SQLITE_STORE (store), error,
                        "SELECT " QUEUE_COLUMNS " FROM queues ORDER BY id", "");
}

/* ---- customers and identities -------------------------------------------- */

/* NOT_FOUND if the customer does not exist, CONFLICT if merged away. */
static gboolean
check_live_customer (ParleySqliteStore  *self,
                     gint64              customer_id,
                     GError            **error)
{
  /* 0: no such customer (or erased), 1: live, 2: merged */
  gint64 state = query_int (self, error,
                            "SELECT 1 + (merged_into IS NOT NULL) FROM customers WHERE id = ?1 AND erased_at = 0",
                            "i", customer_id);

  if (state == 0)
    g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND, "No customer %" G_GINT64_FORMAT, customer_id);
  else if (state == 2)
    g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT,
                 "Customer %" G_GINT64_FORMAT " was merged into another", customer_id);
  return state == 1;
}

/* Files the identity under the customer, creating it or moving it there. */
static gboolean
put_identity (ParleySqliteStore  *self,
              const char         *kind,
              const char         *value,
              gint64              customer_id,
              GError            **error)
{
  return run (self, error,
              "INSERT INTO identities (kind, value, customer_id, search_value) VALUES (?1, ?2, ?3, parley_fold (?2)) "
              "ON CONFLICT (kind, value) DO UPDATE SET customer_id = excluded.customer_id",
              "ssi", kind, value, customer_id) >= 0;
}

static gint64
identity_owner (ParleySqliteStore  *self,
                const char         *kind,
                const char         *value,
                GError            **error)
{
  return query_int (self, error, "SELECT customer_id FROM identities WHERE kind = ?1 AND value = ?2",
                    "ss", kind, value);
}

static gint64
parley_sqlite_store_find_identity (ParleyStore  *store,
                                   const char   *kind,
                                   const char   *value,
                                   GError      **error)
{
  return identity_owner (PARLEY_SQLITE_STORE (store), kind, value, error);
}

static gint64
parley_sqlite_store_resolve_identity (ParleyStore  *store,
                                      const char   *kind,
                                      const char   *value,
                                      const char   *display_name,
                                      gint64        now,
                                      gboolean     *created,
                                      GError      **error)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);
  gboolean own, ok, is_new = FALSE;
  gint64 customer_id;

  if (!atomic_begin (self, &own, error))
    return 0;
  customer_id = identity_owner (self, kind, value, error);
  ok = customer_id >= 0;
  if (ok && customer_id == 0)
    {
      is_new = TRUE;
      customer_id = insert (self, error, "INSERT INTO customers (name, search_name, created, updated) "
                            "VALUES (?1, parley_fold (?1), ?2, ?2) RETURNING id",
                            "si", display_name && *display_name ? display_name : value, now);
      ok = customer_id > 0 && put_identity (self, kind, value, customer_id, error);
    }
  if (!atomic_end (self, own, ok, error))
    return 0;
  if (created != NULL)
    *created = is_new;
  return customer_id;
}

static JsonObject *
parley_sqlite_store_get_customer (ParleyStore  *store,
                                  gint64        customer_id,
                                  GError      **error)
{
  return first_object (query_objects (PARLEY_SQLITE_STORE (store), error,
                                      "SELECT " CUSTOMER_COLUMNS " FROM customers WHERE id = ?1 AND erased_at = 0",
                                      "i", customer_id),
                       error, "No customer %" G_GINT64_FORMAT, customer_id);
}

/* A LIKE pattern matching @query anywhere, its wildcards taken literally. */
static char *
like_pattern (const char *query)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = query; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

static GPtrArray *
parley_sqlite_store_search_customers (ParleyStore  *store,
                                      const char   *query,
                                      guint         limit,
                                      GError      **error)
{
  g_autofree char *folded = parley_search_text_fold (query ? query : "");
  g_autofree char *pattern = *g_strstrip (folded) ? like_pattern (folded) : NULL;
  g_autofree char *digits = parley_search_text_phone_digits (folded);
  g_autofree char *phone_pattern = digits ? g_strconcat ("%", digits, "%", NULL) : NULL;

  /* A NULL pattern matches everyone, most recently active first. */
  return query_objects (PARLEY_SQLITE_STORE (store), error,
                        "SELECT " CUSTOMER_COLUMNS " FROM customers "
                        "WHERE merged_into IS NULL AND erased_at = 0 AND (?1 IS NULL OR search_name LIKE ?1 ESCAPE '\\' OR EXISTS "
                        "(SELECT 1 FROM identities i WHERE i.customer_id = customers.id AND "
                        " (i.search_value LIKE ?1 ESCAPE '\\' OR (i.kind = 'phone' AND i.value LIKE ?3)))) "
                        "ORDER BY updated DESC, id DESC LIMIT ?2",
                        "sis", pattern, limit > 0 ? (gint64) limit : (gint64) -1, phone_pattern);
}

/* A NULL name or attributes leaves it as it is; attributes replace the old
 * ones as a whole. */
static gboolean
parley_sqlite_store_update_customer (ParleyStore  *store,
                                     gint64        customer_id,
                                     const char   *name,
                                     JsonObject   *attributes,
                                     gint64        now,
                                     GError      **error)
{
  return expect_row (run (PARLEY_SQLITE_STORE (store), error,
                           "UPDATE customers SET name = IFNULL (?2, name), search_name = IFNULL (parley_fold (?2), search_name), "
                           "attributes = IFNULL (?3, attributes), updated = ?4 WHERE id = ?1",
                           "isji", customer_id, name, attributes, now),
                      error, "customer", customer_id);
}

/* The customer the identity belonged to before (0 if it is new), or -1. */
static gint64
parley_sqlite_store_link_identity (ParleyStore  *store,
                                   gint64        customer_id,
                                   const char   *kind,
                                   const char   *value,
                                   GError      **error)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);
  gint64 previous = -1;
  gboolean own;

  if (!atomic_begin (self, &own, error))
    return -1;
  if (!atomic_end (self, own,
                   check_live_customer (self, customer_id, error) &&
                   (previous = identity_owner (self, kind, value, error)) >= 0 &&
                   put_identity (self, kind, value, customer_id, error),
                   error))
    return -1;
  return previous;
}

/* Moves everything merge_moves lists for merge @merge_id. */
static gboolean
move_merged (ParleySqliteStore  *self,
             gint64              merge_id,
             gint64              from,
             gint64              to,
             GError            **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (merge_moves); i++)
    if (run (self, error, merge_moves[i], "iii", merge_id, from, to) < 0)
      return FALSE;
  return TRUE;
}

/* Sets where the customer was merged into (0: nowhere) and touches both. */
static gboolean
set_merged_into (ParleySqliteStore  *self,
                 gint64              customer_id,
                 gint64              into,
                 gint64              other,
                 gint64              now,
                 GError            **error)
{
  return run (self, error,
              "UPDATE customers SET merged_into = CASE WHEN id = ?1 THEN ?2 ELSE merged_into END, "
              "updated = ?4 WHERE id IN (?1, ?3)",
              "inii", customer_id, into, other, now) >= 0;
}

static gint64
parley_sqlite_store_merge_customers (ParleyStore  *store,
                                     gint64        survivor_id,
                                     gint64        absorbed_id,
                                     gint64        agent_id,
                                     gint64        now,
                                     GError      **error)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);
  gint64 merge_id = 0;
  gboolean own;

  if (survivor_id == absorbed_id)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                   "Customer %" G_GINT64_FORMAT " cannot be merged into itself", survivor_id);
      return 0;
    }
  if (!atomic_begin (self, &own, error))
    return 0;
  if (!atomic_end (self, own,
                   check_live_customer (self, survivor_id, error) &&
                   check_live_customer (self, absorbed_id, error) &&
                   (merge_id = insert (self, error,
                                       "INSERT INTO merges (survivor_id, absorbed_id, agent_id, created, "
                                       "identity_ids, conversation_ids, event_ids) VALUES (?1, ?2, NULLIF (?3, 0), ?4, "
                                       "(SELECT json_group_array (id) FROM identities WHERE customer_id = ?2), "
                                       "(SELECT json_group_array (id) FROM conversations WHERE customer_id = ?2), "
                                       "(SELECT json_group_array (id) FROM events WHERE customer_id = ?2)) "
                                       "RETURNING id",
                                       "iini", survivor_id, absorbed_id, agent_id, now)) > 0 &&
                   move_merged (self, merge_id, absorbed_id, survivor_id, error) &&
                   set_merged_into (self, absorbed_id, survivor_id, survivor_id, now, error),
                   error))
    return 0;
  return merge_id;
}

static JsonObject *
parley_sqlite_store_get_merge (ParleyStore  *store,
                               gint64        merge_id,
                               GError      **error)
{
  return first_object (query_objects (PARLEY_SQLITE_STORE (store), error,
                                      "SELECT " MERGE_COLUMNS " FROM merges WHERE id = ?1",
                                      "i", merge_id),
                       error, "No merge %" G_GINT64_FORMAT, merge_id);
}

/* Everything the merge moved goes back, unless the survivor has itself been
 * merged since: that merge has to be undone first. */
static gboolean
undo_merge (ParleySqliteStore  *self,
            gint64              merge_id,
            gint64              now,
            GError            **error)
{
  g_autoptr(JsonObject) merge = parley_sqlite_store_get_merge (PARLEY_STORE (self), merge_id, error);
  gint64 survivor_id, absorbed_id;

  if (merge == NULL)
    return FALSE;
  if (json_object_get_int_member (merge, "undone_at") != 0)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT, "Merge %" G_GINT64_FORMAT " was already undone", merge_id);
      return FALSE;
    }
  survivor_id = json_object_get_int_member (merge, "survivor_id");
  absorbed_id = json_object_get_int_member (merge, "absorbed_id");
  return check_live_customer (self, survivor_id, error) &&
         move_merged (self, merge_id, survivor_id, absorbed_id, error) &&
         set_merged_into (self, absorbed_id, 0, survivor_id, now, error) &&
         run (self, error, "UPDATE merges SET undone_at = ?2 WHERE id = ?1", "ii", merge_id, now) >= 0;
}

static gboolean
parley_sqlite_store_unmerge (ParleyStore  *store,
                             gint64        merge_id,
                             gint64        now,
                             GError      **error)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);
  gboolean own;

  return atomic_begin (self, &own, error) &&
         atomic_end (self, own, undo_merge (self, merge_id, now, error), error);
}

/* ---- conversations ------------------------------------------------------- */

static gint64
parley_sqlite_store_open_conversation_for (ParleyStore *store,
                                           gint64       customer_id)
{
  g_autoptr(GError) error = NULL;

  return zero_on_failure (query_int (PARLEY_SQLITE_STORE (store), &error,
                                     "SELECT id FROM conversations WHERE customer_id = ?1 AND state <> 'resolved' "
                                     "ORDER BY id DESC LIMIT 1",
                                     "i", customer_id),
                          &error);
}

static gint64
parley_sqlite_store_create_conversation (ParleyStore  *store,
                                         gint64        customer_id,
                                         gint64        queue_id,
                                         const char   *channel,
                                         gint          priority,
                                         gint64        now,
                                         GError      **error)
{
  return insert (PARLEY_SQLITE_STORE (store), error,
                 "INSERT INTO conversations (customer_id, queue_id, channel, priority, created, updated) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?5) RETURNING id",
                 "iisdi", customer_id, queue_id, channel, priority, now);
}

static JsonObject *
parley_sqlite_store_get_conversation (ParleyStore  *store,
                                      gint64        conversation_id,
                                      GError      **error)
{
  return first_object (query_objects (PARLEY_SQLITE_STORE (store), error,
                                      "SELECT " CONVERSATION_COLUMNS " FROM conversations WHERE id = ?1",
                                      "i", conversation_id),
                       error, "No conversation %" G_GINT64_FORMAT, conversation_id);
}

static GPtrArray *
parley_sqlite_store_list_conversations (ParleyStore  *store,
                                        const char   *state,
                                        gint64        agent_id,
                                        guint         limit,
                                        GError      **error)
{
  return query_objects (PARLEY_SQLITE_STORE (store), error,
                        "SELECT " CONVERSATION_COLUMNS " FROM conversations "
                        "WHERE (?1 IS NULL OR state = ?1) AND (?2 = 0 OR agent_id = ?2) "
                        "ORDER BY priority DESC, created, id LIMIT ?3",
                        "sii", state, agent_id, limit > 0 ? (gint64) limit : (gint64) -1);
}

static gboolean
parley_sqlite_store_update_conversation (ParleyStore  *store,
                                         gint64        conversation_id,
                                         const char   *state,
                                         gint64        agent_id,
                                         gint64        queue_id,
                                         const char   *channel,
                                         gint64        now,
                                         GError      **error)
{
  return expect_row (run (PARLEY_SQLITE_STORE (store), error,
                           "UPDATE conversations SET state = IFNULL (?2, state), "
                           "agent_id = CASE WHEN ?3 < 0 THEN agent_id ELSE NULLIF (?3, 0) END, "
                           "last_agent_id = CASE WHEN ?3 > 0 THEN ?3 ELSE last_agent_id END, "
                           "queue_id = IFNULL (NULLIF (?4, 0), queue_id), channel = IFNULL (?5, channel), "
                           "updated = ?6 WHERE id = ?1",
                           "isiisi", conversation_id, state, agent_id, queue_id, channel, now),
                      error, "conversation", conversation_id);
}

/* The agent stays on record: the customer's next contact routes to them. */
static gboolean
parley_sqlite_store_resolve_conversation (ParleyStore  *store,
                                          gint64        conversation_id,
                                          const char   *disposition,
                                          gint64        now,
                                          GError      **error)
{
  return expect_row (run (PARLEY_SQLITE_STORE (store), error,
                           "UPDATE conversations SET state = 'resolved', disposition = ?2, resolved_at = ?3, "
                           "updated = ?3 WHERE id = ?1",
                           "isi", conversation_id, disposition, now),
                      error, "conversation", conversation_id);
}

/* Only the first response counts; later calls keep it. */
static gboolean
parley_sqlite_store_mark_first_response (ParleyStore  *store,
                                         gint64        conversation_id,
                                         gint64        now,
                                         GError      **error)
{
  return expect_row (run (PARLEY_SQLITE_STORE (store), error,
                           "UPDATE conversations SET first_response_at = "
                           "CASE WHEN first_response_at = 0 THEN ?2 ELSE first_response_at END WHERE id = ?1",
                           "ii", conversation_id, now),
                      error, "conversation", conversation_id);
}

static gint64
parley_sqlite_store_last_agent_for (ParleyStore *store,
                                    gint64       customer_id)
{
  g_autoptr(GError) error = NULL;

  return zero_on_failure (query_int (PARLEY_SQLITE_STORE (store), &error,
                                     "SELECT last_agent_id FROM conversations "
                                     "WHERE customer_id = ?1 AND last_agent_id IS NOT NULL "
                                     "ORDER BY updated DESC, id DESC LIMIT 1",
                                     "i", customer_id),
                          &error);
}

/* ---- events -------------------------------------------------------------- */

/* The events_touch trigger brings the customer's and the conversation's
 * "updated" along in the same statement. */
static gint64
parley_sqlite_store_append_event (ParleyStore             *store,
                                  const ParleyEventDraft  *draft,
                                  GError                 **error)
{
  return insert (PARLEY_SQLITE_STORE (store), error,
                 "INSERT INTO events (conversation_id, customer_id, channel, kind, direction, agent_id, "
                 "author_name, text, html, metadata, external_id, delivery, created) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, IFNULL (?10, '{}'), ?11, ?12, ?13) RETURNING id",
                 "nisssnsssjssi", draft->conversation_id, draft->customer_id, draft->channel, draft->kind,
                 draft->direction, draft->agent_id, draft->author_name, draft->text, draft->html,
                 draft->metadata, draft->external_id, draft->delivery, draft->created);
}

static JsonObject *
parley_sqlite_store_get_event (ParleyStore  *store,
                               gint64        event_id,
                               GError      **error)
{
  return first_object (query_objects (PARLEY_SQLITE_STORE (store), error,
                                      "SELECT " EVENT_COLUMNS " FROM events WHERE id = ?1",
                                      "i", event_id),
                       error, "No event %" G_GINT64_FORMAT, event_id);
}

static JsonObject *
parley_sqlite_store_find_event_by_external (ParleyStore *store,
                                            const char  *channel,
                                            const char  *external_id)
{
  g_autoptr(GError) error = NULL;
  JsonObject *event = first_object (query_objects (PARLEY_SQLITE_STORE (store), &error,
                                                   "SELECT " EVENT_COLUMNS " FROM events "
                                                   "WHERE channel = ?1 AND external_id = ?2",
                                                   "ss", channel, external_id),
                                    &error, "No such event");

  if (error != NULL && !g_error_matches (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND))
    g_warning ("Store lookup failed: %s", error->message);
  return event;
}

/* Two statements rather than "?4 IS NULL OR channel = ?4" so each can use
 * its own index. */
#define TIMELINE_SQL(filter) \
  "SELECT " EVENT_COLUMNS " FROM events WHERE customer_id = ?1 AND id < ?2" filter " ORDER BY id DESC LIMIT ?3"

static GPtrArray *
parley_sqlite_store_timeline (ParleyStore  *store,
                              gint64        customer_id,
                              gint64        before_id,
                              guint         limit,
                              const char   *channel,
                              const char   *search,
                              GError      **error)
{
  /* Four fixed statements rather than "?4 IS NULL OR ...", which would keep
   * SQLite from using the per-channel index. */
  static const char *statements[2][2] = {
    { TIMELINE_SQL (""), TIMELINE_SQL (" AND instr (parley_fold (text), ?5) > 0") },
    { TIMELINE_SQL (" AND channel = ?4"), TIMELINE_SQL (" AND channel = ?4 AND instr (parley_fold (text), ?5) > 0") },
  };
  /* Folded as each event is read, not kept folded: a search reads one
   * customer's events, and keeping a folded copy of every text would
   * double what each message writes. */
  g_autofree char *folded = search && *search ? parley_search_text_fold (search) : NULL;

  return query_objects (PARLEY_SQLITE_STORE (store), error,
                        statements[channel != NULL][folded != NULL], "iiiss",
                        customer_id, before_id > 0 ? before_id : G_MAXINT64,
                        limit > 0 ? (gint64) limit : (gint64) -1, channel, folded);
}

static gboolean
parley_sqlite_store_set_event_delivery (ParleyStore  *store,
                                        gint64        event_id,
                                        const char   *delivery,
                                        const char   *reason,
                                        const char   *provider_id,
                                        GError      **error)
{
  return expect_row (run (PARLEY_SQLITE_STORE (store), error,
                           "UPDATE events SET delivery = ?2, "
                           "metadata = IIF (?3 IS NULL, json_remove (metadata, '$.delivery_error'), "
                           "                json_set (metadata, '$.delivery_error', ?3)), "
                           "external_id = IIF (?4 IS NOT NULL AND NOT EXISTS "
                           "  (SELECT 1 FROM events other WHERE other.channel = events.channel AND other.external_id = ?4), "
                           "  ?4, external_id) "
                           "WHERE id = ?1",
                           "isss", event_id, delivery, reason, provider_id),
                      error, "event", event_id);
}

/* Among the customer's last 50 events: a reply goes where they wrote from
 * lately, and the lookup stays small for customers with long histories.
 * The bound is the 50th newest id, found in the index alone; the newest
 * events are read one by one from there until an inbound one, rather than
 * all 50 copied and sorted. */
#define LAST_SENDER_SQL(filter) \
  "SELECT json_extract (metadata, '$.from') AS sender FROM events WHERE customer_id = ?1" filter " " \
  "AND id >= IFNULL ((SELECT id FROM events WHERE customer_id = ?1" filter " ORDER BY id DESC LIMIT 1 OFFSET 49), 0) " \
  "AND direction = 'in' AND json_type (metadata, '$.from') = 'object' ORDER BY id DESC LIMIT 1"

static JsonObject *
parley_sqlite_store_last_sender (ParleyStore  *store,
                                 gint64        customer_id,
                                 const char   *channel,
                                 GError      **error)
{
  g_autoptr(GPtrArray) rows = query_objects (PARLEY_SQLITE_STORE (store), error,
                                             channel ? LAST_SENDER_SQL (" AND channel = ?2") : LAST_SENDER_SQL (""),
                                             "is", customer_id, channel);

  if (rows == NULL || rows->len == 0)
    return NULL;
  return json_object_ref (json_object_get_object_member (g_ptr_array_index (rows, 0), "sender"));
}

/* Messages to and from one identity on @channel: the newest @limit, oldest
 * first. Inbound ones carry the identity as `from`, outbound as `to`. */
static GPtrArray *
parley_sqlite_store_messages_with (ParleyStore  *store,
                                   const char   *channel,
                                   const char   *kind,
                                   const char   *value,
                                   guint         limit,
                                   GError      **error)
{
  return query_objects (PARLEY_SQLITE_STORE (store), error,
                        "SELECT * FROM (SELECT " EVENT_COLUMNS " FROM events "
                        "WHERE customer_id = (SELECT customer_id FROM identities WHERE kind = ?2 AND value = ?3) "
                        "AND channel = ?1 AND kind = 'message' "
                        "AND ((direction = 'in' AND json_extract (metadata, '$.from.kind') = ?2 "
                        "      AND json_extract (metadata, '$.from.value') = ?3) "
                        "  OR (direction = 'out' AND json_extract (metadata, '$.to.kind') = ?2 "
                        "      AND json_extract (metadata, '$.to.value') = ?3)) "
                        "ORDER BY id DESC LIMIT ?4) ORDER BY id",
                        "sssi", channel, kind, value, (gint64) limit);
}

/* The customer has seen the agents' messages on @channel up to @up_to. */
static GPtrArray *
parley_sqlite_store_mark_read (ParleyStore  *store,
                               gint64        conversation_id,
                               const char   *channel,
                               gint64        up_to,
                               gint64        now,
                               GError      **error)
{
  return query_objects (PARLEY_SQLITE_STORE (store), error,
                        "UPDATE events SET metadata = json_set (metadata, '$.read_at', ?3) "
                        "WHERE conversation_id = ?1 AND channel = ?4 AND id <= ?2 AND direction = 'out' "
                        "AND kind = 'message' AND json_extract (metadata, '$.read_at') IS NULL RETURNING " EVENT_COLUMNS,
                        "iiis", conversation_id, up_to, now, channel);
}

/* ---- metrics ------------------------------------------------------------------ */

/* The rows of state events and answers, from events e of conversations c. */
#define METRIC_STATE_ROWS \
  "SELECT e.text AS kind, e.created AS at, c.id AS conversation, " \
  "       CASE e.text WHEN 'transferred' THEN IFNULL (json_extract (e.metadata, '$.to_queue_id'), c.queue_id) " \
  "                   ELSE c.queue_id END AS queue, c.channel AS channel, " \
  "       CASE e.text WHEN 'transferred' THEN IFNULL (json_extract (e.metadata, '$.to_agent_id'), 0) " \
  "                   ELSE IFNULL (e.agent_id, 0) END AS agent, -1 AS nps, -1 AS csat, NULL AS state "
#define METRIC_STATES \
  "e.kind = 'state' AND e.text IN ('assigned', 'transferred', 'resolved', 'abandoned')"
#define METRIC_SURVEY_ROWS \
  "SELECT 'survey', e.created, c.id, c.queue_id, c.channel, IFNULL (json_extract (e.metadata, '$.agent_id'), 0), " \
  "       IFNULL (json_extract (e.metadata, '$.nps'), -1), IFNULL (json_extract (e.metadata, '$.csat'), -1), NULL "
/* Equal times keep one order whichever query reads them. */
#define METRIC_ORDER " ORDER BY at, kind, conversation, agent"

/* What the metrics are computed from, in time order: conversations that
 * were open at some point in [since, until) with everything recorded about
 * them before until, answers, and agents' presence changes (with the last
 * one before since, which says where each agent stood then). Each part
 * reads an index, so the cost follows the interval, not the history. */
static GPtrArray *
parley_sqlite_store_metric_rows (ParleyStore  *store,
                                 gint64        since,
                                 gint64        until,
                                 GError      **error)
{
  return query_objects (PARLEY_SQLITE_STORE (store), error,
    "WITH c AS (SELECT id, queue_id, channel, created, first_response_at FROM conversations "
    "           WHERE state IN ('queued', 'offered', 'assigned', 'wrap-up') AND created < ?2 "
    "           UNION ALL SELECT id, queue_id, channel, created, first_response_at "
    "           FROM conversations INDEXED BY conversations_resolved "
    "           WHERE state = 'resolved' AND resolved_at >= ?1 AND created < ?2) "
    "SELECT 'queued' AS kind, created AS at, id AS conversation, queue_id AS queue, channel, "
    "       0 AS agent, -1 AS nps, -1 AS csat, NULL AS state FROM c "
    "UNION ALL SELECT 'first_response', first_response_at, id, queue_id, channel, 0, -1, -1, NULL "
    "  FROM c WHERE first_response_at > 0 AND first_response_at < ?2 "
    "UNION ALL " METRIC_STATE_ROWS " FROM c JOIN events e ON e.conversation_id = c.id "
    "  WHERE " METRIC_STATES " AND e.created < ?2 "
    "UNION ALL " METRIC_SURVEY_ROWS " FROM events e JOIN conversations c ON c.id = e.conversation_id "
    "  WHERE e.kind = 'survey' AND e.created >= ?1 AND e.created < ?2 "
    "UNION ALL SELECT 'presence', p.at, 0, 0, NULL, p.agent_id, -1, -1, p.state "
    "  FROM agents a CROSS JOIN agent_presence p ON p.agent_id = a.id AND p.at >= ?1 AND p.at < ?2 "
    "UNION ALL SELECT 'presence', p.at, 0, 0, NULL, p.agent_id, -1, -1, p.state "
    "  FROM agents a CROSS JOIN agent_presence p "
    "  ON p.id = (SELECT id FROM agent_presence WHERE agent_id = a.id AND at < ?1 ORDER BY at DESC, id DESC LIMIT 1)"
    METRIC_ORDER,
    "ii", since, until);
}

static gboolean
parley_sqlite_store_metric_mark (ParleyStore      *store,
                                 ParleyStoreMark  *mark,
                                 GError          **error)
{
  g_autoptr(JsonObject) row = first_object (query_objects (PARLEY_SQLITE_STORE (store), error,
                                                           "SELECT (SELECT IFNULL (max (id), 0) FROM events) AS event, "
                                                           "(SELECT IFNULL (max (id), 0) FROM agent_presence) AS presence, "
                                                           "(SELECT IFNULL (max (id), 0) FROM conversations) AS conversation",
                                                           ""),
                                            error, "No mark");

  if (row == NULL)
    return FALSE;
  mark->event = json_object_get_int_member (row, "event");
  mark->presence = json_object_get_int_member (row, "presence");
  mark->conversation = json_object_get_int_member (row, "conversation");
  return TRUE;
}

/* The rows metric_rows() gives for what was recorded after @after up to
 * @upto: new conversations, first replies, state events, answers and
 * presence changes. A first reply may come again; it counts once. */
static GPtrArray *
parley_sqlite_store_metric_rows_between (ParleyStore            *store,
                                         const ParleyStoreMark  *after,
                                         const ParleyStoreMark  *upto,
                                         GError                **error)
{
  return query_objects (PARLEY_SQLITE_STORE (store), error,
    "SELECT 'queued' AS kind, created AS at, id AS conversation, queue_id AS queue, channel, "
    "       0 AS agent, -1 AS nps, -1 AS csat, NULL AS state FROM conversations WHERE id > ?3 AND id <= ?6 "
    "UNION ALL SELECT 'first_response', c.first_response_at, c.id, c.queue_id, c.channel, 0, -1, -1, NULL "
    "  FROM events e JOIN conversations c ON c.id = e.conversation_id "
    "  WHERE e.id > ?1 AND e.id <= ?4 AND e.kind = 'message' AND e.direction = 'out' AND c.first_response_at > 0 "
    "UNION ALL " METRIC_STATE_ROWS " FROM events e JOIN conversations c ON c.id = e.conversation_id "
    "  WHERE e.id > ?1 AND e.id <= ?4 AND " METRIC_STATES " "
    "UNION ALL " METRIC_SURVEY_ROWS " FROM events e JOIN conversations c ON c.id = e.conversation_id "
    "  WHERE e.id > ?1 AND e.id <= ?4 AND e.kind = 'survey' "
    "UNION ALL SELECT 'presence', at, 0, 0, NULL, agent_id, -1, -1, state FROM agent_presence "
    "  WHERE id > ?2 AND id <= ?5"
    METRIC_ORDER,
    "iiiiii", after->event, after->presence, after->conversation, upto->event, upto->presence, upto->conversation);
}

/* ---- attachments ----------------------------------------------------------- */

static gboolean
parley_sqlite_store_save_attachment (ParleyStore  *store,
                                     const char   *id,
                                     const char   *owner,
                                     gint64        conversation_id,
                                     const char   *name,
                                     const char   *type,
                                     GBytes       *data,
                                     gint64        now,
                                     GError      **error)
{
  return run (PARLEY_SQLITE_STORE (store), error,
              "INSERT INTO attachments (id, owner, conversation_id, name, type, size, data, created, sent) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)",
              "ssnssibi", id, owner, conversation_id, name, type, (gint64) g_bytes_get_size (data), data, now) >= 0;
}

static gint64
parley_sqlite_store_forget_unsent_attachments (ParleyStore  *store,
                                               gint64        created_before,
                                               GError      **error)
{
  return run (PARLEY_SQLITE_STORE (store), error,
              "DELETE FROM attachments WHERE sent = 0 AND created < ?1", "i", created_before);
}

static gint64
parley_sqlite_store_unsent_attachment_bytes (ParleyStore  *store,
                                            GError      **error)
{
  return query_int (PARLEY_SQLITE_STORE (store), error,
                    "SELECT IFNULL (SUM (size), 0) FROM attachments WHERE sent = 0", "");
}

static JsonObject *
parley_sqlite_store_load_attachment (ParleyStore  *store,
                                     const char   *id,
                                     GBytes      **data,
                                     GError      **error)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);
  g_auto(BoundStatement) stmt = prepare (self, error,
                                         "SELECT id, owner, IFNULL (conversation_id, 0) AS conversation_id, name, type, size, created, data "
                                         "FROM attachments WHERE id = ?1",
                                         "s", id);
  JsonObject *attachment;
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = step (self, stmt, error);
  if (rc == SQLITE_DONE)
    g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND, "No attachment %s", id);
  if (rc != SQLITE_ROW)
    return NULL;
  attachment = row_to_object (stmt);
  if (data)
    *data = g_bytes_new (sqlite3_column_blob (stmt, 7), sqlite3_column_bytes (stmt, 7));
  return attachment;
}

/* ---- offers -------------------------------------------------------------- */

static gint64
parley_sqlite_store_create_offer (ParleyStore  *store,
                                  gint64        conversation_id,
                                  gint64        agent_id,
                                  gint64        now,
                                  gint64        expires,
                                  GError      **error)
{
  return insert (PARLEY_SQLITE_STORE (store), error,
                 "INSERT INTO offers (conversation_id, agent_id, created, expires) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                 "iiii", conversation_id, agent_id, now, expires);
}

static JsonObject *
parley_sqlite_store_get_offer (ParleyStore  *store,
                               gint64        offer_id,
                               GError      **error)
{
  return first_object (query_objects (PARLEY_SQLITE_STORE (store), error,
                                      "SELECT " OFFER_COLUMNS " FROM offers WHERE id = ?1",
                                      "i", offer_id),
                       error, "No offer %" G_GINT64_FORMAT, offer_id);
}

/* An offer is decided once; deciding it again is a CONFLICT. */
static gboolean
parley_sqlite_store_decide_offer (ParleyStore  *store,
                                  gint64        offer_id,
                                  const char   *state,
                                  gint64        now,
                                  GError      **error)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);
  gint64 changes = run (self, error,
                        "UPDATE offers SET state = ?2, decided = ?3 WHERE id = ?1 AND state = 'offered'",
                        "isi", offer_id, state, now);

  if (changes != 0)
    return changes > 0;
  if (expect_row (query_int (self, error, "SELECT count (*) FROM offers WHERE id = ?1", "i", offer_id),
                   error, "offer", offer_id))
    g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT, "Offer %" G_GINT64_FORMAT " was already decided", offer_id);
  return FALSE;
}

static GPtrArray *
parley_sqlite_store_list_open_offers (ParleyStore  *store,
                                      GError      **error)
{
  return query_objects (PARLEY_SQLITE_STORE (store), error,
                        "SELECT " OFFER_COLUMNS " FROM offers WHERE state = 'offered' ORDER BY id", "");
}

/* ---- outbound delivery queue --------------------------------------------- */

static gint64
parley_sqlite_store_enqueue_outbound (ParleyStore  *store,
                                      gint64        event_id,
                                      const char   *channel,
                                      const char   *payload,
                                      gint64        next_attempt,
                                      GError      **error)
{
  return insert (PARLEY_SQLITE_STORE (store), error,
                 "INSERT INTO outbox (event_id, channel, payload, next_attempt) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                 "issi", event_id, channel, payload, next_attempt);
}

static GPtrArray *
parley_sqlite_store_due_outbound (ParleyStore  *store,
                                  gint64        now,
                                  guint         limit,
                                  GError      **error)
{
  return query_objects (PARLEY_SQLITE_STORE (store), error,
                        "SELECT " OUTBOUND_COLUMNS " FROM outbox WHERE delivered = 0 AND next_attempt <= ?1 "
                        "ORDER BY next_attempt, id LIMIT ?2",
                        "ii", now, limit > 0 ? (gint64) limit : (gint64) -1);
}

/* Delivered rows stay as a record but are never due again. */
static gboolean
parley_sqlite_store_finish_outbound (ParleyStore  *store,
                                     gint64        outbound_id,
                                     gboolean      delivered,
                                     guint         attempts,
                                     gint64        next_attempt,
                                     const char   *last_error,
                                     GError      **error)
{
  return expect_row (run (PARLEY_SQLITE_STORE (store), error,
                           "UPDATE outbox SET delivered = ?2, attempts = ?3, next_attempt = ?4, last_error = ?5 "
                           "WHERE id = ?1",
                           "idiis", outbound_id, delivered != FALSE, (gint64) attempts, next_attempt, last_error),
                      error, "outbound message", outbound_id);
}

/* ---- surveys and counts -------------------------------------------------- */

/* nps or csat -1 means the customer did not answer it. */
static gint64
parley_sqlite_store_add_survey_answer (ParleyStore  *store,
                                       gint64        conversation_id,
                                       gint64        agent_id,
                                       gint          nps,
                                       gint          csat,
                                       const char   *comment,
                                       gint64        now,
                                       GError      **error)
{
  return insert (PARLEY_SQLITE_STORE (store), error,
                 "INSERT INTO survey_answers (conversation_id, agent_id, nps, csat, comment, created) "
                 "VALUES (?1, ?2, NULLIF (?3, -1), NULLIF (?4, -1), ?5, ?6) RETURNING id",
                 "inddsi", conversation_id, agent_id, nps, csat, comment, now);
}

static gboolean
parley_sqlite_store_set_survey_answer (ParleyStore  *store,
                                       gint64        answer_id,
                                       const char   *question,
                                       gint          score,
                                       const char   *comment,
                                       GError      **error)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);
  gint64 changed;

  if (g_str_equal (question, "nps"))
    changed = run (self, error, "UPDATE survey_answers SET nps = ?2 WHERE id = ?1", "id", answer_id, score);
  else if (g_str_equal (question, "csat"))
    changed = run (self, error, "UPDATE survey_answers SET csat = ?2 WHERE id = ?1", "id", answer_id, score);
  else if (g_str_equal (question, "comment"))
    changed = run (self, error, "UPDATE survey_answers SET comment = ?2 WHERE id = ?1", "is", answer_id, comment);
  else
    g_return_val_if_reached (FALSE);
  return expect_row (changed, error, "survey answer", answer_id);
}

#define SURVEY_COLUMNS \
  "id, conversation_id, customer_id, IFNULL (agent_id, 0) AS agent_id, queue_id, channel, state, " \
  "step, retried, IFNULL (answer_id, 0) AS answer_id, due_at, asked_at, created"

static gint64
parley_sqlite_store_create_survey (ParleyStore  *store,
                                   gint64        conversation_id,
                                   gint64        customer_id,
                                   gint64        agent_id,
                                   gint64        queue_id,
                                   const char   *channel,
                                   gint64        due_at,
                                   gint64        now,
                                   GError      **error)
{
  return insert (PARLEY_SQLITE_STORE (store), error,
                 "INSERT INTO surveys (conversation_id, customer_id, agent_id, queue_id, channel, due_at, created) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                 "iinisii", conversation_id, customer_id, agent_id, queue_id, channel, due_at, now);
}

static GPtrArray *
parley_sqlite_store_due_surveys (ParleyStore  *store,
                                 gint64        now,
                                 guint         limit,
                                 GError      **error)
{
  return query_objects (PARLEY_SQLITE_STORE (store), error,
                        "SELECT " SURVEY_COLUMNS " FROM surveys WHERE state = 'scheduled' AND due_at <= ?1 "
                        "ORDER BY due_at LIMIT ?2",
                        "ii", now, (gint64) limit);
}

static gint64
parley_sqlite_store_next_survey_due (ParleyStore *store)
{
  g_autoptr(GError) error = NULL;

  return zero_on_failure (query_int (PARLEY_SQLITE_STORE (store), &error,
                                     "SELECT IFNULL (MIN (due_at), 0) FROM surveys WHERE state = 'scheduled'", ""),
                          &error);
}

static gboolean
parley_sqlite_store_update_survey (ParleyStore  *store,
                                   gint64        survey_id,
                                   const char   *state,
                                   const char   *step,
                                   gboolean      retried,
                                   gint64        answer_id,
                                   gint64        asked_at,
                                   GError      **error)
{
  return expect_row (run (PARLEY_SQLITE_STORE (store), error,
                          "UPDATE surveys SET state = ?2, step = ?3, retried = ?4, answer_id = ?5, asked_at = ?6 "
                          "WHERE id = ?1",
                          "issdni", survey_id, state, step, retried != FALSE, answer_id, asked_at),
                     error, "survey", survey_id);
}

/* The customer's survey waiting for a reply on @channel, asked since @since. */
static JsonObject *
parley_sqlite_store_awaiting_survey (ParleyStore  *store,
                                     gint64        customer_id,
                                     const char   *channel,
                                     gint64        since,
                                     GError      **error)
{
  return first_object (query_objects (PARLEY_SQLITE_STORE (store), error,
                                      "SELECT " SURVEY_COLUMNS " FROM surveys WHERE customer_id = ?1 AND channel = ?2 "
                                      "AND state = 'asking' AND asked_at >= ?3 ORDER BY id DESC LIMIT 1",
                                      "isi", customer_id, channel, since),
                       error, "No survey awaits a reply");
}

static gint64
parley_sqlite_store_count_surveys_since (ParleyStore  *store,
                                         gint64        customer_id,
                                         gint64        since,
                                         GError      **error)
{
  return query_int (PARLEY_SQLITE_STORE (store), error,
                    "SELECT count (*) FROM surveys WHERE customer_id = ?1 AND created >= ?2 AND state <> 'skipped'",
                    "ii", customer_id, since);
}

static gboolean
parley_sqlite_store_set_queue_settings (ParleyStore  *store,
                                        gint64        queue_id,
                                        JsonObject   *settings,
                                        GError      **error)
{
  return expect_row (run (PARLEY_SQLITE_STORE (store), error, "UPDATE queues SET settings = ?2 WHERE id = ?1",
                          "ij", queue_id, settings),
                     error, "queue", queue_id);
}

/* For trends: answers over an interval, of one queue, channel or agent. */
static GPtrArray *
parley_sqlite_store_survey_rows (ParleyStore  *store,
                                 gint64        since,
                                 gint64        until,
                                 gint64        queue_id,
                                 const char   *channel,
                                 gint64        agent_id,
                                 GError      **error)
{
  return query_objects (PARLEY_SQLITE_STORE (store), error,
                        "SELECT s.created AS at, IFNULL (s.nps, -1) AS nps, IFNULL (s.csat, -1) AS csat "
                        "FROM survey_answers s JOIN conversations c ON c.id = s.conversation_id "
                        "WHERE s.created >= ?1 AND s.created < ?2 AND (?3 = 0 OR c.queue_id = ?3) "
                        "AND (?4 IS NULL OR c.channel = ?4) AND (?5 = 0 OR s.agent_id = ?5) ORDER BY s.created",
                        "iiisi", since, until, queue_id, channel, agent_id);
}

/* The latest answers first, paged by id (which grows with time). */
static GPtrArray *
parley_sqlite_store_list_surveys (ParleyStore  *store,
                                  gint64        before_id,
                                  guint         limit,
                                  GError      **error)
{
  return query_objects (PARLEY_SQLITE_STORE (store), error,
                        "SELECT s.id, s.created AS at, s.conversation_id AS conversation, c.customer_id AS customer, "
                        "       cu.name AS customer_name, IFNULL (s.agent_id, 0) AS agent, a.name AS agent_name, "
                        "       c.queue_id AS queue, c.channel, s.nps, s.csat, s.comment "
                        "FROM survey_answers s JOIN conversations c ON c.id = s.conversation_id "
                        "JOIN customers cu ON cu.id = c.customer_id LEFT JOIN agents a ON a.id = s.agent_id "
                        "WHERE s.id < ?1 ORDER BY s.id DESC LIMIT ?2",
                        "ii", before_id > 0 ? before_id : G_MAXINT64, (gint64) limit);
}

/* ---- privacy ------------------------------------------------------------- */

/* The customer ?1 and every customer merged into it (at any depth), and
 * their conversations: what an export shows and an erasure blanks. */
#define CUSTOMER_SCOPE \
  "WITH RECURSIVE who (id) AS (VALUES (?1) UNION SELECT c.id FROM customers c JOIN who ON c.merged_into = who.id), " \
  "convs (id) AS (SELECT id FROM conversations WHERE customer_id IN who) "
#define SCOPE_EVENTS "(customer_id IN who OR conversation_id IN convs)"
/* Files sent in their conversations or carried by their events, and the
 * uploads of their identities (a chat visitor's) that were never sent. */
#define SCOPE_ATTACHMENTS \
  "(conversation_id IN convs " \
  " OR id IN (SELECT json_extract (metadata, '$.attachment.id') FROM events " \
  "           WHERE " SCOPE_EVENTS " AND json_extract (metadata, '$.attachment.id') IS NOT NULL) " \
  " OR owner IN (SELECT value FROM identities WHERE customer_id IN who))"
#define ATTACHMENT_COLUMNS \
  "id, owner, IFNULL (conversation_id, 0) AS conversation_id, name, type, size, created"

static gboolean
add_export_part (ParleySqliteStore  *self,
                 JsonObject         *export,
                 const char         *member,
                 const char         *sql,
                 gint64              customer_id,
                 GError            **error)
{
  g_autoptr(GPtrArray) rows = query_objects (self, error, sql, "i", customer_id);
  JsonArray *array;

  if (rows == NULL)
    return FALSE;
  array = json_array_sized_new (rows->len);
  for (guint i = 0; i < rows->len; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (rows, i)));
  json_object_set_array_member (export, member, array);
  return TRUE;
}

static JsonObject *
parley_sqlite_store_export_customer (ParleyStore  *store,
                                     gint64        customer_id,
                                     GError      **error)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);
  g_autoptr(JsonObject) export = json_object_new ();
  JsonObject *customer;
  gboolean own;

  /* One read transaction, so the parts agree with each other. */
  if (!atomic_begin (self, &own, error))
    return NULL;
  if (!(customer = parley_sqlite_store_get_customer (store, customer_id, error)))
    {
      atomic_end (self, own, FALSE, NULL);
      return NULL;
    }
  json_object_set_object_member (export, "customer", customer);
  if (!atomic_end (self, own,
                   add_export_part (self, export, "merged_customers",
                                    CUSTOMER_SCOPE "SELECT " CUSTOMER_COLUMNS " FROM customers "
                                    "WHERE id IN who AND id != ?1 ORDER BY id", customer_id, error) &&
                   add_export_part (self, export, "conversations",
                                    CUSTOMER_SCOPE "SELECT " CONVERSATION_COLUMNS " FROM conversations "
                                    "WHERE id IN convs ORDER BY id", customer_id, error) &&
                   add_export_part (self, export, "events",
                                    CUSTOMER_SCOPE "SELECT " EVENT_COLUMNS " FROM events "
                                    "WHERE " SCOPE_EVENTS " ORDER BY id", customer_id, error) &&
                   add_export_part (self, export, "survey_answers",
                                    CUSTOMER_SCOPE "SELECT id, conversation_id, IFNULL (agent_id, 0) AS agent_id, "
                                    "nps, csat, comment, created FROM survey_answers "
                                    "WHERE conversation_id IN convs ORDER BY id", customer_id, error) &&
                   add_export_part (self, export, "merges",
                                    CUSTOMER_SCOPE "SELECT " MERGE_COLUMNS " FROM merges "
                                    "WHERE survivor_id IN who OR absorbed_id IN who ORDER BY id", customer_id, error) &&
                   add_export_part (self, export, "attachments",
                                    CUSTOMER_SCOPE "SELECT " ATTACHMENT_COLUMNS " FROM attachments "
                                    "WHERE " SCOPE_ATTACHMENTS " ORDER BY created, id", customer_id, error),
                   error))
    return NULL;
  return g_steal_pointer (&export);
}

/* What erasing a customer does, in order: files go while the identities
 * that owned uploads are still there. State events keep their text (the
 * state's name, which the figures read) and survey events their scores, so
 * no figure of any day changes; everything a person wrote or that names
 * them is gone. Replies still waiting to go out are not sent. */
static const char * const erase_steps[] = {
  CUSTOMER_SCOPE "DELETE FROM attachments WHERE " SCOPE_ATTACHMENTS,
  CUSTOMER_SCOPE "UPDATE events SET delivery = 'failed' WHERE " SCOPE_EVENTS " AND delivery = 'pending'",
  CUSTOMER_SCOPE "UPDATE outbox SET payload = '{}', "
  "  delivered = 1, last_error = IIF (delivered = 0, 'customer erased', last_error) "
  "WHERE event_id IN (SELECT id FROM events WHERE " SCOPE_EVENTS ")",
  CUSTOMER_SCOPE "UPDATE events SET "
  "  text = IIF (kind = 'state', text, NULL), html = NULL, external_id = NULL, "
  "  author_name = IIF (direction = 'in', NULL, author_name), "
  "  metadata = CASE kind WHEN 'state' THEN metadata "
  "    WHEN 'survey' THEN json_object ('nps', json_extract (metadata, '$.nps'), "
  "                                    'csat', json_extract (metadata, '$.csat'), "
  "                                    'agent_id', json_extract (metadata, '$.agent_id'), "
  "                                    'survey_id', json_extract (metadata, '$.survey_id')) "
  "    ELSE '{}' END "
  "WHERE " SCOPE_EVENTS,
  CUSTOMER_SCOPE "UPDATE survey_answers SET comment = NULL WHERE conversation_id IN convs",
  CUSTOMER_SCOPE "UPDATE surveys SET state = 'skipped' WHERE customer_id IN who AND state IN ('scheduled', 'asking')",
  CUSTOMER_SCOPE "DELETE FROM identities WHERE customer_id IN who",
  CUSTOMER_SCOPE "UPDATE customers SET name = '', search_name = '', attributes = '{}', erased_at = ?2 WHERE id IN who",
};

/* A conversation still open would be routed, answered and counted for a
 * customer nobody can reach any more: it is resolved first. */
static gboolean
erase_customer (ParleySqliteStore  *self,
                gint64              customer_id,
                gint64              now,
                GError            **error)
{
  gint64 open;

  if (!check_live_customer (self, customer_id, error) ||
      (open = query_int (self, error, CUSTOMER_SCOPE "SELECT id FROM conversations "
                                      "WHERE id IN convs AND state != 'resolved' LIMIT 1",
                         "i", customer_id)) < 0)
    return FALSE;
  if (open > 0)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT,
                   "Conversation %" G_GINT64_FORMAT " of customer %" G_GINT64_FORMAT " is open: resolve it first",
                   open, customer_id);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (erase_steps); i++)
    if (run (self, error, erase_steps[i], "ii", customer_id, now) < 0)
      return FALSE;
  return TRUE;
}

/* secure_delete makes SQLite overwrite with zeros what the erasure frees or
 * shrinks (in pages and in free pages) instead of leaving it in the file;
 * the checkpoint after the commit (see scrub()) then takes the old
 * versions out of the log too. */
static gboolean
parley_sqlite_store_erase_customer (ParleyStore  *store,
                                    gint64        customer_id,
                                    gint64        now,
                                    GError      **error)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);
  gboolean own, ok;

  if (!atomic_begin (self, &own, error))
    return FALSE;
  run_logged (self, "PRAGMA secure_delete = ON");
  ok = erase_customer (self, customer_id, now, error);
  run_logged (self, "PRAGMA secure_delete = OFF");
  return atomic_end (self, own, ok, error);
}

/* Copies everything in the log into the database and empties the log, so
 * page versions from before an erasure are nowhere in the files. Waits up
 * to the busy timeout for readers (a backup under way) to let go. */
static gboolean
parley_sqlite_store_scrub (ParleyStore  *store,
                           GError      **error)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);
  gboolean ok = FALSE;
  int busy = 0;

  g_mutex_lock (&self->checkpoint_lock);
  if (sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &busy, NULL) != SQLITE_OK)
    set_db_error (self, error);
  else if (busy)
    g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_STORAGE,
                 "The log of %s is still in use and could not be emptied", self->path);
  else
    {
      self->checkpointed_frames = 0;
      ok = TRUE;
    }
  g_mutex_unlock (&self->checkpoint_lock);
  return ok;
}

static gint64
parley_sqlite_store_add_audit (ParleyStore  *store,
                               gint64        agent_id,
                               const char   *action,
                               gint64        customer_id,
                               JsonObject   *details,
                               gint64        now,
                               GError      **error)
{
  return insert (PARLEY_SQLITE_STORE (store), error,
                 "INSERT INTO audit_log (at, agent_id, action, customer_id, details) "
                 "VALUES (?1, ?2, ?3, ?4, IFNULL (?5, '{}')) RETURNING id",
                 "insnj", now, agent_id, action, customer_id, details);
}

static GPtrArray *
parley_sqlite_store_list_audit (ParleyStore  *store,
                                gint64        customer_id,
                                GError      **error)
{
  return query_objects (PARLEY_SQLITE_STORE (store), error,
                        "SELECT id, at, IFNULL (agent_id, 0) AS agent_id, action, IFNULL (customer_id, 0) AS customer_id, "
                        "details FROM audit_log WHERE ?1 = 0 OR customer_id = ?1 ORDER BY id",
                        "i", customer_id);
}

/* The messages that carried them say when their files expired; the files
 * themselves go. Only files of the given type family (a MIME type prefix
 * such as "image/") uploaded before @created_before. */
static gint64
parley_sqlite_store_expire_attachments (ParleyStore  *store,
                                        const char   *type_prefix,
                                        gint64        created_before,
                                        gint64        now,
                                        GError      **error)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);
  gint64 expired = -1;
  gboolean own, ok;

#define EXPIRING "SELECT id FROM attachments WHERE created < ?2 AND substr (type, 1, length (?1)) = ?1"
  if (!atomic_begin (self, &own, error))
    return -1;
  ok = run (self, error,
            "UPDATE events SET metadata = json_set (metadata, '$.attachment.expired', ?3) "
            "WHERE json_extract (metadata, '$.attachment.id') IS NOT NULL "
            "AND json_extract (metadata, '$.attachment.id') IN (" EXPIRING ")",
            "sii", type_prefix, created_before, now) >= 0 &&
       (expired = run (self, error, "DELETE FROM attachments WHERE id IN (" EXPIRING ")",
                       "si", type_prefix, created_before)) >= 0;
#undef EXPIRING
  return atomic_end (self, own, ok, error) ? expired : -1;
}

/* ---- backups ------------------------------------------------------------- */

/* Pages copied per step of a backup or restore: 1 MiB. */
#define BACKUP_STEP_PAGES 256

/* Copies @from into @to with SQLite's online backup, a step at a time. */
static gboolean
copy_database (sqlite3     *from,
               sqlite3     *to,
               const char  *what,
               GError     **error)
{
  sqlite3_backup *backup = sqlite3_backup_init (to, "main", from, "main");
  guint busy = 0;
  int rc;

  if (backup == NULL)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_STORAGE, "Cannot start the %s: %s", what, sqlite3_errmsg (to));
      return FALSE;
    }
  do
    {
      rc = sqlite3_backup_step (backup, BACKUP_STEP_PAGES);
      /* Another connection writing the destination: wait up to 5 s. */
      if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && busy++ < 500)
        {
          g_usleep (10 * 1000);
          rc = SQLITE_OK;
        }
    }
  while (rc == SQLITE_OK);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_STORAGE, "The %s failed: %s", what, sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

/* A consistent copy of the database as it was when the backup began, while
 * the hub goes on writing: in WAL mode a reader never blocks the writer,
 * and this connection holds one read transaction from the first step to
 * the last, so steps never start over when the hub commits between them
 * (the hub's checkpoints only wait to copy past that snapshot). */
static gboolean
parley_sqlite_store_backup (ParleyStore  *store,
                            const char   *target,
                            GError      **error)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);
  sqlite3 *copy = NULL;
  int fd;
  gboolean ok;

  if (!sqlite3_get_autocommit (self->db))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "A backup runs outside any transaction");
      return FALSE;
    }
  fd = open (target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_STORAGE, "Cannot create %s: %s", target, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  if (sqlite3_open_v2 (target, &copy, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_STORAGE, "Cannot open %s: %s", target,
                   copy ? sqlite3_errmsg (copy) : "out of memory");
      sqlite3_close (copy);
      return FALSE;
    }
  ok = exec_script (self, "BEGIN; SELECT count (*) FROM schema_version;", error) &&
       copy_database (self->db, copy, "backup", error);
  run_logged (self, "ROLLBACK");
  /* The copy is a database of its own: one file, its log folded in. */
  if (ok && sqlite3_exec (copy, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_STORAGE, "Cannot finish %s: %s", target, sqlite3_errmsg (copy));
      ok = FALSE;
    }
  sqlite3_close (copy);
  return ok;
}

/* Replaces everything in this database with the backup at @source, checked
 * first, then brings its schema up to date. */
static gboolean
parley_sqlite_store_restore (ParleyStore  *store,
                             const char   *source,
                             GError      **error)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (store);
  sqlite3 *backup = NULL;
  sqlite3_stmt *check = NULL;
  gboolean ok = FALSE;

  if (sqlite3_open_v2 (source, &backup, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (backup, "PRAGMA quick_check", -1, &check, NULL) != SQLITE_OK)
    g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_STORAGE, "Cannot read the backup %s: %s", source,
                 backup ? sqlite3_errmsg (backup) : "out of memory");
  else if (sqlite3_step (check) != SQLITE_ROW || g_strcmp0 ((const char *) sqlite3_column_text (check, 0), "ok") != 0)
    g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "The backup %s is damaged: %s", source,
                 sqlite3_column_text (check, 0) ? (const char *) sqlite3_column_text (check, 0) : sqlite3_errmsg (backup));
  else
    {
      sqlite3_finalize (check);
      check = NULL;
      if (sqlite3_prepare_v2 (backup, "SELECT IFNULL (MAX (version), 0) FROM schema_version", -1, &check, NULL) != SQLITE_OK ||
          sqlite3_step (check) != SQLITE_ROW)
        g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "%s is not a Parley database: %s", source,
                     sqlite3_errmsg (backup));
      else if (sqlite3_column_int64 (check, 0) > (gint64) G_N_ELEMENTS (migrations))
        g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                     "The backup %s has schema version %" G_GINT64_FORMAT ", newer than the %u this program knows",
                     source, (gint64) sqlite3_column_int64 (check, 0), (guint) G_N_ELEMENTS (migrations));
      else
        ok = TRUE;
    }
  sqlite3_finalize (check);
  /* Statements prepared against the old schema go with it. */
  if (ok)
    {
      g_hash_table_remove_all (self->statements);
      ok = copy_database (backup, self->db, "restore", error) &&
           exec_script (self, "PRAGMA journal_mode = WAL", error) &&
           migrate (self, error);
    }
  sqlite3_close (backup);
  return ok;
}

/* ---- GObject ------------------------------------------------------------- */

static void
parley_sqlite_store_finalize (GObject *object)
{
  ParleySqliteStore *self = (ParleySqliteStore *) object;

  g_clear_pointer (&self->checkpointer, sqlite3_close);
  g_mutex_clear (&self->checkpoint_lock);
  /* Statements first: a connection with statements left will not close. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL && sqlite3_close (self->db) != SQLITE_OK)
    g_warning ("Cannot close %s: %s", self->path, sqlite3_errmsg (self->db));
  g_free (self->path);

  G_OBJECT_CLASS (parley_sqlite_store_parent_class)->finalize (object);
}

static void
parley_sqlite_store_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_free (self->path);
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_sqlite_store_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ParleySqliteStore *self = PARLEY_SQLITE_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_sqlite_store_class_init (ParleySqliteStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ParleyStoreClass *store_class = PARLEY_STORE_CLASS (klass);

  object_class->finalize = parley_sqlite_store_finalize;
  object_class->set_property = parley_sqlite_store_set_property;
  object_class->get_property = parley_sqlite_store_get_property;

  /* The database file, or ":memory:". */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  store_class->begin = parley_sqlite_store_begin;
  store_class->commit = parley_sqlite_store_commit;
  store_class->begin_lazy = parley_sqlite_store_begin_lazy;
  store_class->commit_lazy = parley_sqlite_store_commit_lazy;
  store_class->sync_async = parley_sqlite_store_sync_async;
  store_class->sync_finish = parley_sqlite_store_sync_finish;
  store_class->rollback = parley_sqlite_store_rollback;
  store_class->savepoint = parley_sqlite_store_savepoint;
  store_class->release_savepoint = parley_sqlite_store_release_savepoint;
  store_class->rollback_savepoint = parley_sqlite_store_rollback_savepoint;
  store_class->set_setting = parley_sqlite_store_set_setting;
  store_class->get_setting = parley_sqlite_store_get_setting;
  store_class->create_agent = parley_sqlite_store_create_agent;
  store_class->update_agent = parley_sqlite_store_update_agent;
  store_class->get_agent = parley_sqlite_store_get_agent;
  store_class->get_agent_by_login = parley_sqlite_store_get_agent_by_login;
  store_class->list_agents = parley_sqlite_store_list_agents;
  store_class->set_presence = parley_sqlite_store_set_presence;
  store_class->add_token = parley_sqlite_store_add_token;
  store_class->lookup_token = parley_sqlite_store_lookup_token;
  store_class->remove_token = parley_sqlite_store_remove_token;
  store_class->purge_tokens = parley_sqlite_store_purge_tokens;
  store_class->create_queue = parley_sqlite_store_create_queue;
  store_class->list_queues = parley_sqlite_store_list_queues;
  store_class->resolve_identity = parley_sqlite_store_resolve_identity;
  store_class->get_customer = parley_sqlite_store_get_customer;
  store_class->search_customers = parley_sqlite_store_search_customers;
  store_class->update_customer = parley_sqlite_store_update_customer;
  store_class->find_identity = parley_sqlite_store_find_identity;
  store_class->link_identity = parley_sqlite_store_link_identity;
  store_class->merge_customers = parley_sqlite_store_merge_customers;
  store_class->get_merge = parley_sqlite_store_get_merge;
  store_class->unmerge = parley_sqlite_store_unmerge;
  store_class->open_conversation_for = parley_sqlite_store_open_conversation_for;
  store_class->create_conversation = parley_sqlite_store_create_conversation;
  store_class->get_conversation = parley_sqlite_store_get_conversation;
  store_class->list_conversations = parley_sqlite_store_list_conversations;
  store_class->update_conversation = parley_sqlite_store_update_conversation;
  store_class->resolve_conversation = parley_sqlite_store_resolve_conversation;
  store_class->mark_first_response = parley_sqlite_store_mark_first_response;
  store_class->last_agent_for = parley_sqlite_store_last_agent_for;
  store_class->append_event = parley_sqlite_store_append_event;
  store_class->get_event = parley_sqlite_store_get_event;
  store_class->find_event_by_external = parley_sqlite_store_find_event_by_external;
  store_class->timeline = parley_sqlite_store_timeline;
  store_class->set_event_delivery = parley_sqlite_store_set_event_delivery;
  store_class->last_sender = parley_sqlite_store_last_sender;
  store_class->mark_read = parley_sqlite_store_mark_read;
  store_class->messages_with = parley_sqlite_store_messages_with;
  store_class->metric_rows = parley_sqlite_store_metric_rows;
  store_class->metric_mark = parley_sqlite_store_metric_mark;
  store_class->metric_rows_between = parley_sqlite_store_metric_rows_between;
  store_class->save_attachment = parley_sqlite_store_save_attachment;
  store_class->load_attachment = parley_sqlite_store_load_attachment;
  store_class->forget_unsent_attachments = parley_sqlite_store_forget_unsent_attachments;
  store_class->unsent_attachment_bytes = parley_sqlite_store_unsent_attachment_bytes;
  store_class->create_offer = parley_sqlite_store_create_offer;
  store_class->get_offer = parley_sqlite_store_get_offer;
  store_class->decide_offer = parley_sqlite_store_decide_offer;
  store_class->list_open_offers = parley_sqlite_store_list_open_offers;
  store_class->enqueue_outbound = parley_sqlite_store_enqueue_outbound;
  store_class->due_outbound = parley_sqlite_store_due_outbound;
  store_class->finish_outbound = parley_sqlite_store_finish_outbound;
  store_class->add_survey_answer = parley_sqlite_store_add_survey_answer;
  store_class->set_survey_answer = parley_sqlite_store_set_survey_answer;
  store_class->create_survey = parley_sqlite_store_create_survey;
  store_class->due_surveys = parley_sqlite_store_due_surveys;
  store_class->next_survey_due = parley_sqlite_store_next_survey_due;
  store_class->update_survey = parley_sqlite_store_update_survey;
  store_class->awaiting_survey = parley_sqlite_store_awaiting_survey;
  store_class->count_surveys_since = parley_sqlite_store_count_surveys_since;
  store_class->set_queue_settings = parley_sqlite_store_set_queue_settings;
  store_class->survey_rows = parley_sqlite_store_survey_rows;
  store_class->list_surveys = parley_sqlite_store_list_surveys;
  store_class->export_customer = parley_sqlite_store_export_customer;
  store_class->erase_customer = parley_sqlite_store_erase_customer;
  store_class->scrub = parley_sqlite_store_scrub;
  store_class->add_audit = parley_sqlite_store_add_audit;
  store_class->list_audit = parley_sqlite_store_list_audit;
  store_class->expire_attachments = parley_sqlite_store_expire_attachments;
  store_class->backup = parley_sqlite_store_backup;
  store_class->restore = parley_sqlite_store_restore;
}

static void
parley_sqlite_store_init (ParleySqliteStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) sqlite3_finalize);
  g_mutex_init (&self->checkpoint_lock);
}

/**
 * parley_sqlite_store_new:
 * @path: the database file, created if missing, or ":memory:"
 * @error: return location for a #GError
 *
 * Opens the database and brings its schema up to date.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL with @error set
 */
ParleySqliteStore *
parley_sqlite_store_new (const char  *path,
                         GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_initable_new (PARLEY_TYPE_SQLITE_STORE, NULL, error, "path", path, NULL);
}
