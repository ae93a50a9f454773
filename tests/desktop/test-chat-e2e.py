# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end, web chat and co-browse: a real parleyd, the real Parley desktop
under Xvfb driven through AT-SPI by accessible names as the agent, and
Debian's chromium on the demo shop as the customer (tests/desktop/visitor.mjs).

The visitor writes (markup and all); the agent accepts the offer, reads the
message as text and replies on chat; the visitor reads the reply. The agent
picks a file in the file chooser (typed into its location field, as a
keyboard user would), sees it in the composer, and sends it with a reply;
the visitor downloads the very bytes, and the timeline keeps it. The agent
asks to co-browse; the visitor consents; the desktop's web view replays the
visitor's page (checked with JavaScript in the view, and a screenshot), with
the card number on it masked; the agent's pointer and click reach the
visitor's page; sharing follows the visitor to the next page; the agent ends
it and the session is in the timeline."""

import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atspi_driver import App, wait_for  # noqa: E402
from parley_testbed import Hub, check, choose_file, find_named, run_tap, app_environment, go_available, sign_in, start_keyring  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ["PARLEY_BUILD_ROOT"]
SHOTS = os.environ.get("PARLEY_SCREENSHOT_DIR", os.path.join(BUILD, "screenshots"))
LOG = os.path.join(BUILD, "parley-chat-e2e.log")


class Visitor:
    """The customer's browser, one JSON command and answer per line."""

    def __init__(self, hub_url):
        self.process = subprocess.Popen(["node", os.path.join(HERE, "visitor.mjs"), hub_url],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.answers = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.answers.put(json.loads(line))

    def do(self, command, **arguments):
        self.process.stdin.write(json.dumps(dict(arguments, do=command)) + "\n")
        self.process.stdin.flush()
        answer = self.answers.get(timeout=60)
        if "error" in answer:
            raise AssertionError(f"visitor {command}: {answer['error']}")
        return answer

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.write('{"do":"quit"}\n')
            self.process.stdin.flush()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def replayed(title_part):
    """What the co-browse view's JavaScript reported rebuilding for a page
    whose title contains title_part (the test hook prints it)."""
    pattern = re.compile(r"parley-test: co-browse replayed “([^”]*)”: (.*)")

    def look():
        with open(LOG, encoding="utf-8") as log:
            for line in log:
                found = pattern.search(line)
                if found and title_part in found.group(1):
                    return found.group(2)
        return None
    return wait_for(f"the replay of {title_part!r}", look, timeout=30)


def webkit_loaded(app):
    with open(f"/proc/{app.process.pid}/maps") as maps:
        return "libwebkitgtk" in maps.read()


def send_file(app, hub, visitor):
    """The agent sends the visitor a file whose name is markup."""
    with tempfile.TemporaryDirectory(prefix="parley-files-", ignore_cleanup_errors=True) as folder:
        name = "return label <img src=x>.pdf"
        pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
        with open(os.path.join(folder, name), "wb") as out:
            out.write(pdf)
        pending = f"{name} ({len(pdf)} bytes)"

        attach = app.find("push button", "Attach File…")
        check("the composer has an “Attach File…” button, its shortcut in the tooltip",
              "Ctrl+Shift+O" in (attach.description or ""), attach.description)
        app.click(attach)
        choose_file(app, os.path.join(folder, name))
        app.wait_label(pending, timeout=20)
        check("the file picked in the chooser goes up and waits in the composer, named and sized", True)
        app.screenshot(os.path.join(SHOTS, "chat-attach-composer.png"))
        app.press("push button", "Remove the File")
        wait_for("the file removed", lambda: pending not in app.labels())
        check("the waiting file can be removed", True)

        # A kind of file nobody may send: the hub says why, in a toast.
        tool = os.path.join(folder, "tool.zip")
        with open(tool, "wb") as out:
            out.write(b"PK\x03\x04\x14\x00\x00\x00\x08\x00")
        app.click(app.find("push button", "Attach File…"))
        choose_file(app, tool)
        toast = app.wait_label("Could not attach the file: Only pictures", timeout=20)
        check("a file the hub refuses is not attached, and a toast says why",
              "PDF documents and plain text" in toast and not any(t.startswith("tool.zip") for t in app.labels()), toast)
        # The toast lies over the composer until it times out.
        wait_for("the toast gone", lambda: not any(t.startswith("Could not attach") for t in app.labels()), timeout=15)

        # Ctrl+Shift+O opens the chooser too.
        app.type_keys(app.find("text", "Reply text"), "Here is your return label.")
        subprocess.run(["xdotool", "key", "ctrl+shift+o"], check=True)
        choose_file(app, os.path.join(folder, name))
        app.wait_label(pending, timeout=20)
        app.click(app.find("push button", contains="Send"))
        got = visitor.do("agentFile", name=name)
        check("the visitor gets the file as a button, its name as text",
              got["name"] == name and got["markup"] == 0 and got["label"] == f"Download {name}, {len(pdf)} bytes", got)
        check("the visitor downloads the very bytes the agent picked", bytes.fromhex(got["hex"]) == pdf)
        text = visitor.do("reply")["reply"]
        check("the text went with it", text == "Here is your return label.", text)
        app.find("push button", f"Open “{name}”, {len(pdf)} bytes", timeout=20)
        check("the agent's message shows its file in the timeline", True)
        wait_for("the composer emptied", lambda: pending not in app.labels())
        check("the file left the composer with the message", True)


def main():
    os.makedirs(SHOTS, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="parley-chat-e2e-", ignore_cleanup_errors=True) as work:
        hub = Hub(os.path.join(work, "hub"))
        env = app_environment(work)
        env.update(start_keyring(work))
        visitor = Visitor(hub.url)
        app = App([os.path.join(BUILD, "src", "desktop", "parley")], env, LOG)
        try:
            run(app, hub, visitor)
        except Exception:
            app.record_failure(os.path.join(SHOTS, "chat-failure.png"), os.path.join(BUILD, "parley-chat-e2e-tree.txt"))
            raise
        finally:
            visitor.close()
            app.close()
            hub.stop()


def run(app, hub, visitor):
    hub.clear_queue()
    status = sign_in(app, hub)
    go_available(app, status)

    # The visitor writes from the shop; markup in their text stays text.
    visitor.do("open")
    visitor.do("say", text="Can you help with my checkout? <b>It is stuck</b>")
    offer = app.find("panel", contains="New Chat: Visitor", timeout=30)
    check("the chat is offered to the agent", offer)
    app.press("push button", contains="Accept", within=offer)
    app.wait_label("Can you help with my checkout? <b>It is stuck</b>", timeout=20)
    check("the visitor's message is in the timeline, markup shown as text", True)
    app.wait_label("Kettle & Co — demo shop")
    check("the page the visitor wrote from shows under the message", True)

    check("the visitor sees that the agent has read their message", visitor.do("receipt")["receipt"] == "Read")

    # A picture from the visitor: the agent gets a button that opens it.
    visitor.do("attach", name="receipt <1>.png",
               hex="89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a4e5a0c20000000049454e44ae426082")
    button = app.find("push button", "Open “receipt <1>.png”, 70 bytes", timeout=20)
    check("a file the visitor sends shows as a button to open it, its name as text", button)

    # Typing shows both ways.
    visitor.do("type", text="and the card field")
    app.wait_label("Visitor is typing…")
    check("the agent sees the visitor typing", True)

    # The agent replies on chat; the visitor reads it.
    app.click(app.find("push button", contains="Reply on Chat"))
    app.type_keys(app.find("text", "Reply text"), "Of course. May I see your page?")
    typing = visitor.do("agentTyping")["typing"]
    check("the visitor sees the agent typing", typing == "Alice Martin is typing…", typing)
    app.type_into(app.find("text", "Reply text"), "Of course. May I see your page? <i>One moment</i>")
    app.click(app.find("push button", contains="Send"))
    answer = visitor.do("reply")
    check("the agent's reply reaches the visitor as text",
          answer["reply"] == "Of course. May I see your page? <i>One moment</i>" and answer["markup"] == 0, answer)
    app.wait_label("Chat · " , timeout=5)
    wait_for("the reply shown as read", lambda: any(t.endswith("· read") for t in app.labels()), timeout=15)
    check("the agent sees that the visitor has read the reply", True)

    # A file for the visitor, picked in the file chooser.
    send_file(app, hub, visitor)

    # Co-browse: asked from the customer's details, consented in the widget.
    check("WebKit is not loaded before anyone co-browses", not webkit_loaded(app))
    app.click(app.find("push button", "Customer Details"))
    time.sleep(1)  # the details slide in over the timeline here: a press during the slide is lost
    app.click(app.on_screen(app.find("push button", contains="Ask to Co-browse")))
    consent = visitor.do("acceptCobrowse")
    check("the visitor is asked by name and told what stays hidden",
          "Alice" in consent["asked"] and "card numbers" in consent["asked"], consent)
    window = app.find("frame", contains="Co-browsing with Visitor", timeout=20)
    check("a co-browse window opens for the agent, and only now loads WebKit", window and webkit_loaded(app))
    text = replayed("demo shop")
    check("the web view replays the visitor's page (read with JavaScript in the view)",
          "Blue kettle" in text and "Checkout" in text, text[:200])
    check("the card number on the visitor's page is masked in the replay",
          "**** **** **** ****" in text and "4242" not in text, text[-200:])
    app.wait_label("Seeing “Kettle & Co — demo shop”")
    check("the panel says which page the agent is seeing", True)
    visitor.do("fill", selector="#card", value="4111 1111 1111 1111")
    visitor.do("fill", selector="#password", value="hunter2-secret")
    # The web view draws in its own compositor, which GTK's snapshot of the
    # window does not include: the screenshot is taken from the X server.
    time.sleep(1)
    shown = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "Co-browsing with Visitor"],
                           capture_output=True, text=True).stdout.split()
    subprocess.run(["import", "-window", shown[-1], os.path.join(SHOTS, "cobrowse.png")], check=True)

    # The agent points and clicks in the replay; the visitor sees both.
    view = find_named(app, "The visitor’s page")
    window_id = app._window_of(view)
    extents = view.queryComponent().getExtents(0)
    # Moves made while the window is still settling can go unseen: the
    # agent moves again, as one would, for up to 15 s.
    for attempt in range(10):
        for dx in (40, 60, 80):
            subprocess.run(["xdotool", "mousemove", "--window", window_id, str(extents.x + 200 + dx + attempt),
                            str(extents.y + 150)], check=True)
        try:
            pointer = visitor.do("pointer", timeout=1500)["pointer"]
            break
        except AssertionError:
            if attempt == 9:
                raise
    check("the visitor sees the agent's pointer on their page", pointer[0] > 0 and pointer[1] > 0, pointer)
    subprocess.run(["xdotool", "click", "1"], check=True)
    check("a click in the replay highlights the spot on the visitor's page", visitor.do("highlight")["highlight"])

    # The visitor moves on: the replay follows.
    visitor.do("basket")
    basket = replayed("Your basket")
    check("the replay follows the visitor to the next page", "Teapot" in basket and "Pay €119" in basket, basket[:200])
    leaked = visitor.do("leaked", secrets=["4111 1111 1111 1111", "hunter2-secret", "4242 4242 4242 4242"])["leaked"]
    check("nothing masked left the visitor's browser", leaked == [], leaked)

    # The agent ends it from the window; the timeline keeps the session.
    app.click(app.find("push button", contains="End Co-browse", within=window))
    check("ending from the desktop stops the sharing on the visitor's page", visitor.do("ended")["ended"])
    app.wait_label("You ended co-browsing.")
    app.wait_label("Co-browsed for", timeout=20)  # worded on the desktop from the metadata
    check("the session is in the customer's timeline", True)
    app.wait_label("Pages seen: Kettle & Co — demo shop · Your basket — Kettle & Co")
    check("the timeline lists the pages seen", True)
    app.screenshot(os.path.join(SHOTS, "chat-timeline.png"))


if __name__ == "__main__":
    run_tap(main)
