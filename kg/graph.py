"""Resolved corpus -> networkx MultiDiGraph, the one structure every export reads.

The node and edge attributes are the contract described in docs/DESIGN.md.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.links import find_links
from kg.model import Entity, Mention, Paper, PaperExtraction, Relation, ResolvedCorpus

if TYPE_CHECKING:
    from kg.resolve import NameIndex

PAPER_PREFIX = "paper:"
ENTITY_PREFIX = "entity:"


def paper_node(paper_id: str) -> str:
    return f"{PAPER_PREFIX}{paper_id}"


def entity_node(key: str) -> str:
    return f"{ENTITY_PREFIX}{key}"


def paper_attrs(p: Paper) -> dict[str, Any]:
    """A paper node's attributes."""
    return {
        "kind": "paper",
        "label": p.title,
        "title": p.title,
        "abstract": p.abstract,
        "metadata": dict(p.metadata),
        "source": p.source,
        "line": p.line,
        "links": [link.to_dict() for link in find_links(p.text)],
    }


def entity_attrs(e: Entity) -> dict[str, Any]:
    """An entity node's attributes."""
    return {
        "kind": "entity",
        "label": e.name,
        "type": e.type,
        "aliases": sorted(e.aliases),
        "paper_count": len(e.papers),
        "proposed_by": sorted(pid for pid, role in e.papers.items() if role == "proposed"),
        "confidence": e.confidence,
    }


Edge = tuple[str, str, str, dict[str, Any]]  # (from node, to node, edge key, attributes)


def mention_edge(m: Mention) -> Edge:
    """A paper's proposes/uses link to an entity."""
    rel = "proposes" if m.role == "proposed" else "uses"
    attrs = {
        "relation": rel,
        "paper": m.paper_id,
        "surface": m.surface,
        "confidence": m.confidence,
        "evidence": list(m.evidence),
    }
    return paper_node(m.paper_id), entity_node(m.entity_key), rel, attrs


def relation_edge(r: Relation) -> Edge:
    """An entity-entity relation stated in one paper."""
    attrs = {
        "relation": r.relation,
        "paper": r.paper_id,
        "confidence": r.confidence,
        "evidence": [r.evidence] if r.evidence else [],
    }
    return entity_node(r.head), entity_node(r.tail), f"{r.relation}@{r.paper_id}", attrs


def variant_edges(entities: Mapping[str, Entity]) -> Iterator[Edge]:
    """Resolution's variantOf links (ResNet-50 -> ResNet): no paper, no evidence."""
    for key in sorted(entities):
        for parent in sorted(entities[key].variant_of):
            attrs = {"relation": "variantOf", "paper": None, "confidence": 1.0, "evidence": []}
            yield entity_node(key), entity_node(parent), "variantOf", attrs


def build_graph(corpus: ResolvedCorpus, extractor: str = "") -> nx.MultiDiGraph:
    """Papers and entities as nodes; proposes/uses, relations and variantOf as edges."""
    g = nx.MultiDiGraph()
    g.graph["extractor"] = extractor
    g.graph["built"] = built_stamp()
    for pid in sorted(corpus.papers):
        g.add_node(paper_node(pid), **paper_attrs(corpus.papers[pid]))
    for key in sorted(corpus.entities):
        g.add_node(entity_node(key), **entity_attrs(corpus.entities[key]))
    edges = itertools.chain(
        map(mention_edge, corpus.mentions),
        map(relation_edge, corpus.relations),
        variant_edges(corpus.entities),
    )
    for u, v, key, attrs in edges:
        g.add_edge(u, v, key=key, **attrs)
    return g


def built_stamp() -> str:
    """When a build ran (UTC, to the second): the dataset description's dcterms:created."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def summary(g: nx.MultiDiGraph) -> dict[str, object]:
    """Counts a user wants after a build: papers, entities by type, edges by relation."""
    kinds = Counter(d.get("kind") for _, d in g.nodes(data=True))
    types = Counter(d["type"] for _, d in g.nodes(data=True) if d.get("kind") == "entity")
    rels = Counter(d["relation"] for _, _, d in g.edges(data=True))
    return {
        "papers": kinds.get("paper", 0),
        "entities": kinds.get("entity", 0),
        "entities_by_type": dict(sorted(types.items())),
        "edges": g.number_of_edges(),
        "edges_by_relation": dict(sorted(rels.items())),
    }


def index_summary(index: NameIndex, papers: int) -> dict[str, object]:
    """:func:`summary` of the graph a name index describes, without building the graph."""
    types = Counter(e.type for e in index.entities.values())
    rels: Counter[str] = Counter(r for _, r, _, _ in index.relations)
    for e in index.entities.values():
        for role in e.papers.values():
            rels["proposes" if role == "proposed" else "uses"] += 1
        if e.variant_of:
            rels["variantOf"] += len(e.variant_of)
    return {
        "papers": papers,
        "entities": len(index.entities),
        "entities_by_type": dict(sorted(types.items())),
        "edges": sum(rels.values()),
        "edges_by_relation": dict(sorted(rels.items())),
    }


def node_degrees(index: NameIndex, papers: Iterable[Paper]) -> dict[str, int]:
    """Every node's degree in the graph :func:`build_graph` would make of ``index``'s corpus
    (edges in and out, parallel edges counted), from the index alone: one proposes/uses edge
    per paper and entity, one edge per relation a paper states, one per variantOf."""
    degree = {paper_node(p.id): 0 for p in papers}
    for key in index.entities:
        degree[entity_node(key)] = 0
    for key, e in index.entities.items():
        node = entity_node(key)
        for pid in e.papers:
            degree[node] += 1
            degree[paper_node(pid)] += 1
        for parent in e.variant_of:
            degree[node] += 1
            degree[entity_node(parent)] += 1
    for head, _, tail, _ in index.relations:
        degree[entity_node(head)] += 1
        degree[entity_node(tail)] += 1
    return degree


def top_ranked(index: NameIndex, papers: Sequence[Paper], max_nodes: int) -> list[str]:
    """The ``max_nodes`` best-connected nodes, ranked as :func:`kg.html.subgraph.top_nodes`
    ranks them (degree, then paper count, then id), without building the graph."""
    degree = node_degrees(index, papers)
    count = {entity_node(k): len(e.papers) for k, e in index.entities.items()}
    return sorted(degree, key=lambda n: (-degree[n], -count.get(n, 0), n))[:max_nodes]


def page_graph(
    index: NameIndex,
    papers: Sequence[Paper],
    extraction: Callable[[Paper], PaperExtraction],
    max_nodes: int,
    evidence_papers: int,
    extractor: str = "",
) -> tuple[nx.MultiDiGraph, int]:
    """The part of the corpus's graph a capped page draws, and the whole graph's node count.

    The same nodes and edges as ``top_nodes(build_graph(...), max_nodes)``, made from the name
    index and the extractions of only the papers it needs: the papers kept, and for each
    relation among kept entities the first ``evidence_papers`` papers stating it (in paper
    order, the ones whose sentences a page shows). The other papers stating a relation give
    an edge with its paper but without confidence or evidence: it is counted, not quoted.
    So the page's cost follows what it shows, not the size of the corpus.
    """
    from kg.resolve import paper_links

    kept = set(top_ranked(index, papers, max_nodes))
    by_id = {p.id: p for p in papers}
    g = nx.MultiDiGraph()
    g.graph["extractor"] = extractor
    g.graph["built"] = built_stamp()
    for pid in sorted(by_id):
        if paper_node(pid) in kept:
            g.add_node(paper_node(pid), **paper_attrs(by_id[pid]))
    for key in sorted(index.entities):
        if entity_node(key) in kept:
            g.add_node(entity_node(key), **entity_attrs(index.entities[key]))

    links: dict[str, tuple[list[Mention], list[Relation]]] = {}

    def linked(pid: str) -> tuple[list[Mention], list[Relation]]:
        if pid not in links:
            links[pid] = paper_links(extraction(by_id[pid]), index)
        return links[pid]

    for pid in sorted(by_id):
        if paper_node(pid) in kept:
            for m in linked(pid)[0]:
                if entity_node(m.entity_key) in kept:
                    u, v, k, attrs = mention_edge(m)
                    g.add_edge(u, v, key=k, **attrs)
    stated: dict[tuple[str, str, str], list[str]] = {}
    for head, rel, tail, pid in index.relations:
        if entity_node(head) in kept and entity_node(tail) in kept:
            stated.setdefault((head, rel, tail), []).append(pid)
    for fact, pids in stated.items():
        for i, pid in enumerate(sorted(pids)):
            if i < evidence_papers:
                said = {(r.head, r.relation, r.tail): r for r in linked(pid)[1]}
                u, v, k, attrs = relation_edge(said[fact])
            else:
                u, v, k, attrs = relation_edge(Relation(*fact, pid, 0.0))
                attrs["confidence"] = None  # counted, not quoted (see above)
            g.add_edge(u, v, key=k, **attrs)
    for u, v, k, attrs in variant_edges(index.entities):
        if u in kept and v in kept:
            g.add_edge(u, v, key=k, **attrs)
    return g, len(by_id) + len(index.entities)
