"""An independent witness for the differ: DeepDiff over fully resolved documents.

For every real pair in the shared corpus (and for seeded random mutations of each revision) both
documents are resolved here, independently of apilint (every local ``$ref`` inlined, cycles left
as markers), brought to a canonical form that models the equivalences the README documents
("Nothing is reported for edits that change no API"), and compared with DeepDiff. Every leaf
DeepDiff reports must lie under the location of some change ``apilint.api.compare`` reports (its
``location`` or its base/revision pointer). Leaves that no change explains are *gaps*: a delta
that vanished somewhere in the pipeline. The test fails listing them (pair, pointer, what changed).

Mapping back: a resolved node remembers the original pointer it was built from (for an inlined
component, the component's pointer), so a leaf under an inlined schema maps to the component's
pointer, where apilint reports shared-component changes, as well as to the operation's pointer.

Test-only: nothing here runs on apilint's hot path. Budget: ``APILINT_WITNESS_MUTATIONS`` (default
3) mutations per pair; ``APILINT_WITNESS_REPORT=FILE`` also writes the gaps as JSON.
"""

from __future__ import annotations

import json
import os
import random
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CORPUS_MISSING

deepdiff = pytest.importorskip("deepdiff", reason="deepdiff not installed (pip install deepdiff)")

from apilint.api import compare  # noqa: E402
from apilint.errors import ApilintError  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def _corpus() -> Path:
    env = os.environ.get("APILINT_CORPUS")
    return Path(env) if env else REPO.parent / "shared" / "corpus"


REAL = _corpus() / "real"
MUTATIONS = int(os.environ.get("APILINT_WITNESS_MUTATIONS", "3"))
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Lists whose order means nothing (README: reordering parameters/required/enum/tags, and the
# type list of OpenAPI 3.1). Modelled as sets: keyed by their JSON text.
SET_LISTS = ("required", "enum", "type", "tags", "schemes", "consumes", "produces")
# Text fields compared by their words (README: a re-wrapped description is no change).
TEXT_KEYS = ("description", "summary", "title")


def _pairs() -> list[Path]:
    if not REAL.is_dir():
        return []
    return sorted(p for p in REAL.iterdir() if p.is_dir() and list(p.glob("old.*")))


def _load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    try:
        doc = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.composer.ComposerError:
        # PyYAML refuses a redefined anchor, which YAML 1.2 allows (the later one wins);
        # apilint's loader reads it. Only parsing is borrowed: the witness still resolves
        # and compares on its own.
        from apilint.loader import load_document

        doc = load_document(str(path)).data
    # apilint reads YAML timestamps as the strings they are written as; so does the witness
    # (a mutated copy is written as JSON, where a date can only be a string).
    return json.loads(json.dumps(doc, default=str))


def _esc(key: Any) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def _unesc(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


# --------------------------------------------------------------------------- resolution


class Canon:
    """One document resolved and canonicalised; ``origin`` maps id(node) to its pointer."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.origin: dict[int, str] = {}
        # A $ref with siblings is a new node at the site; it also stands for its target.
        self.alt: dict[int, str] = {}
        self._alive: list[Any] = []  # registered nodes stay alive: ids must not be reused
        self._path_params: dict[str, int] = {}
        # A parameter keyed by (in, name) at its list's place in the document: apilint points
        # a parameter added or removed by reference at the $ref in the list (its index).
        self.param_sites: dict[str, str] = {}
        self._memo: dict[str, Any] = {}
        self._stack: list[str] = []
        self.tree = self._document(doc)

    # Each built container is registered with the original pointer it came from.
    def _reg(self, node: Any, pointer: str) -> Any:
        if isinstance(node, (dict, list)) and id(node) not in self.origin:
            self.origin[id(node)] = pointer
            self._alive.append(node)
        return node

    def _target(self, ref: str) -> tuple[str, Any] | None:
        if not ref.startswith("#"):
            return None  # apilint refuses remote/file refs (fail closed); such pairs are skipped
        pointer = ref[1:]
        node: Any = self.doc
        for part in pointer.split("/")[1:]:
            part = _unesc(part)
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        return pointer, node

    def value(self, node: Any, pointer: str, key: str | None = None) -> Any:
        """The resolved, canonical form of ``node`` found at ``pointer``."""
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            hit = self._target(node["$ref"])
            if hit is None:
                return self._reg({"$ref": node["$ref"]}, pointer)
            target, resolved = hit
            if target in self._stack:
                # A cycle: stop here; both sides stop at the same place when the cycle is equal.
                return self._reg({"$ref-cycle": target}, pointer)
            if target in self._memo:
                return self._memo[target]
            self._stack.append(target)
            out = self.value(resolved, target, key)
            self._stack.pop()
            # Siblings next to $ref (3.1 allows them; 3.0 writers use them anyway).
            extra = {k: v for k, v in node.items() if k != "$ref"}
            if extra and isinstance(out, dict):
                out = dict(out)
                for k, v in extra.items():
                    out[k] = self.value(v, f"{pointer}/{_esc(k)}", k)
                self._reg(out, pointer)
                self.alt[id(out)] = target
            else:
                self._memo[target] = out
            return out
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            self._reg(out, pointer)
            for k, v in node.items():
                child = f"{pointer}/{_esc(k)}"
                if k == "headers" and isinstance(v, dict):
                    # README: header name case means nothing (HTTP header names are not cased).
                    hd: dict[str, Any] = self._reg({}, child)
                    for name, h in v.items():
                        hd[str(name).lower()] = self.value(h, f"{child}/{_esc(name)}", name)
                    out[k] = hd
                elif k == "parameters" and isinstance(v, list):
                    out[k] = self._params(v, child, {})
                elif k in SET_LISTS and isinstance(v, list):
                    out[k] = self._set(v, child)
                else:
                    out[k] = self.value(v, child, k)
            if isinstance(out.get("allOf"), list):
                return self._merge_all_of(out, pointer)
            return out
        if isinstance(node, list):
            lst: list[Any] = []
            self._reg(lst, pointer)
            lst.extend(self.value(v, f"{pointer}/{i}") for i, v in enumerate(node))
            return lst
        return node

    def _merge_all_of(self, out: dict[str, Any], pointer: str) -> dict[str, Any]:
        """README: equivalent allOf compositions are no change. Properties and required names
        of the members are lifted into the schema (a property declared in two places stays in
        its member); what else a member says stays in allOf. Members are shared nodes: copied."""
        props: dict[str, Any] = dict(out.get("properties") or {})
        req: dict[str, Any] = dict(out.get("required") or {})
        rest: list[Any] = []
        lifted = {k: v for k, v in out.items() if k not in ("allOf", "properties", "required")}
        for m in out["allOf"]:
            if not isinstance(m, dict):
                rest.append(m)
                continue
            mp = m.get("properties")
            keep = {k: v for k, v in m.items() if k not in ("properties", "required")}
            if isinstance(mp, dict):
                clash = {k: v for k, v in mp.items() if k in props}
                props.update({k: v for k, v in mp.items() if k not in props})
                if clash:
                    keep["properties"] = clash
            if isinstance(m.get("required"), dict):
                req.update(m["required"])
            elif "required" in m:
                keep["required"] = m["required"]
            for k in list(keep):
                # What a member says that the schema says too, or alone, is lifted.
                if k not in lifted or lifted[k] == keep[k]:
                    lifted[k] = keep.pop(k)
            if keep:
                rest.append(self._reg(keep, self.origin.get(id(m), pointer)))
        merged = self._reg(lifted, pointer)
        if props:
            merged["properties"] = self._reg(props, f"{pointer}/properties")
        if req:
            merged["required"] = self._reg(req, f"{pointer}/required")
        if rest:
            merged["allOf"] = self._reg(rest, f"{pointer}/allOf")
        return merged

    def _set(self, items: list[Any], pointer: str) -> dict[str, Any]:
        # README: reordering required/enum/tags is no change. Top-level tags are objects:
        # keyed by name.
        out: dict[str, Any] = self._reg({}, pointer)
        for i, item in enumerate(items):
            if isinstance(item, dict) and "name" in item:
                key = f"name={item['name']}"
            else:
                key = json.dumps(item, sort_keys=True, default=str)
            out[key] = self.value(item, f"{pointer}/{i}")
        return out

    def _params(self, items: list[Any], pointer: str, inherited: dict[str, Any]) -> dict[str, Any]:
        # README: reordering parameters and moving one between path and operation level is no
        # change; a parameter is identified by (in, name), header names without case.
        out: dict[str, Any] = self._reg(dict(inherited), pointer)
        for i, item in enumerate(items):
            p = self.value(item, f"{pointer}/{i}")
            if isinstance(p, dict):
                name = str(p.get("name"))
                where = str(p.get("in"))
                if where == "header":
                    name = name.lower()
                    origin = self.origin.get(id(p), f"{pointer}/{i}")
                    p = self._reg(dict(p, name=name), origin)
                elif where == "path" and name in self._path_params:
                    # README: renaming a path parameter is no change; it is its position.
                    name = f"#{self._path_params[name]}"
                    origin = self.origin.get(id(p), f"{pointer}/{i}")
                    p = self._reg({k: v for k, v in p.items() if k != "name"}, origin)
                out[f"{where}:{name}"] = p
                self.param_sites[f"{pointer}/{_esc(f'{where}:{name}')}"] = f"{pointer}/{i}"
        return out

    def _document(self, doc: Any) -> Any:
        out: dict[str, Any] = self._reg({}, "")
        if not isinstance(doc, dict):
            return out
        for k, v in doc.items():
            if k in ("definitions", "parameters", "responses") and "swagger" in doc:
                continue  # reusable parts: compared where they are used (inlined above)
            if k == "components" and isinstance(v, dict):
                # Only security schemes are referenced by name rather than by $ref.
                if "securitySchemes" in v:
                    out["components"] = self._reg(
                        {"securitySchemes": self.value(v["securitySchemes"],
                                                       "/components/securitySchemes")},
                        "/components")
                continue
            if k == "paths" and isinstance(v, dict):
                out[k] = self._paths(v)
                continue
            out[k] = self.value(v, f"/{_esc(k)}", k)
        if isinstance(out.get("info"), dict):
            # info.version is what `check` reads to judge the changes, not a change itself.
            out["info"] = {k: v for k, v in out["info"].items() if k != "version"}
            self._reg(out["info"], "/info")
        return out

    def _paths(self, paths: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = self._reg({}, "/paths")
        for path, item in paths.items():
            ip = f"/paths/{_esc(path)}"
            if isinstance(item, dict) and "$ref" in item:
                hit = self._target(item["$ref"]) if isinstance(item["$ref"], str) else None
                if hit:
                    ip, item = hit
            if not isinstance(item, dict):
                out[path] = item
                continue
            names = re.findall(r"\{([^}]*)\}", path)
            self._path_params = {n: i for i, n in enumerate(names)}
            shared: dict[str, Any] = {}
            if isinstance(item.get("parameters"), list):
                shared = self._params(item["parameters"], f"{ip}/parameters", {})
            pi: dict[str, Any] = self._reg({}, ip)
            for k, v in item.items():
                if k == "parameters":
                    continue  # merged into each operation below
                if k in METHODS and isinstance(v, dict):
                    op = self.value({kk: vv for kk, vv in v.items() if kk != "parameters"},
                                    f"{ip}/{k}")
                    self.origin[id(op)] = f"{ip}/{k}"
                    params = self._params(v.get("parameters") or [], f"{ip}/{k}/parameters",
                                          shared)
                    for key in shared:  # inherited: reported where the path item lists it
                        site = self.param_sites.get(f"{ip}/parameters/{_esc(key)}")
                        if site is not None:
                            self.param_sites.setdefault(
                                f"{ip}/{k}/parameters/{_esc(key)}", site)
                    if params:
                        op["parameters"] = params
                    pi[k] = op
                else:
                    pi[k] = self.value(v, f"{ip}/{_esc(k)}", k)
            out[re.sub(r"\{[^}]*\}", "{}", path)] = pi
        return out


# --------------------------------------------------------------------------- the witness


def _covered(cands: list[str], pointers: set[str], prefixes: set[str], whole: bool) -> bool:
    for c in cands:
        p = c
        while True:
            if p in pointers:
                return True
            if not p:
                break
            p = p.rsplit("/", 1)[0]
        # A node added or removed as a whole is explained by a change reported inside it.
        if whole and c in prefixes:
            return True
    return False


def _aliases(cands: list[str]) -> tuple[list[str], list[str]]:
    """Extra pointers for leaves inside a list modelled as a set (``/enum/"x"``): apilint
    points at the list or at an index in it, so a change at or inside the list explains
    them. A ``required`` entry is reported at the property it names."""
    exact: list[str] = []
    loose: list[str] = []
    for c in cands:
        parts = c.split("/")
        for i, part in enumerate(parts):
            if i and parts[i - 1] in SET_LISTS and (part.startswith('"') or
                                                    part.startswith("name=")):
                owner = "/".join(parts[: i - 1])
                loose.append("/".join(parts[:i]))
                if parts[i - 1] == "required" and part.startswith('"'):
                    try:
                        name = json.loads(_unesc(part))
                    except ValueError:
                        break
                    exact.append(f"{owner}/properties/{_esc(name)}")
                break
    return exact, loose


def _candidates(chain: list[tuple[Any, Any]], keys: list[Any], base: Canon,
                rev: Canon) -> list[str]:
    """Original pointers a DeepDiff leaf may be reported at: from every ancestor that has a
    recorded origin, that origin plus the rest of the path (site and component pointers)."""
    out: list[str] = []
    for depth, (t1, t2) in enumerate(chain):
        suffix = "".join(f"/{_esc(k)}" for k in keys[depth:])
        for obj, canon in ((t1, base), (t2, rev)):
            if isinstance(obj, (dict, list)) and id(obj) in canon.origin:
                if id(obj) in canon.alt:
                    out.append(canon.alt[id(obj)] + suffix)
                out.append(canon.origin[id(obj)] + suffix)
        if keys[depth:depth + 1] == ["required"] and len(keys) > depth + 1:
            # A required name is reported at the property it names, wherever that property
            # was declared (after allOf flattening, maybe in a member component).
            try:
                name = json.loads(str(keys[depth + 1]))
            except ValueError:
                continue
            for obj, canon in ((t1, base), (t2, rev)):
                props = obj.get("properties") if isinstance(obj, dict) else None
                prop = props.get(name) if isinstance(props, dict) else None
                if id(prop) in canon.origin:
                    out.append(canon.origin[id(prop)])
    for c in list(out):
        parts = c.split("/")
        for n in range(len(parts), 1, -1):
            head = "/".join(parts[:n])
            site = base.param_sites.get(head) or rev.param_sites.get(head)
            if site is not None:
                out.append(site + "".join(f"/{x}" for x in parts[n:]))
                break
    return list(dict.fromkeys(out))


def _take(counter: Counter[int], key: int) -> bool:
    if counter[key] > 0:
        counter[key] -= 1
        return True
    return False


def _tail(pointer: str) -> str:
    return "/".join(pointer.split("/")[-2:])


def _operations(cands: list[str]) -> list[str]:
    """The operations ("GET /pets") a leaf lies in, read from its site pointers."""
    out = []
    for c in cands:
        parts = c.split("/")
        if len(parts) > 3 and parts[1] == "paths" and parts[3] in METHODS:
            out.append(f"{parts[3].upper()} {_unesc(parts[2])}")
    return out


class _Hasher:
    """Merkle hashes of canonical nodes, memoised by identity: the resolved documents are DAGs
    (an inlined component is one shared node), so hashing costs the size of the document, not
    of its expansion; equal hashes let the descent skip equal subtrees at once."""

    def __init__(self) -> None:
        self.memo: dict[int, int] = {}

    def __call__(self, node: Any) -> int:
        if isinstance(node, dict):
            key = id(node)
            if key not in self.memo:
                self.memo[key] = hash(("d", tuple(sorted((k, self(v)) for k, v in node.items()))))
            return self.memo[key]
        if isinstance(node, list):
            key = id(node)
            if key not in self.memo:
                self.memo[key] = hash(("l", tuple(self(v) for v in node)))
            return self.memo[key]
        try:
            return hash((type(node).__name__, node))
        except TypeError:
            return hash(repr(node))


def _describe(level: Any, kind: str) -> str:
    def short(v: Any) -> str:
        if isinstance(v, deepdiff.helper.NotPresent):
            return "-"
        text = json.dumps(v, default=str, sort_keys=True)
        return text if len(text) <= 60 else text[:57] + "..."

    return f"{kind}: {short(level.t1)} -> {short(level.t2)}"


def witness(base_doc: Any, rev_doc: Any, changes: list[Any]) -> tuple[int, list[dict[str, Any]]]:
    """DeepDiff the canonical forms; return (leaves seen, leaves no apilint change explains).

    A descent guided by Merkle hashes finds the smallest subtrees that differ (dicts with the
    same keys are entered, everything else is handed to DeepDiff), so DeepDiff only ever sees
    what changed; each DeepDiff run is memoised per pair of shared nodes."""
    base, rev = Canon(base_doc), Canon(rev_doc)
    pointers: set[str] = set()
    for ch in changes:
        pointers.add(ch.location)
        for loc in (ch.base, ch.revision):
            if loc is not None:
                pointers.add(loc.pointer)
    prefixes: set[str] = set()
    for p in pointers:
        while p:
            p = p.rsplit("/", 1)[0]
            prefixes.add(p)
    # A node shared by several places (a YAML alias; apilint compares a shared node once) is
    # reported at one of them, listing every operation that reaches it: a leaf under another
    # place is explained by a change that lists the leaf's operation and ends the same way.
    by_op: dict[str, set[str]] = {}
    for ch in changes:
        for op in ch.operations or ((ch.operation,) if ch.operation else ()):
            by_op.setdefault(op, set()).add(_tail(ch.location))
    h = _Hasher()
    visited: set[tuple[int, int]] = set()
    runs: dict[tuple[int, int], list[tuple[str, list[tuple[Any, Any]], list[Any], Any]]] = {}
    gaps: list[dict[str, Any]] = []
    seen: set[str] = set()
    leaves = 0

    def judge(t1: Any, t2: Any, chain: list[tuple[Any, Any]], keys: list[Any]) -> None:
        nonlocal leaves
        memo_key = (id(t1), id(t2))
        if memo_key not in runs:
            found = []
            # JSON has one number type: 4 and 4.0 are the same value.
            diff = deepdiff.DeepDiff(t1, t2, view="tree", threshold_to_diff_deeper=0,
                                     ignore_numeric_type_changes=True)
            for kind, levels in diff.items():
                for level in levels:
                    inner: list[Any] = []
                    lv = level
                    while lv is not None:
                        inner.append((lv.t1, lv.t2))
                        lv = lv.up
                    inner.reverse()
                    found.append((kind, inner[1:], level.path(output_format="list"), level))
            runs[memo_key] = found
        for kind, inner, rel, level in runs[memo_key]:
            leaves += 1
            if kind == "values_changed" and isinstance(level.t1, str) and \
                    isinstance(level.t2, str) and (keys + rel)[-1:] and \
                    (keys + rel)[-1] in TEXT_KEYS and level.t1.split() == level.t2.split():
                continue  # README: re-wrapped text (whitespace only) is no change
            whole = kind.endswith(("_added", "_removed")) or kind == "type_changes"
            cands = _candidates(chain + [(t1, t2)] + inner, keys + rel, base, rev)
            exact, loose = _aliases(cands)
            if isinstance(t1, list) and isinstance(t2, list) and not inner:
                # An item added to or removed from a list: apilint may point at the list.
                loose = loose + [c.rsplit("/", 1)[0] for c in cands]
            if _covered(cands + exact, pointers, prefixes, whole) or _covered(
                    loose, pointers, prefixes, True):
                continue
            if any(_tail(c) in by_op.get(op, ()) for c in cands for op in _operations(cands)):
                continue
            where = cands[-1] if cands else "?"
            if where in seen:
                continue  # the same component leaf, reached through another operation
            seen.add(where)
            gaps.append({"pointer": where, "also": cands[:-1],
                         "change": _describe(level, kind)})

    def descend(a: Any, b: Any, chain: list[tuple[Any, Any]], keys: list[Any]) -> None:
        if h(a) == h(b):
            return
        # A shared pair (an inlined component) is reached by many, in a DAG exponentially
        # many, paths: it is walked once, from the first path that reaches it (its leaves map
        # to the component's own pointers, the same from every path).
        pair = (id(a), id(b))
        if pair in visited:
            return
        visited.add(pair)
        walk(a, b, chain, keys)

    def walk(a: Any, b: Any, chain: list[tuple[Any, Any]], keys: list[Any]) -> None:
        if isinstance(a, list) and isinstance(b, list):
            descend_list(a, b, chain, keys)
            return
        if not (isinstance(a, dict) and isinstance(b, dict)):
            judge(a, b, chain, keys)
            return
        inner_chain = chain + [(a, b)]
        for k in a.keys() & b.keys():
            descend(a[k], b[k], inner_chain, keys + [k])
        if a.keys() != b.keys():
            # Only the keys one side lacks; the copies stand for a and b (same origins).
            sa = base._reg({k: a[k] for k in a.keys() - b.keys()}, base.origin.get(id(a), ""))
            sb = rev._reg({k: b[k] for k in b.keys() - a.keys()}, rev.origin.get(id(b), ""))
            for part, whole_node, canon in ((sa, a, base), (sb, b, rev)):
                if id(whole_node) in canon.alt:
                    canon.alt[id(part)] = canon.alt[id(whole_node)]
            judge(sa, sb, chain, keys)

    def descend_list(a: list[Any], b: list[Any], chain: list[tuple[Any, Any]],
                     keys: list[Any]) -> None:
        # Lists (allOf/anyOf/oneOf members, examples) can hold whole expanded schemas, which
        # DeepDiff would walk in full: equal items are paired off by hash, changed ones are
        # entered in order, and DeepDiff only sees the items one side lacks.
        ha, hb = [h(x) for x in a], [h(y) for y in b]
        left_b = Counter(hb)
        ra = [i for i, x in enumerate(ha) if not _take(left_b, x)]
        left_a = Counter(ha)
        rb = [j for j, y in enumerate(hb) if not _take(left_a, y)]
        inner_chain = chain + [(a, b)]
        for i, j in zip(ra, rb, strict=False):
            descend(a[i], b[j], inner_chain, keys + [i])
        extra_a, extra_b = ra[len(rb):], rb[len(ra):]
        if extra_a or extra_b:
            sa = base._reg([a[i] for i in extra_a], base.origin.get(id(a), ""))
            sb = rev._reg([b[j] for j in extra_b], rev.origin.get(id(b), ""))
            judge(sa, sb, chain, keys)

    descend(base.tree, rev.tree, [], [])
    return leaves, gaps


# --------------------------------------------------------------------------- mutations


def _walk(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    yield pointer, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, f"{pointer}/{_esc(k)}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{pointer}/{i}")


KINDS = ("delete-property", "change-type", "add-enum-value", "change-description",
         "add-operation", "remove-response", "flip-parameter-required", "change-maxLength")


def _mutate(doc: Any, rng: random.Random, used: set[str]) -> str | None:
    """Apply one random API edit to ``doc`` in place; return what was done (None: nothing fit).
    Kinds not ``used`` yet for this pair come first, so a few mutations cover many kinds."""
    kinds = list(KINDS)
    rng.shuffle(kinds)
    kinds.sort(key=lambda k: k in used)
    nodes = [(p, n) for p, n in _walk(doc) if isinstance(n, dict)]
    for kind in kinds:
        cands: list[tuple[str, dict[str, Any]]] = []
        if kind == "delete-property":
            cands = [(p, n) for p, n in nodes
                     if isinstance(n.get("properties"), dict) and n["properties"]]
        elif kind == "change-type":
            cands = [(p, n) for p, n in nodes
                     if n.get("type") in ("string", "integer", "boolean", "number")]
        elif kind == "add-enum-value":
            cands = [(p, n) for p, n in nodes if isinstance(n.get("enum"), list)
                     and n["enum"] and all(isinstance(v, str) for v in n["enum"])]
        elif kind == "change-description":
            cands = [(p, n) for p, n in nodes if isinstance(n.get("description"), str)]
        elif kind == "add-operation":
            cands = [(p, n) for p, n in nodes if p.count("/") == 2 and p.startswith("/paths/")
                     and any(m in n for m in METHODS) and not all(m in n for m in METHODS[:5])]
        elif kind == "remove-response":
            cands = [(p, n) for p, n in nodes if p.startswith("/paths/") and p.endswith(
                "/responses") and len(n) > 1]
        elif kind == "flip-parameter-required":
            cands = [(p, n) for p, n in nodes if n.get("in") in ("query", "header")
                     and isinstance(n.get("name"), str) and "securit" not in p]
        elif kind == "change-maxLength":
            cands = [(p, n) for p, n in nodes if n.get("type") == "string"]
        if not cands:
            continue
        p, n = rng.choice(cands)
        used.add(kind)
        if kind == "delete-property":
            name = rng.choice(sorted(n["properties"]))
            del n["properties"][name]
            return f"{kind} {p}/properties/{_esc(name)}"
        if kind == "change-type":
            new = rng.choice([t for t in ("string", "integer", "boolean") if t != n["type"]])
            n.pop("format", None)
            old, n["type"] = n["type"], new
            return f"{kind} {p}/type {old}->{new}"
        if kind == "add-enum-value":
            n["enum"].append("witness-added-value")
            return f"{kind} {p}/enum"
        if kind == "change-description":
            n["description"] = n["description"] + " Edited by the witness."
            return f"{kind} {p}/description"
        if kind == "add-operation":
            have = [m for m in METHODS if m in n]
            free = [m for m in METHODS[:5] if m not in n]
            src, dst = rng.choice(have), rng.choice(free)
            op = json.loads(json.dumps(n[src], default=str))
            if isinstance(op, dict) and "operationId" in op:
                op["operationId"] = str(op["operationId"]) + "WitnessCopy"
            n[dst] = op
            return f"{kind} {p}/{dst}"
        if kind == "remove-response":
            code = rng.choice(sorted(n))
            del n[code]
            return f"{kind} {p}/{_esc(code)}"
        if kind == "flip-parameter-required":
            n["required"] = not n.get("required", False)
            return f"{kind} {p}/required -> {n['required']}"
        if kind == "change-maxLength":
            old = n.get("maxLength")
            n["maxLength"] = (old + 1) if isinstance(old, int) else 64
            return f"{kind} {p}/maxLength {old}->{n['maxLength']}"
    return None


# --------------------------------------------------------------------------- tests

PAIRS = _pairs()
_REPORT: list[dict[str, Any]] = []
_STATS: list[dict[str, Any]] = []


def _check(base_path: Path, rev_path: Path, base_doc: Any, rev_doc: Any,
           label: str) -> tuple[int, list[dict[str, Any]]] | None:
    try:
        result = compare(str(base_path), str(rev_path))
    except ApilintError as exc:
        # apilint refused (e.g. an external $ref): it failed closed, nothing to witness.
        _STATS.append({"case": label, "refused": str(exc)})
        return None
    leaves, gaps = witness(base_doc, rev_doc, result.changes)
    _STATS.append({"case": label, "changes": len(result.changes), "leaves": leaves,
                   "gaps": len(gaps)})
    for g in gaps:
        g["case"] = label
    return leaves, gaps


def _write_report() -> None:
    out = os.environ.get("APILINT_WITNESS_REPORT")
    if out:
        Path(out).write_text(json.dumps({"cases": _STATS, "gaps": _REPORT}, indent=1,
                                        default=str))


def _fail_message(gaps: list[dict[str, Any]]) -> str:
    lines = [f"{len(gaps)} DeepDiff leaves that no apilint change explains:"]
    for g in gaps[:40]:
        lines.append(f"  {g['case']}: {g['pointer']}: {g['change']}")
    if len(gaps) > 40:
        lines.append(f"  ... and {len(gaps) - 40} more")
    return "\n".join(lines)


@pytest.mark.corpus
@pytest.mark.skipif(not PAIRS, reason=CORPUS_MISSING)
@pytest.mark.parametrize("pair", PAIRS, ids=[p.name for p in PAIRS])
def test_witness_real_pair(pair: Path, tmp_path: Path) -> None:
    old = next(pair.glob("old.*"))
    new = next(pair.glob("new.*"))
    old_doc, new_doc = _load(old), _load(new)
    gaps: list[dict[str, Any]] = []
    res = _check(old, new, old_doc, new_doc, pair.name)
    if res is not None:
        gaps += res[1]
    # Mutations of the revision, compared with the unmutated revision: every mutation must be
    # seen (or be a documented equivalence, or not reach any operation).
    rng = random.Random(zlib.crc32(pair.name.encode()))
    # The mutations are compared with a JSON copy of the revision: the same document, read
    # faster than YAML, so the budget goes to the mutations.
    plain = tmp_path / "revision.json"
    plain.write_text(json.dumps(new_doc, default=str))
    used: set[str] = set()
    for i in range(MUTATIONS):
        mutated = json.loads(json.dumps(new_doc, default=str))
        what = _mutate(mutated, rng, used)
        if what is None:
            continue
        mpath = tmp_path / f"mutated-{i}.json"
        mpath.write_text(json.dumps(mutated, default=str))
        res = _check(plain, mpath, new_doc, mutated, f"{pair.name} [{what}]")
        if res is not None:
            gaps += res[1]
    _REPORT.extend(gaps)
    _write_report()
    assert not gaps, _fail_message(gaps)


def test_witness_sees_a_planted_change() -> None:
    """The witness itself: a change apilint does not report is a gap; one it reports is not."""
    base = {"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/A"}}}}}}}},
        "components": {"schemas": {"A": {"type": "object", "properties": {
            "x": {"type": "string"}, "y": {"type": "string", "enum": ["a", "b"]}}}}}}
    rev = json.loads(json.dumps(base))
    rev["components"]["schemas"]["A"]["properties"]["x"]["type"] = "integer"
    rev["components"]["schemas"]["A"]["properties"]["y"]["enum"] = ["b", "a"]  # order only

    class C:  # a stand-in change with only what the witness reads
        def __init__(self, loc: str) -> None:
            self.location, self.base, self.revision = loc, None, None
            self.operation, self.operations = "GET /a", ("GET /a",)

    _, gaps = witness(base, rev, [])
    assert [g["pointer"] for g in gaps] == ["/components/schemas/A/properties/x/type"]
    _, gaps = witness(base, rev, [C("/components/schemas/A/properties/x")])
    assert gaps == []


def test_witness_models_the_documented_equivalences() -> None:
    """Edits the README calls no change give DeepDiff nothing to report once canonical."""
    base = {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {
        "/a/{id}": {"parameters": [{"name": "id", "in": "path", "required": True,
                                    "type": "string"}],
                    "get": {"parameters": [{"name": "X-Trace", "in": "header", "type": "string"},
                                           {"name": "q", "in": "query", "type": "string"}],
                            "responses": {"200": {"description": "ok", "schema": {
                                "allOf": [{"$ref": "#/definitions/A"},
                                          {"properties": {"b": {"type": "string"}}}]}}}}}},
        "definitions": {"A": {"type": "object", "required": ["a", "c"], "properties": {
            "a": {"type": "string", "enum": ["x", "y"]}, "c": {"type": "integer"}}}}}
    rev = {"swagger": "2.0", "info": {"version": "2", "title": "t"}, "paths": {
        "/a/{thing}": {"get": {"parameters": [
            {"name": "q", "in": "query", "type": "string"},
            {"name": "thing", "in": "path", "required": True, "type": "string"},
            {"name": "x-trace", "in": "header", "type": "string"}],
            "responses": {"200": {"description": "ok", "schema": {
                "type": "object", "required": ["c", "a"], "properties": {
                    "a": {"enum": ["y", "x"], "type": "string"}, "b": {"type": "string"},
                    "c": {"type": "integer"}}}}}}}}}
    leaves, gaps = witness(base, rev, [])
    assert (leaves, gaps) == (0, [])
    rev["paths"]["/a/{thing}"]["get"]["parameters"][0]["required"] = True
    leaves, gaps = witness(base, rev, [])
    assert leaves == 1 and gaps[0]["pointer"].endswith("/get/parameters/0/required")
