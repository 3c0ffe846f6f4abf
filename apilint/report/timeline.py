"""``apilint changelog --format html``: a microversion history as one timeline page.

Versions run across (one column each, oldest first; with ``--base REF`` a first column holds
the changes no new microversion gates), calls run down (one row per operation some change
reaches). A cell is marked where the call or one of its fields appears (``+``), changes
(``~``; ``·`` for documentation only) or goes away (``−``) at that version; its tooltip lists
the changes, and it links to the version's entry in the list under the table, which gives
every change with its rule and place. A row is shaded where the call exists, as far as the
changelog tells (before an ``operation-removed``, after an ``operation-added``). Versions
with no visible change keep their (empty) column and say so in the list, as the other
formats do.

The page is the HTML report's shell (``report.html.page``: its style, Content Security
Policy and escaping) with no script at all: the table, the tooltips and the links work
without one. Both scroll axes keep their bearings on a 100-version history: the table
scrolls inside its own box, with the version row and the call column sticky.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import COMPATS, Change
from .html import COMPAT_LABEL, esc, page

if TYPE_CHECKING:
    from ..changelog import Changelog

# What a change does to its call, as a mark: the order marks are shown in within a cell.
KINDS = ("add", "chg", "doc", "rm")
GLYPH = {"add": "+", "chg": "~", "doc": "\u00b7", "rm": "\u2212"}
WORD = {"add": "appears", "chg": "changes", "doc": "documentation changes", "rm": "goes away"}
_KIND = {"new-call": "add", "added-field": "add", "removed-call": "rm",
         "removed-field": "rm", "doc-change": "doc"}
DOCUMENT = "(document)"  # the row of changes that reach no operation
_METHODS = {m: i for i, m in enumerate(
    ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"))}
_TITLE_CHANGES = 12  # changes named in one cell's tooltip; the list below has them all
UNGATED = "ungated"


def kind(change: Change) -> str:
    return _KIND.get(change.category, "chg")


def operations(change: Change) -> list[str]:
    ops = [o for o in change.operations if o] or ([change.operation] if change.operation else [])
    return ops or [DOCUMENT]


def _row_key(op: str) -> tuple[int, str, int, str]:
    method, _, path = op.partition(" ")
    if op == DOCUMENT:
        return (1, "", 0, op)
    return (0, path, _METHODS.get(method, len(_METHODS)), op)


def columns(log: Changelog) -> list[tuple[str, str, list[Change]]]:
    """(anchor id, label, changes) of every column, in order."""
    out: list[tuple[str, str, list[Change]]] = []
    if log.ungated is not None:
        out.append((UNGATED, "not gated", log.ungated))
    out += [(f"v{v.version}", v.version, v.changes) for v in log.versions]
    return out


def _cells(cols: list[tuple[str, str, list[Change]]]) -> dict[str, list[list[Change]]]:
    """Operation -> per column, the changes that reach it there."""
    rows: dict[str, list[list[Change]]] = {}
    for i, (_, _, changes) in enumerate(cols):
        for ch in changes:
            for op in dict.fromkeys(operations(ch)):
                rows.setdefault(op, [[] for _ in cols])[i].append(ch)
    return rows


def _present(cells: list[list[Change]]) -> list[bool]:
    """Where the call exists, column by column: before its first ``operation-added`` it did
    not; after an ``operation-removed`` it does not; a call with neither exists throughout."""
    events = [ch.rule for col in cells for ch in col
              if ch.rule in ("operation-added", "operation-removed")]
    on = not events or events[0] != "operation-added"
    out = []
    for col in cells:
        for ch in col:
            if ch.rule == "operation-added":
                on = True
            elif ch.rule == "operation-removed":
                on = False
        out.append(on)
    return out


def _mark(anchor: str, label: str, op: str, changes: list[Change]) -> str:
    kinds = {kind(c) for c in changes}
    glyphs = "".join(f'<b class="k-{k}">{GLYPH[k]}</b>' for k in KINDS if k in kinds)
    # The tooltip: the version, the call, then one change a line ("&#10;" is a line break
    # inside an attribute; each message is escaped on its own).
    lines = [esc(f"{label}: {op}")]
    lines += [f"{GLYPH[kind(c)]} {esc(c.message)}" for c in changes[:_TITLE_CHANGES]]
    if len(changes) > _TITLE_CHANGES:
        lines.append(f"and {len(changes) - _TITLE_CHANGES} more (click for the list)")
    breaking = " brk" if any(c.compat == "breaking" for c in changes) else ""
    return (f'<a class="m{breaking}" href="#{esc(anchor)}" title="{"&#10;".join(lines)}">'
            f"{glyphs}</a>")


def _table(log: Changelog, cols: list[tuple[str, str, list[Change]]]) -> list[str]:
    rows = _cells(cols)
    head = "".join(
        f'<th scope="col" class="{"ug" if anchor == UNGATED else "ver"}'
        f'{"" if changes else " quiet"}"><a href="#{esc(anchor)}">{esc(label)}</a></th>'
        for anchor, label, changes in cols)
    out = ['<div class="timeline" id="timeline" tabindex="0" role="region" '
           'aria-label="changes by version and call">',
           f'<table class="timeline"><thead><tr><th scope="col" class="call">call</th>{head}'
           "</tr></thead><tbody>"]
    for op in sorted(rows, key=_row_key):
        cells = rows[op]
        tds = []
        for (anchor, label, _), here, on in zip(cols, cells, _present(cells), strict=True):
            # Most cells are of a call that exists: the ones where it does not carry the class.
            shade = "" if on else ' class="x"'
            tds.append(f"<td{shade}>{_mark(anchor, label, op, here) if here else ''}</td>")
        # A long call name is cut short on screen (the column is sticky): whole on hover.
        out.append(f'<tr><th scope="row" title="{esc(op)}">{esc(op)}</th>{"".join(tds)}</tr>')
    out.append("</tbody></table></div>")
    if not rows:
        out.append(f"<p>No change reaches any call: {esc(log.nothing)} at any version.</p>")
    return out


def _legend() -> str:
    marks = " ".join(f'<span class="m"><b class="k-{k}">{GLYPH[k]}</b></span> {WORD[k]}'
                     for k in KINDS)
    return (f'<p class="legend" id="legend">{marks}; <span class="m brk">'
            '<b class="k-chg">~</b></span> ringed: a breaking change. Shaded: the call exists '
            "(as far as the changelog tells). Point at a mark for its changes, click it for the "
            "list below.</p>")


def _change(ch: Change) -> str:
    loc = ch.primary
    ops = operations(ch)
    reach = f" (reaches {len(ops)} calls)" if len(ops) > 1 else ""
    where = f' <span class="where">{esc(loc.display())}</span>' if loc else ""
    # A class name is one of the page's own words, never spec text.
    compat = ch.compat if ch.compat in COMPATS else "other"
    return (f'<li><span class="badge c-{compat}">'
            f"{esc(COMPAT_LABEL.get(ch.compat, ch.compat))}</span> "
            f'<b class="k-{kind(ch)}">{GLYPH[kind(ch)]}</b> <span class="msg">'
            f"{esc(ch.message)}{esc(reach)}</span>{where} <code>{esc(ch.rule)}</code></li>")


def _details(log: Changelog, cols: list[tuple[str, str, list[Change]]]) -> list[str]:
    out = ['<section id="versions-list"><h2>Changes by version</h2>']
    for anchor, label, changes in cols:
        title = (f"Not gated by a new microversion (seen by clients of {esc(log.base)} and "
                 "earlier)") if anchor == UNGATED else esc(label)
        out.append(f'<section class="ver" id="{esc(anchor)}"><h3>{title} '
                   f'<span class="n">({len(changes)})</span></h3>')
        if not changes:
            none = "None." if anchor == UNGATED else f"{log.nothing[:1].upper()}{log.nothing[1:]}."
            out.append(f'<p class="none">{esc(none)}</p></section>')
            continue
        out.append('<ul class="changes">' + "".join(_change(c) for c in changes) + "</ul>")
        out.append("</section>")
    out.append("</section>")
    return out


def render_timeline(log: Changelog) -> str:
    from ..changelog import _summary

    cols = columns(log)
    body = [f'<header><h1>apilint changelog</h1><p class="files"><code>{esc(log.source)}</code>'
            f"{f' since <code>{esc(log.base_ref)}</code>' if log.base_ref is not None else ''}"
            f'</p></header><main><p class="summary" id="summary">{esc(_summary(log))}.</p>']
    body += [f'<p class="warning">warning: {esc(w)}</p>' for w in log.warnings]
    body += [_legend(), *_table(log, cols), *_details(log, cols), "</main>"]
    title = f"apilint changelog: {log.source}"
    return page(title, body, style=STYLE)


STYLE = """
.summary{margin:12px 0 6px}.legend{color:var(--muted);margin:6px 0 10px}
div.timeline{overflow:auto;max-height:78vh;border:1px solid var(--line);border-radius:6px;
max-width:100%;width:fit-content}
table.timeline{border-collapse:separate;border-spacing:0;font-variant-numeric:tabular-nums}
.timeline th,.timeline td{border-right:1px solid var(--line);border-bottom:1px solid var(--line);
padding:0;text-align:center}
.timeline thead th{position:sticky;top:0;z-index:2;background:var(--panel);font-weight:600;
font-size:12px;writing-mode:vertical-rl;transform:rotate(180deg);padding:6px 2px;
white-space:nowrap;border-top:1px solid var(--line)}
.timeline thead th a{color:var(--fg);text-decoration:none}
.timeline thead th.quiet a{color:var(--muted);font-weight:normal}
.timeline thead th.call{writing-mode:horizontal-tb;transform:none;left:0;z-index:3;
text-align:left;padding:4px 8px;vertical-align:bottom}
.timeline tbody th{position:sticky;left:0;z-index:1;background:var(--bg);text-align:left;
font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-weight:normal;
white-space:nowrap;padding:1px 8px;max-width:34em;overflow:hidden;text-overflow:ellipsis}
.timeline td{min-width:22px;height:22px;background:var(--grey-bg)}
.timeline td.x{background:var(--bg)}
a.m,span.m{display:inline-flex;gap:1px;text-decoration:none;border-radius:4px;padding:0 1px;
line-height:18px}
a.m.brk,span.m.brk{box-shadow:0 0 0 1.5px var(--red)}
b.k-add,b.k-chg,b.k-doc,b.k-rm{display:inline-block;min-width:12px;border-radius:3px;
font:700 12px/16px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:center}
b.k-add{background:var(--green-bg);color:var(--green)}
b.k-rm{background:var(--red-bg);color:var(--red)}
b.k-chg{background:var(--amber-bg);color:var(--amber)}
b.k-doc{background:var(--grey-bg);color:var(--muted)}
section.ver{scroll-margin-top:8px}section.ver h3{margin:14px 0 4px}
section.ver:target h3{background:var(--blue-bg)}
ul.changes{margin:0;padding-left:18px}ul.changes li{margin:2px 0;overflow-wrap:anywhere}
p.none{margin:2px 0 2px 18px;color:var(--muted)}
.ver .n{color:var(--muted);font-weight:normal}
"""
