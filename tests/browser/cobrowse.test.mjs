// SPDX-License-Identifier: GPL-3.0-or-later
// Co-browse with a real browser: Debian's chromium is the visitor on the demo
// shop of a real parleyd; the agent's side (the socket the desktop opens) is
// driven from a second page. Checks consent, the live recording, masking on
// the wire and in the store, the agent's pointer, navigation and the record
// left in the timeline. TAP output.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { api, check, launchBrowser, openAgentPage, run, startHub, waitFor } from "./testbed.mjs";

const SECRETS = {
  card: "4111 1111 1111 1111",
  password: "hunter2-secret",
  birthday: "1984-02-29",
  shownCard: "4242 4242 4242 4242",
};

// The agent's co-browse socket, in a page of its own; everything received is kept.
async function openAgentSocket(agentPage, wsUrl) {
  await agentPage.evaluate((target) => {
    window.received = [];
    window.closed = null;
    window.cobrowse = new WebSocket(target);
    window.cobrowse.onmessage = (event) => window.received.push(JSON.parse(event.data));
    window.cobrowse.onclose = (event) => { window.closed = event.code; };
  }, wsUrl);
}

function agentStates(agentPage) {
  return agentPage.evaluate(() => window.received.filter((m) => m.type === "state"));
}

function agentEvents(agentPage) {
  return agentPage.evaluate(() => window.received.filter((m) => m.type === "cobrowse_events").flatMap((m) => m.events));
}

// Every text node and input value in a full snapshot.
function snapshotText(node, out = []) {
  if (node.textContent) out.push(node.textContent);
  if (node.attributes && typeof node.attributes.value === "string") out.push(node.attributes.value);
  (node.childNodes || []).forEach((child) => snapshotText(child, out));
  return out;
}

async function main() {
  const hub = await startHub();
  const url = hub.url;
  const ws = url.replace("http", "ws");
  const browser = await launchBrowser();
  try {
    const alice = (await api(url, null, "POST", "auth/login", { login: "alice", password: "parley-demo" })).token;
    const bob = (await api(url, null, "POST", "auth/login", { login: "bob", password: "parley-demo" })).token;
    const agentPage = await openAgentPage(browser, url, alice);
    await api(url, alice, "PUT", "agents/me/presence", { state: "available" });

    // The visitor chats from the shop; alice takes the chat.
    const visitor = await browser.newContext();
    const shop = await visitor.newPage();
    const wire = [];
    shop.on("websocket", (socket) => socket.on("framesent", (frame) => wire.push(String(frame.payload))));
    await shop.goto(`${url}/api/v1/channels/chat/demo`);
    await shop.getByRole("button", { name: "Chat with us" }).click();
    await shop.getByLabel("Your message").fill("I am stuck at the checkout");
    await shop.getByLabel("Your message").press("Enter");
    const offer = await waitFor("the offer", async () =>
      (await agentPage.evaluate(() => window.offers)).find((o) => o.customer && o.customer.name === "Visitor"), 30000);
    await api(url, alice, "POST", `offers/${offer.id}/accept`, {});
    const customer = (await api(url, alice, "GET", `conversations/${offer.conversation_id}`)).customer_id;
    const cobrowseUrl = (token) => `${ws}/api/v1/channels/chat/cobrowse?customer=${customer}&access_token=${token}`;

    // Only the agent the conversation is assigned to may ask.
    const refused = await fetch(`${url}/api/v1/channels/chat/cobrowse?customer=${customer}`,
                                { headers: { Authorization: `Bearer ${bob}` } });
    check("another agent may not co-browse with someone else's customer", refused.status === 403,
          `${refused.status} ${await refused.text()}`);
    const anonymous = await fetch(`${url}/api/v1/channels/chat/cobrowse?customer=${customer}`);
    check("co-browse without signing in is refused", anonymous.status === 401);

    // First request: the visitor sees who asks and what is shared, and declines.
    await openAgentSocket(agentPage, cobrowseUrl(alice));
    const consent = shop.getByRole("alertdialog", { name: "Share this page?" });
    await consent.waitFor({ timeout: 15000 });
    const consentText = await consent.textContent();
    check("the visitor is asked, told by whom and what the agent will and will not see",
          consentText.includes("Alice") && consentText.includes("not passwords, card numbers or private fields"),
          consentText);
    await shop.getByRole("button", { name: "Decline" }).click();
    await waitFor("declined", async () => (await agentStates(agentPage)).some((s) => s.state === "declined"));
    check("declining ends the request for the agent", true);
    check("nothing of the page left the browser before consent",
          !wire.some((frame) => frame.includes('"cobrowse_events"')));

    // Second request: accepted. The agent receives a full snapshot of the shop.
    await openAgentSocket(agentPage, cobrowseUrl(alice));
    await consent.waitFor({ timeout: 15000 });
    await shop.getByRole("button", { name: "Share this page" }).click();
    const active = await waitFor("active", async () =>
      (await agentStates(agentPage)).find((s) => s.state === "active"));
    check("the agent learns the session is active, and on which page", active.page && active.page.url === `${url}/api/v1/channels/chat/demo`,
          JSON.stringify(active));
    await shop.getByRole("status").filter({ hasText: "sees this page" }).waitFor({ timeout: 5000 });
    check("the visitor sees that the page is being shared, with a way to stop", true);
    const snapshot = await waitFor("a full snapshot", async () =>
      (await agentEvents(agentPage)).find((e) => e.type === 2));
    const texts = snapshotText(snapshot.data.node).join("\n");
    check("the snapshot carries the visitor's page", texts.includes("Blue kettle") && texts.includes("Checkout"));
    check("a card number shown on the page is masked in the snapshot",
          texts.includes("**** **** **** ****") && !texts.includes(SECRETS.shownCard));
    check("the chat widget itself is left out of the recording", !texts.includes("I am stuck at the checkout"));

    // The visitor fills in the checkout form: the agent sees that they type,
    // never what goes into sensitive fields.
    await shop.locator("#name").fill("Jo <b>Customer</b>");
    await shop.locator("#card").fill(SECRETS.card);
    await shop.locator("#password").fill(SECRETS.password);
    await shop.locator("#birthday").fill(SECRETS.birthday);
    const inputs = await waitFor("input events", async () => {
      const events = (await agentEvents(agentPage)).filter((e) => e.type === 3 && e.data.source === 5);
      return events.length >= 4 ? events : null;
    });
    const values = inputs.map((e) => e.data.text);
    check("ordinary fields are seen as typed, markup and all", values.includes("Jo <b>Customer</b>"), JSON.stringify(values));
    check("the card number, password and private field reach the agent masked",
          values.includes("**** **** **** ****") && values.includes("*".repeat(SECRETS.password.length)) &&
          values.includes("*".repeat(SECRETS.birthday.length)), JSON.stringify(values));
    const leaked = Object.entries(SECRETS).filter(([, secret]) => wire.some((frame) => frame.includes(secret)));
    check("no masked value ever left the browser (every frame on the wire checked)", leaked.length === 0,
          JSON.stringify(leaked));

    // The agent points and highlights; the visitor sees it.
    await agentPage.evaluate(() => window.cobrowse.send(JSON.stringify({ type: "pointer", x: 240, y: 180 })));
    const pointer = shop.locator(".parley-chat-agent-pointer");
    await pointer.waitFor({ timeout: 5000 });
    const where = await pointer.evaluate((el) => [el.style.left, el.style.top, el.textContent].join());
    check("the visitor sees the agent's pointer, with their name, where the agent points",
          where.startsWith("240px,180px,Alice"), where);
    await agentPage.evaluate(() => window.cobrowse.send(JSON.stringify({ type: "highlight", x: 300, y: 200 })));
    await shop.locator(".parley-chat-agent-highlight").waitFor({ timeout: 5000 });
    check("a highlight shows on the visitor's page", true);

    // The visitor moves on to the basket: sharing follows.
    const before = (await agentEvents(agentPage)).length;
    await shop.getByRole("link", { name: "Basket" }).click();
    await shop.waitForURL(`${url}/api/v1/channels/chat/demo/basket`);
    const next = await waitFor("the next page", async () =>
      (await agentStates(agentPage)).find((s) => s.state === "active" && s.page && s.page.url.endsWith("/basket")), 20000);
    check("the session follows the visitor to the next page", !!next);
    const basket = await waitFor("the basket snapshot", async () =>
      (await agentEvents(agentPage)).slice(before).find((e) => e.type === 2));
    check("the agent receives the new page", snapshotText(basket.data.node).join("\n").includes("Your basket"));

    // The visitor stops sharing.
    await shop.getByRole("button", { name: "Stop sharing" }).click();
    const ended = await waitFor("ended", async () =>
      (await agentStates(agentPage)).find((s) => s.state === "ended"));
    check("the visitor can end the session at any time, and the agent is told", ended.by === "visitor");
    await waitFor("the socket closed", async () => (await agentPage.evaluate(() => window.closed)) !== null);
    check("the bar and pointer are gone from the visitor's page",
          (await shop.locator(".parley-chat-sharing, .parley-chat-agent-pointer").count()) === 0);

    // The timeline keeps the session (and the declined request), not the recording.
    const timeline = await waitFor("the co-browse events", async () => {
      const events = (await api(url, alice, "GET", `customers/${customer}/timeline?limit=30`)).events
        .filter((e) => e.kind === "cobrowse");
      return events.length >= 2 ? events : null;
    });
    const shared = timeline.find((e) => e.metadata.outcome === "shared");
    check("the shared session is in the timeline with its pages",
          shared && shared.metadata.pages.map((p) => new URL(p.url).pathname).join() === "/api/v1/channels/chat/demo,/api/v1/channels/chat/demo/basket" &&
          shared.metadata.ended_by === "visitor" && shared.metadata.duration >= 0, JSON.stringify(shared));
    check("the declined request is in the timeline too", timeline.some((e) => e.metadata.outcome === "declined"));

    // The agent ends a session from their side.
    await openAgentSocket(agentPage, cobrowseUrl(alice));
    await consent.waitFor({ timeout: 15000 });
    await shop.getByRole("button", { name: "Share this page" }).click();
    await waitFor("active", async () => (await agentStates(agentPage)).some((s) => s.state === "active"));
    await shop.getByRole("status").filter({ hasText: "sees this page" }).waitFor({ timeout: 5000 });
    await agentPage.evaluate(() => window.cobrowse.send(JSON.stringify({ type: "end" })));
    await shop.getByRole("status").filter({ hasText: "sees this page" }).waitFor({ state: "detached", timeout: 5000 });
    check("the agent can end the session, and the visitor's page stops sharing", true);

    // A visitor cannot push recordings into a session that is not theirs.
    const intruder = await browser.newContext();
    const other = await intruder.newPage();
    await other.goto(`${url}/api/v1/channels/chat/demo`);
    const answer = await other.evaluate(async (target) => {
      const socket = new WebSocket(target);
      const messages = [];
      socket.onmessage = (event) => messages.push(JSON.parse(event.data));
      await new Promise((resolve) => { socket.onopen = resolve; });
      socket.send(JSON.stringify({ type: "hello", site: "demo-shop" }));
      socket.send(JSON.stringify({ type: "cobrowse_events", session: "not-a-session", events: [{ type: 2 }] }));
      await new Promise((resolve) => setTimeout(resolve, 500));
      return messages;
    }, `${ws}/api/v1/channels/chat/visitor`);
    check("recordings for a session that is not the visitor's are refused",
          answer.some((m) => m.type === "cobrowse_end" && m.by === "gone"), JSON.stringify(answer));
    await intruder.close();

    // The store never saw what was masked, nor the recording itself.
    await hub.stop();
    const stored = readdirSync(hub.dataDir).map((name) => readFileSync(join(hub.dataDir, name)).toString("latin1")).join("\n");
    const inStore = Object.values(SECRETS).filter((secret) => stored.includes(secret));
    check("no masked value is in the store", inStore.length === 0, JSON.stringify(inStore));
    check("the recording itself is not stored", !stored.includes("Add to basket"));
  } finally {
    await browser.close();
    if (hub.process && hub.process.exitCode === null) await hub.stop();
  }
}

run(main);
