// Offline (issue #16): once the session page has loaded, the session can be finished
// without the network, and nothing given is lost.
//
// Every answer, skip (issue #17: queued like an answer, and the player goes on past it),
// swap (issue #17: the page shows the exercise in the alternative from a <template> of its
// own, and the answer that follows says which version was done) and early end the player
// posts is first kept in this browser's outbox
// (localStorage, so a reload or a closed tab keeps it) with an Idempotency-Key of its own,
// then sent. Online, htmx sends it as before and the server's answer is shown; the server
// writes an answer sent again with its key only once (usecases/sessions.py). When a post
// cannot reach the server (no network, the server stopped), the answer stays in the
// outbox, the page says so, and the player goes on by itself: the page carries every
// exercise still to come (the <template>s the server rendered with it). The outbox is sent
// in order when the connection is back (the `online` event, a new answer, or a retry that
// waits longer each time).
//
// This script decides nothing about pain: offline, a "sharp" or "down my leg" answer ends
// the session on the phone (the cautious choice, docs/rules.md); what it means is the
// server's to say once the answers are sent, and the page then shows the server's answer.
//
// Where the page is a secure context it also registers the service worker (/sw.js), which
// keeps the last Today and session pages for opening them offline, dated.
(function () {
  "use strict";

  var OUTBOX = "lumbar-outbox";
  var GIVEN = "lumbar-given";
  var SAID = {
    offline: "You're offline. Your answers are kept on this phone and will be sent when the connection is back.",
    signIn: "Your answers are kept on this phone. The server did not take them yet: sign in again, or reload this page, and they are sent.",
    sent: "All sent.",
    refused: "One answer was not saved: "
  };
  var FIRST_WAIT_MS = 2000;
  var LONGEST_WAIT_MS = 30000;
  var memory = {}; // where localStorage cannot be used (a private window that refuses it)
  var retry = { timer: null, wait: 0 };
  var sending = false;
  var held = false; // something could not be sent since the page loaded

  function read(name) {
    try {
      var kept = window.localStorage.getItem(name);
      if (kept !== null) return JSON.parse(kept);
    } catch (error) { /* none, or not readable */ }
    return memory[name] || null;
  }

  function write(name, value) {
    memory[name] = value;
    try { window.localStorage.setItem(name, JSON.stringify(value)); } catch (error) { /* memory only */ }
  }

  function outbox() { return read(OUTBOX) || []; }

  function newKey() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === "function") return c.randomUUID();
    var bytes = new Uint8Array(16);
    if (c && c.getRandomValues) c.getRandomValues(bytes);
    else for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("") +
      "-" + Date.now().toString(36);
  }

  // An entry of the outbox: where it goes, the form's fields, and what the player needs to
  // go on without the server (the day, the exercise, the pain, the alternative swapped to).
  function entryOf(form, data) {
    var fields = [];
    data.forEach(function (value, name) { fields.push([name, String(value)]); });
    var get = function (name) {
      var found = fields.filter(function (f) { return f[0] === name; })[0];
      return found ? found[1] : "";
    };
    return {
      key: newKey(),
      url: form.getAttribute("action"),
      fields: fields,
      date: get("date"),
      exercise: get("exercise"),
      pain: get("pain"),
      version: get("version")
    };
  }

  function keep(entry) {
    var all = outbox();
    all.push(entry);
    write(OUTBOX, all);
    var given = read(GIVEN);
    if (!given || given.date !== entry.date) given = { date: entry.date, entries: [] };
    given.entries.push({ url: entry.url, exercise: entry.exercise, pain: entry.pain, version: entry.version });
    write(GIVEN, given);
  }

  function drop(key) {
    write(OUTBOX, outbox().filter(function (e) { return e.key !== key; }));
  }

  // The calm line that says where the answers are.
  function status(text) {
    var line = document.querySelector("[data-outbox]");
    if (!line) {
      var main = document.getElementById("main");
      if (!main || !text) return;
      line = document.createElement("p");
      line.className = "outbox";
      line.setAttribute("role", "status");
      line.setAttribute("aria-live", "polite");
      line.setAttribute("data-outbox", "");
      main.insertBefore(line, main.firstChild);
    }
    line.textContent = text || "";
    line.hidden = !text;
    line.classList.toggle("outbox-sent", text === SAID.sent);
  }

  // Whether the server took the request (or refused it by its rules, which no retry
  // changes). Not when it could not be reached, failed (5xx), or wants a sign-in first:
  // then the answer stays on the phone.
  function reached(code) { return code > 0 && code < 500 && code !== 401 && code !== 403; }

  function waiting(code) { return code === 401 || code === 403 ? SAID.signIn : SAID.offline; }

  // The CSRF token of the page as it is now (accounts mode), else the one the form had.
  function csrfFor(entry) {
    try {
      var now = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"];
      if (now) return now;
    } catch (error) { /* none */ }
    var kept = entry.fields.filter(function (f) { return f[0] === "csrf_token"; })[0];
    return kept ? kept[1] : null;
  }

  // Send the outbox in order, one at a time; stop at the first that cannot reach the
  // server and try again later. `now`: a person's action or the `online` event, so the
  // wait is started over.
  function flush(now) {
    if (now) { clearTimeout(retry.timer); retry.timer = null; retry.wait = 0; }
    if (sending || retry.timer) return;
    var all = outbox();
    if (!all.length) return;
    sending = true;
    var entry = all[0];
    var headers = { "Idempotency-Key": entry.key, "HX-Request": "true" };
    var csrf = csrfFor(entry);
    if (csrf) headers["X-CSRF-Token"] = csrf;
    window.fetch(entry.url, {
      method: "POST", headers: headers, credentials: "same-origin", redirect: "manual",
      body: new URLSearchParams(entry.fields)
    }).then(function (response) {
      // A redirect is the server's answer too (no program any more: to /start).
      var code = response.type === "opaqueredirect" ? 303 : response.status;
      if (!reached(code)) return later(waiting(code));
      return response.text().then(function (body) { sent(entry, response, body); });
    }).catch(function () { later(SAID.offline); });
  }

  // Keep what waits, say why, and try again later, waiting longer each time.
  function later(text) {
    sending = false;
    held = true;
    status(text);
    retry.wait = Math.min(LONGEST_WAIT_MS, retry.wait ? retry.wait * 2 : FIRST_WAIT_MS);
    retry.timer = setTimeout(function () { retry.timer = null; flush(false); }, retry.wait);
  }

  function sent(entry, response, body) {
    sending = false;
    retry.wait = 0;
    drop(entry.key);
    var shown = null;
    if (!response.ok) {
      var found = parse(body).querySelector(".form-error p");
      shown = SAID.refused + (found ? found.textContent : "the server refused it (" + response.status + ").");
    }
    if (outbox().length) {
      if (shown) status(shown);
      flush(false);
      return;
    }
    status(shown || SAID.sent);
    held = false;
    // The session was ended on this phone: now show what the server says it means.
    var ended = document.querySelector("#player.offline-end");
    var answer = parse(body).getElementById("player");
    if (ended && response.ok && answer) swap(ended, answer);
  }

  function parse(html) { return new DOMParser().parseFromString(html, "text/html"); }

  // Put a player in place of the one shown, as htmx would have (its forms wired, and
  // static/player.js told of it).
  function swap(old, player) {
    if (!player) return;
    player = document.importNode(player, true);
    old.replaceWith(player);
    if (window.htmx) window.htmx.process(player);
    player.dispatchEvent(new CustomEvent("htmx:load", { bubbles: true }));
    var title = player.querySelector("h1");
    window.scrollTo(0, 0);
    if (title) title.focus({ preventScroll: true });
  }

  function template(selector) {
    var found = document.querySelector(selector);
    return found ? found.content.querySelector("#player") : null;
  }

  // The exercise after `exercise`, among those the page carries (in the plan's order).
  function after(exercise) {
    var ahead = Array.prototype.slice.call(document.querySelectorAll(".offline-ahead template[data-exercise]"));
    var at = ahead.map(function (t) { return t.dataset.exercise; }).indexOf(exercise);
    var next = ahead[at + 1];
    return next ? next.content.querySelector("#player") : null;
  }

  // The exercise in the alternative swapped to, as the page carries it.
  function swapped(exercise, version) {
    var all = document.querySelectorAll(".offline-swaps template[data-swap]");
    for (var i = 0; i < all.length; i++) {
      var t = all[i];
      if (t.dataset.exercise === exercise && t.dataset.swap === version) return t.content.querySelector("#player");
    }
    return null;
  }

  // Go on without the server after `entry`. Pain that may need the server's judgement
  // ends the session here; `kept`: the entry is already in the outbox (nothing more to
  // queue). A swap shows the same exercise in its alternative.
  function goOn(entry, kept) {
    var player = document.getElementById("player");
    if (!player) return;
    if (entry.url === "/session/swap") {
      swap(player, swapped(entry.exercise, entry.version));
      return;
    }
    var next = entry.url === "/session/finish" ? null : after(entry.exercise);
    if (entry.pain === "sharp" || entry.pain === "radiating") {
      if (entry.pain === "sharp" && next && !kept) {
        // Sharp pain ends only the exercise online; offline the rest waits for the server.
        keep({
          key: newKey(), url: "/session/finish", date: entry.date, exercise: "", pain: "",
          fields: entry.fields.filter(function (f) { return f[0] === "date" || f[0] === "csrf_token"; })
        });
      }
      swap(player, template("template[data-offline=stopped]"));
    } else if (next) {
      swap(player, next);
    } else {
      swap(player, template("template[data-offline=done]"));
    }
  }

  // A page loaded while answers wait to be sent (or kept by the service worker from
  // before they were given) shows the exercise the server last knew of: go on past the
  // ones this phone has answered since.
  function catchUp() {
    var player = document.getElementById("player");
    if (!player || !player.dataset.exercise) return;
    var saved = document.querySelector("[data-saved-at]");
    var given = read(GIVEN);
    var entries = saved && given ? given.entries : outbox();
    entries.forEach(function (entry) {
      var shown = document.getElementById("player");
      var day = entry.date || (given && given.date);
      if (!shown || !shown.dataset.exercise || day !== shown.dataset.date) return;
      if (entry.url === "/session/finish" || entry.exercise === shown.dataset.exercise) goOn(entry, true);
    });
  }

  // A session's player, whose answers this script keeps. The daily routine's player
  // (class "routine", static/routine.js) sends nothing: offline, it has nothing to keep.
  function answering() {
    var player = document.getElementById("player");
    return !!player && !player.classList.contains("routine");
  }

  function playerForm(element) {
    return element && element.matches && element.matches(
      "#player form[action='/session/answer'], #player form[action='/session/skip'], " +
      "#player form[action='/session/swap'], #player form[action='/session/finish']");
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!playerForm(form)) return;
    var entry = entryOf(form, event.detail.formData || new FormData(form));
    if (!navigator.onLine || outbox().length) {
      // Offline, or earlier answers still waiting: this one waits behind them.
      event.preventDefault();
      keep(entry);
      status(SAID.offline);
      held = true;
      goOn(entry, false);
      flush(true);
      return;
    }
    keep(entry);
    event.detail.headers["Idempotency-Key"] = entry.key;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var config = event.detail.requestConfig;
    var key = config && config.headers && config.headers["Idempotency-Key"];
    if (!key || !playerForm(config.elt)) return;
    var code = event.detail.xhr ? event.detail.xhr.status : 0;
    if (reached(code)) {
      drop(key);
      if (held && !outbox().length) { held = false; status(SAID.sent); }
      return;
    }
    var entry = outbox().filter(function (e) { return e.key === key; })[0];
    held = true;
    status(waiting(code));
    if (entry) goOn(entry, false);
    if (!retry.timer) later(waiting(code));
  });

  window.addEventListener("online", function () { flush(true); });
  window.addEventListener("offline", function () {
    if (answering() || outbox().length) status(SAID.offline);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") flush(true);
  });

  document.addEventListener("DOMContentLoaded", function () {
    catchUp();
    if (outbox().length) {
      held = true;
      status(navigator.onLine ? "" : SAID.offline);
      flush(true);
    } else if (!navigator.onLine && answering()) {
      status(SAID.offline);
    }
    if ("serviceWorker" in navigator && window.isSecureContext) {
      navigator.serviceWorker.register("/sw.js").catch(function () { /* works without it */ });
    }
  });
})();
