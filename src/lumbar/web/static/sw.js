// lumbar's service worker (issue #16), served as /sw.js so that it looks after the whole
// app (web/offline.py puts the app's version in VERSION). It makes the app installable and
// lets Today, the session player and the daily routine open from the home screen without
// the network:
//
// - the app shell (styles, scripts, icons, manifest) is kept when it installs;
// - every page is asked of the network first; the last Today, session and routine pages
//   that came back are kept, with when they came;
// - when the network fails, a kept page is shown with a dated line at its top ("Saved on
//   …: you're offline"), so nobody takes an old plan for today's.
//
// Answers are not its business: the page keeps them (static/offline.js). Signing out
// forgets the kept pages.
//
// The static files are named by their content (web/assets.py): web/offline.py writes
// each quoted static path below as its hashed name, and ASSETS, the hash of them all, so
// a changed file is a new worker with a new shell. A hashed file never changes, so the
// shell answers it from its copy first; a page kept before an update asks for older
// names, and gets the shell's copy of the same file.
"use strict";

var VERSION = "__VERSION__";
var ASSETS = "__ASSETS__";
var SHELL = "lumbar-shell-" + VERSION + "-" + ASSETS;
var PAGES = "lumbar-pages";
var SHELL_FILES = [
  "/static/lumbar.css",
  "/static/htmx.min.js",
  "/static/player.js",
  "/static/offline.js",
  "/static/routine.js",
  "/static/motion.js",
  "/static/errors.js",
  "/static/icon.svg",
  "/static/icon-192.png",
  "/manifest.webmanifest"
];
var HASHED = /^(\/static\/.+)\.[0-9a-f]{10}(\.[^./]+)$/;

// /static/player.3f2a9c1b0d.js -> /static/player.js: the file, whatever its version.
function plain(path) {
  return path.replace(HASHED, "$1$2");
}

function shellFile(path) {
  var name = plain(path);
  for (var i = 0; i < SHELL_FILES.length; i++) {
    if (plain(SHELL_FILES[i]) === name) return SHELL_FILES[i];
  }
  return null;
}
var KEPT_PAGES = ["/today", "/session", "/routine"];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL)
      .then(function (cache) { return cache.addAll(SHELL_FILES); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("lumbar-shell-") === 0 && name !== SHELL;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/sign-out") {
    event.waitUntil(caches.delete(PAGES));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(page(event, url));
  } else if (shellFile(url.pathname)) {
    event.respondWith(shell(request, url.pathname));
  }
});

function page(event, url) {
  var kept = KEPT_PAGES.indexOf(url.pathname) >= 0 && !url.search;
  return fetch(event.request).then(function (response) {
    var type = response.headers.get("content-type") || "";
    if (kept && response.status === 200 && type.indexOf("text/html") === 0) {
      var copy = response.clone();
      event.waitUntil(copy.text().then(function (body) {
        return caches.open(PAGES).then(function (cache) {
          return cache.put(url.pathname, new Response(body, {
            headers: { "Content-Type": type, "X-Saved-At": new Date().toISOString() }
          }));
        });
      }));
    }
    return response;
  }, function () {
    return saved(kept ? url.pathname : "/today");
  });
}

// The shell's copy of a current hashed file (it never changes); else the network, and
// when the network fails, the shell's copy of the same file under its current name.
function shell(request, path) {
  var current = shellFile(path);
  var exact = current === path && HASHED.test(path);
  var kept = caches.open(SHELL).then(function (cache) { return cache.match(current); });
  function network() {
    return fetch(request).then(function (response) {
      if (response.status === 200 && current === path) {
        var copy = response.clone();
        caches.open(SHELL).then(function (cache) { return cache.put(request, copy); });
      }
      return response;
    }, function () {
      return kept.then(function (found) {
        return found || new Response("", { status: 504 });
      });
    });
  }
  if (!exact) return network();
  return kept.then(function (found) { return found || network(); });
}

function saved(path) {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(path);
  }).then(function (found) {
    if (!found) return nothingSaved();
    var at = found.headers.get("X-Saved-At") || "";
    return found.text().then(function (body) {
      var line = '<p class="saved-banner" role="status" data-saved-at="' + at + '">' +
        "Saved on " + when(at) + ": you're offline. This is the page as it was then; " +
        "your answers are kept on this phone.</p>";
      return new Response(body.replace('<main id="main">', '<main id="main">' + line), {
        headers: { "Content-Type": "text/html; charset=utf-8" }
      });
    });
  });
}

function when(iso) {
  var at = new Date(iso);
  if (isNaN(at.getTime())) return "an earlier day";
  try {
    return at.toLocaleString("en-GB", {
      weekday: "long", day: "numeric", month: "long", year: "numeric",
      hour: "2-digit", minute: "2-digit"
    });
  } catch (error) {
    return at.toString();
  }
}

function nothingSaved() {
  var body = '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>Offline · lumbar</title><link rel="stylesheet" href="/static/lumbar.css"></head>' +
    '<body><main id="main"><h1>You\'re offline</h1>' +
    "<p>This phone has not kept this page. Open Today or the session once while connected, " +
    "and they open here without the network next time.</p>" +
    '<p><a class="button" href="/today">Try again</a></p></main></body></html>';
  return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}
