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
// The browser's own "Please fill out this field" comes in the device language; say it in
// the app's Chinese instead, from the constraint the field carries (required, min, max, step).
(function () {
  "use strict";
  function message(field) {
    var v = field.validity;
    if (v.valueMissing) { return field.type === "checkbox" ? "请勾选此项" : (field.tagName === "SELECT" ? "请选择一项" : "请填写此项"); }
    if (v.badInput) { return "请填写数字"; }
    if (v.rangeUnderflow) { return "不能小于 " + field.min; }
    if (v.rangeOverflow) { return "不能大于 " + field.max; }
    if (v.stepMismatch) {
      var step = field.getAttribute("step") || "1";
      return step.indexOf(".") < 0 ? "请填写整数" : "最多保留 " + step.split(".")[1].length + " 位小数";
    }
    if (v.typeMismatch) { return field.type === "email" ? "请填写有效的电子邮箱" : "格式不正确"; }
    if (v.tooLong) { return "不能超过 " + field.maxLength + " 个字"; }
    if (v.tooShort) { return "至少 " + field.minLength + " 个字"; }
    if (v.patternMismatch) { return field.title || "格式不正确"; }
    return "";
  }
  document.addEventListener("invalid", function (event) {
    var field = event.target;
    field.setCustomValidity("");
    if (!field.validity.valid) { field.setCustomValidity(message(field)); }
  }, true);
  document.addEventListener("input", function (event) {
    if (event.target.setCustomValidity) { event.target.setCustomValidity(""); }
  }, true);
  document.addEventListener("change", function (event) {
    if (event.target.setCustomValidity) { event.target.setCustomValidity(""); }
  }, true);
})();
// Org pickers: <select data-tree-picker> (indented by level, see core/forms.py tree_picker)
// become searchable with Tom Select; type part of a name to narrow hundreds of orgs.
(function () {
  "use strict";
  function initPickers(root) {
    if (typeof TomSelect === "undefined" || !root.querySelectorAll) { return; }
    root.querySelectorAll("select[data-tree-picker]").forEach(function (element) {
      if (element.tomselect) { return; }
      new TomSelect(element, {
        maxOptions: null,
        allowEmptyOption: true,
        plugins: element.multiple ? ["remove_button"] : [],
        placeholder: "输入名称搜索",
        render: {
          no_results: function () { return '<div class="no-results">没有找到匹配的组织</div>'; }
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { initPickers(document); });
  document.addEventListener("htmx:load", function (event) { initPickers(event.target); });
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
  // format (optional) turns each value into its shown text, e.g. two decimal places.
  function axisTooltip(params, format) {
    var list = Array.isArray(params) ? params : [params];
    var lines = list.length ? [escape(list[0].axisValueLabel !== undefined ? list[0].axisValueLabel : list[0].name)] : [];
    list.forEach(function (p) {
      var label = p.seriesName && String(p.seriesName).indexOf("series") !== 0 ? escape(p.seriesName) + "：" : "";
      lines.push(p.marker + label + escape(format ? format(value(p)) : value(p)));
    });
    return lines.join("<br>");
  }
  return { escape: escape, axisTooltip: axisTooltip };
}());
