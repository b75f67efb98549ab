/* Outreach pages. Loaded with `defer`; no inline scripts anywhere (strict CSP).
   Everything here only helps: without JavaScript the same buttons submit the form and the
   server draws it again. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") {
      fn();
    } else {
      document.addEventListener("DOMContentLoaded", fn);
    }
  }

  // The activity form: Enter in a field submits with the form's first (hidden) button, step
  // "enter", which the server takes as a search whenever a picker's box holds words, since
  // without JavaScript it cannot tell where Enter was pressed. Here we can: Enter in a picker's
  // box asks for its matches (htmx) and submits nothing; Enter anywhere else saves, even while a
  // box still holds the words that found a co-organiser.
  ready(function () {
    document.querySelectorAll("[data-activity-form]").forEach(function (form) {
      var enter = form.querySelector("button[name=step][value=enter]");
      if (enter) {
        enter.value = "save";
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || !box.matches || !box.matches("[data-activity-form] [data-picker-box]")) {
      return;
    }
    event.preventDefault();
    if (window.htmx) {
      window.htmx.trigger(box, "search");
    } else {
      var find = box.parentElement ? box.parentElement.querySelector("[data-find]") : null;
      if (find) {
        find.click();
      }
    }
  });
})();
