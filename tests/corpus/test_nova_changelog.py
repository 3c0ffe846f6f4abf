"""Nova's own changelog, replayed on its recorded samples.

Each case is a microversion whose entry in ``rest_api_version_history.rst`` adds, removes or
retypes a response field that Nova's samples show. Diffing ``SAMPLES@<previous>`` (latest sample
of each name at or below the previous microversion) against ``SAMPLES@<version>`` must report
that field with the right category, operation and body pointer, at a line of the sample file.
"""

from __future__ import annotations

import functools
import os
import re

import pytest
from conftest import CORPUS

from apilint.api import compare

SAMPLES = str(CORPUS / "nova-api-samples")
HISTORY = os.path.join(SAMPLES, "rest_api_version_history.rst")

# (version, words the changelog uses, operation, body pointer, category, rule)
CASES = [
    ("2.2", "keypair type", "GET /os-keypairs/keypairs-get", "/keypair/type",
     "added-field", "response-property-added"),
    ("2.3", "hostname", "GET /servers/server-get",
     "/server/OS-EXT-SRV-ATTR:hostname", "added-field", "response-property-added"),
    ("2.9", "locked", "GET /servers/server-get", "/server/locked",
     "added-field", "response-property-added"),
    ("2.13", "project_id", "GET /os-server-groups/server-groups-get",
     "/server_group/project_id", "added-field", "response-property-added"),
    ("2.16", "host_status", "GET /servers/server-get", "/server/host_status",
     "added-field", "response-property-added"),
    ("2.19", "description", "GET /servers/server-get", "/server/description",
     "added-field", "response-property-added"),
    ("2.23", "migration_type", "GET /os-migrations/migrations-get",
     "/migrations/0/migration_type", "added-field", "response-property-added"),
    ("2.28", "cpu_info", "GET /os-hypervisors/hypervisors-show", "/hypervisor/cpu_info",
     "behavior-change", "response-type-changed"),
    ("2.33", "pagination", "GET /os-hypervisors/hypervisors-list",
     "/hypervisors_links", "added-field", "response-property-added"),
    ("2.36", "quotas", "GET /os-quota-sets/quotas-show-get", "/quota_set/floating_ips",
     "removed-field", "response-property-removed"),
    ("2.39", "maxImageMeta", "GET /limits/limit-get", "/limits/absolute/maxImageMeta",
     "removed-field", "response-property-removed"),
    ("2.47", "flavor", "GET /servers/server-get", "/server/flavor/id",
     "removed-field", "response-property-removed"),
    ("2.47", "flavor", "GET /servers/server-get", "/server/flavor/vcpus",
     "added-field", "response-property-added"),
    ("2.53", "uuid", "GET /os-hypervisors/hypervisors-show", "/hypervisor/id",
     "behavior-change", "response-type-changed"),
    ("2.55", "description", "GET /flavors/flavor-get", "/flavor/description",
     "added-field", "response-property-added"),
    ("2.59", "uuid", "GET /os-migrations/migrations-get", "/migrations/0/uuid",
     "added-field", "response-property-added"),
    ("2.64", "policies", "GET /os-server-groups/server-groups-get",
     "/server_group/policies", "removed-field", "response-property-removed"),
    ("2.64", "policy", "GET /os-server-groups/server-groups-get", "/server_group/policy",
     "added-field", "response-property-added"),
    ("2.73", "reason", "GET /servers/server-get", "/server/locked_reason",
     "added-field", "response-property-added"),
    ("2.75", "swap", "GET /flavors/flavor-get", "/flavor/swap",
     "behavior-change", "response-type-changed"),
    ("2.80", "user_id", "GET /os-migrations/migrations-get", "/migrations/0/user_id",
     "added-field", "response-property-added"),
    ("2.96", "pinned availability zone", "GET /servers/server-get",
     "/server/pinned_availability_zone", "added-field", "response-property-added"),
]


def _previous(version: str) -> str:
    major, minor = version.split(".")
    return f"{major}.{int(minor) - 1}"


@functools.cache
def _diff(version: str) -> tuple:
    cmp = compare(f"{SAMPLES}@{_previous(version)}", f"{SAMPLES}@{version}")
    return cmp.base.version, cmp.revision.version, tuple(cmp.changes)


def _history_section(version: str) -> str:
    """The changelog text of one microversion (heading ``2.NN`` or ``2.NN (…)`` + dashes)."""
    with open(HISTORY, encoding="utf-8") as fh:
        text = fh.read()
    heads = list(re.finditer(r"^(\d+\.\d+)(?: \(.*\))?\n-{3,}\n", text, re.M))
    for i, m in enumerate(heads):
        if m.group(1) == version:
            end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
            return text[m.end():end]
    raise AssertionError(f"{version} not in the changelog")


@pytest.mark.parametrize("version,words,operation,pointer,category,rule", CASES,
                         ids=[f"{c[0]}-{c[3]}" for c in CASES])
def test_microversion_field_change_is_reported(version: str, words: str, operation: str,
                                                pointer: str, category: str, rule: str) -> None:
    assert words in _history_section(version), "the case must come from Nova's changelog"
    base_version, rev_version, changes = _diff(version)
    assert (base_version, rev_version) == (_previous(version), version)
    hits = [c for c in changes if c.operation == operation and c.primary is not None
            and c.primary.pointer == pointer]
    assert hits, f"{version}: no change at {operation} {pointer}; got " + "; ".join(
        f"{c.operation} {c.primary.pointer if c.primary else ''}" for c in changes[:20])
    change = hits[0]
    assert change.category == category
    assert change.rule == rule
    loc = change.primary
    assert loc is not None and loc.line is not None and loc.line > 1
    # Additions and retypes point into the new sample; removals into the one before.
    if category == "removed-field":
        assert change.base is not None and change.revision is None
    else:
        assert change.revision is not None
        assert f"v{version}" in loc.file.split("/")
    with open(loc.file, encoding="utf-8") as fh:
        line = fh.read().splitlines()[loc.line - 1]
    assert f'"{pointer.rsplit("/", 1)[1]}"' in line


def test_same_microversion_twice_reports_nothing() -> None:
    cmp = compare(f"{SAMPLES}@2.96", f"{SAMPLES}@2.96")
    assert cmp.changes == []
    assert cmp.base.version == cmp.revision.version == "2.96"


def test_latest_picks_newest_sample_of_each_name() -> None:
    cmp = compare(f"{SAMPLES}@2.104", f"{SAMPLES}@latest")
    assert cmp.changes == []
    assert cmp.revision.version == "2.104"
