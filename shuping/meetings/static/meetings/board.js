// The big screen pages long tables: rows that do not fit below a table's top are shown a page
// at a time, turning every 8 s, with "第 x/y 页" beside the table's title. Static file because the
// CSP forbids inline scripts; without it every row is shown and the page scrolls.
(function () {
  "use strict";
  var PERIOD = 8000;
  var pages = {};  // pager name -> current page, kept across the live table's 3 s swaps

  function layout(table) {
    var name = table.getAttribute("data-pager");
    var rows = Array.prototype.slice.call(table.tBodies[0] ? table.tBodies[0].rows : []);
    var label = table.parentNode.querySelector(".board-page");
    rows.forEach(function (row) { row.hidden = false; });
    if (!rows.length) { return; }
    var room = window.innerHeight - table.tBodies[0].getBoundingClientRect().top - 24;
    var perPage = Math.max(3, Math.floor(room / rows[0].getBoundingClientRect().height));
    var count = Math.ceil(rows.length / perPage);
    var page = (pages[name] || 0) % count;
    pages[name] = page;
    if (count > 1) {
      rows.forEach(function (row, index) { row.hidden = Math.floor(index / perPage) !== page; });
    }
    if (label) { label.textContent = count > 1 ? "第 " + (page + 1) + "/" + count + " 页" : ""; }
    table.setAttribute("data-pages", String(count));
  }

  function layoutAll() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-pager]"), layout);
  }

  function turn() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-pager]"), function (table) {
      var name = table.getAttribute("data-pager");
      pages[name] = (pages[name] || 0) + 1;
    });
    layoutAll();
  }

  document.addEventListener("DOMContentLoaded", layoutAll);
  document.body.addEventListener("htmx:afterSettle", layoutAll);
  window.addEventListener("resize", layoutAll);
  window.setInterval(turn, PERIOD);
})();
