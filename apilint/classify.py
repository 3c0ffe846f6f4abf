"""Give every delta a rule from the catalogue and turn it into a ``Change``.

A delta reached from several operations (a shared component) becomes one change per rule
that names all the operations it reaches; ``operation`` is the first of them in sort order.
A delta no rule claims still surfaces as ``unclassified-change``: a gap in the catalogue must
never hide a change.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from . import catalogue
from . import pointer as jp
from .diff import Delta, Hit, Kind
from .methods import METHODS
from .model import MISSING, Change, Location


# Conditions a catalogue entry may name (``when:``): its rule is picked over the entry for the
# same delta (and direction) without one.
def _required(d: Delta) -> bool:
    """The parameter or body added is required: clients that do not send it now fail."""
    return bool(d.info.get("required"))


def _required_and_writable(d: Delta) -> bool:
    """The property added is required and not readOnly: a client must now send it."""
    return bool(d.info.get("required")) and not d.info.get("read_only")


def _success_status(d: Delta) -> bool:
    """The status is 1xx, 2xx or 3xx: an answer a client acts on, not an error."""
    return str(d.name or "")[:1] in ("1", "2", "3")


CONDITIONS: dict[str, Callable[[Delta], bool]] = {
    "required": _required,
    "required-and-writable": _required_and_writable,
    "success-status": _success_status,
}

Entry = tuple[str, Callable[[Delta], bool] | None, str]  # direction or "", condition, rule id


@functools.cache
def _table() -> dict[str, list[Entry]]:
    """Delta kind -> the catalogue entries that classify it (apilint/rules/changes.yaml ``delta``,
    ``direction``, ``when``), those with a condition first. readOnly matters to requests
    only and writeOnly to responses only: the differ drops those deltas in the other
    direction (diff.schema._invisible), so each has one rule and no direction."""
    table: dict[str, list[Entry]] = {}
    for rule in catalogue.rules().values():
        if rule.kind == "change" and rule.delta:
            table.setdefault(rule.delta, []).append(
                (rule.direction, CONDITIONS[rule.when] if rule.when else None, rule.id))
    for entries in table.values():
        entries.sort(key=lambda e: e[1] is None)  # stable: catalogue order otherwise
    return table


def rule_for(hit: Hit) -> str:
    """The catalogue rule of one hit: its delta's kind looked up in the catalogue."""
    d = hit.delta
    entries = _table().get(d.kind)
    if entries is None:
        return "unclassified-change"
    # A delta reached from no request or response (a document-wide schema) reads as one
    # a client receives.
    direction = hit.direction if hit.direction in ("request", "response") else "response"
    for want, condition, rule_id in entries:
        if (not want or want == direction) and (condition is None or condition(d)):
            return rule_id
    return "unclassified-change"


def classify(hits: list[Hit]) -> list[Change]:
    """Hits (delta × operation) → changes, grouped so each delta and rule appears once."""
    rules = catalogue.rules()
    groups: dict[tuple[Any, ...], list[tuple[Hit, str]]] = {}
    for hit in hits:
        rule_id = rule_for(hit)
        d = hit.delta
        key = (rule_id, _where_key(d.base), _where_key(d.rev), d.kind, d.name, d.keyword)
        groups.setdefault(key, []).append((hit, rule_id))
    changes: list[Change] = []
    for entries in groups.values():
        hit, rule_id = entries[0]
        rule = rules.get(rule_id) or rules["unclassified-change"]
        d = hit.delta
        ops: dict[str, str] = {}
        contexts: set[tuple[str, str | None]] = set()
        for h, _ in entries:
            if h.op is not None and h.label is not None:
                ops.setdefault(h.label, h.op)
                contexts.add((h.label, h.context))
            others = h.others
            if others:
                # A shared schema's delta reaches hundreds of operations: merged in C, the
                # first operation seen for a label still wins, as setdefault would have it.
                rev = others[::-1]
                ops = {**dict(zip(map(_LABEL, rev), map(_OP, rev), strict=True)), **ops}
                contexts.update(map(_LABEL_CONTEXT, others))
        labels = sorted(ops)
        where = _where_text(d, labels, contexts)
        values = {
            "name": d.name if d.name is not None else "",
            "where": where,
            "keyword": d.keyword or "",
            "before": _show_range(d.before) if d.kind == Kind.OPENSTACK_RANGE_CHANGED
            else _show(d.before),
            "after": _show_range(d.after) if d.kind == Kind.OPENSTACK_RANGE_CHANGED
            else _show(d.after),
            "in": d.info.get("in", ""),
            "operation": labels[0] if labels else "",
        }
        message = rule.render(**values)
        base = _locate(d.base)
        rev = _locate(d.rev)
        location = (d.rev or d.base or (None, ""))[1]
        details: dict[str, Any] = {k: v for k, v in d.info.items() if k != "defined"}
        defined = d.info.get("defined")
        if defined is not None:
            # Added or removed by reference: the definition the entry names (the policy reads
            # its x-openstack range as the entry's own).
            details["defined"] = _locate(defined)
        if hit.context:
            details["context"] = hit.context
        if d.kind in (Kind.OPERATION_ADDED, Kind.OPERATION_REMOVED):
            details["operation_pointer"] = location
        changes.append(Change(
            rule=rule.id,
            category=rule.category or "behavior-change",
            compat=rule.compat_for(hit.direction),
            operation=labels[0] if labels else None,
            operations=tuple(labels),
            location=location,
            message=message,
            base=base,
            revision=rev,
            direction=hit.direction,
            before=d.before,
            after=d.after,
            details=details,
        ))
    changes.sort(key=Change.sort_key)
    return changes


_OP, _LABEL, _LABEL_CONTEXT = itemgetter(0), itemgetter(1), itemgetter(1, 2)


def _where_key(w: Any) -> tuple[str, str] | None:
    return (w[0].path, w[1]) if w is not None else None


def _where_text(d: Delta, labels: list[str], contexts: set[tuple[str, str | None]]) -> str:
    if not labels:
        return "document"
    if len(labels) == 1:
        ctxs = sorted({c for _, c in contexts if c})
        if len(ctxs) == 1:
            return f"{labels[0]} {ctxs[0]}"
        return labels[0]
    owner = _owner(d)
    n = len(labels)
    return f"{owner}, in {n} operations" if owner else f"{n} operations"


def _owner(d: Delta) -> str:
    """The component a delta lies in, e.g. 'schema "Pet"', for messages about shared parts;
    for a path item's own fields and parameters, the path ('path "/pets"')."""
    w = d.rev or d.base
    if w is None:
        return ""
    label = jp.component_label(w[1])
    if label is None and w[1].startswith("/paths/"):
        parts = jp.split(w[1])
        if len(parts) == 2 or parts[2] not in METHODS:
            return f'path "{parts[1]}"'
    return label or ""


def _locate(w: Any) -> Location | None:
    if w is None:
        return None
    doc, ptr = w
    return doc.locate(ptr)


def _h(value: Any) -> str:
    if value is MISSING:
        return "\x00missing"
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return repr(value)


def _show_range(value: Any) -> str:
    """An ``x-openstack`` value in words, whole: ``[2.94, 2.95] (action evacuate)``. A range
    is never cut off in the middle, however long the other keys are."""
    from .versions import openstack_range

    if not isinstance(value, dict):
        return _show(value)
    lo, hi = openstack_range(value)
    text = "(no range)" if lo is None and hi is None else \
        f"[{'any' if lo is None else lo}, {'latest' if hi is None else hi}]"
    action = value.get("action-name")
    if action is not None:
        text += f" (action {' '.join(str(action).split())[:80]})"
    return text


def _show(value: Any) -> str:
    if value is MISSING:
        return "(none)"
    if isinstance(value, str):
        text = value
    else:
        text = _h(value)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."
