/* SPDX-License-Identifier: CC0-1.0 */
/* A template for a hub-side Parley channel plugin, after Parley's api
 * channel. Copy it, rename "example" (and Example, EXAMPLE) to your
 * channel's name, and change the two places that speak your provider's
 * language: inbound_cb () and example_channel_deliver_async ().
 *
 * Inbound: the provider POSTs each message a customer sends to
 *     POST /api/v1/channels/example/inbound
 *     X-Example-Token: <the token setting>
 *     {"from": "+4915112345678", "name": "Ada", "text": "Hello", "id": "msg-1"}
 * and gets 202 {"event": ID} once the hub has committed the message (never
 * earlier: a message acknowledged must never be lost). "id", the
 * provider's own id, makes a repeated delivery harmless.
 *
 * Outbound: when an agent answers on this channel, the hub calls
 * deliver_async (), which POSTs
 *     {"to": "+4915112345678", "text": "Hi Ada", "event": 42}
 * to the outbound-url setting. A 2xx answer means delivered; an error makes
 * the hub try again later.
 *
 * Settings: `parleyctl set example token SECRET` (at least 16 characters)
 * and `parleyctl set example outbound-url https://...`, or the same keys
 * under [channel:example] in parleyd's config file. */
#define G_LOG_DOMAIN "example-channel"

#include <libpeas/peas.h>
#include <parley.h>

#define KIND "example"
#define TOKEN_MIN_LENGTH 16

#define EXAMPLE_TYPE_CHANNEL (example_channel_get_type ())
G_DECLARE_FINAL_TYPE (ExampleChannel, example_channel, EXAMPLE, CHANNEL, GObject)

struct _ExampleChannel
{
  GObject      parent_instance;

  ParleyHost  *host;          /* the hub, given as the "host" property; it outlives us */
  ParleyChannelInfo *info;    /* what the channel is, as hub and desktops show it */
  SoupSession *session;       /* for the requests to the provider */
  char        *token;
  char        *outbound_url;
};

enum {
  PROP_0,
  PROP_HOST,
};

static void example_channel_iface_init (ParleyChannelInterface *iface);

/* A type defined in a module is registered each time the module loads:
 * hence DYNAMIC, and example_channel_register_type () below. */
G_DEFINE_DYNAMIC_TYPE_EXTENDED (ExampleChannel, example_channel, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (PARLEY_TYPE_CHANNEL, example_channel_iface_init))

/* Inbound ------------------------------------------------------------------ */

/* The hub has committed the message (or refused it): now answer. */
static void
submitted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ParleyChannelRequest) request = user_data;
  ParleyInbound *inbound = g_object_get_data (G_OBJECT (request), "example-inbound");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;

  if (!parley_host_submit_finish (PARLEY_HOST (source), result, &error))
    {
      /* {"error":{"code","message"}} with the HTTP status the code maps to. */
      parley_channel_request_reply_error (request, error);
      return;
    }
  answer = json_object_new ();
  json_object_set_int_member (answer, "event", parley_inbound_get_event_id (inbound));
  /* A provider that hung up meanwhile gets no answer; the message is in. */
  parley_channel_request_reply_object (request, SOUP_STATUS_ACCEPTED, answer);
}

/* The message a provider's request carries, or NULL and why not. The hub
 * has checked the method (POST) and the body's size already. */
static ParleyInbound *
read_inbound (ExampleChannel        *self,
              ParleyChannelRequest  *request,
              GError               **error)
{
  g_autoptr(JsonObject) body = NULL;
  const char *from, *text, *name, *id = NULL;
  GError *optional_error = NULL;
  ParleyInbound *inbound;

  /* Secrets are compared in constant time: how long a refusal takes must
   * not tell how much of a guess was right. */
  if (!parley_crypto_equal (self->token, parley_channel_request_get_header (request, "X-Example-Token")))
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_UNAUTHORIZED, "Missing or wrong X-Example-Token");
      return NULL;
    }
  /* The body as one JSON object, within the hub's nesting limits. */
  if (!(body = parley_channel_request_read_object (request, error))
      || !(from = parley_json_get_string (body, "from", TRUE, error))
      || !(text = parley_json_get_string (body, "text", TRUE, error)))
    return NULL;
  /* Optional members: NULL when missing, an error when of the wrong type. */
  name = parley_json_get_string (body, "name", FALSE, &optional_error);
  if (optional_error == NULL)
    id = parley_json_get_string (body, "id", FALSE, &optional_error);
  if (optional_error != NULL)
    {
      g_propagate_error (error, optional_error);
      return NULL;
    }

  /* The sender is an identity: a phone number here, which the hub
   * normalises (E.164) and resolves to a customer, the same customer who
   * calls or texts from that number on another channel. */
  inbound = parley_inbound_new (KIND, PARLEY_IDENTITY_PHONE, from);
  parley_inbound_set_text (inbound, text);
  parley_inbound_set_display_name (inbound, name);
  parley_inbound_set_external_id (inbound, id);
  return inbound;
}

/* POST /api/v1/channels/example/inbound */
static void
inbound_cb (ParleyChannelRequest *request,
            gpointer              user_data)
{
  ExampleChannel *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParleyInbound) inbound = read_inbound (self, request, &error);

  if (inbound == NULL)
    {
      parley_channel_request_reply_error (request, error);
      return;
    }
  /* The request waits for its answer until the hub has committed the
   * message: keep it, and answer in submitted_cb (). */
  g_object_set_data_full (G_OBJECT (request), "example-inbound", g_object_ref (inbound), g_object_unref);
  parley_host_submit_async (self->host, inbound, NULL, submitted_cb, g_object_ref (request));
}

/* Outbound ----------------------------------------------------------------- */

static void
delivered_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  /* Errors say what went wrong in PARLEY_ERROR's terms; the hub logs them
   * and tries again later. */
  if (answer == NULL)
    g_task_return_new_error (task, PARLEY_ERROR, PARLEY_ERROR_CHANNEL_UNAVAILABLE,
                             "The provider is unreachable: %s", error->message);
  else if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    g_task_return_new_error (task, PARLEY_ERROR, PARLEY_ERROR_REJECTED,
                             "The provider answered %u", soup_message_get_status (msg));
  else
    g_task_return_boolean (task, TRUE);
}

static void
example_channel_deliver_async (ParleyChannel       *channel,
                               ParleyOutbound      *outbound,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  ExampleChannel *self = EXAMPLE_CHANNEL (channel);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  g_task_set_source_tag (task, example_channel_deliver_async);
  if (self->outbound_url == NULL || !(msg = soup_message_new (SOUP_METHOD_POST, self->outbound_url)))
    {
      g_task_return_new_error (task, PARLEY_ERROR, PARLEY_ERROR_CHANNEL_UNAVAILABLE,
                               "Set a valid outbound-url: parleyctl set %s outbound-url URL", KIND);
      return;
    }
  /* The identity the hub chose to reach the customer by. */
  json_object_set_string_member (body, "to", parley_outbound_get_to_value (outbound));
  json_object_set_string_member (body, "text", parley_outbound_get_text (outbound));
  json_object_set_int_member (body, "event", parley_outbound_get_event_id (outbound));
  json_node_set_object (node, body);
  text = parley_json_to_string (node);
  bytes = g_bytes_new (text, strlen (text));
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    delivered_cb, g_steal_pointer (&task));
}

static gboolean
example_channel_deliver_finish (ParleyChannel  *channel,
                                GAsyncResult   *result,
                                GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Life cycle --------------------------------------------------------------- */

/* The declaration: the hub and every desktop take the channel's title,
 * icon, whom it reaches and what it can do from here. */
static ParleyChannelInfo *
example_channel_get_info (ParleyChannel *channel)
{
  return EXAMPLE_CHANNEL (channel)->info;
}

/* Reads the settings and takes the route. FALSE with @error set keeps the
 * channel from running; the hub logs why. */
static gboolean
example_channel_start (ParleyChannel  *channel,
                       GError        **error)
{
  ExampleChannel *self = EXAMPLE_CHANNEL (channel);

  g_free (self->token);
  self->token = parley_host_get_setting (self->host, KIND, "token");
  if (self->token == NULL || strlen (self->token) < TOKEN_MIN_LENGTH)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                   "Set a token of at least %d characters: parleyctl set %s token SECRET",
                   TOKEN_MIN_LENGTH, KIND);
      return FALSE;
    }
  g_free (self->outbound_url);
  self->outbound_url = parley_host_get_setting (self->host, KIND, "outbound-url");
  /* The route is /api/v1/channels/example/inbound; the hub answers other
   * methods (405) and bodies over its limit (0: the hub's own, 413) itself,
   * and removes the route when the channel stops. */
  return parley_host_add_route (self->host, channel, "inbound", PARLEY_HTTP_POST, 0,
                                inbound_cb, self, NULL, error);
}

static void
example_channel_stop (ParleyChannel *channel)
{
  ExampleChannel *self = EXAMPLE_CHANNEL (channel);

  soup_session_abort (self->session);
}

static void
example_channel_iface_init (ParleyChannelInterface *iface)
{
  iface->get_info = example_channel_get_info;
  iface->start = example_channel_start;
  iface->stop = example_channel_stop;
  iface->deliver_async = example_channel_deliver_async;
  iface->deliver_finish = example_channel_deliver_finish;
}

/* GObject ------------------------------------------------------------------ */

static void
example_channel_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ExampleChannel *self = EXAMPLE_CHANNEL (object);

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
example_channel_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  ExampleChannel *self = EXAMPLE_CHANNEL (object);

  switch (prop_id)
    {
    case PROP_HOST:
      self->host = g_value_get_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
example_channel_finalize (GObject *object)
{
  ExampleChannel *self = EXAMPLE_CHANNEL (object);

  g_clear_object (&self->session);
  g_clear_object (&self->info);
  g_free (self->token);
  g_free (self->outbound_url);
  G_OBJECT_CLASS (example_channel_parent_class)->finalize (object);
}

static void
example_channel_class_init (ExampleChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = example_channel_get_property;
  object_class->set_property = example_channel_set_property;
  object_class->finalize = example_channel_finalize;
  /* ParleyChannel declares "host"; the hub sets it when it creates us. */
  g_object_class_override_property (object_class, PROP_HOST, "host");
}

static void
example_channel_class_finalize (ExampleChannelClass *klass)
{
}

static void
example_channel_init (ExampleChannel *self)
{
  ParleyChannelSetting *setting;

  self->session = soup_session_new_with_options ("timeout", 10, NULL);
  /* It reaches customers by phone number, and carries plain text. */
  self->info = g_object_new (PARLEY_TYPE_CHANNEL_INFO,
                             "kind", KIND,
                             "title", "Example",
                             "icon-name", "mail-send-receive-symbolic",
                             "identity-kinds", (const char * const []) { PARLEY_IDENTITY_PHONE, NULL },
                             "capabilities", PARLEY_CHANNEL_CAPABILITY_TEXT,
                             "capacity", 3,
                             NULL);
  /* Its settings: the hub takes these names only, with values that fit. */
  setting = parley_channel_info_declare_setting (self->info, "token", PARLEY_SETTING_STRING,
                                                 "The secret the provider sends in X-Example-Token");
  parley_channel_setting_set_secret (setting, TRUE);
  parley_channel_setting_set_required (setting, TRUE);
  parley_channel_setting_set_range (setting, TOKEN_MIN_LENGTH, 256);
  setting = parley_channel_info_declare_setting (self->info, "outbound-url", PARLEY_SETTING_URL,
                                                 "Where replies are POSTed");
  parley_channel_setting_set_required (setting, TRUE);
}

/* The module's entry point: libpeas calls it when parleyd loads the plugin. */
G_MODULE_EXPORT void peas_register_types (PeasObjectModule *module);

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  example_channel_register_type (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, PARLEY_TYPE_CHANNEL, EXAMPLE_TYPE_CHANNEL);
}
