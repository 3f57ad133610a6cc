"""The shape of the code, read from its imports (every import, also those inside functions;
not those under ``if TYPE_CHECKING:``, which never run):

- no import circles, hidden or not: a shared piece goes in a small module of its own;
- no import points up the layers: domain < storage < exports < services < sample < cli < ui
  (the command line's entry may start the GUI: ``cli`` -> ``ui.app``);
- no Qt outside ``ui/``.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import peer_support

ROOT = Path(peer_support.__file__).parent
LAYERS = {"domain": 1, "storage": 2, "exports": 3, "services": 4, "sample": 5, "cli": 6, "ui": 7}
ALLOWED_UP = {("peer_support.cli", "peer_support.ui.launch")}  # the GUI's door


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.relative_to(ROOT).parts:
            continue  # Alembic loads them by path; they import nothing of ours
        parts = ("peer_support",) + path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(modules: dict[str, Path]) -> dict[str, dict[str, int]]:
    """module -> {imported module of ours: line}; third-party names kept under their top name."""
    def ours(name: str) -> str:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    edges: dict[str, dict[str, int]] = defaultdict(dict)
    for name, path in modules.items():
        tree = ast.parse(path.read_text("utf-8"))
        typing_only = {id(n) for node in ast.walk(tree)
                       if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
                       for part in node.body for n in ast.walk(part)}
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1] + ([base] if base else []))
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
            else:
                continue
            for target in targets:
                key = ours(target) if target.startswith("peer_support") else target.split(".")[0]
                if key and key != name:
                    edges[name].setdefault(key, node.lineno)
    return edges


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.get(parts[1], 0) if len(parts) > 1 else 0


def test_no_import_circles():
    modules = _modules()
    edges = _imports(modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in edges.get(module, {}):
            if target not in modules:
                continue
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            circle = []
            while True:
                member = stack.pop()
                circle.append(member)
                if member == module:
                    break
            if len(circle) > 1:
                circles.append(sorted(circle))

    for module in modules:
        if module not in index:
            visit(module)
    assert circles == []


def test_no_import_points_up_the_layers():
    edges = _imports(_modules())
    upward = [f"{module}:{line} -> {target}" for module, targets in sorted(edges.items())
              for target, line in sorted(targets.items())
              if target.startswith("peer_support") and _layer(module) and _layer(target) > _layer(module)
              and (module, target) not in ALLOWED_UP]
    assert upward == []


def test_no_qt_outside_ui():
    edges = _imports(_modules())
    qt = [f"{module}:{line}" for module, targets in sorted(edges.items()) for target, line in targets.items()
          if target in ("PySide6", "shiboken6") and _layer(module) != LAYERS["ui"]]
    assert qt == []
