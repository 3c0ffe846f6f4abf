"""SHA-256 without loading OpenSSL: fingerprints and cache keys need the digest, not ``_hashlib``.

``hashlib`` loads OpenSSL's binding on import (a few milliseconds, paid by every run of a
pre-commit hook); CPython's built-in SHA-256 module gives the same digest.
"""

from __future__ import annotations

from typing import Any

try:  # CPython 3.12+
    from _sha2 import sha256 as _sha256  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the interpreter
    try:  # CPython 3.11
        from _sha256 import sha256 as _sha256  # type: ignore[import-not-found,no-redef]
    except ImportError:  # other interpreters
        from hashlib import sha256 as _sha256  # type: ignore[assignment]


def sha256(data: bytes = b"") -> Any:
    """A SHA-256 hash object (``update``, ``hexdigest``), as ``hashlib.sha256`` gives."""
    return _sha256(data)
