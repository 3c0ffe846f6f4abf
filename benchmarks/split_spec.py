"""Split a one-file OpenAPI 3 document into a multi-file spec, the way large projects keep them.

``python benchmarks/split_spec.py SPEC.json DEST`` writes ``DEST/openapi.json`` whose path items
name one file per operation (``get: {$ref: 'paths/<path>/get.json'}``, the shape of the
DigitalOcean spec) and whose component schemas are one file each
(``components/schemas/<Name>.json``); every ``#/components/schemas/...`` reference is rewritten
as a relative file reference, other local references point back into the root file. The
content is unchanged: the split spec describes the same API, so ``apilint diff`` of two split
versions reports what the one-file versions report.

Used by ``benchmarks/bench.py`` to time a multi-file comparison built from the real corpus; the
files are written to a temporary folder, never into the repository.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import sys
from pathlib import Path
from typing import Any

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCHEMA = "#/components/schemas/"


def _slug(path: str) -> str:
    """A folder name for an API path: ``/v1/charges/{charge}`` -> ``v1_charges_{charge}``."""
    return re.sub(r"[^A-Za-z0-9{}_.-]+", "_", path.strip("/")) or "_root"


def _rewrite(node: Any, here: str) -> Any:
    """``node`` with its local ``$ref``s made relative to the file at ``here`` (posix)."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/"):
                out[key] = _target(value, here)
            else:
                out[key] = _rewrite(value, here)
        return out
    if isinstance(node, list):
        return [_rewrite(v, here) for v in node]
    return node


def _target(ref: str, here: str) -> str:
    folder = posixpath.dirname(here)
    if ref.startswith(_SCHEMA):
        name, _, rest = ref[len(_SCHEMA):].partition("/")
        rel = posixpath.relpath(f"components/schemas/{_file_name(name)}.json", folder or ".")
        return rel + (f"#/{rest}" if rest else "")
    return posixpath.relpath("openapi.json", folder or ".") + ref


def _file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def split(source: Path, dest: Path) -> tuple[Path, int]:
    """Write the split spec under ``dest``; (root file, number of files written)."""
    doc = json.loads(source.read_text(encoding="utf-8"))
    written = 0

    def emit(rel: str, value: Any) -> None:
        nonlocal written
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(value, indent=2) + "\n", encoding="utf-8")
        written += 1

    root = {k: v for k, v in doc.items() if k not in ("paths", "components")}
    comps = dict(doc.get("components") or {})
    schemas = comps.pop("schemas", {}) or {}
    root_comps = {k: _rewrite(v, "openapi.json") for k, v in comps.items()}
    root_comps["schemas"] = {}
    for name, schema in schemas.items():
        rel = f"components/schemas/{_file_name(name)}.json"
        emit(rel, _rewrite(schema, rel))
        root_comps["schemas"][name] = {"$ref": rel}
    paths: dict[str, Any] = {}
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            paths[path] = item
            continue
        new_item: dict[str, Any] = {}
        for key, value in item.items():
            if key in METHODS:
                rel = f"paths/{_slug(path)}/{key}.json"
                emit(rel, _rewrite(value, rel))
                new_item[key] = {"$ref": rel}
            else:
                new_item[key] = _rewrite(value, "openapi.json")
        paths[path] = new_item
    root["paths"] = paths
    root["components"] = root_comps
    emit("openapi.json", root)
    return dest / "openapi.json", written


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.splitlines()[0], file=sys.stderr)
        print("usage: split_spec.py SPEC.json DEST", file=sys.stderr)
        return 2
    root, count = split(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{root} ({count} files)", file=sys.stderr)
    return 0 if os.path.exists(root) else 1


if __name__ == "__main__":
    raise SystemExit(main())
