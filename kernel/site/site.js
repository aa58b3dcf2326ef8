// Client script of the static course: embeds each Vega-Lite chart with vega-embed (local copy, SVG
// renderer, no actions menu). The chart's PNG stays visible until the interactive chart is drawn, and
// stays if drawing fails. Each chart container records the outcome in data-rendered ("ok" / "error").
(function () {
  "use strict";
  var charts = document.querySelectorAll(".vega-chart");
  var pending = charts.length;
  function done() {
    pending -= 1;
    if (pending <= 0) document.documentElement.setAttribute("data-charts", "done");
  }
  if (!pending) {
    document.documentElement.setAttribute("data-charts", "done");
    return;
  }
  Array.prototype.forEach.call(charts, function (el) {
    var target = el.querySelector(".vega-target");
    var fallback = el.querySelector("img.fallback");
    var spec;
    try {
      spec = JSON.parse(document.getElementById(el.getAttribute("data-spec")).textContent);
    } catch (e) {
      el.setAttribute("data-rendered", "error");
      console.error("chart spec is not valid JSON:", e);
      done();
      return;
    }
    if (typeof window.vegaEmbed !== "function") {
      el.setAttribute("data-rendered", "error");
      console.error("vega-embed did not load; showing the static image");
      done();
      return;
    }
    window
      .vegaEmbed(target, spec, { actions: false, renderer: "svg", tooltip: true })
      .then(function () {
        el.setAttribute("data-rendered", "ok");
        if (fallback) {
          fallback.hidden = true;
          fallback.style.display = "none";
        }
      })
      .catch(function (e) {
        el.setAttribute("data-rendered", "error");
        console.error("chart could not be rendered; showing the static image:", e);
      })
      .then(done);
  });
})();
