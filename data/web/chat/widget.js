// SPDX-License-Identifier: GPL-3.0-or-later
// Parley web chat widget. Embed with:
//   <script src="https://HUB/api/v1/channels/chat/widget.js" data-site="SITE-KEY" async></script>
// A site that has signed its user in passes who they are, signed by its
// backend with the chat identity-secret (see the README):
//   data-email="maria@example.com" data-email-signature="HEX HMAC-SHA256"
// Customer text is only ever set as textContent, never parsed as HTML.
(function () {
  "use strict";

  var script = document.currentScript;
  var hub = (script && script.dataset.hub) || new URL(script.src).origin;
  var site = script && script.dataset.site;
  var identity = script && script.dataset.email && script.dataset.emailSignature ?
    { email: script.dataset.email, signature: script.dataset.emailSignature } : null;
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
  // A pre-chat form sent between our hello and the hub's welcome waits for
  // the welcome: the hub takes nothing before it.
  var profileUnsent = false;

  var link = document.createElement("link");
  link.rel = "stylesheet";
  link.className = "parley-chat-styles";
  link.href = hub + "/api/v1/channels/chat/widget.css";
  document.head.appendChild(link);

  var root = document.createElement("div");
  root.className = "parley-chat";
  root.innerHTML =
    '<button class="parley-chat-open" type="button" aria-expanded="false">Chat with us</button>' +
    '<section class="parley-chat-panel" role="dialog" aria-label="Chat" hidden>' +
    '<header><span class="parley-chat-title">Chat with us</span>' +
    '<span class="parley-chat-status" role="status"></span>' +
    '<button class="parley-chat-leave" type="button">End chat</button>' +
    '<button class="parley-chat-close" type="button" aria-label="Close chat">×</button></header>' +
    '<p class="parley-chat-notice" role="status" hidden></p>' +
    '<div class="parley-chat-consent" role="alertdialog" aria-label="Share this page?" hidden>' +
    '<p class="parley-chat-consent-text"></p><div class="parley-chat-consent-buttons">' +
    '<button type="button" class="parley-chat-decline">Decline</button>' +
    '<button type="button" class="parley-chat-accept">Share this page</button></div></div>' +
    '<ol class="parley-chat-log" aria-label="Messages" aria-live="polite"></ol>' +
    '<p class="parley-chat-typing" aria-live="polite" hidden></p>' +
    '<div class="parley-chat-prechat"><input type="text" maxlength="100" aria-label="Your name (optional)"' +
    ' placeholder="Your name (optional)"><input type="email" aria-label="Your email (optional)"' +
    ' placeholder="Your email (optional)"></div>' +
    '<form class="parley-chat-form"><textarea aria-label="Your message" rows="2" maxlength="4000"' +
    ' placeholder="Type your message"></textarea>' +
    '<label class="parley-chat-attach" title="Attach a file"><input type="file" aria-label="Attach a file"' +
    ' accept="image/png,image/jpeg,image/gif,application/pdf,text/plain"></label>' +
    '<button type="submit">Send</button></form>' +
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

  var typingLine = root.querySelector(".parley-chat-typing");
  var typingTimer = null;
  var typingSentAt = 0;
  var lastRead = 0;

  // The agent is typing: shown until they stop, send, or go quiet for 6 s.
  function showTyping(data) {
    clearTimeout(typingTimer);
    typingLine.textContent = data.typing ? (data.author || "The agent") + " is typing…" : "";
    typingLine.hidden = !data.typing;
    if (data.typing) typingTimer = setTimeout(function () { typingLine.hidden = true; }, 6000);
  }

  // Tells the agent which of their messages the visitor has seen: those on
  // screen while the chat is open and the page visible.
  function sendRead() {
    if (panel.hidden || document.visibilityState !== "visible" || !welcomed) return;
    var newest = shown.length ? Math.max.apply(null, shown) : 0;
    if (newest > lastRead) {
      lastRead = newest;
      send({ type: "read", event: newest });
    }
  }

  // The agent has seen the visitor's messages up to an event.
  function markRead(upTo) {
    log.querySelectorAll("li.parley-chat-out[data-event]").forEach(function (item) {
      if (Number(item.dataset.event) <= upTo && !item.classList.contains("parley-chat-read")) {
        item.classList.add("parley-chat-read");
        var receipt = document.createElement("span");
        receipt.className = "parley-chat-receipt";
        receipt.textContent = "Read";
        item.appendChild(receipt);
      }
    });
  }

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

  // The first message after @event: one stored later, or one still on its way.
  function itemAfter(event) {
    var items = log.children;
    for (var i = 0; i < items.length; i++) {
      if (!items[i].dataset.event || Number(items[i].dataset.event) > event) return items[i];
    }
    return null;
  }

  // A message in the log, once: @key names it. One with an @event goes in
  // the hub's order; one without (being sent) goes last.
  function bubble(key, who, text, direction, event) {
    var item = log.querySelector('[data-key="' + CSS.escape(key) + '"]');
    if (!item) {
      item = document.createElement("li");
      item.dataset.key = key;
      item.className = "parley-chat-" + direction;
      var author = document.createElement("span");
      author.className = "parley-chat-author";
      var body = document.createElement("p");
      item.appendChild(author);
      item.appendChild(body);
      log.insertBefore(item, event ? itemAfter(event) : null);
    }
    if (event) item.dataset.event = event;
    item.querySelector(".parley-chat-author").textContent = who;
    item.querySelector("p").textContent = text;
    log.scrollTop = log.scrollHeight;
    return item;
  }

  // An agent's message the visitor has had: kept (the latest 500) for the
  // read receipts.
  function remember(event) {
    if (shown.indexOf(event) !== -1) return;
    shown.push(event);
    shown = shown.slice(-500);
    save("shown", shown);
  }

  function agentBubble(data) {
    var item = bubble("agent-" + data.event, data.author || "Customer service", data.text, "in", data.event);
    if (data.attachment && data.attachment.id) fileButton(item, data.attachment);
    return item;
  }

  // The conversation so far, sent by the hub on each connection: on a new
  // page of the shop or after a reload the log shows it again. What is
  // already shown stays as it is.
  function showHistory(messages) {
    messages.forEach(function (message, index) {
      var item;
      if (message.direction === "in") {
        item = bubble("mine-" + (message.id || message.event), "You", message.text, "out", message.event);
        item.classList.add("parley-chat-sent");
      } else {
        var known = log.querySelector('[data-key="agent-' + message.event + '"]');
        item = agentBubble(message);
        remember(message.event);
        // A question still unanswered: the last thing said.
        if (!known && message.survey && typeof message.survey.min === "number" && index === messages.length - 1) {
          rating(item, message.survey);
        }
      }
    });
    if (messages.length) prechat.hidden = true;
    sendRead();
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
      send({ type: "message", id: message.id, text: message.text, page: message.page, attachment: message.attachment });
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
      if (profileUnsent && profile) send({ type: "profile", name: profile.name, email: profile.email });
      profileUnsent = false;
      flush();
      sendRead();
      cobrowse.resume();
    } else if (data.type === "history") {
      showHistory(data.messages || []);
    } else if (data.type === "availability") {
      showAvailability(data);
    } else if (data.type === "ack") {
      outbox = outbox.filter(function (m) { return m.id !== data.id; });
      save("outbox", outbox);
      if (slowedDown && outbox.length === 0) {
        slowedDown = false;
        setStatus("");
      }
      var item = log.querySelector('[data-key="' + CSS.escape("mine-" + data.id) + '"]');
      if (item) {
        item.classList.add("parley-chat-sent");
        item.dataset.event = data.event;
      }
    } else if (data.type === "message") {
      remember(data.event);
      var reply = agentBubble(data);
      if (data.survey && typeof data.survey.min === "number") rating(reply, data.survey);
      showTyping({ typing: false });
      if (panel.hidden) openButton.classList.add("parley-chat-unread");
      sendRead();
    } else if (data.type === "typing") {
      showTyping(data);
    } else if (data.type === "read") {
      markRead(data.up_to);
    } else if (data.type.indexOf("cobrowse_") === 0) {
      cobrowse.onMessage(data);
    } else if (data.type === "error" && data.code === "invalid_email") {
      prechat.hidden = false;
      profile = null;
      save("profile", null);
      setStatus(data.message);
    } else if (data.type === "error") {
      setStatus(data.message);
      // Too fast: what is still unacknowledged goes again in a moment.
      if (data.code === "rate_limited") {
        slowedDown = true;
        clearTimeout(resendTimer);
        resendTimer = setTimeout(flush, 3000);
      }
    }
  }

  var reconnectTimer = null;
  var resendTimer = null;
  var slowedDown = false;  // the status says so, until all is sent

  function connect() {
    // wss:// from an https hub, and always from an https page, which may not
    // open ws:// at all.
    var url = hub.replace(/^http/, "ws").replace(/^ws:/, location.protocol === "https:" ? "wss:" : "ws:") +
      "/api/v1/channels/chat/visitor";
    clearTimeout(reconnectTimer);
    welcomed = false;
    socket = new WebSocket(url);
    socket.onopen = function () {
      var hello = { type: "hello", site: site, token: load("token", null), page: page() };
      if (identity) hello.identity = identity;
      if (profile) {
        hello.name = profile.name;
        hello.email = profile.email;
      }
      profileUnsent = false;
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

  function messageId() {
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
  }

  // A survey question: one button per score. The answer goes back as an
  // ordinary message ("9"), which the hub reads like a typed reply.
  function rating(item, survey) {
    if (item.querySelector(".parley-chat-rating")) return;
    var group = document.createElement("div");
    group.className = "parley-chat-rating";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Your answer, from " + survey.min + " (" + survey.low + ") to " +
                       survey.max + " (" + survey.high + ")");
    for (var score = survey.min; score <= survey.max; score++) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = String(score);
      button.addEventListener("click", function (event) {
        group.querySelectorAll("button").forEach(function (each) { each.disabled = true; });
        event.target.setAttribute("aria-pressed", "true");
        queue({ id: messageId(), text: event.target.textContent, page: page() });
      });
      group.appendChild(button);
    }
    var scale = document.createElement("p");
    scale.className = "parley-chat-scale";
    var low = document.createElement("span");
    var high = document.createElement("span");
    low.textContent = survey.low;
    high.textContent = survey.high;
    scale.appendChild(low);
    scale.appendChild(high);
    item.appendChild(group);
    item.appendChild(scale);
  }

  root.querySelector(".parley-chat-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    var message = {
      id: messageId(),
      text: text,
      page: page()
    };
    if (!prechat.hidden) {
      if (nameInput.value.trim() || emailInput.value.trim()) {
        profile = { name: nameInput.value.trim(), email: emailInput.value.trim() };
        save("profile", profile);
        if (welcomed) send({ type: "profile", name: profile.name, email: profile.email });
        else profileUnsent = true;
      }
      prechat.hidden = true;
    }
    queue(message);
    input.value = "";
    typingSentAt = 0;  // sent: the next key starts a new "typing"
  });

  function queue(message) {
    outbox.push(message);
    save("outbox", outbox);
    bubble("mine-" + message.id, "You", message.text, "out");
    flush();
  }

  function sizeText(bytes) {
    if (bytes < 1024) return bytes + " bytes";
    if (bytes < 1024 * 1024) return Math.round(bytes / 1024) + " KB";
    return (bytes / (1024 * 1024)).toFixed(1) + " MB";
  }

  // A file the agent sent: a button with its name and size. It downloads
  // with the visitor's token in a header (never in an address), and the
  // browser saves it under its name from a local object URL.
  // Icons are drawn, not emoji: emoji fonts are not everywhere.
  function drawnIcon(outline) {
    var svg = "http://www.w3.org/2000/svg";
    var icon = document.createElementNS(svg, "svg");
    var path = document.createElementNS(svg, "path");
    icon.setAttribute("viewBox", "0 0 16 16");
    icon.setAttribute("aria-hidden", "true");
    icon.setAttribute("class", "parley-chat-icon");
    path.setAttribute("d", outline);
    icon.appendChild(path);
    return icon;
  }

  function fileButton(item, file) {
    if (item.querySelector(".parley-chat-file")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "parley-chat-file";
    button.setAttribute("aria-label", "Download " + file.name + ", " + sizeText(file.size));
    button.title = file.name;
    var icon = drawnIcon("M3.5 1.5h6l3 3v10h-9z M9.5 1.5v3h3 M5.5 8.5h5 M5.5 11h5");
    var name = document.createElement("span");
    name.className = "parley-chat-file-name";
    name.textContent = file.name;
    var size = document.createElement("span");
    size.className = "parley-chat-file-size";
    size.textContent = sizeText(file.size);
    button.appendChild(icon);
    button.appendChild(name);
    button.appendChild(size);
    button.addEventListener("click", function () {
      button.disabled = true;
      fetch(hub + "/api/v1/channels/chat/attachments/" + encodeURIComponent(file.id), {
        headers: { "X-Parley-Visitor": load("token", "") }
      }).then(function (answer) {
        if (answer.ok) return answer.blob();
        return answer.json().catch(function () { return {}; }).then(function (data) {
          throw new Error(data.error ? data.error.message : "The file could not be downloaded.");
        });
      }).then(function (blob) {
        var url = URL.createObjectURL(blob);
        var link = document.createElement("a");
        link.href = url;
        link.download = file.name;
        link.hidden = true;
        root.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
        button.disabled = false;
      }, function (error) {
        setStatus(error.message || "The file could not be downloaded.");
        button.disabled = false;
      });
    });
    item.appendChild(button);
  }

  // A file goes up first; the message that carries it is queued like any other.
  var fileInput = root.querySelector(".parley-chat-attach input");
  // A paper clip.
  fileInput.parentNode.appendChild(drawnIcon("M10.5 4.5v6a2.5 2.5 0 0 1-5 0v-7a1.5 1.5 0 0 1 3 0v6.5a.5.5 0 0 1-1 0v-5.5"));
  fileInput.addEventListener("change", function () {
    var file = fileInput.files[0];
    fileInput.value = "";
    if (!file) return;
    if (file.size > 5 * 1024 * 1024) {
      setStatus("Files may be up to 5 MB.");
      return;
    }
    setStatus("Sending " + file.name + "…");
    fetch(hub + "/api/v1/channels/chat/attachments", {
      method: "POST",
      headers: { "Content-Type": file.type || "application/octet-stream",
                 "X-Parley-Visitor": load("token", ""), "X-Parley-Filename": encodeURIComponent(file.name) },
      body: file
    }).then(function (answer) {
      return answer.json().then(function (data) {
        if (!answer.ok) throw new Error(data.error ? data.error.message : "The file could not be sent.");
        setStatus("");
        queue({
          id: messageId(),
          text: data.attachment.name,
          attachment: data.attachment.id,
          page: page()
        });
      });
    }).catch(function (error) {
      setStatus(error.message);
    });
  });
  // The agent sees that the visitor is typing (at most every 2 s).
  input.addEventListener("input", function () {
    var now = Date.now();
    if (input.value && now - typingSentAt > 2000) {
      typingSentAt = now;
      send({ type: "typing", typing: true });
    }
  });
  document.addEventListener("visibilitychange", sendRead);
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
    sendRead();
  });
  // Ending the chat: a visitor still waiting leaves the queue for good.
  root.querySelector(".parley-chat-leave").addEventListener("click", function () {
    send({ type: "leave" });
    notice.textContent = "You ended the chat. Write again any time.";
    notice.hidden = false;
  });
  root.querySelector(".parley-chat-close").addEventListener("click", function () {
    panel.hidden = true;
    openButton.hidden = false;
    openButton.setAttribute("aria-expanded", "false");
  });

  // Co-browse: with the visitor's consent the agent sees this page live.
  // rrweb records it (loaded only after consent); passwords, card numbers
  // and fields the site marks with data-parley-private are masked here,
  // before anything leaves the browser. The session survives moving to
  // another page of the site: this tab remembers it in sessionStorage.
  var cobrowse = (function () {
    var consent = root.querySelector(".parley-chat-consent");
    var consentText = consent.querySelector(".parley-chat-consent-text");
    var tabStore = window.sessionStorage;
    var sessionKey = keyPrefix + "cobrowse";
    var session = null;      // the session this tab shares, or is asked about
    var stopRecording = null;
    var pending = [];
    var flushTimer = null;
    var bar = null;
    var pointer = null;
    var MAX_FRAME = 3 * 1024 * 1024;
    var CARD_NUMBER = /(?:\d[ -]?){12,18}\d/g;   // 13 to 19 digits
    var DIGIT_RUN = /(?:\d[ -]?){5,}\d/g;         // 6 or more, as typed

    function remembered() {
      try { return JSON.parse(tabStore.getItem(sessionKey)); } catch (e) { return null; }
    }
    function remember(value) {
      try {
        if (value) tabStore.setItem(sessionKey, JSON.stringify(value));
        else tabStore.removeItem(sessionKey);
      } catch (e) { /* private mode: the session ends with this page */ }
    }

    function stars(text) {
      return text.replace(/\S/g, "*");
    }
    function digitsHidden(text) {
      return text.replace(/\d/g, "*");
    }
    function isPrivate(element) {
      return !!(element && element.closest && element.closest("[data-parley-private]"));
    }
    function isPaymentField(element) {
      var hints = [element.getAttribute("autocomplete"), element.name, element.id].join(" ");
      return /cc-|card|cvc|cvv|csc|iban|security.?code/i.test(hints);
    }
    function maskInput(text, element) {
      if (!text) return text;
      if (element.type === "password" || isPrivate(element) || isPaymentField(element)) return stars(text);
      // A number being typed hides from its sixth digit on, before it is
      // long enough to be recognized as a card number.
      return text.replace(DIGIT_RUN, digitsHidden);
    }
    function maskText(text, element) {
      if (isPrivate(element)) return stars(text);
      return text.replace(CARD_NUMBER, digitsHidden);
    }

    function page() {
      return { url: location.href, title: document.title };
    }

    function sendEvents() {
      flushTimer = null;
      var batch = [];
      var size = 0;
      while (pending.length) {
        var event = pending.shift();
        var length = JSON.stringify(event).length;
        if (length > MAX_FRAME) {
          end("too_large");
          setStatus("This page is too large to share.");
          return;
        }
        if (size + length > MAX_FRAME / 2 && batch.length) {
          send({ type: "cobrowse_events", session: session.id, events: batch });
          batch = [];
          size = 0;
        }
        batch.push(event);
        size += length;
      }
      if (batch.length) send({ type: "cobrowse_events", session: session.id, events: batch });
    }

    function emit(event) {
      pending.push(event);
      // A frame at most every 16 ms: bursts of changes travel together.
      if (!flushTimer) flushTimer = setTimeout(sendEvents, 16);
    }

    function record() {
      if (stopRecording || !window.rrweb) return;
      stopRecording = window.rrweb.record({
        emit: emit,
        // The widget and its styles stay out of the recording: the agent
        // sees the shop's page, not the visitor's chat or sharing bar.
        blockSelector: ".parley-chat, .parley-chat-styles, .parley-chat-agent-pointer, .parley-chat-sharing, " +
                       ".parley-chat-agent-highlight, [data-parley-block]",
        maskTextSelector: "*",
        maskTextFn: maskText,
        maskInputOptions: {
          text: true, textarea: true, email: true, tel: true, number: true, search: true, url: true,
          password: true, date: true, month: true, week: true, select: true
        },
        maskInputFn: maskInput,
        sampling: { mousemove: 50, scroll: 100 },
        recordCanvas: false,
        collectFonts: false
      });
    }

    function loadRecorder(then) {
      if (window.rrweb) return then();
      var script = document.createElement("script");
      script.src = hub + "/api/v1/channels/chat/rrweb-record.js";
      script.onload = then;
      script.onerror = function () {
        setStatus("Sharing could not start.");
        end("failed");
      };
      document.head.appendChild(script);
    }

    function showBar() {
      if (bar) return;
      bar = document.createElement("div");
      bar.className = "parley-chat-sharing";
      bar.setAttribute("role", "status");
      var text = document.createElement("span");
      text.textContent = (session.agent || "The agent") + " sees this page. Passwords, card numbers and private fields stay hidden.";
      var stop = document.createElement("button");
      stop.type = "button";
      stop.textContent = "Stop sharing";
      stop.addEventListener("click", function () { end("visitor"); });
      bar.appendChild(text);
      bar.appendChild(stop);
      document.body.appendChild(bar);
    }

    function showPointer(data) {
      if (!pointer) {
        pointer = document.createElement("div");
        pointer.className = "parley-chat-agent-pointer";
        pointer.setAttribute("aria-hidden", "true");
        var label = document.createElement("span");
        label.textContent = session.agent || "Agent";
        pointer.appendChild(label);
        document.body.appendChild(pointer);
      }
      pointer.style.left = data.x + "px";
      pointer.style.top = data.y + "px";
      if (data.kind === "highlight") {
        var ring = document.createElement("div");
        ring.className = "parley-chat-agent-highlight";
        ring.setAttribute("aria-hidden", "true");
        ring.style.left = data.x + "px";
        ring.style.top = data.y + "px";
        document.body.appendChild(ring);
        setTimeout(function () { ring.remove(); }, 2000);
      }
    }

    function stopLocally() {
      if (stopRecording) stopRecording();
      stopRecording = null;
      clearTimeout(flushTimer);
      flushTimer = null;
      pending = [];
      consent.hidden = true;
      if (bar) bar.remove();
      if (pointer) pointer.remove();
      bar = pointer = null;
      session = null;
      remember(null);
    }

    function end(by) {
      if (!session) return;
      send({ type: "cobrowse_end", session: session.id, by: by });
      stopLocally();
      notice.textContent = "Screen sharing has ended.";
      notice.hidden = false;
    }

    root.querySelector(".parley-chat-accept").addEventListener("click", function () {
      consent.hidden = true;
      loadRecorder(function () {
        send({ type: "cobrowse_accept", session: session.id, page: page() });
      });
    });
    root.querySelector(".parley-chat-decline").addEventListener("click", function () {
      send({ type: "cobrowse_decline", session: session.id });
      stopLocally();
    });

    return {
      onMessage: function (data) {
        if (data.type === "cobrowse_request") {
          if (stopRecording) return;  // already sharing this tab
          session = { id: data.session, agent: data.agent };
          consentText.textContent = (data.agent || "An agent") + " would like to see this page with you. " +
            "They will see this page and the pages you open on this site until you stop, " +
            "but not passwords, card numbers or private fields, and they cannot click or type for you.";
          consent.hidden = false;
          panel.hidden = false;
          openButton.hidden = true;
          consent.querySelector(".parley-chat-accept").focus();
        } else if (!session || data.session !== session.id) {
          return;
        } else if (data.type === "cobrowse_active") {
          remember(session);
          showBar();
          record();
        } else if (data.type === "cobrowse_pointer") {
          showPointer(data);
        } else if (data.type === "cobrowse_end") {
          var shared = !!stopRecording;
          stopLocally();
          if (shared) {
            notice.textContent = "Screen sharing has ended.";
            notice.hidden = false;
          }
        }
      },
      // After each welcome: carry on sharing if this tab was.
      resume: function () {
        var known = remembered();
        if (!known || stopRecording) return;
        session = known;
        loadRecorder(function () {
          send({ type: "cobrowse_resume", session: session.id, page: page() });
        });
      }
    };
  })();

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
