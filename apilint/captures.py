"""Recorded responses ("captures") as a synthetic OpenAPI 3.1 document.

Captures are bodies an API really returned: one JSON body per file, a directory of them (Nova's
``doc/api_samples`` layout included) or HAR 1.2 recordings. ``load_captures`` infers a schema
from them — types, properties, ``required`` for keys present in every sample, ``type: [x,
"null"]`` for keys seen both null and with a value, array items merged into one shape — and
wraps it in a ``CaptureDocument`` whose pointers map back to the capture file and line, so the
spec diff and classifier apply unchanged. Only shapes reach the document, never values, so
re-recorded uuids, timestamps, hosts and request ids cannot produce a change.

Path syntax: ``DIR@2.96`` reads a Nova-style tree (``<resource>/v2.NN/<name>.json``, top-level
files being the base version 2.1) as "for each sample name, the latest sample at or below 2.96";
``DIR@latest`` takes the newest sample of each name.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from . import pointer as jp
from .errors import InputError, UsageError
from .loader import (
    Document,
    decode_text,
    load_document,
    parse_json_value,
    parse_text_checked,
    read_bytes,
)
from .methods import METHODS
from .model import MISSING, Location, json_type
from .versions import MICRO_DIR as VERSION_DIR_RE
from .versions import MicroKey, folder_microversion, microversion, show_microversion

AT_RE = re.compile(r"^(?P<dir>.+)@(?P<ver>v?\d+\.\d+|latest)$")
_UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
_HEX_RE = re.compile(r"^[0-9a-fA-F]{16,}$")
_NUM_RE = re.compile(r"^-?\d+$")
_IP_RE = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$|^[0-9a-fA-F:]+:[0-9a-fA-F:]+$")
_REQID_RE = re.compile(r"^req-[0-9a-fA-F-]{32,}$")
BASE_VERSION = "2.1"  # Nova's top-level samples carry no microversion header
MICROVERSION_HEADERS = ("openstack-api-version", "x-openstack-nova-api-version")
# Framing and hop-by-hop headers change with transport details, not with the API.
IGNORED_HEADERS = frozenset({
    "content-length", "transfer-encoding", "connection", "keep-alive", "content-encoding",
    "content-type", "date", "age", "proxy-connection", "upgrade", "trailer", "te",
})
# Response headers whose value is part of the contract and is compared, not just presence.
VALUE_HEADERS = frozenset(MICROVERSION_HEADERS)
RESPONSE_WORDS = frozenset({"get", "list", "index", "detail", "details", "show"})


@dataclass
class Sample:
    """One recorded body (request or response) and where it came from."""

    method: str
    path: str  # path template, the operation's key
    direction: str  # "request" or "response"
    status: str  # "200" for bare bodies
    media: str | None
    body: Any  # MISSING when nothing was recorded
    source: Document  # the capture file (for lines)
    anchor: str  # pointer in ``source`` of the body ("" for a bare JSON file)
    embedded: bool = False  # body text lives in one string of ``source`` (HAR)
    headers: dict[str, tuple[str, str]] = field(default_factory=dict)  # lower -> (name, value)
    headers_anchor: str | None = None
    concrete_path: str | None = None  # as requested (HAR only)
    version: str | None = None  # microversion the sample was recorded at

    def locate(self, body_ptr: str) -> Location:
        """Where ``body_ptr`` (a pointer into the body) is in the capture file."""
        if self.embedded:
            pos = self.source.position(self.anchor)
        else:
            pos = self.source.position(self.anchor + body_ptr)
        if pos is None:
            return Location(self.source.path, body_ptr)
        return Location(self.source.path, body_ptr, pos[0], pos[1])


@dataclass
class CaptureSet:
    path: str
    kind: str  # "json", "dir", "nova", "har"
    samples: list[Sample]
    version: str | None


class CaptureDocument(Document):
    """A synthetic OpenAPI document whose pointers resolve to capture files and lines."""

    def __init__(self, path: str, data: Any, capture_set: CaptureSet,
                 origins: dict[str, tuple[Sample | None, str]]) -> None:
        super().__init__(path, data, "capture", None, real_path=path)
        self.captures = capture_set
        self.origins = origins

    def origin(self, pointer: str) -> tuple[Sample | None, str] | None:
        ptr = pointer
        while True:
            hit = self.origins.get(ptr)
            if hit is not None:
                return hit
            if not ptr:
                return None
            ptr = ptr.rsplit("/", 1)[0]

    def locate(self, pointer: str) -> Location:
        hit = self.origin(pointer)
        if hit is None or hit[0] is None:
            return Location(self.path, pointer)
        return hit[0].locate(hit[1])

    def position(self, pointer: str) -> tuple[int, int] | None:
        loc = self.locate(pointer)
        return (loc.line, loc.column or 1) if loc.line is not None else None


# -- detection -------------------------------------------------------------------------------
def split_version(path: str) -> tuple[str, str | None]:
    """``DIR@2.96`` → (``DIR``, "2.96"); other paths unchanged."""
    if os.path.exists(path):
        return path, None
    m = AT_RE.match(path)
    if m and os.path.isdir(m.group("dir")):
        ver = m.group("ver")
        return m.group("dir"), ver[1:] if ver.startswith("v") else ver
    return path, None


def is_capture_path(path: str) -> bool:
    """True for a capture directory, ``DIR@VERSION``, a HAR file, or a JSON body not a spec."""
    real, ver = split_version(path)
    if ver is not None:
        return True
    if os.path.isdir(real):
        return True
    if not os.path.isfile(real):
        return False
    if real.endswith(".har"):
        return True
    if not real.endswith(".json"):
        return False
    try:  # read as any input is: within the loader's limits
        return is_capture_document(load_document(real))
    except InputError:
        return False


def is_capture_document(doc: Document) -> bool:
    """A loaded file that is a capture: a HAR log, or a JSON body that is not a spec."""
    data = doc.data
    if isinstance(data, dict) and ("openapi" in data or "swagger" in data):
        return False
    if isinstance(data, dict) and isinstance(data.get("log"), dict) and \
            "entries" in data["log"]:
        return True
    name = doc.real_path.lower()
    return doc.format == "json" and (name.endswith(".json") or name.endswith(".har"))


def from_document(doc: Document, **options: Any) -> CaptureDocument:
    """Captures from a file already read (by any reader, e.g. from a git revision)."""
    return build_document(_from_loaded(doc, options), **options)


def _from_loaded(source: Document, options: dict[str, Any]) -> CaptureSet:
    data = source.data
    if isinstance(data, dict) and isinstance(data.get("log"), dict):
        cs = _read_har(source, options)
    elif source.real_path.endswith(".har"):
        raise InputError("not a HAR file (no 'log' object at the top)", source.path, 1, 1)
    else:
        # "call_name": the file name that names the call, when two single files given
        # explicitly are one call whatever their own names (see api.compare).
        name = options.get("call_name") or os.path.basename(source.real_path)
        cs = CaptureSet(source.path, "json", _bare_samples(source, name, "", options), None)
        cs.version = _dir_version(os.path.dirname(os.path.abspath(source.real_path)))
        for s in cs.samples:
            s.version = cs.version
    if options.get("version"):
        cs.version = str(options["version"])
    return cs


# -- loading ---------------------------------------------------------------------------------
def load_captures(path: str, **options: Any) -> CaptureDocument:
    """Read captures at ``path`` into a synthetic OpenAPI 3.1 document.

    Options: ``version`` (the set's version when the captures do not say), ``enum_keys``
    (property names whose string values are compared, e.g. ``["status"]``), ``map_keys``
    (property names whose objects are maps keyed by data), ``pair_microversion`` (default
    True: HAR entries at different request microversions are different calls), ``status``
    (status of bare bodies, default "200").
    """
    cs = read_captures(path, **options)
    return build_document(cs, **options)


def read_captures(path: str, **options: Any) -> CaptureSet:
    real, at = split_version(path)
    at = options.get("microversion") or at
    if os.path.isdir(real):
        return _read_dir(real, path, at, options)
    if not os.path.exists(real):
        raise InputError("no such file or directory", path)
    return _from_loaded(_load_file(real), options)


def _load_file(path: str, display: str | None = None) -> Document:
    shown = display or path
    text = decode_text(read_bytes(path), shown)
    if not text.lstrip().startswith(("{", "[")):
        raise InputError("invalid JSON capture: a recorded body must be a JSON object or array",
                         shown, 1, 1)
    # The loader's JSON reading: the same limits on depth and numbers, duplicate keys warned.
    data, _, warnings = parse_text_checked(text, shown)
    return Document(shown, data, "json", text, real_path=path, warnings=warnings)


def _dir_version(dirpath: str) -> str | None:
    m = VERSION_DIR_RE.match(os.path.basename(dirpath))
    return f"{m.group(1)}.{m.group(2)}" if m else None


def _vkey(v: str) -> MicroKey:
    # The first X.Y in the text; a version folder too long to be one was refused when read.
    return microversion(v, anywhere=True) or (0, 0)


def _read_dir(root: str, shown: str, at: str | None, options: dict[str, Any]) -> CaptureSet:
    files: list[tuple[str, tuple[str, ...], str | None]] = []  # (abs, identity parts, version)
    nova = False
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fn in sorted(filenames):
            if not (fn.endswith(".json") or fn.endswith(".har")):
                continue
            full = os.path.join(dirpath, fn)
            rel = os.path.relpath(full, root).replace(os.sep, "/").split("/")
            ver = None
            ident = []
            for part in rel[:-1]:
                m = VERSION_DIR_RE.match(part)
                if m:
                    folder_microversion(part, shown)  # a number too long to be one: exit 2
                    ver = f"{m.group(1)}.{m.group(2)}"
                    nova = True
                else:
                    ident.append(part)
            files.append((full, tuple(ident + [rel[-1]]), ver))
    if not files:
        raise InputError("no .json or .har captures in this directory", shown)
    version: str | None = None
    chosen: list[tuple[str, tuple[str, ...], str | None]] = []
    if at is not None:
        limit = None if at == "latest" else microversion(at)
        if at != "latest" and limit is None:
            raise UsageError(f"{_display(root)}@{at[:40]}…: not a microversion (X.Y, e.g. "
                             "2.60) or 'latest'")
        best: dict[tuple[str, ...], tuple[str, tuple[str, ...], str | None]] = {}
        for f in files:
            v = _vkey(f[2] or BASE_VERSION)
            if limit is not None and v > limit:
                continue
            cur = best.get(f[1])
            if cur is None or _vkey(cur[2] or BASE_VERSION) < v:
                best[f[1]] = f
        chosen = [best[k] for k in sorted(best)]
        only = options.get("only")
        if only is not None:  # the changelog reads only the samples that changed at ``at``
            chosen = [f for f in chosen if f[1] in only]
        if at == "latest":
            version = max((f[2] or BASE_VERSION for f in files), key=_vkey)
        else:
            version = at
    else:
        # Plain pairing by relative file name; a version folder stays part of the name.
        chosen = [(f[0], tuple(os.path.relpath(f[0], root).replace(os.sep, "/").split("/")),
                   f[2]) for f in files]
        vers = [f[2] for f in files if f[2]]
        if vers:
            version = max(vers, key=_vkey)
    samples: list[Sample] = []
    from .progress import steps

    for full, ident, ver in steps(chosen, len(chosen), f"reading {_display(root)}"):
        display = _display(full)
        if full.endswith(".har"):
            sub = _read_har(_load_file(full, display), options)
            samples.extend(sub.samples)
            continue
        doc = _load_file(full, display)
        if isinstance(doc.data, dict) and ("openapi" in doc.data or "swagger" in doc.data):
            continue  # a spec kept beside the captures is not a recorded body
        prefix = "/".join(ident[:-1])
        for s in _bare_samples(doc, ident[-1], prefix, options):
            s.version = ver or (BASE_VERSION if nova else None)
            samples.append(s)
    if options.get("version"):
        version = str(options["version"])
    return CaptureSet(shown, "nova" if nova else "dir", samples, version)


def _display(full: str) -> str:
    rel = os.path.relpath(full)
    return (full if rel.startswith("..") else rel).replace(os.sep, "/")


def sample_name(filename: str) -> tuple[str, str]:
    """``server-get-resp.json`` → ("server-get", "response"); request bodies likewise."""
    stem = filename[:-5] if filename.endswith(".json") else filename
    tokens = stem.split("-")
    for i, tok in enumerate(tokens):
        if tok == "req":
            return "-".join(tokens[:i] + tokens[i + 1:]) or stem, "request"
        if tok in ("resp", "res"):
            return "-".join(tokens[:i] + tokens[i + 1:]) or stem, "response"
    if RESPONSE_WORDS & set(tokens):
        return stem, "response"
    return stem, "request"


def _bare_samples(doc: Document, filename: str, prefix: str,
                  options: dict[str, Any]) -> list[Sample]:
    name, direction = sample_name(filename)
    path = "/" + "/".join(p for p in (prefix, name) if p)
    return [Sample(method="", path=path, direction=direction,
                   status=str(options.get("status", "200")), media="application/json",
                   body=doc.data, source=doc, anchor="")]


# -- HAR -------------------------------------------------------------------------------------
def _read_har(doc: Document, options: dict[str, Any]) -> CaptureSet:
    log = doc.data.get("log")

    def bad(msg: str, ptr: str) -> InputError:
        pos = doc.position(ptr)
        return InputError(f"bad HAR: {msg}", doc.path, *(pos if pos else (None, None)))

    if not isinstance(log, dict):
        raise bad("'log' must be an object", "/log")
    entries = log.get("entries")
    if not isinstance(entries, list):
        raise bad("'log.entries' must be a list", "/log")
    pair_mv = options.get("pair_microversion", True)
    samples: list[Sample] = []
    versions: list[str] = []
    for i, entry in enumerate(entries):
        eptr = f"/log/entries/{i}"
        if not isinstance(entry, dict):
            raise bad("entry must be an object", eptr)
        req, resp = entry.get("request"), entry.get("response")
        if not isinstance(req, dict) or not isinstance(resp, dict):
            raise bad("entry needs 'request' and 'response' objects", eptr)
        method = req.get("method")
        url = req.get("url")
        if not isinstance(method, str) or not method or not isinstance(url, str):
            raise bad("request needs 'method' and 'url' strings", eptr + "/request")
        if method.lower() not in METHODS:
            raise bad(f"unsupported method {method!r}", eptr + "/request/method")
        status = resp.get("status")
        if isinstance(status, bool) or not isinstance(status, int) or status < 0:
            raise bad("response 'status' must be a number", eptr + "/response")
        if status == 0:
            continue  # HAR marks aborted requests with status 0: nothing was received
        concrete = urlsplit(url).path or "/"
        template = templatise(concrete)
        rq_headers = _headers(req.get("headers"), bad, eptr + "/request/headers")
        rs_headers = _headers(resp.get("headers"), bad, eptr + "/response/headers")
        req_mv = _microversion(rq_headers)
        resp_mv = _microversion(rs_headers)
        ver = resp_mv or req_mv
        if ver:
            versions.append(ver)
        key_path = template
        if pair_mv and req_mv:
            key_path = f"{template} @{req_mv}"
        post = req.get("postData")
        if isinstance(post, dict) and isinstance(post.get("text"), str) and post["text"]:
            media = _media(post.get("mimeType"), rq_headers)
            body = _body(post["text"], None, media, doc, eptr + "/request/postData/text")
            samples.append(Sample(method.lower(), key_path, "request", "", media, body, doc,
                                  eptr + "/request/postData/text", embedded=True,
                                  concrete_path=concrete, version=ver))
        content = resp.get("content")
        media: str | None = None
        body: Any = MISSING
        anchor = eptr + "/response"
        if content is not None:
            if not isinstance(content, dict):
                raise bad("response 'content' must be an object", eptr + "/response/content")
            text = content.get("text")
            if isinstance(text, str) and text:
                media = _media(content.get("mimeType"), rs_headers)
                anchor = eptr + "/response/content/text"
                body = _body(text, content.get("encoding"), media, doc, anchor)
        samples.append(Sample(method.lower(), key_path, "response", str(status), media, body,
                              doc, anchor, embedded=True, headers=rs_headers,
                              headers_anchor=eptr + "/response/headers",
                              concrete_path=concrete, version=ver))
    version = max(versions, key=_vkey) if versions else None
    return CaptureSet(doc.path, "har", samples, version)


def _headers(raw: Any, bad: Any, ptr: str) -> dict[str, tuple[str, str]]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise bad("'headers' must be a list", ptr)
    out: dict[str, tuple[str, str]] = {}
    for j, h in enumerate(raw):
        if not isinstance(h, dict) or not isinstance(h.get("name"), str):
            raise bad("header needs a 'name'", f"{ptr}/{j}")
        name = h["name"]
        if name.startswith(":"):
            continue  # HTTP/2 pseudo-headers
        value = h.get("value", "")
        lower = name.lower()
        if lower in out:
            out[lower] = (out[lower][0], out[lower][1] + ", " + str(value))
        else:
            out[lower] = (name, str(value))
    return out


def _microversion(headers: dict[str, tuple[str, str]]) -> str | None:
    for h in MICROVERSION_HEADERS:
        if h in headers:
            key = microversion(headers[h][1], anywhere=True)
            if key is not None:
                return show_microversion(key)  # "2.096" and "2.96" are one microversion
    return None


def _media(mime: Any, headers: dict[str, tuple[str, str]]) -> str:
    value = mime if isinstance(mime, str) and mime else headers.get("content-type", ("", ""))[1]
    value = value.split(";", 1)[0].strip().lower()
    return value or "application/octet-stream"


def _body(text: str, encoding: Any, media: str, doc: Document, ptr: str) -> Any:
    if encoding == "base64":
        try:
            text = base64.b64decode(text, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return "<binary>"
    if media == "application/json" or media.endswith("+json"):
        try:
            # The loader's JSON limits: a 16 KB body nested 8,000 deep once cost 1.4 GB.
            return parse_json_value(text, doc.path)
        except ValueError as err:
            pos = doc.position(ptr)
            msg = str(err)
            raise InputError(f"bad HAR: body declared {media} is not JSON ({msg})", doc.path,
                             *(pos if pos else (None, None))) from None
    return text  # non-JSON bodies are compared as strings: their presence and media type


def _is_param(seg: str) -> bool:
    return bool(_UUID_RE.match(seg) or _NUM_RE.match(seg) or _HEX_RE.match(seg)
                or _REQID_RE.match(seg) or _IP_RE.match(seg))


def templatise(path: str) -> str:
    """``/v2.1/servers/3f0c…/ips`` → ``/v2.1/servers/{server_id}/ips``: ids become params."""
    out: list[str] = []
    segs = path.split("/")
    for i, seg in enumerate(segs):
        if seg and _is_param(seg):
            prev = segs[i - 1] if i > 0 else ""
            if not prev or VERSION_DIR_RE.match(prev):
                name = "project_id"
            else:
                name = re.sub(r"[^A-Za-z0-9_]", "_", prev.rstrip("s") or prev) + "_id"
            out.append("{" + name + "}")
        else:
            out.append(seg)
    return "/".join(out)


# -- building the document -------------------------------------------------------------------
def looks_volatile_key(key: str) -> bool:
    """Object keys that are data (ids, addresses), making the object a map."""
    return _is_param(key)


class _Builder:
    def __init__(self, options: dict[str, Any]) -> None:
        self.origins: dict[str, tuple[Sample | None, str]] = {}
        self.enum_keys = set(options.get("enum_keys") or ())
        self.map_keys = set(options.get("map_keys") or ())

    def infer(self, occ: list[tuple[Any, Sample, str]], sptr: str, key: str | None) -> Any:
        self.origins.setdefault(sptr, (occ[0][1], occ[0][2]))
        types: set[str] = set()
        objs: list[tuple[dict[str, Any], Sample, str]] = []
        items: list[tuple[Any, Sample, str]] = []
        strings: set[str] = set()
        for value, s, p in occ:
            t = json_type(value)
            types.add(t)
            if t == "object":
                objs.append((value, s, p))
            elif t == "array":
                items.extend((v, s, jp.join(p, i)) for i, v in enumerate(value))
            elif t == "string":
                strings.add(value)
        schema: dict[str, Any] = {}
        non_null = sorted(types - {"null"})
        if len(types) == 1:
            schema["type"] = next(iter(types))
        elif types:
            schema["type"] = non_null + (["null"] if "null" in types else [])
        if key in self.enum_keys and strings and types <= {"string", "null"}:
            schema["enum"] = sorted(strings) + ([None] if "null" in types else [])
        if objs:
            is_map = key in self.map_keys or all(
                o and all(looks_volatile_key(k) for k in o) for o, _, _ in objs)
            if is_map and any(o for o, _, _ in objs):
                vals = [(v, s, jp.join(p, k)) for o, s, p in objs for k, v in o.items()]
                schema["additionalProperties"] = self.infer(
                    vals, jp.join(sptr, "additionalProperties"), None)
            else:
                order: dict[str, None] = {}
                for o, _, _ in objs:
                    for k in o:
                        order.setdefault(str(k), None)
                props = {}
                for k in order:
                    sub = [(o[k], s, jp.join(p, k)) for o, s, p in objs if k in o]
                    props[k] = self.infer(sub, jp.join(sptr, "properties", k), k)
                schema["properties"] = props
                req = [k for k in order if all(k in o for o, _, _ in objs)]
                if req:
                    schema["required"] = req
        if items:
            schema["items"] = self.infer(items, jp.join(sptr, "items"), None)
        return schema


def build_document(cs: CaptureSet, **options: Any) -> CaptureDocument:
    b = _Builder(options)
    ops: dict[str, dict[str, list[Sample]]] = {}
    for s in cs.samples:
        ops.setdefault(s.path, {}).setdefault(s.method, []).append(s)
    paths: dict[str, Any] = {}
    for path in sorted(ops):
        item: dict[str, Any] = {}
        for method in sorted(ops[path]):
            group = ops[path][method]
            real_method = method or ("post" if any(s.direction == "request" for s in group)
                                     else "get")
            optr = jp.join("/paths", path, real_method)
            first = next((s for s in group if s.direction == "response"), group[0])
            b.origins[optr] = (first, "")
            op: dict[str, Any] = {}
            reqs = [s for s in group if s.direction == "request"]
            if reqs:
                rptr = jp.join(optr, "requestBody")
                b.origins[rptr] = (reqs[0], "")
                op["requestBody"] = {"required": True,
                                     "content": _content(b, reqs, rptr)}
            responses: dict[str, Any] = {}
            by_status: dict[str, list[Sample]] = {}
            for s in group:
                if s.direction == "response":
                    by_status.setdefault(s.status, []).append(s)
            for status in sorted(by_status):
                rs = by_status[status]
                sptr = jp.join(optr, "responses", status)
                b.origins[sptr] = (rs[0], "")
                resp: dict[str, Any] = {"description": "recorded"}
                headers = _response_headers(b, rs, sptr)
                if headers:
                    resp["headers"] = headers
                content = _content(b, [s for s in rs if s.body is not MISSING], sptr)
                if content:
                    resp["content"] = content
                responses[status] = resp
            op["responses"] = responses
            item[real_method] = op
        paths[path] = item
    info: dict[str, Any] = {"title": "recorded captures"}
    if cs.version is not None:
        info["version"] = cs.version
    data = {"openapi": "3.1.0", "info": info, "paths": paths}
    return CaptureDocument(cs.path, data, cs, b.origins)


def _content(b: _Builder, samples: list[Sample], owner: str) -> dict[str, Any]:
    by_media: dict[str, list[Sample]] = {}
    for s in samples:
        by_media.setdefault(s.media or "application/json", []).append(s)
    out: dict[str, Any] = {}
    for media in sorted(by_media):
        group = by_media[media]
        sptr = jp.join(owner, "content", media, "schema")
        b.origins[jp.join(owner, "content", media)] = (group[0], "")
        out[media] = {"schema": b.infer([(s.body, s, "") for s in group], sptr, None)}
    return out


def _response_headers(b: _Builder, samples: list[Sample], owner: str) -> dict[str, Any]:
    with_headers = [s for s in samples if s.headers_anchor is not None]
    if not with_headers:
        return {}
    names: dict[str, str] = {}
    for s in with_headers:
        for lower, (name, _) in s.headers.items():
            if lower not in IGNORED_HEADERS:
                names.setdefault(lower, name)
    out: dict[str, Any] = {}
    for lower in sorted(names):
        name = names[lower]
        hptr = jp.join(owner, "headers", name)
        carrier = next(s for s in with_headers if lower in s.headers)
        idx = list(carrier.headers).index(lower)
        # Header lines are found through the HAR pointer of the header entry itself.
        b.origins[hptr] = (_HeaderSample.of(carrier, idx), "")
        schema: dict[str, Any] = {"type": "string"}
        if lower in VALUE_HEADERS:
            schema["enum"] = sorted({s.headers[lower][1] for s in with_headers
                                     if lower in s.headers})
        out[name] = {"required": all(lower in s.headers for s in with_headers),
                     "schema": schema}
    return out


class _HeaderSample(Sample):
    """A view of a sample that locates one of its response headers."""

    @classmethod
    def of(cls, s: Sample, idx: int) -> Sample:
        assert s.headers_anchor is not None
        raw = s.source.data
        ptr = s.headers_anchor
        # The header list may hold pseudo-headers or repeats: find the entry by name.
        name = list(s.headers.values())[idx][0]
        try:
            lst = jp.walk(raw, ptr)
            pos = next(i for i, h in enumerate(lst) if isinstance(h, dict)
                       and h.get("name") == name)
            ptr = f"{ptr}/{pos}"
        except (KeyError, ValueError, StopIteration, TypeError):
            pass
        return cls(s.method, s.path, s.direction, s.status, s.media, s.body, s.source, ptr,
                   embedded=True, concrete_path=s.concrete_path, version=s.version)
