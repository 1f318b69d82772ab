// Bar chart of composite scores per ranking group; data comes from json_script "ranking-chart-data".
(function () {
  "use strict";
  var source = document.getElementById("ranking-chart-data");
  if (!source || typeof echarts === "undefined" || !window.ShupingCharts) { return; }
  var sections = JSON.parse(source.textContent);
  // Scores read as the table prints them: 89.80, never 89.8.
  function twoPlaces(value) { return Number(value).toFixed(2); }
  var colours = { "好": "#b22222", "较好": "#e0803a", "一般": "#8c8c8c", "差": "#4a4a4a" };
  document.querySelectorAll(".ranking-chart").forEach(function (element) {
    var data = sections[Number(element.getAttribute("data-index"))];
    if (!data || !data.labels.length) { element.remove(); return; }
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      title: { text: data.name + " 综合得分", left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", formatter: function (params) { return ShupingCharts.axisTooltip(params, twoPlaces); } },
      grid: { left: 48, right: 16, top: 40, bottom: 90 },
      xAxis: { type: "category", data: data.labels, axisLabel: { rotate: 40, interval: 0, fontSize: 11 } },
      yAxis: { type: "value", min: 0 },
      series: [{
        type: "bar",
        data: data.values.map(function (value, i) {
          return { value: Number(value), itemStyle: { color: colours[data.grades[i]] || "#b22222" } };
        }),
        label: { show: data.labels.length <= 15, position: "top", fontSize: 10,
                 formatter: function (p) { return twoPlaces(p.value); } }
      }]
    });
    element.setAttribute("data-rendered", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
