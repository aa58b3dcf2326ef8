// Client script of the static course: embeds each Vega-Lite chart with vega-embed (local copy, SVG
// renderer, no actions menu). The chart's PNG stays visible until the interactive chart is drawn, and
// stays if drawing fails. Each chart container records the outcome in data-rendered ("ok" / "error").
//
// Charts come from notebooks, so they are untrusted: Vega runs with the expression interpreter
// (vega-interpreter, `ast: true`, no eval, as the page's Content-Security-Policy requires), with a
// loader that loads nothing by URL (data must be inline; image marks only `data:image/...`; `href`
// channels never navigate), and with the site's embed options only (`usermeta.embedOptions` of a spec
// is dropped before embedding).
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
  function refuse(uri) {
    console.warn("chart: the course site loads nothing by URL (" + String(uri).slice(0, 80) + ")");
    return Promise.reject(new Error("the course site loads nothing by URL (" + String(uri).slice(0, 80) + "); inline the data"));
  }
  var loader = {
    load: refuse,
    http: refuse,
    file: refuse,
    sanitize: function (uri, options) {
      var context = options && options.context;
      if (context === "image" && typeof uri === "string" && /^data:image\/(png|jpeg|gif|webp);base64,/.test(uri)) {
        return Promise.resolve({ href: uri });
      }
      return refuse(uri);
    },
  };
  function withoutEmbedOptions(spec) {
    if (spec && spec.usermeta && typeof spec.usermeta === "object" && "embedOptions" in spec.usermeta) {
      var usermeta = {};
      Object.keys(spec.usermeta).forEach(function (k) {
        if (k !== "embedOptions") usermeta[k] = spec.usermeta[k];
      });
      spec = Object.assign({}, spec, { usermeta: usermeta });
    }
    return spec;
  }
  Array.prototype.forEach.call(charts, function (el) {
    var target = el.querySelector(".vega-target");
    var fallback = el.querySelector("img.fallback");
    var specEl = el.parentNode && el.parentNode.querySelector("script.vega-spec");
    var spec;
    try {
      spec = withoutEmbedOptions(JSON.parse(specEl.textContent));
    } catch (e) {
      el.setAttribute("data-rendered", "error");
      console.error("chart spec is not valid JSON:", e);
      done();
      return;
    }
    if (typeof window.vegaEmbed !== "function" || !window.vega || !window.vega.expressionInterpreter) {
      el.setAttribute("data-rendered", "error");
      console.error("vega-embed or the Vega expression interpreter did not load; showing the static image");
      done();
      return;
    }
    window
      .vegaEmbed(target, spec, {
        mode: "vega-lite",
        actions: false,
        renderer: "svg",
        tooltip: true,
        ast: true,
        expr: window.vega.expressionInterpreter,
        loader: loader,
      })
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
