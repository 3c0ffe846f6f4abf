"""Turn a loaded description into comparable operations and schema views.

Operations are keyed by method and path template with parameter names erased
(``GET /pets/{}``), so renaming a path parameter changes nothing. Parameters are keyed by
location and name (header names case-insensitively; path parameters by position), path-level
parameters are merged into each operation, and Swagger 2.0 ``body`` parameters and response
``schema``s are presented in their OpenAPI 3 shape (``requestBody``/``content``). When the other
side is OpenAPI 3, Swagger 2.0 ``formData`` parameters are presented as the form request body
they mean (see ``NormalisedApi.read_operations``); the schemas built for that say, in
``NormalisedApi.places``, where their parts are written in the Swagger file.
Schemas are seen through ``$ref``s and ``allOf`` as one flat *view*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import limits
from . import pointer as jp
from .errors import InputError
from .loader import Document
from .methods import METHODS
from .model import json_type
from .refs import Resolver

_PARAM_RE = re.compile(r"\{[^}/]*\}")

# A node in some file: where it is and what it is.
Node = tuple[Document, str, Any]


@dataclass(slots=True)
class Param:
    key: tuple[str, str]
    name: str
    location: str
    node: Node  # the parameter object, $ref resolved
    schema: Node | None  # a schema-like view of its value
    # Where the operation or path item lists it: its entry in `parameters`, which may be a
    # $ref to the object at ``node``. Adding or removing the parameter happens here.
    listed: tuple[Document, str] | None = None


@dataclass(slots=True)
class Operation:
    key: str  # "GET /pets/{}"
    label: str  # "GET /pets/{petId}" as spelled in this side
    method: str
    path: str
    node: Node
    params: dict[tuple[str, str], Param] = field(default_factory=dict)
    body: Node | None = None  # requestBody object (OpenAPI 3) or the Swagger body parameter
    body_content: dict[str, Node | None] = field(default_factory=dict)  # media -> schema
    body_required: bool = False
    responses: dict[str, Node] = field(default_factory=dict)
    # Where the operation writes its request body and each response (a $ref, or the object
    # itself): adding or removing one by reference happens there, not at the component.
    body_at: tuple[Document, str] | None = None
    response_at: dict[str, tuple[Document, str]] = field(default_factory=dict)
    security: Any = None  # effective security requirements (list) or None
    security_node: Node | None = None
    servers: tuple[str, ...] | None = None  # operation/path-level override only
    servers_node: Node | None = None
    produces: list[str] = field(default_factory=list)  # Swagger 2.0 only
    # An OpenAPI 3.1 webhook: the API sends the request and the client answers it.
    webhook: bool = False
    # The path item the operation sits in ($ref resolved): its summary, description and
    # extensions describe every operation beneath it.
    item: Node | None = None


@dataclass(slots=True)
class Placed:
    """Where the parts of a schema the normaliser built are written in the source file.

    A built schema has no place of its own; without this its keywords would be reported at
    pointers that do not exist. ``keywords`` maps a keyword to the pointer that states it (the
    others sit under the schema's own pointer as usual), ``properties`` a property name to its
    schema's pointer and ``required`` a property name to the pointer that makes it required.
    """

    keywords: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    required: dict[str, str] = field(default_factory=dict)


FORM_MEDIA = ("application/x-www-form-urlencoded", "multipart/form-data")


class NormalisedApi:
    """One version of the API as the differ reads it: its documents, resolver and operations."""

    def __init__(self, doc: Document, resolver: Resolver) -> None:
        self.doc = doc
        self.resolver = resolver
        data = doc.data
        if not isinstance(data, dict):
            raise InputError("not an OpenAPI or Swagger document (top level is not a mapping)",
                             doc.path)
        if "swagger" in data:
            if str(data.get("swagger")).strip() != "2.0":
                raise InputError(f"unsupported Swagger version {data.get('swagger')!r}", doc.path,
                                 *_pos(doc, "/swagger"))
            self.spec = "2.0"
        elif "openapi" in data:
            ver = str(data.get("openapi")).strip()
            if ver.startswith("3.0"):
                self.spec = "3.0"
            elif ver.startswith("3.1"):
                self.spec = "3.1"
            else:
                raise InputError(f"unsupported OpenAPI version {data.get('openapi')!r}", doc.path,
                                 *_pos(doc, "/openapi"))
        else:
            raise InputError("not an OpenAPI or Swagger document (no 'openapi' or 'swagger' key)",
                             doc.path)
        paths = data.get("paths", {})
        if paths is None:
            paths = {}
        if not isinstance(paths, dict):
            raise InputError("'paths' must be a mapping", doc.path, *_pos(doc, "/paths"))
        self.paths = paths
        self.operations: dict[str, Operation] = {}
        self._inline: dict[int, dict[str, Any]] = {}
        # (document id, $ref) -> what _read_param read from the parameter it names
        self._shared_params: dict[tuple[int, str], Any] = {}
        self._form_props: dict[int, dict[str, Any]] = {}
        self._file_schemas: dict[int, dict[str, Any]] = {}
        # Built schemas (by id) -> where their parts are written; see Placed. ``_built`` keeps
        # them alive, so no other dict can be given a listed id.
        self.places: dict[int, Placed] = {}
        self._built: list[dict[str, Any]] = []
        self.form_body = False

    def read_operations(self, skip: set[str] | frozenset[str] = frozenset(),
                        form_body: bool = False) -> None:
        """Normalise every operation, except those under the path strings in ``skip``.

        ``form_body`` (Swagger 2.0 only; for a comparison with OpenAPI 3) presents an
        operation's ``formData`` parameters as the request body OpenAPI 3 writes for them: one
        per form media type, an object with a property per parameter; and a ``type: file``
        response schema as the binary string OpenAPI 3 writes for it. Between two Swagger
        documents both stay as they are written.
        """
        self.form_body = form_body and self.spec == "2.0"
        if skip:
            self._read_operations({p: v for p, v in self.paths.items() if p not in skip})
        else:
            self._read_operations(self.paths)
        hooks = self.doc.data.get("webhooks") if isinstance(self.doc.data, dict) else None
        if isinstance(hooks, dict):
            self._read_operations(hooks, webhooks=True)

    # -- references -------------------------------------------------------------------------
    def deref(self, node: Node) -> Node:
        """Follow ``$ref`` chains (every one resolves: a broken reference stopped the run when
        the document was loaded)."""
        doc, ptr, value = node
        seen = 0
        while isinstance(value, dict) and "$ref" in value:
            doc, ptr, value = self.resolver.resolve(doc, value["$ref"])
            seen += 1
            if seen > limits.MAX_REF_HOPS:
                raise InputError(f"$ref cycle with nothing behind it at {ptr}", doc.path)
        return doc, ptr, value

    def deref_object(self, node: Node, what: str) -> Node:
        """``deref`` where OpenAPI requires an object (a response, a parameter…): a
        ``$ref`` to a string or a list there is bad input, as the same value written inline
        is (fail closed: it is never skipped as if it were absent)."""
        target = self.deref(node)
        if not isinstance(target[2], dict):
            doc, ptr, value = node
            ref = value.get("$ref") if isinstance(value, dict) else None
            kind = json_type(target[2])
            article = "an" if kind[:1] in "aeiou" else "a"
            shown = (f"$ref {ref!r} names {article} {kind}" if ref is not None
                     else f"{article} {kind} found")
            raise InputError(f"{shown} where {what} (an object) belongs", doc.path,
                             *_pos(doc, jp.join(ptr, "$ref") if ref is not None else ptr))
        return target

    # -- operations -------------------------------------------------------------------------
    def _read_operations(self, paths: dict[str, Any], webhooks: bool = False) -> None:
        doc = self.doc
        data = doc.data
        g_security = data.get("security")
        g_consumes = data.get("consumes") or ["application/json"]
        g_produces = data.get("produces") or ["application/json"]
        for path, item in paths.items():
            path = str(path)
            if path.startswith("x-"):
                continue
            item_node: Node | None = (doc, jp.join("/webhooks" if webhooks else "/paths", path),
                                      item)
            if isinstance(item, dict) and "$ref" in item:
                item_node = self.deref(item_node)
            if not isinstance(item_node[2], dict):
                raise InputError(f"path item {path!r} must be a mapping", doc.path,
                                 *_pos(doc, jp.join("/paths", path)))
            idoc, iptr, inode = item_node
            common = self._params(idoc, iptr, inode.get("parameters"))
            item_params = jp.join(iptr, "parameters")
            p_servers = inode.get("servers")
            # Per path, not per operation: the template key and its parameters' order.
            template = f"webhook:{path}" if webhooks else _PARAM_RE.sub("{}", path)
            order = [m.group(0)[1:-1] for m in _PARAM_RE.finditer(path)]
            for method in METHODS:
                if method not in inode:
                    continue
                onode = inode[method]
                optr = jp.join(iptr, method)
                odoc = idoc
                if isinstance(onode, dict) and "$ref" in onode:
                    # Multi-file specs write each operation in a file of its own; what counts
                    # (and where changes are reported) is that file.
                    odoc, optr, onode = self.deref((idoc, optr, onode))
                if not isinstance(onode, dict):
                    raise InputError(f"operation {method.upper()} {path} must be a mapping",
                                     odoc.path, *_pos(odoc, optr))
                key = f"{method.upper()} {template}"
                if webhooks:
                    op = Operation(key, key, method, path, (odoc, optr, onode), webhook=True)
                else:
                    op = Operation(key, f"{method.upper()} {path}", method, path,
                                   (odoc, optr, onode))
                op.item = item_node
                params = dict(common)
                own = self._params(odoc, optr, onode.get("parameters"))
                params.update(own)
                # Path parameters are matched by position so a rename is not a change.
                if order:
                    for pkey, param in list(params.items()):
                        if param.location == "path" and param.name in order:
                            del params[pkey]
                            npkey = ("path", f"#{order.index(param.name)}")
                            param.key = npkey
                            params[npkey] = param
                body_param = [k for k, p in params.items() if p.location == "body"]
                if self.spec == "2.0":
                    consumes = onode.get("consumes") or g_consumes
                    for k in body_param:
                        bp = params.pop(k)
                        op.body = bp.node
                        op.body_at = bp.listed
                        schema = _child(bp.node, "schema")
                        op.body_content = {str(m): schema for m in consumes}
                        op.body_required = bool(bp.node[2].get("required"))
                    if self.form_body and not body_param:
                        form = [k for k, p in params.items() if p.location == "formData"]
                        if form:
                            listed = (odoc, jp.join(optr, "parameters")) if any(
                                k in own for k in form) else (idoc, item_params)
                            self._form_body(op, [params.pop(k) for k in form], consumes,
                                            listed)
                else:
                    rb = onode.get("requestBody")
                    if rb is not None:
                        rbn = self.deref_object((odoc, jp.join(optr, "requestBody"), rb),
                                                "a request body")
                        op.body = rbn
                        op.body_at = (odoc, jp.join(optr, "requestBody"))
                        op.body_required = bool(rbn[2].get("required"))
                        op.body_content = self._content(rbn)
                op.params = params
                responses = onode.get("responses") or {}
                op.produces = [str(m).lower() for m in (onode.get("produces") or g_produces)]
                if isinstance(responses, dict):
                    for status, resp in responses.items():
                        if str(status).startswith("x-"):
                            continue
                        at = jp.join(optr, "responses", status)
                        rn = self.deref_object((odoc, at, resp), "a response")
                        code = str(status)
                        # "2xx" and "2XX" are one range; "default" keeps its spelling.
                        code = "default" if code.lower() == "default" else code.upper()
                        op.responses[code] = rn
                        op.response_at[code] = (odoc, at)
                op.security = onode.get("security", g_security)
                if "security" in onode:
                    op.security_node = (odoc, jp.join(optr, "security"), onode["security"])
                elif g_security is not None:
                    op.security_node = (doc, "/security", g_security)
                servers = onode.get("servers", p_servers)
                if servers is not None and isinstance(servers, list):
                    op.servers = tuple(
                        str(s.get("url")) for s in servers if isinstance(s, dict)
                    )
                    op.servers_node = (odoc, jp.join(optr, "servers"), servers) \
                        if "servers" in onode else (idoc, jp.join(iptr, "servers"), servers)
                self.operations[key] = op

    def _form_body(self, op: Operation, form: list[Param], consumes: Any,
                   listed: tuple[Document, str]) -> None:
        """Present Swagger 2.0 ``formData`` parameters as the OpenAPI 3 request body they mean.

        The body and its object schema are placed at the ``parameters`` list that holds the
        form fields (``listed``); each property at its parameter object.
        """
        files = any(str(p.node[2].get("type")) == "file" for p in form)
        media = [str(m).lower() for m in consumes if isinstance(m, str) and
                 m.split(";")[0].strip().lower() in FORM_MEDIA] \
            if isinstance(consumes, list) else []
        if not media:
            # No form type declared: what a client sends anyway (files need multipart).
            media = ["multipart/form-data" if files else "application/x-www-form-urlencoded"]
        doc, ptr = listed
        props: dict[str, Any] = {}
        placed = Placed(keywords={"type": ptr, "required": ptr})
        required: list[str] = []
        for p in form:
            props[p.name] = self._form_property(p.node)
            placed.properties[p.name] = p.node[1]
            if p.node[2].get("required"):
                required.append(p.name)
                placed.required[p.name] = jp.join(p.node[1], "required")
        schema: dict[str, Any] = {"type": "object", "properties": props}
        if required:
            schema["required"] = required
        self.places[id(schema)] = placed
        self._built.append(schema)
        body: dict[str, Any] = {"required": True} if required else {}
        op.body = (doc, ptr, body)
        op.body_required = bool(required)
        op.body_content = {m: (doc, ptr, schema) for m in media}

    def _form_property(self, node: Node) -> dict[str, Any]:
        """The property schema a ``formData`` parameter means (``type: file`` is binary)."""
        value = node[2]
        prop = self._form_props.get(id(value))
        if prop is not None:
            return prop
        prop = _swagger_param_schema(value)
        if "description" in value:
            prop["description"] = value["description"]
        if str(prop.get("type")) == "file":
            prop["type"] = "string"
            prop["format"] = "binary"
            # Both words come from `type: file`; point there rather than at no `format`.
            self.places[id(prop)] = Placed(keywords={"format": jp.join(node[1], "type")})
        self._form_props[id(value)] = prop
        return prop

    def _params(self, doc: Document, owner_ptr: str, plist: Any) -> dict[tuple[str, str], Param]:
        out: dict[tuple[str, str], Param] = {}
        if not isinstance(plist, list):
            return out
        prefix = owner_ptr + "/parameters/"
        shared = self._shared_params
        for i, raw in enumerate(plist):
            listed = (doc, prefix + str(i))
            # Most operations list shared parameters by reference (Kubernetes: ten per
            # operation, thousands in all); what a reference names is read once.
            ref = raw.get("$ref") if type(raw) is dict and len(raw) == 1 else None
            read = shared.get((id(doc), ref)) if type(ref) is str else None
            if read is None:
                read = self._read_param(self.deref_object((*listed, raw), "a parameter"))
                if type(ref) is str:
                    shared[(id(doc), ref)] = read
            key, name, loc, node, schema = read
            out[key] = Param(key, name, loc, node, schema, listed)
        return out

    def _read_param(self, node: Node) -> tuple[tuple[str, str], str, str, Node, Node | None]:
        """(key, name, location, node, schema) of a parameter object, ``$ref`` resolved."""
        value = node[2]
        loc = str(value.get("in", ""))
        name = str(value.get("name", ""))
        key = (loc, name.lower() if loc == "header" else name)
        schema: Node | None
        if "schema" in value and loc != "body":
            schema = _child(node, "schema")
        elif "content" in value and isinstance(value["content"], dict):
            content = self._content(node)
            schema = next(iter(content.values()), None) if content else None
        elif loc == "body":
            schema = _child(node, "schema")
        else:
            # One synthetic schema per parameter object, so a shared parameter is
            # compared once (the diff memoises by object identity).
            inline = self._inline.get(id(value))
            if inline is None:
                inline = self._inline[id(value)] = _swagger_param_schema(value)
            schema = (node[0], node[1], inline)
        return key, name, loc, node, schema

    def _content(self, node: Node) -> dict[str, Node | None]:
        doc, ptr, value = node
        content = value.get("content")
        out: dict[str, Node | None] = {}
        if isinstance(content, dict):
            for media, mt in content.items():
                mptr = jp.join(ptr, "content", media)
                if isinstance(mt, dict) and "schema" in mt:
                    out[str(media).lower()] = (doc, jp.join(mptr, "schema"), mt["schema"])
                else:
                    out[str(media).lower()] = None
        return out

    def response_content(self, op: Operation, resp: Node) -> dict[str, Node | None]:
        if self.spec == "2.0":
            schema = _child(resp, "schema")
            if schema is not None and self.form_body:
                schema = self._file_schema(schema)
            return {m: schema for m in op.produces} if schema is not None else {}
        return self._content(resp)

    def _file_schema(self, schema: Node) -> Node:
        """Against OpenAPI 3, a Swagger response ``type: file`` is the binary string OpenAPI 3
        writes for it; any other schema is itself."""
        node = self.deref(schema)
        if not isinstance(node[2], dict) or node[2].get("type") != "file":
            return schema
        built = self._file_schemas.get(id(node[2]))
        if built is None:
            built = self._file_schemas[id(node[2])] = {**node[2], "type": "string",
                                                     "format": "binary"}
            self._built.append(built)
            self.places[id(built)] = Placed(keywords={"format": jp.join(node[1], "type")})
        return (node[0], node[1], built)

    def response_headers(self, resp: Node) -> dict[str, tuple[str, Node, Node | None]]:
        """Response headers by lower-cased name: (name, header node, schema node)."""
        doc, ptr, value = resp
        headers = value.get("headers")
        out: dict[str, tuple[str, Node, Node | None]] = {}
        if not isinstance(headers, dict):
            return out
        for name, raw in headers.items():
            hn = self.deref_object((doc, jp.join(ptr, "headers", name), raw), "a header")
            hv = hn[2]
            if "schema" in hv:
                schema: Node | None = _child(hn, "schema")
            elif "content" in hv:
                content = self._content(hn)
                schema = next(iter(content.values()), None) if content else None
            else:
                schema = (hn[0], hn[1], _swagger_param_schema(hv))
            out[str(name).lower()] = (str(name), hn, schema)
        return out

    # -- document-level ---------------------------------------------------------------------
    def servers(self) -> tuple[tuple[str, ...], str]:
        data = self.doc.data
        if self.spec == "2.0":
            host = data.get("host")
            base = data.get("basePath") or ""
            if host is None and not base:
                return (), "/host"
            schemes = data.get("schemes") or ["https"]
            return tuple(f"{s}://{host or ''}{base}" for s in schemes), "/host"
        servers = data.get("servers") or []
        if not isinstance(servers, list):
            return (), "/servers"
        return tuple(server_url(s) for s in servers if isinstance(s, dict)), "/servers"

    def security_schemes(self) -> tuple[dict[str, Any], str]:
        data = self.doc.data
        if self.spec == "2.0":
            return data.get("securityDefinitions") or {}, "/securityDefinitions"
        comps = data.get("components") or {}
        return (comps.get("securitySchemes") or {}) if isinstance(comps, dict) else {}, \
            "/components/securitySchemes"

    def security_scheme_nodes(self) -> dict[Any, Node]:
        """Each security scheme by name, ``$ref`` followed: (document, pointer, value)."""
        schemes, where = self.security_schemes()
        out: dict[Any, Node] = {}
        if isinstance(schemes, dict):
            for name, value in schemes.items():
                node: Node = (self.doc, jp.join(where, name), value)
                out[name] = self.deref(node) if isinstance(value, dict) and \
                    "$ref" in value else node
        return out


def server_url(server: dict[str, Any]) -> str:
    url = str(server.get("url", ""))
    variables = server.get("variables")
    if isinstance(variables, dict):
        for name, var in variables.items():
            if isinstance(var, dict) and "default" in var:
                url = url.replace("{" + str(name) + "}", str(var["default"]))
    return url


def _child(node: Node, key: str) -> Node | None:
    doc, ptr, value = node
    if isinstance(value, dict) and key in value:
        return doc, jp.join(ptr, key), value[key]
    return None


_PARAM_ONLY = {
    "name", "in", "required", "description", "allowEmptyValue", "collectionFormat",
    "deprecated", "style", "explode", "allowReserved", "example", "examples",
}


def _swagger_param_schema(value: dict[str, Any]) -> dict[str, Any]:
    """A Swagger 2.0 non-body parameter or header carries its schema keywords inline."""
    return {k: v for k, v in value.items() if k not in _PARAM_ONLY and not k.startswith("x-")
            or k == "x-nullable"}


def _pos(doc: Document, pointer: str) -> tuple[int | None, int | None]:
    pos = doc.position(pointer)
    return (pos[0], pos[1]) if pos else (None, None)
