/* GTM dashboard: render the embedded Vega-Lite specs and wire the selectors.
 *
 * State lives in named parameters (sequence, campaign, step_measure, ...). A control
 * sets one; every element with data-param="<name>" is shown only when its data-value
 * equals the new value, and every chart that declared the parameter gets it as a
 * Vega signal. All data is in the page: nothing is fetched.
 */
(function () {
  "use strict";

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
    return vegaEmbed(target, charts[id].spec, { renderer: "svg", actions: false })
      .then(function (result) { views[id] = result.view; });
  });

  Promise.all(embeds)
    .then(function () { document.body.setAttribute("data-ready", "true"); })
    .catch(function (error) {
      document.body.setAttribute("data-ready", "error");
      document.body.setAttribute("data-error", String(error));
      console.error(error);
    });

  window.gtmDashboard = { state: state, views: views, setParam: setParam };
})();
