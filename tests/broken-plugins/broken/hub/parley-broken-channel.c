/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-broken-channel"

#include "config.h"

#include <libpeas/peas.h>

#include "parley.h"

/* Channel plugins that break the contract on purpose, for
 * tests/integration/test-plugins.c: one module per misbehaviour, each
 * built from this file with BROKEN_BEHAVIOUR set (see meson.build). The
 * channel kind is the module's name. Never installed. */

typedef enum {
  BROKEN_START_SILENT,    /* start: FALSE, no error */
  BROKEN_START_ERROR,     /* start: FALSE with an error */
  BROKEN_START_LIES,      /* start: TRUE with an error set */
  BROKEN_KIND_NULL,       /* get_kind: NULL */
  BROKEN_KIND_EMPTY,      /* get_kind: "" */
  BROKEN_KIND_TAKEN,      /* get_kind: the api channel's kind */
  BROKEN_KIND_UNDECLARED, /* works, but its .plugin file declares no kind */
  BROKEN_HOST_GARBAGE,    /* start: NULL and garbage to every host call, then TRUE */
  BROKEN_DELIVER_HANG,    /* deliver: never calls back, ignores cancelling */
  BROKEN_DELIVER_TWICE,   /* deliver: calls back twice */
  BROKEN_DELIVER_LATE,    /* deliver: succeeds long after any deadline */
  BROKEN_DELIVER_REFUSE,  /* deliver: fails permanently */
  BROKEN_DELIVER_RECEIPTS, /* deliver: gives a provider id; POST .../receipt reports receipts */
} BrokenBehaviour;

#define LATE_MS 3000

typedef struct
{
  GObject     parent_instance;
  ParleyHost *host;
  GPtrArray  *held;     /* GTask: deliveries never answered */
  ParleyChannelInfo *info;
  gboolean    started;
} BrokenChannel;

typedef GObjectClass BrokenChannelClass;

enum { PROP_0, PROP_HOST };

static GType broken_channel_type;
static gpointer broken_channel_parent_class;

#define BROKEN_CHANNEL(o) (G_TYPE_CHECK_INSTANCE_CAST ((o), broken_channel_type, BrokenChannel))

static const char *
broken_get_kind (ParleyChannel *channel)
{
  switch (BROKEN_BEHAVIOUR)
    {
    case BROKEN_KIND_NULL:
      return NULL;
    case BROKEN_KIND_EMPTY:
      return "";
    case BROKEN_KIND_TAKEN:
      return "api";
    default:
      return BROKEN_KIND;
    }
}

/* POST /api/v1/channels/deliver-receipts/receipt {"provider_id","state","reason"}:
 * a receipt as the peer would send it; 404 when the hub knows no such message. */
static void
receipt_cb (ParleyChannelRequest *request,
            gpointer              user_data)
{
  BrokenChannel *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = parley_channel_request_read_object (request, &error);
  g_autoptr(JsonObject) answer = json_object_new ();
  GEnumClass *states;
  GEnumValue *state;
  gboolean known;

  if (body == NULL)
    {
      parley_channel_request_reply_error (request, error);
      return;
    }
  states = g_type_class_ref (PARLEY_TYPE_RECEIPT_STATE);
  state = g_enum_get_value_by_nick (states, json_object_get_string_member_with_default (body, "state", ""));
  known = parley_host_report_receipt (self->host, BROKEN_KIND,
                                      json_object_get_string_member_with_default (body, "provider_id", NULL),
                                      state ? (ParleyReceiptState) state->value : PARLEY_RECEIPT_STATE_DELIVERED,
                                      json_object_get_string_member_with_default (body, "reason", NULL));
  g_type_class_unref (states);
  parley_channel_request_reply_object (request, known ? SOUP_STATUS_OK : SOUP_STATUS_NOT_FOUND, answer);
}

/* Everything a careless plugin could hand the host: each call must end in
 * a critical (or a clean refusal), never a crash. */
static void
abuse_host (BrokenChannel *self)
{
  g_autoptr(GObject) not_a_host = g_object_new (G_TYPE_OBJECT, NULL);

  parley_host_add_route (self->host, NULL, NULL, PARLEY_HTTP_POST, 0, NULL, NULL, NULL, NULL);
  parley_host_add_connector (self->host, PARLEY_CHANNEL (self), (ParleyConnector *) not_a_host, NULL);
  g_free (parley_host_get_setting (self->host, NULL, NULL));
  g_free (parley_host_get_setting ((ParleyHost *) not_a_host, "x", "y"));
  parley_host_count_staffing (self->host, NULL);
  parley_host_submit_async (self->host, NULL, NULL, NULL, NULL);
  parley_host_submit_async (self->host, (ParleyInbound *) not_a_host, NULL, NULL, NULL);
  parley_host_record_event (self->host, -1, NULL, NULL, NULL, NULL, 0, NULL);
  parley_host_record_event (self->host, 1, "x", "message", "t", "{not json", 0, NULL);
  parley_host_push_activity (self->host, NULL, NULL, NULL, NULL, NULL);
  parley_host_get_customer (self->host, -5, NULL);
  g_free (parley_host_save_attachment (self->host, NULL, NULL, NULL, NULL, NULL));
  parley_host_get_attachment (self->host, NULL, NULL);
  parley_host_abandon (self->host, NULL, "x", NULL, NULL);
  parley_host_load_attachment_for (self->host, NULL, NULL, NULL, NULL, NULL);
  parley_host_list_messages_with (self->host, NULL, NULL, NULL, 5, NULL);
  parley_host_authenticate (self->host, NULL);
  g_free (parley_host_dup_client_address (self->host, NULL));
  parley_host_is_own_origin (self->host, NULL);
  parley_host_report_receipt (self->host, NULL, NULL, PARLEY_RECEIPT_STATE_READ, NULL);
  parley_host_report_receipt (self->host, BROKEN_KIND, "p", (ParleyReceiptState) 99, NULL);
  parley_host_report_receipt (self->host, BROKEN_KIND, "no-such-provider-id", PARLEY_RECEIPT_STATE_READ, NULL);
}

static gboolean
broken_start (ParleyChannel  *channel,
              GError        **error)
{
  BrokenChannel *self = BROKEN_CHANNEL (channel);

  switch (BROKEN_BEHAVIOUR)
    {
    case BROKEN_START_SILENT:
      return FALSE;
    case BROKEN_START_ERROR:
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_FAILED, "the broken channel refuses to start");
      return FALSE;
    case BROKEN_START_LIES:
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_FAILED, "started, or not");
      self->started = TRUE;
      return TRUE;
    case BROKEN_HOST_GARBAGE:
      abuse_host (self);
      break;
    case BROKEN_DELIVER_RECEIPTS:
      if (!parley_host_add_route (self->host, channel, "receipt", PARLEY_HTTP_POST, 0, receipt_cb, self, NULL, error))
        return FALSE;
      break;
    default:
      break;
    }
  self->started = TRUE;
  return TRUE;
}

static void
broken_stop (ParleyChannel *channel)
{
  BrokenChannel *self = BROKEN_CHANNEL (channel);

  if (!self->started)
    return;
  /* Answered at last, long after the hub gave up on them. */
  for (guint i = 0; i < self->held->len; i++)
    g_task_return_new_error (g_ptr_array_index (self->held, i), G_IO_ERROR, G_IO_ERROR_CLOSED, "stopped");
  g_ptr_array_set_size (self->held, 0);
  self->started = FALSE;
}

typedef struct
{
  GTask               *task;
  GAsyncReadyCallback  callback;
  gpointer             user_data;
} Repeat;

static gboolean
call_back_again_cb (gpointer data)
{
  Repeat *repeat = data;

  repeat->callback (g_task_get_source_object (repeat->task), G_ASYNC_RESULT (repeat->task), repeat->user_data);
  g_object_unref (repeat->task);
  g_free (repeat);
  return G_SOURCE_REMOVE;
}

/* The task holds the channel, so the channel outlives the timer. */
static gboolean
answer_late_cb (gpointer data)
{
  g_task_return_boolean (data, TRUE);
  return G_SOURCE_REMOVE;
}

static void
broken_deliver_async (ParleyChannel       *channel,
                      ParleyOutbound      *outbound,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  BrokenChannel *self = BROKEN_CHANNEL (channel);
  /* The hang ignores the cancellable, as a plugin that forgets it would. */
  GTask *task = g_task_new (self, BROKEN_BEHAVIOUR == BROKEN_DELIVER_HANG ? NULL : cancellable, callback, user_data);

  switch (BROKEN_BEHAVIOUR)
    {
    case BROKEN_DELIVER_HANG:
      g_ptr_array_add (self->held, task);
      return;
    case BROKEN_DELIVER_TWICE:
      {
        Repeat *repeat = g_new0 (Repeat, 1);

        repeat->task = g_object_ref (task);
        repeat->callback = callback;
        repeat->user_data = user_data;
        g_task_return_boolean (task, TRUE);
        g_timeout_add (200, call_back_again_cb, repeat);
        break;
      }
    case BROKEN_DELIVER_LATE:
      g_timeout_add_full (G_PRIORITY_DEFAULT, LATE_MS, answer_late_cb, g_object_ref (task), g_object_unref);
      break;
    case BROKEN_DELIVER_REFUSE:
      g_task_return_new_error (task, PARLEY_DELIVERY_ERROR, PARLEY_DELIVERY_ERROR_PERMANENT,
                               "No such mailbox: %s", parley_outbound_get_to_value (outbound));
      break;
    case BROKEN_DELIVER_RECEIPTS:
      {
        g_autofree char *provider_id = g_strdup_printf ("provider-%" G_GINT64_FORMAT,
                                                        parley_outbound_get_event_id (outbound));

        parley_outbound_set_provider_id (outbound, provider_id);
        g_task_return_boolean (task, TRUE);
        break;
      }
    default:
      g_task_return_boolean (task, TRUE);
      break;
    }
  g_object_unref (task);
}

static gboolean
broken_deliver_finish (ParleyChannel  *channel,
                       GAsyncResult   *result,
                       GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
broken_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  if (prop_id == PROP_HOST)
    g_value_set_object (value, BROKEN_CHANNEL (object)->host);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
broken_set_property (GObject      *object,
                     guint         prop_id,
                     const GValue *value,
                     GParamSpec   *pspec)
{
  if (prop_id == PROP_HOST)
    BROKEN_CHANNEL (object)->host = g_value_get_object (value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
broken_finalize (GObject *object)
{
  BrokenChannel *self = BROKEN_CHANNEL (object);

  g_ptr_array_unref (self->held);
  g_clear_object (&self->info);
  G_OBJECT_CLASS (broken_channel_parent_class)->finalize (object);
}

static void
broken_class_init (gpointer klass,
                   gpointer class_data)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  broken_channel_parent_class = g_type_class_peek_parent (klass);
  object_class->finalize = broken_finalize;
  object_class->get_property = broken_get_property;
  object_class->set_property = broken_set_property;
  g_object_class_override_property (object_class, PROP_HOST, "host");
}

static void
broken_init (GTypeInstance *instance,
             gpointer       klass)
{
  BrokenChannel *self = (BrokenChannel *) instance;

  self->held = g_ptr_array_new_with_free_func (g_object_unref);
  /* Declared as the module's kind, reaching whatever the customer has. */
  self->info = parley_channel_info_new (BROKEN_KIND, NULL, NULL,
                                        (const char * const []) { PARLEY_CHANNEL_INFO_ANY_IDENTITY, NULL },
                                        PARLEY_CHANNEL_CAPABILITY_TEXT);
}

static ParleyChannelInfo *
broken_get_info (ParleyChannel *channel)
{
  return BROKEN_CHANNEL (channel)->info;
}

static void
broken_iface_init (gpointer iface_data,
                   gpointer data)
{
  ParleyChannelInterface *iface = iface_data;

  iface->get_kind = broken_get_kind;
  iface->get_info = broken_get_info;
  iface->start = broken_start;
  iface->stop = broken_stop;
  iface->deliver_async = broken_deliver_async;
  iface->deliver_finish = broken_deliver_finish;
}

G_MODULE_EXPORT void peas_register_types (PeasObjectModule *module);

/* Registered by hand: each module needs a type name of its own, as all of
 * them are loaded into one hub. */
G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  static const GTypeInfo info = {
    .class_size = sizeof (BrokenChannelClass),
    .class_init = broken_class_init,
    .instance_size = sizeof (BrokenChannel),
    .instance_init = broken_init,
  };
  static const GInterfaceInfo iface = { .interface_init = broken_iface_init };

  broken_channel_type = g_type_module_register_type (G_TYPE_MODULE (module), G_TYPE_OBJECT,
                                                     "ParleyBrokenChannel-" BROKEN_KIND, &info, 0);
  g_type_module_add_interface (G_TYPE_MODULE (module), broken_channel_type, PARLEY_TYPE_CHANNEL, &iface);
  peas_object_module_register_extension_type (module, PARLEY_TYPE_CHANNEL, broken_channel_type);
}
