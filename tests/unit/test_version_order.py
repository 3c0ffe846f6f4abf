"""Version ordering (apilint.versions): every scheme real APIs write, semver precedence per
semver.org section 11 checked against an independent reference, huge numbers, and the scheme
the report names.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from property_settings import property_settings

from apilint import versions as V
from apilint.cli import main


def _v(text: str, scheme: str | None = None) -> V.Version:
    scheme = scheme or V.detect_one(text)
    assert scheme is not None, text
    got = V.parse(text, scheme)
    assert got is not None, (text, scheme)
    return got


@pytest.mark.parametrize(("text", "scheme"), [
    ("2020-09-14_1.652.0", "date-release"),  # Plaid
    ("2018-08-01.7.0", "date-release"),  # Azure Batch
    ("v1.2.3", "semver"),
    ("1.2.3+build.5", "semver"),
    ("2.0.0-beta.1", "semver"),
    ("2.96", "microversion"),
    ("71", "integer"),
    ("2024-01-01", "date"),
    ("2024-01-01-preview", "date"),
    ("6.4.0.36", "dotted"),
    ("unversioned", None),
    ("2020-13-01_1.0.0", None),  # no month 13
    ("１.２.３", None),  # non-ASCII digits are not version numbers
])
def test_detected_scheme(text: str, scheme: str | None) -> None:
    assert V.detect_one(text) == scheme


@pytest.mark.parametrize("chain", [
    # semver.org 11.4's example, in order.
    ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
     "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"],
    ["2020-09-14_1.9.0", "2020-09-14_1.10.0", "2020-09-14_1.652.0", "2020-09-14_2.0.0",
     "2021-01-01_1.0.0"],
    ["2018-08-01.7.0", "2018-08-01.7.1", "2018-12-01.8.0"],
    ["2.1", "2.9", "2.10", "2.96", "3.0"],
    ["9", "10", "71", "100"],
    ["2024-01-01-preview", "2024-01-01", "2024-02-01"],
])
def test_chains_are_strictly_increasing(chain: list[str]) -> None:
    scheme = V.detect_one(chain[0])
    assert scheme is not None
    parsed = [_v(t, scheme) for t in chain]
    for a, b in zip(parsed, parsed[1:], strict=False):
        assert V.compare(a, b) == -1 and V.compare(b, a) == 1, (a.raw, b.raw)


def test_equal_versions() -> None:
    assert V.compare(_v("1.2.3+build.5"), _v("1.2.3")) == 0  # build metadata is ignored
    assert V.compare(_v("1.2.3+build.5"), _v("1.2.3+other")) == 0
    assert V.compare(_v("v1.2.3"), _v("1.2.3")) == 0
    assert V.compare(_v("2020-09-14_1.652", "date-release"), _v("2020-09-14_1.652.0")) == 0


def test_mixed_pairs_pick_a_scheme_that_reads_both() -> None:
    assert V.detect("2018-08-01", "2018-08-01.1") == "date-release"
    assert V.detect("1.2", "1.2.1") == "semver"
    assert V.detect("6.3", "6.4.0.36") == "dotted"


def test_five_thousand_digit_numbers_order_without_int_conversion() -> None:
    big = "9" * 5000
    bigger = "1" + "0" * 5000
    for scheme, fmt in (("integer", "{}"), ("semver", "1.{}.0"), ("microversion", "2.{}"),
                        ("date-release", "2020-09-14_1.{}.0"), ("semver", "1.0.0-rc.{}"),
                        ("dotted", "6.4.0.{}")):
        a, b = _v(fmt.format(big), scheme), _v(fmt.format(bigger), scheme)
        assert V.compare(a, b) == -1 and V.compare(b, a) == 1, scheme
        assert V.compare(_v(fmt.format("0" + big), scheme), a) == 0  # leading zeros


def test_semver_increase_sizes() -> None:
    inc = V.semver_increase
    assert inc(_v("1.4.2"), _v("2.0.0")) == "major"
    assert inc(_v("1.4.2"), _v("1.5.0")) == "minor"
    assert inc(_v("1.4.2"), _v("1.4.3")) == "patch"
    assert inc(_v("2.0.0-beta.1"), _v("2.0.0")) == "prerelease"
    assert inc(_v("1.4.2"), _v("1.4.2+b2")) is None
    assert inc(_v("1.4.2"), _v("1.4.1")) is None


# --- property tests: semver precedence against an independent reference --------------------

def _reference_cmp(a: str, b: str) -> int:
    """semver.org section 11, written out step by step on the strings."""
    def split(v: str) -> tuple[list[int], list[str] | None]:
        v = v.lstrip("v").split("+", 1)[0]
        core, _, pre = v.partition("-")
        return [int(x) for x in core.split(".")], (pre.split(".") if pre else None)

    (ca, pa), (cb, pb) = split(a), split(b)
    if ca != cb:
        return -1 if ca < cb else 1
    if pa is None or pb is None:
        return 0 if pa is pb else (1 if pa is None else -1)
    for x, y in zip(pa, pb, strict=False):
        if x == y:
            continue
        xn, yn = x.isdigit(), y.isdigit()
        if xn and yn:
            return -1 if int(x) < int(y) else 1
        if xn != yn:
            return -1 if xn else 1
        return -1 if x < y else 1
    return (len(pa) > len(pb)) - (len(pa) < len(pb))


_NUM = st.integers(min_value=0, max_value=10**30).map(str)
_ALNUM = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789",
                 min_size=1, max_size=6).filter(lambda s: not s.isdigit())
_IDENT = st.one_of(_NUM, _ALNUM, st.sampled_from(["alpha", "beta", "rc", "1", "2", "11"]))
_SEMVER = st.builds(
    lambda core, pre, build, v: (v + ".".join(core) + ("-" + ".".join(pre) if pre else "")
                                 + ("+" + build if build else "")),
    st.lists(st.one_of(_NUM, st.sampled_from(["0", "1", "2"])), min_size=3, max_size=3),
    st.one_of(st.none(), st.lists(_IDENT, min_size=1, max_size=4)),
    st.one_of(st.none(), st.sampled_from(["build.5", "sha.abc", "001"])),
    st.sampled_from(["", "v"]),
)


@property_settings(300)
@given(_SEMVER, _SEMVER)
def test_semver_order_matches_semver_precedence(a: str, b: str) -> None:
    va, vb = V.parse(a, "semver"), V.parse(b, "semver")
    assert va is not None and vb is not None
    assert V.compare(va, vb) == _reference_cmp(a, b)
    assert V.compare(vb, va) == -V.compare(va, vb)


@property_settings(100)
@given(st.lists(_SEMVER, min_size=3, max_size=8))
def test_semver_order_is_total_and_transitive(items: list[str]) -> None:
    parsed = [V.parse(t, "semver") for t in items]
    assert all(p is not None for p in parsed)
    ordered = sorted(parsed, key=functools.cmp_to_key(V.compare))  # type: ignore[arg-type]
    # Sorted by apilint's order, every pair is in order by the reference too.
    for i, x in enumerate(ordered):
        for y in ordered[i + 1:]:
            assert V.compare(x, y) <= 0  # type: ignore[arg-type]
            assert _reference_cmp(x.raw, y.raw) <= 0  # type: ignore[union-attr]


@property_settings(200)
@given(st.dates(), st.lists(st.integers(0, 10**12), min_size=1, max_size=4),
       st.dates(), st.lists(st.integers(0, 10**12), min_size=1, max_size=4),
       st.sampled_from(["_", "."]))
def test_date_release_orders_date_first_then_release(d1, r1, d2, r2, sep) -> None:  # type: ignore[no-untyped-def]
    if d1.year < 1000 or d2.year < 1000:
        return
    a = V.parse(f"{d1.isoformat()}{sep}{'.'.join(map(str, r1))}", "date-release")
    b = V.parse(f"{d2.isoformat()}{sep}{'.'.join(map(str, r2))}", "date-release")
    assert a is not None and b is not None

    def trim(r: list[int]) -> list[int]:
        r = list(r)
        while r and r[-1] == 0:
            r.pop()
        return r

    ka, kb = (d1, trim(r1)), (d2, trim(r2))
    assert V.compare(a, b) == (ka > kb) - (ka < kb)


# --- through the CLI --------------------------------------------------------------------------

SPEC = """openapi: 3.0.3
info: {{title: t, version: "{v}"}}
paths:
  /pets:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{type: object, properties: {{id: {{type: string}}{extra}}}}}
"""


def _pair(tmp_path: Path, base: str, revision: str) -> tuple[str, str]:
    b, r = tmp_path / "base.yaml", tmp_path / "revision.yaml"
    b.write_text(SPEC.format(v=base, extra=""))
    r.write_text(SPEC.format(v=revision, extra=", name: {type: string}"))
    return b.name, r.name  # the tests run in tmp_path: short names, as a user types them


def _check(*args: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    out = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, out, result.stderr


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(("base", "revision", "scheme", "code"), [
    ("2020-09-14_1.652.0", "2020-09-14_1.653.0", "date-release", 0),
    ("2020-09-14_1.652.0", "2020-09-14_1.652.0", "date-release", 1),
    ("2018-08-01.7.0", "2018-12-01.8.0", "date-release", 0),
    ("1.2.3+build.5", "1.2.3+build.6", "semver", 1),  # build metadata is no increase
    ("2.0.0-beta.1", "2.0.0-beta.2", "semver", 0),
    ("2.96", "2.97", "microversion", 0),
    ("71", "72", "integer", 0),
    ("9" * 5000, "1" + "0" * 5000, "integer", 0),
    ("1" + "0" * 5000, "9" * 5000, "integer", 1),
])
def test_check_orders_real_version_forms(tmp_path: Path, base: str, revision: str, scheme: str,
                                         code: int) -> None:
    got, report, err = _check(*_pair(tmp_path, base, revision))
    assert (got, report.get("scheme")) == (code, scheme), err


def test_header_names_the_scheme_and_its_arithmetic(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--no-color", *_pair(tmp_path, "1.4.2",
                                                                      "1.5.0")])
    assert result.exit_code == 0  # a compatible addition: any increase will do
    assert ("policy openstack, scheme semver (breaking changes need a new major), "
            "versions 1.4.2 -> 1.5.0") in result.stdout
    result = CliRunner().invoke(main, ["check", "--no-color", *_pair(
        tmp_path, "2020-09-14_1.652.0", "2020-09-14_1.653.0")])
    assert ("scheme date-release (any increase; date first, then release)"
            in result.stdout)


@pytest.mark.parametrize(("config", "message"), [
    ('[tool.apilint.version]\npointer = "/info/x-api-version"\n',
     "[tool.apilint] version.pointer '/info/x-api-version' not found in base.yaml"),
    ('[tool.apilint.version]\nfile = "VERSION"\nregex = "v(.*)"\n',
     "[tool.apilint] version.file 'VERSION' not found"),
    ('[tool.apilint.version]\ndiscovery = "versions.json"\n',
     "[tool.apilint] version.discovery 'versions.json' not found"),
])
def test_configured_version_that_is_missing_is_a_config_error(
        tmp_path: Path, config: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(config)
    code, report, err = _check(*_pair(tmp_path, "1.0.0", "1.0.0"))
    assert code == 2 and report == {}
    assert message in err and "None" not in err and len(err.strip().splitlines()) == 1


def test_configured_pointer_to_a_mapping_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.apilint.version]\npointer = "/info"\n')
    code, _, err = _check(*_pair(tmp_path, "1.0.0", "1.0.0"))
    assert code == 2 and "'/info' in base.yaml is a mapping, not a version" in err


def test_configured_regex_that_does_not_match_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "VERSION").write_text("release 3\n")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.apilint.version]\nfile = "VERSION"\nregex = "version = (.*)"\n')
    code, _, err = _check(*_pair(tmp_path, "1.0.0", "1.0.0"))
    assert code == 2 and "does not match" in err
    (tmp_path / "VERSION").write_text("version = 3\n")
    code, report, _ = _check("--revision-version", "4", *_pair(tmp_path, "1.0.0", "1.0.0"))
    assert code == 0 and report["versions"] == {"base": "3", "revision": "4"}


def test_no_int_conversion_limit_is_touched() -> None:
    """The digit-string order never calls int() on version numbers: it works with the
    interpreter's limit at its smallest."""
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)
    try:
        assert V.compare(_v("1." + "7" * 3000 + ".0"), _v("1." + "8" * 3000 + ".0")) == -1
    finally:
        sys.set_int_max_str_digits(old)


def test_huge_microversion_in_captures_is_no_crash(tmp_path: Path) -> None:
    """A 5,000-digit OpenStack-API-Version header: conform, diff and check finish cleanly."""
    import importlib.util
    import subprocess

    from conftest import ROOT as root

    spec = importlib.util.spec_from_file_location("make_har", root / "fixtures" / "conform" /
                                                  "make_har.py")
    assert spec is not None and spec.loader is not None
    make_har = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_har)
    entry = make_har.entry("GET", make_har.SRV, "2." + "9" * 5000, 200, make_har.server())
    har = tmp_path / "big.har"
    har.write_text(json.dumps({"log": {"version": "1.2", "creator": {"name": "t", "version": "1"},
                                       "entries": [entry]}}))
    spec_file = root / "fixtures" / "conform" / "conform-nothing-checked" / "near-miss" / \
        "spec.yaml"
    for args in (["conform", str(spec_file), str(har)], ["diff", str(har), str(har)],
                 ["check", str(har), str(har)]):
        out = subprocess.run([sys.executable, "-m", "apilint", *args], capture_output=True,
                             text=True, timeout=120)
        assert out.returncode == 0, (args[0], out.stderr)
        assert "Traceback" not in out.stderr and "internal error" not in out.stderr
