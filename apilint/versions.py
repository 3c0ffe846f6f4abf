"""Version strings: parse and order them by scheme, and guess the scheme when none is set.

Schemes:

- ``microversion``: ``X.Y`` as a pair of integers (2.9 < 2.10 < 2.96), never a float.
- ``semver``: ``[v]X.Y.Z[-pre][+build]`` ordered by semver precedence (semver.org 11):
  pre-release identifiers part by part, numeric ones as numbers and below alphanumeric ones,
  a release after its pre-releases, build metadata ignored (``X.Y`` reads as ``X.Y.0`` when
  semver is asked for).
- ``date``: ``YYYY-MM-DD`` with an optional suffix: ``-preview``/``-beta`` (a preview sorts
  before the stable release of the same day).
- ``date-release``: a date plus a release number, ``2020-09-14_1.652.0`` (Plaid) or
  ``2018-08-01.7.0`` (Azure Batch). The date is the API's version and the release numbers
  the document; ordered date first, then release, part by part.
- ``integer``: a bare number (Adyen's ``71``), optionally ``v``-prefixed.
- ``dotted``: any number of integer parts (``6.3.0.9``), compared part by part.

Numbers are compared as digit strings (length, then digits), never converted with ``int``:
a 5,000-digit part orders like any other instead of hitting Python's int-conversion limit.

A string that fits no scheme (``unversioned``, empty, missing) parses to ``None``.

Microversions are read here and nowhere else: ``parse(text, "microversion")`` for the
policy's ordering, ``microversion`` for the ``(major, minor)`` pair that projections,
changelogs, ``conform`` and the samples reader step through, and ``openstack_range*`` for
the ``x-openstack`` ``min-ver``/``max-ver`` (or ``min_ver``/``max_ver``) of an object.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SCHEMES: tuple[str, ...] = ("microversion", "semver", "date", "date-release", "integer",
                            "dotted")
# The policies: the same rule (any API change needs a bump) with other arithmetic.
POLICIES: tuple[str, ...] = ("openstack", "semver", "date", "strict")

_MICRO = re.compile(r"^v?(\d+)\.(\d+)$")
_SEMVER = re.compile(
    r"^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$"
)
_SEMVER_STRICT = re.compile(r"^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})((?:[.-][0-9A-Za-z]+)*)$")
_DATE_RELEASE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[_.](\d+(?:\.\d+)*))?$")
_INT = re.compile(r"^v?(\d+)$")
_DOTTED = re.compile(r"^v?\d+(?:\.\d+)+$")

Num = tuple[int, str]


def num(digits: str) -> Num:
    """An order key for a run of ASCII digits: fewer significant digits is smaller, then
    the digits themselves (so ``007`` equals ``7`` and any length orders correctly)."""
    sig = digits.lstrip("0") or "0"
    return (len(sig), sig)


def num_text(n: Num) -> str:
    return n[1]


ZERO: Num = num("0")


def _small_int(n: Num) -> int:
    if n[0] > 4000:  # beyond Python's default int-conversion limit: a clean error
        raise ValueError(f"version number of {n[0]} digits")
    return int(n[1])


@dataclass(frozen=True, slots=True)
class Version:
    """A parsed version: the text as read, its scheme and a key that orders it."""

    raw: str
    scheme: str
    key: tuple[Any, ...]

    @property
    def major_key(self) -> Num:
        """The first number's order key (semver, microversion, integer, dotted)."""
        return self.key[0] if self.key and isinstance(self.key[0], tuple) else ZERO

    @property
    def major(self) -> int:
        """The first number as an int (for display and small arithmetic; orders use keys)."""
        return _small_int(self.major_key)

    @property
    def minor(self) -> int:
        n = self.key[1] if len(self.key) > 1 and isinstance(self.key[1], tuple) else ZERO
        return _small_int(n)

    @property
    def prerelease(self) -> bool:
        """A semver pre-release (``2.0.0-beta.1``)."""
        return self.scheme == "semver" and self.key[3] != (1,)

    def __str__(self) -> str:
        return self.raw


def _prerelease_key(pre: str | None) -> tuple[Any, ...]:
    """Semver precedence: a release sorts after its pre-releases; numeric identifiers compare
    as numbers and sort before alphanumeric ones, which compare in ASCII order; more
    identifiers sort after fewer when all before them are equal."""
    if pre is None:
        return (1,)
    parts: list[tuple[int, Any]] = []
    for ident in pre.split("."):
        parts.append((0, num(ident)) if ident.isdigit() and ident.isascii() else (1, ident))
    return (0, tuple(parts))


def _date(y: str, m: str, d: str) -> tuple[int, int, int] | None:
    year, month, day = int(y), int(m), int(d)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return (year, month, day)


def _release(text: str | None) -> tuple[Num, ...]:
    parts = [num(p) for p in text.split(".")] if text else []
    while parts and parts[-1] == ZERO:  # 1.652 and 1.652.0 are one release
        parts.pop()
    return tuple(parts)


def parse(raw: str | None, scheme: str) -> Version | None:
    """Parse ``raw`` under ``scheme``; ``None`` when it does not fit."""
    if raw is None:
        return None
    text = str(raw).strip()
    if not text or not text.isascii():
        return None
    if scheme == "microversion":
        m = _MICRO.match(text)
        return Version(text, scheme, (num(m[1]), num(m[2]))) if m else None
    if scheme == "semver":
        m = _SEMVER.match(text)
        if not m:
            return None
        key = (num(m[1]), num(m[2]), num(m[3] or "0"), _prerelease_key(m[4]))
        return Version(text, scheme, key)
    if scheme == "date-release":
        m = _DATE_RELEASE.match(text)
        day = _date(m[1], m[2], m[3]) if m else None
        if m is None or day is None:
            return None
        return Version(text, scheme, (day, _release(m[4])))
    if scheme == "date":
        m = _DATE.match(text)
        day = _date(m[1], m[2], m[3]) if m else None
        if m is None or day is None:
            # The date policy also reads Plaid's "2020-09-14_1.652.0": date, then release.
            rel = parse(text, "date-release")
            return Version(text, scheme, (rel.key[0], 1, (), rel.key[1])) if rel else None
        suffix = m[4] or ""
        # "-preview" (a word after a dash) marks a pre-release of that day's api-version;
        # ".7.0" (Azure batch) is a numeric qualifier that orders releases of one day.
        words = [w for w in re.split(r"[.-]", suffix) if w]
        numeric = tuple(num(w) for w in words if w.isdigit())
        labels = tuple(w for w in words if not w.isdigit())
        stable = 0 if labels else 1
        return Version(text, scheme, (day, stable, labels, numeric))
    if scheme == "integer":
        m = _INT.match(text)
        return Version(text, scheme, (num(m[1]),)) if m else None
    if scheme == "dotted":
        if not _DOTTED.match(text):
            return None
        parts = [num(p) for p in text.lstrip("v").split(".")]
        while len(parts) > 1 and parts[-1] == ZERO:  # 6.3 and 6.3.0 are one version
            parts.pop()
        return Version(text, scheme, tuple(parts))
    raise ValueError(f"unknown version scheme {scheme!r}")


def detect_one(raw: str | None) -> str | None:
    """The scheme a single version string looks like, or ``None``."""
    if raw is None:
        return None
    text = str(raw).strip()
    if not text.isascii():
        return None
    m = _DATE_RELEASE.match(text)
    if m and m[4] and parse(text, "date-release"):
        return "date-release"
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
    # "2018-08-01" against "2018-08-01.1": date-release reads both (no release is the
    # smallest); "1.2" against "1.2.1": semver reads both; "6.3" against "6.4.0.36": dotted.
    for scheme in ("date-release", "semver", "dotted"):
        if parse(base, scheme) and parse(revision, scheme):
            return scheme
    return r


def compare(a: Version, b: Version) -> int:
    """-1, 0 or 1 as ``a`` is older than, equal to or newer than ``b``."""
    if a.key == b.key:
        return 0
    return -1 if a.key < b.key else 1


def semver_increase(base: Version, revision: Version) -> str | None:
    """How much a semver version went up: ``major``, ``minor``, ``patch``, ``prerelease``
    (only the pre-release part), or ``None`` when it did not."""
    if compare(revision, base) <= 0:
        return None
    for i, name in enumerate(("major", "minor", "patch")):
        if revision.key[i] != base.key[i]:
            return name
    return "prerelease"


# -- microversions and x-openstack ranges: the one reader --------------------------------------
# Every module that reads a microversion (``SPEC@2.60``, a ``v2.60`` samples folder, an
# ``OpenStack-API-Version`` header, ``x-openstack`` ``min-ver``/``max-ver``) reads it here.
# ``parse(text, "microversion")`` gives the ordered ``Version`` the policy compares; the
# functions below give the ``(major, minor)`` integer pair that projections and changelogs
# step through (the version after 2.35 is 2.36).
MicroKey = tuple[int, int]
# More significant digits in one part is no microversion: it could not be stepped through,
# and int() of 5,000 digits fails (Python's int-conversion limit).
_MICRO_DIGITS = 9
MICRO_DIR = re.compile(r"^v(\d+)\.(\d+)$")  # a samples tree's version folder: v2.60
_MICRO_ANYWHERE = re.compile(r"(\d+)\.(\d+)")


def microversion(text: Any, *, anywhere: bool = False) -> MicroKey | None:
    """``"2.10"`` → (2, 10): ``X.Y``, an optional ``v``, surrounding blanks ignored; None when
    it is not one (nor is a bool; a YAML float is read as its text: 2.10 unquoted is (2, 1)).

    ``anywhere``: the first ``X.Y`` anywhere in the text (a header value such as ``compute
    2.96``, a sample's recorded version)."""
    if text is None or isinstance(text, bool):
        return None
    m = (_MICRO_ANYWHERE.search(str(text)) if anywhere else _MICRO.match(str(text).strip()))
    if m is None or any(len(g.lstrip("0")) > _MICRO_DIGITS for g in m.groups()):
        return None
    return int(m.group(1)), int(m.group(2))


def folder_microversion(name: str, where: str) -> MicroKey | None:
    """The version of a samples folder named ``v2.60`` (under ``where``); None for any other
    name. A version folder whose number is too long to be one is bad input, not skipped."""
    if MICRO_DIR.match(name) is None:
        return None
    key = microversion(name[1:])
    if key is None:
        from .errors import InputError

        raise InputError(f"version folder {name[:40]}… is not a microversion (X.Y)", where)
    return key


def show_microversion(key: MicroKey) -> str:
    return f"{key[0]}.{key[1]}"


# The keys of a range in an ``x-openstack`` value, both spellings.
RANGE_KEYS = frozenset({"min-ver", "min_ver", "max-ver", "max_ver"})


def openstack_range(ext: Any) -> tuple[Any, Any]:
    """(min, max) microversion of an ``x-openstack`` value as written, None where absent.

    Generated OpenStack specs write ``min-ver``/``max-ver``; older ones ``min_ver``/``max_ver``.
    """
    if not isinstance(ext, dict):
        return None, None
    return ext.get("min-ver", ext.get("min_ver")), ext.get("max-ver", ext.get("max_ver"))


def node_range(node: Any) -> tuple[Any, Any]:
    """``openstack_range`` of the ``x-openstack`` value of ``node`` (any value)."""
    return openstack_range(node.get("x-openstack") if isinstance(node, dict) else None)


def openstack_range_text(ext: Any) -> tuple[str | None, str | None]:
    """``openstack_range`` with the values as text (``min_ver`` and ``min-ver`` are one key)."""
    lo, hi = openstack_range(ext)
    return (None if lo is None else str(lo), None if hi is None else str(hi))


def openstack_range_keys(ext: Any, *, anywhere: bool = False
                         ) -> tuple[MicroKey | None, MicroKey | None]:
    """``openstack_range`` read as microversions (see ``microversion``); None where absent or
    not a microversion."""
    lo, hi = openstack_range(ext)
    return microversion(lo, anywhere=anywhere), microversion(hi, anywhere=anywhere)
