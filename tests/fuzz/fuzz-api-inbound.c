/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley.h"
#include "parley-api-inbound.h"
#include "fuzz-glib.h"

/* The api channel's POST /api/v1/channels/api/inbound body, from the
 * integrator's side: JSON, then the typed message the hub ingests. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = parley_json_parse_object ((const char *) data, size, "Request body", &error);
  g_autoptr(ParleyInbound) inbound = NULL;

  if (body == NULL)
    return 0;
  inbound = parley_api_inbound_from_json (body, &error);
  if (inbound == NULL)
    g_assert_nonnull (error);
  else
    g_assert_true (parley_inbound_get_text (inbound) != NULL || parley_inbound_get_html (inbound) != NULL);
  return 0;
}
