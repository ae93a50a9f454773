# SPDX-License-Identifier: GPL-3.0-or-later
"""Cold start of the desktop: from launching `parley` to the first painted
frame that shows the queue, with the agent signed in automatically from the
keyring, against a real parleyd with the demo data. Also the resident memory
of the app once it shows the queue (no web view open). The first launch
signs in through the login page (AT-SPI) so the password is remembered;
then PARLEY_BENCH_STARTS launches (default 5) are timed. The app prints
the moment of that frame (PARLEY_TEST_HOOKS)."""

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "desktop"))
from atspi_driver import App, wait_for  # noqa: E402
from parley_testbed import BUILD, Hub, start_keyring  # noqa: E402

PARLEY = os.path.join(BUILD, "src", "desktop", "parley")
FRAME = re.compile(r"parley-test: first frame with the queue at (\d+) us")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        return int(re.search(r"VmRSS:\s+(\d+)", status.read()).group(1)) / 1024


def quit_app(process):
    subprocess.run(["gdbus", "call", "--session", "--dest", "org.parley.Parley", "--object-path",
                    "/org/parley/Parley", "--method", "org.gtk.Actions.Activate", "quit", "[]", "{}"],
                   check=True, stdout=subprocess.DEVNULL)
    process.wait(10)


def main():
    work = tempfile.mkdtemp(prefix="parley-bench-startup-")
    hub = Hub(os.path.join(work, "hub"))
    env = dict(os.environ, GSETTINGS_BACKEND="keyfile", XDG_CONFIG_HOME=os.path.join(work, "config"),
               PARLEY_TEST_HOOKS="1", GTK_A11Y="atspi", LANGUAGE="C", LC_ALL="C.UTF-8",
               PARLEY_PLUGIN_DIR=os.path.join(BUILD, "plugins"))
    env.pop("NO_AT_BRIDGE", None)
    # The app picks its renderer, as it does for an agent: timed with it.
    env.pop("GSK_RENDERER", None)
    env.update(start_keyring(work))

    # Sign in once, so the hub, login and password are remembered.
    app = App([PARLEY], env, os.path.join(work, "first.log"))
    app.type_into(app.find("text", "Hub address"), hub.url)
    app.type_into(app.find("text", "Login"), "alice")
    app.type_keys(app.find("text", "Password"), "parley-demo")
    app.click(app.find("push button", contains="Sign In"))
    app.find("push button", contains="Status:", timeout=20)
    time.sleep(1)
    quit_app(app.process)

    starts = int(os.environ.get("PARLEY_BENCH_STARTS", "5"))
    times, memory = [], []
    for i in range(starts):
        log_path = os.path.join(work, f"start-{i}.log")
        with open(log_path, "w") as log:
            launched = time.time()
            process = subprocess.Popen([PARLEY], env=env, stdout=log, stderr=subprocess.STDOUT)
            painted = wait_for("the first frame with the queue",
                               lambda: FRAME.search(open(log_path).read()), timeout=30)
            times.append((int(painted.group(1)) / 1e6 - launched) * 1000)
            time.sleep(1)
            memory.append(rss_mib(process.pid))
            quit_app(process)
    hub.stop()

    print(f"cold start to the first frame with the queue ({starts} starts, signed in from the keyring): "
          f"median {statistics.median(times):.0f} ms, min {min(times):.0f} ms, max {max(times):.0f} ms")
    print(f"resident memory with the queue shown: median {statistics.median(memory):.0f} MiB")


if __name__ == "__main__":
    main()
