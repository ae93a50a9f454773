/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <unistd.h>

#include "parley-data-dir.h"
#include "parley-error.h"
#include "parley-sqlite-store.h"

/* Each test gets a fresh database file in a directory of its own, so WAL
 * and reopening behave as in parleyd. In a fresh database ids count from 1,
 * which the expected JSON below relies on. */

typedef struct
{
  char        *dir;
  char        *path;
  ParleyStore *store;
} Fixture;

static void
fixture_open (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = PARLEY_STORE (parley_sqlite_store_new (f->path, &error));
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static void
fixture_reopen (Fixture *f)
{
  g_clear_object (&f->store);
  fixture_open (f);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("parley-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "parley.db", NULL);
  fixture_open (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->store);
  dir = g_dir_open (f->dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (f->dir, name, NULL);

      g_assert_cmpint (g_unlink (file), ==, 0);
    }
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->path);
  g_free (f->dir);
}

/* ---- helpers ------------------------------------------------------------- */

/* Runs SQL on a connection of the test's own, to see what the store's API
 * does not show; the first column of the first row, if any. */
static gint64
db_int (Fixture    *f,
        const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = 0;
  int rc;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  rc = sqlite3_step (stmt);
  g_assert_true (rc == SQLITE_ROW || rc == SQLITE_DONE);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  return value;
}

static JsonObject *
object_from (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

/* Compares as JSON (member order aside); @expected uses ' for " to stay
 * readable. */
static void
assert_json (JsonObject *actual,
             const char *expected)
{
  g_autofree char *wanted = g_strdelimit (g_strdup (expected), "'", '"');
  g_autoptr(JsonNode) want = json_from_string (wanted, NULL);
  g_autoptr(JsonNode) got = NULL;

  g_assert_nonnull (actual);
  g_assert_nonnull (want);
  got = json_node_init_object (json_node_alloc (), actual);
  if (!json_node_equal (got, want))
    {
      g_autofree char *text = json_to_string (got, FALSE);

      g_assert_cmpstr (text, ==, wanted);
    }
}

/* The "id" of each row, in order, against a 0-terminated list. */
static void
assert_ids (GPtrArray    *rows,
            const gint64 *expected)
{
  guint n = 0;

  g_assert_nonnull (rows);
  while (expected[n] != 0)
    n++;
  g_assert_cmpuint (rows->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (rows, i), "id"), ==, expected[i]);
}

static gint64
add_agent (ParleyStore *store,
           const char  *login)
{
  g_autoptr(GError) error = NULL;
  gint64 id = parley_store_create_agent (store, login, login, "agent", "hash", NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
add_queue (ParleyStore *store,
           const char  *name)
{
  g_autoptr(GError) error = NULL;
  gint64 id = parley_store_create_queue (store, name, 0, NULL, 30, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
add_customer (ParleyStore *store,
              const char  *kind,
              const char  *value,
              const char  *name,
              gint64       now)
{
  g_autoptr(GError) error = NULL;
  gboolean created = FALSE;
  gint64 id = parley_store_resolve_identity (store, kind, value, name, now, &created, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (created);
  return id;
}

static gint64
add_conversation (ParleyStore *store,
                  gint64       customer_id,
                  gint64       queue_id,
                  const char  *channel,
                  gint         priority,
                  gint64       now)
{
  g_autoptr(GError) error = NULL;
  gint64 id = parley_store_create_conversation (store, customer_id, queue_id, channel, priority, now, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* An event as the hub records it; @metadata uses ' for " (or NULL). */
static gint64
add_record (ParleyStore *store,
            gint64       conversation_id,
            gint64       customer_id,
            const char  *channel,
            const char  *kind,
            const char  *direction,
            const char  *text,
            gint64       agent_id,
            const char  *metadata,
            gint64       created)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *details_text = metadata ? g_strdelimit (g_strdup (metadata), "'", '"') : NULL;
  g_autoptr(JsonObject) details = details_text ? object_from (details_text) : NULL;
  ParleyEventDraft draft = {
    .conversation_id = conversation_id,
    .customer_id = customer_id,
    .channel = channel,
    .kind = kind,
    .direction = direction,
    .agent_id = agent_id,
    .text = text,
    .metadata = details,
    .created = created,
  };
  gint64 id = parley_store_append_event (store, &draft, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* A customer's message. */
static gint64
add_event (ParleyStore *store,
           gint64       conversation_id,
           gint64       customer_id,
           const char  *channel,
           gint64       created)
{
  g_autofree char *text = g_strdup_printf ("Hi, about order %" G_GINT64_FORMAT, created);

  return add_record (store, conversation_id, customer_id, channel, "message", "in", text, 0, NULL, created);
}

static gint64
customer_merged_into (ParleyStore *store,
                      gint64       customer_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) customer = parley_store_get_customer (store, customer_id, &error);

  g_assert_no_error (error);
  return json_object_get_int_member (customer, "merged_into");
}

static gint64
conversation_customer (ParleyStore *store,
                       gint64       conversation_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) conversation = parley_store_get_conversation (store, conversation_id, &error);

  g_assert_no_error (error);
  return json_object_get_int_member (conversation, "customer_id");
}

/* ---- schema -------------------------------------------------------------- */

static void
test_schema_fresh (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParleySqliteStore) memory = NULL;
  g_autoptr(GPtrArray) agents = NULL;

  g_assert_cmpint (db_int (f, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), ==, 1);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM schema_version"), >=, 1);
  g_assert_cmpint (db_int (f, "SELECT count (*) = max (version) AND min (version) = 1 FROM schema_version"), ==, 1);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                              "('settings', 'agents', 'agent_presence', 'tokens', 'queues', 'customers', "
                              "'identities', 'merges', 'conversations', 'events', 'offers', 'outbox', "
                              "'survey_answers')"), ==, 13);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM pragma_index_list ('events') "
                              "WHERE name = 'events_external' AND \"unique\" AND partial"), ==, 1);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM pragma_index_info ('events_customer_channel')"), ==, 3);

  /* Foreign keys are on: a conversation for nobody is refused. */
  g_assert_cmpint (parley_store_create_conversation (f->store, 42, 42, "chat", 0, 1, &error), ==, 0);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  memory = parley_sqlite_store_new (":memory:", &error);
  g_assert_no_error (error);
  agents = parley_store_list_agents (PARLEY_STORE (memory), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (agents->len, ==, 0);
}

static void
test_schema_reopen (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) agent = NULL;
  g_autofree char *key = NULL;
  g_autofree char *future = NULL;
  gint64 versions, customer;
  ParleySqliteStore *store;

  add_agent (f->store, "alice");
  customer = add_customer (f->store, "email", "ann@example.com", "Ann", 100);
  g_assert_true (parley_store_set_setting (f->store, "api", "key", "secret", &error));
  g_assert_no_error (error);
  versions = db_int (f, "SELECT count (*) FROM schema_version");

  fixture_reopen (f);
  /* Nothing migrated twice, nothing lost. */
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM schema_version"), ==, versions);
  agent = parley_store_get_agent_by_login (f->store, "alice", &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (agent, "id"), ==, 1);
  g_assert_cmpint (parley_store_resolve_identity (f->store, "email", "ann@example.com", NULL, 200, NULL, &error),
                   ==, customer);
  g_assert_no_error (error);
  key = parley_store_get_setting (f->store, "api", "key");
  g_assert_cmpstr (key, ==, "secret");

  /* A database from a newer parleyd is refused, not half-understood. */
  g_clear_object (&f->store);
  future = g_strdup_printf ("INSERT INTO schema_version (version, applied) VALUES (%" G_GINT64_FORMAT ", 0) "
                            "RETURNING version", versions + 1);
  g_assert_cmpint (db_int (f, future), ==, versions + 1);
  store = parley_sqlite_store_new (f->path, &error);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_STORAGE);
  g_assert_null (store);
}

/* ---- agents, tokens, settings, queues ------------------------------------ */

static void
test_agents (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) skills = object_from ("{\"billing\":3}");
  g_autoptr(JsonObject) capacity = object_from ("{\"chat\":2}");
  g_autoptr(JsonObject) more_capacity = object_from ("{\"chat\":3,\"email\":5}");
  g_autoptr(JsonObject) agent = NULL;
  g_autoptr(JsonObject) by_login = NULL;
  g_autoptr(JsonObject) updated = NULL;
  g_autoptr(JsonObject) present = NULL;
  g_autoptr(GPtrArray) agents = NULL;
  gint64 id;

  id = parley_store_create_agent (f->store, "alice", "Alice", "agent", "hash-a", skills, capacity, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, ==, 1);

  agent = parley_store_get_agent (f->store, id, &error);
  g_assert_no_error (error);
  assert_json (agent, "{'id':1,'login':'alice','name':'Alice','role':'agent','skills':{'billing':3},"
                      "'capacity':{'chat':2},'presence':'offline','reason':null,'presence_since':0}");
  by_login = parley_store_get_agent_by_login (f->store, "alice", &error);
  g_assert_no_error (error);
  assert_json (by_login, "{'id':1,'login':'alice','name':'Alice','role':'agent','skills':{'billing':3},"
                         "'capacity':{'chat':2},'presence':'offline','reason':null,'presence_since':0,"
                         "'password_hash':'hash-a'}");

  g_assert_cmpint (parley_store_create_agent (f->store, "alice", "Other", "admin", "x", NULL, NULL, &error), ==, 0);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_null (parley_store_get_agent (f->store, 99, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (parley_store_get_agent_by_login (f->store, "nobody", &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* NULL leaves a field alone. */
  g_assert_true (parley_store_update_agent (f->store, id, "Alice Martin", NULL, NULL, NULL, more_capacity, &error));
  g_assert_no_error (error);
  updated = parley_store_get_agent_by_login (f->store, "alice", &error);
  g_assert_no_error (error);
  assert_json (updated, "{'id':1,'login':'alice','name':'Alice Martin','role':'agent','skills':{'billing':3},"
                        "'capacity':{'chat':3,'email':5},'presence':'offline','reason':null,"
                        "'presence_since':0,'password_hash':'hash-a'}");
  g_assert_false (parley_store_update_agent (f->store, 99, "X", NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (parley_store_set_presence (f->store, id, "away", "Lunch", 5000, &error));
  g_assert_no_error (error);
  present = parley_store_get_agent (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (present, "presence"), ==, "away");
  g_assert_cmpstr (json_object_get_string_member (present, "reason"), ==, "Lunch");
  g_assert_cmpint (json_object_get_int_member (present, "presence_since"), ==, 5000);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM agent_presence WHERE agent_id = 1 AND state = 'away' "
                              "AND reason = 'Lunch' AND at = 5000"), ==, 1);
  g_assert_false (parley_store_set_presence (f->store, 99, "away", NULL, 6000, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM agent_presence"), ==, 1);

  add_agent (f->store, "bob");
  agents = parley_store_list_agents (f->store, &error);
  g_assert_no_error (error);
  assert_ids (agents, (const gint64[]) { 1, 2, 0 });
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (agents, 1), "login"), ==, "bob");
  for (guint i = 0; i < agents->len; i++)
    g_assert_false (json_object_has_member (g_ptr_array_index (agents, i), "password_hash"));
}

static void
test_tokens (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 agent = add_agent (f->store, "alice");
  gint64 expires = 0;

  g_assert_true (parley_store_add_token (f->store, "h1", agent, 2000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (parley_store_lookup_token (f->store, "h1", 1999, &expires), ==, agent);
  /* The stored expiry comes back, so a restarted hub keeps to it. */
  g_assert_cmpint (expires, ==, 2000);
  g_assert_cmpint (parley_store_lookup_token (f->store, "h1", 2000, &expires), ==, 0);
  g_assert_cmpint (parley_store_lookup_token (f->store, "other", 1000, &expires), ==, 0);

  /* Expired tokens are purged; live ones stay. */
  g_assert_true (parley_store_add_token (f->store, "old", agent, 1500, &error));
  g_assert_cmpint (parley_store_purge_tokens (f->store, 1600, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (parley_store_lookup_token (f->store, "h1", 1600, &expires), ==, agent);
  g_assert_cmpint (parley_store_purge_tokens (f->store, 1600, &error), ==, 0);

  g_assert_false (parley_store_add_token (f->store, "h1", agent, 3000, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (parley_store_add_token (f->store, "h2", 99, 3000, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (parley_store_remove_token (f->store, "h1", &error));
  g_assert_no_error (error);
  g_assert_cmpint (parley_store_lookup_token (f->store, "h1", 1000, &expires), ==, 0);
  g_assert_false (parley_store_remove_token (f->store, "h1", &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
}

static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *hub = NULL;
  g_autofree char *other_scope = NULL;
  g_autofree char *missing = NULL;

  g_assert_true (parley_store_set_setting (f->store, "api", "key", "abc", &error));
  g_assert_no_error (error);
  first = parley_store_get_setting (f->store, "api", "key");
  g_assert_cmpstr (first, ==, "abc");

  g_assert_true (parley_store_set_setting (f->store, "api", "key", "def", &error));
  g_assert_true (parley_store_set_setting (f->store, "hub", "key", "ghi", &error));
  g_assert_no_error (error);
  second = parley_store_get_setting (f->store, "api", "key");
  g_assert_cmpstr (second, ==, "def");
  hub = parley_store_get_setting (f->store, "hub", "key");
  g_assert_cmpstr (hub, ==, "ghi");
  other_scope = parley_store_get_setting (f->store, "email", "key");
  g_assert_null (other_scope);
  missing = parley_store_get_setting (f->store, "api", "callback-url");
  g_assert_null (missing);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM settings"), ==, 2);
}

static void
test_queues (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) skills = object_from ("{\"billing\":2}");
  g_autoptr(JsonObject) service_level = object_from ("{\"chat\":30,\"email\":3600}");
  g_autoptr(GPtrArray) queues = NULL;

  g_assert_cmpint (parley_store_create_queue (f->store, "General", 0, NULL, 30, NULL, NULL, &error), ==, 1);
  g_assert_cmpint (parley_store_create_queue (f->store, "Billing", 5, skills, 60, service_level, NULL, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (parley_store_create_queue (f->store, "Billing", 1, NULL, 10, NULL, NULL, &error), ==, 0);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT);
  g_clear_error (&error);

  queues = parley_store_list_queues (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queues->len, ==, 2);
  assert_json (g_ptr_array_index (queues, 0),
               "{'id':1,'name':'General','priority':0,'skills':{},'relax_after':30,'service_level':{},'settings':{}}");
  assert_json (g_ptr_array_index (queues, 1),
               "{'id':2,'name':'Billing','priority':5,'skills':{'billing':2},'relax_after':60,"
               "'service_level':{'chat':30,'email':3600},'settings':{}}");

  {
    g_autoptr(JsonObject) settings = object_from ("{\"survey\":{\"enabled\":true}}");
    g_autoptr(GPtrArray) changed = NULL;

    g_assert_true (parley_store_set_queue_settings (f->store, 2, settings, &error));
    g_assert_no_error (error);
    g_assert_false (parley_store_set_queue_settings (f->store, 3, settings, &error));
    g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
    g_clear_error (&error);
    changed = parley_store_list_queues (f->store, &error);
    assert_json (g_ptr_array_index (changed, 1),
                 "{'id':2,'name':'Billing','priority':5,'skills':{'billing':2},'relax_after':60,"
                 "'service_level':{'chat':30,'email':3600},'settings':{'survey':{'enabled':true}}}");
  }
}

/* ---- customers and identities -------------------------------------------- */

static void
test_resolve_identity (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) ann = NULL;
  g_autoptr(JsonObject) unnamed = NULL;
  gboolean created = TRUE;
  gint64 first, again, other;

  first = add_customer (f->store, "email", "ann@example.com", "Ann", 100);
  g_assert_cmpint (first, ==, 1);
  again = parley_store_resolve_identity (f->store, "email", "ann@example.com", "Someone Else", 200, &created, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again, ==, first);
  g_assert_false (created);

  /* Same value, other kind: another identity, so another customer. */
  other = parley_store_resolve_identity (f->store, "chat", "ann@example.com", NULL, 300, &created, &error);
  g_assert_no_error (error);
  g_assert_cmpint (other, ==, 2);
  g_assert_true (created);

  ann = parley_store_get_customer (f->store, first, &error);
  g_assert_no_error (error);
  assert_json (ann, "{'id':1,'name':'Ann','attributes':{},'identities':[{'kind':'email','value':'ann@example.com'}],"
                    "'created':100,'merged_into':0}");
  unnamed = parley_store_get_customer (f->store, other, &error);
  g_assert_no_error (error);
  assert_json (unnamed, "{'id':2,'name':'ann@example.com','attributes':{},"
                        "'identities':[{'kind':'chat','value':'ann@example.com'}],'created':300,'merged_into':0}");
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM customers"), ==, 2);

  g_assert_null (parley_store_get_customer (f->store, 99, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
}

static void
assert_search (ParleyStore  *store,
               const char   *query,
               guint         limit,
               const gint64 *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = parley_store_search_customers (store, query, limit, &error);

  g_assert_no_error (error);
  assert_ids (found, expected);
}

/* Case is ignored in every language, as g_utf8_casefold () folds it;
 * accents count. */
static void
test_search_folds_case (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 maria = add_customer (f->store, "email", "maria@example.com", "MAR\xc3\x8d" "A L\xc3\x93PEZ", 100);
  gint64 aero = add_customer (f->store, "email", "info@aero.example", "\xc3\x86r\xc3\xb8 Fisk", 200);
  gint64 strasse = add_customer (f->store, "email", "post@example.de", "STRASSE M\xc3\x9cLLER", 300);
  gint64 yuki = add_customer (f->store, "api", "KUNDE-\xc3\x84RGER", "Yuki", 400);
  gint64 greek = add_customer (f->store, "email", "odysseas@example.gr", "\xce\x9f\xce\x94\xce\xa5\xce\xa3\xce\xa3\xce\x95\xce\x91\xce\xa3", 500);

  assert_search (f->store, "mar\xc3\xad" "a", 0, (const gint64[]) { maria, 0 });             /* maría */
  assert_search (f->store, "Mar\xc3\xad" "a l\xc3\xb3pez", 0, (const gint64[]) { maria, 0 });
  assert_search (f->store, "mari\xcc\x81" "a", 0, (const gint64[]) { maria, 0 });            /* decomposed í */
  assert_search (f->store, "maria l", 0, (const gint64[]) { 0 });                            /* accents count */
  assert_search (f->store, "\xc3\xa6r\xc3\xb8", 0, (const gint64[]) { aero, 0 });           /* ærø */
  assert_search (f->store, "\xc3\x86R\xc3\x98", 0, (const gint64[]) { aero, 0 });           /* ÆRØ */
  assert_search (f->store, "stra\xc3\x9f" "e", 0, (const gint64[]) { strasse, 0 });          /* straße */
  assert_search (f->store, "m\xc3\xbcller", 0, (const gint64[]) { strasse, 0 });
  assert_search (f->store, "\xcf\x83\xcf\x83\xce\xb5", 0, (const gint64[]) { greek, 0 }); /* σσε in ΟΔΥΣΣΕΑΣ */
  /* Identity values too. */
  assert_search (f->store, "kunde-\xc3\xa4rger", 0, (const gint64[]) { yuki, 0 });
  assert_search (f->store, "%\xc3\xa4", 0, (const gint64[]) { 0 });                          /* still literal */

  /* A new name is searched by; an erased one no longer. */
  g_assert_true (parley_store_update_customer (f->store, maria, "\xc3\x89LODIE", NULL, 600, &error));
  g_assert_no_error (error);
  assert_search (f->store, "\xc3\xa9lodie", 0, (const gint64[]) { maria, 0 });
  assert_search (f->store, "l\xc3\xb3pez", 0, (const gint64[]) { 0 });
  g_assert_true (parley_store_erase_customer (f->store, strasse, 700, &error));
  g_assert_no_error (error);
  assert_search (f->store, "strasse", 0, (const gint64[]) { 0 });
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM customers WHERE search_name LIKE '%strasse%'"), ==, 0);
}

/* Phone numbers are found as agents type them, whatever the spelling. */
static void
test_search_phone_numbers (Fixture       *f,
                           gconstpointer  data)
{
  gint64 rome = add_customer (f->store, "phone", "+390612345678", "Rome", 100);
  gint64 london = add_customer (f->store, "phone", "+442079460018", "London", 200);
  gint64 sf = add_customer (f->store, "phone", "+14155550100", "San Francisco", 300);
  gint64 api = add_customer (f->store, "api", "crm-2079460018", "Not a phone", 400);

  assert_search (f->store, "06 1234 5678", 0, (const gint64[]) { rome, 0 });         /* national, IT */
  assert_search (f->store, "+39 06 1234", 0, (const gint64[]) { rome, 0 });
  assert_search (f->store, "0039 (06) 1234-5678", 0, (const gint64[]) { rome, 0 });
  assert_search (f->store, "020 7946 0018", 0, (const gint64[]) { london, 0 });     /* national, GB */
  assert_search (f->store, "+44 20 7946 0018", 0, (const gint64[]) { london, 0 });
  assert_search (f->store, "1 (415) 555-0100", 0, (const gint64[]) { sf, 0 });
  assert_search (f->store, "415.555.0100", 0, (const gint64[]) { sf, 0 });
  assert_search (f->store, "2079460018", 0, (const gint64[]) { api, london, 0 });    /* plain text still */
  assert_search (f->store, "20 7946", 0, (const gint64[]) { london, 0 });
  assert_search (f->store, "0 12", 0, (const gint64[]) { 0 });                        /* too few digits */
  assert_search (f->store, "06 1234 x", 0, (const gint64[]) { 0 });
}

/* Runs SQL on a connection of the test's own (no parley_fold there). */
static void
db_exec (Fixture    *f,
         const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static const char *
identity_value (Fixture *f,
                gint64   identity_id)
{
  static char value[128];
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT value FROM identities WHERE id = ?1", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, identity_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_strlcpy (value, (const char *) sqlite3_column_text (stmt, 0), sizeof value);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  return value;
}

/* A store from before folded searches and libphonenumber: migrating it
 * fills the folded columns and respells phone and email identities, and
 * two customers whose keys become one are left apart (and logged). */
static void
test_migrate_identities (Fixture       *f,
                         gconstpointer  data)
{
  gint64 maria = add_customer (f->store, "email", "maria@example.com", "MAR\xc3\x8d" "A", 100);
  gint64 anna = add_customer (f->store, "email", "anna@example.com", "Anna", 200);
  gint64 london = add_customer (f->store, "email", "desk@example.co.uk", "London desk", 300);
  gint64 trunk = add_customer (f->store, "email", "trunk@example.co.uk", "Trunk", 400);

  /* What the old normaliser stored: "+44 (0)20 …" kept its 0, a domain
   * written in ASCII stayed so, "1 415 …" with calling code 1 became
   * +114155550100, "06 …" with 39 lost its 0 (+39 6…: a possible number
   * still, so it cannot be told apart and stays). */
  g_assert_cmpint (parley_store_link_identity (f->store, anna, "email", "anna@xn--bcher-kva.de", NULL), ==, 0);
  g_assert_cmpint (parley_store_link_identity (f->store, anna, "phone", "+39612345678", NULL), ==, 0);
  g_assert_cmpint (parley_store_link_identity (f->store, london, "phone", "+442079460018", NULL), ==, 0);
  g_assert_cmpint (parley_store_link_identity (f->store, trunk, "phone", "+4402079460018", NULL), ==, 0);
  g_assert_cmpint (parley_store_link_identity (f->store, maria, "phone", "+4402079460099", NULL), ==, 0);
  g_assert_cmpint (parley_store_link_identity (f->store, maria, "phone", "+114155550100", NULL), ==, 0);
  g_clear_object (&f->store);
  db_exec (f, "DELETE FROM schema_version WHERE version >= 7;"
              "ALTER TABLE customers DROP COLUMN search_name;"
              "ALTER TABLE identities DROP COLUMN search_value;");

  g_test_expect_message ("parley-sqlite-store", G_LOG_LEVEL_MESSAGE, "Customers 3 and 4 have one phone identity now*");
  fixture_open (f);
  g_test_assert_expected_messages ();

  g_assert_cmpint (db_int (f, "SELECT MAX (version) FROM schema_version"), ==, 8);
  assert_search (f->store, "mar\xc3\xad" "a", 0, (const gint64[]) { maria, 0 });
  g_assert_cmpint (parley_store_find_identity (f->store, "email", "anna@b\xc3\xbc" "cher.de", NULL), ==, anna);
  assert_search (f->store, "B\xc3\x9c" "CHER", 0, (const gint64[]) { anna, 0 });
  g_assert_cmpint (parley_store_find_identity (f->store, "phone", "+442079460099", NULL), ==, maria);
  g_assert_cmpint (parley_store_find_identity (f->store, "phone", "+442079460018", NULL), ==, london);
  g_assert_cmpstr (identity_value (f, 8), ==, "+4402079460018");      /* trunk's: kept apart */
  g_assert_cmpint (parley_store_find_identity (f->store, "phone", "+4402079460018", NULL), ==, trunk);
  g_assert_cmpstr (identity_value (f, 6), ==, "+39612345678");
  /* "1 415 …" read with calling code 1 got its trunk 1 twice: repaired. */
  g_assert_cmpint (parley_store_find_identity (f->store, "phone", "+14155550100", NULL), ==, maria);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM identities WHERE search_value = ''"), ==, 0);
}

static void
test_customers (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) attributes = object_from ("{\"tier\":2,\"vip\":true}");
  g_autoptr(JsonObject) renamed = NULL;
  gint64 maria, cotton, thousand, underscore, plain;

  maria = add_customer (f->store, "email", "maria@example.com", "María García", 100);
  cotton = add_customer (f->store, "email", "sales@cotton.example", "100% Cotton Ltd", 200);
  thousand = add_customer (f->store, "email", "info@thousand.example", "1000 Cotton", 300);
  underscore = add_customer (f->store, "chat", "visitor-1", "a_b", 400);
  plain = add_customer (f->store, "chat", "visitor-2", "axb", 500);

  /* No query: most recently updated first. */
  assert_search (f->store, NULL, 0, (const gint64[]) { plain, underscore, thousand, cotton, maria, 0 });
  assert_search (f->store, "", 2, (const gint64[]) { plain, underscore, 0 });
  assert_search (f->store, "   ", 0, (const gint64[]) { plain, underscore, thousand, cotton, maria, 0 });

  /* Names and identity values, ASCII case aside. */
  assert_search (f->store, "cotton", 0, (const gint64[]) { thousand, cotton, 0 });
  assert_search (f->store, "maria@", 0, (const gint64[]) { maria, 0 });
  assert_search (f->store, "nobody", 0, (const gint64[]) { 0 });

  /* LIKE wildcards are taken literally, SQL is only ever data. */
  assert_search (f->store, "100%", 0, (const gint64[]) { cotton, 0 });
  assert_search (f->store, "%", 0, (const gint64[]) { cotton, 0 });
  assert_search (f->store, "a_b", 0, (const gint64[]) { underscore, 0 });
  assert_search (f->store, "_", 0, (const gint64[]) { underscore, 0 });
  assert_search (f->store, "'; DROP TABLE customers; --", 0, (const gint64[]) { 0 });
  assert_search (f->store, "\" OR 1=1 --", 0, (const gint64[]) { 0 });
  assert_search (f->store, "\\", 0, (const gint64[]) { 0 });
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM customers"), ==, 5);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM identities"), ==, 5);

  /* Attributes replace the old ones; NULL keeps them. */
  g_assert_true (parley_store_update_customer (f->store, maria, NULL, attributes, 600, &error));
  g_assert_no_error (error);
  g_assert_true (parley_store_update_customer (f->store, maria, "Maria G.", NULL, 700, &error));
  g_assert_no_error (error);
  renamed = parley_store_get_customer (f->store, maria, &error);
  g_assert_no_error (error);
  assert_json (renamed, "{'id':1,'name':'Maria G.','attributes':{'tier':2,'vip':true},"
                        "'identities':[{'kind':'email','value':'maria@example.com'}],'created':100,'merged_into':0}");
  assert_search (f->store, NULL, 1, (const gint64[]) { maria, 0 });

  g_assert_false (parley_store_update_customer (f->store, 99, "X", NULL, 800, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
}

static void
test_link_identity (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) ann = NULL;
  g_autoptr(JsonObject) bob = NULL;
  gboolean created = TRUE;
  gint64 a, b;

  a = add_customer (f->store, "email", "ann@example.com", "Ann", 100);
  b = add_customer (f->store, "email", "bob@example.com", "Bob", 200);

  g_assert_cmpint (parley_store_link_identity (f->store, a, "phone", "+15550100", &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (parley_store_link_identity (f->store, a, "email", "bob@example.com", &error), ==, b);
  g_assert_no_error (error);
  g_assert_cmpint (parley_store_link_identity (f->store, a, "email", "ann@example.com", &error), ==, a);
  g_assert_no_error (error);

  ann = parley_store_get_customer (f->store, a, &error);
  g_assert_no_error (error);
  assert_json (ann, "{'id':1,'name':'Ann','attributes':{},'created':100,'merged_into':0,'identities':["
                    "{'kind':'email','value':'ann@example.com'},{'kind':'email','value':'bob@example.com'},"
                    "{'kind':'phone','value':'+15550100'}]}");
  bob = parley_store_get_customer (f->store, b, &error);
  g_assert_no_error (error);
  assert_json (bob, "{'id':2,'name':'Bob','attributes':{},'created':200,'merged_into':0,'identities':[]}");

  /* The moved identity now resolves to its new customer. */
  g_assert_cmpint (parley_store_resolve_identity (f->store, "email", "bob@example.com", "Bob", 300, &created, &error),
                   ==, a);
  g_assert_false (created);

  g_assert_cmpint (parley_store_link_identity (f->store, 99, "phone", "+15550199", &error), ==, -1);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM identities"), ==, 3);
}

static void
assert_timeline_search (ParleyStore  *store,
                        gint64        customer_id,
                        gint64        before_id,
                        guint         limit,
                        const char   *channel,
                        const char   *search,
                        const gint64 *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = parley_store_timeline (store, customer_id, before_id, limit, channel, search, &error);

  g_assert_no_error (error);
  assert_ids (events, expected);
}

static void
assert_timeline (ParleyStore  *store,
                 gint64        customer_id,
                 gint64        before_id,
                 guint         limit,
                 const char   *channel,
                 const gint64 *expected)
{
  assert_timeline_search (store, customer_id, before_id, limit, channel, NULL, expected);
}

static void
test_merge (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) merge = NULL;
  g_autoptr(JsonObject) undone = NULL;
  g_autoptr(JsonObject) survivor = NULL;
  g_autoptr(JsonObject) restored = NULL;
  g_autoptr(JsonObject) alone = NULL;
  gint64 queue, agent, a, b, c, conv_a, conv_b, e1, e2, e3, e4, e5, merge_id, second, third;

  queue = add_queue (f->store, "General");
  agent = add_agent (f->store, "alice");
  a = add_customer (f->store, "email", "ann@example.com", "Ann", 100);
  b = add_customer (f->store, "email", "bob@example.com", "Bob", 200);
  g_assert_cmpint (parley_store_link_identity (f->store, b, "phone", "+15550100", &error), ==, 0);
  conv_a = add_conversation (f->store, a, queue, "chat", 0, 300);
  conv_b = add_conversation (f->store, b, queue, "email", 0, 400);
  e1 = add_event (f->store, conv_a, a, "chat", 500);
  e2 = add_event (f->store, conv_b, b, "email", 600);
  e3 = add_event (f->store, 0, b, "system", 700);

  g_assert_cmpint (parley_store_merge_customers (f->store, a, a, agent, 800, &error), ==, 0);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (parley_store_merge_customers (f->store, a, 99, agent, 800, &error), ==, 0);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (parley_store_merge_customers (f->store, 99, a, agent, 800, &error), ==, 0);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  merge_id = parley_store_merge_customers (f->store, a, b, agent, 800, &error);
  g_assert_no_error (error);
  g_assert_cmpint (merge_id, ==, 1);
  merge = parley_store_get_merge (f->store, merge_id, &error);
  g_assert_no_error (error);
  assert_json (merge, "{'id':1,'survivor_id':1,'absorbed_id':2,'agent_id':1,'created':800,'undone_at':0}");

  g_assert_cmpint (customer_merged_into (f->store, b), ==, a);
  survivor = parley_store_get_customer (f->store, a, &error);
  g_assert_no_error (error);
  assert_json (survivor, "{'id':1,'name':'Ann','attributes':{},'created':100,'merged_into':0,'identities':["
                         "{'kind':'email','value':'ann@example.com'},{'kind':'email','value':'bob@example.com'},"
                         "{'kind':'phone','value':'+15550100'}]}");
  assert_timeline (f->store, a, 0, 0, NULL, (const gint64[]) { e3, e2, e1, 0 });
  assert_timeline (f->store, b, 0, 0, NULL, (const gint64[]) { 0 });
  g_assert_cmpint (conversation_customer (f->store, conv_b), ==, a);
  g_assert_cmpint (parley_store_open_conversation_for (f->store, a), ==, conv_b);
  assert_search (f->store, NULL, 0, (const gint64[]) { a, 0 });

  g_assert_cmpint (parley_store_merge_customers (f->store, a, b, agent, 850, &error), ==, 0);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (parley_store_merge_customers (f->store, b, a, agent, 850, &error), ==, 0);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Appended after the merge: one to the moved conversation, which goes
   * back with it, one to the survivor itself, which stays. */
  e4 = add_event (f->store, conv_b, a, "email", 900);
  e5 = add_event (f->store, 0, a, "system", 950);

  g_assert_true (parley_store_unmerge (f->store, merge_id, 1000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (customer_merged_into (f->store, b), ==, 0);
  restored = parley_store_get_customer (f->store, b, &error);
  g_assert_no_error (error);
  assert_json (restored, "{'id':2,'name':'Bob','attributes':{},'created':200,'merged_into':0,'identities':["
                         "{'kind':'email','value':'bob@example.com'},{'kind':'phone','value':'+15550100'}]}");
  alone = parley_store_get_customer (f->store, a, &error);
  g_assert_no_error (error);
  assert_json (alone, "{'id':1,'name':'Ann','attributes':{},'created':100,'merged_into':0,'identities':["
                      "{'kind':'email','value':'ann@example.com'}]}");
  assert_timeline (f->store, a, 0, 0, NULL, (const gint64[]) { e5, e1, 0 });
  assert_timeline (f->store, b, 0, 0, NULL, (const gint64[]) { e4, e3, e2, 0 });
  g_assert_cmpint (conversation_customer (f->store, conv_a), ==, a);
  g_assert_cmpint (conversation_customer (f->store, conv_b), ==, b);
  undone = parley_store_get_merge (f->store, merge_id, &error);
  g_assert_no_error (error);
  assert_json (undone, "{'id':1,'survivor_id':1,'absorbed_id':2,'agent_id':1,'created':800,'undone_at':1000}");

  g_assert_false (parley_store_unmerge (f->store, merge_id, 1100, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (parley_store_unmerge (f->store, 99, 1100, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A survivor merged away since must be brought back first. */
  c = add_customer (f->store, "email", "cy@example.com", "Cy", 1200);
  second = parley_store_merge_customers (f->store, a, b, 0, 1300, &error);
  third = parley_store_merge_customers (f->store, c, a, 0, 1400, &error);
  g_assert_no_error (error);
  g_assert_cmpint (second, ==, 2);
  g_assert_cmpint (third, ==, 3);
  g_assert_false (parley_store_unmerge (f->store, second, 1500, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (customer_merged_into (f->store, b), ==, a);
  g_assert_true (parley_store_unmerge (f->store, third, 1600, &error));
  g_assert_true (parley_store_unmerge (f->store, second, 1700, &error));
  g_assert_no_error (error);
  assert_timeline (f->store, b, 0, 0, NULL, (const gint64[]) { e4, e3, e2, 0 });
  assert_timeline (f->store, a, 0, 0, NULL, (const gint64[]) { e5, e1, 0 });
  assert_timeline (f->store, c, 0, 0, NULL, (const gint64[]) { 0 });
}

/* ---- conversations ------------------------------------------------------- */

static void
assert_conversations (ParleyStore  *store,
                      const char   *state,
                      gint64        agent_id,
                      guint         limit,
                      const gint64 *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = parley_store_list_conversations (store, state, agent_id, limit, &error);

  g_assert_no_error (error);
  assert_ids (found, expected);
}

static void
test_conversations (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fresh = NULL;
  g_autoptr(JsonObject) assigned = NULL;
  g_autoptr(JsonObject) resolved = NULL;
  gint64 q1, q2, x, y, c, d, e, k1, k2, k3;

  q1 = add_queue (f->store, "General");
  q2 = add_queue (f->store, "Billing");
  x = add_agent (f->store, "x");
  y = add_agent (f->store, "y");
  c = add_customer (f->store, "email", "c@example.com", "C", 10);
  d = add_customer (f->store, "email", "d@example.com", "D", 10);
  e = add_customer (f->store, "email", "e@example.com", "E", 10);

  k1 = add_conversation (f->store, c, q1, "chat", 0, 1000);
  fresh = parley_store_get_conversation (f->store, k1, &error);
  g_assert_no_error (error);
  assert_json (fresh, "{'id':1,'customer_id':1,'queue_id':1,'channel':'chat','state':'queued','priority':0,"
                      "'agent_id':0,'created':1000,'updated':1000,'first_response_at':0,'resolved_at':0,"
                      "'disposition':null,'customer_name':'C','last_event':null}");
  g_assert_cmpint (parley_store_open_conversation_for (f->store, c), ==, k1);
  g_assert_cmpint (parley_store_open_conversation_for (f->store, d), ==, 0);

  k2 = add_conversation (f->store, d, q1, "email", 5, 2000);
  k3 = add_conversation (f->store, e, q1, "api", 5, 1500);
  /* Priority first, then the longest waiting. */
  assert_conversations (f->store, NULL, 0, 0, (const gint64[]) { k3, k2, k1, 0 });
  assert_conversations (f->store, "queued", 0, 1, (const gint64[]) { k3, 0 });

  g_assert_true (parley_store_update_conversation (f->store, k1, "offered", -1, 0, NULL, 1100, &error));
  g_assert_true (parley_store_update_conversation (f->store, k1, "assigned", x, 0, "email", 1200, &error));
  g_assert_true (parley_store_update_conversation (f->store, k1, NULL, -1, q2, NULL, 1250, &error));
  g_assert_no_error (error);
  assigned = parley_store_get_conversation (f->store, k1, &error);
  g_assert_no_error (error);
  assert_json (assigned, "{'id':1,'customer_id':1,'queue_id':2,'channel':'email','state':'assigned','priority':0,"
                         "'agent_id':1,'created':1000,'updated':1250,'first_response_at':0,'resolved_at':0,"
                         "'disposition':null,'customer_name':'C','last_event':null}");
  g_assert_cmpint (x, ==, 1);
  assert_conversations (f->store, "assigned", 0, 0, (const gint64[]) { k1, 0 });
  assert_conversations (f->store, NULL, x, 0, (const gint64[]) { k1, 0 });
  assert_conversations (f->store, NULL, y, 0, (const gint64[]) { 0 });
  assert_conversations (f->store, "queued", 0, 0, (const gint64[]) { k3, k2, 0 });

  /* Only the first response counts. */
  g_assert_true (parley_store_mark_first_response (f->store, k1, 1300, &error));
  g_assert_true (parley_store_mark_first_response (f->store, k1, 1400, &error));
  g_assert_true (parley_store_resolve_conversation (f->store, k1, "solved", 1500, &error));
  g_assert_no_error (error);
  resolved = parley_store_get_conversation (f->store, k1, &error);
  g_assert_no_error (error);
  assert_json (resolved, "{'id':1,'customer_id':1,'queue_id':2,'channel':'email','state':'resolved','priority':0,"
                         "'agent_id':1,'created':1000,'updated':1500,'first_response_at':1300,'resolved_at':1500,"
                         "'disposition':'solved','customer_name':'C','last_event':null}");
  g_assert_cmpint (parley_store_open_conversation_for (f->store, c), ==, 0);
  g_assert_cmpint (parley_store_last_agent_for (f->store, c), ==, x);
  g_assert_cmpint (parley_store_last_agent_for (f->store, d), ==, 0);

  /* Requeued: no agent now, but the last one is remembered. */
  g_assert_true (parley_store_update_conversation (f->store, k2, "assigned", y, 0, NULL, 2100, &error));
  g_assert_true (parley_store_update_conversation (f->store, k2, "queued", 0, 0, NULL, 2200, &error));
  g_assert_no_error (error);
  assert_conversations (f->store, NULL, y, 0, (const gint64[]) { 0 });
  g_assert_cmpint (parley_store_last_agent_for (f->store, d), ==, y);

  g_assert_false (parley_store_update_conversation (f->store, 99, "queued", 0, 0, NULL, 3000, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (parley_store_resolve_conversation (f->store, 99, NULL, 3000, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (parley_store_mark_first_response (f->store, 99, 3000, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (parley_store_update_conversation (f->store, k2, "lost", -1, 0, NULL, 3000, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (parley_store_get_conversation (f->store, 99, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
}

/* ---- events -------------------------------------------------------------- */

static void
test_events (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) metadata = object_from ("{\"from\":{\"kind\":\"email\"}}");
  g_autoptr(JsonObject) event = NULL;
  g_autoptr(JsonObject) found = NULL;
  g_autoptr(JsonObject) elsewhere = NULL;
  g_autoptr(JsonObject) delivered = NULL;
  g_autoptr(JsonObject) conversation = NULL;
  gint64 queue, agent, c, conv, id, again;
  ParleyEventDraft draft = {
    .channel = "chat",
    .kind = "message",
    .direction = "in",
    .author_name = "Ann",
    .text = "hello",
    .metadata = metadata,
    .external_id = "ext-1",
    .created = 2000,
  };

  queue = add_queue (f->store, "General");
  agent = add_agent (f->store, "alice");
  c = add_customer (f->store, "email", "ann@example.com", "Ann", 100);
  conv = add_conversation (f->store, c, queue, "chat", 0, 1000);
  draft.conversation_id = conv;
  draft.customer_id = c;

  id = parley_store_append_event (f->store, &draft, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, ==, 1);
  event = parley_store_get_event (f->store, id, &error);
  g_assert_no_error (error);
  assert_json (event, "{'id':1,'conversation_id':1,'customer_id':1,'channel':'chat','kind':'message',"
                      "'direction':'in','agent_id':0,'author_name':'Ann','text':'hello','html':null,"
                      "'metadata':{'from':{'kind':'email'}},'external_id':'ext-1','delivery':null,'created':2000}");

  /* Appending touches the conversation and the customer, never backwards. */
  conversation = parley_store_get_conversation (f->store, conv, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (conversation, "updated"), ==, 2000);
  g_assert_cmpint (db_int (f, "SELECT updated FROM customers WHERE id = 1"), ==, 2000);
  add_event (f->store, conv, c, "chat", 1500);
  g_assert_cmpint (db_int (f, "SELECT updated FROM conversations WHERE id = 1"), ==, 2000);
  g_assert_cmpint (db_int (f, "SELECT updated FROM customers WHERE id = 1"), ==, 2000);

  found = parley_store_find_event_by_external (f->store, "chat", "ext-1");
  g_assert_nonnull (found);
  g_assert_cmpint (json_object_get_int_member (found, "id"), ==, id);
  g_assert_null (parley_store_find_event_by_external (f->store, "chat", "ext-2"));
  g_assert_null (parley_store_find_event_by_external (f->store, "email", "ext-1"));

  g_assert_cmpint (parley_store_append_event (f->store, &draft, &error), ==, 0);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT);
  g_clear_error (&error);
  /* External ids are unique per channel only. */
  draft.channel = "email";
  again = parley_store_append_event (f->store, &draft, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again, ==, 3);
  elsewhere = parley_store_find_event_by_external (f->store, "email", "ext-1");
  g_assert_nonnull (elsewhere);
  g_assert_cmpint (json_object_get_int_member (elsewhere, "id"), ==, again);

  /* An outgoing one, by an agent, to be delivered. */
  draft.external_id = NULL;
  draft.direction = "out";
  draft.agent_id = agent;
  draft.html = "<p>hello</p>";
  draft.metadata = NULL;
  draft.delivery = "pending";
  draft.created = 3000;
  id = parley_store_append_event (f->store, &draft, &error);
  g_assert_no_error (error);
  /* Failed, with the channel's reason; then delivered after all, with
   * the id the provider gave it (receipts find it by that). */
  g_assert_true (parley_store_set_event_delivery (f->store, id, "failed", "No such mailbox", NULL, &error));
  g_assert_no_error (error);
  delivered = parley_store_get_event (f->store, id, &error);
  g_assert_no_error (error);
  assert_json (json_object_get_object_member (delivered, "metadata"), "{'delivery_error':'No such mailbox'}");
  g_clear_pointer (&delivered, json_object_unref);
  g_assert_true (parley_store_set_event_delivery (f->store, id, "delivered", NULL, "provider-4", &error));
  g_assert_no_error (error);
  delivered = parley_store_get_event (f->store, id, &error);
  g_assert_no_error (error);
  assert_json (delivered, "{'id':4,'conversation_id':1,'customer_id':1,'channel':'email','kind':'message',"
                          "'direction':'out','agent_id':1,'author_name':'Ann','text':'hello',"
                          "'html':'<p>hello</p>','metadata':{},'external_id':'provider-4','delivery':'delivered',"
                          "'created':3000}");
  {
    g_autoptr(JsonObject) by_provider = parley_store_find_event_by_external (f->store, "email", "provider-4");

    g_assert_nonnull (by_provider);
    g_assert_cmpint (json_object_get_int_member (by_provider, "id"), ==, id);
  }
  /* A provider id the channel's messages have already is not taken twice. */
  g_assert_true (parley_store_set_event_delivery (f->store, id, "delivered", NULL, "provider-4", &error));
  g_assert_no_error (error);

  g_assert_false (parley_store_set_event_delivery (f->store, 99, "failed", NULL, NULL, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (parley_store_set_event_delivery (f->store, id, "lost", NULL, NULL, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
  g_clear_error (&error);

  /* The customer has seen the agent's messages: only outbound messages on
   * the receipt's channel up to that one are marked, each once. */
  {
    g_autoptr(GPtrArray) elsewhere_read = parley_store_mark_read (f->store, 1, "chat", id, 5000, &error);
    g_autoptr(GPtrArray) read = NULL;
    g_autoptr(GPtrArray) again_read = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (elsewhere_read->len, ==, 0);
    read = parley_store_mark_read (f->store, 1, "email", id, 5000, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (read->len, ==, 1);
    g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (read, 0), "id"), ==, id);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (g_ptr_array_index (read, 0), "metadata"),
                                                 "read_at"), ==, 5000);
    again_read = parley_store_mark_read (f->store, 1, "email", id, 6000, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (again_read->len, ==, 0);
  }
  draft.customer_id = 99;
  g_assert_cmpint (parley_store_append_event (f->store, &draft, &error), ==, 0);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (parley_store_get_event (f->store, 99, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
}

static void
test_timeline (Fixture       *f,
               gconstpointer  data)
{
  gint64 queue, c, other, conv, t1, t2, t3, t4, t5, t6;

  queue = add_queue (f->store, "General");
  c = add_customer (f->store, "email", "ann@example.com", "Ann", 100);
  other = add_customer (f->store, "email", "bob@example.com", "Bob", 100);
  conv = add_conversation (f->store, c, queue, "chat", 0, 1000);
  t1 = add_event (f->store, conv, c, "chat", 1001);
  t2 = add_event (f->store, conv, c, "email", 1002);
  add_event (f->store, 0, other, "chat", 1003);
  t3 = add_event (f->store, conv, c, "chat", 1004);
  t4 = add_event (f->store, 0, c, "email", 1005);
  t5 = add_event (f->store, conv, c, "chat", 1006);

  /* Newest first, a page at a time. */
  assert_timeline (f->store, c, 0, 2, NULL, (const gint64[]) { t5, t4, 0 });
  assert_timeline (f->store, c, t4, 2, NULL, (const gint64[]) { t3, t2, 0 });
  assert_timeline (f->store, c, t2, 2, NULL, (const gint64[]) { t1, 0 });
  assert_timeline (f->store, c, t1, 2, NULL, (const gint64[]) { 0 });
  assert_timeline (f->store, c, 0, 0, NULL, (const gint64[]) { t5, t4, t3, t2, t1, 0 });
  assert_timeline (f->store, c, 0, 0, "chat", (const gint64[]) { t5, t3, t1, 0 });
  assert_timeline (f->store, c, t5, 1, "email", (const gint64[]) { t4, 0 });
  assert_timeline (f->store, c, 0, 0, "voice", (const gint64[]) { 0 });
  assert_timeline (f->store, 99, 0, 0, NULL, (const gint64[]) { 0 });

  /* Text search ignores case, pages, and combines with the channel. */
  assert_timeline_search (f->store, c, 0, 0, NULL, "ORDER 1004", (const gint64[]) { t3, 0 });
  assert_timeline_search (f->store, c, 0, 0, NULL, "order 100", (const gint64[]) { t5, t4, t3, t2, t1, 0 });
  assert_timeline_search (f->store, c, t4, 2, NULL, "order 100", (const gint64[]) { t3, t2, 0 });
  assert_timeline_search (f->store, c, 0, 0, "email", "order", (const gint64[]) { t4, t2, 0 });
  assert_timeline_search (f->store, c, 0, 0, NULL, "%", (const gint64[]) { 0 });
  assert_timeline_search (f->store, c, 0, 0, NULL, "", (const gint64[]) { t5, t4, t3, t2, t1, 0 });

  /* In every language, as the desktop's own filter of pushed events. */
  t6 = add_record (f->store, conv, c, "chat", "message", "in", "GR\xc3\x96SSE 42 f\xc3\xbcr MAR\xc3\x8d" "A, \xc3\x86R\xc3\x98",
                   0, NULL, 1007);
  assert_timeline_search (f->store, c, 0, 0, NULL, "gr\xc3\xb6\xc3\x9f" "e", (const gint64[]) { t6, 0 });    /* größe */
  assert_timeline_search (f->store, c, 0, 0, NULL, "mar\xc3\xad" "a", (const gint64[]) { t6, 0 });
  assert_timeline_search (f->store, c, 0, 0, "chat", "\xc3\xa6r\xc3\xb8", (const gint64[]) { t6, 0 });
  assert_timeline_search (f->store, c, 0, 0, "email", "\xc3\xa6r\xc3\xb8", (const gint64[]) { 0 });
  assert_timeline_search (f->store, c, 0, 0, NULL, "maria", (const gint64[]) { 0 });
}

/* What a chat widget shows again: messages from and to that one visitor,
 * never notes, nor what the same customer said from another browser. */
static void
test_messages_with (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) latest = NULL;
  g_autoptr(GPtrArray) nobody = NULL;
  const char *from_v1 = "{'from':{'kind':'chat','value':'v1'}}";
  const char *to_v1 = "{'to':{'kind':'chat','value':'v1'}}";
  gint64 c, conv, m1, m2, m3;

  c = add_customer (f->store, "chat", "v1", "Ann", 100);
  g_assert_cmpint (parley_store_link_identity (f->store, c, "chat", "v2", &error), ==, 0);
  g_assert_no_error (error);
  conv = add_conversation (f->store, c, add_queue (f->store, "General"), "chat", 0, 1000);
  m1 = add_record (f->store, conv, c, "chat", "message", "in", "hi", 0, from_v1, 1001);
  add_record (f->store, conv, c, "chat", "note", "internal", "a note", 0, to_v1, 1002);
  m2 = add_record (f->store, conv, c, "chat", "message", "out", "hello", 0, to_v1, 1003);
  add_record (f->store, conv, c, "chat", "message", "in", "hi", 0, "{'from':{'kind':'chat','value':'v2'}}", 1004);
  add_record (f->store, conv, c, "chat", "message", "out", "hello", 0, "{'to':{'kind':'chat','value':'v2'}}", 1005);
  add_record (f->store, conv, c, "chat", "message", "out", "hello", 0, "{'to':{'kind':'email','value':'v1'}}", 1006);
  m3 = add_record (f->store, 0, c, "chat", "message", "in", "back", 0, from_v1, 1007);

  all = parley_store_messages_with (f->store, "chat", "chat", "v1", 50, &error);
  g_assert_no_error (error);
  assert_ids (all, (const gint64[]) { m1, m2, m3, 0 });
  latest = parley_store_messages_with (f->store, "chat", "chat", "v1", 2, &error);
  assert_ids (latest, (const gint64[]) { m2, m3, 0 });
  nobody = parley_store_messages_with (f->store, "chat", "chat", "v3", 50, &error);
  assert_ids (nobody, (const gint64[]) { 0 });
}

/* ---- offers, outbox, surveys, counts ------------------------------------- */

static void
test_offers (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) offered = NULL;
  g_autoptr(JsonObject) accepted = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) still_open = NULL;
  gint64 queue, x, y, c, conv, o1, o2;

  queue = add_queue (f->store, "General");
  x = add_agent (f->store, "x");
  y = add_agent (f->store, "y");
  c = add_customer (f->store, "email", "ann@example.com", "Ann", 100);
  conv = add_conversation (f->store, c, queue, "chat", 0, 500);

  o1 = parley_store_create_offer (f->store, conv, x, 1000, 2000, &error);
  o2 = parley_store_create_offer (f->store, conv, y, 1100, 2100, &error);
  g_assert_no_error (error);
  g_assert_cmpint (o1, ==, 1);
  g_assert_cmpint (o2, ==, 2);
  offered = parley_store_get_offer (f->store, o1, &error);
  g_assert_no_error (error);
  assert_json (offered, "{'id':1,'conversation_id':1,'agent_id':1,'state':'offered','created':1000,"
                        "'expires':2000,'decided':0}");
  open = parley_store_list_open_offers (f->store, &error);
  g_assert_no_error (error);
  assert_ids (open, (const gint64[]) { o1, o2, 0 });

  g_assert_true (parley_store_decide_offer (f->store, o1, "accepted", 1500, &error));
  g_assert_no_error (error);
  accepted = parley_store_get_offer (f->store, o1, &error);
  g_assert_no_error (error);
  assert_json (accepted, "{'id':1,'conversation_id':1,'agent_id':1,'state':'accepted','created':1000,"
                         "'expires':2000,'decided':1500}");
  still_open = parley_store_list_open_offers (f->store, &error);
  g_assert_no_error (error);
  assert_ids (still_open, (const gint64[]) { o2, 0 });

  g_assert_false (parley_store_decide_offer (f->store, o1, "expired", 1600, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (parley_store_decide_offer (f->store, 99, "expired", 1600, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (parley_store_decide_offer (f->store, o2, "maybe", 1600, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (parley_store_create_offer (f->store, conv, 99, 1000, 2000, &error), ==, 0);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (parley_store_get_offer (f->store, 99, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
}

static GPtrArray *
due (ParleyStore *store,
     gint64       now,
     guint        limit)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = parley_store_due_outbound (store, now, limit, &error);

  g_assert_no_error (error);
  return rows;
}

static void
test_outbox (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) both = NULL;
  g_autoptr(GPtrArray) limited = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GPtrArray) retried = NULL;
  g_autoptr(GPtrArray) left = NULL;
  gint64 queue, c, conv, event, r1, r2;

  queue = add_queue (f->store, "General");
  c = add_customer (f->store, "email", "ann@example.com", "Ann", 100);
  conv = add_conversation (f->store, c, queue, "api", 0, 500);
  event = add_event (f->store, conv, c, "api", 600);

  r1 = parley_store_enqueue_outbound (f->store, event, "api", "payload one", 1000, &error);
  r2 = parley_store_enqueue_outbound (f->store, event, "api", "payload two", 5000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r1, ==, 1);
  g_assert_cmpint (r2, ==, 2);

  first = due (f->store, 1000, 0);
  assert_ids (first, (const gint64[]) { r1, 0 });
  assert_json (g_ptr_array_index (first, 0),
               "{'id':1,'event_id':1,'channel':'api','payload':'payload one','attempts':0,'next_attempt':1000}");
  both = due (f->store, 5000, 0);
  assert_ids (both, (const gint64[]) { r1, r2, 0 });
  limited = due (f->store, 5000, 1);
  assert_ids (limited, (const gint64[]) { r1, 0 });

  /* A failed attempt waits for its retry time. */
  g_assert_true (parley_store_finish_outbound (f->store, r1, FALSE, 1, 3000, "timeout", &error));
  g_assert_no_error (error);
  waiting = due (f->store, 2000, 0);
  assert_ids (waiting, (const gint64[]) { 0 });
  retried = due (f->store, 3000, 0);
  assert_json (g_ptr_array_index (retried, 0),
               "{'id':1,'event_id':1,'channel':'api','payload':'payload one','attempts':1,'next_attempt':3000}");
  g_assert_cmpint (db_int (f, "SELECT last_error = 'timeout' FROM outbox WHERE id = 1"), ==, 1);

  /* A delivered one is never due again. */
  g_assert_true (parley_store_finish_outbound (f->store, r1, TRUE, 2, 0, NULL, &error));
  g_assert_no_error (error);
  left = due (f->store, G_MAXINT64, 0);
  assert_ids (left, (const gint64[]) { r2, 0 });

  g_assert_false (parley_store_finish_outbound (f->store, 99, TRUE, 1, 0, NULL, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (parley_store_enqueue_outbound (f->store, 99, "api", "x", 0, &error), ==, 0);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
}

static void
test_survey (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 queue, agent, c, conv;

  queue = add_queue (f->store, "General");
  agent = add_agent (f->store, "alice");
  c = add_customer (f->store, "email", "ann@example.com", "Ann", 100);
  conv = add_conversation (f->store, c, queue, "chat", 0, 500);

  g_assert_cmpint (parley_store_add_survey_answer (f->store, conv, agent, 9, -1, "great", 1000, &error), ==, 1);
  g_assert_cmpint (parley_store_add_survey_answer (f->store, conv, 0, -1, 4, NULL, 1100, &error), ==, 2);
  g_assert_no_error (error);
  /* -1 is "not answered", 0 agent is nobody. */
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM survey_answers WHERE id = 1 AND conversation_id = 1 "
                              "AND agent_id = 1 AND nps = 9 AND csat IS NULL AND comment = 'great' "
                              "AND created = 1000"), ==, 1);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM survey_answers WHERE id = 2 AND agent_id IS NULL "
                              "AND nps IS NULL AND csat = 4 AND comment IS NULL"), ==, 1);

  g_assert_cmpint (parley_store_add_survey_answer (f->store, conv, agent, 11, -1, NULL, 1200, &error), ==, 0);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (parley_store_add_survey_answer (f->store, 99, agent, 5, -1, NULL, 1200, &error), ==, 0);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM survey_answers"), ==, 2);
}

/* A survey's life: scheduled, due, asked step by step, its answers kept in
 * one answer row, and what counts for the quiet period. */
static void
test_survey_lifecycle (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) none_due = NULL;
  g_autoptr(JsonObject) waiting = NULL;
  g_autoptr(JsonObject) missing = NULL;
  gint64 queue, agent, c, conv, later, survey, answer;

  queue = add_queue (f->store, "General");
  agent = add_agent (f->store, "alice");
  c = add_customer (f->store, "email", "ann@example.com", "Ann", 100);
  conv = add_conversation (f->store, c, queue, "email", 0, 500);
  later = add_conversation (f->store, c, queue, "email", 0, 600);

  g_assert_cmpint (parley_store_next_survey_due (f->store), ==, 0);
  survey = parley_store_create_survey (f->store, conv, c, agent, queue, "email", 2000, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (parley_store_create_survey (f->store, later, c, 0, queue, "email", 1500, 1000, &error), >, survey);
  g_assert_cmpint (parley_store_next_survey_due (f->store), ==, 1500);

  none_due = parley_store_due_surveys (f->store, 1400, 10, &error);
  g_assert_cmpuint (none_due->len, ==, 0);
  due = parley_store_due_surveys (f->store, 2000, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 2);
  /* Earliest due first; agent 0 means nobody. */
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (due, 0), "agent_id"), ==, 0);
  assert_json (g_ptr_array_index (due, 1),
               "{'id':1,'conversation_id':1,'customer_id':1,'agent_id':1,'queue_id':1,'channel':'email',"
               "'state':'scheduled','step':null,'retried':0,'answer_id':0,'due_at':2000,'asked_at':0,'created':1000}");

  g_assert_true (parley_store_update_survey (f->store, 2, "skipped", NULL, FALSE, 0, 0, &error));
  g_assert_true (parley_store_update_survey (f->store, survey, "asking", "nps", FALSE, 0, 2100, &error));
  g_assert_no_error (error);
  g_assert_cmpint (parley_store_next_survey_due (f->store), ==, 0);

  /* Waiting for a reply on its channel only, and only if asked recently enough. */
  waiting = parley_store_awaiting_survey (f->store, c, "email", 2000, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (waiting, "id"), ==, survey);
  missing = parley_store_awaiting_survey (f->store, c, "sms", 2000, &error);
  g_assert_null (missing);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (parley_store_awaiting_survey (f->store, c, "email", 2200, &error));
  g_clear_error (&error);

  /* Answers land in one row, question by question. */
  answer = parley_store_add_survey_answer (f->store, conv, agent, 9, -1, NULL, 2200, &error);
  g_assert_true (parley_store_set_survey_answer (f->store, answer, "csat", 4, NULL, &error));
  g_assert_true (parley_store_set_survey_answer (f->store, answer, "comment", -1, "Quick <b>help</b>", &error));
  g_assert_no_error (error);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM survey_answers WHERE nps = 9 AND csat = 4 "
                              "AND comment = 'Quick <b>help</b>'"), ==, 1);
  g_assert_false (parley_store_set_survey_answer (f->store, answer, "csat", 6, NULL, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (parley_store_update_survey (f->store, survey, "done", "comment", FALSE, answer, 2300, &error));

  /* The quiet period counts surveys made, not those skipped. */
  g_assert_cmpint (parley_store_count_surveys_since (f->store, c, 900, &error), ==, 1);
  g_assert_cmpint (parley_store_count_surveys_since (f->store, c, 1001, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_false (parley_store_update_survey (f->store, 99, "done", NULL, FALSE, 0, 0, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
}

/* Answers of two customers in a row: the statement cache must own the
 * SQL it is keyed by, which set_survey_answer() builds per question
 * (issue 22 item 3: AddressSanitizer saw the second lookup read the
 * first call's freed text). */
static void
test_survey_answers_in_a_row (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 queue = add_queue (f->store, "General");
  gint64 agent = add_agent (f->store, "alice");

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *email = g_strdup_printf ("customer%u@example.com", i);
      gint64 customer = add_customer (f->store, "email", email, "Customer", 100);
      gint64 conversation = add_conversation (f->store, customer, queue, "email", 0, 200);
      gint64 answer = parley_store_add_survey_answer (f->store, conversation, agent, 8, -1, NULL, 300, &error);

      g_assert_no_error (error);
      g_assert_true (parley_store_set_survey_answer (f->store, answer, "csat", 3 + i, NULL, &error));
      g_assert_true (parley_store_set_survey_answer (f->store, answer, "comment", -1, "thanks", &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM survey_answers WHERE comment = 'thanks' AND csat IN (3, 4)"),
                   ==, 2);
}

static int
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

/* Customers' data is the owner's alone: a new database, its log and
 * shared-memory files, and the data directory; an existing one that was
 * readable to others is tightened when opened (issue 22 item 16). */
static void
test_private_files (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
  g_autofree char *data_dir = g_build_filename (f->dir, "data", NULL);
  int lock, second;

  g_assert_true (parley_store_set_setting (f->store, "test", "key", "value", &error));
  g_assert_cmpint (file_mode (f->path), ==, 0600);
  g_assert_cmpint (file_mode (wal), ==, 0600);
  g_assert_cmpint (file_mode (shm), ==, 0600);

  /* A clean close removes the log and shared memory; an older hub that
   * was killed leaves them behind. */
  g_clear_object (&f->store);
  g_assert_true (g_file_set_contents (wal, "", 0, &error));
  g_assert_true (g_file_set_contents (shm, "", 0, &error));
  g_assert_cmpint (g_chmod (f->path, 0644), ==, 0);
  g_assert_cmpint (g_chmod (wal, 0644), ==, 0);
  g_assert_cmpint (g_chmod (shm, 0666), ==, 0);
  fixture_open (f);
  g_assert_cmpint (file_mode (f->path), ==, 0600);
  g_assert_cmpint (file_mode (wal), ==, 0600);
  g_assert_cmpint (file_mode (shm), ==, 0600);

  g_assert_true (parley_data_dir_prepare (data_dir, &error));
  g_assert_cmpint (file_mode (data_dir), ==, 0700);
  g_assert_cmpint (g_chmod (data_dir, 0755), ==, 0);
  g_assert_true (parley_data_dir_prepare (data_dir, &error));
  g_assert_no_error (error);
  g_assert_cmpint (file_mode (data_dir), ==, 0700);

  /* One process at a time holds the directory. */
  lock = parley_data_dir_lock (data_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lock, >=, 0);
  g_assert_cmpint (parley_data_dir_lock (data_dir, &error), ==, -1);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT);
  g_clear_error (&error);
  close (lock);
  second = parley_data_dir_lock (data_dir, &error);
  g_assert_no_error (error);
  close (second);
  g_clear_pointer (&wal, g_free);
  wal = g_build_filename (data_dir, PARLEY_DATA_DIR_LOCK, NULL);
  g_assert_cmpint (g_unlink (wal), ==, 0);
  g_assert_cmpint (g_rmdir (data_dir), ==, 0);
}

static GPtrArray *
rows_between (ParleyStore           *store,
              const ParleyStoreMark *after,
              ParleyStoreMark       *upto)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  g_assert_true (parley_store_metric_mark (store, upto, &error));
  rows = parley_store_metric_rows_between (store, after, upto, &error);
  g_assert_no_error (error);
  return rows;
}

static void
assert_same_rows (GPtrArray *actual,
                  GPtrArray *expected)
{
  g_assert_cmpuint (actual->len, ==, expected->len);
  for (guint i = 0; i < actual->len; i++)
    {
      g_autofree char *wanted = NULL;
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), g_ptr_array_index (expected, i));

      wanted = g_strdelimit (json_to_string (node, FALSE), "\"", '\'');
      assert_json (g_ptr_array_index (actual, i), wanted);
    }
}

/* The rows the metrics are computed from: for an interval, and for what
 * was recorded between two marks, which add up to the same rows. */
static void
test_metric_rows (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) day = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) everything = NULL;
  g_autoptr(GPtrArray) recorded = NULL;
  ParleyStoreMark empty = { 0 }, start, middle, end;
  gint64 q, q2, a1, c, old, one, two, late;

  g_assert_true (parley_store_metric_mark (f->store, &start, &error));
  g_assert_cmpint (start.event + start.presence + start.conversation, ==, 0);
  q = add_queue (f->store, "General");
  q2 = add_queue (f->store, "Billing");
  a1 = add_agent (f->store, "a1");
  c = add_customer (f->store, "email", "ann@example.com", "Ann", 100);

  /* Before the interval [1000, 2500): conversation "old" came and went,
   * agent a1 was available, then away. */
  old = add_conversation (f->store, c, q, "chat", 0, 100);
  g_assert_true (parley_store_resolve_conversation (f->store, old, "done", 200, &error));
  g_assert_true (parley_store_set_presence (f->store, a1, "available", NULL, 500, &error));
  g_assert_true (parley_store_set_presence (f->store, a1, "away", NULL, 800, &error));
  one = add_conversation (f->store, c, q, "chat", 0, 900);
  add_record (f->store, one, c, "chat", "state", "internal", "assigned", a1, "{}", 950);
  first = rows_between (f->store, &empty, &middle);

  two = add_conversation (f->store, c, q, "chat", 0, 1100);
  add_event (f->store, two, c, "chat", 1140);
  g_assert_true (parley_store_mark_first_response (f->store, two, 1150, &error));
  add_record (f->store, two, c, "chat", "message", "out", "Hello", a1, NULL, 1150);
  g_assert_true (parley_store_resolve_conversation (f->store, one, "done", 1200, &error));
  add_record (f->store, one, c, "chat", "state", "internal", "resolved", a1, "{}", 1200);
  g_assert_true (parley_store_update_conversation (f->store, two, "queued", 0, q2, NULL, 1300, &error));
  add_record (f->store, two, c, "chat", "state", "internal", "transferred", a1, "{'from_agent_id':1,'to_queue_id':2}", 1300);
  add_record (f->store, old, c, "chat", "survey", "in", "Thanks", 0, "{'nps':9,'csat':-1,'agent_id':1}", 1400);
  add_record (f->store, two, c, "chat", "note", "internal", "not a figure", a1, "{}", 1450);
  g_assert_true (parley_store_set_presence (f->store, a1, "available", NULL, 1500, &error));
  late = add_conversation (f->store, c, q, "chat", 0, 3000);
  g_assert_no_error (error);
  second = rows_between (f->store, &middle, &end);

  day = parley_store_metric_rows (f->store, 1000, 2500, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (day->len, ==, 9);
  assert_json (g_ptr_array_index (day, 0), "{'kind':'presence','at':800,'conversation':0,'queue':0,'channel':null,"
                                           "'agent':1,'nps':-1,'csat':-1,'state':'away'}");
  assert_json (g_ptr_array_index (day, 1), "{'kind':'queued','at':900,'conversation':2,'queue':1,'channel':'chat',"
                                           "'agent':0,'nps':-1,'csat':-1,'state':null}");
  assert_json (g_ptr_array_index (day, 2), "{'kind':'assigned','at':950,'conversation':2,'queue':1,'channel':'chat',"
                                           "'agent':1,'nps':-1,'csat':-1,'state':null}");
  /* Conversation two was moved to Billing: it counts there. */
  assert_json (g_ptr_array_index (day, 3), "{'kind':'queued','at':1100,'conversation':3,'queue':2,'channel':'chat',"
                                           "'agent':0,'nps':-1,'csat':-1,'state':null}");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (day, 4), "kind"), ==, "first_response");
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (day, 4), "at"), ==, 1150);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (day, 5), "kind"), ==, "resolved");
  assert_json (g_ptr_array_index (day, 6), "{'kind':'transferred','at':1300,'conversation':3,'queue':2,'channel':'chat',"
                                           "'agent':0,'nps':-1,'csat':-1,'state':null}");
  /* A late answer about a conversation that ended before the interval. */
  assert_json (g_ptr_array_index (day, 7), "{'kind':'survey','at':1400,'conversation':1,'queue':1,'channel':'chat',"
                                           "'agent':1,'nps':9,'csat':-1,'state':null}");
  /* The note is no figure's; the conversation queued at 3000 is after the interval. */
  assert_json (g_ptr_array_index (day, 8), "{'kind':'presence','at':1500,'conversation':0,'queue':0,'channel':null,"
                                           "'agent':1,'nps':-1,'csat':-1,'state':'available'}");

  /* Everything recorded, read in two slices, is what an interval from the
   * beginning to the end of time reads. */
  everything = parley_store_metric_rows (f->store, 0, G_MAXINT64, &error);
  g_assert_no_error (error);
  recorded = g_ptr_array_new ();
  g_ptr_array_extend (recorded, first, NULL, NULL);
  g_ptr_array_extend (recorded, second, NULL, NULL);
  g_assert_cmpuint (everything->len, ==, 12);
  assert_same_rows (recorded, everything);
  g_assert_cmpint (end.conversation, ==, late);
  g_assert_cmpint (end.presence, ==, 3);

  /* Nothing new: nothing read. */
  {
    ParleyStoreMark again;
    g_autoptr(GPtrArray) none = rows_between (f->store, &end, &again);

    g_assert_cmpuint (none->len, ==, 0);
    g_assert_true (memcmp (&again, &end, sizeof again) == 0);
  }
}

static void
test_survey_queries (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 q, q2, a1, a2, c, chat, email;
  static const struct { gint64 queue; const char *channel; gint64 agent; gint64 since, until; guint n; } filters[] = {
    { 0, NULL, 0, 0, 2000, 3 },
    { 1, NULL, 0, 0, 2000, 2 },
    { 0, "email", 0, 0, 2000, 1 },
    { 0, NULL, 2, 0, 2000, 1 },
    { 0, NULL, 0, 1100, 1200, 1 },
    { 2, "chat", 0, 0, 2000, 0 },
  };

  q = add_queue (f->store, "General");
  q2 = add_queue (f->store, "Billing");
  a1 = add_agent (f->store, "a1");
  a2 = add_agent (f->store, "a2");
  c = add_customer (f->store, "email", "ann@example.com", "Ann", 100);
  chat = add_conversation (f->store, c, q, "chat", 0, 500);
  email = add_conversation (f->store, c, q2, "email", 0, 600);
  g_assert_cmpint (parley_store_add_survey_answer (f->store, chat, a1, 9, -1, "great", 1000, &error), ==, 1);
  g_assert_cmpint (parley_store_add_survey_answer (f->store, chat, a1, -1, 4, NULL, 1100, &error), ==, 2);
  g_assert_cmpint (parley_store_add_survey_answer (f->store, email, a2, 3, -1, "slow", 1200, &error), ==, 3);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      g_autoptr(GPtrArray) rows = parley_store_survey_rows (f->store, filters[i].since, filters[i].until,
                                                            filters[i].queue, filters[i].channel, filters[i].agent,
                                                            &error);

      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, ==, filters[i].n);
    }
  {
    g_autoptr(GPtrArray) rows = parley_store_survey_rows (f->store, 0, 2000, 0, NULL, 0, &error);

    assert_json (g_ptr_array_index (rows, 1), "{'at':1100,'nps':-1,'csat':4}");
  }

  /* The latest first, a page at a time. */
  {
    g_autoptr(GPtrArray) page = parley_store_list_surveys (f->store, 0, 2, &error);
    g_autoptr(GPtrArray) rest = parley_store_list_surveys (f->store, 2, 2, &error);

    g_assert_no_error (error);
    assert_ids (page, (const gint64[]) { 3, 2, 0 });
    assert_json (g_ptr_array_index (page, 0),
                 "{'id':3,'at':1200,'conversation':2,'customer':1,'customer_name':'Ann','agent':2,'agent_name':'a2',"
                 "'queue':2,'channel':'email','nps':3,'csat':null,'comment':'slow'}");
    assert_ids (rest, (const gint64[]) { 1, 0 });
  }
}

/* ---- transactions -------------------------------------------------------- */

static void
test_savepoint (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agents = NULL;

  g_assert_true (parley_store_begin (f->store, &error));
  add_agent (f->store, "a");
  g_assert_true (parley_store_savepoint (f->store, &error));
  add_agent (f->store, "b");
  parley_store_rollback_savepoint (f->store);
  g_assert_true (parley_store_savepoint (f->store, &error));
  add_agent (f->store, "c");
  g_assert_true (parley_store_release_savepoint (f->store, &error));
  g_assert_true (parley_store_commit (f->store, &error));
  g_assert_no_error (error);

  agents = parley_store_list_agents (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (agents->len, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (agents, 0), "login"), ==, "a");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (agents, 1), "login"), ==, "c");
  g_assert_null (parley_store_get_agent_by_login (f->store, "b", &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Committed means on disk: another connection sees it. */
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM agents"), ==, 2);
}

static void
test_rollback (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agents = NULL;
  g_autoptr(GPtrArray) queues = NULL;
  g_autoptr(GPtrArray) customers = NULL;
  gint64 queue, c, conv;

  g_assert_true (parley_store_begin (f->store, &error));
  g_assert_no_error (error);
  add_agent (f->store, "alice");
  queue = add_queue (f->store, "General");
  c = add_customer (f->store, "email", "ann@example.com", "Ann", 100);
  conv = add_conversation (f->store, c, queue, "chat", 0, 200);
  add_event (f->store, conv, c, "chat", 300);
  parley_store_rollback (f->store);

  agents = parley_store_list_agents (f->store, &error);
  queues = parley_store_list_queues (f->store, &error);
  customers = parley_store_search_customers (f->store, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (agents->len, ==, 0);
  g_assert_cmpuint (queues->len, ==, 0);
  g_assert_cmpuint (customers->len, ==, 0);
  g_assert_null (parley_store_get_conversation (f->store, conv, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (db_int (f, "SELECT (SELECT count (*) FROM events) + (SELECT count (*) FROM identities)"), ==, 0);

  /* Nothing is left open: committing now has nothing to commit. */
  g_assert_false (parley_store_commit (f->store, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_STORAGE);
  g_clear_error (&error);
  g_assert_true (parley_store_begin (f->store, &error));
  g_assert_true (parley_store_commit (f->store, &error));
  g_assert_no_error (error);
}

/* Methods of several statements are atomic on their own, and a failure in
 * one inside the caller's transaction undoes only that method. */
static void
test_atomic_methods (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 a, b;

  /* The customer is inserted, then the identity fails: neither stays. */
  g_assert_cmpint (parley_store_resolve_identity (f->store, NULL, "v", "V", 100, NULL, &error), ==, 0);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM customers"), ==, 0);

  g_assert_true (parley_store_begin (f->store, &error));
  a = add_customer (f->store, "email", "ann@example.com", "Ann", 100);
  g_assert_cmpint (parley_store_resolve_identity (f->store, NULL, "v", "V", 100, NULL, &error), ==, 0);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
  g_clear_error (&error);
  b = add_customer (f->store, "email", "bob@example.com", "Bob", 200);
  g_assert_cmpint (parley_store_merge_customers (f->store, a, b, 0, 300, &error), ==, 1);
  g_assert_cmpint (parley_store_merge_customers (f->store, a, b, 0, 400, &error), ==, 0);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (parley_store_link_identity (f->store, 99, "phone", "+15550100", &error), ==, -1);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (parley_store_commit (f->store, &error));
  g_assert_no_error (error);

  g_assert_cmpint (db_int (f, "SELECT count (*) FROM customers"), ==, 2);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM merges"), ==, 1);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM identities WHERE customer_id = 1"), ==, 2);
  g_assert_cmpint (customer_merged_into (f->store, b), ==, a);
}

static void
test_attachments (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("\x89PNG\r\n\x1a\n\0binary", 14);
  g_autoptr(GBytes) loaded = NULL;
  g_autoptr(JsonObject) attachment = NULL;
  gint64 conversation;

  g_assert_true (parley_store_save_attachment (f->store, "a1", "visitor-1", 0, "receipt <1>.png", "image/png", bytes, 100, &error));
  g_assert_no_error (error);
  attachment = parley_store_load_attachment (f->store, "a1", &loaded, &error);
  g_assert_no_error (error);
  assert_json (attachment, "{'id':'a1','owner':'visitor-1','conversation_id':0,'name':'receipt <1>.png','type':'image/png',"
                           "'size':14,'created':100}");
  g_assert_true (g_bytes_equal (loaded, bytes));
  g_assert_null (parley_store_load_attachment (f->store, "a2", NULL, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (parley_store_save_attachment (f->store, "a1", "visitor-2", 0, "x", "text/plain", bytes, 200, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* An agent's file belongs to the conversation it was sent in. */
  conversation = add_conversation (f->store, add_customer (f->store, "chat", "visitor-1", "Visitor", 300),
                                   add_queue (f->store, "Chat"), "chat", 0, 300);
  g_assert_true (parley_store_save_attachment (f->store, "a3", "agent:1", conversation, "label.pdf", "application/pdf",
                                               bytes, 300, &error));
  g_assert_no_error (error);
  g_clear_pointer (&attachment, json_object_unref);
  attachment = parley_store_load_attachment (f->store, "a3", NULL, &error);
  g_assert_cmpint (json_object_get_int_member (attachment, "conversation_id"), ==, conversation);
  g_assert_false (parley_store_save_attachment (f->store, "a4", "agent:1", conversation + 1, "x.pdf", "application/pdf",
                                                bytes, 300, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Files no message carried are forgotten once old enough; a message
   * keeps its file for good. */
  g_assert_true (parley_store_save_attachment (f->store, "a5", "agent:1", conversation, "new.pdf", "application/pdf",
                                               bytes, 900, &error));
  add_record (f->store, conversation, 1, "chat", "message", "out", "label.pdf", 0,
              "{'attachment':{'id':'a3','name':'label.pdf'}}", 400);
  g_assert_cmpint (parley_store_forget_unsent_attachments (f->store, 500, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_null (parley_store_load_attachment (f->store, "a1", NULL, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&attachment, json_object_unref);
  attachment = parley_store_load_attachment (f->store, "a3", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&attachment, json_object_unref);
  attachment = parley_store_load_attachment (f->store, "a5", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (parley_store_forget_unsent_attachments (f->store, 1000, &error), ==, 1);
  g_assert_cmpint (parley_store_forget_unsent_attachments (f->store, 2000, &error), ==, 0);
}

/* Export gives everything about a customer and the customers merged into
 * it; erasure leaves nothing personal, keeps what the figures read, frees
 * the identities and is logged; files and their bytes go too. */
static void
test_export_erase (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("%PDF-1.4 secret-invoice", 23);
  g_autoptr(JsonObject) export = NULL;
  g_autoptr(GPtrArray) rows_before = NULL;
  g_autoptr(GPtrArray) rows_after = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  gint64 queue = add_queue (f->store, "General");
  gint64 agent = add_agent (f->store, "alice");
  gint64 maria = add_customer (f->store, "email", "maria@example.com", "María Secret", 100);
  gint64 twin = add_customer (f->store, "phone", "+34600000000", "María Twin", 110);
  gint64 other = add_customer (f->store, "email", "otto@example.com", "Otto", 120);
  gint64 conv = add_conversation (f->store, maria, queue, "email", 0, 200);
  gint64 other_conv = add_conversation (f->store, other, queue, "email", 0, 210);
  gint64 answer;
  gboolean created = FALSE;
  g_autoptr(JsonObject) attributes = object_from ("{\"city\":\"Sevilla\"}");

  g_assert_true (parley_store_update_customer (f->store, maria, NULL, attributes, 150, &error));
  g_assert_cmpint (parley_store_merge_customers (f->store, maria, twin, agent, 160, &error), >, 0);
  add_record (f->store, conv, maria, "email", "message", "in", "my secret address", 0, "{'from':'maria@example.com'}", 300);
  add_record (f->store, conv, maria, "email", "state", "internal", "assigned", agent, NULL, 310);
  g_assert_true (parley_store_save_attachment (f->store, "file-1", "agent:1", conv, "invoice.pdf", "application/pdf",
                                               bytes, 320, &error));
  add_record (f->store, conv, maria, "email", "message", "out", "here it is, María", agent,
              "{'attachment':{'id':'file-1','name':'invoice.pdf'}}", 330);
  add_record (f->store, conv, maria, "email", "state", "internal", "resolved", agent, NULL, 340);
  answer = parley_store_add_survey_answer (f->store, conv, agent, 9, 5, "María loved it", 350, &error);
  add_record (f->store, conv, maria, "email", "survey", "in", "María loved it", 0,
              "{'nps':9,'csat':5,'agent_id':1,'survey_id':1,'from':'maria@example.com'}", 350);
  add_record (f->store, other_conv, other, "email", "message", "in", "Otto's words", 0, NULL, 360);
  g_assert_no_error (error);
  g_assert_cmpint (answer, >, 0);

  export = parley_store_export_customer (f->store, maria, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (export, "customer"), "name"), ==,
                   "María Secret");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (export, "merged_customers")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (export, "conversations")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (export, "events")), ==, 5);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (export, "survey_answers")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (export, "merges")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (export, "attachments")), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (export, "attachments"), 0), "id"), ==, "file-1");

  /* Not while a conversation is open. */
  g_assert_false (parley_store_erase_customer (f->store, maria, 400, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (parley_store_resolve_conversation (f->store, conv, "done", 345, &error));
  g_assert_cmpint (parley_store_create_survey (f->store, conv, maria, agent, queue, "email", 2000, 345, &error), >, 0);

  rows_before = parley_store_metric_rows (f->store, 0, 1000, &error);
  g_assert_true (parley_store_erase_customer (f->store, maria, 400, &error));
  g_assert_no_error (error);
  g_assert_cmpint (parley_store_add_audit (f->store, agent, "erase", maria, NULL, 400, &error), >, 0);
  g_assert_true (parley_store_scrub (f->store, &error));
  g_assert_no_error (error);

  /* Gone from every lookup; the identities are free for a new customer. */
  g_assert_null (parley_store_get_customer (f->store, maria, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (parley_store_export_customer (f->store, maria, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (parley_store_load_attachment (f->store, "file-1", NULL, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (parley_store_erase_customer (f->store, maria, 500, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (parley_store_find_identity (f->store, "email", "maria@example.com", &error), ==, 0);
  g_assert_cmpint (parley_store_resolve_identity (f->store, "phone", "+34600000000", "New", 500, &created, &error), >,
                   other);
  g_assert_true (created);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM customers WHERE name LIKE '%María%' OR attributes LIKE '%Sevilla%'"),
                   ==, 0);
  /* Nor in the folded copy searches compare. */
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM customers WHERE search_name LIKE '%maría%'"), ==, 0);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM events WHERE text LIKE '%María%' OR text LIKE '%secret%' "
                              "OR metadata LIKE '%maria%' OR metadata LIKE '%file-1%'"), ==, 0);
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM survey_answers WHERE comment IS NOT NULL"), ==, 0);
  g_assert_cmpint (parley_store_next_survey_due (f->store), ==, 0);
  /* The figures read the same rows as before. */
  rows_after = parley_store_metric_rows (f->store, 0, 1000, &error);
  assert_same_rows (rows_after, rows_before);
  /* Nobody else is touched; the audit log says who and when. */
  g_assert_cmpint (db_int (f, "SELECT count (*) FROM events WHERE text = 'Otto''s words'"), ==, 1);
  audit = parley_store_list_audit (f->store, maria, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit->len, ==, 1);
  assert_json (g_ptr_array_index (audit, 0),
               "{'id':1,'at':400,'agent_id':1,'action':'erase','customer_id':1,'details':{}}");
}

/* Retention deletes a kind of file and leaves the message saying so. */
static void
test_expire_attachments (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("GIF89a", 6);
  g_autoptr(JsonObject) event = NULL;
  g_autoptr(JsonObject) kept = NULL;
  gint64 conv = add_conversation (f->store, add_customer (f->store, "chat", "v1", "V", 100),
                                  add_queue (f->store, "Chat"), "chat", 0, 100);
  gint64 image_event;

  g_assert_true (parley_store_save_attachment (f->store, "old-image", "v1", 0, "a.gif", "image/gif", bytes, 100, &error));
  g_assert_true (parley_store_save_attachment (f->store, "new-image", "v1", 0, "b.gif", "image/gif", bytes, 900, &error));
  g_assert_true (parley_store_save_attachment (f->store, "old-text", "v1", 0, "c.txt", "text/plain", bytes, 100, &error));
  image_event = add_record (f->store, conv, 1, "chat", "message", "in", "a.gif", 0, "{'attachment':{'id':'old-image'}}", 150);
  g_assert_cmpint (parley_store_expire_attachments (f->store, "image/", 500, 1000, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_null (parley_store_load_attachment (f->store, "old-image", NULL, &error));
  g_clear_error (&error);
  kept = parley_store_load_attachment (f->store, "new-image", NULL, NULL);
  g_assert_nonnull (kept);
  g_clear_pointer (&kept, json_object_unref);
  kept = parley_store_load_attachment (f->store, "old-text", NULL, NULL);
  g_assert_nonnull (kept);
  event = parley_store_get_event (f->store, image_event, &error);
  assert_json (json_object_get_object_member (event, "metadata"), "{'attachment':{'id':'old-image','expired':1000}}");
  g_assert_cmpint (parley_store_expire_attachments (f->store, "image/", 500, 1100, &error), ==, 0);
}

/* A backup is a database of its own; restoring it replaces everything. */
static void
test_backup_restore (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_build_filename (f->dir, "copy.db", NULL);
  g_autofree char *other_path = g_build_filename (f->dir, "other.db", NULL);
  g_autoptr(ParleySqliteStore) other = NULL;
  g_autoptr(JsonObject) customer = NULL;
  gint64 ann = add_customer (f->store, "email", "ann@example.com", "Ann", 100);

  /* Not inside a transaction, which it would otherwise end. */
  g_assert_true (parley_store_begin (f->store, &error));
  g_assert_false (parley_store_backup (f->store, copy, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (parley_store_commit (f->store, &error));

  g_assert_true (parley_store_backup (f->store, copy, &error));
  g_assert_no_error (error);
  g_assert_cmpint (file_mode (copy), ==, 0600);
  g_assert_false (parley_store_backup (f->store, copy, &error));
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_STORAGE);
  g_clear_error (&error);

  other = parley_sqlite_store_new (other_path, &error);
  add_customer (PARLEY_STORE (other), "email", "bob@example.com", "Bob", 100);
  g_assert_true (parley_store_restore (PARLEY_STORE (other), copy, &error));
  g_assert_no_error (error);
  customer = parley_store_get_customer (PARLEY_STORE (other), ann, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (customer, "name"), ==, "Ann");
  g_assert_cmpint (parley_store_find_identity (PARLEY_STORE (other), "email", "bob@example.com", &error), ==, 0);
  /* Still usable afterwards, with cached statements from before. */
  add_customer (PARLEY_STORE (other), "email", "carl@example.com", "Carl", 200);
  g_clear_object (&other);

  g_assert_true (g_file_set_contents (copy, "not a database at all, really not", -1, &error));
  other = parley_sqlite_store_new (other_path, &error);
  g_assert_false (parley_store_restore (PARLEY_STORE (other), copy, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_clear_object (&other);
  g_assert_cmpint (g_unlink (copy), ==, 0);
}

static void
synced_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (parley_store_sync_finish (PARLEY_STORE (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
sync_and_settle (ParleyStore *store)
{
  gboolean synced = FALSE;

  parley_store_sync_async (store, NULL, synced_cb, &synced);
  while (!synced)
    g_main_context_iteration (NULL, TRUE);
  /* A checkpoint runs after the sync has answered. */
  g_usleep (G_USEC_PER_SEC / 2);
}

/* The sync worker copies the log into the database once it is large, and
 * the log then starts over instead of growing for ever; small commits after
 * that do not checkpoint again (each checkpoint costs two fsyncs). */
static void
test_checkpoint (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *filler = g_strnfill (4000, 'x');
  GStatBuf before, after;
  gint64 customer, conversation;

  g_assert_true (parley_store_begin (f->store, &error));
  customer = add_customer (f->store, "email", "ann@example.com", "Ann", 100);
  conversation = add_conversation (f->store, customer, add_queue (f->store, "General"), "email", 0, 100);
  g_assert_true (parley_store_commit (f->store, &error));
  g_assert_cmpint (g_stat (f->path, &before), ==, 0);
  for (guint round = 0; round < 3; round++)
    {
      /* About 6 MiB a round, past the 1 MiB that starts a checkpoint. */
      g_assert_true (parley_store_begin_lazy (f->store, &error));
      for (guint i = 0; i < 1500; i++)
        {
          ParleyEventDraft draft = { .conversation_id = conversation, .customer_id = customer, .channel = "email",
                                     .kind = "message", .direction = "in", .text = filler, .created = 200 + i };

          g_assert_cmpint (parley_store_append_event (f->store, &draft, &error), >, 0);
        }
      g_assert_true (parley_store_commit_lazy (f->store, &error));
      sync_and_settle (f->store);
    }
  g_assert_cmpint (g_stat (f->path, &after), ==, 0);
  g_assert_cmpint (after.st_size, >, before.st_size + 8 * 1024 * 1024);
  g_assert_cmpint (g_stat (wal, &after), ==, 0);
  g_assert_cmpint (after.st_size, <=, 16 * 1024 * 1024);

  g_assert_cmpint (g_stat (f->path, &before), ==, 0);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_true (parley_store_begin_lazy (f->store, &error));
      g_assert_true (parley_store_set_setting (f->store, "test", "small", "commit", &error));
      g_assert_true (parley_store_commit_lazy (f->store, &error));
      sync_and_settle (f->store);
    }
  g_assert_cmpint (g_stat (f->path, &after), ==, 0);
  g_assert_cmpint (after.st_mtime, ==, before.st_mtime);
  g_assert_cmpint (after.st_mtim.tv_nsec, ==, before.st_mtim.tv_nsec);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store/schema/fresh", test_schema_fresh);
  ADD ("/store/schema/reopen", test_schema_reopen);
  ADD ("/store/private-files", test_private_files);
  ADD ("/store/agents", test_agents);
  ADD ("/store/tokens", test_tokens);
  ADD ("/store/settings", test_settings);
  ADD ("/store/queues", test_queues);
  ADD ("/store/customers/resolve-identity", test_resolve_identity);
  ADD ("/store/customers/search-update", test_customers);
  ADD ("/store/customers/search-folds-case", test_search_folds_case);
  ADD ("/store/customers/search-phone-numbers", test_search_phone_numbers);
  ADD ("/store/migrate/identities", test_migrate_identities);
  ADD ("/store/customers/link-identity", test_link_identity);
  ADD ("/store/customers/merge-unmerge", test_merge);
  ADD ("/store/conversations", test_conversations);
  ADD ("/store/events", test_events);
  ADD ("/store/events/timeline", test_timeline);
  ADD ("/store/events/messages-with", test_messages_with);
  ADD ("/store/offers", test_offers);
  ADD ("/store/outbox", test_outbox);
  ADD ("/store/checkpoint", test_checkpoint);
  ADD ("/store/attachments", test_attachments);
  ADD ("/store/privacy/export-erase", test_export_erase);
  ADD ("/store/privacy/expire-attachments", test_expire_attachments);
  ADD ("/store/backup-restore", test_backup_restore);
  ADD ("/store/survey", test_survey);
  ADD ("/store/survey/lifecycle", test_survey_lifecycle);
  ADD ("/store/survey/answers-in-a-row", test_survey_answers_in_a_row);
  ADD ("/store/metric-rows", test_metric_rows);
  ADD ("/store/survey-queries", test_survey_queries);
  ADD ("/store/transactions/savepoint", test_savepoint);
  ADD ("/store/transactions/rollback", test_rollback);
  ADD ("/store/transactions/atomic-methods", test_atomic_methods);

#undef ADD

  return g_test_run ();
}
