// xborder console: the sum of the selected lines and entries on the
// exceptions page (optional: every page works without JavaScript).
(function () {
  "use strict";
  function update(form, out) {
    var totals = {};
    form.querySelectorAll("input[type=checkbox]:checked").forEach(function (cb) {
      var cur = cb.dataset.currency, amount = parseInt(cb.dataset.amount || "0", 10);
      var side = cb.name === "line_ids" ? "lines" : "entries";
      totals[cur] = totals[cur] || { lines: 0, entries: 0 };
      totals[cur][side] += amount;
    });
    var parts = Object.keys(totals).map(function (cur) {
      var t = totals[cur];
      return cur + ": lines " + t.lines + ", entries " + t.entries + ", difference " + (t.lines - t.entries) + " (minor units)";
    });
    out.textContent = parts.length ? "Selected " + parts.join("; ") : "";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("exceptions-form");
    var out = document.getElementById("selection-total");
    if (!form || !out) return;
    form.addEventListener("change", function () { update(form, out); });
  });
})();
