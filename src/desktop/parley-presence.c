/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-presence"

#include "config.h"

#include <glib/gi18n.h>

#include "parley-presence.h"
#include "parley-ui-labels.h"

/* An agent's presence as people read it: the agent's own switcher and the
 * supervisor's board name states the same way. */

const char *
parley_presence_title (const char *state)
{
  if (g_strcmp0 (state, "available") == 0)
    return _("Available");
  if (g_strcmp0 (state, "away") == 0)
    return _("Away");
  if (g_strcmp0 (state, "busy") == 0)
    return _("Busy");
  if (g_strcmp0 (state, "wrap-up") == 0)
    return _("Wrap-up");
  return _("Offline");
}

const char *
parley_presence_icon_name (const char *state)
{
  if (g_strcmp0 (state, "available") == 0)
    return "user-available-symbolic";
  if (g_strcmp0 (state, "away") == 0 || g_strcmp0 (state, "wrap-up") == 0)
    return "user-away-symbolic";
  if (g_strcmp0 (state, "busy") == 0)
    return "user-busy-symbolic";
  return "user-offline-symbolic";
}

/* The reason a state was given, as shown ("Lunch"), or NULL: an available
 * agent has no reason to give. */
const char *
parley_presence_reason_title (const char *state,
                              const char *reason)
{
  if (reason && *reason && g_strcmp0 (state, "available") != 0)
    return parley_ui_away_reason_title (reason);
  return NULL;
}

/* The state with its reason, e.g. "Away: Lunch". */
char *
parley_presence_describe (const char *state,
                          const char *reason)
{
  const char *reason_title = parley_presence_reason_title (state, reason);

  if (reason_title != NULL)
    /* Translators: presence with its reason, e.g. "Away: Lunch" */
    return g_strdup_printf (_("%s: %s"), parley_presence_title (state), reason_title);
  return g_strdup (parley_presence_title (state));
}
