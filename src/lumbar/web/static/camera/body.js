// Reading the body in a frame (issue #21): where a landmark is, and the measures the
// camera's content is written in (content/camera.toml; docs/camera.md says what each one
// means): the angle at a joint, its bend toward the body's front, a line's incline, a gap
// up and down, a point ahead of another. And which of the landmarks an exercise needs are
// out of view (the placement guide's words). Pure: a frame in, a number or a list out; the
// counting and judging over time is coach.js's.
(function (root) {
  "use strict";

  var NAMES = [
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
    "right_eye_outer", "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder",
    "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_pinky",
    "right_pinky", "left_index", "right_index", "left_thumb", "right_thumb", "left_hip",
    "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle", "left_heel",
    "right_heel", "left_foot_index", "right_foot_index"
  ];
  var INDEX = {};
  NAMES.forEach(function (name, i) { INDEX[name] = i; });

  var SEEN = 0.5;          // a landmark this sure is in view (MediaPipe's visibility)

  // --- Geometry, in the image's pixels (x right, y down) --------------------------------

  function point(frame, name, side) {
    // "hip" is the side being followed, "left_hip" that one, "mid_hip" halfway between.
    if (name.indexOf("mid_") === 0) {
      var base = name.slice(4);
      var a = point(frame, "left_" + base), b = point(frame, "right_" + base);
      return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, seen: Math.min(a.seen, b.seen) };
    }
    var full = INDEX[name] === undefined ? side + "_" + name : name;
    var mark = frame.landmarks[INDEX[full]];
    return { x: mark.x * frame.width, y: mark.y * frame.height, seen: mark.visibility };
  }

  function torso(frame) {
    var s = point(frame, "mid_shoulder"), h = point(frame, "mid_hip");
    return Math.max(1, Math.hypot(s.x - h.x, s.y - h.y));
  }

  function facing(frame, side) {
    // Which way the person faces across the image: toes ahead of heels, else the nose
    // ahead of the ears. +1 is to the image's right.
    var heel = point(frame, "heel", side), toe = point(frame, "foot_index", side);
    if (Math.abs(toe.x - heel.x) > 2) return toe.x > heel.x ? 1 : -1;
    return point(frame, "nose").x >= point(frame, "mid_ear").x ? 1 : -1;
  }

  var MEASURES = {
    // The angle at the middle point, 0 to 180 degrees.
    angle: function (frame, p) {
      var a = p[0], b = p[1], c = p[2];
      var v = Math.atan2(a.y - b.y, a.x - b.x) - Math.atan2(c.y - b.y, c.x - b.x);
      var degrees = Math.abs(v * 180 / Math.PI) % 360;
      return degrees > 180 ? 360 - degrees : degrees;
    },
    // The turn at the middle point from the line a-b to the line b-c, in degrees, for
    // points named from the feet toward the head (knee, hip, shoulder): positive toward the
    // body's front (flexion: a hip bending, a back rounding, a head dropping forward),
    // negative away from it (an arch). Seen from the person's right, flexion turns clockwise
    // in the image whichever way they lie or face; from their left, the other way.
    bend: function (frame, p, side) {
      var u = { x: p[1].x - p[0].x, y: p[1].y - p[0].y }, v = { x: p[2].x - p[1].x, y: p[2].y - p[1].y };
      var turn = Math.atan2(u.x * v.y - u.y * v.x, u.x * v.x + u.y * v.y) * 180 / Math.PI;
      return side === "left" ? -turn : turn;
    },
    // The line's angle from the horizontal, 0 (level) to 90 (upright), either way.
    incline: function (frame, p) {
      var dx = Math.abs(p[1].x - p[0].x), dy = Math.abs(p[1].y - p[0].y);
      return Math.atan2(dy, dx) * 180 / Math.PI;
    },
    // How far apart two points are up and down, in torso lengths.
    gap: function (frame, p) {
      return Math.abs(p[0].y - p[1].y) / torso(frame);
    },
    // How far the first point is ahead of the second in the way the person faces, in torso
    // lengths (negative: behind it).
    ahead: function (frame, p, side) {
      return (p[0].x - p[1].x) * facing(frame, side) / torso(frame);
    }
  };

  function kindOf(measure) {
    for (var kind in MEASURES) if (measure[kind]) return kind;
    throw new Error("unknown measure " + JSON.stringify(measure));
  }

  function sidesFor(measure, near) {
    var pick = measure.pick || "near";
    if (pick === "near") return [near];
    return ["left", "right"];
  }

  // The measure's value in this frame, for the side(s) its `pick` asks for.
  function measureValue(measure, frame, near) {
    var kind = kindOf(measure), names = measure[kind], pick = measure.pick || "near";
    var values = sidesFor(measure, near).map(function (side) {
      var points = names.map(function (name) { return point(frame, name, side); });
      return { side: side, value: MEASURES[kind](frame, points, side) };
    });
    if (pick === "max") return Math.max.apply(null, values.map(function (v) { return v.value; }));
    if (pick === "min") return Math.min.apply(null, values.map(function (v) { return v.value; }));
    if (pick === "front") {
      // The leg ahead (a lunge's front leg): the side whose ankle is further forward.
      var dir = facing(frame, near);
      var ahead = values.slice().sort(function (x, y) {
        return (point(frame, "ankle", y.side).x - point(frame, "ankle", x.side).x) * dir;
      });
      return ahead[0].value;
    }
    return values[0].value;
  }

  // --- What must be in view ----------------------------------------------------------

  function resolved(spec, side) {
    var names = [];
    spec.visible.forEach(function (name) {
      if (INDEX[name] !== undefined) names.push(name);
      else if (name.indexOf("mid_") === 0) names.push("left_" + name.slice(4), "right_" + name.slice(4));
      else if (spec.view === "front") names.push("left_" + name, "right_" + name);
      else names.push(side + "_" + name);
    });
    return names;
  }

  function nearSide(spec, frame) {
    // Side-on, the side facing the camera is the one the model is surer of.
    var score = { left: 0, right: 0 };
    ["left", "right"].forEach(function (side) {
      resolved(spec, side).forEach(function (name) {
        var mark = frame.landmarks[INDEX[name]];
        if (name.indexOf(side) === 0) score[side] += mark.visibility;
      });
    });
    return score.right >= score.left ? "right" : "left";
  }

  function placement(spec, frame, side) {
    if (!frame || !frame.landmarks) return { tracked: false, side: null, missing: spec.visible.slice() };
    side = side || nearSide(spec, frame);
    var missing = [];
    resolved(spec, side).forEach(function (name) {
      var mark = frame.landmarks[INDEX[name]];
      var inside = mark.x > -0.02 && mark.x < 1.02 && mark.y > -0.02 && mark.y < 1.02;
      if (mark.visibility < SEEN || !inside) {
        var plain = spec.view === "front" ? name : name.replace(/^(left|right)_/, "");
        if (missing.indexOf(plain) < 0) missing.push(plain);
      }
    });
    return { tracked: missing.length === 0, side: side, missing: missing };
  }

  root.LumbarBody = {
    LANDMARKS: NAMES.slice(),
    measure: measureValue,
    nearSide: nearSide,
    placement: placement
  };
})(typeof window !== "undefined" ? window : this);
