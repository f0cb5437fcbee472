// The review queue with the keyboard: a number ticks or unticks a theme, Enter confirms and
// moves on, S skips. Without JavaScript the same form works with the mouse or Tab and Space.
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  if (!form) { return; }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (target && (target.tagName === "TEXTAREA" || (target.tagName === "INPUT" && target.type === "text"))) { return; }
    if (/^[1-9]$/.test(event.key)) {
      var box = form.querySelector('input[data-key="' + event.key + '"]');
      if (box) { box.checked = !box.checked; event.preventDefault(); }
    } else if (event.key === "Enter") {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.submit();
    } else if (event.key === "s" || event.key === "S") {
      var skip = document.getElementById("skip");
      if (skip) { event.preventDefault(); window.location.href = skip.href; }
    }
  });
})();
