"""Hostile input, round two: things that are not regular files, outputs that are not regular
files, signals, and text that tries to forge a line.

Each case runs the real program in a child process (``python -m apilint``), because what is
tested is what a hook or CI job sees: the exit status, stderr's single line, the file system
afterwards, and no hang (every run has a timeout).
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

SPEC = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
CHANGED = ("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
           "      responses: {'200': {description: ok}}\n")


def apilint(args: list[str], cwd: Path, *, timeout: float = 60,
            stdin: int | None = subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("APILINT_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "apilint", *args], cwd=cwd, env=env,
                          stdin=stdin, capture_output=True, text=True, timeout=timeout,
                          check=False)


def one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("apilint: "), proc.stderr
    for needle in needles:
        assert needle in proc.stderr, proc.stderr


@pytest.fixture
def pair(tmp_path: Path) -> Path:
    (tmp_path / "base.yaml").write_text(SPEC)
    (tmp_path / "revision.yaml").write_text(CHANGED)
    return tmp_path


# --- inputs that are not regular files ---------------------------------------------------------

def test_fifo_as_a_spec_is_refused_without_blocking(pair: Path) -> None:
    os.mkfifo(pair / "pipe.yaml")  # nobody ever writes: opening it to read would block
    proc = apilint(["diff", "pipe.yaml", "revision.yaml"], pair, timeout=20)
    one_line_error(proc, "pipe.yaml", "FIFO")


def test_fifo_behind_a_ref_is_refused(pair: Path) -> None:
    os.mkfifo(pair / "common.yaml")
    (pair / "revision.yaml").write_text(
        CHANGED.replace("{'200': {description: ok}}", "{'200': {$ref: 'common.yaml#/R'}}"))
    proc = apilint(["diff", "base.yaml", "revision.yaml"], pair, timeout=20)
    one_line_error(proc, "common.yaml", "FIFO")


def test_fifo_inside_a_capture_folder_is_refused(tmp_path: Path) -> None:
    for side in ("a", "b"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "server-get-resp.json").write_text('{"server": {"id": "x"}}')
    os.mkfifo(tmp_path / "b" / "stuck-resp.json")
    proc = apilint(["diff", "a", "b"], tmp_path, timeout=20)
    one_line_error(proc, "stuck-resp.json", "FIFO")


@pytest.mark.parametrize("option", ["--waivers", "--config"])
def test_fifo_or_device_as_a_side_file_is_refused(pair: Path, option: str) -> None:
    os.mkfifo(pair / "side.yaml")
    proc = apilint(["check", option, "side.yaml", "base.yaml", "revision.yaml"], pair,
                   timeout=20)
    one_line_error(proc, "side.yaml", "FIFO")
    # An endless device is refused before a byte is read (it once reached 1.9 GB).
    proc = apilint(["check", option, "/dev/zero", "base.yaml", "revision.yaml"], pair,
                   timeout=20)
    one_line_error(proc, "/dev/zero", "device")


def test_closed_stdin_is_one_line(pair: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(f"{sys.executable} -m apilint diff - revision.yaml <&-", shell=True,
                          cwd=pair, env=env, capture_output=True, text=True, timeout=30,
                          check=False)
    one_line_error(proc, "standard input")


# --- outputs that are not regular files --------------------------------------------------------

def test_output_to_a_device_writes_through_and_keeps_the_node(pair: Path) -> None:
    before = os.stat("/dev/null")
    proc = apilint(["diff", "base.yaml", "revision.yaml", "-f", "json", "-o", "/dev/null"], pair)
    assert proc.returncode == 0, proc.stderr
    after = os.lstat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_output_through_a_symlink_keeps_the_link(pair: Path) -> None:
    (pair / "reports").mkdir()
    (pair / "latest.json").symlink_to(pair / "reports" / "r.json")
    proc = apilint(["diff", "base.yaml", "revision.yaml", "-f", "json", "-o", "latest.json"],
                   pair)
    assert proc.returncode == 0, proc.stderr
    assert (pair / "latest.json").is_symlink()
    assert '"changes"' in (pair / "reports" / "r.json").read_text()
    assert not [p for p in pair.rglob(".apilint-*")]


def test_output_to_a_fifo_nobody_reads_is_an_error_not_a_hang(pair: Path) -> None:
    os.mkfifo(pair / "out.fifo")
    proc = apilint(["diff", "base.yaml", "revision.yaml", "-f", "json", "-o", "out.fifo"],
                   pair, timeout=20)
    one_line_error(proc, "out.fifo", "no reader")
    assert stat.S_ISFIFO(os.lstat(pair / "out.fifo").st_mode)  # not replaced by a file


def test_output_to_a_fifo_with_a_reader_is_written_through(pair: Path) -> None:
    fifo = pair / "out.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(0.2)  # let cat open its end first
        proc = apilint(["diff", "base.yaml", "revision.yaml", "-f", "json", "-o", "out.fifo"],
                       pair, timeout=30)
        out, _ = reader.communicate(timeout=30)
    finally:
        reader.kill()
    assert proc.returncode == 0, proc.stderr
    assert '"changes"' in out
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("kind", ["waivers", "config"])
def test_output_over_a_file_read_this_run_is_refused(pair: Path, kind: str) -> None:
    (pair / "w.yaml").write_text("waivers: []\n")
    (pair / "apilint.toml").write_text('[tool.apilint]\npolicy = "openstack"\n')
    name = {"waivers": "w.yaml", "config": "apilint.toml"}[kind]
    option = {"waivers": "--waivers", "config": "--config"}[kind]
    before = (pair / name).read_text()
    proc = apilint(["check", option, name, "base.yaml", "revision.yaml",
                    "-f", "json", "-o", name], pair)
    one_line_error(proc, name, "input file")
    assert (pair / name).read_text() == before


# --- signals -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signals_end_the_run_with_their_status(pair: Path, sig: int, status: int) -> None:
    """A run blocked reading standard input is interrupted: one line, the shell's status."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "apilint", "diff", "-", "revision.yaml"],
                            cwd=pair, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1.0)  # past the imports, blocked in the read
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == status, err
    assert "Traceback" not in err and err.count("\n") == 1


def test_interrupted_write_leaves_no_temporary_file(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from apilint import cleanup, fsutil

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fsutil.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fsutil.write_atomic(str(tmp_path / "report.txt"), "x" * 100_000)
    assert list(tmp_path.iterdir()) == []
    assert not [p for p in cleanup._PATHS if p.startswith(str(tmp_path))]


# --- text that tries to forge a line -----------------------------------------------------------

def test_text_report_escapes_controls_from_the_spec(pair: Path) -> None:
    evil = "ok\\u001b[2J\\u001b[31mFAKE\\rapilint: all clear\\nsecond line"
    (pair / "revision.yaml").write_text(
        SPEC.replace("paths: {}", f'paths:\n  /a:\n    get:\n      summary: "{evil}"\n'
                                  "      responses: {'200': {description: ok}}\n"))
    (pair / "base.yaml").write_text(
        SPEC.replace("paths: {}", "paths:\n  /a:\n    get:\n      summary: fine\n"
                                  "      responses: {'200': {description: ok}}\n"))
    proc = apilint(["diff", "base.yaml", "revision.yaml"], pair)
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\r" not in proc.stdout
    lines = [line for line in proc.stdout.splitlines() if "description-changed" in line]
    assert len(lines) == 1


def test_file_name_with_a_newline_stays_on_one_error_line(tmp_path: Path) -> None:
    name = "svc\nx.yaml"
    (tmp_path / name).write_text("openapi: [broken\n")
    (tmp_path / "ok.yaml").write_text(SPEC)
    proc = apilint(["diff", name, "ok.yaml"], tmp_path)
    one_line_error(proc, "svc\\x0ax.yaml")


# --- conform: no network, no backtracking ---------------------------------------------------

def _har(body: str, url: str = "https://compute.example.com/v2.1/flavors/1") -> str:
    import json

    entry = {
        "request": {"method": "GET", "url": url, "headers": []},
        "response": {"status": 200,
                     "headers": [{"name": "Content-Type", "value": "application/json"}],
                     "content": {"mimeType": "application/json", "text": body}},
    }
    return json.dumps({"log": {"version": "1.2", "creator": {"name": "t", "version": "1"},
                               "entries": [entry]}})


def _conform_spec(schema: str) -> str:
    return ("openapi: 3.1.0\ninfo: {title: c, version: '1'}\npaths:\n  /flavors/{id}:\n"
            "    get:\n      parameters: [{name: id, in: path, required: true, "
            "schema: {type: string}}]\n      responses:\n        '200':\n"
            "          description: ok\n          content:\n            application/json:\n"
            f"              schema: {schema}\n")


@pytest.fixture
def listener() -> object:
    """A loopback TCP listener that counts connections (it never answers)."""
    import socket
    import threading

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.2)
    seen: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            seen.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()

    class Listener:
        port = sock.getsockname()[1]
        connections = seen

    yield Listener
    stop.set()
    thread.join(timeout=2)
    sock.close()


@pytest.mark.parametrize("keyword", ["$dynamicRef", "$ref"])
def test_conform_resolves_no_uri_outside_the_spec(tmp_path: Path, listener: object,
                                                  keyword: str) -> None:
    port = listener.port  # type: ignore[attr-defined]
    outside = tmp_path.parent / "outside-secret.json"
    outside.write_text('{"type": "string", "description": "SECRET-OUTSIDE"}')
    for target in (f"http://127.0.0.1:{port}/s.json", outside.as_uri()):
        (tmp_path / "spec.yaml").write_text(_conform_spec(
            f"{{type: object, properties: {{id: {{'{keyword}': '{target}'}}}}}}"))
        (tmp_path / "c.har").write_text(_har('{"id": "1"}'))
        proc = apilint(["conform", "spec.yaml", "c.har"], tmp_path, timeout=30)
        assert proc.returncode in (0, 1, 2), proc.stderr
        assert "Traceback" not in proc.stderr and proc.stderr.count("\n") <= 1
        assert "SECRET-OUTSIDE" not in proc.stdout + proc.stderr
    assert listener.connections == []  # type: ignore[attr-defined]


def test_conform_patterns_match_in_linear_time(tmp_path: Path) -> None:
    """``(a+)+$`` against 40 ``a``s and a ``!`` takes hours on a backtracking engine."""
    (tmp_path / "spec.yaml").write_text(_conform_spec(
        "{type: object, properties: {name: {type: string, pattern: '^(a+)+$'}}, "
        "patternProperties: {'^(x+)+$': {type: integer}}, additionalProperties: false}"))
    evil = "a" * 40 + "!"
    (tmp_path / "c.har").write_text(_har(f'{{"name": "{evil}", "{"x" * 40}!": 1}}'))
    started = time.monotonic()
    proc = apilint(["conform", "spec.yaml", "c.har", "--format", "json"], tmp_path, timeout=60)
    assert time.monotonic() - started < 30
    assert proc.returncode == 1, proc.stderr
    assert "conform-schema-mismatch" in proc.stdout  # the pattern still checks
    assert "conform-undeclared-field" in proc.stdout  # and the odd key is not declared


def test_config_version_regex_matches_in_linear_time(tmp_path: Path) -> None:
    (tmp_path / "version.py").write_text("V = '" + "a" * 5000 + "'\n")
    (tmp_path / ".apilint.toml").write_text(
        '[version]\nfile = "version.py"\nregex = "^V = \'((a|a)+)+b\'"\n')
    (tmp_path / "base.yaml").write_text(SPEC)
    (tmp_path / "revision.yaml").write_text(SPEC)
    started = time.monotonic()
    proc = apilint(["check", "base.yaml", "revision.yaml"], tmp_path, timeout=60)
    assert time.monotonic() - started < 30
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(("body", "needle"), [
    ("[" * 8000 + "]" * 8000, "MAX_DEPTH"),
    ('{"a": NaN}', "NaN"),
    ('{"a": Infinity}', "Infinity"),
    ('{"a": 1' + "0" * 5000 + "}", "MAX_INT_DIGITS"),
])
def test_har_bodies_obey_the_document_limits(tmp_path: Path, body: str, needle: str) -> None:
    (tmp_path / "a.har").write_text(_har('{"id": "1"}'))
    (tmp_path / "b.har").write_text(_har(body))
    proc = apilint(["diff", "a.har", "b.har"], tmp_path, timeout=30)
    one_line_error(proc, "b.har", needle)


# --- configuration paths stay inside the project -------------------------------------------

@pytest.mark.parametrize(("table", "setting"), [
    ('[version]\nfile = "/proc/self/environ"\nregex = "(?s)(.*)"\n', "version.file"),
    ('[version]\nfile = "../outside.txt"\nregex = "(?s)(.*)"\n', "version.file"),
    ('[version]\ndiscovery = "../outside.txt"\n', "version.discovery"),
    ('waivers = "../outside.txt"\n', "waivers"),
    ('waivers = "/etc/passwd"\n', "waivers"),
    ('[version]\nfile = "link.txt"\nregex = "(?s)(.*)"\n', "version.file"),
])
def test_configured_paths_outside_the_project_are_refused(tmp_path: Path, table: str,
                                                          setting: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "outside.txt").write_text("SECRET-OUTSIDE=1\n")
    (project / "link.txt").symlink_to(tmp_path / "outside.txt")
    (project / ".apilint.toml").write_text(table)
    (project / "base.yaml").write_text(SPEC)
    (project / "revision.yaml").write_text(CHANGED)
    proc = apilint(["check", "base.yaml", "revision.yaml"], project)
    one_line_error(proc, setting)
    assert "SECRET" not in proc.stdout + proc.stderr
    assert "HOME=" not in proc.stdout + proc.stderr and "PATH=" not in proc.stdout + proc.stderr


@pytest.mark.parametrize(("depth", "refused"), [(1000, False), (1001, True)])
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_the_depth_limit_is_exact_in_json_and_yaml(tmp_path: Path, depth: int, refused: bool,
                                                   fmt: str) -> None:
    nested = "[" * (depth - 1) + "]" * (depth - 1)  # under the top-level mapping
    if fmt == "json":
        text = ('{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}, '
                f'"x-deep": {nested}}}')
    else:
        text = SPEC + f"x-deep: {nested}\n"
    (tmp_path / f"deep.{fmt}").write_text(text)
    (tmp_path / "ok.yaml").write_text(SPEC)
    proc = apilint(["diff", "ok.yaml", f"deep.{fmt}"], tmp_path)
    if refused:
        one_line_error(proc, f"deep.{fmt}", "MAX_DEPTH")
    else:
        assert proc.returncode == 0, proc.stderr


def test_markdown_links_nothing_from_spec_text(pair: Path) -> None:
    """Rendered by GitHub's own Markdown engine (cmark-gfm with its extensions): a summary
    full of URLs, www. names, e-mail addresses and mentions makes no link and no ping."""
    cmarkgfm = pytest.importorskip("cmarkgfm", reason="cmarkgfm (test extra) not installed")
    evil = ("see https://evil.example/a www.evil.example ftp://evil.example "
            "<https://evil.example/b> [x](https://evil.example/c) boss@evil.example @admin")
    body = ("      parameters:\n        - {name: q, in: query, schema: {type: string, "
            "enum: [%s]}}\n")
    (pair / "base.yaml").write_text(CHANGED.replace("get:\n", "get:\n" + body % "a"))
    (pair / "revision.yaml").write_text(
        CHANGED.replace("get:\n", "get:\n" + body % f"a, '{evil}'"))
    proc = apilint(["diff", "base.yaml", "revision.yaml", "-f", "markdown"], pair)
    assert proc.returncode == 0, proc.stderr
    html = cmarkgfm.github_flavored_markdown_to_html(proc.stdout)
    assert "evil.example" in html  # the text is there, readable
    assert "<a " not in html and "href" not in html
    assert 'class="user-mention"' not in html


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "sarif"])
def test_reports_are_utf8_even_on_an_ascii_stdout(pair: Path, fmt: str) -> None:
    body = ("      parameters:\n        - {name: q, in: query, schema: {type: string, "
            "enum: [%s]}}\n")
    (pair / "base.yaml").write_text(CHANGED.replace("get:\n", "get:\n" + body % "a"))
    (pair / "revision.yaml").write_text(
        CHANGED.replace("get:\n", "get:\n" + body % "a, 'caf\u00e9 \U0001f600'"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "ascii"}
    proc = subprocess.run([sys.executable, "-m", "apilint", "diff", "base.yaml",
                           "revision.yaml", "-f", fmt], cwd=pair, env=env,
                          capture_output=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("utf-8")
    assert "caf\u00e9" in out or "caf\\u00e9" in out


def test_progress_bar_only_on_a_terminal_and_only_when_slow(monkeypatch: pytest.MonkeyPatch,
                                                            ) -> None:
    import io

    from apilint import progress

    assert list(progress.steps(iter(range(5)), 5, "x")) == [0, 1, 2, 3, 4]  # not a terminal
    fake = io.StringIO()
    fake.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stderr", fake)
    monkeypatch.setattr(progress, "DELAY", 0.0)
    assert list(progress.steps(iter(range(3)), 3, "comparing")) == [0, 1, 2]
    assert "comparing" in fake.getvalue()  # the bar was drawn on (what says it is) a terminal


def test_no_command_ever_connects_anywhere(tmp_path: Path, listener: object) -> None:
    """Every command, given inputs that name a loopback URL everywhere a URL can stand
    ($ref, $dynamicRef, $schema, $id, servers, externalDocs, a config's ref map target, a
    HAR entry), opens no connection: apilint has no network access at all."""
    url = f"http://127.0.0.1:{listener.port}"  # type: ignore[attr-defined]
    doc = ("openapi: 3.1.0\n"
           f"info: {{title: t, version: '1', termsOfService: '{url}/tos'}}\n"
           f"jsonSchemaDialect: '{url}/dialect'\n"
           f"servers: [{{url: '{url}/v1'}}]\n"
           f"externalDocs: {{url: '{url}/docs'}}\n"
           "paths:\n  /flavors/{id}:\n    get:\n"
           "      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n"
           "      responses:\n        '200':\n          description: ok\n"
           "          content:\n            application/json:\n              schema:\n"
           f"                $schema: '{url}/schema'\n                $id: '{url}/id'\n"
           "                type: object\n"
           f"                properties: {{id: {{$dynamicRef: '{url}/dyn#x'}}}}\n")
    (tmp_path / "a.yaml").write_text(doc)
    (tmp_path / "b.yaml").write_text(doc.replace("version: '1'", "version: '2'"))
    (tmp_path / "remote.yaml").write_text(doc.replace(
        "schema:\n                $schema", f"schema:\n                $ref: '{url}/x.yaml'\n"
        "                $schema"))
    (tmp_path / "c.har").write_text(_har('{"id": "1"}', url=f"{url}/flavors/1"))
    runs = [
        ["diff", "a.yaml", "b.yaml"], ["diff", "a.yaml", "remote.yaml"],
        ["check", "a.yaml", "b.yaml"], ["check", "a.yaml", "remote.yaml"],
        ["diff", "a.yaml", "b.yaml", "--validate"],
        ["baseline", "a.yaml", "b.yaml"],
        ["conform", "a.yaml", "c.har"], ["conform", "remote.yaml", "c.har"],
        ["rules"], ["explain", "response-property-added"],
    ]
    for args in runs:
        proc = apilint(args, tmp_path, timeout=60)
        assert proc.returncode in (0, 1, 2), (args, proc.stderr)
        assert "Traceback" not in proc.stderr, (args, proc.stderr)
    assert listener.connections == []  # type: ignore[attr-defined]
