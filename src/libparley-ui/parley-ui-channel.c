/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-ui-channel"

#include "config.h"

#include "parley-ui-channel.h"
#include "parley-ui-channel-directory.h"
#include "parley-ui-channel-private.h"
#include "parley-ui-event-view.h"
#include "parley-ui-text-composer.h"

/**
 * ParleyUiChannel:
 *
 * The desktop-side extension point of a channel plugin: how its timeline
 * events look, what the agent writes replies in, the actions it adds on a
 * customer (call, start co-browse) and an optional context panel.
 * Implementations are loaded by libpeas from
 * `$libdir/parley/desktop-plugins/<channel>/`.
 */
G_DEFINE_INTERFACE (ParleyUiChannel, parley_ui_channel, G_TYPE_OBJECT)

/* Where the client given to parley_ui_channel_set_client() is kept, for
 * every channel whether or not it implements @set_client. */
static GQuark
client_quark (void)
{
  return g_quark_from_static_string ("parley-ui-channel-client");
}

/* Left out, a plugin's title and icon are those the hub declares (see
 * #ParleyUiChannelDirectory). */
static const char *
default_get_title (ParleyUiChannel *self)
{
  return parley_ui_channel_directory_get_title (parley_ui_channel_directory_get_default (),
                                                parley_ui_channel_get_kind (self));
}

static const char *
default_get_icon_name (ParleyUiChannel *self)
{
  return parley_ui_channel_directory_get_icon_name (parley_ui_channel_directory_get_default (),
                                                    parley_ui_channel_get_kind (self));
}

const char *
_parley_ui_channel_get_own_title (ParleyUiChannel *self)
{
  ParleyUiChannelInterface *iface = PARLEY_UI_CHANNEL_GET_IFACE (self);

  return iface->get_title != default_get_title ? iface->get_title (self) : NULL;
}

const char *
_parley_ui_channel_get_own_icon_name (ParleyUiChannel *self)
{
  ParleyUiChannelInterface *iface = PARLEY_UI_CHANNEL_GET_IFACE (self);

  return iface->get_icon_name != default_get_icon_name ? iface->get_icon_name (self) : NULL;
}

static GtkWidget *
default_create_event_view (ParleyUiChannel *self)
{
  return parley_ui_event_view_new ();
}

static void
default_bind_event_view (ParleyUiChannel *self,
                         GtkWidget       *view,
                         JsonObject      *event)
{
  parley_ui_event_view_set_client (PARLEY_UI_EVENT_VIEW (view), parley_ui_channel_get_client (self));
  parley_ui_event_view_set_event (PARLEY_UI_EVENT_VIEW (view), event);
}

static GtkWidget *
default_create_composer (ParleyUiChannel *self)
{
  return parley_ui_text_composer_new ();
}

static void
parley_ui_channel_default_init (ParleyUiChannelInterface *iface)
{
  iface->get_title = default_get_title;
  iface->get_icon_name = default_get_icon_name;
  iface->create_event_view = default_create_event_view;
  iface->bind_event_view = default_bind_event_view;
  iface->create_composer = default_create_composer;
}

/**
 * parley_ui_channel_get_kind:
 * @self: a #ParleyUiChannel
 *
 * The kind the channel serves, which its `.plugin` file declares too
 * (`X-Parley-Channel-Kind`): the desktop uses a plugin only when both agree.
 *
 * Returns: (transfer none): the channel kind, as in the hub's events
 */
const char *
parley_ui_channel_get_kind (ParleyUiChannel *self)
{
  g_return_val_if_fail (PARLEY_UI_IS_CHANNEL (self), NULL);
  return PARLEY_UI_CHANNEL_GET_IFACE (self)->get_kind (self);
}

/**
 * parley_ui_channel_get_title:
 * @self: a #ParleyUiChannel
 *
 * The channel's name wherever the desktop names it.
 *
 * Returns: (transfer none): the channel's name for agents
 */
const char *
parley_ui_channel_get_title (ParleyUiChannel *self)
{
  g_return_val_if_fail (PARLEY_UI_IS_CHANNEL (self), NULL);
  return PARLEY_UI_CHANNEL_GET_IFACE (self)->get_title (self);
}

/**
 * parley_ui_channel_get_icon_name:
 * @self: a #ParleyUiChannel
 *
 * The channel's icon wherever the desktop shows it.
 *
 * Returns: (transfer none): a symbolic icon name
 */
const char *
parley_ui_channel_get_icon_name (ParleyUiChannel *self)
{
  g_return_val_if_fail (PARLEY_UI_IS_CHANNEL (self), NULL);
  return PARLEY_UI_CHANNEL_GET_IFACE (self)->get_icon_name (self);
}

/**
 * parley_ui_channel_create_event_view:
 * @self: a #ParleyUiChannel
 *
 * A widget for the channel's timeline events; the desktop binds it to
 * one event after another with parley_ui_channel_bind_event_view().
 *
 * Returns: (transfer full): a new widget for showing events of this channel
 */
GtkWidget *
parley_ui_channel_create_event_view (ParleyUiChannel *self)
{
  g_return_val_if_fail (PARLEY_UI_IS_CHANNEL (self), NULL);
  return PARLEY_UI_CHANNEL_GET_IFACE (self)->create_event_view (self);
}

/**
 * parley_ui_channel_bind_event_view:
 * @self: a #ParleyUiChannel
 * @view: a widget from parley_ui_channel_create_event_view()
 * @event: the hub's event object
 *
 * Shows @event in @view: everything the view shows is set here, as
 * views are recycled.
 */
void
parley_ui_channel_bind_event_view (ParleyUiChannel *self,
                                   GtkWidget       *view,
                                   JsonObject      *event)
{
  g_return_if_fail (PARLEY_UI_IS_CHANNEL (self));
  g_return_if_fail (GTK_IS_WIDGET (view));
  g_return_if_fail (event != NULL);
  PARLEY_UI_CHANNEL_GET_IFACE (self)->bind_event_view (self, view, event);
}

/**
 * parley_ui_channel_create_composer:
 * @self: a #ParleyUiChannel
 *
 * What the agent writes a reply on the channel in.
 *
 * Returns: (transfer full): a new #ParleyUiComposer widget
 */
GtkWidget *
parley_ui_channel_create_composer (ParleyUiChannel *self)
{
  g_return_val_if_fail (PARLEY_UI_IS_CHANNEL (self), NULL);
  return PARLEY_UI_CHANNEL_GET_IFACE (self)->create_composer (self);
}

/**
 * parley_ui_channel_create_context_panel:
 * @self: a #ParleyUiChannel
 * @customer: the hub's customer object
 *
 * A widget shown beside a conversation on the channel (call controls,
 * a session viewer).
 *
 * Returns: (transfer full) (nullable): a panel for @customer, or %NULL
 */
GtkWidget *
parley_ui_channel_create_context_panel (ParleyUiChannel *self,
                                        JsonObject      *customer)
{
  ParleyUiChannelInterface *iface;

  g_return_val_if_fail (PARLEY_UI_IS_CHANNEL (self), NULL);
  iface = PARLEY_UI_CHANNEL_GET_IFACE (self);
  return iface->create_context_panel ? iface->create_context_panel (self, customer) : NULL;
}

/**
 * parley_ui_channel_get_actions:
 * @self: a #ParleyUiChannel
 *
 * Actions the channel offers on a customer.
 *
 * Returns: (transfer none) (nullable): the channel's actions
 */
GActionGroup *
parley_ui_channel_get_actions (ParleyUiChannel *self)
{
  ParleyUiChannelInterface *iface;

  g_return_val_if_fail (PARLEY_UI_IS_CHANNEL (self), NULL);
  iface = PARLEY_UI_CHANNEL_GET_IFACE (self);
  return iface->get_actions ? iface->get_actions (self) : NULL;
}

/**
 * parley_ui_channel_set_client:
 * @self: a #ParleyUiChannel
 * @client: (nullable): the hub connection, or %NULL once signed out
 *
 * Called by the desktop when it signs in to a hub and when it signs out.
 * The channel keeps @client for parley_ui_channel_get_client() whether or
 * not it implements @set_client.
 */
void
parley_ui_channel_set_client (ParleyUiChannel *self,
                              ParleyClient    *client)
{
  ParleyUiChannelInterface *iface;

  g_return_if_fail (PARLEY_UI_IS_CHANNEL (self));
  g_return_if_fail (client == NULL || PARLEY_IS_CLIENT (client));
  if (client)
    g_object_set_qdata_full (G_OBJECT (self), client_quark (), g_object_ref (client), g_object_unref);
  else
    g_object_set_qdata (G_OBJECT (self), client_quark (), NULL);
  iface = PARLEY_UI_CHANNEL_GET_IFACE (self);
  if (iface->set_client)
    iface->set_client (self, client);
}

/**
 * parley_ui_channel_get_client:
 * @self: a #ParleyUiChannel
 *
 * The hub connection last given to parley_ui_channel_set_client(), for
 * channels that fetch from the hub (files, co-browse) as they need it.
 *
 * Returns: (transfer none) (nullable): the signed-in hub connection, or
 *   %NULL while signed out
 */
ParleyClient *
parley_ui_channel_get_client (ParleyUiChannel *self)
{
  g_return_val_if_fail (PARLEY_UI_IS_CHANNEL (self), NULL);
  return g_object_get_qdata (G_OBJECT (self), client_quark ());
}

/**
 * parley_ui_channel_get_menu:
 * @self: a #ParleyUiChannel
 *
 * A menu of the channel's actions.
 *
 * Returns: (transfer none) (nullable): a menu of the channel's actions
 */
GMenuModel *
parley_ui_channel_get_menu (ParleyUiChannel *self)
{
  ParleyUiChannelInterface *iface;

  g_return_val_if_fail (PARLEY_UI_IS_CHANNEL (self), NULL);
  iface = PARLEY_UI_CHANNEL_GET_IFACE (self);
  return iface->get_menu ? iface->get_menu (self) : NULL;
}

/**
 * parley_ui_channel_create_status_item:
 * @self: a #ParleyUiChannel
 *
 * A widget at the foot of the sidebar with the channel's status (a
 * softphone's registration).
 *
 * Returns: (transfer full) (nullable): a new widget for the window's
 *   status area, or %NULL
 */
GtkWidget *
parley_ui_channel_create_status_item (ParleyUiChannel *self)
{
  ParleyUiChannelInterface *iface;

  g_return_val_if_fail (PARLEY_UI_IS_CHANNEL (self), NULL);
  iface = PARLEY_UI_CHANNEL_GET_IFACE (self);
  return iface->create_status_item ? iface->create_status_item (self) : NULL;
}
