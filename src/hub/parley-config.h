/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Settings of one hub, from defaults overridden by the config file
 * (GKeyFile, group [hub]; groups [channel:KIND] hold channel settings). */
typedef struct
{
  char    *data_dir;
  char    *listen;              /* host:port */
  guint    offer_timeout;       /* seconds an offer stays open */
  guint    delivery_timeout;    /* seconds a channel has to deliver one message */
  guint    delivery_attempts;   /* attempts before a message is marked failed */
  guint    retry_exclusion;     /* seconds an agent who declined is skipped */
  guint    relax_after;         /* default seconds per skill level relaxed */
  guint    wrap_up;             /* seconds of wrap-up after resolving */
  guint    short_abandon;       /* seconds: leaving sooner is a short abandon */
  guint    interval_hours;      /* the live figures' interval: 24 = a day, 8 = shifts, 1 = hours */
  guint    day_starts_at;       /* hour (local) the first interval of a day begins */
  gboolean missed_offer_away;   /* an expired offer sets the agent away */
  guint    token_ttl;           /* seconds a login token lives */
  gsize    max_body_size;       /* bytes */
  gint64   max_unsent_uploads;  /* bytes customers' files no message carried yet may take */
  guint    batch_size;          /* inbound messages per group commit */
  char    *password_strength;   /* "interactive", "moderate" or "min" */
  char    *default_region;      /* "GB": the country of national phone numbers */
  GStrv    public_origins;      /* where browsers see the hub, normalised origins */
  GPtrArray *trusted_proxies;   /* GInetAddressMask: reverse proxies in front of the hub */
  char    *tls_certificate;     /* PEM files: with both, the hub speaks only TLS */
  char    *tls_key;
  gboolean allow_plaintext;     /* plain HTTP on an address other than loopback */
  guint    header_timeout;      /* seconds for a request's headers (or a TLS handshake) */
  guint    body_timeout;        /* seconds for a request's body, besides what it earns: */
  guint    body_min_rate;       /* bytes a second of body that earn a second more */
  guint    keep_alive_timeout;  /* seconds a connection may wait for its next request */
  guint    max_connections_per_address;
  guint    max_connections_per_loopback;
  guint    reserved_descriptors; /* kept free for health checks and agents */
  GKeyFile *file;
} ParleyConfig;

ParleyConfig *parley_config_new         (void);
gboolean      parley_config_load        (ParleyConfig  *self,
                                         const char    *path,
                                         GError       **error);
char         *parley_config_get_channel (ParleyConfig  *self,
                                         const char    *channel,
                                         const char    *key);
void          parley_config_free        (ParleyConfig  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParleyConfig, parley_config_free)

G_END_DECLS
