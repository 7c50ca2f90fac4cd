// Starts Swagger UI (static/swagger-ui-bundle.js, vendored: web/api_docs.py) on the API's
// OpenAPI document, named by the page. A file, not a script in the page: the
// Content-Security-Policy runs no inline script. No validator badge: it would send the
// document to another site.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi"),
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset]
  });
})();
