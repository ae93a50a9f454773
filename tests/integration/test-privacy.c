/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE  /* memmem */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sqlite3.h>

#include "parley-test-hub.h"

/* A customer's data on request against a real parleyd: the export holds
 * every event and file, the erasure leaves nothing of them readable (over
 * the API or in the database files) while the figures and other customers
 * stay as they were; files past their retention expire. */

#define MARIA_NAME "María Erasable"
#define MARIA_EMAIL "maria.erasable@example.com"
#define MARIA_TEXT "MARKER-maria-message my address is Calle Falsa 123"
#define MARIA_COMMENT "MARKER-maria-comment"
#define FILE_BYTES "%PDF-1.4\nMARKER-maria-file-bytes\n%%EOF\n"

typedef struct
{
  ParleyTestHub *hub;
  char          *admin;
  char          *alice;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->hub = parley_test_hub_new (data);
  parley_test_hub_ctl (f->hub, "agent-add", "root", "--password", "secret", "--role", "admin", NULL);
  parley_test_hub_ctl (f->hub, "agent-add", "alice", "--password", "secret", "--role", "agent", NULL);
  parley_test_hub_start (f->hub);
  f->admin = parley_test_hub_login (f->hub, "root", "secret");
  f->alice = parley_test_hub_login (f->hub, "alice", "secret");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_free (f->admin);
  g_free (f->alice);
  parley_test_hub_free (f->hub);
}

static guint
status_of (ParleyTestHub *hub,
           const char    *method,
           const char    *path,
           const char    *token)
{
  guint status;
  g_autoptr(JsonObject) reply = parley_test_hub_call (hub, method, path, token, NULL, &status);

  return status;
}

/* A customer writes in through the api channel: {event, conversation, customer}. */
static JsonObject *
write_in (ParleyTestHub *hub,
          const char    *email,
          const char    *name,
          const char    *text)
{
  g_autofree char *body = g_strdup_printf ("{\"from\":{\"kind\":\"email\",\"value\":\"%s\",\"name\":\"%s\"},\"text\":\"%s\"}",
                                           email, name, text);
  return parley_test_hub_inbound_ok (hub, body);
}

/* Uploads a file to the conversation as the admin; its id. */
static char *
upload (Fixture    *f,
        gint64      conversation,
        const char *name,
        const char *contents,
        gsize       size)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/attachments", conversation);
  g_autoptr(SoupMessage) msg = parley_test_hub_request (f->hub, "POST", path, f->admin, NULL);
  g_autoptr(GBytes) body = g_bytes_new (contents, size);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Parley-Filename", name);
  soup_message_set_request_body_from_bytes (msg, "application/octet-stream", body);
  reply = soup_session_send_and_read (f->hub->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 201);
  answer = parley_test_parse (reply);
  return g_strdup (json_object_get_string_member (json_object_get_object_member (answer, "attachment"), "id"));
}

static void
send_with_file (Fixture    *f,
                gint64      conversation,
                const char *attachment)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/messages", conversation);
  g_autofree char *body = g_strdup_printf ("{\"channel\":\"api\",\"text\":\"Here is your file, María\",\"attachment\":\"%s\"}",
                                           attachment);
  g_autoptr(JsonObject) sent = parley_test_hub_call_ok (f->hub, "POST", path, f->admin, body);
}

static GBytes *
get_bytes (ParleyTestHub *hub,
           const char    *path,
           const char    *token,
           guint         *status)
{
  g_autoptr(SoupMessage) msg = parley_test_hub_request (hub, "GET", path, token, NULL);
  g_autoptr(GError) error = NULL;
  GBytes *reply = soup_session_send_and_read (hub->session, msg, NULL, &error);

  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return reply;
}

/* The files in a ustar archive: path → GBytes. */
static GHashTable *
read_tar (GBytes *archive)
{
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  gsize size;
  const guchar *data = g_bytes_get_data (archive, &size);
  gsize offset = 0;

  g_assert_cmpuint (size % 512, ==, 0);
  while (offset + 512 <= size && data[offset] != '\0')
    {
      const char *header = (const char *) data + offset;
      guint checksum = 0;
      guint64 length = g_ascii_strtoull (header + 124, NULL, 8);

      for (guint i = 0; i < 512; i++)
        checksum += (i >= 148 && i < 156) ? ' ' : (guchar) header[i];
      g_assert_cmpuint (checksum, ==, g_ascii_strtoull (header + 148, NULL, 8));
      g_assert_cmpmem (header + 257, 6, "ustar", 6);
      g_assert_cmpint (header[156], ==, '0');
      g_assert_cmpuint (offset + 512 + length, <=, size);
      g_hash_table_insert (files, g_strndup (header, 100), g_bytes_new (data + offset + 512, length));
      offset += 512 + (length + 511) / 512 * 512;
    }
  /* Two empty blocks end it. */
  g_assert_cmpuint (offset + 1024, ==, size);
  return files;
}

static JsonObject *
parse_json (GBytes *bytes)
{
  JsonObject *object = parley_test_parse (bytes);

  g_assert_nonnull (object);
  return object;
}

/* Whether any of the hub's database files holds @needle. */
static gboolean
files_contain (ParleyTestHub *hub,
               const char    *needle)
{
  static const char * const names[] = { "parley.db", "parley.db-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (hub->data_dir, names[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_get_contents (path, &contents, &length, NULL) &&
          memmem (contents, length, needle, strlen (needle)) != NULL)
        return TRUE;
    }
  return FALSE;
}

static char *
ctl_output (ParleyTestHub *hub,
            const char    *command,
            const char    *arg1,
            const char    *arg2)
{
  const char *argv[] = { g_getenv ("PARLEYCTL"), "--data-dir", hub->data_dir, command, arg1, arg2, NULL };
  g_autoptr(GError) error = NULL;
  char *output = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &output, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return output;
}

/* The queue and agent figures of an interval that has ended, without the
 * time they were asked at and what measures the hub's own work. */
static char *
figures (Fixture *f,
         gint64   from,
         gint64   to)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/metrics?from=%" G_GINT64_FORMAT "&to=%" G_GINT64_FORMAT, from, to);
  g_autoptr(JsonObject) metrics = parley_test_hub_call_ok (f->hub, "GET", path, f->admin, NULL);
  g_autoptr(JsonNode) node = NULL;

  json_object_remove_member (metrics, "now");
  json_object_remove_member (metrics, "cpu_us");
  json_object_remove_member (metrics, "cpu_total_us");
  node = json_node_init_object (json_node_alloc (), metrics);
  return json_to_string (node, FALSE);
}

static void
test_export_and_erase (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JsonObject) first = write_in (f->hub, MARIA_EMAIL, MARIA_NAME, MARIA_TEXT);
  g_autoptr(JsonObject) second = write_in (f->hub, MARIA_EMAIL, MARIA_NAME, "second MARKER-maria-message");
  g_autoptr(JsonObject) otto = write_in (f->hub, "otto@example.com", "Otto Kept", "Otto's own words");
  gint64 maria = json_object_get_int_member (first, "customer");
  gint64 conversation = json_object_get_int_member (first, "conversation");
  gint64 from = g_get_real_time () - G_TIME_SPAN_HOUR, to;
  g_autofree char *file_id = upload (f, conversation, "scan%20%E2%80%AEfdp.exe.pdf", FILE_BYTES, strlen (FILE_BYTES));
  g_autofree char *maria_path = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT, maria);
  g_autofree char *export_path = g_strconcat (maria_path, "/export", NULL);
  g_autofree char *erase_path = g_strconcat (maria_path, "/erase", NULL);
  g_autofree char *timeline_path = g_strconcat (maria_path, "/timeline", NULL);
  g_autofree char *file_path = g_strconcat ("/api/v1/attachments/", file_id, NULL);
  g_autofree char *archive_path = g_build_filename (f->hub->data_dir, "maria.tar", NULL);
  g_autofree char *maria_text = g_strdup_printf ("%" G_GINT64_FORMAT, maria);
  g_autofree char *survey_path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/survey", conversation);
  g_autofree char *resolve_path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/resolve", conversation);
  g_autofree char *before = NULL, *after = NULL, *audit = NULL, *file_in_archive = NULL;
  g_autoptr(GBytes) archive = NULL;
  g_autoptr(GBytes) on_disk = NULL;
  g_autoptr(GBytes) file_bytes = g_bytes_new_static (FILE_BYTES, strlen (FILE_BYTES));
  g_autoptr(GFile) archive_file = NULL;
  g_autoptr(GHashTable) files = NULL;
  g_autoptr(GHashTable) disk_files = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) found = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) otto_timeline = NULL;
  g_autofree char *otto_resolve_path = g_strdup_printf ("/api/v1/conversations/%" G_GINT64_FORMAT "/resolve",
                                                        json_object_get_int_member (otto, "conversation"));
  g_autofree char *otto_path = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/timeline",
                                                json_object_get_int_member (otto, "customer"));
  JsonArray *events, *attachments;
  gboolean texts_found = FALSE;
  guint status;

  g_assert_cmpint (json_object_get_int_member (second, "customer"), ==, maria);
  send_with_file (f, conversation, file_id);
  reply = parley_test_hub_call_ok (f->hub, "POST", survey_path, f->admin,
                                   "{\"nps\":9,\"csat\":5,\"comment\":\"" MARIA_COMMENT "\"}");
  g_clear_pointer (&reply, json_object_unref);
  /* Not while she is being served. */
  g_assert_cmpuint (status_of (f->hub, "POST", erase_path, f->admin), ==, 409);
  reply = parley_test_hub_call_ok (f->hub, "POST", resolve_path, f->admin, "{\"disposition\":\"done\"}");
  g_clear_pointer (&reply, json_object_unref);
  /* Nobody waits, so no figure depends on when it is asked. */
  reply = parley_test_hub_call_ok (f->hub, "POST", otto_resolve_path, f->admin, "{\"disposition\":\"done\"}");

  /* Only admins. */
  g_assert_cmpuint (status_of (f->hub, "GET", export_path, f->alice), ==, 403);
  g_assert_cmpuint (status_of (f->hub, "POST", erase_path, f->alice), ==, 403);
  g_assert_cmpuint (status_of (f->hub, "GET", "/api/v1/customers/999999/export", f->admin), ==, 404);

  /* The export holds the customer, every event and the file's bytes. */
  archive = get_bytes (f->hub, export_path, f->admin, &status);
  g_assert_cmpuint (status, ==, 200);
  files = read_tar (archive);
  record = parse_json (g_hash_table_lookup (files, "customer.json"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "customer"), "name"), ==,
                   MARIA_NAME);
  events = json_object_get_array_member (record, "events");
  for (guint i = 0; i < json_array_get_length (events); i++)
    texts_found |= g_strcmp0 (json_object_get_string_member (json_array_get_object_element (events, i), "text"),
                              MARIA_TEXT) == 0;
  g_assert_true (texts_found);
  g_assert_cmpuint (json_array_get_length (events), ==, 5);  /* 2 in, the reply, the answer, resolved */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (record, "survey_answers")), ==, 1);
  attachments = json_object_get_array_member (record, "attachments");
  g_assert_cmpuint (json_array_get_length (attachments), ==, 1);
  file_in_archive = g_strdup (json_object_get_string_member (json_array_get_object_element (attachments, 0), "path"));
  g_assert_true (g_str_has_prefix (file_in_archive, "attachments/"));
  g_assert_null (strstr (file_in_archive, "\xE2\x80\xAE"));   /* no right-to-left override */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (attachments, 0), "kind"), ==,
                   "documents");
  g_assert_true (g_bytes_equal (g_hash_table_lookup (files, file_in_archive), file_bytes));

  /* parleyctl writes the same archive to a file. */
  archive_file = g_file_new_for_path (archive_path);
  g_free (ctl_output (f->hub, "export", maria_text, archive_path));
  on_disk = g_file_load_bytes (archive_file, NULL, NULL, NULL);
  g_assert_nonnull (on_disk);
  disk_files = read_tar (on_disk);
  g_assert_true (g_hash_table_contains (disk_files, file_in_archive));
  g_assert_cmpuint (g_hash_table_size (disk_files), ==, g_hash_table_size (files));

  /* Erase: the figures of the interval that has ended stay the same. */
  to = g_get_real_time ();
  g_usleep (G_USEC_PER_SEC / 100);
  before = figures (f, from, to);
  g_assert_true (files_contain (f->hub, "MARKER-maria-message"));
  g_clear_pointer (&reply, json_object_unref);
  reply = parley_test_hub_call_ok (f->hub, "POST", erase_path, f->admin, NULL);
  g_assert_cmpint (json_object_get_int_member (reply, "erased"), ==, maria);
  after = figures (f, from, to);
  g_assert_cmpstr (after, ==, before);

  /* Nothing of hers is readable any more. */
  g_assert_cmpuint (status_of (f->hub, "GET", maria_path, f->admin), ==, 404);
  g_assert_cmpuint (status_of (f->hub, "GET", timeline_path, f->admin), ==, 404);
  g_assert_cmpuint (status_of (f->hub, "GET", export_path, f->admin), ==, 404);
  g_assert_cmpuint (status_of (f->hub, "GET", file_path, f->admin), ==, 404);
  g_assert_cmpuint (status_of (f->hub, "POST", erase_path, f->admin), ==, 404);
  found = parley_test_hub_call_ok (f->hub, "GET", "/api/v1/customers?q=Erasable", f->admin, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (found, "customers")), ==, 0);
  g_clear_pointer (&found, json_object_unref);
  found = parley_test_hub_call_ok (f->hub, "GET", "/api/v1/customers?q=maria.erasable", f->admin, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (found, "customers")), ==, 0);
  /* Not in the database files either: not in the log, not in free space. */
  g_assert_false (files_contain (f->hub, "MARKER-maria-message"));
  g_assert_false (files_contain (f->hub, "MARKER-maria-comment"));
  g_assert_false (files_contain (f->hub, "MARKER-maria-file-bytes"));
  g_assert_false (files_contain (f->hub, MARIA_EMAIL));
  g_assert_false (files_contain (f->hub, "Erasable"));

  /* The audit log keeps who erased whom and when. */
  audit = ctl_output (f->hub, "audit", maria_text, NULL);
  g_assert_nonnull (strstr (audit, "\"action\":\"erase\""));
  g_assert_nonnull (strstr (audit, "\"action\":\"export\",\"customer_id\":"));
  g_assert_nonnull (strstr (audit, "\"via\":\"parleyctl\""));
  g_assert_nonnull (strstr (audit, "\"agent_id\":1"));
  g_assert_null (strstr (audit, "Erasable"));

  /* Otto is untouched; María writing again is a new customer. */
  otto_timeline = parley_test_hub_call_ok (f->hub, "GET", otto_path, f->admin, NULL);
  events = json_object_get_array_member (otto_timeline, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 1), "text"), ==,
                   "Otto's own words");
  again = write_in (f->hub, MARIA_EMAIL, "María", "hello again");
  g_assert_cmpint (json_object_get_int_member (again, "customer"), >, json_object_get_int_member (otto, "customer"));

  /* And after a restart nothing comes back. */
  parley_test_hub_stop (f->hub, SIGTERM);
  g_assert_false (files_contain (f->hub, "MARKER-maria-message"));
  parley_test_hub_start (f->hub);
  g_assert_cmpuint (status_of (f->hub, "GET", maria_path, f->admin), ==, 404);
}

/* Moves a file's upload time back by @days, straight in the database of a
 * stopped hub: retention is measured in days. */
static void
age_attachment (ParleyTestHub *hub,
                const char    *id,
                int            days)
{
  g_autofree char *path = g_build_filename (hub->data_dir, "parley.db", NULL);
  g_autofree char *sql = g_strdup_printf ("UPDATE attachments SET created = created - %d * 86400000000 WHERE id = '%s'",
                                          days, id);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
}

/* With images kept 2 days and documents for ever, a 3-day-old picture goes
 * when the hub starts, and its message says so; the document stays. */
static void
test_retention (Fixture       *f,
                gconstpointer  data)
{
  static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x06\0\0\0\x1f\x15\xc4\x89";
  g_autoptr(JsonObject) first = write_in (f->hub, "pat@example.com", "Pat", "a picture follows");
  gint64 conversation = json_object_get_int_member (first, "conversation");
  g_autofree char *image = upload (f, conversation, "photo.png", png, sizeof png - 1);
  g_autofree char *document = upload (f, conversation, "terms.pdf", FILE_BYTES, strlen (FILE_BYTES));
  g_autofree char *image_path = g_strconcat ("/api/v1/attachments/", image, NULL);
  g_autofree char *document_path = g_strconcat ("/api/v1/attachments/", document, NULL);
  g_autofree char *timeline_path = g_strdup_printf ("/api/v1/customers/%" G_GINT64_FORMAT "/timeline",
                                                    json_object_get_int_member (first, "customer"));
  g_autoptr(JsonObject) timeline = NULL;
  JsonArray *events;
  guint expired = 0, kept = 0;

  send_with_file (f, conversation, image);
  send_with_file (f, conversation, document);
  g_assert_cmpuint (status_of (f->hub, "GET", image_path, f->admin), ==, 200);

  parley_test_hub_stop (f->hub, SIGTERM);
  age_attachment (f->hub, image, 3);
  age_attachment (f->hub, document, 3);
  parley_test_hub_start (f->hub);

  g_assert_cmpuint (status_of (f->hub, "GET", image_path, f->admin), ==, 404);
  g_assert_cmpuint (status_of (f->hub, "GET", document_path, f->admin), ==, 200);
  timeline = parley_test_hub_call_ok (f->hub, "GET", timeline_path, f->admin, NULL);
  events = json_object_get_array_member (timeline, "events");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *metadata = json_object_get_object_member (json_array_get_object_element (events, i), "metadata");
      JsonObject *attachment = json_object_has_member (metadata, "attachment")
        ? json_object_get_object_member (metadata, "attachment") : NULL;

      if (attachment == NULL)
        continue;
      if (g_strcmp0 (json_object_get_string_member (attachment, "id"), image) == 0)
        expired += json_object_get_int_member_with_default (attachment, "expired", 0) > 0;
      else
        kept += !json_object_has_member (attachment, "expired");
    }
  g_assert_cmpuint (expired, ==, 1);
  g_assert_cmpuint (kept, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/privacy/export-and-erase", Fixture, NULL, fixture_set_up, test_export_and_erase, fixture_tear_down);
  g_test_add ("/privacy/retention", Fixture, "[retention]\nimages=2\ndocuments=0\n",
              fixture_set_up, test_retention, fixture_tear_down);
  return g_test_run ();
}
