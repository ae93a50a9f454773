// SPDX-License-Identifier: GPL-3.0-or-later
// The customer for the desktop's end-to-end tests: Debian's chromium on the
// demo shop, driven by playwright-core. Reads one JSON command per line on
// stdin and answers each with one JSON line on stdout, so a Python test can
// play agent (through AT-SPI) and customer in the same story.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";

const require = createRequire(new URL("../browser/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const hub = process.argv[2];
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});
const page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
const wire = [];
page.on("websocket", (socket) => socket.on("framesent", (frame) => wire.push(String(frame.payload))));
const sharingBar = page.getByRole("status").filter({ hasText: "sees this page" });

const commands = {
  async open() {
    await page.goto(`${hub}/api/v1/channels/chat/demo`);
    await page.getByRole("button", { name: "Chat with us" }).click();
    return { opened: page.url() };
  },
  async say({ text }) {
    const sent = await page.locator("li.parley-chat-out.parley-chat-sent").count();
    await page.getByLabel("Your message").fill(text);
    await page.getByLabel("Your message").press("Enter");
    await page.locator("li.parley-chat-out.parley-chat-sent").nth(sent).waitFor({ timeout: 15000 });
    return { said: text };
  },
  async type({ text }) {
    await page.getByLabel("Your message").pressSequentially(text, { delay: 10 });
    return { typed: text };
  },
  async agentTyping() {
    const line = page.locator(".parley-chat-typing");
    await line.waitFor({ timeout: 15000 });
    return { typing: await line.textContent() };
  },
  async receipt() {
    const receipt = page.locator("li.parley-chat-out .parley-chat-receipt").first();
    await receipt.waitFor({ timeout: 15000 });
    return { receipt: await receipt.textContent() };
  },
  async attach({ name, hex }) {
    await page.getByLabel("Attach a file").setInputFiles({ name, mimeType: "image/png", buffer: Buffer.from(hex, "hex") });
    await page.locator("li.parley-chat-out.parley-chat-sent", { hasText: name }).waitFor({ timeout: 15000 });
    return { attached: name };
  },
  async agentFile({ name }) {
    const file = page.locator("li.parley-chat-in .parley-chat-file", { hasText: name });
    await file.waitFor({ timeout: 20000 });
    const [saved] = await Promise.all([page.waitForEvent("download"), file.click()]);
    return {
      name: await file.locator(".parley-chat-file-name").textContent(),
      label: await file.getAttribute("aria-label"),
      hex: readFileSync(await saved.path()).toString("hex"),
      markup: await page.locator(".parley-chat img").count(),
    };
  },
  async reply() {
    const reply = page.locator("li.parley-chat-in p").last();
    await reply.waitFor({ timeout: 20000 });
    return { reply: await reply.textContent(), markup: await page.locator("li.parley-chat-in b, li.parley-chat-in i").count() };
  },
  async acceptCobrowse() {
    const consent = page.getByRole("alertdialog", { name: "Share this page?" });
    await consent.waitFor({ timeout: 20000 });
    const asked = await consent.textContent();
    await page.getByRole("button", { name: "Share this page" }).click();
    await sharingBar.waitFor({ timeout: 15000 });
    return { asked };
  },
  async fill({ selector, value }) {
    await page.locator(selector).fill(value);
    return { filled: selector };
  },
  async pointer({ timeout = 15000 }) {
    const pointer = page.locator(".parley-chat-agent-pointer");
    await pointer.waitFor({ timeout });
    return { pointer: await pointer.evaluate((el) => [parseFloat(el.style.left), parseFloat(el.style.top)]) };
  },
  async highlight() {
    await page.locator(".parley-chat-agent-highlight").first().waitFor({ timeout: 15000 });
    return { highlight: true };
  },
  async basket() {
    await page.getByRole("link", { name: "Basket" }).click();
    await page.waitForURL(`${hub}/api/v1/channels/chat/demo/basket`);
    await sharingBar.waitFor({ timeout: 15000 });
    return { url: page.url() };
  },
  async ended() {
    await sharingBar.waitFor({ state: "detached", timeout: 15000 });
    return { ended: true };
  },
  async leaked({ secrets }) {
    return { leaked: secrets.filter((secret) => wire.some((frame) => frame.includes(secret))) };
  },
};

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line);
  if (command.do === "quit") break;
  try {
    console.log(JSON.stringify(await commands[command.do](command)));
  } catch (error) {
    console.log(JSON.stringify({ error: String(error.message || error).split("\n")[0] }));
  }
}
await browser.close();
