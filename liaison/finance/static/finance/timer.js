// Ticks a running timer's elapsed time (h:mm) on from what the server rendered.
(function () {
  "use strict";
  function tick() {
    document.querySelectorAll("[data-timer-start]").forEach(function (el) {
      var started = parseInt(el.getAttribute("data-timer-start"), 10);
      var minutes = Math.max(0, Math.floor((Date.now() / 1000 - started) / 60));
      var mm = String(minutes % 60).padStart(2, "0");
      el.textContent = Math.floor(minutes / 60) + ":" + mm;
    });
  }
  if (window.__liaisonTimer) { return; }
  window.__liaisonTimer = window.setInterval(tick, 15000);
})();
