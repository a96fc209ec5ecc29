// Accessible names the admin's widgets leave out (axe-core, tests/test_accessibility.py): select2's
// comboboxes and search boxes get their field's label; the cells of tabular inlines (status updates,
// links) get their column's heading; empty inline headings get hidden text. Run at load and whenever
// select2 redraws (a MutationObserver), as select2 rebuilds its markup on every change.
(function () {
  "use strict";

  function labelText(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label && label.textContent.trim()) {
      return label.textContent.replace(/:\s*$/, "").trim();
    }
    var filter = select.closest("details, .autocomplete-filter, div");
    var heading = filter && filter.querySelector("summary, h3");
    return heading ? heading.textContent.trim() : select.name;
  }

  function nameSelect2() {
    var selects = document.querySelectorAll("select.admin-autocomplete");
    for (var i = 0; i < selects.length; i += 1) {
      var select = selects[i];
      var name = labelText(select);
      var container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) {
        continue;
      }
      var combo = container.querySelector('[role="combobox"]');
      if (combo && combo.getAttribute("aria-label") !== name) {
        combo.setAttribute("aria-label", name);
        combo.removeAttribute("aria-labelledby");
      }
      var rendered0 = container.querySelector('.select2-selection__rendered[role="textbox"]');
      if (rendered0 && rendered0.getAttribute("aria-label") !== name) {
        rendered0.setAttribute("aria-label", name);
      }
      var search = container.querySelector(".select2-search__field");
      if (search && search.getAttribute("aria-label") !== name) {
        search.setAttribute("aria-label", name + ": type to search");
      }
      // select2 puts its "clear" cross straight into the <ul> of chosen values: only <li> belongs there.
      var rendered = container.querySelector("ul.select2-selection__rendered");
      var clear = rendered && rendered.querySelector(":scope > .select2-selection__clear");
      if (clear) {
        rendered.parentNode.insertBefore(clear, rendered);
      }
    }
  }

  function nameInlineCells() {
    var tables = document.querySelectorAll(".inline-group .tabular table");
    for (var t = 0; t < tables.length; t += 1) {
      var headings = tables[t].querySelectorAll("thead th");
      for (var h = 0; h < headings.length; h += 1) {
        var th = headings[h];
        if (!th.textContent.trim()) {
          var hidden = document.createElement("span");
          hidden.className = "visually-hidden";
          hidden.textContent = th.classList.contains("original") ? "Recorded" : "Delete?";
          th.appendChild(hidden);
        }
      }
      var rows = tables[t].querySelectorAll("tbody tr");
      for (var r = 0; r < rows.length; r += 1) {
        var cells = rows[r].children;
        for (var c = 0; c < cells.length; c += 1) {
          var heading = headings[c] ? headings[c].textContent.trim() : "";
          var fields = cells[c].querySelectorAll("input:not([type=hidden]), select, textarea");
          for (var f = 0; f < fields.length; f += 1) {
            if (heading && !fields[f].getAttribute("aria-label") && !document.querySelector('label[for="' + fields[f].id + '"]')) {
              fields[f].setAttribute("aria-label", heading + ", row " + (r + 1));
            }
          }
        }
      }
    }
  }

  function run() {
    nameSelect2();
    nameInlineCells();
  }

  document.addEventListener("DOMContentLoaded", function () {
    run();
    var pending = false;
    new MutationObserver(function () {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          run();
        });
      }
    }).observe(document.body, {childList: true, subtree: true});
  });
  // select2 is set up by Django's autocomplete.js on load too: name its widgets once it has drawn them.
  window.addEventListener("load", run);
})();
