// "Use the camera" in the session player (issue #21). Off until the person chooses it, and
// only for this session (sessionStorage: a new visit starts with it off again). Choosing it
// shows first what happens to the pictures and where to put the phone; the camera starts
// only on the "Start the camera" tap. From then on, the pose source (pose-source.js,
// `window.LumbarPose`) sends each frame's landmarks as a `lumbar:pose` event on `document`,
// and this script hands them to the coach (coach.js, `window.LumbarCoach`) with the
// exercise's camera spec, which the page carries in `data-spec` (figures/camera.py).
//
// What it does with the coach's answers, and what it never does:
// - Before the hands-free Start, the placement guide: a live outline over the (mirrored)
//   picture, which parts of the body the camera cannot see, in plain words, and "Ready"
//   once it sees them all.
// - During the exercise, the count follows the coach: a set of reps at the person's own
//   pace shows the camera's count and ends (as if Done were tapped) when the dose's reps
//   are reached; a hold's countdown still runs by the clock, with the seconds the camera
//   saw held beside it. When the camera loses the person the player goes on as without it
//   (the timer, or Done), and says so.
// - A cue (a check that failed twice running; the coach keeps them a few seconds apart) is
//   said in the player's own voice (static/player.js's speak) and shown.
// - After the exercise, a short line of what the camera saw, and coach.summary() as JSON in
//   the pain answer's hidden `camera` field: numbers and check ids, never a picture or a
//   landmark. The pain question comes and works exactly as without the camera: a count is
//   a guide, and the answer and the rules decide what comes next.
(function () {
  "use strict";

  var ON_KEY = "lumbar-camera"; // sessionStorage: "on" (chosen) or "running" (started)
  var OUTLINE_KEY = "lumbar-camera-outline"; // localStorage: "off" when the outline is hidden
  var SEEN = 0.5; // as coach.js: a landmark this sure is drawn
  // The outline's lines, between BlazePose landmarks by index (face left out: small and busy).
  var BONES = [
    [11, 12], [11, 13], [13, 15], [12, 14], [14, 16], [11, 23], [12, 24], [23, 24],
    [23, 25], [25, 27], [27, 29], [29, 31], [27, 31], [24, 26], [26, 28], [28, 30],
    [30, 32], [28, 32], [7, 11], [8, 12]
  ];
  // A landmark's plain word: [both sides, one side]; the head's points are one head.
  var PARTS = {
    shoulder: ["shoulders", "shoulder"], elbow: ["elbows", "elbow"], wrist: ["wrists", "wrist"],
    pinky: ["hands", "hand"], index: ["hands", "hand"], thumb: ["hands", "hand"],
    hip: ["hips", "hip"], knee: ["knees", "knee"], ankle: ["ankles", "ankle"],
    heel: ["heels", "heel"], foot_index: ["toes", "toes"], nose: ["head", "head"],
    eye: ["head", "head"], eye_inner: ["head", "head"], eye_outer: ["head", "head"],
    ear: ["head", "head"], mouth: ["head", "head"]
  };
  var POSE_SOURCE = "/static/camera/pose-source.js"; // camera-runtime's, by its plain name
  var current = null; // the camera of the player on the page: one at a time, as htmx swaps it
  var loading = null; // the pose source's script, asked for once per page

  // The pose source is loaded when the camera is first started, not with the page: most
  // sessions never use it. A static file from this server, as the page's policy requires.
  function poseSource() {
    if (window.LumbarPose) return Promise.resolve(window.LumbarPose);
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = POSE_SOURCE;
      script.onload = function () {
        if (window.LumbarPose) resolve(window.LumbarPose);
        else reject(new Error("The camera cannot be used on this page."));
      };
      script.onerror = function () {
        loading = null; // a later try may find it
        reject(new Error("The camera cannot be used on this page."));
      };
      document.head.appendChild(script);
    });
    return loading;
  }

  function stored(store, key) {
    try { return window[store].getItem(key); } catch (error) { return null; }
  }

  function keep(store, key, value) {
    try {
      if (value === null) window[store].removeItem(key);
      else window[store].setItem(key, value);
    } catch (error) { /* private mode: chosen for this page only */ }
  }

  function speak(text) {
    if (window.lumbarPlayer) window.lumbarPlayer.speak(text);
  }

  function listed(words) {
    if (words.length < 2) return words.join("");
    return words.slice(0, -1).join(", ") + " and " + words[words.length - 1];
  }

  // ["knee", "ankle"] -> "Your knees and ankles are out of view". Side-on the names come
  // bare (the side followed); from the front, "left_knee" is "your left knee".
  function outOfView(missing) {
    var words = [], plural = missing.length > 1;
    missing.forEach(function (name) {
      var side = /^(left|right)_/.exec(name);
      var base = name.replace(/^(left|right|mid)_/, "").replace(/_(left|right)$/, "");
      var word = PARTS[base] || [base.replace(/_/g, " "), base.replace(/_/g, " ")];
      var said = side ? side[1] + " " + word[1] : word[0];
      if (!side && word[0] !== "head") plural = true;
      if (words.indexOf(said) < 0) words.push(said);
    });
    if (words.length > 1) plural = true;
    return "Your " + listed(words) + (plural ? " are" : " is") + " out of view";
  }

  function times(count) {
    return count === 1 ? "once" : count === 2 ? "twice" : count + " times";
  }

  // "8 reps; hips stayed low on 2", "Held 30 s; hips sagged twice": from the spec's own
  // `fault` words (the server makes the words it keeps from the same spec, itself).
  function summaryWords(spec, summary) {
    var parts = [spec.kind === "hold" ? "Held " + summary.held_seconds + " s"
      : summary.reps + (summary.reps === 1 ? " rep" : " reps")];
    spec.checks.forEach(function (check) {
      var count = summary.faults[check.id];
      if (!count) return;
      parts.push(check.fault + (spec.kind === "hold" ? " " + times(count) : " on " + count));
    });
    return parts.join("; ");
  }

  function Camera(player, box) {
    var spec = JSON.parse(box.dataset.spec);
    function find(name) { return box.querySelector("[data-camera-" + name + "]"); }
    var el = {
      on: find("on"), panel: find("panel"), start: find("start"), stage: find("stage"),
      video: find("video"), outline: find("outline"), status: find("status"),
      tally: find("tally"), cue: find("cue"), summary: find("summary"),
      toggle: find("outline-toggle")
    };
    var runner = player.querySelector(".runner[data-steps]");
    var face = runner && runner.querySelector(".face");
    var fields = player.querySelectorAll("[data-camera-field]");
    // source: the pose source running; coach: this exercise's; exercising: after the
    // hands-free Start (before it, moves only place the person and are not counted);
    // step: the player's step under way, with the coach's count when it began.
    var state = {
      source: null, starting: false, gone: false, coach: null, exercising: false,
      everTracked: false, lost: false, said: "", step: null, counting: false,
      repsBefore: 0, heldBefore: 0, reps: 0, held: 0, finished: false
    };

    // The count sits in the player's face, where the eye already is.
    if (face) face.appendChild(el.tally);

    function status(text) {
      // A live region: said again only when it changes, not on every frame.
      if (text === state.said) return;
      state.said = text;
      el.status.textContent = text;
    }

    function open(on) {
      el.panel.hidden = !on;
      box.classList.toggle("open", on);
    }

    function start() {
      if (state.source || state.starting) return;
      if (!window.LumbarCoach) {
        status("The camera cannot be used on this page. The timer works as before.");
        return;
      }
      state.starting = true;
      el.start.disabled = true;
      status("Starting the camera…");
      poseSource().then(function (pose) {
        return pose.start({ video: el.video, model: "lite" });
      }).then(function (source) {
        state.starting = false;
        if (state.gone || !el.on.checked) { source.stop(); return; }
        state.source = source;
        state.coach = window.LumbarCoach.create(spec);
        keep("sessionStorage", ON_KEY, "running");
        if (runner && runner.dataset.kind && runner.dataset.kind !== "done") {
          // Started with the exercise under way: it counts from now, with no guide first.
          state.exercising = true;
          box.classList.add("exercising");
        }
        el.start.hidden = true;
        el.start.disabled = false;
        el.stage.hidden = false;
        el.toggle.hidden = false;
        status("Looking for you: stand where you will exercise.");
      }, function (error) {
        state.starting = false;
        el.start.disabled = false;
        status((error && error.message ? error.message + " " : "") + "The timer works as before.");
      });
    }

    function stop() {
      state.gone = true;
      if (state.source) state.source.stop();
      state.source = null;
    }

    function turnOff() {
      if (state.source) state.source.stop();
      state.source = null;
      state.coach = null;
      el.stage.hidden = true;
      el.toggle.hidden = true;
      el.start.hidden = false;
      el.tally.hidden = true;
      el.cue.hidden = true;
      status("");
      fill(); // no camera: nothing goes with the answer
    }

    // --- Each frame -------------------------------------------------------------------

    function frame(shown) {
      if (!state.source || !state.coach) return;
      draw(shown);
      if (!state.exercising) place(shown);
      state.coach.push(shown).forEach(heard);
      fill();
    }

    function place(shown) {
      var where = window.LumbarCoach.placement(spec, shown);
      box.classList.toggle("ready", where.tracked);
      if (where.tracked) status("Ready: the camera sees all of you it needs. Tap Start when you are in position.");
      else if (!shown.landmarks) status("The camera cannot see you yet: step into the picture.");
      else status(outOfView(where.missing) + ": move the camera further away, or turn it.");
    }

    function heard(event) {
      if (event.type === "rep") { state.reps = event.reps; count(); }
      else if (event.type === "hold") { state.held = event.seconds; count(); }
      else if (event.type === "tracking") tracking(event);
      else if (event.type === "cue") {
        speak(event.text);
        el.cue.textContent = event.text;
        el.cue.hidden = false;
      }
    }

    function tracking(event) {
      if (!state.exercising) return; // the placement guide says where they are
      if (!event.tracked) {
        state.lost = true;
        status(ownPace() ? "Camera lost you: count on, and tap Done when the set is done."
          : "Camera lost you: the timer carries on.");
      } else {
        status(state.everTracked ? "Camera sees you again." : "The camera sees you.");
        state.lost = false;
        state.everTracked = true;
      }
    }

    // --- The player's steps -------------------------------------------------------------

    function ownPace() {
      return state.step !== null && state.step.kind === "reps" && !state.counting;
    }

    function stepped(event) {
      if (!state.coach) return;
      if (event.detail.index === 0 && !state.exercising) {
        // Start: what was counted while getting into place does not count.
        state.exercising = true;
        state.coach = window.LumbarCoach.create(spec);
        state.reps = state.held = 0;
        state.lost = state.everTracked = false;
        box.classList.add("exercising");
        status("The camera is looking for you.");
      }
      state.step = event.detail.step;
      state.counting = event.detail.counting;
      state.repsBefore = state.reps;
      state.heldBefore = state.held;
      count();
    }

    function count() {
      if (!state.coach) return;
      var text;
      if (spec.kind === "hold") {
        var held = state.step && state.step.kind === "hold" ? state.held - state.heldBefore : state.held;
        text = "The camera saw " + held + " s held";
      } else if (ownPace() && state.step.reps) {
        // The set's count in the player's own big number (a set at one's own pace has no
        // timer there); player.js sets its face again at the next step.
        var done = state.reps - state.repsBefore;
        runner.querySelector("[data-clock]").textContent = done;
        runner.querySelector(".clock .unit").hidden = true;
        runner.querySelector("[data-clock-box]").hidden = !state.exercising;
        text = "The camera counts " + done + " of " + state.step.reps;
        if (done >= state.step.reps && !state.lost) {
          // The dose's reps reached: on, as Done would. (Tapping Done sooner still works.)
          var button = runner.querySelector("[data-done]"), step = state.step;
          window.setTimeout(function () {
            if (button && !button.hidden && state.step === step) button.click();
          }, 0);
        }
      } else {
        text = "The camera counts " + state.reps + (state.reps === 1 ? " rep" : " reps");
      }
      el.tally.textContent = text;
      el.tally.hidden = !state.exercising;
    }

    function finished() {
      state.finished = true;
      if (!state.coach) return;
      el.summary.textContent = "The camera saw: " + summaryWords(spec, state.coach.summary()) + ".";
      el.summary.hidden = false;
      fill();
    }

    // The pain answer's hidden field (and the Stop bar's): the summary while the camera
    // is on, empty when it is not.
    function fill() {
      var value = state.coach && state.source ? JSON.stringify(state.coach.summary()) : "";
      Array.prototype.forEach.call(fields, function (field) { field.value = value; });
    }

    // --- The outline ------------------------------------------------------------------

    function draw(shown) {
      var canvas = el.outline;
      if (canvas.hidden) return;
      var width = shown.width || 640, height = shown.height || 480;
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
        el.stage.style.aspectRatio = width + " / " + height; // the picture's own shape
      }
      var pen = canvas.getContext("2d");
      pen.clearRect(0, 0, width, height);
      var marks = shown.landmarks;
      if (!marks) return;
      pen.lineCap = "round";
      pen.lineWidth = Math.max(3, width / 120);
      pen.strokeStyle = "#ffd24a"; // bright on a room's colours, whatever the page's scheme
      BONES.forEach(function (bone) {
        var a = marks[bone[0]], b = marks[bone[1]];
        if (a.visibility < SEEN || b.visibility < SEEN) return;
        pen.beginPath();
        pen.moveTo(a.x * width, a.y * height);
        pen.lineTo(b.x * width, b.y * height);
        pen.stroke();
      });
    }

    function showOutline(shown) {
      el.outline.hidden = !shown;
      el.toggle.textContent = shown ? "Hide the outline" : "Show the outline";
      el.toggle.setAttribute("aria-pressed", shown ? "true" : "false");
    }

    // --- Wiring -----------------------------------------------------------------------

    el.on.addEventListener("change", function () {
      keep("sessionStorage", ON_KEY, el.on.checked ? "on" : null);
      open(el.on.checked);
      if (!el.on.checked) turnOff();
    });
    el.start.addEventListener("click", start);
    el.toggle.addEventListener("click", function () {
      var shown = el.outline.hidden;
      keep("localStorage", OUTLINE_KEY, shown ? null : "off");
      showOutline(shown);
    });
    player.addEventListener("lumbar:step", stepped);
    player.addEventListener("lumbar:exercise-done", finished);

    showOutline(stored("localStorage", OUTLINE_KEY) !== "off");
    box.hidden = false;
    var chosen = stored("sessionStorage", ON_KEY);
    if (chosen) {
      el.on.checked = true;
      open(true);
      // Started on an exercise before: on again for this one, with no tap.
      if (chosen === "running") start();
    }

    return {
      box: box, frame: frame, stop: stop,
      ended: function (message) {
        keep("sessionStorage", ON_KEY, "on"); // chosen still; started again by a tap
        turnOff();
        status(message + " The timer carries on.");
      }
    };
  }

  function init(root) {
    if (current && !document.body.contains(current.box)) {
      // The player was swapped (an answer, a Stop, the end): its camera goes with it.
      current.stop();
      current = null;
    }
    var player = root.id === "player" ? root : root.querySelector && root.querySelector("#player");
    if (!player || player.dataset.camera) return;
    player.dataset.camera = "1";
    var box = player.querySelector("[data-camera]");
    if (box) current = Camera(player, box);
    else if (stored("sessionStorage", ON_KEY)) {
      // The camera chosen, and an exercise it cannot follow: say why there is none.
      var none = player.querySelector("[data-camera-none]");
      if (none) none.hidden = false;
    }
  }

  document.addEventListener("lumbar:pose", function (event) {
    if (current) current.frame(event.detail);
  });
  document.addEventListener("lumbar:pose-ended", function (event) {
    if (current) current.ended(event.detail && event.detail.message || "The camera stopped.");
  });
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
