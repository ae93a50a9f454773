# SPDX-License-Identifier: GPL-3.0-or-later
"""Drives the real Parley desktop through AT-SPI, by accessible names, the
way a screen-reader user or a keyboard user would reach each control."""

import os
import subprocess
import time

import pyatspi


class Timeout(AssertionError):
    pass


def wait_for(what, predicate, timeout=15.0, interval=0.1):
    """Polls predicate() until it returns something true and returns it."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
        except Exception:  # the tree changes under us while we look
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise Timeout(f"timed out waiting for {what}")
        time.sleep(interval)


def walk(node):
    """Every accessible below node, depth first, skipping dead ones."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        yield current
        try:
            children = [current.getChildAtIndex(i) for i in range(current.childCount)]
        except Exception:
            continue
        stack.extend(reversed(children))


def text_of(node):
    """The node's text, or "" once the widget behind it is gone (list rows
    are recycled while a test reads them)."""
    try:
        text = node.queryText()
        return text.getText(0, text.characterCount)
    except Exception:
        pass
    try:
        return node.name or ""
    except Exception:
        return ""


def showing(node):
    # GTK 4.8 sets VISIBLE (not always SHOWING) on widgets that are shown.
    try:
        states = node.getState()
        return states.contains(pyatspi.STATE_VISIBLE) or states.contains(pyatspi.STATE_SHOWING)
    except Exception:
        return False


class App:
    """The running application's accessible tree."""

    def __init__(self, argv, env, log_path):
        self.env = env
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(argv, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.root = wait_for("the app on the accessibility bus", self._find_root, timeout=30)

    def _find_root(self):
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            if app is not None and app.name in ("parley", "Parley"):
                return app
        return None

    def find(self, role, name=None, contains=None, timeout=15.0, visible=True, within=None):
        """The first accessible with this role whose name is (or contains)
        the text, anywhere in the app or below within."""
        def look():
            for node in walk(within or self.root):
                try:
                    if node.getRoleName() != role:
                        continue
                    label = node.name or ""
                    if name is not None and label != name:
                        continue
                    if contains is not None and contains not in label and contains not in text_of(node):
                        continue
                    if visible and not showing(node):
                        continue
                    return node
                except Exception:
                    continue
            return None
        what = f"{role} {name or contains!r}"
        return wait_for(what, look, timeout=timeout)

    def find_all(self, role, visible=True):
        found = []
        for node in walk(self.root):
            try:
                if node.getRoleName() == role and (not visible or showing(node)):
                    found.append(node)
            except Exception:
                continue
        return found

    def labels(self):
        """The text of every label on screen."""
        return [text_of(n) for n in self.find_all("label")]

    def wait_label(self, contains, timeout=15.0):
        return wait_for(f"a label containing {contains!r}",
                        lambda: next((t for t in self.labels() if contains in t), None), timeout=timeout)

    def click(self, node):
        """Activates node, or the first thing under it that can be (a
        GtkMenuButton's accessible wraps the button that acts)."""
        for candidate in walk(node):
            try:
                action = candidate.queryAction()
            except NotImplementedError:
                continue
            if action.nActions == 0:
                continue
            names = [action.getName(i) for i in range(action.nActions)]
            for wanted in ("click", "press", "activate", "toggle"):
                if wanted in names:
                    action.doAction(names.index(wanted))
                    return
            action.doAction(0)
            return
        raise AssertionError(f"nothing to activate in {node.name!r}")

    def press(self, role, name=None, contains=None, within=None, attempts=3):
        """Finds a control and activates it. A control that is rebuilt
        while being pressed (a countdown refreshing an offer) leaves a dead
        accessible behind: find it again and retry."""
        for attempt in range(attempts):
            node = self.find(role, name=name, contains=contains, within=within)
            try:
                self.click(node)
                return node
            except Exception as error:
                if "no longer exists" not in str(error) or attempt == attempts - 1:
                    raise
                time.sleep(0.2)

    def on_screen(self, node, timeout=15.0):
        """Waits until node has a size on screen (a revealer sliding in
        shows its children at zero width first); returns node."""
        wait_for(f"{node.name!r} on screen",
                 lambda: node.queryComponent().getExtents(pyatspi.WINDOW_COORDS).width > 0, timeout=timeout)
        return node

    def click_at(self, node):
        """A real mouse click in the middle of node, through xdotool, for
        controls whose AT-SPI action GTK 4.8 ignores (check buttons)."""
        window = self._window_of(node)
        extents = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        subprocess.run(["xdotool", "mousemove", "--window", window, str(extents.x + extents.width // 2),
                        str(extents.y + extents.height // 2), "click", "1"], check=True)

    def point_of(self, node):
        """The X window showing node and node's middle in it, for input
        that must land there after node itself has moved away."""
        extents = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        return self._window_of(node), extents.x + extents.width // 2, extents.y + extents.height // 2

    def wheel(self, point, up=True):
        """One notch of a real mouse wheel at point (see point_of), through xdotool."""
        window, x, y = point
        subprocess.run(["xdotool", "mousemove", "--window", window, str(x), str(y), "click", "4" if up else "5"],
                       check=True)
        time.sleep(0.05)

    def press_keys(self, node, keys):
        """Real key presses (xdotool names, e.g. "alt+2 Page_Up") to the
        window showing node, wherever its focus is."""
        window = self._window_of(node)
        subprocess.run(["xdotool", "windowfocus", "--sync", window], check=True)
        subprocess.run(["xdotool", "key", "--window", window, *keys.split()], check=True)

    def type_into(self, node, text):
        node.queryEditableText().setTextContents(text)

    def _window_of(self, node):
        """The X window showing node. GTK 4 reports no screen coordinates
        (extents are relative to the toplevel), so a click needs the
        toplevel's window: the visible one of the app's windows whose size
        matches the node's toplevel."""
        toplevel = node
        while toplevel.parent is not None and toplevel.parent.getRoleName() != "application":
            toplevel = toplevel.parent
        size = toplevel.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        windows = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(self.process.pid)],
                                 capture_output=True, text=True).stdout.split()
        for window in reversed(windows):
            geometry = subprocess.run(["xdotool", "getwindowgeometry", "--shell", window],
                                      capture_output=True, text=True).stdout
            fields = dict(line.split("=", 1) for line in geometry.split())
            if (int(fields["WIDTH"]), int(fields["HEIGHT"])) == (size.width, size.height):
                return window
        return windows[-1]

    def type_keys(self, node, text):
        """Clicks into node and types text as real key presses through
        xdotool (password fields take no text over AT-SPI, and GTK 4.8
        ignores AT-SPI focus and mouse requests)."""
        window = self._window_of(node)
        extents = node.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        subprocess.run(["xdotool", "windowfocus", "--sync", window], check=True)
        subprocess.run(["xdotool", "mousemove", "--window", window, str(extents.x + extents.width // 3),
                        str(extents.y + extents.height // 2), "click", "1"], check=True)
        time.sleep(0.2)
        subprocess.run(["xdotool", "type", "--delay", "15", text], check=True)

    def action(self, name, target=None):
        """Activates an application action over D-Bus (org.gtk.Actions)."""
        argument = "[]" if target is None else f"[{target}]"
        subprocess.run(["gdbus", "call", "--session", "--dest", "org.parley.Parley",
                        "--object-path", "/org/parley/Parley", "--method", "org.gtk.Actions.Activate",
                        name, argument, "{}"], check=True, stdout=subprocess.DEVNULL)

    def screenshot(self, path):
        """Renders the window to path; retried, since a window that is being
        resized has nothing to render for a frame or two."""
        if os.path.exists(path):
            os.unlink(path)
        for _ in range(5):
            self.action("test-screenshot", f"<'{path}'>")
            try:
                wait_for(f"screenshot {path}", lambda: os.path.exists(path) and os.path.getsize(path) > 0, timeout=2)
                return
            except Timeout:
                continue
        raise Timeout(f"no screenshot at {path}")

    def dump_tree(self, path):
        with open(path, "w") as out:
            for node in walk(self.root):
                try:
                    out.write(f"{node.getRoleName()} {node.name!r} {text_of(node)!r}\n")
                except Exception:
                    pass

    def record_failure(self, screenshot_path, tree_path):
        """What the screen showed when a test failed, for whoever reads the
        failure; best effort, since the app may be the thing that broke."""
        try:
            self.screenshot(screenshot_path)
            self.dump_tree(tree_path)
        except Exception:
            pass

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
