// The review workbench: selections on the source text become exact offsets for tracker.services.
// Served from /static/ (the site's CSP allows scripts from 'self' only); no inline handlers.
(function () {
  "use strict";
  var bench = document.getElementById("workbench");
  var source = document.getElementById("source-text");
  if (!bench || !source) return;
  var status = document.getElementById("workbench-status");
  var csrf = bench.querySelector("input[name=csrfmiddlewaretoken]").value;

  // Offsets are Python string indices (code points); the DOM counts UTF-16 units.
  function codePoints(text) {
    return Array.from(text).length;
  }

  function offsetOf(node, offset) {
    if (node !== source && !source.contains(node)) return null;
    // The text from the start of the source to the boundary: text nodes only, so labels drawn by
    // CSS are not counted, and the count is the offset into the document's text.
    var range = document.createRange();
    range.setStart(source, 0);
    range.setEnd(node, offset);
    return codePoints(range.toString());
  }

  function selectionSpan() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0) return null;
    var range = selection.getRangeAt(0);
    var start = offsetOf(range.startContainer, range.startOffset);
    var end = offsetOf(range.endContainer, range.endOffset);
    if (start === null || end === null) return null;
    return { start: Math.min(start, end), end: Math.max(start, end) };
  }

  function say(message) {
    if (status) status.textContent = message;
  }

  function post(url, body) {
    say("Saving…");
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          var errors = data.errors || {};
          var text = Object.keys(errors).map(function (key) { return errors[key].join(" "); }).join(" ");
          say(text || "The change was refused.");
          throw new Error(text);
        }
        say("Saved.");
        if (data.url) window.location.assign(data.url);
        return data;
      });
    });
  }

  function createItem() {
    var span = selectionSpan();
    if (!span || span.start === span.end) return say("Select the text of the new item first.");
    post(bench.dataset.createUrl, span).catch(function () {});
  }

  function checkedCitation() {
    return bench.querySelector("input[name=citation]:checked");
  }

  function moveCitation() {
    var span = selectionSpan();
    var citation = checkedCitation();
    if (!citation) return say("This item has no citation here to move.");
    if (!span || span.start === span.end) return say("Select the new span of the citation first.");
    post(citation.dataset.moveUrl, span).catch(function () {});
  }

  function splitItem() {
    var span = selectionSpan();
    if (!span || !bench.dataset.splitUrl) return say("Put the cursor inside the item's citation where it should be split.");
    post(bench.dataset.splitUrl, { at: span.start }).catch(function () {});
  }

  function review(state) {
    if (!bench.dataset.reviewUrl) return;
    post(bench.dataset.reviewUrl, { state: state }).catch(function () {});
  }

  function step(delta) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("#item-list li"));
    var index = rows.findIndex(function (row) { return row.dataset.item === bench.dataset.selected; });
    var next = rows[index + delta];
    if (next) window.location.assign("?item=" + next.dataset.item);
  }

  function on(id, handler) {
    var element = document.getElementById(id);
    if (element) element.addEventListener("click", handler);
  }

  on("create-item", createItem);
  on("move-citation", moveCitation);
  on("split-item", splitItem);
  on("accept-item", function () { review("confirmed"); });
  on("reject-item", function () { review("rejected"); });

  // Clicking highlighted text selects the item it belongs to (unless text is being selected).
  source.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[data-items]");
    var selection = window.getSelection();
    if (!mark || (selection && !selection.isCollapsed)) return;
    var ids = mark.dataset.items.split(" ");
    var current = ids.indexOf(bench.dataset.selected);
    var id = ids[(current + 1) % ids.length];
    if (id !== bench.dataset.selected) window.location.assign("?item=" + id);
  });

  var merge = document.getElementById("merge-form");
  if (merge) {
    merge.addEventListener("submit", function (event) {
      event.preventDefault();
      post(bench.dataset.mergeUrl, { other: parseInt(document.getElementById("merge-other").value, 10) }).catch(function () {});
    });
  }

  // Actors and themes: chips with a remove button, and an input whose datalist is filled as one types.
  var relations = document.getElementById("relations-form");
  if (relations) {
    relations.addEventListener("click", function (event) {
      if (event.target.classList.contains("chip__remove")) event.target.closest(".chip").remove();
    });
    Array.prototype.forEach.call(relations.querySelectorAll(".chips__input"), function (input) {
      var chips = relations.querySelector(".chips[data-field=" + input.dataset.for + "]");
      var list = document.getElementById(input.getAttribute("list"));
      var url = bench.dataset.autocompleteUrl.replace("KIND", chips.dataset.kind);
      var known = {};
      input.addEventListener("input", function () {
        var value = input.value.trim();
        if (known[value]) {
          addChip(chips, known[value], value);
          input.value = "";
          return;
        }
        fetch(url + "?q=" + encodeURIComponent(value), { credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (data) {
            list.textContent = "";
            (data.results || []).forEach(function (row) {
              var option = document.createElement("option");
              option.value = row.name;
              option.textContent = row.slug;
              known[row.name] = row.slug;
              list.appendChild(option);
            });
          });
      });
    });
    relations.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = {};
      Array.prototype.forEach.call(relations.querySelectorAll(".chips"), function (chips) {
        body[chips.dataset.field] = Array.prototype.map.call(chips.querySelectorAll(".chip"), function (chip) {
          return chip.dataset.slug;
        });
      });
      post(bench.dataset.relationsUrl, body).catch(function () {});
    });
  }

  function addChip(chips, slug, name) {
    if (chips.querySelector('.chip[data-slug="' + slug + '"]')) return;
    var chip = document.createElement("span");
    chip.className = "chip";
    chip.dataset.slug = slug;
    chip.textContent = name + " ";
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "chip__remove";
    remove.setAttribute("aria-label", "Remove " + name);
    remove.textContent = "×";
    chip.appendChild(remove);
    chips.appendChild(chip);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
    var actions = {
      c: createItem,
      m: moveCitation,
      s: splitItem,
      a: function () { review("confirmed"); },
      r: function () { review("rejected"); },
      j: function () { step(1); },
      k: function () { step(-1); },
      n: function () { document.getElementById("next-needing-review").click(); },
    };
    var action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });
})();
