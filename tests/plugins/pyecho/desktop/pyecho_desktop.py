# SPDX-License-Identifier: GPL-3.0-or-later
"""The desktop side of the pyecho test channel, written against the
installed SDK (ParleyUi-1) as a third party would."""

import gi

gi.require_version("Gtk", "4.0")
gi.require_version("ParleyUi", "1")
from gi.repository import Gio, GLib, GObject, Gtk, ParleyUi  # noqa: E402


class PyEchoComposer(Gtk.Box, ParleyUi.Composer):
    def __init__(self):
        super().__init__()
        self.entry = Gtk.Entry()
        self.append(self.entry)

    def do_dup_text(self):
        return self.entry.get_text()

    def do_clear(self):
        self.entry.set_text("")

    def do_insert_text(self, text):
        self.entry.set_text(self.entry.get_text() + text)


class PyEchoChannel(GObject.Object, ParleyUi.Channel):
    """Also offers "Ping Customer" in the customer menu, and a status item
    that says whom it pinged last."""

    def __init__(self):
        super().__init__()
        self.actions = Gio.SimpleActionGroup()
        ping = Gio.SimpleAction.new("ping", GLib.VariantType.new("x"))
        ping.connect("activate", self._ping)
        self.actions.add_action(ping)
        self.menu = Gio.Menu()
        self.menu.append("Ping Customer", "pyecho.ping")
        self.status = Gtk.Label(label="Echo ready")

    def _ping(self, action, customer):
        self.status.set_label("Pinged customer %d" % customer.get_int64())

    def do_get_actions(self):
        return self.actions

    def do_get_menu(self):
        return self.menu

    def do_create_status_item(self):
        return self.status

    def do_get_kind(self):
        return "pyecho"

    def do_get_title(self):
        return "Echo"

    def do_get_icon_name(self):
        return "media-playlist-repeat-symbolic"

    def do_create_event_view(self):
        label = Gtk.Label()
        label.add_css_class("pyecho")
        return label

    def do_bind_event_view(self, view, event):
        view.set_text("echo: " + (event.get_string_member("text") or ""))

    def do_create_composer(self):
        return PyEchoComposer()
