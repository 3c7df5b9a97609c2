"""kg: knowledge graphs of the machine-learning literature.

From Python (the README's "From Python" section)::

    import kg
    report = kg.build(["seeds"], out="output")
    g = kg.open("output")
    g.query("datasets-most-used").to_pandas()

Importing kg is light: the functions live in :mod:`kg.api` and load spaCy, rdflib or networkx
only when called; the classes below are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kg.api import KnowledgeGraph, build, open, queries

if TYPE_CHECKING:
    from kg.builder import BuildReport
    from kg.explain import EntityReport
    from kg.query import NamedQuery, QueryError, Rows
    from kg.store import StoreError

__version__ = "0.1.0"

#: Public classes, each imported from its module the first time it is asked for.
_LAZY = {
    "BuildReport": "kg.builder",
    "EntityReport": "kg.explain",
    "NamedQuery": "kg.query",
    "QueryError": "kg.query",
    "Rows": "kg.query",
    "StoreError": "kg.store",
}

__all__ = [
    "BuildReport",
    "EntityReport",
    "KnowledgeGraph",
    "NamedQuery",
    "QueryError",
    "Rows",
    "StoreError",
    "__version__",
    "build",
    "open",
    "queries",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
