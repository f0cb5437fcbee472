// Skip logic while the respondent answers: progressive enhancement only. For the questions whose
// relevance reads an answer given on this same page, the server sends the parsed rule
// (services/rules.py, live_rules) in the form's data-live; this file shows and hides those
// questions as answers change. The server judges every rule again on Next and Submit, so a page
// without this file, or a rule it cannot read, still ends with the server's decision.
// ES5 and the DOM of old phones, like consult.js; loaded only on pages that have such rules.
"use strict";
(function () {
  // ---- the evaluator: the same semantics as consult/expressions.py (_eval and its helpers);
  // tests/browser/test_live_rules.py runs one corpus through both.

  var ARABIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;
  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
  var SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

  function asciiDigits(text) {
    return text.replace(ARABIC_DIGITS, function (d) {
      var code = d.charCodeAt(0);
      return String(code - (code >= 0x06F0 ? 0x06F0 : 0x0660));
    });
  }

  // Python's float() on text: blanks and anything else unreadable are NaN.
  function number(value) {
    if (typeof value === "boolean") { return value ? 1 : 0; }
    if (typeof value === "number") { return value; }
    var text = asciiDigits(String(value)).trim();
    if (NUMBER.test(text)) { return parseFloat(text); }
    var special = SPECIAL.exec(text);
    if (special) {
      if (special[2].toLowerCase() === "nan") { return NaN; }
      return special[1] === "-" ? -Infinity : Infinity;
    }
    return NaN;
  }

  function text(value) {
    if (typeof value === "boolean") { return value ? "true" : "false"; }
    if (typeof value === "number") {
      if (isNaN(value)) { return "NaN"; }
      if (value === Infinity) { return "inf"; }
      if (value === -Infinity) { return "-inf"; }
      return String(value);
    }
    return value;
  }

  function truthy(value) {
    if (typeof value === "boolean") { return value; }
    if (typeof value === "number") { return value !== 0 && !isNaN(value); }
    return value !== "";
  }

  function words(value) {
    return text(value).split(/\s+/).filter(function (w) { return w !== ""; });
  }

  function compare(op, left, right) {
    var a = number(left), b = number(right);
    var numeric = !(isNaN(a) || isNaN(b));
    if (op === "=" || op === "!=") {
      var equal = numeric ? a === b : text(left) === text(right);
      return op === "=" ? equal : !equal;
    }
    if (!numeric) { return false; }
    if (op === "<") { return a < b; }
    if (op === "<=") { return a <= b; }
    if (op === ">") { return a > b; }
    return a >= b;
  }

  function arithmetic(op, left, right) {
    var a = number(left), b = number(right);
    if (op === "+") { return a + b; }
    if (op === "-") { return a - b; }
    if (op === "*") { return a * b; }
    if (op === "div") {
      if (b === 0) { return (a === 0 || isNaN(a)) ? NaN : (a > 0 ? Infinity : -Infinity); }
      return a / b;
    }
    if (b === 0 || !isFinite(a) || isNaN(b)) { return NaN; }  // mod
    return a % b;  // the sign of the dividend, as math.fmod
  }

  function evaluate(node, answers, current) {
    var kind = node[0];
    if (kind === "num" || kind === "str") { return node[1]; }
    if (kind === "ref") {
      var value = answers[node[1]];
      return value === undefined || value === null ? "" : String(value);
    }
    if (kind === "self") { return current === undefined || current === null ? "" : String(current); }
    if (kind === "attr") {  // a choice's column in a choice filter (expressions.py, ATTRIBUTE)
      var column = answers["@" + node[1]];
      return column === undefined || column === null ? "" : String(column);
    }
    if (kind === "neg") { return -number(evaluate(node[1], answers, current)); }
    if (kind === "call") { return call(node[1], node.slice(2), answers, current); }
    if (kind === "and") {
      return truthy(evaluate(node[1], answers, current)) && truthy(evaluate(node[2], answers, current));
    }
    if (kind === "or") {
      return truthy(evaluate(node[1], answers, current)) || truthy(evaluate(node[2], answers, current));
    }
    var left = evaluate(node[1], answers, current), right = evaluate(node[2], answers, current);
    if (["=", "!=", "<", "<=", ">", ">="].indexOf(kind) >= 0) { return compare(kind, left, right); }
    return arithmetic(kind, left, right);
  }

  function call(name, args, answers, current) {
    if (name === "if") {
      var chosen = truthy(evaluate(args[0], answers, current)) ? args[1] : args[2];
      return evaluate(chosen, answers, current);
    }
    var values = args.map(function (arg) { return evaluate(arg, answers, current); });
    if (name === "selected") { return words(values[0]).indexOf(text(values[1])) >= 0; }
    if (name === "count-selected") { return words(values[0]).length; }
    if (name === "string-length") {  // code points, as Python's len()
      return text(values[0]).replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, "_").length;
    }
    if (name === "not") { return !truthy(values[0]); }
    return more(name, values);
  }

  // The rest of consult/xpath.py's functions. regex() is left to the server (RE2 is not the
  // browser's syntax): the question stays as it is until Next or Submit.
  function more(name, values) {
    var first = text(values[0]);
    if (name === "true" || name === "false") { return name === "true"; }
    if (name === "concat") { return values.map(text).join(""); }
    if (name === "coalesce") { return first !== "" ? first : text(values[1]); }
    if (name === "string") { return first; }
    if (name === "contains") { return first.indexOf(text(values[1])) >= 0; }
    if (name === "starts-with") { return first.indexOf(text(values[1])) === 0; }
    if (name === "ends-with") {
      var end = text(values[1]);
      return first.length >= end.length && first.slice(first.length - end.length) === end;
    }
    if (name === "substr") {
      var from = values.length > 1 ? Math.max(number(values[1]), 0) : 0;
      return values.length > 2 ? first.slice(from, Math.max(number(values[2]), 0)) : first.slice(from);
    }
    if (name === "selected-at") {
      var at = number(values[1]), all = words(values[0]);
      return !isNaN(at) && at >= 0 && at < all.length ? all[Math.floor(at)] : "";
    }
    var value = number(values[0]);
    if (name === "round") {
      if (!isFinite(value)) { return value; }
      var scale = Math.pow(10, values.length > 1 ? number(values[1]) : 0);
      return Math.round(value * scale) / scale;
    }
    if (name === "int") { return isFinite(value) ? (value < 0 ? Math.ceil(value) : Math.floor(value)) : value; }
    if (name === "number") { return value; }
    throw new Error("not evaluated here: " + name);
  }

  // ---- reading this page's answers as the server would store them (QuestionType.live_value)

  function controls(form, code, kind) {
    var name = "q_" + code.replace(/-/g, "~"), prefix = name + "-";
    return Array.prototype.filter.call(form.elements, function (el) {
      if (el.disabled || !el.name) { return false; }
      return kind === "ranking" ? el.name.indexOf(prefix) === 0 : el.name === name;
    });
  }

  function picked(el) {
    return (el.type === "radio" || el.type === "checkbox") ? el.checked : el.value !== "";
  }

  function read(form, code, kind) {
    var els = controls(form, code, kind);
    if (kind === "ranking") {
      var ranked = els.filter(picked).map(function (el) {
        return { code: el.name.slice(code.length + 3), rank: number(el.value) };
      });
      ranked.sort(function (a, b) { return a.rank - b.rank; });
      return ranked.map(function (r) { return r.code; }).join(" ");
    }
    var values = els.filter(picked).map(function (el) { return el.value; });
    if (kind === "choices") { return values.join(" "); }
    if (kind === "choice") { return values.length ? values[0] : ""; }
    var typed = values.length ? values[0] : "";
    // Numbers are stored in ASCII digits without group separators (questions/number.py).
    return kind === "number" ? asciiDigits(typed).replace(/[,\u066C]/g, "").trim() : typed;
  }

  // The box a question is drawn in: its fieldset or div.q, or its row in a matrix.
  function box(form, code) {
    var el = controls(form, code, "text")[0] || controls(form, code, "ranking")[0];
    while (el && el !== form) {
      if (el.tagName === "TR" || (" " + el.className + " ").indexOf(" q ") >= 0) { return el; }
      el = el.parentNode;
    }
    return null;
  }

  function show(el, visible) {
    // Shown, it applies: its required mark (drawn hidden until then) shows too.
    Array.prototype.forEach.call(el.querySelectorAll("[data-applies]"), function (m) {
      m.hidden = !visible;
    });
    if (el.hidden === !visible) { return false; }
    el.hidden = !visible;
    // Disabled controls are neither checked by the browser nor sent: a hidden question's answer
    // does not count, as on the server.
    Array.prototype.forEach.call(el.querySelectorAll("input, select, textarea"), function (c) {
      c.disabled = !visible;
    });
    return true;
  }

  // Cascading selects: only the choices the filter allows stay offered (cascades.py).
  function narrow(form, live, answers) {
    Object.keys(live.filters || {}).forEach(function (code) {
      var filter = live.filters[code];
      controls(form, code, "text").forEach(function (el) {
        var options = el.tagName === "SELECT" ? Array.prototype.slice.call(el.options) : [el];
        options.forEach(function (option) {
          var variants = filter.choices[option.value];
          if (!variants) { return; }  // "Choose…" and "other" stay
          var keep = variants.some(function (columns) {
            var seen = {};
            Object.keys(answers).forEach(function (k) { seen[k] = answers[k]; });
            Object.keys(columns).forEach(function (k) { seen["@" + k] = columns[k]; });
            try { return truthy(evaluate(filter.rule, seen, null)); } catch (e) { return true; }
          });
          var holder = option.tagName === "OPTION" ? option : option.parentNode;
          holder.hidden = !keep;
          if (!keep && (option.checked || option.selected)) {
            option.checked = false; option.selected = false;
          }
        });
      });
    });
  }

  function apply(form, live, boxes) {
    var changed = false;
    var current = {};
    Object.keys(live.known).forEach(function (name) { current[name] = live.known[name]; });
    Object.keys(live.kinds).forEach(function (name) { current[name] = read(form, name, live.kinds[name]); });
    narrow(form, live, current);
    Object.keys(live.rules).forEach(function (code) {
      if (!boxes[code]) { return; }
      var answers = {};
      Object.keys(live.known).forEach(function (name) { answers[name] = live.known[name]; });
      Object.keys(live.kinds).forEach(function (name) {
        answers[name] = read(form, name, live.kinds[name]);
      });
      var relevant = true;
      try { relevant = truthy(evaluate(live.rules[code], answers, null)); } catch (e) { /* as the server: it stands */ }
      changed = show(boxes[code], relevant) || changed;
    });
    if (changed) {
      var event = document.createEvent("Event");
      event.initEvent("consult:relevance", true, false);
      form.dispatchEvent(event);  // consult.js recounts "Answered: n of m"
    }
  }

  window.consultRules = { evaluate: evaluate, truthy: truthy };

  var form = document.querySelector("form[data-live]");
  if (!form) { return; }
  var live;
  try { live = JSON.parse(form.getAttribute("data-live")); } catch (e) { return; }
  var boxes = {};
  Object.keys(live.rules).forEach(function (code) { boxes[code] = box(form, code); });
  // Capture: before consult.js's own listeners on the form count the answered questions.
  function update() { apply(form, live, boxes); }
  form.addEventListener("change", update, true);
  form.addEventListener("input", update, true);
  // Deferred scripts run once the page is parsed; again after consult.js restored a draft.
  update();
  document.addEventListener("DOMContentLoaded", update);
}());
