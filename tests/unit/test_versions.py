"""Version parsing, ordering and scheme detection on the strings real specs use."""

from __future__ import annotations

import pytest

from apilint.versions import compare, detect, detect_one, parse


def _cmp(a: str, b: str, scheme: str) -> int:
    va, vb = parse(a, scheme), parse(b, scheme)
    assert va is not None and vb is not None, (a, b, scheme)
    return compare(va, vb)


@pytest.mark.parametrize("a, b, scheme, want", [
    ("2.9", "2.10", "microversion", -1),      # integer pairs, not floats
    ("2.10", "2.96", "microversion", -1),
    ("2.99", "2.100", "microversion", -1),
    ("3.70", "3.70", "microversion", 0),
    ("1.9.0", "1.10.0", "semver", -1),
    ("v1.10.0", "v1.11.1", "semver", -1),
    ("2.0.0-rc.1", "2.0.0", "semver", -1),    # a release follows its pre-releases
    ("2.0.0-alpha.2", "2.0.0-alpha.10", "semver", -1),
    ("1.0.0+build.1", "1.0.0+build.2", "semver", 0),  # build metadata does not order
    ("1.56.1", "1.0.0", "semver", 1),
    ("2015-06-15", "2016-01-01", "date", -1),
    ("2023-05-01-preview", "2023-05-01", "date", -1),
    ("2018-08-01.7.0", "2018-12-01.8.0", "date", -1),
    ("2018-12-01.7.0", "2018-12-01.10.0", "date", -1),
    ("71", "72", "integer", -1),
    ("9", "10", "integer", -1),
    ("6.3.0.9", "6.4.0.36", "dotted", -1),
    ("6.3", "6.3.0", "dotted", 0),
])
def test_ordering(a: str, b: str, scheme: str, want: int) -> None:
    assert _cmp(a, b, scheme) == want
    assert _cmp(b, a, scheme) == -want


@pytest.mark.parametrize("raw, scheme", [
    ("unversioned", "microversion"), ("unversioned", "semver"), ("", "date"),
    (None, "integer"), ("2.96", "date"), ("2023-13-01", "date"), ("1.2.3", "microversion"),
    ("v1", "dotted"), ("1.x", "semver"),
])
def test_unparseable(raw: str | None, scheme: str) -> None:
    assert parse(raw, scheme) is None


@pytest.mark.parametrize("raw, want", [
    ("2.96", "microversion"), ("3.0", "microversion"), ("1.0.0", "semver"),
    ("v1.11.1", "semver"), ("2.0.0-beta.1", "semver"), ("2020-08-27", "date"),
    ("2018-08-01.7.0", "date-release"), ("2023-05-01-preview", "date"), ("71", "integer"),
    ("6.4.0.36", "dotted"), ("unversioned", None), (None, None), ("", None),
])
def test_detect_one(raw: str | None, want: str | None) -> None:
    assert detect_one(raw) == want


def test_detect_pair_prefers_a_scheme_both_sides_fit() -> None:
    assert detect("2.95", "2.96") == "microversion"
    assert detect("1.2", "1.2.1") == "semver"
    assert detect("6.3", "6.4.0.36") == "dotted"
    assert detect("unversioned", "unversioned") is None
    assert detect(None, "2.96") == "microversion"
    assert detect("1.0.0", "2023-01-01") == "date"  # the base then fails to parse


def test_semver_reads_two_part_versions_as_x_y_0() -> None:
    v = parse("1.2", "semver")
    assert v is not None and (v.major, v.minor) == (1, 2)
    assert _cmp("1.2", "1.2.0", "semver") == 0
