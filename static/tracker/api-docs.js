/* /api/docs/: a Swagger UI plugin (its documented wrapComponents seam) for what axe-core finds in
   Swagger UI's own markup. Swagger UI gives the page an <h1> (the API's title) and <main id="operations">,
   but leaves the rest outside any landmark and jumps from the h1 to the tags' <h3>. So:
   - the API's description, the Authorize button and the schemas each in a named region;
   - a (visually hidden) "Operations" <h2> at the top of <main>, so the headings go 1, 2, 3.
   Named in SPECTACULAR_SETTINGS["SWAGGER_UI_SETTINGS"] (config/settings.py); loaded before the init script. */
"use strict";

window.TrackerApiDocsPlugin = function trackerApiDocsPlugin(system) {
  const h = system.React.createElement;
  const inRegion = (label) => (Original) => (props) =>
    h("section", { "aria-label": label, className: "tracker-region" }, h(Original, props));
  return {
    wrapComponents: {
      InfoContainer: inRegion("About this API"),
      AuthorizeBtnContainer: inRegion("Authorization"),
      Models: inRegion("Schemas"),
      operations: (Original) => (props) =>
        h(system.React.Fragment, null, h("h2", { className: "visually-hidden" }, "Operations"), h(Original, props)),
    },
  };
};

/* What the markup gets wrong in parts that open later, named after they render:
   - a parameter's input (a multiple select for a list of choices) has no label: Swagger UI writes the
     parameter's name in another cell of its row;
   - the Authorize dialog: a close button with only an icon, headings from <h3> straight after the page's <h1>, and
     "Authorize" buttons whose aria-label ("Apply credentials") leaves out the word they show. */
function repair(root) {
  for (const row of root.querySelectorAll("tr[data-param-name]")) {
    const name = `${row.dataset.paramName} (${row.dataset.paramIn || "parameter"})`;
    for (const input of row.querySelectorAll("select, input, textarea")) {
      if (!input.hasAttribute("aria-label") && !input.labels?.length) input.setAttribute("aria-label", name);
    }
  }
  for (const button of root.querySelectorAll(".modal-ux .close-modal:not([aria-label])")) {
    button.setAttribute("aria-label", "Close");
  }
  for (const heading of root.querySelectorAll(".modal-ux :is(h3, h4, h5, h6):not([aria-level])")) {
    heading.setAttribute("aria-level", String(Number(heading.tagName[1]) - 1));  // the dialog's h3 is a 2
  }
  for (const button of root.querySelectorAll(".modal-ux .auth-btn-wrapper button[aria-label]")) {
    if (!button.getAttribute("aria-label").includes(button.textContent.trim())) button.removeAttribute("aria-label");
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  // Child-list changes only: the attributes set here do not wake the observer again.
  new MutationObserver(() => repair(root)).observe(root, { childList: true, subtree: true });
});
