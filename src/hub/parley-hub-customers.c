/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-hub"

#include "config.h"

#include "parley-hub-private.h"

/* Changes to who a customer is (an identity linked, two customers merged),
 * each recorded in the timelines it touches. Agents make them through the
 * API; inbound messages make them too, when a chat visitor gives an email
 * that is already known. Call inside a transaction. @author is the agent's
 * name, or NULL for the hub itself (agent_id 0). */

/* A customer-level entry (no conversation) in one customer's timeline. */
gboolean
_parley_hub_customer_event (ParleyHub   *self,
                            gint64       customer_id,
                            const char  *kind,
                            const char  *text,
                            JsonObject  *metadata,
                            gint64       agent_id,
                            const char  *author,
                            gint64       now,
                            GError     **error)
{
  g_autoptr(JsonObject) event = NULL;
  ParleyEventDraft draft = {
    .customer_id = customer_id,
    .channel = "system",
    .kind = kind,
    .direction = "internal",
    .agent_id = agent_id,
    .author_name = author ? author : "Parley",
    .text = text,
    .metadata = metadata,
    .created = now,
  };
  gint64 id = parley_store_append_event (self->store, &draft, error);

  if (id <= 0 || !(event = parley_store_get_event (self->store, id, error)))
    return FALSE;
  _parley_hub_notice (self, 0, 0, "event", "event", event);
  return TRUE;
}

static const char *
customer_name (JsonObject *customer)
{
  return json_object_get_string_member_with_default (customer, "name", "");
}

/* Merges @absorbed into @survivor; returns the merge's id, or 0. */
gint64
_parley_hub_merge_customers (ParleyHub   *self,
                             gint64       survivor_id,
                             gint64       absorbed_id,
                             gint64       agent_id,
                             const char  *author,
                             gint64       now,
                             GError     **error)
{
  g_autoptr(JsonObject) survivor = NULL;
  g_autoptr(JsonObject) absorbed = NULL;
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autofree char *into = NULL;
  g_autofree char *from = NULL;
  gint64 merge_id;

  if (!(survivor = parley_store_get_customer (self->store, survivor_id, error)) ||
      !(absorbed = parley_store_get_customer (self->store, absorbed_id, error)) ||
      (merge_id = parley_store_merge_customers (self->store, survivor_id, absorbed_id, agent_id, now, error)) <= 0)
    return 0;

  json_object_set_int_member (metadata, "merge_id", merge_id);
  json_object_set_int_member (metadata, "survivor_id", survivor_id);
  json_object_set_int_member (metadata, "absorbed_id", absorbed_id);
  /* Desktops word the record themselves, in the agent's language, from
   * these; the English text stays for older desktops and exports. */
  json_object_set_string_member (metadata, "survivor_name", customer_name (survivor));
  json_object_set_string_member (metadata, "absorbed_name", customer_name (absorbed));
  into = g_strdup_printf ("Merged customer #%" G_GINT64_FORMAT " (%s) into this one", absorbed_id, customer_name (absorbed));
  from = g_strdup_printf ("Merged into customer #%" G_GINT64_FORMAT " (%s)", survivor_id, customer_name (survivor));
  if (!_parley_hub_customer_event (self, survivor_id, "merge", into, metadata, agent_id, author, now, error) ||
      !_parley_hub_customer_event (self, absorbed_id, "merge", from, metadata, agent_id, author, now, error))
    return 0;
  return merge_id;
}

/* Links the normalized identity to @customer_id, moving it from whoever had it. */
gboolean
_parley_hub_link_identity (ParleyHub   *self,
                           gint64       customer_id,
                           const char  *kind,
                           const char  *value,
                           gint64       agent_id,
                           const char  *author,
                           gint64       now,
                           GError     **error)
{
  g_autoptr(JsonObject) customer = parley_store_get_customer (self->store, customer_id, error);
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autofree char *text = NULL;
  gint64 previous;

  if (customer == NULL || (previous = parley_store_link_identity (self->store, customer_id, kind, value, error)) < 0)
    return FALSE;
  json_object_set_string_member (metadata, "kind", kind);
  json_object_set_string_member (metadata, "value", value);
  json_object_set_int_member (metadata, "previous_customer_id", previous);
  text = g_strdup_printf ("Linked %s %s", kind, value);
  if (!_parley_hub_customer_event (self, customer_id, "link", text, metadata, agent_id, author, now, error))
    return FALSE;
  if (previous > 0 && previous != customer_id)
    {
      g_autofree char *moved = g_strdup_printf ("%s %s moved to customer #%" G_GINT64_FORMAT, kind, value, customer_id);

      return _parley_hub_customer_event (self, previous, "link", moved, metadata, agent_id, author, now, error);
    }
  return TRUE;
}
