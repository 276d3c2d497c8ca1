/* GTM dashboard: render the embedded Vega-Lite specs and wire the selectors.
 *
 * State lives in named parameters (sequence, campaign, step_measure, ...). A control
 * sets one; every element with data-param="<name>" is shown only when its data-value
 * equals the new value, and every chart that declared the parameter gets it as a
 * Vega signal. All data is in the page: nothing is fetched.
 */
(function () {
  "use strict";

  var DASH = "\u2013";
  var UNIT_SPACE = "\u00a0"; // 37.5 %, 1.2 M: never broken over two lines
  var UNITS = [[1e3, "k"], [1e6, "M"], [1e9, "B"]];

  // Thousands separators on a number written by toFixed ("-1234.5" -> "-1,234.5").
  function grouped(text) {
    var parts = text.split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return parts.join(".");
  }

  function trimmed(text) {
    return text.indexOf(".") < 0 ? text : text.replace(/0+$/, "").replace(/\.$/, "");
  }

  // Chart numbers, as report_format.py writes them in the tables and cards: kinds
  // "count" (1,234,567), "compact" (9,876 / 37 k / 1.2 M), "rate" (37.5 %), "rate0"
  // (38 %) and "money" (1,234.50). Registered as the Vega expression function gtmFormat,
  // the custom formatType of every axis, legend, label and tooltip that shows a figure.
  function gtmFormat(value, kind) {
    if (value === null || value === undefined || typeof value !== "number" || isNaN(value)) {
      return DASH;
    }
    switch (kind) {
      case "count":
        return grouped(value.toFixed(0));
      case "rate":
        return grouped((value * 100).toFixed(1)) + UNIT_SPACE + "%";
      case "rate0":
        return grouped((value * 100).toFixed(0)) + UNIT_SPACE + "%";
      case "money":
        return grouped(value.toFixed(2));
      case "compact": {
        if (Math.abs(value) < 10000) {
          return Number.isInteger(value) ? grouped(value.toFixed(0)) : trimmed(grouped(value.toFixed(2)));
        }
        var unit = 0;
        while (unit + 1 < UNITS.length && Math.abs(value) >= UNITS[unit + 1][0]) unit += 1;
        for (;;) {
          var scaled = value / UNITS[unit][0];
          var text = scaled.toFixed(Math.abs(scaled) < 100 ? 1 : 0);
          if (Math.abs(Number(text)) >= 1000 && unit + 1 < UNITS.length) { unit += 1; continue; }
          return grouped(trimmed(text)) + UNIT_SPACE + UNITS[unit][1];
        }
      }
      default:
        return String(value);
    }
  }

  var state = JSON.parse(document.getElementById("gtm-state").textContent);
  var charts = JSON.parse(document.getElementById("gtm-charts").textContent);
  var views = {};

  function applyVisibility(name) {
    var value = String(state[name]);
    document.querySelectorAll('[data-param="' + name + '"]').forEach(function (el) {
      el.hidden = el.getAttribute("data-value") !== value;
    });
    document.querySelectorAll('[data-highlight="' + name + '"]').forEach(function (el) {
      el.classList.toggle("current", el.getAttribute("data-value") === value);
    });
    if (typeof state[name] === "boolean") {
      document.body.classList.toggle(name.replace(/_/g, "-"), state[name]);
    }
  }

  function syncControls(name) {
    var value = state[name];
    document.querySelectorAll('[data-control="' + name + '"]').forEach(function (el) {
      if (el.tagName === "SELECT") {
        el.value = String(value);
      } else if (el.tagName === "INPUT" && el.type === "checkbox") {
        el.checked = Boolean(value);
      } else {
        el.querySelectorAll("button[data-value]").forEach(function (button) {
          button.setAttribute("aria-pressed", String(button.getAttribute("data-value") === String(value)));
        });
      }
    });
  }

  function setParam(name, value) {
    state[name] = value;
    applyVisibility(name);
    syncControls(name);
    var runs = [];
    Object.keys(views).forEach(function (id) {
      if (charts[id].params.indexOf(name) >= 0) {
        runs.push(views[id].signal(name, value).runAsync());
      }
    });
    document.body.setAttribute("data-busy", "true");
    return Promise.all(runs).then(function () {
      document.body.removeAttribute("data-busy");
    });
  }

  document.querySelectorAll("[data-control]").forEach(function (el) {
    var name = el.getAttribute("data-control");
    if (el.tagName === "SELECT") {
      el.addEventListener("change", function () { setParam(name, el.value); });
    } else if (el.tagName === "INPUT" && el.type === "checkbox") {
      el.addEventListener("change", function () { setParam(name, el.checked); });
    } else {
      el.querySelectorAll("button[data-value]").forEach(function (button) {
        button.addEventListener("click", function () {
          setParam(name, button.getAttribute("data-value"));
        });
      });
    }
  });

  // Rows that pick a value (e.g. a campaign in the overview table).
  document.querySelectorAll("tr[data-set-param]").forEach(function (row) {
    row.addEventListener("click", function () {
      setParam(row.getAttribute("data-set-param"), row.getAttribute("data-set-value"));
    });
  });

  // Drill-down rows (traffic by source): a parent row opens its detail rows.
  document.querySelectorAll("tr.drill-parent").forEach(function (row) {
    row.addEventListener("click", function () {
      var open = !row.classList.contains("open");
      row.classList.toggle("open", open);
      document.querySelectorAll('tr.drill[data-drill="' + row.getAttribute("data-drill") + '"]')
        .forEach(function (child) { child.hidden = !open; });
    });
  });

  Object.keys(state).forEach(function (name) {
    applyVisibility(name);
    syncControls(name);
  });

  var embeds = Object.keys(charts).map(function (id) {
    var target = document.getElementById(id);
    return vegaEmbed(target, charts[id].spec, {
      renderer: "svg",
      actions: false,
      expressionFunctions: { gtmFormat: gtmFormat }
    })
      .then(function (result) { views[id] = result.view; });
  });

  Promise.all(embeds)
    .then(function () { document.body.setAttribute("data-ready", "true"); })
    .catch(function (error) {
      document.body.setAttribute("data-ready", "error");
      document.body.setAttribute("data-error", String(error));
      console.error(error);
    });

  window.gtmDashboard = { state: state, views: views, setParam: setParam, format: gtmFormat };
})();
