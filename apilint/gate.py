"""The versioning gate as one library call: ``run(options) -> Report``.

What ``apilint check`` (and ``apilint baseline``) does between reading its command line and
printing: load the configuration, compare each pair (two files, or files against a git ref),
select the changes, evaluate the versioning policy, apply the rule levels and the waivers, and
decide the exit code (0 the rule holds, 1 an error-level finding). Bad input or usage raises
``ApilintError`` (exit 2). Knows nothing of click or of output formats.

Three ways to name what is compared:

- two files (``paths`` = BASE, REVISION);
- ``base_ref``: each file (or config ``files``) against its version at that git ref;
- ``pre_commit``: what the pre-commit hook runs; base is ``$PRE_COMMIT_FROM_REF`` or HEAD,
  files that are not OpenAPI/Swagger are skipped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .errors import UsageError

if TYPE_CHECKING:  # the heavy modules load when a run starts, not at import
    from .config import Config
    from .model import Change, Finding, Location, Report


@dataclass
class PairResult:
    """One compared pair's changes and findings, before waivers and levels."""

    name: str
    base_display: str
    revision_display: str
    changes: list[Change] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    scheme: str | None = None
    scheme_rule: str | None = None
    base_version: str | None = None
    revision_version: str | None = None


@dataclass(frozen=True)
class Options:
    """What one gate run compares and how: the command line of ``check``/``baseline``, read
    together with the configuration file (``config_path``) when the run starts."""

    paths: tuple[str, ...]
    base_ref: str | None
    pre_commit: bool
    policy: str | None
    scheme: str | None
    config_path: str | None
    waivers_path: str | None
    base_version: str | None
    revision_version: str | None
    root: str | None
    validate: bool = False
    enum_keys: tuple[str, ...] = ()
    match_paths: tuple[str, ...] = ()
    exclude_paths: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    include_docs: bool = True
    ref_maps: tuple[str, ...] = ()  # --ref-map PREFIX=DIR entries


def run(opts: Options) -> Report | None:
    """Compare, evaluate and waive; ``None`` when hook mode has nothing to check."""
    from .api import Source, compare
    from .config import load_config
    from .refs import ref_map_entries

    config = load_config(opts.config_path)
    policy = opts.policy or config.policy
    scheme = config.scheme if opts.scheme is None else (None if opts.scheme == "auto"
                                                         else opts.scheme)
    git_mode = opts.base_ref is not None or opts.pre_commit
    enum_keys = list(dict.fromkeys([*config.enum_keys, *opts.enum_keys]))
    captures = {"enum_keys": enum_keys} if enum_keys else None
    # Given on the command line first: the longest prefix wins, the first of equal ones.
    ref_map = list(dict.fromkeys([*ref_map_entries(opts.ref_maps), *config.ref_map]))
    results: list[PairResult] = []
    if not git_mode:
        if len(opts.paths) != 2:
            raise UsageError("check needs BASE and REVISION files, or --base REF [FILE...], "
                             "or --pre-commit [FILE...]")
        base, revision = opts.paths
        cmp = compare(Source(base, capture_options=captures),
                      Source(revision, capture_options=captures), root=opts.root,
                      validate=opts.validate, ref_map=ref_map)
        results.append(_evaluate(
            cmp, base, config, policy, scheme, opts, label="",
            readers=(_disk_reader(base, config), _disk_reader(revision, config))))
        base_label, revision_label = cmp.base.document.path, cmp.revision.document.path
    else:
        if opts.base_ref is not None and opts.pre_commit:
            raise UsageError("give --base or --pre-commit, not both")
        try:
            from .gitsource import resolve_pairs
        except ImportError:
            raise UsageError("git mode is not available in this installation") from None
        to_ref: str | None = None
        if opts.pre_commit:
            base_ref = os.environ.get("PRE_COMMIT_FROM_REF") or "HEAD"
            to_ref = os.environ.get("PRE_COMMIT_TO_REF") or None
            files = _spec_files(opts.paths, config, to_ref=to_ref, ref_map=ref_map)
        else:
            base_ref = str(opts.base_ref)
            files = list(opts.paths) or _configured(config)
            if not files:
                raise UsageError("name the spec files to check, or list them in the "
                                 "configuration (files = [...])")
        if not files:
            return None
        pairs = resolve_pairs(base_ref, files, to_ref=to_ref)
        several = len(pairs) > 1
        from .loader import parse_cache
        from .progress import steps

        # Specs checked together share files (a split spec's common schemas): one parse each.
        with parse_cache():
            for pair in steps(pairs, len(pairs), f"comparing with {base_ref}"):
                if pair.base is None:
                    results.append(_new_spec(pair, base_ref))
                    continue
                cmp = compare(replace(pair.base, capture_options=captures),
                              replace(pair.revision, capture_options=captures),
                              root=opts.root, validate=opts.validate, ref_map=ref_map)
                results.append(_evaluate(
                    cmp, pair.name, config, policy, scheme, opts,
                    label=pair.name if several else "",
                    readers=((pair.base.reader, pair.base.exists, config.root),
                             (pair.revision.reader, pair.revision.exists, config.root))))
        if len(results) == 1:
            base_label, revision_label = results[0].base_display, results[0].revision_display
        else:
            base_label = base_ref
            revision_label = ", ".join(r.name for r in results)
    return _combine(results, base_label, revision_label, policy, config, opts)


Reader = tuple[Callable[[str], bytes], Callable[[str], bool], str]


def _disk_reader(spec: str, config: Config) -> Reader:
    """Plain file mode reads a version file next to the spec when there is one (so a
    base/ and a revision/ folder can each carry theirs), else from the project root."""
    from .loader import read_bytes

    root = config.root
    rel = config.version.file
    if rel and not os.path.isabs(rel):
        here = os.path.dirname(os.path.abspath(spec))
        if os.path.exists(os.path.join(here, rel)):
            root = here
    return read_bytes, os.path.exists, root


def _evaluate(cmp: Any, name: str, config: Config, policy: str, scheme: str | None,
              opts: Options, *, label: str, readers: tuple[Reader, Reader]) -> PairResult:
    from .config import read_version
    from .filters import Selection
    from .policy import Inputs, evaluate

    sides = []
    for side, reader, override, flag in ((cmp.base, readers[0], opts.base_version,
                                          "--base-version"),
                                         (cmp.revision, readers[1], opts.revision_version,
                                          "--revision-version")):
        if override is not None:
            sides.append((override, flag))
            continue
        read, exists, root = reader
        sides.append(read_version(config.version, side.document.data, root=root,
                                  reader=read, exists=exists, document=side.document.path))
    (b_raw, b_where), (r_raw, r_where) = sides
    vloc = _version_location(cmp.revision.document, config, r_where)
    # The configuration's selection (ignored paths, rules set to off) and the command line's.
    changes = Selection(match=opts.match_paths, exclude=[*config.ignore, *opts.exclude_paths],
                        only=opts.only, include_docs=opts.include_docs,
                        levels=config.levels).apply(cmp.changes)
    inputs = Inputs(changes=changes, base_version=b_raw, revision_version=r_raw,
                    base_data=cmp.base.document.data, revision_data=cmp.revision.document.data,
                    base_docs=cmp.base.documents, revision_docs=cmp.revision.documents,
                    base_where=b_where, revision_where=r_where, version_location=vloc,
                    label=label)
    verdict = evaluate(inputs, policy, scheme=scheme)  # levels: once, in _combine
    return PairResult(name=name, base_display=cmp.base.document.path,
                      revision_display=cmp.revision.document.path, changes=changes,
                      findings=verdict.findings, warnings=list(cmp.warnings),
                      scheme=verdict.scheme, scheme_rule=verdict.rule, base_version=b_raw,
                      revision_version=r_raw)


def _version_location(doc: Any, config: Config, where: str) -> Location:
    from .model import Location
    if where.startswith("--"):
        return Location(where, "")
    if config.version.kind == "info":
        return doc.locate("/info/version") if _has(doc.data, "/info/version") else \
            Location(doc.path, "/info")
    if config.version.kind == "pointer":
        ptr = config.version.pointer or ""
        return doc.locate(ptr) if _has(doc.data, ptr) else Location(doc.path, ptr)
    return Location(config.version.file or where, "")


def _has(data: Any, pointer: str) -> bool:
    from .pointer import walk

    return walk(data, pointer, None) is not None


def _new_spec(pair: Any, base_ref: str) -> PairResult:
    from .catalogue import rules
    from .model import Finding, Location

    rule = rules()["new-spec"]
    finding = Finding(id="new-spec", level=rule.level or "info",
                      message=rule.render(file=pair.name, ref=base_ref),
                      location=Location(pair.revision.display, ""))
    return PairResult(name=pair.name, base_display=f"{base_ref}: (absent)",
                      revision_display=pair.revision.display, findings=[finding])


def _combine(results: list[PairResult], base_label: str, revision_label: str, policy: str,
             config: Config, opts: Options) -> Report:
    from .model import Report
    from .policy import apply_levels
    from .waivers import apply, load_waivers

    findings = [f for r in results for f in r.findings]
    notes: list[str] = []
    waiver_file = opts.waivers_path or (config.resolve(config.waivers, "waivers") if config.waivers
                                        else None)
    if waiver_file and not opts.waivers_path and not os.path.lexists(waiver_file):
        # Configured but not written yet (a new project): nothing is waived, and it is said.
        notes.append(f"the configured waiver file {config.waivers} does not exist yet; nothing "
                     "is waived ('apilint baseline' writes it)")
        waiver_file = None
    # Levels before waivers: a finding caused only by lowered rules is judged by all its
    # changes, not by those a waiver leaves.
    findings = apply_levels(findings, config.levels)
    if waiver_file:
        kept = len(findings)
        findings = apply(findings, load_waivers(waiver_file))
        # ``apply`` keeps every finding, in order, and adds one per expired waiver after them:
        # only those new ones still need their level.
        findings = findings[:kept] + apply_levels(findings[kept:], config.levels)
    failing = any(f.level == "error" and not f.waived for f in findings)

    def joined(attr: str) -> str | None:
        values = [getattr(r, attr) for r in results]
        if len(results) == 1:
            return values[0]
        return ", ".join(f"{r.name}={v}" for r, v in zip(results, values, strict=True))

    schemes = list(dict.fromkeys(r.scheme for r in results if r.scheme))
    rules = list(dict.fromkeys(f"{r.scheme} ({r.scheme_rule})" for r in results
                               if r.scheme and r.scheme_rule))
    return Report(
        base=base_label, revision=revision_label,
        changes=[c for r in results for c in r.changes],
        findings=findings,
        warnings=list(dict.fromkeys([*notes, *(w for r in results for w in r.warnings)])),
        command="check", scheme=", ".join(schemes) if schemes else None, policy=policy,
        scheme_rule="; ".join(rules) if rules else None,
        base_version=joined("base_version"), revision_version=joined("revision_version"),
        exit_code=1 if failing else 0,
    )


def _configured(config: Config) -> list[str]:
    """Config ``files`` are relative to the config's folder; shown relative to here."""
    return [os.path.relpath(config.resolve(f, "files")) for f in config.files]


def _spec_files(paths: tuple[str, ...], config: Config, *, to_ref: str | None = None,
                ref_map: list[tuple[str, str]] | None = None) -> list[str]:
    """The hook's file list narrowed to API descriptions; everything else is not ours, except
    that a staged file which a tracked spec reaches through ``$ref`` brings that spec in."""
    def key(p: str) -> str:
        return os.path.normcase(os.path.abspath(p))

    listed = _configured(config)
    listed_keys = {key(f) for f in listed}
    out = [p for p in paths if key(p) in listed_keys or _looks_like_spec(p)]
    # A staged file a configured spec $refs is not a spec itself; checking the configured
    # specs whenever the hook runs catches edits to such split specs.
    seen = {key(p) for p in out}
    out.extend(f for f in listed if key(f) not in seen)
    seen.update(key(f) for f in listed)
    # Split specs without configuration: the tracked specs whose $ref closure holds a staged
    # file (an operation in resources/…/list.yml) are checked too.
    others = [p for p in paths if key(p) not in seen and p.lower().endswith(
        (".yaml", ".yml", ".json"))]
    if others:
        from .gitsource import specs_reaching

        for spec in specs_reaching(others, to_ref=to_ref, ref_map=ref_map or ()):
            if key(spec) not in seen:
                seen.add(key(spec))
                out.append(spec)
    return out


_SPEC_KEY = re.compile(rb'^(?:openapi|swagger)\s*:|"(?:openapi|swagger)"\s*:', re.MULTILINE)


def _looks_like_spec(path: str) -> bool:
    """An OpenAPI/Swagger file names its version key near the top. Matching the key, not
    parsing, keeps a broken spec in the run (so its error is reported, exit 2) instead of
    silently skipping it."""
    if not path.lower().endswith((".yaml", ".yml", ".json")) or not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError:
        return False
    return _SPEC_KEY.search(head) is not None
