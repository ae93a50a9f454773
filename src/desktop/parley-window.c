/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-window"

#include "config.h"

#include <glib/gi18n.h>
#include <parley.h>

#include "parley-agents-board.h"
#include "parley-customer-view.h"
#include "parley-hub-security.h"
#include "parley-live-conversations.h"
#include "parley-offer-stack.h"
#include "parley-satisfaction-view.h"
#include "parley-secret.h"
#include "parley-sidebar.h"
#include "parley-supervision.h"
#include "parley-connector-bar.h"
#include "parley-wallboard.h"
#include "parley-window.h"

/**
 * ParleyWindow:
 *
 * The agent's window: the sign-in page, then the workspace with the
 * #ParleySidebar (presence, offers, my conversations and the blended
 * queue, or customers found) and the #ParleyCustomerView. The window
 * wires them; each listens to the client's pushes itself.
 * Supervisors and admins also get the wallboard, the agents board with
 * the live conversations, and satisfaction, as views of one stack fed by
 * a #ParleySupervision.
 */
struct _ParleyWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  ParleyPluginHost     *plugins;
  ParleyClient         *client;
  GCancellable         *cancellable;
  ParleySupervision    *supervision;    /* NULL unless a supervisor signed in */
  gboolean              ever_connected;

  /* template children */
  AdwToastOverlay      *toasts;
  GtkStack             *main_stack;
  AdwEntryRow          *hub_url_row;
  AdwEntryRow          *login_row;
  AdwEntryRow          *password_row;
  AdwActionRow         *remember_row;
  GtkSwitch            *remember_switch;
  ParleyHubSecurity    *hub_security;
  GtkLabel             *login_error;
  GtkWidget            *sign_in_button;
  GtkRevealer          *offline_revealer;
  ParleyConnectorBar   *connector_bar;
  GtkLabel             *offline_label;
  AdwLeaflet           *leaflet;
  ParleySidebar        *sidebar;
  ParleyOfferStack     *offer_stack;
  ParleyPresenceButton *presence_button;
  ParleyCustomerView   *customer_view;
  AdwHeaderBar         *supervisor_header;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack         *view_stack;
  AdwViewStackPage     *wallboard_page;
  AdwViewStackPage     *agents_page;
  AdwViewStackPage     *satisfaction_page;
  ParleyWallboard      *wallboard;
  ParleyAgentsBoard    *agents_board;
  ParleyLiveConversations *live_conversations;
  ParleySatisfactionView *satisfaction_view;
};

G_DEFINE_FINAL_TYPE (ParleyWindow, parley_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_QUEUE_SHOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
toast (ParleyWindow *self,
       const char   *text)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

static void
toast_error (ParleyWindow *self,
             const char   *what,
             const GError *error)
{
  g_autofree char *text = g_strdup_printf (_("%s: %s"), what, error->message);

  toast (self, text);
}

static void
enable_action (ParleyWindow *self,
               const char   *name,
               gboolean      enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* ---- the sidebar and the offers ----------------------------------------- */

/* Shows @conversation in the customer view, with its row highlighted.
 * @navigate: a narrow window goes from the sidebar to it. */
static void
open_conversation (ParleyWindow *self,
                   JsonObject   *conversation,
                   gboolean      navigate)
{
  parley_sidebar_set_open (self->sidebar, json_object_get_int_member_with_default (conversation, "id", 0));
  parley_customer_view_open_conversation (self->customer_view, conversation);
  if (navigate)
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
conversation_activated_cb (ParleyWindow           *self,
                           ParleyConversationItem *item,
                           gboolean                navigate)
{
  open_conversation (self, parley_conversation_item_get_json (item), navigate);
}

static void
customer_activated_cb (ParleyWindow *self,
                       gint64        customer_id)
{
  parley_sidebar_set_open (self->sidebar, 0);
  parley_customer_view_open_customer (self->customer_view, customer_id);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
presence_failed_cb (ParleyWindow *self,
                   const char   *what,
                   const GError *error)
{
  toast_error (self, what, error);
}

static void
offers_changed_cb (ParleyWindow *self)
{
  gboolean any = parley_offer_stack_get_n_offers (self->offer_stack) > 0;

  enable_action (self, "accept-offer", any);
  enable_action (self, "reject-offer", any);
}

/* A narrow window showing a conversation goes back to the sidebar, where
 * the offer is: an offer is never left out of sight. */
static void
offer_added_cb (ParleyWindow *self)
{
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
offer_ended_cb (ParleyWindow *self,
                gint64        conversation_id,
                gboolean      expired)
{
  if (expired)
    toast (self, _("The offer expired and went to someone else"));
}

static void
offer_taken_cb (ParleyWindow *self,
                JsonObject   *conversation)
{
  ParleyConversationItem *item = parley_sidebar_place (self->sidebar, conversation);

  if (item && parley_conversation_item_get_state (item) != PARLEY_CONVERSATION_STATE_QUEUED)
    {
      gtk_window_present (GTK_WINDOW (self));
      open_conversation (self, conversation, TRUE);
    }
}

static void
offer_failed_cb (ParleyWindow *self,
                 const GError *error)
{
  toast_error (self, _("Could not take the offer"), error);
}

void
parley_window_decide_offer (ParleyWindow *self,
                            gint64        offer_id,
                            gboolean      accept)
{
  parley_offer_stack_decide (self->offer_stack, offer_id, accept);
}

static void
accept_offer_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  ParleyWindow *self = user_data;

  parley_offer_stack_decide_oldest (self->offer_stack, TRUE);
}

static void
reject_offer_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  ParleyWindow *self = user_data;

  parley_offer_stack_decide_oldest (self->offer_stack, FALSE);
}

/* ---- supervision --------------------------------------------------------- */

static gboolean
is_supervisor (ParleyWindow *self)
{
  JsonObject *agent = self->client ? parley_client_get_agent (self->client) : NULL;
  const char *role = agent ? json_object_get_string_member_with_default (agent, "role", "agent") : "agent";

  return g_str_equal (role, "supervisor") || g_str_equal (role, "admin");
}

/* Shows the supervisor's views fed by @supervision, or hides them (NULL). */
/* The supervisor's views share one header bar with the view switcher.
 * The Conversations view has the sidebar's and the customer view's own
 * header bars: there the switcher moves to the bar at the bottom rather
 * than stacking a second header bar above them. */
static void
update_headers (ParleyWindow *self)
{
  gboolean on = self->supervision != NULL;
  gboolean conversations = g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "conversations") == 0;
  gboolean shared_header = on && !conversations;

  gtk_widget_set_visible (GTK_WIDGET (self->supervisor_header), shared_header);
  parley_sidebar_set_menu_visible (self->sidebar, !shared_header);
  parley_customer_view_set_title_buttons (self->customer_view, !shared_header);
  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    on && (conversations || adw_view_switcher_title_get_title_visible (self->switcher_title)));
}

static void
set_supervision (ParleyWindow      *self,
                 ParleySupervision *supervision)
{
  gboolean on = supervision != NULL;

  g_set_object (&self->supervision, supervision);
  parley_wallboard_set_supervision (self->wallboard, supervision);
  parley_agents_board_set_supervision (self->agents_board, supervision);
  parley_live_conversations_set_supervision (self->live_conversations, supervision);
  parley_satisfaction_view_set_supervision (self->satisfaction_view, supervision);
  parley_connector_bar_set_supervision (self->connector_bar, supervision);
  adw_view_stack_page_set_visible (self->wallboard_page, on);
  adw_view_stack_page_set_visible (self->agents_page, on);
  adw_view_stack_page_set_visible (self->satisfaction_page, on);
  enable_action (self, "show-view", on);
  if (!on)
    adw_view_stack_set_visible_child_name (self->view_stack, "conversations");
  update_headers (self);
}

static void
show_view_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  ParleyWindow *self = user_data;
  const char *name = g_variant_get_string (parameter, NULL);
  GtkWidget *child = adw_view_stack_get_child_by_name (self->view_stack, name);

  if (child && adw_view_stack_page_get_visible (adw_view_stack_get_page (self->view_stack, child)))
    adw_view_stack_set_visible_child (self->view_stack, child);
}

/* A supervisor follows someone's conversation: the customer view shows it
 * read-only while another agent holds it, and updates live. */
static void
watch_cb (ParleyWindow *self,
          JsonObject   *conversation)
{
  adw_view_stack_set_visible_child_name (self->view_stack, "conversations");
  parley_sidebar_set_open (self->sidebar, 0);
  parley_customer_view_open_conversation (self->customer_view, conversation);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* ---- the hub's pushes and the connection --------------------------------- */

static void
channels_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ParleyWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, &error);

  /* Every view takes titles, icons and reach from the directory; a
   * failed request is tried again with the next connection. */
  if (answer == NULL)
    g_debug ("The hub's channels: %s", error->message);
  else if (!parley_ui_channel_directory_load_json (parley_ui_channel_directory_get_default (), answer, &error))
    g_warning ("The hub's channels: %s", error->message);
}

static void
connected_cb (ParleyClient *client,
              ParleyWindow *self)
{
  /* Everything pushed while away is fetched again. Offers made before the
   * drop were withdrawn by the hub when the last socket closed. */
  parley_client_request_async (self->client, "GET", "channels", NULL, self->cancellable,
                               channels_loaded_cb, g_object_ref (self));
  if (is_supervisor (self))
    {
      if (self->supervision == NULL)
        {
          g_autoptr(ParleySupervision) supervision = parley_supervision_new (self->client);

          set_supervision (self, supervision);
        }
      parley_supervision_refresh (self->supervision);
    }
  else if (self->supervision)
    set_supervision (self, NULL);
  if (self->ever_connected)
    {
      parley_customer_view_resync (self->customer_view);
      parley_presence_button_restore (self->presence_button);
      toast (self, _("Connected again"));
    }
  self->ever_connected = TRUE;
}

static void
update_offline_label (ParleyWindow *self)
{
  ParleyClientState state = parley_client_get_state (self->client);
  g_autofree char *text = NULL;

  if (state == PARLEY_CLIENT_STATE_CONNECTING && self->ever_connected)
    text = g_strdup_printf (parley_client_get_refused_certificate (self->client, NULL)
                            /* Translators: shown while the hub's certificate is refused; %u is seconds */
                            ? _("Offline: the hub’s certificate was refused. Trying again every %u s…")
                            /* Translators: shown while the hub cannot be reached; %u is seconds */
                            : _("Offline: the hub cannot be reached. Trying again every %u s…"),
                            MAX (1, parley_client_get_retry_seconds (self->client)));
  gtk_revealer_set_reveal_child (self->offline_revealer, text != NULL);
  gtk_label_set_text (self->offline_label, text ? text : "");
  enable_action (self, "reconnect", text != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->leaflet), state == PARLEY_CLIENT_STATE_ONLINE || !self->ever_connected);
  if (text)
    {
      parley_offer_stack_clear (self->offer_stack);
      parley_presence_button_show_offline (self->presence_button);
    }
}

static void
state_changed_cb (ParleyClient *client,
                  GParamSpec   *pspec,
                  ParleyWindow *self)
{
  update_offline_label (self);
}

static void
reset_workspace (ParleyWindow *self)
{
  parley_sidebar_set_client (self->sidebar, NULL, NULL);
  parley_customer_view_close (self->customer_view);
  set_supervision (self, NULL);
  self->ever_connected = FALSE;
}

static void
unauthorized_cb (ParleyClient *client,
                 ParleyWindow *self)
{
  reset_workspace (self);
  gtk_label_set_text (self->login_error, _("Your session ended. Please sign in again."));
  gtk_widget_set_visible (GTK_WIDGET (self->login_error), TRUE);
  gtk_stack_set_visible_child_name (self->main_stack, "login");
}

/* ---- signing in ---------------------------------------------------------- */

static void
password_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ParleyWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!parley_secret_store_finish (result, &error))
    toast (self, _("No keyring is running: your password was not remembered"));
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ParleyWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *hub = gtk_editable_get_text (GTK_EDITABLE (self->hub_url_row));
  const char *login = gtk_editable_get_text (GTK_EDITABLE (self->login_row));

  gtk_widget_set_sensitive (self->sign_in_button, TRUE);
  if (!parley_client_login_finish (PARLEY_CLIENT (source), result, &error))
    {
      gboolean shown = parley_hub_security_show_problem (self->hub_security, PARLEY_CLIENT (source), error);

      gtk_label_set_text (self->login_error, g_error_matches (error, PARLEY_ERROR, PARLEY_ERROR_UNAUTHORIZED)
                                             ? _("The login or password is wrong")
                                             : error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->login_error), !shown);
      return;
    }
  parley_hub_security_remember (self->hub_security);
  g_settings_set_string (self->settings, "hub-url", hub);
  g_settings_set_string (self->settings, "login", login);
  g_settings_set_boolean (self->settings, "remember-password", gtk_switch_get_active (self->remember_switch));
  /* An empty password row means the password came from the keyring. */
  if (*gtk_editable_get_text (GTK_EDITABLE (self->password_row)) == '\0')
    ;
  else if (gtk_switch_get_active (self->remember_switch))
    parley_secret_store_async (hub, login, gtk_editable_get_text (GTK_EDITABLE (self->password_row)), NULL,
                               password_stored_cb, g_object_ref (self));
  else
    parley_secret_clear (hub, login);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->login_error), FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "workspace");
  enable_action (self, "sign-out", TRUE);
}

static void
sign_in (ParleyWindow *self,
         const char   *password)
{
  const char *hub = gtk_editable_get_text (GTK_EDITABLE (self->hub_url_row));
  const char *login = gtk_editable_get_text (GTK_EDITABLE (self->login_row));
  g_autoptr(GError) error = NULL;

  if (self->client)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      parley_client_sign_out (self->client);
    }
  g_clear_object (&self->client);
  self->client = parley_client_new (hub);
  parley_hub_security_clear_problem (self->hub_security);
  gtk_widget_set_visible (GTK_WIDGET (self->login_error), FALSE);
  if (!parley_hub_security_apply (self->hub_security, self->client, &error))
    {
      gtk_label_set_text (self->login_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->login_error), TRUE);
      return;
    }
  parley_plugin_host_set_client (self->plugins, self->client);
  g_signal_connect (self->client, "connected", G_CALLBACK (connected_cb), self);
  g_signal_connect (self->client, "notify::state", G_CALLBACK (state_changed_cb), self);
  g_signal_connect (self->client, "unauthorized", G_CALLBACK (unauthorized_cb), self);
  parley_customer_view_setup (self->customer_view, self->client, self->plugins, self->settings);
  parley_sidebar_set_client (self->sidebar, self->client, self->settings);

  gtk_widget_set_sensitive (self->sign_in_button, FALSE);
  parley_client_login_async (self->client, login, password, self->cancellable, signed_in_cb, g_object_ref (self));
}

static void
hub_url_changed_cb (ParleyWindow *self)
{
  parley_hub_security_set_hub (self->hub_security, gtk_editable_get_text (GTK_EDITABLE (self->hub_url_row)));
}

static void
password_activated_cb (ParleyWindow *self)
{
  sign_in (self, gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
}

static void
sign_in_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  ParleyWindow *self = user_data;

  sign_in (self, gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
}

static void
logged_out_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(JsonObject) answer = parley_client_request_finish (PARLEY_CLIENT (source), result, NULL);

  parley_client_sign_out (PARLEY_CLIENT (source));
}

static void
sign_out_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  ParleyWindow *self = user_data;

  if (self->client == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->client, self);
  parley_client_request_async (self->client, "POST", "auth/logout", NULL, NULL, logged_out_cb, NULL);
  if (!g_settings_get_boolean (self->settings, "remember-password"))
    parley_secret_clear (parley_client_get_base_url (self->client), g_settings_get_string (self->settings, "login"));
  reset_workspace (self);
  enable_action (self, "sign-out", FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "login");
}

static void
password_found_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ParleyWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = parley_secret_lookup_finish (result, &error);

  if (error)
    {
      /* No Secret Service: say so rather than pretend to remember. */
      gtk_switch_set_active (self->remember_switch, FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->remember_switch), FALSE);
      adw_action_row_set_subtitle (self->remember_row, _("No keyring is running, so the password cannot be kept"));
      g_debug ("No keyring: %s", error->message);
      return;
    }
  if (password && *password)
    sign_in (self, password);
}

/* ---- other actions ------------------------------------------------------- */

static void
reconnect_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  ParleyWindow *self = user_data;

  if (self->client)
    parley_client_reconnect_now (self->client);
}

static void
go_back_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  ParleyWindow *self = user_data;

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
step_conversation (ParleyWindow *self,
                   int           step)
{
  ParleyConversationItem *item = parley_sidebar_step (self->sidebar, step);

  if (item)
    open_conversation (self, parley_conversation_item_get_json (item), TRUE);
}

static void
next_conversation_activated (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  step_conversation (user_data, 1);
}

static void
previous_conversation_activated (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  step_conversation (user_data, -1);
}

static void
search_customers_activated (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  ParleyWindow *self = user_data;

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  parley_sidebar_focus_search (self->sidebar);
}

static void
search_timeline_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  parley_customer_view_focus_search (PARLEY_WINDOW (user_data)->customer_view);
}

static void
folded_changed_cb (ParleyWindow *self)
{
  parley_customer_view_set_back_visible (self->customer_view, adw_leaflet_get_folded (self->leaflet));
}

static void
presence_menu_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  ParleyWindow *self = user_data;

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  parley_presence_button_popup (self->presence_button);
}

/* The panes F6 cycles through: widgets with the "parley-pane" style class
 * that are on screen, innermost only, in the order they are laid out. */
static void
collect_panes (GtkWidget *widget,
               GPtrArray *panes)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      guint before = panes->len;

      if (!gtk_widget_get_mapped (child))
        continue;
      collect_panes (child, panes);
      if (panes->len == before && gtk_widget_has_css_class (child, "parley-pane"))
        g_ptr_array_add (panes, child);
    }
}

static void
cycle_pane (ParleyWindow *self,
            int           step)
{
  g_autoptr(GPtrArray) panes = g_ptr_array_new ();
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *pane;
  int current = -1;

  collect_panes (GTK_WIDGET (self), panes);
  if (panes->len == 0)
    return;
  for (guint i = 0; focus && i < panes->len; i++)
    if (focus == g_ptr_array_index (panes, i) || gtk_widget_is_ancestor (focus, g_ptr_array_index (panes, i)))
      current = i;
  if (current < 0)
    current = step > 0 ? -1 : 0;
  pane = g_ptr_array_index (panes, (current + step + panes->len) % panes->len);
  /* The sidebar puts the focus on the open conversation; elsewhere it
   * goes to the pane's first control, not to the pane's frame. */
  if (pane == GTK_WIDGET (self->sidebar) || !gtk_widget_child_focus (pane, GTK_DIR_TAB_FORWARD))
    gtk_widget_grab_focus (pane);
}

static void
next_pane_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  cycle_pane (user_data, 1);
}

static void
previous_pane_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  cycle_pane (user_data, -1);
}

static void
queue_shown_cb (ParleyWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUE_SHOWN]);
}

/* ---- GObject ------------------------------------------------------------- */

static const GActionEntry action_entries[] = {
  { "sign-in", sign_in_activated },
  { "sign-out", sign_out_activated },
  { "presence-menu", presence_menu_activated },
  { "next-pane", next_pane_activated },
  { "previous-pane", previous_pane_activated },
  { "accept-offer", accept_offer_activated },
  { "reject-offer", reject_offer_activated },
  { "reconnect", reconnect_activated },
  { "go-back", go_back_activated },
  { "next-conversation", next_conversation_activated },
  { "previous-conversation", previous_conversation_activated },
  { "search-customers", search_customers_activated },
  { "search-timeline", search_timeline_activated },
  { "show-view", show_view_activated, "s" },
};

static gboolean
parley_window_close_request (GtkWindow *window)
{
  ParleyWindow *self = PARLEY_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  return GTK_WINDOW_CLASS (parley_window_parent_class)->close_request (window);
}

static void
parley_window_dispose (GObject *object)
{
  ParleyWindow *self = PARLEY_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->client)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      parley_client_sign_out (self->client);
    }
  if (self->plugins)
    parley_plugin_host_set_client (self->plugins, NULL);
  g_clear_object (&self->client);
  g_clear_object (&self->supervision);
  /* Their notifications while they go would reach half-gone headers. */
  g_signal_handlers_disconnect_by_func (self->view_stack, update_headers, self);
  g_signal_handlers_disconnect_by_func (self->switcher_title, update_headers, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PARLEY_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->plugins);
  G_OBJECT_CLASS (parley_window_parent_class)->dispose (object);
}

static void
parley_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ParleyWindow *self = PARLEY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_QUEUE_SHOWN:
      g_object_get_property (G_OBJECT (self->sidebar), "queue-shown", value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_window_class_init (ParleyWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = parley_window_dispose;
  object_class->get_property = parley_window_get_property;

  /**
   * ParleyWindow:queue-shown:
   *
   * Whether the workspace has shown the queue since the window opened.
   */
  properties[PROP_QUEUE_SHOWN] =
    g_param_spec_boolean ("queue-shown", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  GTK_WINDOW_CLASS (klass)->close_request = parley_window_close_request;

  g_type_ensure (PARLEY_TYPE_SIDEBAR);
  g_type_ensure (PARLEY_TYPE_CUSTOMER_VIEW);
  g_type_ensure (PARLEY_TYPE_HUB_SECURITY);
  g_type_ensure (PARLEY_TYPE_WALLBOARD);
  g_type_ensure (PARLEY_TYPE_AGENTS_BOARD);
  g_type_ensure (PARLEY_TYPE_LIVE_CONVERSATIONS);
  g_type_ensure (PARLEY_TYPE_SATISFACTION_VIEW);
  g_type_ensure (PARLEY_TYPE_CONNECTOR_BAR);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/parley/Parley/ui/parley-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, hub_url_row);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, login_row);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, remember_row);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, hub_security);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, login_error);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, connector_bar);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, offline_label);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, customer_view);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, supervisor_header);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, wallboard_page);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, agents_page);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, satisfaction_page);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, wallboard);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, agents_board);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, live_conversations);
  gtk_widget_class_bind_template_child (widget_class, ParleyWindow, satisfaction_view);
}

static void
parley_window_init (ParleyWindow *self)
{
  g_autofree char *hub = NULL;
  g_autofree char *login = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APPLICATION_ID);
  self->offer_stack = parley_sidebar_get_offer_stack (self->sidebar);
  self->presence_button = parley_sidebar_get_presence_button (self->sidebar);
  g_action_map_add_action_entries (G_ACTION_MAP (self), action_entries, G_N_ELEMENTS (action_entries), self);
  enable_action (self, "sign-out", FALSE);
  enable_action (self, "reconnect", FALSE);
  enable_action (self, "show-view", FALSE);
  offers_changed_cb (self);

  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  hub = g_settings_get_string (self->settings, "hub-url");
  login = g_settings_get_string (self->settings, "login");
  parley_hub_security_set_settings (self->hub_security, self->settings);
  gtk_editable_set_text (GTK_EDITABLE (self->hub_url_row), hub);
  parley_hub_security_set_hub (self->hub_security, hub);
  g_signal_connect_swapped (self->hub_url_row, "changed", G_CALLBACK (hub_url_changed_cb), self);
  gtk_editable_set_text (GTK_EDITABLE (self->login_row), login);
  gtk_switch_set_active (self->remember_switch, g_settings_get_boolean (self->settings, "remember-password"));
  g_signal_connect_swapped (self->password_row, "entry-activated", G_CALLBACK (password_activated_cb), self);

  g_signal_connect_swapped (self->sidebar, "conversation-activated", G_CALLBACK (conversation_activated_cb), self);
  g_signal_connect_swapped (self->sidebar, "customer-activated", G_CALLBACK (customer_activated_cb), self);
  g_signal_connect_swapped (self->presence_button, "failed", G_CALLBACK (presence_failed_cb), self);
  g_signal_connect_swapped (self->sidebar, "notify::queue-shown", G_CALLBACK (queue_shown_cb), self);
  g_signal_connect_swapped (self->offer_stack, "notify::n-offers", G_CALLBACK (offers_changed_cb), self);
  g_signal_connect_swapped (self->offer_stack, "offer-added", G_CALLBACK (offer_added_cb), self);
  g_signal_connect_swapped (self->offer_stack, "offer-ended", G_CALLBACK (offer_ended_cb), self);
  g_signal_connect_swapped (self->offer_stack, "taken", G_CALLBACK (offer_taken_cb), self);
  g_signal_connect_swapped (self->offer_stack, "failed", G_CALLBACK (offer_failed_cb), self);
  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (folded_changed_cb), self);
  folded_changed_cb (self);
  g_signal_connect_swapped (self->switcher_title, "notify::title-visible", G_CALLBACK (update_headers), self);
  g_signal_connect_swapped (self->view_stack, "notify::visible-child", G_CALLBACK (update_headers), self);
  g_signal_connect_swapped (self->live_conversations, "watch", G_CALLBACK (watch_cb), self);
  g_signal_connect_swapped (self->satisfaction_view, "watch", G_CALLBACK (watch_cb), self);

  gtk_widget_grab_focus (GTK_WIDGET (self->login_row));
}

ParleyWindow *
parley_window_new (AdwApplication   *application,
                   ParleyPluginHost *plugins)
{
  ParleyWindow *self = g_object_new (PARLEY_TYPE_WINDOW, "application", application, NULL);
  g_autofree char *hub = g_settings_get_string (self->settings, "hub-url");
  g_autofree char *login = g_settings_get_string (self->settings, "login");
  g_autoptr(GPtrArray) status_items = NULL;

  self->plugins = g_object_ref (plugins);
  status_items = parley_plugin_host_create_status_items (plugins);
  for (guint i = 0; i < status_items->len; i++)
    parley_sidebar_add_status_item (self->sidebar, g_ptr_array_index (status_items, i));
  /* A remembered password signs in at once. */
  if (*login && g_settings_get_boolean (self->settings, "remember-password"))
    parley_secret_lookup_async (hub, login, self->cancellable, password_found_cb, g_object_ref (self));
  else
    parley_secret_lookup_async ("", "", self->cancellable, password_found_cb, g_object_ref (self));
  return self;
}
