// Draws every chart whose figure JSON the server embedded; the data table beside each
// chart is the accessible alternative and works without JavaScript.
document.querySelectorAll("[data-chart]").forEach(function (el) {
  var source = document.getElementById(el.dataset.chart);
  if (!source || !window.Plotly) { return; }
  var figure = JSON.parse(source.textContent);
  window.Plotly.newPlot(el, figure.data, figure.layout, {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d"]
  });
});
