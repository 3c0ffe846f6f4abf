"""``apilint conform SPEC CAPTURES``: recorded responses validated against the spec."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, FIXTURES, run_apilint

from apilint.conform import conform, in_range
from apilint.errors import InputError

FIX = FIXTURES / "captures"
SPEC = FIX / "conform" / "spec.yaml"
COMPUTE = CORPUS / "openstack-openapi" / "compute" / "compute-c417006.yaml"
NOVA_SERVERS = CORPUS / "nova-api-samples" / "servers"
SERVER = "9d2e6f16-1a5b-4c55-b8c1-3c6b3c1c2e11"


def entry(method: str, path: str, mv: str | None, status: int, body: Any) -> dict[str, Any]:
    headers = [{"name": "OpenStack-API-Version", "value": f"compute {mv}"}] if mv else []
    content: dict[str, Any] = {"size": 0, "mimeType": "application/json"}
    if body is not None:
        content["text"] = json.dumps(body, indent=2)
    return {"request": {"method": method, "url": f"http://api.test{path}", "headers": headers},
            "response": {"status": status, "headers": headers, "content": content}}


def har(tmp_path: Path, *entries: dict[str, Any], name: str = "c.har") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps({"log": {"version": "1.2", "entries": list(entries)}}, indent=2),
                 encoding="utf-8")
    return p


def server(**extra: Any) -> dict[str, Any]:
    s = {"id": SERVER, "name": "vm", "status": "ACTIVE", "description": None}
    s.update(extra)
    return {"server": s}


def ids(report: Any) -> list[tuple[str, str]]:
    return sorted((f.id, f.message) for f in report.findings)


def test_clean_captures_conform(tmp_path: Path) -> None:
    p = har(tmp_path,
            entry("GET", f"/v2.1/servers/{SERVER}", "2.9", 200,
                  server(locked=False, flavor={"id": "1"})),
            entry("GET", f"/v2.1/servers/{SERVER}", "2.50", 200,
                  server(locked=True, flavor={"vcpus": 2})),
            entry("GET", "/v2.1/flavors/1", "2.54", 200, {"flavor": {"id": "1"}}),
            entry("GET", "/v2.1/flavors/1", "2.60", 200,
                  {"flavor": {"id": "1", "description": None}}),
            entry("GET", f"/v2.1/servers/{SERVER}", "2.60", 404, None))
    report = conform(str(SPEC), str(p))
    assert report.findings == []
    assert report.exit_code == 0 and report.captures == 5


def test_undeclared_missing_and_wrong_type(tmp_path: Path) -> None:
    body = server(locked="yes", pinned_availability_zone="az1")
    del body["server"]["name"]
    p = har(tmp_path, entry("GET", f"/v2.1/servers/{SERVER}", "2.96", 200, body))
    report = conform(str(SPEC), str(p))
    got = {(f.id, f.location.pointer if f.location else None) for f in report.findings}
    assert got == {("conform-undeclared-field", "/server/pinned_availability_zone"),
                   ("conform-missing-required-field", "/server"),
                   ("conform-wrong-type", "/server/locked")}
    assert report.exit_code == 1
    missing = next(f for f in report.findings if f.id == "conform-missing-required-field")
    assert "/server/name" in missing.message
    for f in report.findings:
        assert f.location is not None and f.location.file == str(p)
        line = p.read_text().splitlines()[f.location.line - 1]
        assert '"text"' in line  # the HAR line that holds the recorded body


def test_property_ranges_follow_the_microversion(tmp_path: Path) -> None:
    early = entry("GET", f"/v2.1/servers/{SERVER}", "2.8", 200, server(locked=True))
    late_flavor = entry("GET", f"/v2.1/servers/{SERVER}", "2.47", 200,
                        server(flavor={"id": "1"}))
    report = conform(str(SPEC), str(har(tmp_path, early, late_flavor)))
    got = sorted(f.location.pointer for f in report.findings if f.location)
    assert got == ["/server/flavor/id", "/server/locked"]
    assert {f.id for f in report.findings} == {"conform-undeclared-field"}


def test_oneof_microversion_discriminator(tmp_path: Path) -> None:
    p = har(tmp_path,
            entry("GET", "/v2.1/flavors/1", "2.50", 200,
                  {"flavor": {"id": "1", "description": "d"}}),
            entry("GET", "/v2.1/flavors/1", "2.55", 200, {"flavor": {"id": "1"}}))
    report = conform(str(SPEC), str(p))
    assert sorted((f.id, f.location.pointer) for f in report.findings if f.location) == [
        ("conform-missing-required-field", "/flavor"),
        ("conform-undeclared-field", "/flavor/description")]


def test_status_unmatched_call_and_version_range(tmp_path: Path) -> None:
    p = har(tmp_path,
            entry("GET", f"/v2.1/servers/{SERVER}", "2.60", 500, {"error": "x"}),
            entry("GET", "/v2.1/os-hosts", "2.60", 200, {"hosts": []}),
            entry("GET", "/v2.1/images", "2.90", 200, None))
    report = conform(str(SPEC), str(p))
    assert [f.id for f in sorted(report.findings, key=lambda f: f.location.line)] == [
        "conform-undeclared-status", "conform-unmatched-capture",
        "conform-call-outside-version"]
    levels = {f.id: f.level for f in report.findings}
    assert levels["conform-unmatched-capture"] == "warning"
    assert report.exit_code == 1


def test_in_range_reads_both_key_spellings() -> None:
    assert in_range({"x-openstack": {"min_ver": "2.10"}}, (2, 10))
    assert not in_range({"x-openstack": {"min-ver": "2.10"}}, (2, 9))
    assert not in_range({"x-openstack": {"max-ver": "2.100"}}, (2, 101))
    assert in_range({"x-openstack": {"max-ver": "2.100"}}, (2, 99))


@pytest.mark.corpus
def test_real_compute_spec_and_nova_captures(tmp_path: Path) -> None:
    """The compute spec lags the API: Nova's 2.96 body carries fields the spec never declares."""
    har_path = FIX / "compute-conform.har"
    report = conform(str(COMPUTE), str(har_path))
    assert report.captures == 8 and report.exit_code == 1
    text = har_path.read_text().splitlines()
    by_line: dict[int, set[tuple[str, str]]] = {}
    for f in report.findings:
        assert f.location is not None and f.location.line is not None
        by_line.setdefault(f.location.line, set()).add((f.id, f.location.pointer))
    lines = sorted(by_line)
    # entry 0 is the 2.96 server: pinned_availability_zone (2.96) and locked_reason (2.73)
    first = by_line[lines[0]]
    assert ("conform-undeclared-field", "/server/pinned_availability_zone") in first
    assert ("conform-undeclared-field", "/server/locked_reason") in first
    assert '"text"' in text[lines[0] - 1]
    # flavor ids (max-ver 2.46) and vcpus (min-ver 2.47) are honoured in both bodies
    for found in by_line.values():
        assert not any(p.startswith("/server/flavor") for _, p in found)
    # Nova 2.1 reports hypervisor cpu_info as a string; the spec only knows the object
    assert any(("conform-wrong-type", "/hypervisor/cpu_info") in v for v in by_line.values())
    # the same 2.9 body claimed as 2.96 carries the flavor shape the spec ends at 2.46
    data = json.loads(har_path.read_text())
    e = data["log"]["entries"][1]
    for part in ("request", "response"):
        for h in e[part]["headers"]:
            if h["name"].lower() in ("openstack-api-version", "x-openstack-nova-api-version"):
                h["value"] = "compute 2.96"
    data["log"]["entries"] = [e]
    moved = tmp_path / "moved.har"
    moved.write_text(json.dumps(data), encoding="utf-8")
    again = conform(str(COMPUTE), str(moved))
    undeclared = {f.location.pointer for f in again.findings
                  if f.id == "conform-undeclared-field" and f.location}
    assert {"/server/flavor/id", "/server/flavor/links"} <= undeclared


def test_cli_formats_and_exit_codes(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_apilint("conform", *args)

    clean = har(tmp_path, entry("GET", "/v2.1/flavors/1", "2.54", 200, {"flavor": {"id": "1"}}))
    out = run(str(SPEC), str(clean))
    assert out.returncode == 0, out.stderr
    assert "1 recorded response checked: 0 error findings" in out.stdout
    dirty = har(tmp_path, entry("GET", "/v2.1/flavors/1", "2.54", 200,
                                {"flavor": {"id": 1}}), name="d.har")
    out = run(str(SPEC), str(dirty), "--format", "json")
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert data["command"] == "conform" and data["exit_code"] == 1
    assert [f["id"] for f in data["findings"]] == ["conform-wrong-type"]
    assert data["findings"][0]["location"]["pointer"] == "/flavor/id"
    out = run(str(clean), str(clean))
    assert out.returncode == 2 and out.stderr.count("\n") == 1
    assert "Traceback" not in out.stderr
    out = run(str(SPEC), str(tmp_path / "nope.har"))
    assert out.returncode == 2 and "nope.har" in out.stderr


@pytest.mark.corpus
def test_nova_bare_samples_through_the_call_map() -> None:
    """Nova's sample tree read at 2.96, checked against the compute spec via the shipped map."""
    call_map = FIX / "nova-servers.map.yaml"
    report = conform(str(COMPUTE), f"{NOVA_SERVERS}@2.96", map_path=str(call_map))
    assert report.exit_code == 1 and report.captures == 13
    unmatched = [f for f in report.findings if f.id == "conform-unmatched-capture"]
    # Only the server-groups sample that sits in servers/v2.71 is outside the map.
    assert [Path(f.location.file).name for f in unmatched if f.location] == \
        ["server-groups-post-resp.json"]
    got = {(Path(f.location.file).relative_to(NOVA_SERVERS).as_posix(), f.id, f.location.pointer)
           for f in report.findings if f.location}
    for name in ("server-get-resp.json", "server-update-resp.json"):
        # 2.96 and 2.73 fields the spec never declared, in the 2.96 samples of show and update
        for field in ("/server/pinned_availability_zone", "/server/locked_reason"):
            assert (f"v2.96/{name}", "conform-undeclared-field", field) in got
    assert ("v2.96/servers-details-resp.json", "conform-undeclared-field",
            "/servers/0/pinned_availability_zone") in got
    # Each finding points at its line in Nova's file.
    for f in report.findings:
        assert f.location is not None and f.location.line is not None
        text = Path(f.location.file).read_text(encoding="utf-8").splitlines()
        leaf = f.location.pointer.rsplit("/", 1)[-1]
        if leaf and not leaf.isdigit():
            assert f'"{leaf}"' in text[f.location.line - 1], f

    # At 2.1 the same map picks the top-level samples: none of the later fields appear.
    early = conform(str(COMPUTE), f"{NOVA_SERVERS}@2.1", map_path=str(call_map))
    assert early.captures == 7
    assert not [f for f in early.findings if f.id == "conform-unmatched-capture"]
    assert not any(f.location and f.location.pointer.endswith(
        ("/pinned_availability_zone", "/locked_reason")) for f in early.findings)


def test_call_map_rules(tmp_path: Path) -> None:
    (tmp_path / "caps").mkdir()
    (tmp_path / "caps" / "flavor-get-resp.json").write_text('{"flavor": {"id": 1}}')
    call_map = tmp_path / "map.yaml"
    # An exact name wins over an earlier wildcard; the wildcard would name no operation.
    call_map.write_text('"flavor-*": GET /nowhere\nflavor-get: GET /flavors/{flavor_id}\n')
    report = conform(str(SPEC), str(tmp_path / "caps"), map_path=str(call_map))
    assert [f.id for f in report.findings] == ["conform-wrong-type"]
    assert "GET /v2.1/flavors/{id}" in report.findings[0].message
    # A map entry naming a call the spec lacks: unmatched, and the message says which entry.
    call_map.write_text("# flavors\nflavor-get: GET /nowhere/{id}\n")
    lost = conform(str(SPEC), str(tmp_path / "caps"), map_path=str(call_map))
    # ... and, as it was the only capture, nothing was checked at all (issue 9): exit 1.
    assert [f.id for f in lost.findings] == ["conform-unmatched-capture",
                                             "conform-nothing-checked"]
    assert lost.exit_code == 1
    assert "GET /nowhere/{id}, from the call map line 2" in lost.findings[0].message
    # A map written for a whole sample tree works on one resource folder and vice versa.
    call_map.write_text("caps/flavor-get: GET /flavors/{flavor_id}\n")
    tree = conform(str(SPEC), str(tmp_path), map_path=str(call_map))
    assert [f.id for f in tree.findings] == ["conform-wrong-type"]
    for bad, line in (("flavor-get: FETCH /flavors/1\n", 1),
                      ("a: GET /x\nflavor-get: GET flavors\n", 2),
                      ("flavor-get: GET /flavors/1 ok\n", 1),
                      ("flavor-get: [GET, /x]\n", 1)):
        call_map.write_text(bad)
        with pytest.raises(InputError) as err:
            conform(str(SPEC), str(tmp_path / "caps"), map_path=str(call_map))
        assert err.value.line == line and "METHOD /path" in str(err.value)
    call_map.write_text("flavor-get: GET /nowhere\nflavor-get: GET /flavors/{flavor_id}\n")
    twice = conform(str(SPEC), str(tmp_path / "caps"), map_path=str(call_map))
    assert [f.id for f in twice.findings] == ["conform-wrong-type"]
    assert any("duplicate key 'flavor-get'" in w and "map.yaml:2" in w for w in twice.warnings)
    call_map.write_text("- GET /x\n")
    with pytest.raises(InputError, match="a call map is a mapping"):
        conform(str(SPEC), str(tmp_path / "caps"), map_path=str(call_map))
    out = run_apilint("conform", SPEC, tmp_path / "caps", "--map", tmp_path / "missing.yaml",
                      timeout=60)
    assert out.returncode == 2 and out.stderr.count("\n") == 1
    assert "missing.yaml" in out.stderr and "Traceback" not in out.stderr


def test_bare_bodies_cannot_be_matched(tmp_path: Path) -> None:
    body = tmp_path / "server-get-resp.json"
    body.write_text(json.dumps(server()), encoding="utf-8")
    report = conform(str(SPEC), str(body))
    # Unmatched, and with nothing else recorded the run checked nothing: exit 1 (issue 9).
    assert [f.id for f in report.findings] == ["conform-unmatched-capture",
                                               "conform-nothing-checked"]
    assert report.exit_code == 1
    with pytest.raises(InputError):
        conform(str(body), str(body))


def test_unknown_microversion_accepts_any_version_of_the_body(tmp_path: Path) -> None:
    p = har(tmp_path,
            entry("GET", "/v2.1/flavors/1", None, 200, {"flavor": {"id": "1"}}),
            entry("GET", "/v2.1/flavors/1", None, 200,
                  {"flavor": {"id": "1", "description": "d"}}),
            entry("GET", "/v2.1/flavors/1", None, 200, {"flavor": {"id": 7}}))
    report = conform(str(SPEC), str(p))
    assert [(f.id, f.location.pointer) for f in report.findings if f.location] == [
        ("conform-wrong-type", "/flavor/id")]
    pinned = conform(str(SPEC), str(p), capture_options={"version": "2.60"})
    assert {f.location.pointer for f in pinned.findings if f.location} == {"/flavor",
                                                                           "/flavor/id"}
