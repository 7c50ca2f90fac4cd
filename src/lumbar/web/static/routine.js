// The daily routine (issue #17), in the hands-free player of static/player.js. The page
// carries every exercise of the routine, each as the player shows it, and its ends (done,
// and stopped for sharp pain or pain down the leg) in <template>s (web/routine.py). This
// script shows them in turn, on the phone: when an exercise's last step ends, the next
// exercise (or the end); when "Stop: it hurts" is pressed, the safety advice. Nothing is
// sent, as nothing of the routine is recorded, so once the page has loaded the routine
// goes to its end without the network. Without this script the Stop bar asks the server
// (GET /routine/stopped) and the page lists every exercise with its times.
(function () {
  "use strict";

  function carried() { return document.querySelector("[data-routine]"); }

  function template(selector) {
    var found = document.querySelector(selector);
    return found ? found.content.querySelector("#player") : null;
  }

  // The exercise after `exercise` (the first is not among the templates: it comes first).
  function after(exercise) {
    var ahead = Array.prototype.slice.call(document.querySelectorAll("template[data-routine-exercise]"));
    var at = ahead.map(function (t) { return t.dataset.routineExercise; }).indexOf(exercise);
    var next = ahead[at + 1];
    return next ? next.content.querySelector("#player") : null;
  }

  // Put a player in place of the one shown, as htmx would have, and tell static/player.js.
  function swap(old, player) {
    player = document.importNode(player, true);
    old.replaceWith(player);
    player.dispatchEvent(new CustomEvent("htmx:load", { bubbles: true }));
    var title = player.querySelector("h1");
    window.scrollTo(0, 0);
    if (title) title.focus({ preventScroll: true });
  }

  // The routine's end (done or stopped): the outline of its exercises goes, as nothing
  // more is to be done today.
  function end(old, player) {
    var outline = document.querySelector(".routine-outline");
    if (outline) outline.hidden = true;
    swap(old, player);
  }

  document.addEventListener("lumbar:exercise-done", function (event) {
    var player = event.target;
    if (!carried() || !player.dataset.exercise) return;
    var next = after(player.dataset.exercise);
    if (next) swap(player, next);
    else end(player, template("template[data-routine-end=done]"));
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!carried() || !form.matches("#player form[action='/routine/stopped']")) return;
    var pain = event.submitter ? event.submitter.value : "";
    var advice = template("template[data-routine-end=" + pain + "]");
    if (!advice) return; // the server says it
    event.preventDefault();
    end(document.getElementById("player"), advice);
  });
})();
