// SPDX-License-Identifier: GPL-3.0-or-later
// The chat journey over TLS: a real parleyd serving HTTPS and WSS with a
// certificate this test makes (openssl), chromium trusting exactly that
// certificate's key (by its SPKI hash, not by ignoring certificate errors),
// the visitor chatting from the demo shop over https/wss, and the agent
// answering through the REST API over https. TAP output.
import { execFileSync, spawn } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiRequest, check, launchBrowser, openAgentPage, run, waitFor } from "./testbed.mjs";

const work = mkdtempSync(join(tmpdir(), "parley-tls-"));
let hubProcess = null;

function makeCertificate() {
  const cert = join(work, "cert.pem");
  const key = join(work, "key.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                           "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                           "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
  return { cert, key, pem: readFileSync(cert, "utf8") };
}

// GET over https, trusting only the test's certificate; the status, the
// body and the certificate the hub showed.
function get(url, ca) {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, timeout: 5000 }, (res) => {
      let body = "";
      const peer = res.socket.getPeerCertificate();
      res.setEncoding("utf8");
      res.on("data", (chunk) => { body += chunk; });
      res.on("end", () => resolve({ status: res.statusCode, body, fingerprint: peer.fingerprint256 }));
    });
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.end();
  });
}

async function startTlsHub(certificate) {
  const dataDir = join(work, "data");
  const config = join(work, "parleyd.conf");
  writeFileSync(config, `[hub]\ntls-certificate=${certificate.cert}\ntls-key=${certificate.key}\n`);
  execFileSync(process.env.PARLEYCTL, ["--data-dir", dataDir, "demo"], { stdio: "ignore" });
  hubProcess = spawn(process.env.PARLEYD, ["--data-dir", dataDir, "--listen", "127.0.0.1:0", "--config", config],
                     { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    hubProcess.stdout.on("data", (chunk) => {
      out += chunk;
      const found = /listening on (https:\/\/[^\s/]+)/.exec(out);
      if (found) resolve(found[1]);
    });
    hubProcess.once("exit", () => reject(new Error(`parleyd exited: ${out}`)));
  });
  hubProcess.stdout.resume();
  await waitFor("parleyd over https", async () => (await get(`${url}/api/v1/health`, certificate.pem)).status === 200);
  return url;
}

// The REST API as the agent's page calls it, over https from chromium.
function agentApi(page, token, method, path, body) {
  return page.evaluate(apiRequest, { url: "", token, method, path, body });
}

async function main() {
  const certificate = makeCertificate();
  const spki = createHash("sha256")
    .update(new X509Certificate(certificate.pem).publicKey.export({ type: "spki", format: "der" }))
    .digest("base64");
  const url = await startTlsHub(certificate);
  check("parleyd says it listens on https", url.startsWith("https://127.0.0.1:"), url);
  const health = await get(`${url}/api/v1/health`, certificate.pem);
  check("the hub shows the certificate it was given",
        health.fingerprint === new X509Certificate(certificate.pem).fingerprint256, health.fingerprint);
  const plain = await fetch(`${url.replace("https:", "http:")}/api/v1/health`).then(() => "answered", () => "refused");
  check("plain HTTP gets no answer on the TLS port", plain === "refused", plain);

  const browser = await launchBrowser([`--ignore-certificate-errors-spki-list=${spki}`]);
  try {
    const login = await browser.newPage();
    await login.goto(`${url}/api/v1/health`);
    const alice = (await agentApi(login, null, "POST", "auth/login", { login: "alice", password: "parley-demo" })).token;
    await agentApi(login, alice, "PUT", "agents/me/presence", { state: "available" });
    const agentPage = await openAgentPage(browser, url, alice);
    await waitFor("the hello on the agent's wss socket", async () =>
      (await agentPage.evaluate(() => window.pushes)).some((m) => m.type === "hello"));
    check("the agent's events socket works over wss", true);

    const context = await browser.newContext();
    const shop = await context.newPage();
    const sockets = [];
    shop.on("websocket", (socket) => sockets.push(socket.url()));
    await shop.goto(`${url}/api/v1/channels/chat/demo`);
    check("the demo shop is served over https", new URL(shop.url()).protocol === "https:", shop.url());
    await shop.getByRole("button", { name: "Chat with us" }).click();
    const box = shop.getByLabel("Your message");
    await box.fill("Does the kettle ship securely?");
    await box.press("Enter");
    await shop.locator("li.parley-chat-out.parley-chat-sent").first().waitFor({ timeout: 15000 });
    check("the visitor's message is acknowledged over the secure socket", true);
    const visitorSocket = sockets.find((s) => s.includes("/api/v1/channels/chat/visitor"));
    check("the widget connects with wss://", visitorSocket && visitorSocket.startsWith("wss://127.0.0.1:"),
          JSON.stringify(sockets));

    const offer = await waitFor("the offer", async () =>
      (await agentPage.evaluate(() => window.offers)).find((o) => o.customer && o.customer.name === "Visitor"), 30000);
    await agentApi(login, alice, "POST", `offers/${offer.id}/accept`, {});
    const conversation = await agentApi(login, alice, "GET", `conversations/${offer.conversation_id}`);
    const timeline = (await agentApi(login, alice, "GET", `customers/${conversation.customer_id}/timeline?limit=5`)).events;
    const first = timeline.find((e) => e.channel === "chat" && e.direction === "in");
    check("the page's https address travels with the message",
          first && first.metadata.page_url === `${url}/api/v1/channels/chat/demo`, JSON.stringify(first && first.metadata));
    await agentApi(login, alice, "POST", `conversations/${offer.conversation_id}/messages`,
                   { channel: "chat", text: "Yes, wrapped twice." });
    const reply = shop.locator("li.parley-chat-in p");
    await reply.first().waitFor({ timeout: 15000 });
    check("the agent's reply over https reaches the visitor over wss",
          (await reply.first().textContent()) === "Yes, wrapped twice.");
  } finally {
    await browser.close();
  }
}

run(async () => {
  try {
    await main();
  } finally {
    if (hubProcess && hubProcess.exitCode === null) {
      const exited = new Promise((resolve) => hubProcess.once("exit", resolve));
      hubProcess.kill("SIGTERM");
      await exited;
    }
    rmSync(work, { recursive: true, force: true });
  }
});
