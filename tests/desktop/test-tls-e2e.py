# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end, the hub's certificate as the agent meets it on the sign-in
page: the real Parley desktop under Xvfb, driven through AT-SPI by
accessible names, signing in to a real parleyd behind a TLS front this test
runs (parleyd's own TLS is not used here), with a certificate the test
makes with the openssl CLI.

An http:// hub on another computer is refused before anything is sent; the
self-signed certificate is refused with the host, the reason and its
fingerprint on the page, and nothing reaches the hub; pinned by its
fingerprint under Connection Security, the same hub is accepted, for the
sign-in and the events socket, and the pin is kept for that hub, in view
and in force when the app starts again.
Screenshots (the refusals, the pinned sign-in) land in the build
directory."""

import configparser
import hashlib
import os
import select
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atspi_driver import App, text_of, wait_for  # noqa: E402
from parley_testbed import Hub, check, run_tap, app_environment, go_available  # noqa: E402

BUILD = os.environ["PARLEY_BUILD_ROOT"]
SHOTS = os.environ.get("PARLEY_SCREENSHOT_DIR", os.path.join(BUILD, "screenshots"))


class TlsFront:
    """TLS on a loopback port in front of a plain parleyd, one thread per
    connection; counts the connections that got through the handshake."""

    def __init__(self, cert, key, upstream_port):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        self.upstream_port = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.handshakes = 0
        self.refused = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                raw, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(raw,), daemon=True).start()

    def _serve(self, raw):
        try:
            tls = self.context.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            self.refused += 1
            raw.close()
            return
        self.handshakes += 1
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        try:
            while True:
                ready = [tls] if tls.pending() else select.select([tls, upstream], [], [], 120)[0]
                if not ready:
                    return
                for source in ready:
                    data = source.recv(65536)
                    if not data:
                        return
                    (upstream if source is tls else tls).sendall(data)
        except (ssl.SSLError, OSError):
            pass
        finally:
            tls.close()
            upstream.close()

    def close(self):
        self.listener.close()


def make_certificate(work):
    cert, key = os.path.join(work, "hub.pem"), os.path.join(work, "hub.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=Parley test hub",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(cert) as pem:
        der = ssl.PEM_cert_to_DER_cert(pem.read())
    digest = hashlib.sha256(der).hexdigest().upper()
    return cert, key, ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def fill_sign_in(app, url):
    app.type_into(app.find("text", "Hub address"), url)
    app.type_into(app.find("text", "Login"), "alice")
    app.type_keys(app.find("text", "Password"), "parley-demo")


def main():
    os.makedirs(SHOTS, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="parley-tls-e2e-", ignore_cleanup_errors=True) as work:
        hub = Hub(os.path.join(work, "hub"))
        cert, key, fingerprint = make_certificate(work)
        front = TlsFront(cert, key, hub.port)
        env = app_environment(work)
        app = None
        try:
            app = App([os.path.join(BUILD, "src", "desktop", "parley")], env, os.path.join(BUILD, "parley-tls-e2e.log"))
            run(app, hub, front, fingerprint, work)

            # Started again, the hub's pin is there and lets it in.
            app.action("quit")
            app.process.wait(10)
            app.close()
            app = App([os.path.join(BUILD, "src", "desktop", "parley")], env, os.path.join(BUILD, "parley-tls-e2e-2.log"))
            check("started again, the pin kept for the hub is in view",
                  app.find("label", "Only the pinned certificate is accepted") and
                  text_of(app.find("text", "Pinned certificate")) == fingerprint)
            app.type_keys(app.find("text", "Password"), "parley-demo")
            app.click(app.find("push button", contains="Sign In"))
            check("and the agent signs in over TLS again", app.find("push button", contains="Status:", timeout=20))
        except Exception:
            if app:
                app.record_failure(os.path.join(SHOTS, "tls-failure.png"), os.path.join(BUILD, "parley-tls-e2e-tree.txt"))
            raise
        finally:
            if app:
                app.close()
            front.close()
            hub.stop()


def run(app, hub, front, fingerprint, work):
    # Tall enough to show the whole sign-in page in the screenshots.
    app.action("test-window-size", "<(1000, 1000)>")
    # Plain http:// to another computer: refused on the page, nothing sent.
    fill_sign_in(app, "http://hub.example.com:8080")
    app.click(app.find("push button", contains="Sign In"))
    title = app.wait_label("is not on this computer, and its address starts with http://")
    check("an http:// hub on another computer is refused, the page names it",
          title.startswith("hub.example.com"), title)
    check("the page says how to go on (https://, or allow it under Connection Security)",
          app.wait_label("allow an unencrypted connection under Connection Security"))
    app.screenshot(os.path.join(SHOTS, "sign-in-unencrypted.png"))

    # The self-signed certificate: refused, with host, reason and fingerprint.
    url = f"https://127.0.0.1:{front.port}"
    app.type_into(app.find("text", "Hub address"), url)
    wait_for("the refusal of the other hub gone",
             lambda: not any("is not on this computer" in t for t in app.labels()), timeout=5)
    app.click(app.find("push button", contains="Sign In"))
    title = app.wait_label("could not prove its identity", timeout=20)
    check("a certificate the system does not trust is refused, the page names the host",
          title == "The hub at 127.0.0.1 could not prove its identity", title)
    check("the page says why", app.wait_label("issued by an authority this computer does not trust"))
    shown = app.wait_label("SHA-256 fingerprint of the certificate it showed")
    check("the page shows the fingerprint of the certificate it refused", fingerprint in shown, shown)
    check("nothing went through to the hub", front.handshakes == 0 and front.refused >= 1,
          f"{front.handshakes} handshakes, {front.refused} refused")
    check("the sign-in page is still there", app.find("push button", contains="Sign In"))
    app.screenshot(os.path.join(SHOTS, "sign-in-certificate-refused.png"))

    # Pinned by its fingerprint under Connection Security, it is accepted.
    app.click_at(app.find("list item", "Connection Security"))
    pin = app.find("text", "Pinned certificate")
    check("Connection Security opens with the pinned certificate and the unencrypted switch",
          app.find("label", "Allow unencrypted connection"))
    app.type_into(pin, fingerprint)
    time.sleep(0.3)
    app.screenshot(os.path.join(SHOTS, "sign-in-pinned.png"))
    app.click(app.find("push button", contains="Sign In"))
    status = app.find("push button", contains="Status:", timeout=20)
    check("with the certificate pinned, the agent signs in over TLS", status)
    check("through the TLS front", front.handshakes >= 1, str(front.handshakes))
    go_available(app, status)
    check("the events socket runs over the same trust (presence comes back as a push)", True)

    def kept_pins():
        settings = configparser.ConfigParser(interpolation=None)
        settings.read(os.path.join(work, "config", "glib-2.0", "settings", "keyfile"))
        return settings.get("org/parley/Parley", "pinned-certificates", fallback="")

    pins = wait_for("the settings written", lambda: f"'{url}': '{fingerprint}'" in kept_pins() and kept_pins(),
                    timeout=10)
    check("the pin is kept for that hub", pins)


if __name__ == "__main__":
    run_tap(main)
