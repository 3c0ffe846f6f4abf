"""``apilint changelog``: the classified changes at every microversion, oldest first.

Golden cases: the ``changelog`` section of ``fixtures/microversions/*/expected.yaml`` lists the
versions with changes and each change's rule, operation and location; every other version
must read "no change visible". The JSON output is checked against
``schema/changelog.schema.json`` (whose changes are diff's change objects).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import CORPUS, ROOT
from referencing import Registry, Resource

from apilint.api import compare
from apilint.changelog import build, render
from apilint.errors import InputError
from apilint.loader import load_document
from apilint.microversion import Annotated
from apilint.refs import Resolver

CASES = ROOT / "fixtures" / "microversions"
SERVERS = CASES / "servers" / "spec.yaml"
COMPUTE = CORPUS / "openstack-openapi" / "compute" / "compute-c417006.yaml"
SAMPLES = CORPUS / "nova-api-samples"


def _schema_validator() -> jsonschema.Draft202012Validator:
    report = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    log = json.loads((ROOT / "schema" / "changelog.schema.json").read_text(encoding="utf-8"))
    registry = Registry().with_resources([(s["$id"], Resource.from_contents(s))
                                          for s in (report, log)])
    return jsonschema.Draft202012Validator(log, registry=registry)


def _cases() -> list[Path]:
    return sorted(p.parent for p in CASES.glob("*/expected.yaml")
                  if "changelog" in yaml.safe_load(p.read_text(encoding="utf-8")))


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_changelog_golden(case: Path) -> None:
    want = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))["changelog"]
    log = build(str(case / "spec.yaml"))
    assert (log.base, log.latest) == (want["base"], want["latest"])
    # Every version after base, in order, each compared with the one before it.
    major, low = (int(x) for x in log.base.split("."))
    high = int(log.latest.split(".")[1])
    assert [v.version for v in log.versions] == [f"{major}.{m}" for m in range(low + 1, high + 1)]
    assert all(v.previous == f"{major}.{int(v.version.split('.')[1]) - 1}" for v in log.versions)
    expected: dict[str, list[dict[str, Any]]] = want["versions"]
    for v in log.versions:
        got = sorted((c.rule, c.operation, c.location) for c in v.changes)
        items = expected.get(v.version, [])
        assert len(got) == len(items), (v.version, got)
        for item in items:
            assert any(r == item["rule"] and o == item["operation"] and
                       ("location" not in item or loc == item["location"])
                       for r, o, loc in got), (v.version, item, got)


def test_only_boundaries_are_compared() -> None:
    log = build(str(SERVERS))
    ann = Annotated(Resolver(load_document(str(SERVERS))))
    bounds = [b for b in ann.boundaries() if b > (2, 1)]
    assert log.compared == len(bounds) == 10  # not one diff per version (72 of them)


def test_stop_at_a_version() -> None:
    log = build(f"{SERVERS}@2.28")
    assert log.latest == "2.28" and log.versions[-1].version == "2.28"
    assert [c.rule for c in log.versions[-1].changes] == ["response-type-changed"]


def test_json_output_is_the_contract() -> None:
    data = json.loads(render(build(str(SERVERS)), "json"))
    _schema_validator().validate(data)
    v = next(v for v in data["versions"] if v["version"] == "2.36")
    assert [c["rule"] for c in v["changes"]] == ["operation-removed"]
    change = v["changes"][0]
    assert change["operation"] == "GET /os-images"
    assert change["base"]["file"].endswith("spec.yaml") and change["base"]["line"] == 74
    assert change["revision"] is None
    assert next(v for v in data["versions"] if v["version"] == "2.35")["changes"] == []


def test_text_markdown_rst() -> None:
    log = build(str(SERVERS))
    text = render(log, "text")
    assert "\n2.5\n  no change visible in the spec\n" in text
    assert 'response property "locked" added' in text.split("\n2.9\n")[1].split("\n2.10\n")[0]
    md = render(log, "markdown")
    assert "\n## 2.36\n" in md and "_No change visible in the spec._" in md
    rst = render(log, "rst")
    lines = rst.splitlines()
    i = lines.index("2.47")
    assert lines[i + 1] == "----" and lines[i + 2] == ""
    bullets = [x for x in lines[i + 3:] if x.startswith("* ")][:3]
    assert len(bullets) == 3
    # Inline markup is escaped: a name with _ or * cannot start a reference or emphasis.
    assert "original\\_name" in rst and "_name\"" not in rst.replace("\\_", "")
    assert "No change visible in the spec." in rst


def _write(path: Path, body: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(body, indent=2), encoding="utf-8")


def test_samples_tree(tmp_path: Path) -> None:
    tree = tmp_path / "api_samples" / "servers"
    _write(tree / "server-get-resp.json", {"server": {"id": "a", "name": "n"}})
    _write(tree / "v2.3" / "server-get-resp.json",
           {"server": {"id": "a", "name": "n", "hostname": "h"}})
    _write(tree / "v2.5" / "server-get-resp.json", {"server": {"id": "a", "hostname": "h"}})
    # A call recorded as request and response: only the request is recorded again at 2.4.
    _write(tree / "server-post-req.json", {"server": {"name": "n"}})
    _write(tree / "server-post-resp.json", {"server": {"id": "a"}})
    _write(tree / "v2.4" / "server-post-req.json", {"server": {"name": "n", "tags": ["t"]}})
    log = build(str(tmp_path / "api_samples"))
    assert (log.kind, log.base, log.latest) == ("samples", "2.1", "2.5")
    got = {v.version: sorted((c.rule, c.location) for c in v.changes) for v in log.versions}
    assert got == {
        "2.2": [],
        "2.3": [("response-property-added", "/paths/~1servers~1server-get/get/responses/200/"
                 "content/application~1json/schema/properties/server/properties/hostname")],
        "2.4": [("request-required-property-added", "/paths/~1servers~1server-post/post/"
                 "requestBody/content/application~1json/schema/properties/server/properties/"
                 "tags")],
        "2.5": [("response-property-removed", "/paths/~1servers~1server-get/get/responses/"
                 "200/content/application~1json/schema/properties/server/properties/name")],
    }
    assert log.compared == 3
    # The same as diffing the whole tree at each pair of versions.
    for v in log.versions:
        full = compare(f"{tmp_path / 'api_samples'}@{v.previous}",
                       f"{tmp_path / 'api_samples'}@{v.version}").changes
        assert [c.to_dict() for c in full] == [c.to_dict() for c in v.changes]
    change = log.versions[1].changes[0]
    assert change.revision is not None and change.revision.file.endswith(
        "v2.3/server-get-resp.json")
    text = render(log, "text")
    assert "\n2.2\n  no change visible in the samples\n" in text


def test_spec_without_annotations_is_bad_input(tmp_path: Path) -> None:
    spec = tmp_path / "plain.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1.0'}\npaths: {}\n")
    with pytest.raises(InputError, match="no x-openstack min-ver/max-ver"):
        build(str(spec))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "apilint", *args], capture_output=True,
                          text=True, env=env, timeout=600, cwd=ROOT)


def test_cli(tmp_path: Path) -> None:
    out = _run("changelog", str(SERVERS), "--format", "json")
    assert out.returncode == 0, out.stderr
    _schema_validator().validate(json.loads(out.stdout))
    page = tmp_path / "history.rst"
    assert _run("changelog", str(SERVERS), "-f", "rst", "-o", str(page)).returncode == 0
    assert page.read_text(encoding="utf-8").startswith("REST API Version History\n")
    bad = _run("changelog", str(tmp_path / "missing.yaml"))
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    refused = _run("changelog", str(SERVERS), "-o", str(SERVERS))
    assert refused.returncode == 2


@pytest.mark.corpus
def test_real_compute_spec() -> None:
    log = build(str(COMPUTE), include_docs=False)
    assert (log.base, log.latest) == ("2.0", "2.96")
    by = {v.version: v.changes for v in log.versions}

    def has(version: str, rule: str, words: str) -> bool:
        return any(c.rule == rule and words in c.message for c in by[version])

    assert has("2.9", "response-property-added", '"locked"')  # history: 2.9 adds locked
    assert has("2.36", "operation-removed", "GET /v2.1/images")  # proxy APIs removed
    assert has("2.94", "request-pattern-changed", "POST /v2.1/servers")  # FQDN hostnames
    assert by["2.96"] == []  # this spec's 2.96 has no pinned_availability_zone
    assert log.compared < 80


@pytest.mark.corpus
def test_real_nova_samples() -> None:
    log = build(f"{SAMPLES}@2.100", include_docs=False)
    by = {v.version: v.changes for v in log.versions}
    assert any(c.rule == "response-property-added" and '"pinned_availability_zone"' in c.message
               for c in by["2.96"])
    assert any('"locked"' in c.message for c in by["2.9"])
    assert by["2.5"] == []  # 2.5 changed behaviour only: no sample folder


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t", *args],
                   cwd=repo, check=True, capture_output=True)


def test_base_ref_groups_changes_by_their_gate(tmp_path: Path) -> None:
    """A commit that adds microversion 2.74 the usual way (a new variant, the old one capped)
    and, by mistake, a response field with no gate."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    spec = repo / "spec.yaml"
    text = SERVERS.read_text(encoding="utf-8")
    spec.write_text(text, encoding="utf-8")
    _git(repo, "add", "spec.yaml")
    _git(repo, "commit", "-qm", "base")
    text = text.replace("version: '2.47'", "version: '2.74'")
    text = text.replace(
        "        - $ref: '#/components/schemas/ServersCreate_219'\n",
        "        - $ref: '#/components/schemas/ServersCreate_219'\n"
        "        - $ref: '#/components/schemas/ServersCreate_274'\n")
    text = text.replace(
        "        min-ver: '2.19'\n    ServersCreateRequest:",
        "        min-ver: '2.19'\n        max-ver: '2.73'\n    ServersCreate_274:\n"
        "      type: object\n      properties:\n        server:\n          type: object\n"
        "          properties:\n            hostname:\n              type: string\n"
        "      x-openstack:\n        min-ver: '2.74'\n    ServersCreateRequest:")
    text = text.replace("        name:\n          type: string\n        OS-EXT-SRV-ATTR",
                        "        name:\n          type: string\n        status:\n"
                        "          type: string\n        OS-EXT-SRV-ATTR")
    spec.write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-m", "apilint", "changelog", "--base", "HEAD",
                          "spec.yaml", "--format", "json"], cwd=repo, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    _schema_validator().validate(data)
    assert (data["base"], data["latest"], data["base_ref"]) == ("2.73", "2.74", "HEAD")
    assert [v["version"] for v in data["versions"]] == ["2.74"]
    gated = sorted((c["rule"], c["location"]) for c in data["versions"][0]["changes"])
    assert gated == [
        ("openstack-range-changed", "/components/schemas/ServersCreate_219/x-openstack"),
        ("request-variant-added",
         "/components/schemas/ServersCreateRequest/oneOf/2"),
    ]
    assert [(c["rule"], c["location"]) for c in data["ungated"]] == [
        ("response-property-added", "/components/schemas/Server/properties/status")]
    text_out = subprocess.run([sys.executable, "-m", "apilint", "changelog", "--base", "HEAD",
                               "spec.yaml"], cwd=repo, env=env, capture_output=True, text=True,
                              timeout=300)
    assert "1 new version up to 2.74, 1 with gated changes, 1 not gated" in text_out.stdout
