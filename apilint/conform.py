"""Check recorded responses against the spec: ``apilint conform SPEC CAPTURES``.

Each recorded response (HAR entries carry method, URL and microversion) is matched to its
operation in the spec, the response schema is resolved for the capture's microversion (OpenStack
``x-openstack`` ``min-ver``/``max-ver`` on properties and operations, ``oneOf`` with
``x-openstack: {discriminator: microversion}``) and the body is validated with jsonschema.
Objects that list their ``properties`` are closed, so a field the spec does not declare is a
finding; so is a missing required field or a wrong type. This catches an implementation that
changed while its spec and version did not.

Bare JSON bodies (Nova's ``doc/api_samples``) record no method or URL; a call map
(``--map FILE``) says which call each sample name records.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import re
from collections.abc import Sequence
from typing import Any

import jsonschema
import re2
import referencing
import referencing.exceptions
from jsonschema.exceptions import ValidationError

from . import catalogue, regex
from . import pointer as jp
from .captures import CaptureSet, Sample, read_captures, split_version
from .errors import InputError
from .methods import METHODS
from .model import MISSING, Finding, Location, Report, json_type
from .versions import MicroKey, microversion, openstack_range_keys

_PARAM_RE = re.compile(r"\{[^}/]*\}")
_VERSION_PREFIX_RE = re.compile(r"^/v\d+(\.\d+)?(?=/|$)")
_DROP = frozenset({"description", "example", "examples", "title", "externalDocs", "$comment",
                   "discriminator", "xml", "deprecated", "readOnly", "writeOnly", "nullable"})


@dataclasses.dataclass
class ConformReport(Report):
    """A report whose findings are recorded responses that break the spec."""

    captures: int = 0  # recorded responses read
    matched: int = 0  # of those, responses matched to an operation and checked

    def to_dict(self) -> dict[str, Any]:
        out = Report.to_dict(self)
        out["findings"] = [f.to_dict() for f in self.findings]
        out["checked"] = self.captures
        out["matched"] = self.matched
        out["versions"] = {"spec": self.base_version, "captures": self.revision_version}
        out["exit_code"] = self.exit_code
        return out


def conform(spec_path: str, captures_path: str, *, root: str | None = None,
            capture_options: dict[str, Any] | None = None,
            map_path: str | None = None,
            ref_map: Sequence[tuple[str, str]] = ()) -> ConformReport:
    from .api import open_side

    map_warnings: list[str] = []
    call_map = load_call_map(map_path, map_warnings) if map_path else []
    nside, side = open_side(spec_path, root=root, ref_map=ref_map)
    if getattr(side.document, "format", None) == "capture":
        raise InputError("the first argument must be an OpenAPI or Swagger spec, not captures",
                         spec_path)
    nside.read_operations()
    cs = read_captures(captures_path, **(capture_options or {}))
    checker = _Checker(nside, call_map)
    findings: list[Finding] = []
    checked = 0
    for s in cs.samples:
        if s.direction != "response":
            continue
        checked += 1
        findings.extend(checker.check(s, cs))
    findings.sort(key=lambda f: (f.location.file if f.location else "",
                                 f.location.line or 0 if f.location else 0, f.id, f.message))
    if checker.matched == 0:
        # Nothing was validated: a run that checked no response must not read as "conforms".
        findings.append(_nothing_checked(cs, captures_path, checked))
    errors = any(f.level == "error" for f in findings)
    report = ConformReport(base=side.document.path, revision=cs.path, findings=findings,
                           warnings=map_warnings + list(side.warnings), command="conform",
                           base_version=side.version, revision_version=cs.version,
                           exit_code=1 if errors else 0, captures=checked,
                           matched=checker.matched)
    return report


def _nothing_checked(cs: CaptureSet, captures_path: str, responses: int) -> Finding:
    if responses == 0:
        reason = "they hold no recorded response"
    else:
        n = f"{responses} recorded response{'s' if responses != 1 else ''}"
        reason = (f"none of the {n} matches an operation of the spec"
                  if responses != 1 else "its one recorded response matches no operation")
    # The whole capture set is at fault: point at its file (line 1), or its folder.
    real = split_version(captures_path)[0]
    line = None if os.path.isdir(real) else 1
    return _finding("conform-nothing-checked", Location(cs.path, "", line, line),
                    captures=cs.path, reason=reason)


def _finding(rule_id: str, loc: Location | None, **values: Any) -> Finding:
    rule = catalogue.rules()[rule_id]
    return Finding(rule.id, rule.level or "error", rule.render(**values), [], loc)


# -- the call map for bare JSON bodies ---------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class MappedCall:
    """One entry of a call map: samples named like ``pattern`` record ``method path``."""

    pattern: str
    method: str
    path: str
    status: str | None
    line: int | None

    def matches(self, name: str) -> bool:
        # The whole name (``servers/server-get`` when a tree is given) or its last part
        # (``server-get`` when one resource folder is given): one map serves both.
        last = name.rsplit("/", 1)[-1]
        return any(fnmatch.fnmatchcase(n, self.pattern) for n in (name, last))


_STATUS_RE = re.compile(r"^([1-5][0-9X]{2}|default)$")


def load_call_map(path: str, warnings: list[str] | None = None) -> list[MappedCall]:
    """Read a call map: a YAML or JSON mapping from sample name to ``METHOD /path [STATUS]``.

    A sample's name is its file name without ``.json`` and without the ``-resp``/``-req``
    marker, folders kept: ``server-get`` for ``server-get-resp.json``. Shell wildcards are
    allowed; an exact name wins over a wildcard, and wildcards are tried in file order.
    """
    from .loader import load_document

    doc = load_document(path)
    if warnings is not None:
        warnings.extend(doc.warnings)  # duplicate names: the later entry is the one used
    data = doc.data
    if data is None:
        return []
    if not isinstance(data, dict):
        raise InputError("a call map is a mapping from sample name to 'METHOD /path [STATUS]'",
                         path, 1, 1)
    out: list[MappedCall] = []
    for name, value in data.items():
        pos = doc.position(jp.join("", str(name))) or (None, None)
        words = value.split() if isinstance(value, str) else []
        ok = (2 <= len(words) <= 3 and words[0].lower() in METHODS
              and words[1].startswith("/") and (len(words) == 2 or _STATUS_RE.match(words[2])))
        if not isinstance(name, str) or not name or not ok:
            raise InputError(f"call map entry {str(name)!r} must read 'METHOD /path' or "
                             "'METHOD /path STATUS' (e.g. 'GET /servers/{id} 200')",
                             path, *pos)
        out.append(MappedCall(name, words[0].lower(), words[1],
                              words[2] if len(words) == 3 else None, pos[0]))
    # Exact names first; among wildcards, the file's order (sorted is stable).
    out.sort(key=lambda m: any(c in m.pattern for c in "*?["))
    return out


# -- versions ----------------------------------------------------------------------------------
MV = MicroKey  # a microversion: (major, minor)


def in_range(node: Any, version: MV | None) -> bool:
    """True when ``node``'s x-openstack range admits ``version`` (or either is unknown)."""
    if version is None:
        return True
    lo, hi = openstack_range_keys(node.get("x-openstack") if isinstance(node, dict) else None,
                                  anywhere=True)
    return not ((lo is not None and version < lo) or (hi is not None and version > hi))


# -- matching and validating -------------------------------------------------------------------
class _Checker:
    def __init__(self, nside: Any, call_map: list[MappedCall] | None = None) -> None:
        self.side = nside
        self.call_map = call_map or []
        self.matched = 0  # responses matched to an operation (and so checked)
        self.routes: list[tuple[re.Pattern[str], re.Pattern[str] | None, int, Any]] = []
        for op in nside.operations.values():
            rx = _template_regex(op.path)
            stripped = _VERSION_PREFIX_RE.sub("", op.path)
            srx = _template_regex(stripped) if stripped != op.path else None
            literal = len(_PARAM_RE.sub("", op.path))
            self.routes.append((rx, srx, literal, op))
        self._cache: dict[tuple[int, Any], Any] = {}

    def find(self, method: str, path: str) -> Any:
        best = None
        for rx, srx, literal, op in self.routes:
            if op.method != method:
                continue
            if rx.match(path) or (srx is not None and srx.match(_strip_project(path))):
                if best is None or literal > best[0]:
                    best = (literal, op)
        return best[1] if best else None

    def mapped(self, s: Sample) -> MappedCall | None:
        name = s.path.lstrip("/")
        return next((m for m in self.call_map if m.matches(name)), None)

    def check(self, s: Sample, cs: CaptureSet) -> list[Finding]:
        where = s.locate("")
        call = f"{s.method.upper()} {s.concrete_path}" if s.concrete_path else s.path
        method, concrete, status = s.method, s.concrete_path, s.status
        if not method or concrete is None:
            entry = self.mapped(s)
            if entry is None:
                reason = ("it records no method and URL (use HAR captures, or name its call "
                          "in a --map file)")
                return [_finding("conform-unmatched-capture", where, call=s.path, reason=reason)]
            method, concrete, status = entry.method, entry.path, entry.status or s.status
            at = f" line {entry.line}" if entry.line else ""
            call = f"{s.path} ({method.upper()} {concrete}, from the call map{at})"
            if status != s.status:
                # The recorded body is what that status returns; messages name it.
                s = dataclasses.replace(s, status=status)
        op = self.find(method, concrete)
        if op is None:
            return [_finding("conform-unmatched-capture", where, call=call,
                             reason="no operation in the spec matches it")]
        self.matched += 1
        # The first X.Y in the text: a sample's version as recorded ("compute 2.96" too).
        version = microversion(s.version or cs.version, anywhere=True)
        label = op.label
        out: list[Finding] = []
        if not in_range(op.node[2], version):
            out.append(_finding("conform-call-outside-version", where, operation=label,
                                version=s.version or cs.version))
        resp = op.responses.get(s.status) or op.responses.get(s.status[:1] + "XX") or \
            op.responses.get("default")
        if resp is None:
            out.append(_finding("conform-undeclared-status", where, operation=label,
                                status=s.status))
            return out
        if s.body is MISSING:
            return out
        content = self.side.response_content(op, resp)
        if not content:
            return out
        media = s.media or "application/json"
        schema_node = _media_entry(content, media)
        if schema_node is MISSING:
            out.append(_finding("conform-undeclared-media", where, operation=label,
                                status=s.status, media=media))
            return out
        if schema_node is None:
            return out
        schema = self.resolve(schema_node, version)
        out.extend(self._validate(s, schema, label, schema_node))
        return out

    def resolve(self, node: Any, version: MV | None) -> Any:
        key = (id(node[2]), version)
        if key not in self._cache:
            self._cache[key] = _close(_Resolve(self.side, version).schema(node, ()))
        return self._cache[key]

    def _validate(self, s: Sample, schema: Any, label: str, node: Any) -> list[Finding]:
        validator = _Validator(schema, registry=_NO_REMOTE,
                               format_checker=_Validator.FORMAT_CHECKER)
        out: list[Finding] = []
        seen: set[tuple[str, str]] = set()
        try:
            errors = list(validator.iter_errors(s.body))
        except (jsonschema.SchemaError, RecursionError, TypeError, ValueError,
                referencing.exceptions.Unresolvable) as err:
            doc = node[0]
            reason = (f"it refers to {getattr(err, 'ref', '?')!r}, which is not part of the "
                      "spec (apilint resolves no other reference)"
                      if isinstance(err, referencing.exceptions.Unresolvable)
                      else str(err).splitlines()[0][:160])
            raise InputError(f"response schema of {label} cannot be used for validation: "
                             f"{reason}", doc.path) from None
        for err in errors:
            for leaf in _leaves(err):
                for f in self._map(s, leaf, label):
                    if (f.id, f.message) not in seen:
                        seen.add((f.id, f.message))
                        out.append(f)
        return out

    def _map(self, s: Sample, err: ValidationError, label: str) -> list[Finding]:
        path = jp.join("", *err.absolute_path)
        loc = s.locate(path)
        field = path or "/"
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            declared = err.schema.get("properties", {}) if isinstance(err.schema, dict) else {}
            return [_finding("conform-undeclared-field", s.locate(jp.join(path, k)),
                             field=jp.join(path, k), operation=label, status=s.status)
                    for k in err.instance if k not in declared]
        if err.validator == "unevaluatedProperties" and isinstance(err.instance, dict):
            declared = _declared(err.schema)
            return [_finding("conform-undeclared-field", s.locate(jp.join(path, k)),
                             field=jp.join(path, k), operation=label, status=s.status)
                    for k in err.instance if k not in declared]
        if err.validator == "required":
            missing = re.findall(r"'([^']*)' is a required property", err.message)
            name = missing[0] if missing else str(err.validator_value)
            return [_finding("conform-missing-required-field", loc, field=jp.join(path, name),
                             operation=label, status=s.status)]
        if err.validator == "type":
            return [_finding("conform-wrong-type", loc, field=field, operation=label,
                             status=s.status, expected=_show(err.validator_value),
                             actual=json_type(err.instance, integers=True))]
        return [_finding("conform-schema-mismatch", loc, field=field, operation=label,
                         status=s.status, keyword=str(err.validator),
                         detail=" ".join(err.message.split())[:120])]


def _refuse_retrieval(uri: str) -> Any:
    """Every URI jsonschema would look up (``$ref``, ``$dynamicRef`` left after inlining):
    refused. The schemas are already resolved inside the project root; nothing is fetched,
    from the network or from a file."""
    raise referencing.exceptions.NoSuchResource(ref=uri)


_NO_REMOTE: referencing.Registry[Any] = referencing.Registry(  # type: ignore[call-arg]
    retrieve=_refuse_retrieval)


def _search(pattern: Any, text: str, *, unsupported: bool) -> bool:
    """JSON Schema's unanchored pattern match, in linear time (RE2). A pattern RE2 cannot run
    (backreferences, lookaround) is never run on a backtracking engine: it answers
    ``unsupported``, chosen by each caller so that such a pattern constrains nothing."""
    if not isinstance(pattern, str):
        return unsupported
    try:
        return regex.search(pattern, text)
    except regex.UnsupportedPattern:
        return unsupported


def _kw_pattern(validator: Any, pattern: Any, instance: Any, schema: Any) -> Any:
    if validator.is_type(instance, "string") and not _search(pattern, instance,
                                                                  unsupported=True):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _kw_pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Any) -> Any:
    if not validator.is_type(instance, "object") or not isinstance(patterns, dict):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if _search(pattern, key, unsupported=False):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _extra_keys(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    props = schema.get("properties")
    props = props if isinstance(props, dict) else {}
    patterns = schema.get("patternProperties")
    patterns = list(patterns) if isinstance(patterns, dict) else []
    return [k for k in instance
            if k not in props and not any(_search(p, k, unsupported=True) for p in patterns)]


def _kw_additional_properties(validator: Any, extra: Any, instance: Any, schema: Any) -> Any:
    if not validator.is_type(instance, "object"):
        return
    keys = _extra_keys(instance, schema)
    if validator.is_type(extra, "object"):
        for key in keys:
            yield from validator.descend(instance[key], extra, path=key)
    elif extra is False and keys:
        shown = ", ".join(repr(k) for k in sorted(keys))
        yield ValidationError(f"Additional properties are not allowed ({shown} unexpected)")


# Draft 2020-12 with the keywords that match spec patterns against recorded text done by RE2
# (linear time); jsonschema's own versions use Python's backtracking ``re``.
_Validator: Any = jsonschema.validators.extend(jsonschema.Draft202012Validator, {
    "pattern": _kw_pattern,
    "patternProperties": _kw_pattern_properties,
    "additionalProperties": _kw_additional_properties,
})


def _media_entry(content: dict[str, Any], media: str) -> Any:
    """The schema declared for ``media``: an exact key first, then ``type/*``, then ``*/*``.

    Spec keys may be media ranges and may carry parameters (``application/json;
    charset=utf-8``); the most specific declaration wins, as OpenAPI says it should.
    """
    keys: dict[str, str] = {}
    for key in content:
        bare = str(key).split(";", 1)[0].strip().lower()
        keys.setdefault(bare, key)
    main_type = media.split("/", 1)[0]
    for candidate in (media, f"{main_type}/*", "*/*"):
        if candidate in keys:
            return content[keys[candidate]]
    return MISSING


def _leaves(err: ValidationError) -> list[ValidationError]:
    """For oneOf/anyOf failures, the errors of the closest variant, not the summary."""
    if err.validator in ("oneOf", "anyOf") and err.context:
        # The variant with the fewest errors is the one the response meant to be.
        groups: dict[Any, list[ValidationError]] = {}
        for sub in err.context:
            key = sub.relative_schema_path[0] if sub.relative_schema_path else None
            groups.setdefault(key, []).append(sub)
        closest = min(groups.values(), key=lambda g: (len(g), -max(len(e.path) for e in g)))
        return [leaf for sub in closest for leaf in _leaves(sub)]
    return [err]


def _template_regex(template: str) -> Any:
    """A recorded URL path matched against a spec's path template (any prefix allowed before
    it, such as ``/v2.1/<project>``). Built from spec text and matched against recorded text,
    so it runs on RE2: the lazy prefix and the parameter runs backtrack on ``re``."""
    parts = _PARAM_RE.split(template)
    body = "[^/]+".join(re2.escape(p) for p in parts)
    try:
        return regex.compile_untrusted(r"^(?:/[^?#]*?)?" + body + r"/?$")
    except regex.UnsupportedPattern:  # text RE2 cannot take (a lone surrogate): no match
        return regex.compile_untrusted(r"[^\x00-\x{10FFFF}]")


def _strip_project(path: str) -> str:
    """``/v2.1/<project>/servers`` → ``/servers``: version prefix and project id dropped."""
    path = _VERSION_PREFIX_RE.sub("", path)
    m = re.match(r"^/[0-9a-fA-F]{32}(?=/|$)", path)
    return path[m.end():] if m else path


def _show(value: Any) -> str:
    return " or ".join(map(str, value)) if isinstance(value, list) else str(value)


class _Resolve:
    """Inline ``$ref``s and keep only what applies at one microversion."""

    def __init__(self, side: Any, version: MV | None) -> None:
        self.side = side
        self.version = version

    def schema(self, node: Any, stack: tuple[int, ...]) -> Any:
        doc, ptr, value = self.side.deref(node)
        if not isinstance(value, dict):
            return value if isinstance(value, bool) else {}
        if id(value) in stack or len(stack) > 60:
            return {}  # recursive schema: accept anything below the cycle
        stack = stack + (id(value),)
        ext = value.get("x-openstack")
        if isinstance(ext, dict) and ext.get("discriminator") == "microversion" and \
                isinstance(value.get("oneOf"), list) and self.version is not None:
            members = [(i, m) for i, m in enumerate(value["oneOf"])
                       if in_range(self._peek(doc, jp.join(ptr, "oneOf", i), m), self.version)]
            if len(members) == 1:
                i, m = members[0]
                rest = {k: v for k, v in value.items() if k != "oneOf"}
                base = self._plain(doc, ptr, rest, stack)
                chosen = self.schema((doc, jp.join(ptr, "oneOf", i), m), stack)
                return _merge(base, chosen)
        if isinstance(ext, dict) and ext.get("discriminator") == "microversion" and \
                isinstance(value.get("oneOf"), list):
            # Versions of one body may overlap in shape: any one of them will do.
            members = [(i, m) for i, m in enumerate(value["oneOf"])
                       if in_range(self._peek(doc, jp.join(ptr, "oneOf", i), m), self.version)]
            out = self._plain(doc, ptr, {k: v for k, v in value.items() if k != "oneOf"}, stack)
            out["anyOf"] = [self.schema((doc, jp.join(ptr, "oneOf", i), m), stack)
                            for i, m in members or list(enumerate(value["oneOf"]))]
            return out
        return self._plain(doc, ptr, value, stack)

    def _peek(self, doc: Any, ptr: str, m: Any) -> Any:
        n = self.side.deref((doc, ptr, m))
        return n[2] if n else m

    def _plain(self, doc: Any, ptr: str, value: dict[str, Any], stack: tuple[int, ...]) -> Any:
        out: dict[str, Any] = {}
        dropped: set[str] = set()
        for k, v in value.items():
            ks = str(k)
            if ks.startswith("x-") or ks in _DROP or ks == "$ref":
                continue
            here = jp.join(ptr, k)
            if ks == "properties" and isinstance(v, dict):
                props = {}
                for name, pv in v.items():
                    if not in_range(self._peek(doc, jp.join(here, name), pv), self.version):
                        dropped.add(str(name))
                        continue
                    props[str(name)] = self.schema((doc, jp.join(here, name), pv), stack)
                out[ks] = props
            elif ks in ("items", "additionalProperties", "not", "if", "then", "else",
                        "contains", "propertyNames", "unevaluatedProperties",
                        "unevaluatedItems") and isinstance(v, dict):
                out[ks] = self.schema((doc, here, v), stack)
            elif ks in ("allOf", "anyOf", "oneOf", "prefixItems") and isinstance(v, list):
                out[ks] = [self.schema((doc, jp.join(here, i), m), stack)
                           for i, m in enumerate(v)]
            elif ks in ("patternProperties", "dependentSchemas", "$defs",
                        "definitions") and isinstance(v, dict):
                out[ks] = {str(n): self.schema((doc, jp.join(here, n), m), stack)
                           for n, m in v.items()}
            else:
                out[ks] = v
        if "required" in out and isinstance(out["required"], list):
            out["required"] = [r for r in out["required"] if r not in dropped]
        if value.get("nullable") is True or value.get("x-nullable") is True:
            t = out.get("type")
            if isinstance(t, str):
                out["type"] = [t, "null"]
            elif isinstance(t, list) and "null" not in t:
                out["type"] = [*t, "null"]
        # OpenAPI 3.0's boolean exclusiveMinimum/Maximum, found even in 3.1 specs.
        for ex, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            if isinstance(out.get(ex), bool):
                if out.pop(ex) and bound in out:
                    out[ex] = out.pop(bound)
        return out


def _merge(a: dict[str, Any], b: Any) -> Any:
    if not isinstance(b, dict):
        return b
    out = dict(a)
    for k, v in b.items():
        if k == "properties" and isinstance(out.get(k), dict):
            out[k] = {**out[k], **v}
        elif k == "required" and isinstance(out.get(k), list):
            out[k] = list(dict.fromkeys([*out[k], *v]))
        else:
            out[k] = v
    return out


_OPENERS = frozenset({"additionalProperties", "patternProperties", "unevaluatedProperties"})
_COMPOSE = frozenset({"allOf", "anyOf", "oneOf"})


def _names(schema: Any) -> set[str]:
    """Property names a schema declares for its own object, ``allOf`` members included."""
    if not isinstance(schema, dict):
        return set()
    props = schema.get("properties")
    out = {str(k) for k in props} if isinstance(props, dict) else set()
    for m in schema.get("allOf") if isinstance(schema.get("allOf"), list) else []:
        out |= _names(m)
    return out


def _says_open(schema: Any) -> bool:
    """True when the schema or an ``allOf`` member already says which other keys may appear."""
    if not isinstance(schema, dict):
        return True
    members = schema.get("allOf") if isinstance(schema.get("allOf"), list) else []
    # An empty member is a reference apilint could not follow: its properties are unknown.
    return bool(_OPENERS & set(schema)) or any(m == {} or _says_open(m) for m in members)


def _declared(schema: Any) -> set[str]:
    """Every property name a schema and its composition members declare (for reporting)."""
    if not isinstance(schema, dict):
        return set()
    props = schema.get("properties")
    out = {str(k) for k in props} if isinstance(props, dict) else set()
    for key in _COMPOSE:
        for m in schema.get(key) if isinstance(schema.get(key), list) else []:
            out |= _declared(m)
    return out


def _close(schema: Any, open_top: bool = False, siblings: frozenset[str] = frozenset()) -> Any:
    """Flatten simple ``allOf``s and close objects that list properties (undeclared fields).

    A property declared by one part of a composition (an ``allOf`` member, the schema beside a
    ``oneOf``) is declared for the whole object: ``allOf`` members are left open (``open_top``)
    and the composing schema is closed instead, and ``anyOf``/``oneOf`` members, which stay
    closed so that they still tell variants apart, accept the names declared beside them
    (``siblings``).
    """
    if isinstance(schema, list):
        return [_close(x) for x in schema]
    if not isinstance(schema, dict):
        return schema
    s = {k: (_close(v) if k in ("items", "additionalProperties", "not", "if", "then",
                                 "else", "contains", "prefixItems") else v)
         for k, v in schema.items()}
    if isinstance(s.get("properties"), dict):
        s["properties"] = {k: _close(v) for k, v in s["properties"].items()}
    group = frozenset(_names(schema)) | siblings
    if isinstance(s.get("allOf"), list):
        s["allOf"] = [_close(m, True, group) for m in s["allOf"]]
    for key in ("anyOf", "oneOf"):
        if isinstance(s.get(key), list):
            s[key] = [_close(m, False, group) for m in s[key]]
    open_here = open_top or _says_open(s)
    members = s.get("allOf")
    if isinstance(members, list) and all(isinstance(m, dict) and not
                                         ({"allOf", "anyOf", "oneOf", "$ref"} & set(m))
                                         for m in members):
        s.pop("allOf")
        for m in members:
            s = _merge(s, {k: v for k, v in m.items()
                           if k != "additionalProperties" or k not in s})
    if open_here or _says_open(s):
        return s
    own = _names(s)
    if isinstance(s.get("properties"), dict) or own:
        props = s.get("properties") if isinstance(s.get("properties"), dict) else {}
        extra = {n: {} for n in sorted(siblings) if n not in props and n not in own}
        if extra:
            s["properties"] = {**props, **extra}
        if _COMPOSE & set(s):
            # Keys evaluated by any part of the composition are declared.
            s["unevaluatedProperties"] = False
        else:
            s["additionalProperties"] = False
    return s


def render_text(report: ConformReport) -> str:
    from .textsafe import escape_name, one_line

    lines = [f"apilint conform: {escape_name(report.revision)} against "
             f"{escape_name(report.base)}"]
    lines.extend(f"warning: {one_line(w)}" for w in report.warnings)
    for f in report.findings:
        where = f.location.display() + ": " if f.location else ""
        lines.append(f"{where}{f.level}: {one_line(f.message)} [{f.id}]")
    errors = sum(1 for f in report.findings if f.level == "error")
    warnings = sum(1 for f in report.findings if f.level == "warning")
    lines.append("")
    some = "" if report.matched == report.captures else f"{report.matched} of "
    lines.append(f"{some}{report.captures} recorded "
                 f"response{'s' if report.captures != 1 else ''} checked: {errors} error "
                 f"finding{'s' if errors != 1 else ''}, {warnings} "
                 f"warning{'s' if warnings != 1 else ''}")
    return "\n".join(lines) + "\n"
