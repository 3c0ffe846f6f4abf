"""``apilint conform SPEC DIR --all-versions``: SPEC@V against DIR@V for every version the
samples record, each disagreement once, from the first version it appears at."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, ROOT

from apilint.conform_versions import conform_all_versions
from apilint.errors import UsageError

SERVERS = ROOT / "fixtures" / "microversions" / "servers" / "spec.yaml"


def _write(path: Path, body: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(body, indent=2), encoding="utf-8")


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    tree = tmp_path / "samples" / "servers"
    server = {"id": "a", "name": "n", "flavor": {"id": "1"}}
    _write(tree / "server-get-resp.json", {"server": server})
    # Recorded at 2.3 with locked, which the spec gates at 2.9: a finding from 2.3 on.
    _write(tree / "v2.3" / "server-get-resp.json",
           {"server": {**server, "OS-EXT-SRV-ATTR:hostname": "h", "locked": False}})
    # Not recorded again at 2.47, where the spec embeds the flavor: flavor/id from 2.47.
    # (The tree reaches 2.50 with another call, which conforms.)
    _write(tree / "v2.50" / "servers-list-resp.json", {"servers": [{"id": "a", "name": "n"}]})
    call_map = tmp_path / "map.yaml"
    call_map.write_text("server-get: GET /servers/{server_id}\nservers-list: GET /servers\n",
                        encoding="utf-8")
    return tree.parent, call_map


def test_first_version_of_each_disagreement(tmp_path: Path) -> None:
    tree, call_map = _tree(tmp_path)
    report = conform_all_versions(str(SERVERS), str(tree), map_path=str(call_map))
    got = sorted((f.id, f.message.split(" of ")[0]) for f in report.findings)
    assert got == sorted([
        # the spec says 2.9
        ("conform-undeclared-field", "from 2.3: response field /server/locked"),
        # the sample still shows 2.1's flavor where the spec embeds it
        ("conform-missing-required-field",
         "from 2.47: required response field /server/flavor/original_name"),
        ("conform-missing-required-field",
         "from 2.47: required response field /server/flavor/vcpus"),
        ("conform-undeclared-field", "from 2.47: response field /server/flavor/id"),
    ])
    assert report.exit_code == 1
    # Checked at the versions the tree records (2.1, 2.3, 2.50) and where the spec changes
    # in that span (2.4, 2.7, 2.9, 2.19, 2.26, 2.28, 2.36, 2.47): server-get at each of the
    # 11, servers-list at 2.50.
    assert report.captures == report.matched == 12


def test_cli_and_usage(tmp_path: Path) -> None:
    tree, call_map = _tree(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-m", "apilint", "conform", str(SERVERS), str(tree),
                          "--all-versions", "--map", str(call_map), "--format", "json"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 1, out.stderr
    data = json.loads(out.stdout)
    assert data["versions"] == {"spec": "2.1..2.50", "captures": "2.1..2.50"}
    assert len(data["findings"]) == 4
    with pytest.raises(UsageError, match="drop @2.5"):
        conform_all_versions(f"{SERVERS}@2.5", str(tree), map_path=str(call_map))


@pytest.mark.corpus
def test_real_compute_spec_against_nova_servers_samples() -> None:
    spec = CORPUS / "openstack-openapi" / "compute" / "compute-c417006.yaml"
    report = conform_all_versions(str(spec), str(CORPUS / "nova-api-samples" / "servers"),
                                  map_path=str(ROOT / "fixtures" / "captures" /
                                               "nova-servers.map.yaml"))
    first = {f.message.split(":")[0] for f in report.findings
             if "pinned_availability_zone" in f.message or "locked_reason" in f.message}
    # The spec lacks both gates: the samples show them from the version that added them.
    assert first == {"from 2.73", "from 2.96"}


def test_nothing_matched_is_not_conforming(tmp_path: Path) -> None:
    tree, _ = _tree(tmp_path)
    empty_map = tmp_path / "none.yaml"
    empty_map.write_text("other: GET /nowhere\n", encoding="utf-8")
    report = conform_all_versions(str(SERVERS), str(tree), map_path=str(empty_map))
    assert report.matched == 0 and report.exit_code == 1
    assert "conform-nothing-checked" in {f.id for f in report.findings}
