"""The HTML report's text, read as bytes (no browser needed): spec text is escaped, the JSON
block cannot be ended or broken by anything a spec says, the page names nothing outside
itself, and the Content Security Policy's hashes are those of the page's own style and
script. The same page in a real browser: tests/e2e/test_html_report.py."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

from conftest import ROOT

from apilint.api import compare
from apilint.model import Change, Finding, Location, Report
from apilint.report import render
from apilint.report._common import one_line
from apilint.report.html import script_json

PETSTORE = ROOT / "fixtures" / "examples" / "petstore"
NASTY = ("<script>alert(1)</script></SCRIPT ><!-- \"dq\" 'sq' &amp; &lt; \u2028\u2029 "
         "\x00\x1b \ud800 <img src=x onerror=alert(2)> ]]> `tick`")


def _nasty_report() -> Report:
    loc = Location(f"spec{NASTY}.yaml", f"/paths/{NASTY}", 9, 2)
    change = Change(rule="response-enum-value-added", category="behavior-change",
                    compat="breaking", operation=f"GET /{NASTY}", location=f"/paths/{NASTY}",
                    message=f"response allowed value {NASTY} added", revision=loc,
                    operations=(f"GET /{NASTY}", "GET /plain"))
    return Report(base=f"base{NASTY}", revision=f"rev{NASTY}", changes=[change],
                  findings=[Finding("version-not-bumped", "error", f"msg {NASTY}",
                                    changes=[change], location=loc, waived=True,
                                    waiver_reason=f"why {NASTY}")],
                  warnings=[f"warn {NASTY}"], command="check", policy="openstack",
                  scheme="microversion", base_version=f"2.1{NASTY}", revision_version="2.2")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag in ("script", "style")
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def test_script_json_escapes_what_could_end_a_script_block() -> None:
    text = script_json({"k<>": ["</script>", "&", "\u2028\u2029", "\ud800", "é"]})
    assert not re.search("[<>&\u2028\u2029\ud800-\udfff]", text)
    assert "é" in text  # other characters stay as they are
    assert json.loads(text) == {"k<>": ["</script>", "&", "\u2028\u2029", "\ud800", "é"]}


def test_spec_text_is_escaped_and_only_the_pages_own_tags_exist() -> None:
    page = render(_nasty_report(), "html")
    page.encode("utf-8")  # no lone surrogate left to fail the write
    assert "\u2028" not in page and "\u2029" not in page and "\x00" not in page
    parser = _Tags()
    parser.feed(page)
    tags = [t for t, _ in parser.tags]
    assert "img" not in tags
    assert tags.count("script") == 2 and tags.count("style") == 1
    assert page.lower().count("</script") == 2
    assert page.count("<!--") == 0
    # Every attribute value is one of the page's own, never spec text.
    for _, attrs in parser.tags:
        for name, value in attrs.items():
            assert "onerror" not in name
            assert value is None or "<" not in value
    data_block = re.search(r'<script type="application/json" id="apilint-data">(.*?)</script>',
                           page, re.S)
    assert data_block
    data = json.loads(data_block.group(1))
    assert data["changes"][0][data["fields"].index("message")] == one_line(
        f"response allowed value {NASTY} added")
    assert one_line(f"GET /{NASTY}") in data["operations"]
    # The visible header and finding hold the text escaped, not as markup.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;dq&quot; &#x27;sq&#x27; &amp;amp;" in page


def test_csp_allows_exactly_the_pages_own_style_and_script() -> None:
    page = render(_nasty_report(), "html")
    parser = _Tags()
    parser.feed(page)
    csp = next(a["content"] for t, a in parser.tags
               if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp and "default-src 'none'" in csp and "unsafe" not in csp
    style, _, script = parser.scripts  # style, JSON data, script

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()

    assert f"style-src 'sha256-{digest(style)}'" in csp
    assert f"script-src 'sha256-{digest(script)}'" in csp
    # Nothing in the page points outside it.
    assert not re.search(r"""(src|href)\s*=|url\(|@import|https?://""", style + script)


def test_report_order_and_counts_in_the_page() -> None:
    cmp = compare(str(PETSTORE / "base.yaml"), str(PETSTORE / "revision.yaml"))
    report = Report(base="b", revision="r", changes=cmp.changes)
    page = render(report, "html")
    data = json.loads(re.search(r'id="apilint-data">(.*?)</script>', page, re.S).group(1))
    sections = [row[0] for row in data["changes"]]
    assert sections == sorted(sections) and set(sections) == {0, 1, 2}
    compat = data["fields"].index("compat")
    assert [row[compat] == "breaking" for row in data["changes"]].count(True) == sum(
        c.compat == "breaking" for c in cmp.changes)
    assert f'<span id="total-changes">{len(cmp.changes)}</span>' in page
    assert 'id="verdict"' not in page  # diff has no verdict
