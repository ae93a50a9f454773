/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-privacy"

#include "config.h"

#include <string.h>

#include "parley-error.h"
#include "parley-privacy.h"
#include "parley-tar.h"

/* Each kind: its [retention] key, where its files go in an export, and
 * the MIME types it covers (anything else counts as a document). */
static const struct
{
  const char *key;
  const char *directory;
  const char *type_prefixes[3];
} kinds[PARLEY_N_FILE_KINDS] = {
  [PARLEY_FILE_KIND_IMAGE] = { "images", "attachments", { "image/", NULL } },
  [PARLEY_FILE_KIND_DOCUMENT] = { "documents", "attachments", { "application/", "text/", NULL } },
  [PARLEY_FILE_KIND_RECORDING] = { "recordings", "recordings", { "audio/", "video/", NULL } },
};

/* A century: more is a typo. */
#define RETENTION_MAX_DAYS 36500

#define EXPORT_FORMAT "parley-customer-export-1"
/* Bytes of the original name kept in an archive path, after the id. */
#define NAME_IN_PATH_MAX 48

ParleyFileKind
parley_file_kind_for_type (const char *type)
{
  for (guint kind = 0; kind < PARLEY_N_FILE_KINDS; kind++)
    for (guint i = 0; kinds[kind].type_prefixes[i] != NULL; i++)
      if (type != NULL && g_str_has_prefix (type, kinds[kind].type_prefixes[i]))
        return kind;
  return PARLEY_FILE_KIND_DOCUMENT;
}

/**
 * parley_retention_load:
 * @self: the retention to fill in
 * @file: the hub's configuration
 * @error: return location for a #GError
 *
 * Reads the [retention] group: days to keep `images`, `documents` and
 * `recordings`; a missing key or 0 keeps them for ever.
 *
 * Returns: whether every value given was valid
 */
gboolean
parley_retention_load (ParleyRetention  *self,
                       GKeyFile         *file,
                       GError          **error)
{
  for (guint kind = 0; kind < PARLEY_N_FILE_KINDS; kind++)
    {
      g_autofree char *value = g_key_file_get_string (file, "retention", kinds[kind].key, NULL);
      guint64 days = 0;

      if (value != NULL &&
          !g_ascii_string_to_unsigned (g_strstrip (value), 10, 0, RETENTION_MAX_DAYS, &days, NULL))
        {
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                       "[retention] %s must be a number of days from 0 (keep for ever) to %d",
                       kinds[kind].key, RETENTION_MAX_DAYS);
          return FALSE;
        }
      self->days[kind] = (guint) days;
    }
  return TRUE;
}

/**
 * parley_retention_apply:
 * @self: the retention periods
 * @store: where the files are
 * @now: the time, µs since the epoch
 * @error: return location for a #GError
 *
 * Deletes every file older than its kind's period, inside the caller's
 * transaction; the messages that carried them say they expired.
 *
 * Returns: how many files went, or -1
 */
gint64
parley_retention_apply (const ParleyRetention  *self,
                        ParleyStore            *store,
                        gint64                  now,
                        GError                **error)
{
  gint64 total = 0;

  for (guint kind = 0; kind < PARLEY_N_FILE_KINDS; kind++)
    for (guint i = 0; self->days[kind] > 0 && kinds[kind].type_prefixes[i] != NULL; i++)
      {
        gint64 expired = parley_store_expire_attachments (store, kinds[kind].type_prefixes[i],
                                                          now - (gint64) self->days[kind] * G_TIME_SPAN_DAY,
                                                          now, error);

        if (expired < 0)
          return -1;
        total += expired;
      }
  return total;
}

/* The archive path of a file: its kind's directory, its id, and as much of
 * the name it came with as fits, without separators, control or bidi
 * characters, cut at a character boundary. */
static char *
archive_path (JsonObject *attachment)
{
  const char *name = json_object_get_string_member_with_default (attachment, "name", "");
  const char *type = json_object_get_string_member_with_default (attachment, "type", NULL);
  g_autoptr(GString) safe = g_string_new (NULL);

  if (g_utf8_validate (name, -1, NULL))
    for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
      {
        gunichar c = g_utf8_get_char (p);
        char utf8[6];
        int length;

        if (c == '/' || c == '\\' || g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
          continue;
        length = g_unichar_to_utf8 (c, utf8);
        if (safe->len + length > NAME_IN_PATH_MAX)
          break;
        g_string_append_len (safe, utf8, length);
      }
  if (safe->len == 0 || g_str_equal (safe->str, ".") || g_str_equal (safe->str, ".."))
    g_string_assign (safe, "file");
  return g_strdup_printf ("%s/%s/%s", kinds[parley_file_kind_for_type (type)].directory,
                          json_object_get_string_member (attachment, "id"), safe->str);
}

static GBytes *
json_bytes (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length;
  char *text;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

/**
 * parley_privacy_export:
 * @store: the store
 * @customer_id: whose data
 * @out: where the archive goes
 * @now: the time of the export, µs since the epoch
 * @error: return location for a #GError
 *
 * Writes everything the store holds about the customer as one tar
 * archive: `customer.json` (the record as parley_store_export_customer()
 * gives it, each attachment with its `kind` and its `path` in the
 * archive), then each file under `attachments/ID/NAME` (images and
 * documents) or `recordings/ID/NAME`.
 *
 * Returns: whether the whole archive was written
 */
gboolean
parley_privacy_export (ParleyStore    *store,
                       gint64          customer_id,
                       GOutputStream  *out,
                       gint64          now,
                       GError        **error)
{
  g_autoptr(JsonObject) export = parley_store_export_customer (store, customer_id, error);
  g_autoptr(GBytes) record = NULL;
  JsonArray *attachments;

  if (export == NULL)
    return FALSE;
  json_object_set_string_member (export, "format", EXPORT_FORMAT);
  json_object_set_int_member (export, "exported_at", now);
  attachments = json_object_get_array_member (export, "attachments");
  for (guint i = 0; i < json_array_get_length (attachments); i++)
    {
      JsonObject *attachment = json_array_get_object_element (attachments, i);
      ParleyFileKind kind = parley_file_kind_for_type (json_object_get_string_member (attachment, "type"));
      g_autofree char *path = archive_path (attachment);

      json_object_set_string_member (attachment, "kind", kinds[kind].key);
      json_object_set_string_member (attachment, "path", path);
    }
  record = json_bytes (export);
  if (!parley_tar_add_file (out, "customer.json", record, now, error))
    return FALSE;
  /* One file in memory at a time. */
  for (guint i = 0; i < json_array_get_length (attachments); i++)
    {
      JsonObject *attachment = json_array_get_object_element (attachments, i);
      g_autoptr(JsonObject) stored = NULL;
      g_autoptr(GBytes) data = NULL;

      if (!(stored = parley_store_load_attachment (store, json_object_get_string_member (attachment, "id"), &data, error)) ||
          !parley_tar_add_file (out, json_object_get_string_member (attachment, "path"), data,
                                json_object_get_int_member (attachment, "created"), error))
        return FALSE;
    }
  return parley_tar_finish (out, error);
}

/* An audit entry says who did what to whose data, how: ids only. */
static gboolean
audit (ParleyStore  *store,
       const char   *action,
       gint64        customer_id,
       gint64        agent_id,
       const char   *via,
       gint64        now,
       GError      **error)
{
  g_autoptr(JsonObject) details = json_object_new ();

  json_object_set_string_member (details, "via", via);
  return parley_store_add_audit (store, agent_id, action, customer_id, details, now, error) > 0;
}

/**
 * parley_privacy_audit_export:
 * @store: the store, in a transaction the caller commits
 * @customer_id: whose data was exported
 * @agent_id: the admin who asked, or 0 for a command on the data directory
 * @via: how they asked ("api", "parleyctl")
 * @now: the time, µs since the epoch
 * @error: return location for a #GError
 *
 * Records in the audit log that the customer's data left Parley.
 *
 * Returns: whether it was recorded
 */
gboolean
parley_privacy_audit_export (ParleyStore  *store,
                             gint64        customer_id,
                             gint64        agent_id,
                             const char   *via,
                             gint64        now,
                             GError      **error)
{
  return audit (store, "export", customer_id, agent_id, via, now, error);
}

/**
 * parley_privacy_erase:
 * @store: the store, in a transaction the caller commits
 * @customer_id: whose data
 * @agent_id: the admin who asked, or 0 for a command on the data directory
 * @via: how they asked ("api", "parleyctl")
 * @now: the time, µs since the epoch
 * @error: return location for a #GError
 *
 * Erases the customer (see parley_store_erase_customer()) and records in
 * the audit log who did it, when and how: ids only, nothing personal.
 * Call parley_store_scrub() once the transaction is committed.
 *
 * Returns: whether both happened
 */
gboolean
parley_privacy_erase (ParleyStore  *store,
                      gint64        customer_id,
                      gint64        agent_id,
                      const char   *via,
                      gint64        now,
                      GError      **error)
{
  return parley_store_erase_customer (store, customer_id, now, error) &&
         audit (store, "erase", customer_id, agent_id, via, now, error);
}
