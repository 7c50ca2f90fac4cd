// The camera coach's engine (issue #21): the 33 landmarks a pose model finds in each video
// frame in, repetitions, held seconds, form checks and spoken cues out. What it counts and
// checks for an exercise is data, not code: the exercise's camera spec, built from
// content/camera.toml (docs/camera.md explains each check in a clinician's words). This
// file only knows how to count with hysteresis, judge a check over a movement, and when a
// failed check becomes a cue; reading the body in a frame is body.js's. It has no clock, no
// camera and no page: each frame brings its own time, so the tests feed it streams made
// from the figures (figures/landmarks.py) and get the same answers every run.
//
// Nothing here decides anything about the person's program: a count or a cue is a guide to
// the movement. The pain answer after the exercise, and the rules, decide what comes next.
(function (root) {
  "use strict";

  var body = root.LumbarBody; // static/camera/body.js, loaded before this file
  var measureValue = body.measure, nearSide = body.nearSide, placement = body.placement;

  var LOSE_MS = 1000;      // untracked this long: tracking is lost (a dropped frame or a
                           // limb hidden for a moment is not)
  var REGAIN_MS = 300;     // tracked again this long: tracking is back
  var SMOOTH = 3;          // frames in the moving median that steadies each measure
  var REST_MS = 1000;      // the stillness before a rep that a relative check compares with
  var RATE_MS = 300;       // the span over which a speed is measured
  var WINDOW_MS = 1000;    // a hold's form is judged once a second

  // --- Small tools -------------------------------------------------------------------

  function median(values) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    var mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  function smoother() {
    var recent = [];
    return function (value) {
      recent.push(value);
      if (recent.length > SMOOTH) recent.shift();
      return median(recent);
    };
  }

  function outside(check, value) {
    return (check.min !== undefined && value < check.min) ||
      (check.max !== undefined && value > check.max);
  }

  // --- The coach -----------------------------------------------------------------------

  function create(spec) {
    var count = spec.count;
    var rising = count.reach > count.start; // does the measure grow toward the `to` pose?
    var state = {
      side: null, sideVotes: 0,
      tracked: false, lastTrackedAt: null, lastUntrackedAt: null, since: null, lastTime: null,
      trackedMs: 0, firstTime: null,
      phase: "settle", // settle | rest | moving | top (reps); out | in (holds)
      reps: 0, heldMs: 0, heldShown: 0,
      rest: [],        // [time, {check id: value}] while resting: relative checks' baseline
      during: {},      // each check's values during this rep: {id: [values]}
      top: {},         // and at the rep's `to` pose
      faults: {}, lastFailed: {}, cueAt: null,
      window: { start: null, values: {} },
      history: {}      // recent values per rate check: [[time, value]]
    };
    var smooth;
    function steady() {
      // Fresh smoothing: values from before a loss of tracking say nothing about after it.
      smooth = { count: smoother() };
      spec.checks.forEach(function (check) { smooth[check.id] = smoother(); });
      state.history = {};
    }
    steady();

    function beyond(value, threshold) { return rising ? value >= threshold : value <= threshold; }
    function before(value, threshold) { return rising ? value < threshold : value > threshold; }

    function trackingEvent(events, frame, now) {
      var where = placement(spec, frame, state.side);
      if (where.tracked) {
        state.lastTrackedAt = now;
        if (!state.tracked) {
          if (state.since === null) state.since = now;
          if (now - state.since >= REGAIN_MS) {
            state.tracked = true;
            state.since = null;
            events.push({ type: "tracking", tracked: true, missing: [] });
          }
        }
      } else {
        state.since = null;
        if (state.tracked && (state.lastTrackedAt === null || now - state.lastTrackedAt >= LOSE_MS)) {
          state.tracked = false;
          // Back in view, a rep counts only from rest: half a rep seen is not a rep.
          state.phase = spec.kind === "hold" ? "out" : "settle";
          state.during = {}; state.top = {}; state.rest = [];
          steady();
          events.push({ type: "tracking", tracked: false, missing: where.missing });
        }
      }
      return where.tracked;
    }

    function chooseSide(frame) {
      // Follow the side facing the camera; change only when the other side has looked
      // nearer for a dozen frames running (a turn of the head is not a change of side).
      var seen = nearSide(spec, frame);
      if (state.side === null) { state.side = seen; return; }
      if (seen === state.side) { state.sideVotes = 0; return; }
      state.sideVotes += 1;
      if (state.sideVotes >= 12) { state.side = seen; state.sideVotes = 0; }
    }

    function values(frame, now) {
      var out = { count: smooth.count(measureValue(count.measure, frame, state.side)) };
      spec.checks.forEach(function (check) {
        var v = smooth[check.id](measureValue(check.measure, frame, state.side));
        if (check.rate) {
          var h = state.history[check.id] || (state.history[check.id] = []);
          h.push([now, v]);
          while (h.length > 2 && now - h[1][0] >= RATE_MS) h.shift();
          var span = (now - h[0][0]) / 1000;
          v = span > 0 ? Math.abs(v - h[0][1]) / span : 0;
        }
        out[check.id] = v;
      });
      return out;
    }

    function baseline(id) {
      var kept = state.rest.map(function (r) { return r[1][id]; });
      return kept.length ? median(kept) : null;
    }

    function judged(check, list) {
      // At the pose the movement reaches: the median of the values there (steady against a
      // jittery frame). Throughout the movement: a speed on its worst value but one (a jerk
      // is brief; a single wild frame is the model's, not the person's); anything else on
      // the value a quarter of the movement was worse than (a line that moves, a pelvis
      // that rolls: held for a while, where the model's noise comes and goes).
      if (!list || !list.length) return false;
      if (check.at !== "throughout") return outside(check, median(list));
      var sorted = list.slice().sort(function (a, b) { return a - b; });
      var n = sorted.length;
      var spare = check.rate ? Math.min(1, n - 1) : Math.floor((n - 1) / 4);
      return outside(check, sorted[spare]) || outside(check, sorted[n - 1 - spare]);
    }

    function failed(events, id, now) {
      var check = spec.checks.filter(function (c) { return c.id === id; })[0];
      state.faults[id] = (state.faults[id] || 0) + 1;
      events.push({ type: "fault", check: id });
      var again = state.lastFailed[id];
      state.lastFailed[id] = true;
      if (again && (state.cueAt === null || now - state.cueAt >= spec.cue_gap * 1000)) {
        state.cueAt = now;
        events.push({ type: "cue", check: id, text: check.cue });
      }
    }

    function collect(v, into) {
      spec.checks.forEach(function (check) {
        var value = v[check.id];
        if (check.relative) {
          var base = baseline(check.id);
          if (base === null) return;
          value = value - base;
        }
        (into[check.id] = into[check.id] || []).push(value);
      });
    }

    function endRep(events, now) {
      state.reps += 1;
      var failedNow = {};
      spec.checks.forEach(function (check) {
        var list = check.at === "throughout" ? state.during[check.id] : state.top[check.id];
        if (judged(check, list)) failedNow[check.id] = true;
      });
      events.push({ type: "rep", reps: state.reps });
      spec.checks.forEach(function (check) {
        if (failedNow[check.id]) failed(events, check.id, now);
        else state.lastFailed[check.id] = false;
      });
    }

    function stepReps(events, v, now) {
      var value = v.count;
      if (state.phase === "settle" && before(value, count.start)) state.phase = "rest";
      if (state.phase === "rest") {
        state.rest.push([now, v]);
        while (state.rest.length && now - state.rest[0][0] > REST_MS) state.rest.shift();
        if (!before(value, count.start)) {
          state.phase = "moving"; state.during = {}; state.top = {};
        }
      }
      if (state.phase === "moving" || state.phase === "top") {
        collect(v, state.during);
        if (beyond(value, count.reach)) state.phase = "top";
        if (state.phase === "top" && beyond(value, count.reach)) collect(v, state.top);
        if (before(value, count.start)) {
          if (state.phase === "top") endRep(events, now);
          state.phase = "rest"; state.rest = [];
        }
      }
    }

    function stepHold(events, v, now, dt) {
      var value = v.count;
      if (state.phase === "out" || state.phase === "rest") {
        state.phase = beyond(value, count.reach) ? "in" : "out";
        state.window = { start: now, values: {} };
        return;
      }
      if (before(value, count.start)) { state.phase = "out"; return; }
      state.heldMs += dt;
      var seconds = Math.floor(state.heldMs / 1000);
      if (seconds > state.heldShown) {
        state.heldShown = seconds;
        events.push({ type: "hold", seconds: seconds });
      }
      collect(v, state.window.values);
      if (now - state.window.start >= WINDOW_MS) {
        spec.checks.forEach(function (check) {
          var list = state.window.values[check.id];
          if (judged(check, list)) {
            // A fault in a hold is an episode: counted once, however long it lasts.
            if (!state.lastFailed[check.id]) failed(events, check.id, now);
            else if (state.cueAt === null || now - state.cueAt >= spec.cue_gap * 1000) {
              state.cueAt = now;
              events.push({ type: "cue", check: check.id, text: check.cue });
            }
          } else {
            state.lastFailed[check.id] = false;
          }
        });
        state.window = { start: now, values: {} };
      }
    }

    return {
      push: function (frame) {
        var events = [];
        var now = frame.time;
        if (state.firstTime === null) state.firstTime = now;
        var dt = state.lastTime === null ? 0 : Math.max(0, Math.min(500, now - state.lastTime));
        state.lastTime = now;
        if (frame.landmarks && state.side === null && spec.view === "side") chooseSide(frame);
        var inView = trackingEvent(events, frame, now);
        if (!state.tracked) return events;
        state.trackedMs += dt;
        if (!inView) return events; // a dropped frame while tracked: hold still, count nothing
        if (spec.view === "side") chooseSide(frame);
        var v = values(frame, now);
        if (spec.kind === "hold") stepHold(events, v, now, dt);
        else stepReps(events, v, now);
        return events;
      },
      summary: function () {
        return {
          reps: spec.kind === "reps" ? state.reps : null,
          held_seconds: spec.kind === "hold" ? Math.floor(state.heldMs / 1000) : null,
          faults: Object.assign({}, state.faults),
          tracked_seconds: Math.round(state.trackedMs / 1000),
          // How long the camera was on: with tracked_seconds, how much of it saw the person.
          seconds: state.firstTime === null ? 0 : Math.round((state.lastTime - state.firstTime) / 1000)
        };
      }
    };
  }

  root.LumbarCoach = {
    create: create,
    placement: function (spec, frame) { return placement(spec, frame, null); },
    measure: measureValue, // one measure of one frame: for the tests and the benchmark
    LANDMARKS: body.LANDMARKS
  };
})(typeof window !== "undefined" ? window : this);
