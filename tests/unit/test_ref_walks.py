"""The two walks that collect ``$ref`` strings (with places, for messages; without, for the
index of whole specs) must find the same references under the same rules."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from property_settings import property_settings

from apilint import refs

KEYS = st.sampled_from(["$ref", "properties", "items", "example", "examples", "x-ext", "enum",
                        "default", "paths", "a", "schemas", 200, "value", "content"])
REFS = st.sampled_from(["#/a", "#/b", "other.yaml#/c", 5, None, ["#/d"]])
TREES = st.recursive(
    st.none() | st.integers(0, 3) | REFS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=30,
)


@property_settings(400)
@given(TREES, st.booleans())
def test_both_walks_find_the_same_references(tree: Any, named: bool) -> None:
    tracked, tracked_odd = refs._walk_refs(tree, track=True, named=named)
    plain, plain_odd = refs._walk_refs(tree, track=False, named=named)
    assert list(plain) == sorted(plain, key=list(tracked).index)  # same strings, same order
    assert set(plain) == set(tracked)
    assert [value for _, value in plain_odd] == [value for _, value in tracked_odd]


def test_data_values_extensions_and_names_are_not_references() -> None:
    tree = {"example": {"$ref": "#/no1"}, "x-tool": {"$ref": "#/no2"},
            "examples": [{"$ref": "#/no3"}], "properties": {"$ref": {"$ref": "#/yes1"}},
            "items": {"$ref": "#/yes2"}, "enum": [{"$ref": "#/no4"}]}
    assert set(refs._walk_refs(tree, track=False)[0]) == {"#/yes1", "#/yes2"}
    assert set(refs._walk_refs(tree, track=True)[0]) == {"#/yes1", "#/yes2"}
