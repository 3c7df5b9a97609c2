"""Resolved corpus -> networkx MultiDiGraph, the one structure every export reads.

The node and edge attributes are the contract described in docs/DESIGN.md.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.links import find_links
from kg.model import Entity, Mention, Paper, Relation, ResolvedCorpus

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
