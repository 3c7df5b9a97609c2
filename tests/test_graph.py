"""The networkx graph carries what the exports need: kinds, types, roles, evidence."""

from __future__ import annotations

from kg.graph import build_graph, entity_node, paper_node, summary
from kg.model import Evidence, ExtractedEntity, ExtractedRelation, Paper, PaperExtraction
from kg.resolve import resolve


def _corpus():
    ev = Evidence("We train BERT on Wikipedia.", 9, 13, 0)
    pe = PaperExtraction(
        paper=Paper(
            id="p1",
            title="BERT things",
            abstract="We train BERT on Wikipedia.",
            metadata={"date": "2024-01-02"},
        ),
        entities=[
            ExtractedEntity("BERT", "Model", "proposed", mentions=[ev]),
            ExtractedEntity("Wikipedia", "Dataset", "used"),
        ],
        relations=[ExtractedRelation("BERT", "trainedOn", "Wikipedia", 0.8, ev)],
    )
    return resolve([pe])


def test_nodes_and_edges_follow_the_schema():
    g = build_graph(_corpus(), extractor="test")
    p = g.nodes[paper_node("p1")]
    assert p["kind"] == "paper" and p["metadata"]["date"] == "2024-01-02"
    bert = g.nodes[entity_node("bert")]
    assert bert["type"] == "Model" and bert["paper_count"] == 1 and bert["proposed_by"] == ["p1"]
    edge = g.get_edge_data(paper_node("p1"), entity_node("bert"))
    assert list(edge) == ["proposes"] and edge["proposes"]["evidence"][0].exact == "BERT"
    rel = g.get_edge_data(entity_node("bert"), entity_node("wikipedia"))
    (data,) = rel.values()
    assert data["relation"] == "trainedOn" and data["paper"] == "p1"
    assert data["confidence"] == 0.8


def test_summary_counts():
    s = summary(build_graph(_corpus()))
    assert s["papers"] == 1 and s["entities"] == 2
    assert s["entities_by_type"] == {"Dataset": 1, "Model": 1}
    assert s["edges_by_relation"] == {"proposes": 1, "trainedOn": 1, "uses": 1}


def test_index_summary_counts_what_the_graph_holds(seed_build):
    """A build reports counts from the name index without building the graph: they must be
    the graph's own counts (seed build: variants, both roles, every relation kind)."""
    from kg.builder import load_extractions
    from kg.graph import index_summary
    from kg.model import PaperNames
    from kg.resolve import resolve_names

    exs = load_extractions(seed_build / "extractions.jsonl")
    expected = summary(build_graph(resolve(exs)))
    index = resolve_names(PaperNames.of(pe) for pe in exs)
    assert expected["edges_by_relation"].get("variantOf")
    assert index_summary(index, len(exs)) == expected
