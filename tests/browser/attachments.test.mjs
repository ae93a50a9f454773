// SPDX-License-Identifier: GPL-3.0-or-later
// Files from an agent to a visitor, with a real browser: a real parleyd with
// the demo data serves the demo shop; Debian's chromium, driven by
// playwright-core, is the visitor; the agent works through the hub's API.
// The agent uploads a PDF whose name is markup and sends it in the chat; the
// widget shows it as a button with its name (as text) and size, and clicking
// it downloads the very bytes. Other visitors, forged tokens and foreign
// sites get nothing. TAP output.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { api, check, launchBrowser, openAgentPage, run, signIn, startHub, waitFor } from "./testbed.mjs";

const SHOTS = process.env.PARLEY_SCREENSHOT_DIR || "screenshots";
const NAME = "<img src=x onerror=window.parleyPwned=1>.pdf";

// A visitor on the demo shop with the chat open; returns the page and its token.
async function visitor(browser, url, name) {
  const context = await browser.newContext({ acceptDownloads: true });
  const shop = await context.newPage();
  await shop.goto(`${url}/api/v1/channels/chat/demo`);
  await shop.getByRole("button", { name: "Chat with us" }).click();
  if (name) await shop.getByLabel("Your name (optional)").fill(name);
  const token = await waitFor("the visitor token", () =>
    shop.evaluate(() => JSON.parse(localStorage.getItem("parley-chat:demo-shop:token"))));
  return { shop, token };
}

function download(url, id, headers) {
  return fetch(`${url}/api/v1/channels/chat/attachments/${encodeURIComponent(id)}`, { headers });
}

async function main() {
  const hub = await startHub();
  const url = hub.url;
  const browser = await launchBrowser();
  try {
    // alice is available and hears offers on her events socket.
    const alice = await signIn(url, "alice");
    await api(url, alice, "PUT", "agents/me/presence", { state: "available" });
    const agentPage = await openAgentPage(browser, url, alice);

    // Ada writes; alice takes the chat.
    const { shop, token } = await visitor(browser, url, "Ada Lovelace");
    const box = shop.getByLabel("Your message");
    await box.fill("Could you send me the return label?");
    await box.press("Enter");
    const offer = await waitFor("the offer", async () =>
      (await agentPage.evaluate(() => window.offers)).find((o) => o.customer && o.customer.name === "Ada Lovelace"), 30000);
    await api(url, alice, "POST", `offers/${offer.id}/accept`, {});
    const conversation = offer.conversation_id;

    // Alice uploads the label for this conversation and sends it.
    const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1"),
                               Buffer.from("1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")]);
    const uploaded = await fetch(`${url}/api/v1/conversations/${conversation}/attachments`, {
      method: "POST",
      headers: { Authorization: `Bearer ${alice}`, "X-Parley-Filename": encodeURIComponent(NAME) },
      body: pdf,
    });
    const { attachment } = await uploaded.json();
    check("the agent's upload is kept with its name and the type its bytes are",
          uploaded.status === 201 && attachment.name === NAME && attachment.type === "application/pdf" &&
          attachment.size === pdf.length, JSON.stringify(attachment));
    const sent = await api(url, alice, "POST", `conversations/${conversation}/messages`,
                           { channel: "chat", text: "Here is your return label.", attachment: attachment.id });
    check("the agent's message carries the file in the timeline",
          sent.event.metadata.attachment && sent.event.metadata.attachment.id === attachment.id,
          JSON.stringify(sent.event.metadata));

    // The widget shows it: a button with the name as text and the size.
    const file = shop.locator("li.parley-chat-in .parley-chat-file");
    await file.waitFor({ timeout: 15000 });
    check("the reply with the file reaches the visitor",
          (await shop.locator("li.parley-chat-in p").last().textContent()) === "Here is your return label.");
    check("the file's name is shown as text, markup and all",
          (await file.locator(".parley-chat-file-name").textContent()) === NAME);
    check("nothing in the name became markup or ran",
          (await shop.locator(".parley-chat img").count()) === 0 &&
          (await shop.evaluate(() => window.parleyPwned)) === undefined);
    check("the button says what it does, for screen readers too",
          (await file.getAttribute("aria-label")) === `Download ${NAME}, ${pdf.length} bytes`,
          await file.getAttribute("aria-label"));
    check("the button is reachable by its accessible name",
          (await shop.getByRole("button", { name: `Download ${NAME}` }).count()) === 1);

    mkdirSync(SHOTS, { recursive: true });
    await shop.locator(".parley-chat-panel").screenshot({ path: join(SHOTS, "chat-attachment.png") });

    // A click downloads it, byte for byte, under its name; the token never
    // appears in an address.
    const requests = [];
    shop.on("request", (request) => requests.push(request.url()));
    const [saved] = await Promise.all([shop.waitForEvent("download"), file.click()]);
    const bytes = readFileSync(await saved.path());
    check("clicking downloads the very bytes the agent sent", bytes.equals(pdf), `${bytes.length} bytes`);
    check("the download keeps the file's name", saved.suggestedFilename().endsWith(".pdf"), saved.suggestedFilename());
    check("the visitor's token travels in a header, never in an address",
          requests.some((r) => r.includes(`/attachments/${attachment.id}`)) && !requests.some((r) => r.includes(token)),
          JSON.stringify(requests));

    // On the next page the file is still there, and still downloads.
    await shop.goto(`${url}/api/v1/channels/chat/demo/basket`);
    await shop.getByRole("button", { name: "Chat with us" }).click();
    const fileAgain = shop.locator("li.parley-chat-in .parley-chat-file");
    await fileAgain.waitFor({ timeout: 10000 });
    const [resaved] = await Promise.all([shop.waitForEvent("download"), fileAgain.click()]);
    await shop.locator(".parley-chat-panel").screenshot({ path: join(SHOTS, "chat-history.png") });
    check("after moving to another page the file is in the chat again and downloads the same bytes",
          (await fileAgain.count()) === 1 && readFileSync(await resaved.path()).equals(pdf) &&
          (await fileAgain.locator(".parley-chat-file-name").textContent()) === NAME);

    // The same visitor may also ask with Authorization: Bearer.
    const own = await download(url, attachment.id, { Authorization: `Bearer ${token}` });
    check("the visitor's token works as a bearer token too, and the file comes as a download",
          own.status === 200 && Buffer.from(await own.arrayBuffer()).equals(pdf) &&
          own.headers.get("content-disposition").startsWith("attachment;") &&
          own.headers.get("x-content-type-options") === "nosniff" &&
          own.headers.get("content-type") === "application/pdf");

    // Someone else: another visitor, a forged token, no token, another site.
    const { token: stranger } = await visitor(browser, url, null);
    check("another visitor's token gets 404 for it",
          (await download(url, attachment.id, { "X-Parley-Visitor": stranger })).status === 404 &&
          (await download(url, attachment.id, { Authorization: `Bearer ${stranger}` })).status === 404);
    const forged = token.replace(/.$/, (c) => (c === "0" ? "1" : "0"));
    check("a forged token or none is refused",
          (await download(url, attachment.id, { "X-Parley-Visitor": forged })).status === 401 &&
          (await download(url, attachment.id, {})).status === 401);
    const unknown = await download(url, "not-a-file", { "X-Parley-Visitor": token });
    check("an unknown file is 404 with a JSON error", unknown.status === 404 &&
          (await unknown.json()).error.code === "not_found");
    const elsewhere = await download(url, attachment.id, { "X-Parley-Visitor": token, Origin: "https://evil.example" });
    check("a site that is not allowed gets nothing", elsewhere.status === 403);
    const preflight = await fetch(`${url}/api/v1/channels/chat/attachments/${attachment.id}`, {
      method: "OPTIONS",
      headers: { Origin: url, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x-parley-visitor" },
    });
    check("an allowed site's preflight is answered like the upload's",
          preflight.status === 204 && preflight.headers.get("access-control-allow-origin") === url &&
          preflight.headers.get("access-control-allow-methods").includes("GET") &&
          preflight.headers.get("access-control-allow-headers").includes("X-Parley-Visitor"));

    // A visitor's own upload is theirs to fetch again, and nobody else's.
    const note = Buffer.from("Order 4711: one blue kettle\n");
    const mine = await fetch(`${url}/api/v1/channels/chat/attachments`, {
      method: "POST", headers: { "X-Parley-Visitor": token, "X-Parley-Filename": "order.txt" }, body: note,
    });
    const mineId = (await mine.json()).attachment.id;
    const again = await download(url, mineId, { "X-Parley-Visitor": token });
    check("a visitor fetches their own upload again",
          again.status === 200 && Buffer.from(await again.arrayBuffer()).equals(note));
    check("another visitor cannot fetch it",
          (await download(url, mineId, { "X-Parley-Visitor": stranger })).status === 404);

    // The agent cannot send one visitor's file to another conversation's
    // customer: files go only in the conversation they were uploaded for.
    const refused = await fetch(`${url}/api/v1/conversations/${conversation}/messages`, {
      method: "POST",
      headers: { Authorization: `Bearer ${alice}`, "Content-Type": "application/json" },
      body: JSON.stringify({ channel: "chat", text: "yours?", attachment: mineId }),
    });
    check("a file not uploaded for the conversation cannot be sent in it", refused.status === 400);
  } finally {
    await browser.close();
    await hub.stop();
  }
}

run(main);
