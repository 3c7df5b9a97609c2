"""The seed build's RDF: an independent parser reads it, and it conforms to the SHACL shapes."""

from __future__ import annotations

import subprocess

import pytest
from conftest import require_tool
from rdflib import Graph

from kg import rdf, store
from kg.namespaces import KG, RDF

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed_rdf(seed_build) -> Graph:
    return Graph().parse(seed_build / "graph.nt", format="nt")


@pytest.mark.parametrize(("name", "syntax"), [("graph.ttl", "turtle"), ("graph.nt", "ntriples")])
def test_rapper_parses_the_seed_build(seed_build, seed_rdf, name, syntax):
    rapper = require_tool("rapper")
    res = subprocess.run(
        [rapper, "-i", syntax, "-c", str(seed_build / name)], capture_output=True, text=True
    )
    assert res.returncode == 0, res.stderr
    assert f"returned {len(seed_rdf)} triples" in res.stderr


def test_seed_build_conforms_to_shapes(seed_build):
    v = rdf.validate(seed_build / "graph.ttl")
    assert v.conforms, v.text[:5000]


def test_every_seed_paper_and_edge_is_in_the_rdf(seed_rdf, seed_graph):
    papers = sum(1 for _, d in seed_graph.nodes(data=True) if d["kind"] == "paper")
    assert len(set(seed_rdf.subjects(RDF.type, KG.Paper))) == papers == 496
    entities = seed_graph.number_of_nodes() - papers
    assert len(set(seed_rdf.subjects(RDF.type, KG.Entity))) == entities
    facts = {(u, d["relation"], v, d["paper"]) for u, v, d in seed_graph.edges(data=True)}
    assert len(set(seed_rdf.subjects(RDF.type, KG.Assertion))) == len(facts)


def test_seed_jsonld_and_store_hold_the_same_triples(seed_build, seed_rdf):
    jsonld = Graph().parse(seed_build / "graph.jsonld", format="json-ld")
    assert len(jsonld) == len(seed_rdf)
    assert store.count_triples(store.open_store(seed_build)) == len(seed_rdf)
