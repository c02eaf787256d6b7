"""The web layer parses, calls one use case or the read side's entry point, and renders.

Import contracts (pyproject.toml) keep the layers in order; these checks keep two rules the
contracts cannot see: no module of web/ applies the statistics' access rules itself (that is
stats/dashboards.py's job), and none reaches into a unit of work's database session (queries live
in repositories and named query modules below web/).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "web"
MODULES = sorted(WEB.rglob("*.py"))


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _session_uses(tree: ast.AST) -> list[int]:
    """Lines reading an attribute called `session` (e.g. `work.session`); Flask's `session` is a name."""
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "session"]


def test_the_checks_see_web_modules() -> None:
    assert len(MODULES) > 20
    assert _session_uses(ast.parse("def f(work):\n    return work.session.get(1)\n")) == [2]
    assert "stats.access" in _imports(ast.parse("from stats import access\n"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(WEB)))
def test_web_never_applies_statistics_access_rules(path: Path) -> None:
    imported = _imports(ast.parse(path.read_text(encoding="utf-8")))
    assert not any(name == "stats.access" or name.startswith("stats.access.") for name in imported)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(WEB)))
def test_web_never_touches_a_database_session(path: Path) -> None:
    assert _session_uses(ast.parse(path.read_text(encoding="utf-8"))) == []
