// Progressive enhancement for the item filter form: leave empty fields out of the URL, so a shared
// link carries only the filters in use. Without JavaScript the form works the same, with a longer URL.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) {
    return;
  }
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
