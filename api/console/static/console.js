// xborder console: the sum of the selected lines and entries on the
// exceptions page (optional: every page works without JavaScript).
// Amounts arrive as decimal strings with the currency's decimals
// ("1234.56", JPY "915000"); sums are exact (BigInt minor units) and shown
// with thousands separators and the currency's decimals.
(function () {
  "use strict";
  function minor(text) {
    var neg = text.charAt(0) === "-", t = neg ? text.slice(1) : text;
    var p = t.split("."), frac = p[1] || "";
    var v = BigInt(p[0] + frac);
    return { value: neg ? -v : v, exp: frac.length };
  }
  function decimal(value, exp) {
    var neg = value < 0n, s = (neg ? -value : value).toString();
    if (exp > 0) {
      while (s.length <= exp) s = "0" + s;
      s = s.slice(0, s.length - exp) + "." + s.slice(s.length - exp);
    }
    var dot = s.indexOf("."), whole = dot < 0 ? s : s.slice(0, dot), rest = dot < 0 ? "" : s.slice(dot);
    whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (neg ? "-" : "") + whole + rest;
  }
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, k) { return values[k]; });
  }
  function update(form, out) {
    var totals = {};
    form.querySelectorAll("input[name=line_ids]:checked, input[name=entry_ids]:checked").forEach(function (cb) {
      var cur = cb.dataset.currency, amount = minor(cb.dataset.amount || "0");
      var side = cb.name === "line_ids" ? "lines" : "entries";
      totals[cur] = totals[cur] || { lines: 0n, entries: 0n, exp: amount.exp };
      totals[cur][side] += amount.value;
    });
    // the words come from the page (the user's language): data-each, data-prefix
    var each = out.dataset.each || "%(cur)s: lines %(lines)s, entries %(entries)s, difference %(diff)s %(cur)s";
    var parts = Object.keys(totals).map(function (cur) {
      var t = totals[cur];
      return fill(each, { cur: cur, lines: decimal(t.lines, t.exp), entries: decimal(t.entries, t.exp), diff: decimal(t.lines - t.entries, t.exp) });
    });
    out.textContent = parts.length ? (out.dataset.prefix || "Selected ") + parts.join("; ") : "";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("exceptions-form");
    var out = document.getElementById("selection-total");
    if (!form || !out) return;
    form.addEventListener("change", function (ev) {
      // "select every ... shown": the boxes of that side follow the head's box
      var side = ev.target.dataset && ev.target.dataset.selectAll;
      if (side) {
        form.querySelectorAll("input[name=" + side + "]").forEach(function (cb) { cb.checked = ev.target.checked; });
      }
      update(form, out);
    });
  });
})();

// The account picker: a text field with data-account-search (the search
// URL) and a datalist; typing asks the console for matching accounts (name,
// code or owner) and offers their names.  Without JavaScript the field
// still takes an account code or name (the server resolves it).
(function () {
  "use strict";
  function picker(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null, last = "";
    if (!list) return;
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (timer) clearTimeout(timer);
      if (!q || q === last) return;
      timer = setTimeout(function () {
        last = q;
        fetch(input.dataset.accountSearch + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { accounts: [] }; })
          .then(function (data) {
            list.textContent = "";
            (data.accounts || []).forEach(function (a) {
              var o = document.createElement("option");
              o.value = a.value;
              o.label = a.value === a.label ? a.code : a.label;
              o.title = a.code + " · " + a.id;
              list.appendChild(o);
            });
          })
          .catch(function () { /* the field still takes a code or a name */ });
      }, 200);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-account-search]").forEach(picker);
  });
})();
