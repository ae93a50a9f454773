/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-api-inbound"

#include "parley.h"
#include "parley-api-inbound.h"

/* The api channel's inbound body, typed; apart from the plugin so a
 * fuzzer reaches it without a hub. */

/**
 * parley_api_inbound_from_json:
 * @body: the request body
 * @error: set when a field is missing or of the wrong type
 *
 * Reads {"from":{"kind","value","name"},"text","html","external_id",
 * "queue","metadata"} into a message for the hub.
 *
 * Returns: (transfer full) (nullable): the message, NULL on error
 */
ParleyInbound *
parley_api_inbound_from_json (JsonObject  *body,
                              GError     **error)
{
  g_autoptr(ParleyInbound) inbound = NULL;
  JsonObject *from, *metadata;
  const char *kind, *value, *name, *text, *html, *external_id, *queue;

  if (!(from = parley_json_get_object (body, "from", TRUE, error)) ||
      !(kind = parley_json_get_string (from, "kind", TRUE, error)) ||
      !(value = parley_json_get_string (from, "value", TRUE, error)) ||
      (name = parley_json_get_string (from, "name", FALSE, error), *error != NULL) ||
      (text = parley_json_get_string (body, "text", FALSE, error), *error != NULL) ||
      (html = parley_json_get_string (body, "html", FALSE, error), *error != NULL) ||
      (external_id = parley_json_get_string (body, "external_id", FALSE, error), *error != NULL) ||
      (queue = parley_json_get_string (body, "queue", FALSE, error), *error != NULL) ||
      (metadata = parley_json_get_object (body, "metadata", FALSE, error), *error != NULL))
    return NULL;
  if (text == NULL && html == NULL)
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Field “text” is required");
      return NULL;
    }

  inbound = parley_inbound_new ("api", kind, value);
  parley_inbound_set_display_name (inbound, name);
  parley_inbound_set_text (inbound, text);
  parley_inbound_set_html (inbound, html);
  parley_inbound_set_external_id (inbound, external_id);
  parley_inbound_set_queue (inbound, queue);
  if (metadata != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *metadata_text = NULL;

      json_node_set_object (node, metadata);
      metadata_text = parley_json_to_string (node);
      parley_inbound_set_metadata (inbound, metadata_text);
    }
  return g_steal_pointer (&inbound);
}
