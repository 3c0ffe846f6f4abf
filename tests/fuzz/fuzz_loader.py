"""Fuzz harness for the loader, the $ref resolver and the normaliser: bytes in, no crash out.

The property: for any bytes, loading them as a spec and comparing it with a small valid
document either works or raises ``ApilintError`` (exit 2, one line). Any other exception,
a hang or a memory blow-up is a bug.

Run by hand, coverage-guided with atheris (``pip install atheris``)::

    mkdir -p /tmp/apilint-fuzz && cp fixtures/examples/petstore/*.yaml /tmp/apilint-fuzz/
    python tests/fuzz/fuzz_loader.py /tmp/apilint-fuzz -max_total_time=600 -rss_limit_mb=2048

(libFuzzer adds the inputs it finds interesting to the first folder, so give it a scratch
copy, never the fixtures; a crash is written to ``crash-*`` in the current folder and can be
replayed with ``python tests/fuzz/fuzz_loader.py crash-…``.)

Without atheris, the same property is driven by hypothesis (also what the test suite runs,
briefly, in tests/unit/test_loader_fuzz.py)::

    python tests/fuzz/fuzz_loader.py --hypothesis 5000
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SEED = HERE.parent.parent / "fixtures" / "examples" / "petstore" / "base.yaml"
VALID = b"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n"

# YAML and JSON punctuation and keywords that make random mutations reach the parsers' corners.
TOKENS = [b"{", b"}", b"[", b"]", b":", b"- ", b"\n", b"  ", b"&a ", b"*a", b"!!", b"? ",
          b"<<: ", b"'", b'"', b"\\", b"#", b"---\n", b"$ref: ", b"'#/a'", b"paths: ", b"openapi: ",
          b"3.1.0", b"swagger: '2.0'", b"type: ", b"object", b"properties: ", b"1e999",
          b"9" * 5000, b"\xff", b"\x00", b"\t", b"%YAML 1.1\n", b"!!python/name:os.system",
          b"!!binary ", b".inf", b"~", b"null", b"allOf: ", b"items: "]

_folder: str | None = None


def _workdir() -> str:
    """One scratch project root (with a .git marker) for every input of this process."""
    global _folder
    if _folder is None:
        _folder = tempfile.mkdtemp(prefix="apilint-fuzz-")
        os.mkdir(os.path.join(_folder, ".git"))
        with open(os.path.join(_folder, "ok.yaml"), "wb") as fh:
            fh.write(VALID)
    return _folder


def check_bytes(data: bytes) -> None:
    """Raise anything but ApilintError only when apilint has a bug."""
    from apilint.api import Source, compare
    from apilint.errors import ApilintError

    folder = _workdir()
    ok = os.path.join(folder, "ok.yaml")
    for name in ("fuzz.yaml", "fuzz.json"):
        path = os.path.join(folder, name)

        def reader(p: str, _data: bytes = data, _path: str = path) -> bytes:
            if p == _path:
                return _data
            with open(p, "rb") as fh:  # a $ref to another file of the scratch root
                return fh.read()

        try:
            base = Source(path, reader=reader,
                          exists=lambda p, _path=path: p == _path or os.path.exists(p))
            cmp = compare(base, ok, root=folder)
        except ApilintError as err:
            text = str(err)
            if "\n" in text or not text:
                raise AssertionError(f"error message is not one line: {text!r}") from None
            continue
        # A document that loads must also survive the report.
        from apilint.model import Report
        from apilint.report import render

        report = Report(base=name, revision="ok.yaml", changes=cmp.changes,
                        warnings=cmp.warnings)
        render(report, "json")
        render(report, "text")


# Seeds for the other inputs apilint reads: a recorded body, a HAR file, waivers, config.
SIDE_SEEDS: dict[str, bytes] = {
    "capture": b'{"server": {"id": "9d2e6f16-1a5b-4c55-b8c1-3c6b3c1c2e11", "name": "vm", '
               b'"flavor": {"ram": 512}, "tags": ["a"], "locked": null}}',
    "har": b'{"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": '
           b'[{"request": {"method": "GET", "url": "https://c.example/v2.1/servers/1", '
           b'"headers": [{"name": "OpenStack-API-Version", "value": "compute 2.96"}]}, '
           b'"response": {"status": 200, "headers": [{"name": "Content-Type", "value": '
           b'"application/json"}], "content": {"mimeType": "application/json", '
           b'"text": "{\\"server\\": {\\"id\\": 1}}"}}}]}}',
    "waivers": b"waivers:\n  - rule: version-not-bumped\n    operation: GET /pets\n"
               b"    location: /paths/*\n    version: '1.0'\n    reason: known\n"
               b"    expires: 2030-01-01\n",
    "config": b'[tool.apilint]\npolicy = "semver"\nfiles = ["api.yaml"]\n'
              b'[tool.apilint.version]\npointer = "/info/version"\n'
              b'[tool.apilint.rules]\nversion-not-bumped = "warning"\n',
}


def check_side_bytes(kind: str, data: bytes) -> str | None:
    """The same property for the other inputs: captures (a JSON body, a HAR file), waivers
    and configuration either load or raise ``ApilintError`` with a one-line message (which
    is returned; None when the input loaded)."""
    from apilint.errors import ApilintError

    folder = _workdir()
    name = {"capture": "fuzz-resp.json", "har": "fuzz.har", "waivers": "fuzz-waivers.yaml",
            "config": "pyproject.toml"}[kind]
    path = os.path.join(folder, "side", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
    try:
        if kind in ("capture", "har"):
            from apilint.api import compare

            other = os.path.join(folder, "side-ok", name)
            os.makedirs(os.path.dirname(other), exist_ok=True)
            with open(other, "wb") as fh:
                fh.write(SIDE_SEEDS[kind])
            cmp = compare(other, path, root=folder)
            from apilint.model import Report
            from apilint.report import render

            render(Report(base=other, revision=path, changes=cmp.changes), "text")
        elif kind == "waivers":
            from apilint.waivers import load_waivers

            load_waivers(path)
        else:
            from apilint.config import load_config

            load_config(path)
    except ApilintError as err:
        text = str(err)
        if "\n" in text or not text:
            raise AssertionError(f"error message is not one line: {text!r}") from None
        return text
    return None


def side_inputs(kind: str) -> Any:
    """A hypothesis strategy of mutated ``kind`` inputs (and token soup)."""
    from hypothesis import strategies as st

    ops = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 10 ** 6), st.integers(0, 255)),
                   min_size=1, max_size=8)
    soup = st.lists(st.sampled_from(TOKENS + [b"=", b'"', b"[tool.apilint]\n", b"waivers:",
                                              b"\\u0000", b"NaN", b"Infinity"]),
                    max_size=30).map(b"".join)
    return st.one_of(soup, ops.map(lambda o: mutate(SIDE_SEEDS[kind], o)))


def mutate(seed: bytes, ops: list[tuple[int, int, int]]) -> bytes:
    """Apply (kind, position, argument) edits: 0 delete, 1 insert a token, 2 flip a byte."""
    out = bytearray(seed)
    for kind, pos, arg in ops:
        if not out:
            out.extend(TOKENS[arg % len(TOKENS)])
            continue
        at = pos % (len(out) + 1)
        if kind == 0:
            del out[at:at + 1 + arg % 16]
        elif kind == 1:
            out[at:at] = TOKENS[arg % len(TOKENS)]
        else:
            if at < len(out):
                out[at] = arg % 256
    return bytes(out)


def hypothesis_inputs() -> Any:
    """A hypothesis strategy: raw bytes, token soup, and mutations of the pet store seed."""
    from hypothesis import strategies as st

    seed = SEED.read_bytes() if SEED.exists() else VALID
    ops = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 10 ** 6), st.integers(0, 255)),
                   min_size=1, max_size=8)
    soup = st.lists(st.sampled_from(TOKENS), max_size=40).map(b"".join)
    return st.one_of(
        st.binary(max_size=300),
        soup,
        st.builds(lambda s: VALID + s, soup),
        ops.map(lambda o: mutate(seed, o)),
        ops.map(lambda o: mutate(VALID, o)),
    )


def run_hypothesis(examples: int) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(hypothesis_inputs())
    def fuzz(data: bytes) -> None:
        check_bytes(data)

    fuzz()
    for kind in SIDE_SEEDS:
        @settings(max_examples=examples, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(st.just(kind), side_inputs(kind))
        def fuzz_side(k: str, data: bytes) -> None:
            check_side_bytes(k, data)

        fuzz_side()
        print(f"{kind}: {examples} inputs, no finding", file=sys.stderr)


def run_atheris(argv: list[str]) -> None:
    import atheris

    with atheris.instrument_imports():
        import apilint.api  # noqa: F401
        import apilint.loader  # noqa: F401
        import apilint.normalise  # noqa: F401
        import apilint.refs  # noqa: F401
        import apilint.yamlutil  # noqa: F401

    atheris.Setup(argv, check_bytes)
    atheris.Fuzz()


def main(argv: list[str]) -> None:
    if len(argv) > 1 and argv[1] == "--hypothesis":
        run_hypothesis(int(argv[2]) if len(argv) > 2 else 1000)
        return
    try:
        import atheris  # noqa: F401
    except ImportError:
        print("atheris is not installed; running the hypothesis driver instead "
              "(pip install atheris for coverage-guided fuzzing)", file=sys.stderr)
        run_hypothesis(1000)
        return
    run_atheris(argv)


if __name__ == "__main__":
    main(sys.argv)
