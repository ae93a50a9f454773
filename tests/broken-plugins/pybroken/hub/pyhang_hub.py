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

    def do_start(self):
        return True

    def do_deliver_async(self, outbound, cancellable, callback, user_data):
        pass

    def do_deliver_finish(self, result):
        return result.propagate_boolean()
