/* danvan's own behaviour. Loaded with `defer`; no inline scripts anywhere (strict CSP). */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") {
      fn();
    } else {
      document.addEventListener("DOMContentLoaded", fn);
    }
  }

  // GOV.UK pattern: move focus to the error summary so screen readers announce it.
  ready(function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  });

  // The secret of a new token: select it all on focus so it can be copied in one go.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) {
      event.target.select();
    }
  });

  // The unit tree: the first click on a toggle loads the children with htmx (hx-trigger
  // "click once"); later clicks only show or hide what was loaded.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest ? event.target.closest(".tree-toggle") : null;
    if (!toggle || toggle.dataset.loaded !== "1") {
      return;
    }
    var target = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!target) {
      return;
    }
    var open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", open ? "false" : "true");
    target.hidden = open;
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var trigger = event.detail && event.detail.requestConfig ? event.detail.requestConfig.elt : null;
    if (trigger && trigger.classList && trigger.classList.contains("tree-toggle")) {
      trigger.dataset.loaded = "1";
      trigger.setAttribute("aria-expanded", "true");
      var target = document.getElementById(trigger.getAttribute("aria-controls"));
      if (target) {
        target.hidden = false;
      }
    }
  });
})();
