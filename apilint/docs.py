"""Rule documentation generated from the catalogue (docs/rules.md, ``apilint explain``)."""

from __future__ import annotations

from typing import Any

import yaml

from .catalogue import Rule, rules


def _compat_text(rule: Rule) -> str:
    if rule.kind == "finding":
        return f"finding, default level {rule.level}"
    if isinstance(rule.compat, dict):
        return ", ".join(f"{k}: {v}" for k, v in rule.compat.items())
    return str(rule.compat)


def _example_yaml(example: dict[str, Any]) -> str:
    return yaml.safe_dump(example, sort_keys=False, width=100).rstrip()


def render_rule_text(rule: Rule) -> str:
    lines = [f"{rule.id}", f"  kind: {rule.kind}"]
    if rule.category:
        lines.append(f"  category: {rule.category}")
    lines.append(f"  compat: {_compat_text(rule)}")
    lines.append(f"  message: {rule.message}")
    lines.append("")
    lines.append(f"Why: {rule.why or '(not written yet)'}")
    if rule.example:
        lines.append("")
        lines.append("Example:")
        lines.extend("  " + ln for ln in _example_yaml(rule.example).splitlines())
    return "\n".join(lines) + "\n"


def render_rules_markdown() -> str:
    out = ["# apilint rules", "",
           "Generated from `rules/*.yaml` by `apilint rules --format markdown`; "
           "a test keeps this page in sync.", ""]
    all_rules = list(rules().values())
    out += ["| id | kind | category | compat / level |", "| --- | --- | --- | --- |"]
    for r in all_rules:
        out.append(f"| [`{r.id}`](#{r.id}) | {r.kind} | {r.category or ''} | "
                   f"{_compat_text(r)} |")
    for r in all_rules:
        out += ["", f"## {r.id}", ""]
        if r.category:
            out.append(f"- category: `{r.category}`")
        out.append(f"- compat: {_compat_text(r)}")
        out.append(f"- message: `{r.message}`")
        out += ["", r.why or "(not written yet)"]
        if r.example:
            out += ["", "```yaml", _example_yaml(r.example), "```"]
    return "\n".join(out) + "\n"
