// Progressive enhancement of the ballot form: a live total and no double submits.
// Everything works without this file (plain HTML form).
(function () {
  "use strict";
  var form = document.getElementById("ballot-form");
  if (!form) { return; }
  var out = document.getElementById("ballot-total");
  function cents(text) {
    var match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
    if (!match) { return null; }
    return parseInt(match[1], 10) * 100 + parseInt(((match[2] || "") + "00").slice(0, 2), 10);
  }
  function update() {
    var sum = 0, filled = 0, inputs = form.querySelectorAll(".score-input");
    inputs.forEach(function (input) {
      var value = cents(input.value);
      if (value !== null) { sum += value; filled += 1; }
    });
    out.textContent = filled ? (sum / 100).toFixed(2) + "（" + filled + "/" + inputs.length + " 项）" : "—";
  }
  form.addEventListener("input", update);
  form.addEventListener("submit", function () {
    var button = document.getElementById("submit-ballot");
    window.setTimeout(function () { button.disabled = true; button.textContent = "正在提交……"; }, 0);
  });
  update();
  var error = document.getElementById("ballot-error") || document.querySelector(".indicator-error");
  if (error) { error.scrollIntoView({ block: "center" }); }
})();
