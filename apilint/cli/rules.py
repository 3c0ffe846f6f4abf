"""``apilint rules`` (the rule catalogue) and ``apilint explain RULE`` (one rule)."""

from __future__ import annotations

from typing import Any

import click

from .output import emit


@click.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
def rules_cmd(fmt: str) -> None:
    """List the rule catalogue."""
    from ..catalogue import rules
    from ..docs import compat_text, render_rules_markdown

    all_rules = rules()
    if fmt == "json":
        import json

        data = [{"id": r.id, "kind": r.kind, "category": r.category, "compat": r.compat,
                 "level": r.level, "message": r.message, "why": r.why, "example": r.example}
                for r in all_rules.values()]
        emit(json.dumps(data, indent=2) + "\n", None)
        return
    if fmt == "markdown":
        emit(render_rules_markdown(), None)
        return
    lines = []
    for r in all_rules.values():
        if r.kind == "change":
            lines.append(f"{r.id:45} {r.category:16} {compat_text(r)}")
        else:
            lines.append(f"{r.id:45} {'finding':16} {r.level}")
    emit("\n".join(lines) + "\n", None)


def _complete_rule(ctx: click.Context, param: click.Parameter,
                   incomplete: str) -> list[Any]:
    """Shell completion of ``apilint explain RULE``: the catalogue's rule ids."""
    from click.shell_completion import CompletionItem

    from ..catalogue import rules

    return [CompletionItem(rid, help=rule.why.split(". ")[0][:80])
            for rid, rule in sorted(rules().items()) if rid.startswith(incomplete)]


@click.command("explain")
@click.argument("rule", shell_complete=_complete_rule)
def explain(rule: str) -> None:
    """Print one rule's meaning, reason and example."""
    from ..catalogue import rules
    from ..docs import render_rule_text
    from ..errors import UsageError

    all_rules = rules()
    if rule not in all_rules:
        import difflib

        close = difflib.get_close_matches(rule, list(all_rules), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UsageError(f"no rule named {rule!r}{hint}")
    emit(render_rule_text(all_rules[rule]), None)
