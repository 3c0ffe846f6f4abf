"""docs/rules.md is generated from apilint/rules/*.yaml; this keeps the committed page in sync."""

from __future__ import annotations

from conftest import ROOT, run_apilint

from apilint.catalogue import rules
from apilint.docs import REGENERATE, render_rules_markdown

PAGE = ROOT / "docs" / "rules.md"


def test_rules_page_matches_catalogue() -> None:
    assert PAGE.is_file(), f"docs/rules.md is missing; create it with: {REGENERATE}"
    assert PAGE.read_text(encoding="utf-8") == render_rules_markdown(), (
        f"docs/rules.md is out of date with apilint/rules/*.yaml; regenerate it with: {REGENERATE}")


def test_rules_page_documents_every_rule() -> None:
    text = PAGE.read_text(encoding="utf-8")
    missing = [rid for rid in rules() if f"\n### {rid}\n" not in text]
    assert not missing, f"rules without a section in docs/rules.md: {missing}"


def test_regenerate_command_prints_the_page() -> None:
    done = run_apilint("rules", "--format", "markdown", timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == render_rules_markdown()
