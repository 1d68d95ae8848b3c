// The guardian picker and the compose page's audience choice. Without this script every part
// still works: the search button posts the form, and all audience fields stay visible.
(function () {
  "use strict";

  // A ticked search result moves to the chosen list, so a new search does not drop it.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("#picker-results input[type=checkbox]") || !box.checked) {
      return;
    }
    var picker = box.closest("[data-picker]");
    var chosen = picker && picker.querySelector("[data-picker-chosen]");
    if (!chosen) {
      return;
    }
    var already = chosen.querySelector("input[value='" + box.value + "']");
    var item = box.closest("li");
    if (already) {
      already.checked = true;
      item.remove();
    } else {
      chosen.appendChild(item);
    }
  });

  // Enter in the search box searches; it does not send the message form.
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || !input.matches || !input.form) {
      return;
    }
    // Elsewhere in a form with a picker, Enter means the form's own button, not "Search".
    var main = input.form.querySelector("[data-default-submit]");
    if (main && input.matches("input:not([data-picker-input])")) {
      event.preventDefault();
      main.click();
      return;
    }
    if (!input.matches("[data-picker-input]")) {
      return;
    }
    if (input.form && input.form.method === "post") {
      event.preventDefault();
      if (window.htmx) {
        window.htmx.trigger(input, "search");
      }
    }
  });

  // Show only the fields of the audience chosen.
  function showAudience() {
    var picked = document.querySelector("input[name=audience_kind]:checked");
    if (!picked) {
      return;
    }
    document.querySelectorAll("[data-audience]").forEach(function (part) {
      part.hidden = part.getAttribute("data-audience") !== picked.value;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.name === "audience_kind") {
      showAudience();
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showAudience);
  } else {
    showAudience();
  }
})();
