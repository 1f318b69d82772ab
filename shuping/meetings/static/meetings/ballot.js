// Progressive enhancement of the ballot forms: quick bands fill the score inputs, a live total,
// no double submits, and after a refused submit the first red item is brought into view.
// Everything works without this file: bands are plain radios the server resolves, and the first
// red item carries `autofocus`.
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
    if (!out) { return; }
    var sum = 0, filled = 0, inputs = form.querySelectorAll(".score-input");
    inputs.forEach(function (input) {
      var value = cents(input.value);
      if (value !== null) { sum += value; filled += 1; }
    });
    out.textContent = filled ? (sum / 100).toFixed(2) + "（" + filled + "/" + inputs.length + " 项）" : "—";
  }
  function fill(radio) {
    var input = document.getElementById("s_" + radio.name.slice(2));
    if (input && radio.dataset.score) { input.value = radio.dataset.score; }
  }
  function settle(target) {
    // an item marked red by the refused submit turns normal once it has an answer
    var box = target.closest(".indicator");
    if (!box) { return; }
    var score = box.querySelector(".score-input");
    if (score ? score.value.trim() !== "" : box.querySelector("input:checked")) {
      box.classList.remove("indicator-error");
    }
  }
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.name === "b_all") {
      form.querySelectorAll("input[type=radio][value='" + target.value + "'][data-score]").forEach(function (radio) {
        radio.checked = true;
        fill(radio);
      });
    } else if (target.name && target.name.indexOf("b_") === 0) {
      fill(target);
    }
    form.querySelectorAll(".indicator-error").forEach(function (box) { settle(box); });
    update();
  });
  form.addEventListener("input", function (event) {
    // a typed score wins over a band: clear that item's band so what is seen is what is sent
    if (event.target.classList.contains("score-input")) {
      form.querySelectorAll("input[name='b_" + event.target.name.slice(2) + "']").forEach(function (radio) {
        radio.checked = false;
      });
      settle(event.target);
    }
    update();
  });
  form.addEventListener("submit", function () {
    var button = document.getElementById("submit-ballot");
    window.setTimeout(function () { button.disabled = true; button.textContent = "正在提交……"; }, 0);
  });
  update();
  var first = form.querySelector(".indicator-error");
  if (first) {
    first.scrollIntoView({ block: "center" });
    var field = first.querySelector(".score-input") || first.querySelector("input");
    if (field) { field.focus({ preventScroll: true }); }
  }
})();
