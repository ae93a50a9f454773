// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the browser tests: TAP checks, a real parleyd with the demo data
// on a free port, the hub's API, and Debian's chromium through playwright-core.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const PARLEYD = process.env.PARLEYD;
const PARLEYCTL = process.env.PARLEYCTL;
let count = 0;
let failed = false;

export function check(name, condition, detail = "") {
  count++;
  console.log(`${condition ? "ok" : "not ok"} ${count} - ${name}${condition || !detail ? "" : " # " + detail}`);
  if (!condition) {
    failed = true;
    throw new Error(name);
  }
}

export async function waitFor(what, predicate, timeout = 15000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await predicate().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Every hub startHub() made. Their data directories go when the test ends
// (run() kills a hub still running first), not when a hub stops: a test may
// start it again on the same data.
const hubs = [];

export async function startHub() {
  const dataDir = mkdtempSync(join(tmpdir(), "parley-chat-"));
  const port = await freePort();
  const hub = {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    process: null,
    async start() {
      this.process = spawn(PARLEYD, ["--data-dir", dataDir, "--listen", `127.0.0.1:${port}`], { stdio: "ignore" });
      await waitFor("parleyd", async () => (await fetch(`${this.url}/api/v1/health`)).ok);
    },
    async stop(signal = "SIGTERM") {
      const exited = new Promise((resolve) => this.process.once("exit", resolve));
      this.process.kill(signal);
      await exited;
    },
  };
  hubs.push(hub);
  execFileSync(PARLEYCTL, ["--data-dir", dataDir, "demo"], { stdio: "ignore" });
  await hub.start();
  return hub;
}

// One call of the hub's REST API; its parsed answer. Uses nothing but its
// argument and fetch, so a test may also hand it to page.evaluate (with url
// "") to call the API from the page's own origin.
export async function apiRequest({ url, token, method, path, body }) {
  const answer = await fetch(`${url}/api/v1/${path}`, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

export function api(url, token, method, path, body) {
  return apiRequest({ url, token, method, path, body });
}

// Signs in one of the demo data's agents (alice, bob, sam...); returns the token.
export async function signIn(url, login) {
  return (await api(url, null, "POST", "auth/login", { login, password: "parley-demo" })).token;
}

export function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", ...extraArgs],
  });
}

// A page on the hub where the agent's events socket runs; offers pushed to
// the agent collect in window.offers, every push in window.pushes.
export async function openAgentPage(browser, url, token) {
  const page = await browser.newPage();
  await page.goto(`${url}/api/v1/health`);
  await page.evaluate((wsUrl) => {
    window.offers = [];
    window.pushes = [];
    const socket = new WebSocket(wsUrl);
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      window.pushes.push(message);
      if (message.type === "offer") window.offers.push(message.offer);
    };
    return new Promise((resolve) => { socket.onopen = resolve; });
  }, `${url.replace("http", "ws")}/api/v1/events?access_token=${token}`);
  return page;
}

// Runs a test's main() and ends the TAP stream.
export function run(main) {
  main()
    .catch((error) => {
      if (!failed) {
        count++;
        console.log(`not ok ${count} - ${error.message}`);
      }
      failed = true;
    })
    .finally(async () => {
      for (const hub of hubs) {
        if (hub.process && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop("SIGKILL");
        rmSync(hub.dataDir, { recursive: true, force: true });
      }
      console.log(`1..${count}`);
      process.exit(failed ? 1 : 0);
    });
}
