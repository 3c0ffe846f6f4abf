"""Give every delta a rule from the catalogue and turn it into a ``Change``.

A delta reached from several operations (a shared component) becomes one change per rule
that names all the operations it reaches; ``operation`` is the first of them in sort order.
A delta no rule claims still surfaces as ``unclassified-change``: a gap in the catalogue must
never hide a change.
"""

from __future__ import annotations

import json
from operator import itemgetter
from typing import Any

from . import catalogue
from . import pointer as jp
from .diff import Delta, Hit
from .methods import METHODS
from .model import MISSING, Change, Location

# Kinds whose rule is "<direction>-<kind>".
DIRECTIONAL = frozenset({
    "property-added", "property-removed", "property-became-required", "property-became-optional",
    "type-changed", "nullable-added", "nullable-removed", "format-changed", "enum-value-added",
    "enum-value-removed", "default-changed", "constraint-tightened", "constraint-loosened",
    "constraint-changed", "pattern-changed", "schema-deprecated", "schema-undeprecated",
    "discriminator-changed", "variant-added", "variant-removed", "schema-added", "schema-removed",
    "schema-replaced", "media-type-added", "media-type-removed",
})
FIXED = {
    "parameter-removed": "request-parameter-removed",
    "parameter-became-required": "request-parameter-became-required",
    "parameter-became-optional": "request-parameter-became-optional",
    "parameter-deprecated": "request-parameter-deprecated",
    "parameter-undeprecated": "request-parameter-undeprecated",
    "parameter-serialization-changed": "request-parameter-serialization-changed",
    "request-body-removed": "request-body-removed",
    "request-body-became-required": "request-body-became-required",
    "request-body-became-optional": "request-body-became-optional",
    "header-added": "response-header-added",
    "header-removed": "response-header-removed",
    "header-became-required": "response-header-became-required",
    "header-became-optional": "response-header-became-optional",
    "header-deprecated": "response-header-deprecated",
    "header-undeprecated": "response-header-undeprecated",
    # readOnly matters to requests only, writeOnly to responses only: the differ drops these
    # deltas in the other direction (diff._invisible), so each has one rule.
    "read-only-added": "request-read-only-added",
    "read-only-removed": "request-read-only-removed",
    "write-only-added": "response-write-only-added",
    "write-only-removed": "response-write-only-removed",
}


def rule_for(hit: Hit) -> str:
    d = hit.delta
    kind = d.kind
    direction = hit.direction
    if kind in DIRECTIONAL:
        if direction not in ("request", "response"):
            direction = "response"
        if kind == "property-added" and direction == "request" and d.info.get("required") \
                and not d.info.get("read_only"):
            return "request-required-property-added"
        return f"{direction}-{kind}"
    if kind == "parameter-added":
        return "request-required-parameter-added" if d.info.get("required") else \
            "request-parameter-added"
    if kind == "request-body-added":
        return "request-required-body-added" if d.info.get("required") else "request-body-added"
    if kind in ("response-status-added", "response-status-removed"):
        success = str(d.name or "")[:1] in ("1", "2", "3")
        verb = kind.rsplit("-", 1)[1]
        return f"response-{'success' if success else 'error'}-status-{verb}"
    if kind in FIXED:
        return FIXED[kind]
    if kind in catalogue.rules():
        return kind
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
            "before": _show_range(d.before) if d.kind == "openstack-range-changed"
            else _show(d.before),
            "after": _show_range(d.after) if d.kind == "openstack-range-changed"
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
        if d.kind in ("operation-added", "operation-removed"):
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
