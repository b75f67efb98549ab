/* Citizen reception pages. Loaded with `defer`; no inline scripts anywhere (strict CSP).
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

  function words(value) {
    return (value || "").split(" ").filter(Boolean);
  }

  // The visit form: show the target fields only for "guided", "transferred" or "urged", the
  // refusal fields only for "refused" (a section with an error stays shown). An outcome that
  // makes no petition unticks "make petitions"; choosing another outcome ticks it again.
  function chosenOutcome(form) {
    var checked = form.querySelector("[data-outcome-choice]:checked");
    return checked ? checked.value : "";
  }

  function applyOutcome(form, changed) {
    var outcome = chosenOutcome(form);
    form.querySelectorAll("[data-outcome-show]").forEach(function (section) {
      var shown = words(section.getAttribute("data-outcome-show")).indexOf(outcome) !== -1;
      section.hidden = !shown && !section.querySelector(".is-invalid");
    });
    if (!changed) {
      return;
    }
    var choices = form.querySelector("[data-outcome-choices]");
    var box = form.querySelector("#id_make_petitions");
    if (!choices || !box) {
      return;
    }
    var none = words(choices.getAttribute("data-no-petition")).indexOf(outcome) !== -1;
    if (none && box.checked) {
      box.checked = false;
      box.dataset.autoUnchecked = "1";
    } else if (!none && box.dataset.autoUnchecked === "1") {
      box.checked = true;
      delete box.dataset.autoUnchecked;
    }
  }

  ready(function () {
    var form = document.querySelector("[data-visit-form]");
    if (form) {
      applyOutcome(form, false);
    }
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-outcome-choice]")) {
      applyOutcome(target.form, true);
    }
    if (target.id === "id_make_petitions") {
      delete target.dataset.autoUnchecked;
    }
  });

  // "Same matter": link the visit to an earlier visit or petition of the person looked up.
  function setRepeat(kind, id, label) {
    var visit = document.getElementById("id_repeat_of_visit");
    var petition = document.getElementById("id_repeat_of_petition");
    var status = document.querySelector("[data-repeat-status]");
    if (!visit || !petition || !status) {
      return false;
    }
    visit.value = kind === "visit" ? id : "";
    petition.value = kind === "petition" ? id : "";
    var text = status.querySelector("[data-repeat-text]");
    var template = status.querySelector("[data-repeat-template]");
    if (kind && text && template) {
      text.textContent = template.innerHTML.trim().replace("__what__", label);
    }
    status.hidden = !kind;
    document.querySelectorAll("[data-same-matter]").forEach(function (button) {
      var pressed = button.getAttribute("data-same-matter") === kind && button.getAttribute("data-id") === id;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
      button.classList.toggle("active", pressed);
    });
    return true;
  }

  function looksLikeId(value) {
    var cleaned = (value || "").replace(/[\s.\-]/g, "").toUpperCase();
    return /^(\d{9}|\d{12}|[A-Z]\d{7,8})$/.test(cleaned) ? cleaned : "";
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-same-matter]") : null;
    if (button) {
      if (!setRepeat(button.getAttribute("data-same-matter"), button.getAttribute("data-id"), button.getAttribute("data-label"))) {
        return;
      }
      event.preventDefault();
      // The person looked up by ID number is the first person received.
      var lookup = document.querySelector("[data-lookup-input]");
      var firstId = document.getElementById("id_visitors-0-id_number");
      var number = lookup ? looksLikeId(lookup.value) : "";
      if (number && firstId && !firstId.value) {
        firstId.value = number;
      }
      var firstName = document.getElementById("id_visitors-0-name");
      if (firstName) {
        firstName.focus();
      }
      return;
    }
    var unlink = event.target.closest ? event.target.closest("[data-unlink]") : null;
    if (unlink && setRepeat("", "", "")) {
      event.preventDefault();
    }
  });
})();
