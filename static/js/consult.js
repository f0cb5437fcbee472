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

  // "Answered: 3 of 24": one count per question block, drawn as a bar that fills from the
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
    // Bring the error summary into view and focus, so keyboard and screen-reader users hear it.
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    var survey = document.querySelector("form[data-progress]");
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
