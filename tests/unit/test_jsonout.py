"""The fast indented JSON writer must give ``json.dumps``'s bytes for every value."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apilint.jsonout import dumps
from tests.property_settings import property_settings

SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
           | st.text() | st.sampled_from(["é", "\x00", "\u2028", '"q"', "back\\slash", "😀"]))
KEYS = st.text() | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none()
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.tuples(inner, inner)
    | st.lists(st.text(max_size=3), max_size=4)
    | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=30,
)


@property_settings(500)
@given(VALUES, st.booleans(), st.sampled_from([0, 1, 2, 4]))
def test_same_bytes_as_json_dumps(value: Any, ascii_only: bool, indent: int) -> None:
    assert dumps(value, indent=indent, ensure_ascii=ascii_only) == \
        json.dumps(value, indent=indent, ensure_ascii=ascii_only)


@pytest.mark.parametrize("value", [
    [math.inf, -math.inf, math.nan, 1e300, -0.0, 2**70],
    {1.5: "float key", True: 1, None: 2, 3: [], "": {}},
    [("tuple", ["nested", ("deeper",)])],
    {"operations": ["GET /a", "POST /b/{id}"], "empty": [], "obj": {}},
])
def test_edge_values(value: Any) -> None:
    assert dumps(value, ensure_ascii=False) == json.dumps(value, indent=2, ensure_ascii=False)


def test_what_json_refuses_is_refused_the_same_way() -> None:
    cycle: list[Any] = []
    cycle.append(cycle)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps(cycle)
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps({"a": object()})
    with pytest.raises(TypeError, match="keys must be"):
        dumps({(1, 2): 1})
    # A container shared (not nested in itself) is written twice, as json writes it.
    shared = ["x", {"y": 1}]
    assert dumps([shared, shared]) == json.dumps([shared, shared], indent=2)
