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
  PARLEY_METRIC_TRANSFERRED,     /* handed to another agent (agent) or queue (agent 0, queue) */
  PARLEY_METRIC_RESOLVED,        /* handling ended; wrap-up starts */
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

/* NPS and CSAT answers summed up; the same arithmetic for the interval's
 * figures and for trends over time. */
typedef struct
{
  gint64 promoters;     /* NPS 9-10 */
  gint64 passives;      /* NPS 7-8 */
  gint64 detractors;    /* NPS 0-6 */
  gint64 csat_answers;
  gint64 csat_high;     /* CSAT 4-5 */
  gint64 csat_sum;
} ParleyRatings;

void           parley_ratings_add                 (ParleyRatings           *self,
                                                   int                      nps,
                                                   int                      csat);
void           parley_ratings_to_json             (const ParleyRatings     *self,
                                                   JsonObject              *object);

#define PARLEY_TYPE_METRICS (parley_metrics_get_type ())
G_DECLARE_FINAL_TYPE (ParleyMetrics, parley_metrics, PARLEY, METRICS, GObject)

ParleyMetrics *parley_metrics_new                 (gint64                   short_abandon,
                                                   gint64                   from,
                                                   gint64                   to);
gint64         parley_metrics_get_from            (ParleyMetrics           *self);
void           parley_metrics_set_realtime_channels (ParleyMetrics         *self,
                                                   const char * const      *kinds);
void           parley_metrics_set_service_level   (ParleyMetrics           *self,
                                                   gint64                   queue,
                                                   const char              *channel,
                                                   gint64                   threshold);
void           parley_metrics_add                 (ParleyMetrics           *self,
                                                   const ParleyMetricEvent *event);
JsonObject    *parley_metrics_snapshot            (ParleyMetrics           *self,
                                                   gint64                   now);

G_END_DECLS
