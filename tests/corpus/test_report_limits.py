"""Every format stays within what its reader accepts, on the largest real releases of the
corpus (700–900 changes): a GitHub comment (65,536 characters), GitHub's ten notices per
step, and machine formats that still parse."""

from __future__ import annotations

import json

import pytest
from conftest import CORPUS

from apilint.api import compare
from apilint.model import Report
from apilint.report import render
from apilint.report.markdown import LIMIT

BIG = ["kubernetes-release-1.35__release-1.36", "azure-servicefabric-6.3__6.4",
       "openai-2.3.0__2.3.0", "kubernetes-v1.10.0__v1.11.1"]


@pytest.fixture(scope="module", params=BIG)
def report(request: pytest.FixtureRequest) -> Report:
    folder = CORPUS / "real" / request.param
    old = next(folder.glob("old.*"))
    new = next(folder.glob("new.*"))
    cmp = compare(str(old), str(new))
    return Report(base=str(old), revision=str(new), changes=cmp.changes, command="diff")


def test_markdown_fits_a_pull_request_comment(report: Report) -> None:
    out = render(report, "markdown")
    assert len(out) <= LIMIT
    assert len(report.changes) > 150  # a big release: the limit is what is being tested
    if "left out" in out:  # what could not be shown is counted, not silently dropped
        assert "more change" in out


def test_github_notices_stay_within_what_github_shows(report: Report) -> None:
    lines = render(report, "github").splitlines()
    assert sum(1 for line in lines if line.startswith("::notice ")) <= 10


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_machine_formats_parse(report: Report, fmt: str) -> None:
    json.loads(render(report, fmt))
