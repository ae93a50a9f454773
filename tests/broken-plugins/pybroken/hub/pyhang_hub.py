# SPDX-License-Identifier: GPL-3.0-or-later
"""A channel whose deliveries never end: the hub's deadline must."""

import gi

gi.require_version("Parley", "1")
from gi.repository import GObject, Parley  # noqa: E402


class HangingChannel(GObject.Object, Parley.Channel):
    __gtype_name__ = "ParleyPyHangChannel"

    host = GObject.Property(type=Parley.Host)

    def do_get_kind(self):
        return "pyhang"

    def do_get_info(self):
        # Declared as its kind, reaching whatever the customer has; kept,
        # since the hub does not own it.
        if not hasattr(self, "info"):
            self.info = Parley.ChannelInfo.new("pyhang", None, None, ["*"], Parley.ChannelCapabilities.TEXT)
        return self.info

    def do_start(self):
        return True

    def do_deliver_async(self, outbound, cancellable, callback, user_data):
        pass

    def do_deliver_finish(self, result):
        return result.propagate_boolean()
