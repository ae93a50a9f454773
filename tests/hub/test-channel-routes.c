/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley-channel-routes.h"

/* Channel routes through a real server on 127.0.0.1, answered as the
 * hub's REST layer hands them over. */

typedef struct
{
  ParleyChannelRoutes *routes;
  SoupServer          *server;
  SoupSession         *session;
  char                *base;
  GPtrArray           *held;       /* requests a handler keeps to answer later */
} Fixture;

static void
channels_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Fixture *f = user_data;
  g_auto(GStrv) parts = g_strsplit (path + strlen ("/api/v1/channels/"), "/", 2);

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  parley_channel_routes_dispatch (f->routes, msg, parts[0], parts[1], query, "192.0.2.7");
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->routes = parley_channel_routes_new (64);
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, "/api/v1/channels", channels_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->base = g_strdup_printf ("http://127.0.0.1:%d/api/v1/channels/", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  f->session = soup_session_new ();
  f->held = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_ptr_array_unref (f->held);
  g_object_unref (f->session);
  g_object_unref (f->server);
  g_object_unref (f->routes);
  g_free (f->base);
}

typedef struct
{
  guint       status;
  char       *body;
  char       *allow;
  gboolean    done;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_free (answer->body);
  g_free (answer->allow);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Answer *answer = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  answer->status = soup_message_get_status (msg);
  answer->body = body ? g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body)) : NULL;
  answer->allow = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Allow"));
  answer->done = TRUE;
}

static Answer
request (Fixture    *f,
         const char *method,
         const char *path,
         const char *body)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  Answer answer = { 0 };

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &answer);
  while (!answer.done)
    g_main_context_iteration (NULL, TRUE);
  return answer;
}

static void
echo_cb (ParleyChannelRequest *request,
         gpointer              user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = parley_channel_request_read_object (request, &error);
  g_autoptr(JsonObject) answer = json_object_new ();

  if (body == NULL)
    {
      parley_channel_request_reply_error (request, error);
      return;
    }
  json_object_set_string_member (answer, "path", parley_channel_request_get_path (request));
  json_object_set_string_member (answer, "from", parley_channel_request_get_client_address (request));
  parley_channel_request_reply_object (request, SOUP_STATUS_OK, answer);
}

static void
hold_cb (ParleyChannelRequest *request,
         gpointer              user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->held, g_object_ref (request));
}

static gboolean
answer_held_cb (gpointer user_data)
{
  Fixture *f = user_data;
  g_autoptr(JsonObject) answer = json_object_new ();

  json_object_set_boolean_member (answer, "later", TRUE);
  parley_channel_request_reply_object (g_ptr_array_index (f->held, 0), SOUP_STATUS_ACCEPTED, answer);
  return G_SOURCE_REMOVE;
}

static gboolean
drop_held_cb (gpointer user_data)
{
  Fixture *f = user_data;

  g_ptr_array_set_size (f->held, 0);
  return G_SOURCE_REMOVE;
}

static void
add (Fixture           *f,
     const char        *kind,
     const char        *path,
     ParleyHttpMethods  methods,
     ParleyChannelRouteFunc func)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (parley_channel_routes_add (f->routes, kind, path, methods, 0, func, f, NULL, &error));
  g_assert_no_error (error);
}

/* Only paths of the channel's own, once each. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  static const char *const outside[] = { "", "../customers", "a//b", "/inbound", "settings", "settings/x", "*",
                                         "a/*/b", "a b", "%2e%2e", ".", NULL };

  for (guint i = 0; outside[i]; i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", outside[i]);
      g_assert_false (parley_channel_routes_add (f->routes, "pigeon", outside[i], PARLEY_HTTP_POST, 0, echo_cb, f, NULL, &error));
      g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
    }
  add (f, "pigeon", "inbound", PARLEY_HTTP_POST, echo_cb);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (parley_channel_routes_add (f->routes, "pigeon", "inbound", PARLEY_HTTP_GET, 0, echo_cb, f, NULL, &error));
    g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT);
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (parley_channel_routes_add (f->routes, "pigeon", "other", 1 << 12, 0, echo_cb, f, NULL, &error));
    g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
  }
  /* Another channel may have the same path under its own prefix. */
  add (f, "owl", "inbound", PARLEY_HTTP_POST, echo_cb);
}

/* Method, path and size are checked before the handler, as JSON errors. */
static void
test_checks (Fixture       *f,
             gconstpointer  data)
{
  add (f, "pigeon", "inbound", PARLEY_HTTP_POST, echo_cb);
  add (f, "pigeon", "files/*", PARLEY_HTTP_GET | PARLEY_HTTP_DELETE, echo_cb);

  {
    g_auto(Answer) answer = request (f, "POST", "pigeon/inbound", "{\"text\":\"coo\"}");

    g_assert_cmpuint (answer.status, ==, 200);
    g_assert_cmpstr (answer.body, ==, "{\"path\":\"inbound\",\"from\":\"192.0.2.7\"}");
  }
  {
    g_auto(Answer) answer = request (f, "GET", "pigeon/inbound", NULL);

    g_assert_cmpuint (answer.status, ==, 405);
    g_assert_cmpstr (answer.allow, ==, "POST");
    g_assert_nonnull (strstr (answer.body, "GET is not allowed on /api/v1/channels/pigeon/inbound (only POST)"));
  }
  {
    g_auto(Answer) answer = request (f, "POST", "pigeon/files/7", "{}");

    g_assert_cmpuint (answer.status, ==, 405);
    g_assert_cmpstr (answer.allow, ==, "GET, HEAD, DELETE");
  }
  {
    g_auto(Answer) answer = request (f, "DELETE", "pigeon/files/7/8", "{}");

    g_assert_cmpuint (answer.status, ==, 200);
    g_assert_cmpstr (answer.body, ==, "{\"path\":\"files/7/8\",\"from\":\"192.0.2.7\"}");
  }
  for (guint i = 0; i < 3; i++)
    {
      const char *nowhere[] = { "pigeon/files", "pigeon/files/", "owl/inbound" };
      g_auto(Answer) answer = request (f, "GET", nowhere[i], NULL);

      g_test_message ("%s", nowhere[i]);
      g_assert_cmpuint (answer.status, ==, 404);
      g_assert_nonnull (strstr (answer.body, "\"code\":\"not_found\""));
    }
  {
    /* The fixture's limit is 64 bytes. */
    g_auto(Answer) answer = request (f, "POST", "pigeon/inbound",
                                     "{\"text\":\"coo coo coo coo coo coo coo coo coo coo coo coo coo coo\"}");

    g_assert_cmpuint (answer.status, ==, 413);
    g_assert_nonnull (strstr (answer.body, "the limit is 64"));
  }
  {
    g_auto(Answer) answer = request (f, "POST", "pigeon/inbound", "{'text':1}");

    g_assert_cmpuint (answer.status, ==, 400);
    g_assert_nonnull (strstr (answer.body, "Request body has a single-quoted string"));
  }
  /* Gone with the channel. */
  parley_channel_routes_remove_kind (f->routes, "pigeon");
  {
    g_auto(Answer) answer = request (f, "POST", "pigeon/inbound", "{}");

    g_assert_cmpuint (answer.status, ==, 404);
  }
}

static guint dropped_warnings;

static GLogWriterOutput
count_dropped (GLogLevelFlags   level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        g_str_equal (fields[i].value, "A channel dropped POST /slow without answering"))
      {
        dropped_warnings++;
        return G_LOG_WRITER_HANDLED;
      }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* A request answered later waits for its answer; one a channel drops
 * unanswered gets an error instead of hanging. */
static void
test_later (Fixture       *f,
            gconstpointer  data)
{
  GLogLevelFlags fatal;

  add (f, "pigeon", "slow", PARLEY_HTTP_POST, hold_cb);

  g_timeout_add (50, answer_held_cb, f);
  {
    g_auto(Answer) answer = request (f, "POST", "pigeon/slow", "{}");

    g_assert_cmpuint (answer.status, ==, 202);
    g_assert_cmpstr (answer.body, ==, "{\"later\":true}");
    g_assert_true (parley_channel_request_is_answered (g_ptr_array_index (f->held, 0)));
  }

  g_ptr_array_set_size (f->held, 0);
  g_timeout_add (50, drop_held_cb, f);
  /* The channel's mistake is logged as a warning: not fatal here. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  {
    g_auto(Answer) answer = request (f, "POST", "pigeon/slow", "{}");

    g_assert_cmpuint (answer.status, ==, 500);
    g_assert_nonnull (strstr (answer.body, "The channel did not answer this request"));
  }
  g_log_set_always_fatal (fatal);
  g_assert_cmpuint (dropped_warnings, ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (count_dropped, NULL, NULL);
  g_test_add ("/channel-routes/refused", Fixture, NULL, fixture_setup, test_refused, fixture_teardown);
  g_test_add ("/channel-routes/checks", Fixture, NULL, fixture_setup, test_checks, fixture_teardown);
  g_test_add ("/channel-routes/later", Fixture, NULL, fixture_setup, test_later, fixture_teardown);
  return g_test_run ();
}
