// Draws every chart whose figure JSON the server embedded; the data table beside each
// chart is the accessible alternative and works without JavaScript.
document.querySelectorAll("[data-chart]").forEach(function (el) {
  var source = document.getElementById(el.dataset.chart);
  if (!source || !window.Plotly) { return; }
  var figure = JSON.parse(source.textContent);
  // No mode bar: its buttons would be controls nested inside the role="img" chart,
  // and the data table below already offers the figures.
  window.Plotly.newPlot(el, figure.data, figure.layout, {
    responsive: true,
    displayModeBar: false
  });
});
