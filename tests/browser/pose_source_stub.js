// A stand-in for static/camera/pose-source.js in the browser tests (issue #21): the same
// seam, `window.LumbarPose.start({video, model}) -> Promise<{stop()}>`, with no camera and
// no model. The test sends the frames itself, as `lumbar:pose` events made from the
// figures (figures/landmark_streams.py). It records what it was asked, to be asserted.
(function () {
  "use strict";
  window.__pose = { starts: [], stops: 0 };
  window.LumbarPose = {
    start: function (options) {
      window.__pose.starts.push(options && options.model);
      return Promise.resolve({ stop: function () { window.__pose.stops += 1; } });
    }
  };
})();
