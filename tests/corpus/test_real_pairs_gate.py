"""The gate on real published specs: every pair in ../shared/corpus/real (MANIFEST.json) and
three OpenStack pairs with microversion annotations.

Violation pairs (spec changed, info.version did not) must exit 1 and bump pairs 0. The
edge cases: twilio-routes_v2 goes 1.56.1 -> 1.0.0 (version-decreased, exit 1), the OpenAI
duplicate-anchor pair is a violation too (exit 1), adyen-hop bumps 5 -> 6 while only servers
and info change (the server URL change is an API change, so the bump is earned: exit 0), and
two semver bumps are too small for their breaking changes (version-bump-too-small, exit 1).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import CORPUS, REAL, corpus_present

from apilint.cli import main

OPENSTACK = CORPUS / "openstack-openapi"

# Read only when the corpus is there: without it the parametrisation is empty and the test
# is skipped with conftest's reason.
MANIFEST = (json.loads((REAL / "MANIFEST.json").read_text(encoding="utf-8"))["pairs"]
            if corpus_present() else [])
EDGE = {
    "twilio-routes_v2-1.56.1__1.0.0": (1, {"version-decreased"}),
    "openai-2.3.0__2.3.0-dupanchor": (1, {"version-not-bumped"}),
    "adyen-hop-5__6": (0, set()),
    # Plain semver versions promise that only a new major breaks clients, so the default
    # policy asks a new major for breaking changes there (issue 9). Both bumps are minor ones
    # over breaking changes: Kubernetes v1.10.0 -> v1.11.1 removes NodeConfigSource's
    # apiVersion/kind/configMapRef and makes 11 response properties optional (32 breaking);
    # Slack 1.5.0 -> 1.7.0 removes 43 operations (channels.*) among 133 breaking changes.
    # A project whose version is a release number, not an API contract, sets another scheme.
    "kubernetes-v1.10.0__v1.11.1": (1, {"version-bump-too-small"}),
    "slack-web-1.5.0__1.7.0": (1, {"version-bump-too-small"}),
}
SCHEMES = {"adyen": "integer", "azure-servicefabric": "dotted",
           "azure-batch": "date-release", "azure-": "date",
           "stripe": "date", "kubernetes-v": "semver", "kubernetes-release": None,
           "openai": "semver", "github": "semver", "slack": "semver", "twilio": "semver"}
UNVERSIONED = {"kubernetes-release-1.34__release-1.35", "kubernetes-release-1.35__release-1.36"}
# Pairs whose files $ref a file the corpus does not hold: the gate cannot see that part, so it
# fails closed (exit 2, one line naming the reference) instead of judging what it did not read.
INCOMPLETE = {"azure-web-2018-02-01__2018-02-01-inplace": "./CommonDefinitions.json"}


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _run(base: Path, revision: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(main, ["check", "--format", "json", *extra, str(base),
                                       str(revision)])
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("pair", MANIFEST, ids=lambda p: p["name"])
def test_real_pair(pair: dict[str, Any]) -> None:
    folder = REAL / pair["name"]
    if pair["name"] in INCOMPLETE:
        result = CliRunner().invoke(main, ["check", "--format", "json",
                                           str(folder / pair["old"]["file"]),
                                           str(folder / pair["new"]["file"])])
        assert result.exit_code == 2 and result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and f"$ref '{INCOMPLETE[pair['name']]}" in lines[0], lines
        assert "names a file that does not exist" in lines[0]
        return
    code, report = _run(folder / pair["old"]["file"], folder / pair["new"]["file"])
    ids = {f["id"] for f in report["findings"] if f["level"] == "error"}
    assert report["versions"] == {"base": pair["old"]["info_version"],
                                  "revision": pair["new"]["info_version"]}
    prefix = next(k for k in SCHEMES if pair["name"].startswith(k))
    assert report["scheme"] == SCHEMES[prefix]
    if pair["name"] in EDGE:
        want_code, want_ids = EDGE[pair["name"]]
    elif pair["category"] == "violation":
        want_code = 1
        want_ids = {"version-unparseable"} if pair["name"] in UNVERSIONED else \
            {"version-not-bumped"}
    else:
        assert pair["category"] == "bump"
        want_code, want_ids = 0, set()
    assert (code, ids) == (want_code, want_ids), report["findings"][:3]
    assert report["exit_code"] == code
    if code == 1:
        assert report["changes"], "a failing gate names the changes behind it"


def test_openstack_compute_2_95_to_2_96_changes_are_not_gated() -> None:
    """e924532 -> c417006 bumps 2.95 -> 2.96, but the RDP console action schema was renamed
    and its enum values removed in place, not gated by min-ver/max-ver."""
    code, report = _run(OPENSTACK / "compute" / "compute-e924532.yaml",
                        OPENSTACK / "compute" / "compute-c417006.yaml")
    assert code == 1
    assert report["versions"] == {"base": "2.95", "revision": "2.96"}
    ids = {f["id"] for f in report["findings"]}
    # The RDP body that became type null is one edit per operation: its range change and the
    # other consequences are folded into one change-not-gated finding naming the action.
    assert ids == {"change-not-gated", "removal-not-gated"}
    rdp = [f for f in report["findings"] if "os-getRDPConsole" in f["message"]]
    assert len(rdp) == 2 and all("versions 2.1 to 2.5" in f["message"] for f in rdp)
    # Each names the versions that still serve what changed (2.6 to 2.7 for a capped body).
    assert all("versions " in f["message"] for f in report["findings"])
    messages = " ".join(f["message"] for f in report["findings"])
    assert "remote-consoles" in messages


def test_openstack_block_storage_old_key_spelling_is_read() -> None:
    """7fd5fe9 spells the keys min_ver/max_ver, e924532 min-ver/max-ver: the respelling alone
    is no change. With a forced bump to 3.71 the gate reads both spellings: the 260 new
    properties have no min-ver, and query parameters newly documented with min-ver 3.45..3.65
    are retroactive (the spec catching up with the service looks the same as a change)."""
    code, report = _run(OPENSTACK / "block-storage" / "block-storage-7fd5fe9.yaml",
                        OPENSTACK / "block-storage" / "block-storage-e924532.yaml",
                        "--revision-version", "3.71")
    assert code == 1
    ids = {f["id"] for f in report["findings"]}
    assert "version-not-bumped" not in ids and ids <= {
        "change-not-gated", "removal-not-gated", "gate-outside-range"}
    with_count = [f for f in report["findings"] if '"with_count" added to GET /v3/volumes:'
                  in f["message"]]
    assert [f["id"] for f in with_count] == ["gate-outside-range"]
    assert "min-ver 3.45 is not above the base version 3.70" in with_count[0]["message"]
