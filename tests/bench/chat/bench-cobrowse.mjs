// SPDX-License-Identifier: GPL-3.0-or-later
// Co-browse latency: from a DOM change in the visitor's browser to the same
// change rebuilt in the agent's replay.
//
// A real parleyd with the demo data; Debian's chromium plays both sides in
// one browser, so both read the same clock:
//   - the visitor on the demo shop, who chats, is taken by an agent and
//     agrees to co-browse (rrweb records, masking on);
//   - the agent: the desktop's own replay page (data/web/cobrowse, with
//     @rrweb/replay) fed the frames of the agent's co-browse socket, exactly
//     as the desktop's web view is.
// The visitor changes a heading CHANGES times, RATE a second; the agent's
// page notes when each change appears in the replayed document. Printed:
// p50/p95/p99 of DOM change → replayed, and of DOM change → frame at the
// agent (the hub relay's part); target p95 under 150 ms.
//
// Run: meson test -C _build --setup bench --suite bench bench-cobrowse -v
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchBrowser, startHub, waitFor } from "../../browser/testbed.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const CHANGES = Number(process.env.PARLEY_BENCH_COBROWSE_CHANGES || 300);
const RATE = Number(process.env.PARLEY_BENCH_COBROWSE_RATE || 10);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(name, values) {
  const sorted = [...values].sort((a, b) => a - b);
  const fmt = (v) => v.toFixed(1);
  console.log(`${name}: n=${sorted.length} p50 ${fmt(percentile(sorted, 50))} ms, p95 ${fmt(percentile(sorted, 95))} ms, ` +
              `p99 ${fmt(percentile(sorted, 99))} ms, max ${fmt(sorted[sorted.length - 1])} ms`);
  return sorted;
}

// The desktop's replay page, served to the agent's page from the source tree.
const replayFiles = {
  "/index.html": [join(root, "data", "web", "cobrowse", "index.html"), "text/html"],
  "/replay.js": [join(root, "data", "web", "cobrowse", "replay.js"), "text/javascript"],
  "/replay.css": [join(root, "data", "web", "cobrowse", "replay.css"), "text/css"],
  "/rrweb-replay.js": [join(root, "data", "web", "node_modules", "@rrweb", "replay", "dist", "replay.umd.min.cjs"), "text/javascript"],
  "/rrweb-replay.css": [join(root, "data", "web", "node_modules", "@rrweb", "replay", "dist", "style.min.css"), "text/css"],
};

async function main() {
  const hub = await startHub();
  const url = hub.url;
  // The agent's page is served by interception, which chromium counts as a
  // public page that may not open sockets to a local hub.
  const browser = await launchBrowser(["--disable-features=LocalNetworkAccessChecks"]);
  try {
    const api = async (token, method, path, body) => {
      const answer = await fetch(`${url}/api/v1/${path}`, {
        method, headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: body === undefined ? undefined : JSON.stringify(body) });
      if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
      return answer.json();
    };
    const login = async (who) => (await (await fetch(`${url}/api/v1/auth/login`, { method: "POST",
      body: JSON.stringify({ login: who, password: "parley-demo" }) })).json()).token;
    const token = await login("alice");
    // The demo's waiting conversations go (a supervisor resolves them), so the offer is ours.
    const supervisor = await login("sam");
    for (const c of (await api(supervisor, "GET", "conversations?state=queued")).conversations)
      await api(supervisor, "POST", `conversations/${c.id}/resolve`, { disposition: "bench-setup" });

    // The agent's page: the desktop's replay page, fed by the co-browse socket.
    // The page's content security policy allows no sockets (in the desktop
    // the C side owns them); here the page opens the agent's sockets itself.
    const agent = await browser.newPage({ viewport: { width: 1100, height: 800 }, bypassCSP: true });
    await agent.route(`${url}/replay-bench/**`, (route) => {
      const file = replayFiles[new URL(route.request().url()).pathname.replace("/replay-bench", "")];
      if (!file) return route.fulfill({ status: 404 });
      return route.fulfill({ status: 200, contentType: file[1], body: readFileSync(file[0]) });
    });
    await agent.addInitScript(() => {
      // What the desktop's script message handler receives.
      window.webkit = { messageHandlers: { parley: { postMessage() {} } } };
    });
    await agent.goto(`${url}/replay-bench/index.html`);
    await agent.evaluate(async ({ hubWs, token }) => {
      window.seen = {};
      window.relayed = {};
      const events = new WebSocket(`${hubWs}/api/v1/events?access_token=${token}`);
      window.offers = [];
      events.onmessage = (m) => { const d = JSON.parse(m.data); if (d.type === "offer") window.offers.push(d.offer); };
      await new Promise((resolve) => { events.onopen = resolve; });
      // Each change shows up in the replayed document as "mark N".
      const observe = () => {
        const frame = document.querySelector("#replay iframe");
        const doc = frame && frame.contentDocument;
        if (!doc || !doc.body || doc.parleyObserved) return;
        doc.parleyObserved = true;
        new MutationObserver(() => {
          const heading = doc.querySelector("article h2");
          const found = heading && /^mark (\d+)$/.exec(heading.textContent);
          if (found && !(found[1] in window.seen)) window.seen[found[1]] = performance.timeOrigin + performance.now();
        }).observe(doc, { subtree: true, childList: true, characterData: true });
      };
      setInterval(observe, 20);
      window.openCobrowse = (customer) => {
        const socket = new WebSocket(`${hubWs}/api/v1/channels/chat/cobrowse?customer=${customer}&access_token=${token}`);
        socket.onmessage = (m) => {
          const now = performance.timeOrigin + performance.now();
          if (m.data.startsWith('{"type":"cobrowse_events"')) {
            for (const event of JSON.parse(m.data).events) {
              const text = JSON.stringify(event);
              const found = /mark (\d+)/.exec(text);
              if (found && !(found[1] in window.relayed)) window.relayed[found[1]] = now;
            }
          }
          window.parleyCobrowse.receive(m.data);
        };
      };
    }, { hubWs: url.replace("http", "ws"), token });
    await api(token, "PUT", "agents/me/presence", { state: "available" });

    // The visitor chats; the agent takes the chat and asks to co-browse.
    const visitor = await browser.newPage({ viewport: { width: 1024, height: 700 } });
    await visitor.goto(`${url}/api/v1/channels/chat/demo`);
    await visitor.getByRole("button", { name: "Chat with us" }).click();
    await visitor.getByLabel("Your message").fill("Can you see my page?");
    await visitor.getByLabel("Your message").press("Enter");
    const offer = await waitFor("the offer", async () => (await agent.evaluate(() => window.offers))[0]);
    await api(token, "POST", `offers/${offer.id}/accept`, {});
    const customer = (await api(token, "GET", `conversations/${offer.conversation_id}`)).customer_id;
    await agent.evaluate((id) => window.openCobrowse(id), customer);
    await visitor.getByRole("button", { name: "Share this page" }).click({ timeout: 20000 });
    await waitFor("the replay", async () => agent.evaluate(() => !!document.querySelector("#replay iframe")));
    await new Promise((resolve) => setTimeout(resolve, 1500));

    // The changes, at RATE a second, each stamped when made.
    const sent = await visitor.evaluate(async ({ changes, rate }) => {
      const heading = document.querySelector("article h2");
      const stamps = {};
      for (let n = 0; n < changes; n++) {
        stamps[n] = performance.timeOrigin + performance.now();
        heading.textContent = `mark ${n}`;
        await new Promise((resolve) => setTimeout(resolve, 1000 / rate));
      }
      return stamps;
    }, { changes: CHANGES, rate: RATE });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const { seen, relayed } = await agent.evaluate(() => ({ seen: window.seen, relayed: window.relayed }));

    const replayLatency = [];
    const relayLatency = [];
    for (const [n, at] of Object.entries(sent)) {
      if (n in seen) replayLatency.push(seen[n] - at);
      if (n in relayed) relayLatency.push(relayed[n] - at);
    }
    console.log(`bench-cobrowse: ${CHANGES} DOM changes at ${RATE}/s on the demo shop; visitor and agent in one ` +
                `chromium, parleyd on the same 2 cores`);
    summary("DOM change -> frame at the agent's socket (record, 16 ms batching, hub relay)", relayLatency);
    const replay = summary("DOM change -> rebuilt in the agent's replay", replayLatency);
    console.log(`changes replayed: ${replayLatency.length} of ${CHANGES}; target p95 < 150 ms: ` +
                (percentile(replay, 95) < 150 ? "met" : "MISSED"));
    if (replayLatency.length < CHANGES * 0.95) process.exitCode = 1;
  } finally {
    await browser.close();
    await hub.stop();
  }
}

main().catch((error) => {
  console.error(`bench-cobrowse: FAILED: ${error.message}`);
  process.exitCode = 1;
});
