// Client script of the static course: embeds each Vega-Lite chart with vega-embed (local copy, SVG
// renderer, no actions menu). The chart's PNG stays visible until the interactive chart is drawn, and
// stays if drawing fails. Each chart container records the outcome in data-rendered ("ok" / "error").
//
// Charts come from notebooks, so they are untrusted: Vega runs with the expression interpreter
// (vega-interpreter, `ast: true`, no eval, as the page's Content-Security-Policy requires), with a
// loader that loads nothing by URL (data must be inline; image marks only `data:image/...`; `href`
// channels never navigate), and with the site's embed options only (`usermeta.embedOptions` of a spec
// is dropped before embedding).
//
// On a screen narrower than a chart, the chart is laid out again with a narrower plot (its aspect kept,
// down to MIN_FIT of its width), so its titles, ticks and legend keep their size; what is still too wide
// shrinks as a whole (CSS max-width), legend included. This happens on load and on every resize; while a
// resize is being laid out, data-charts is "fitting" (the browser check waits for "done").
(function () {
  "use strict";
  var charts = document.querySelectorAll(".vega-chart");
  var pending = charts.length;
  var MIN_FIT = 0.55;
  var fitted = [];
  /** A single or layered view with a fixed width can be narrowed (concat/facet/repeat and step widths cannot). */
  function canFit(spec) {
    return typeof spec.width === "number" && !["concat", "hconcat", "vconcat", "facet", "repeat"].some(function (k) {
      return k in spec;
    });
  }
  function fitChart(f) {
    var avail = f.box.clientWidth;
    if (!avail) return Promise.resolve();
    var decoration = f.naturalWidth - f.width; // axes, legend, title, padding
    var w = Math.min(f.width, Math.max(Math.round(f.width * MIN_FIT), Math.floor(avail - decoration)));
    if (w === f.current) return Promise.resolve();
    f.current = w;
    f.view.width(w);
    if (f.height) f.view.height(Math.round((f.height * w) / f.width));
    return f.view.runAsync().catch(function (e) {
      console.warn("chart: could not be narrowed:", e);
    });
  }
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    if (!fitted.length) return;
    document.documentElement.setAttribute("data-charts", "fitting");
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      Promise.all(fitted.map(fitChart)).then(function () {
        if (!pending) document.documentElement.setAttribute("data-charts", "done");
      });
    }, 100);
  });
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
      .then(function (result) {
        el.setAttribute("data-rendered", "ok");
        if (fallback) {
          fallback.hidden = true;
          fallback.style.display = "none";
        }
        var svg = target.querySelector("svg");
        var natural = svg ? parseFloat(svg.getAttribute("width")) : NaN;
        if (!result || !result.view || !canFit(spec) || !(natural > 0)) return;
        var f = { view: result.view, box: el.closest(".output-body") || el.parentNode, width: result.view.width(), height: typeof spec.height === "number" ? result.view.height() : 0, naturalWidth: natural, current: null };
        f.current = f.width;
        fitted.push(f);
        return fitChart(f);
      })
      .catch(function (e) {
        el.setAttribute("data-rendered", "error");
        console.error("chart could not be rendered; showing the static image:", e);
      })
      .then(done);
  });
})();
