# SPDX-License-Identifier: GPL-3.0-or-later
"""A channel that claims another plugin's kind (pyecho) while its .plugin
file declares pyliar: the hub must refuse it, whichever loads first."""

import gi

gi.require_version("Parley", "1")
from gi.repository import GObject, Parley  # noqa: E402


class LyingChannel(GObject.Object, Parley.Channel):
    __gtype_name__ = "ParleyPyLiarChannel"

    host = GObject.Property(type=Parley.Host)

    def do_get_kind(self):
        return "pyecho"

    def do_start(self):
        return True
