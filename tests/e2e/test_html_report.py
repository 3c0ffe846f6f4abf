"""The HTML report in a real headless Chromium, driven over the DevTools protocol.

The browser is Debian's ``chromium`` (``.ci/run`` installs it). It is driven with the Chrome
DevTools Protocol over ``--remote-debugging-pipe`` (NUL-terminated JSON on file descriptors 3
and 4), written here with the standard library: no Playwright wheel and driver (~40 MB, whose
own browser download is not reachable here anyway), no websocket client, nothing to keep in
step with the browser but a handful of stable protocol methods.

What is checked: the page loads with no console error, exception, CSP violation or network
request; the counts it shows match the JSON report of the same diff; a filter click and the
search box change what is visible; the rule's ``why`` opens on demand; spec text with
``</script>``, quotes and U+2028 stays text; a screenshot is not blank; a 5,000-change report
loads and filters in bounded time (the times are printed, loosely bounded, not asserted tight).

Without Chromium these tests skip, saying why; with ``APILINT_REQUIRE_BROWSER=1`` (set by
``.ci/run``) a missing browser is a failure instead.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, ROOT

from apilint.model import Change, Finding, Location, Report
from apilint.report import render

PETSTORE = ROOT / "fixtures" / "examples" / "petstore"
KUBERNETES = CORPUS / "real" / "kubernetes-release-1.34__release-1.35"

pytestmark = pytest.mark.e2e


def _chromium() -> str | None:
    for name in (os.environ.get("APILINT_CHROMIUM"), "chromium", "chromium-browser",
                 "google-chrome", "google-chrome-stable"):
        if name and (path := shutil.which(name)):
            return path
    return None


CHROMIUM = _chromium()
if CHROMIUM is None:
    REASON = ("no Chromium on PATH (install Debian's `chromium`, or set APILINT_CHROMIUM); "
              "the HTML report's browser tests need a real browser")
    if os.environ.get("APILINT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"APILINT_REQUIRE_BROWSER=1 but {REASON}", pytrace=False)
    pytest.skip(REASON, allow_module_level=True)


class CDPError(RuntimeError):
    pass


class Browser:
    """One headless Chromium, one page, spoken to over the DevTools pipe."""

    def __init__(self, width: int = 1280, height: int = 900) -> None:
        self.profile = tempfile.mkdtemp(prefix="apilint-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--remote-debugging-pipe", f"--user-data-dir={self.profile}",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--mute-audio",
                "--hide-scrollbars", f"--window-size={width},{height}", "about:blank"]
        devnull = os.open(os.devnull, os.O_RDWR)
        # The protocol pipe must be descriptors 3 (commands in) and 4 (replies out).
        actions = [(os.POSIX_SPAWN_DUP2, devnull, 0), (os.POSIX_SPAWN_DUP2, devnull, 1),
                   (os.POSIX_SPAWN_DUP2, devnull, 2),
                   (os.POSIX_SPAWN_DUP2, self._high(to_browser_r), 3),
                   (os.POSIX_SPAWN_DUP2, self._high(from_browser_w), 4)]
        self.pid = os.posix_spawn(CHROMIUM, args, os.environ, file_actions=actions)
        for fd in (to_browser_r, from_browser_w, devnull):
            os.close(fd)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session = ""
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=None)
        attached = self.send("Target.attachToTarget",
                             {"targetId": target["targetId"], "flatten": True}, session=None)
        self.session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    _kept: list[int] = []

    def _high(self, fd: int) -> int:
        """A copy of ``fd`` numbered above 4, so dup2 onto 3 and 4 never lands on itself."""
        import fcntl

        high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
        self._kept.append(high)
        return high

    def _read(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise CDPError(f"no message from Chromium within {timeout} s")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise CDPError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(raw)

    def send(self, method: str, params: dict[str, Any] | None = None, *,
             session: str | None | bool = True, timeout: float = 60) -> dict[str, Any]:
        self._next_id += 1
        msg: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        sid = self.session if session is True else session
        if sid:
            msg["sessionId"] = sid
        os.write(self._to_browser, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read(timeout)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_event(self, method: str, timeout: float = 60) -> dict[str, Any]:
        for i, ev in enumerate(self.events):
            if ev["method"] == method:
                return self.events.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            ev = self._read(max(0.01, deadline - time.monotonic()))
            if ev.get("method") == method:
                return ev
            if "method" in ev:
                self.events.append(ev)

    def open(self, path: Path) -> float:
        """Load a file; the seconds from navigation to the load event."""
        self.events.clear()
        start = time.perf_counter()
        self.send("Page.navigate", {"url": path.resolve().as_uri()})
        self.wait_event("Page.loadEventFired")
        return time.perf_counter() - start

    def eval(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise CDPError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click (press and release) at the element's centre."""
        box = self.eval(f"""(() => {{
            const e = document.querySelector({json.dumps(selector)});
            e.scrollIntoView({{block: "center"}});
            const r = e.getBoundingClientRect();
            return [r.left + r.width / 2, r.top + r.height / 2];
        }})()""")
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1],
                                                   "button": "left", "clickCount": 1})

    def type(self, selector: str, text: str) -> None:
        self.click(selector)
        self.send("Input.insertText", {"text": text})

    def settle(self) -> None:
        """Wait for pending timers (the search debounce) and two frames."""
        self.eval("new Promise(r => setTimeout(() => requestAnimationFrame(() => "
                  "requestAnimationFrame(r)), 120))")

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions, CSP violations and any network request."""
        out = []
        for ev in self.events:
            m, p = ev["method"], ev.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append(f"exception: {p['exceptionDetails']}")
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert",
                                                                        "warning"):
                out.append(f"console.{p['type']}: {p.get('args')}")
            elif m == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
                out.append(f"log: {p['entry'].get('text')}")
            elif m == "Network.requestWillBeSent":
                url = p["request"]["url"]
                if not url.startswith(("file:", "data:", "about:")):
                    out.append(f"network request: {url}")
        return out

    def screenshot(self) -> bytes:
        shot = self.send("Page.captureScreenshot", {"format": "png"})
        return base64.b64decode(shot["data"])

    def close(self) -> None:
        try:
            self.send("Browser.close", session=None, timeout=10)
        except (CDPError, OSError):
            pass
        for _ in range(100):
            if os.waitpid(self.pid, os.WNOHANG)[0]:
                break
            time.sleep(0.05)
        else:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        for fd in (self._to_browser, self._from_browser, *self._kept):
            try:
                os.close(fd)
            except OSError:
                pass
        self._kept.clear()
        shutil.rmtree(self.profile, ignore_errors=True)


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered rows of an 8-bit RGB/RGBA PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = channels = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "apilint", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    try:
        yield b
    finally:
        b.close()


def _both(tmp_path: Path, command: str, base: Path, revision: Path) -> tuple[Path, dict]:
    page = tmp_path / "report.html"
    # Paths as a user in the checkout types them (the README's screenshot shows them).
    run = _cli(command, os.path.relpath(base, ROOT), os.path.relpath(revision, ROOT),
               "--format", "json",
               "--format", "html", "--output", str(page))
    assert run.returncode in (0, 1), run.stderr
    return page, json.loads(run.stdout)


def _shown(b: Browser) -> dict[str, Any]:
    """What the page shows: its summary table, totals, status and visible rows."""
    return b.eval("""(() => {
        const cells = {};
        document.querySelectorAll("table.summary td[data-category][data-compat]")
          .forEach(td => { cells[td.dataset.category + "/" + td.dataset.compat] =
                           Number(td.textContent); });
        const rows = [...document.querySelectorAll("li.row")];
        const visible = rows.filter(r => r.offsetParent !== null);
        return {cells, total: Number(document.getElementById("total-changes").textContent),
                breaking: Number(document.getElementById("total-breaking").textContent),
                rows: rows.length, visible: visible.length,
                visibleText: visible.map(r => r.textContent),
                visibleCompat: visible.map(r => r.querySelector(".badge").className),
                status: document.getElementById("status").textContent,
                ready: document.body.dataset.ready};
    })()""")


def _check_counts(shown: dict[str, Any], report: dict) -> None:
    changes = report["changes"]
    assert shown["ready"] == "1"
    assert shown["total"] == report["summary"]["changes"] == len(changes) == shown["rows"]
    assert shown["breaking"] == report["summary"]["breaking"]
    assert shown["visible"] == len(changes)
    for category, n in report["summary"]["by_category"].items():
        assert sum(v for k, v in shown["cells"].items() if k.startswith(category + "/")) == n
    for key, n in shown["cells"].items():
        category, compat = key.split("/")
        assert n == sum(1 for c in changes
                        if c["category"] == category and c["compat"] == compat), key


def test_petstore_check_loads_clean_and_matches_json(browser: Browser, tmp_path: Path) -> None:
    page, report = _both(tmp_path, "check", PETSTORE / "base.yaml", PETSTORE / "revision.yaml")
    browser.open(page)
    shown = _shown(browser)
    assert browser.problems() == []
    _check_counts(shown, report)
    assert shown["status"] == f"{len(report['changes'])} of {len(report['changes'])} changes shown"
    verdict = browser.eval("document.getElementById('verdict').textContent")
    assert verdict.startswith("Version rule violated")
    versions = browser.eval("document.getElementById('versions').textContent")
    assert report["versions"]["base"] in versions and "openstack" in versions
    findings = browser.eval("[...document.querySelectorAll('li.finding')].map(f => f.textContent)")
    assert len(findings) == len(report["findings"])
    assert "version-not-bumped" in findings[0]
    # Breaking first, then other API changes, then documentation.
    order = browser.eval("[...document.querySelectorAll('li.row .badge')].map(b => b.textContent)")
    rank = {"breaking": 0, "compatible": 1, "docs only": 2}
    assert [rank[o] for o in order] == sorted(rank[o] for o in order)
    assert order.count("breaking") == report["summary"]["breaking"]


@pytest.mark.corpus
def test_kubernetes_release_counts_match_json(browser: Browser, tmp_path: Path) -> None:
    page, report = _both(tmp_path, "diff", KUBERNETES / "old.json", KUBERNETES / "new.json")
    seconds = browser.open(page)
    assert browser.problems() == []
    _check_counts(_shown(browser), report)
    render_ms = browser.eval("document.body.dataset.renderMs")
    print(f"\nkubernetes 1.34->1.35: {len(report['changes'])} changes, "
          f"{page.stat().st_size // 1024} KB, load {seconds * 1000:.0f} ms, "
          f"render {render_ms} ms")


def test_filter_click_and_search_change_what_is_visible(browser: Browser,
                                                        tmp_path: Path) -> None:
    page, report = _both(tmp_path, "diff", PETSTORE / "base.yaml", PETSTORE / "revision.yaml")
    browser.open(page)
    total = len(report["changes"])
    breaking = report["summary"]["breaking"]
    assert 0 < breaking < total

    browser.click("#filter-compat input[value=breaking]")  # untick "breaking"
    browser.settle()
    shown = _shown(browser)
    assert shown["visible"] == total - breaking
    assert not any("c-breaking" in c for c in shown["visibleCompat"])
    assert shown["status"] == f"{total - breaking} of {total} changes shown"
    browser.click("#filter-compat input[value=breaking]")
    browser.settle()
    assert _shown(browser)["visible"] == total

    browser.click("#filter-category input[value=doc-change]")
    browser.settle()
    docs = report["summary"]["by_category"]["doc-change"]
    assert _shown(browser)["visible"] == total - docs
    browser.click("#reset")
    browser.settle()
    assert _shown(browser)["visible"] == total

    browser.type("#search", "species")
    browser.settle()
    shown = _shown(browser)
    expected = [c for c in report["changes"]
                if "species" in json.dumps([c["message"], c["location"]]).lower()]
    assert 0 < shown["visible"] == len(expected) < total
    assert all("species" in t.lower() for t in shown["visibleText"])

    browser.type("#search", " nosuchthingatall")
    browser.settle()
    shown = _shown(browser)
    assert shown["visible"] == 0 and shown["status"].startswith("0 of")
    assert browser.eval("[...document.querySelectorAll('.sec')].every(s => s.hidden)")
    browser.click("#reset")
    browser.settle()
    assert _shown(browser)["visible"] == total

    # The operation list: only the changes that reach that operation.
    op = "DELETE /pets/{id}"
    browser.eval(f"""(() => {{ const s = document.getElementById("operation");
        s.value = [...s.options].find(o => o.textContent.startsWith({json.dumps(op + " (")}))
                  .value;
        s.dispatchEvent(new Event("change", {{bubbles: true}}));
    }})()""")
    browser.settle()
    assert _shown(browser)["visible"] == sum(1 for c in report["changes"]
                                             if op in c["operations"])
    assert browser.problems() == []


def test_rule_why_opens_on_demand(browser: Browser, tmp_path: Path) -> None:
    from apilint.catalogue import rules

    page, report = _both(tmp_path, "diff", PETSTORE / "base.yaml", PETSTORE / "revision.yaml")
    browser.open(page)
    rule = browser.eval("document.querySelector('li.row button.rule').textContent")
    assert browser.eval("document.querySelector('li.row p.why')") is None
    browser.click("li.row button.rule")
    browser.settle()
    why = browser.eval("""(() => { const p = document.querySelector('li.row p.why');
        return [p.textContent, p.offsetParent !== null, p.closest('li') ===
                document.querySelector('li.row')]; })()""")
    assert why == [" ".join(rules()[rule].why.split()), True, True]
    assert browser.eval("document.querySelector('li.row button.rule')"
                        ".getAttribute('aria-expanded')") == "true"
    browser.click("li.row button.rule")  # and closes again
    browser.settle()
    assert browser.eval("document.querySelector('li.row p.why').offsetParent") is None
    # A finding's why is in a <details>, written in the page.
    page, _ = _both(tmp_path, "check", PETSTORE / "base.yaml", PETSTORE / "revision.yaml")
    browser.open(page)
    browser.click("li.finding details.why summary")
    text = browser.eval("document.querySelector('li.finding details.why p').textContent")
    assert text == " ".join(rules()["version-not-bumped"].why.split())
    assert browser.problems() == []


HOSTILE = ("</script><script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">"
           " 'single' \"double\" &amp; <!-- \u2028 \u2029 end")


def _hostile_report() -> Report:
    loc = Location(f"api{HOSTILE}.yaml", "/paths/~1x", 3, 5)
    changes = [Change(rule="description-changed", category="doc-change", compat="none",
                      operation=f"GET /x{HOSTILE}", location=f"/paths/{HOSTILE}",
                      message=f"description changed: {HOSTILE}", revision=loc,
                      operations=(f"GET /x{HOSTILE}",)),
               Change(rule="response-property-removed", category="removed-field",
                      compat="breaking", operation="GET /y", location="/paths/~1y",
                      message="response property \"</script>\" removed", base=loc,
                      operations=("GET /y",))]
    finding = Finding(id="version-not-bumped", level="error", message=f"bad {HOSTILE}",
                      changes=changes, location=loc)
    return Report(base=f"base{HOSTILE}", revision="rev.yaml", changes=changes,
                  findings=[finding], warnings=[f"warn {HOSTILE}"], command="check",
                  policy="openstack", scheme="microversion", base_version="2.1",
                  revision_version=f"2.1{HOSTILE}", exit_code=1)


def test_hostile_spec_text_stays_text(browser: Browser, tmp_path: Path) -> None:
    from apilint.report._common import one_line

    page = tmp_path / "hostile.html"
    page.write_text(render(_hostile_report(), "html"), encoding="utf-8")
    browser.open(page)
    assert browser.problems() == []
    assert browser.eval("typeof window.pwned") == "undefined"
    assert browser.eval("document.querySelectorAll('img, script:not([type])').length") == 1
    messages = browser.eval("[...document.querySelectorAll('li.row .msg')]"
                            ".map(m => m.textContent)")
    assert one_line(f"description changed: {HOSTILE}") in messages
    assert 'response property "</script>" removed' in messages
    assert one_line(HOSTILE) in browser.eval("document.querySelector('li.finding').textContent")
    assert one_line(HOSTILE) in browser.eval("document.title")
    assert browser.eval("document.getElementById('operation').options.length") == 3


def test_screenshot_is_not_blank(browser: Browser, tmp_path: Path) -> None:
    page, _ = _both(tmp_path, "check", PETSTORE / "base.yaml", PETSTORE / "revision.yaml")
    browser.open(page)
    png = browser.screenshot()
    # Decode a half-scale clip of the top of the page: enough pixels to tell, quick to decode.
    clip = base64.b64decode(browser.send("Page.captureScreenshot", {
        "format": "png", "clip": {"x": 0, "y": 0, "width": 900, "height": 600, "scale": 0.5},
    })["data"])
    width, height, rows = png_pixels(clip)
    assert (width, height) == (450, 300)
    colours = set()
    for row in rows[::3]:
        step = len(row) // width
        colours.update(row[x:x + 3] for x in range(0, len(row), step * 3))
    # Text, badges, the verdict's background: a rendered page has many colours, a blank one 1.
    assert len(colours) > 20, len(colours)
    assert len(png) > 10_000
    if target := os.environ.get("APILINT_SCREENSHOT"):
        _readme_screenshot(browser, Path(target))


def _readme_screenshot(b: Browser, target: Path) -> None:
    """The README's picture (docs/html-report.png): the whole pet store check page, 1040 px
    wide at 3/4 scale, the first change's rule explained."""
    b.send("Emulation.setDeviceMetricsOverride",
           {"width": 1040, "height": 800, "deviceScaleFactor": 1, "mobile": False})
    try:
        b.click("li.row button.rule")
        b.settle()
        height = b.eval("document.documentElement.scrollHeight")
        shot = b.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": 1040, "height": height, "scale": 0.75}})
        target.write_bytes(base64.b64decode(shot["data"]))
    finally:
        b.send("Emulation.setDeviceMetricsOverride",
               {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})


def _synthetic(n: int) -> Report:
    cats = [("removed-field", "breaking", "response-property-removed"),
            ("added-field", "compatible", "response-property-added"),
            ("behavior-change", "breaking", "response-enum-value-added"),
            ("doc-change", "none", "description-changed"),
            ("doc-change", "none", "description-changed")]
    changes = []
    for i in range(n):
        category, compat, rule = cats[i % len(cats)]
        op = f"{('GET', 'POST', 'PUT', 'DELETE')[i % 4]} /things/{i % 97}/parts"
        changes.append(Change(
            rule=rule, category=category, compat=compat, operation=op,
            location=f"/paths/~1things~1{i % 97}~1parts/get/responses/200/field{i}",
            message=f"response property \"field{i}\" {compat} change number {i} ({op})",
            revision=Location("openapi.yaml", f"/x/{i}", i + 1, 7), operations=(op,)))
    return Report(base="old.yaml", revision="openapi.yaml", changes=changes,
                  base_version="2.95", revision_version="2.96")


def test_five_thousand_changes_load_and_filter_in_bounded_time(browser: Browser,
                                                               tmp_path: Path) -> None:
    report = _synthetic(5000)
    page = tmp_path / "big.html"
    start = time.perf_counter()
    page.write_text(render(report, "html"), encoding="utf-8")
    write_s = time.perf_counter() - start
    load_s = browser.open(page)
    assert browser.problems() == []
    render_ms = float(browser.eval("document.body.dataset.renderMs"))
    assert _shown(browser)["rows"] == 5000

    def timed(action) -> float:
        t = time.perf_counter()
        action()
        browser.settle()  # includes a 120 ms timer: subtracted below
        return (time.perf_counter() - t) * 1000 - 120

    click_ms = timed(lambda: browser.click("#filter-compat input[value=none]"))
    visible = _shown(browser)["visible"]
    assert visible == 3000
    apply_click_ms = float(browser.eval("document.body.dataset.filterMs"))
    browser.click("#filter-compat input[value=none]")
    browser.settle()
    search_ms = timed(lambda: browser.type("#search", "number field4999"))
    assert _shown(browser)["visible"] == 1
    apply_search_ms = float(browser.eval("document.body.dataset.filterMs"))
    print(f"\n5000 changes: page {page.stat().st_size // 1024} KB written in "
          f"{write_s * 1000:.0f} ms; load {load_s * 1000:.0f} ms (render script "
          f"{render_ms:.0f} ms); filter click {click_ms:.0f} ms to paint (filter pass "
          f"{apply_click_ms:.1f} ms); search {search_ms:.0f} ms to paint (filter pass "
          f"{apply_search_ms:.1f} ms)")
    # Loose bounds on a shared machine: the point is "not seconds per keystroke".
    assert load_s < 20 and click_ms < 5000 and search_ms < 5000
    assert browser.problems() == []
