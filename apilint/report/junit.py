"""JUnit XML for GitLab, Jenkins and Zuul: the verdict as test cases they already display.

Layout: ``<testsuites>`` with, for ``check``, a suite ``apilint findings`` holding one test
case per finding (an unwaived ``error`` finding is a ``<failure>``, a waived one is
``<skipped>``, warnings and infos pass with their text in ``<system-out>``; no findings → one
passing case saying the rule holds), and for both commands a suite ``apilint changes`` with
one passing case per change (changes are context; only findings fail). The document is valid
XML 1.0 whatever a spec holds: characters XML cannot carry become visible ``\\xNN`` text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..model import Report
from ._common import artifact_path, entries

# Everything outside XML 1.0's Char production (controls, lone surrogates, U+FFFE/FFFF).
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: object) -> str:
    def sub(m: re.Match[str]) -> str:
        code = ord(m.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _NOT_XML.sub(sub, str(text))


def _where(loc: object) -> str:
    return loc.display() if loc is not None else "-"  # type: ignore[attr-defined]


def render(report: Report) -> str:
    root = ET.Element("testsuites", name="apilint")
    items = entries(report)
    suites: list[ET.Element] = []

    if report.command == "check":
        suite = ET.Element("testsuite", name="apilint findings")
        findings = [e for e in items if e.kind == "finding"]
        for e in findings:
            case = ET.SubElement(suite, "testcase", classname=clean(f"apilint.{e.rule}"),
                                 name=clean(f"{e.rule}: {e.message}"), file=clean(artifact_path(
                                     e.location.file if e.location else report.revision,
                                     report)))
            text = [f"{_where(e.location)}: {e.message} [{e.rule}]"]
            assert e.finding is not None
            for ch in e.finding.changes:
                where = _where(ch.primary)
                text.append(f"  {where}: {ch.message} [{ch.rule}] {ch.compat}")
            body = clean("\n".join(text))
            if e.waived:
                ET.SubElement(case, "skipped", message=clean(
                    f"waived: {e.waiver_reason or 'no reason given'}"))
            elif e.finding.level == "error":
                fail = ET.SubElement(case, "failure", type=clean(e.rule),
                                     message=clean(e.message))
                fail.text = body
            else:
                ET.SubElement(case, "system-out").text = body
        if not findings:
            versions = f"{report.base_version} -> {report.revision_version}"
            case = ET.SubElement(suite, "testcase", classname="apilint.versioning",
                                 name=clean(f"versioning rule holds ({versions})"))
            ET.SubElement(case, "system-out").text = clean(
                f"{len(report.changes)} changes; policy {report.policy}, "
                f"scheme {report.scheme}")
        suites.append(suite)

    suite = ET.Element("testsuite", name="apilint changes")
    for e in items:
        if e.kind != "change":
            continue
        op = e.operation or "(document)"
        case = ET.SubElement(suite, "testcase", classname=clean(f"apilint.{e.category}"),
                             name=clean(f"{op}: {e.message}"),
                             file=clean(artifact_path(
                                 e.location.file if e.location else report.revision, report)))
        if e.location is not None and e.location.line is not None:
            case.set("line", str(e.location.line))
        ET.SubElement(case, "system-out").text = clean(
            f"{_where(e.location)}: {e.message} [{e.rule}] {e.compat}"
            + (f"\nreaches: {', '.join(e.operations)}" if len(e.operations) > 1 else ""))
    if not len(suite):
        # An empty suite reads as "no tests ran" in some viewers; say what happened instead.
        ET.SubElement(suite, "testcase", classname="apilint.diff", name="no API changes")
    suites.append(suite)

    total = failures = skipped = 0
    for s in suites:
        cases = s.findall("testcase")
        f = sum(1 for c in cases if c.find("failure") is not None)
        k = sum(1 for c in cases if c.find("skipped") is not None)
        s.set("tests", str(len(cases)))
        s.set("failures", str(f))
        s.set("errors", "0")
        s.set("skipped", str(k))
        total, failures, skipped = total + len(cases), failures + f, skipped + k
        root.append(s)
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    root.set("skipped", str(skipped))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
