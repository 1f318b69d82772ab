// Site-wide behaviour, kept out of templates so the Content Security Policy can forbid inline script.
(function () {
  "use strict";
  // Confirm buttons: <button data-confirm="确定删除？">
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
  // Auto-submit selects: <select data-autosubmit>
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) {
      event.target.form.submit();
    }
  });
})();
// ECharts tooltips are HTML: every name in them comes from users (org names), so every
// formatter escapes it. Chart scripts use these instead of ECharts' own string templates.
window.ShupingCharts = (function () {
  "use strict";
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };
  function escape(value) {
    return String(value === undefined || value === null ? "" : value).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }
  function value(item) {
    var raw = item.value;
    if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) { raw = raw.value; }
    return Array.isArray(raw) ? raw[raw.length - 1] : raw;
  }
  // trigger: "axis": the category, then one line per series (p.marker is ECharts' own colour dot).
  function axisTooltip(params) {
    var list = Array.isArray(params) ? params : [params];
    var lines = list.length ? [escape(list[0].axisValueLabel !== undefined ? list[0].axisValueLabel : list[0].name)] : [];
    list.forEach(function (p) {
      var label = p.seriesName && String(p.seriesName).indexOf("series") !== 0 ? escape(p.seriesName) + "：" : "";
      lines.push(p.marker + label + escape(value(p)));
    });
    return lines.join("<br>");
  }
  return { escape: escape, axisTooltip: axisTooltip };
}());
