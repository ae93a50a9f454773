/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  PARLEY_TREND_HOUR,
  PARLEY_TREND_DAY,
} ParleyTrendStep;

/* No trend has more buckets than this. */
#define PARLEY_TREND_MAX_BUCKETS 1000

#define PARLEY_TYPE_TREND (parley_trend_get_type ())
G_DECLARE_FINAL_TYPE (ParleyTrend, parley_trend, PARLEY, TREND, GObject)

ParleyTrend *parley_trend_new     (gint64           from,
                                   gint64           to,
                                   ParleyTrendStep  step,
                                   GTimeZone       *zone,
                                   GError         **error);
gint64       parley_trend_get_from (ParleyTrend    *self);
gint64       parley_trend_get_to   (ParleyTrend    *self);
void         parley_trend_add     (ParleyTrend     *self,
                                   gint64           at,
                                   int              nps,
                                   int              csat);
JsonObject  *parley_trend_to_json (ParleyTrend     *self);

G_END_DECLS
