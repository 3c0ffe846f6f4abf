"""``apilint conform SPEC DIR --all-versions``: the spec against its samples at every version.

For every microversion a samples tree records (``v2.NN`` folders, and the base version of its
top-level samples) and every version in that span where the spec's ranges start or end, the
spec as a client asking for that version sees it (``SPEC@V``) is checked against the tree
read at that version (``DIR@V``: the newest sample of each name at
or below V, taken as what V returns). A disagreement is reported once, at the first version
it appears, with that version in its message: a field the samples show from 2.73 while the
spec gates it at 2.75 is reported "from 2.73". This keeps a generated spec honest against
real responses across its whole history, not only at its newest version.

The spec is read and checked once; each version is a projection of it (see
``microversion.py``).
"""

from __future__ import annotations

import dataclasses
import os
import sys
from typing import Any

from .errors import InputError, UsageError
from .model import Finding


def conform_all_versions(spec_path: str, captures_path: str, *, root: str | None = None,
                         capture_options: dict[str, Any] | None = None,
                         map_path: str | None = None, ref_map: Any = None) -> Any:
    from .captures import BASE_VERSION, read_captures, split_version
    from .conform import ConformReport, _Checker, _nothing_checked, load_call_map
    from .loader import load_document
    from .microversion import Annotated, split_at
    from .normalise import NormalisedApi
    from .refs import Resolver
    from .versions import folder_microversion, microversion
    from .versions import show_microversion as show

    path, at = split_at(spec_path)
    if at is not None:
        raise UsageError(f"--all-versions projects the spec at each version itself; drop @{at} "
                         f"from {spec_path}")
    real, cap_at = split_version(captures_path)
    if cap_at is not None:
        raise UsageError(f"--all-versions reads the samples at each version itself; drop "
                         f"@{cap_at} from {captures_path}")
    if not os.path.isdir(real):
        raise UsageError(f"{captures_path}: --all-versions needs a samples folder with v2.NN "
                         "version folders (Nova's doc/api_samples layout)")
    versions: set[tuple[int, int]] = set()
    for dirpath, dirnames, _files in os.walk(real):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for d in dirnames:
            key = folder_microversion(d, dirpath)
            if key is not None:
                versions.add(key)
    if not versions:
        raise InputError("no v2.NN version folders: --all-versions reads a samples tree "
                         "recorded per microversion", captures_path)
    base = microversion(BASE_VERSION)
    assert base is not None
    versions.add(base)

    map_warnings: list[str] = []
    call_map = load_call_map(map_path, map_warnings) if map_path else []
    doc = load_document(path)
    data = doc.data
    if not (isinstance(data, dict) and ("openapi" in data or "swagger" in data)):
        raise InputError("the first argument must be an OpenAPI or Swagger spec, not captures",
                         path)
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 20000))
    try:
        resolver = Resolver(doc, root_dir=root, ref_map=ref_map or ())
        ann = Annotated(resolver)
        # A disagreement can only start where a sample is recorded again or where the spec
        # changes: both sets of versions, within the span the samples cover.
        low, high = min(versions), max(versions)
        versions.update(b for b in ann.boundaries(high) if low <= b)
        first: dict[tuple[str, str], Finding] = {}
        checked = matched = 0
        last_cs: Any = None
        for key in sorted(versions):
            v = show(key)
            proj = ann.project(key, f"{path}@{v}")
            side = NormalisedApi(proj.root, proj)
            side.read_operations()
            cs = read_captures(f"{real}@{v}", **(capture_options or {}))
            checker = _Checker(side, call_map)
            for s in cs.samples:
                if s.direction != "response":
                    continue
                checked += 1
                # The tree says the newest sample at or below V is what V returns.
                for f in checker.check(dataclasses.replace(s, version=v), cs):
                    if (f.id, f.message) not in first:
                        first[(f.id, f.message)] = dataclasses.replace(
                            f, message=f"from {v}: {f.message}")
            matched += checker.matched
            last_cs = cs
    finally:
        sys.setrecursionlimit(old)
    findings = sorted(first.values(), key=lambda f: (
        f.location.file if f.location else "", f.location.line or 0 if f.location else 0,
        f.id, f.message))
    if matched == 0:
        # Nothing was validated at any version: that must not read as "conforms".
        findings.append(_nothing_checked(last_cs, captures_path, checked))
    errors = any(f.level == "error" for f in findings)
    first_v, last_v = show(min(versions)), show(max(versions))
    span = f"{first_v}..{last_v}"
    return ConformReport(base=f"{path}@{span}", revision=f"{real}@{span}", findings=findings,
                         warnings=map_warnings + list(dict.fromkeys(ann.warnings +
                                                                    resolver.warnings)),
                         command="conform", base_version=span, revision_version=span,
                         exit_code=1 if errors else 0,
                         captures=checked, matched=matched)
