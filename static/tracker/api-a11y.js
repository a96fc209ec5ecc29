// Browsable API (templates/rest_framework/api.html): what DRF's base.html sets outside its blocks.
(function () {
  "use strict";
  document.documentElement.lang = document.documentElement.lang || "en";
  // base.html has two role="main" elements, one inside the other: keep the outer one.
  var inner = document.querySelector("#content .content-main[role=main]");
  if (inner) {
    inner.removeAttribute("role");
  }
  var toggles = document.querySelectorAll(".dropdown-toggle");
  for (var i = 0; i < toggles.length; i += 1) {
    if (!toggles[i].textContent.trim() && !toggles[i].getAttribute("aria-label")) {
      toggles[i].setAttribute("aria-label", toggles[i].getAttribute("title") || "More formats");
    }
  }
  // The horizontal forms' labels carry no "for": tie each to the field in its form group.
  var groups = document.querySelectorAll(".form-group");
  for (var g = 0; g < groups.length; g += 1) {
    var label = groups[g].querySelector("label:not([for])");
    var field = groups[g].querySelector("input:not([type=hidden]), select, textarea");
    if (label && field && !field.closest("label")) {
      if (!field.id) {
        field.id = "field-" + g + "-" + (field.name || "value");
      }
      label.setAttribute("for", field.id);
    }
  }
})();
