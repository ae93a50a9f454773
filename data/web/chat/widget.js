// SPDX-License-Identifier: GPL-3.0-or-later
// Parley web chat widget. Embed with:
//   <script src="https://HUB/chat/widget.js" data-site="SITE-KEY" async></script>
// Customer text is only ever set as textContent, never parsed as HTML.
(function () {
  "use strict";

  var script = document.currentScript;
  var hub = (script && script.dataset.hub) || new URL(script.src).origin;
  var site = script && script.dataset.site;
  var store = window.localStorage;
  var keyPrefix = "parley-chat:" + site + ":";

  function load(name, fallback) {
    try {
      var value = store.getItem(keyPrefix + name);
      return value === null ? fallback : JSON.parse(value);
    } catch (e) {
      return fallback;
    }
  }

  function save(name, value) {
    try {
      store.setItem(keyPrefix + name, JSON.stringify(value));
    } catch (e) { /* private mode: the chat still works for this page */ }
  }

  // Messages not yet acknowledged survive reloads and reconnects; each keeps
  // its id, so sending it again never makes a second copy at the hub.
  var outbox = load("outbox", []);
  var profile = load("profile", null);
  var shown = load("shown", []);
  var socket = null;
  var retry = 0;
  var welcomed = false;

  var link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = hub + "/chat/widget.css";
  document.head.appendChild(link);

  var root = document.createElement("div");
  root.className = "parley-chat";
  root.innerHTML =
    '<button class="parley-chat-open" type="button" aria-expanded="false">Chat with us</button>' +
    '<section class="parley-chat-panel" role="dialog" aria-label="Chat" hidden>' +
    '<header><span class="parley-chat-title">Chat with us</span>' +
    '<span class="parley-chat-status" role="status"></span>' +
    '<button class="parley-chat-close" type="button" aria-label="Close chat">×</button></header>' +
    '<p class="parley-chat-notice" role="status" hidden></p>' +
    '<ol class="parley-chat-log" aria-label="Messages" aria-live="polite"></ol>' +
    '<div class="parley-chat-prechat"><input type="text" maxlength="100" aria-label="Your name (optional)"' +
    ' placeholder="Your name (optional)"><input type="email" aria-label="Your email (optional)"' +
    ' placeholder="Your email (optional)"></div>' +
    '<form class="parley-chat-form"><textarea aria-label="Your message" rows="2" maxlength="4000"' +
    ' placeholder="Type your message"></textarea><button type="submit">Send</button></form>' +
    "</section>";
  var openButton = root.querySelector(".parley-chat-open");
  var panel = root.querySelector(".parley-chat-panel");
  var log = root.querySelector(".parley-chat-log");
  var status = root.querySelector(".parley-chat-status");
  var notice = root.querySelector(".parley-chat-notice");
  var notices = {
    closed: "We are closed right now. Leave a message and we will answer as soon as we are back.",
    no_agents: "No one is available right now. Leave a message and we will get back to you."
  };

  function showAvailability(data) {
    notice.textContent = data.available ? "" : (notices[data.reason] || notices.no_agents);
    notice.hidden = !!data.available;
  }
  var input = root.querySelector("textarea");
  var prechat = root.querySelector(".parley-chat-prechat");
  var nameInput = prechat.querySelector('input[type="text"]');
  var emailInput = prechat.querySelector('input[type="email"]');
  // The pre-chat form shows until the visitor has said something.
  if (profile || outbox.length || shown.length) prechat.hidden = true;

  function setStatus(text) {
    status.textContent = text;
  }

  function bubble(key, who, text, direction) {
    var item = log.querySelector('[data-key="' + key + '"]');
    if (!item) {
      item = document.createElement("li");
      item.dataset.key = key;
      item.className = "parley-chat-" + direction;
      var author = document.createElement("span");
      author.className = "parley-chat-author";
      var body = document.createElement("p");
      item.appendChild(author);
      item.appendChild(body);
      log.appendChild(item);
    }
    item.querySelector(".parley-chat-author").textContent = who;
    item.querySelector("p").textContent = text;
    log.scrollTop = log.scrollHeight;
    return item;
  }

  function page() {
    return { url: location.href, title: document.title };
  }

  function send(object) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(object));
    }
  }

  function flush() {
    if (!welcomed) return;
    outbox.forEach(function (message) {
      send({ type: "message", id: message.id, text: message.text, page: message.page });
    });
  }

  function onMessage(event) {
    var data;
    try {
      data = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    if (data.type === "welcome") {
      save("token", data.token);
      welcomed = true;
      retry = 0;
      setStatus("");
      showAvailability(data);
      flush();
    } else if (data.type === "availability") {
      showAvailability(data);
    } else if (data.type === "ack") {
      outbox = outbox.filter(function (m) { return m.id !== data.id; });
      save("outbox", outbox);
      var item = log.querySelector('[data-key="mine-' + data.id + '"]');
      if (item) item.classList.add("parley-chat-sent");
    } else if (data.type === "message") {
      if (shown.indexOf(data.event) === -1) {
        shown.push(data.event);
        shown = shown.slice(-500);
        save("shown", shown);
      }
      bubble("agent-" + data.event, data.author || "Agent", data.text, "in");
      if (panel.hidden) openButton.classList.add("parley-chat-unread");
    } else if (data.type === "error" && data.code === "invalid_email") {
      prechat.hidden = false;
      profile = null;
      save("profile", null);
      setStatus(data.message);
    } else if (data.type === "error") {
      setStatus(data.message);
    }
  }

  var reconnectTimer = null;

  function connect() {
    var url = hub.replace(/^http/, "ws") + "/api/v1/channels/chat/visitor";
    clearTimeout(reconnectTimer);
    welcomed = false;
    socket = new WebSocket(url);
    socket.onopen = function () {
      var hello = { type: "hello", site: site, token: load("token", null), page: page() };
      if (profile) {
        hello.name = profile.name;
        hello.email = profile.email;
      }
      send(hello);
    };
    socket.onmessage = onMessage;
    socket.onclose = function () {
      welcomed = false;
      setStatus("Reconnecting…");
      retry = Math.min(retry + 1, 5);
      reconnectTimer = setTimeout(connect, Math.min(30000, 500 * Math.pow(2, retry)) * (0.75 + Math.random() / 2));
    };
  }

  // Back online: no need to wait for the next attempt.
  window.addEventListener("online", function () {
    if (!socket || socket.readyState === WebSocket.CLOSED) connect();
  });

  root.querySelector(".parley-chat-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    var message = {
      id: Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10),
      text: text,
      page: page()
    };
    if (!prechat.hidden) {
      if (nameInput.value.trim() || emailInput.value.trim()) {
        profile = { name: nameInput.value.trim(), email: emailInput.value.trim() };
        save("profile", profile);
        if (welcomed) send({ type: "profile", name: profile.name, email: profile.email });
      }
      prechat.hidden = true;
    }
    outbox.push(message);
    save("outbox", outbox);
    bubble("mine-" + message.id, "You", text, "out");
    input.value = "";
    flush();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      root.querySelector(".parley-chat-form").requestSubmit();
    }
  });
  openButton.addEventListener("click", function () {
    panel.hidden = false;
    openButton.hidden = true;
    openButton.classList.remove("parley-chat-unread");
    openButton.setAttribute("aria-expanded", "true");
    input.focus();
  });
  root.querySelector(".parley-chat-close").addEventListener("click", function () {
    panel.hidden = true;
    openButton.hidden = false;
    openButton.setAttribute("aria-expanded", "false");
  });

  // Messages written before a reload show again until they are acked.
  outbox.forEach(function (message) {
    bubble("mine-" + message.id, "You", message.text, "out");
  });

  function start() {
    document.body.appendChild(root);
    connect();
  }
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
