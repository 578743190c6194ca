// Draws every chart whose figure JSON the server embedded; the data table beside each
// chart is the accessible alternative and works without JavaScript.
var PHONE = 600; // px of chart width below which the layout is rearranged

// Plotly does not wrap titles: break a long one at a space so it fits a phone.
function forPhone(layout) {
  var phone = JSON.parse(JSON.stringify(layout));
  // The chart's caption above it already names it: on a phone the title inside the
  // chart would only be cut off.
  phone.title = { text: "" };
  // The legend goes under the plot, so the plot keeps its height and the legend never
  // covers the axis labels; the chart grows to hold it.
  phone.legend = Object.assign({}, phone.legend, {
    orientation: "h", x: 0, xanchor: "left", y: -0.45, yanchor: "top"
  });
  phone.margin = Object.assign({}, phone.margin, { l: 56, r: 12, t: 16, b: 80 });
  phone.height = 560;
  phone.xaxis = Object.assign({}, phone.xaxis, { automargin: true, tickangle: -60, nticks: 8 });
  phone.yaxis = Object.assign({}, phone.yaxis, { automargin: true });
  return phone;
}

document.querySelectorAll("[data-chart]").forEach(function (el) {
  var source = document.getElementById(el.dataset.chart);
  if (!source || !window.Plotly) { return; }
  var figure = JSON.parse(source.textContent);
  var width = el.clientWidth || window.innerWidth;
  var layout = width < PHONE ? forPhone(figure.layout) : figure.layout;
  // No mode bar: its buttons would be controls nested inside the role="img" chart,
  // and the data table below already offers the figures.
  window.Plotly.newPlot(el, figure.data, layout, {
    responsive: true,
    displayModeBar: false
  });
});
