/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-chat-channel"

#include "config.h"

#include <stdio.h>

#include <libpeas/peas.h>

#include "parley.h"
#include "parley-chat-resources.h"
#include "parley-cobrowse-relay.h"
#include "parley-net-private.h"
#include "parley-rate-limiter.h"
#include "parley-socket-pool.h"
#include "parley-visitor-frame.h"

/* The web chat channel: a widget any site embeds with one script tag, and
 * the visitor's WebSocket behind it.
 *
 * Served under /api/v1/channels/chat/ (the channel's own routes):
 * widget.js, widget.css, demo and demo/basket (a demo shop that embeds
 * the widget), and rrweb-record.js, which the widget loads only once a
 * visitor agrees to co-browse. The visitor socket is visitor and speaks
 * JSON:
 *
 *   → {"type":"hello","site","token"?,"name"?,"email"?,"identity"?:{"email","signature"},
 *      "page":{"url","title"}}
 *   ← {"type":"welcome","token","visitor","available","reason"?}
 *                                               the token is kept by the browser
 *   ← {"type":"history","messages":[{"event","direction","text","id"?,"author"?,
 *                                    "attachment"?,"survey"?}]}
 *                                               the latest messages with this visitor,
 *                                               oldest first; id: the browser's own id
 *                                               of a message the visitor sent
 *   ← {"type":"availability","available","reason"?} when that changes
 *   → {"type":"profile","name"?,"email"?}      the optional pre-chat form
 *   ← {"type":"profile","name","email"}
 *   → {"type":"message","id","text","page"?,"attachment"?}
 *                                               id: the browser's own message id;
 *                                               attachment: an id from the upload below
 *   ← {"type":"ack","id","event","duplicate"}   only once the message is committed
 *   ← {"type":"message","event","text","author","attachment"?} an agent's reply;
 *                                               attachment: {id,name,type,size}, a file
 *                                               to fetch as below
 *   ↔ {"type":"typing","typing","author"?}      typing, both ways
 *   → {"type":"read","event"}                   the visitor has seen the agents' messages up to event
 *   ← {"type":"read","up_to"}                   an agent has seen the visitor's messages up to event
 *   → {"type":"leave"}                          the visitor ends the chat ("End chat")
 *   ← {"type":"message",…,"survey":{…}}          a survey question: the widget shows
 *                                               buttons; the answer comes back as an
 *                                               ordinary message ("9")
 *   ← {"type":"error","code","message"}
 *   ← {"type":"ping"}                          now and then, so that proxies keep
 *                                               the socket open; nothing to answer
 *   ↔ {"type":"cobrowse_…"}                   co-browse (parley-cobrowse-relay.c)
 *
 * An email travels with each message as a linked identity. Only one the
 * site signed ("identity": the HMAC-SHA256 of the email under the
 * identity-secret, in hex, for a user the site has signed in) links the
 * visitor to the customer with that email, so the chat lands in the same
 * history as their emails and calls. An email typed into the pre-chat form
 * could be anyone's: the hub records it as a suggested match an agent may
 * confirm, and the visitor sees nothing of that customer until then.
 *
 * A message sent again after a reconnect carries the same id, so the hub
 * stores it once (the event's external id is visitor:id) and acks it again.
 * Agent replies go to every socket the visitor has open; with none open the
 * delivery fails and the hub retries it.
 *
 * Files: POST /api/v1/channels/chat/attachments with the visitor's token in
 * X-Parley-Visitor, the file name (percent-encoded) in X-Parley-Filename and
 * the file as the body: PNG, JPEG, GIF, PDF or plain text (checked against
 * the bytes, not only the declared type), up to 5 MiB, 10 a minute per
 * visitor. Answers 201 {"attachment":{"id","name","type","size"}}.
 * GET /api/v1/channels/chat/attachments/{id} with the token the same way
 * (or as Authorization: Bearer) downloads a file the visitor sent or an
 * agent sent in one of their conversations; anyone else's is 404. Files
 * come as downloads (Content-Disposition: attachment, nosniff), never as
 * pages. Both answer cross-origin requests from the allowed origins.
 *
 * Settings (`parleyctl set chat KEY VALUE`): site-key (the public key in the
 * script tag, required), secret (signs visitor tokens, required),
 * allowed-origins (comma-separated origins allowed to open the socket, "*"
 * for any; the hub's own pages, by its public-url and the address it
 * listens on, always may), business-hours (e.g.
 * "mon-fri 09:00-17:30, sat 10:00-14:00" in the hub's local time; default:
 * always open), abandon-after (seconds a visitor may be gone, all pages
 * closed, before a chat still waiting for an agent counts as abandoned;
 * default 60), address-rate (messages a second all visitors from one
 * address may send together, in bursts of five seconds' worth; default 20),
 * identity-secret (16+ characters; signs the identities a site passes for
 * its signed-in users; without it every email is only a suggestion).
 * Behind a reverse proxy, the hub's trusted-proxies setting ([hub] in
 * parleyd.conf) makes X-Forwarded-For give each visitor's address.
 *
 * Outside business hours, or with no agent available for chat, the widget
 * says so ("closed" or "no_agents") and still takes messages: they queue
 * like any other and are answered when someone is back. */

#define ATTACHMENTS_PER_MINUTE 10
/* All visitors from one address together, in any minute. */
#define ADDRESS_ATTACHMENTS_PER_MINUTE 30
#define MAX_FRAME_SIZE (16 * 1024)
#define TOKEN_MAX_AGE_SECONDS (365 * 24 * 3600)
/* A visitor (all their pages together) may send a burst of RATE_BURST
 * messages, then RATE_PER_SECOND. All visitors from one address together
 * may send address-rate a second (a setting: many people may share an
 * office's address) in bursts of ADDRESS_BURST_SECONDS of it. */
#define RATE_BURST 10.0
#define RATE_PER_SECOND 2.0
#define DEFAULT_ADDRESS_RATE 20
#define ADDRESS_BURST_SECONDS 5
/* Read receipts: a widget sends one per message it shows, so a burst of
 * READ_BURST then READ_PER_SECOND is plenty; more are dropped. Only the
 * latest per visitor is passed on, every READ_BATCH_MS at most. */
#define READ_BURST 20.0
#define READ_PER_SECOND 5.0
#define READ_BATCH_MS 250
#define AVAILABILITY_CHECK_SECONDS 2
#define DEFAULT_ABANDON_AFTER_SECONDS 60
#define ABANDONS_PER_PASS 64
/* How many of the latest messages a widget gets back on a new page. */
#define HISTORY_LENGTH 50

#define PARLEY_TYPE_CHAT_CHANNEL (parley_chat_channel_get_type ())
G_DECLARE_FINAL_TYPE (ParleyChatChannel, parley_chat_channel, PARLEY, CHAT_CHANNEL, GObject)

struct _ParleyChatChannel
{
  GObject     parent_instance;

  ParleyHost *host;
  ParleyChannelInfo *info;
  char       *site_key;
  char       *secret;
  char       *identity_secret;  /* the site signs its users' emails with it; NULL: none */
  GStrv       allowed_origins;
  GHashTable *visitors;  /* visitor id → GPtrArray of ParleyChatVisitor */
  GHashTable *uploads;   /* visitor id → GArray of gint64, upload times this minute */
  GHashTable *reads;     /* visitor id → ParleyChatRead */
  guint       reads_source;  /* passes the pending reads on */
  GQueue      leaving;   /* ParleyChatLeaving, the first due first */
  GHashTable *leaving_links;  /* visitor id → its link in leaving */
  guint       leaving_source; /* when the first is due */
  guint       abandon_after;
  ParleyCobrowseRelay *cobrowse;
  ParleySocketPool *sockets;  /* where the visitor sockets live */
  ParleyRateLimiter *visitor_rate;  /* by visitor id */
  ParleyRateLimiter *address_rate;  /* by the address sockets come from */
  ParleyRateLimiter *read_rate;     /* read receipts, by visitor id */
  ParleyRateLimiter *upload_rate;   /* uploads, by the address they come from */
  GArray     *hours;     /* OpenSpan; empty: always open */
  const char *unavailable_reason;  /* NULL while someone answers */
  guint       availability_source;
  gboolean    started;
};

/* Open on weekday (1 = Monday … 7 = Sunday) from..until minutes after midnight. */
typedef struct
{
  guint weekday;
  guint from;
  guint until;
} OpenSpan;

/* How far a visitor has read the agents' messages. */
typedef struct
{
  gint64 passed;   /* the last event passed on to the agents */
  gint64 pending;  /* a later one, to pass on with the next batch; 0: none */
} ParleyChatRead;

/* One open visitor socket. */
typedef struct
{
  ParleyChatChannel       *channel;
  SoupWebsocketConnection *connection;
  char                    *visitor_id;  /* NULL until hello */
  char                    *name;
  char                    *email;       /* normalized: signed by the site, or typed */
  gboolean                 email_verified;  /* the site signed it (identity-secret) */
  char                    *address;     /* where the socket comes from */
  gint64                   typing_at;    /* monotonic time of the last typing passed on */
} ParleyChatVisitor;

enum {
  PROP_0,
  PROP_HOST,
};

static void parley_chat_channel_iface_init (ParleyChannelInterface *iface);

G_DEFINE_DYNAMIC_TYPE_EXTENDED (ParleyChatChannel, parley_chat_channel, G_TYPE_OBJECT, G_TYPE_FLAG_FINAL,
                                G_IMPLEMENT_INTERFACE_DYNAMIC (PARLEY_TYPE_CHANNEL, parley_chat_channel_iface_init))

/* ---- visitor tokens ------------------------------------------------------ */

static char *
token_signature (ParleyChatChannel *self,
                 const char        *payload)
{
  return g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) self->secret, strlen (self->secret), payload, -1);
}

/* "VISITOR.ISSUED.SIGNATURE" */
static char *
token_new (ParleyChatChannel *self,
           const char        *visitor_id)
{
  g_autofree char *payload = g_strdup_printf ("%s.%" G_GINT64_FORMAT, visitor_id, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *signature = token_signature (self, payload);

  return g_strdup_printf ("%s.%s", payload, signature);
}

/* The visitor id in @token if it is ours and not expired, else NULL. */
static char *
token_verify (ParleyChatChannel *self,
              const char        *token)
{
  g_auto(GStrv) parts = token ? g_strsplit (token, ".", -1) : NULL;
  g_autofree char *payload = NULL;
  g_autofree char *expected = NULL;
  gint64 issued;

  if (parts == NULL || g_strv_length (parts) != 3 ||
      !g_ascii_string_to_signed (parts[1], 10, 0, G_MAXINT64, &issued, NULL))
    return NULL;
  payload = g_strdup_printf ("%s.%s", parts[0], parts[1]);
  expected = token_signature (self, payload);
  if (!parley_crypto_equal (expected, parts[2]))
    return NULL;
  if (g_get_real_time () / G_USEC_PER_SEC - issued > TOKEN_MAX_AGE_SECONDS)
    return NULL;
  return g_strdup (parts[0]);
}

/* ---- availability ------------------------------------------------------------ */

static gboolean
parse_clock (const char *text,
             guint      *minutes)
{
  guint hours, mins;
  char end;

  if (sscanf (text, "%2u:%2u%c", &hours, &mins, &end) != 2 || hours > 24 || mins > 59 || hours * 60 + mins > 24 * 60)
    return FALSE;
  *minutes = hours * 60 + mins;
  return TRUE;
}

static guint
parse_weekday (const char *text)
{
  static const char *days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    if (g_ascii_strcasecmp (text, days[i]) == 0)
      return i + 1;
  return 0;
}

/* "mon-fri 09:00-17:30, sat 10:00-14:00" */
static gboolean
parse_hours (const char  *text,
             GArray      *hours,
             GError     **error)
{
  g_auto(GStrv) spans = g_strsplit (text, ",", -1);

  for (guint i = 0; spans[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_strstrip (spans[i]), " ", 2);
      g_auto(GStrv) days = NULL;
      g_auto(GStrv) times = NULL;
      guint first, last, from, until;

      if (g_strv_length (parts) != 2 ||
          !(days = g_strsplit (parts[0], "-", 2)) || !(times = g_strsplit (g_strstrip (parts[1]), "-", 2)) ||
          g_strv_length (times) != 2 ||
          !(first = parse_weekday (days[0])) || !(last = days[1] ? parse_weekday (days[1]) : first) ||
          !parse_clock (times[0], &from) || !parse_clock (times[1], &until) || from >= until)
        {
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                       "chat business-hours: cannot read “%s” (expected e.g. “mon-fri 09:00-17:30”)", spans[i]);
          return FALSE;
        }
      for (guint day = first; ; day = day % 7 + 1)
        {
          OpenSpan span = { day, from, until };

          g_array_append_val (hours, span);
          if (day == last)
            break;
        }
    }
  return TRUE;
}

static gboolean
open_now (ParleyChatChannel *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  guint weekday = g_date_time_get_day_of_week (now);
  guint minute = g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now);

  if (self->hours->len == 0)
    return TRUE;
  for (guint i = 0; i < self->hours->len; i++)
    {
      OpenSpan *span = &g_array_index (self->hours, OpenSpan, i);

      if (span->weekday == weekday && minute >= span->from && minute < span->until)
        return TRUE;
    }
  return FALSE;
}

/* NULL while someone answers chat, else why not. */
static const char *
unavailable_reason (ParleyChatChannel *self)
{
  if (!open_now (self))
    return "closed";
  if (parley_host_count_staffing (self->host, "chat") == 0)
    return "no_agents";
  return NULL;
}

static void
set_availability (JsonObject  *object,
                  const char  *reason)
{
  json_object_set_boolean_member (object, "available", reason == NULL);
  if (reason)
    json_object_set_string_member (object, "reason", reason);
}

static void send_object (ParleyChatVisitor *visitor, JsonObject *object);

static gboolean
check_availability_cb (gpointer user_data)
{
  ParleyChatChannel *self = user_data;
  const char *reason = unavailable_reason (self);
  g_autoptr(JsonObject) message = NULL;
  GHashTableIter iter;
  GPtrArray *sockets;

  if (g_strcmp0 (reason, self->unavailable_reason) == 0)
    return G_SOURCE_CONTINUE;
  self->unavailable_reason = reason;
  message = json_object_new ();
  json_object_set_string_member (message, "type", "availability");
  set_availability (message, reason);
  g_hash_table_iter_init (&iter, self->visitors);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &sockets))
    for (guint i = 0; i < sockets->len; i++)
      send_object (g_ptr_array_index (sockets, i), message);
  return G_SOURCE_CONTINUE;
}

/* ---- sending --------------------------------------------------------------- */

static void
send_object (ParleyChatVisitor *visitor,
             JsonObject        *object)
{
  parley_websocket_send_object (visitor->connection, object);
}

static void
send_error (ParleyChatVisitor *visitor,
            const char        *code,
            const char        *message)
{
  parley_websocket_send_error (visitor->connection, code, message);
}

/* ---- the visitor's messages -------------------------------------------------- */

typedef struct
{
  ParleyChatVisitor *visitor;  /* NULL once the socket has closed */
  char              *client_id;
} ParleyChatPending;

static GPtrArray *
visitor_sockets (ParleyChatChannel *self,
                 const char        *visitor_id)
{
  return g_hash_table_lookup (self->visitors, visitor_id);
}

/* The sockets of a visitor, for the co-browse relay. */
static GPtrArray *
visitor_connections (gpointer    data,
                     const char *visitor_id)
{
  GPtrArray *sockets = visitor_sockets (data, visitor_id);
  GPtrArray *connections = g_ptr_array_new ();

  for (guint i = 0; sockets && i < sockets->len; i++)
    g_ptr_array_add (connections, ((ParleyChatVisitor *) g_ptr_array_index (sockets, i))->connection);
  return connections;
}

static GPtrArray *
visitor_pending (ParleyChatVisitor *visitor)
{
  return g_object_get_data (G_OBJECT (visitor->connection), "parley-chat-pending-list");
}

static void
submitted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ParleyInbound) inbound = user_data;
  ParleyChatPending *pending = g_object_get_data (G_OBJECT (inbound), "parley-chat-pending");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) ack = json_object_new ();

  if (pending->visitor == NULL)
    {
      /* The socket closed meanwhile: the browser sends the message again
       * when it reconnects and gets its ack then. */
      parley_host_submit_finish (PARLEY_HOST (source), result, NULL);
      return;
    }
  g_ptr_array_remove (visitor_pending (pending->visitor), pending);
  if (!parley_host_submit_finish (PARLEY_HOST (source), result, &error))
    {
      send_error (pending->visitor, "invalid", error->message);
      return;
    }
  json_object_set_string_member (ack, "type", "ack");
  json_object_set_string_member (ack, "id", pending->client_id);
  json_object_set_int_member (ack, "event", parley_inbound_get_event_id (inbound));
  json_object_set_boolean_member (ack, "duplicate", parley_inbound_get_duplicate (inbound));
  send_object (pending->visitor, ack);
}

static void
pending_free (ParleyChatPending *pending)
{
  g_free (pending->client_id);
  g_free (pending);
}

static JsonObject *
page_metadata (ParleyVisitorFrame *frame)
{
  JsonObject *metadata = json_object_new ();

  if (frame->page_url)
    json_object_set_string_member (metadata, "page_url", frame->page_url);
  if (frame->page_title)
    json_object_set_string_member (metadata, "page_title", frame->page_title);
  return metadata;
}

static void
handle_message (ParleyChatVisitor  *visitor,
                ParleyVisitorFrame *frame)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) metadata = NULL;
  g_autoptr(JsonNode) metadata_node = NULL;
  g_autofree char *metadata_text = NULL;
  g_autofree char *external_id = NULL;
  ParleyInbound *inbound;
  ParleyChatPending *pending;

  if (visitor->visitor_id == NULL)
    {
      send_error (visitor, "invalid", "Say hello first");
      return;
    }
  if (!parley_rate_limiter_take (visitor->channel->visitor_rate, visitor->visitor_id))
    {
      send_error (visitor, "rate_limited", "You are sending messages too fast; please wait a moment");
      return;
    }
  if (!parley_rate_limiter_take (visitor->channel->address_rate, visitor->address))
    {
      send_error (visitor, "rate_limited", "Too many messages are coming from your network; please wait a moment");
      return;
    }

  metadata = page_metadata (frame);
  if (frame->attachment)
    {
      g_autoptr(JsonObject) attachment = parley_host_get_attachment (visitor->channel->host, frame->attachment, NULL);

      if (attachment == NULL || g_strcmp0 (json_object_get_string_member (attachment, "owner"), visitor->visitor_id) != 0)
        {
          send_error (visitor, "invalid", "That attachment was not uploaded by you");
          return;
        }
      json_object_set_object_member (metadata, "attachment", parley_attachment_summary (attachment));
    }
  metadata_node = json_node_init_object (json_node_alloc (), metadata);
  metadata_text = parley_json_to_string (metadata_node);
  external_id = g_strdup_printf ("%s:%s", visitor->visitor_id, frame->id);
  inbound = parley_inbound_new ("chat", "chat", visitor->visitor_id);
  parley_inbound_set_display_name (inbound, visitor->name);
  parley_inbound_set_text (inbound, frame->text);
  parley_inbound_set_external_id (inbound, external_id);
  parley_inbound_set_metadata (inbound, metadata_text);
  if (visitor->email)
    {
      parley_inbound_set_linked_identity (inbound, "email", visitor->email);
      parley_inbound_set_linked_identity_verified (inbound, visitor->email_verified);
    }

  pending = g_new0 (ParleyChatPending, 1);
  pending->visitor = visitor;
  pending->client_id = g_strdup (frame->id);
  g_object_set_data_full (G_OBJECT (inbound), "parley-chat-pending", pending, (GDestroyNotify) pending_free);
  g_ptr_array_add (visitor_pending (visitor), pending);
  parley_host_submit_async (visitor->channel->host, inbound, NULL, submitted_cb, inbound);
}

/* Typing goes to the agents as it comes, at most a few times a second per
 * socket (anything faster is dropped: the next one says the same). */
static void
handle_typing (ParleyChatVisitor  *visitor,
               ParleyVisitorFrame *frame)
{
  g_autoptr(JsonObject) details = json_object_new ();
  gint64 now = g_get_monotonic_time ();

  if (visitor->visitor_id == NULL)
    {
      send_error (visitor, "invalid", "Say hello first");
      return;
    }
  if (now - visitor->typing_at < G_USEC_PER_SEC / 4)
    return;
  visitor->typing_at = now;
  json_object_set_boolean_member (details, "typing", frame->typing);
  parley_host_push_activity (visitor->channel->host, "chat", "chat", visitor->visitor_id, "typing", details);
}

/* Passes a visitor's latest read on: the hub records it (a transaction)
 * and tells the agents. */
static void
pass_read (ParleyChatChannel *self,
           const char        *visitor_id,
           ParleyChatRead    *read)
{
  g_autoptr(JsonObject) details = json_object_new ();

  json_object_set_int_member (details, "up_to", read->pending);
  read->passed = read->pending;
  read->pending = 0;
  parley_host_push_activity (self->host, "chat", "chat", visitor_id, "read", details);
}

static gboolean
pass_reads_cb (gpointer user_data)
{
  ParleyChatChannel *self = user_data;
  GHashTableIter iter;
  const char *visitor_id;
  ParleyChatRead *read;

  self->reads_source = 0;
  g_hash_table_iter_init (&iter, self->reads);
  while (g_hash_table_iter_next (&iter, (gpointer *) &visitor_id, (gpointer *) &read))
    if (read->pending > 0)
      pass_read (self, visitor_id, read);
  return G_SOURCE_REMOVE;
}

/* The last socket of a visitor closed: what they read last goes now, and
 * the rest is forgotten. */
static void
forget_reads (ParleyChatChannel *self,
              const char        *visitor_id)
{
  ParleyChatRead *read = g_hash_table_lookup (self->reads, visitor_id);

  if (read == NULL)
    return;
  if (read->pending > 0)
    pass_read (self, visitor_id, read);
  g_hash_table_remove (self->reads, visitor_id);
}

/* A widget says it has shown the agents' messages up to an event. A flood
 * of them costs little: past a burst they are dropped, one that says
 * nothing new is dropped, and only the latest of a batch is recorded. */
static void
handle_read (ParleyChatVisitor  *visitor,
             ParleyVisitorFrame *frame)
{
  ParleyChatChannel *self = visitor->channel;
  ParleyChatRead *read;

  if (visitor->visitor_id == NULL)
    {
      send_error (visitor, "invalid", "Say hello first");
      return;
    }
  if (!parley_rate_limiter_take (self->read_rate, visitor->visitor_id))
    return;
  read = g_hash_table_lookup (self->reads, visitor->visitor_id);
  if (read == NULL)
    {
      read = g_new0 (ParleyChatRead, 1);
      g_hash_table_insert (self->reads, g_strdup (visitor->visitor_id), read);
    }
  if (frame->event <= MAX (read->passed, read->pending))
    return;
  read->pending = frame->event;
  if (self->reads_source == 0)
    self->reads_source = g_timeout_add (READ_BATCH_MS, pass_reads_cb, self);
}

/* Takes the name and email a visitor gave; FALSE (and an error sent) if
 * they do not look right. */
static gboolean
take_profile (ParleyChatVisitor  *visitor,
              ParleyVisitorFrame *frame)
{
  const char *name = frame->name;
  const char *email = frame->email;
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;

  if (name && (g_utf8_strlen (name, -1) > 100 || strpbrk (name, "\r\n")))
    {
      send_error (visitor, "invalid", "A name has at most 100 characters on one line");
      return FALSE;
    }
  if (email && *email && !(normalized = parley_identity_normalize ("email", email, NULL, &error)))
    {
      send_error (visitor, "invalid_email", "That email address does not look right");
      return FALSE;
    }
  if (name && *name)
    {
      g_free (visitor->name);
      visitor->name = g_strdup (name);
    }
  /* A typed email never replaces the one the site vouched for. */
  if (normalized && !visitor->email_verified)
    {
      g_free (visitor->email);
      visitor->email = g_steal_pointer (&normalized);
    }
  return TRUE;
}

/* The identity the site passes for a user it has signed in:
 * {"email","signature"}, the signature being HMAC-SHA256 of the email, as
 * given, under the identity-secret, in hex. Only such an email links the
 * visitor to the customer who has it; a typed one is a suggestion for an
 * agent. A wrong signature is refused and the visitor stays anonymous. */
static void
take_identity (ParleyChatVisitor  *visitor,
               ParleyVisitorFrame *frame)
{
  ParleyChatChannel *self = visitor->channel;
  const char *email = frame->identity_email;
  const char *signature = frame->identity_signature;
  g_autofree char *expected = NULL;
  g_autofree char *given = NULL;
  g_autofree char *normalized = NULL;

  if (email == NULL)
    return;
  if (self->identity_secret != NULL)
    {
      expected = parley_crypto_hmac_sha256_hex ((const guchar *) self->identity_secret, strlen (self->identity_secret),
                                                email, strlen (email));
      given = g_ascii_strdown (signature, -1);
    }
  if (expected == NULL || !parley_crypto_equal (expected, given) ||
      !(normalized = parley_identity_normalize ("email", email, NULL, NULL)))
    {
      send_error (visitor, "identity_rejected", "The signed identity does not verify; chatting anonymously");
      return;
    }
  g_free (visitor->email);
  visitor->email = g_steal_pointer (&normalized);
  visitor->email_verified = TRUE;
}

static void
handle_profile (ParleyChatVisitor  *visitor,
                ParleyVisitorFrame *frame)
{
  g_autoptr(JsonObject) answer = json_object_new ();

  if (visitor->visitor_id == NULL)
    {
      send_error (visitor, "invalid", "Say hello first");
      return;
    }
  if (!take_profile (visitor, frame))
    return;
  json_object_set_string_member (answer, "type", "profile");
  json_object_set_string_member (answer, "name", visitor->name);
  if (visitor->email)
    json_object_set_string_member (answer, "email", visitor->email);
  send_object (visitor, answer);
}

/* The visitor gave up: a chat still waiting for an agent ends abandoned. */
static void
abandon (ParleyChatChannel *self,
         const char        *visitor_id)
{
  g_autoptr(GError) error = NULL;

  if (parley_host_abandon (self->host, "chat", "chat", visitor_id, &error) < 0)
    g_warning ("Could not record that %s left: %s", visitor_id, error->message);
}

/* A visitor whose last page closed, abandoned at @due unless back before. */
typedef struct
{
  char   *visitor_id;
  gint64  due;         /* monotonic */
} ParleyChatLeaving;

static void
leaving_free (ParleyChatLeaving *leaving)
{
  g_free (leaving->visitor_id);
  g_free (leaving);
}

static gboolean gone_cb (gpointer data);

/* One timer for all who are leaving, due when the oldest is: thousands of
 * timers would each cost every main-loop pass some work. */
static void
schedule_gone (ParleyChatChannel *self)
{
  ParleyChatLeaving *oldest = g_queue_peek_head (&self->leaving);
  gint64 wait;

  g_clear_handle_id (&self->leaving_source, g_source_remove);
  if (oldest == NULL)
    return;
  wait = MAX (0, oldest->due - g_get_monotonic_time ());
  self->leaving_source = g_timeout_add ((guint) ((wait + 999) / 1000), gone_cb, self);
}

static gboolean
gone_cb (gpointer data)
{
  ParleyChatChannel *self = data;
  gint64 now = g_get_monotonic_time ();
  ParleyChatLeaving *oldest;

  self->leaving_source = 0;
  /* A crowd that left at once is recorded a share at a time, so that chats
   * go on meanwhile. */
  for (guint budget = ABANDONS_PER_PASS; budget > 0 && (oldest = g_queue_peek_head (&self->leaving)) &&
                                         oldest->due <= now; budget--)
    {
      g_queue_pop_head (&self->leaving);
      g_hash_table_remove (self->leaving_links, oldest->visitor_id);
      abandon (self, oldest->visitor_id);
      leaving_free (oldest);
    }
  schedule_gone (self);
  return G_SOURCE_REMOVE;
}

/* Back in time (or leaving for good some other way). */
static void
stop_leaving (ParleyChatChannel *self,
              const char        *visitor_id)
{
  GList *link = g_hash_table_lookup (self->leaving_links, visitor_id);

  if (link == NULL)
    return;
  g_hash_table_remove (self->leaving_links, visitor_id);
  leaving_free (link->data);
  g_queue_delete_link (&self->leaving, link);
}

/* The last page with the widget closed. Moving to another page of the shop
 * closes one socket and opens the next, so wait a while before deciding
 * the visitor is gone. Every wait is as long, so the queue stays in the
 * order the visitors are due. */
static void
start_leaving (ParleyChatChannel *self,
               const char        *visitor_id)
{
  ParleyChatLeaving *leaving = g_new0 (ParleyChatLeaving, 1);

  stop_leaving (self, visitor_id);
  leaving->visitor_id = g_strdup (visitor_id);
  leaving->due = g_get_monotonic_time () + (gint64) self->abandon_after * G_USEC_PER_SEC;
  g_queue_push_tail (&self->leaving, leaving);
  g_hash_table_insert (self->leaving_links, leaving->visitor_id, g_queue_peek_tail_link (&self->leaving));
  if (self->leaving_source == 0)
    schedule_gone (self);
}

/* The conversation so far, so that the widget on a new page (or after a
 * reload) shows what it showed before: the visitor's own messages under
 * the id their browser gave them, the agents' under their event. */
static void
send_history (ParleyChatVisitor *visitor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = parley_host_list_messages_with (visitor->channel->host, "chat", "chat",
                                                                visitor->visitor_id, HISTORY_LENGTH, &error);
  g_autoptr(JsonObject) history = json_object_new ();
  JsonArray *messages = json_array_new ();

  if (events == NULL)
    {
      g_warning ("No history for %s: %s", visitor->visitor_id, error->message);
      json_array_unref (messages);
      return;
    }
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *event = g_ptr_array_index (events, i);
      JsonObject *metadata = json_object_get_object_member (event, "metadata");
      JsonObject *message = json_object_new ();
      const char *external_id = json_object_get_string_member_with_default (event, "external_id", NULL);
      gboolean inbound = g_str_equal (json_object_get_string_member (event, "direction"), "in");

      json_object_set_int_member (message, "event", json_object_get_int_member (event, "id"));
      json_object_set_string_member (message, "direction", inbound ? "in" : "out");
      json_object_set_string_member (message, "text", json_object_get_string_member_with_default (event, "text", ""));
      if (inbound && external_id && strchr (external_id, ':'))
        json_object_set_string_member (message, "id", strchr (external_id, ':') + 1);
      if (!inbound)
        json_object_set_string_member (message, "author",
                                       json_object_get_string_member_with_default (event, "author_name", ""));
      if (json_object_has_member (metadata, "attachment"))
        json_object_set_member (message, "attachment", json_object_dup_member (metadata, "attachment"));
      if (json_object_has_member (metadata, "survey"))
        json_object_set_member (message, "survey", json_object_dup_member (metadata, "survey"));
      json_array_add_object_element (messages, message);
    }
  json_object_set_string_member (history, "type", "history");
  json_object_set_array_member (history, "messages", messages);
  send_object (visitor, history);
}

static void
handle_hello (ParleyChatVisitor  *visitor,
              ParleyVisitorFrame *frame)
{
  ParleyChatChannel *self = visitor->channel;
  g_autoptr(JsonObject) welcome = json_object_new ();
  g_autofree char *token = NULL;
  char *visitor_id;
  GPtrArray *sockets;

  if (visitor->visitor_id != NULL)
    {
      send_error (visitor, "invalid", "Hello was already said");
      return;
    }
  if (g_strcmp0 (frame->site, self->site_key) != 0)
    {
      send_error (visitor, "unknown_site", "This site is not set up for chat");
      soup_websocket_connection_close (visitor->connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "unknown site");
      return;
    }
  visitor_id = token_verify (self, frame->token);
  if (visitor_id == NULL)
    {
      /* New, forged or expired: a new anonymous visitor. */
      g_autofree char *uuid = g_uuid_string_random ();

      visitor_id = g_strdup_printf ("visitor-%s", uuid);
    }
  visitor->visitor_id = visitor_id;
  stop_leaving (self, visitor_id);
  visitor->name = g_strdup ("Visitor");
  take_identity (visitor, frame);
  take_profile (visitor, frame);

  sockets = visitor_sockets (self, visitor_id);
  if (sockets == NULL)
    {
      sockets = g_ptr_array_new ();
      g_hash_table_insert (self->visitors, g_strdup (visitor_id), sockets);
    }
  g_ptr_array_add (sockets, visitor);

  token = token_new (self, visitor_id);
  json_object_set_string_member (welcome, "type", "welcome");
  json_object_set_string_member (welcome, "token", token);
  json_object_set_string_member (welcome, "visitor", visitor_id);
  self->unavailable_reason = unavailable_reason (self);
  set_availability (welcome, self->unavailable_reason);
  send_object (visitor, welcome);
  send_history (visitor);
}

static void
handle_frame (ParleyChatVisitor       *visitor,
              SoupWebsocketConnection *connection,
              int                      type,
              GBytes                  *message)
{
  ParleyChatChannel *self = visitor->channel;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParleyVisitorFrame) frame = NULL;
  gsize size;
  const char *data = g_bytes_get_data (message, &size);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      send_error (visitor, "invalid", "Messages are JSON text in UTF-8");
      return;
    }
  if (!(frame = parley_visitor_frame_parse (data, size, self->cobrowse ? parley_cobrowse_relay_max_depth (self->cobrowse, connection)
                                                                       : PARLEY_JSON_MAX_DEPTH, &error)))
    {
      send_error (visitor, "invalid", error->message);
      return;
    }
  switch (frame->kind)
    {
    case PARLEY_VISITOR_FRAME_HELLO:
      handle_hello (visitor, frame);
      break;
    case PARLEY_VISITOR_FRAME_MESSAGE:
      handle_message (visitor, frame);
      break;
    case PARLEY_VISITOR_FRAME_PROFILE:
      handle_profile (visitor, frame);
      break;
    case PARLEY_VISITOR_FRAME_COBROWSE:
      if (visitor->visitor_id && self->cobrowse)
        parley_cobrowse_relay_visitor_frame (self->cobrowse, connection, visitor->visitor_id,
                                             frame->type, frame->body, message);
      else
        send_error (visitor, "invalid", "Say hello first");
      break;
    case PARLEY_VISITOR_FRAME_TYPING:
      handle_typing (visitor, frame);
      break;
    case PARLEY_VISITOR_FRAME_READ:
      handle_read (visitor, frame);
      break;
    case PARLEY_VISITOR_FRAME_LEAVE:
      if (visitor->visitor_id)
        abandon (self, visitor->visitor_id);
      break;
    case PARLEY_VISITOR_FRAME_PING:
      break;  /* pings only keep the socket open */
    }
}

/* The socket signals below come while its shard of the socket pool is the
 * thread-default context; what they start (commits, deliveries, timers)
 * belongs to the main context. */
static void
visitor_message_cb (SoupWebsocketConnection *connection,
                    int                      type,
                    GBytes                  *message,
                    ParleyChatVisitor       *visitor)
{
  g_main_context_push_thread_default (NULL);
  handle_frame (visitor, connection, type, message);
  g_main_context_pop_thread_default (NULL);
}

static void
forget_visitor (ParleyChatVisitor       *visitor,
                SoupWebsocketConnection *connection)
{
  GPtrArray *pending = visitor_pending (visitor);
  GPtrArray *sockets = visitor->visitor_id ? visitor_sockets (visitor->channel, visitor->visitor_id) : NULL;

  if (visitor->channel->cobrowse)
    parley_cobrowse_relay_visitor_closed (visitor->channel->cobrowse, connection);
  /* Messages still being committed finish without anyone to ack. */
  for (guint i = 0; i < pending->len; i++)
    ((ParleyChatPending *) g_ptr_array_index (pending, i))->visitor = NULL;
  if (sockets)
    {
      g_ptr_array_remove (sockets, visitor);
      if (sockets->len == 0)
        {
          forget_reads (visitor->channel, visitor->visitor_id);
          start_leaving (visitor->channel, visitor->visitor_id);
          g_hash_table_remove (visitor->channel->visitors, visitor->visitor_id);
        }
    }
  g_object_unref (visitor->channel);
  g_free (visitor->visitor_id);
  g_free (visitor->name);
  g_free (visitor->email);
  g_free (visitor->address);
  g_free (visitor);
  g_object_unref (connection);
}

static void
visitor_closed_cb (SoupWebsocketConnection *connection,
                   ParleyChatVisitor       *visitor)
{
  g_main_context_push_thread_default (NULL);
  forget_visitor (visitor, connection);
  g_main_context_pop_thread_default (NULL);
}

/* Where a visitor's socket comes from: the peer, or behind one of the
 * hub's trusted proxies, the address it was forwarded for. */
static char *
visitor_address (ParleyChatChannel *self,
                 SoupServerMessage *msg)
{
  return parley_host_dup_client_address (self->host, msg);
}

/* Browsers say which page opens a socket or sends a file: the hub's own
 * pages may (by the origins it is configured with and listens on, never
 * by the Host header, which a rebound name controls), and so may the
 * allowed origins. Origins compare as normalised (case, default ports,
 * IPv6 brackets). */
static gboolean
origin_allowed (ParleyChatChannel *self,
                SoupServerMessage *msg)
{
  const char *origin = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Origin");
  g_autofree char *normalized = NULL;

  if (origin == NULL)
    return TRUE;  /* not a browser */
  if (self->allowed_origins && g_strv_contains ((const char * const *) self->allowed_origins, "*"))
    return TRUE;
  if (!(normalized = parley_origin_normalize (origin, NULL)))
    return FALSE;
  return (self->allowed_origins && g_strv_contains ((const char * const *) self->allowed_origins, normalized)) ||
         parley_host_is_own_origin (self->host, normalized);
}

/* allowed-origins: "*", or origins (or URLs) kept normalised. */
static GStrv
parse_allowed_origins (const char  *text,
                       GError     **error)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);
  g_autoptr(GStrvBuilder) origins = g_strv_builder_new ();

  for (guint i = 0; items[i]; i++)
    {
      const char *item = g_strstrip (items[i]);
      g_autofree char *origin = NULL;

      if (*item == '\0')
        continue;
      if (g_str_equal (item, "*"))
        origin = g_strdup (item);
      else if (!(origin = parley_origin_normalize (item, error)))
        {
          g_prefix_error (error, "chat allowed-origins: ");
          return NULL;
        }
      g_strv_builder_add (origins, origin);
    }
  return g_strv_builder_end (origins);
}

static void
visitor_socket_cb (SoupServer              *server,
                   SoupServerMessage       *msg,
                   const char              *path,
                   SoupWebsocketConnection *connection,
                   gpointer                 user_data)
{
  ParleyChatChannel *self = user_data;
  ParleyChatVisitor *visitor;

  if (!origin_allowed (self, msg))
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "origin not allowed");
      return;
    }
  visitor = g_new0 (ParleyChatVisitor, 1);
  visitor->channel = g_object_ref (self);
  visitor->connection = g_object_ref (connection);
  visitor->address = visitor_address (self, msg);
  g_object_set_data_full (G_OBJECT (connection), "parley-chat-pending-list", g_ptr_array_new (),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect (connection, "message", G_CALLBACK (visitor_message_cb), visitor);
  g_signal_connect (connection, "closed", G_CALLBACK (visitor_closed_cb), visitor);
}

static void
visitor_upgrade_cb (ParleyChannelRequest *request,
                    gpointer              user_data)
{
  ParleyChatChannel *self = user_data;

  parley_socket_pool_upgrade (self->sockets, NULL, parley_channel_request_get_message (request), MAX_FRAME_SIZE,
                              visitor_socket_cb, self);
}

/* ---- attachments --------------------------------------------------------------- */

/* At most ATTACHMENTS_PER_MINUTE uploads per visitor in any minute. */
static gboolean
visitor_may_upload (ParleyChatChannel *self,
                    const char        *visitor_id)
{
  GArray *times = g_hash_table_lookup (self->uploads, visitor_id);
  gint64 now = g_get_monotonic_time ();

  if (times == NULL)
    {
      times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->uploads, g_strdup (visitor_id), times);
    }
  while (times->len > 0 && now - g_array_index (times, gint64, 0) > 60 * G_USEC_PER_SEC)
    g_array_remove_index (times, 0);
  if (times->len >= ATTACHMENTS_PER_MINUTE)
    return FALSE;
  g_array_append_val (times, now);
  return TRUE;
}

/* The visitor a request comes from, by the token in X-Parley-Visitor or
 * as Authorization: Bearer (never in the address, which logs keep). */
static char *
request_visitor (ParleyChatChannel  *self,
                 SoupServerMessage  *msg,
                 GError            **error)
{
  const char *token = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-Parley-Visitor");
  char *visitor_id = token_verify (self, token ? token : parley_http_bearer_token (msg));

  if (visitor_id == NULL)
    g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_UNAUTHORIZED, "A valid visitor token is required");
  return visitor_id;
}

/* POST: a file the visitor sends, kept until a message carries it. */
static void
upload (ParleyChatChannel    *self,
        ParleyChannelRequest *request)
{
  SoupServerMessage *msg = parley_channel_request_get_message (request);
  GBytes *data = parley_channel_request_get_body (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) attachment = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *visitor_id = NULL;
  g_autofree char *id = NULL;
  const char *name = parley_channel_request_get_header (request, "X-Parley-Filename");

  if ((visitor_id = request_visitor (self, msg, &error)) &&
      (attachment = parley_attachment_check (data, name, &error)))
    {
      g_autofree char *address = visitor_address (self, msg);

      if (!visitor_may_upload (self, visitor_id))
        g_set_error_literal (&error, PARLEY_ERROR, PARLEY_ERROR_TOO_LARGE, "Too many files at once; please wait a minute");
      else if (!parley_rate_limiter_take (self->upload_rate, address))
        g_set_error_literal (&error, PARLEY_ERROR, PARLEY_ERROR_TOO_LARGE,
                             "Too many files are coming from your network; please wait a minute");
      else
        id = parley_host_save_attachment (self->host, visitor_id, json_object_get_string_member (attachment, "name"),
                                          json_object_get_string_member (attachment, "type"), data, &error);
    }
  if (id == NULL)
    {
      parley_channel_request_reply_error (request, error);
      return;
    }
  json_object_set_string_member (attachment, "id", id);
  answer = json_object_new ();
  json_object_set_object_member (answer, "attachment", g_steal_pointer (&attachment));
  parley_channel_request_reply_object (request, SOUP_STATUS_CREATED, answer);
}

/* Browsers ask first (OPTIONS) before sending a file from another site. */
static gboolean
answer_cors (ParleyChatChannel    *self,
             ParleyChannelRequest *request,
             const char           *methods)
{
  const char *origin = parley_channel_request_get_header (request, "Origin");
  g_autoptr(GError) error = NULL;

  if (!origin_allowed (self, parley_channel_request_get_message (request)))
    {
      g_set_error_literal (&error, PARLEY_ERROR, PARLEY_ERROR_FORBIDDEN, "This site may not exchange files here");
      parley_channel_request_reply_error (request, error);
      return TRUE;
    }
  if (origin)
    {
      parley_channel_request_set_header (request, "Access-Control-Allow-Origin", origin);
      parley_channel_request_set_header (request, "Vary", "Origin");
    }
  if (!g_str_equal (parley_channel_request_get_method (request), "OPTIONS"))
    return FALSE;
  parley_channel_request_set_header (request, "Access-Control-Allow-Methods", methods);
  parley_channel_request_set_header (request, "Access-Control-Allow-Headers",
                                     "Authorization, Content-Type, X-Parley-Visitor, X-Parley-Filename");
  parley_channel_request_set_header (request, "Access-Control-Max-Age", "600");
  parley_channel_request_reply_bytes (request, SOUP_STATUS_NO_CONTENT, NULL, NULL);
  return TRUE;
}

/* POST attachments: a file the visitor sends. */
static void
upload_cb (ParleyChannelRequest *request,
           gpointer              user_data)
{
  ParleyChatChannel *self = user_data;

  if (!answer_cors (self, request, "POST"))
    upload (self, request);
}

/* GET attachments/{id}: a file the visitor sent, or one an agent sent them. */
static void
download_cb (ParleyChannelRequest *request,
             gpointer              user_data)
{
  ParleyChatChannel *self = user_data;
  const char *id = parley_channel_request_get_path (request) + strlen ("attachments/");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) attachment = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *visitor_id = NULL;

  if (answer_cors (self, request, "GET"))
    return;
  if (strchr (id, '/') != NULL)
    g_set_error (&error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND, "No file is called %s", id);
  else if ((visitor_id = request_visitor (self, parley_channel_request_get_message (request), &error)))
    data = parley_host_load_attachment_for (self->host, id, "chat", visitor_id, &attachment, &error);
  if (data == NULL)
    {
      parley_channel_request_reply_error (request, error);
      return;
    }
  parley_http_reply_file (parley_channel_request_get_message (request), attachment, data);
}

/* ---- static files ------------------------------------------------------------ */

typedef struct
{
  const char *path;
  const char *resource;
  const char *type;
} ParleyChatFile;

static const ParleyChatFile chat_files[] = {
  { "widget.js", "/org/parley/chat/widget.js", "text/javascript; charset=utf-8" },
  { "widget.css", "/org/parley/chat/widget.css", "text/css; charset=utf-8" },
  { "rrweb-record.js", "/org/parley/chat/rrweb-record.js", "text/javascript; charset=utf-8" },
  { "demo", "/org/parley/chat/demo.html", "text/html; charset=utf-8" },
  { "demo/basket", "/org/parley/chat/demo-basket.html", "text/html; charset=utf-8" },
};

static void
static_file_cb (ParleyChannelRequest *request,
                gpointer              user_data)
{
  const ParleyChatFile *file = user_data;
  g_autoptr(GBytes) bytes = g_resources_lookup_data (file->resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  parley_channel_request_set_header (request, "Cache-Control", "no-cache");
  parley_channel_request_set_header (request, "X-Content-Type-Options", "nosniff");
  /* Any site may load the widget; what it may do is checked on the socket. */
  parley_channel_request_set_header (request, "Access-Control-Allow-Origin", "*");
  parley_channel_request_reply_bytes (request, SOUP_STATUS_OK, file->type, bytes);
}

/* The widget's files, the visitor socket and files exchanged. */
static gboolean
add_routes (ParleyChatChannel  *self,
            GError            **error)
{
  ParleyChannel *channel = PARLEY_CHANNEL (self);

  for (guint i = 0; i < G_N_ELEMENTS (chat_files); i++)
    if (!parley_host_add_route (self->host, channel, chat_files[i].path, PARLEY_HTTP_GET, 0, static_file_cb,
                                (gpointer) &chat_files[i], NULL, error))
      return FALSE;
  return parley_host_add_route (self->host, channel, "visitor", PARLEY_HTTP_GET, 0, visitor_upgrade_cb, self, NULL, error) &&
         parley_host_add_route (self->host, channel, "attachments", PARLEY_HTTP_POST | PARLEY_HTTP_OPTIONS,
                                PARLEY_ATTACHMENT_MAX_SIZE, upload_cb, self, NULL, error) &&
         parley_host_add_route (self->host, channel, "attachments/*", PARLEY_HTTP_GET | PARLEY_HTTP_OPTIONS, 0,
                                download_cb, self, NULL, error);
}

/* ---- ParleyChannel ------------------------------------------------------------ */

static ParleyChannelInfo *
parley_chat_channel_get_info (ParleyChannel *channel)
{
  return PARLEY_CHAT_CHANNEL (channel)->info;
}

static gboolean
parley_chat_channel_start (ParleyChannel  *channel,
                           GError        **error)
{
  ParleyChatChannel *self = PARLEY_CHAT_CHANNEL (channel);
  g_autofree char *origins = parley_host_get_setting (self->host, "chat", "allowed-origins");
  g_autofree char *hours = parley_host_get_setting (self->host, "chat", "business-hours");
  g_autofree char *abandon_after = parley_host_get_setting (self->host, "chat", "abandon-after");
  g_autofree char *address_rate = parley_host_get_setting (self->host, "chat", "address-rate");
  guint64 seconds = DEFAULT_ABANDON_AFTER_SECONDS;
  guint64 per_address = DEFAULT_ADDRESS_RATE;

  /* Started again when its settings change: read them afresh. */
  g_free (self->site_key);
  g_free (self->secret);
  g_free (self->identity_secret);
  g_clear_pointer (&self->allowed_origins, g_strfreev);
  g_array_set_size (self->hours, 0);
  self->site_key = parley_host_get_setting (self->host, "chat", "site-key");
  self->secret = parley_host_get_setting (self->host, "chat", "secret");
  self->identity_secret = parley_host_get_setting (self->host, "chat", "identity-secret");
  if (self->site_key == NULL || self->secret == NULL || strlen (self->secret) < 16)
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                           "The chat channel needs a site-key and a secret of at least 16 characters "
                           "(parleyctl set chat site-key KEY; parleyctl set chat secret SECRET)");
      return FALSE;
    }
  if (self->identity_secret != NULL && strlen (self->identity_secret) < 16)
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                           "The chat identity-secret needs at least 16 characters (parleyctl secret chat identity-secret)");
      return FALSE;
    }
  if (hours && !parse_hours (hours, self->hours, error))
    return FALSE;
  if (abandon_after && !g_ascii_string_to_unsigned (abandon_after, 10, 1, 86400, &seconds, error))
    return FALSE;
  self->abandon_after = (guint) seconds;
  if (address_rate && !g_ascii_string_to_unsigned (address_rate, 10, 1, 1000000, &per_address, error))
    return FALSE;
  g_clear_object (&self->visitor_rate);
  g_clear_object (&self->address_rate);
  self->visitor_rate = parley_rate_limiter_new (RATE_BURST, RATE_PER_SECOND);
  self->address_rate = parley_rate_limiter_new ((double) per_address * ADDRESS_BURST_SECONDS, (double) per_address);
  g_clear_object (&self->read_rate);
  g_clear_object (&self->upload_rate);
  self->read_rate = parley_rate_limiter_new (READ_BURST, READ_PER_SECOND);
  self->upload_rate = parley_rate_limiter_new (ADDRESS_ATTACHMENTS_PER_MINUTE, ADDRESS_ATTACHMENTS_PER_MINUTE / 60.0);
  if (origins && !(self->allowed_origins = parse_allowed_origins (origins, error)))
    return FALSE;
  if (!(self->sockets = parley_socket_pool_new ("{\"type\":\"ping\"}", error)) || !add_routes (self, error))
    return FALSE;
  self->cobrowse = parley_cobrowse_relay_new (self->host, visitor_connections, self);
  if (!parley_cobrowse_relay_start (self->cobrowse, channel, error))
    return FALSE;
  self->availability_source = g_timeout_add_seconds (AVAILABILITY_CHECK_SECONDS, check_availability_cb, self);
  self->started = TRUE;
  return TRUE;
}

static void
parley_chat_channel_stop (ParleyChannel *channel)
{
  ParleyChatChannel *self = PARLEY_CHAT_CHANNEL (channel);

  if (!self->started)
    return;
  g_clear_object (&self->cobrowse);
  g_clear_object (&self->sockets);
  g_clear_handle_id (&self->availability_source, g_source_remove);
  g_clear_handle_id (&self->leaving_source, g_source_remove);
  g_clear_handle_id (&self->reads_source, g_source_remove);
  g_hash_table_remove_all (self->leaving_links);
  g_queue_clear_full (&self->leaving, (GDestroyNotify) leaving_free);
  self->started = FALSE;
}

static void
parley_chat_channel_deliver_async (ParleyChannel       *channel,
                                   ParleyOutbound      *outbound,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  ParleyChatChannel *self = PARLEY_CHAT_CHANNEL (channel);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GPtrArray *sockets = visitor_sockets (self, parley_outbound_get_to_value (outbound));
  g_autoptr(JsonObject) message = json_object_new ();

  g_task_set_source_tag (task, parley_chat_channel_deliver_async);
  if (sockets == NULL || sockets->len == 0)
    {
      g_task_return_new_error (task, PARLEY_ERROR, PARLEY_ERROR_CHANNEL_UNAVAILABLE, "The visitor is not connected");
      return;
    }
  json_object_set_string_member (message, "type", "message");
  json_object_set_int_member (message, "event", parley_outbound_get_event_id (outbound));
  json_object_set_string_member (message, "text", parley_outbound_get_text (outbound) ?: "");
  json_object_set_string_member (message, "author", parley_outbound_get_author_name (outbound) ?: "");
  if (parley_outbound_get_survey (outbound) != NULL)
    json_object_set_object_member (message, "survey", json_object_ref (parley_outbound_get_survey (outbound)));
  if (parley_outbound_get_attachment (outbound) != NULL)
    json_object_set_object_member (message, "attachment", json_object_ref (parley_outbound_get_attachment (outbound)));
  for (guint i = 0; i < sockets->len; i++)
    send_object (g_ptr_array_index (sockets, i), message);
  g_task_return_boolean (task, TRUE);
}

static void
parley_chat_channel_signal_activity (ParleyChannel *channel,
                                     const char    *to_kind,
                                     const char    *to_value,
                                     const char    *activity,
                                     JsonObject    *details)
{
  ParleyChatChannel *self = PARLEY_CHAT_CHANNEL (channel);
  GPtrArray *sockets = visitor_sockets (self, to_value);
  g_autoptr(JsonObject) message = json_object_new ();

  if (sockets == NULL)
    return;
  json_object_set_string_member (message, "type", activity);
  if (g_str_equal (activity, "typing"))
    {
      json_object_set_boolean_member (message, "typing", json_object_get_boolean_member_with_default (details, "typing", FALSE));
      json_object_set_string_member (message, "author", json_object_get_string_member_with_default (details, "author", ""));
    }
  else
    json_object_set_int_member (message, "up_to", json_object_get_int_member_with_default (details, "up_to", 0));
  for (guint i = 0; i < sockets->len; i++)
    send_object (g_ptr_array_index (sockets, i), message);
}

static gboolean
parley_chat_channel_deliver_finish (ParleyChannel  *channel,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
parley_chat_channel_iface_init (ParleyChannelInterface *iface)
{
  iface->get_info = parley_chat_channel_get_info;
  iface->start = parley_chat_channel_start;
  iface->stop = parley_chat_channel_stop;
  iface->deliver_async = parley_chat_channel_deliver_async;
  iface->deliver_finish = parley_chat_channel_deliver_finish;
  iface->signal_activity = parley_chat_channel_signal_activity;
}

/* ---- GObject --------------------------------------------------------------------- */

static void
parley_chat_channel_finalize (GObject *object)
{
  ParleyChatChannel *self = PARLEY_CHAT_CHANNEL (object);

  parley_chat_channel_stop (PARLEY_CHANNEL (self));
  g_clear_object (&self->host);
  g_clear_pointer (&self->site_key, g_free);
  g_clear_pointer (&self->secret, g_free);
  g_clear_pointer (&self->identity_secret, g_free);
  g_clear_pointer (&self->allowed_origins, g_strfreev);
  g_clear_pointer (&self->visitors, g_hash_table_unref);
  g_clear_pointer (&self->uploads, g_hash_table_unref);
  g_clear_pointer (&self->reads, g_hash_table_unref);
  g_clear_pointer (&self->leaving_links, g_hash_table_unref);
  g_clear_pointer (&self->hours, g_array_unref);
  g_clear_object (&self->visitor_rate);
  g_clear_object (&self->address_rate);
  g_clear_object (&self->read_rate);
  g_clear_object (&self->upload_rate);
  g_clear_object (&self->info);
  G_OBJECT_CLASS (parley_chat_channel_parent_class)->finalize (object);
}

static void
parley_chat_channel_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ParleyChatChannel *self = PARLEY_CHAT_CHANNEL (object);

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
parley_chat_channel_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ParleyChatChannel *self = PARLEY_CHAT_CHANNEL (object);

  switch (prop_id)
    {
    case PROP_HOST:
      self->host = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_chat_channel_class_init (ParleyChatChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = parley_chat_channel_finalize;
  object_class->get_property = parley_chat_channel_get_property;
  object_class->set_property = parley_chat_channel_set_property;
  g_object_class_override_property (object_class, PROP_HOST, "host");
}

static void
parley_chat_channel_class_finalize (ParleyChatChannelClass *klass)
{
}

static void
parley_chat_channel_init (ParleyChatChannel *self)
{
  ParleyChannelSetting *setting;

  self->visitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  self->uploads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  self->reads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->leaving_links = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&self->leaving);
  self->hours = g_array_new (FALSE, FALSE, sizeof (OpenSpan));
  self->info = g_object_new (PARLEY_TYPE_CHANNEL_INFO,
                             "kind", "chat",
                             "title", "Chat",
                             "icon-name", "parley-chat-symbolic",
                             "identity-kinds", (const char * const []) { "chat", NULL },
                             "capabilities", PARLEY_CHANNEL_CAPABILITY_TEXT | PARLEY_CHANNEL_CAPABILITY_ATTACHMENTS |
                                             PARLEY_CHANNEL_CAPABILITY_TYPING | PARLEY_CHANNEL_CAPABILITY_READ_RECEIPTS,
                             "attachment-max-size", (guint64) PARLEY_ATTACHMENT_MAX_SIZE,
                             "capacity", 3,
                             NULL);
  setting = parley_channel_info_declare_setting (self->info, "site-key", PARLEY_SETTING_STRING,
                                                 "The key sites name in the widget's data-site");
  parley_channel_setting_set_required (setting, TRUE);
  parley_channel_setting_set_range (setting, 1, 128);
  setting = parley_channel_info_declare_setting (self->info, "secret", PARLEY_SETTING_STRING,
                                                 "Signs visitors' tokens");
  parley_channel_setting_set_secret (setting, TRUE);
  parley_channel_setting_set_required (setting, TRUE);
  parley_channel_setting_set_range (setting, 16, 256);
  setting = parley_channel_info_declare_setting (self->info, "identity-secret", PARLEY_SETTING_STRING,
                                                 "Verifies signed-in visitors' email addresses (HMAC-SHA256)");
  parley_channel_setting_set_secret (setting, TRUE);
  parley_channel_setting_set_range (setting, 16, 256);
  parley_channel_info_declare_setting (self->info, "allowed-origins", PARLEY_SETTING_STRING,
                                       "Sites that may embed the widget besides the hub's own: origins, or *");
  parley_channel_info_declare_setting (self->info, "business-hours", PARLEY_SETTING_STRING,
                                       "When agents answer, e.g. \"mon-fri 09:00-17:00\"; outside them the widget says so");
  setting = parley_channel_info_declare_setting (self->info, "abandon-after", PARLEY_SETTING_INTEGER,
                                                 "Seconds after which a visitor who left counts as gone");
  parley_channel_setting_set_range (setting, 1, 86400);
  parley_channel_setting_set_default (setting, G_STRINGIFY (DEFAULT_ABANDON_AFTER_SECONDS));
  setting = parley_channel_info_declare_setting (self->info, "address-rate", PARLEY_SETTING_INTEGER,
                                                 "Messages a second one network address may send");
  parley_channel_setting_set_range (setting, 1, 1000000);
  parley_channel_setting_set_default (setting, G_STRINGIFY (DEFAULT_ADDRESS_RATE));
}

G_MODULE_EXPORT void peas_register_types (PeasObjectModule *module);

G_MODULE_EXPORT void
peas_register_types (PeasObjectModule *module)
{
  parley_chat_channel_register_type (G_TYPE_MODULE (module));
  parley_cobrowse_relay_register (G_TYPE_MODULE (module));
  parley_socket_pool_register (G_TYPE_MODULE (module));
  parley_rate_limiter_register (G_TYPE_MODULE (module));
  peas_object_module_register_extension_type (module, PARLEY_TYPE_CHANNEL, PARLEY_TYPE_CHAT_CHANNEL);
}
