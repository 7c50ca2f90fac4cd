// The moving figures move only where someone can see them (issue #18). A figure is an SVG
// animated with SMIL (lumbar/figures/svg.py), redrawn every frame while it plays, even out
// of view or in a hidden tab: on a phone, battery spent on nothing. This script pauses a
// figure (svg.pauseAnimations()) while it is scrolled out of view, while the tab is hidden,
// and always when the person asks for less motion (the figure's own CSS then shows its
// still pose instead); it plays again when none of these holds.
//
// The session player (static/player.js) also stills a figure, during a hold or a pause:
// it says so with window.lumbarMotion.hold(svg, true), and this script leaves such a
// figure still until told otherwise. Without this script the figures simply play.
(function () {
  "use strict";

  var SELECTOR = "svg.figure-motion";
  var reduced = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  var states = new WeakMap(); // svg -> { seen, held }
  var watcher = "IntersectionObserver" in window ? new IntersectionObserver(onSeen) : null;

  function state(svg) {
    var found = states.get(svg);
    if (!found) {
      // Until the observer first answers, a figure counts as seen: it plays, as without
      // this script.
      found = { seen: true, held: false };
      states.set(svg, found);
    }
    return found;
  }

  function settle(svg) {
    if (typeof svg.pauseAnimations !== "function") return;
    var s = state(svg);
    var still = s.held || !s.seen || document.visibilityState === "hidden" ||
      (reduced !== null && reduced.matches);
    if (still) svg.pauseAnimations(); else svg.unpauseAnimations();
    svg.classList.toggle("motion-paused", still);
  }

  function onSeen(entries) {
    entries.forEach(function (entry) {
      state(entry.target).seen = entry.isIntersecting;
      settle(entry.target);
    });
  }

  var watched = []; // the figures observed: those swapped out are let go

  function watch(root) {
    watched = watched.filter(function (svg) {
      if (svg.isConnected) return true;
      watcher.unobserve(svg);
      return false;
    });
    var found = root.querySelectorAll ? root.querySelectorAll(SELECTOR) : [];
    var list = Array.prototype.slice.call(found);
    if (root.matches && root.matches(SELECTOR)) list.push(root);
    list.forEach(function (svg) {
      if (watcher && watched.indexOf(svg) < 0) {
        watcher.observe(svg);
        watched.push(svg);
      }
      settle(svg);
    });
  }

  function settleAll() {
    Array.prototype.forEach.call(document.querySelectorAll(SELECTOR), settle);
  }

  window.lumbarMotion = {
    // The player's wish: held (still) or free to move when seen.
    hold: function (svg, held) {
      state(svg).held = held;
      settle(svg);
    }
  };

  document.addEventListener("visibilitychange", settleAll);
  if (reduced !== null) {
    if (reduced.addEventListener) reduced.addEventListener("change", settleAll);
    else if (reduced.addListener) reduced.addListener(settleAll);
  }
  document.addEventListener("DOMContentLoaded", function () { watch(document); });
  // New content (htmx's swaps; the daily routine's next exercise says so too).
  document.addEventListener("htmx:load", function (event) { watch(event.target); });
})();
