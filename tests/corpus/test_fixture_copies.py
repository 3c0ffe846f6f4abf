"""The corpus files copied into fixtures/ (so their tests run on a fresh clone) still equal the
corpus, byte for byte. Nova's sample bodies in fixtures/captures/nova are checked by
``test_copied_fixtures_match_the_corpus`` in tests/unit/test_captures.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, FIXTURES, REAL

COPIES = [
    *((p, REAL / p.relative_to(FIXTURES / "real"))
      for p in sorted((FIXTURES / "real").rglob("*.json"))),
    *((p, CORPUS / "nova-api-samples" / "versions" / p.name)
      for p in sorted((FIXTURES / "captures" / "nova-versions").glob("*.json"))),
]


def test_the_copies_are_there() -> None:
    assert len(COPIES) == 12  # five pairs and two version documents


@pytest.mark.parametrize("copy,source", COPIES,
                         ids=[str(c.relative_to(FIXTURES)) for c, _ in COPIES])
def test_copy_equals_the_corpus(copy: Path, source: Path) -> None:
    assert copy.read_bytes() == source.read_bytes(), f"{copy} differs from {source}"
