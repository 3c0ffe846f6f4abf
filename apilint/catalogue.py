"""The rule catalogue: apilint/rules/*.yaml, loaded once, shared by classifier, policy, docs, CLI.

A change rule has ``compat`` either as one word or per direction
(``{request: breaking, response: compatible}``); finding rules (``kind: finding``) carry a
default ``level`` instead.
"""

from __future__ import annotations

import functools
import marshal
import os
import sys
from dataclasses import dataclass, field
from typing import Any

from .digest import sha256


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    kind: str  # "change" or "finding"
    category: str | None
    compat: str | dict[str, str] | None
    level: str | None
    message: str
    why: str
    example: dict[str, Any] = field(default_factory=dict)
    # What a change rule classifies (see apilint/rules/changes.yaml): a delta kind, the direction
    # it is for ("" for any) and the name of a condition in classify.CONDITIONS ("" for none).
    delta: str = ""
    direction: str = ""
    when: str = ""

    def compat_for(self, direction: str | None) -> str:
        if isinstance(self.compat, dict):
            if direction and direction in self.compat:
                return self.compat[direction]
            return self.compat.get("default", "breaking")
        return self.compat or "none"

    def render(self, **values: Any) -> str:
        try:
            return self.message.format_map(_Default(values))
        except (ValueError, IndexError):
            return self.message


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _rules_dir() -> str:
    # The folder beside this module (the package ``apilint.rules``), not importlib.resources:
    # this runs on every start of a hook, and a checkout and a wheel have the same layout.
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "rules")


def _parse(text: str) -> list[dict[str, Any]]:
    import yaml  # only when the cache below cannot answer: a JSON run never needs PyYAML

    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return list(data or [])


def _load_files(names: list[str]) -> list[list[dict[str, Any]]]:
    """The entries of each catalogue file, parsed once per content of the files.

    Parsing the YAML (and importing PyYAML for it) took a twentieth of a whole diff of two
    large JSON specs, on every run. So the parsed entries are kept in the user's cache folder
    (``$XDG_CACHE_HOME/apilint``, else ``~/.cache/apilint``) under a digest of the files' names
    and bytes: an edited rule is a different digest and is parsed again. Not beside the files:
    a file pip did not install would outlive ``pip uninstall`` and leave a package folder
    behind that shadows a later editable install. A cache that cannot be read or written
    costs only the parse.
    """
    folder = _rules_dir()
    texts: list[bytes] = []
    digest = sha256()
    for name in names:
        with open(os.path.join(folder, name), "rb") as fh:
            raw = fh.read()
        texts.append(raw)
        digest.update(f"{name}\0{len(raw)}\0".encode())
        digest.update(raw)
    cache_dir = _cache_dir()
    if cache_dir is None:
        return [_parse(raw.decode("utf-8")) for raw in texts]
    # Per interpreter, as bytecode is: marshal's format belongs to one Python version.
    tag = sys.implementation.cache_tag or "python"
    cache = os.path.join(cache_dir, f"catalogue.{tag}.{digest.hexdigest()[:24]}.marshal")
    try:
        with open(cache, "rb") as fh:
            cached = marshal.load(fh)
        if isinstance(cached, list) and len(cached) == len(names) and all(
                isinstance(entries, list) and all(isinstance(e, dict) for e in entries)
                for entries in cached):
            return cached
    except (OSError, EOFError, ValueError, TypeError):
        pass
    parsed = [_parse(raw.decode("utf-8")) for raw in texts]
    _store(cache_dir, cache, parsed)
    return parsed


def _cache_dir() -> str | None:
    """Where the parsed catalogue is kept: None when there is no home to keep it in."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        home = os.path.expanduser("~")
        if home == "~" or not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "apilint")


# Cached catalogues kept per interpreter (checkouts and versions in use side by side each
# have their own; older ones beyond this many are removed).
_KEEP = 8


def _store(cache_dir: str, cache: str, parsed: list[list[dict[str, Any]]]) -> None:
    """Write the cache atomically (never a half-written file read by a parallel run) and drop
    this interpreter's oldest ones beyond ``_KEEP``; any failure leaves things as they
    were."""
    try:
        data = marshal.dumps(parsed)
    except ValueError:
        return  # a YAML value marshal cannot hold: parse every time
    import tempfile

    try:
        os.makedirs(cache_dir, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".catalogue.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, cache)
        except BaseException:
            os.unlink(tmp)
            raise
        mine = os.path.basename(cache).rsplit(".", 2)[0] + "."  # this interpreter's files
        kept = sorted((os.path.join(cache_dir, name) for name in os.listdir(cache_dir)
                       if name.startswith(mine) and name.endswith(".marshal")),
                      key=os.path.getmtime, reverse=True)
        for old in kept[_KEEP:]:
            if old != cache:
                os.unlink(old)
    except OSError:
        pass


def _rule_files() -> list[str]:
    """changes.yaml first, then every other catalogue file (findings.yaml, conform.yaml …)."""
    names = sorted(
        n for n in os.listdir(_rules_dir()) if n.endswith(".yaml") and n != "changes.yaml"
    )
    return ["changes.yaml", *names]


@functools.cache
def rules() -> dict[str, Rule]:
    """All rules by id, in catalogue order (changes first, then the other files by name)."""
    out: dict[str, Rule] = {}
    names = _rule_files()
    for name, entries in zip(names, _load_files(names), strict=True):
        default_kind = "change" if name == "changes.yaml" else "finding"
        for entry in entries:
            rule = Rule(
                id=entry["id"],
                kind=entry.get("kind", default_kind),
                category=entry.get("category"),
                compat=entry.get("compat"),
                level=entry.get("level"),
                message=entry["message"],
                why=" ".join(str(entry.get("why", "")).split()),
                example=entry.get("example") or {},
                delta=entry.get("delta", ""),
                direction=entry.get("direction", ""),
                when=entry.get("when", ""),
            )
            if rule.id in out:
                raise ValueError(f"duplicate rule id {rule.id!r} in apilint/rules/{name}")
            out[rule.id] = rule
    return out


def get(rule_id: str) -> Rule:
    return rules()[rule_id]
