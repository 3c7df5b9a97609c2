"""Pick the part of a big graph worth drawing: one node's neighbourhood or the top-N nodes.

A build of tens of thousands of papers draws badly in one page; these selections keep the
page small while staying faithful (every node kept has all its edges among kept nodes).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import networkx as nx


class NodeNotFound(LookupError):
    """``--focus`` named nothing in the graph; the message suggests near names."""


def _names(g: nx.MultiDiGraph, node: str) -> list[str]:
    d = g.nodes[node]
    names = [str(node), str(d.get("label") or "")]
    names += [str(a) for a in d.get("aliases") or []]
    if d.get("kind") == "paper":
        names.append(str(d.get("title") or ""))
    return [n for n in names if n]


def find_node(g: nx.MultiDiGraph, name: str) -> str:
    """The node whose id, label, alias or title is ``name`` (case-insensitive).

    Entities win over papers and higher paper counts win ties, so "BERT" picks the entity
    rather than a paper titled "BERT".
    """
    want = name.strip().casefold()
    hits = [n for n in g.nodes if any(s.casefold() == want for s in _names(g, n))]
    if not hits:
        vocab = {s.casefold(): s for n in g.nodes for s in _names(g, n)}
        near = difflib.get_close_matches(want, list(vocab), n=3, cutoff=0.6)
        hint = f" (did you mean: {', '.join(vocab[c] for c in near)}?)" if near else ""
        raise NodeNotFound(f"no node named {name!r} in the graph{hint}")

    def rank(n: str) -> tuple[int, int, str]:
        d = g.nodes[n]
        return (d.get("kind") != "entity", -int(d.get("paper_count") or 0), str(n))

    return min(hits, key=rank)


def neighbourhood(g: nx.MultiDiGraph, center: str, hops: int = 1) -> nx.MultiDiGraph:
    """Nodes within ``hops`` edges of ``center`` (either direction) and the edges among them."""
    if hops < 0:
        raise ValueError("hops must be >= 0")
    keep = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), center, hops)
    return induced(g, keep)


def top_nodes(g: nx.MultiDiGraph, max_nodes: int, keep: tuple[str, ...] = ()) -> nx.MultiDiGraph:
    """The ``max_nodes`` best-connected nodes (by degree, so hubs and rich papers both stay).

    ``keep`` nodes (the focus) are always included.
    """
    if max_nodes < 1:
        raise ValueError("max_nodes must be >= 1")
    if g.number_of_nodes() <= max_nodes:
        return g.copy()

    def rank(n: str) -> tuple[int, int, str]:
        return (-g.degree(n), -int(g.nodes[n].get("paper_count") or 0), str(n))

    chosen = [n for n in keep if n in g]
    rest = sorted((n for n in g.nodes if n not in set(chosen)), key=rank)
    chosen += rest[: max(0, max_nodes - len(chosen))]
    return induced(g, chosen)


def induced(g: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    """The subgraph on ``nodes`` (a copy), its nodes and edges in ``g``'s order.

    ``g.subgraph(nodes).copy()`` lists a small subgraph's nodes in the order of a set, which
    changes from run to run, and so would the page drawn from it.
    """
    keep = set(nodes)
    h = g.__class__()
    h.graph.update(g.graph)
    h.add_nodes_from((n, dict(d)) for n, d in g.nodes(data=True) if n in keep)
    h.add_edges_from(
        (u, v, k, dict(d))
        for u, v, k, d in g.edges(keys=True, data=True)
        if u in keep and v in keep
    )
    return h


def select(
    g: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    hops: int = 1,
    max_nodes: int | None = None,
) -> nx.MultiDiGraph:
    """Apply ``focus``/``hops`` then ``max_nodes``; the whole graph when neither is given."""
    keep: tuple[str, ...] = ()
    if focus:
        center = find_node(g, focus)
        g = neighbourhood(g, center, hops)
        keep = (center,)
    if max_nodes is not None:
        g = top_nodes(g, max_nodes, keep)
    return g
