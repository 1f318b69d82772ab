// Reports: quote a selected passage into the review form, and show export progress.
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
  // Exports can take a while: show a spinner until the download's cookie arrives.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-export]");
    if (!link) { return; }
    var token = Math.random().toString(36).slice(2, 12).replace(/[^a-z0-9]/g, "") || "t";
    var url = new URL(link.href, window.location.href);
    url.searchParams.set("token", token);
    link.href = url.toString();
    var progress = link.parentElement.querySelector(".export-progress");
    if (!progress) { return; }
    progress.hidden = false;
    var started = Date.now();
    var timer = window.setInterval(function () {
      if (document.cookie.indexOf("shuping_export=" + token) !== -1 || Date.now() - started > 300000) {
        progress.hidden = true;
        window.clearInterval(timer);
      }
    }, 500);
  });
})();
