"""A short, bounded run of the loader fuzz harness (tests/fuzz/fuzz_loader.py) in the suite.

The long, coverage-guided run is done by hand with atheris (see the harness docstring); this
keeps the same property — any bytes either load or raise ``ApilintError`` with a one-line
message — checked on every test run, with a fixed seed so a failure reproduces.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest
from conftest import TESTS
from hypothesis import HealthCheck, given, settings

HARNESS = TESTS / "fuzz" / "fuzz_loader.py"


def _harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_loader", HARNESS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_loader"] = module
    spec.loader.exec_module(module)
    return module


FUZZ = _harness()


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(FUZZ.hypothesis_inputs())
def test_any_bytes_load_or_fail_cleanly(data: bytes) -> None:
    FUZZ.check_bytes(data)


@pytest.mark.parametrize("kind", sorted(FUZZ.SIDE_SEEDS))
def test_other_inputs_load_or_fail_cleanly(kind: str) -> None:
    @settings(max_examples=150, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(FUZZ.side_inputs(kind))
    def run(data: bytes) -> None:
        FUZZ.check_side_bytes(kind, data)

    run()


@pytest.mark.parametrize(("kind", "data"), [
    # Found by the long run: tomllib's own int() on a 5,000-digit number.
    ("config", b"[tool.apilint]\nx = 1" + b"0" * 5000 + b"\n"),

    ("waivers", b"waivers:\n  - {rule: r, reason: x, version: 1" + b"0" * 5000 + b"}\n"),
    ("har", b'{"log": {"version": "1.2", "entries": [{"response": {"content": {"mimeType": '
            b'"application/json", "text": "' + b"[" * 3000 + b'"}}}]}}'),
])
def test_known_hard_side_inputs(kind: str, data: bytes) -> None:
    assert FUZZ.check_side_bytes(kind, data) is not None  # refused, with one line


def test_a_five_thousand_digit_key_in_a_recorded_body_is_compared() -> None:
    """Found by the long run: the key sorted by natural_key once overflowed int()."""
    assert FUZZ.check_side_bytes("capture", b'{"' + b"7" * 5000 + b'": 1}') is None
    # The falsifying HAR itself: loads, or is refused with one line; never an exception.
    found = FUZZ.check_side_bytes("har", FUZZ.mutate(FUZZ.SIDE_SEEDS["har"], [(1, 957, 108)]))
    assert found is None or "\n" not in found


def test_side_seeds_are_valid() -> None:
    """Each seed loads as it is, so mutations start from a real input of its kind."""
    for kind, data in FUZZ.SIDE_SEEDS.items():
        assert FUZZ.check_side_bytes(kind, data) is None, kind


@pytest.mark.parametrize("data", [
    b"", b"\x00", b"\xff\xfe", b"{", b"[" * 5000, b"- " * 5000 + b"x", b"a: &a [*a]",
    b"openapi: 3.0.0\npaths: {/a: {get: {responses: {'200': {$ref: '#/x'}}}}}\n",
    b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\nx: " + b"9" * 5000,
])
def test_known_hard_inputs(data: bytes) -> None:
    FUZZ.check_bytes(data)


def test_harness_reports_a_crash() -> None:
    """The harness itself must not swallow errors: a crash in apilint reaches the caller."""
    import apilint.api

    original = apilint.api.compare

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("simulated bug")

    apilint.api.compare = broken  # type: ignore[assignment]
    try:
        with pytest.raises(KeyError):
            FUZZ.check_bytes(b"openapi: 3.0.0\n")
    finally:
        apilint.api.compare = original


def test_mutations_touch_the_seed() -> None:
    seed = b"openapi: 3.0.0\n"
    assert FUZZ.mutate(seed, [(0, 0, 0)]) == seed[1:]
    assert FUZZ.mutate(seed, [(1, 0, 0)]).startswith(FUZZ.TOKENS[0])
    assert FUZZ.mutate(seed, [(2, 0, ord("O"))]) == b"O" + seed[1:]
