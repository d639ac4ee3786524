// Catalogue item forms (requests_catalog.dynamic_form): show a question only while its show_if rule holds.
// Each conditional widget carries data-show-if-field (the controlling question), data-show-if-input (its
// HTML name, "<prefix>-<field>") and data-show-if-equals (JSON). Hidden questions are disabled so the browser
// does not submit them; the server applies the same rules anyway.
(function () {
  "use strict";

  function inputsNamed(form, name) {
    return Array.prototype.slice.call(form.querySelectorAll("input, select, textarea")).filter(function (el) {
      return el.name === name;
    });
  }

  function wrapperOf(el) {
    return el.closest(".field") || el;
  }

  function isHidden(el) {
    return wrapperOf(el).hidden;
  }

  // The controlling question's current values, as strings (ticked boxes, chosen options, typed text).
  function currentValues(inputs) {
    var values = [];
    inputs.forEach(function (input) {
      if (input.type === "checkbox" || input.type === "radio") {
        if (input.checked) { values.push(input.value); }
      } else if (input.tagName === "SELECT") {
        Array.prototype.forEach.call(input.selectedOptions, function (option) { values.push(option.value); });
      } else {
        values.push(input.value.trim());
      }
    });
    return values;
  }

  function ruleHolds(form, el) {
    var name = el.getAttribute("data-show-if-input") ||
      (form.getAttribute("data-catalog-form") || "q") + "-" + el.getAttribute("data-show-if-field");
    var inputs = inputsNamed(form, name);
    var equals;
    try {
      equals = JSON.parse(el.getAttribute("data-show-if-equals"));
    } catch (error) {
      return false;
    }
    // A question hidden itself hides the questions that depend on it, as on the server.
    if (!inputs.length || isHidden(inputs[0])) { return false; }
    if (typeof equals === "boolean") {
      return inputs.some(function (input) { return input.type === "checkbox" && input.checked; }) === equals;
    }
    return currentValues(inputs).some(function (value) {
      if (typeof equals === "number") { return value !== "" && Number(value) === equals; }
      return value === String(equals);
    });
  }

  function setShown(wrapper, shown) {
    wrapper.hidden = !shown;
    // .field is display:flex, which would override the hidden attribute.
    wrapper.style.display = shown ? "" : "none";
    wrapper.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (!shown && !input.disabled) {
        input.disabled = true;
        input.setAttribute("data-catalog-disabled", "");
      } else if (shown && input.hasAttribute("data-catalog-disabled")) {
        input.disabled = false;
        input.removeAttribute("data-catalog-disabled");
      }
    });
  }

  // Document order: a controlling question always comes first, so its state is settled before its dependants.
  function refresh(form) {
    var seen = [];
    form.querySelectorAll("[data-show-if-field]").forEach(function (el) {
      var wrapper = wrapperOf(el);
      if (seen.indexOf(wrapper) !== -1) { return; }
      seen.push(wrapper);
      setShown(wrapper, ruleHolds(form, el));
    });
  }

  function refreshAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches("form[data-catalog-form]")) { refresh(scope); }
    scope.querySelectorAll("form[data-catalog-form]").forEach(refresh);
  }

  function onChange(event) {
    var form = event.target.closest && event.target.closest("form[data-catalog-form]");
    if (form) { refresh(form); }
  }

  document.addEventListener("input", onChange);
  document.addEventListener("change", onChange);
  // Forms swapped in by htmx get the same treatment.
  document.addEventListener("htmx:load", function (event) { refreshAll(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { refreshAll(document); });
  } else {
    refreshAll(document);
  }
})();
