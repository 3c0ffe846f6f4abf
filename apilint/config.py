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
    regex: Any = None  # a compiled RE2 pattern (apilint.regex)
    field: str | None = None  # discovery: which key to read (default max_version, then version)
    # Where it was configured, for errors: the config file and the setting's name there.
    config_path: str | None = None
    setting: str = "version"

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

    def resolve(self, relative: str, setting: str = "a path") -> str:
        """A path the configuration names, inside the project root (see ``confine``)."""
        return confine(self.root, relative, setting, self.path)


def confine(root: str, relative: str, setting: str, config_path: str | None) -> str:
    """``root``/``relative``, refused unless it stays inside the root — the same rule as for
    ``$ref``s. A configuration can arrive in anyone's branch; ``file = "/proc/self/environ"``
    must not put the CI job's environment into a report. Checked on the names (no absolute
    path, no ``..`` out) and, where the file exists, on the real path (no symlink out)."""
    from .refs import _inside

    if os.path.isabs(relative) or relative.startswith("~") or "\0" in relative:
        raise ConfigError(f"{setting} {relative!r} must be a relative path inside the project",
                          config_path)
    base = os.path.abspath(root)
    full = os.path.normpath(os.path.join(base, relative))
    if not _inside(base, full):
        raise ConfigError(f"{setting} {relative!r} leaves the project folder {base}",
                          config_path)
    if os.path.lexists(full) and not _inside(os.path.realpath(base), os.path.realpath(full)):
        raise ConfigError(f"{setting} {relative!r} is a link that leads out of the project "
                          f"folder {base}", config_path)
    return full


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
        if "[tool.apilint" in _config_text(path):
            raise
        return False
    return isinstance(data.get("tool"), dict) and "apilint" in data["tool"]


def _config_text(path: str) -> str:
    """A configuration file's text, read like every other input (regular file, size limit,
    UTF-8); its problems are configuration errors."""
    from .errors import InputError
    from .loader import read_text

    try:
        return read_text(path)
    except InputError as err:
        raise ConfigError(err.message, err.file, err.line, err.column) from None


def _read_toml(path: str) -> dict[str, Any]:
    # Imported here: most runs of a hook find no configuration file at all.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    text = _config_text(path)
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise ConfigError("nesting deeper than the TOML reader allows", path) from None
    except tomllib.TOMLDecodeError as err:
        text = str(err)
        m = re.search(r"\(at line (\d+), column (\d+)\)", text)
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", text)
        if m:
            raise ConfigError(f"invalid TOML: {msg}", path, int(m[1]), int(m[2])) from None
        raise ConfigError(f"invalid TOML: {msg}", path) from None
    except ValueError:
        # tomllib's own int() on a 5,000-digit number (found by the fuzz harness).
        raise ConfigError("invalid TOML: an integer over the 4300 digit limit "
                          "(limit MAX_INT_DIGITS)", path) from None


def load_config(path: str | None = None, *, start: str | None = None) -> Config:
    """The configuration named by ``path``, else the one found from ``start`` upward, else
    the defaults (root: the git work tree or ``start``)."""
    if path is None:
        path = find_config(start)
        if path is None:
            here = os.path.abspath(start or os.getcwd())
            return Config(root=_git_root(here) or here)
    elif not os.path.lexists(path):
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
    source = _version_kind(table, kind, path, where)
    source.config_path = path
    key = {"pointer": "pointer", "regex": "file", "discovery": "discovery"}[kind]
    # "[tool.apilint] version.pointer" in a pyproject.toml; "version.pointer" in its own file
    # (the error names the file first either way).
    table_name = where[: -len(".version")]
    prefix = f"{table_name} " if table_name.startswith("[") else ""
    source.setting = f"{prefix}version.{key}"
    return source


def _version_kind(table: dict[str, Any], kind: str, path: str, where: str) -> VersionSource:
    if kind == "pointer":
        pointer = table["pointer"]
        if pointer and not pointer.startswith("/"):
            raise ConfigError(f"{where}: pointer {pointer!r} must start with '/'", path)
        return VersionSource("pointer", pointer=pointer)
    if kind == "regex":
        if "file" not in table:
            raise ConfigError(f"{where}: regex needs file = the file to search", path)
        from . import regex

        if not isinstance(table["regex"], str):
            raise ConfigError(f"{where}: regex must be a string", path)
        try:
            # RE2: the file it searches may come from anyone's branch (linear-time matching).
            rx = regex.compile_untrusted(table["regex"], multiline=True)
        except regex.UnsupportedPattern as err:
            raise ConfigError(f"{where}: invalid regex (RE2 syntax, no backreferences or "
                              f"lookaround): {err}", path) from None
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
    document: str = "the document",
) -> tuple[str | None, str]:
    """One side's version string and where it was read, for the report.

    ``info.version`` may be missing (the policy reports it as unparseable); a configured
    source that yields nothing is a configuration error, since the gate would otherwise
    compare ``None`` with ``None``. ``document`` names the side's spec in that error."""
    if source.kind == "info":
        info = data.get("info") if isinstance(data, dict) else None
        value = info.get("version") if isinstance(info, dict) else None
        return (None if value is None else str(value)), "info.version"

    def fail(problem: str) -> ConfigError:
        return ConfigError(f"{_setting_name(source)} {problem}", source.config_path)

    if source.kind == "pointer":
        from .pointer import walk

        value = walk(data, source.pointer or "", None)
        if value is None:
            raise fail(f"{source.pointer!r} not found in {document}")
        if isinstance(value, (dict, list)):
            raise fail(f"{source.pointer!r} in {document} is "
                       f"{'a mapping' if isinstance(value, dict) else 'a list'}, not a version")
        return str(value), f"pointer {source.pointer}"
    assert source.file is not None
    setting = "version.discovery" if source.kind == "discovery" else "version.file"
    path = confine(root, source.file, setting, source.config_path)
    where = source.file
    if not exists(path):
        raise fail(f"{where!r} not found (read for {document})")
    try:
        text = reader(path).decode("utf-8", errors="replace")
    except (OSError, KeyError) as err:
        raise fail(f"{where!r} cannot be read (for {document}): {err}") from None
    except Exception as err:  # noqa: BLE001 - a git reader raises its own error types
        raise fail(f"{where!r} cannot be read (for {document}): {err}") from None
    if source.kind == "regex":
        assert source.regex is not None
        m = source.regex.search(text)
        shown = source.regex.pattern.removeprefix("(?m)")  # as configured
        if not m:
            raise fail(f"{where!r}: regex {shown!r} does not match (read for {document})")
        value = m.group("version") if "version" in source.regex.groupindex else m.group(1)
        if value is None or not value.strip():
            raise fail(f"{where!r}: regex {shown!r} matched no version (read for {document})")
        return value, where
    from .errors import InputError
    from .loader import parse_text_checked

    try:
        # The loader's limits (depth, alias expansion, numbers) apply to this file too.
        doc, _, _ = parse_text_checked(text, where)
    except InputError:
        raise fail(f"{where!r} is not JSON or YAML (read for {document})") from None
    found = _discovery_version(doc, source.field)
    if found is None:
        keys = source.field or "max_version or version"
        raise fail(f"{where!r} has no {keys} (read for {document})")
    return found, where


def _setting_name(source: VersionSource) -> str:
    return source.setting if source.config_path else f"version {source.kind}"


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
