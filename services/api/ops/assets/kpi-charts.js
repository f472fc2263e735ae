// The KPI page's charts: one uPlot per figure, quarters along the x axis. Data come from the
// page itself (#kpi-data); nothing is fetched.
(function () {
  var data = JSON.parse(document.getElementById('kpi-data').textContent);
  var root = document.getElementById('kpi-charts');
  data.charts.forEach(function (chart) {
    var box = document.createElement('div');
    box.className = 'chart';
    box.id = 'chart-' + chart.id;
    var title = document.createElement('h3');
    title.textContent = chart.title;
    box.appendChild(title);
    root.appendChild(box);
    var known = chart.values.filter(function (v) { return v !== null; }).length;
    if (known === 0) {
      var none = document.createElement('p');
      none.className = 'muted';
      none.textContent = 'No figure in these quarters: ' + (chart.missing || 'no data');
      box.appendChild(none);
      return;
    }
    new uPlot(
      {
        width: 380,
        height: 200,
        legend: { show: false },
        scales: { x: { time: false } },
        axes: [
          { space: 20, incrs: [1, 2], values: function (u, splits) { return splits.map(function (i) { return data.labels[i] || ''; }); }, font: '10px system-ui' },
          {},
        ],
        series: [{}, { label: chart.title, stroke: '#123c69', fill: 'rgba(18,60,105,0.12)', width: 2, points: { show: true } }],
      },
      [data.labels.map(function (_, i) { return i; }), chart.values],
      box,
    );
  });
  root.setAttribute('data-ready', String(data.charts.length));
})();
