"""Graph -> one self-contained, offline HTML page (vis-network via pyvis, our own template).

``write_html`` is the public entry point; the steps live in small modules: ``subgraph``
(focus/top-N selection), ``layout`` (positions computed here, physics off in the browser),
``payload`` (vis items + panel details), ``page`` (template, inline assets, safe JSON).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from kg.html.layout import positions
from kg.html.page import render
from kg.html.payload import build_payload
from kg.html.subgraph import NodeNotFound, find_node, select
from kg.io import atomic_write

__all__ = ["NodeNotFound", "find_node", "render_html", "select", "write_html"]


def render_html(
    g: nx.MultiDiGraph,
    *,
    title: str = "kg",
    focus: str | None = None,
    hops: int = 1,
    max_nodes: int | None = None,
    whole: int | None = None,
) -> str:
    """The page as a string (``write_html`` without the file); see ``write_html``."""
    sub = select(g, focus=focus, hops=hops, max_nodes=max_nodes)
    total = g.number_of_nodes() if whole is None else whole
    payload = build_payload(sub, positions(sub))
    papers = sum(1 for _, d in sub.nodes(data=True) if d.get("kind") == "paper")
    parts = [f"{papers} papers", f"{sub.number_of_nodes() - papers} entities"]
    if focus:
        parts.append(f"within {hops} hop{'s' if hops != 1 else ''} of {focus}")
    if (max_nodes is not None or whole is not None) and sub.number_of_nodes() < total:
        parts.append(f"top {sub.number_of_nodes()} of {total} nodes")
    if g.graph.get("built"):
        parts.append(f"built {g.graph['built']}")
    return render(payload, title=title, subtitle=" · ".join(parts))


def write_html(
    g: nx.MultiDiGraph,
    path: str | Path,
    *,
    title: str = "kg",
    focus: str | None = None,
    hops: int = 1,
    max_nodes: int | None = None,
    whole: int | None = None,
) -> Path:
    """Write the interactive page for ``g`` (or a focus neighbourhood / top-N part) to ``path``.

    ``whole`` is the node count of the graph ``g`` was cut from, when it is a part already
    (:func:`kg.graph.page_graph`), for the subtitle's "top N of M nodes". Raises
    ``NodeNotFound`` when ``focus`` names no node. The file is replaced atomically.
    """
    html = render_html(g, title=title, focus=focus, hops=hops, max_nodes=max_nodes, whole=whole)
    path = Path(path)
    with atomic_write(path) as fh:
        fh.write(html)
    return path
