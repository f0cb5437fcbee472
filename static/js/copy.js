// Progressive enhancement: a "Copy" button beside each shareable link (admin pages).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.clipboard) { return; }
  document.querySelectorAll("code.copyable").forEach(function (code) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.textContent = document.documentElement.lang === "ur" ? "کاپی کریں" : "Copy";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.textContent).then(function () {
        button.textContent = document.documentElement.lang === "ur" ? "کاپی ہو گیا" : "Copied";
      });
    });
    code.after(" ", button);
  });
});
