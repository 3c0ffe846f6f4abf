"""Benchmark: ``apilint changelog`` against one ordinary diff of the same spec.

Run: ``python benchmarks/bench_changelog.py`` (needs ``../shared/corpus`` beside the
repository, or ``--corpus DIR``). For the real compute spec (``compute-c417006.yaml``, about
1.6 MB of YAML with ~450 x-openstack gates) it prints the best wall time and the CPU time of
the same run over ``--runs`` rounds (commands take turns, see ``bench.py``) of

- ``parse``: reading and parsing the spec (libyaml's safe loader);
- ``diff``: ``apilint diff`` of two commits of the spec (one ordinary diff);
- ``diff @``: ``apilint diff SPEC@2.93 SPEC@2.94`` (two projections, one diff);
- ``changelog``: ``apilint changelog SPEC --format json``, every microversion 2.1 … 2.96;
- ``changelog samples``: the same for Nova's samples tree (2.2 … 2.104).

The aim: the whole changelog costs a few diffs, not one diff per microversion (the spec is
read once and only the versions where a range starts or ends are compared). Timings are
printed, never asserted: the machine is shared. CPU time (user + system of the child) moves
less than wall time when other work runs beside it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"

PARSE = """
import sys, yaml
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
with open(sys.argv[1], encoding="utf-8") as fh:
    yaml.load(fh.read(), Loader=loader)
"""


def run_once(cmd: list[str]) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        err = proc.stderr.read().decode() if proc.stderr else ""
        sys.exit(f"failed ({code}): {' '.join(cmd)}\n{err}")
    return took, usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    compute = args.corpus / "openstack-openapi" / "compute"
    spec, older = compute / "compute-c417006.yaml", compute / "compute-e924532.yaml"
    samples = args.corpus / "nova-api-samples"
    if not spec.exists():
        sys.exit(f"no compute spec at {spec}")
    py, tool = sys.executable, [sys.executable, "-m", "apilint"]
    cmds = [
        ("parse", [py, "-c", PARSE, str(spec)]),
        ("diff", [*tool, "diff", str(older), str(spec), "--format", "json"]),
        ("diff @", [*tool, "diff", f"{spec}@2.93", f"{spec}@2.94", "--format", "json"]),
        ("changelog", [*tool, "changelog", str(spec), "--format", "json"]),
    ]
    if samples.exists():
        cmds.append(("changelog samples", [*tool, "changelog", str(samples), "--format",
                                           "json"]))
    best = {name: (float("inf"), float("inf")) for name, _ in cmds}
    for _ in range(args.runs):
        for name, cmd in cmds:
            wall, cpu = run_once(cmd)
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    print(f"{'what':20} {'wall s':>8} {'cpu s':>8} {'cpu / diff':>10}")
    diff_cpu = best["diff"][1]
    for name, _ in cmds:
        wall, cpu = best[name]
        print(f"{name:20} {wall:8.3f} {cpu:8.3f} {cpu / diff_cpu:10.2f}")


if __name__ == "__main__":
    main()
