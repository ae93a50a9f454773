/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-client"

#include "config.h"

#include <libsoup/soup.h>

#include "parley-attachment.h"
#include "parley-certificate-private.h"
#include "parley-client.h"
#include "parley-enums.h"
#include "parley-error.h"
#include "parley-http.h"

/* Seconds between our pings on the events socket, and how long the hub may
 * stay silent before the connection counts as dead (a dropped network often
 * never closes the TCP connection). */
#define PING_INTERVAL 10
/* What the hub sends nests as deep as what it takes (PARLEY_JSON_MAX_DEPTH)
 * in a few levels of its own, a co-browsed page deeper; far deeper is not
 * from a hub and would overflow json-glib's recursive parser. */
#define HUB_MAX_DEPTH 2048
#define SILENCE_LIMIT 25
#define MAX_RETRY_SECONDS 30

/**
 * ParleyClient:
 *
 * A connection to one parleyd: REST requests with the signed-in agent's
 * token, and the events WebSocket, which reconnects with backoff whenever
 * the hub restarts or the network drops. Every push arrives as the detailed
 * #ParleyClient::message signal ("message::offer", "message::event", ...);
 * #ParleyClient::connected fires after every (re)connection so views can
 * fetch whatever they missed.
 *
 * Every request and socket goes over the same trust: an `https://` hub
 * must show a certificate the system trusts for its name, or, once one is
 * pinned (parley_client_set_pinned_certificate()), exactly that
 * certificate, whoever issued it and whatever name it carries. A refused
 * certificate is never accepted later: calls fail with
 * %PARLEY_CLIENT_ERROR_UNTRUSTED_CERTIFICATE and
 * parley_client_get_refused_certificate() says why. An `http://` hub that
 * is not on this computer (loopback: 127.0.0.0/8, ::1, `localhost`) is not
 * even connected to (%PARLEY_CLIENT_ERROR_UNENCRYPTED) unless allowed with
 * parley_client_set_allow_unencrypted(). Redirects are not followed, so
 * an answer cannot send the client elsewhere.
 */
struct _ParleyClient
{
  GObject                  parent_instance;

  char                    *base_url;
  char                    *host;               /* of base_url, for messages */
  gboolean                 unencrypted_remote; /* http:// to a hub not on this computer */
  gboolean                 allow_unencrypted;
  GBytes                  *pinned_digest;      /* NULL: the system's trust */
  GTlsCertificate         *refused_certificate;
  GTlsCertificateFlags     refused_errors;
  SoupSession             *session;
  char                    *token;
  JsonObject              *agent;
  ParleyClientState        state;

  SoupWebsocketConnection *socket;
  GCancellable            *connecting;
  gint64                   last_heard;
  guint                    ping_source;
  guint                    retry_source;
  guint                    retry_seconds;
};

G_DEFINE_FINAL_TYPE (ParleyClient, parley_client, G_TYPE_OBJECT)
/**
 * parley_client_error_quark:
 *
 * The domain of #ParleyClientError.
 *
 * Returns: the quark of %PARLEY_CLIENT_ERROR
 */
G_DEFINE_QUARK (parley-client-error-quark, parley_client_error)

enum { PROP_0, PROP_BASE_URL, PROP_STATE, PROP_AGENT, N_PROPS };
enum { MESSAGE, CONNECTED, UNAUTHORIZED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void open_socket (ParleyClient *self);

/* ---- trust --------------------------------------------------------------- */

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       ParleyClient         *self)
{
  if (self->pinned_digest)
    {
      g_autoptr(GBytes) digest = parley_certificate_get_digest (certificate);

      /* The pin stands for both the issuer and the name; a pinned
       * certificate out of its dates is still refused. An unpinned one
       * counts as issued by an unknown authority. */
      errors &= ~(G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_BAD_IDENTITY);
      if (!g_bytes_equal (digest, self->pinned_digest))
        errors |= G_TLS_CERTIFICATE_UNKNOWN_CA;
      if (errors == 0)
        return TRUE;
    }
  g_set_object (&self->refused_certificate, certificate);
  self->refused_errors = errors;
  g_debug ("refused the certificate of %s (errors 0x%x)", self->host, errors);
  return FALSE;
}

/* What the reasons in @errors are, in English, for GError messages. */
static char *
describe_certificate_errors (GTlsCertificateFlags errors,
                             gboolean             pinned)
{
  static const struct { GTlsCertificateFlags flag; const char *reason; } reasons[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, "issued by an authority this computer does not trust" },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, "made out to another name" },
    { G_TLS_CERTIFICATE_EXPIRED, "expired" },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, "not valid yet" },
    { G_TLS_CERTIFICATE_REVOKED, "revoked" },
    { G_TLS_CERTIFICATE_INSECURE, "signed with an insecure algorithm" },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, "unreadable" },
  };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (errors & reasons[i].flag)
      g_strv_builder_add (builder, pinned && reasons[i].flag == G_TLS_CERTIFICATE_UNKNOWN_CA
                                   ? "not the certificate pinned for this hub" : reasons[i].reason);
  list = g_strv_builder_end (builder);
  return g_strjoinv (", ", list);
}

/* Says why a call failed when it was the certificate, or leaves @error. */
static void
explain_certificate_error (ParleyClient  *self,
                           GError       **error)
{
  g_autofree char *reasons = NULL;

  if (!g_error_matches (*error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) || self->refused_certificate == NULL)
    return;
  reasons = describe_certificate_errors (self->refused_errors, self->pinned_digest != NULL);
  g_clear_error (error);
  g_set_error (error, PARLEY_CLIENT_ERROR, PARLEY_CLIENT_ERROR_UNTRUSTED_CERTIFICATE,
               "The certificate of %s was refused: %s", self->host, reasons);
}

/* Whether a call may go out at all; else @task is answered. */
static gboolean
check_encryption (ParleyClient *self,
                  GTask        *task)
{
  if (!self->unencrypted_remote || self->allow_unencrypted)
    return TRUE;
  g_task_return_new_error (task, PARLEY_CLIENT_ERROR, PARLEY_CLIENT_ERROR_UNENCRYPTED,
                           "%s would be reached without encryption (http://)", self->host);
  return FALSE;
}

/* A message to the hub, under the client's trust. */
static SoupMessage *
new_message (ParleyClient *self,
             const char   *method,
             const char   *url)
{
  SoupMessage *msg = soup_message_new (method, url);

  if (msg == NULL)
    return NULL;
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  g_signal_connect_object (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), self, 0);
  return msg;
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

  if (address)
    return g_inet_address_get_is_loopback (address);
  return g_ascii_strcasecmp (host, "localhost") == 0;
}

static void
set_state (ParleyClient      *self,
           ParleyClientState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_agent (ParleyClient *self,
           JsonObject   *agent)
{
  g_clear_pointer (&self->agent, json_object_unref);
  self->agent = agent ? json_object_ref (agent) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT]);
}

static void
drop_socket (ParleyClient *self)
{
  g_clear_handle_id (&self->ping_source, g_source_remove);
  parley_websocket_drop (&self->socket, self);
}

static gboolean
retry_cb (gpointer user_data)
{
  ParleyClient *self = user_data;

  self->retry_source = 0;
  open_socket (self);
  return G_SOURCE_REMOVE;
}

/* Exponential backoff with jitter, so a restarted hub is not hit by every
 * desktop in the same second. */
static void
schedule_retry (ParleyClient *self)
{
  guint delay_ms;

  drop_socket (self);
  if (self->token == NULL)
    return;
  set_state (self, PARLEY_CLIENT_STATE_CONNECTING);
  self->retry_seconds = self->retry_seconds ? MIN (self->retry_seconds * 2, MAX_RETRY_SECONDS) : 1;
  delay_ms = self->retry_seconds * 1000;
  delay_ms = delay_ms * 4 / 5 + g_random_int_range (0, (int) (delay_ms * 2 / 5) + 1);
  g_debug ("events socket lost, retrying in %u ms", delay_ms);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->retry_source = g_timeout_add (delay_ms, retry_cb, self);
}

static void
socket_closed_cb (SoupWebsocketConnection *socket,
                  ParleyClient            *self)
{
  g_debug ("events socket closed (%u)", soup_websocket_connection_get_close_code (socket));
  schedule_retry (self);
}

static gboolean
ping_cb (gpointer user_data)
{
  ParleyClient *self = user_data;

  if (g_get_monotonic_time () - self->last_heard > SILENCE_LIMIT * G_USEC_PER_SEC)
    {
      g_debug ("hub silent for %d s, reconnecting", SILENCE_LIMIT);
      self->ping_source = 0;
      schedule_retry (self);
      return G_SOURCE_REMOVE;
    }
  soup_websocket_connection_send_text (self->socket, "ping");
  return G_SOURCE_CONTINUE;
}

static void
socket_message_cb (SoupWebsocketConnection *socket,
                   SoupWebsocketDataType    data_type,
                   GBytes                  *data,
                   ParleyClient            *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) message = NULL;
  JsonObject *agent;
  const char *type;
  gsize size;
  const char *text = g_bytes_get_data (data, &size);

  self->last_heard = g_get_monotonic_time ();
  if (size == 4 && memcmp (text, "pong", 4) == 0)
    return;
  if (!(message = parley_json_parse_object_full (text, size, HUB_MAX_DEPTH, "A push from the hub", &error)))
    {
      g_warning ("Ignoring a malformed push from the hub: %s", error->message);
      return;
    }
  if ((type = json_object_get_string_member_with_default (message, "type", NULL)) == NULL)
    return;

  agent = parley_json_get_object (message, "agent", FALSE, NULL);
  if (g_str_equal (type, "hello"))
    {
      set_agent (self, agent);
      self->retry_seconds = 0;
      g_clear_object (&self->refused_certificate);
      set_state (self, PARLEY_CLIENT_STATE_ONLINE);
      g_signal_emit (self, signals[CONNECTED], 0);
      return;
    }
  if (g_str_equal (type, "presence") && agent && self->agent &&
      json_object_get_int_member_with_default (agent, "id", 0) ==
      json_object_get_int_member_with_default (self->agent, "id", -1))
    set_agent (self, agent);

  g_signal_emit (self, signals[MESSAGE], g_quark_from_string (type), type, message);
}

static void
socket_connected_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(ParleyClient) self = user_data;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *socket;

  socket = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  /* Given up on (signed out, or another attempt began) while under way. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->connecting == NULL)
    {
      g_clear_object (&socket);
      return;
    }
  msg = g_object_ref (g_object_get_data (G_OBJECT (self->connecting), "message"));
  g_clear_object (&self->connecting);
  if (socket == NULL)
    {
      explain_certificate_error (self, &error);
      g_debug ("events socket: %s", error->message);
      if (soup_message_get_status (msg) == SOUP_STATUS_UNAUTHORIZED)
        {
          parley_client_sign_out (self);
          g_signal_emit (self, signals[UNAUTHORIZED], 0);
          return;
        }
      schedule_retry (self);
      return;
    }

  self->socket = socket;
  self->last_heard = g_get_monotonic_time ();
  soup_websocket_connection_set_max_incoming_payload_size (socket, 16 * 1024 * 1024);
  g_signal_connect (socket, "message", G_CALLBACK (socket_message_cb), self);
  g_signal_connect (socket, "closed", G_CALLBACK (socket_closed_cb), self);
  self->ping_source = g_timeout_add_seconds (PING_INTERVAL, ping_cb, self);
}

static void
open_socket (ParleyClient *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;
  g_autofree char *escaped = g_uri_escape_string (self->token, NULL, FALSE);

  drop_socket (self);
  if (self->connecting)
    g_cancellable_cancel (self->connecting);
  g_clear_object (&self->connecting);

  /* Not even when told after signing in that it may not. */
  if (self->unencrypted_remote && !self->allow_unencrypted)
    {
      parley_client_sign_out (self);
      return;
    }
  url = g_strdup_printf ("%s/api/v1/events?access_token=%s", self->base_url, escaped);
  msg = new_message (self, SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_warning ("Cannot connect to %s: not a valid URL", self->base_url);
      return;
    }
  set_state (self, PARLEY_CLIENT_STATE_CONNECTING);
  self->connecting = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (self->connecting), "message", g_object_ref (msg), g_object_unref);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->connecting, socket_connected_cb, g_object_ref (self));
}

/* ---- requests ------------------------------------------------------------ */

/* Turns a hub answer into its JSON object or a ParleyError from its
 * {"error":{"code","message"}} body. */
static JsonObject *
parse_answer (SoupMessage  *msg,
              GBytes       *bytes,
              GError      **error)
{
  guint status = soup_message_get_status (msg);
  gsize size = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &size) : NULL;
  g_autoptr(JsonObject) object = size > 0 ? parley_json_parse_object_full (data, size, HUB_MAX_DEPTH, "An answer", NULL)
                                          : NULL;

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return object ? g_steal_pointer (&object) : json_object_new ();

  if (object && json_object_has_member (object, "error"))
    {
      JsonObject *body = json_object_get_object_member (object, "error");
      const char *code = json_object_get_string_member_with_default (body, "code", "failed");
      const char *message = json_object_get_string_member_with_default (body, "message", "");

      g_set_error_literal (error, PARLEY_ERROR, parley_error_from_code_name (code), message);
      return NULL;
    }
  g_set_error (error, PARLEY_ERROR, status == SOUP_STATUS_UNAUTHORIZED ? PARLEY_ERROR_UNAUTHORIZED : PARLEY_ERROR_FAILED,
               "The hub answered %u %s", status, soup_message_get_reason_phrase (msg));
  return NULL;
}

static void
request_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ParleyClient *self = g_task_get_source_object (task);
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonObject *object;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      explain_certificate_error (self, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if ((object = parse_answer (msg, bytes, &error)) == NULL)
    {
      if (g_error_matches (error, PARLEY_ERROR, PARLEY_ERROR_UNAUTHORIZED) && self->token)
        {
          parley_client_sign_out (self);
          g_signal_emit (self, signals[UNAUTHORIZED], 0);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, object, (GDestroyNotify) json_object_unref);
}

/* A file's bytes on success; the hub's refusal as a ParleyError otherwise. */
static void
download_sent_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonObject) refusal = NULL;

  if (bytes != NULL && SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (bytes != NULL && (refusal = parse_answer (msg, bytes, &error)) != NULL)
    g_set_error (&error, PARLEY_ERROR, PARLEY_ERROR_FAILED, "The hub answered %u", soup_message_get_status (msg));
  explain_certificate_error (g_task_get_source_object (task), &error);
  g_task_return_error (task, g_steal_pointer (&error));
}

/* A request to the hub's API as the signed-in agent, or NULL (and @task
 * answered) when the hub's address is not one. */
static SoupMessage *
new_request (ParleyClient *self,
             GTask        *task,
             const char   *method,
             const char   *path)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/%s", self->base_url, path);
  SoupMessage *msg;

  if (!check_encryption (self, task))
    {
      g_object_unref (task);
      return NULL;
    }
  if ((msg = new_message (self, method, url)) == NULL)
    {
      g_task_return_new_error (task, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                               "“%s” is not a valid hub address", self->base_url);
      g_object_unref (task);
      return NULL;
    }
  if (self->token)
    {
      g_autofree char *bearer = g_strdup_printf ("Bearer %s", self->token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
    }
  return msg;
}

/* Sends @msg for @task, which owns it from now on. */
static void
send_message (ParleyClient        *self,
              GTask               *task,
              SoupMessage         *msg,
              GAsyncReadyCallback  sent_cb)
{
  g_task_set_task_data (task, msg, g_object_unref);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), sent_cb, task);
}

static void
send_request (ParleyClient        *self,
              GTask               *task,
              const char          *method,
              const char          *path,
              JsonObject          *body,
              GAsyncReadyCallback  sent_cb)
{
  SoupMessage *msg = new_request (self, task, method, path);

  if (msg == NULL)
    return;
  if (body)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);
      char *text = parley_json_to_string (node);
      g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  send_message (self, task, msg, sent_cb);
}

/* ---- GObject ------------------------------------------------------------- */

static void
parley_client_dispose (GObject *object)
{
  ParleyClient *self = PARLEY_CLIENT (object);

  g_clear_handle_id (&self->retry_source, g_source_remove);
  drop_socket (self);
  if (self->connecting)
    g_cancellable_cancel (self->connecting);
  g_clear_object (&self->connecting);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (parley_client_parent_class)->dispose (object);
}

static void
parley_client_finalize (GObject *object)
{
  ParleyClient *self = PARLEY_CLIENT (object);

  g_free (self->base_url);
  g_free (self->host);
  g_clear_pointer (&self->pinned_digest, g_bytes_unref);
  g_clear_object (&self->refused_certificate);
  g_free (self->token);
  g_clear_pointer (&self->agent, json_object_unref);
  G_OBJECT_CLASS (parley_client_parent_class)->finalize (object);
}

static void
parley_client_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ParleyClient *self = PARLEY_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_AGENT:
      g_value_set_boxed (value, self->agent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_client_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ParleyClient *self = PARLEY_CLIENT (object);
  g_autoptr(GUri) uri = NULL;
  const char *url;

  switch (prop_id)
    {
    case PROP_BASE_URL:
      url = g_value_get_string (value);
      self->base_url = g_strdup (url ? url : "");
      /* Paths are appended as "/api/v1/...". */
      while (g_str_has_suffix (self->base_url, "/"))
        self->base_url[strlen (self->base_url) - 1] = '\0';
      uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
      self->host = g_strdup (uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : self->base_url);
      self->unencrypted_remote = uri && g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 &&
                                 !is_loopback_host (self->host);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_client_class_init (ParleyClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = parley_client_dispose;
  object_class->finalize = parley_client_finalize;
  object_class->get_property = parley_client_get_property;
  object_class->set_property = parley_client_set_property;

  /**
   * ParleyClient:base-url:
   *
   * The hub's address, e.g. `https://hub.example.com:8443`.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * ParleyClient:state:
   *
   * Whether the client is signed in and its events socket is open.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, PARLEY_TYPE_CLIENT_STATE, PARLEY_CLIENT_STATE_OFFLINE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ParleyClient:agent:
   *
   * The signed-in agent as the hub last described it, or %NULL.
   */
  properties[PROP_AGENT] =
    g_param_spec_boxed ("agent", NULL, NULL, JSON_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ParleyClient::message:
   * @self: the client
   * @type: the push's "type" member, also the signal detail
   * @message: the whole push
   *
   * A push from the hub's events socket.
   */
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_OBJECT | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * ParleyClient::connected:
   * @self: the client
   *
   * The events socket is open (again); anything pushed while it was down
   * was missed and must be fetched.
   */
  signals[CONNECTED] =
    g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * ParleyClient::unauthorized:
   * @self: the client
   *
   * The hub no longer accepts the token (expired or signed out elsewhere);
   * the client is signed out.
   */
  signals[UNAUTHORIZED] =
    g_signal_new ("unauthorized", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
parley_client_init (ParleyClient *self)
{
  self->session = soup_session_new_with_options ("timeout", 30, "idle-timeout", 60, NULL);
}

/**
 * parley_client_new:
 * @base_url: the hub's address, e.g. "http://127.0.0.1:8080"
 *
 * A connection to the hub at @base_url: sign in with
 * parley_client_login_async(); it then keeps the events socket open.
 *
 * Returns: (transfer full): a new signed-out client
 */
ParleyClient *
parley_client_new (const char *base_url)
{
  return g_object_new (PARLEY_TYPE_CLIENT, "base-url", base_url, NULL);
}

/**
 * parley_client_get_base_url:
 * @self: a #ParleyClient
 *
 * The address the client talks to.
 *
 * Returns: (transfer none): the hub's address
 */
const char *
parley_client_get_base_url (ParleyClient *self)
{
  g_return_val_if_fail (PARLEY_IS_CLIENT (self), NULL);
  return self->base_url;
}

/**
 * parley_client_get_state:
 * @self: a #ParleyClient
 *
 * How the client stands with its hub (also the #ParleyClient:state
 * property).
 *
 * Returns: whether the client is signed in and its events socket is open
 */
ParleyClientState
parley_client_get_state (ParleyClient *self)
{
  g_return_val_if_fail (PARLEY_IS_CLIENT (self), PARLEY_CLIENT_STATE_OFFLINE);
  return self->state;
}

/**
 * parley_client_get_agent:
 * @self: a #ParleyClient
 *
 * The signed-in agent (also the #ParleyClient:agent property).
 *
 * Returns: (transfer none) (nullable): the signed-in agent as the hub last
 *   described it (presence, load, role), or %NULL when signed out
 */
JsonObject *
parley_client_get_agent (ParleyClient *self)
{
  g_return_val_if_fail (PARLEY_IS_CLIENT (self), NULL);
  return self->agent;
}

/**
 * parley_client_get_retry_seconds:
 * @self: a #ParleyClient
 *
 * How long the client waits before it tries the events socket again.
 *
 * Returns: the current reconnection backoff in seconds (0 when connected)
 */
guint
parley_client_get_retry_seconds (ParleyClient *self)
{
  g_return_val_if_fail (PARLEY_IS_CLIENT (self), 0);
  return self->retry_seconds;
}

/**
 * parley_client_set_pinned_certificate:
 * @self: a #ParleyClient
 * @pin: (nullable): the hub's certificate as an admin hands it out: its
 *   SHA-256 fingerprint, the certificate as PEM text or the absolute path of a PEM
 *   file; %NULL or empty to trust what the system trusts
 * @error: return location for a #GError
 *
 * Accepts from now on only the certificate @pin names, even one the
 * system does not trust (self-signed, or made out to another name), as
 * long as it is within its dates; and no other, even one the system
 * trusts. Call it before signing in.
 *
 * Returns: %TRUE, or %FALSE with @error set when @pin is no certificate
 *   or fingerprint (the trust is then left as it was)
 */
gboolean
parley_client_set_pinned_certificate (ParleyClient  *self,
                                      const char    *pin,
                                      GError       **error)
{
  GBytes *digest = NULL;

  g_return_val_if_fail (PARLEY_IS_CLIENT (self), FALSE);

  if (pin && *pin && (digest = parley_certificate_load_pin (pin, error)) == NULL)
    return FALSE;
  g_clear_pointer (&self->pinned_digest, g_bytes_unref);
  self->pinned_digest = digest;
  /* Pinned, no authority vouches for anything: every certificate comes
   * to accept_certificate_cb(), which compares it with the pin. */
  soup_session_set_tls_database (self->session, digest ? NULL :
                                 g_tls_backend_get_default_database (g_tls_backend_get_default ()));
  return TRUE;
}

/**
 * parley_client_set_allow_unencrypted:
 * @self: a #ParleyClient
 * @allow: whether an `http://` hub that is not on this computer may be
 *   used
 *
 * Lets the client talk to a hub over plain HTTP although it is on
 * another computer, where anyone on the way could read the agent's
 * password and customers' data. Only for when a person chose it.
 */
void
parley_client_set_allow_unencrypted (ParleyClient *self,
                                     gboolean      allow)
{
  g_return_if_fail (PARLEY_IS_CLIENT (self));
  self->allow_unencrypted = allow;
}

/**
 * parley_client_get_refused_certificate:
 * @self: a #ParleyClient
 * @errors: (out) (optional): why it was refused; with a pinned
 *   certificate, %G_TLS_CERTIFICATE_UNKNOWN_CA means it is not the pinned
 *   one
 *
 * The hub's certificate as last refused, until a sign-in or the events
 * socket succeeds.
 *
 * Returns: (transfer none) (nullable): the certificate, or %NULL when
 *   none was refused
 */
GTlsCertificate *
parley_client_get_refused_certificate (ParleyClient         *self,
                                       GTlsCertificateFlags *errors)
{
  g_return_val_if_fail (PARLEY_IS_CLIENT (self), NULL);
  if (errors)
    *errors = self->refused_certificate ? self->refused_errors : 0;
  return self->refused_certificate;
}

static void
login_answered_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ParleyClient *self = PARLEY_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  const char *token;

  answer = g_task_propagate_pointer (G_TASK (result), &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if ((token = json_object_get_string_member_with_default (answer, "token", NULL)) == NULL)
    {
      g_task_return_new_error (task, PARLEY_ERROR, PARLEY_ERROR_FAILED, "The hub sent no token");
      return;
    }
  g_free (self->token);
  self->token = g_strdup (token);
  self->retry_seconds = 0;
  set_agent (self, parley_json_get_object (answer, "agent", FALSE, NULL));
  open_socket (self);
  g_task_return_boolean (task, TRUE);
}

/**
 * parley_client_login_async:
 * @self: a #ParleyClient
 * @login: the agent's login
 * @password: the agent's password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the hub has answered
 * @user_data: data for @callback
 *
 * Signs in and opens the events socket.
 */
void
parley_client_login_async (ParleyClient        *self,
                           const char          *login,
                           const char          *password,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  GTask *task;

  g_return_if_fail (PARLEY_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, parley_client_login_async);
  json_object_set_string_member (body, "login", login);
  json_object_set_string_member (body, "password", password);
  g_clear_pointer (&self->token, g_free);
  g_clear_object (&self->refused_certificate);
  parley_client_request_async (self, "POST", "auth/login", body, cancellable, login_answered_cb, task);
}

/**
 * parley_client_login_finish:
 * @self: a #ParleyClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * The result of parley_client_login_async().
 *
 * Returns: %TRUE once signed in
 */
gboolean
parley_client_login_finish (ParleyClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * parley_client_request_async:
 * @self: a #ParleyClient
 * @method: "GET", "POST", "PUT", "PATCH" or "DELETE"
 * @path: the path below /api/v1/, e.g. "customers/7/timeline?limit=50"
 * @body: (nullable): the JSON body
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Calls the hub's REST API as the signed-in agent.
 */
void
parley_client_request_async (ParleyClient        *self,
                             const char          *method,
                             const char          *path,
                             JsonObject          *body,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PARLEY_IS_CLIENT (self));
  g_return_if_fail (method != NULL && path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, parley_client_request_async);
  send_request (self, task, method, path, body, request_sent_cb);
}

/**
 * parley_client_request_finish:
 * @self: a #ParleyClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError: a #ParleyError for the hub's own
 *   refusals, a #GIOError when it could not be reached
 *
 * The result of parley_client_request_async().
 *
 * Returns: (transfer full): the answer's JSON object (empty for a 204)
 */
JsonObject *
parley_client_request_finish (ParleyClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
other_socket_connected_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  GError *error = NULL;
  SoupWebsocketConnection *socket = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  static const struct { guint status; ParleyError code; } refusals[] = {
    { SOUP_STATUS_BAD_REQUEST, PARLEY_ERROR_INVALID },
    { SOUP_STATUS_UNAUTHORIZED, PARLEY_ERROR_UNAUTHORIZED },
    { SOUP_STATUS_FORBIDDEN, PARLEY_ERROR_FORBIDDEN },
    { SOUP_STATUS_NOT_FOUND, PARLEY_ERROR_NOT_FOUND },
    { SOUP_STATUS_CONFLICT, PARLEY_ERROR_CONFLICT },
  };

  if (socket != NULL)
    {
      g_task_return_pointer (task, socket, g_object_unref);
      return;
    }
  /* The hub refuses a socket with a status before the upgrade. */
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    if (soup_message_get_status (msg) == refusals[i].status)
      {
        g_task_return_new_error (task, PARLEY_ERROR, refusals[i].code, "%s", error->message);
        g_error_free (error);
        return;
      }
  explain_certificate_error (g_task_get_source_object (task), &error);
  g_task_return_error (task, error);
}

/**
 * parley_client_download_async:
 * @self: a signed-in #ParleyClient
 * @path: the path under `/api/v1/`, e.g. `attachments/ID`
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the file
 * @user_data: data for @callback
 *
 * Fetches a file (an attachment) from the hub with the agent's credentials.
 */
void
parley_client_download_async (ParleyClient        *self,
                              const char          *path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PARLEY_IS_CLIENT (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, parley_client_download_async);
  send_request (self, task, "GET", path, NULL, download_sent_cb);
}

/**
 * parley_client_download_finish:
 * @self: a #ParleyClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * The result of parley_client_download_async().
 *
 * Returns: (transfer full): the file's bytes
 */
GBytes *
parley_client_download_finish (ParleyClient  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* An upload: the file's size and name first, so an oversized file is
 * refused before it is read; then its bytes; then the POST. */
typedef struct
{
  GFile *file;
  char  *path;
  char  *name;
} ParleyUpload;

static void
upload_free (ParleyUpload *upload)
{
  g_object_unref (upload->file);
  g_free (upload->path);
  g_free (upload->name);
  g_free (upload);
}

static void
upload_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  ParleyClient *self = g_task_get_source_object (task);
  ParleyUpload *upload = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  g_autofree char *escaped = NULL;
  SoupMessage *msg;

  if (bytes == NULL || !parley_attachment_check_size (g_bytes_get_size (bytes), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (!(msg = new_request (self, task, "POST", upload->path)))
    return;
  escaped = g_uri_escape_string (upload->name, NULL, FALSE);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Parley-Filename", escaped);
  soup_message_set_request_body_from_bytes (msg, "application/octet-stream", bytes);
  /* The answer is read like any other request's. */
  send_message (self, task, msg, request_sent_cb);
}

static void
upload_info_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  ParleyUpload *upload = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, &error);

  if (info == NULL || !parley_attachment_check_size ((guint64) g_file_info_get_size (info), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  upload->name = g_strdup (g_file_info_get_display_name (info));
  g_file_load_bytes_async (upload->file, g_task_get_cancellable (task), upload_loaded_cb, task);
}

/**
 * parley_client_upload_async:
 * @self: a signed-in #ParleyClient
 * @path: the path under `/api/v1/`, e.g. `conversations/7/attachments`
 * @file: the file to send
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the hub's answer
 * @user_data: data for @callback
 *
 * Sends a file to the hub as the signed-in agent: its bytes as the body of
 * a POST, its name in `X-Parley-Filename`. The file is read without
 * blocking, and not at all when it is larger than
 * %PARLEY_ATTACHMENT_MAX_SIZE (%PARLEY_ERROR_TOO_LARGE).
 */
void
parley_client_upload_async (ParleyClient        *self,
                            const char          *path,
                            GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  ParleyUpload *upload;

  g_return_if_fail (PARLEY_IS_CLIENT (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, parley_client_upload_async);
  upload = g_new0 (ParleyUpload, 1);
  upload->file = g_object_ref (file);
  upload->path = g_strdup (path);
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);
  g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, cancellable, upload_info_cb, task);
}

/**
 * parley_client_upload_finish:
 * @self: a #ParleyClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError: a #ParleyError for the hub's
 *   refusals (and files too large to send), a #GIOError when the file
 *   could not be read or the hub reached
 *
 * The result of parley_client_upload_async().
 *
 * Returns: (transfer full): the hub's answer, e.g. `{"attachment":{...}}`
 */
JsonObject *
parley_client_upload_finish (ParleyClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * parley_client_open_socket_async:
 * @self: a signed-in #ParleyClient
 * @path: the path and query of a WebSocket on the hub (a channel plugin's,
 *   such as `/api/v1/channels/chat/cobrowse?customer=7`)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the socket is open or refused
 * @user_data: data for @callback
 *
 * Opens another WebSocket to the hub with the client's credentials, so a
 * desktop plugin never handles the agent's token itself.
 */
void
parley_client_open_socket_async (ParleyClient        *self,
                                 const char          *path,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;
  SoupMessage *msg;

  g_return_if_fail (PARLEY_IS_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, parley_client_open_socket_async);
  if (self->token == NULL)
    {
      g_task_return_new_error (task, PARLEY_ERROR, PARLEY_ERROR_UNAUTHORIZED, "Not signed in");
      return;
    }
  if (!check_encryption (self, task))
    return;
  escaped = g_uri_escape_string (self->token, NULL, FALSE);
  url = g_strdup_printf ("%s%s%caccess_token=%s", self->base_url, path, strchr (path, '?') ? '&' : '?', escaped);
  msg = new_message (self, SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Not a valid path: %s", path);
      return;
    }
  g_task_set_task_data (task, msg, g_object_unref);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        cancellable, other_socket_connected_cb, g_object_ref (task));
}

/**
 * parley_client_open_socket_finish:
 * @self: a #ParleyClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError: a #ParleyError when the hub
 *   refused the socket (forbidden, conflict, ...), else a #GIOError
 *
 * The result of parley_client_open_socket_async().
 *
 * Returns: (transfer full): the open socket
 */
SoupWebsocketConnection *
parley_client_open_socket_finish (ParleyClient  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * parley_client_reconnect_now:
 * @self: a #ParleyClient
 *
 * Skips the remaining backoff and tries the events socket at once (for a
 * "Reconnect" button, or when the network comes back).
 */
void
parley_client_reconnect_now (ParleyClient *self)
{
  g_return_if_fail (PARLEY_IS_CLIENT (self));

  if (self->token == NULL || self->state == PARLEY_CLIENT_STATE_ONLINE)
    return;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  open_socket (self);
}

/**
 * parley_client_sign_out:
 * @self: a #ParleyClient
 *
 * Forgets the token and closes the events socket without reconnecting. Call
 * POST auth/logout first to end the session on the hub.
 */
void
parley_client_sign_out (ParleyClient *self)
{
  g_return_if_fail (PARLEY_IS_CLIENT (self));

  g_clear_pointer (&self->token, g_free);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (self->connecting)
    g_cancellable_cancel (self->connecting);
  g_clear_object (&self->connecting);
  drop_socket (self);
  self->retry_seconds = 0;
  set_agent (self, NULL);
  set_state (self, PARLEY_CLIENT_STATE_OFFLINE);
}
