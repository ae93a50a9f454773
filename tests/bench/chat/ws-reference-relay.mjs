// SPDX-License-Identifier: GPL-3.0-or-later
// The reference for bench-chat.mjs: the smallest relay, written with the npm
// `ws` package and node:http, that speaks the subset of parleyd's web chat
// protocol the benchmark's load uses, so one load generator drives both.
// Nothing is stored: an "ack" goes out as soon as the message is in memory,
// where parleyd acknowledges only after the message is committed and fsynced.
//
//   node ws-reference-relay.mjs [--listen 127.0.0.1:0] [--site KEY] [--capacity N]
//
// Prints "ws-reference-relay listening on http://HOST:PORT/" once it accepts.
//
// Visitor socket /api/v1/channels/chat/visitor (as parleyd):
//   → hello {site, token?, name?}          ← welcome {token, visitor, available}
//   → message {id, text}                   ← ack {id, event, duplicate}
//                                          ← message {event, text, author} (agent replies)
//   burst of 10 messages, then 2 per second, as parleyd ("rate_limited").
// Agents (any login and password are accepted; each gets --capacity chats):
//   POST /api/v1/auth/login                → {token, expires, agent}
//   PUT  /api/v1/agents/me/presence        → agent
//   POST /api/v1/offers/{id}/accept        → conversation
//   POST /api/v1/conversations/{id}/messages {channel, text} → 201 {event}
//   GET  /api/v1/events?access_token=      WebSocket: hello, offer, event, conversation
//   GET  /api/v1/health                    → {status: "ok"}
// A visitor's first message opens a conversation, which is offered to the
// available agent with the most free chat slots; once accepted, the
// visitor's messages are pushed to that agent as "event"s.
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { WebSocketServer } from "ws";

const args = process.argv.slice(2);
function option(name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}
const listen = option("--listen", "127.0.0.1:0");
const site = option("--site", "bench-site");
const capacity = Number(option("--capacity", "25"));
const RATE_BURST = 10;
const RATE_PER_SECOND = 2;
const MAX_FRAME_SIZE = 16 * 1024;

let nextId = 1;
const agents = new Map();         // id → agent
const agentsByLogin = new Map();  // login → agent
const tokens = new Map();         // token → agent
const visitors = new Map();       // visitor id → {id, name, sockets: Set, conversation}
const conversations = new Map();  // id → conversation
const offers = new Map();         // id → offer
const queued = [];                // conversations waiting for an agent

function agentJson(agent) {
  return { id: agent.id, login: agent.login, name: agent.name, role: "agent", presence: agent.presence,
           capacity: { chat: agent.capacity }, load: { chat: agent.load } };
}

function conversationJson(c) {
  return { id: c.id, customer_id: c.customerId, channel: "chat", state: c.state, agent_id: c.agentId,
           created: c.created, customer_name: c.visitor.name };
}

function pushToAgent(agent, message) {
  if (!agent) return;
  const text = JSON.stringify(message);
  for (const socket of agent.sockets)
    if (socket.readyState === 1) socket.send(text);
}

function sendVisitor(socket, message) {
  if (socket.readyState === 1) socket.send(JSON.stringify(message));
}

function dispatch() {
  while (queued.length > 0) {
    let best = null;
    for (const agent of agents.values())
      if (agent.presence === "available" && agent.sockets.size > 0 && agent.load < agent.capacity &&
          (!best || agent.capacity - agent.load > best.capacity - best.load))
        best = agent;
    if (!best) return;
    const conversation = queued.shift();
    const offer = { id: nextId++, conversation_id: conversation.id, agent_id: best.id, state: "open",
                    created: Date.now() * 1000 };
    offers.set(offer.id, offer);
    conversation.state = "offered";
    conversation.offerId = offer.id;
    best.load++;
    pushToAgent(best, { type: "offer", offer: { ...offer, conversation: conversationJson(conversation),
                                                customer: { id: conversation.customerId, name: conversation.visitor.name } } });
  }
}

// ---- the visitor socket ----------------------------------------------------

function visitorMessage(socket, state, data, isBinary) {
  let body;
  if (isBinary) return sendVisitor(socket, { type: "error", code: "invalid", message: "Messages are JSON text in UTF-8" });
  try {
    body = JSON.parse(data.toString());
  } catch {
    return sendVisitor(socket, { type: "error", code: "invalid", message: "Messages are JSON objects" });
  }
  if (body === null || typeof body !== "object")
    return sendVisitor(socket, { type: "error", code: "invalid", message: "Messages are JSON objects" });
  if (body.type === "hello") {
    if (state.visitor) return sendVisitor(socket, { type: "error", code: "invalid", message: "Hello was already said" });
    if (body.site !== site) {
      sendVisitor(socket, { type: "error", code: "unknown_site", message: "This site is not set up for chat" });
      return socket.close(1008, "unknown site");
    }
    const id = typeof body.token === "string" && visitors.has(body.token) ? body.token : `visitor-${randomUUID()}`;
    let visitor = visitors.get(id);
    if (!visitor) {
      visitor = { id, customerId: nextId++, name: typeof body.name === "string" && body.name ? body.name : "Visitor",
                  sockets: new Set(), conversation: null };
      visitors.set(id, visitor);
    }
    visitor.sockets.add(socket);
    state.visitor = visitor;
    sendVisitor(socket, { type: "welcome", token: id, visitor: id, available: true });
  } else if (body.type === "message") {
    const visitor = state.visitor;
    if (!visitor) return sendVisitor(socket, { type: "error", code: "invalid", message: "Say hello first" });
    if (typeof body.id !== "string" || typeof body.text !== "string" || body.id.length > 64 ||
        body.text.length === 0 || body.text.length > 4000)
      return sendVisitor(socket, { type: "error", code: "invalid",
                                   message: "A message has 1 to 4000 characters and an id of at most 64" });
    const now = performance.now();
    state.allowance = Math.min(RATE_BURST, state.allowance + (now - state.updated) * RATE_PER_SECOND / 1000);
    state.updated = now;
    if (state.allowance < 1)
      return sendVisitor(socket, { type: "error", code: "rate_limited",
                                   message: "You are sending messages too fast; please wait a moment" });
    state.allowance -= 1;
    let conversation = visitor.conversation;
    const fresh = !conversation;
    if (fresh) {
      conversation = { id: nextId++, customerId: visitor.customerId, visitor, state: "queued", agentId: 0,
                       created: Date.now() * 1000 };
      conversations.set(conversation.id, conversation);
      visitor.conversation = conversation;
    }
    const event = { id: nextId++, conversation_id: conversation.id, customer_id: visitor.customerId, channel: "chat",
                    kind: "message", direction: "in", author_name: visitor.name, text: body.text,
                    external_id: `${visitor.id}:${body.id}`, created: Date.now() * 1000 };
    sendVisitor(socket, { type: "ack", id: body.id, event: event.id, duplicate: false });
    if (conversation.state === "assigned") pushToAgent(agents.get(conversation.agentId), { type: "event", event });
    if (fresh) {
      queued.push(conversation);
      dispatch();
    }
  } else if (body.type === "ping" || body.type === "typing") {
    // keeps the socket open
  } else {
    sendVisitor(socket, { type: "error", code: "invalid", message: "Unknown message type" });
  }
}

// ---- HTTP ------------------------------------------------------------------

function reply(res, status, object) {
  const text = object === undefined ? "" : JSON.stringify(object);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function fail(res, status, code, message) {
  reply(res, status, { error: { code, message } });
}

function bearer(req) {
  const header = req.headers.authorization || "";
  return header.startsWith("Bearer ") ? tokens.get(header.slice(7)) : undefined;
}

function handle(req, res, body) {
  const path = new URL(req.url, "http://relay").pathname;
  let match;
  if (req.method === "GET" && path === "/api/v1/health") return reply(res, 200, { status: "ok" });
  if (req.method === "POST" && path === "/api/v1/auth/login") {
    if (!body || typeof body.login !== "string") return fail(res, 400, "invalid", "login and password are required");
    let agent = agentsByLogin.get(body.login);
    if (!agent) {
      agent = { id: nextId++, login: body.login, name: body.login, presence: "offline", capacity, load: 0,
                sockets: new Set() };
      agents.set(agent.id, agent);
      agentsByLogin.set(agent.login, agent);
    }
    const token = randomUUID();
    tokens.set(token, agent);
    return reply(res, 200, { token, expires: Date.now() * 1000 + 12 * 3600e6, agent: agentJson(agent) });
  }
  const agent = bearer(req);
  if (!agent) return fail(res, 401, "unauthorized", "A valid token is required");
  if (req.method === "PUT" && path === "/api/v1/agents/me/presence") {
    agent.presence = body && typeof body.state === "string" ? body.state : agent.presence;
    dispatch();
    return reply(res, 200, agentJson(agent));
  }
  if (req.method === "POST" && (match = path.match(/^\/api\/v1\/offers\/(\d+)\/accept$/))) {
    const offer = offers.get(Number(match[1]));
    if (!offer || offer.agent_id !== agent.id || offer.state !== "open")
      return fail(res, 409, "conflict", "This offer is no longer open");
    offer.state = "accepted";
    const conversation = conversations.get(offer.conversation_id);
    conversation.state = "assigned";
    conversation.agentId = agent.id;
    pushToAgent(agent, { type: "conversation", conversation: conversationJson(conversation) });
    return reply(res, 200, conversationJson(conversation));
  }
  if (req.method === "POST" && (match = path.match(/^\/api\/v1\/conversations\/(\d+)\/messages$/))) {
    const conversation = conversations.get(Number(match[1]));
    if (!conversation) return fail(res, 404, "not_found", "No such conversation");
    if (conversation.agentId !== agent.id) return fail(res, 403, "forbidden", "You do not hold this conversation");
    if (!body || typeof body.text !== "string" || !body.text) return fail(res, 400, "invalid", "text is required");
    const event = { id: nextId++, conversation_id: conversation.id, customer_id: conversation.customerId,
                    channel: "chat", kind: "message", direction: "out", agent_id: agent.id, author_name: agent.name,
                    text: body.text, delivery: "delivered", created: Date.now() * 1000 };
    const visitor = conversation.visitor;
    const push = JSON.stringify({ type: "message", event: event.id, text: event.text, author: agent.name });
    for (const socket of visitor.sockets)
      if (socket.readyState === 1) socket.send(push);
    pushToAgent(agent, { type: "event", event });
    return reply(res, 201, { event });
  }
  return fail(res, 404, "not_found", "No such endpoint");
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    let body;
    if (chunks.length > 0) {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString());
      } catch {
        return fail(res, 400, "invalid", "The body is not JSON");
      }
    }
    handle(req, res, body);
  });
});
server.keepAliveTimeout = 60000;

const visitorServer = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_SIZE });
const eventsServer = new WebSocketServer({ noServer: true });

server.on("upgrade", (req, socket, head) => {
  const url = new URL(req.url, "http://relay");
  if (url.pathname === "/api/v1/channels/chat/visitor") {
    visitorServer.handleUpgrade(req, socket, head, (ws) => {
      const state = { visitor: null, allowance: RATE_BURST, updated: performance.now() };
      ws.on("message", (data, isBinary) => visitorMessage(ws, state, data, isBinary));
      ws.on("close", () => state.visitor && state.visitor.sockets.delete(ws));
      ws.on("error", () => {});
    });
  } else if (url.pathname === "/api/v1/events") {
    const agent = tokens.get(url.searchParams.get("access_token"));
    if (!agent) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    eventsServer.handleUpgrade(req, socket, head, (ws) => {
      agent.sockets.add(ws);
      if (agent.presence === "offline") agent.presence = "away";
      ws.on("message", (data) => data.toString() === "ping" && ws.send("pong"));
      ws.on("close", () => {
        agent.sockets.delete(ws);
        if (agent.sockets.size === 0) agent.presence = "offline";
      });
      ws.on("error", () => {});
      ws.send(JSON.stringify({ type: "hello", agent: agentJson(agent) }));
      dispatch();
    });
  } else {
    socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  }
});

const colon = listen.lastIndexOf(":");
server.listen({ host: listen.slice(0, colon), port: Number(listen.slice(colon + 1)), backlog: 1024 }, () => {
  const { address, port } = server.address();
  console.log(`ws-reference-relay listening on http://${address}:${port}/`);
});
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
