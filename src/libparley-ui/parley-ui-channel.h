/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <parley.h>
#include <parley-version-macros.h>

G_BEGIN_DECLS

#define PARLEY_UI_TYPE_CHANNEL (parley_ui_channel_get_type ())
PARLEY_AVAILABLE_IN_1_0
G_DECLARE_INTERFACE (ParleyUiChannel, parley_ui_channel, PARLEY_UI, CHANNEL, GObject)

/**
 * ParleyUiChannelInterface:
 * @get_kind: the channel kind this plugin serves ("chat", "email", ...)
 * @get_title: the channel's name as shown to agents, translated; left
 *   out, the title the hub-side plugin declares
 * @get_icon_name: a symbolic icon for the channel; left out, the icon the
 *   hub-side plugin declares
 * @create_event_view: a new, empty widget that can show one timeline event;
 *   views are recycled, so it is bound to many events over its life, and
 *   to events of any channel of the same #GType: what it shows must come
 *   from @bind_event_view, not from the channel instance that made it
 * @bind_event_view: shows @event in a view made by @create_event_view
 * @create_composer: a new widget implementing #ParleyUiComposer
 * @create_context_panel: a widget shown beside the timeline for @customer
 *   (call controls, co-browse, ...), or %NULL
 * @get_actions: actions the channel offers on a customer, or %NULL; the
 *   host inserts them into the window as the "<kind>" action group
 * @get_menu: a menu of those actions ("<kind>.<action>") for the customer
 *   header's menu, or %NULL; an item whose action takes an int64
 *   parameter is activated with the shown customer's id
 * @create_status_item: a small widget the window keeps in view while the
 *   agent works (a softphone's registration state), or %NULL
 * @set_client: the signed-in hub connection, for channels that talk to
 *   their hub-side plugin (co-browse, call control); %NULL when signed out.
 *   Channels that only need it later can leave this out and call
 *   parley_ui_channel_get_client()
 *
 * The desktop side of a channel. Every vfunc except @get_kind may be left
 * out: the host then uses the generic plain-text renderer (#ParleyUiEventView,
 * which shows an event's file as a #ParleyUiAttachmentButton) and composer.
 */
struct _ParleyUiChannelInterface
{
  GTypeInterface parent_iface;

  const char   *(*get_kind)             (ParleyUiChannel *self);
  const char   *(*get_title)            (ParleyUiChannel *self);
  const char   *(*get_icon_name)        (ParleyUiChannel *self);
  GtkWidget    *(*create_event_view)    (ParleyUiChannel *self);
  void          (*bind_event_view)      (ParleyUiChannel *self,
                                         GtkWidget       *view,
                                         JsonObject      *event);
  GtkWidget    *(*create_composer)      (ParleyUiChannel *self);
  GtkWidget    *(*create_context_panel) (ParleyUiChannel *self,
                                         JsonObject      *customer);
  GActionGroup *(*get_actions)          (ParleyUiChannel *self);
  GMenuModel   *(*get_menu)             (ParleyUiChannel *self);
  void          (*set_client)           (ParleyUiChannel *self,
                                         ParleyClient    *client);
  GtkWidget    *(*create_status_item)   (ParleyUiChannel *self);

  /*< private >*/
  gpointer padding[6];
};

PARLEY_AVAILABLE_IN_1_0
const char   *parley_ui_channel_get_kind             (ParleyUiChannel *self);
PARLEY_AVAILABLE_IN_1_0
const char   *parley_ui_channel_get_title            (ParleyUiChannel *self);
PARLEY_AVAILABLE_IN_1_0
const char   *parley_ui_channel_get_icon_name        (ParleyUiChannel *self);
PARLEY_AVAILABLE_IN_1_0
GtkWidget    *parley_ui_channel_create_event_view    (ParleyUiChannel *self);
PARLEY_AVAILABLE_IN_1_0
void          parley_ui_channel_bind_event_view      (ParleyUiChannel *self,
                                                      GtkWidget       *view,
                                                      JsonObject      *event);
PARLEY_AVAILABLE_IN_1_0
GtkWidget    *parley_ui_channel_create_composer      (ParleyUiChannel *self);
PARLEY_AVAILABLE_IN_1_0
GtkWidget    *parley_ui_channel_create_context_panel (ParleyUiChannel *self,
                                                      JsonObject      *customer);
PARLEY_AVAILABLE_IN_1_0
GActionGroup *parley_ui_channel_get_actions          (ParleyUiChannel *self);
PARLEY_AVAILABLE_IN_1_0
GMenuModel   *parley_ui_channel_get_menu             (ParleyUiChannel *self);
PARLEY_AVAILABLE_IN_1_0
GtkWidget    *parley_ui_channel_create_status_item   (ParleyUiChannel *self);
PARLEY_AVAILABLE_IN_1_0
void          parley_ui_channel_set_client           (ParleyUiChannel *self,
                                                      ParleyClient    *client);
PARLEY_AVAILABLE_IN_1_0
ParleyClient *parley_ui_channel_get_client           (ParleyUiChannel *self);

G_END_DECLS
