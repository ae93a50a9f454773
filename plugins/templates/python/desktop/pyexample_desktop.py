# SPDX-License-Identifier: CC0-1.0
"""A template for the desktop side of a Parley channel, in Python.

Copy this directory into ~/.local/share/parley/plugins/desktop/pyexample/
(or `pkg-config --variable=desktopplugindir parley-ui-1`). Every method but
do_get_kind is optional: what a channel leaves out, the desktop does the
generic way (a plain-text bubble and composer). This one gives its name and
icon, its timeline events (the generic bubble with a line under the
customer's messages) and a panel beside a conversation on this channel.
Customer text is never markup: set it as text.
"""

import gi

gi.require_version("Gtk", "4.0")
gi.require_version("ParleyUi", "1")
from gi.repository import GObject, Gtk, ParleyUi  # noqa: E402

KIND = "pyexample"


class PyExampleDesktop(GObject.Object, ParleyUi.Channel):
    __gtype_name__ = "PyExampleDesktop"

    def do_get_kind(self):
        return KIND

    def do_get_title(self):
        return "Python example"

    def do_get_icon_name(self):
        return "mail-send-symbolic"

    def do_create_event_view(self):
        # One view is made, then bound to many events as the timeline
        # scrolls: set everything it shows in do_bind_event_view.
        box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=2)
        box.append(ParleyUi.EventView.new())
        via = Gtk.Label(halign=Gtk.Align.START)
        via.add_css_class("caption")
        via.add_css_class("dim-label")
        box.append(via)
        return box

    def do_bind_event_view(self, view, event):
        bubble = view.get_first_child()
        via = bubble.get_next_sibling()
        # The bubble fetches a message's file with the agent's credentials.
        bubble.set_client(self.get_client())
        bubble.set_event(event)
        via.set_text("via the Python example provider")
        via.set_visible(event.get_string_member_with_default("direction", "") == "in")

    def do_create_context_panel(self, customer):
        # customer is the hub's JSON: "id", "name", "identities" ([{"kind",
        # "value"}]), "attributes".
        phones = []
        if customer.has_member("identities"):
            for node in customer.get_array_member("identities").get_elements():
                identity = node.get_object()
                if identity.get_string_member_with_default("kind", "") == "phone":
                    phones.append(identity.get_string_member_with_default("value", ""))
        panel = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=6)
        heading = Gtk.Label(label="Python example", halign=Gtk.Align.START)
        heading.add_css_class("heading")
        numbers = Gtk.Label(label="\n".join(phones) or "No phone number", halign=Gtk.Align.START, selectable=True)
        panel.append(heading)
        panel.append(numbers)
        # Screen readers name the panel by its purpose.
        panel.update_property([Gtk.AccessibleProperty.LABEL], ["Python example channel details"])
        return panel
