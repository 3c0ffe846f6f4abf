"""Benchmark: ``SourceMap`` lookups against merely parsing the same file.

Run: ``python benchmarks/bench_sourcemap.py`` (needs ``../shared/corpus`` beside the
repository, or ``--corpus DIR``). For each large real spec it prints, in milliseconds,

- ``parse``: one ``json.loads`` (JSON) or one ``yaml.load`` with libyaml's safe loader (YAML;
  apilint's own loader for the file libyaml refuses because of a redefined anchor),
- ``first``: building a ``SourceMap`` and looking up one pointer (the cost of the first line
  number a report asks for),
- ``random``: building a ``SourceMap`` and looking up ``--pointers`` pointers drawn uniformly
  from every node of the document (seeded), and
- ``changed``: the same with the pointers of the nodes that differ between the pair's old and
  new file (what a diff asks for), capped at ``--pointers``,

each the best of ``--repeat`` runs with a fresh map, and the ratio to ``parse``. Timings are
printed, never asserted: machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from apilint import yamlutil  # noqa: E402
from apilint.pointer import join  # noqa: E402
from apilint.sourcemap import SourceMap  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"

# (pair folder, file looked up, its format)
FILES = [
    ("kubernetes-release-1.35__release-1.36", "new.json", "json"),
    ("stripe-spec3-2020-08-27__2020-08-27", "new.json", "json"),
    ("github-api-0.0.1__0.0.1", "new.json", "json"),
    ("azure-servicefabric-6.3__6.4", "new.json", "json"),
    ("openai-2.3.0__2.3.0", "new.yaml", "yaml"),
    ("twilio-api_v2010-1.0.0__1.0.0", "new.yaml", "yaml"),
    ("openai-2.3.0__2.3.0-dupanchor", "old.yaml", "yaml"),
]


def all_pointers(data: Any) -> list[str]:
    """Every node's pointer (iterative; an aliased YAML node is listed once per path)."""
    out: list[str] = []
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, pointer = stack.pop()
        out.append(pointer)
        if isinstance(value, dict):
            stack.extend((v, join(pointer, k)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, join(pointer, i)) for i, v in enumerate(value))
    return out


def changed_pointers(old: Any, new: Any) -> list[str]:
    """Pointers (valid in ``new``) of the deepest nodes that differ between the documents."""
    out: list[str] = []
    stack: list[tuple[Any, Any, str]] = [(old, new, "")]
    while stack:
        a, b, pointer = stack.pop()
        if isinstance(a, dict) and isinstance(b, dict):
            for key, value in b.items():
                if key not in a:
                    out.append(join(pointer, key))
                elif a[key] != value:
                    stack.append((a[key], value, join(pointer, key)))
        elif isinstance(a, list) and isinstance(b, list):
            for i, value in enumerate(b):
                if i >= len(a):
                    out.append(join(pointer, i))
                elif a[i] != value:
                    stack.append((a[i], value, join(pointer, i)))
            if len(b) < len(a):
                out.append(pointer)
        elif a != b:
            out.append(pointer)
    return out


def best_of(repeat: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def parser_for(fmt: str, name: str) -> Callable[[str], Any]:
    if fmt == "json":
        return json.loads
    if "dupanchor" in name:
        return yamlutil.load  # libyaml refuses the redefined anchor
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return lambda text: yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader


def lookups(text: str, fmt: str, pointers: list[str]) -> Callable[[], object]:
    def run() -> object:
        sm = SourceMap(text, fmt)
        return [sm.position(p) for p in pointers]

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--pointers", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default="", help="run only files whose name contains this")
    args = parser.parse_args()

    header = f"{'file':48} {'parse':>7} {'first':>7} {'random':>7} {'x':>5}"
    header += f" {'changed':>8} {'n':>5} {'x':>5}"
    print(header)
    for pair, filename, fmt in FILES:
        name = f"{pair}/{filename}"
        if args.only not in name:
            continue
        path = args.corpus / "real" / pair / filename
        other = path.with_name(("old" if filename.startswith("new") else "new") + path.suffix)
        if not path.is_file() or not other.is_file():
            print(f"{name:48} (missing)")
            continue
        text = path.read_text(encoding="utf-8")
        parse = parser_for(fmt, name)
        repeat = args.repeat if fmt == "json" else max(1, args.repeat // 2)
        data = parse(text)
        other_data = parse(other.read_text(encoding="utf-8"))
        nodes = all_pointers(data)
        rng = random.Random(args.seed)
        sample = rng.sample(nodes, min(args.pointers, len(nodes)))
        changed = changed_pointers(other_data, data)
        changed = rng.sample(changed, min(args.pointers, len(changed)))
        missing = sum(SourceMap(text, fmt).position(p) is None for p in sample[:200])
        assert missing == 0, f"{name}: {missing} sampled pointers not found"

        t_parse = best_of(repeat, lambda: parse(text))  # noqa: B023 - used right away
        t_first = best_of(repeat, lookups(text, fmt, sample[:1]))
        t_random = best_of(repeat, lookups(text, fmt, sample))
        t_changed = best_of(repeat, lookups(text, fmt, changed))
        ms = 1000.0
        print(
            f"{name:48} {t_parse * ms:7.1f} {t_first * ms:7.1f} {t_random * ms:7.1f}"
            f" {t_random / t_parse:5.2f} {t_changed * ms:8.1f} {len(changed):5d}"
            f" {t_changed / t_parse:5.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
