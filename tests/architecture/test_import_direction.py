"""Which way imports run between the kernel and the domain apps (see README, "How it is built").

- The kernel (``mobility``) imports no domain app, except its composition root: the URL
  modules and settings, which put the apps together.
- ``employers`` and ``schools`` import nothing from ``placements``, nor from each other.
- No import cycle between apps.

Every ``import`` statement counts, wherever it is: inside functions, under ``TYPE_CHECKING``.
String references to models ("placements.Match") are not imports and are not checked.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("mobility", "employers", "schools", "placements", "demo")
DOMAIN = {"employers", "schools", "placements"}
COMPOSITION_ROOT = {
    "mobility/urls.py",
    "mobility/api_urls.py",
    "mobility/web_urls.py",
    "mobility/celery.py",
}
FORBIDDEN = {
    "mobility": DOMAIN | {"demo"},
    "employers": {"placements", "schools", "demo"},
    "schools": {"placements", "employers", "demo"},
    "placements": {"demo"},
}


def imported_modules(source: str, module: str) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) for every import in the source, relative ones resolved."""
    package = module.rsplit(".", 1)[0] if not module.endswith("__init__") else module[: -len(".__init__")]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            yield node.lineno, name


def app_of(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in APPS else None


def python_files() -> Iterator[tuple[str, str]]:
    """(path relative to the root, dotted module) for each app's Python files, migrations aside."""
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative:
                continue
            yield relative, relative[: -len(".py")].replace("/", ".")


def app_imports(files: list[tuple[str, str, str]]) -> Iterator[tuple[str, str, int, str]]:
    """(path, app, line, imported module) for each import the rules apply to, given (path, module,
    source) for each file: the composition root and the settings may import anything."""
    for path, module, source in files:
        app = app_of(module)
        if app is None or path in COMPOSITION_ROOT or path.startswith("mobility/settings/"):
            continue
        for line, imported in imported_modules(source, module):
            yield path, app, line, imported


def violations(files: list[tuple[str, str, str]]) -> list[str]:
    """Broken rules, given (path, module, source) for each file."""
    return [
        f"{path}:{line} imports {imported}"
        for path, app, line, imported in app_imports(files)
        if app_of(imported) in FORBIDDEN.get(app, set())
    ]


def app_graph(files: list[tuple[str, str, str]]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {app: set() for app in APPS}
    for _, app, _, imported in app_imports(files):
        target = app_of(imported)
        if target and target != app:
            graph[app].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found = []

    def visit(node: str, trail: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in trail:
                found.append([*trail[trail.index(nxt) :], nxt])
            elif len(trail) < len(graph):
                visit(nxt, [*trail, nxt])

    for start in sorted(graph):
        visit(start, [start])
    return found


@pytest.fixture(scope="module")
def tree() -> list[tuple[str, str, str]]:
    return [(path, module, (ROOT / path).read_text()) for path, module in python_files()]


def test_imports_run_the_allowed_way(tree: list[tuple[str, str, str]]) -> None:
    assert violations(tree) == []


def test_no_import_cycle_between_apps(tree: list[tuple[str, str, str]]) -> None:
    assert cycles(app_graph(tree)) == []


def test_the_walk_sees_every_app(tree: list[tuple[str, str, str]]) -> None:
    assert {app_of(module) for _, module, _ in tree} == set(APPS)


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("employers/selectors.py", "from placements.models import Match\n"),
        ("employers/selectors.py", "def f():\n    import schools.models\n"),
        ("schools/services.py", "if TYPE_CHECKING:\n    import placements\n"),
        ("mobility/geography/travel.py", "from placements.engine import travel\n"),
        ("mobility/api/base.py", "from employers import models\n"),
        ("placements/web/travel.py", "from demo import builder\n"),
        ("employers/web/views.py", "from ..selectors import x\nfrom ...placements import models\n"),
    ],
)
def test_a_planted_import_is_caught(path: str, source: str) -> None:
    module = path[: -len(".py")].replace("/", ".")
    assert violations([(path, module, source)])


def test_the_composition_root_may_import_apps() -> None:
    source = "from placements.api.matches import MatchViewSet\n"
    assert violations([("mobility/api_urls.py", "mobility.api_urls", source)]) == []


def test_a_planted_cycle_is_caught() -> None:
    graph = {"mobility": set(), "employers": {"placements"}, "placements": {"employers"}}
    assert cycles(graph)
