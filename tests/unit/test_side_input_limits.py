"""The loader's limits hold for every file apilint reads, not only specs: waivers, captures."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, run_apilint

PET = ROOT / "fixtures" / "examples" / "petstore"

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
    for i in range(8)
)


def test_waiver_file_alias_bomb_is_refused(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(BOMB)
    r = run_apilint("check", str(PET / "base.yaml"), str(PET / "revision.yaml"), "--waivers",
            str(waivers), cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert r.stderr.count("\n") == 1 and "waivers.yaml" in r.stderr
    assert "MAX_YAML_NODES" in r.stderr and "Traceback" not in r.stderr


def test_deep_capture_is_refused_with_the_limit(tmp_path: Path) -> None:
    for side in ("a", "b"):
        (tmp_path / side).mkdir()
    (tmp_path / "a" / "x-resp.json").write_text('{"k": 1}')
    (tmp_path / "b" / "x-resp.json").write_text('{"k": ' + "[" * 5000 + "]" * 5000 + "}")
    r = run_apilint("diff", "a", "b", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "x-resp.json" in r.stderr
    assert "MAX_DEPTH" in r.stderr


def test_capture_that_is_not_json_names_the_file_and_line(tmp_path: Path) -> None:
    for side in ("a", "b"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "x-resp.json").write_text('{"k": 1}')
    (tmp_path / "b" / "x-resp.json").write_text('{"k": 1,\n "j": }')
    r = run_apilint("diff", "a", "b", cwd=tmp_path)
    assert r.returncode == 2
    assert "x-resp.json:2:" in r.stderr and r.stderr.count("\n") == 1
