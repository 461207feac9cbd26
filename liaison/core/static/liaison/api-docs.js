/* Starts Swagger UI on /api/v1/docs from our own static files: nothing is asked of
   another host (no CDN, no online validator). The page's data attributes give the
   document's address and the CSRF token, which "Try it out" sends with a write
   made with the signed-in session (a token sent as Bearer needs none). */
(function () {
  var root = document.getElementById("swagger-ui");
  if (!root || !window.SwaggerUIBundle) return;
  var csrfToken = root.getAttribute("data-csrf-token");
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    docExpansion: "none",
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    requestInterceptor: function (request) {
      var method = (request.method || "GET").toUpperCase();
      if (csrfToken && ["GET", "HEAD", "OPTIONS"].indexOf(method) === -1) {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    },
  });
})();
