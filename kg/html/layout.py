"""Node positions computed before the page is written, so the browser never runs physics.

networkx's spring layout needs SciPy past 500 nodes and takes tens of seconds at 5,000;
igraph's grid Fruchterman-Reingold (C) lays out 7,000 nodes in well under a second. Each
connected component is laid out on its own and the components are packed in rows, largest
first: laid out together, small components drift far away and shrink the main one to a dot.
"""

from __future__ import annotations

import math
import random

import igraph as ig
import networkx as nx

#: Average edge length on the canvas, in vis-network pixels.
SPACING = 110.0
#: Gap between packed components.
GAP = 60.0

Box = tuple[float, float, float, float]


def _component(nodes: list, edges: set[tuple[int, int]], seed: int) -> list[tuple[float, float]]:
    """Fruchterman-Reingold coordinates for one component, mean edge length ``SPACING``."""
    if len(nodes) == 1:
        return [(0.0, 0.0)]
    pairs = sorted(edges)
    h = ig.Graph(n=len(nodes), edges=pairs)
    # Weaker springs on hub edges: a hub's hundreds of neighbours spread out instead of
    # piling into one unreadable knot around it.
    deg = h.degree()
    weights = [1.0 / math.sqrt(max(1, min(deg[a], deg[b]))) for a, b in pairs]
    # igraph draws its start positions from the RNG it is given: a seeded one, restored after.
    ig.set_random_number_generator(random.Random(seed))
    try:
        coords = h.layout_fruchterman_reingold(weights=weights, niter=500, grid="auto").coords
    finally:
        ig.set_random_number_generator(random)
    lengths = [math.dist(coords[a], coords[b]) for a, b in edges]
    mean = sum(lengths) / len(lengths) if lengths else 1.0
    scale = SPACING / mean if mean > 0 else 1.0
    return [(x * scale, y * scale) for x, y in coords]


def _bbox(coords: list[tuple[float, float]]) -> Box:
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    return min(xs), min(ys), max(xs), max(ys)


def positions(g: nx.Graph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Deterministic (x, y) per node: components laid out apart, then packed in rows."""
    und = g.to_undirected(as_view=True) if g.is_directed() else g
    comps = sorted(
        (sorted(c, key=str) for c in nx.connected_components(und)),
        key=lambda c: (-len(c), str(c[0])),
    )
    laid: list[tuple[list, list[tuple[float, float]], Box]] = []
    for comp in comps:
        index = {n: i for i, n in enumerate(comp)}
        edges = {
            (min(index[u], index[v]), max(index[u], index[v])) for u, v in und.edges(comp) if u != v
        }
        coords = _component(comp, edges, seed)
        laid.append((comp, coords, _bbox(coords)))
    if not laid:
        return {}

    # Rows as wide as the largest component (or the square root of the total area).
    area = sum((b[2] - b[0] + GAP) * (b[3] - b[1] + GAP) for _, _, b in laid)
    first = laid[0][2]
    width = max(first[2] - first[0], math.sqrt(area))
    out: dict[str, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for comp, coords, (x0, y0, x1, y1) in laid:
        w, h = x1 - x0, y1 - y0
        if x > 0 and x + w > width:
            x, y, row_h = 0.0, y + row_h + GAP, 0.0
        for n, (cx, cy) in zip(comp, coords, strict=True):
            out[n] = (round(x + cx - x0, 1), round(y + cy - y0, 1))
        x += w + GAP
        row_h = max(row_h, h)
    return out
