"""Bad input of every kind ends with exit 2 and one line naming the file, in every command.

The table below is the contract of issue 6: each case is run through the real command line
(``apilint diff``, ``apilint check`` and ``apilint conform``), on either side of the
comparison and in every output format. The cases that could hang the machine or blow the
stack if a limit regressed (alias bombs, 100,000-deep nesting, huge numbers, huge files) run
in a child process with a memory cap, so a regression fails the test instead of the suite.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, checkout_env, run_apilint

from apilint import limits
from apilint.cli import FORMAT_CHOICES, main

OK = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
HEAD = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
CANARY = "CANARY-7f3a"  # must never appear in a message about a refused file


def resp(ref: str) -> str:
    return (HEAD + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n"
            f"          $ref: '{ref}'\n")


def schema(value: str) -> str:
    return (HEAD + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n"
            "          description: x\n          content:\n            application/json:\n"
            f"              schema: {value}\n")


def bomb() -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    return HEAD + "paths: {}\nx-bomb:\n" + "\n".join("  " + line for line in lines) + "\n"


@dataclass(frozen=True)
class Case:
    name: str
    content: bytes | str | None  # None: the case builds the path itself (see make)
    message: str  # a regular expression the message must match
    position: bool = False  # the message carries line:column
    dangerous: bool = False  # run only in a child process with a memory cap
    extra: tuple[tuple[str, str], ...] = ()  # other files next to it
    blame: str | None = None  # the file the message names, when not this one

    def make(self, folder: Path) -> Path:
        for name, text in self.extra:
            (folder / name).write_text(text, encoding="utf-8")
        path = folder / self.name
        if self.name == "dir.yaml":
            path.mkdir()
        elif self.name == "missing.yaml":
            pass
        elif isinstance(self.content, bytes):
            path.write_bytes(self.content)
        elif isinstance(self.content, str):
            path.write_text(self.content, encoding="utf-8")
        return path


CASES: list[Case] = [
    Case("missing.yaml", None, r"no such file"),
    # A directory may hold captures, so it is refused as either.
    Case("dir.yaml", None, r"is a directory|no .json or .har captures"),
    Case("empty.yaml", "", r"empty"),
    Case("blank.yaml", "  \n\t\n\n", r"empty"),
    Case("latin1.yaml", HEAD.encode() + b"paths: {}\nx: caf\xe9\n", r"invalid UTF-8", True),
    Case("utf16.yaml", OK.encode("utf-16"), r"UTF-16"),
    Case("nul.bin", bytes(range(256)) * 8, r"binary file"),
    Case("garbage.yaml", bytes((i * 37 + 11) % 255 + 1 for i in range(4000)),
         r"invalid UTF-8", True),
    Case("control.yaml", HEAD + "paths: {}\nx: a\x07b\n", r"control character", True),
    Case("truncated.json", '{"openapi": "3.0.0", "info": {"title": "t"', r"invalid JSON", True),
    Case("truncated.yaml", HEAD + "paths:\n  /a: {get: [1, 2\n", r"invalid YAML", True),
    Case("badindent.yaml", "openapi: 3.0.0\n  info: : x\n - y\n", r"invalid YAML", True),
    Case("two-docs.yaml", OK + "---\n" + OK, r"invalid YAML", True),
    Case("nan.json", '{"openapi": "3.0.0", "x": NaN}', r"NaN is not a JSON value", True),
    Case("not-openapi.yaml", "name: my service\nport: 8080\n", r"not an OpenAPI"),
    Case("list.yaml", "- a\n- b\n", r"not an OpenAPI"),
    Case("prose.md", f"# Title\n\nJust some prose {CANARY}.\n", r"not an OpenAPI"),
    Case("v4.yaml", "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
         r"unsupported OpenAPI version", True),
    Case("swagger3.yaml", "swagger: '3.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
         r"unsupported Swagger version", True),
    Case("paths-list.yaml", HEAD + "paths: [a, b]\n", r"'paths' must be a mapping", True),
    Case("paths-str.yaml", HEAD + "paths: hello\n", r"'paths' must be a mapping", True),
    Case("pathitem-num.yaml", HEAD + "paths: {/a: 5}\n", r"must be a mapping", True),
    Case("op-str.yaml", HEAD + "paths: {/a: {get: nope}}\n", r"must be a mapping", True),
    Case("params-num.yaml", HEAD + "paths: {/a: {get: {parameters: 7, responses: {}}}}\n",
         r"parameters .* must be a list", True),
    Case("schemas-list.yaml", HEAD + "paths: {}\ncomponents: {schemas: [1, 2]}\n",
         r"components.schemas' must be a mapping", True),
    Case("schema-num.yaml", schema("5"), r"schema .* must be a mapping", True),
    Case("properties-list.yaml", schema("{type: object, properties: [a, b]}"),
         r"'properties' .* must be a mapping", True),
    Case("allof-map.yaml", schema("{allOf: {a: 1}}"), r"'allOf' .* must be a list", True),
    Case("dangling.yaml", resp("#/components/responses/Nope"), r"points to nothing", True),
    Case("dangling-unused.yaml", HEAD + "paths: {}\ncomponents:\n  schemas:\n"
         "    A: {$ref: '#/components/schemas/Gone'}\n", r"points to nothing", True),
    Case("self-cycle.yaml", schema("{$ref: '#/x-a'}") + "x-a: {$ref: '#/x-a'}\n",
         r"cycle of references", True),
    Case("cycle.yaml", schema("{$ref: '#/components/schemas/A'}") + "components:\n  schemas:\n"
         "    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
         r"cycle of references", True),
    Case("ref-int.yaml", resp("x").replace("'x'", "5"), r"\$ref must be a string"),
    Case("abs-ref.yaml", resp("/etc/passwd#/x"), r"absolute path", True),
    Case("escape-ref.yaml", resp("../../../../../../../../../etc/passwd"),
         r"leaves the project root", True),
    Case("text-ref.yaml", resp("notes.txt"),
         r"\$ref 'notes.txt' names a file that is not a JSON or YAML document .*notes\.txt",
         True, extra=(("notes.txt", f"{CANARY} some secret text\n"),)),
    Case("broken-ref.yaml", resp("other.yaml#/R"), r"invalid YAML", True,
         extra=(("other.yaml", f"R: [{CANARY}\n"),), blame="other.yaml"),
    Case("python-tag.yaml", HEAD + "paths: {}\nx: !!python/object/apply:os.system ['true']\n",
         r"unsafe YAML tag refused", True),
    Case("python-name.yaml", HEAD + "paths: {}\nx: !!python/name:os.system\n",
         r"unsafe YAML tag refused", True),
    Case("custom-tag.yaml", HEAD + f"paths: {{}}\nx: !{CANARY} y\n", r"YAML tag not allowed",
         True),
    Case("binary-tag.yaml", HEAD + "paths: {}\nx: !!binary aGVsbG8=\n", r"YAML type not allowed",
         True),
    Case("recursive.yaml", HEAD + "paths: {}\nx: &a [1, *a]\n", r"recursive structure", True),
    Case("complex-key.yaml", HEAD + "paths: {}\nx: {? [1, 2] : y}\n", r"mapping key", True),
    Case("inf.yaml", HEAD + "paths: {}\nx: .inf\n", r"infinite or NaN", True),
    # -- bounded time and memory -----------------------------------------------------------
    Case("bomb.yaml", bomb(), r"MAX_YAML_NODES", True, dangerous=True),
    Case("deep.json", "[" * 100_000 + "]" * 100_000, r"nesting deeper than .*MAX_DEPTH",
         dangerous=True),
    Case("deep-object.json", '{"openapi": "3.0.0", "x": ' + '{"a": ' * 100_000 + "1"
         + "}" * 100_001, r"MAX_DEPTH", dangerous=True),
    Case("deep-flow.yaml", "openapi: 3.0.0\nx: " + "[" * 100_000 + "]" * 100_000 + "\n",
         r"MAX_DEPTH", True, dangerous=True),
    Case("deep-block.yaml", "openapi: 3.0.0\nx:\n" + "- " * 100_000 + "1\n", r"MAX_DEPTH",
         True, dangerous=True),
    Case("deep-alias.yaml", HEAD + "paths: {}\nd: &d " + "[" * 900 + "]" * 900 + "\n"
         + "e: " + "[" * 200 + "*d" + "]" * 200 + "\n", r"once aliases are expanded", True,
         dangerous=True),
    Case("big-int.json", '{"openapi": "3.0.0", "x": ' + "9" * 100_000 + "}",
         r"100000 digits.*MAX_INT_DIGITS", True, dangerous=True),
    Case("big-int.yaml", HEAD + "paths: {}\nx: " + "9" * 100_000 + "\n", r"MAX_INT_DIGITS",
         True, dangerous=True),
    Case("big-float.json", '{"openapi": "3.0.0", "x": 1e999999}', r"too large", True,
         dangerous=True),
]

BY_NAME = {c.name: c for c in CASES}
LINE = re.compile(r"^apilint: (?P<file>[^:]+?)(?::(?P<line>\d+):(?P<col>\d+))?: (?P<msg>.+)$")


def check_one_line(stderr: str, case: Case, shown: str) -> None:
    """The error is exactly one short line naming the file, never a traceback or the content."""
    assert "Traceback" not in stderr
    assert CANARY not in stderr
    lines = [line for line in stderr.splitlines() if not line.startswith("apilint: warning:")]
    assert len(lines) == 1, stderr
    line = lines[0]
    assert len(line) < 400, line
    match = LINE.match(line)
    assert match, line
    assert match["file"].endswith(shown), line
    assert re.search(case.message, match["msg"]), line
    if case.position:
        assert match["line"] and match["col"], line


def _ok(folder: Path) -> Path:
    ok = folder / "ok.yaml"
    ok.write_text(OK, encoding="utf-8")
    return ok


def commands(bad: Path, ok: Path) -> list[tuple[str, list[str]]]:
    """Every command that reads a spec, with ``bad`` as base, revision or spec.

    Each gets ``--output``: the test checks that no report or waiver file appears.
    """
    har = FIXTURES / "captures" / "compute-conform.har"
    out = []
    for fmt in FORMAT_CHOICES:
        out.append((f"diff-base-{fmt}", ["diff", str(bad), str(ok), "--format", fmt]))
        out.append((f"diff-rev-{fmt}", ["diff", str(ok), str(bad), "--format", fmt]))
        out.append((f"check-base-{fmt}", ["check", str(bad), str(ok), "--format", fmt]))
        out.append((f"check-rev-{fmt}", ["check", str(ok), str(bad), "--format", fmt]))
    for fmt in ("text", "json"):
        out.append((f"conform-{fmt}", ["conform", str(bad), str(har), "--format", fmt]))
    out.append(("baseline-base", ["baseline", str(bad), str(ok)]))
    out.append(("baseline-rev", ["baseline", str(ok), str(bad)]))
    return out


SAFE = [c for c in CASES if not c.dangerous]


@pytest.mark.parametrize("case", SAFE, ids=[c.name for c in SAFE])
def test_every_command_and_format_says_one_line(case: Case, tmp_path: Path) -> None:
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / ".git").mkdir()  # the project root refs may not leave
    bad = case.make(folder)
    ok = _ok(folder)
    runner = CliRunner()
    for label, args in commands(bad, ok):
        out_file = tmp_path / f"{label}.out"
        result = runner.invoke(main, [*args, "--output", str(out_file)])
        assert result.exit_code == 2, (label, result.stdout, result.stderr)
        check_one_line(result.stderr, case, case.blame or case.name)
        assert not out_file.exists(), label  # no report, not even a partial one


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    cap = 1024 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def run_capped(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``run_apilint`` under the memory cap, without debug tracebacks."""
    return run_apilint(*args, cwd=cwd, preexec_fn=_limit_memory,
                       env={**os.environ, "APILINT_DEBUG": ""})


DANGEROUS = [c for c in CASES if c.dangerous]


@pytest.mark.parametrize("case", DANGEROUS, ids=[c.name for c in DANGEROUS])
def test_hostile_file_is_refused_in_a_real_process(case: Case, tmp_path: Path) -> None:
    bad = case.make(tmp_path)
    _ok(tmp_path)
    for args in (["diff", bad.name, "ok.yaml", "--format", "json"],
                 ["check", "ok.yaml", bad.name, "--format", "sarif"]):
        proc = run_capped(*args, cwd=tmp_path)
        assert proc.returncode == 2, (args, proc.returncode, proc.stderr[-2000:])
        check_one_line(proc.stderr, case, bad.name)
        assert proc.stdout == ""


@pytest.mark.parametrize("name", ["latin1.yaml", "python-tag.yaml", "escape-ref.yaml",
                                  "cycle.yaml", "text-ref.yaml"])
def test_sample_cases_in_a_real_process(name: str, tmp_path: Path) -> None:
    """The in-process runs above are backed by real processes for a sample of the table."""
    case = BY_NAME[name]
    (tmp_path / ".git").mkdir()
    bad = case.make(tmp_path)
    _ok(tmp_path)
    proc = run_capped("diff", "ok.yaml", bad.name, cwd=tmp_path)
    assert proc.returncode == 2
    check_one_line(proc.stderr, case, case.blame or bad.name)


def test_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:  # sparse: no disk used, but the size is real
        fh.write(OK.encode())
        fh.seek(limits.MAX_FILE_BYTES + 10)
        fh.write(b"\n")
    _ok(tmp_path)
    proc = run_capped("diff", "big.yaml", "ok.yaml", cwd=tmp_path)
    assert proc.returncode == 2
    check_one_line(proc.stderr, Case("big.yaml", None, r"byte limit \(limit MAX_FILE_BYTES\)"),
                   "big.yaml")


def test_endless_device_is_cut_at_the_size_limit(tmp_path: Path) -> None:
    """A device that reports size 0 and never ends is read only up to the limit."""
    _ok(tmp_path)
    proc = run_capped("diff", "/dev/zero", "ok.yaml", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("apilint: /dev/zero: ") and proc.stderr.count("\n") == 1


UNPRIVILEGED = """
import os, pkgutil, importlib, sys
import apilint
for mod in pkgutil.walk_packages(apilint.__path__, "apilint."):
    importlib.import_module(mod.name)
from apilint.catalogue import rules
rules()
if os.geteuid() == 0:  # root reads every file: become nobody, with everything imported
    os.setgid(65534)
    os.setuid(65534)
from apilint.cli import main
main(sys.argv[1:], prog_name="apilint")
"""


def test_unreadable_file() -> None:
    import tempfile

    # A folder of our own directly under the system temp dir, open to the unprivileged user
    # (pytest's own temp folders are private to root and must stay so).
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        folder.chmod(0o755)
        ok = _ok(folder)
        ok.chmod(0o644)
        secret = folder / "secret.yaml"
        secret.write_text(OK, encoding="utf-8")
        secret.chmod(0)
        proc = subprocess.run([sys.executable, "-c", UNPRIVILEGED, "diff", str(secret), str(ok)],
                              cwd=folder, capture_output=True, text=True, timeout=120,
                              preexec_fn=_limit_memory, env=checkout_env())
    assert proc.returncode == 2, proc.stderr
    check_one_line(proc.stderr, Case("secret.yaml", None, r"permission denied"), "secret.yaml")


def test_stdin_garbage(tmp_path: Path) -> None:
    _ok(tmp_path)
    proc = run_apilint("diff", "-", "ok.yaml", cwd=tmp_path, input=b"\xff\xfe\x00garbage",
                       text=False, timeout=60)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "Traceback" not in err and err.count("\n") == 1 and err.startswith("apilint: -")


# -- $ref confinement ---------------------------------------------------------------------------
def _tree(tmp_path: Path) -> tuple[Path, Path]:
    """repo/.git, repo/api/openapi.yaml, repo/common/types.yaml, and outside/secret.yaml."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "api").mkdir()
    (repo / "common").mkdir()
    (repo / "common" / "types.yaml").write_text(
        "Pet: {type: object, properties: {name: {type: string}}}\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(f"Pet: {{description: {CANARY}}}\n", encoding="utf-8")
    return repo, outside


def _spec_with(ref: str) -> str:
    return schema(f"{{$ref: '{ref}'}}")


def test_parent_refs_inside_the_git_work_tree_are_followed(tmp_path: Path) -> None:
    repo, _ = _tree(tmp_path)
    spec = repo / "api" / "openapi.yaml"
    spec.write_text(_spec_with("../common/types.yaml#/Pet"), encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(spec), str(spec), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert "not followed" not in result.stdout


def test_parent_refs_past_the_root_are_refused(tmp_path: Path) -> None:
    repo, _ = _tree(tmp_path)
    spec = repo / "api" / "openapi.yaml"
    spec.write_text(_spec_with("../../outside/secret.yaml#/Pet"), encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(spec), str(spec)])
    assert result.exit_code == 2
    check_one_line(result.stderr, Case("x", None, r"leaves the project root .*--root", True),
                   "openapi.yaml")
    # --root widens the boundary on purpose.
    result = CliRunner().invoke(main, ["diff", str(spec), str(spec), "--root", str(tmp_path)])
    assert result.exit_code == 0, result.stderr


def test_outside_git_the_spec_folder_is_the_root(tmp_path: Path) -> None:
    folder = tmp_path / "loose"
    folder.mkdir()
    (tmp_path / "sibling.yaml").write_text("Pet: {type: string}\n", encoding="utf-8")
    spec = folder / "openapi.yaml"
    spec.write_text(_spec_with("../sibling.yaml#/Pet"), encoding="utf-8")
    if any((p / ".git").exists() for p in [tmp_path, *tmp_path.parents]):
        pytest.fail("the temporary folder is inside a git work tree; the test cannot run")
    result = CliRunner().invoke(main, ["diff", str(spec), str(spec)])
    assert result.exit_code == 2
    assert "leaves the project root" in result.stderr


def test_symlink_out_of_the_root_is_refused(tmp_path: Path) -> None:
    repo, outside = _tree(tmp_path)
    (repo / "api" / "shared").symlink_to(outside, target_is_directory=True)
    spec = repo / "api" / "openapi.yaml"
    spec.write_text(_spec_with("shared/secret.yaml#/Pet"), encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(spec), str(spec), "--format", "json"])
    assert result.exit_code == 2
    assert CANARY not in result.stdout + result.stderr
    check_one_line(result.stderr, Case("x", None, r"symlink out of the project root", True),
                   "openapi.yaml")


@pytest.mark.parametrize("ref", ["https://example.com/common.yaml#/Pet",
                                 "http://169.254.169.254/latest/meta-data#/x",
                                 "//example.com/x.yaml", "file:///etc/passwd"])
def test_remote_refs_are_never_fetched(ref: str, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Never fetched, and never compared as text either: the gate fails closed (exit 2)."""
    import socket

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("apilint opened a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    (tmp_path / ".git").mkdir()
    spec = tmp_path / "openapi.yaml"
    spec.write_text(_spec_with(ref), encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(spec), str(spec), "--format", "json"])
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    check_one_line(result.stderr, Case("x", None, r"is remote and apilint never fetches; "
                                       r"map it to a local folder with --ref-map", True),
                   "openapi.yaml")


def test_missing_ref_file_is_refused_at_its_ref(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    spec = tmp_path / "openapi.yaml"
    spec.write_text(_spec_with("gone.yaml#/A") + "components:\n  schemas:\n"
                    "    B: {$ref: 'gone.yaml#/B'}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(spec), str(spec), "--format", "json"])
    assert result.exit_code == 2, result.stdout
    check_one_line(result.stderr, Case("x", None, r"\$ref 'gone.yaml#/.' names a file that "
                                       r"does not exist", True), "openapi.yaml")


# -- duplicate keys: a warning with its place; the later value is used ---------------------
def test_duplicate_keys_are_warned_with_their_place(tmp_path: Path) -> None:
    spec = tmp_path / "dup.yaml"
    spec.write_text(HEAD + "paths: {}\npaths:\n  /a: {get: {responses: {'200': "
                    "{description: x}}}}\n", encoding="utf-8")
    ok = _ok(tmp_path)
    result = CliRunner().invoke(main, ["diff", str(ok), str(spec), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    import json

    report = json.loads(result.stdout)
    assert any(re.search(r"dup\.yaml:4:1: duplicate key 'paths'", w) for w in report["warnings"])
    assert report["summary"]["by_category"]["new-call"] == 1  # the later value was used


def test_duplicate_keys_in_json_are_warned(tmp_path: Path) -> None:
    spec = tmp_path / "dup.json"
    spec.write_text('{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, '
                    '"paths": {"/a": {}}, "paths": {}}', encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(spec), str(spec), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert "duplicate key 'paths'" in result.stdout


# -- apilint never writes to what it reads -----------------------------------------------------
def test_inputs_are_not_modified(tmp_path: Path) -> None:
    a = tmp_path / "a.yaml"
    a.write_text(OK, encoding="utf-8")
    b = tmp_path / "b.yaml"
    b.write_text(OK.replace("paths: {}", "paths: {/x: {get: {responses: {}}}}"),
                 encoding="utf-8")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (a, b)}
    out = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["diff", str(a), str(b), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (a, b)} == before
    assert out.read_text(encoding="utf-8").startswith("{")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml", "report.json"]


def test_loader_remembers_what_it_read(tmp_path: Path) -> None:
    from apilint.loader import is_input, load_document

    spec = tmp_path / "in.yaml"
    spec.write_text(OK, encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(spec)
    assert not is_input(str(link))
    load_document(str(spec))
    assert is_input(str(spec)) and is_input(str(link))
    assert not is_input(str(tmp_path / "other.json"))


def test_safety_section_names_every_limit() -> None:
    """The README's "Safety" section states each limit with its value."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    text = readme.split("\n## Safety\n", 1)[1].split("\n## ", 1)[0]
    for name, value in limits.describe().items():
        row = next((line for line in text.splitlines() if f"`{name}`" in line), None)
        assert row is not None, name
        shown = f"{value // (1024 * 1024)} MiB" if name == "MAX_FILE_BYTES" else f"{value:,}"
        assert shown in row, (name, row)
