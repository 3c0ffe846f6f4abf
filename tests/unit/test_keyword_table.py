"""The schema keyword table of the differ (apilint/diff/keywords.py): one comparer per
keyword, the catch-all last, and the list of handled keywords derived from the table."""

from __future__ import annotations

from conftest import ROOT

from apilint.api import compare
from apilint.diff import keywords


def test_each_keyword_is_read_by_one_comparer() -> None:
    seen: dict[str, str] = {}
    twice: list[str] = []
    for names, comparer in keywords.COMPARERS:
        for name in names:
            if name in seen:
                twice.append(f"{name}: {seen[name]} and {comparer.__name__}")
            seen[name] = comparer.__name__
    assert not twice, twice


def test_handled_is_what_the_table_reads_and_the_catch_all_comes_last() -> None:
    read = frozenset().union(*(names for names, _ in keywords.COMPARERS))
    assert keywords.HANDLED == read | keywords.READ_BY_VIEW | keywords.NOT_COMPARED
    assert keywords.COMPARERS[-1][1] is keywords.unknown_keywords
    # The keywords a schema most often changes in are compared by a comparer of their own.
    for name in ("type", "enum", "maxLength", "pattern", "properties", "required", "items",
                 "oneOf", "additionalProperties", "description", "format", "default"):
        assert name in read, name


def test_a_keyword_no_comparer_reads_still_surfaces() -> None:
    case = ROOT / "fixtures" / "rules" / "unclassified-change" / "fires"
    changes = compare(str(case / "base.yaml"), str(case / "revision.yaml"),
                      root=str(case)).changes
    assert [c.rule for c in changes] == ["unclassified-change"]
    assert all(c.location.rsplit("/", 1)[-1] not in keywords.HANDLED for c in changes)
