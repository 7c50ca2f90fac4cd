// A form's problems (templates/_errors.html): the summary takes the focus (where
// autofocus did not), and a link in it focuses its field, its label or legend scrolled
// into view first: a fragment link alone scrolls but leaves the focus where it was.
// A file, not a script in the page: the Content-Security-Policy runs no inline script.
// It looks again when htmx puts a new summary in the page.
(function () {
  "use strict";

  function focusSummary() {
    var box = document.getElementById("error-summary");
    if (box && document.activeElement !== box) box.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("#error-summary a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var group = field.closest("fieldset");
    var label = document.querySelector("label[for='" + field.id + "']");
    var shown = (group && group.querySelector("legend")) || label || field;
    shown.scrollIntoView();
    field.focus({ preventScroll: true });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
  document.addEventListener("htmx:load", function (event) {
    var added = event.detail && event.detail.elt;
    if (added && added.id === "error-summary") focusSummary();
    else if (added && added.querySelector && added.querySelector("#error-summary")) focusSummary();
  });
})();
