"""Resolved corpus -> networkx MultiDiGraph, the one structure every export reads.

The node and edge attributes are the contract described in docs/DESIGN.md.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import networkx as nx

from kg.model import ResolvedCorpus

PAPER_PREFIX = "paper:"
ENTITY_PREFIX = "entity:"


def paper_node(paper_id: str) -> str:
    return f"{PAPER_PREFIX}{paper_id}"


def entity_node(key: str) -> str:
    return f"{ENTITY_PREFIX}{key}"


def build_graph(corpus: ResolvedCorpus, extractor: str = "") -> nx.MultiDiGraph:
    """Papers and entities as nodes; proposes/uses, relations and variantOf as edges."""
    g = nx.MultiDiGraph()
    g.graph["extractor"] = extractor
    g.graph["built"] = datetime.now(UTC).replace(microsecond=0).isoformat()

    for pid in sorted(corpus.papers):
        p = corpus.papers[pid]
        g.add_node(
            paper_node(pid),
            kind="paper",
            label=p.title,
            title=p.title,
            abstract=p.abstract,
            metadata=dict(p.metadata),
            source=p.source,
            line=p.line,
        )

    for key in sorted(corpus.entities):
        e = corpus.entities[key]
        g.add_node(
            entity_node(key),
            kind="entity",
            label=e.name,
            type=e.type,
            aliases=sorted(e.aliases),
            paper_count=len(e.papers),
            proposed_by=sorted(pid for pid, role in e.papers.items() if role == "proposed"),
            confidence=e.confidence,
        )

    for m in corpus.mentions:
        rel = "proposes" if m.role == "proposed" else "uses"
        g.add_edge(
            paper_node(m.paper_id),
            entity_node(m.entity_key),
            key=rel,
            relation=rel,
            paper=m.paper_id,
            surface=m.surface,
            confidence=m.confidence,
            evidence=list(m.evidence),
        )

    for r in corpus.relations:
        g.add_edge(
            entity_node(r.head),
            entity_node(r.tail),
            key=f"{r.relation}@{r.paper_id}",
            relation=r.relation,
            paper=r.paper_id,
            confidence=r.confidence,
            evidence=[r.evidence] if r.evidence else [],
        )

    for key in sorted(corpus.entities):
        for parent in sorted(corpus.entities[key].variant_of):
            g.add_edge(
                entity_node(key),
                entity_node(parent),
                key="variantOf",
                relation="variantOf",
                paper=None,
                confidence=1.0,
                evidence=[],
            )
    return g


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
