"""Imports run one way: the command line (``apilint/cli/``) sits on the library, never under it.

Read from the source with ``ast`` (every import, also those inside functions), so a lazy
import that would only run on one code path is caught too.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "apilint"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The apilint modules ``path`` imports, as dotted names (``from . import x`` names the
    submodule x when there is one)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "apilint")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "apilint":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in known else target)
    return out


def test_the_resolver_sees_relative_and_lazy_imports() -> None:
    known = _modules()
    got = _imports(PACKAGE / "cli" / "check.py", known)
    assert "apilint.cli.options" in got and "apilint.gate" in got


def test_no_library_module_imports_the_cli() -> None:
    known = _modules()
    offenders = {
        name: sorted(i for i in _imports(path, known) if i == "apilint.cli"
                     or i.startswith("apilint.cli."))
        for name, path in known.items()
        # The program's entry point (python -m apilint) is the one place that starts it.
        if not (name == "apilint.cli" or name.startswith("apilint.cli.")
                or name == "apilint.__main__")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_command_modules_do_not_import_the_group_or_each_other_in_cycles() -> None:
    known = _modules()
    cli = {n: p for n, p in known.items() if n.startswith("apilint.cli.")}
    graph = {n: {i for i in _imports(p, known) if i in cli or i == "apilint.cli"}
             for n, p in cli.items()}
    # The package __init__ holds the group and adds the commands: a command importing it
    # would be a cycle through the package.
    assert {n: sorted(g) for n, g in graph.items() if "apilint.cli" in g} == {}
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            assert state.get(nxt) != "open", f"import cycle: {' -> '.join([*trail, nxt])}"
            if nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert len(graph) >= 7  # one module per command, plus options and output


def test_every_command_has_its_own_module() -> None:
    import click

    from apilint.cli import COMMANDS, main

    ctx = click.Context(main)
    assert main.list_commands(ctx) == sorted(COMMANDS)
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command is not None and command.name == name
        module = command.callback.__module__  # type: ignore[union-attr]
        assert module.startswith("apilint.cli."), (name, module)
