# SPDX-License-Identifier: GPL-3.0-or-later
"""A channel plugin written in Python against the Parley-1 typelib.

Delivering a message to the customer means handing the hub an inbound
reply, "echo: <text>", from the same identity. The integration tests use it
to show that third-party plugins can be written in Python."""

import gi

gi.require_version("Parley", "1")
from gi.repository import Gio, GObject, Parley  # noqa: E402


class EchoChannel(GObject.Object, Parley.Channel):
    __gtype_name__ = "ParleyPyEchoChannel"

    host = GObject.Property(type=Parley.Host)

    def do_get_kind(self):
        return "pyecho"

    def do_start(self):
        return True

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
