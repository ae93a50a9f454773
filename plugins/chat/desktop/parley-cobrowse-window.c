/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-cobrowse"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <gmodule.h>
#include <json-glib/json-glib.h>
#include <webkit/webkit.h>


/* The window in which an agent watches a visitor's page live.
 *
 * It lives in a module of its own (libcobrowse-view), loaded only when an
 * agent first co-browses, so WebKit's 35 MiB stay out of the desktop until
 * then. The panel knows it only by type name, properties and signals:
 * "customer-name", "page-title", "status"; the action signal "receive"
 * takes a frame; "agent-input", "replayed" and "end-requested" report back.
 *
 * A WebKit view replays the rrweb events the visitor's browser records.
 * It is locked down: every co-browse view shares one web context with an
 * ephemeral network session (no cookies, no cache, nothing of the agent's),
 * the replay page and its scripts come only from the parley-cobrowse:
 * scheme, served from this plugin's resources, and the page's content
 * security policy forbids loading anything else, so the replayed page
 * cannot reach the network. The replayed document sits in a sandboxed
 * frame without scripts. Events go in through a function argument, never
 * as code, and the agent's pointer comes out through a script message. */

#define SCHEME "parley-cobrowse"
#define REPLAY_URI SCHEME "://replay/index.html"
#define RESOURCE_PREFIX "/org/parley/chat-desktop/replay"

#define PARLEY_TYPE_COBROWSE_WINDOW (parley_cobrowse_window_get_type ())
G_DECLARE_FINAL_TYPE (ParleyCobrowseWindow, parley_cobrowse_window, PARLEY, COBROWSE_WINDOW, AdwWindow)

/* The one symbol the chat plugin looks up. */
G_MODULE_EXPORT GType parley_cobrowse_window_get_type (void);

struct _ParleyCobrowseWindow
{
  AdwWindow       parent_instance;

  AdwWindowTitle *title;
  GtkLabel       *status;
  GtkRevealer    *status_revealer;
  WebKitWebView  *view;
  GPtrArray      *waiting;    /* GBytes frames that came before the page was ready */
  gboolean        ready;
};

enum {
  AGENT_INPUT,
  REPLAYED,
  END_REQUESTED,
  RECEIVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_CUSTOMER_NAME,
  PROP_PAGE_TITLE,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A static type: the module stays loaded once it has been. */
G_DEFINE_FINAL_TYPE (ParleyCobrowseWindow, parley_cobrowse_window, ADW_TYPE_WINDOW)

/* ---- the locked-down web context ----------------------------------------------- */

static void
serve_resource (WebKitURISchemeRequest *request,
                gpointer                user_data)
{
  static const struct { const char *path; const char *type; } files[] = {
    { "/index.html", "text/html" },
    { "/replay.js", "text/javascript" },
    { "/replay.css", "text/css" },
    { "/rrweb-replay.js", "text/javascript" },
    { "/rrweb-replay.css", "text/css" },
  };
  const char *path = webkit_uri_scheme_request_get_path (request);

  if (g_str_has_prefix (webkit_uri_scheme_request_get_uri (request), SCHEME "://replay/"))
    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      if (g_strcmp0 (path, files[i].path) == 0)
        {
          g_autofree char *resource = g_strconcat (RESOURCE_PREFIX, path, NULL);
          g_autoptr(GBytes) bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
          g_autoptr(GInputStream) stream = NULL;

          if (bytes == NULL)
            break;
          stream = g_memory_input_stream_new_from_bytes (bytes);
          webkit_uri_scheme_request_finish (request, stream, g_bytes_get_size (bytes), files[i].type);
          return;
        }
  {
    g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No such co-browse resource: %s", path);

    webkit_uri_scheme_request_finish_error (request, error);
  }
}

/* One web context and one ephemeral network session for every co-browse
 * view, made the first time one is needed. */
static WebKitWebContext *
cobrowse_web_context (WebKitNetworkSession **session_out)
{
  static WebKitWebContext *context;
  static WebKitNetworkSession *session;

  if (context == NULL)
    {
      context = webkit_web_context_new ();
      webkit_web_context_register_uri_scheme (context, SCHEME, serve_resource, NULL, NULL);
      webkit_security_manager_register_uri_scheme_as_secure (webkit_web_context_get_security_manager (context), SCHEME);
      session = webkit_network_session_new_ephemeral ();
    }
  *session_out = session;
  return context;
}

/* The view only ever shows the replay page: every other navigation, and
 * every new window, is refused. */
static gboolean
decide_policy_cb (WebKitWebView            *view,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  gpointer                  user_data)
{
  if (type == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION)
    {
      WebKitNavigationAction *action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
      const char *uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));

      if (g_str_has_prefix (uri, SCHEME "://replay/") || g_str_equal (uri, "about:blank"))
        return FALSE;
      webkit_policy_decision_ignore (decision);
      return TRUE;
    }
  if (type == WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION)
    {
      webkit_policy_decision_ignore (decision);
      return TRUE;
    }
  return FALSE;
}

static WebKitSettings *
locked_down_settings (void)
{
  return g_object_new (WEBKIT_TYPE_SETTINGS,
                       "enable-developer-extras", FALSE,
                       "javascript-can-open-windows-automatically", FALSE,
                       "javascript-can-access-clipboard", FALSE,
                       "enable-html5-local-storage", FALSE,
                       "enable-html5-database", FALSE,
                       "enable-page-cache", FALSE,
                       "enable-media", FALSE,
                       "enable-webaudio", FALSE,
                       "enable-webgl", FALSE,
                       "enable-webrtc", FALSE,
                       "enable-back-forward-navigation-gestures", FALSE,
                       NULL);
}

/* ---- frames in, pointer out ---------------------------------------------------- */

static void
javascript_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (source), result, &error);

  if (value == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("A co-browse frame could not be replayed: %s", error->message);
}

static void
replay_frame (ParleyCobrowseWindow *self,
              GBytes               *frame)
{
  gsize size;
  const char *data = g_bytes_get_data (frame, &size);
  g_autofree char *text = g_strndup (data, size);
  GVariantDict arguments;

  /* The frame is handed over as a string argument and parsed as JSON in
   * the page: nothing the visitor sent is ever evaluated as code. */
  g_variant_dict_init (&arguments, NULL);
  g_variant_dict_insert (&arguments, "frame", "s", text);
  webkit_web_view_call_async_javascript_function (self->view, "parleyCobrowse.receive(frame);", -1,
                                                  g_variant_dict_end (&arguments), NULL, NULL, NULL,
                                                  javascript_done_cb, NULL);
}

static void
parley_cobrowse_window_receive (ParleyCobrowseWindow *self,
                                GBytes               *frame)
{
  if (!self->ready)
    g_ptr_array_add (self->waiting, g_bytes_ref (frame));
  else
    replay_frame (self, frame);
}

static void
load_changed_cb (WebKitWebView        *view,
                 WebKitLoadEvent       event,
                 ParleyCobrowseWindow *self)
{
  if (event != WEBKIT_LOAD_FINISHED || self->ready)
    return;
  self->ready = TRUE;
  for (guint i = 0; i < self->waiting->len; i++)
    replay_frame (self, g_ptr_array_index (self->waiting, i));
  g_ptr_array_set_size (self->waiting, 0);
}

/* Messages from the replay page: the agent's pointer and clicks, and what
 * the replayed page shows. */
static void
script_message_cb (WebKitUserContentManager *manager,
                   JSCValue                 *value,
                   ParleyCobrowseWindow     *self)
{
  g_autofree char *text = jsc_value_to_string (value);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *message;
  const char *type;

  if (!json_parser_load_from_data (parser, text, -1, NULL) ||
      !(root = json_parser_get_root (parser)) || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  message = json_node_get_object (root);
  type = json_object_get_string_member_with_default (message, "type", "");
  if (g_str_equal (type, "replayed"))
    g_signal_emit (self, signals[REPLAYED], 0,
                   json_object_get_string_member_with_default (message, "title", ""),
                   json_object_get_string_member_with_default (message, "text", ""));
  else if (g_str_equal (type, "pointer") || g_str_equal (type, "highlight"))
    g_signal_emit (self, signals[AGENT_INPUT], 0, type,
                   json_object_get_double_member_with_default (message, "x", -1),
                   json_object_get_double_member_with_default (message, "y", -1));
}

/* ---- the window ---------------------------------------------------------------- */

/* A line above the page while something is going on (NULL hides it). */
static void
set_status (ParleyCobrowseWindow *self,
            const char           *status)
{
  if (status)
    gtk_label_set_text (self->status, status);
  gtk_revealer_set_reveal_child (self->status_revealer, status != NULL);
}

static gboolean
close_request_cb (GtkWindow *window)
{
  g_signal_emit (window, signals[END_REQUESTED], 0);
  return FALSE;
}

static void
end_clicked_cb (ParleyCobrowseWindow *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
set_customer_name (ParleyCobrowseWindow *self,
                   const char           *customer_name)
{
  g_autofree char *title = g_strdup_printf (_("Co-browsing with %s"), customer_name ? customer_name : "");

  adw_window_title_set_title (self->title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
parley_cobrowse_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  ParleyCobrowseWindow *self = PARLEY_COBROWSE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CUSTOMER_NAME:
      set_customer_name (self, g_value_get_string (value));
      break;
    case PROP_PAGE_TITLE:
      adw_window_title_set_subtitle (self->title, g_value_get_string (value) ? g_value_get_string (value) : "");
      break;
    case PROP_STATUS:
      set_status (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_cobrowse_window_dispose (GObject *object)
{
  ParleyCobrowseWindow *self = PARLEY_COBROWSE_WINDOW (object);

  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  G_OBJECT_CLASS (parley_cobrowse_window_parent_class)->dispose (object);
}

static void
parley_cobrowse_window_class_init (ParleyCobrowseWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = parley_cobrowse_window_dispose;
  object_class->set_property = parley_cobrowse_window_set_property;
  GTK_WINDOW_CLASS (klass)->close_request = close_request_cb;

  properties[PROP_CUSTOMER_NAME] = g_param_spec_string ("customer-name", NULL, NULL, NULL,
                                                        G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE_TITLE] = g_param_spec_string ("page-title", NULL, NULL, NULL,
                                                     G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL,
                                                 G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Replays one frame from the hub (a GBytes of JSON text). */
  signals[RECEIVE] = g_signal_new_class_handler ("receive", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                                 G_CALLBACK (parley_cobrowse_window_receive),
                                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
  /* The agent pointed ("pointer") or clicked ("highlight") at x, y of the visitor's page. */
  signals[AGENT_INPUT] = g_signal_new ("agent-input", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  /* A page was rebuilt in the view: its title and text. */
  signals[REPLAYED] = g_signal_new ("replayed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /* The agent closed the window or pressed End. */
  signals[END_REQUESTED] = g_signal_new ("end-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
parley_cobrowse_window_init (ParleyCobrowseWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *end = gtk_button_new_with_mnemonic (_("_End Co-browse"));
  GtkWidget *status = gtk_label_new (NULL);
  g_autoptr(WebKitUserContentManager) content = webkit_user_content_manager_new ();
  g_autoptr(WebKitSettings) settings = locked_down_settings ();
  WebKitNetworkSession *session;
  WebKitWebContext *context = cobrowse_web_context (&session);

  self->waiting = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->title = ADW_WINDOW_TITLE (adw_window_title_new ("", ""));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  gtk_widget_add_css_class (end, "destructive-action");
  gtk_widget_set_tooltip_text (end, _("Stop seeing the visitor’s page (Escape)"));
  g_signal_connect_swapped (end, "clicked", G_CALLBACK (end_clicked_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), end);
  gtk_box_append (GTK_BOX (box), header);

  self->status = GTK_LABEL (status);
  gtk_widget_add_css_class (status, "dim-label");
  gtk_widget_set_margin_top (status, 6);
  gtk_widget_set_margin_bottom (status, 6);
  self->status_revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_child (self->status_revealer, status);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status_revealer));

  webkit_user_content_manager_register_script_message_handler (content, "parley", NULL);
  g_signal_connect (content, "script-message-received::parley", G_CALLBACK (script_message_cb), self);
  self->view = g_object_new (WEBKIT_TYPE_WEB_VIEW,
                             "web-context", context,
                             "network-session", session,
                             "user-content-manager", content,
                             "settings", settings,
                             "vexpand", TRUE,
                             "hexpand", TRUE,
                             NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The visitor’s page"), -1);
  g_signal_connect (self->view, "decide-policy", G_CALLBACK (decide_policy_cb), NULL);
  g_signal_connect (self->view, "load-changed", G_CALLBACK (load_changed_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->view));
  adw_window_set_content (ADW_WINDOW (self), box);

  /* Escape ends the session, like the button. */
  {
    GtkEventController *keys = gtk_shortcut_controller_new ();

    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                            gtk_named_action_new ("window.close")));
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }
  webkit_web_view_load_uri (self->view, REPLAY_URI);
}
