// Progressive enhancement for the item filter form (loaded right after it, so it runs before the
// results are drawn). Without JavaScript the form works the same: panel open, longer URLs.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) {
    return;
  }
  // On a phone the filters start folded ("Filters (2)"), so the results are on the first screen.
  var panel = document.getElementById("filters-panel");
  if (panel && window.matchMedia && window.matchMedia("(max-width: 55.99rem)").matches) {
    panel.open = false;
  }
  // The first selected theme scrolled into the theme list's view.
  var checked = form.querySelector(".choice-list input:checked");
  if (checked) {
    var list = checked.closest(".choice-list");
    var label = checked.closest("label") || checked;
    list.scrollTop = Math.max(0, label.offsetTop - list.offsetTop - 8);
  }
  // Leave empty fields out of the URL, so a shared link carries only the filters in use.
  form.addEventListener("submit", function () {
    var fields = form.querySelectorAll("input, select");
    for (var i = 0; i < fields.length; i += 1) {
      var field = fields[i];
      if (field.name && field.value === "" && field.type !== "checkbox") {
        field.disabled = true;
      }
    }
    // Re-enable after the browser has read the form, so Back shows the form as it was.
    window.setTimeout(function () {
      for (var j = 0; j < fields.length; j += 1) {
        fields[j].disabled = false;
      }
    }, 0);
  });
})();
