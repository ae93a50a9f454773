#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stands in for the desktop shell's notification service in the e2e test:
owns org.freedesktop.Notifications on the session bus, speaks the
freedesktop notification protocol that GLib's GNotification uses outside
GNOME Shell, writes every Notify and CloseNotification it receives as a
JSON line to the log given as argument, and, when the test asks through
org.parley.Test.Notifications.Invoke, emits ActionInvoked as a user's click
on a notification button would."""

import json
import sys

from gi.repository import Gio, GLib

INTERFACE = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="Notify">
      <arg type="s" name="app_name" direction="in"/>
      <arg type="u" name="replaces_id" direction="in"/>
      <arg type="s" name="app_icon" direction="in"/>
      <arg type="s" name="summary" direction="in"/>
      <arg type="s" name="body" direction="in"/>
      <arg type="as" name="actions" direction="in"/>
      <arg type="a{sv}" name="hints" direction="in"/>
      <arg type="i" name="expire_timeout" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" name="id" direction="in"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
  </interface>
  <interface name="org.parley.Test.Notifications">
    <method name="Invoke">
      <arg type="u" name="id" direction="in"/>
      <arg type="s" name="action" direction="in"/>
    </method>
  </interface>
</node>
"""
PATH = "/org/freedesktop/Notifications"


class Server:
    def __init__(self, log_path):
        self.log = open(log_path, "a", buffering=1)
        self.next_id = 1
        self.connection = None

    def record(self, entry):
        self.log.write(json.dumps(entry) + "\n")

    def call(self, connection, sender, path, interface, method, args, invocation):
        if method == "GetCapabilities":
            invocation.return_value(GLib.Variant("(as)", (["actions", "body"],)))
        elif method == "GetServerInformation":
            invocation.return_value(GLib.Variant("(ssss)", ("parley-test", "parley", "1", "1.2")))
        elif method == "Notify":
            app_name, replaces, _icon, summary, body, actions, _hints, _timeout = args.unpack()
            number = replaces or self.next_id
            self.next_id += 0 if replaces else 1
            # actions alternate key, label
            buttons = {actions[i + 1]: actions[i] for i in range(0, len(actions) - 1, 2)}
            self.record({"call": "Notify", "id": number, "app": app_name, "summary": summary,
                         "body": body, "buttons": buttons})
            invocation.return_value(GLib.Variant("(u)", (number,)))
        elif method == "CloseNotification":
            (number,) = args.unpack()
            self.record({"call": "CloseNotification", "id": number})
            connection.emit_signal(None, PATH, "org.freedesktop.Notifications", "NotificationClosed",
                                   GLib.Variant("(uu)", (number, 3)))
            invocation.return_value(None)
        elif method == "Invoke":
            number, action = args.unpack()
            connection.emit_signal(None, PATH, "org.freedesktop.Notifications", "ActionInvoked",
                                   GLib.Variant("(us)", (number, action)))
            invocation.return_value(None)

    def acquired(self, connection, name):
        info = Gio.DBusNodeInfo.new_for_xml(INTERFACE)
        for interface in info.interfaces:
            connection.register_object(PATH, interface, self.call, None, None)

    def owned(self, connection, name):
        self.record({"call": "ready"})


def main():
    server = Server(sys.argv[1])
    Gio.bus_own_name(Gio.BusType.SESSION, "org.freedesktop.Notifications", Gio.BusNameOwnerFlags.NONE,
                     server.acquired, server.owned, lambda *a: sys.exit("could not own the name"))
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
