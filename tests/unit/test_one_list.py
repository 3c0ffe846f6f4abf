"""One copy of each list: the output formats (the report registry) and the change categories
(``model.Category``); everything else that names them derives from those or is checked here."""

from __future__ import annotations

import click

from apilint import docs, model
from apilint.cli import main
from apilint.report import FORMATS
from apilint.report import markdown as markdown_report


def _choices(command: str, option: str) -> tuple[str, ...]:
    found = main.get_command(click.Context(main), command)
    assert found is not None
    param = next(p for p in found.params if p.name == option)
    assert isinstance(param.type, click.Choice)
    return tuple(param.type.choices)


def test_format_options_offer_the_report_registry() -> None:
    for command in ("diff", "check"):
        assert _choices(command, "formats") == FORMATS


def test_category_options_and_meanings_follow_the_model() -> None:
    assert model.CATEGORIES == ("new-call", "removed-call", "added-field", "removed-field",
                                "behavior-change", "doc-change")
    for command in ("diff", "check"):
        assert _choices(command, "only") == model.CATEGORIES
    assert tuple(docs.CATEGORY_MEANINGS) == model.CATEGORIES
    assert set(markdown_report._CATEGORY_TITLE) == set(model.CATEGORIES)
    assert set(model.ADDED) | set(model.REMOVED) < set(model.CATEGORIES)
    assert not set(model.ADDED) & set(model.REMOVED)
