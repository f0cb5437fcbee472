// Progressive enhancement only: every page works without this file. Old phones run it, so it
// sticks to ES5 and the DOM that every browser of the last ten years has.
"use strict";
(function () {
  var DRAFT = "consult-draft:";
  var store = null;
  try { store = window.sessionStorage; } catch (e) { /* storage disabled: no local draft */ }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name.indexOf("q_") === 0 && el.type !== "hidden";
    });
  }

  function filled(el) {
    return (el.type === "radio" || el.type === "checkbox") ? el.checked : el.value !== "";
  }

  // The answers typed so far, as [name, value] pairs.
  function answers(form) {
    return fields(form).filter(filled).map(function (el) { return [el.name, el.value]; });
  }

  function restore(form, pairs) {
    var els = fields(form);
    pairs.forEach(function (pair) {
      els.forEach(function (el) {
        if (el.name !== pair[0]) { return; }
        if (el.type === "radio" || el.type === "checkbox") {
          if (el.value === pair[1]) { el.checked = true; }
        } else { el.value = pair[1]; }
      });
    });
  }

  // "Answered: 3 of 24" (a survey on one page; a paged one says "page 2 of 5" itself): one
  // count per question block, drawn as a bar that fills from the
  // start edge (right in Urdu, because the bar's size is logical: inline-size).
  function progress(form) {
    var label = form.getAttribute("data-progress");
    var blocks = Array.prototype.filter.call(form.querySelectorAll(".q"), function (q) {
      return fields({ elements: q.querySelectorAll("input, select, textarea") }).length > 0;
    });
    if (!label || !blocks.length) { return function () {}; }
    var box = document.createElement("div");
    box.className = "progress";
    var text = document.createElement("span");
    var track = document.createElement("div");
    track.className = "progress-track";
    track.setAttribute("aria-hidden", "true");
    var fill = document.createElement("div");
    fill.className = "progress-fill";
    track.appendChild(fill);
    box.appendChild(text);
    box.appendChild(track);
    form.parentNode.insertBefore(box, form);
    return function () {
      // Questions that do not apply (hidden by rules.js) are not counted.
      var shown = blocks.filter(function (q) { return !q.hidden; });
      var done = shown.filter(function (q) {
        return fields({ elements: q.querySelectorAll("input, select, textarea") }).some(filled);
      }).length;
      text.textContent = label.replace("{answered}", done).replace("{total}", shown.length);
      fill.style.inlineSize = (shown.length ? 100 * done / shown.length : 0) + "%";
    };
  }

  // A ranking: up/down buttons beside each item's select write the same selects (the server
  // sees what it sees without this file). Items are kept in rank order, a move is announced,
  // and choosing a rank another item holds swaps the two.
  function enhanceRanking(box) {
    var texts = JSON.parse(box.getAttribute("data-rank-texts"));
    var list = box.querySelector(".rank-items");
    var free = box.querySelector(".rank-free");
    var status = document.createElement("p");  // read out by screen readers after each move
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    box.appendChild(status);
    var rows = Array.prototype.slice.call(list.children);
    var count = rows.length;
    function select(row) { return row.querySelector("select"); }
    function rank(row) { return parseInt(select(row).value, 10) || 0; }
    function name(row) { return row.querySelector("label").textContent; }
    function fill(text, values) {
      return text.replace(/%\((\w+)\)s/g, function (m, key) { return values[key]; });
    }
    function holder(value, except) {
      return rows.filter(function (row) { return row !== except && rank(row) === value; })[0];
    }
    // Ranked items first, by rank; then the others as the survey lists them.
    function order() {
      rows.slice().sort(function (a, b) {
        return (rank(a) || count + 1 + rows.indexOf(a)) - (rank(b) || count + 1 + rows.indexOf(b));
      }).forEach(function (row) { list.appendChild(row); });
    }
    function redraw() {
      var left = [];
      for (var value = 1; value <= count; value++) { if (!holder(value)) { left.push(value); } }
      rows.forEach(function (row) {
        Array.prototype.forEach.call(select(row).options, function (option) {
          var other = option.value && holder(parseInt(option.value, 10), row);
          option.textContent = option.value ? option.value + (other ? " – " + name(other) : "") : "–";
        });
        var up = row.querySelector(".rank-up"), down = row.querySelector(".rank-down");
        up.setAttribute("aria-disabled", rank(row) === 1 ? "true" : "false");
        down.setAttribute("aria-disabled", rank(row) === count ? "true" : "false");
      });
      free.textContent = left.length === count ? "" : left.length ?
        fill(texts.free, { ranks: left.join(texts.separator) }) : texts.done;
    }
    function announce(row) {
      status.textContent = fill(texts.moved, { item: name(row), rank: rank(row), count: count });
    }
    // Moving means ranking: unranked items take the free ranks in the order shown.
    function rankAll() {
      var left = [];
      for (var value = 1; value <= count; value++) { if (!holder(value)) { left.push(value); } }
      Array.prototype.forEach.call(list.children, function (row) {
        if (!rank(row)) { select(row).value = String(left.shift()); }
      });
    }
    function move(row, step, button) {
      rankAll();
      var target = rank(row) + step;
      var other = holder(target, row);
      if (target < 1 || target > count || !other) { redraw(); announce(row); return; }
      select(other).value = String(rank(row));
      select(row).value = String(target);
      order();
      redraw();
      button.focus();  // moving the row in the page took focus away
      announce(row);
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }
    rows.forEach(function (row) {
      var moves = document.createElement("span");
      moves.className = "rank-moves";
      row.appendChild(moves);
      [["rank-up", -1, "\u25B2", texts.up], ["rank-down", 1, "\u25BC", texts.down]].forEach(function (kind) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "rank-move " + kind[0];
        button.textContent = kind[2];
        button.setAttribute("aria-label", fill(kind[3], { item: name(row) }));
        button.addEventListener("click", function () { move(row, kind[1], button); });
        moves.appendChild(button);
      });
      var previous = select(row).value;
      select(row).addEventListener("focus", function () { previous = select(row).value; });
      select(row).addEventListener("change", function () {
        var other = select(row).value && holder(rank(row), row);
        if (other) { select(other).value = previous; }  // the two swap ranks
        previous = select(row).value;
        order();
        redraw();
        select(row).focus();
        if (rank(row)) { announce(row); }
      });
    });
    box.classList.add("enhanced");
    order();
    redraw();
  }

  function enhanceSurvey(form) {
    var key = DRAFT + window.location.pathname;
    var update = progress(form);
    // A draft kept in this tab only (sessionStorage): it survives a reload, a language switch or a
    // dropped connection, and is gone when the tab is closed, so a shared phone keeps nothing.
    // Not for interviewers, who enter one respondent after another on the same page.
    var keep = store && form.hasAttribute("data-draft");
    var fresh = !document.getElementById("error-summary") && answers(form).length === 0;
    if (keep && fresh) {
      try { restore(form, JSON.parse(store.getItem(key) || "[]")); } catch (e) { /* bad draft */ }
    }
    update();
    function save() {
      update();
      if (keep) {
        try { store.setItem(key, JSON.stringify(answers(form))); } catch (e) { /* full */ }
      }
    }
    form.addEventListener("change", save);
    form.addEventListener("input", save);
    form.addEventListener("consult:relevance", save);
  }

  document.addEventListener("DOMContentLoaded", function () {
    // The error summary's heading takes focus (autofocus does it without this file too), so
    // keyboard and screen-reader users hear it and the phone shows the summary from its top.
    var summary = document.getElementById("error-summary-title");
    if (summary) { summary.focus(); }
    Array.prototype.forEach.call(document.querySelectorAll("[data-rank-texts]"), enhanceRanking);
    var survey = document.querySelector("form[data-survey]");
    if (survey) { enhanceSurvey(survey); }
    // Answers stored: forget every local draft of this tab.
    if (store && document.querySelector("[data-answers-stored]")) {
      for (var i = store.length - 1; i >= 0; i--) {
        var name = store.key(i);
        if (name && name.indexOf(DRAFT) === 0) { store.removeItem(name); }
      }
    }
    // One click, one submission: the server also refuses a repeated form (one-time nonce).
    Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
      form.addEventListener("submit", function () {
        Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) {
          window.setTimeout(function () { b.disabled = true; }, 0);
        });
      });
    });
  });
}());
