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
} ParleyTestHub;

#define PARLEY_TEST_API_KEY "test-api-key-0123456789"
/* Signs the api channel's callbacks: base64 of 24 bytes "test-signing-secret-0123". */
#define PARLEY_TEST_SIGNING_SECRET "dGVzdC1zaWduaW5nLXNlY3JldC0wMTIz"

ParleyTestHub *parley_test_hub_new      (const char    *extra_config);
void           parley_test_hub_ctl      (ParleyTestHub *hub,
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
/* Sends every acknowledged message again: each must be a duplicate of the
 * event its first 202 named. */
void             parley_test_burst_check        (ParleyTestBurst *burst);
void             parley_test_burst_free         (ParleyTestBurst *burst);

G_END_DECLS
