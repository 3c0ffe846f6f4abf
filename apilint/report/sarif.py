"""SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).

One run; ``tool.driver.rules`` holds the catalogue entries the results use (id, a short
description, the rule's ``why`` as full description and help). Findings and changes are both
results. Levels: a finding's ``error``/``warning`` as is, ``info`` → ``note``, a waived finding
keeps its level and carries a ``suppressions`` entry with the reason; a ``breaking`` change →
``warning``, a ``compatible`` or documentation change → ``note`` (changes are context, the
findings are the verdict). Locations are the revision's file and line, the base's for
removals. ``partialFingerprints`` carries apilint's fingerprint (rule + operation + pointer)
so code scanning follows a result across commits even when lines move.
"""

from __future__ import annotations

import json
import os
import pathlib
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..model import Location, Report
from ._common import Entry, artifact_path, catalogue, rule_title

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/apilint/"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(file: str, report: Report) -> str:
    path = artifact_path(file, report)
    if os.path.isabs(path):
        return pathlib.Path(path).as_uri()
    # A relative URI reference: percent-encode everything but the separators.
    return quote(path.replace(os.sep, "/"), safe="/")


def _location(loc: Location, report: Report) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(loc.file, report)}}
    if loc.line is not None and loc.line >= 1:
        region: dict[str, Any] = {"startLine": loc.line}
        if loc.column is not None and loc.column >= 1:
            region["startColumn"] = loc.column
        physical["region"] = region
    return {"physicalLocation": physical}


def _descriptor(rule_id: str) -> dict[str, Any]:
    known = catalogue().get(rule_id)
    title = rule_title(rule_id)
    out: dict[str, Any] = {
        "id": rule_id,
        "name": "".join(w[:1].upper() + w[1:] for w in rule_id.replace("_", "-").split("-")),
        "shortDescription": {"text": title},
    }
    why = known.why.strip() if known else ""
    full = why or title
    out["fullDescription"] = {"text": full}
    sentence = full if full.endswith((".", "!", "?")) else full + "."
    out["help"] = {
        "text": f"{sentence} Run `apilint explain {rule_id}` for an example.",
        "markdown": f"{sentence}\n\nRun `apilint explain {rule_id}` for an example.",
    }
    props: dict[str, Any] = {}
    if known is not None:
        if known.kind == "change":
            compat = known.compat_for(None)
            level = "warning" if compat == "breaking" else "note"
            props["category"] = known.category
            props["compat"] = known.compat
            props["tags"] = ["api", str(known.category)]
        else:
            level = _LEVEL.get(known.level or "error", "warning")
            props["tags"] = ["api", "versioning"]
        out["defaultConfiguration"] = {"level": level}
    if props:
        out["properties"] = props
    return out


def _result(e: Entry, index: int, report: Report) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": e.rule,
        "ruleIndex": index,
        "level": _LEVEL.get(e.level, "warning"),
        "message": {"text": e.message},
    }
    if e.kind == "finding" and e.finding is not None:
        result["level"] = _LEVEL.get(e.finding.level, "warning")
        result["message"] = {"text": e.finding.message}
    loc = e.location or Location(report.revision, "", None, None)
    result["locations"] = [_location(loc, report)]
    if e.operations or e.operation:
        ops = e.operations or (e.operation,)
        result["locations"][0]["logicalLocations"] = [
            {"fullyQualifiedName": op, "kind": "function"} for op in ops if op
        ]
    result["partialFingerprints"] = {"apilintFingerprint/v1": e.fingerprint}
    props: dict[str, Any] = {"kind": e.kind}
    if loc.pointer:
        props["pointer"] = loc.pointer
    if e.kind == "change":
        props.update(category=e.category, compat=e.compat, operations=list(e.operations))
    elif e.finding is not None:
        props["changes"] = [c.fingerprint for c in e.finding.changes]
    result["properties"] = props
    if e.waived:
        supp: dict[str, Any] = {"kind": "external", "status": "accepted"}
        if e.waiver_reason:
            supp["justification"] = e.waiver_reason
        result["suppressions"] = [supp]
    return result


def render(report: Report) -> str:
    from ._common import entries

    items = entries(report)
    index: dict[str, int] = {}
    rules: list[dict[str, Any]] = []
    for e in items:
        if e.rule not in index:
            index[e.rule] = len(rules)
            rules.append(_descriptor(e.rule))
    results = [_result(e, index[e.rule], report) for e in items]
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "apilint", "version": __version__, "semanticVersion": __version__,
            "informationUri": INFORMATION_URI, "rules": rules,
        }},
        "automationDetails": {"id": f"apilint/{report.command}/"},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "command": report.command, "base": report.base, "revision": report.revision,
            "baseVersion": report.base_version, "revisionVersion": report.revision_version,
            "policy": report.policy, "scheme": report.scheme, "exitCode": report.exit_code,
        },
    }
    if report.warnings:
        run["invocations"] = [{
            "executionSuccessful": True,
            "toolExecutionNotifications": [
                {"level": "warning", "message": {"text": w}} for w in report.warnings
            ],
        }]
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    # ensure_ascii keeps the file plain ASCII: lone surrogates from odd input cannot make it
    # unencodable, and every control character is a JSON escape.
    return json.dumps(log, indent=2, ensure_ascii=True) + "\n"
