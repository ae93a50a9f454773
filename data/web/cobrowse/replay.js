// SPDX-License-Identifier: GPL-3.0-or-later
// Replays a co-browse session live. The desktop hands in each frame from
// the hub with parleyCobrowse.receive(text); this page never talks to the
// network. The agent's pointer and clicks go back to the desktop through
// the "parley" script message handler, in the visitor's page coordinates.
(function () {
  "use strict";

  var root = document.getElementById("replay");
  var replayer = null;
  var scale = 1;
  var lastPointer = 0;

  function post(message) {
    window.webkit.messageHandlers.parley.postMessage(JSON.stringify(message));
  }

  function fit(width, height) {
    var wrapper = root.querySelector(".replayer-wrapper");
    if (!wrapper || !width) return;
    scale = Math.min(1, root.clientWidth / width, root.clientHeight / height);
    wrapper.style.transform = "scale(" + scale + ")";
    wrapper.style.left = Math.max(0, (root.clientWidth - width * scale) / 2) + "px";
  }

  function replayedDocument() {
    var frame = root.querySelector("iframe");
    return frame && frame.contentDocument;
  }

  // Tells the desktop what the replayed page now shows (its title for the
  // window, its text for the tests), once the rebuilt document has a body.
  function reportPage(attempt) {
    var doc = replayedDocument();
    if (!doc || !doc.body || !doc.body.innerText) {
      if (attempt < 20) setTimeout(reportPage, 100, attempt + 1);
      return;
    }
    post({ type: "replayed", title: doc.title, text: doc.body.innerText.slice(0, 4000) });
  }

  function start(meta) {
    if (replayer) {
      try {
        replayer.destroy();
      } catch (e) { /* the old page is gone either way */ }
      root.textContent = "";
    }
    replayer = new rrwebReplay.Replayer([], {
      root: root,
      liveMode: true,
      mouseTail: false,
      triggerFocus: false,
      showWarning: false
    });
    replayer.on("resize", function (size) { fit(size.width, size.height); });
    replayer.on("fullsnapshot-rebuilded", function () { setTimeout(reportPage, 0, 0); });
    // Play each event as soon as it comes, a few milliseconds behind.
    replayer.startLive(meta.timestamp - 50);
  }

  function add(event) {
    if (event.type === 4) start(event);   // Meta: a new page begins
    if (replayer) replayer.addEvent(event);
  }

  // Where the agent points, in the replayed page's own coordinates.
  function pagePoint(event) {
    var wrapper = root.querySelector(".replayer-wrapper");
    var doc = replayedDocument();
    if (!wrapper || !doc) return null;
    var box = wrapper.getBoundingClientRect();
    var view = doc.defaultView;
    return {
      x: Math.round((event.clientX - box.left) / scale + (view ? view.scrollX : 0)),
      y: Math.round((event.clientY - box.top) / scale + (view ? view.scrollY : 0))
    };
  }

  root.addEventListener("mousemove", function (event) {
    var now = Date.now();
    if (now - lastPointer < 50) return;
    lastPointer = now;
    var point = pagePoint(event);
    if (point) post({ type: "pointer", x: point.x, y: point.y });
  });

  root.addEventListener("click", function (event) {
    var point = pagePoint(event);
    if (!point) return;
    var ring = document.createElement("div");
    ring.className = "parley-highlight";
    ring.style.left = event.clientX + "px";
    ring.style.top = event.clientY + "px";
    document.body.appendChild(ring);
    setTimeout(function () { ring.remove(); }, 2000);
    post({ type: "highlight", x: point.x, y: point.y });
  });

  window.addEventListener("resize", function () {
    var frame = root.querySelector("iframe");
    if (frame) fit(frame.offsetWidth, frame.offsetHeight);
  });

  window.parleyCobrowse = {
    receive: function (text) {
      var frame = JSON.parse(text);
      if (frame.type === "cobrowse_events" && Array.isArray(frame.events)) frame.events.forEach(add);
    },
    clear: function () {
      if (replayer) replayer.destroy();
      replayer = null;
    }
  };
})();
