# SPDX-License-Identifier: GPL-3.0-or-later
"""A channel whose start raises: the hub must log it and go on."""

import gi

gi.require_version("Parley", "1")
from gi.repository import GObject, Parley  # noqa: E402


class RaisingChannel(GObject.Object, Parley.Channel):
    __gtype_name__ = "ParleyPyBrokenChannel"

    host = GObject.Property(type=Parley.Host)

    def do_get_kind(self):
        return "pybroken"

    def do_get_info(self):
        # Declared as its kind, reaching whatever the customer has; kept,
        # since the hub does not own it.
        if not hasattr(self, "info"):
            self.info = Parley.ChannelInfo.new("pybroken", None, None, ["*"], Parley.ChannelCapabilities.TEXT)
        return self.info

    def do_start(self):
        raise RuntimeError("the Python channel breaks on start")
