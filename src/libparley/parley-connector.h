/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

#include "parley-version-macros.h"

G_BEGIN_DECLS

/**
 * ParleyConnectorState:
 * @PARLEY_CONNECTOR_STOPPED: not running (before start, after stop)
 * @PARLEY_CONNECTOR_CONNECTING: a connection attempt is under way
 * @PARLEY_CONNECTOR_CONNECTED: connected and working
 * @PARLEY_CONNECTOR_FAILED: the last attempt failed or the connection was
 *   lost; another attempt follows after a backoff
 *
 * Where a long-running connection stands, as supervisors see it.
 */
typedef enum
{
  PARLEY_CONNECTOR_STOPPED,
  PARLEY_CONNECTOR_CONNECTING,
  PARLEY_CONNECTOR_CONNECTED,
  PARLEY_CONNECTOR_FAILED,
} ParleyConnectorState;

#define PARLEY_TYPE_CONNECTOR (parley_connector_get_type ())
PARLEY_AVAILABLE_IN_1_0
G_DECLARE_DERIVABLE_TYPE (ParleyConnector, parley_connector, PARLEY, CONNECTOR, GObject)

/**
 * ParleyConnectorClass:
 * @parent_class: the parent class
 * @connect_async: open the connection (log in to the mailbox, register
 *   the trunk); finish when it works or has failed
 * @connect_finish: the result of @connect_async
 * @disconnect: close the connection, if open; the connector is stopping
 *   or about to try again
 *
 * A long-running connection a channel keeps to the outside world: a
 * mailbox, a SIP trunk registration, an XMPP login. The channel makes one
 * per connection and gives it to parley_host_add_connector(); the hub then
 * owns its life: it starts and stops it, and after a failed attempt or a
 * lost connection (parley_connector_lost()) it tries again after a
 * backoff that doubles from #ParleyConnector:first-retry up to
 * #ParleyConnector:max-retry.
 */
struct _ParleyConnectorClass
{
  GObjectClass parent_class;

  void     (*connect_async)  (ParleyConnector      *self,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  gboolean (*connect_finish) (ParleyConnector      *self,
                              GAsyncResult         *result,
                              GError              **error);
  void     (*disconnect)     (ParleyConnector      *self);

  /*< private >*/
  gpointer padding[8];
};

PARLEY_AVAILABLE_IN_1_0
const char           *parley_connector_get_name         (ParleyConnector *self);
PARLEY_AVAILABLE_IN_1_0
ParleyConnectorState  parley_connector_get_state        (ParleyConnector *self);
PARLEY_AVAILABLE_IN_1_0
const char           *parley_connector_get_message      (ParleyConnector *self);
PARLEY_AVAILABLE_IN_1_0
gint64                parley_connector_get_since        (ParleyConnector *self);
PARLEY_AVAILABLE_IN_1_0
guint                 parley_connector_get_failures     (ParleyConnector *self);
PARLEY_AVAILABLE_IN_1_0
gint64                parley_connector_get_next_attempt (ParleyConnector *self);
PARLEY_AVAILABLE_IN_1_0
void                  parley_connector_start            (ParleyConnector *self);
PARLEY_AVAILABLE_IN_1_0
void                  parley_connector_stop             (ParleyConnector *self);
PARLEY_AVAILABLE_IN_1_0
void                  parley_connector_lost             (ParleyConnector *self,
                                                         const GError    *error);

G_END_DECLS
