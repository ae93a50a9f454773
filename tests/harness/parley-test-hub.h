/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A real parleyd for tests and benchmarks: its own data directory and
 * config, listening on a port the kernel picks. PARLEYD and PARLEYCTL
 * name the binaries (meson sets them). */
typedef struct
{
  GSubprocess   *process;
  char          *data_dir;
  char          *config_path;
  char          *base;       /* http://127.0.0.1:PORT */
  SoupSession   *session;
  GOutputStream *log;
  guint          open_files;  /* when set: the hub's open-files limit, soft and hard */
  char          *log_path;    /* when set: the hub's stderr (warnings) goes to this file */
} ParleyTestHub;

#define PARLEY_TEST_API_KEY "test-api-key-0123456789"
/* Signs the api channel's callbacks: base64 of 24 bytes "test-signing-secret-0123". */
#define PARLEY_TEST_SIGNING_SECRET "dGVzdC1zaWduaW5nLXNlY3JldC0wMTIz"

/* g_test_init, and a clear error when PARLEYD is not set (meson test sets it). */
void           parley_test_init         (int           *argc,
                                         char        ***argv);

ParleyTestHub *parley_test_hub_new      (const char    *extra_config);
void           parley_test_hub_ctl      (ParleyTestHub *hub,
                                         const char    *first_arg,
                                         ...) G_GNUC_NULL_TERMINATED;
/* The same for a command that may fail: returns its exit status, and what
 * it printed (stdout and stderr) in @output. */
int            parley_test_hub_ctl_output (ParleyTestHub *hub,
                                         char         **output,
                                         const char    *first_arg,
                                         ...) G_GNUC_NULL_TERMINATED;
void           parley_test_hub_start    (ParleyTestHub *hub);
void           parley_test_hub_stop     (ParleyTestHub *hub,
                                         int            signal_number);
void           parley_test_hub_free     (ParleyTestHub *hub);
long           parley_test_hub_rss_kib  (ParleyTestHub *hub);
double         parley_test_hub_cpu      (ParleyTestHub *hub);

SoupMessage   *parley_test_hub_request  (ParleyTestHub *hub,
                                         const char    *method,
                                         const char    *path,
                                         const char    *token,
                                         const char    *body);
/* Sends and waits; returns the parsed JSON body (or NULL) and the status. */
JsonObject    *parley_test_hub_call     (ParleyTestHub *hub,
                                         const char    *method,
                                         const char    *path,
                                         const char    *token,
                                         const char    *body,
                                         guint         *status);
/* The same for a call that must succeed (a 2xx answer). */
JsonObject    *parley_test_hub_call_ok  (ParleyTestHub *hub,
                                         const char    *method,
                                         const char    *path,
                                         const char    *token,
                                         const char    *body);
char          *parley_test_hub_login    (ParleyTestHub *hub,
                                         const char    *login,
                                         const char    *password);
JsonObject    *parley_test_hub_inbound  (ParleyTestHub *hub,
                                         const char    *body,
                                         guint         *status);
/* The same for a message the hub must accept (202). */
JsonObject    *parley_test_hub_inbound_ok (ParleyTestHub *hub,
                                         const char    *body);
JsonObject    *parley_test_hub_api_channel (ParleyTestHub *hub,
                                         const char    *endpoint,
                                         const char    *key,
                                         const char    *body,
                                         guint         *status);
JsonObject    *parley_test_parse        (GBytes        *bytes);
/* "v1,BASE64" as a Standard Webhooks sender signs @signed_text
 * ("id.timestamp.body") with the base64 @secret; computed with GLib, apart
 * from the hub's own code. */
char          *parley_test_webhook_signature (const char *secret,
                                         const char    *signed_text);
/* A call that must answer @expected; returns the parsed JSON body (or NULL). */
JsonObject    *parley_test_hub_call_expect (ParleyTestHub *hub,
                                         const char    *method,
                                         const char    *path,
                                         const char    *token,
                                         const char    *body,
                                         guint          expected);
/* The id of @token's agent. */
gint64         parley_test_hub_agent_id (ParleyTestHub *hub,
                                         const char    *token);
/* Puts @token's agent in the available state. */
void           parley_test_hub_set_available (ParleyTestHub *hub,
                                         const char    *token);

/* A WebSocket to the hub, its JSON messages queued as they arrive. */
typedef struct
{
  SoupWebsocketConnection *conn;
  GQueue                   messages;  /* JsonObject */
} ParleyTestSocket;

/* Connects to @path on the hub; @forwarded_for, if given, as a proxy in
 * front of the hub would say. */
ParleyTestSocket *parley_test_socket_connect (ParleyTestHub   *hub,
                                              const char      *path,
                                              const char      *forwarded_for);
/* The events socket of @token's agent, as a desktop opens it. */
ParleyTestSocket *parley_test_socket_events  (ParleyTestHub   *hub,
                                              const char      *token);
/* The first message of @type (with @member.state or @member.presence equal
 * to @value, if @value is given), taken off the queue; NULL after @seconds. */
JsonObject       *parley_test_socket_wait    (ParleyTestSocket *socket,
                                              const char      *type,
                                              const char      *member,
                                              const char      *value,
                                              guint            seconds);
void              parley_test_socket_free    (ParleyTestSocket *socket);

/* What the hub POSTed to an integrator's callback. */
typedef struct
{
  char       *id;                /* webhook-id */
  char       *timestamp;         /* webhook-timestamp */
  char       *signature;         /* webhook-signature */
  char       *legacy_signature;  /* X-Parley-Signature, if any */
  char       *body;              /* as received */
  JsonObject *json;              /* the body parsed; NULL if it is not JSON */
} ParleyTestDelivery;

/* An integrator's callback endpoint on 127.0.0.1 that records each delivery. */
typedef struct
{
  SoupServer *server;
  char       *url;
  GPtrArray  *deliveries;  /* ParleyTestDelivery */
} ParleyTestCallback;

ParleyTestCallback *parley_test_callback_new  (void);
/* Runs the main context until @count deliveries arrived or @seconds passed;
 * asserts that they arrived. */
void                parley_test_callback_wait (ParleyTestCallback *callback,
                                               guint               count,
                                               guint               seconds);
void                parley_test_callback_free (ParleyTestCallback *callback);

/* Runs the main context for @milliseconds: lets the hub's timers and
 * time limits run. */
void           parley_test_spin         (guint          milliseconds);

/* The p-quantile (0 to 1) of gint64 µs values, in ms; -1 without values. Sorts them. */
double         parley_test_percentile_ms (GArray       *values,
                                         double         p);
/* A latency bound in ms as this build meets it: times PARLEY_TEST_LATENCY_SCALE. */
double         parley_test_latency_limit_ms (double      ms);

/* A burst of api-channel messages, @parallel in flight at once, each
 * recording the event id its 202 named: what a crash must not lose. */
typedef struct _ParleyTestBurst ParleyTestBurst;

ParleyTestBurst *parley_test_burst_new          (ParleyTestHub   *hub,
                                                 guint            total,
                                                 guint            parallel);
/* Runs the main context until @count messages are acknowledged. */
void             parley_test_burst_wait         (ParleyTestBurst *burst,
                                                 guint            count);
/* Sends no more and waits for the answers of those in flight. */
void             parley_test_burst_stop         (ParleyTestBurst *burst);
guint            parley_test_burst_acknowledged (ParleyTestBurst *burst);
/* external id → event id (a gint64 *) of every acknowledged message */
GHashTable      *parley_test_burst_acked        (ParleyTestBurst *burst);
/* Sends every acknowledged message again to @hub (the burst's own or one
 * restored from a backup): each answers 202, and those @hub has as
 * duplicates of the event their first 202 named. Returns the external ids
 * @hub had. */
GHashTable      *parley_test_burst_found_in     (ParleyTestBurst *burst,
                                                 ParleyTestHub   *hub);
/* Sends every acknowledged message again: each must be a duplicate of the
 * event its first 202 named. */
void             parley_test_burst_check        (ParleyTestBurst *burst);
void             parley_test_burst_free         (ParleyTestBurst *burst);

G_END_DECLS
