"""Layouts that fooled the JSON source map's layout reader into naming the wrong line.

Each text parses to a value whose members the layout reader used to mis-tile: a nested
container closing on a line indented like its parent's members (always so at ``indent=0``,
or a line indented wrongly by hand) looked like the parent member's own closing line. The
layout answers must be the plain scanner's, and the positions below were read off the texts.
"""

from __future__ import annotations

import json

import pytest

from apilint.sourcemap import SourceMap

CASES = {
    # json.dumps(indent=0): "a" seemed to end at the "}," closing "x", its "b" became the root's.
    "indent-0": (json.dumps({"a": {"x": {"y": 1}, "b": 1}, "b": 2}, indent=0),
                 {"/b": (8, 1), "/a/b": (6, 1), "/a/x/y": (4, 1)}),
    # The key with a backslash found by Hypothesis, same shape.
    "indent-0-escaped-key": (
        json.dumps({"back\\slash": {"a": {"b": None}, "c": 1}, "c": 2}, indent=0),
        {"/c": (8, 1), "/back\\slash/c": (6, 1)}),
    # Arrays of objects at indent=0.
    "indent-0-array": (json.dumps([{"a": [1]}, {"a": [2]}], indent=0),
                       {"/1": (7, 1), "/1/a/0": (9, 1), "/0/a": (3, 1)}),
    # Three lines indented by hand: "x" closes at the members' indentation, the inner "c"
    # and the close of "a" are shifted so that the tiling and the keys still fit.
    "three-misfits": ('{\n  "a": {\n    "x": {\n      "y": 1\n  },\n  "c": 1\n},\n  "c": 2\n}',
                      {"/c": (8, 3), "/a/c": (6, 3), "/a/x/y": (4, 7)}),
    # Four: the real "N" hidden by indentation, the inner "N" standing in for it.
    "four-misfits": ('{\n  "M": {\n    "a": {\n      "b": 1\n  },\n  "N": {\n      "q": 1\n'
                     '    }\n    },\n    "N": {\n    "r": 1\n  }\n}',
                     {"/N": (10, 5), "/N/r": (11, 5), "/M/N/q": (7, 7)}),
}


def _pointers(data: object, ptr: str = "") -> list[str]:
    out = [ptr]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _pointers(v, ptr + "/" + k.replace("~", "~0").replace("/", "~1"))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _pointers(v, f"{ptr}/{i}")
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_misfit_layout_gives_the_plain_answers(name: str) -> None:
    text, expected = CASES[name]
    data = json.loads(text)
    plain = SourceMap(text, "json")
    for pointer, where in expected.items():
        assert plain.position(pointer) == where, pointer
    # Fresh maps per pointer as well: the first lookup decides how the root is read.
    laid_out = SourceMap(text, "json", data)
    for pointer in [*expected, *_pointers(data)]:
        want = plain.position(pointer)
        assert laid_out.position(pointer) == want, pointer
        assert SourceMap(text, "json", data).position(pointer) == want, pointer


def test_brackets_in_strings_with_and_without_a_misfit() -> None:
    # The strings hold unbalanced brackets, so counting them cannot confirm where "a" ends
    # (the member is then read by its own layout, or decoded); the answers must still be
    # exact, with the misfit and without it.
    value = {"a": {"d": "x}}{[", "x": {"y": "]"}, "c": 1}, "c": 2}
    good = json.dumps(value, indent=2)
    bad = good.replace('\n    }', '\n  }', 1)  # "x" closes at the indentation of "a"
    assert bad != good
    for text in (good, bad):
        plain = SourceMap(text, "json")
        laid_out = SourceMap(text, "json", json.loads(text))
        for pointer in _pointers(value):
            assert laid_out.position(pointer) == plain.position(pointer), (text, pointer)


def test_deep_nesting_over_unbalanced_strings_stays_exact() -> None:
    # Every level's bracket count is off by the string at the bottom, so each level asks the
    # next one to confirm it; past a depth that stops and the member is decoded instead,
    # without reaching Python's recursion limit.
    value: object = {"s": "{{", "n": 1}
    for i in range(300):
        value = {"k": value, "i": i}
    text = json.dumps(value, indent=1)
    deep = "/k" * 300 + "/s"
    plain = SourceMap(text, "json")
    laid_out = SourceMap(text, "json", json.loads(text))
    assert plain.position(deep) is not None
    for pointer in ("/i", deep, "/k" * 150 + "/i", "/k" * 300 + "/n"):
        assert laid_out.position(pointer) == plain.position(pointer), pointer
