// The session player, hands-free (issue #16). One tap on Start runs the exercise's dose by
// itself. The page carries the dose's steps in `data-steps` (built by formats/timeline.py
// from domain/timeline.py): a 3-2-1 get-ready, each hold and the release after it, reps,
// "switch sides", the rest between sets, paced breaths. Each step brings the words to show
// and to say, so this script knows nothing of doses: it runs the steps in order, each for
// its seconds, and stops at reps done at the person's own pace until they tap Done (or,
// if they chose it, counts those reps aloud at the pace the step gives).
//
// Cues: the device's speech synthesis (its own voice and rate), and beeps and vibration
// if chosen; the choices are kept in this browser (localStorage). The screen is kept awake
// with the Wake Lock API where the page may use it; elsewhere a hint says to keep it on.
// When the last step ends, the pain question is brought into view and read aloud. The
// pain question needs none of this: its forms post with or without JavaScript. The daily
// routine's player (static/routine.js) is this one, without the question: at the end of
// an exercise it hears "lumbar:exercise-done" and shows what comes next.
(function () {
  "use strict";

  var SETTINGS = {
    voice: { key: "lumbar-voice", fallback: true },
    beep: { key: "lumbar-sound", fallback: false },
    vibrate: { key: "lumbar-vibrate", fallback: false },
    count: { key: "lumbar-count", fallback: false }
  };
  var TICK_MS = 200;
  var canSpeak = "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function";
  var active = null; // the runner on the page: one at a time, as htmx swaps the player
  var awake = { lock: null, wanted: false, failed: false, hints: [] };
  var audio = null;

  function setting(name) {
    var kept = null;
    try { kept = window.localStorage.getItem(SETTINGS[name].key); } catch (error) { /* none */ }
    if (kept === "on") return true;
    if (kept === "off") return false;
    return SETTINGS[name].fallback && (name !== "voice" || canSpeak);
  }

  function remember(name, on) {
    try { window.localStorage.setItem(SETTINGS[name].key, on ? "on" : "off"); } catch (error) { /* private mode */ }
  }

  // `queued`: after what is being said (a count after its lead-in). Otherwise the new cue
  // cuts the last one short, so that the voice is never behind the timer.
  function speak(text, queued) {
    if (!text || !canSpeak || !setting("voice")) return;
    var voice = window.speechSynthesis;
    if (!queued && (voice.speaking || voice.pending)) voice.cancel();
    voice.speak(new window.SpeechSynthesisUtterance(text));
  }

  function hush() {
    if (canSpeak) window.speechSynthesis.cancel();
  }

  // One audio context for the page, made on the first tap (browsers allow sound only after
  // one).
  function beep(pitch, seconds) {
    if (!setting("beep")) return;
    try {
      if (!audio) {
        var Context = window.AudioContext || window.webkitAudioContext;
        if (!Context) return;
        audio = new Context();
      }
      if (audio.state === "suspended") audio.resume();
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.frequency.value = pitch;
      gain.gain.value = 0.15;
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + seconds);
    } catch (error) { /* no sound on this device */ }
  }

  function buzz(milliseconds) {
    if (setting("vibrate") && navigator.vibrate) navigator.vibrate(milliseconds);
  }

  // The Wake Lock API needs a secure context (https, or this computer's own address). A lock
  // is let go whenever the page is hidden, so it is asked for again when it shows.
  function keepAwake() {
    awake.wanted = true;
    if (awake.lock) return;
    if (!navigator.wakeLock || !window.isSecureContext) return cannotKeepAwake();
    navigator.wakeLock.request("screen").then(function (lock) {
      awake.lock = lock;
      lock.addEventListener("release", function () { awake.lock = null; });
    }, cannotKeepAwake);
  }

  function cannotKeepAwake() {
    awake.failed = true;
    awake.hints.forEach(function (hint) { hint.hidden = false; });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      if (awake.wanted) keepAwake();
    } else if (active) {
      // A hidden page's timers are slowed or stopped: pause rather than lose the count.
      active.pause();
    }
  });

  // The figure is an SVG whose animation (SMIL) can be paused and moved to a time; its
  // data-hold-start and data-hold-end say when its held pose begins and ends (it is drawn
  // with the dose's hold, so its hold and the countdown agree).
  // Playing is asked of static/motion.js, which also keeps a figure out of view or in a
  // hidden tab still.
  function figureOf(player) {
    var svg = player.querySelector("svg.figure-motion");
    if (!svg || typeof svg.setCurrentTime !== "function") return null;
    function hold(held) {
      if (window.lumbarMotion) window.lumbarMotion.hold(svg, held);
      else if (held) svg.pauseAnimations();
      else svg.unpauseAnimations();
    }
    return {
      at: function (seconds, playing) {
        svg.setCurrentTime(seconds);
        hold(!playing);
      },
      pause: function () { hold(true); },
      play: function () { hold(false); },
      holdStart: +svg.dataset.holdStart || 0,
      holdEnd: +svg.dataset.holdEnd || 0
    };
  }

  function runner(player, section) {
    var steps = JSON.parse(section.dataset.steps);
    function find(name) { return section.querySelector("[data-" + name + "]"); }
    var el = {
      stage: find("stage"), clockBox: find("clock-box"), clock: find("clock"),
      unit: section.querySelector(".clock .unit"), pacer: find("pacer"), where: find("where"),
      bar: find("runbar"), start: find("start"), done: find("done"), pause: find("pause"),
      skip: find("skip"), awake: find("awake"), announce: find("announce")
    };
    var pain = player.querySelector(".pain");
    var figure = figureOf(player);
    // index: the step under way (-1 before Start); left: its milliseconds still to run;
    // counting: reps counted aloud for the person (chosen when the step began).
    var state = {
      index: -1, left: 0, endsAt: 0, paused: false, counting: false,
      end: null, tick: null, second: null, rep: 0, finished: false
    };

    function clearTimers() {
      clearTimeout(state.end);
      clearInterval(state.tick);
      state.end = state.tick = null;
    }

    function duration(step) {
      if (step.seconds !== undefined) return step.seconds * 1000;
      return state.counting ? step.reps * step.pace * 1000 : null;
    }

    function enter(index) {
      clearTimers();
      state.index = index;
      state.paused = false;
      if (index >= steps.length) return finish();
      var step = steps[index];
      state.counting = step.kind === "reps" && setting("count");
      state.second = null;
      state.rep = 0;
      show(step);
      speak(state.counting ? step.counted : step.say);
      if (step.kind !== "get_ready") beep(880, 0.2);
      buzz(150);
      el.announce.textContent = step.show + ". " + step.where;
      pose(step);
      // For the camera (static/camera/player-camera.js): which step is under way, so that
      // its count can follow this one and end a set at the person's own pace (by Done).
      section.dispatchEvent(new CustomEvent("lumbar:step", {
        bubbles: true, detail: { index: index, step: step, counting: state.counting }
      }));
      var length = duration(step);
      if (length === null) return; // at their own pace: Done moves on
      state.left = length;
      run();
    }

    function run() {
      state.paused = false;
      state.endsAt = Date.now() + state.left;
      state.end = setTimeout(function () { enter(state.index + 1); }, state.left);
      state.tick = setInterval(update, TICK_MS);
      update();
    }

    function update() {
      var step = steps[state.index];
      var left = Math.max(0, state.endsAt - Date.now());
      if (state.counting) {
        var rep = Math.min(step.reps, Math.floor((duration(step) - left) / (step.pace * 1000)) + 1);
        if (rep !== state.rep) {
          state.rep = rep;
          el.clock.textContent = rep;
          speak(step.counts[rep - 1], rep === 1);
        }
        return;
      }
      var second = Math.ceil(left / 1000);
      if (second === state.second) return;
      state.second = second;
      el.clock.textContent = second;
      if (step.kind === "get_ready" && second > 0) beep(440, 0.08);
    }

    function show(step) {
      var breathing = step.kind === "breathe_in" || step.kind === "breathe_out";
      var ownPace = step.kind === "reps" && !state.counting;
      el.stage.textContent = step.show;
      el.where.textContent = step.where;
      el.clockBox.hidden = breathing || ownPace;
      el.unit.hidden = state.counting;
      if (breathing) breathe(step); else el.pacer.hidden = true;
      el.start.hidden = true;
      el.done.hidden = !ownPace;
      el.pause.hidden = ownPace;
      el.skip.hidden = ownPace;
      el.pause.textContent = "Pause";
      section.dataset.kind = step.kind;
    }

    // The breath pacer: a circle that fills as the breath goes in (4 s) and empties as it
    // goes out (6 s), the step's seconds; a CSS animation that pauses with the player.
    function breathe(step) {
      el.pacer.style.setProperty("--breath", step.seconds + "s");
      el.pacer.className = "pacer";
      el.pacer.hidden = false;
      void el.pacer.offsetWidth; // restart the animation with the new class
      el.pacer.className = "pacer " + (step.kind === "breathe_in" ? "in" : "out");
    }

    function pose(step) {
      if (!figure) return;
      if (step.kind === "get_ready" || step.kind === "rest") figure.at(0, false);
      // Still while held: the pose does not change, and a paused figure costs the phone
      // nothing (a playing one is redrawn every frame).
      else if (step.kind === "hold") figure.at(figure.holdStart, false);
      else if (step.kind === "release" || step.kind === "switch_sides") figure.at(figure.holdEnd, true);
      else figure.play(); // reps and breaths: the movement loops
    }

    function pause() {
      if (state.paused || state.end === null) return;
      state.left = Math.max(0, state.endsAt - Date.now());
      clearTimers();
      state.paused = true;
      hush();
      if (figure) figure.pause();
      el.pacer.classList.add("paused");
      el.pause.textContent = "Resume";
      el.stage.textContent = "Paused";
      el.announce.textContent = "Paused";
    }

    function resume() {
      var step = steps[state.index];
      el.pause.textContent = "Pause";
      el.stage.textContent = step.show;
      el.announce.textContent = step.show;
      el.pacer.classList.remove("paused");
      if (figure && ["get_ready", "rest", "hold"].indexOf(step.kind) < 0) figure.play();
      run();
    }

    function finish() {
      state.finished = true;
      el.stage.textContent = "Exercise done";
      el.where.textContent = section.dataset.doneWhere || "How did it feel? Answer below.";
      el.clockBox.hidden = true;
      el.pacer.hidden = true;
      el.bar.hidden = true;
      section.dataset.kind = "done";
      player.classList.add("asking");
      speak(section.dataset.sayDone);
      beep(660, 0.4);
      buzz(300);
      if (figure) figure.at(0, false);
      if (pain) {
        // The question where the eye is, without scrolling (the Stop bar stays above it).
        pain.scrollIntoView({ block: "center" });
        pain.querySelector("fieldset").focus({ preventScroll: true });
      }
      // The daily routine asks no question: static/routine.js goes on from here.
      player.dispatchEvent(new CustomEvent("lumbar:exercise-done", { bubbles: true }));
    }

    function stop() {
      clearTimers();
      hush();
    }

    ["voice", "beep", "vibrate", "count"].forEach(function (name) {
      var box = section.querySelector("[data-" + name + "]");
      if (!box) return;
      box.checked = setting(name);
      box.addEventListener("change", function () {
        remember(name, box.checked);
        if (name === "voice" && !box.checked) hush();
      });
    });
    if (!canSpeak) find("voice-option").hidden = true;
    if (!navigator.vibrate) find("vibrate-option").hidden = true;
    awake.hints.push(el.awake);
    el.awake.hidden = !awake.failed;

    el.start.addEventListener("click", function () {
      keepAwake();
      var box = player.querySelector(".player-figure") || section;
      box.scrollIntoView({ block: "start" });
      enter(0);
    });
    el.done.addEventListener("click", function () { enter(state.index + 1); });
    el.skip.addEventListener("click", function () { enter(state.index + 1); });
    el.pause.addEventListener("click", function () {
      if (state.paused) resume(); else pause();
    });

    section.hidden = false;
    player.classList.add("hands-free");
    // After an answer: what comes next, said as it shows.
    speak(section.dataset.sayNext);
    return { section: section, pause: pause, stop: stop };
  }

  function init(root) {
    if (active && !document.body.contains(active.section)) {
      // The player was swapped (an answer, a Stop, the end): its timers and voice go too.
      active.stop();
      active = null;
      awake.hints = awake.hints.filter(function (hint) { return document.body.contains(hint); });
    }
    var player = root.id === "player" ? root : root.querySelector && root.querySelector("#player");
    if (!player || player.dataset.ready) return;
    player.dataset.ready = "1";
    speak(player.dataset.say); // "Session saved."
    var section = player.querySelector(".runner[data-steps]");
    if (section) active = runner(player, section);
  }

  // The camera's cues are said in the same voice, with the same setting (issue #21).
  window.lumbarPlayer = { speak: speak };

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
