// The builder's editors, enhanced: rows are added, removed and moved in the page (and dragged
// by their handle), a scale preset fills the points at once, the condition editor offers only
// what fits the chosen question, and "save" stores without a reload. Progressive enhancement
// only: every button also works without this file (it submits the whole form and the server
// draws the page again with what was typed, see consult/authoring/views/rows.py).
// Loaded on builder pages only (templates/admin/builder/_assets.html); ES5 like consult.js.
"use strict";
(function () {
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  function rowsOf(form, prefix) {
    return form.querySelector('tbody[data-rows="' + prefix + '"]');
  }

  // The next free n for a row's names (c3-code → 3): above every n in use.
  function nextNumber(body, prefix) {
    var high = -1;
    each(body.querySelectorAll("[name]"), function (el) {
      var match = new RegExp("^" + prefix + "(\\d+)-").exec(el.name);
      if (match) { high = Math.max(high, parseInt(match[1], 10)); }
    });
    return high + 1;
  }

  // Rows say their place (a point's number, "Move choice 2 up" to screen readers): again
  // after every move, so the words follow the row.
  function renumber(body) {
    each(body.querySelectorAll("tr[data-row]"), function (row, at) {
      var was = row.getAttribute("data-position"), now = String(at + 1);
      var number = row.querySelector(".point-number");
      if (number) { number.textContent = now; }
      if (was === now) { return; }
      var pattern = new RegExp("(^|\\D)" + was + "(?!\\d)");
      each(row.querySelectorAll("[aria-label]"), function (el) {
        el.setAttribute("aria-label", el.getAttribute("aria-label").replace(pattern, "$1" + now));
      });
      row.setAttribute("data-position", now);
    });
  }

  function addRow(form, prefix) {
    var template = form.querySelector('template[data-row-template="' + prefix + '"]');
    var body = rowsOf(form, prefix);
    if (!template || !body) { return null; }
    var n = String(nextNumber(body, prefix));
    var position = String(body.querySelectorAll("tr[data-row]").length + 1);
    var html = template.innerHTML.replace(/__n__/g, n).replace(/__p__/g, position);
    var holder = document.createElement("tbody");
    holder.innerHTML = html;
    var row = holder.querySelector("tr");
    body.appendChild(row);
    enhanceRow(form, row);
    renumber(body);
    return row;
  }

  function focusFirst(row) {
    var input = row && row.querySelector("input:not([type=hidden]), select, textarea");
    if (input) { input.focus(); }
  }

  function rowButton(form, button) {
    var parts = button.getAttribute("data-action").split(":");
    var verb = parts[0], prefix = parts[1];
    if (verb === "add") { focusFirst(addRow(form, prefix)); return true; }
    if (verb === "preset") { return usePreset(form); }
    if (verb === "copy") { return false; }  // the server copies
    var row = button.closest("tr");
    var body = row && row.parentNode;
    if (!row) { return false; }
    if (verb === "remove") {
      var next = row.nextElementSibling || row.previousElementSibling;
      body.removeChild(row);
      renumber(body);
      if (next) { focusFirst(next); } else { form.querySelector('[data-action="add:' + prefix + '"]').focus(); }
    } else if (verb === "up" && row.previousElementSibling) {
      body.insertBefore(row, row.previousElementSibling);
      button.focus();
    } else if (verb === "down" && row.nextElementSibling) {
      body.insertBefore(row.nextElementSibling, row);
      button.focus();
    }
    renumber(body);
    return true;
  }

  // The preset's points, in every language the table has a column for; a row keeps the code
  // it had at its position (a relabelled point of an answered scale keeps its number).
  function usePreset(form) {
    var select = form.querySelector("select[name=preset]");
    var body = rowsOf(form, "c");
    var presets;
    try { presets = JSON.parse(select.getAttribute("data-presets")); } catch (e) { return false; }
    var points = presets[select.value];
    if (!points || !body) { return false; }
    var was = [];
    each(body.querySelectorAll("tr[data-row]"), function (row) {
      var kept = row.querySelector('input[name$="-was"]');
      was.push(kept ? kept.value : "");
      body.removeChild(row);
    });
    points.forEach(function (labels, at) {
      var row = addRow(form, "c");
      var kept = row.querySelector('input[name$="-was"]');
      if (kept && at < was.length) { kept.value = was[at]; }
      each(row.querySelectorAll("input[lang]"), function (input) {
        input.value = labels[input.getAttribute("lang")] || "";
      });
    });
    return true;
  }

  // ---- dragging rows by their handle
  var dragged = null;

  function enhanceRow(form, row) {
    var handle = row.querySelector(".handle");
    if (!handle) { return; }
    handle.addEventListener("mousedown", function () { row.draggable = true; });
    row.addEventListener("dragstart", function (event) {
      dragged = row;
      row.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      try { event.dataTransfer.setData("text/plain", ""); } catch (e) { /* old browsers */ }
    });
    row.addEventListener("dragend", function () {
      row.draggable = false;
      row.classList.remove("dragging");
      each(form.querySelectorAll(".drop-before"), function (el) { el.classList.remove("drop-before"); });
      dragged = null;
    });
    row.addEventListener("dragover", function (event) {
      if (!dragged || dragged === row || dragged.parentNode !== row.parentNode) { return; }
      event.preventDefault();
      row.classList.add("drop-before");
    });
    row.addEventListener("dragleave", function () { row.classList.remove("drop-before"); });
    row.addEventListener("drop", function (event) {
      if (!dragged || dragged.parentNode !== row.parentNode) { return; }
      event.preventDefault();
      row.classList.remove("drop-before");
      row.parentNode.insertBefore(dragged, row);
      renumber(row.parentNode);
    });
    if (row.querySelector("[data-condition-question]")) { conditionRow(row); }
  }

  // ---- the condition editor: comparisons and answers that fit the chosen question
  function conditionRow(row) {
    var question = row.querySelector("[data-condition-question]");
    var op = row.querySelector("[data-condition-op]");
    var value = row.querySelector("[data-condition-value]");
    var text = row.querySelector("[data-condition-text]");
    function fit() {
      var chosen = question.options[question.selectedIndex];
      var allowed = (chosen && chosen.getAttribute("data-comparisons") || "").split(" ");
      each(op.options, function (option) {
        option.hidden = chosen.value !== "" && allowed.indexOf(option.value) < 0;
      });
      if (op.options[op.selectedIndex] && op.options[op.selectedIndex].hidden) {
        op.value = allowed[0] || "";
      }
      var hasOptions = false;
      each(value.querySelectorAll("optgroup"), function (group) {
        var mine = group.getAttribute("data-question") === question.value;
        group.hidden = !mine;
        hasOptions = hasOptions || mine;
      });
      var needsValue = ["answered", "not_answered"].indexOf(op.value) < 0;
      value.hidden = !(hasOptions && needsValue);
      text.hidden = hasOptions || !needsValue;
      if (value.selectedIndex > 0 && value.options[value.selectedIndex].parentNode.hidden) {
        value.selectedIndex = 0;
      }
    }
    question.addEventListener("change", fit);
    op.addEventListener("change", fit);
    fit();
  }

  // ---- saving without a reload
  function swapMain(html, url) {
    var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("main");
    var main = document.querySelector("main");
    if (!fresh || !main) { return false; }
    main.innerHTML = fresh.innerHTML;
    if (url) { window.history.replaceState(null, "", url); }
    each(main.querySelectorAll("form[data-editor]"), enhance);
    return true;
  }

  function save(form) {
    var data = new FormData(form);
    data.set("action", "save");
    var headers = {"X-Requested-With": "consult-builder"};
    var status;
    // form.action would be the inputs named "action" (the buttons): the attribute is the URL.
    return window.fetch(form.getAttribute("action"), {method: "POST", body: data, headers: headers, credentials: "same-origin"})
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!json) {  // refused: the page again with every message beside its field
          return response.text().then(function (html) {
            if (!swapMain(html, null)) { form.submit(); return; }
            var summary = document.querySelector(".error-summary");
            if (summary) { summary.focus(); }
          });
        }
        return response.json().then(function (answer) {
          return window.fetch(answer.url, {credentials: "same-origin"})
            .then(function (page) { return page.text(); })
            .then(function (html) {
              swapMain(html, answer.url);
              status = document.querySelector("[data-status]");
              if (status) { status.textContent = answer.message; status.focus(); }
            });
        });
      })
      .catch(function () { form.submit(); });  // no network: the ordinary way
  }

  function enhance(form) {
    form.setAttribute("data-enhanced", "");
    each(form.querySelectorAll("tr[data-row]"), function (row) { enhanceRow(form, row); });
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-action]");
      if (button && form.contains(button) && rowButton(form, button)) { event.preventDefault(); }
    });
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      var action = submitter ? submitter.value : "save";
      if (action !== "save" || !window.fetch || !window.FormData || !window.DOMParser) { return; }
      event.preventDefault();
      save(form);
    });
    var status = form.querySelector("[data-status]");
    if (status) { status.setAttribute("tabindex", "-1"); }
    var preset = form.querySelector("select[name=preset]");
    if (preset) { preset.addEventListener("change", function () { usePreset(form); }); }
  }

  each(document.querySelectorAll("form[data-editor]"), enhance);
}());
