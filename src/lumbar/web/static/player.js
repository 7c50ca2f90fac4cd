// The session player's timer: countdowns for holds and rests, a rep counter, and an
// optional beep and vibration when a countdown ends. The exercise's figure keeps time with
// the countdowns: it reaches the held pose as a hold starts, holds while it runs, pauses
// with it, and rests in the start pose during a rest. The pain check-in needs none of
// this: its forms post with or without JavaScript.
(function () {
  "use strict";
  var SOUND_KEY = "lumbar-sound";

  function beep() {
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return;
      var audio = new Context();
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.value = 0.15;
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.25);
      tone.onended = function () { audio.close(); };
    } catch (error) { /* no sound on this device */ }
  }

  // The figure is an SVG whose animation (SMIL) can be paused and moved to a time; its
  // data-hold-start and data-hold-end say when its held pose begins and ends.
  function figureOf(timer) {
    var player = timer.closest(".player");
    var svg = player ? player.querySelector("svg.figure-motion") : null;
    if (!svg || typeof svg.setCurrentTime !== "function") return null;
    return {
      at: function (seconds, playing) {
        svg.setCurrentTime(seconds);
        if (playing) svg.unpauseAnimations(); else svg.pauseAnimations();
      },
      pause: function () { svg.pauseAnimations(); },
      play: function () { svg.unpauseAnimations(); },
      holdStart: +svg.dataset.holdStart || 0,
      holdEnd: +svg.dataset.holdEnd || 0
    };
  }

  function init(root) {
    var timer = root.querySelector ? root.querySelector(".timer") : null;
    if (!timer || timer.dataset.ready) return;
    timer.dataset.ready = "1";
    var seconds = { hold: +timer.dataset.hold, rest: +timer.dataset.rest };
    var reps = +timer.dataset.reps || 1;
    var sets = +timer.dataset.sets || 1;
    var clock = timer.querySelector("[data-clock]");
    var label = timer.querySelector("[data-phase]");
    var announce = timer.querySelector("[data-announce]");
    var pause = timer.querySelector("[data-pause]");
    var doneText = timer.querySelector("[data-done]");
    var setText = timer.querySelector("[data-set]");
    var sound = timer.querySelector("[data-sound]");
    var figure = figureOf(timer);
    var state = { mode: null, endsAt: 0, left: 0, running: false, tick: null, done: 0, set: 1 };

    sound.checked = window.localStorage && localStorage.getItem(SOUND_KEY) === "on";
    sound.addEventListener("change", function () {
      if (window.localStorage) localStorage.setItem(SOUND_KEY, sound.checked ? "on" : "off");
    });

    function say(text) { label.textContent = text; announce.textContent = text; }
    function show() {
      clock.textContent = Math.max(0, Math.ceil(state.left / 1000));
      doneText.textContent = state.done;
      setText.textContent = state.set;
    }
    function stop() {
      clearInterval(state.tick);
      state.running = false;
      timer.classList.remove("running");
      pause.hidden = true;
    }
    function count(step) {
      state.done = Math.max(0, state.done + step);
      if (state.done >= reps) {
        if (state.set < sets) {
          state.set += 1;
          state.done = 0;
          say("Set done. Rest, then set " + state.set + " of " + sets + ".");
        } else {
          state.done = reps;
          say("All sets done. How did it feel? Answer below.");
        }
      }
      show();
    }
    function finish() {
      stop();
      state.left = 0;
      if (sound.checked) {
        beep();
        if (navigator.vibrate) navigator.vibrate(200);
      }
      if (figure) {
        if (state.mode === "hold") figure.at(figure.holdEnd, true); else figure.play();
      }
      if (state.mode === "hold") {
        say("Hold done. Relax.");
        count(1);
      } else {
        say("Rest over.");
      }
      show();
    }
    function run() {
      state.endsAt = Date.now() + state.left;
      state.running = true;
      timer.classList.add("running");
      pause.hidden = false;
      pause.textContent = "Pause";
      state.tick = setInterval(function () {
        state.left = state.endsAt - Date.now();
        if (state.left <= 0) finish(); else show();
      }, 200);
    }
    timer.querySelectorAll("[data-start]").forEach(function (button) {
      button.addEventListener("click", function () {
        stop();
        state.mode = button.dataset.start;
        state.left = seconds[state.mode] * 1000;
        say(state.mode === "hold" ? "Hold" : "Rest");
        if (figure) {
          if (state.mode === "hold") figure.at(figure.holdStart, true); else figure.at(0, false);
        }
        show();
        run();
      });
    });
    pause.addEventListener("click", function () {
      if (state.running) {
        stop();
        if (figure) figure.pause();
        pause.hidden = false;
        pause.textContent = "Resume";
        say("Paused");
      } else if (state.left > 0) {
        say(state.mode === "hold" ? "Hold" : "Rest");
        if (figure && state.mode === "hold") figure.play();
        run();
      }
    });
    timer.querySelectorAll("[data-count]").forEach(function (button) {
      button.addEventListener("click", function () { count(+button.dataset.count); });
    });
    show();
    clock.textContent = seconds.hold || seconds.rest || 0;
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
