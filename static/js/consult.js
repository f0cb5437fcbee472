// Progressive enhancement only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Bring the error summary into view and focus, so keyboard and screen-reader users hear it.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  // One click, one submission: the server also refuses a repeated form (one-time nonce).
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });
});
