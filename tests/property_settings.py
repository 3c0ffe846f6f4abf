"""Hypothesis settings for apilint's property tests: deterministic in the suite, random on demand.

In the suite (and so in CI) every property runs a fixed set of examples (``derandomize=True``,
no example database), so a test cannot pass on one run and fail on the next. To hunt for new
failures, run the properties randomized and longer::

    APILINT_PROPERTY_EXAMPLES=20000 PYTHONPATH=$PWD python -m pytest tests/test_sourcemap_layout.py

``APILINT_PROPERTY_EXAMPLES=N`` turns derandomization off and runs at least N examples per
property (a property's own count when that is larger); a failure found so is kept in
Hypothesis's local database and replayed on the next randomized run. Add it to the property
as an ``@example`` so that the deterministic run keeps checking it.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import settings

ENV = "APILINT_PROPERTY_EXAMPLES"


def property_settings(examples: int, **kwargs: Any) -> settings:
    """Settings for a property run with ``examples`` examples in the suite (see above)."""
    kwargs.setdefault("deadline", None)
    wanted = os.environ.get(ENV, "").strip()
    if wanted:
        try:
            count = int(wanted)
        except ValueError:
            raise ValueError(f"{ENV} must be a whole number, not {wanted!r}") from None
        return settings(max_examples=max(count, examples), derandomize=False, **kwargs)
    return settings(max_examples=examples, derandomize=True, database=None, **kwargs)
