"""The revision's checks reuse the base's where the two are equal, and only there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REAL

from apilint.errors import InputError
from apilint.loader import load_document
from apilint.refs import Resolver, ref_index


@pytest.mark.corpus
@pytest.mark.parametrize("pair", ["kubernetes-release-1.35__release-1.36",
                                  "stripe-spec3-2020-03-02__2020-08-27",
                                  "azure-servicefabric-6.3__6.4"])
def test_index_with_a_twin_equals_the_index_without(pair: str) -> None:
    old = load_document(str(REAL / pair / "old.json"))
    new = load_document(str(REAL / pair / "new.json"))
    base = Resolver(old)
    alone = ref_index(new.data)
    shared = Resolver(new, twin=base).ref_index(new)
    assert alone and shared == alone


def _spec(tmp_path: Path, name: str, data: dict) -> str:
    p = tmp_path / name
    p.write_text(json.dumps(data), encoding="utf-8")
    return str(p)


def _doc(parameters: object, schema: object) -> dict:
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"parameters": parameters, "responses": {
                "200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/A"}}}}}}}},
            "components": {"schemas": {"A": schema}}}


def test_a_changed_part_is_still_checked(tmp_path: Path) -> None:
    good = _doc([], {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/B"}}})
    good["components"]["schemas"]["B"] = {"type": "string"}
    base = Resolver(load_document(_spec(tmp_path, "base.json", good)))
    # Wrong type in a path item that differs from the base's: refused.
    bad_params = _doc({"not": "a list"}, good["components"]["schemas"]["A"])
    bad_params["components"]["schemas"]["B"] = {"type": "string"}
    with pytest.raises(InputError, match="parameters of /paths/~1a/get must be a list"):
        Resolver(load_document(_spec(tmp_path, "r1.json", bad_params)), twin=base)
    # A dangling $ref in a component that differs from the base's: refused.
    dangling = json.loads(json.dumps(good))
    dangling["components"]["schemas"]["A"]["properties"]["y"] = {"$ref": "#/components/schemas/C"}
    with pytest.raises(InputError, match="C"):
        Resolver(load_document(_spec(tmp_path, "r2.json", dangling)), twin=base)
    # The same component under another spec version is checked under that version's rules.
    v31 = json.loads(json.dumps(good))
    v31["openapi"] = "3.1.0"
    v31["components"]["schemas"]["B"] = True
    twin31 = Resolver(load_document(_spec(tmp_path, "b31.json", v31)))
    v30 = json.loads(json.dumps(v31))
    v30["openapi"] = "3.0.3"
    with pytest.raises(InputError, match="must be a mapping"):
        Resolver(load_document(_spec(tmp_path, "r3.json", v30)), twin=twin31)
