"""Project configuration for ``apilint check``: ``[tool.apilint]`` or ``.apilint.toml``.

Searched from the working directory upward to the git work tree's root (``.apilint.toml``
wins over ``pyproject.toml`` in the same folder); ``--config FILE`` names one directly.

```toml
[tool.apilint]
policy = "openstack"          # openstack | semver | date | strict
scheme = "microversion"       # optional; guessed from the version strings when absent
files = ["api/openapi.yaml"]  # spec files checked when none are named (--base, --pre-commit)
ignore = ["/internal/*"]      # API path globs whose changes the gate ignores
enum-keys = ["status"]        # captures: fields whose recorded values are compared
waivers = "apilint-waivers.yaml"
ref-map = {"https://example.com/schemas/" = "schemas/"}  # remote $refs read from a folder
# (or a list: ref-map = ["https://example.com/schemas/=schemas/"]; folders are relative to
# the project root and inside it; nothing is ever fetched)

[tool.apilint.version]        # where the version is read; info.version when absent
pointer = "/info/x-api-version"
# file = "nova/api/openstack/api_version_request.py"; regex = "_MAX_API_VERSION = '([^']+)'"
# discovery = "doc/versions.json"   (OpenStack version document: max_version or version)

[tool.apilint.rules]          # per-rule levels: error | warning | info | off
version-bumped-without-change = "off"
```

Every mistake is a ``ConfigError`` naming the file (exit 2).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import ConfigError
from .versions import POLICIES

LEVELS: tuple[str, ...] = ("error", "warning", "info", "off")
_KEYS = {"policy", "scheme", "files", "ignore", "waivers", "version", "rules", "enum-keys",
         "ref-map"}
_VERSION_KEYS = {"source", "pointer", "file", "regex", "discovery", "field"}


@dataclass
class VersionSource:
    """Where a side's version comes from."""

    kind: str = "info"  # info | pointer | regex | discovery
    pointer: str | None = None
    file: str | None = None  # relative to the config's folder (the project root)
    regex: re.Pattern[str] | None = None
    field: str | None = None  # discovery: which key to read (default max_version, then version)

    def describe(self) -> str:
        if self.kind == "pointer":
            return f"pointer {self.pointer}"
        if self.kind == "regex":
            return f"{self.file} (regex)"
        if self.kind == "discovery":
            return f"{self.file} (version document)"
        return "info.version"


@dataclass
class Config:
    path: str | None = None
    root: str = "."
    policy: str = "openstack"
    scheme: str | None = None
    files: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    waivers: str | None = None
    version: VersionSource = field(default_factory=VersionSource)
    levels: dict[str, str] = field(default_factory=dict)
    enum_keys: list[str] = field(default_factory=list)
    ref_map: list[tuple[str, str]] = field(default_factory=list)

    def resolve(self, relative: str) -> str:
        return relative if os.path.isabs(relative) else os.path.join(self.root, relative)


def _git_root(start: str) -> str | None:
    from .refs import git_root

    return git_root(start)


def find_config(start: str | None = None) -> str | None:
    """The nearest ``.apilint.toml`` or ``pyproject.toml`` with ``[tool.apilint]``."""
    cur = os.path.abspath(start or os.getcwd())
    stop = _git_root(cur)
    while True:
        dot = os.path.join(cur, ".apilint.toml")
        if os.path.isfile(dot):
            return dot
        py = os.path.join(cur, "pyproject.toml")
        if os.path.isfile(py) and _has_tool_table(py):
            return py
        parent = os.path.dirname(cur)
        if cur == stop or parent == cur:
            return None
        cur = parent


def _has_tool_table(path: str) -> bool:
    try:
        data = _read_toml(path)
    except ConfigError:
        # A broken pyproject.toml that mentions apilint is ours to report.
        with open(path, encoding="utf-8", errors="replace") as fh:
            if "[tool.apilint" in fh.read():
                raise
        return False
    return isinstance(data.get("tool"), dict) and "apilint" in data["tool"]


def _read_toml(path: str) -> dict[str, Any]:
    # Imported here: most runs of a hook find no configuration file at all.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as err:
        raise ConfigError(f"cannot read configuration ({err.strerror or err})", path) from None
    except tomllib.TOMLDecodeError as err:
        text = str(err)
        m = re.search(r"\(at line (\d+), column (\d+)\)", text)
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", text)
        if m:
            raise ConfigError(f"invalid TOML: {msg}", path, int(m[1]), int(m[2])) from None
        raise ConfigError(f"invalid TOML: {msg}", path) from None


def load_config(path: str | None = None, *, start: str | None = None) -> Config:
    """The configuration named by ``path``, else the one found from ``start`` upward, else
    the defaults (root: the git work tree or ``start``)."""
    if path is None:
        path = find_config(start)
        if path is None:
            here = os.path.abspath(start or os.getcwd())
            return Config(root=_git_root(here) or here)
    elif not os.path.isfile(path):
        raise ConfigError("configuration file not found", path)
    data = _read_toml(path)
    table: Any = data
    where = os.path.basename(path)
    if isinstance(data.get("tool"), dict) and "apilint" in data["tool"]:
        table = data["tool"]["apilint"]
        where = "[tool.apilint]"
    elif os.path.basename(path) == "pyproject.toml":
        raise ConfigError("no [tool.apilint] table", path)
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table", path)
    return _parse(table, path, where)


def _parse(table: dict[str, Any], path: str, where: str) -> Config:
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} "
                          f"(known: {', '.join(sorted(_KEYS))})", path)
    cfg = Config(path=path, root=os.path.dirname(os.path.abspath(path)))
    if "policy" in table:
        policy = table["policy"]
        if policy not in POLICIES:
            raise ConfigError(f"{where}: policy {policy!r} is not one of "
                              f"{', '.join(POLICIES)}", path)
        cfg.policy = policy
    if "scheme" in table:
        from .versions import SCHEMES

        scheme = table["scheme"]
        if scheme != "auto" and scheme not in SCHEMES:
            raise ConfigError(f"{where}: scheme {scheme!r} is not one of "
                              f"auto, {', '.join(SCHEMES)}", path)
        cfg.scheme = None if scheme == "auto" else scheme
    cfg.files = _str_list(table, "files", path, where)
    cfg.ignore = _str_list(table, "ignore", path, where)
    cfg.enum_keys = _str_list(table, "enum-keys", path, where)
    if "waivers" in table:
        if not isinstance(table["waivers"], str) or not table["waivers"]:
            raise ConfigError(f"{where}: waivers must be a file name", path)
        cfg.waivers = table["waivers"]
    if "version" in table:
        cfg.version = _version_source(table["version"], path, where)
    if "rules" in table:
        cfg.levels = parse_levels(table["rules"], path, f"{where}.rules")
    if "ref-map" in table:
        cfg.ref_map = _ref_map(table["ref-map"], path, where)
    return cfg


def _ref_map(value: Any, path: str, where: str) -> list[tuple[str, str]]:
    """``ref-map``: a table of URL prefix = folder, or a list of "PREFIX=DIR" strings."""
    from .refs import check_ref_map_entry, parse_ref_map

    out: list[tuple[str, str]] = []
    try:
        if isinstance(value, dict):
            for prefix, folder in value.items():
                if not isinstance(folder, str):
                    raise ValueError(f"the folder for {prefix!r} must be a string")
                out.append(check_ref_map_entry(prefix, folder))
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            out.extend(parse_ref_map(v) for v in value)
        else:
            raise ValueError('must be a table {"PREFIX" = "DIR"} or a list of "PREFIX=DIR"')
    except ValueError as err:
        raise ConfigError(f"{where}: ref-map: {err}", path) from None
    return out


def _str_list(table: dict[str, Any], key: str, path: str, where: str) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings", path)
    return list(value)


def parse_levels(table: Any, path: str, where: str) -> dict[str, str]:
    from .catalogue import rules

    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table of rule = level", path)
    known = rules()
    out: dict[str, str] = {}
    for rule_id, level in table.items():
        if rule_id not in known:
            import difflib

            close = difflib.get_close_matches(rule_id, list(known), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise ConfigError(f"{where}: no rule named {rule_id!r}{hint}", path)
        if level not in LEVELS:
            raise ConfigError(f"{where}: level {level!r} for {rule_id} is not one of "
                              f"{', '.join(LEVELS)}", path)
        out[rule_id] = level
    return out


def _version_source(table: Any, path: str, where: str) -> VersionSource:
    where = f"{where}.version"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table", path)
    unknown = sorted(set(table) - _VERSION_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}", path)
    for key, value in table.items():
        if not isinstance(value, str):
            raise ConfigError(f"{where}: {key} must be a string", path)
    kinds = [k for k in ("pointer", "regex", "discovery") if k in table]
    if len(kinds) > 1:
        raise ConfigError(f"{where}: give one of pointer, regex (with file) or discovery", path)
    if not kinds:
        if table.get("source", "info") != "info" or set(table) - {"source"}:
            raise ConfigError(f"{where}: give pointer, regex (with file) or discovery", path)
        return VersionSource()
    kind = kinds[0]
    if kind == "pointer":
        pointer = table["pointer"]
        if pointer and not pointer.startswith("/"):
            raise ConfigError(f"{where}: pointer {pointer!r} must start with '/'", path)
        return VersionSource("pointer", pointer=pointer)
    if kind == "regex":
        if "file" not in table:
            raise ConfigError(f"{where}: regex needs file = the file to search", path)
        try:
            rx = re.compile(table["regex"], re.MULTILINE)
        except re.error as err:
            raise ConfigError(f"{where}: invalid regex: {err}", path) from None
        if rx.groups < 1:
            raise ConfigError(f"{where}: regex needs a group around the version", path)
        return VersionSource("regex", file=table["file"], regex=rx)
    return VersionSource("discovery", file=table["discovery"], field=table.get("field"))


def read_version(
    source: VersionSource,
    data: Any,
    *,
    root: str,
    reader: Callable[[str], bytes],
    exists: Callable[[str], bool],
) -> tuple[str | None, str]:
    """One side's version string (or ``None``) and where it was read, for the report."""
    if source.kind == "info":
        info = data.get("info") if isinstance(data, dict) else None
        value = info.get("version") if isinstance(info, dict) else None
        return (None if value is None else str(value)), "info.version"
    if source.kind == "pointer":
        from .pointer import walk

        value = walk(data, source.pointer or "", None)
        if isinstance(value, (dict, list)):
            value = None
        return (None if value is None else str(value)), f"pointer {source.pointer}"
    assert source.file is not None
    path = source.file if os.path.isabs(source.file) else os.path.join(root, source.file)
    where = source.file
    if not exists(path):
        return None, f"{where} (missing)"
    try:
        text = reader(path).decode("utf-8", errors="replace")
    except (OSError, KeyError):
        return None, f"{where} (unreadable)"
    except Exception as err:  # noqa: BLE001 - a git reader raises its own error types
        return None, f"{where} (unreadable: {err})"
    if source.kind == "regex":
        assert source.regex is not None
        m = source.regex.search(text)
        if not m:
            return None, f"{where} (regex did not match)"
        return m.group("version") if "version" in source.regex.groupindex else m.group(1), where
    try:
        doc = json.loads(text)
    except ValueError:
        import yaml

        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError:
            return None, f"{where} (not JSON or YAML)"
    return _discovery_version(doc, source.field), where


def _discovery_version(doc: Any, fieldname: str | None) -> str | None:
    """OpenStack version documents: ``{"version": {...}}`` or ``{"versions": [...]}`` (the
    CURRENT entry, else the last); the value is ``max_version`` (or ``version``)."""
    entry: Any = doc
    if isinstance(doc, dict) and isinstance(doc.get("version"), dict):
        entry = doc["version"]
    elif isinstance(doc, dict) and isinstance(doc.get("versions"), list):
        items = [v for v in doc["versions"] if isinstance(v, dict)]
        current = [v for v in items if str(v.get("status", "")).upper() == "CURRENT"]
        entry = (current or items or [None])[-1]
    if not isinstance(entry, dict):
        return None
    keys = [fieldname] if fieldname else ["max_version", "version"]
    for key in keys:
        value = entry.get(key)
        if value not in (None, "") and not isinstance(value, (dict, list)):
            return str(value)
    return None
