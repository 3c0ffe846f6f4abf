"""The one microversion reader (``apilint.versions``: ``microversion``, ``openstack_range*``,
``folder_microversion``) and the bounds it puts on what it reads.

Projections, the changelog, ``conform`` and ``conform --all-versions`` read microversions and
``x-openstack`` ranges through it. A number too long to be a microversion is bad input (exit
2, one short line), never an internal error; a changelog that would list millions of empty
versions stops at ``MAX_MICROVERSIONS``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_apilint

from apilint import limits
from apilint.conform import in_range
from apilint.versions import (
    folder_microversion,
    microversion,
    openstack_range_keys,
    openstack_range_text,
    show_microversion,
)


@pytest.mark.parametrize(("text", "key"), [
    ("2.10", (2, 10)), ("v2.9", (2, 9)), (" 2.1 ", (2, 1)), ("2.096", (2, 96)),
    (2.10, (2, 1)),  # an unquoted YAML float is its text: 2.1, not 2.10
    ("2.x", None), ("2", None), ("2.1.0", None), ("compute 2.96", None), (True, None),
    (None, None), ("", None), ("2." + "9" * 10, None), ("2." + "9" * 5000, None),
])
def test_microversion(text: object, key: tuple[int, int] | None) -> None:
    assert microversion(text) == key


def test_microversion_anywhere_reads_the_first_x_y() -> None:
    assert microversion("compute 2.96", anywhere=True) == (2, 96)
    assert microversion("OpenStack-API-Version: compute 2.1, x 3.4", anywhere=True) == (2, 1)
    assert microversion("none here", anywhere=True) is None
    assert show_microversion((2, 9)) == "2.9"
    assert microversion("2.9") < microversion("2.10")  # integer pairs, not floats


def test_range_readers_take_both_spellings() -> None:
    assert openstack_range_keys({"min_ver": "2.10", "max-ver": "2.35"}) == ((2, 10), (2, 35))
    assert openstack_range_keys({"min-ver": "2.1"}) == ((2, 1), None)
    assert openstack_range_keys("not a mapping") == (None, None)
    assert openstack_range_text({"min-ver": 2.5, "max_ver": "2.7"}) == ("2.5", "2.7")
    assert openstack_range_text(None) == (None, None)
    # conform reads ranges as written anywhere in the text, as it did before.
    assert in_range({"x-openstack": {"min-ver": "v2.10"}}, (2, 10))
    assert not in_range({"x-openstack": {"max-ver": "2.100"}}, (2, 101))


def test_folder_microversion(tmp_path: Path) -> None:
    assert folder_microversion("v2.60", "x") == (2, 60)
    assert folder_microversion("servers", "x") is None
    assert folder_microversion("2.60", "x") is None
    from apilint.errors import InputError

    with pytest.raises(InputError, match="not a microversion"):
        folder_microversion("v2." + "1" * 12, str(tmp_path))


SPEC = """openapi: 3.0.3
info: {{title: t, version: '2.5'}}
paths:
  /a:
    get:
      x-openstack: {{min-ver: '{high}'}}
      responses: {{'200': {{description: ok}}}}
  /b:
    get:
      x-openstack: {{min-ver: '2.1'}}
      responses: {{'200': {{description: ok}}}}
"""


@pytest.mark.parametrize("args", [("changelog", "{spec}"), ("diff", "{spec}@2.1", "{spec}@2.5"),
                                  ("check", "{spec}@2.1", "{spec}@2.5")])
def test_a_huge_min_ver_is_bad_input_not_an_internal_error(tmp_path: Path,
                                                          args: tuple[str, ...]) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.format(high="2." + "9" * 5000), encoding="utf-8")
    run = run_apilint(*(a.format(spec=spec) for a in args))
    assert run.returncode == 2, run.stdout + run.stderr
    (line,) = run.stderr.strip().splitlines()
    assert "is not a microversion" in line and "internal error" not in line
    assert len(line) < 300 + len(str(spec))  # the number is cut short, not echoed whole


def test_a_changelog_of_millions_of_versions_stops_at_the_limit(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.format(high="2.9999999"), encoding="utf-8")
    run = run_apilint("changelog", spec, timeout=60)
    assert run.returncode == 2, run.stdout + run.stderr
    (line,) = run.stderr.strip().splitlines()
    assert "MAX_MICROVERSIONS" in line and "2.1 to 2.9999999" in line
    # Just under the limit still works: every version listed.
    spec.write_text(SPEC.format(high=f"2.{limits.MAX_MICROVERSIONS}"), encoding="utf-8")
    run = run_apilint("changelog", spec, "--format", "json", timeout=120)
    assert run.returncode == 0, run.stderr
    assert len(json.loads(run.stdout)["versions"]) == limits.MAX_MICROVERSIONS - 1


def test_a_samples_folder_with_a_huge_version_is_bad_input(tmp_path: Path) -> None:
    tree = tmp_path / "samples" / "servers"
    for folder in ("", "v2.3", "v2." + "1" * 12):
        (tree / folder).mkdir(parents=True, exist_ok=True)
        (tree / folder / "server-get-resp.json").write_text('{"server": {"id": "a"}}')
    run = run_apilint("changelog", tmp_path / "samples")
    assert run.returncode == 2, run.stdout + run.stderr
    (line,) = run.stderr.strip().splitlines()
    assert "version folder v2.111" in line and "not a microversion" in line


def test_reading_samples_at_a_huge_version_is_bad_input(tmp_path: Path) -> None:
    tree = tmp_path / "samples"
    (tree / "v2.3").mkdir(parents=True)
    (tree / "v2.3" / "server-get-resp.json").write_text('{"server": {"id": "a"}}')
    run = run_apilint("diff", f"{tree}@2.3", f"{tree}@2.{'9' * 5000}")
    assert run.returncode == 2, run.stdout + run.stderr
    (line,) = run.stderr.strip().splitlines()
    assert "not a microversion" in line and len(line) < 200 + len(str(tree))
    # A HAR header's version is read through the same reader: "compute 2.096" is 2.96.
    from apilint.captures import _microversion

    assert _microversion({"openstack-api-version": ("x", "compute 2.096")}) == "2.96"
    assert _microversion({"openstack-api-version": ("x", "compute 2." + "9" * 50)}) is None
