# SPDX-License-Identifier: GPL-3.0-or-later
"""Real servers for the desktop tests and benchmarks: a parleyd with the demo
data on a free loopback port, and a Secret Service (gnome-keyring) for the
remembered password; and the steps every agent test starts with."""

import base64
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback
import urllib.request

from atspi_driver import walk, wait_for

BUILD = os.environ["PARLEY_BUILD_ROOT"]
HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hub:
    """parleyd with the demo data. settings: {channel: {key: value}} set
    with parleyctl; config: the text of a parleyd configuration file;
    test_plugins: also load the test channels of tests/plugins (pigeon, a
    channel with no desktop side); commands: parleyctl commands (argument
    lists) run before the hub starts, which reads its agents then."""

    def __init__(self, data_dir, settings=None, config="", test_plugins=False, commands=()):
        ctl = os.path.join(BUILD, "src", "hub", "parleyctl")
        subprocess.run([ctl, "--data-dir", data_dir, "demo"], check=True, stdout=subprocess.DEVNULL)
        for channel, values in (settings or {}).items():
            for key, value in values.items():
                subprocess.run([ctl, "--data-dir", data_dir, "set", channel, key, value],
                               check=True, stdout=subprocess.DEVNULL)
        self.data_dir = data_dir
        for command in commands:
            self.ctl(*command)
        self.plugin_dirs = [os.path.join(BUILD, "plugins")] + ([os.path.join(HERE, "..", "plugins")] if test_plugins else [])
        self.config = os.path.join(data_dir, "parleyd.conf")
        with open(self.config, "w") as out:
            out.write(config)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = None
        self.start()
        self.token = self.post("auth/login", {"login": "sam", "password": "parley-demo"})["token"]

    def start(self):
        """Starts parleyd, on the same port every time, as a restart would."""
        env = dict(os.environ, PARLEY_PLUGIN_DIR=os.pathsep.join(self.plugin_dirs))
        self.log = open(os.path.join(self.data_dir, "parleyd.log"), "a")
        self.process = subprocess.Popen([os.path.join(BUILD, "src", "hub", "parleyd"), "--data-dir", self.data_dir,
                                         "--listen", f"127.0.0.1:{self.port}", "--config", self.config], env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        wait_for("parleyd", lambda: self.request("GET", "health").get("status") == "ok")

    def ctl(self, *args):
        """Runs parleyctl on the hub's data, as an administrator would."""
        subprocess.run([os.path.join(BUILD, "src", "hub", "parleyctl"), "--data-dir", self.data_dir] + list(args),
                       check=True, stdout=subprocess.DEVNULL)

    def request(self, method, path, body=None, headers=None):
        """body: an object sent as JSON, or bytes sent as they are (a file)."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.url}/api/v1/{path}", data=data, method=method, headers=headers or {})
        with urllib.request.urlopen(req, timeout=10) as answer:
            return json.loads(answer.read() or b"{}")

    def get(self, path):
        return self.request("GET", path, headers={"Authorization": f"Bearer {self.token}"})

    def put(self, path, body):
        return self.request("PUT", path, body, headers={"Authorization": f"Bearer {self.token}"})

    def post(self, path, body, headers=None):
        return self.request("POST", path, body, headers)

    def clear_queue(self):
        """Resolves the demo's waiting conversations, so the next offer is
        the test's own."""
        for conversation in self.get("conversations?state=queued")["conversations"]:
            self.request("POST", f"conversations/{conversation['id']}/resolve", {"disposition": "test-setup"},
                         headers={"Authorization": f"Bearer {self.token}"})

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


class AgentSocket:
    """An agent signed in through the REST API with the events WebSocket
    open (the hub counts an agent online only while one is), spoken over a
    plain socket: Debian's Python has no WebSocket module. Pushes land in
    self.pushes; with accept_offers, offers are accepted as they come."""

    def __init__(self, hub, login, accept_offers=False):
        self.hub = hub
        self.token = hub.post("auth/login", {"login": login, "password": "parley-demo"})["token"]
        self.agent = self.get("agents/me")
        self.accept_offers = accept_offers
        self.pushes = []
        self.sock = socket.create_connection(("127.0.0.1", hub.port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /api/v1/events?access_token={self.token} HTTP/1.1\r\nHost: 127.0.0.1:{hub.port}\r\n"
                           f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += self.sock.recv(1)
        if b" 101 " not in answer.split(b"\r\n", 1)[0]:
            raise AssertionError(f"events socket refused: {answer!r}")
        self.sock.settimeout(None)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        wait_for(f"{login} online", lambda: any(p.get("type") == "hello" for p in self.pushes))

    def _exactly(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def _read(self):
        try:
            while True:
                first, second = self._exactly(2)
                length = second & 0x7F
                if length == 126:
                    length = struct.unpack(">H", self._exactly(2))[0]
                elif length == 127:
                    length = struct.unpack(">Q", self._exactly(8))[0]
                payload = self._exactly(length)
                if first & 0x0F != 1:
                    continue
                push = json.loads(payload)
                self.pushes.append(push)
                offer = push.get("offer") if push.get("type") == "offer" else None
                if self.accept_offers and offer and offer.get("state", "offered") == "offered":
                    self.post(f"offers/{offer['id']}/accept", {})
        except (EOFError, OSError, ValueError):
            pass

    def get(self, path):
        return self.hub.request("GET", path, headers={"Authorization": f"Bearer {self.token}"})

    def post(self, path, body):
        return self.hub.request("POST", path, body, headers={"Authorization": f"Bearer {self.token}"})

    def put(self, path, body):
        return self.hub.request("PUT", path, body, headers={"Authorization": f"Bearer {self.token}"})

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def start_keyring(work):
    """Runs gnome-keyring's Secret Service on this session bus with a fresh,
    unlocked login keyring under work; returns the environment the app
    needs to share it."""
    daemon = "/usr/bin/gnome-keyring-daemon"
    env = dict(os.environ, XDG_DATA_HOME=os.path.join(work, "data"), XDG_RUNTIME_DIR=os.path.join(work, "run"))
    os.makedirs(env["XDG_DATA_HOME"], exist_ok=True)
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
    subprocess.run([daemon, "--unlock", "--components=secrets"], input=b"parley-test", env=env,
                   check=True, stdout=subprocess.DEVNULL)
    return {"XDG_DATA_HOME": env["XDG_DATA_HOME"], "XDG_RUNTIME_DIR": env["XDG_RUNTIME_DIR"]}


def app_environment(work):
    """The environment the app runs in under test: its own settings, the
    test hooks, AT-SPI on, C locale, plugins from the build tree. The app
    picks its renderer itself, as for an agent (cairo under Xvfb, whose
    OpenGL is Mesa's software one), and says so in its log."""
    # The accessibility bus, started on demand by this session's bus, puts
    # its socket in a runtime directory of this test's own: by default it is
    # ~/.cache/at-spi/bus, which every test on the machine shares and the
    # first to end removes (an app started after that finds no bus).
    runtime = os.path.join(work, "a11y-runtime")
    os.makedirs(runtime, mode=0o700, exist_ok=True)
    subprocess.run(["dbus-update-activation-environment", f"XDG_RUNTIME_DIR={runtime}"], check=True)
    env = dict(os.environ,
               GSETTINGS_BACKEND="keyfile", XDG_CONFIG_HOME=os.path.join(work, "config"),
               PARLEY_TEST_HOOKS="1",
               G_MESSAGES_DEBUG="parley-application",
               GTK_A11Y="atspi",
               LANGUAGE="C", LC_ALL="C.UTF-8",
               PARLEY_PLUGIN_DIR=os.path.join(BUILD, "plugins"))
    env.pop("NO_AT_BRIDGE", None)
    env.pop("GSK_RENDERER", None)
    return env


def sign_in(app, hub, login="alice"):
    """Signs in from the first screen; returns the presence switcher."""
    app.type_into(app.find("text", "Hub address"), hub.url)
    app.type_into(app.find("text", "Login"), login)
    app.type_keys(app.find("text", "Password"), "parley-demo")
    app.click(app.find("push button", contains="Sign In"))
    return app.find("push button", contains="Status:", timeout=20)


def go_available(app, status):
    app.click(status)
    app.click(app.find("radio menu item", "Available"))
    wait_for("presence available", lambda: "Available" in app.find("push button", contains="Status:").name)


def find_named(app, name, timeout=15.0):
    """The accessible called name, whatever its role."""
    def look():
        for node in walk(app.root):
            try:
                if node.name == name:
                    return node
            except Exception:
                continue
        return None
    return wait_for(name, look, timeout=timeout)


def choose_file(app, path):
    """Picks path in the open file chooser (GTK's own: no portal runs here)
    by typing it into the location field, then Enter."""
    find_named(app, "Attach File")
    window = wait_for("the file chooser's window", lambda: subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "^Attach File$"], capture_output=True, text=True).stdout.split())[-1]
    subprocess.run(["xdotool", "windowfocus", "--sync", window], check=True)
    subprocess.run(["xdotool", "key", "--window", window, "ctrl+l"], check=True)
    time.sleep(0.5)
    subprocess.run(["xdotool", "type", "--delay", "15", path], check=True)
    time.sleep(0.3)
    subprocess.run(["xdotool", "key", "Return"], check=True)


results = []
# The TAP stream: a descriptor of its own when the test's command gives one
# (PARLEY_TAP_FD), since daemons started on demand (the accessibility
# registry, the keyring) write to standard output and would mix into it.
TAP = os.fdopen(int(os.environ["PARLEY_TAP_FD"]), "w", buffering=1) if "PARLEY_TAP_FD" in os.environ else sys.stdout


def check(name, condition, detail=""):
    """One TAP line; a failed check stops the test."""
    results.append((name, bool(condition), detail))
    print(("ok" if condition else "not ok") + f" {len(results)} - {name}" + (f" # {detail}" if detail and not condition else ""),
          file=TAP, flush=True)
    if not condition:
        raise AssertionError(name)


def run_tap(main):
    """Runs main, reports an unexpected error as a failed check, prints the
    plan and exits with the result."""
    try:
        main()
    except Exception as error:
        for line in traceback.format_exc().splitlines():
            print("# " + line, file=TAP)
        if not results or results[-1][1]:
            results.append((str(error), False, ""))
            print(f"not ok {len(results)} - {error}", file=TAP)
    print(f"1..{len(results)}", file=TAP, flush=True)
    sys.exit(0 if results and all(ok for _, ok, _ in results) else 1)
