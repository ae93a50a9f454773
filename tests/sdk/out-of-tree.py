#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The SDK as a third party gets it (TAP).

Installs this build into a temporary directory, builds the installed C
templates and plugins/api/hub out of tree with that prefix's pkg-config
files alone, puts the hub templates (C and Python) into a per-user plugin
directory, and runs the installed parleyd with them: a message goes in
through each template's webhook and a supervisor's reply comes out of each
at the provider's address. Then the installed desktop starts with the
desktop templates and must load both.

  out-of-tree.py BUILD-DIR SOURCE-DIR
"""

import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

BUILD, SOURCE = sys.argv[1], sys.argv[2]
TOKEN = "a-token-of-sixteen-characters-at-least"
checks = 0


def ok(condition, what):
    global checks
    checks += 1
    print(("ok" if condition else "not ok"), checks, "-", what, flush=True)
    return condition


def run(command, **kwargs):
    """Runs a command; its output goes to the log only when it fails."""
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        print(f"# {' '.join(command)} failed:\n{done.stdout}{done.stderr}", file=sys.stderr)
    return done.returncode == 0


class Provider(http.server.BaseHTTPRequestHandler):
    """The channels' provider: keeps what the hub POSTs to it, per path."""
    received = {}

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Provider.received.setdefault(self.path, []).append(json.loads(body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def request(base, method, path, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers=dict(headers or {}, **{"Content-Type": "application/json"}))
    try:
        with urllib.request.urlopen(req, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def install(work):
    """Installs the build under work/dest; returns the prefix's directories."""
    options = {o["name"]: o["value"] for o in json.loads(subprocess.run(
        ["meson", "introspect", "--buildoptions", BUILD], check=True, capture_output=True, text=True).stdout)}
    dest = os.path.join(work, "dest")
    ok(run(["meson", "install", "-C", BUILD, "--destdir", dest, "--no-rebuild", "--quiet"]),
       "the SDK installs into a temporary directory")
    prefix = dest + options["prefix"]
    dirs = {name: os.path.join(prefix, options[name]) for name in ("bindir", "libdir", "datadir")}
    pc = open(os.path.join(dirs["libdir"], "pkgconfig", "parley-1.pc")).read()
    ok("prefix=${pcfiledir}" in pc,
       "its pkg-config files are relocatable (else: meson configure BUILD -Dpkgconfig.relocatable=true)")
    return dirs


def build_out_of_tree(source, work, name, env):
    """Copies @source to work/name and builds it there with meson."""
    tree = os.path.join(work, name)
    shutil.copytree(source, tree, ignore=shutil.ignore_patterns("_build*"))
    return (run(["meson", "setup", "_build"], cwd=tree, env=env)
            and run(["meson", "compile", "-C", "_build"], cwd=tree, env=env)), os.path.join(tree, "_build")


def put_plugin(files, plugin_dir):
    os.makedirs(plugin_dir)
    for path in files:
        shutil.copy(path, plugin_dir)


def check_hub(dirs, env, work, provider):
    data_dir = os.path.join(work, "data")
    parleyctl = [os.path.join(dirs["bindir"], "parleyctl"), "--data-dir", data_dir]
    settings_ok = run(parleyctl + ["agent-add", "sam", "--name", "Sam", "--password", "sdk-check-pass",
                                   "--role", "supervisor"], env=env)
    for kind in ("example", "pyexample"):
        settings_ok = (settings_ok and run(parleyctl + ["set", kind, "token", TOKEN], env=env)
                       and run(parleyctl + ["set", kind, "outbound-url", f"{provider}/{kind}"], env=env))
    ok(settings_ok, "the installed parleyctl sets the templates' settings")

    log = open(os.path.join(work, "parleyd.log"), "w+")
    hub = subprocess.Popen([os.path.join(dirs["bindir"], "parleyd"), "--data-dir", data_dir,
                            "--listen", "127.0.0.1:0"], env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        first = hub.stdout.readline()
        if not ok(first.startswith("parleyd listening on "), "the installed parleyd starts"):
            return
        base = first.split()[-1].rstrip("/") + "/api/v1"
        threading.Thread(target=hub.stdout.read, daemon=True).start()
        status, login = request(base, "POST", "/auth/login", {"login": "sam", "password": "sdk-check-pass"})
        auth = {"Authorization": f"Bearer {login.get('token')}"}
        status, channels = request(base, "GET", "/channels", headers=auth)
        kinds = {channel["kind"] for channel in channels.get("channels", [])}
        ok({"example", "pyexample"} <= kinds, f"both hub templates run (channels: {sorted(kinds)})")

        for kind, phone, name in (("example", "+4915112345678", "Ada Example"),
                                  ("pyexample", "+4915187654321", "Grace Example")):
            status, answer = request(base, "POST", f"/channels/{kind}/inbound",
                                     {"from": phone, "name": name, "text": f"Hello through {kind}"},
                                     {"X-Example-Token": TOKEN})
            ok(status == 202 and answer.get("event", 0) > 0, f"{kind}: a message comes in through the webhook ({status})")
            status, wrong = request(base, "POST", f"/channels/{kind}/inbound", {"from": phone, "text": "x"},
                                    {"X-Example-Token": "wrong"})
            ok(status == 401, f"{kind}: a wrong token is refused ({status})")
            status, listed = request(base, "GET", "/conversations", headers=auth)
            conversation = next((c["id"] for c in listed.get("conversations", []) if c.get("customer_name") == name), None)
            status, reply = request(base, "POST", f"/conversations/{conversation}/messages",
                                    {"channel": kind, "text": f"Hi {name}"}, auth)
            ok(status == 201, f"{kind}: a supervisor replies on it ({status} {reply})")
            delivered = wait_for(lambda: any(m.get("text") == f"Hi {name}" and m.get("to") == phone
                                             for m in Provider.received.get(f"/{kind}", [])))
            ok(delivered, f"{kind}: the reply reaches the provider ({Provider.received.get('/' + kind)})")
    finally:
        hub.terminate()
        hub.wait(timeout=10)
        log.seek(0)
        print("# parleyd:\n" + "".join("#   " + line for line in log), file=sys.stderr)


def check_desktop(dirs, env, work):
    schemas = os.path.join(work, "schemas")
    shutil.copytree(os.path.join(dirs["datadir"], "glib-2.0", "schemas"), schemas)
    run(["glib-compile-schemas", schemas])
    env = dict(env, GSETTINGS_SCHEMA_DIR=schemas, GSETTINGS_BACKEND="memory", GSK_RENDERER="cairo",
               G_MESSAGES_DEBUG="parley-plugin-host")
    log_path = os.path.join(work, "parley.log")
    with open(log_path, "w") as log:
        desktop = subprocess.Popen(["dbus-run-session", "--", "xvfb-run", "-a",
                                    os.path.join(dirs["bindir"], "parley")],
                                   env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            loaded = wait_for(lambda: all(f"Desktop plugin for {kind}:" in open(log_path).read()
                                          for kind in ("example", "pyexample")), 30)
        finally:
            os.killpg(desktop.pid, 15)
            desktop.wait(timeout=10)
    text = open(log_path).read()
    ok(loaded, "the installed desktop loads both desktop templates")
    ok("WARNING" not in text and "CRITICAL" not in text, "without a warning")
    print("# parley:\n" + "".join("#   " + line for line in text.splitlines(True)), file=sys.stderr)


def main():
    work = tempfile.mkdtemp(prefix="parley-sdk-")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        dirs = install(work)
        templates = os.path.join(dirs["datadir"], "parley", "templates")
        xdg_data = os.path.join(work, "xdg-data")
        user_plugins = os.path.join(xdg_data, "parley", "plugins")
        # Only the installed SDK: its pkg-config files, libraries, typelibs.
        env = {key: value for key, value in os.environ.items() if not key.startswith("PARLEY_")}
        env.update(PKG_CONFIG_PATH=os.path.join(dirs["libdir"], "pkgconfig"),
                   LD_LIBRARY_PATH=dirs["libdir"],
                   PARLEY_TYPELIB_DIR=os.path.join(dirs["libdir"], "girepository-1.0"),
                   XDG_DATA_HOME=xdg_data, XDG_CONFIG_HOME=os.path.join(work, "xdg-config"),
                   XDG_CACHE_HOME=os.path.join(work, "xdg-cache"))

        built, hub_build = build_out_of_tree(os.path.join(templates, "c", "hub"), work, "example-hub", env)
        ok(built, "the installed C hub template builds out of tree with pkg-config alone")
        built, desktop_build = build_out_of_tree(os.path.join(templates, "c", "desktop"), work, "example-desktop", env)
        ok(built, "the installed C desktop template builds out of tree with pkg-config alone")
        built, _ = build_out_of_tree(os.path.join(SOURCE, "plugins", "api", "hub"), work, "api-hub", env)
        ok(built, "plugins/api/hub, the worked example, builds out of tree")

        put_plugin([os.path.join(hub_build, "libexample-hub.so"), os.path.join(hub_build, "example-hub.plugin")],
                   os.path.join(user_plugins, "hub", "example"))
        shutil.copytree(os.path.join(templates, "python", "hub"), os.path.join(user_plugins, "hub", "pyexample"))
        put_plugin([os.path.join(desktop_build, "libexample-desktop.so"),
                    os.path.join(desktop_build, "example-desktop.plugin")],
                   os.path.join(user_plugins, "desktop", "example"))
        shutil.copytree(os.path.join(templates, "python", "desktop"), os.path.join(user_plugins, "desktop", "pyexample"))

        check_hub(dirs, env, work, f"http://127.0.0.1:{server.server_address[1]}")
        check_desktop(dirs, env, work)
    finally:
        server.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    print(f"1..{checks}")


main()
