// The camera's pose source (issue #21): the person's camera in, BlazePose's 33 landmarks
// out, all inside this page. MediaPipe Pose runs here as WebAssembly, from this server's
// own /static/vendor/mediapipe-pose/ (fetched and checked by scripts/fetch-pose-model),
// so it works offline; no frame and no landmark is ever sent anywhere, this server
// included: the landmarks leave this script only as a DOM event on `document`.
//
//   LumbarPose.start({video, model: "lite" | "full"}) -> Promise<{stop()}>
//
// Each processed frame is a `CustomEvent("lumbar:pose", {detail: frame})`, where a frame is
// `{time, landmarks: [33 x {x, y, z, visibility}] | null, width, height}`: `time` is when
// the frame was handed to the model (performance.now(), ms), `landmarks` null when nobody
// was found, `width`/`height` the video's pixels (angles need the aspect ratio). Everything
// downstream (the coach, the placement guide) listens to that event and never to MediaPipe,
// so tests can dispatch synthetic frames the same way. If the model fails while running,
// the camera is released and a `lumbar:pose-ended` event says why ({message}), so that a
// player can fall back to its timer.
//
// The promise is rejected with an Error in plain words when there is no camera, the
// camera is refused, or the model's files are not on this server.
(function () {
  "use strict";

  var BASE = "/static/vendor/mediapipe-pose/";
  var MODELS = { lite: 0, full: 1 };
  // What the model asks for besides pose.js (as a probe in Chromium saw it); both runtimes,
  // since pose.js picks the one with WebAssembly SIMD where the browser has it.
  var FILES = ["pose_solution_packed_assets_loader.js", "pose_solution_packed_assets.data",
    "pose_web.binarypb", "pose_solution_simd_wasm_bin.js", "pose_solution_simd_wasm_bin.wasm",
    "pose_solution_wasm_bin.js", "pose_solution_wasm_bin.wasm"];
  var STARTUP_MS = 60000; // a slow phone takes seconds to compile the model; a hang, not this
  var MISSING = "The movement tracker's files are missing from this copy of lumbar, so the " +
    "camera cannot be used. Whoever set lumbar up can add them (scripts/fetch-pose-model).";

  var runtime = null; // the promise of pose.js loaded: once per page
  var models = {}; // one Pose per model, kept: making one takes seconds
  var current = null; // the running session, if any: one camera at a time

  function refusal(message) {
    var error = new Error(message);
    error.name = "LumbarPoseError";
    return error;
  }

  function loadRuntime() {
    if (typeof window.Pose === "function") return Promise.resolve();
    if (runtime) return runtime;
    runtime = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = BASE + "pose.js";
      script.async = true;
      script.onload = function () {
        if (typeof window.Pose === "function") resolve();
        else reject(refusal(MISSING));
      };
      script.onerror = function () { reject(refusal(MISSING)); };
      document.head.appendChild(script);
    });
    runtime.catch(function () { runtime = null; }); // a later try may find the files
    return runtime;
  }

  // Ask for each file before starting: a missing one would otherwise fail deep inside the
  // WebAssembly loader, where it hangs rather than says so. HEAD requests carry nothing.
  function checkFiles(model) {
    var wanted = FILES.concat([model === "full" ? "pose_landmark_full.tflite" : "pose_landmark_lite.tflite"]);
    return Promise.all(wanted.map(function (name) {
      return window.fetch(BASE + name, { method: "HEAD", cache: "no-cache" }).then(function (response) {
        if (!response.ok) throw refusal(MISSING);
      }, function () { throw refusal(MISSING); });
    }));
  }

  function cameraRefusal(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") {
      return refusal("Permission to use the camera was refused. To use it, allow the camera " +
        "for this page in your browser's settings, then try again.");
    }
    if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") {
      return refusal("No camera was found on this device.");
    }
    if (name === "NotReadableError" || name === "AbortError") {
      return refusal("The camera could not be started: another app may be using it. Close " +
        "that app, then try again.");
    }
    return refusal("The camera could not be started.");
  }

  function openCamera() {
    var media = navigator.mediaDevices;
    if (!media || typeof media.getUserMedia !== "function") {
      // Browsers offer the camera only to a secure page: HTTPS, or this computer's own address.
      return Promise.reject(refusal("This browser does not offer the camera on this page. " +
        "It needs a secure connection: open lumbar with https://, or on this computer."));
    }
    return media.getUserMedia({
      audio: false,
      video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } }
    }).catch(function (error) { throw cameraRefusal(error); });
  }

  function landmarksOf(results) {
    var found = results && results.poseLandmarks;
    if (!found || !found.length) return null;
    // Plain copies: listeners may keep them; MediaPipe's objects are reused.
    return found.map(function (point) {
      return { x: point.x, y: point.y, z: point.z, visibility: point.visibility };
    });
  }

  function poseFor(model) {
    if (models[model]) return models[model];
    var pose = new window.Pose({ locateFile: function (file) { return BASE + file; } });
    pose.setOptions({
      modelComplexity: MODELS[model],
      smoothLandmarks: true,
      enableSegmentation: false,
      selfieMode: false, // landmarks in the camera's own image: left is the person's left
      minDetectionConfidence: 0.5,
      minTrackingConfidence: 0.5
    });
    pose.onResults(function (results) {
      if (current && current.pose === pose) current.deliver(results);
    });
    var ready = new Promise(function (resolve, reject) {
      var timer = window.setTimeout(function () {
        reject(refusal("The movement tracker did not start. Reload the page to try again."));
      }, STARTUP_MS);
      pose.initialize().then(function () { window.clearTimeout(timer); resolve(); }, function () {
        window.clearTimeout(timer);
        reject(refusal("The movement tracker could not start in this browser."));
      });
    });
    models[model] = { pose: pose, ready: ready };
    ready.catch(function () { delete models[model]; });
    return models[model];
  }

  function release(stream, video) {
    stream.getTracks().forEach(function (track) { track.stop(); });
    if (video.srcObject === stream) video.srcObject = null;
  }

  // One session: the loop hands the latest video frame to the model, waits for its
  // landmarks, then takes the next frame. Never two frames in flight: on a slow device it
  // drops frames rather than falls behind.
  function Session(video, stream, pose) {
    var self = this;
    var stopped = false;
    var handedAt = 0;
    var lastFrame = -1;
    self.pose = pose;

    self.deliver = function (results) {
      if (stopped) return;
      var frame = {
        time: handedAt,
        landmarks: landmarksOf(results),
        width: video.videoWidth,
        height: video.videoHeight
      };
      document.dispatchEvent(new window.CustomEvent("lumbar:pose", { detail: frame }));
    };

    // Always through a task, never straight on: MediaPipe's promise resolves in a microtask,
    // and a loop of microtasks would starve the page (no rendering, no clicks on Stop).
    function next() {
      if (stopped) return;
      if (video.currentTime !== lastFrame) window.setTimeout(step, 0);
      else if (typeof video.requestVideoFrameCallback === "function") video.requestVideoFrameCallback(step);
      else window.requestAnimationFrame(step);
    }

    function step() {
      if (stopped) return;
      if (video.readyState < 2) { window.requestAnimationFrame(step); return; }
      lastFrame = video.currentTime;
      handedAt = window.performance.now();
      pose.send({ image: video }).then(next, function (error) {
        self.stop();
        document.dispatchEvent(new window.CustomEvent("lumbar:pose-ended", {
          detail: { message: "Movement tracking stopped: " + (error && error.message || "the tracker failed") + "." }
        }));
      });
    }

    self.stop = function () {
      if (stopped) return;
      stopped = true;
      release(stream, video);
      if (current === self) current = null;
    };

    self.begin = next;
  }

  function start(options) {
    var video = options && options.video;
    var model = (options && options.model) || "lite";
    if (!video || !(model in MODELS)) {
      return Promise.reject(new TypeError("LumbarPose.start needs {video, model: 'lite' or 'full'}"));
    }
    if (current) current.stop();
    var stream = null;
    return checkFiles(model)
      .then(loadRuntime)
      .then(openCamera)
      .then(function (opened) {
        stream = opened;
        video.muted = true;
        video.playsInline = true;
        video.srcObject = stream;
        return Promise.all([video.play(), poseFor(model).ready]);
      })
      .then(function () {
        var pose = models[model].pose;
        pose.reset(); // no smoothing carried over from a previous session
        var session = new Session(video, stream, pose);
        current = session;
        session.begin();
        return { stop: session.stop };
      })
      .catch(function (error) {
        if (stream) release(stream, video);
        throw error;
      });
  }

  window.LumbarPose = { start: start };
})();
