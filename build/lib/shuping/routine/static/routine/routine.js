// Progress bars get their width from data-pct (no inline style or script: CSP).
(function () {
  "use strict";
  function apply(root) {
    root.querySelectorAll(".w-pct[data-pct]").forEach(function (bar) {
      var pct = parseFloat(bar.getAttribute("data-pct")) || 0;
      bar.style.width = Math.max(0, Math.min(100, pct)) + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { apply(document); });
  document.addEventListener("htmx:afterSwap", function (event) { apply(event.target); });
})();
