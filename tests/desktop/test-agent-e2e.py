# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end, as an agent: a real parleyd with demo data, the real Parley
desktop under Xvfb, driven through AT-SPI by accessible names.

Sign in, go available, receive an offer sent through the api channel,
accept it, read the customer's timeline (history on other channels too),
reply on the api channel and see the reply reach the integrator's callback,
resolve with a disposition. Screenshots (light, dark, narrow) land in the
build directory."""

import hashlib
import hmac
import http.server
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atspi_driver import App, wait_for  # noqa: E402

BUILD = os.environ["PARLEY_BUILD_ROOT"]
SHOTS = os.environ.get("PARLEY_SCREENSHOT_DIR", os.path.join(BUILD, "screenshots"))
API_KEY = "e2e-integrator-secret-key"
results = []


def check(name, condition, detail=""):
    results.append((name, bool(condition), detail))
    print(("ok" if condition else "not ok") + f" {len(results)} - {name}" + (f" # {detail}" if detail and not condition else ""))
    sys.stdout.flush()
    if not condition:
        raise AssertionError(name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Callback(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Callback.received.append((body, self.headers.get("X-Parley-Signature")))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


class Hub:
    def __init__(self, data_dir, callback_url):
        ctl = os.path.join(BUILD, "src", "hub", "parleyctl")
        subprocess.run([ctl, "--data-dir", data_dir, "demo"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([ctl, "--data-dir", data_dir, "set", "api", "key", API_KEY], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([ctl, "--data-dir", data_dir, "set", "api", "callback-url", callback_url], check=True, stdout=subprocess.DEVNULL)
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = None
        self.start()
        self.token = self.post("auth/login", {"login": "sam", "password": "parley-demo"})["token"]

    def start(self):
        """Starts parleyd, on the same port every time, as a restart would."""
        env = dict(os.environ, PARLEY_PLUGIN_DIR=os.path.join(BUILD, "plugins"))
        self.log = open(os.path.join(self.data_dir, "parleyd.log"), "a")
        self.process = subprocess.Popen([os.path.join(BUILD, "src", "hub", "parleyd"), "--data-dir", self.data_dir,
                                         "--listen", f"127.0.0.1:{self.port}"], env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        wait_for("parleyd", lambda: self.request("GET", "health").get("status") == "ok")

    def request(self, method, path, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.url}/api/v1/{path}", data=data, method=method, headers=headers or {})
        with urllib.request.urlopen(req, timeout=10) as answer:
            return json.loads(answer.read() or b"{}")

    def get(self, path):
        return self.request("GET", path, headers={"Authorization": f"Bearer {self.token}"})

    def post(self, path, body, headers=None):
        return self.request("POST", path, body, headers)

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def main():
    os.makedirs(SHOTS, exist_ok=True)
    if os.path.exists(os.path.join(SHOTS, "failure.png")):
        os.unlink(os.path.join(SHOTS, "failure.png"))
    work = tempfile.mkdtemp(prefix="parley-e2e-")
    callback = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Callback)
    threading.Thread(target=callback.serve_forever, daemon=True).start()
    hub = Hub(os.path.join(work, "hub"), f"http://127.0.0.1:{callback.server_address[1]}/replies")

    env = dict(os.environ,
               GSETTINGS_BACKEND="memory",
               PARLEY_TEST_HOOKS="1",
               GSK_RENDERER="cairo",
               GTK_A11Y="atspi",
               LANGUAGE="C", LC_ALL="C.UTF-8",
               PARLEY_PLUGIN_DIR=os.path.join(BUILD, "plugins"))
    env.pop("NO_AT_BRIDGE", None)
    app = App([os.path.join(BUILD, "src", "desktop", "parley")], env, os.path.join(BUILD, "parley-e2e.log"))
    try:
        run(app, hub)
    except Exception:
        # What the screen showed, for whoever reads the failure.
        try:
            app.screenshot(os.path.join(SHOTS, "failure.png"))
            app.dump_tree(os.path.join(BUILD, "parley-e2e-tree.txt"))
        except Exception:
            pass
        raise
    finally:
        app.close()
        hub.stop()
        callback.shutdown()


def run(app, hub):
    # Sign in.
    app.type_into(app.find("text", "Hub address"), hub.url)
    app.type_into(app.find("text", "Login"), "alice")
    app.type_keys(app.find("text", "Password"), "parley-demo")
    app.screenshot(os.path.join(SHOTS, "login.png"))
    app.click(app.find("push button", contains="Sign In"))
    status = app.find("push button", contains="Status:", timeout=20)
    check("signed in; the presence switcher shows away", "Away" in status.name, status.name)

    # A customer with history on chat, voice and email writes through the api channel.
    sent = hub.post("channels/api/inbound",
                    {"from": {"kind": "email", "value": "maria.garcia@example.com", "name": "María García"},
                     "text": "Hi, it is María again <b>not bold</b>: where is my swap?", "external_id": "e2e-1"},
                    headers={"X-Parley-Key": API_KEY})
    conversation = sent["conversation"]

    # Go available: the offer arrives.
    app.click(status)
    app.click(app.find("radio menu item", "Available"))
    wait_for("presence available", lambda: "Available" in app.find("push button", contains="Status:").name)
    check("went available", True)
    offer = app.find("panel", contains="María García", timeout=20)
    check("the offer shows customer and channel", "New Email: María García" in offer.name, offer.name)
    countdown = app.wait_label("left to accept")
    check("the offer counts down", re.search(r"\d+ s left to accept", countdown), countdown)
    app.screenshot(os.path.join(SHOTS, "offer.png"))

    app.click(app.find("push button", contains="Accept"))
    # The customer's timeline: the api message and history on other channels.
    app.wait_label("where is my swap?", timeout=20)
    check("the timeline shows the api message as plain text", any("<b>not bold</b>" in t for t in app.labels()))
    check("the timeline shows email history", app.wait_label("wrong size. Can I swap it?"))
    check("the customer header names every identity's customer", app.find("label", contains="María García"))
    details = hub.get(f"conversations/{conversation}")
    check("the hub has the conversation assigned to alice", details["state"] == "assigned" and details["agent_id"] == 1,
          json.dumps(details))

    # Reply on the api channel.
    app.click(app.find("push button", contains="Reply on API"))
    app.type_into(app.find("text", "Reply text"), "Your swap ships today, María.")
    app.click(app.find("push button", contains="Send"))
    wait_for("the reply at the callback", lambda: Callback.received, timeout=20)
    body, signature = Callback.received[0]
    reply = json.loads(body)
    expected = "sha256=" + hmac.new(API_KEY.encode(), body, hashlib.sha256).hexdigest()
    check("the reply reached the api callback", reply["text"] == "Your swap ships today, María.", body)
    check("the reply is addressed to the customer", reply["to"] == {"kind": "email", "value": "maria.garcia@example.com"})
    check("the callback signature verifies", hmac.compare_digest(signature or "", expected))
    app.wait_label("Your swap ships today, María.")
    check("the reply shows in the timeline", True)

    app.screenshot(os.path.join(SHOTS, "agent-light.png"))
    app.action("test-style", "<'dark'>")
    time.sleep(0.5)
    app.screenshot(os.path.join(SHOTS, "agent-dark.png"))
    app.action("test-style", "<'light'>")

    # The hub restarts: the window says it is offline, keeps trying, and
    # comes back with the status the agent chose.
    hub.stop()
    banner = app.wait_label("Offline: the hub cannot be reached", timeout=20)
    check("the window shows it is offline while the hub is down", banner)
    app.screenshot(os.path.join(SHOTS, "offline.png"))
    hub.start()
    wait_for("back online", lambda: not any("Offline:" in t for t in app.labels()), timeout=60)
    wait_for("presence restored",
             lambda: "Available" in app.find("push button", contains="Status:").name, timeout=20)
    check("after the restart the agent is online and available again", True)
    app.wait_label("Your swap ships today, María.")
    check("the timeline is still there after the resync", True)

    # Resolve with a disposition.
    app.click(app.find("push button", contains="Resolve"))
    dialog = app.find("dialog", "Resolve Conversation")
    choice = app.find("check box", "replacement-sent")
    app.click_at(choice)
    wait_for("the disposition picked", lambda: choice.getState().contains(pyatspi.STATE_CHECKED))
    app.click(app.find("push button", contains="Resolve", within=dialog))
    wait_for("resolved at the hub", lambda: hub.get(f"conversations/{conversation}")["state"] == "resolved")
    disposition = hub.get(f"conversations/{conversation}")["disposition"]
    check("resolved with the chosen disposition", disposition == "replacement-sent", disposition)

    # Link an identity, merge a duplicate, and undo the merge from the toast.
    customer = sent["customer"]
    app.click(app.find("push button", "Customer Actions"))
    app.click(app.find("menu item", contains="Link Identity"))
    dialog = app.find("dialog", "Link Identity")
    app.click_at(app.find("check box", "Phone number", within=dialog))
    app.type_into(app.find("text", contains="Address", within=dialog), "+44 20 7946 0018")
    app.click(app.find("push button", contains="Link", within=dialog))
    wait_for("the identity linked", lambda: {"kind": "phone", "value": "+442079460018"}
             in hub.get(f"customers/{customer}")["identities"])
    check("an identity linked from the customer menu, normalised by the hub", True)

    duplicate = hub.get("customers?q=Dubois")["customers"][0]["id"]
    app.click(app.find("push button", "Customer Actions"))
    app.click(app.find("menu item", contains="Merge Duplicate"))
    dialog = app.find("dialog", "Merge Duplicate")
    app.type_into(app.find("entry", "Find the duplicate", within=dialog), "Dubois")
    candidate = app.find("check box", contains="Léa Dubois", within=dialog)
    check("the one duplicate found is offered, already chosen",
          candidate.getState().contains(pyatspi.STATE_CHECKED), candidate.name)
    app.click(app.find("push button", contains="Merge", within=dialog))
    wait_for("merged", lambda: hub.get(f"customers/{duplicate}")["merged_into"] == customer)
    check("a duplicate merged from the customer menu", True)
    app.wait_label("Léa Dubois")
    app.click(app.find("push button", contains="Undo"))
    wait_for("merge undone", lambda: hub.get(f"customers/{duplicate}")["merged_into"] == 0)
    check("the merge undone from the toast", True)

    app.action("test-window-size", "<(380, 720)>")
    time.sleep(1)
    app.screenshot(os.path.join(SHOTS, "agent-narrow.png"))


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # report, then fail
        if not results or results[-1][1]:
            results.append((str(error), False, ""))
            print(f"not ok {len(results)} - {error}")
        print(f"1..{len(results)}")
        sys.exit(1)
    print(f"1..{len(results)}")
