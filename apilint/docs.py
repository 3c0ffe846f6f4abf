"""Rule documentation generated from the catalogue: ``apilint explain`` and docs/rules.md.

Both read only ``apilint/rules/*.yaml`` (via ``catalogue.rules()``), so the page and the command can
never say something the catalogue does not; ``tests/unit/test_rules_page_sync.py`` keeps the
committed page equal to ``render_rules_markdown()``.
"""

from __future__ import annotations

import textwrap
from typing import Any

import yaml

from .catalogue import Rule, rules
from .model import CATEGORIES

# What each change category (model.CATEGORIES, in that order) means.
CATEGORY_MEANINGS: dict[str, str] = {
    "new-call": "An operation (method + path) appears.",
    "removed-call": "An operation disappears.",
    "added-field": "A property, parameter, header or body appears in a request or response.",
    "removed-field": "A property, parameter, header or body disappears.",
    "behavior-change": "Anything else a client can observe: types, formats, enum values, "
                       "required/optional, nullability, constraints, status codes, media types, "
                       "security, deprecation, servers.",
    "doc-change": "Descriptions, summaries, examples, titles and other text only; nothing on "
                  "the wire changes.",
}
REGENERATE = "apilint rules --format markdown > docs/rules.md"
WIDTH = 88


def compat_text(rule: Rule) -> str:
    """``breaking``, ``request: breaking, response: compatible`` or the finding's level."""
    if rule.kind == "finding":
        return f"finding, default level {rule.level}"
    if isinstance(rule.compat, dict):
        return ", ".join(f"{k}: {v}" for k, v in rule.compat.items())
    return str(rule.compat)


def _snippet(value: Any) -> str:
    """An example side as YAML text: strings are shown verbatim, anything else dumped."""
    if isinstance(value, str):
        return value.rstrip("\n")
    return yaml.safe_dump(value, sort_keys=False, width=100).rstrip("\n")


def _example_parts(example: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) pairs: base, revision, then any other keys (note, …) in file order."""
    order = ["base", "revision"] + [k for k in example if k not in ("base", "revision")]
    return [(k, _snippet(example[k])) for k in order if k in example]


def _wrap(text: str, first: str, rest: str) -> list[str]:
    # Rule ids and words like "mis-handle" must not be split at their hyphens.
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_on_hyphens=False, break_long_words=False)


def render_rule_text(rule: Rule) -> str:
    """What ``apilint explain RULE`` prints: a terminal-friendly page for one rule."""
    lines = [rule.id, ""]
    fields = [("kind", rule.kind)]
    if rule.category:
        fields.append(("category", rule.category))
    if rule.kind == "change":
        fields.append(("compat", compat_text(rule)))
    else:
        fields.append(("level", f"{rule.level} (default)"))
    fields.append(("message", rule.message))
    lines += [f"  {name + ':':10}{value}" for name, value in fields]
    lines += ["", "Why:"]
    why = rule.why or "(not written yet)"
    lines += _wrap(why, "  ", "  ")
    if rule.example:
        lines += ["", "Example:"]
        for label, text in _example_parts(rule.example):
            if label in ("base", "revision"):
                lines.append(f"  {label}:")
                lines += ["    " + ln if ln else "" for ln in text.splitlines()]
            else:
                lines += _wrap(f"{label}: {text}", "  ", "    ")
    return "\n".join(lines) + "\n"


def _anchor(rule_id: str) -> str:
    # GitHub's heading anchors: lower case, spaces to dashes; rule ids already comply.
    return rule_id.lower()


def _cell(text: str) -> str:
    """Message text for a table cell: code span, pipes escaped."""
    return "`" + text.replace("|", "\\|") + "`"


def _markdown_rule(rule: Rule) -> list[str]:
    out = ["", f"### {rule.id}", ""]
    if rule.kind == "change":
        out.append(f"- compat: **{compat_text(rule)}**")
    else:
        out.append(f"- default level: **{rule.level}**")
    out.append(f"- message: `{rule.message}`")
    out += ["", rule.why or "(not written yet)"]
    for label, text in _example_parts(rule.example):
        if label in ("base", "revision"):
            out += ["", f"{label.capitalize()}:", "", "```yaml", text, "```"]
        else:
            out += ["", f"{label.capitalize()}: {text}"]
    return out


def render_rules_markdown() -> str:
    """docs/rules.md: every rule, grouped by category (change rules) then finding rules."""
    all_rules = list(rules().values())
    changes = [r for r in all_rules if r.kind == "change"]
    findings = [r for r in all_rules if r.kind != "change"]
    out = [
        "# apilint rules",
        "",
        f"Generated from `apilint/rules/*.yaml` by `{REGENERATE}`; "
        "`tests/unit/test_rules_page_sync.py` fails when this page and the catalogue disagree. "
        "`apilint explain RULE` prints one entry.",
        "",
        "Every change apilint reports has a rule, a category and a compat verdict. `compat` "
        "is judged per direction: what a client sends (request) and what it receives "
        "(response) break in opposite ways, so most schema rules come in a `request-` and a "
        "`response-` form. `breaking` means an existing client can fail; `compatible` means "
        "it cannot, but the API still changed and still needs a version; `none` means "
        "nothing on the wire changed.",
    ]
    groups: list[tuple[str, str, list[Rule]]] = []
    known = list(CATEGORIES)
    for cat in known + sorted({r.category or "" for r in changes} - set(known)):
        members = [r for r in changes if (r.category or "") == cat]
        if members:
            groups.append((cat or "uncategorised", CATEGORY_MEANINGS.get(cat, ""), members))
    if findings:
        groups.append(("findings", "Verdicts of `apilint check` on the changes (policy rules).",
                       findings))
    out += ["", "## Contents", ""]
    for name, _, members in groups:
        plural = "" if len(members) == 1 else "s"
        out.append(f"- [{name}](#{_anchor(name)}) ({len(members)} rule{plural})")
    for name, blurb, members in groups:
        out += ["", f"## {name}"]
        if blurb:
            out += ["", blurb]
        out += ["", "| rule | compat | message |", "| --- | --- | --- |"]
        out += [f"| [`{r.id}`](#{_anchor(r.id)}) | {compat_text(r)} | "
                f"{_cell(r.message)} |" for r in members]
        for r in members:
            out += _markdown_rule(r)
    return "\n".join(out) + "\n"
