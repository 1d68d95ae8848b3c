// A filter box above each long list of languages (<select data-language-filter="label">).
// Without JavaScript the list still works: typing a name's first letters jumps to it.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function enhance(select) {
    if (select.dataset.filterReady) return;
    select.dataset.filterReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "language-filter";
    box.setAttribute("aria-label", select.dataset.languageFilter);
    box.setAttribute("aria-controls", select.id);
    box.placeholder = select.dataset.languageFilter;
    select.parentNode.insertBefore(box, select);
    var options = Array.prototype.slice.call(select.options);
    box.addEventListener("input", function () {
      var wanted = fold(box.value.trim());
      options.forEach(function (option) {
        var shown = !wanted || option.selected || fold(option.text + " " + option.value).indexOf(wanted) !== -1;
        option.hidden = !shown;
      });
    });
  }
  function run() {
    document.querySelectorAll("select[data-language-filter]").forEach(enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
  document.addEventListener("htmx:afterSwap", run);
})();
