"""The JSON report: the stable contract described in schema/report.schema.json."""

from __future__ import annotations

from ..jsonout import dumps
from ..model import Report


def render(report: Report) -> str:
    # The indented text json.dumps would write, at a fraction of its cost (see jsonout).
    return dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
