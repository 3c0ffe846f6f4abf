"""The loader hands its composed YAML tree to the source map: same answers as composing anew."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import REAL, ROOT

from apilint import pointer as jp
from apilint.loader import load_document
from apilint.sourcemap import SourceMap

MERGES = """\
openapi: 3.0.3
info: {title: merges, version: "1"}
x-common: &common
  description: shared words
  deprecated: false
paths:
  /a:
    get:
      <<: *common
      deprecated: true
      responses:
        "200": &ok
          description: ok
    put:
      <<: [*common, {summary: put it}]
      responses:
        "200": *ok
        201:
          description: made
"""


def _pointers(data: Any, ptr: str = "") -> list[str]:
    out = [ptr]
    if isinstance(data, dict):
        for k, v in data.items():
            out.extend(_pointers(v, jp.join(ptr, k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.extend(_pointers(v, jp.join(ptr, i)))
    return out


def _files() -> list[Any]:
    files = sorted((ROOT / "fixtures").rglob("*.yaml"))[:150]
    small = REAL / "openai-1.1.0__1.2.0" / "new.yaml"
    return [*files, pytest.param(small, marks=pytest.mark.corpus)]


def _same(path: Path, text: str) -> None:
    doc = load_document(str(path))
    assert doc.yaml_node is not None
    fresh = SourceMap(text, "yaml")
    for ptr in _pointers(doc.data)[:3000]:
        assert doc.position(ptr) == fresh.position(ptr), ptr


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_shared_tree_gives_the_same_positions(path: Path) -> None:
    _same(path, path.read_text(encoding="utf-8"))


def test_merge_keys_and_aliases(tmp_path: Path) -> None:
    spec = tmp_path / "merges.yaml"
    spec.write_text(MERGES)
    _same(spec, MERGES)
    doc = load_document(str(spec))
    assert doc.position("/paths/~1a/get/deprecated") == (10, 7)
    assert doc.position("/paths/~1a/put/summary") is not None
    assert doc.position("/paths/~1a/put/responses/201") == (18, 9)
