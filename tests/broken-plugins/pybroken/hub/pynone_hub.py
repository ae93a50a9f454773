# SPDX-License-Identifier: GPL-3.0-or-later
"""A channel without a kind: the hub must refuse it."""

import gi

gi.require_version("Parley", "1")
from gi.repository import GObject, Parley  # noqa: E402


class NamelessChannel(GObject.Object, Parley.Channel):
    __gtype_name__ = "ParleyPyNoneChannel"

    host = GObject.Property(type=Parley.Host)

    def do_get_kind(self):
        return None

    def do_start(self):
        return True
