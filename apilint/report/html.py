"""One self-contained HTML page to read a report in a browser: verdict, summary, findings and
every change, with filters and a search box.

The page loads nothing: no network, no external script, stylesheet or font. A Content Security
Policy in the page says so to the browser (``default-src 'none'``) and lets only this module's
own inline style and script run, by hash, so even text that escaped escaping could not run.

What a person reads first is what blocks: the verdict, the findings, then breaking changes,
other API changes and documentation changes (``_common.SECTIONS``). The header, verdict,
summary and findings are HTML written here, every piece of spec text escaped. The change list
(thousands of entries on a large release) travels as JSON in a ``<script
type="application/json">`` block, with ``<``, ``>``, ``&``, U+2028/U+2029 and lone surrogates
written as ``\\uXXXX`` so nothing in it can end the block; the script builds each row once
with ``textContent`` (never HTML) and filters by toggling ``hidden``. A rule's ``why`` from the
catalogue opens on demand: under a change when its rule id (a button) is clicked, written
the first time; in a ``<details>`` for a finding.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections import Counter
from typing import Any

from ..model import CATEGORIES, COMPATS, Change, Finding, Report
from ._common import SECTIONS, blocking_order, catalogue, counts, one_line, rule_title, section

_SURROGATE = re.compile("[\ud800-\udfff]")
# Characters that could end or confuse a script block, or break a JS string literal (U+2028/9
# in older engines), or not encode at all (lone surrogates): all appear only inside JSON
# strings, where a \\uXXXX escape means the same character.
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029\ud800-\udfff]")
COMPAT_LABEL = {"breaking": "breaking", "compatible": "compatible", "none": "docs only"}
FIELDS = ("section", "rule", "category", "compat", "operations", "message", "where", "pointer")


def esc(text: object) -> str:
    """Spec text as inert HTML text on one line: controls visible, ``<>&"'`` as entities."""
    return html.escape(_SURROGATE.sub("\ufffd", one_line(str(text))), quote=True)


def script_json(data: Any) -> str:
    """JSON that can sit inside ``<script type="application/json">`` whatever its strings say."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _where(change: Change) -> str:
    loc = change.primary
    return loc.display() if loc else ""


def _data(report: Report, ordered: list[Change]) -> dict[str, Any]:
    known = catalogue()
    used = {c.rule for c in ordered} | {f.id for f in report.findings}
    rules = {}
    for rid in sorted(used):
        rule = known.get(rid)
        rules[rid] = {"title": rule_title(rid),
                      "why": " ".join((rule.why if rule else "").split())}
    # A change in a shared schema reaches hundreds of operations on a large API: each row
    # names them by index into one sorted list, which keeps the page a fraction of the size.
    per_change = [[one_line(o) for o in (c.operations or ([c.operation] if c.operation else []))]
                  for c in ordered]
    operations = sorted({o for ops in per_change for o in ops})
    index = {o: i for i, o in enumerate(operations)}
    rows = []
    for c, ops in zip(ordered, per_change, strict=True):
        rows.append([section(c), c.rule, c.category, c.compat, [index[o] for o in ops],
                     one_line(c.message), one_line(_where(c)), one_line(c.location)])
    return {"fields": list(FIELDS), "sections": [label for _, label in SECTIONS],
            "rules": rules, "operations": operations, "changes": rows}


def _verdict(report: Report) -> list[str]:
    n = counts(report)
    out: list[str] = []
    if report.command == "check":
        if n["errors"]:
            word = "finding" if n["errors"] == 1 else "findings"
            out.append(f'<p class="verdict fail" id="verdict"><strong>Version rule violated'
                       f'</strong>: {n["errors"]} error {word}.</p>')
        else:
            out.append('<p class="verdict pass" id="verdict"><strong>Version rule holds'
                       '</strong>.</p>')
    if report.base_version is not None or report.revision_version is not None \
            or report.command == "check":
        parts = [f'versions read: base <code>{esc(report.base_version or "none")}</code> '
                 f'\u2192 revision <code>{esc(report.revision_version or "none")}</code>']
        if report.policy:
            parts.append(f"policy <code>{esc(report.policy)}</code>")
        if report.scheme:
            parts.append(f"scheme <code>{esc(report.scheme)}</code>")
        out.append(f'<p class="versions" id="versions">{", ".join(parts)}</p>')
    for w in report.warnings:
        out.append(f'<p class="warning">warning: {esc(w)}</p>')
    return out


def _summary(report: Report) -> list[str]:
    table: Counter[tuple[str, str]] = Counter((c.category, c.compat) for c in report.changes)
    compats = list(COMPATS) + sorted({c.compat for c in report.changes} - set(COMPATS))
    cats = list(CATEGORIES) + sorted({c.category for c in report.changes} - set(CATEGORIES))
    n = counts(report)
    head = "".join(f'<th scope="col">{esc(COMPAT_LABEL.get(k, k))}</th>' for k in compats)
    out = ['<section id="summary"><h2>Summary</h2>',
           f'<p class="totals"><span id="total-changes">{n["changes"]}</span> '
           f'change{"s" if n["changes"] != 1 else ""}, <span id="total-breaking">'
           f'{n["breaking"]}</span> breaking</p>',
           f'<table class="summary"><thead><tr><th scope="col">category</th>{head}'
           '<th scope="col">total</th></tr></thead><tbody>']
    for cat in cats:
        cells = "".join(
            f'<td data-category="{esc(cat)}" data-compat="{esc(k)}">{table[(cat, k)]}</td>'
            for k in compats)
        total = sum(table[(cat, k)] for k in compats)
        out.append(f'<tr><th scope="row">{esc(cat)}</th>{cells}'
                   f'<td data-category="{esc(cat)}" data-total>{total}</td></tr>')
    foot = "".join(
        f'<td data-compat="{esc(k)}" data-total>{sum(table[(c, k)] for c in cats)}</td>'
        for k in compats)
    out.append(f'</tbody><tfoot><tr><th scope="row">total</th>{foot}'
               f'<td data-total-all>{n["changes"]}</td></tr></tfoot></table></section>')
    return out


def _finding(f: Finding, why: str) -> str:
    loc = f.location or next((c.primary for c in f.changes if c.primary), None)
    level = "waived" if f.waived else f.level
    text = esc(f.message)
    if f.waived:
        text += f" (waived: {esc(f.waiver_reason or 'no reason given')})"
    where = f'<span class="where">{esc(loc.display())}</span>' if loc else ""
    parts = [f'<li class="finding f-{esc(level)}"><span class="badge lvl-{esc(level)}">'
             f'{esc(level)}</span> <span class="msg">{text}</span> {where}',
             f'<details class="why"><summary><code>{esc(f.id)}</code></summary>'
             f'<p>{esc(why) or "No description in the catalogue."}</p></details>']
    if f.changes:
        # A finding's examples are its most serious changes.
        examples = blocking_order(f.changes)[:5]
        items = "".join(f'<li><span class="badge c-{esc(c.compat)}">'
                        f'{esc(COMPAT_LABEL.get(c.compat, c.compat))}</span> '
                        f'{esc(c.message)} <span class="where">{esc(_where(c))}</span></li>'
                        for c in examples)
        more = len(f.changes) - len(examples)
        tail = f'<li class="more">and {more} more, listed below</li>' if more > 0 else ""
        parts.append(f'<ul class="examples">{items}{tail}</ul>')
    parts.append("</li>")
    return "".join(parts)


def _findings(report: Report) -> list[str]:
    if report.command != "check":
        return []
    shown = [f for f in report.findings if f.level != "off"]
    rank = {"error": 0, "warning": 1, "info": 2}
    shown.sort(key=lambda f: (f.waived, rank.get(f.level, 3)))
    known = catalogue()
    out = [f'<section id="findings"><h2>Findings <span class="n">({len(shown)})</span></h2>']
    if not shown:
        out.append("<p>No findings.</p>")
    else:
        out.append('<ol class="findings">')
        for f in shown:
            rule = known.get(f.id)
            out.append(_finding(f, rule.why if rule else ""))
        out.append("</ol>")
    out.append("</section>")
    return out


def _chips(name: str, values: list[str], tally: Counter[str], labels: dict[str, str]) -> str:
    boxes = "".join(
        f'<label class="chip"><input type="checkbox" name="{name}" value="{esc(v)}" checked> '
        f'{esc(labels.get(v, v))} <span class="count">{tally[v]}</span></label>'
        for v in values if tally[v])
    return f'<fieldset class="group" id="filter-{name}"><legend>{name}</legend>{boxes}</fieldset>'


def _changes(report: Report, ordered: list[Change]) -> list[str]:
    compat_tally = Counter(c.compat for c in ordered)
    cat_tally = Counter(c.category for c in ordered)
    compats = list(COMPATS) + sorted(set(compat_tally) - set(COMPATS))
    cats = list(CATEGORIES) + sorted(set(cat_tally) - set(CATEGORIES))
    out = ['<section id="changes"><h2>Changes</h2>']
    if not ordered:
        out.append("<p>No API changes.</p></section>")
        return out
    out += [
        '<form class="filters" id="filters" role="search" autocomplete="off">',
        _chips("compat", compats, compat_tally, COMPAT_LABEL),
        _chips("category", cats, cat_tally, {}),
        '<fieldset class="group"><legend>operation and text</legend>'
        '<select id="operation" name="operation" aria-label="operation">'
        '<option value="">all operations</option></select> '
        '<input type="search" id="search" name="q" placeholder="search (press /)" '
        'aria-label="search the changes"> '
        '<button type="reset" id="reset">show all</button></fieldset>',
        f'<p id="status" aria-live="polite">{len(ordered)} of {len(ordered)} changes shown</p>',
        "</form>",
        '<noscript><p class="warning">The change list needs JavaScript; the summary above '
        "holds the counts, and <code>--format markdown</code> or <code>text</code> lists "
        "every change without it.</p></noscript>",
    ]
    per = Counter(section(c) for c in ordered)
    for i, (key, label) in enumerate(SECTIONS):
        hidden = "" if per[i] else " hidden"
        out.append(f'<section class="sec sec-{key}" id="sec-{key}" data-section="{i}"{hidden}>'
                   f'<h3>{label} <span class="n" data-total="{per[i]}">({per[i]})</span></h3>'
                   f'<ol class="list" id="list-{i}"></ol></section>')
    out.append("</section>")
    return out


def render(report: Report) -> str:
    ordered = blocking_order(report.changes)
    title = f"apilint {report.command}: {report.base} \u2192 {report.revision}"
    body = [
        f'<header><h1>apilint {esc(report.command)}</h1><p class="files">'
        f'<code>{esc(report.base)}</code> \u2192 <code>{esc(report.revision)}</code></p>'
        "</header><main>",
        *_verdict(report), *_summary(report), *_findings(report), *_changes(report, ordered),
        "</main>",
        f'<script type="application/json" id="apilint-data">{script_json(_data(report, ordered))}'
        "</script>",
    ]
    return page(title, body, script=_SCRIPT)


def page(title: str, body: list[str], *, style: str = "", script: str | None = None) -> str:
    """The page shell every apilint HTML page shares: a Content Security Policy that lets
    only the page's own inline style (``STYLE`` plus ``style``) and ``script`` run, by hash
    (no script at all when ``script`` is None), and nothing load; ``body`` is joined as is
    (its spec text already escaped); ``title`` is escaped here."""
    css = STYLE + style
    scripts = f"script-src {_csp_hash(script)}" if script is not None else "script-src 'none'"
    csp = (f"default-src 'none'; style-src {_csp_hash(css)}; "
           f"{scripts}; img-src data:; base-uri 'none'; "
           "form-action 'none'")
    head = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="generator" content="apilint">'
            f"<title>{esc(title)}</title><style>{css}</style></head><body>")
    tail = [f"<script>{script}</script>"] if script is not None else []
    return head + "\n".join([*body, *tail]) + "\n</body></html>\n"


STYLE = """
:root{--fg:#1b1f24;--muted:#59636e;--bg:#fff;--panel:#f6f8fa;--line:#d1d9e0;
--red:#cf222e;--red-bg:#ffebe9;--amber:#9a6700;--amber-bg:#fff8c5;--green:#1a7f37;
--green-bg:#dafbe1;--blue:#0969da;--blue-bg:#ddf4ff;--grey-bg:#eff2f5;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;
--panel:#151b23;--line:#3d444d;--red:#ff7b72;--red-bg:#3c1618;--amber:#d29922;
--amber-bg:#3b2e0a;--green:#3fb950;--green-bg:#12261e;--blue:#58a6ff;--blue-bg:#121d2f;
--grey-bg:#212830}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);
background:var(--bg)}
header{padding:14px 24px;border-bottom:1px solid var(--line);background:var(--panel)}
h1{font-size:20px;margin:0}h2{font-size:17px;margin:22px 0 8px}h3{font-size:15px;margin:16px 0 6px}
main{padding:4px 24px 40px;max-width:1400px}
code,.where,.op{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.files{margin:4px 0 0;color:var(--muted);overflow-wrap:anywhere}
.verdict{font-size:16px;padding:10px 14px;border-radius:6px;margin:16px 0 8px}
.verdict.fail{background:var(--red-bg);color:var(--red)}
.verdict.pass{background:var(--green-bg);color:var(--green)}
.versions{color:var(--muted);margin:6px 0}
.warning{background:var(--amber-bg);color:var(--amber);padding:6px 10px;border-radius:6px}
table.summary{border-collapse:collapse;font-variant-numeric:tabular-nums}
.summary th,.summary td{border:1px solid var(--line);padding:3px 10px;text-align:right}
.summary th[scope=row]{text-align:left;font-weight:normal}
.summary thead th,.summary tfoot th,.summary tfoot td{background:var(--panel);font-weight:600}
.totals{margin:4px 0 8px}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;
white-space:nowrap;background:var(--grey-bg);color:var(--muted)}
.c-breaking,.lvl-error{background:var(--red-bg);color:var(--red)}
.c-compatible,.lvl-warning{background:var(--amber-bg);color:var(--amber)}
.lvl-info{background:var(--blue-bg);color:var(--blue)}
ol.findings{padding-left:20px}ol.findings>li{margin:8px 0;padding-left:8px;
border-left:3px solid var(--line)}
.finding.f-error{border-left-color:var(--red)}.finding.f-warning{border-left-color:var(--amber)}
.lvl-waived{text-decoration:line-through}
.examples{margin:4px 0;color:var(--muted)}
.filters{position:sticky;top:0;z-index:1;background:var(--bg);padding:8px 0;
border-bottom:1px solid var(--line);display:flex;flex-wrap:wrap;gap:6px 12px;align-items:center}
.group{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px;align-items:center}
.group legend{float:left;color:var(--muted);margin-right:4px;font-size:12px}
.chip{border:1px solid var(--line);border-radius:14px;padding:1px 8px;cursor:pointer;
user-select:none;white-space:nowrap}
.chip:has(input:not(:checked)){opacity:.5;text-decoration:line-through}
.chip .count{color:var(--muted);font-size:12px}
select,input[type=search],button{font:inherit;padding:2px 6px;border:1px solid var(--line);
border-radius:6px;background:var(--bg);color:var(--fg)}
select{max-width:22em}input[type=search]{width:16em}
#status{margin:0;color:var(--muted);flex-basis:100%}
ol.list{list-style:none;margin:0;padding:0;border:1px solid var(--line);border-radius:6px}
ol.list:empty{display:none}
.row{display:grid;grid-template-columns:7.5em 9.5em 1fr;gap:2px 10px;
padding:5px 10px;border-top:1px solid var(--line);content-visibility:auto;
contain-intrinsic-size:auto 48px}
.row:first-child{border-top:0}.row>.badge{align-self:start;justify-self:start}.row[hidden]{display:none}
.row .msg{overflow-wrap:anywhere}.row .op{overflow-wrap:anywhere}
.row .cat{color:var(--muted);font-size:12.5px}
.row .foot{grid-column:2/-1;display:flex;flex-wrap:wrap;gap:4px 14px;color:var(--muted);
font-size:12.5px}
.row .where{overflow-wrap:anywhere}
details.why summary{cursor:pointer;color:var(--blue)}
details.why p{margin:4px 0 4px 14px;color:var(--fg);max-width:70em}
button.rule{border:0;background:none;padding:0;color:var(--blue);cursor:pointer;
font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
button.rule::before{content:"▸ "}button.rule[aria-expanded=true]::before{content:"▾ "}
.row p.why{grid-column:2/-1;margin:2px 0;max-width:70em}
.row p.why[hidden]{display:none}
.sec[hidden]{display:none}
"""

_SCRIPT = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("apilint-data").textContent);
  var t0 = performance.now();
  var F = {};
  data.fields.forEach(function (name, i) { F[name] = i; });
  var changes = data.changes, rules = data.rules, opNames = data.operations;
  var lists = [], frags = [];
  for (var s = 0; s < data.sections.length; s++) {
    lists.push(document.getElementById("list-" + s));
    frags.push(document.createDocumentFragment());
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  var compatLabel = {breaking: "breaking", compatible: "compatible", none: "docs only"};
  var rows = new Array(changes.length), hay = new Array(changes.length);
  var opCount = Object.create(null);
  for (var i = 0; i < changes.length; i++) {
    var c = changes[i], ops = c[F.operations].map(function (k) { return opNames[k]; });
    var li = el("li", "row");
    li.appendChild(el("span", "badge c-" + c[F.compat], compatLabel[c[F.compat]] || c[F.compat]));
    li.appendChild(el("span", "cat", c[F.category]));
    li.appendChild(el("span", "msg", c[F.message]));
    var foot = el("div", "foot");
    // A shared schema's change reaches many operations: the first, a count, all on hover.
    var op = el("span", "op", ops.length > 1 ?
      ops[0] + " and " + (ops.length - 1) + " more" : (ops[0] || "(document)"));
    if (ops.length > 1) op.title = ops.join("\\n");
    foot.appendChild(op);
    var where = el("span", "where", c[F.where] || "(no line)");
    where.title = c[F.pointer];
    foot.appendChild(where);
    // The rule id is a button that shows the rule's why: lighter than 5,000 <details>.
    var why = el("button", "rule", c[F.rule]);
    why.type = "button";
    why.title = "why this rule: show or hide";
    why.setAttribute("aria-expanded", "false");
    foot.appendChild(why);
    li.appendChild(foot);
    rows[i] = li;
    frags[c[F.section]].appendChild(li);
    hay[i] = [c[F.message], c[F.rule], c[F.category], c[F.compat], ops.join(" "),
              c[F.where], c[F.pointer]].join("\\n").toLowerCase();
    for (var k = 0; k < c[F.operations].length; k++) {
      var n = c[F.operations][k];
      opCount[n] = (opCount[n] || 0) + 1;
    }
  }
  for (s = 0; s < lists.length; s++) if (lists[s]) lists[s].appendChild(frags[s]);

  var select = document.getElementById("operation");
  if (select) {
    opNames.forEach(function (op, k) {
      var o = el("option", "", op + " (" + (opCount[k] || 0) + ")");
      o.value = String(k);
      select.appendChild(o);
    });
  }
  // The why of a rule, written under its row the first time it is asked for.
  document.addEventListener("click", function (ev) {
    var b = ev.target;
    if (!b.classList || !b.classList.contains("rule")) return;
    var row = b.closest("li.row"), p = row.querySelector("p.why");
    if (!p) {
      var r = rules[b.textContent] || {};
      p = el("p", "why", r.why || "No description in the catalogue.");
      p.hidden = true;
      row.appendChild(p);
    }
    p.hidden = !p.hidden;
    b.setAttribute("aria-expanded", String(!p.hidden));
  });

  var form = document.getElementById("filters");
  var search = document.getElementById("search");
  var status = document.getElementById("status");
  var counters = Array.prototype.map.call(document.querySelectorAll(".sec .n"),
                                          function (n) { return n; });
  var sections = Array.prototype.map.call(document.querySelectorAll(".sec"),
                                          function (n) { return n; });
  function checked(name) {
    var on = Object.create(null);
    Array.prototype.forEach.call(form.querySelectorAll("input[name=" + name + "]"),
      function (b) { if (b.checked) on[b.value] = true; });
    return on;
  }
  function apply() {
    var t = performance.now();
    var compat = checked("compat"), cat = checked("category");
    var op = select && select.value !== "" ? Number(select.value) : -1;
    var terms = search ? search.value.toLowerCase().split(/\\s+/).filter(Boolean) : [];
    var shown = 0, per = [];
    for (var s = 0; s < lists.length; s++) per.push(0);
    for (var i = 0; i < changes.length; i++) {
      var c = changes[i], ok = compat[c[F.compat]] === true && cat[c[F.category]] === true;
      if (ok && op >= 0) ok = c[F.operations].indexOf(op) >= 0;
      for (var k = 0; ok && k < terms.length; k++) ok = hay[i].indexOf(terms[k]) >= 0;
      // Only rows whose state changes are touched: typing re-lays out what changed, no more.
      if (rows[i].hidden === ok) rows[i].hidden = !ok;
      if (ok) { shown++; per[c[F.section]]++; }
    }
    sections.forEach(function (sec, s) {
      var total = Number(counters[s].dataset.total);
      counters[s].textContent = per[s] === total ? "(" + total + ")" :
        "(" + per[s] + " of " + total + ")";
      sec.hidden = per[s] === 0;
    });
    status.textContent = shown + " of " + changes.length + " changes shown";
    document.body.dataset.filterMs = (performance.now() - t).toFixed(1);
  }
  if (form) {
    var pending = 0;
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    search.addEventListener("input", function () {
      clearTimeout(pending);
      pending = setTimeout(apply, 60);
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "/" && document.activeElement !== search) {
        ev.preventDefault();
        search.focus();
      }
    });
  }
  document.body.dataset.renderMs = (performance.now() - t0).toFixed(1);
  document.body.dataset.ready = "1";
})();
"""
