"""The layout of docs/architecture.md, held against the code's own imports.

Data flows one way: request → view (a blueprint) → service → model. These tests read every
module's imports with ``ast`` (nothing is run) and fail on an arrow that points back up or on
a circle of imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "feedback_app"
BLUEPRINTS = ("survey", "api", "auth", "admin", "studio", "dashboard")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Module → the feedback_app modules it imports at module level or inside functions."""
    graph: dict[str, set[str]] = {}
    modules = {_module_name(p) for p in PACKAGE.rglob("*.py")}
    for path in PACKAGE.rglob("*.py"):
        name = _module_name(path)
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module.startswith("feedback_app"):
                    found.add(node.module)
                    found.update(
                        f"{node.module}.{alias.name}"
                        for alias in node.names
                        if f"{node.module}.{alias.name}" in modules
                    )
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("feedback_app"))
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def _top_level_imports(path: Path) -> set[str]:
    """The feedback_app modules a file imports when it is loaded (not inside functions)."""
    modules = {_module_name(p) for p in PACKAGE.rglob("*.py")}
    found: set[str] = set()
    for node in ast.parse(path.read_text(), str(path)).body:
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("feedback_app")
        ):
            found.add(node.module)
            found.update(
                f"{node.module}.{a.name}"
                for a in node.names
                if f"{node.module}.{a.name}" in modules
            )
    return {m for m in found if m in modules and m != _module_name(path)}


def test_services_and_models_never_import_a_view():
    """A service or model that imported a blueprint would make the flow run back up."""
    graph = _imports()
    lower = [m for m in graph if m.startswith(("feedback_app.services", "feedback_app.models"))]
    assert lower, "the services and models were not found"
    for module in lower:
        upward = {
            target
            for target in graph[module]
            if any(target.startswith(f"feedback_app.{bp}") for bp in BLUEPRINTS)
        }
        assert not upward, f"{module} imports views: {sorted(upward)}"


def test_models_never_import_services():
    graph = _imports()
    for module in (m for m in graph if m.startswith("feedback_app.models")):
        assert not {t for t in graph[module] if t.startswith("feedback_app.services")}, module


def test_no_circle_of_module_level_imports():
    """Follow every load-time import; a path back to where it started is a circle."""
    graph = {_module_name(p): _top_level_imports(p) for p in PACKAGE.rglob("*.py")}
    # A package's __init__ importing its own submodules (to register routes) is not a circle.
    for name, targets in graph.items():
        graph[name] = {t for t in targets if not t.startswith(name + ".")}
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        if module in done:
            return
        assert module not in visiting, " → ".join([*visiting[visiting.index(module) :], module])
        visiting.append(module)
        for target in sorted(graph.get(module, ())):
            visit(target)
        visiting.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)


def test_services_are_grouped_in_area_packages():
    """No flat room of services: each area is a package with a docstring saying what it holds."""
    services = PACKAGE / "services"
    loose = sorted(p.name for p in services.glob("*.py") if p.name != "__init__.py")
    assert loose == ["catalog_admin.py", "demo.py"]
    for package in (p for p in services.iterdir() if (p / "__init__.py").exists()):
        assert ast.get_docstring(ast.parse((package / "__init__.py").read_text())), package.name


def test_one_wsgi_entry_point_and_environment_read_in_config_only():
    root = PACKAGE.parent
    assert not (PACKAGE / "wsgi.py").exists()
    assert 'wsgi_app = "wsgi:app"' in (root / "gunicorn.conf.py").read_text()
    readers = [
        str(p.relative_to(root))
        for p in PACKAGE.rglob("*.py")
        if "os.environ" in p.read_text() and p.name != "config.py"
    ]
    assert readers == []
