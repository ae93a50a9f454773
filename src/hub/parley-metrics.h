/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What happened, as the metrics see it; each is read from a recorded
 * timeline event or presence change, never kept as a counter. */
typedef enum {
  PARLEY_METRIC_QUEUED,          /* the conversation waits for an agent */
  PARLEY_METRIC_ANSWERED,        /* an agent took it */
  PARLEY_METRIC_ABANDONED,       /* the customer left before anyone answered */
  PARLEY_METRIC_FIRST_RESPONSE,  /* the agent's first reply (text channels) */
  PARLEY_METRIC_TRANSFERRED,     /* handed to another agent (agent) */
  PARLEY_METRIC_RESOLVED,        /* handling ended; wrap-up starts */
  PARLEY_METRIC_WRAP_UP_DONE,    /* the agent's wrap-up for it ended */
  PARLEY_METRIC_SURVEY,          /* the customer rated it (nps, csat) */
  PARLEY_METRIC_AGENT_STATE,     /* an agent's presence changed (state) */
} ParleyMetricKind;

typedef struct
{
  ParleyMetricKind  kind;
  gint64            at;            /* µs since the epoch */
  gint64            conversation;
  gint64            queue;
  const char       *channel;
  gint64            agent;
  int               nps;           /* 0-10, or -1 */
  int               csat;          /* 1-5, or -1 */
  const char       *state;         /* PARLEY_METRIC_AGENT_STATE */
} ParleyMetricEvent;

#define PARLEY_TYPE_METRICS (parley_metrics_get_type ())
G_DECLARE_FINAL_TYPE (ParleyMetrics, parley_metrics, PARLEY, METRICS, GObject)

ParleyMetrics *parley_metrics_new                 (gint64                   short_abandon);
void           parley_metrics_set_service_level   (ParleyMetrics           *self,
                                                   gint64                   queue,
                                                   const char              *channel,
                                                   gint64                   threshold);
void           parley_metrics_add                 (ParleyMetrics           *self,
                                                   const ParleyMetricEvent *event);
JsonObject    *parley_metrics_snapshot            (ParleyMetrics           *self,
                                                   gint64                   from,
                                                   gint64                   to,
                                                   gint64                   now);

G_END_DECLS
