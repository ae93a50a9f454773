# SPDX-License-Identifier: GPL-3.0-or-later
"""A channel that exists only as a third-party hub plugin: no desktop side,
no entry in any table of Parley's. Everything the hub and the desktop know
about it comes from its ParleyChannelInfo.

Inbound: POST /api/v1/channels/pigeon/inbound {"loft","name","text"}
answers 202 {"event","conversation","customer"}. Outbound: every delivery
is kept, and GET /api/v1/channels/pigeon/delivered lists them as
{"delivered":[{"to_kind","to_value","text"}]}, so tests can see which
identity a reply reached."""

import json

import gi

gi.require_version("Parley", "1")
gi.require_version("Soup", "3.0")
from gi.repository import Gio, GLib, GObject, Parley, Soup  # noqa: E402

PREFIX = "/api/v1/channels/pigeon/"


def reply(msg, status, body):
    msg.set_status(status, None)
    msg.set_response("application/json", Soup.MemoryUse.COPY, json.dumps(body).encode())


class PigeonChannel(GObject.Object, Parley.Channel):
    __gtype_name__ = "ParleyTestPigeonChannel"

    host = GObject.Property(type=Parley.Host)

    def __init__(self):
        super().__init__()
        self.delivered = []
        self.info = GObject.new(Parley.ChannelInfo,
                                kind="pigeon",
                                title="Carrier Pigeon",
                                icon_name="airplane-mode-symbolic",
                                identity_kinds=["loft"],
                                capabilities=Parley.ChannelCapabilities.TEXT
                                | Parley.ChannelCapabilities.OUTBOUND_INITIATED,
                                capacity=2)

    def do_get_info(self):
        return self.info

    def do_start(self):
        self.props.host.get_server().add_handler(PREFIX, self._route)
        return True

    def do_stop(self):
        self.props.host.get_server().remove_handler(PREFIX)

    def _route(self, server, msg, path, query):
        if path == PREFIX + "delivered" and msg.get_method() == "GET":
            reply(msg, 200, {"delivered": self.delivered})
        elif path == PREFIX + "inbound" and msg.get_method() == "POST":
            body = json.loads(msg.get_request_body().flatten().get_data())
            inbound = Parley.Inbound.new("pigeon", "loft", body["loft"])
            inbound.set_display_name(body.get("name"))
            inbound.set_text(body["text"])
            msg.pause()
            self.props.host.submit_async(inbound, None, self._submitted, (msg, inbound))
        else:
            reply(msg, 404, {"error": {"message": "Nothing lives at " + path}})

    def _submitted(self, host, result, data):
        msg, inbound = data
        try:
            host.submit_finish(result)
            reply(msg, 202, {"event": inbound.get_event_id(),
                             "conversation": inbound.get_conversation_id(),
                             "customer": inbound.get_customer_id()})
        except GLib.Error as error:
            reply(msg, 400, {"error": {"message": error.message}})
        msg.unpause()

    def do_deliver_async(self, outbound, cancellable, callback, user_data):
        task = Gio.Task.new(self, cancellable, callback)
        self.delivered.append({"to_kind": outbound.get_to_kind(),
                               "to_value": outbound.get_to_value(),
                               "text": outbound.get_text()})
        task.return_boolean(True)

    def do_deliver_finish(self, result):
        return result.propagate_boolean()
