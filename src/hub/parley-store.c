/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-store"

#include "config.h"

#include "parley-store.h"
#include "parley-error.h"

#include <string.h>

/* The abstract store. Subclasses implement every vfunc; these wrappers only
 * check the instance, so callers never reach through the class struct. */

G_DEFINE_ABSTRACT_TYPE (ParleyStore, parley_store, G_TYPE_OBJECT)

static void
parley_store_class_init (ParleyStoreClass *klass)
{
}

static void
parley_store_init (ParleyStore *self)
{
}

gboolean
parley_store_begin (ParleyStore *self,
                    GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->begin (self, error);
}

gboolean
parley_store_commit (ParleyStore *self,
                     GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->commit (self, error);
}

gboolean
parley_store_begin_lazy (ParleyStore *self,
                         GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->begin_lazy (self, error);
}

gboolean
parley_store_commit_lazy (ParleyStore *self,
                          GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->commit_lazy (self, error);
}

void
parley_store_sync_async (ParleyStore *self,
                         GCancellable *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_return_if_fail (PARLEY_IS_STORE (self));

  PARLEY_STORE_GET_CLASS (self)->sync_async (self, cancellable, callback, user_data);
}

gboolean
parley_store_sync_finish (ParleyStore *self,
                          GAsyncResult *result,
                          GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->sync_finish (self, result, error);
}

void
parley_store_rollback (ParleyStore *self)
{
  g_return_if_fail (PARLEY_IS_STORE (self));

  PARLEY_STORE_GET_CLASS (self)->rollback (self);
}

gboolean
parley_store_savepoint (ParleyStore *self,
                        GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->savepoint (self, error);
}

gboolean
parley_store_release_savepoint (ParleyStore *self,
                                GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->release_savepoint (self, error);
}

void
parley_store_rollback_savepoint (ParleyStore *self)
{
  g_return_if_fail (PARLEY_IS_STORE (self));

  PARLEY_STORE_GET_CLASS (self)->rollback_savepoint (self);
}

gboolean
parley_store_set_setting (ParleyStore *self,
                          const char *scope,
                          const char *key,
                          const char *value,
                          GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->set_setting (self, scope, key, value, error);
}

char       *
parley_store_get_setting (ParleyStore *self,
                          const char *scope,
                          const char *key)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->get_setting (self, scope, key);
}

gint64
parley_store_create_agent (ParleyStore *self,
                           const char *login,
                           const char *name,
                           const char *role,
                           const char *password_hash,
                           JsonObject *skills,
                           JsonObject *capacity,
                           GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), 0);

  return PARLEY_STORE_GET_CLASS (self)->create_agent (self, login, name, role, password_hash, skills, capacity, error);
}

gboolean
parley_store_update_agent (ParleyStore *self,
                           gint64 agent_id,
                           const char *name,
                           const char *role,
                           const char *password_hash,
                           JsonObject *skills,
                           JsonObject *capacity,
                           GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->update_agent (self, agent_id, name, role, password_hash, skills, capacity, error);
}

/* @changes' @member merged into @current's: each level a whole number
 * from @min to @max, or null to take it away. */
static JsonObject *
merge_levels (JsonObject  *current,
              JsonObject  *changes,
              const char  *member,
              gint64       min,
              gint64       max,
              GError     **error)
{
  JsonNode *given = json_object_get_member (changes, member);
  g_autoptr(JsonObject) merged = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (!JSON_NODE_HOLDS_OBJECT (given))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                   "“%s” must be an object of names and numbers, e.g. {\"chat\": 3}", member);
      return NULL;
    }
  json_object_iter_init (&iter, json_object_get_object_member (current, member));
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (merged, name, json_node_copy (node));
  json_object_iter_init (&iter, json_node_get_object (given));
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (JSON_NODE_HOLDS_NULL (node))
        json_object_remove_member (merged, name);
      else if (json_node_get_value_type (node) == G_TYPE_INT64 &&
               json_node_get_int (node) >= min && json_node_get_int (node) <= max && *name != '\0')
        json_object_set_int_member (merged, name, json_node_get_int (node));
      else
        {
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                       "“%s” in “%s” must be a whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
                       ", or null to remove it", name, member, min, max);
          return NULL;
        }
    }
  return g_steal_pointer (&merged);
}

/* A text member of @changes, if given: a string of 1 to @max bytes. */
static gboolean
changed_text (JsonObject   *changes,
              const char   *member,
              gsize         max,
              const char  **text,
              GError      **error)
{
  JsonNode *node = json_object_get_member (changes, member);

  *text = NULL;
  if (node == NULL)
    return TRUE;
  if (json_node_get_value_type (node) == G_TYPE_STRING && *json_node_get_string (node) != '\0' &&
      strlen (json_node_get_string (node)) <= max)
    {
      *text = json_node_get_string (node);
      return TRUE;
    }
  g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "“%s” must be text of 1 to %" G_GSIZE_FORMAT " bytes", member, max);
  return FALSE;
}

JsonObject *
parley_store_patch_agent (ParleyStore  *self,
                          gint64        agent_id,
                          JsonObject   *changes,
                          GError      **error)
{
  static const char *const members[] = { "name", "role", "skills", "capacity", NULL };
  static const char *const roles[] = { "agent", "supervisor", "admin", NULL };
  g_autoptr(JsonObject) current = NULL;
  g_autoptr(JsonObject) skills = NULL;
  g_autoptr(JsonObject) capacity = NULL;
  g_autoptr(GList) given = NULL;
  const char *name, *role;

  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  given = json_object_get_members (changes);
  for (GList *l = given; l != NULL; l = l->next)
    if (!g_strv_contains (members, l->data))
      {
        g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                     "An agent has no “%s”: change name, role, skills or capacity", (const char *) l->data);
        return NULL;
      }
  if (!changed_text (changes, "name", 256, &name, error) ||
      !changed_text (changes, "role", 32, &role, error))
    return NULL;
  if (role != NULL && !g_strv_contains (roles, role))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Role must be agent, supervisor or admin, not “%s”", role);
      return NULL;
    }
  if (!(current = parley_store_get_agent (self, agent_id, error)) ||
      (json_object_has_member (changes, "skills") &&
       !(skills = merge_levels (current, changes, "skills", 1, 10, error))) ||
      (json_object_has_member (changes, "capacity") &&
       !(capacity = merge_levels (current, changes, "capacity", 0, 100, error))) ||
      !parley_store_update_agent (self, agent_id, name, role, NULL, skills, capacity, error))
    return NULL;
  return parley_store_get_agent (self, agent_id, error);
}

JsonObject *
parley_store_get_agent (ParleyStore *self,
                        gint64 agent_id,
                        GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->get_agent (self, agent_id, error);
}

JsonObject *
parley_store_get_agent_by_login (ParleyStore *self,
                                 const char *login,
                                 GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->get_agent_by_login (self, login, error);
}

GPtrArray  *
parley_store_list_agents (ParleyStore *self,
                          GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->list_agents (self, error);
}

gboolean
parley_store_set_presence (ParleyStore *self,
                           gint64 agent_id,
                           const char *presence,
                           const char *reason,
                           gint64 since,
                           GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->set_presence (self, agent_id, presence, reason, since, error);
}

gboolean
parley_store_add_token (ParleyStore *self,
                        const char *token_hash,
                        gint64 agent_id,
                        gint64 expires,
                        GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->add_token (self, token_hash, agent_id, expires, error);
}

gint64
parley_store_lookup_token (ParleyStore *self,
                           const char *token_hash,
                           gint64 now,
                           gint64 *expires)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), 0);
  g_return_val_if_fail (expires != NULL, 0);

  return PARLEY_STORE_GET_CLASS (self)->lookup_token (self, token_hash, now, expires);
}

gboolean
parley_store_remove_token (ParleyStore *self,
                           const char *token_hash,
                           GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->remove_token (self, token_hash, error);
}

gint64
parley_store_purge_tokens (ParleyStore *self,
                           gint64 now,
                           GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), -1);

  return PARLEY_STORE_GET_CLASS (self)->purge_tokens (self, now, error);
}

gint64
parley_store_create_queue (ParleyStore *self,
                           const char *name,
                           gint priority,
                           JsonObject *skills,
                           gint relax_after,
                           JsonObject *service_level,
                           JsonObject *settings,
                           GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), 0);

  return PARLEY_STORE_GET_CLASS (self)->create_queue (self, name, priority, skills, relax_after, service_level,
                                                      settings, error);
}

GPtrArray  *
parley_store_list_queues (ParleyStore *self,
                          GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->list_queues (self, error);
}

gint64
parley_store_resolve_identity (ParleyStore *self,
                               const char *kind,
                               const char *value,
                               const char *display_name,
                               gint64 now,
                               gboolean *created,
                               GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), 0);

  return PARLEY_STORE_GET_CLASS (self)->resolve_identity (self, kind, value, display_name, now, created, error);
}

JsonObject *
parley_store_get_customer (ParleyStore *self,
                           gint64 customer_id,
                           GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->get_customer (self, customer_id, error);
}

GPtrArray  *
parley_store_search_customers (ParleyStore *self,
                               const char *query,
                               guint limit,
                               GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->search_customers (self, query, limit, error);
}

gboolean
parley_store_update_customer (ParleyStore *self,
                              gint64 customer_id,
                              const char *name,
                              JsonObject *attributes,
                              gint64 now,
                              GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->update_customer (self, customer_id, name, attributes, now, error);
}

gint64
parley_store_find_identity (ParleyStore *self,
                            const char *kind,
                            const char *value,
                            GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), -1);

  return PARLEY_STORE_GET_CLASS (self)->find_identity (self, kind, value, error);
}

gint64
parley_store_link_identity (ParleyStore *self,
                            gint64 customer_id,
                            const char *kind,
                            const char *value,
                            GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), 0);

  return PARLEY_STORE_GET_CLASS (self)->link_identity (self, customer_id, kind, value, error);
}

gint64
parley_store_merge_customers (ParleyStore *self,
                              gint64 survivor_id,
                              gint64 absorbed_id,
                              gint64 agent_id,
                              gint64 now,
                              GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), 0);

  return PARLEY_STORE_GET_CLASS (self)->merge_customers (self, survivor_id, absorbed_id, agent_id, now, error);
}

JsonObject *
parley_store_get_merge (ParleyStore *self,
                        gint64 merge_id,
                        GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->get_merge (self, merge_id, error);
}

gboolean
parley_store_unmerge (ParleyStore *self,
                      gint64 merge_id,
                      gint64 now,
                      GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->unmerge (self, merge_id, now, error);
}

gint64
parley_store_open_conversation_for (ParleyStore *self,
                                    gint64 customer_id)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), 0);

  return PARLEY_STORE_GET_CLASS (self)->open_conversation_for (self, customer_id);
}

gint64
parley_store_create_conversation (ParleyStore *self,
                                  gint64 customer_id,
                                  gint64 queue_id,
                                  const char *channel,
                                  gint priority,
                                  gint64 now,
                                  GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), 0);

  return PARLEY_STORE_GET_CLASS (self)->create_conversation (self, customer_id, queue_id, channel, priority, now, error);
}

JsonObject *
parley_store_get_conversation (ParleyStore *self,
                               gint64 conversation_id,
                               GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->get_conversation (self, conversation_id, error);
}

GPtrArray  *
parley_store_list_conversations (ParleyStore *self,
                                 const char *state,
                                 gint64 agent_id,
                                 guint limit,
                                 GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->list_conversations (self, state, agent_id, limit, error);
}

gboolean
parley_store_update_conversation (ParleyStore *self,
                                  gint64 conversation_id,
                                  const char *state,
                                  gint64 agent_id,
                                  gint64 queue_id,
                                  const char *channel,
                                  gint64 now,
                                  GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->update_conversation (self, conversation_id, state, agent_id, queue_id, channel, now, error);
}

gboolean
parley_store_resolve_conversation (ParleyStore *self,
                                   gint64 conversation_id,
                                   const char *disposition,
                                   gint64 now,
                                   GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->resolve_conversation (self, conversation_id, disposition, now, error);
}

gboolean
parley_store_mark_first_response (ParleyStore *self,
                                  gint64 conversation_id,
                                  gint64 now,
                                  GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->mark_first_response (self, conversation_id, now, error);
}

gint64
parley_store_last_agent_for (ParleyStore *self,
                             gint64 customer_id)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), 0);

  return PARLEY_STORE_GET_CLASS (self)->last_agent_for (self, customer_id);
}

gint64
parley_store_append_event (ParleyStore *self,
                           const ParleyEventDraft *draft,
                           GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), 0);

  return PARLEY_STORE_GET_CLASS (self)->append_event (self, draft, error);
}

JsonObject *
parley_store_get_event (ParleyStore *self,
                        gint64 event_id,
                        GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->get_event (self, event_id, error);
}

JsonObject *
parley_store_find_event_by_external (ParleyStore *self,
                                     const char *channel,
                                     const char *external_id)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->find_event_by_external (self, channel, external_id);
}

GPtrArray  *
parley_store_timeline (ParleyStore *self,
                       gint64 customer_id,
                       gint64 before_id,
                       guint limit,
                       const char *channel,
                       const char *search,
                       GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->timeline (self, customer_id, before_id, limit, channel, search, error);
}

gboolean
parley_store_set_event_delivery (ParleyStore *self,
                                 gint64 event_id,
                                 const char *delivery,
                                 const char *reason,
                                 const char *provider_id,
                                 GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->set_event_delivery (self, event_id, delivery, reason, provider_id, error);
}

JsonObject *
parley_store_last_sender (ParleyStore *self,
                          gint64 customer_id,
                          const char *channel,
                          GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->last_sender (self, customer_id, channel, error);
}

GPtrArray *
parley_store_mark_read (ParleyStore *self,
                        gint64 conversation_id,
                        const char *channel,
                        gint64 up_to,
                        gint64 now,
                        GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->mark_read (self, conversation_id, channel, up_to, now, error);
}

GPtrArray *
parley_store_messages_with (ParleyStore *self,
                            const char *channel,
                            const char *kind,
                            const char *value,
                            guint limit,
                            GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->messages_with (self, channel, kind, value, limit, error);
}

GPtrArray *
parley_store_metric_rows (ParleyStore *self,
                          gint64 since,
                          gint64 until,
                          GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->metric_rows (self, since, until, error);
}

gboolean
parley_store_metric_mark (ParleyStore *self,
                          ParleyStoreMark *mark,
                          GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->metric_mark (self, mark, error);
}

GPtrArray *
parley_store_metric_rows_between (ParleyStore *self,
                                  const ParleyStoreMark *after,
                                  const ParleyStoreMark *upto,
                                  GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->metric_rows_between (self, after, upto, error);
}

gboolean
parley_store_save_attachment (ParleyStore *self,
                              const char *id,
                              const char *owner,
                              gint64 conversation_id,
                              const char *name,
                              const char *type,
                              GBytes *data,
                              gint64 now,
                              GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->save_attachment (self, id, owner, conversation_id, name, type, data,
                                                         now, error);
}

/* The attachment's record (see parley-store.h) and, if @data is given, its
 * bytes. */
JsonObject *
parley_store_load_attachment (ParleyStore *self,
                              const char *id,
                              GBytes **data,
                              GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->load_attachment (self, id, data, error);
}

gint64
parley_store_forget_unsent_attachments (ParleyStore *self,
                                        gint64 created_before,
                                        GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), -1);

  return PARLEY_STORE_GET_CLASS (self)->forget_unsent_attachments (self, created_before, error);
}

gint64
parley_store_unsent_attachment_bytes (ParleyStore  *self,
                                      GError      **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), -1);

  return PARLEY_STORE_GET_CLASS (self)->unsent_attachment_bytes (self, error);
}

gint64
parley_store_create_offer (ParleyStore *self,
                           gint64 conversation_id,
                           gint64 agent_id,
                           gint64 now,
                           gint64 expires,
                           GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), 0);

  return PARLEY_STORE_GET_CLASS (self)->create_offer (self, conversation_id, agent_id, now, expires, error);
}

JsonObject *
parley_store_get_offer (ParleyStore *self,
                        gint64 offer_id,
                        GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->get_offer (self, offer_id, error);
}

gboolean
parley_store_decide_offer (ParleyStore *self,
                           gint64 offer_id,
                           const char *state,
                           gint64 now,
                           GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->decide_offer (self, offer_id, state, now, error);
}

GPtrArray  *
parley_store_list_open_offers (ParleyStore *self,
                               GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->list_open_offers (self, error);
}

gint64
parley_store_enqueue_outbound (ParleyStore *self,
                               gint64 event_id,
                               const char *channel,
                               const char *payload,
                               gint64 next_attempt,
                               GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), 0);

  return PARLEY_STORE_GET_CLASS (self)->enqueue_outbound (self, event_id, channel, payload, next_attempt, error);
}

GPtrArray  *
parley_store_due_outbound (ParleyStore *self,
                           gint64 now,
                           guint limit,
                           GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->due_outbound (self, now, limit, error);
}

gboolean
parley_store_finish_outbound (ParleyStore *self,
                              gint64 outbound_id,
                              gboolean delivered,
                              guint attempts,
                              gint64 next_attempt,
                              const char *last_error,
                              GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->finish_outbound (self, outbound_id, delivered, attempts, next_attempt, last_error, error);
}

gint64
parley_store_add_survey_answer (ParleyStore *self,
                                gint64 conversation_id,
                                gint64 agent_id,
                                gint nps,
                                gint csat,
                                const char *comment,
                                gint64 now,
                                GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), 0);

  return PARLEY_STORE_GET_CLASS (self)->add_survey_answer (self, conversation_id, agent_id, nps, csat, comment, now, error);
}

gboolean
parley_store_set_queue_settings (ParleyStore *self,
                                 gint64 queue_id,
                                 JsonObject *settings,
                                 GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->set_queue_settings (self, queue_id, settings, error);
}

gboolean
parley_store_set_survey_answer (ParleyStore *self,
                                gint64 answer_id,
                                const char *question,
                                gint score,
                                const char *comment,
                                GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->set_survey_answer (self, answer_id, question, score, comment, error);
}

gint64
parley_store_create_survey (ParleyStore *self,
                            gint64 conversation_id,
                            gint64 customer_id,
                            gint64 agent_id,
                            gint64 queue_id,
                            const char *channel,
                            gint64 due_at,
                            gint64 now,
                            GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), 0);

  return PARLEY_STORE_GET_CLASS (self)->create_survey (self, conversation_id, customer_id, agent_id, queue_id,
                                                       channel, due_at, now, error);
}

GPtrArray *
parley_store_due_surveys (ParleyStore *self,
                          gint64 now,
                          guint limit,
                          GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->due_surveys (self, now, limit, error);
}

gint64
parley_store_next_survey_due (ParleyStore *self)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), 0);

  return PARLEY_STORE_GET_CLASS (self)->next_survey_due (self);
}

gboolean
parley_store_update_survey (ParleyStore *self,
                            gint64 survey_id,
                            const char *state,
                            const char *step,
                            gboolean retried,
                            gint64 answer_id,
                            gint64 asked_at,
                            GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->update_survey (self, survey_id, state, step, retried, answer_id,
                                                       asked_at, error);
}

JsonObject *
parley_store_awaiting_survey (ParleyStore *self,
                              gint64 customer_id,
                              const char *channel,
                              gint64 since,
                              GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->awaiting_survey (self, customer_id, channel, since, error);
}

gint64
parley_store_count_surveys_since (ParleyStore *self,
                                  gint64 customer_id,
                                  gint64 since,
                                  GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), -1);

  return PARLEY_STORE_GET_CLASS (self)->count_surveys_since (self, customer_id, since, error);
}

GPtrArray *
parley_store_survey_rows (ParleyStore *self,
                          gint64 since,
                          gint64 until,
                          gint64 queue_id,
                          const char *channel,
                          gint64 agent_id,
                          GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->survey_rows (self, since, until, queue_id, channel, agent_id, error);
}

GPtrArray *
parley_store_list_surveys (ParleyStore *self,
                           gint64 before_id,
                           guint limit,
                           GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->list_surveys (self, before_id, limit, error);
}

JsonObject *
parley_store_export_customer (ParleyStore *self,
                              gint64 customer_id,
                              GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->export_customer (self, customer_id, error);
}

gboolean
parley_store_erase_customer (ParleyStore *self,
                             gint64 customer_id,
                             gint64 now,
                             GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->erase_customer (self, customer_id, now, error);
}

gboolean
parley_store_scrub (ParleyStore *self,
                    GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);

  return PARLEY_STORE_GET_CLASS (self)->scrub (self, error);
}

gint64
parley_store_add_audit (ParleyStore *self,
                        gint64 agent_id,
                        const char *action,
                        gint64 customer_id,
                        JsonObject *details,
                        gint64 now,
                        GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), 0);
  g_return_val_if_fail (action != NULL, 0);

  return PARLEY_STORE_GET_CLASS (self)->add_audit (self, agent_id, action, customer_id, details, now, error);
}

GPtrArray *
parley_store_list_audit (ParleyStore *self,
                         gint64 customer_id,
                         GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), NULL);

  return PARLEY_STORE_GET_CLASS (self)->list_audit (self, customer_id, error);
}

gint64
parley_store_expire_attachments (ParleyStore *self,
                                 const char *type_prefix,
                                 gint64 created_before,
                                 gint64 now,
                                 GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), -1);
  g_return_val_if_fail (type_prefix != NULL && *type_prefix != '\0', -1);

  return PARLEY_STORE_GET_CLASS (self)->expire_attachments (self, type_prefix, created_before, now, error);
}

gboolean
parley_store_backup (ParleyStore *self,
                     const char *target,
                     GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);

  return PARLEY_STORE_GET_CLASS (self)->backup (self, target, error);
}

gboolean
parley_store_restore (ParleyStore *self,
                      const char *source,
                      GError **error)
{
  g_return_val_if_fail (PARLEY_IS_STORE (self), FALSE);
  g_return_val_if_fail (source != NULL, FALSE);

  return PARLEY_STORE_GET_CLASS (self)->restore (self, source, error);
}
