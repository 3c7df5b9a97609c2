"""Data flows one way: no kg module imports one downstream of it, at any depth of the code.

Imports inside functions count too: a lazy import is still a dependency, and a cycle hidden in
a function body is how ``kg.rdf`` and ``kg.outputs`` once came to need each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

KG = Path(__file__).resolve().parent.parent / "kg"

#: The stages in data-flow order; a module may import only from stages before its own.
#: ``learn`` (training) sits above ``extract``: extraction at run time never needs sklearn.
CHAIN = (
    "model",
    "ingest|extract",
    "learn|resolve",
    "graph",
    "rdf",
    "outputs",
    "builder",
    "api",
    "cli",
)


def _unit(module: str) -> str:
    """``kg.extract.assemble`` -> ``extract``; ``kg.rdf`` -> ``rdf``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _exists(unit: str) -> bool:
    return (KG / unit).is_dir() or (KG / f"{unit}.py").is_file()


def import_graph() -> nx.DiGraph:
    """Which kg unit (top-level module or subpackage) imports which, from every file's AST."""
    g = nx.DiGraph()
    for path in KG.rglob("*.py"):
        rel = path.relative_to(KG.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        me = _unit(".".join(parts))
        if not me or me == "__main__":
            continue
        g.add_node(me)
        package = parts if path.name == "__init__.py" else parts[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[: len(package) - node.level + 1]
                    mod = ".".join([*base, node.module] if node.module else base)
                else:
                    mod = node.module or ""
                targets = [mod] + [f"{mod}.{a.name}" for a in node.names if mod == "kg"]
            for target in targets:
                other = _unit(target) if target.startswith("kg.") else ""
                if other and other != me and _exists(other):
                    g.add_edge(me, other)
    return g


def test_no_import_cycles():
    g = import_graph()
    cycles = list(nx.simple_cycles(g))
    assert cycles == [], f"kg modules import each other: {cycles}"


def test_rdf_and_outputs_are_untangled():
    g = import_graph()
    assert g.has_edge("outputs", "rdf")
    assert not g.has_edge("rdf", "outputs")


def test_stages_import_only_upstream():
    g = import_graph()
    stage = {name: i for i, names in enumerate(CHAIN) for name in names.split("|")}
    wrong = [f"{a} imports {b}" for a, b in g.edges if stage.get(b, -1) >= stage.get(a, 99)]
    assert wrong == []
    # Every stage is reached from the faces, through the chain.
    for face in ("api", "cli"):
        assert face in g
    assert nx.has_path(g, "cli", "api")
    assert nx.has_path(g, "api", "builder") and nx.has_path(g, "builder", "outputs")
