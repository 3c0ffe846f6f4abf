"""Waivers: accepted changes the gate stops counting, each with a reason and maybe an expiry.

The file is YAML, a list (or ``waivers:`` holding one) of entries::

    - rule: response-error-status-removed     # a change rule id, or a finding id
      operation: GET /servers/{server_id}     # glob; absent = any operation
      location: /paths/~1servers~1{server_id}/get/responses/500*   # glob over the pointer
      version: "2.96"                         # the version it was accepted in (for people)
      reason: 500 fixed into a 404, guideline exception (bug 2041234)
      expires: 2027-01-31                     # optional; after it the entry stops matching

An entry matches by the fingerprint fields (rule, operation, location), never by message
text. A finding whose changes are all waived is kept but marked waived (exit 0); an expired
entry no longer matches and is reported as a ``waiver-expired`` warning.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import ConfigError
from .model import Change, Finding, Location

_FIELDS = {"rule", "operation", "location", "version", "reason", "expires"}


@dataclass
class Waiver:
    rule: str
    operation: str | None
    location: str | None
    version: str | None
    reason: str
    expires: dt.date | None
    file: str
    line: int | None

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and today > self.expires

    def matches(self, rule: str, operation: str | None, location: str) -> bool:
        if rule != self.rule:
            return False
        if self.operation is not None and not fnmatch.fnmatchcase(operation or "",
                                                                  self.operation):
            return False
        return self.location is None or fnmatch.fnmatchcase(location, self.location)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping, for error messages."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_waivers(path: str) -> list[Waiver]:
    """Read and check a waiver file; every problem is a ``ConfigError`` naming file and line."""
    from .errors import InputError
    from .loader import read_text

    try:
        text = read_text(path)
    except InputError as err:
        raise ConfigError(f"cannot read waiver file: {err.message}", path) from None
    from . import yamlutil

    try:
        yamlutil.measure(text)  # the loader's limits: no alias bomb, no runaway nesting
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yamlutil.YamlLimitError as err:
        raise ConfigError(err.message, path, err.line) from None
    except (ValueError, TypeError, RecursionError) as err:
        # PyYAML's own constructors: a 5,000-digit integer, an odd timestamp, deep nesting.
        reason = ("an integer over the 4300 digit limit (limit MAX_INT_DIGITS)"
                  if "digits" in str(err) else type(err).__name__)
        raise ConfigError(f"invalid YAML: {reason}", path) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or str(err)
        raise ConfigError(f"invalid YAML: {problem}", path,
                          mark.line + 1 if mark else None) from None
    if data is None:
        return []
    if isinstance(data, dict) and "waivers" in data:
        data = data["waivers"]
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConfigError("a waiver file is a list of entries (or waivers: [...])", path)
    from .catalogue import rules

    known = rules()
    out: list[Waiver] = []
    for i, entry in enumerate(data, 1):
        if not isinstance(entry, dict):
            raise ConfigError(f"waiver {i} is not a mapping", path)
        line = entry.pop("__line__", None)
        unknown = sorted(set(entry) - _FIELDS)
        if unknown:
            raise ConfigError(f"waiver {i}: unknown field {unknown[0]!r}", path, line)
        rule = entry.get("rule")
        if not isinstance(rule, str) or not rule:
            raise ConfigError(f"waiver {i} has no rule", path, line)
        if rule not in known:
            raise ConfigError(f"waiver {i}: no rule named {rule!r}", path, line)
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(f"waiver {i} ({rule}) has no reason; say why the change is "
                              "accepted", path, line)
        for key in ("operation", "location", "version"):
            if key in entry and entry[key] is not None and not isinstance(entry[key], str):
                if key == "version" and isinstance(entry[key], (int, float)):
                    # 2.96 unquoted: keep what the person meant, not a float rendering
                    entry[key] = _line_text(text, line, key) or str(entry[key])
                    continue
                raise ConfigError(f"waiver {i}: {key} must be a string", path, line)
        out.append(Waiver(
            rule=rule,
            operation=entry.get("operation"),
            location=entry.get("location"),
            version=entry.get("version"),
            reason=" ".join(reason.split()),
            expires=_date(entry.get("expires"), path, line, i),
            file=path,
            line=line,
        ))
    return out


def _line_text(text: str, line: int | None, key: str) -> str | None:
    """The literal after ``key:`` in the entry starting at ``line`` (an unquoted version)."""
    if line is None:
        return None
    for raw in text.splitlines()[line - 1: line + 10]:
        stripped = raw.strip().lstrip("- ")
        if stripped.startswith(f"{key}:"):
            return stripped.split(":", 1)[1].split("#", 1)[0].strip() or None
    return None


def _date(value: Any, path: str, line: int | None, i: int) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(f"waiver {i}: expires {value!r} is not a date (YYYY-MM-DD)", path, line)


def _change_waiver(change: Change, live: list[Waiver]) -> Waiver | None:
    ops = list(change.operations) or [change.operation]
    for w in live:
        # A change shared by several operations is waived only when every one is covered.
        if all(w.matches(change.rule, op, change.location) for op in ops):
            return w
    return None


def apply(findings: list[Finding], waivers: list[Waiver],
          today: dt.date | None = None) -> list[Finding]:
    """Mark waived findings (and trim waived changes); add a warning per expired entry."""
    from .catalogue import rules

    today = today or dt.date.today()
    live = [w for w in waivers if not w.expired(today)]
    out: list[Finding] = []
    for f in findings:
        first = f.changes[0] if f.changes else None
        where = first.location if first else (f.location.pointer if f.location else "")
        whole = next((w for w in live if w.matches(
            f.id, first.operation if first else None, where)), None)
        if whole is not None:
            f.waived, f.waiver_reason = True, whole.reason
            out.append(f)
            continue
        if f.changes:
            kept: list[Change] = []
            reasons: list[str] = []
            for ch in f.changes:
                w = _change_waiver(ch, live)
                if w is None:
                    kept.append(ch)
                elif w.reason not in reasons:
                    reasons.append(w.reason)
            if not kept:
                f.waived, f.waiver_reason = True, "; ".join(reasons)
            elif len(kept) < len(f.changes):
                n = len(f.changes) - len(kept)
                f.message += f" ({n} of its changes waived)"
                f.changes = kept
        out.append(f)
    rule = rules().get("waiver-expired")
    for w in waivers:
        if w.expired(today) and rule is not None:
            what = w.rule + (f" on {w.operation}" if w.operation else "")
            out.append(Finding(
                id="waiver-expired",
                level=rule.level or "warning",
                message=rule.render(what=what, expires=w.expires.isoformat() if w.expires
                                    else "?", reason=w.reason),
                location=Location(w.file, "", w.line, None),
            ))
    return out


def baseline_yaml(findings: list[Finding], version: str | None) -> str:
    """Entries for every unwaived finding's changes (or the finding itself), to be edited:
    each has an empty reason, which the next run rejects until a person writes one."""
    entries: list[dict[str, Any]] = []
    seen: set[tuple[str, str | None, str]] = set()
    for f in findings:
        if f.waived or f.level in ("off", "info") or f.id == "waiver-expired":
            continue
        # A change in a shared component reaches several operations; its entry names the
        # component's place only, so that it covers every operation the change reaches.
        items: list[tuple[str, str | None, str]] = (
            [(c.rule, c.operation if len(c.operations) <= 1 else None, c.location)
             for c in f.changes] if f.changes
            else [(f.id, None, f.location.pointer if f.location else "")]
        )
        for key in items:
            if key in seen:
                continue
            seen.add(key)
            entry: dict[str, Any] = {"rule": key[0]}
            if key[1] is not None:
                entry["operation"] = key[1]
            entry["location"] = key[2]
            if version is not None:
                entry["version"] = version
            entry["reason"] = ""
            entries.append(entry)
    head = ("# apilint waivers: each entry accepts one change without a version increase.\n"
            "# Write a reason for every entry you keep (an empty reason is an error) and\n"
            "# delete the rest. Optional: expires: YYYY-MM-DD.\n")
    body = yaml.safe_dump({"waivers": entries}, sort_keys=False, allow_unicode=True,
                          default_flow_style=False, width=1000)
    return head + body

