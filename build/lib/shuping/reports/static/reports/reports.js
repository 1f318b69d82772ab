// Reports: quote a selected passage into the review form.
(function () {
  "use strict";
  var text = document.getElementById("report-text");
  if (text) {
    var quote = document.getElementById(text.getAttribute("data-quote-target"));
    var hint = document.getElementById(text.getAttribute("data-hint-target"));
    text.addEventListener("mouseup", function () {
      var selection = window.getSelection();
      var value = selection ? selection.toString().trim() : "";
      if (!quote || !value || value.length > 2000) { return; }
      quote.value = value;
      // The paragraph's offset into the plain text lets the server pick the right occurrence.
      var node = selection.anchorNode && selection.anchorNode.parentElement;
      var block = node && node.closest("[data-start]");
      if (hint && block) { hint.value = block.getAttribute("data-start"); }
    });
  }
})();
