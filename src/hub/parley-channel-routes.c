/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-channel-routes"

#include "config.h"

#include "parley-channel-routes.h"

/* A channel's paths are its own: a route is "inbound", or "files/\*" for
 * "files/" and anything below it, always under the channel's prefix, so
 * no plugin can answer for the hub's endpoints or another channel's.
 * "settings" is kept for the hub's channel settings. */

#define ROUTES_PREFIX "/api/v1/channels/"

typedef struct
{
  char                   *kind;
  char                   *path;       /* without a trailing "*" */
  gboolean                subtree;    /* the pattern ended in "/\*": path is "files/" */
  ParleyHttpMethods       methods;
  gsize                   max_body;
  ParleyChannelRouteFunc  func;
  gpointer                user_data;
  GDestroyNotify          destroy;
} ParleyChannelRoute;

struct _ParleyChannelRoutes
{
  GObject    parent_instance;

  GPtrArray *routes;            /* ParleyChannelRoute */
  gsize      default_max_body;
};

G_DEFINE_FINAL_TYPE (ParleyChannelRoutes, parley_channel_routes, G_TYPE_OBJECT)

static void
route_free (gpointer data)
{
  ParleyChannelRoute *route = data;

  if (route->destroy)
    route->destroy (route->user_data);
  g_free (route->kind);
  g_free (route->path);
  g_free (route);
}

static void
parley_channel_routes_finalize (GObject *object)
{
  ParleyChannelRoutes *self = PARLEY_CHANNEL_ROUTES (object);

  g_ptr_array_unref (self->routes);
  G_OBJECT_CLASS (parley_channel_routes_parent_class)->finalize (object);
}

static void
parley_channel_routes_class_init (ParleyChannelRoutesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = parley_channel_routes_finalize;
}

static void
parley_channel_routes_init (ParleyChannelRoutes *self)
{
  self->routes = g_ptr_array_new_with_free_func (route_free);
}

/* @default_max_body: the largest body a route takes unless it says otherwise */
ParleyChannelRoutes *
parley_channel_routes_new (gsize default_max_body)
{
  ParleyChannelRoutes *self = g_object_new (PARLEY_TYPE_CHANNEL_ROUTES, NULL);

  self->default_max_body = default_max_body;
  return self;
}

static gboolean
is_segment (const char *segment)
{
  if (*segment == '\0' || g_str_equal (segment, ".") || g_str_equal (segment, ".."))
    return FALSE;
  for (const char *c = segment; *c; c++)
    if (!g_ascii_isalnum (*c) && !strchr ("-._~", *c))
      return FALSE;
  return TRUE;
}

/* Whether @pattern is a path a channel may take, as explained above. */
static gboolean
check_pattern (const char  *pattern,
               GError     **error)
{
  g_auto(GStrv) segments = g_strsplit (pattern, "/", -1);
  guint n = g_strv_length (segments);

  for (guint i = 0; i < MAX (n, 1); i++)
    {
      gboolean last_star = i == n - 1 && i > 0 && g_str_equal (segments[i], "*");

      if (!last_star && (segments[i] == NULL || !is_segment (segments[i])))
        {
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                       "Route “%s” is not a path below the channel's prefix (segments of letters, digits, "
                       "“-._~”, and a last “*” for everything below)", pattern);
          return FALSE;
        }
    }
  if (g_str_equal (segments[0], "settings"))
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                           "Route “settings” is the hub's own (a channel's settings)");
      return FALSE;
    }
  return TRUE;
}

static gboolean
route_matches (const ParleyChannelRoute *route,
               const char               *kind,
               const char               *path)
{
  if (!g_str_equal (route->kind, kind))
    return FALSE;
  if (route->subtree)
    return g_str_has_prefix (path, route->path) && path[strlen (route->path)] != '\0';
  return g_str_equal (route->path, path);
}

/* Adds a route for channel @kind; @max_body 0 takes the default. Refused
 * (PARLEY_ERROR_INVALID or _CONFLICT) for a path outside the rules above
 * or one the channel has already. */
gboolean
parley_channel_routes_add (ParleyChannelRoutes     *self,
                           const char              *kind,
                           const char              *path,
                           ParleyHttpMethods        methods,
                           gsize                    max_body,
                           ParleyChannelRouteFunc   func,
                           gpointer                 user_data,
                           GDestroyNotify           destroy,
                           GError                 **error)
{
  ParleyChannelRoute *route;
  g_autofree char *stored = NULL;
  gboolean subtree;

  g_return_val_if_fail (PARLEY_IS_CHANNEL_ROUTES (self), FALSE);
  g_return_val_if_fail (kind != NULL && path != NULL && func != NULL, FALSE);

  if (!check_pattern (path, error))
    return FALSE;
  if (methods == 0 || (methods & ~(PARLEY_HTTP_GET | PARLEY_HTTP_POST | PARLEY_HTTP_PUT | PARLEY_HTTP_PATCH |
                                   PARLEY_HTTP_DELETE | PARLEY_HTTP_OPTIONS)) != 0)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Route “%s” names no known HTTP method", path);
      return FALSE;
    }
  subtree = g_str_has_suffix (path, "/*");
  stored = subtree ? g_strndup (path, strlen (path) - 1) : g_strdup (path);
  for (guint i = 0; i < self->routes->len; i++)
    {
      ParleyChannelRoute *other = g_ptr_array_index (self->routes, i);

      if (g_str_equal (other->kind, kind) && other->subtree == subtree && g_str_equal (other->path, stored))
        {
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT, "Channel %s has a route “%s” already", kind, path);
          return FALSE;
        }
    }

  route = g_new0 (ParleyChannelRoute, 1);
  route->kind = g_strdup (kind);
  route->subtree = subtree;
  route->path = g_steal_pointer (&stored);
  route->methods = methods;
  route->max_body = max_body > 0 ? max_body : self->default_max_body;
  route->func = func;
  route->user_data = user_data;
  route->destroy = destroy;
  g_ptr_array_add (self->routes, route);
  return TRUE;
}

/* Drops every route of channel @kind (it stopped, or failed to start). */
void
parley_channel_routes_remove_kind (ParleyChannelRoutes *self,
                                   const char          *kind)
{
  g_return_if_fail (PARLEY_IS_CHANNEL_ROUTES (self));

  for (guint i = self->routes->len; i > 0; i--)
    {
      ParleyChannelRoute *route = g_ptr_array_index (self->routes, i - 1);

      if (g_str_equal (route->kind, kind))
        g_ptr_array_remove_index (self->routes, i - 1);
    }
}

static ParleyHttpMethods
method_flag (const char *method)
{
  static const struct { const char *name; ParleyHttpMethods flag; } methods[] = {
    { "GET", PARLEY_HTTP_GET }, { "HEAD", PARLEY_HTTP_GET }, { "POST", PARLEY_HTTP_POST },
    { "PUT", PARLEY_HTTP_PUT }, { "PATCH", PARLEY_HTTP_PATCH }, { "DELETE", PARLEY_HTTP_DELETE },
    { "OPTIONS", PARLEY_HTTP_OPTIONS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if (g_str_equal (methods[i].name, method))
      return methods[i].flag;
  return 0;
}

static char *
allowed_methods (ParleyHttpMethods methods)
{
  static const char *const names[] = { "GET, HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" };
  g_autoptr(GPtrArray) allowed = g_ptr_array_new_null_terminated (G_N_ELEMENTS (names), NULL, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (methods & (1 << i))
      g_ptr_array_add (allowed, (gpointer) names[i]);
  return g_strjoinv (", ", (char **) allowed->pdata);
}

/* Answers @msg, a request to ROUTES_PREFIX @kind/@path: the route's
 * handler gets it once its method and body size are checked; a path no
 * route takes gets 404, a method it does not answer 405, a body over its
 * limit 413, all as JSON errors. */
void
parley_channel_routes_dispatch (ParleyChannelRoutes *self,
                                SoupServerMessage   *msg,
                                const char          *kind,
                                const char          *path,
                                GHashTable          *query,
                                const char          *client_address)
{
  ParleyHttpMethods method = method_flag (soup_server_message_get_method (msg));
  ParleyHttpMethods allowed = 0;
  ParleyChannelRoute *route = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParleyChannelRequest) request = NULL;
  gsize size;

  g_return_if_fail (PARLEY_IS_CHANNEL_ROUTES (self));

  for (guint i = 0; i < self->routes->len && route == NULL; i++)
    {
      ParleyChannelRoute *candidate = g_ptr_array_index (self->routes, i);

      if (!route_matches (candidate, kind, path))
        continue;
      allowed |= candidate->methods;
      if (candidate->methods & method)
        route = candidate;
    }
  if (allowed == 0)
    {
      g_set_error (&error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND, "Nothing lives at " ROUTES_PREFIX "%s/%s", kind, path);
      parley_http_reply_error (msg, error);
      return;
    }
  if (route == NULL)
    {
      g_autofree char *names = allowed_methods (allowed);

      g_set_error (&error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "%s is not allowed on " ROUTES_PREFIX "%s/%s (only %s)",
                   soup_server_message_get_method (msg), kind, path, names);
      parley_http_reply_error (msg, error);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", names);
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  size = soup_server_message_get_request_body (msg)->length;
  if (size > route->max_body)
    {
      g_set_error (&error, PARLEY_ERROR, PARLEY_ERROR_TOO_LARGE,
                   "Request body is %" G_GSIZE_FORMAT " bytes; the limit is %" G_GSIZE_FORMAT, size, route->max_body);
      parley_http_reply_error (msg, error);
      return;
    }
  request = parley_channel_request_new (msg, path, query, client_address);
  parley_channel_request_run (request, route->func, route->user_data);
}
