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
