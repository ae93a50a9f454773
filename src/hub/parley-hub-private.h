/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libpeas/peas.h>

#include "parley.h"
#include "parley-channel-routes.h"
#include "parley-config.h"
#include "parley-connectors.h"
#include "parley-hub.h"
#include "parley-metrics.h"
#include "parley-listener.h"
#include "parley-login-throttle.h"
#include "parley-privacy.h"
#include "parley-router.h"
#include "parley-store.h"

G_BEGIN_DECLS

/* ParleyHub spans several files: parley-hub.c (life cycle, ParleyHost),
 * -ingest.c (group commit and routing), -api.c (REST), -sessions.c
 * (WebSocket and presence), -outbox.c (delivery with retries),
 * -plugins.c (libpeas) and -privacy.c (export, erasure, retention). This
 * header is their shared instance struct. */

typedef enum {
  PARLEY_ROLE_AGENT = 1,
  PARLEY_ROLE_SUPERVISOR = 2,
  PARLEY_ROLE_ADMIN = 3,
} ParleyRole;

typedef struct
{
  ParleyHub  *hub;          /* unowned: the hub owns its agents */
  gint64      id;
  ParleyRole  role;
  JsonObject *record;       /* agent JSON without the password hash */
  char       *presence;     /* available, away, busy, wrap-up, offline */
  char       *reason;
  gint64      since;
  char       *presence_before_wrap_up;
  GPtrArray  *sockets;      /* SoupWebsocketConnection */
  guint       wrap_up_source;
} ParleyHubAgent;

/* A push to desktops, held until the transaction that caused it commits. */
typedef struct
{
  gint64      agent_id;         /* > 0: only this agent */
  gint64      conversation_id;  /* else: supervisors and this conversation's agents */
  JsonObject *message;
} ParleyHubNotice;

/* Up to this many fsyncs run at once. Each covers what was committed
 * before it began, so commits need not wait for the one under way to
 * finish before theirs can start: the disk batches them itself. */
#define PARLEY_HUB_MAX_SYNCS 4

struct _ParleyHub
{
  GObject        parent_instance;

  ParleyConfig  *config;
  ParleyStore   *store;
  int            data_dir_lock;   /* descriptor holding the data directory's lock */
  ParleyRouter  *router;
  SoupServer    *server;
  ParleyListener *listener;
  GStrv           listen_origins;  /* the origins of the address it listens on */
  GCancellable  *cancellable;

  GHashTable    *agents;          /* id → ParleyHubAgent */
  GHashTable    *tokens;          /* digest → ParleyHubToken */
  ParleyLoginThrottle *login_throttle; /* failed logins (parley-hub-api.c) */
  GThreadPool   *password_workers; /* argon2 jobs, a few at a time (parley-hub-api.c) */
  char          *dummy_hash;      /* unknown logins are verified against it */
  GHashTable    *queues;          /* id → queue JsonObject */
  gint64         default_queue_id;

  PeasEngine    *engine;
  GHashTable    *channels;        /* kind → ParleyChannel, running */
  GHashTable    *idle_channels;   /* kind → ParleyChannel whose start failed: settings may still be given */
  ParleyChannelRoutes *channel_routes; /* what the channels answer under /api/v1/channels/KIND/ */
  ParleyConnectors *connectors;   /* the channels' long-running connections */

  GQueue         pending;         /* ParleyHubPending, waiting for the next group commit */
  guint          flush_source;
  guint          deadline_source;
  gint64         deadline;
  gboolean       dispatch_needed;
  GHashTable    *offers_shown;    /* offer id → TRUE: open offers a desktop displayed */
  GQueue         syncs;           /* ParleyHubSync under way or not yet answered, oldest first */
  guint          syncs_running;
  GArray        *sync_waiting;    /* ParleyHubWaiter, for the next fsync */
  GPtrArray     *notices;         /* ParleyHubNotice */
  GPtrArray     *supervisors;     /* connected ParleyHubAgent with role >= supervisor */

  GHashTable    *outbox_inflight; /* outbound id → TRUE */
  GPtrArray     *outbox_fresh;    /* JsonObject: outbox rows of this transaction, or committed and not sent yet */
  guint          outbox_source;
  GPtrArray     *outbox_finished; /* deliveries whose result is still to record */
  guint          outbox_record_source;

  guint          metrics_source;  /* a push of fresh metrics to supervisors, due */
  guint          survey_source;   /* wakes up when the next survey is due */
  guint          housekeeping_source; /* forgets files never sent, applies retention; hourly */
  ParleyRetention retention;      /* days each kind of file is kept ([retention]) */
  ParleyMetrics *live_metrics;    /* today's figures (parley-hub-metrics.c) */
  ParleyStoreMark live_mark;      /* what live_metrics was fed up to */
  ParleyStoreMark durable_mark;   /* where the record ended when the last fsync answered began */
  gint64         metrics_cpu_us;  /* CPU time spent on metrics since the start */
};

/* parley-hub.c */
ParleyHubAgent *_parley_hub_lookup_agent      (ParleyHub      *self,
                                               gint64          agent_id);
JsonObject     *_parley_hub_agent_json        (ParleyHub      *self,
                                               ParleyHubAgent *agent);
JsonObject     *_parley_hub_queue_json        (ParleyHub      *self,
                                               gint64          queue_id);
gint64          _parley_hub_queue_by_name     (ParleyHub      *self,
                                               const char     *name);
void            _parley_hub_add_agent         (ParleyHub      *self,
                                               JsonObject     *record);
gboolean        _parley_hub_fail_transaction  (ParleyHub      *self,
                                               GError        **error);
typedef void (*ParleyHubSyncFunc) (ParleyHub    *self,
                                   const GError *error,
                                   gpointer      data);
void            _parley_hub_when_durable      (ParleyHub         *self,
                                               ParleyHubSyncFunc  func,
                                               gpointer           data);
gboolean        _parley_hub_begin             (ParleyHub      *self,
                                               GError        **error);
void            _parley_hub_send_committed    (ParleyHub      *self);
gboolean        _parley_hub_commit            (ParleyHub      *self,
                                               SoupServerMessage *held,
                                               GError        **error);
const char     *_parley_hub_request_token     (SoupServerMessage *msg,
                                               GHashTable     *query);
gint64          _parley_hub_authenticate      (ParleyHub      *self,
                                               const char     *token);
void            _parley_hub_remember_token    (ParleyHub      *self,
                                               const char     *digest,
                                               gint64          agent_id,
                                               gint64          expires);
void            _parley_hub_forget_token      (ParleyHub      *self,
                                               const char     *digest);
ParleyRole      _parley_role_from_string      (const char     *role);

/* parley-hub-ingest.c */
void            _parley_hub_submit_async      (ParleyHub           *self,
                                               ParleyInbound       *inbound,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
void            _parley_hub_schedule_flush    (ParleyHub      *self);
void            _parley_hub_flush_inbound     (ParleyHub      *self);
void            _parley_hub_flush_pending     (ParleyHub      *self);
gboolean        _parley_hub_rebuild_router    (ParleyHub      *self,
                                               GError        **error);
gboolean        _parley_hub_append_state      (ParleyHub      *self,
                                               JsonObject     *conversation,
                                               const char     *text,
                                               gint64          agent_id,
                                               JsonObject     *metadata,
                                               gint64          now,
                                               GError        **error);
void            _parley_hub_pending_free      (gpointer        data);
gboolean        _parley_hub_withdraw_offers   (ParleyHub      *self,
                                               gint64          agent_id,
                                               gint64          now,
                                               GError        **error);
gboolean        _parley_hub_cancel_offer      (ParleyHub      *self,
                                               gint64          conversation_id,
                                               gint64          now,
                                               GError        **error);
gboolean        _parley_hub_notice_event      (ParleyHub      *self,
                                               gint64          event_id,
                                               gint64          agent_id,
                                               gint64          conversation_id,
                                               GError        **error);

/* parley-hub-sessions.c */
void            _parley_hub_setup_sessions    (ParleyHub      *self);
void            _parley_hub_close_sessions    (ParleyHub      *self);
void            _parley_hub_notice            (ParleyHub      *self,
                                               gint64          agent_id,
                                               gint64          conversation_id,
                                               const char     *type,
                                               const char     *member,
                                               JsonObject     *payload);
void            _parley_hub_push_now          (ParleyHub      *self,
                                               gint64          conversation_id,
                                               JsonObject     *message);
void            _parley_hub_push_to_supervisors (ParleyHub    *self,
                                               JsonObject     *message);
void            _parley_hub_send_notices      (ParleyHub      *self);
void            _parley_hub_drop_notices      (ParleyHub      *self,
                                               guint           keep);
gboolean        _parley_hub_set_presence      (ParleyHub      *self,
                                               ParleyHubAgent *agent,
                                               const char     *presence,
                                               const char     *reason,
                                               gint64          now,
                                               GError        **error);
gboolean        _parley_hub_has_audience      (ParleyHub      *self,
                                               gint64          agent_id,
                                               gint64          conversation_id);
gboolean        _parley_presence_is_valid     (const char     *presence);

/* parley-hub-api.c */
gboolean        _parley_hub_setup_api         (ParleyHub      *self,
                                               GError        **error);

/* parley-hub-customers.c */
gboolean        _parley_hub_customer_event    (ParleyHub      *self,
                                               gint64          customer_id,
                                               const char     *kind,
                                               const char     *text,
                                               JsonObject     *metadata,
                                               gint64          agent_id,
                                               const char     *author,
                                               gint64          now,
                                               GError        **error);
gint64          _parley_hub_merge_customers   (ParleyHub      *self,
                                               gint64          survivor_id,
                                               gint64          absorbed_id,
                                               gint64          agent_id,
                                               const char     *author,
                                               gint64          now,
                                               GError        **error);
gboolean        _parley_hub_link_identity     (ParleyHub      *self,
                                               gint64          customer_id,
                                               const char     *kind,
                                               const char     *value,
                                               gint64          agent_id,
                                               const char     *author,
                                               gint64          now,
                                               GError        **error);

/* parley-hub-privacy.c */
GBytes         *_parley_hub_export_customer   (ParleyHub      *self,
                                               gint64          customer_id,
                                               gint64          agent_id,
                                               GError        **error);
gboolean        _parley_hub_erase_customer    (ParleyHub      *self,
                                               gint64          customer_id,
                                               gint64          agent_id,
                                               gint64          now,
                                               GError        **error);
gboolean        _parley_hub_load_retention    (ParleyHub      *self,
                                               GError        **error);
void            _parley_hub_apply_retention   (ParleyHub      *self);

/* parley-hub-metrics.c */
JsonObject     *_parley_hub_metrics_snapshot  (ParleyHub      *self,
                                               gint64          from,
                                               gint64          to,
                                               GError        **error);
JsonObject     *_parley_hub_metrics_live      (ParleyHub      *self,
                                               GError        **error);
gint64          _parley_hub_start_of_today    (void);
gint64          _parley_hub_interval_start    (ParleyHub      *self);
void            _parley_hub_metrics_changed   (ParleyHub      *self);
void            _parley_hub_metrics_reset     (ParleyHub      *self);
gboolean        _parley_hub_metrics_start     (ParleyHub      *self,
                                               GError        **error);
void            _parley_hub_metrics_sync_started (ParleyHub       *self,
                                                  ParleyStoreMark *mark);
void            _parley_hub_metrics_sync_done (ParleyHub             *self,
                                               const ParleyStoreMark *mark);

/* parley-hub-surveys.c */
gboolean        _parley_hub_schedule_survey   (ParleyHub      *self,
                                               JsonObject     *conversation,
                                               gint64          now,
                                               GError        **error);
void            _parley_hub_arm_surveys       (ParleyHub      *self);
JsonObject     *_parley_hub_append_survey_event (ParleyHub    *self,
                                               JsonObject     *conversation,
                                               gint64          agent_id,
                                               gint64          survey_id,
                                               ParleyHubAgent *recorded_by,
                                               int             nps,
                                               int             csat,
                                               const char     *comment,
                                               gint64          now,
                                               GError        **error);
JsonObject     *_parley_hub_survey_awaiting   (ParleyHub      *self,
                                               gint64          customer_id,
                                               const char     *channel,
                                               const char     *text,
                                               gint64          now,
                                               GError        **error);
gboolean        _parley_hub_survey_take_reply (ParleyHub      *self,
                                               JsonObject     *survey,
                                               const char     *text,
                                               gint64          now,
                                               GError        **error);

/* parley-hub-outbox.c */
void            _parley_hub_start_outbox      (ParleyHub      *self);
gboolean        _parley_hub_report_receipt    (ParleyHub          *self,
                                               const char         *channel,
                                               const char         *provider_id,
                                               ParleyReceiptState  state,
                                               const char         *reason);
void            _parley_hub_send_fresh_outbound (ParleyHub    *self);
void            _parley_hub_drop_fresh_outbound (ParleyHub    *self,
                                               guint         keep);
void            _parley_hub_record_deliveries (ParleyHub      *self);
JsonObject     *_parley_hub_reply_identity    (ParleyHub      *self,
                                               gint64          customer_id,
                                               const char     *channel,
                                               GError        **error);
JsonObject     *_parley_hub_queue_message     (ParleyHub      *self,
                                               JsonObject     *conversation,
                                               const char     *channel,
                                               const char     *text,
                                               ParleyHubAgent *author,
                                               JsonObject     *survey,
                                               JsonObject     *attachment,
                                               gint64          now,
                                               GError        **error);

/* parley-hub-plugins.c */
void            _parley_hub_load_plugins      (ParleyHub      *self);
void            _parley_hub_unload_plugins    (ParleyHub      *self);
ParleyChannel  *_parley_hub_get_channel       (ParleyHub      *self,
                                               const char     *kind);
gboolean        _parley_hub_restart_channel   (ParleyHub      *self,
                                               const char     *kind,
                                               GError        **error);
ParleyChannelInfo *_parley_hub_get_declaration (ParleyHub     *self,
                                               const char     *kind);

G_END_DECLS
