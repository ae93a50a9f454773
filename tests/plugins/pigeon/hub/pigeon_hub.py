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
gi.require_version("Json", "1.0")
from gi.repository import Gio, GLib, GObject, Json, Parley  # noqa: E402


def json_object(value):
    return Json.from_string(json.dumps(value)).get_object()


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
        host = self.props.host
        return (host.add_route(self, "inbound", Parley.HttpMethods.POST, 0, self._inbound) and
                host.add_route(self, "delivered", Parley.HttpMethods.GET, 0, self._delivered))

    def do_stop(self):
        pass

    def _delivered(self, request):
        request.reply_object(200, json_object({"delivered": self.delivered}))

    def _inbound(self, request):
        try:
            body = request.read_object()
        except GLib.Error as error:
            request.reply_error(error)
            return
        inbound = Parley.Inbound.new("pigeon", "loft", body.get_string_member("loft"))
        if body.has_member("name"):
            inbound.set_display_name(body.get_string_member("name"))
        inbound.set_text(body.get_string_member("text"))
        self.props.host.submit_async(inbound, None, self._submitted, (request, inbound))

    def _submitted(self, host, result, data):
        request, inbound = data
        try:
            host.submit_finish(result)
            request.reply_object(202, json_object({"event": inbound.get_event_id(),
                                                   "conversation": inbound.get_conversation_id(),
                                                   "customer": inbound.get_customer_id()}))
        except GLib.Error as error:
            request.reply_error(error)

    def do_deliver_async(self, outbound, cancellable, callback, user_data):
        task = Gio.Task.new(self, cancellable, callback)
        self.delivered.append({"to_kind": outbound.get_to_kind(),
                               "to_value": outbound.get_to_value(),
                               "text": outbound.get_text()})
        task.return_boolean(True)

    def do_deliver_finish(self, result):
        return result.propagate_boolean()
