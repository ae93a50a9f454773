# SPDX-License-Identifier: GPL-3.0-or-later
"""A channel plugin written in Python against the Parley-1 typelib.

Delivering a message to the customer means handing the hub an inbound
reply, "echo: <text>", from the same identity. It also answers
GET /api/v1/channels/pyecho/ping with {"pong": true}, and keeps a
connector whose first attempt fails. The integration tests use it to show
that third-party plugins can be written in Python."""

import gi

gi.require_version("Json", "1.0")
gi.require_version("Parley", "1")
from gi.repository import Gio, GLib, GObject, Json, Parley  # noqa: E402


class EchoConnector(Parley.Connector):
    """A connection that is refused once, then holds."""

    __gtype_name__ = "ParleyPyEchoConnector"

    def __init__(self):
        super().__init__(name="echo server (Python)", first_retry=1500)
        self.attempts = 0

    def do_connect_async(self, cancellable, callback, user_data):
        task = Gio.Task.new(self, cancellable, callback)
        self.attempts += 1
        if self.attempts == 1:
            task.return_error(GLib.Error.new_literal(Gio.io_error_quark(), "The echo server is not up yet",
                                                     Gio.IOErrorEnum.CONNECTION_REFUSED))
        else:
            task.return_boolean(True)

    def do_connect_finish(self, result):
        return result.propagate_boolean()


class EchoChannel(GObject.Object, Parley.Channel):
    __gtype_name__ = "ParleyPyEchoChannel"

    host = GObject.Property(type=Parley.Host)

    def __init__(self):
        super().__init__()
        # Replies go to the identity the customer wrote from on chat.
        self.info = Parley.ChannelInfo.new("pyecho", "Echo", "media-playlist-repeat-symbolic",
                                           ["chat"], Parley.ChannelCapabilities.TEXT)

    def do_get_info(self):
        return self.info

    def do_start(self):
        host = self.props.host
        return (host.add_route(self, "ping", Parley.HttpMethods.GET, 0, self._ping) and
                host.add_connector(self, EchoConnector()))

    def _ping(self, request):
        answer = Json.Object()
        answer.set_boolean_member("pong", True)
        request.reply_object(200, answer)

    def do_stop(self):
        pass

    def do_deliver_async(self, outbound, cancellable, callback, user_data):
        # PyGObject hands us the hub's callback with its data already bound.
        task = Gio.Task.new(self, cancellable, callback)
        inbound = Parley.Inbound.new("pyecho", outbound.get_to_kind(), outbound.get_to_value())
        inbound.set_text("echo: " + outbound.get_text())
        self.props.host.submit_async(inbound, None, self._submitted, task)

    def _submitted(self, host, result, task):
        try:
            host.submit_finish(result)
            task.return_boolean(True)
        except GObject.GError as error:
            task.return_error(error)

    def do_deliver_finish(self, result):
        return result.propagate_boolean()
