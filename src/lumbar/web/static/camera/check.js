// The camera check page (issue #21): turn the camera on, and say in words whether the pose
// source (camera/pose-source.js) finds a body. It only listens to "lumbar:pose" events, as
// the session player does, and sends nothing anywhere.
(function () {
  "use strict";

  var POINTS = 33;
  var VISIBLE = 0.5; // MediaPipe's visibility: below this a point is a guess

  function setup(root) {
    var start = root.querySelector("[data-camera-start]");
    var stop = root.querySelector("[data-camera-stop]");
    var status = root.querySelector("[data-camera-status]");
    var video = root.querySelector("[data-camera-video]");
    var running = null;
    var said = "";

    // A status is read aloud when it changes: say it only when its words do, not each frame.
    function say(text) {
      if (text !== said) { status.textContent = text; said = text; }
    }

    function stopped(text) {
      if (running) running.stop();
      running = null;
      video.hidden = true;
      stop.hidden = true;
      start.hidden = false;
      start.disabled = false;
      say(text);
    }

    document.addEventListener("lumbar:pose", function (event) {
      if (!running) return;
      var points = event.detail.landmarks;
      root.setAttribute("data-frames", String(Number(root.getAttribute("data-frames") || 0) + 1));
      if (!points) { say("Nobody in view yet: step back into the picture."); return; }
      var seen = points.filter(function (point) { return point.visibility >= VISIBLE; }).length;
      root.setAttribute("data-landmarks", String(points.length));
      say(seen === POINTS ? "Your whole body is in view." :
        "Body found: " + seen + " of " + POINTS + " points in view.");
    });

    document.addEventListener("lumbar:pose-ended", function (event) {
      stopped(event.detail.message);
    });

    start.addEventListener("click", function () {
      start.disabled = true;
      say("Starting the camera. The first time, this takes a few seconds.");
      window.LumbarPose.start({ video: video, model: "lite" }).then(function (session) {
        running = session;
        video.hidden = false;
        start.hidden = true;
        stop.hidden = false;
        say("Looking for you.");
      }, function (error) {
        stopped(error.message);
      });
    });

    stop.addEventListener("click", function () {
      stopped("The camera is off.");
      start.focus();
    });

    window.addEventListener("pagehide", function () { if (running) running.stop(); });
  }

  function init() {
    var root = document.querySelector("[data-camera-check]");
    if (root && window.LumbarPose) setup(root);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
