"""Recorded captures (JSON bodies, directories, Nova's sample tree, HAR) through the spec diff."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, FIXTURES, GitRepo, run_apilint

from apilint import captures
from apilint.api import Source, compare
from apilint.errors import InputError

FIX = FIXTURES / "captures"
NOVA = FIX / "nova"
SAMPLES = CORPUS / "nova-api-samples"

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_HEX32 = re.compile(r"\b[0-9a-f]{32}\b")
_TS = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?")
_URL_HOST = re.compile(r"(https?://)[^/\"]+")
_REQ = re.compile(r"req-[0-9a-f-]{36}")


class Rerecorder:
    """Rewrites the volatile values of a capture the way a second recording run would."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.ids: dict[str, str] = {}

    def _new_uuid(self, old: str) -> str:
        return self.ids.setdefault(old, str(uuid.UUID(int=self.rng.getrandbits(128))))

    def text(self, s: str) -> str:
        s = _REQ.sub(lambda m: "req-" + self._new_uuid(m.group(0)), s)
        s = _UUID.sub(lambda m: self._new_uuid(m.group(0)), s)
        s = _HEX32.sub(lambda m: self._new_uuid(m.group(0)).replace("-", ""), s)
        s = _TS.sub(lambda m: "2031-0{}-1{}T0{}:2{}:3{}Z".format(
            *(self.rng.randint(1, 9) for _ in range(5))), s)
        s = _URL_HOST.sub(lambda m: m.group(1) + f"node{self.rng.randint(10, 99)}.cloud.test", s)
        return s

    def value(self, v: Any, key: str = "") -> Any:
        if isinstance(v, dict):
            return {self.text(k) if _UUID.fullmatch(k) else k: self.value(x, k)
                    for k, x in v.items()}
        if isinstance(v, list):
            return [self.value(x, key) for x in v]
        if isinstance(v, bool) or v is None:
            return v
        if isinstance(v, int):
            return v + self.rng.randint(1, 50)
        if isinstance(v, float):
            return v + 0.25 if self.rng.random() < 0.5 else int(v) + 2  # 1.5 may come back as 3
        if isinstance(v, str):
            new = self.text(v)
            if new == v and v and ("host" in key.lower() or key in ("name", "ip", "addr")):
                new = v + f"-rerun{self.rng.randint(1, 9)}"
            return new
        return v

    def har(self, data: dict[str, Any]) -> dict[str, Any]:
        out = json.loads(json.dumps(data))
        for e in out["log"]["entries"]:
            e["startedDateTime"] = "2031-01-01T00:00:00.000Z"
            e["time"] = self.rng.randint(1, 900)
            e["request"]["url"] = self.text(e["request"]["url"])
            for part in ("request", "response"):
                for h in e[part]["headers"]:
                    if h["name"].lower() in ("date", "x-openstack-request-id",
                                             "x-compute-request-id", "content-length"):
                        h["value"] = self.text(h["value"]) + " "
            content = e["response"].get("content", {})
            if content.get("text"):
                content["text"] = json.dumps(self.value(json.loads(content["text"])), indent=1)
            post = e["request"].get("postData")
            if post and post.get("text"):
                post["text"] = json.dumps(self.value(json.loads(post["text"])))
        return out


def _write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


# -- detection ------------------------------------------------------------------------------
def test_json_body_is_a_capture_and_a_spec_is_not(tmp_path: Path) -> None:
    body = _write(tmp_path / "server-get-resp.json", {"server": {"id": "x"}})
    spec = _write(tmp_path / "api.json", {"openapi": "3.1.0", "info": {"title": "t",
                                                                       "version": "1"},
                                          "paths": {}})
    assert captures.is_capture_path(str(body))
    assert not captures.is_capture_path(str(spec))
    assert captures.is_capture_path(str(NOVA))
    assert captures.is_capture_path(f"{NOVA}@2.96")
    assert not captures.is_capture_path(f"{tmp_path}/missing@2.96")


def test_two_json_bodies_diff_by_shape(tmp_path: Path) -> None:
    base = _write(tmp_path / "a" / "server-get-resp.json",
                  {"server": {"id": "1", "name": "a", "flavor": {"id": "1"}, "tags": ["x"]}})
    rev = _write(tmp_path / "b" / "server-get-resp.json",
                 {"server": {"id": "2", "name": None, "flavor": {"vcpus": 1}, "tags": [3]}})
    cmp = compare(str(base), str(rev))
    got = {(c.rule, c.primary.pointer if c.primary else None) for c in cmp.changes}
    assert ("response-property-removed", "/server/flavor/id") in got
    assert ("response-property-added", "/server/flavor/vcpus") in got
    assert ("response-type-changed", "/server/name") in got  # a value became null
    assert ("response-type-changed", "/server/tags/0") in got
    assert len(cmp.changes) == 4
    for c in cmp.changes:
        assert c.operation == "GET /server-get"
        assert c.primary is not None and c.primary.line is not None


def test_inferred_schema_required_nullable_and_items(tmp_path: Path) -> None:
    _write(tmp_path / "list-resp.json", {"items": [
        {"id": "a", "note": None, "size": 1},
        {"id": "b", "note": "x", "size": 2.5, "extra": True},
    ], "by_id": {"3f0c2a7e-1b7e-4c55-b8c1-3c6b3c1c2e11": {"ok": True}}})
    doc = captures.load_captures(str(tmp_path))
    schema = doc.data["paths"]["/list"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]
    item = schema["properties"]["items"]["items"]
    assert item["required"] == ["id", "note", "size"]  # "extra" is not in every item
    assert item["properties"]["note"]["type"] == ["string", "null"]
    assert item["properties"]["size"]["type"] == "number"
    assert item["properties"]["extra"]["type"] == "boolean"
    # an object keyed by uuids is a map, so new ids never look like new fields
    assert schema["properties"]["by_id"]["additionalProperties"]["properties"] == {
        "ok": {"type": "boolean"}}
    loc = doc.locate("/paths/~1list/get/responses/200/content/application~1json/schema/"
                     "properties/items/items/properties/extra")
    assert loc.pointer == "/items/1/extra"
    lines = (tmp_path / "list-resp.json").read_text().splitlines()
    assert loc.file.endswith("list-resp.json") and loc.line is not None
    assert '"extra"' in lines[loc.line - 1]


# -- directories ----------------------------------------------------------------------------
def test_directories_pair_by_relative_name(tmp_path: Path) -> None:
    for side in ("a", "b"):
        _write(tmp_path / side / "flavors" / "flavor-get-resp.json", {"flavor": {"id": "1"}})
    _write(tmp_path / "a" / "flavors" / "flavor-old-resp.json", {"x": 1})
    _write(tmp_path / "b" / "servers" / "server-create-req.json", {"server": {"name": "n"}})
    _write(tmp_path / "b" / "servers" / "server-create-resp.json", {"server": {"id": "n"}})
    cmp = compare(str(tmp_path / "a"), str(tmp_path / "b"))
    got = {(c.category, c.operation) for c in cmp.changes}
    assert got == {("removed-call", "GET /flavors/flavor-old"),
                   ("new-call", "POST /servers/server-create")}
    new = next(c for c in cmp.changes if c.category == "new-call")
    assert new.revision is not None and new.revision.file.endswith("server-create-resp.json")


def test_request_bodies_are_compared_as_requests(tmp_path: Path) -> None:
    _write(tmp_path / "a" / "server-create-req.json", {"server": {"name": "n"}})
    _write(tmp_path / "b" / "server-create-req.json", {"server": {"name": "n", "zone": "z"}})
    cmp = compare(str(tmp_path / "a"), str(tmp_path / "b"))
    assert [(c.rule, c.direction) for c in cmp.changes] == [
        ("request-required-property-added", "request")]


def test_nova_layout_at_version_picks_latest_sample_per_name() -> None:
    cs = captures.read_captures(f"{NOVA}@2.95")
    by_path = {s.path: s for s in cs.samples if s.direction == "response"}
    assert by_path["/servers/server-get"].source.path.endswith("v2.94/server-get-resp.json")
    assert by_path["/flavors/flavor-get"].source.path.endswith("v2.75/flavor-get-resp.json")
    assert by_path["/os-keypairs/keypairs-get"].version == "2.2"
    assert cs.version == "2.95"
    base = captures.read_captures(f"{NOVA}@2.1")
    assert "/flavors/flavor-get" not in {s.path for s in base.samples}
    assert {s.version for s in base.samples} == {"2.1"}


def test_nova_fixture_versions_diff(tmp_path: Path) -> None:
    cmp = compare(f"{NOVA}@2.95", f"{NOVA}@2.96")
    assert [(c.rule, c.operation, c.primary.pointer) for c in cmp.changes] == [
        ("response-property-added", "GET /servers/server-get",
         "/server/pinned_availability_zone"),
        ("response-property-added", "POST /servers/server-update",
         "/server/pinned_availability_zone")]
    assert (cmp.base.version, cmp.revision.version) == ("2.95", "2.96")


def test_plain_directory_version_is_highest_version_folder() -> None:
    cmp = compare(str(NOVA), str(NOVA))
    assert cmp.changes == [] and cmp.revision.version == "2.96"


# -- volatile values ------------------------------------------------------------------------
@pytest.mark.corpus
def test_rerecorded_nova_samples_report_nothing(tmp_path: Path) -> None:
    copy = tmp_path / "rerun"
    rr = Rerecorder(7)
    changed = 0
    for src in SAMPLES.rglob("*.json"):
        data = json.loads(src.read_text(encoding="utf-8"))
        new = rr.value(data)
        changed += new != data
        _write(copy / src.relative_to(SAMPLES), new)
    assert changed > 550  # most samples really got new values
    assert compare(str(SAMPLES), str(copy)).changes == []
    for v in ("2.47", "2.96"):
        assert compare(f"{SAMPLES}@{v}", f"{copy}@{v}").changes == []


def test_rerecorded_har_reports_nothing(tmp_path: Path) -> None:
    for name in ("servers-base.har", "compute-conform.har"):
        data = json.loads((FIX / name).read_text(encoding="utf-8"))
        rerun = _write(tmp_path / name, Rerecorder(3).har(data))
        assert rerun.read_text() != (FIX / name).read_text()
        assert compare(str(FIX / name), str(rerun)).changes == []


# -- HAR ------------------------------------------------------------------------------------
def test_har_pairs_by_method_template_and_microversion() -> None:
    cmp = compare(str(FIX / "servers-base.har"), str(FIX / "servers-revision.har"))
    got = {(c.rule, c.category, c.operation, c.primary.pointer if c.primary else "")
           for c in cmp.changes}
    get = "GET /v2.1/servers/{server_id} @2.96"
    assert ("response-property-added", "added-field", get,
            "/server/pinned_availability_zone") in got
    assert ("response-property-added", "added-field", "PUT /v2.1/servers/{server_id} @2.96",
            "/server/pinned_availability_zone") in got
    assert any(r == "response-header-added" and op == get for r, _, op, _ in got)
    delete = "DELETE /v2.1/servers/{server_id} @2.96"
    assert ("response-success-status-removed", "behavior-change", delete, "") in got
    removed = next(c for c in cmp.changes if c.rule == "response-success-status-removed")
    assert removed.base is not None and removed.base.file.endswith("servers-base.har")
    text = (FIX / "servers-base.har").read_text().splitlines()
    assert '"response"' in text[removed.base.line - 1]
    assert len(cmp.changes) == 5
    assert cmp.base.version == cmp.revision.version == "2.96"
    for c in cmp.changes:
        assert c.primary is not None and c.primary.line is not None
        assert c.primary.file.endswith(".har")


def test_har_microversion_header_and_content_type(tmp_path: Path) -> None:
    data = json.loads((FIX / "servers-base.har").read_text(encoding="utf-8"))
    data["log"]["entries"] = data["log"]["entries"][:1]
    base = _write(tmp_path / "a.har", data)
    rev_data = json.loads(json.dumps(data))
    entry = rev_data["log"]["entries"][0]
    for h in entry["response"]["headers"]:
        if h["name"] == "OpenStack-API-Version":
            h["value"] = "compute 2.95"
    entry["response"]["content"]["mimeType"] = "application/vnd.openstack+json"
    rev = _write(tmp_path / "b.har", rev_data)
    rules = sorted(c.rule for c in compare(str(base), str(rev)).changes)
    assert rules == ["response-enum-value-added", "response-enum-value-removed",
                     "response-media-type-added", "response-media-type-removed"]
    # a different request microversion is a different call
    entry["request"]["headers"] = [{"name": "OpenStack-API-Version", "value": "compute 2.90"}]
    other = _write(tmp_path / "c.har", rev_data)
    cats = sorted(c.category for c in compare(str(base), str(other)).changes)
    assert cats == ["new-call", "removed-call"]


def test_templatise_recognises_ids() -> None:
    assert captures.templatise("/v2.1/servers/9d2e6f16-1a5b-4c55-b8c1-3c6b3c1c2e11/ips") == \
        "/v2.1/servers/{server_id}/ips"
    assert captures.templatise("/v2.1/6f70656e737461636b20342065766572/flavors/42") == \
        "/v2.1/{project_id}/flavors/{flavor_id}"
    assert captures.templatise("/v2.1/os-keypairs/mykey") == "/v2.1/os-keypairs/mykey"


# -- bad input ------------------------------------------------------------------------------
def test_bad_captures_are_input_errors(tmp_path: Path) -> None:
    bad = tmp_path / "d" / "x-resp.json"
    bad.parent.mkdir()
    bad.write_text('{"a": 1,\n  "b": }\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        compare(str(tmp_path / "d"), str(tmp_path / "d"))
    assert err.value.file is not None and err.value.file.endswith("x-resp.json")
    assert err.value.line == 2
    har = _write(tmp_path / "h.har", {"log": {"entries": [{"request": {"method": "GET"},
                                                            "response": {"status": 200}}]}})
    with pytest.raises(InputError) as err:
        compare(str(har), str(har))
    assert "url" in err.value.message and err.value.line is not None
    entry = json.loads((FIX / "servers-base.har").read_text())["log"]["entries"][0]
    entry["response"]["content"]["text"] = "{not json"
    har2 = _write(tmp_path / "j.har", {"log": {"entries": [entry]}})
    with pytest.raises(InputError, match="not JSON"):
        compare(str(har2), str(har2))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no .json or .har"):
        compare(str(empty), str(empty))


def test_cli_diff_on_captures_and_bad_input(tmp_path: Path) -> None:
    out = run_apilint("diff", f"{NOVA}@2.95", f"{NOVA}@2.96", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["summary"]["by_category"]["added-field"] == 2
    assert data["changes"][0]["revision"]["pointer"] == "/server/pinned_availability_zone"
    bad = _write(tmp_path / "x.har", {"log": {"entries": "nope"}})
    out = run_apilint("diff", str(bad), str(bad))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "x.har:" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.corpus
def test_copied_fixtures_match_the_corpus() -> None:
    for f in NOVA.rglob("*.json"):
        assert f.read_bytes() == (SAMPLES / f.relative_to(NOVA)).read_bytes()
    assert shutil.which(sys.executable)


def test_captures_read_through_another_reader(tmp_path: Path) -> None:
    """A git reader hands over the base's bytes; the file on disk must not be used instead."""
    body = _write(tmp_path / "server-get-resp.json", {"server": {"id": "1", "locked": True}})
    old = json.dumps({"server": {"id": "1"}}).encode()
    cmp = compare(Source(str(body), reader=lambda p: old), str(body))
    assert [(c.rule, c.primary.pointer) for c in cmp.changes] == [
        ("response-property-added", "/server/locked")]
    har_bytes = (FIX / "servers-base.har").read_bytes()
    cmp = compare(Source(str(FIX / "servers-revision.har"), reader=lambda p: har_bytes),
                  str(FIX / "servers-revision.har"))
    assert len(cmp.changes) == 5


def test_values_of_named_fields_are_compared_on_request(tmp_path: Path) -> None:
    base = _write(tmp_path / "a" / "server-get-resp.json", {"server": {"status": "ACTIVE"}})
    rev = _write(tmp_path / "b" / "server-get-resp.json", {"server": {"status": "SHELVED"}})
    assert compare(str(base), str(rev)).changes == []
    opts = {"enum_keys": ["status"]}
    cmp = compare(Source(str(base), capture_options=opts), Source(str(rev), capture_options=opts))
    assert sorted(c.rule for c in cmp.changes) == ["response-enum-value-added",
                                                   "response-enum-value-removed"]


def test_check_gate_on_captures() -> None:
    """Same microversion and a different shape: unversioned change; a new microversion: fine."""
    out = run_apilint("check", str(FIX / "servers-base.har"), str(FIX / "servers-revision.har"))
    assert out.returncode == 1, out.stdout + out.stderr
    assert "2.96" in out.stdout
    out = run_apilint("check", f"{NOVA}@2.95", f"{NOVA}@2.96")
    assert out.returncode == 0, out.stdout + out.stderr
    out = run_apilint("check", f"{NOVA}@2.96", f"{NOVA}@2.96")
    assert out.returncode == 0, out.stdout + out.stderr


def test_check_against_git_base_sees_unversioned_sample_change(git_repo: GitRepo) -> None:
    """Nova's rule as a hook: a sample at v2.96 that changes shape needs a new microversion."""
    rel = Path("servers") / "v2.96" / "server-get-resp.json"
    target = git_repo.write(str(rel), (NOVA / rel).read_bytes())
    git_repo.commit("samples")

    def check() -> subprocess.CompletedProcess[str]:
        return run_apilint("check", "--base", "HEAD", rel, cwd=git_repo.path)

    data = json.loads(target.read_text())
    target.write_text(json.dumps(Rerecorder(5).value(data), indent=4), encoding="utf-8")
    out = check()
    assert out.returncode == 0, out.stdout + out.stderr  # new values only: nothing changed
    data["server"]["shelved_at"] = "2031-01-01T00:00:00Z"
    target.write_text(json.dumps(data, indent=4), encoding="utf-8")
    out = check()
    assert out.returncode == 1, out.stdout + out.stderr
    assert "shelved_at" in out.stdout and "2.96" in out.stdout


def test_git_mode_names_capture_folders_as_the_user_does(git_repo: GitRepo) -> None:
    sample = git_repo.write("samples/v2.1/server-get-resp.json",
                            '{"server": {"id": "1", "name": "a"}}')
    git_repo.write("pyproject.toml", '[tool.apilint]\nfiles = ["samples@latest"]\n')
    git_repo.commit("base")
    sample.write_text('{"server": {"id": "1", "name": "a", "locked": false}}')
    r = run_apilint("check", "--base", "HEAD", "--no-color", cwd=git_repo.path, timeout=60)
    assert r.returncode == 1, r.stderr
    assert r.stdout.splitlines()[0] == "apilint check: HEAD:samples@latest -> samples@latest"
    assert "apilint-git-" not in r.stdout  # the temporary copy of the base is never shown
