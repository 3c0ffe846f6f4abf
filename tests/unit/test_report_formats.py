"""The CI formats (github, junit, sarif, markdown) on real comparisons, checked by real parsers.

SARIF is validated with jsonschema against the OASIS SARIF 2.1.0 schema shipped in
tests/data; JUnit is parsed with xml.etree; GitHub workflow commands with a strict line parser
written here; markdown for structure and for the absence of any raw HTML. A hostile spec puts
workflow commands, newlines, ``%``, ``<``, ``]]>``, table pipes, mentions and control
characters (NUL included, written as JSON escapes) into names, enum values, paths and
descriptions.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT, GitRepo, checkout_env, run_apilint

from apilint.api import compare
from apilint.catalogue import rules
from apilint.model import Change, Finding, Location, Report
from apilint.report import render
from apilint.report._common import blocking_order
from apilint.report.markdown import md

PETSTORE = ROOT / "fixtures" / "examples" / "petstore"
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))

EVIL = (
    "x::error file=evil.yaml,line=1::INJECTED%0A\r\n::warning::second <script>alert(1)"
    "</script> ]]> & \x00\x01\x1b[31m | @octocat `code` [link](http://e.x) \u2028 <!-- c -->"
)


def _hostile_spec(revision: bool) -> dict:
    props: dict = {
        "id": {"type": "integer"},
        "name::error::x\nnext": {"type": "string", "description": EVIL},
    }
    enum = ["a", "b%25c\n::notice::enum"]
    if revision:
        del props["name::error::x\nnext"]
        props["new\x00::warning::<b>bold</b>|"] = {"type": "string"}
        enum.append("::error::added\r\n" + EVIL)
    paths: dict = {
        "/pets/::error::{id}": {"get": {
            "summary": EVIL if revision else "plain",
            "parameters": [{"name": "id", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Pet"}}}}},
        }},
    }
    if revision:
        paths["/new%0A::error::<i>|x|]]>"] = {"post": {"responses": {
            "204": {"description": EVIL}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1.0", "description": EVIL},
        "paths": paths,
        "components": {"schemas": {"Pet": {
            "type": "object", "description": EVIL if revision else "p",
            "properties": {**props, "kind": {"type": "string", "enum": enum}},
        }}},
    }


def _report(base: Path, revision: Path, command: str = "diff") -> Report:
    cmp = compare(str(base), str(revision))
    report = Report(base=cmp.base.document.path, revision=cmp.revision.document.path,
                    changes=cmp.changes, warnings=cmp.warnings, command=command,
                    base_version=cmp.base.version, revision_version=cmp.revision.version)
    if command == "check":
        # The verdict the policy gives an unbumped change, plus a waived and a warning-level
        # finding so every branch of every format is exercised.
        report.scheme, report.policy = "microversion", "openstack"
        doc = cmp.revision.document
        version_loc = doc.locate("/info/version")
        breaking = [c for c in cmp.changes if c.compat == "breaking"]
        report.findings = [
            Finding("version-not-bumped", "error",
                    f"API changed but info.version stayed {cmp.revision.version}",
                    changes=list(cmp.changes), location=version_loc),
            Finding("removal-not-gated", "error", "removed without max-ver " + EVIL,
                    changes=breaking[:1], location=None, waived=True,
                    waiver_reason="security fix <b>CVE</b>\n::error::x"),
            Finding("change-not-gated", "warning", "not gated: " + EVIL,
                    changes=breaking[1:2], location=None),
        ]
        report.exit_code = 1
    return report


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("hostile")
    # json.dumps writes NUL and other controls as \u escapes: the file is valid text, the
    # parsed strings hold the raw characters.
    (d / "base.json").write_text(json.dumps(_hostile_spec(False), indent=2), "utf-8")
    (d / "revision.json").write_text(json.dumps(_hostile_spec(True), indent=2), "utf-8")
    return d / "base.json", d / "revision.json"


@pytest.fixture(scope="module")
def reports(hostile: tuple[Path, Path]) -> dict[str, Report]:
    pb, pr = PETSTORE / "base.yaml", PETSTORE / "revision.yaml"
    out = {
        "petstore-diff": _report(pb, pr),
        "petstore-check": _report(pb, pr, "check"),
        "hostile-diff": _report(*hostile),
        "hostile-check": _report(*hostile, "check"),
        "unchanged-diff": _report(pb, pb),
    }
    clean = _report(pb, pb, "check")
    clean.findings = []
    out["unchanged-check"] = clean
    return out


def expected_path(file: str) -> str:
    """Annotations name files relative to the working directory when they lie under it."""
    if os.path.isabs(file) and Path(file).is_relative_to(Path.cwd()):
        return Path(file).relative_to(Path.cwd()).as_posix()
    return file


NAMES = ["petstore-diff", "petstore-check", "hostile-diff", "hostile-check",
         "unchanged-diff", "unchanged-check"]


def test_hostile_spec_really_is_hostile(reports: dict[str, Report]) -> None:
    """The escaping tests mean something only if spec text reaches the messages."""
    text = "\n".join(c.message for c in reports["hostile-diff"].changes)
    assert "::error::" in text and "\n" in text and "<b>" in text and "%0A" in text
    assert "|" in text and "]]>" in text
    assert len(reports["hostile-diff"].changes) >= 5
    assert any(c.base and not c.revision for c in reports["hostile-diff"].changes)


# --- SARIF -----------------------------------------------------------------------------------


def _validator() -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    return cls(SCHEMA, format_checker=cls.FORMAT_CHECKER)


def test_shipped_schema_rejects_invalid_sarif() -> None:
    """The schema file is the real one: it refuses what SARIF 2.1.0 refuses."""
    v = _validator()
    assert not v.is_valid({"version": "2.1.0"})  # runs is required
    assert not v.is_valid({"version": "2.0.0", "runs": []})
    bad_level = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                                                "results": [{"message": {"text": "m"},
                                                             "level": "fatal"}]}]}
    assert not v.is_valid(bad_level)
    bad_level["runs"][0]["results"][0]["level"] = "note"
    assert v.is_valid(bad_level)


@pytest.mark.parametrize("name", NAMES)
def test_sarif_validates_against_the_schema(reports: dict[str, Report], name: str) -> None:
    report = reports[name]
    doc = json.loads(render(report, "sarif"))
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    run = doc["runs"][0]
    shown = [f for f in report.findings if f.level != "off"]
    assert len(run["results"]) == len(shown) + len(report.changes)


@pytest.mark.parametrize("name", ["petstore-check", "hostile-check"])
def test_sarif_results_rules_levels_and_locations(reports: dict[str, Report], name: str) -> None:
    report = reports[name]
    run = json.loads(render(report, "sarif"))["runs"][0]
    catalogue = rules()
    descriptors = run["tool"]["driver"]["rules"]
    ids = [d["id"] for d in descriptors]
    assert len(ids) == len(set(ids))
    for d in descriptors:
        why = catalogue[d["id"]].why if d["id"] in catalogue else ""
        if why:
            assert d["fullDescription"]["text"] == why
            assert why in d["help"]["text"]
        assert d["shortDescription"]["text"]
    results = run["results"]
    for r in results:
        assert descriptors[r["ruleIndex"]]["id"] == r["ruleId"]
    findings, changes = results[:len(report.findings)], results[len(report.findings):]
    # What blocks first: the unwaived error, the warning, then the waived error.
    assert [r["level"] for r in findings] == ["error", "warning", "error"]
    assert "suppressions" not in findings[0]
    assert findings[2]["suppressions"][0]["justification"].startswith("security fix <b>")
    first_loc = findings[0]["locations"][0]["physicalLocation"]
    assert first_loc["region"]["startLine"] == report.findings[0].location.line
    for result, change in zip(changes, blocking_order(report.changes), strict=True):
        assert result["ruleId"] == change.rule
        assert result["message"]["text"] == change.message  # JSON keeps the text exactly
        assert result["level"] == ("warning" if change.compat == "breaking" else "note")
        loc = result["locations"][0]["physicalLocation"]
        primary = change.primary
        assert primary is not None and primary.line is not None
        assert loc["region"]["startLine"] == primary.line
        assert loc["region"].get("startColumn") == primary.column
        uri = loc["artifactLocation"]["uri"]
        shown = expected_path(primary.file)
        assert uri == (Path(shown).as_uri() if os.path.isabs(shown) else shown)
        if change.revision is None:  # a removal points into the base document
            assert uri.endswith(("base.yaml", "base.json"))
        assert result["partialFingerprints"]["apilintFingerprint/v1"] == change.fingerprint


def test_sarif_is_ascii_json_even_with_odd_text() -> None:
    loc = Location("dir with space/a#b.yaml", "/x", 3, 1)
    ch = Change("made-up-rule", "behavior-change", "breaking", None, "/x",
                "lone surrogate \ud800 and NUL \x00", revision=loc)
    report = Report(base="a", revision="dir with space/a#b.yaml", changes=[ch])
    out = render(report, "sarif")
    out.encode("ascii")
    doc = json.loads(out)
    assert _validator().is_valid(doc)
    result = doc["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "dir%20with%20space/a%23b.yaml"
    assert doc["runs"][0]["tool"]["driver"]["rules"][0]["id"] == "made-up-rule"


# --- JUnit -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_junit_parses_and_counts(reports: dict[str, Report], name: str) -> None:
    report = reports[name]
    out = render(report, "junit")
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    changes = suites["apilint changes"].findall("testcase")
    assert len(changes) == max(1, len(report.changes))
    assert all(c.find("failure") is None for c in changes)
    errors = [f for f in report.findings if f.level == "error" and not f.waived]
    if report.command == "check":
        cases = suites["apilint findings"].findall("testcase")
        assert len(cases) == max(1, len(report.findings))
        failed = [c for c in cases if c.find("failure") is not None]
        assert len(failed) == len(errors)
        assert [c.find("failure").get("type") for c in failed] == [f.id for f in errors]
        skipped = [c for c in cases if c.find("skipped") is not None]
        assert len(skipped) == sum(1 for f in report.findings if f.waived)
    else:
        assert "apilint findings" not in suites
    total = sum(len(s.findall("testcase")) for s in suites.values())
    assert root.get("tests") == str(total)
    assert root.get("failures") == str(len(errors))
    for s in suites.values():
        assert s.get("tests") == str(len(s.findall("testcase")))
        assert s.get("failures") == str(sum(1 for c in s.findall("testcase")
                                            if c.find("failure") is not None))


def test_junit_keeps_spec_text_readable(reports: dict[str, Report]) -> None:
    report = reports["hostile-diff"]
    root = ET.fromstring(render(report, "junit").encode("utf-8"))
    names = [c.get("name") for c in root.iter("testcase")]
    # Text survives the round trip (only characters XML cannot hold are made visible).
    removed = next(c for c in report.changes if c.revision is None)
    assert any(n.endswith(removed.message) for n in names)
    assert any("<b>bold</b>|" in n for n in names)


def test_junit_strips_characters_xml_cannot_hold() -> None:
    ch = Change("r", "behavior-change", "breaking", "GET /a", "/x",
                "nul \x00 vt \x0b esc \x1b surrogate \ud800 nonchar \ufffe ]]> <&>",
                revision=Location("a.yaml", "/x", 1, 1))
    report = Report(base="a", revision="b", changes=[ch], command="check",
                    findings=[Finding("version-not-bumped", "error", "bad \x00 ]]>", [ch])])
    out = render(report, "junit")
    root = ET.fromstring(out.encode("utf-8"))
    failure = root.find(".//failure")
    assert failure is not None and failure.get("message") == "bad \\x00 ]]>"
    assert "nul \\x00 vt \\x0b esc \\x1b surrogate \\ud800 nonchar \\ufffe ]]> <&>" in \
        failure.text


# --- GitHub workflow commands ----------------------------------------------------------------

_COMMAND = re.compile(r"::(error|warning|notice)(?: ([^:\r\n]*))?::([^\r\n]*)")
_PROPS = {"file", "line", "col", "endLine", "endColumn", "title"}


def _unescape(text: str) -> str:
    for k, v in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(k, v)
    return text


def parse_github(output: str) -> list[tuple[str, dict[str, str], str]]:
    """Each line one workflow command; anything else (an injected line) fails."""
    assert output.endswith("\n")
    # The runner splits on CR and LF; be stricter and also split where other viewers do.
    lines = re.split(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", output[:-1])
    parsed = []
    for line in lines:
        m = _COMMAND.fullmatch(line)
        assert m, f"not one well-formed workflow command: {line!r}"
        props: dict[str, str] = {}
        if m.group(2):
            for part in m.group(2).split(","):
                key, sep, value = part.partition("=")
                assert sep and key in _PROPS and key not in props, part
                props[key] = _unescape(value)
        assert "\x00" not in line and "\x1b" not in line
        parsed.append((m.group(1), props, _unescape(m.group(3))))
    return parsed


@pytest.mark.parametrize("name", NAMES)
def test_github_commands_are_well_formed(reports: dict[str, Report], name: str) -> None:
    report = reports[name]
    cmds = parse_github(render(report, "github"))
    shown = [f for f in report.findings if f.level != "off"]
    assert len(cmds) == 1 + len(report.warnings) + len(shown) + len(report.changes)
    body = cmds[1:]
    rank = {"error": 0, "warning": 1, "notice": 2}
    assert [rank[k] for k, _, _ in body] == sorted(rank[k] for k, _, _ in body)  # by level
    level = {"error": "error", "warning": "warning", "info": "notice"}
    failing = {c.fingerprint: f.id for f in report.findings
               if f.level == "error" and not f.waived for c in f.changes}
    for f in shown:
        title = f"apilint {f.id}"
        kind, _, message = next(c for c in body if c[1].get("title") == title)
        assert kind == ("notice" if f.waived else level[f.level])
        assert message.startswith(f.message.replace("\x00", "\\x00").replace("\x01", "\\x01")
                                  .replace("\x1b", "\\x1b").replace("\u2028", "\\u2028"))
    for ch in report.changes:
        primary = ch.primary
        assert primary is not None
        matches = [c for c in body if c[1].get("file") == expected_path(primary.file)
                   and c[1].get("line") == str(primary.line)
                   and c[1].get("title", "").endswith(ch.rule + (
                       "" if ch.fingerprint in failing else f" ({ch.compat})"))]
        assert matches, ch.message
        kind, props, message = matches[0]
        if ch.fingerprint in failing:  # fails the gate: an error on the change's own line
            assert kind == "error" and props["title"].startswith(
                f"apilint {failing[ch.fingerprint]}: ")
        else:
            assert kind == ("warning" if ch.compat == "breaking" else "notice")
        assert props["col"] == str(primary.column)
        visible = re.sub("[\x00-\x08\x0e-\x1f]", lambda m: f"\\x{ord(m.group()):02x}",
                         ch.message)
        assert message.startswith(visible)


def test_github_shows_at_most_ten_notices(reports: dict[str, Report]) -> None:
    from apilint.model import Change, Location

    many = [Change("description-changed", "doc-change", "none", f"GET /p{i}", f"/p{i}",
                   f"description changed {i}", revision=Location("a.yaml", f"/p{i}", i + 1, 1))
            for i in range(30)]
    cmds = parse_github(render(Report("b.yaml", "a.yaml", changes=many), "github"))
    notices = [c for c in cmds if c[0] == "notice"]
    # Ten in all, as GitHub shows: the summary, eight changes, one line saying how many more.
    assert len(notices) == 10
    assert "22 more changes" in notices[-1][2]


def test_github_hostile_text_cannot_inject(reports: dict[str, Report]) -> None:
    out = render(reports["hostile-check"], "github")
    cmds = parse_github(out)
    # Spec text carried "::error file=evil.yaml" and raw newlines; none became a command.
    assert not any(p.get("file") == "evil.yaml" for _, p, _ in cmds)
    assert sum(1 for line in out.splitlines() if "INJECTED" in line) == \
        sum(1 for _, _, m in cmds if "INJECTED" in m)
    assert any("\n::warning::second" in m for _, _, m in cmds)  # kept, as escaped data
    assert "%0A" in out and "%25" in out


def test_github_escapes_properties() -> None:
    loc = Location("we,ird:dir/a%b.yaml", "/x", 7, 2)
    ch = Change("r", "behavior-change", "compatible", None, "/x", "100% done\r\n::error::x",
                revision=loc)
    (kind, props, msg), = parse_github(render(Report("a", "b", changes=[ch]), "github"))[1:]
    assert props["file"] == "we,ird:dir/a%b.yaml" and props["line"] == "7"
    assert msg == "100% done\r\n::error::x"
    raw = render(Report("a", "b", changes=[ch]), "github").splitlines()[1]
    assert "file=we%2Cird%3Adir/a%25b.yaml," in raw
    assert raw.endswith("::100%25 done%0D%0A::error::x")


# --- Markdown --------------------------------------------------------------------------------


_HEADERS = ("| compat | operation | change |", "| level | finding |", "| | count |")


def _cells(row: str) -> list[str]:
    assert row.startswith("| ") and row.endswith(" |"), row
    return re.split(r"(?<!\\)\|", row[1:-1])


@pytest.mark.parametrize("name", NAMES)
def test_markdown_structure_and_no_html(reports: dict[str, Report], name: str) -> None:
    report = reports[name]
    out = render(report, "markdown")
    ours = re.sub(r"</?(details|summary)>", "", out)  # the only HTML: our folded sections
    assert "<" not in ours and ">" not in ours.replace("\u2192", "")  # none from the spec
    lines = out.splitlines()
    assert lines[0].startswith(f"## apilint {report.command}: ")
    width = None
    for line in lines:
        if line.startswith("|"):
            cells = _cells(line)
            if set(line) <= {"|", " ", "-"}:
                continue
            if line.startswith(_HEADERS):
                width = len(cells)
            assert len(cells) == width, line
    table_rows = [ln for ln in lines if ln.startswith("| ") and not ln.startswith(
        (*_HEADERS, "| ---")) and not re.match(r"\| [A-Za-z ]+ \| \d+ \|$", ln)]
    shown = [f for f in report.findings if f.level != "off"]
    merged = sum(int(n) - 1 for n in re.findall("\u00d7(\\d+)", out))  # identical rows
    assert len(table_rows) + merged == len(report.changes) + len(shown)
    for ch in report.changes:  # each change's operation is in its row
        ops = ch.operations
        if len(ops) == 1:
            assert any(ln.startswith("| ") and md(ops[0]) in ln for ln in lines)
    if report.command == "check":
        assert "### Findings" in lines
        verdict = "violated" if any(f.level == "error" and not f.waived
                                    for f in report.findings) else "holds"
        assert f"**Version rule {verdict}**" in out
    if any(c.compat == "breaking" for c in report.changes):
        assert any(ln.startswith("### Breaking changes (") for ln in lines)


def test_markdown_neutralises_spec_markup(reports: dict[str, Report]) -> None:
    out = render(reports["hostile-check"], "markdown")
    assert "&lt;b&gt;bold&lt;/b&gt;" in out
    assert "@octocat" not in out and "@\u2060octocat" in out
    assert "[link]" not in out and "\\[link\\]" in out
    assert "`code`" not in out
    assert "\x00" not in out and "\\x00" in out


# --- plumbing --------------------------------------------------------------------------------


def test_cli_writes_several_formats(tmp_path: Path) -> None:
    sarif, junit = tmp_path / "out.sarif", tmp_path / "out.xml"
    proc = run_apilint("diff", PETSTORE / "base.yaml", PETSTORE / "revision.yaml",
                       "--format", "sarif", "--output", sarif, "--format", "junit",
                       "--output", junit)
    assert proc.returncode == 0, proc.stderr
    assert "8 changes" in proc.stdout  # the terminal still shows the text report
    assert _validator().is_valid(json.loads(sarif.read_text("utf-8")))
    assert ET.parse(junit).getroot().get("tests") == "8"


_FAST = """
import sys
from apilint.api import compare
from apilint.model import Report
from apilint.report import render
cmp = compare({base!r}, {rev!r})
r = Report(base="b", revision="r", changes=cmp.changes)
for fmt in ("json", "github", "junit", "sarif", "markdown"):
    assert render(r, fmt)
print(sorted(m for m in sys.modules if m == "rich" or m.startswith("rich.")))
"""


def test_machine_formats_do_not_import_rich() -> None:
    code = _FAST.format(base=str(PETSTORE / "base.yaml"), rev=str(PETSTORE / "revision.yaml"))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, cwd=ROOT, env=checkout_env())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize("fmt", ["github", "sarif"])
def test_cli_machine_format_does_not_import_rich(fmt: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "apilint", "diff",
         str(PETSTORE / "base.yaml"), str(PETSTORE / "revision.yaml"), "--format", fmt],
        capture_output=True, text=True, cwd=ROOT, check=False, env=checkout_env())
    assert proc.returncode == 0, proc.stderr
    imported = [line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()
                if line.startswith("import time:")]
    # The timing log is real: it saw the format's own imports (importlib.import_module of the
    # format module itself is not logged by -X importtime).
    assert "apilint.report._common" in imported and "apilint.api" in imported
    assert not [m for m in imported if m.split(".")[0] == "rich"]


def test_check_base_in_git_writes_ci_formats(git_repo: GitRepo) -> None:
    """The CI gate end to end: ``check --base HEAD`` in a real repository, three formats."""
    repo = git_repo.path
    git_repo.write("openapi.yaml", (PETSTORE / "base.yaml").read_bytes())
    git_repo.commit("one")
    (repo / "openapi.yaml").write_bytes((PETSTORE / "revision.yaml").read_bytes())
    proc = run_apilint("check", "--base", "HEAD", "openapi.yaml",
                       "--format", "github", "--format", "sarif", "--output", "out.sarif",
                       "--format", "junit", "--output", "junit.xml", cwd=repo, env=git_repo.env)
    assert proc.returncode == 1, proc.stderr  # the petstore revision does not bump
    cmds = parse_github(proc.stdout)
    assert cmds[1][0] == "error" and cmds[1][1]["title"] == "apilint version-not-bumped"
    files = {p.get("file") for _, p, _ in cmds[1:]}
    assert files == {"openapi.yaml"}  # removals point at the base's line, same path
    doc = json.loads((repo / "out.sarif").read_text("utf-8"))
    assert _validator().is_valid(doc)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in doc["runs"][0]["results"]}
    assert uris == {"openapi.yaml"}
    root = ET.parse(repo / "junit.xml").getroot()
    assert root.get("failures") == "1"
    assert root.find(".//failure").get("type") == "version-not-bumped"
