"""The import rules that hold the shape (docs/architecture.md), checked by reading every
module's source: `ui → core → index`, `cli → core → index`, core/index/cli free of Qt.

Imports anywhere in a module count, function-level ones included (a lazy `import index` in
a widget is still ui reaching past core). Cycles are looked for among module-level imports,
the ones that run when a module is first imported.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ("cli", "core", "index", "ui")
QT = ("PySide6", "shiboken6")
# package → top-level names it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "index": ("core", "ui", "cli", *QT),
    "core": ("ui", "cli", *QT),
    "cli": ("ui", *QT),
    "ui": ("index", "cli"),
}


@dataclass(frozen=True)
class Import:
    module: str       # the importing module, dotted
    target: str       # the imported module, dotted
    line: int
    top_level: bool   # runs at import time (not inside a function or TYPE_CHECKING block)
    parent: str = ""  # for `from X import Y`: X (the target when X.Y is not a module)


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_pkg: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_pkg else base[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(root: Path, path: Path) -> list[Import]:
    module = module_name(root, path)
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    out: list[Import] = []

    def walk(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = top
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                nested = False
            elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                nested = False
            if isinstance(child, ast.Import):
                out.extend(Import(module, a.name, child.lineno, top) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = _resolve(module, path.name == "__init__.py", child)
                for a in child.names:  # `from ui import session` may import ui.session
                    target = f"{base}.{a.name}" if base else a.name
                    out.append(Import(module, target, child.lineno, top, base))
            walk(child, nested)
    walk(tree, True)
    return out


def all_modules(root: Path) -> dict[str, Path]:
    mods: dict[str, Path] = {}
    for pkg in PACKAGES:
        for path in sorted((root / pkg).rglob("*.py")):
            if "__pycache__" not in path.parts:
                mods[module_name(root, path)] = path
    return mods


def layer_violations(root: Path) -> list[str]:
    bad = []
    mods = all_modules(root)
    for mod, path in mods.items():
        banned = FORBIDDEN[mod.split(".")[0]]
        for imp in imports_of(root, path):
            target = imp.target if imp.target in mods or not imp.parent else imp.parent
            if target.split(".")[0] in banned:
                bad.append(f"{path.relative_to(root)}:{imp.line}: {mod} imports {target}")
    return sorted(set(bad))


def import_cycles(root: Path) -> list[list[str]]:
    """Strongly connected groups of modules that import each other at import time."""
    mods = all_modules(root)
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        for imp in imports_of(root, path):
            target = imp.target if imp.target in mods or not imp.parent else imp.parent
            if imp.top_level and target in mods and target != mod:
                graph[mod].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    groups: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:  # Tarjan; the graph is small enough for recursion
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))
    for v in graph:
        if v not in index:
            strong(v)
    return groups
