"""The changelog timeline (``apilint changelog --format html``) in a real headless Chromium.

Driven as tests/e2e/test_html_report.py drives the HTML report (its ``Browser`` over the
DevTools pipe, its skip without Chromium and its failure under ``APILINT_REQUIRE_BROWSER=1``).
What is checked, as a reader would see it: the page loads with no console error, CSP
violation or network request; the table has a column per version and a row per call, as the
JSON says; a wide history scrolls inside its own box, not the page; the version row and the
call column stay in view when that box is scrolled; a mark is painted where it should be and
is not hidden behind the sticky column; clicking it goes to the version's list; hostile spec
text stays text; a screenshot is not blank.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, ROOT, run_apilint
from test_html_report import Browser, png_pixels

from apilint.changelog import Changelog, VersionEntry, render
from apilint.model import Change, Location
from apilint.report._common import one_line

pytestmark = pytest.mark.e2e

SERVERS = ROOT / "fixtures" / "microversions" / "servers" / "spec.yaml"
COMPUTE = CORPUS / "openstack-openapi" / "compute" / "compute-c417006.yaml"


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    try:
        yield b
    finally:
        b.close()


def _both(tmp_path: Path, source: Path) -> tuple[Path, dict[str, Any]]:
    page = tmp_path / "changelog.html"
    run = run_apilint("changelog", source, "--format", "html", "--output", page, timeout=300)
    assert run.returncode == 0, run.stderr
    as_json = run_apilint("changelog", source, "--format", "json", timeout=300)
    assert as_json.returncode == 0, as_json.stderr
    return page, json.loads(as_json.stdout)


def _layout(b: Browser) -> dict[str, Any]:
    return b.eval("""(() => {
        const box = document.getElementById("timeline");
        const r = box.getBoundingClientRect();
        return {pageWidth: document.documentElement.scrollWidth, viewport: innerWidth,
                boxScrollWidth: box.scrollWidth, boxWidth: box.clientWidth,
                boxScrollHeight: box.scrollHeight, boxHeight: box.clientHeight,
                boxLeft: r.left, boxTop: r.top,
                columns: [...box.querySelectorAll("thead th")].map(t => t.textContent),
                rows: box.querySelectorAll("tbody tr").length,
                marks: box.querySelectorAll("a.m").length};
    })()""")


def _check_against_json(shown: dict[str, Any], log: dict[str, Any]) -> None:
    assert shown["columns"] == ["call", *[v["version"] for v in log["versions"]]]
    calls = {o for v in log["versions"] for c in v["changes"]
             for o in ([o for o in c["operations"] if o] or [c["operation"] or "(document)"])}
    assert shown["rows"] == len(calls)
    cells = {(o, v["version"]) for v in log["versions"] for c in v["changes"]
             for o in ([o for o in c["operations"] if o] or [c["operation"] or "(document)"])}
    assert shown["marks"] == len(cells)


def _sticky_after_scrolling(b: Browser) -> dict[str, Any]:
    """Scroll the table's box to its far right and bottom; where the heads are then."""
    return b.eval("""(() => {
        const box = document.getElementById("timeline");
        box.scrollLeft = box.scrollWidth; box.scrollTop = box.scrollHeight;
        const r = box.getBoundingClientRect();
        const lastHead = [...box.querySelectorAll("thead th")].pop().getBoundingClientRect();
        const rows = [...box.querySelectorAll("tbody th")];
        const lastRow = rows[rows.length - 1].getBoundingClientRect();
        const head = box.querySelector("thead th.call").getBoundingClientRect();
        return {scrolledLeft: box.scrollLeft, scrolledTop: box.scrollTop,
                boxLeft: r.left, boxTop: r.top, boxRight: r.right, boxBottom: r.bottom,
                headTop: head.top, headLeft: head.left, lastHeadRight: lastHead.right,
                lastHeadTop: lastHead.top, lastRowLeft: lastRow.left,
                lastRowBottom: lastRow.bottom};
    })()""")


def _mark_is_painted(b: Browser, selector: str) -> dict[str, Any]:
    """Bring a mark into the middle of the box; what is painted at its centre."""
    return b.eval(f"""(() => {{
        const m = document.querySelector({json.dumps(selector)});
        m.scrollIntoView({{block: "center", inline: "center"}});
        const r = m.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        const glyph = m.querySelector("b");
        return {{width: r.width, height: r.height, hitIsMark: m.contains(hit),
                 colour: getComputedStyle(glyph).color,
                 background: getComputedStyle(glyph).backgroundColor,
                 title: m.title, href: m.getAttribute("href"), text: m.textContent}};
    }})()""")


def test_fixture_timeline_renders_scrolls_and_keeps_its_heads(browser: Browser,
                                                               tmp_path: Path) -> None:
    page, log = _both(tmp_path, SERVERS)
    browser.open(page)
    assert browser.problems() == []
    shown = _layout(browser)
    _check_against_json(shown, log)
    # 72 versions do not fit 1280 px: the table scrolls in its box, the page does not.
    assert shown["pageWidth"] <= shown["viewport"]
    assert shown["boxScrollWidth"] > shown["boxWidth"]
    after = _sticky_after_scrolling(browser)
    assert after["scrolledLeft"] > 0
    # The call column's head stays at the box's top-left corner; the last row's call name
    # at the box's left edge; the last version's head at the box's top.
    assert abs(after["headLeft"] - after["boxLeft"]) <= 2
    assert abs(after["headTop"] - after["boxTop"]) <= 2
    assert abs(after["lastRowLeft"] - after["boxLeft"]) <= 2
    assert abs(after["lastHeadTop"] - after["boxTop"]) <= 2
    assert after["lastHeadRight"] <= after["boxRight"] + 1

    # progress_hint removed at 2.7 (breaking): a red mark, painted, reachable.
    mark = _mark_is_painted(browser, 'a.m[href="#v2.7"]')
    assert mark["hitIsMark"], "the mark is covered (by the sticky column or header?)"
    assert mark["width"] >= 8 and mark["height"] >= 8
    assert mark["text"] == "\u2212" and mark["colour"] != mark["background"]
    assert 'response property "progress_hint" removed' in mark["title"]
    browser.click('a.m[href="#v2.7"]')
    browser.settle()
    target = browser.eval("""(() => { const s = document.getElementById("v2.7");
        const r = s.getBoundingClientRect();
        return [location.hash, r.top >= -1 && r.top < innerHeight, s.textContent]; })()""")
    assert target[0] == "#v2.7" and target[1]
    assert "progress_hint" in target[2]
    # A version with no visible change keeps its column and says so in the list.
    quiet = browser.eval("document.getElementById('v2.2').textContent")
    assert "No change visible in the spec" in quiet
    assert browser.problems() == []


@pytest.mark.corpus
def test_real_compute_history_opens_and_stays_usable(browser: Browser, tmp_path: Path) -> None:
    page, log = _both(tmp_path, COMPUTE)
    seconds = browser.open(page)
    assert browser.problems() == []
    shown = _layout(browser)
    _check_against_json(shown, log)
    assert shown["pageWidth"] <= shown["viewport"]
    assert shown["boxHeight"] < shown["boxScrollHeight"]  # 114 calls scroll inside the box
    after = _sticky_after_scrolling(browser)
    assert abs(after["headTop"] - after["boxTop"]) <= 2
    assert abs(after["lastRowLeft"] - after["boxLeft"]) <= 2
    # 2.36: the proxy APIs go away.
    mark = _mark_is_painted(browser, 'a.m[href="#v2.36"]')
    assert mark["hitIsMark"] and "removed" in mark["title"]
    print(f"\ncompute changelog timeline: {len(log['versions'])} versions x {shown['rows']} "
          f"calls, {page.stat().st_size // 1024} KB, load {seconds * 1000:.0f} ms")
    assert seconds < 20


HOSTILE = ("</style><script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">"
           " 'single' \"double\" &amp; <!-- \u2028 \u2029 end")


def _hostile() -> Changelog:
    loc = Location(f"api{HOSTILE}.yaml", "/paths/~1x", 3, 5)
    change = Change(rule="response-property-added", category="added-field",
                    compat="compatible", operation=f"GET /x{HOSTILE}",
                    location=f"/paths/{HOSTILE}", message=f"added {HOSTILE}", revision=loc,
                    operations=(f"GET /x{HOSTILE}",))
    return Changelog(source=f"spec{HOSTILE}.yaml", kind="spec", base="2.1", latest="2.3",
                     versions=[VersionEntry("2.2", "2.1", []),
                               VersionEntry("2.3", "2.2", [change])],
                     warnings=[f"warn {HOSTILE}"], base_ref=f"main{HOSTILE}", ungated=[])


def test_hostile_spec_text_stays_text(browser: Browser, tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(render(_hostile(), "html"), encoding="utf-8")
    browser.open(page)
    assert browser.problems() == []
    assert browser.eval("typeof window.pwned") == "undefined"
    assert browser.eval("document.querySelectorAll('img, script').length") == 0
    assert browser.eval("document.querySelectorAll('style').length") == 1
    row = browser.eval("document.querySelector('tbody th').textContent")
    assert row == one_line(f"GET /x{HOSTILE}")
    title = browser.eval("document.querySelector('a.m').title")
    assert title == f"2.3: {one_line(f'GET /x{HOSTILE}')}\n+ {one_line(f'added {HOSTILE}')}"
    assert one_line(HOSTILE) in browser.eval("document.title")
    assert browser.eval("document.getElementById('timeline').querySelectorAll('thead th')"
                        ".length") == 4  # call, not gated, 2.2, 2.3


def test_screenshot_is_not_blank(browser: Browser, tmp_path: Path) -> None:
    page, _ = _both(tmp_path, SERVERS)
    browser.open(page)
    clip = base64.b64decode(browser.send("Page.captureScreenshot", {
        "format": "png", "clip": {"x": 0, "y": 0, "width": 900, "height": 600, "scale": 0.5},
    })["data"])
    width, height, rows = png_pixels(clip)
    assert (width, height) == (450, 300)
    colours = set()
    for row in rows[::3]:
        step = len(row) // width
        colours.update(row[x:x + 3] for x in range(0, len(row), step * 3))
    assert len(colours) > 20, len(colours)
