"""The migration graph's heads, read from the version files without importing Alembic.

Importing Alembic costs a noticeable part of start-up; it is only needed when
the database is behind. Each version file declares ``revision`` and
``down_revision`` as literals on one line each, which a regular expression finds cheaply.
"""

from __future__ import annotations

import ast
import re
from functools import cache

from peer_support.resources import package_path


def _declared(tree: ast.Module, name: str):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == name for target in node.targets):
            return ast.literal_eval(node.value)
    return None


def _declared_line(text: str, name: str):
    """``name = <literal>`` on one line at the top level, as Alembic writes it; parsing the whole
    file (the fallback) costs ten times more, on every start."""
    found = re.search(rf"^{name}\s*(?::[^=]*)?=\s*(.+?)\s*(?:#.*)?$", text, re.MULTILINE)
    if found is None:
        return None
    try:
        return ast.literal_eval(found.group(1))
    except (ValueError, SyntaxError):
        return _declared(ast.parse(text), name)  # e.g. a tuple over several lines


@cache
def revision_graph() -> dict[str, tuple[str, ...]]:
    """Each revision with the revisions it follows."""
    graph = {}
    for path in sorted(package_path("storage", "migrations", "versions").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        revision = _declared_line(text, "revision")
        if revision is None:
            continue
        down = _declared_line(text, "down_revision")
        graph[revision] = tuple(down) if isinstance(down, (tuple, list)) else ((down,) if down else ())
    return graph


def known_revisions() -> set[str]:
    return set(revision_graph())


def known_heads() -> set[str]:
    graph = revision_graph()
    followed = {parent for parents in graph.values() for parent in parents}
    return set(graph) - followed


@cache
def _tables_by_revision() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Tables each revision's upgrade() creates and drops (literal names only)."""
    changes = {}
    for path in sorted(package_path("storage", "migrations", "versions").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        revision = _declared(tree, "revision")
        if revision is None:
            continue
        created, dropped = set(), set()
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == "upgrade":
                for call in ast.walk(node):
                    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.args
                            and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)):
                        if call.func.attr == "create_table":
                            created.add(call.args[0].value)
                        elif call.func.attr == "drop_table":
                            dropped.add(call.args[0].value)
        changes[revision] = (frozenset(created), frozenset(dropped))
    return changes


def expected_tables(revisions: set[str]) -> set[str]:
    """Tables a database at ``revisions`` (known ones) must hold: what their migrations created."""
    graph, changes = revision_graph(), _tables_by_revision()
    seen, pending = set(), list(revisions)
    while pending:
        revision = pending.pop()
        if revision in seen or revision not in graph:
            continue
        seen.add(revision)
        pending.extend(graph[revision])
    created = set().union(*(changes[r][0] for r in seen)) if seen else set()
    dropped = set().union(*(changes[r][1] for r in seen)) if seen else set()
    return (created - dropped) | {"alembic_version"}
