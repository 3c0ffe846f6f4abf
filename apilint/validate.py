"""Optional validation of a document against its OpenAPI/Swagger schema (``--validate``).

Validation is advice, never a precondition: many published specs fail it and are still worth
diffing. Each problem becomes a warning naming the file, line and what is wrong. It is opt-in
because openapi-spec-validator takes seconds on multi-megabyte specs, and it only reads the
root file: references to other files or hosts are replaced by an empty schema first, so the
validator never opens a file or a connection on its own.
"""

from __future__ import annotations

from typing import Any

from . import pointer as jp
from .loader import Document

MAX_PROBLEMS = 20


def _local_only(node: Any) -> tuple[Any, int]:
    """A copy of ``node`` whose non-local ``$ref``s are emptied, and how many there were."""
    count = 0

    def walk(x: Any) -> Any:
        nonlocal count
        if type(x) is dict:
            ref = x.get("$ref")
            if type(ref) is str and not ref.startswith("#"):
                count += 1
                return {}
            return {k: walk(v) for k, v in x.items()}
        if type(x) is list:
            return [walk(v) for v in x]
        return x

    return walk(node), count


def validate_document(doc: Document) -> list[str]:
    """Warnings for what the OpenAPI schema of ``doc``'s version rejects (at most 20)."""
    try:
        from openapi_spec_validator import (
            OpenAPIV2SpecValidator,
            OpenAPIV30SpecValidator,
            OpenAPIV31SpecValidator,
        )
    except ImportError:
        # An optional extra: it roughly doubles what a pre-commit hook environment installs
        # (its pydantic stack), for a check that is off by default.
        from .errors import UsageError

        raise UsageError("--validate needs openapi-spec-validator: "
                         "pip install 'apilint[validate]'") from None

    data = doc.data
    if not isinstance(data, dict):
        return []
    version = str(data.get("openapi") or data.get("swagger") or "")
    if version.startswith("2"):
        cls: Any = OpenAPIV2SpecValidator
    elif version.startswith("3.0"):
        cls = OpenAPIV30SpecValidator
    elif version.startswith("3.1"):
        cls = OpenAPIV31SpecValidator
    else:
        return [f"{doc.path}: not validated: no validator for version {version!r}"]
    local, external = _local_only(data)
    out: list[str] = []
    try:
        for error in cls(local).iter_errors():
            ptr = jp.join("", *error.absolute_path)
            # The validator checks some parts on their own, so a path may be relative to an
            # unknown place; an empty one names no place, and then we give none.
            pos = doc.position(ptr) if ptr else None
            where = f"{doc.path}:{pos[0]}:{pos[1]}" if pos else doc.path
            at = f" at {ptr}" if ptr else ""
            message = " ".join(str(error.message).split())
            if len(message) > 160:
                message = message[:157] + "..."
            out.append(f"{where}: fails OpenAPI {version} validation{at}: {message}")
            if len(out) >= MAX_PROBLEMS:
                out.append(f"{doc.path}: validation stopped after {MAX_PROBLEMS} problems")
                break
    except Exception as e:  # noqa: BLE001 - the validator's own failures are advice too
        out.append(f"{doc.path}: validation could not finish: {type(e).__name__}")
    if external:
        out.append(f"{doc.path}: validated the root file only ({external} references to other "
                   "files not followed)")
    return out
