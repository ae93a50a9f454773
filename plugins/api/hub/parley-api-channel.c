/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-api-channel"

#include <libpeas/peas.h>

#include "parley.h"
#include "parley-api-inbound.h"

/* The generic api channel, for integrators and tests.
 *
 * Inbound: POST /api/v1/channels/api/inbound with the shared secret in
 * X-Parley-Key and {"from":{"kind","value","name"},"text","external_id",
 * "html","metadata","queue"}. Answers 202 {"event","conversation","customer",
 * "duplicate"} once the message is committed.
 *
 * POST /api/v1/channels/api/abandon with the same key and
 * {"from":{"kind","value"}}: the customer gave up waiting (hung up in the
 * queue, closed the app). Answers 200 {"conversation"}: the conversation
 * that ended abandoned, or 0 when none was waiting.
 *
 * Outbound: replies are POSTed as JSON to the configured callback-url,
 * signed the Standard Webhooks way with a key of their own (signing-secret,
 * never the inbound key): webhook-id (the event id, the same on every
 * attempt), webhook-timestamp (Unix seconds) and webhook-signature
 * "v1,BASE64(HMAC-SHA256(secret, id.timestamp.body))". The timestamp lets
 * the receiver refuse a captured delivery replayed later. A 2xx answer is
 * delivery; anything else makes the hub retry. A survey question carries
 * "survey": {"id","question","min","max","low","high","language"} besides
 * its text, for integrators who ask it their own way. A file the agent
 * sends comes as "attachment": {"id","name","type","size"}; the
 * integrator fetches it from GET /api/v1/attachments/{id} with an agent's
 * token.
 *
 * Settings ([channel:api] or `parleyctl set api KEY VALUE`): key (required),
 * callback-url (optional; without it replies fail and are retried),
 * signing-secret (base64 of at least 24 random bytes, with or without the
 * "whsec_" prefix; `parleyctl secret api signing-secret` makes one;
 * required with a callback-url). */

#define DELIVERY_TIMEOUT_SECONDS 10
#define SIGNING_KEY_MIN_BYTES 24

#define PARLEY_TYPE_API_CHANNEL (parley_api_channel_get_type ())
G_DECLARE_FINAL_TYPE (ParleyApiChannel, parley_api_channel, PARLEY, API_CHANNEL, GObject)

struct _ParleyApiChannel
{
  GObject       parent_instance;

  ParleyHost   *host;
  SoupSession  *session;
  char         *key;
  char         *callback_url;
  GBytes       *signing_key;    /* decoded signing-secret */
  ParleyChannelInfo *info;
  gboolean      started;
};

enum {
  PROP_0,
  PROP_HOST,
};

static void parley_api_channel_iface_init (ParleyChannelInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (ParleyApiChannel, parley_api_channel, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (PARLEY_TYPE_CHANNEL, parley_api_channel_iface_init))

static void
submitted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ParleyChannelRequest) request = user_data;
  ParleyInbound *inbound = g_object_get_data (G_OBJECT (request), "parley-inbound");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;

  /* The client may have gone; the message is committed either way. */
  if (!parley_host_submit_finish (PARLEY_HOST (source), result, &error))
    {
      parley_channel_request_reply_error (request, error);
      return;
    }
  body = json_object_new ();
  json_object_set_int_member (body, "event", parley_inbound_get_event_id (inbound));
  json_object_set_int_member (body, "conversation", parley_inbound_get_conversation_id (inbound));
  json_object_set_int_member (body, "customer", parley_inbound_get_customer_id (inbound));
  json_object_set_boolean_member (body, "duplicate", parley_inbound_get_duplicate (inbound));
  parley_channel_request_reply_object (request, SOUP_STATUS_ACCEPTED, body);
}

/* The JSON body of a request with the right key. */
static JsonObject *
read_request (ParleyApiChannel      *self,
              ParleyChannelRequest  *request,
              GError               **error)
{
  if (!parley_crypto_equal (self->key, parley_channel_request_get_header (request, "X-Parley-Key")))
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_UNAUTHORIZED, "Missing or wrong X-Parley-Key");
      return NULL;
    }
  return parley_channel_request_read_object (request, error);
}

static void
abandon_cb (ParleyChannelRequest *request,
            gpointer              user_data)
{
  ParleyApiChannel *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = read_request (self, request, &error);
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *from;
  const char *kind, *value;
  gint64 conversation;

  if (body == NULL ||
      !(from = parley_json_get_object (body, "from", TRUE, &error)) ||
      !(kind = parley_json_get_string (from, "kind", TRUE, &error)) ||
      !(value = parley_json_get_string (from, "value", TRUE, &error)) ||
      (conversation = parley_host_abandon (self->host, "api", kind, value, &error)) < 0)
    {
      parley_channel_request_reply_error (request, error);
      return;
    }
  answer = json_object_new ();
  json_object_set_int_member (answer, "conversation", conversation);
  parley_channel_request_reply_object (request, SOUP_STATUS_OK, answer);
}

static void
inbound_cb (ParleyChannelRequest *request,
            gpointer              user_data)
{
  ParleyApiChannel *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = read_request (self, request, &error);
  g_autoptr(ParleyInbound) inbound = NULL;

  if (body != NULL)
    inbound = parley_api_inbound_from_json (body, &error);
  if (inbound == NULL)
    {
      parley_channel_request_reply_error (request, error);
      return;
    }
  g_object_set_data_full (G_OBJECT (request), "parley-inbound", g_object_ref (inbound), g_object_unref);
  parley_host_submit_async (self->host, inbound, NULL, submitted_cb, g_object_ref (request));
}

/* The signing-secret's key bytes, or NULL (and an error) without a usable one. */
static GBytes *
read_signing_key (ParleyApiChannel  *self,
                  GError           **error)
{
  g_autofree char *secret = parley_host_get_setting (self->host, "api", "signing-secret");
  const char *encoded = secret;
  guchar *key;
  gsize size = 0;

  if (secret != NULL && g_str_has_prefix (secret, "whsec_"))
    encoded += strlen ("whsec_");
  key = encoded ? g_base64_decode (encoded, &size) : NULL;
  if (size < SIGNING_KEY_MIN_BYTES)
    {
      g_free (key);
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                   "Replies to a callback-url are signed with a signing-secret of its own (base64 of at least %d bytes): "
                   "`parleyctl secret api signing-secret` makes one", SIGNING_KEY_MIN_BYTES);
      return NULL;
    }
  return g_bytes_new_take (key, size);
}

/* Integrators address customers by any identity: replies go where the
 * customer last wrote from, else to their "api" identity (the integrator's
 * own customer id), else to any they have. */
static ParleyChannelInfo *
parley_api_channel_get_info (ParleyChannel *channel)
{
  return PARLEY_API_CHANNEL (channel)->info;
}

static gboolean
parley_api_channel_start (ParleyChannel  *channel,
                          GError        **error)
{
  ParleyApiChannel *self = PARLEY_API_CHANNEL (channel);

  g_free (self->key);
  self->key = parley_host_get_setting (self->host, "api", "key");
  if (self->key == NULL || strlen (self->key) < 16)
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                           "Set a key of at least 16 characters: [channel:api] key=… or `parleyctl set api key …`");
      return FALSE;
    }
  g_free (self->callback_url);
  self->callback_url = parley_host_get_setting (self->host, "api", "callback-url");
  g_clear_pointer (&self->signing_key, g_bytes_unref);
  if (self->callback_url != NULL && !(self->signing_key = read_signing_key (self, error)))
    return FALSE;
  if (!parley_host_add_route (self->host, channel, "inbound", PARLEY_HTTP_POST, 0, inbound_cb, self, NULL, error) ||
      !parley_host_add_route (self->host, channel, "abandon", PARLEY_HTTP_POST, 0, abandon_cb, self, NULL, error))
    return FALSE;
  self->started = TRUE;
  return TRUE;
}

static void
parley_api_channel_stop (ParleyChannel *channel)
{
  ParleyApiChannel *self = PARLEY_API_CHANNEL (channel);

  if (!self->started)
    return;
  soup_session_abort (self->session);
  self->started = FALSE;
}

static void
delivered_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GBytes) reply = NULL;
  GError *error = NULL;
  guint status;

  reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (reply == NULL)
    {
      g_task_return_new_error (task, PARLEY_ERROR, PARLEY_ERROR_CHANNEL_UNAVAILABLE,
                               "Callback unreachable: %s", error->message);
      g_error_free (error);
      return;
    }
  status = soup_message_get_status (msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    g_task_return_new_error (task, PARLEY_ERROR, PARLEY_ERROR_REJECTED,
                             "Callback answered %u %s", status, soup_message_get_reason_phrase (msg));
  else
    g_task_return_boolean (task, TRUE);
}

static char *
outbound_json (ParleyOutbound *outbound)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *to = json_object_new ();

  json_object_set_int_member (body, "event", parley_outbound_get_event_id (outbound));
  json_object_set_int_member (body, "conversation", parley_outbound_get_conversation_id (outbound));
  json_object_set_int_member (body, "customer", parley_outbound_get_customer_id (outbound));
  json_object_set_string_member (to, "kind", parley_outbound_get_to_kind (outbound));
  json_object_set_string_member (to, "value", parley_outbound_get_to_value (outbound));
  json_object_set_object_member (body, "to", to);
  json_object_set_string_member (body, "text", parley_outbound_get_text (outbound));
  json_object_set_string_member (body, "author", parley_outbound_get_author_name (outbound));
  json_object_set_int_member (body, "attempt", parley_outbound_get_attempt (outbound));
  if (parley_outbound_get_survey (outbound) != NULL)
    json_object_set_object_member (body, "survey", json_object_ref (parley_outbound_get_survey (outbound)));
  if (parley_outbound_get_attachment (outbound) != NULL)
    json_object_set_object_member (body, "attachment", json_object_ref (parley_outbound_get_attachment (outbound)));
  json_node_set_object (node, body);
  return parley_json_to_string (node);
}

/* Standard Webhooks: the signed content is "id.timestamp.body", so neither
 * the body nor the moment can be changed, and a receiver that refuses old
 * timestamps refuses replays. */
static void
sign (ParleyApiChannel   *self,
      SoupMessageHeaders *headers,
      gint64              event_id,
      const char         *body)
{
  g_autofree char *id = g_strdup_printf ("evt_%" G_GINT64_FORMAT, event_id);
  g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *content = g_strjoin (".", id, timestamp, body, NULL);
  gsize key_size;
  const guchar *key = g_bytes_get_data (self->signing_key, &key_size);
  g_autofree char *mac = parley_crypto_hmac_sha256_base64 (key, key_size, content, strlen (content));
  g_autofree char *signature = g_strconcat ("v1,", mac, NULL);

  soup_message_headers_replace (headers, "webhook-id", id);
  soup_message_headers_replace (headers, "webhook-timestamp", timestamp);
  soup_message_headers_replace (headers, "webhook-signature", signature);
}

static void
parley_api_channel_deliver_async (ParleyChannel       *channel,
                                  ParleyOutbound      *outbound,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  ParleyApiChannel *self = PARLEY_API_CHANNEL (channel);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;
  gsize size;

  g_task_set_source_tag (task, parley_api_channel_deliver_async);
  if (self->callback_url == NULL || !(msg = soup_message_new (SOUP_METHOD_POST, self->callback_url)))
    {
      g_task_return_new_error (task, PARLEY_ERROR, PARLEY_ERROR_CHANNEL_UNAVAILABLE,
                               "No valid callback-url is configured for the api channel");
      return;
    }

  text = outbound_json (outbound);
  sign (self, soup_message_get_request_headers (msg), parley_outbound_get_event_id (outbound), text);
  /* The length first: the pointer is stolen in the same call. */
  size = strlen (text);
  body = g_bytes_new_take (g_steal_pointer (&text), size);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    delivered_cb, g_steal_pointer (&task));
}

static gboolean
parley_api_channel_deliver_finish (ParleyChannel  *channel,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
parley_api_channel_iface_init (ParleyChannelInterface *iface)
{
  iface->get_info = parley_api_channel_get_info;
  iface->start = parley_api_channel_start;
  iface->stop = parley_api_channel_stop;
  iface->deliver_async = parley_api_channel_deliver_async;
  iface->deliver_finish = parley_api_channel_deliver_finish;
}

static void
parley_api_channel_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ParleyApiChannel *self = PARLEY_API_CHANNEL (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_object (value, self->host);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_api_channel_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ParleyApiChannel *self = PARLEY_API_CHANNEL (object);

  switch (prop_id)
    {
    case PROP_HOST:
      /* The host outlives its channels. */
      self->host = g_value_get_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_api_channel_finalize (GObject *object)
{
  ParleyApiChannel *self = PARLEY_API_CHANNEL (object);

  g_clear_object (&self->session);
  g_free (self->key);
  g_free (self->callback_url);
  g_clear_pointer (&self->signing_key, g_bytes_unref);
  g_clear_object (&self->info);

  G_OBJECT_CLASS (parley_api_channel_parent_class)->finalize (object);
}

static void
parley_api_channel_class_init (ParleyApiChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = parley_api_channel_get_property;
  object_class->set_property = parley_api_channel_set_property;
  object_class->finalize = parley_api_channel_finalize;

  g_object_class_override_property (object_class, PROP_HOST, "host");
}

static void
parley_api_channel_class_finalize (ParleyApiChannelClass *klass)
{
}

static void
parley_api_channel_init (ParleyApiChannel *self)
{
  ParleyChannelSetting *setting;

  self->session = soup_session_new_with_options ("timeout", DELIVERY_TIMEOUT_SECONDS,
                                                 "max-conns-per-host", 16,
                                                 NULL);
  self->info = g_object_new (PARLEY_TYPE_CHANNEL_INFO,
                             "kind", "api",
                             "title", "API",
                             "icon-name", "network-server-symbolic",
                             "identity-kinds", (const char * const []) { "api", PARLEY_CHANNEL_INFO_ANY_IDENTITY, NULL },
                             "capabilities", PARLEY_CHANNEL_CAPABILITY_TEXT | PARLEY_CHANNEL_CAPABILITY_ATTACHMENTS,
                             "attachment-max-size", (guint64) PARLEY_ATTACHMENT_MAX_SIZE,
                             "capacity", 3,
                             NULL);
  setting = parley_channel_info_declare_setting (self->info, "key", PARLEY_SETTING_STRING,
                                                 "The shared secret integrators send in X-Parley-Key");
  parley_channel_setting_set_secret (setting, TRUE);
  parley_channel_setting_set_required (setting, TRUE);
  parley_channel_setting_set_range (setting, 16, 256);
  parley_channel_info_declare_setting (self->info, "callback-url", PARLEY_SETTING_URL,
                                       "Where agents' replies are POSTed; without it they wait and are retried");
  setting = parley_channel_info_declare_setting (self->info, "signing-secret", PARLEY_SETTING_STRING,
                                                 "Signs the replies (base64 of at least 24 bytes, \"whsec_\" "
                                                 "prefix optional); `parleyctl secret api signing-secret` makes one");
  parley_channel_setting_set_secret (setting, TRUE);
  parley_channel_setting_set_range (setting, 32, 512);
}

G_MODULE_EXPORT void peas_register_types (PeasObjectModule *module);

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  parley_api_channel_register_type (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, PARLEY_TYPE_CHANNEL, PARLEY_TYPE_API_CHANNEL);
}
