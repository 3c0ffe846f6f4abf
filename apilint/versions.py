"""Version strings: parse and order them by scheme, and guess the scheme when none is set.

Schemes:

- ``microversion``: ``X.Y`` as a pair of integers (2.9 < 2.10 < 2.96), never a float.
- ``semver``: ``[v]X.Y.Z[-pre][+build]`` (``X.Y`` is read as ``X.Y.0`` when semver is asked for).
- ``date``: ``YYYY-MM-DD`` with an optional suffix: ``-preview``/``-beta`` (a preview sorts
  before the stable release of the same day) or Azure's ``.7.0`` (compared as integers).
- ``integer``: a bare number (Adyen's ``71``), optionally ``v``-prefixed.
- ``dotted``: any number of integer parts (``6.3.0.9``), compared part by part.

A string that fits no scheme (``unversioned``, empty, missing) parses to ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SCHEMES: tuple[str, ...] = ("microversion", "semver", "date", "integer", "dotted")
# The policies: the same rule (any API change needs a bump) with other arithmetic.
POLICIES: tuple[str, ...] = ("openstack", "semver", "date", "strict")

_MICRO = re.compile(r"^v?(\d+)\.(\d+)$")
_SEMVER = re.compile(
    r"^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$"
)
_SEMVER_STRICT = re.compile(r"^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})((?:[.-][0-9A-Za-z]+)*)$")
_INT = re.compile(r"^v?(\d+)$")
_DOTTED = re.compile(r"^v?\d+(?:\.\d+)+$")


@dataclass(frozen=True, slots=True)
class Version:
    """A parsed version: the text as read, its scheme and a key that orders it."""

    raw: str
    scheme: str
    key: tuple[Any, ...]

    @property
    def major(self) -> int:
        return int(self.key[0]) if self.key else 0

    @property
    def minor(self) -> int:
        return int(self.key[1]) if len(self.key) > 1 else 0

    def __str__(self) -> str:
        return self.raw


def _prerelease_key(pre: str | None) -> tuple[Any, ...]:
    """Semver precedence: a release sorts after its pre-releases; numeric ids compare as ints."""
    if pre is None:
        return (1,)
    parts: list[tuple[int, Any]] = []
    for ident in pre.split("."):
        parts.append((0, int(ident)) if ident.isdigit() else (1, ident))
    return (0, tuple(parts))


def parse(raw: str | None, scheme: str) -> Version | None:
    """Parse ``raw`` under ``scheme``; ``None`` when it does not fit."""
    if raw is None:
        return None
    text = str(raw).strip()
    if not text:
        return None
    if scheme == "microversion":
        m = _MICRO.match(text)
        return Version(text, scheme, (int(m[1]), int(m[2]))) if m else None
    if scheme == "semver":
        m = _SEMVER.match(text)
        if not m:
            return None
        key = (int(m[1]), int(m[2]), int(m[3] or 0), _prerelease_key(m[4]))
        return Version(text, scheme, key)
    if scheme == "date":
        m = _DATE.match(text)
        if not m:
            return None
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        suffix = m[4] or ""
        # "-preview" (a word after a dash) marks a pre-release of that day's api-version;
        # ".7.0" (Azure batch) is a numeric qualifier that orders releases of one day.
        words = [w for w in re.split(r"[.-]", suffix) if w]
        numeric = tuple(int(w) for w in words if w.isdigit())
        labels = tuple(w for w in words if not w.isdigit())
        stable = 0 if labels else 1
        return Version(text, scheme, ((year, month, day), stable, labels, numeric))
    if scheme == "integer":
        m = _INT.match(text)
        return Version(text, scheme, (int(m[1]),)) if m else None
    if scheme == "dotted":
        if not _DOTTED.match(text):
            return None
        parts = [int(p) for p in text.lstrip("v").split(".")]
        while len(parts) > 1 and parts[-1] == 0:  # 6.3 and 6.3.0 are one version
            parts.pop()
        return Version(text, scheme, tuple(parts))
    raise ValueError(f"unknown version scheme {scheme!r}")


def detect_one(raw: str | None) -> str | None:
    """The scheme a single version string looks like, or ``None``."""
    if raw is None:
        return None
    text = str(raw).strip()
    if _DATE.match(text) and parse(text, "date"):
        return "date"
    if _MICRO.match(text):
        return "microversion"
    if _SEMVER_STRICT.match(text):
        return "semver"
    if _INT.match(text):
        return "integer"
    if _DOTTED.match(text):
        return "dotted"
    return None


def detect(base: str | None, revision: str | None) -> str | None:
    """One scheme for both sides: the shared guess, else one that parses both, else the
    revision's guess (the base then reads as unparseable)."""
    b, r = detect_one(base), detect_one(revision)
    if b == r:
        return b
    if b is None or r is None:
        return r or b
    # "1.2" against "1.2.1": semver reads both; "6.3" against "6.4.0.36": dotted reads both.
    for scheme in ("semver", "dotted"):
        if parse(base, scheme) and parse(revision, scheme):
            return scheme
    return r


def compare(a: Version, b: Version) -> int:
    """-1, 0 or 1 as ``a`` is older than, equal to or newer than ``b``."""
    if a.key == b.key:
        return 0
    return -1 if a.key < b.key else 1


def openstack_range(ext: Any) -> tuple[Any, Any]:
    """(min, max) microversion of an ``x-openstack`` value as written, None where absent.

    Generated OpenStack specs write ``min-ver``/``max-ver``; older ones ``min_ver``/``max_ver``.
    """
    if not isinstance(ext, dict):
        return None, None
    return ext.get("min-ver", ext.get("min_ver")), ext.get("max-ver", ext.get("max_ver"))
