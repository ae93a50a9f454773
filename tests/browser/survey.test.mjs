// SPDX-License-Identifier: GPL-3.0-or-later
// Surveys and abandons in the web chat, with a real browser: after an agent
// resolves the chat the widget asks NPS and CSAT with buttons and takes a
// comment; visitors who give up waiting (closing every page, or "End chat")
// count as abandoned, while moving between pages of the shop does not.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { api, check, launchBrowser, openAgentPage, run, startHub, waitFor } from "./testbed.mjs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The widget as the visitor sees it, for a person to look at.
async function screenshot(shop, name) {
  if (!process.env.PARLEY_SCREENSHOT_DIR) return;
  mkdirSync(process.env.PARLEY_SCREENSHOT_DIR, { recursive: true });
  await shop.locator(".parley-chat-panel").screenshot({ path: join(process.env.PARLEY_SCREENSHOT_DIR, name) });
}

async function openChat(browser, url, text) {
  const context = await browser.newContext();
  const shop = await context.newPage();
  await shop.goto(`${url}/api/v1/channels/chat/demo`);
  await shop.getByRole("button", { name: "Chat with us" }).click();
  await shop.getByLabel("Your message").fill(text);
  await shop.getByLabel("Your message").press("Enter");
  await shop.locator("li.parley-chat-out.parley-chat-sent").first().waitFor({ timeout: 15000 });
  return { context, shop };
}

async function waitingConversation(url, token, text) {
  return waitFor(`the conversation of “${text}”`, async () => {
    const queued = (await api(url, token, "GET", "conversations?state=queued")).conversations;
    return queued.find((c) => c.last_event && c.last_event.text === text);
  });
}

async function main() {
  const hub = await startHub();
  await hub.stop();
  execFileSync(process.env.PARLEYCTL, ["--data-dir", hub.dataDir, "set", "chat", "abandon-after", "2"]);
  execFileSync(process.env.PARLEYCTL, ["--data-dir", hub.dataDir, "queue-set", "General",
                                       JSON.stringify({ survey: { enabled: true, delay: 0 } })]);
  await hub.start();
  const url = hub.url;
  const browser = await launchBrowser();
  try {
    const alice = (await api(url, null, "POST", "auth/login", { login: "alice", password: "parley-demo" }));
    const sam = (await api(url, null, "POST", "auth/login", { login: "sam", password: "parley-demo" })).token;
    const agentPage = await openAgentPage(browser, url, alice.token);
    await api(url, alice.token, "PUT", "agents/me/presence", { state: "available" });

    const { shop } = await openChat(browser, url, "My kettle whistles too loud");
    const offer = await waitFor("the offer", async () =>
      (await agentPage.evaluate(() => window.offers)).find((o) => o.customer && o.customer.name === "Visitor"), 30000);
    await api(url, alice.token, "POST", `offers/${offer.id}/accept`, {});
    await api(url, alice.token, "POST", `conversations/${offer.conversation_id}/messages`,
              { channel: "chat", text: "Try the lid with the rubber seal." });
    const before = (await api(url, sam, "GET", "metrics")).total;
    await api(url, alice.token, "POST", `conversations/${offer.conversation_id}/resolve`, { disposition: "solved" });

    // NPS with buttons, then CSAT, then a comment typed as usual.
    const nps = shop.getByRole("group", { name: /^Your answer, from 0/ });
    await nps.waitFor({ timeout: 15000 });
    check("after the chat is resolved the widget asks NPS with buttons 0 to 10",
          (await nps.getByRole("button").count()) === 11 &&
          (await shop.locator(".parley-chat-scale").first().textContent()).includes("Extremely likely"));
    await screenshot(shop, "widget-survey-nps.png");
    await nps.getByRole("button", { name: "9", exact: true }).click();
    const csat = shop.getByRole("group", { name: /^Your answer, from 1/ });
    await csat.waitFor({ timeout: 15000 });
    check("a chosen score is sent and the buttons lock",
          (await nps.getByRole("button", { name: "9", exact: true }).getAttribute("aria-pressed")) === "true" &&
          await nps.getByRole("button", { name: "3", exact: true }).isDisabled());
    check("then CSAT, with buttons 1 to 5", (await csat.getByRole("button").count()) === 5);
    await csat.getByRole("button", { name: "5", exact: true }).click();
    await shop.getByText("Is there anything you would like to tell us?").waitFor({ timeout: 15000 });
    const comment = "Quick help <script>alert('x')</script> thanks";
    await shop.getByLabel("Your message").fill(comment);
    await shop.getByLabel("Your message").press("Enter");
    await shop.getByText("Thank you for your feedback!").waitFor({ timeout: 15000 });
    check("the comment is taken and the visitor thanked", true);
    await screenshot(shop, "widget-survey-end.png");
    check("the comment shows as text in the widget",
          (await shop.locator("li.parley-chat-out p").last().textContent()) === comment);

    const conversation = await api(url, alice.token, "GET", `conversations/${offer.conversation_id}`);
    const events = (await api(url, alice.token, "GET", `customers/${conversation.customer_id}/timeline?limit=50`)).events;
    const answers = events.filter((e) => e.kind === "survey");
    check("each answer is a survey event of the conversation, tied to the agent",
          answers.length === 3 && answers.every((e) => e.conversation_id === offer.conversation_id &&
                                                       e.metadata.agent_id === alice.agent.id) &&
          answers.some((e) => e.metadata.nps === 9) && answers.some((e) => e.metadata.csat === 5) &&
          answers.some((e) => e.text === comment), JSON.stringify(answers));
    check("the answers opened no new conversation", conversation.state === "resolved" &&
          !(await api(url, alice.token, "GET", "conversations?state=queued")).conversations
            .some((c) => c.customer_id === conversation.customer_id));
    const after = (await api(url, sam, "GET", "metrics")).total;
    check("the day's NPS and CSAT count the answers",
          after.nps.promoters === before.nps.promoters + 1 && after.csat.responses === before.csat.responses + 1,
          JSON.stringify({ before: before.nps, after: after.nps }));

    // Nobody answers: a visitor who waits over 5 s and closes the shop has abandoned.
    await api(url, alice.token, "PUT", "agents/me/presence", { state: "away", reason: "Lunch" });
    const gone = await openChat(browser, url, "Hello, anyone there?");
    const leftBehind = await waitingConversation(url, alice.token, "Hello, anyone there?");
    await sleep(5500);
    await gone.context.close();
    const ended = await waitFor("the abandon", async () => {
      const c = await api(url, alice.token, "GET", `conversations/${leftBehind.id}`);
      return c.state === "resolved" ? c : null;
    }, 15000);
    check("a visitor who closes the shop while waiting has abandoned", ended.disposition === "abandoned");
    const abandonedFigures = (await api(url, sam, "GET", "metrics")).total;
    check("it counts as abandoned, not as a short abandon",
          abandonedFigures.abandoned === after.abandoned + 1 && abandonedFigures.short_abandoned === after.short_abandoned,
          JSON.stringify(abandonedFigures));

    // Moving to another page of the shop is not leaving.
    const browsing = await openChat(browser, url, "Which kettle is quietest?");
    const staying = await waitingConversation(url, alice.token, "Which kettle is quietest?");
    await browsing.shop.goto(`${url}/api/v1/channels/chat/demo/basket`);
    await sleep(4000);
    check("moving between pages of the shop does not abandon the chat",
          (await api(url, alice.token, "GET", `conversations/${staying.id}`)).state === "queued");

    // "End chat" leaves at once.
    await browsing.shop.getByRole("button", { name: "Chat with us" }).click();
    await browsing.shop.getByRole("button", { name: "End chat" }).click();
    await browsing.shop.getByText("You ended the chat.").waitFor({ timeout: 5000 });
    const left = await waitFor("the end", async () => {
      const c = await api(url, alice.token, "GET", `conversations/${staying.id}`);
      return c.state === "resolved" ? c : null;
    }, 5000);
    check("“End chat” ends a waiting chat as abandoned", left.disposition === "abandoned");
  } finally {
    await browser.close();
    await hub.stop();
  }
}

run(main);
