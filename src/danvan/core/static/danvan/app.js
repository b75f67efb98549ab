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

  // --- Petitions -------------------------------------------------------------------------------

  // Print buttons (receipt, worklist).
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  // Intake: the field select offers only the fields the chosen kind's report forms list.
  // (The server checks again; without JavaScript every field is offered.)
  function filterFields(row) {
    var kindSelect = row.querySelector("[data-kind-select]");
    var fieldSelect = row.querySelector("[data-field-select]");
    if (!kindSelect || !fieldSelect) {
      return;
    }
    var kind = kindSelect.value;
    Array.prototype.forEach.call(fieldSelect.options, function (option) {
      var kinds = option.getAttribute("data-kinds");
      var offered = !kind || !kinds || kinds.split(" ").indexOf(kind) !== -1;
      option.hidden = !offered;
      option.disabled = !offered;
    });
    if (fieldSelect.selectedOptions.length && fieldSelect.selectedOptions[0].disabled) {
      fieldSelect.value = "";
    }
  }

  ready(function () {
    document.querySelectorAll("[data-part-row]").forEach(filterFields);
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-kind-select]")) {
      var row = target.closest("[data-part-row]");
      if (row) {
        filterFields(row);
      }
    }
    // The duplicate preview: ask again when the content or a petitioner's identity changes.
    if (target.matches && target.matches("[data-dup-source]") && window.htmx) {
      var preview = document.querySelector("[data-dup-preview]");
      if (preview) {
        window.htmx.trigger(preview, "dup-check");
      }
    }
  });

  // Intake: "add a row" buttons work without JavaScript (the server draws one more row);
  // with it, the empty row is copied from its <template> and focus moves into it.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-add-row]") : null;
    if (!button) {
      return;
    }
    var prefix = button.getAttribute("data-add-row");
    var template = document.getElementById(prefix + "-empty");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var rows = document.querySelector('[data-rows="' + prefix + '"]');
    if (!template || !total || !rows) {
      return;
    }
    event.preventDefault();
    var count = parseInt(total.value, 10) || 0;
    var limit = max ? parseInt(max.value, 10) : 1000;
    if (count >= limit) {
      button.disabled = true;
      return;
    }
    var html = template.innerHTML.replace(/__prefix__/g, String(count)).replace(/__number__/g, String(count + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(count + 1);
    if (row.matches("[data-part-row]")) {
      filterFields(row);
    }
    var first = row.querySelector("input, select, textarea");
    if (first) {
      first.focus();
    }
    if (count + 1 >= limit) {
      button.disabled = true;
    }
  });
})();
