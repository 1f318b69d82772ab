// Renders the dashboard chart from the json_script data beside the table (no inline script: CSP).
(function () {
  "use strict";
  var holder = document.getElementById("chart");
  var source = document.getElementById("chart-data");
  if (!holder || !source || typeof echarts === "undefined" || !window.ShupingCharts) { return; }
  var spec = JSON.parse(source.textContent);
  var GRADE_COLOURS = { "好": "#2e7d32", "较好": "#81c784", "一般": "#f9a825", "差": "#c62828", "未评定": "#bdbdbd" };
  // Rates and scores read as the tables print them: always 2 places (90.20, never 90.2).
  var places = spec.decimals;
  function number(value) {
    if (value === null || value === undefined || value === "-") { return "—"; }
    return places === undefined ? String(value) : Number(value).toFixed(places);
  }
  function axisTooltip(params) { return ShupingCharts.axisTooltip(params, number); }
  var chart = echarts.init(holder);
  var option;
  function bars(stacked) {
    var series = (spec.series || []).map(function (s) {
      return { name: s.name, type: "bar", stack: stacked ? "total" : undefined, data: s.data,
               itemStyle: GRADE_COLOURS[s.name] ? { color: GRADE_COLOURS[s.name] } : undefined };
    });
    (spec.series2 || []).forEach(function (s) {
      series.push({ name: s.name, type: "line", yAxisIndex: 1, data: s.data });
    });
    var yAxis = [{ type: "value" }];
    if (spec.series2) { yAxis.push({ type: "value", name: "测评票" }); }
    return {
      tooltip: { trigger: "axis", formatter: axisTooltip }, legend: { top: 0 }, grid: { left: 40, right: 50, bottom: 90, top: 40, containLabel: true },
      xAxis: { type: "category", data: spec.categories || [], axisLabel: { rotate: 40, interval: 0 } },
      yAxis: yAxis, dataZoom: (spec.categories || []).length > 20 ? [{ type: "slider" }] : [], series: series
    };
  }
  function colourTree(node) {
    node.itemStyle = { color: GRADE_COLOURS[node.grade] || GRADE_COLOURS["未评定"] };
    (node.children || []).forEach(colourTree);
    return node;
  }
  if (spec.type === "line") {
    option = {
      tooltip: { trigger: "axis", formatter: axisTooltip }, legend: { type: "scroll", top: 0 }, grid: { left: 40, right: 20, top: 40, bottom: 30, containLabel: true },
      xAxis: { type: "category", data: spec.categories },
      yAxis: { type: "value", scale: true, name: "得分率（%）", axisLabel: { formatter: number } },
      series: (spec.series || []).map(function (s) { return { name: s.name, type: "line", data: s.data, connectNulls: true }; })
    };
  } else if (spec.type === "treemap") {
    option = {
      tooltip: { formatter: function (p) {
        return ShupingCharts.escape(p.name) + "：" + ShupingCharts.escape(p.data.grade || "");
      } },
      legend: { data: spec.grades },
      series: [{ type: "treemap", data: spec.tree && spec.tree.name ? [colourTree(spec.tree)] : [], leafDepth: 2,
                 label: { show: true, formatter: "{b}" }, upperLabel: { show: true, height: 20 },
                 levels: [{ itemStyle: { borderWidth: 3, gapWidth: 3 } }, { itemStyle: { borderWidth: 2, gapWidth: 2 } }, { itemStyle: { gapWidth: 1 } }] }]
    };
  } else {
    option = bars(spec.type === "stacked");
  }
  chart.setOption(option);
  window.addEventListener("resize", function () { chart.resize(); });
}());
