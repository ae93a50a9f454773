# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end, a channel that exists only as a third-party hub plugin:
tests/plugins/pigeon ("Carrier Pigeon", reaching "loft" identities), with
no desktop plugin and no entry in any table of Parley's. A real parleyd
with the demo data and the real desktop under Xvfb at 1366×768, driven
through AT-SPI.

An agent given capacity on it (parleyctl agent-add) is offered its
conversation; its title, from the hub's declaration, shows in the offer,
the sidebar row, the conversation's subtitle, the event bubble and the
timeline's channel filter; the reply switcher offers it only for a
customer with a loft, and says why not for one without."""

import os
import sys
import tempfile

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atspi_driver import App, wait_for, walk  # noqa: E402
from parley_testbed import Hub, app_environment, check, go_available, run_tap, sign_in, start_keyring  # noqa: E402

BUILD = os.environ["PARLEY_BUILD_ROOT"]
SHOTS = os.environ.get("PARLEY_SCREENSHOT_DIR", os.path.join(BUILD, "screenshots"))
API_KEY = "e2e-integrator-secret-key"
TITLE = "Carrier Pigeon"


def main():
    os.makedirs(SHOTS, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="parley-channels-e2e-", ignore_cleanup_errors=True) as work:
        # An agent with capacity on the new channel.
        hub = Hub(os.path.join(work, "hub"), {"api": {"key": API_KEY}}, test_plugins=True,
                  commands=[["agent-add", "dora", "--name", "Dora Finch", "--password", "parley-demo", "--role", "agent",
                             "--capacity", "pigeon=2", "--capacity", "api=2"]])
        # A keyring keeps the password, so no toast covers the screenshots.
        env = app_environment(work)
        env.update(start_keyring(work))
        app = App([os.path.join(BUILD, "src", "desktop", "parley")], env, os.path.join(BUILD, "parley-channels-e2e.log"))
        try:
            run(app, hub)
        except Exception:
            app.record_failure(os.path.join(SHOTS, "channels-failure.png"), os.path.join(BUILD, "parley-channels-e2e-tree.txt"))
            raise
        finally:
            app.close()
            hub.stop()


def sensitive(node):
    return node.getState().contains(pyatspi.STATE_SENSITIVE)


def sidebar_row(app, prefix):
    return wait_for(f"the sidebar row {prefix!r}", lambda: next(
        (n for n in walk(app.root) if (n.name or "").startswith(prefix) and n.getRoleName() == "list item"), None))


def accept_offer(app, name):
    offer = app.find("panel", contains=name, timeout=20)
    app.press("push button", contains="Accept")
    return offer


def run(app, hub):
    app.action("test-window-size", "<(1366, 768)>")
    status = sign_in(app, hub, login="dora")
    go_available(app, status)
    declared = next(c for c in hub.get("channels")["channels"] if c["kind"] == "pigeon")
    check("the hub lists the pigeon channel as its plugin declares it",
          declared["title"] == TITLE and declared["identity_kinds"] == ["loft"], declared)

    # A bird flies in: offered to the agent with capacity on pigeon.
    hub.post("channels/pigeon/inbound", {"loft": "dovecote-3", "name": "Percy Pigeon", "text": "Coo from the tower"})
    offer = accept_offer(app, "Percy Pigeon")
    check("the offer names the channel by its declared title", f"New {TITLE}: Percy Pigeon" in offer.name, offer.name)
    app.wait_label("Coo from the tower", timeout=20)
    row = sidebar_row(app, "Percy Pigeon, ")
    check("the sidebar row names the channel", row.name.startswith(f"Percy Pigeon, {TITLE}"), row.name)
    check("the conversation's subtitle names the channel", app.wait_label(f" · {TITLE} · "))
    check("the event bubble names the channel", app.wait_label(f"{TITLE} · "))
    pigeon = app.find("push button", contains=f"Reply on {TITLE}")
    check("the reply switcher offers the channel to a customer with a loft", sensitive(pigeon))
    app.screenshot(os.path.join(SHOTS, "channels-pigeon.png"))
    app.action("test-style", "<'dark'>")
    app.screenshot(os.path.join(SHOTS, "channels-pigeon-dark.png"))
    app.action("test-style", "<'light'>")

    # The timeline's filter offers the channels the hub runs, this one too.
    labels = len(app.find_all("label"))
    app.click_at(app.find("combo box", "Show channel"))
    wait_for("the filter's choices", lambda: len(app.find_all("label")) > labels, timeout=10)
    choices = app.labels()
    check("the timeline filter offers the channel by its title, and no channel neither running nor in this timeline",
          TITLE in choices and "Changes" in choices and "email" not in choices, choices)
    app.screenshot(os.path.join(SHOTS, "channels-filter.png"))
    app.press_keys(app.find("combo box", "Show channel"), "Escape")

    # A customer without a loft: the channel is there but cannot reach them.
    wren = hub.post("channels/api/inbound", {"from": {"kind": "email", "value": "wren@example.com", "name": "Wren Ada"},
                                             "text": "Can a pigeon bring my parcel?", "external_id": "pigeon-1"},
                    headers={"X-Parley-Key": API_KEY})
    accept_offer(app, "Wren Ada")
    app.wait_label("Can a pigeon bring my parcel?", timeout=20)
    pigeon = app.find("push button", contains=f"Reply on {TITLE}")
    check("for a customer without a loft the channel is insensitive and says why",
          not sensitive(pigeon) and "no address for this channel" in (pigeon.description or "")
          and app.wait_label(f"{TITLE}: no address for this channel"), pigeon.description)
    check("channels the hub does not run are not offered (the demo's email history)",
          not any(n.name == "Reply on email" for n in app.find_all("push button")))

    # Given a loft, the customer can be reached on it.
    hub.request("POST", f"customers/{wren['customer']}/identities", {"kind": "loft", "value": "wren-roost"},
                headers={"Authorization": f"Bearer {hub.token}"})
    app.click_at(sidebar_row(app, "Percy Pigeon, "))
    app.wait_label("Coo from the tower", timeout=20)
    app.click_at(sidebar_row(app, "Wren Ada, "))
    check("with a loft linked the channel reaches the customer", wait_for(
        "the pigeon reply enabled", lambda: sensitive(app.find("push button", contains=f"Reply on {TITLE}")), timeout=20))


if __name__ == "__main__":
    run_tap(main)
