/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A queue's settings, one JSON object:
 *  targets: {service_level: % to reach (1-100, default 80),
 *            longest_wait: seconds a customer may wait (default 60)}
 *  survey:  {enabled (false), delay: seconds after resolving (60),
 *            language: "en" or "de", csat (true), comment (true),
 *            quiet_period: seconds a customer is not asked again (30 days),
 *            reply_window: seconds a reply counts as an answer (1 day),
 *            questions: {nps, csat, comment, retry, thanks}: own wording (optional)} */
JsonObject *parley_queue_settings_apply (JsonObject  *current,
                                         JsonObject  *changes,
                                         GError     **error);

G_END_DECLS
