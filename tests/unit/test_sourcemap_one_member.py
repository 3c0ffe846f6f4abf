"""A lookup through a small laid-out object finds the one member it wants by its line, and a
laid-out array's elements are read from their lines; both must give exactly the plain
scanner's answers, and give way wherever their checks cannot vouch for the line."""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_sourcemap_json_layout import _pointers, _same_answers

from apilint import sourcemap

DOC = {"info": {"title": "t", "version": "1"},
       "paths": {"/a": {"get": {"tags": ["x", "y"], "parameters": [{"$ref": "#/p"}, {"in": "q"}],
                                "responses": {"200": {"description": "ok"}}}}}}


def test_one_member_is_found_without_indexing_its_object(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    text = json.dumps(DOC, indent=2)
    scanned: list[int] = []
    real = sourcemap._JsonIndex._scan_laid_out

    def counting(self: Any, start: int, node: Any, depth: int = 0) -> Any:
        scanned.append(start)
        return real(self, start, node, depth)

    monkeypatch.setattr(sourcemap._JsonIndex, "_scan_laid_out", counting)
    smap = sourcemap.SourceMap(text, "json", DOC)
    lines = text.split("\n")
    want = lines.index('            "in": "q"') + 1
    assert smap.position("/paths/~1a/get/parameters/1/in") == (want, 13)
    # The root is indexed, and the parameters array; the objects on the way are not.
    assert text.index('"paths": {') + len('"paths": ') not in scanned
    assert len(scanned) == 2
    _same_answers(text, _pointers(DOC))


@pytest.mark.parametrize("text", [
    # The same key twice in a nested object: the parser keeps the later one.
    '{\n  "o": {\n    "k": 1,\n    "m": 2,\n    "k": {\n      "z": 3\n    }\n  }\n}',
    # The key spelt with an escape.
    '{\n  "o": {\n    "\\u006b": 1,\n    "m": 2\n  }\n}',
    # An earlier member's nested line at the members' indentation, with the wanted key.
    '{\n  "o": {\n    "a": {\n    "k": 1\n    },\n    "k": 2\n  }\n}',
    # Strings holding brackets before the wanted member and inside array elements.
    '{\n  "o": {\n    "s": "{[",\n    "k": [\n      "]",\n      {\n        "x": "}"\n      }\n'
    '    ]\n  }\n}',
    # An array element written at the elements' indentation inside an earlier element.
    '{\n  "o": [\n    [\n    1\n    ],\n    2\n  ]\n}',
])
def test_what_the_line_cannot_vouch_for_is_read_the_long_way(text: str) -> None:
    data = json.loads(text)
    _same_answers(text, [*_pointers(data), "/o/k", "/o/k/z", "/o/1", "/o/0/0", "/o/nope"])
