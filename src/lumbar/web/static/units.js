// The Equipment fieldset's unit (issue #17): until the person picks one, kilograms or
// pounds as the browser's language says (navigator.language: pounds in the United
// States, Liberia and Myanmar). The server chose from the Accept-Language header already;
// this only agrees with the browser where the two differ. Without script, the server's stays.
(function () {
  "use strict";
  var POUNDS = ["US", "LR", "MM"];
  function unitOf(tag) {
    var parts = String(tag || "").replace(/_/g, "-").split("-").slice(1);
    for (var i = 0; i < parts.length; i++) {
      if (parts[i].length === 2 && POUNDS.indexOf(parts[i].toUpperCase()) >= 0) return "lb";
    }
    return "kg";
  }
  function follow() {
    var boxes = document.querySelectorAll("[data-units]:not([data-chosen])");
    for (var i = 0; i < boxes.length; i++) {
      var radio = boxes[i].querySelector('input[name="unit"][value="' + unitOf(navigator.language) + '"]');
      if (radio) radio.checked = true;
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", follow);
  else follow();
})();
