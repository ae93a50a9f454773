/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <parley.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_TIMELINE_MODEL (parley_timeline_model_get_type ())
G_DECLARE_FINAL_TYPE (ParleyTimelineModel, parley_timeline_model, PARLEY, TIMELINE_MODEL, GObject)

ParleyTimelineModel *parley_timeline_model_new          (ParleyClient        *client,
                                                         gint64               customer_id,
                                                         const char          *channel,
                                                         const char          *search);
gint64               parley_timeline_model_get_customer (ParleyTimelineModel *self);
gboolean             parley_timeline_model_get_loading  (ParleyTimelineModel *self);
gboolean             parley_timeline_model_get_complete (ParleyTimelineModel *self);
guint                parley_timeline_model_get_n_events (ParleyTimelineModel *self);
void                 parley_timeline_model_load_older   (ParleyTimelineModel *self);
void                 parley_timeline_model_add_event    (ParleyTimelineModel *self,
                                                         JsonObject          *event);

G_END_DECLS
