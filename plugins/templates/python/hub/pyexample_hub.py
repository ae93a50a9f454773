# SPDX-License-Identifier: CC0-1.0
"""A template for a hub-side Parley channel plugin in Python.

Copy this directory into ~/.local/share/parley/plugins/hub/pyexample/ (or
the hub's plugin directory, `pkg-config --variable=hubplugindir parley-1`),
rename "pyexample" here and in pyexample-hub.plugin, and change the two
places that speak your provider's language: _read_inbound and
do_deliver_async.

Inbound: the provider POSTs each message a customer sends to
    POST /api/v1/channels/pyexample/inbound
    X-Example-Token: <the token setting>
    {"from": "+4915112345678", "name": "Ada", "text": "Hello", "id": "msg-1"}
and gets 202 {"event": ID} once the hub has committed the message (never
earlier: a message acknowledged must never be lost). "id", the provider's
own id, makes a repeated delivery harmless.

Outbound: when an agent answers on this channel the hub calls
do_deliver_async, which POSTs {"to", "text", "event"} to the outbound-url
setting. A 2xx answer means delivered; an error makes the hub try again.

Settings: `parleyctl set pyexample token SECRET` (16 characters or more)
and `parleyctl set pyexample outbound-url https://...`.
"""

import json

import gi

gi.require_version("Parley", "1")
gi.require_version("Json", "1.0")
gi.require_version("Soup", "3.0")
from gi.repository import Gio, GLib, GObject, Json, Parley, Soup  # noqa: E402

KIND = "pyexample"
TOKEN_MIN_LENGTH = 16


def parley_error(code, message):
    """An error in Parley's domain, which the hub maps to an HTTP status."""
    return GLib.Error.new_literal(Parley.error_quark(), message, code)


class PyExampleChannel(GObject.Object, Parley.Channel):
    __gtype_name__ = "PyExampleChannel"

    # The hub sets it when it creates the channel.
    host = GObject.Property(type=Parley.Host)

    def __init__(self):
        super().__init__()
        self.session = Soup.Session(timeout=10)
        self.info = GObject.new(Parley.ChannelInfo, kind=KIND, title="Python Example",
                                icon_name="mail-send-receive-symbolic", identity_kinds=["phone"],
                                capabilities=Parley.ChannelCapabilities.TEXT, capacity=3)
        # Its settings: the hub takes these names only, with values that fit.
        token = self.info.declare_setting("token", Parley.SettingType.STRING,
                                          "The secret the provider sends in X-Example-Token")
        token.set_secret(True)
        token.set_required(True)
        token.set_range(TOKEN_MIN_LENGTH, 256)
        url = self.info.declare_setting("outbound-url", Parley.SettingType.URL, "Where replies are POSTed")
        url.set_required(True)
        self.token = None
        self.outbound_url = None

    # Life cycle ------------------------------------------------------------

    def do_get_info(self):
        """The declaration: hub and desktops take the channel's title, icon,
        whom it reaches and what it can do from here."""
        return self.info

    def do_start(self):
        """Reads the settings and takes the route; an error keeps the
        channel from running, and the hub logs why."""
        self.token = self.host.get_setting(KIND, "token")
        if self.token is None or len(self.token) < TOKEN_MIN_LENGTH:
            raise parley_error(Parley.Error.INVALID,
                               f"Set a token of at least {TOKEN_MIN_LENGTH} characters: "
                               f"parleyctl set {KIND} token SECRET")
        self.outbound_url = self.host.get_setting(KIND, "outbound-url")
        # The route is /api/v1/channels/pyexample/inbound; the hub answers
        # other methods (405) and bodies over its limit (0: the hub's own,
        # 413) itself, and removes the route when the channel stops.
        return self.host.add_route(self, "inbound", Parley.HttpMethods.POST, 0, self._inbound)

    def do_stop(self):
        self.session.abort()

    # Inbound ---------------------------------------------------------------

    def _read_inbound(self, request):
        """The message a provider's request carries; raises GLib.Error."""
        token = request.get_header("X-Example-Token")
        # Secrets are compared in constant time: how long a refusal takes
        # must not tell how much of a guess was right.
        if not Parley.crypto_equal(self.token, token):
            raise parley_error(Parley.Error.UNAUTHORIZED, "Missing or wrong X-Example-Token")
        # The body as one JSON object, within the hub's nesting limits.
        body = request.read_object()
        sender = Parley.json_get_string(body, "from", True)
        text = Parley.json_get_string(body, "text", True)
        # The sender is an identity: a phone number here, which the hub
        # normalises (E.164) and resolves to a customer, the same customer
        # who calls or texts from that number on another channel.
        inbound = Parley.Inbound.new(KIND, "phone", sender)
        inbound.set_text(text)
        # Optional members: None when missing, an error when not strings.
        inbound.set_display_name(Parley.json_get_string(body, "name", False))
        inbound.set_external_id(Parley.json_get_string(body, "id", False))
        return inbound

    def _inbound(self, request):
        """POST /api/v1/channels/pyexample/inbound"""
        try:
            inbound = self._read_inbound(request)
        except GLib.Error as error:
            # {"error":{"code","message"}} with the status the code maps to.
            request.reply_error(error)
            return
        # The request waits for its answer until the hub has committed the
        # message; a provider that hangs up meanwhile gets none.
        self.host.submit_async(inbound, None, self._submitted, (request, inbound))

    def _submitted(self, host, result, pending):
        request, inbound = pending
        try:
            host.submit_finish(result)
        except GLib.Error as error:
            request.reply_error(error)
            return
        answer = Json.Object()
        answer.set_int_member("event", inbound.get_event_id())
        request.reply_object(Soup.Status.ACCEPTED, answer)

    # Outbound --------------------------------------------------------------

    def do_deliver_async(self, outbound, cancellable, callback, user_data):
        # PyGObject hands us the hub's callback with its data already bound.
        task = Gio.Task.new(self, cancellable, callback)
        msg = Soup.Message.new("POST", self.outbound_url) if self.outbound_url else None
        if msg is None:
            task.return_error(parley_error(Parley.Error.CHANNEL_UNAVAILABLE,
                                           f"Set a valid outbound-url: parleyctl set {KIND} outbound-url URL"))
            return
        # The identity the hub chose to reach the customer by.
        body = json.dumps({"to": outbound.get_to_value(), "text": outbound.get_text(),
                           "event": outbound.get_event_id()})
        msg.set_request_body_from_bytes("application/json", GLib.Bytes.new(body.encode()))
        self.session.send_and_read_async(msg, GLib.PRIORITY_DEFAULT, cancellable,
                                         self._delivered, (task, msg))

    def _delivered(self, session, result, request):
        task, msg = request
        try:
            session.send_and_read_finish(result)
        except GLib.Error as error:
            task.return_error(parley_error(Parley.Error.CHANNEL_UNAVAILABLE,
                                           f"The provider is unreachable: {error.message}"))
            return
        status = msg.get_status()
        if 200 <= status < 300:
            task.return_boolean(True)
        else:
            task.return_error(parley_error(Parley.Error.REJECTED, f"The provider answered {status}"))

    def do_deliver_finish(self, result):
        return result.propagate_boolean()
