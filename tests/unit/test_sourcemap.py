"""Tests for apilint.sourcemap: JSON pointer -> (line, column) in JSON and YAML text.

Hand-made texts pin the rules (key position for members, value position for elements,
escapes, duplicates, anchors, merges, flow style, broken input). A fuzzed JSON writer records
where it puts every key and value while it writes random layouts, and the map must agree with
it under every indexing strategy. Real specs from the shared corpus check that positions land
on the expected key or value text.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REAL

from apilint import sourcemap, yamlutil
from apilint.pointer import join
from apilint.sourcemap import SourceMap


def where(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the ``nth`` occurrence of ``needle`` in ``text``."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def at(text: str, pos: tuple[int, int] | None) -> str:
    """The text from ``pos`` to the end of its line."""
    assert pos is not None
    line = text.split("\n")[pos[0] - 1]
    return line[pos[1] - 1 :]


# Index strategies: the JSON map decides per container whether to index it early (only speed
# should depend on that), so every JSON test runs with each choice forced.
STRATEGIES = {
    "default": None,
    "always-open": lambda self, offset: True,
    "never-open": lambda self, offset: False,
}


@pytest.fixture(params=sorted(STRATEGIES))
def strategy(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    probe = STRATEGIES[request.param]
    if probe is not None:
        monkeypatch.setattr(sourcemap._JsonIndex, "_is_large", probe)
    return str(request.param)


# --------------------------------------------------------------------------------------------
# interface


def test_construction_does_not_parse() -> None:
    SourceMap("{{{ not json", "json")
    SourceMap("a: [unclosed", "yaml")


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError):
        SourceMap("{}", "toml")


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@pytest.mark.parametrize("pointer", ["a", "#/a", "/~2", "/a~", "/x/~", 7, None])
def test_malformed_pointer_gives_none(fmt: str, pointer: Any) -> None:
    assert SourceMap('{"a": 1, "x": {"~": 2}}', fmt).position(pointer) is None


# --------------------------------------------------------------------------------------------
# JSON, hand-made

PETS = """{
  "openapi": "3.0.0",
  "paths": {
    "/pets": {
      "get": {"operationId": "list", "tags": ["a", "b"]},
      "post": {
        "responses": {"200": {"description": "ok"}}
      }
    }
  },
  "matrix": [[1, 2], [3, [4, 5]], []],
  "empty": {}
}
"""


def test_json_members_point_at_their_key(strategy: str) -> None:
    sm = SourceMap(PETS, "json")
    assert sm.position("") == (1, 1)
    assert sm.position("/openapi") == where(PETS, '"openapi"')
    assert sm.position("/paths") == where(PETS, '"paths"')
    assert sm.position("/paths/~1pets") == where(PETS, '"/pets"')
    assert sm.position("/paths/~1pets/get") == where(PETS, '"get"')
    assert sm.position("/paths/~1pets/get/operationId") == where(PETS, '"operationId"')
    assert sm.position("/paths/~1pets/post/responses/200") == where(PETS, '"200"')
    assert sm.position("/paths/~1pets/post/responses/200/description") == where(
        PETS, '"description"'
    )
    assert sm.position("/empty") == where(PETS, '"empty"')


def test_json_elements_point_at_their_value(strategy: str) -> None:
    sm = SourceMap(PETS, "json")
    assert sm.position("/paths/~1pets/get/tags/0") == where(PETS, '"a"')
    assert sm.position("/paths/~1pets/get/tags/1") == where(PETS, '"b"')
    assert sm.position("/matrix/0") == where(PETS, "[1, 2]")
    assert sm.position("/matrix/0/1") == where(PETS, "2]")
    assert sm.position("/matrix/1/1") == where(PETS, "[4, 5]")
    assert sm.position("/matrix/1/1/0") == where(PETS, "4")
    assert sm.position("/matrix/2") == where(PETS, "[]")


@pytest.mark.parametrize(
    "pointer",
    [
        "/nope",
        "/paths/~1pets/put",
        "/paths/~1pets/get/tags/2",
        "/paths/~1pets/get/tags/01",
        "/paths/~1pets/get/tags/-",
        "/paths/~1pets/get/tags/-1",
        "/paths/~1pets/get/tags/1.0",
        "/paths/~1pets/get/tags/",
        "/openapi/0",
        "/openapi/x",
        "/matrix/2/0",
        "/empty/x",
        "/paths/%7E1pets",
        "/paths/~0pets",
        "//",
    ],
)
def test_json_missing_pointer_gives_none(strategy: str, pointer: str) -> None:
    assert SourceMap(PETS, "json").position(pointer) is None


def test_json_key_escapes_are_decoded(strategy: str) -> None:
    text = '{"a\\"b": 1, "caf\\u00e9": 2, "x\\/y": 3, "t~n": 4, "\\\\": 5, "é\\n": 6}'
    sm = SourceMap(text, "json")
    assert sm.position('/a"b') == where(text, '"a\\"b"')
    assert sm.position("/café") == where(text, '"caf\\u00e9"')
    assert sm.position("/x~1y") == where(text, '"x\\/y"')
    assert sm.position("/t~0n") == where(text, '"t~n"')
    assert sm.position("/\\") == where(text, '"\\\\"')
    assert sm.position("/é\n") == where(text, '"é\\n"')
    assert sm.position("/caf\\u00e9") is None


def test_json_duplicate_keys_last_wins(strategy: str) -> None:
    text = '{\n  "a": {"x": 1},\n  "b": 0,\n  "a": {"y": 2}\n}\n'
    sm = SourceMap(text, "json")
    assert sm.position("/a") == (4, 3)
    assert sm.position("/a/y") == where(text, '"y"')
    assert sm.position("/a/x") is None  # json.loads keeps only the last "a"


def test_json_columns_count_characters_and_ignore_crlf(strategy: str) -> None:
    text = '{\r\n  "é€😀": {"k": [10,\r\n 20]}\r\n}'
    sm = SourceMap(text, "json")
    assert sm.position("/é€😀") == (2, 3)
    assert sm.position("/é€😀/k") == (2, 11)
    assert sm.position("/é€😀/k/1") == (3, 2)


def test_json_scalar_root_and_nested_arrays(strategy: str) -> None:
    assert SourceMap('  "just a string"  ', "json").position("") == (1, 3)
    assert SourceMap("42", "json").position("/0") is None
    nested = "[[[[[1]]]], [[]], 2]"
    sm = SourceMap(nested, "json")
    assert sm.position("/0/0/0/0/0") == (1, 6)
    assert sm.position("/1/0") == (1, 14)
    assert sm.position("/2") == (1, 19)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n",
        '{"a": 1',
        '{"a": 1,}',
        '{"a" 1}',
        '{"a": 1 "b": 2}',
        '{"a": [1, 2,]}',
        '{"a": tru}',
        '{"a": 01}',
        '{"a": "unterminated}',
        '{"a": "tab\there"}',
        '{"a": 1} trailing',
        '{"a": 1}{"b": 2}',
        '{"x": {"deep": [1, 2}, "a": 1}',
        '{a: 1}',
        "[1 2]",
        "nul",
    ],
)
def test_json_broken_text_gives_none(strategy: str, text: str) -> None:
    sm = SourceMap(text, "json")
    assert sm.position("/a") is None
    assert sm.position("") is None
    assert sm.position("/a") is None  # and stays None


def test_json_deep_nesting_does_not_raise(strategy: str) -> None:
    depth = 5000
    text = "[" * depth + "]" * depth
    sm = SourceMap(text, "json")
    result = sm.position("/0/0/0")
    assert result is None or result == (1, 4)
    pretty = "".join(" " * i + "[\n" for i in range(depth)) + "]" * depth
    assert SourceMap(pretty, "json").position("/0") in (None, (2, 2))


# --------------------------------------------------------------------------------------------
# JSON, fuzzed layouts: the writer records where it puts each key and each value


class _Writer:
    """Writes a random JSON document in a random layout and records every position."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.parts: list[str] = []
        self.size = 0
        self.positions: dict[str, int] = {}  # pointer -> offset (key quote or value start)

    def emit(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def space(self) -> None:
        choice = self.rng.random()
        if choice < 0.4:
            return
        if choice < 0.7:
            self.emit("\n" + " " * self.rng.randrange(0, 12))
        else:
            self.emit(self.rng.choice([" ", "  ", "\t", "\r\n", "\n\t ", " \n"]))

    def string(self, value: str) -> None:
        out = ['"']
        for char in value:
            roll = self.rng.random()
            if char in '"\\':
                out.append("\\" + char)
            elif char == "/" and roll < 0.5:
                out.append("\\/")
            elif ord(char) < 0x20 or roll < 0.1:
                out.append(json.dumps(char, ensure_ascii=True)[1:-1] if ord(char) < 0x20
                           else f"\\u{ord(char):04x}" if ord(char) < 0x10000
                           else json.dumps(char)[1:-1])
            else:
                out.append(char)
        out.append('"')
        self.emit("".join(out))

    def value(self, pointer: str, depth: int) -> None:
        rng = self.rng
        kind = rng.random() if depth < 7 else 0.9
        if kind < 0.3:
            self.obj(pointer, depth)
        elif kind < 0.5:
            self.arr(pointer, depth)
        else:
            self.emit(
                rng.choice(
                    ["1", "-0.5e3", "true", "false", "null", '"s"', '"a\\"}]{["', "12345678901"]
                )
            )

    def key(self) -> str:
        return self.rng.choice(
            ["a", "b", "type", "~", "/", "a/b~c", "é", '"', "\\", "200", "", "x y", "日本", "😀"]
        )

    def obj(self, pointer: str, depth: int) -> None:
        self.emit("{")
        count = self.rng.randrange(0, 6)
        for i in range(count):
            self.space()
            key = self.key()
            child = join(pointer, key)
            # drop what an earlier duplicate recorded: json.loads keeps only the last one
            for old in [p for p in self.positions if p == child or p.startswith(child + "/")]:
                del self.positions[old]
            self.positions[child] = self.size
            self.string(key)
            self.space()
            self.emit(":")
            self.space()
            self.value(child, depth + 1)
            self.space()
            if i < count - 1:
                self.emit(",")
        if not count:
            self.space()
        self.emit("}")

    def arr(self, pointer: str, depth: int) -> None:
        self.emit("[")
        count = self.rng.randrange(0, 6)
        for i in range(count):
            self.space()
            child = join(pointer, i)
            self.positions[child] = self.size
            self.value(child, depth + 1)
            self.space()
            if i < count - 1:
                self.emit(",")
        if not count:
            self.space()
        self.emit("]")


def _line_col(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


@pytest.mark.parametrize("seed", range(60))
def test_json_fuzzed_layouts_match_the_writer(strategy: str, seed: int) -> None:
    writer = _Writer(random.Random(seed))
    writer.space()
    writer.positions[""] = writer.size
    writer.obj("", 0) if seed % 3 else writer.arr("", 0)
    writer.space()
    text = "".join(writer.parts)
    json.loads(text)  # the writer makes valid JSON
    sm = SourceMap(text, "json")
    pointers = list(writer.positions)
    random.Random(seed).shuffle(pointers)  # lookup order must not matter
    for pointer in pointers:
        assert sm.position(pointer) == _line_col(text, writer.positions[pointer]), pointer
        assert sm.position(pointer + "/nope") is None


def test_json_large_pretty_document(strategy: str) -> None:
    """Big enough that the default strategy indexes some containers early."""
    rng = random.Random(7)
    doc = {
        f"/p{i}": {
            "get": {"params": [{"name": f"n{j}", "in": "query"} for j in range(rng.randrange(9))]},
            "description": "x" * rng.randrange(3000),
        }
        for i in range(60)
    }
    text = json.dumps({"paths": doc, "z": [list(range(300))]}, indent=2)
    sm = SourceMap(text, "json")
    for i in rng.sample(range(60), 20):
        path = f"/p{i}"
        pointer = "/paths/" + path.replace("/", "~1")
        assert at(text, sm.position(pointer)).startswith(json.dumps(path) + ": {")
        params = doc[path]["get"]["params"]
        for j, param in enumerate(params):
            pos = sm.position(f"{pointer}/get/params/{j}/name")
            assert at(text, pos) == f'"name": "{param["name"]}",'
    assert at(text, sm.position("/z/0/299")) == "299"


# --------------------------------------------------------------------------------------------
# YAML, hand-made

SPEC = """\
openapi: 3.0.0   # comment
info: {title: "Pets", version: '1.0'}
paths:
  /pets:
    get:
      responses:
        200:
          description: ok
        "404":
          description: missing
      tags: [a, b]
    x-list:
      - first
      -   second
      - - nested
        - deeper
"""


def test_yaml_members_point_at_their_key() -> None:
    sm = SourceMap(SPEC, "yaml")
    assert sm.position("") == (1, 1)
    assert sm.position("/openapi") == (1, 1)
    assert sm.position("/info") == (2, 1)
    assert sm.position("/info/title") == where(SPEC, "title")
    assert sm.position("/info/version") == where(SPEC, "version")
    assert sm.position("/paths/~1pets") == (4, 3)
    assert sm.position("/paths/~1pets/get") == (5, 5)
    assert sm.position("/paths/~1pets/get/responses/200") == (7, 9)
    assert sm.position("/paths/~1pets/get/responses/200/description") == (8, 11)
    assert sm.position("/paths/~1pets/get/responses/404") == (9, 9)


def test_yaml_elements_point_at_their_value() -> None:
    sm = SourceMap(SPEC, "yaml")
    assert sm.position("/paths/~1pets/get/tags/0") == where(SPEC, "a, b")
    assert sm.position("/paths/~1pets/get/tags/1") == where(SPEC, "b]")
    assert sm.position("/paths/~1pets/x-list/0") == where(SPEC, "first")
    assert sm.position("/paths/~1pets/x-list/1") == where(SPEC, "second")
    assert sm.position("/paths/~1pets/x-list/2") == where(SPEC, "- nested")
    assert sm.position("/paths/~1pets/x-list/2/1") == where(SPEC, "deeper")


@pytest.mark.parametrize(
    "pointer",
    [
        "/nope",
        "/paths/~1pets/put",
        "/paths/~1pets/get/tags/2",
        "/paths/~1pets/get/tags/00",
        "/paths/~1pets/get/responses/201",
        "/openapi/0",
        "/info/title/x",
    ],
)
def test_yaml_missing_pointer_gives_none(pointer: str) -> None:
    assert SourceMap(SPEC, "yaml").position(pointer) is None


def test_yaml_scalar_keys_match_as_loaded() -> None:
    text = (
        "200: int\n"
        "'201': quoted\n"
        "true: bool\n"
        "~: null\n"
        "1.5: float\n"
        "0x1F: hex\n"
        "2023-05-01: date\n"
        '"both": 1\n'
        "both2: 2\n"
    )
    sm = SourceMap(text, "yaml")
    assert sm.position("/200") == (1, 1)
    assert sm.position("/201") == (2, 1)
    assert sm.position("/True") == (3, 1)  # str(True), as apilint's pointers spell it
    assert sm.position("/true") == (3, 1)
    assert sm.position("/None") == (4, 1)
    assert sm.position("/null") == (4, 1)
    assert sm.position("/1.5") == (5, 1)
    assert sm.position("/31") == (6, 1)
    assert sm.position("/0x1F") == (6, 1)
    assert sm.position("/2023-05-01") == (7, 1)
    assert sm.position("/both") == (8, 1)
    data = yamlutil.load(text)
    for key in data:
        assert SourceMap(text, "yaml").position(join("", key)) is not None


def test_yaml_string_key_wins_over_int_key() -> None:
    text = "200: int\n'200': str\n"
    assert SourceMap(text, "yaml").position("/200") == (2, 1)
    assert SourceMap("'200': str\n200: int\n", "yaml").position("/200") == (1, 1)


def test_yaml_duplicate_keys_last_wins() -> None:
    text = "a:\n  x: 1\nb: 2\na:\n  y: 3\n"
    sm = SourceMap(text, "yaml")
    assert sm.position("/a") == (4, 1)
    assert sm.position("/a/y") == (5, 3)
    assert sm.position("/a/x") is None


def test_yaml_flow_style() -> None:
    text = "root: {a: 1, b: [1, 2], 'c d': {e: [x, {f: g}]}}\n"
    sm = SourceMap(text, "yaml")
    assert sm.position("/root/a") == where(text, "a:")
    assert sm.position("/root/b") == where(text, "b:")
    assert sm.position("/root/b/1") == where(text, "2]")
    assert sm.position("/root/c d") == where(text, "'c d'")
    assert sm.position("/root/c d/e/1/f") == where(text, "f:")


ANCHORS = """\
components:
  base: &base
    type: object
    description: shared
  list: &list [one, two]
  item: &item {name: thing}
uses:
  merged:
    <<: *base
    description: own
  many:
    <<: [*item, {name: other, extra: 1}]
  seq:
    - *item   # alias as a sequence item
    - &inline {k: v}
    - *inline
    - *list
  value: *list
"""


def test_yaml_alias_item_points_at_the_alias() -> None:
    sm = SourceMap(ANCHORS, "yaml")
    assert sm.position("/uses/seq/0") == where(ANCHORS, "*item   #")
    assert sm.position("/uses/seq/1") == where(ANCHORS, "&inline")
    assert sm.position("/uses/seq/2") == where(ANCHORS, "*inline")
    assert sm.position("/uses/seq/3") == where(ANCHORS, "*list\n")


def test_yaml_pointer_through_alias_lands_in_the_anchored_node() -> None:
    sm = SourceMap(ANCHORS, "yaml")
    assert sm.position("/uses/seq/0/name") == where(ANCHORS, "name: thing")
    assert sm.position("/uses/seq/2/k") == where(ANCHORS, "k: v")
    assert sm.position("/uses/seq/3/1") == where(ANCHORS, "two")
    assert sm.position("/uses/value") == where(ANCHORS, "value:")
    assert sm.position("/uses/value/0") == where(ANCHORS, "one, two")


def test_yaml_merge_keys() -> None:
    sm = SourceMap(ANCHORS, "yaml")
    assert sm.position("/uses/merged/type") == where(ANCHORS, "type: object")
    assert sm.position("/uses/merged/description") == where(ANCHORS, "description: own")
    # in a list of merged mappings, the one whose value the installed PyYAML keeps (the
    # earlier one up to PyYAML 6.0.3, the later one in 6.0.4): the line shows that value
    loaded = yaml.safe_load(ANCHORS)
    winner = loaded["uses"]["many"]["name"]
    assert winner in ("thing", "other")
    assert sm.position("/uses/many/name") == where(ANCHORS, f"name: {winner}")
    assert sm.position("/uses/many/extra") == where(ANCHORS, "extra")
    assert sm.position("/uses/merged/<<") is None
    assert loaded["uses"]["merged"]["description"] == "own"


def test_yaml_redefined_anchor_uses_the_later_definition() -> None:
    text = "a: &x {v: 1}\nb: *x\nc: &x {w: 2}\nd: *x\ne: [*x]\n"
    with pytest.raises(yaml.composer.ComposerError):
        yaml.compose(text, Loader=yaml.SafeLoader)
    sm = SourceMap(text, "yaml")
    assert sm.position("/b/v") == where(text, "v: 1")
    assert sm.position("/d/w") == where(text, "w: 2")
    assert sm.position("/d/v") is None
    assert sm.position("/e/0") == where(text, "*x]")
    assert sm.position("/e/0/w") == where(text, "w: 2")


def test_yaml_multi_document_uses_the_first() -> None:
    text = "a: 1\n---\nb: 2\n"
    sm = SourceMap(text, "yaml")
    assert sm.position("/a") == (1, 1)
    assert sm.position("/b") is None
    assert SourceMap("---\na: 1\n...\n---\nb: [\n", "yaml").position("/a") == (2, 1)


def test_yaml_block_scalars_and_comments() -> None:
    text = "# head\nd: |\n  line one\n  line two\ne: >-\n  folded\nl:\n  # c *x\n  - 1\n"
    sm = SourceMap(text, "yaml")
    assert sm.position("/d") == (2, 1)
    assert sm.position("/e") == (5, 1)
    assert sm.position("/l/0") == (9, 5)


@pytest.mark.parametrize(
    "text",
    ["a: [1, 2\n", "a: b: c\n", "a: *nowhere\n", "\tx: 1\n", "a: 'open\n", "x: !!int abc\nb: {\n"],
)
def test_yaml_broken_text_gives_none(text: str) -> None:
    sm = SourceMap(text, "yaml")
    assert sm.position("/a") is None
    assert sm.position("") is None


def test_yaml_empty_stream() -> None:
    assert SourceMap("# only a comment\n", "yaml").position("") is None
    assert SourceMap("", "yaml").position("/a") is None


# --------------------------------------------------------------------------------------------
# real specs


def _real(name: str) -> Path:
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"corpus file not found: {path}")
    return path


def _all_pointers(data: Any) -> list[tuple[str, Any, bool, Any]]:
    """(pointer, value, is a member, key or index) for every node, iteratively."""
    out: list[tuple[str, Any, bool, Any]] = []
    stack: list[tuple[Any, str, bool, Any]] = [(data, "", False, None)]
    while stack:
        value, pointer, member, token = stack.pop()
        out.append((pointer, value, member, token))
        if isinstance(value, dict):
            stack.extend((v, join(pointer, k), True, k) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, join(pointer, i), False, i) for i, v in enumerate(value))
    return out


def _sample(data: Any, count: int, seed: int) -> list[tuple[str, Any, bool, Any]]:
    pointers = _all_pointers(data)
    return random.Random(seed).sample(pointers, min(count, len(pointers)))


_WS = re.compile(r"[ \t\r\n]*")


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name",
    [
        "kubernetes-release-1.35__release-1.36/new.json",
        "stripe-spec3-2020-08-27__2020-08-27/old.json",
        "adyen-checkout-71__72/new.json",
    ],
)
def test_real_json_positions_hold_the_key_or_value(name: str) -> None:
    text = _real(name).read_text(encoding="utf-8")
    data = json.loads(text)
    sm = SourceMap(text, "json")
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    decoder = json.JSONDecoder()
    for pointer, value, member, token in _sample(data, 400, seed=len(name)):
        pos = sm.position(pointer)
        assert pos is not None, pointer
        offset = starts[pos[0] - 1] + pos[1] - 1
        if member:
            # a member: its key, quoted, then ":" and the member's value
            assert text[offset] == '"', pointer
            key, end = json.decoder.scanstring(text, offset + 1)
            assert key == token, pointer
            end = _WS.match(text, end).end()
            assert text[end] == ":", pointer
            offset = _WS.match(text, end + 1).end()
        assert decoder.raw_decode(text, offset)[0] == value, pointer
        assert sm.position(pointer + "/~0missing") is None


def _yaml_value_ok(rest: str, value: Any) -> bool:
    """Whether the text ``rest`` plausibly starts the YAML node ``value``."""
    while rest[:1] in ("&", "!"):  # properties written before the value
        rest = rest.split(None, 1)[1] if " " in rest else ""
    if isinstance(value, list):
        return rest[:1] in ("-", "[")
    if isinstance(value, dict):
        return rest[:1] == "{" or ":" in rest or rest[:1] == "?"
    if isinstance(value, str):
        return rest.startswith(value[:20]) or rest[:1] in ("'", '"', "|", ">")
    if isinstance(value, bool):
        return rest[:1].lower() in ("t", "f", "y", "n", "o")
    return rest[:1] in "-+.0123456789~n" or rest[:1].lower() in ("i", "n")


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name",
    [
        "openai-2.0.0__2.0.0/new.yaml",
        "openai-2.3.0__2.3.0-dupanchor/old.yaml",
        "twilio-api_v2010-1.0.0__1.0.0/old.yaml",
    ],
)
def test_real_yaml_positions_hold_the_key_or_value(name: str) -> None:
    text = _real(name).read_text(encoding="utf-8")
    data = yamlutil.load(text)
    sm = SourceMap(text, "yaml")
    checked = 0
    for pointer, value, member, token in _sample(data, 400, seed=len(name)):
        pos = sm.position(pointer)
        assert pos is not None, pointer
        rest = at(text, pos)
        if member:
            # a key as written: maybe quoted, maybe not a string in the data (200:, true:)
            if rest[:1] in ("'", '"'):
                rest = rest[1:]
            assert rest.lower().startswith(str(token).lower()), (pointer, rest[:60])
        else:
            assert _yaml_value_ok(rest, value), (pointer, rest[:60])
        checked += 1
    assert checked > 100


@pytest.mark.corpus
def test_real_dupanchor_needs_the_fallback_composer() -> None:
    path = _real("openai-2.3.0__2.3.0-dupanchor/old.yaml")
    text = path.read_text(encoding="utf-8")
    with pytest.raises(yaml.composer.ComposerError, match="duplicate anchor"):
        yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    sm = SourceMap(text, "yaml")
    assert sm.position("/openapi") == where(text, "openapi:")
    line = text[: text.index("\npaths:")].count("\n") + 2
    assert sm.position("/paths") == (line, 1)
