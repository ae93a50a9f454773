# SPDX-License-Identifier: GPL-3.0-or-later
"""A channel that fails every delivery for good, as a Python plugin says
it: an error of Parley.DeliveryError's domain, code PERMANENT."""

import gi

gi.require_version("Parley", "1")
from gi.repository import Gio, GLib, GObject, Parley  # noqa: E402


class RefusingChannel(GObject.Object, Parley.Channel):
    __gtype_name__ = "ParleyPyRefuseChannel"

    host = GObject.Property(type=Parley.Host)

    def do_get_kind(self):
        return "pyrefuse"

    def do_get_info(self):
        # Declared as its kind, reaching whatever the customer has; kept,
        # since the hub does not own it.
        if not hasattr(self, "info"):
            self.info = Parley.ChannelInfo.new("pyrefuse", None, None, ["*"], Parley.ChannelCapabilities.TEXT)
        return self.info

    def do_start(self):
        return True

    def do_deliver_async(self, outbound, cancellable, callback, user_data):
        task = Gio.Task.new(self, cancellable, callback)
        task.return_error(GLib.Error.new_literal(Parley.DeliveryError.quark(),
                                                 "Unknown handle " + outbound.get_to_value(),
                                                 Parley.DeliveryError.PERMANENT))

    def do_deliver_finish(self, result):
        return result.propagate_boolean()
