"""`kg export`: RDF syntaxes round-trip, GraphML/GEXF/CSV hold every node and edge."""

from __future__ import annotations

import csv

import networkx as nx
import pytest
from rdf_helpers import mini_graph
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from kg import exports, rdf
from kg.cli import app
from kg.namespaces import KG, RDF

runner = CliRunner()


@pytest.fixture(scope="module")
def graph():
    return mini_graph()


@pytest.fixture(scope="module")
def expected(mini_build) -> Graph:
    return Graph().parse(mini_build / "graph.nt", format="nt")


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".jsonld", ".n3", ".trig"])
def test_rdf_syntaxes_round_trip(mini_build, expected, tmp_path, suffix):
    dest = tmp_path / f"out{suffix}"
    res = runner.invoke(app, ["export", str(mini_build), "--to", str(dest)])
    assert res.exit_code == 0, res.output
    fmt = rdf.format_for(dest)
    back = Graph().parse(dest, format=fmt)
    assert isomorphic(back, expected)


def test_export_from_store_when_no_ntriples(mini_build, expected, tmp_path):
    """A folder holding only store/ still exports (the store is dumped)."""
    import shutil

    only_store = tmp_path / "build"
    shutil.copytree(mini_build / "store", only_store / "store")
    dest = tmp_path / "g.nt"
    exports.export(only_store, dest)
    assert isomorphic(Graph().parse(dest, format="nt"), expected)


def test_rdfxml(expected, tmp_path):
    """RDF/XML refuses a control character XML cannot carry, and round-trips otherwise."""
    src = tmp_path / "hostile.nt"
    rdf.write(expected, src)
    with pytest.raises(exports.ExportError, match="RDF/XML"):
        exports.export(src, tmp_path / "g.rdf")
    clean = Graph()
    for t in expected:
        if not (isinstance(t[2], Literal) and "\x0b" in t[2]):
            clean.add(t)
    rdf.write(clean, src)
    for suffix in (".rdf", ".xml"):
        dest = exports.export(src, tmp_path / f"g{suffix}")[0]
        assert isomorphic(Graph().parse(dest, format="xml"), clean)


def _counts(expected: Graph) -> tuple[int, int]:
    papers = len(set(expected.subjects(RDF.type, KG.Paper)))
    entities = len(set(expected.subjects(RDF.type, KG.Entity)))
    assertions = len(set(expected.subjects(RDF.type, KG.Assertion)))
    return papers + entities, assertions


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_graph_formats_for_gephi(mini_build, expected, graph, tmp_path, suffix):
    dest = tmp_path / f"g{suffix}"
    res = runner.invoke(app, ["export", str(mini_build), "--to", str(dest)])
    assert res.exit_code == 0, res.output
    back = nx.read_graphml(dest) if suffix == ".graphml" else nx.read_gexf(dest)
    n_nodes, n_edges = _counts(expected)
    assert back.number_of_nodes() == n_nodes
    assert back.number_of_edges() == n_edges
    # Same nodes as the networkx graph the build came from, with their labels and types.
    for node, d in graph.nodes(data=True):
        if "\x0b" in node:
            continue
        got = back.nodes[node]
        assert got["label"] == d["label"].replace("\x0b", " ")
        if d["kind"] == "entity":
            assert got["type"] == d["type"]
    relations = sorted(d["relation"] for *_, d in back.edges(data=True))
    facts = {(u, d["relation"], v, d["paper"]) for u, v, d in graph.edges(data=True)}
    assert relations == sorted(r for _, r, _, _ in facts)


def test_csv_pair(mini_build, expected, graph, tmp_path):
    res = runner.invoke(app, ["export", str(mini_build), "--to", str(tmp_path / "g.csv")])
    assert res.exit_code == 0, res.output
    with open(tmp_path / "g.nodes.csv", encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with open(tmp_path / "g.edges.csv", encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh))
    n_nodes, n_edges = _counts(expected)
    assert len(nodes) == n_nodes and len(edges) == n_edges
    by_id = {n["id"]: n for n in nodes}
    assert set(by_id) == set(graph.nodes)  # hostile ids (quotes, newlines, emoji) intact
    for n, d in graph.nodes(data=True):
        assert by_id[n]["label"] == d["label"]
    ids = set(by_id)
    assert all(e["source"] in ids and e["target"] in ids for e in edges)
    assert all(0 <= float(e["confidence"]) <= 1 for e in edges)
    with_evidence = [e for e in edges if e["relation"] != "variantOf"]
    assert with_evidence and all(e["evidence"] for e in with_evidence)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "{mini_build}", "--to", "{tmp}/g.docx"], "unknown output type"),
        (["export", "{tmp}/nothing.ttl", "--to", "{tmp}/g.nt"], "no such file"),
        (["export", "{tmp}", "--to", "{tmp}/g.nt"], "kg build"),
    ],
)
def test_errors(mini_build, tmp_path, args, message):
    args = [a.format(mini_build=mini_build, tmp=tmp_path) for a in args]
    res = runner.invoke(app, args)
    assert res.exit_code == 1
    assert message in " ".join(res.output.split())
    assert not (tmp_path / "g.nt").exists()


def test_unparseable_rdf_names_the_file(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b \n", encoding="utf-8")
    res = runner.invoke(app, ["export", str(bad), "--to", str(tmp_path / "g.nt")])
    assert res.exit_code == 1
    assert "bad.ttl" in res.output
