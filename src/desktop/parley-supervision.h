/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <parley.h>

G_BEGIN_DECLS

/* Thresholds when a queue names none: 80 % answered in time, nobody
 * waiting over a minute. */
#define PARLEY_DEFAULT_SERVICE_LEVEL_TARGET 80
#define PARLEY_DEFAULT_LONGEST_WAIT_TARGET 60

#define PARLEY_TYPE_SUPERVISION (parley_supervision_get_type ())
G_DECLARE_FINAL_TYPE (ParleySupervision, parley_supervision, PARLEY, SUPERVISION, GObject)

ParleySupervision *parley_supervision_new            (ParleyClient      *client);
ParleyClient      *parley_supervision_get_client     (ParleySupervision *self);
void               parley_supervision_refresh        (ParleySupervision *self);
void               parley_supervision_update_agent   (ParleySupervision *self,
                                                      JsonObject        *agent);
JsonObject        *parley_supervision_get_snapshot   (ParleySupervision *self);
gint64             parley_supervision_get_snapshot_age_ms (ParleySupervision *self);
JsonObject        *parley_supervision_get_formulas   (ParleySupervision *self);
GList             *parley_supervision_list_agents    (ParleySupervision *self);
JsonObject        *parley_supervision_get_agent      (ParleySupervision *self,
                                                      gint64             id);
GList             *parley_supervision_list_queues    (ParleySupervision *self);
JsonObject        *parley_supervision_get_queue      (ParleySupervision *self,
                                                      gint64             id);
void               parley_supervision_get_targets    (ParleySupervision *self,
                                                      gint64             queue_id,
                                                      double            *service_level,
                                                      double            *longest_wait_s);

G_END_DECLS
