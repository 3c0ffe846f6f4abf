"""``apilint changelog --format html``: the timeline page, read back with ``html.parser``.

The grid (versions across, calls down) must say exactly what the changelog's JSON says: a
cell is marked where, and only where, a change of that version reaches that call, with the
marks of the kinds of its changes; every version has a column and an entry in the list,
those without changes too; ``--base`` puts the ungated changes first. Hostile spec text stays
text: the page has no script, its only style is allowed by hash, and nothing in an attribute
or the text can open a tag. The page in a browser: tests/e2e/test_changelog_html.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, ROOT, run_apilint

from apilint.changelog import Changelog, VersionEntry, build, render
from apilint.model import Change, Location
from apilint.report._common import one_line

SERVERS = ROOT / "fixtures" / "microversions" / "servers" / "spec.yaml"
# What a change does to its call, written out here independently of the renderer.
KIND = {"new-call": "add", "added-field": "add", "removed-call": "rm", "removed-field": "rm",
        "behavior-change": "chg", "doc-change": "doc"}


class Grid(HTMLParser):
    """The timeline table as data: column labels, and per row the call and its cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.columns: list[str] = []
        self.rows: list[dict[str, Any]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.sections: dict[str, str] = {}  # id of a version's entry -> its text
        self.raw: list[str] = []  # text of <style> and <script> elements
        self._where: list[str] = []
        self._text: list[str] | None = None
        self._cell: dict[str, Any] | None = None
        self._section: str | None = None
        self._raw = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        self._raw = tag in ("style", "script")
        if self._raw:
            self.raw.append("")
        if tag in ("thead", "tbody"):
            self._where.append(tag)
        elif tag == "th" and self._where:
            self._text = []
        elif tag == "tr" and self._where[-1:] == ["tbody"]:
            self.rows.append({"call": "", "cells": []})
        elif tag == "td":
            self._cell = {"absent": a.get("class") == "x", "kinds": [], "title": None,
                          "href": None, "breaking": False}
            self.rows[-1]["cells"].append(self._cell)
        elif tag == "a" and self._cell is not None:
            self._cell.update(title=a.get("title"), href=a.get("href"),
                              breaking="brk" in (a.get("class") or "").split())
        elif tag == "b" and self._cell is not None:
            self._cell["kinds"].append((a.get("class") or "").removeprefix("k-"))
        elif tag == "section" and "ver" in (a.get("class") or "").split():
            self._section = a.get("id")
            self.sections[str(self._section)] = ""

    def handle_endtag(self, tag: str) -> None:
        self._raw = False
        if tag in ("thead", "tbody"):
            self._where.pop()
        elif tag == "th" and self._text is not None:
            text = "".join(self._text)
            if self._where[-1:] == ["thead"]:
                self.columns.append(text)
            else:
                self.rows[-1]["call"] = text
            self._text = None
        elif tag == "td":
            self._cell = None
        elif tag == "section":
            self._section = None

    def handle_data(self, data: str) -> None:
        if self._raw:
            self.raw[-1] += data
        if self._text is not None:
            self._text.append(data)
        if self._section is not None:
            self.sections[self._section] += data


def grid(page: str) -> Grid:
    g = Grid()
    g.feed(page)
    g.close()
    return g


def expected_cells(log: dict[str, Any]) -> tuple[list[str], dict[tuple[str, int], set[str]]]:
    """Column labels and (call, column) -> kinds, from the changelog's JSON."""
    cols = [("not gated", log["ungated"])] if "ungated" in log else []
    cols += [(v["version"], v["changes"]) for v in log["versions"]]
    cells: dict[tuple[str, int], set[str]] = {}
    for i, (_, changes) in enumerate(cols):
        for ch in changes:
            ops = [o for o in ch["operations"] if o] or [ch["operation"] or "(document)"]
            for op in ops:
                cells.setdefault((op, i), set()).add(KIND[ch["category"]])
    return [label for label, _ in cols], cells


def check_grid(page: str, log: dict[str, Any]) -> Grid:
    g = grid(page)
    labels, want = expected_cells(log)
    assert g.columns == ["call", *labels]
    calls = [r["call"] for r in g.rows]
    assert sorted(calls) == sorted({op for op, _ in want}), "one row per call a change reaches"
    got: dict[tuple[str, int], set[str]] = {}
    for row in g.rows:
        assert len(row["cells"]) == len(labels)
        for i, cell in enumerate(row["cells"]):
            if cell["kinds"]:
                got[(row["call"], i)] = set(cell["kinds"])
                assert cell["href"] == ("#ungated" if labels[i] == "not gated"
                                        else f"#v{labels[i]}")
                assert cell["title"].startswith(f"{labels[i]}: {row['call']}\n")
            else:
                assert cell["title"] is None and cell["href"] is None
    assert got == want
    # Every column has its entry in the list under the table, empty ones saying so.
    assert len(g.sections) == len(labels)
    for v in log["versions"]:
        text = g.sections[f"v{v['version']}"]
        if not v["changes"]:
            assert "o change visible in the" in text
        for ch in v["changes"]:
            assert one_line(ch["message"]) in text
    return g


def test_grid_matches_the_json_of_a_small_annotated_spec() -> None:
    log = build(str(SERVERS))
    page = render(log, "html")
    data = log.to_dict()
    g = check_grid(page, data)
    assert len(g.columns) - 1 == len(log.versions) == 72  # 2.2 … 2.73, quiet ones too
    # A breaking change rings its mark: progress_hint removed at 2.7.
    row = next(r for r in g.rows if r["call"] == "GET /servers/{server_id}")
    cell = row["cells"][g.columns.index("2.7") - 1]
    assert cell["kinds"] == ["rm"] and cell["breaking"]
    assert 'response property "progress_hint" removed' in cell["title"]
    added = row["cells"][g.columns.index("2.3") - 1]
    assert added["kinds"] == ["add"] and not added["breaking"]
    # os-images goes away at 2.36 (max-ver 2.35): existing before, absent from 2.36 on.
    row = next(r for r in g.rows if r["call"] == "GET /os-images")
    at = g.columns.index("2.36") - 1
    assert row["cells"][at]["kinds"] == ["rm"]
    assert [c["absent"] for c in row["cells"]] == [False] * at + [True] * (len(row["cells"])
                                                                           - at)


def test_a_call_that_appears_then_goes_is_shaded_only_in_between(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("""openapi: 3.0.3
info: {title: t, version: '2.6'}
paths:
  /a:
    get:
      x-openstack: {min-ver: '2.1'}
      responses: {'200': {description: ok}}
  /b:
    get:
      x-openstack: {min-ver: '2.3', max-ver: '2.4'}
      responses: {'200': {description: ok}}
    post:
      x-openstack: {min-ver: '2.1'}
      responses: {'200': {description: ok}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                x: {type: string, x-openstack: {min-ver: '2.6'}}
""", encoding="utf-8")
    log = build(str(spec))
    g = check_grid(render(log, "html"), log.to_dict())
    assert g.columns == ["call", "2.2", "2.3", "2.4", "2.5", "2.6"]
    rows = {r["call"]: r["cells"] for r in g.rows}
    assert list(rows) == ["GET /b", "POST /b"]  # by path, then method
    assert [c["absent"] for c in rows["GET /b"]] == [True, False, False, True, True]
    assert [c["kinds"] for c in rows["GET /b"]] == [[], ["add"], [], ["rm"], []]
    assert [c["absent"] for c in rows["POST /b"]] == [False] * 5
    assert rows["POST /b"][4]["kinds"] == ["add"]


def test_base_ref_mode_puts_the_ungated_changes_first() -> None:
    log = _hand_made(nasty="")
    log.base_ref = "origin/main"
    log.ungated = [_change("x", "GET /a", "behavior-change", "breaking", "x changed")]
    g = check_grid(render(log, "html"), log.to_dict())
    assert g.columns[:2] == ["call", "not gated"]
    assert "Not gated by a new microversion" in g.sections["ungated"]


def test_every_version_in_the_cli_output(tmp_path: Path) -> None:
    out = tmp_path / "log.html"
    run = run_apilint("changelog", SERVERS, "--format", "html", "--output", out)
    assert run.returncode == 0, run.stderr
    as_json = run_apilint("changelog", SERVERS, "--format", "json")
    check_grid(out.read_text(encoding="utf-8"), json.loads(as_json.stdout))
    bad = run_apilint("changelog", SERVERS, "--format", "htm")
    assert bad.returncode == 2 and "html" in bad.stderr


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["compute spec", "samples"])
def test_real_nova_timeline_matches_the_json(name: str) -> None:
    """Nova's real history (96 and 103 versions): every cell as in the JSON, every version a
    column, and a page a browser opens at once (the size is printed; the bound is loose)."""
    source = {"compute spec": CORPUS / "openstack-openapi" / "compute" / "compute-c417006.yaml",
              "samples": CORPUS / "nova-api-samples"}[name]
    log = build(str(source))
    start = time.perf_counter()
    page = render(log, "html")
    seconds = time.perf_counter() - start
    g = check_grid(page, log.to_dict())
    assert len(g.columns) - 1 == len(log.versions) > 90
    assert sum(1 for v in log.versions if not v.changes) > 10  # quiet versions kept
    size = len(page.encode("utf-8"))
    print(f"\n{name}: {len(log.versions)} versions x {len(g.rows)} calls, "
          f"{size // 1024} KB, rendered in {seconds * 1000:.0f} ms")
    assert size < 2_000_000


# -- hostile spec text ---------------------------------------------------------------------------
NASTY = ("<script>alert(1)</script></SCRIPT ><!-- \"dq\" 'sq' &amp; &lt; \u2028\u2029 "
         "\x00\x1b \ud800 <img src=x onerror=alert(2)> ]]> `tick` \n newline")


def _change(name: str, op: str, category: str, compat: str, message: str) -> Change:
    loc = Location(f"spec{name}.yaml", f"/paths/{name}", 3, 4)
    return Change(rule=f"rule-{name}", category=category, compat=compat, operation=op,
                  location=f"/paths/{name}", message=message, revision=loc,
                  operations=(op, f"{op}/second") if op else ())


def _hand_made(nasty: str = NASTY) -> Changelog:
    changes = [_change(nasty, f"GET /{nasty}", "added-field", "compatible", f"added {nasty}"),
               _change(nasty, f"POST /{nasty}", "removed-call", f"breaking{nasty}",
                       f"removed {nasty}"),
               _change(nasty, "", "doc-change", "none", f"doc {nasty}")]
    return Changelog(source=f"spec{nasty}.yaml", kind="spec", base="2.1", latest="2.3",
                     versions=[VersionEntry("2.2", "2.1", []),
                               VersionEntry("2.3", "2.2", changes)],
                     warnings=[f"warn {nasty}"], base_ref=f"ref{nasty}" if nasty else None)


def test_hostile_text_is_escaped_and_the_page_runs_nothing() -> None:
    log = _hand_made()
    page = render(log, "html")
    page.encode("utf-8")  # no lone surrogate left to fail the write
    assert "\u2028" not in page and "\u2029" not in page and "\x00" not in page
    g = grid(page)
    tags = [t for t, _ in g.tags]
    assert "img" not in tags and "script" not in tags and tags.count("style") == 1
    assert "<script" not in page.lower() and "<!--" not in page and "<img" not in page
    for _, attrs in g.tags:
        for name, value in attrs.items():
            assert "onerror" not in name
            # A tooltip holds spec text (inert in a quoted attribute); nothing else does.
            assert value is None or name == "title" or "<" not in value
    raw_titles = re.findall(r' title="([^"]*)"', page)
    assert raw_titles and not any(set(t) & set("<>'") for t in raw_titles)
    # The text is there, escaped: in the header, the list, the tooltips and the row heads.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;dq&quot; &#x27;sq&#x27; &amp;amp;" in page
    calls = [r["call"] for r in g.rows]
    assert one_line(f"GET /{NASTY}").replace("\ud800", "\ufffd") in calls
    # The row head's tooltip is the whole call name, as text.
    heads = [a.get("title") for t, a in g.tags if t == "th" and a.get("scope") == "row"]
    assert sorted(heads) == sorted(calls)
    assert "(document)" in calls
    titles = [c["title"] for r in g.rows for c in r["cells"] if c["title"]]
    assert any(one_line(f"added {NASTY}").replace("\ud800", "\ufffd") in t for t in titles)
    assert all(len(t.split("\n")) >= 2 for t in titles)  # one change a line, no more breaks
    # An odd compat value is shown as text, never written into a class name.
    assert {a.get("class") for t, a in g.tags if t == "span" and "badge" in a.get("class", "")
            } == {"badge c-compatible", "badge c-other", "badge c-none"}
    assert one_line(f"breaking{NASTY}").replace("\ud800", "\ufffd") in g.sections["v2.3"]


def test_csp_allows_the_pages_own_style_and_no_script() -> None:
    page = render(_hand_made(), "html")
    g = grid(page)
    csp = next(a["content"] for t, a in g.tags
               if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp and "default-src 'none'" in csp and "script-src 'none'" in csp
    assert "unsafe" not in csp
    (style,) = g.raw
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in csp
    # Nothing points outside the page: links are the page's own anchors.
    assert not re.search(r"""url\(|@import|https?://""", style)
    assert not any("src" in a or "srcset" in a for _, a in g.tags)
    hrefs = {a["href"] for t, a in g.tags if t == "a"}
    assert hrefs and all(h.startswith("#") for h in hrefs)
    ids = {a["id"] for _, a in g.tags if a.get("id")}
    assert {h[1:] for h in hrefs} <= ids
