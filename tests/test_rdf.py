"""kg.rdf: safe IRIs, the RDF form of a graph, its serialisations, the store and SHACL."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from decimal import Decimal

import pytest
from rdf_helpers import mini_corpus, mini_graph
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg import namespaces as ns
from kg import rdf, store
from kg.namespaces import DCTERMS, KG, PROV, RDF, SKOS
from kg.outputs import write_outputs

HOSTILE = [
    'a "quoted" name',
    "<script>alert(1)</script>",
    "spaces and\nnewlines\r\tand tabs",
    "emoji 🚀🤖 and ZWJ 👩‍🔬",
    "RTL שלום עולם مرحبا",
    "back\\slash {braces} |pipe| ^caret` grave",
    "%41 already-encoded?#frag&x=1",
    "..",
    ".",
    "/",
    "-",
    "_~",
    "\x00\x01\x7f nul and controls",
    "Ünïcödé Café",
]

IRI_SAFE = re.compile(r"[A-Za-z0-9%\-]+")


@pytest.fixture(scope="module")
def graph():
    return mini_graph()


@pytest.fixture(scope="module")
def rdf_graph(graph):
    return rdf.to_rdf(graph)


@pytest.fixture(scope="module")
def outputs(graph, tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    return write_outputs(graph, out)


# ----------------------------------------------------------------------------- mint


@pytest.mark.parametrize("value", HOSTILE)
def test_mint_round_trips_hostile_names(value):
    iri = rdf.mint(value, "entity")
    local = str(iri)[len(rdf.DEFAULT_BASE) + len("entity/") :]
    assert IRI_SAFE.fullmatch(local), local
    assert rdf.unmint(iri) == ("entity", value)


def test_mint_is_one_to_one():
    iris = {rdf.mint(v) for v in HOSTILE}
    assert len(iris) == len(HOSTILE)
    # Case and encoding-lookalikes stay distinct.
    assert rdf.mint("GPT-2") != rdf.mint("gpt-2")
    assert rdf.mint("%41") != rdf.mint("A")


def test_mint_under_user_base():
    iri = rdf.mint("x y", "paper", "http://example.org/kg#")
    assert str(iri) == "http://example.org/kg#paper/x%20y"
    assert rdf.unmint(iri, "http://example.org/kg#") == ("paper", "x y")


@pytest.mark.parametrize(
    "base", ["", "no-scheme/", "http://example.org/no-slash", "http://ex.org/a b/", 'http://x/"/']
)
def test_bad_base_is_refused(base):
    with pytest.raises(ValueError, match="base IRI"):
        rdf.mint("x", base=base)


def test_empty_value_is_refused():
    with pytest.raises(ValueError):
        rdf.mint("")


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_iris_survive_every_syntax(value, tmp_path):
    """An IRI and a literal made from the same hostile string parse back identically."""
    g = Graph()
    s = rdf.mint(value, "entity")
    g.add((s, SKOS.prefLabel, Literal(value)))
    g.add((s, KG.basedOn, rdf.mint(value + "!", "entity")))
    for suffix in (".ttl", ".nt", ".jsonld"):
        path = rdf.write(g, tmp_path / f"g{suffix}")
        back = Graph().parse(path, format=rdf.format_for(path))
        assert isomorphic(back, g), suffix


# ----------------------------------------------------------------------------- to_rdf


def test_every_node_and_edge_is_written(graph, rdf_graph):
    papers = set(rdf_graph.subjects(RDF.type, KG.Paper))
    entities = set(rdf_graph.subjects(RDF.type, KG.Entity))
    assert len(papers) == sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "paper")
    assert len(entities) == sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "entity")
    for u, v, d in graph.edges(data=True):
        s = rdf.mint(u.split(":", 1)[1], u.split(":", 1)[0])
        o = rdf.mint(v.split(":", 1)[1], v.split(":", 1)[0])
        p = KG[d["relation"]]
        assert (s, p, o) in rdf_graph, (u, d["relation"], v)
        found = [
            a
            for a in rdf_graph.subjects(RDF.subject, s)
            if (a, RDF.predicate, p) in rdf_graph and (a, RDF.object, o) in rdf_graph
        ]
        assert found, f"no assertion for {u} {d['relation']} {v}"


def test_evidence_offsets_point_at_the_mention(rdf_graph):
    """kg:exact equals the paper text between kg:start and kg:end, for every evidence node."""
    corpus = mini_corpus()
    evidence = list(rdf_graph.subjects(RDF.type, KG.Evidence))
    assert evidence
    for ev in evidence:
        paper = rdf_graph.value(ev, KG.inPaper)
        pid = str(rdf_graph.value(paper, DCTERMS.identifier))
        text = corpus.papers[pid].text
        start, end = int(rdf_graph.value(ev, KG.start)), int(rdf_graph.value(ev, KG.end))
        exact = str(rdf_graph.value(ev, KG.exact))
        assert text[start:end] == exact
        assert exact in str(rdf_graph.value(ev, KG.sentence))


def test_assertions_carry_provenance(graph, rdf_graph):
    n_paper_edges = sum(1 for *_, d in graph.edges(data=True) if d["paper"] is not None)
    derived = list(rdf_graph.subject_objects(PROV.wasDerivedFrom))
    assert len(derived) == n_paper_edges
    for a, paper in derived:
        assert (paper, RDF.type, KG.Paper) in rdf_graph
        conf = rdf_graph.value(a, KG.confidence)
        assert conf.datatype == ns.XSD.decimal and 0 <= conf.toPython() <= 1
        assert list(rdf_graph.objects(a, KG.evidence))
    variants = list(rdf_graph.subjects(PROV.wasAttributedTo, KG.nameResolution))
    assert len(variants) == sum(1 for *_, d in graph.edges(data=True) if d["paper"] is None) > 0


def test_sparql_answers_why_an_edge_exists(rdf_graph):
    rows = list(
        rdf_graph.query(
            """SELECT ?sentence ?conf WHERE {
                 ?a rdf:subject ?m ; rdf:predicate kg:trainedOn ; rdf:object ?d ;
                    kg:confidence ?conf ; kg:evidence/kg:sentence ?sentence .
                 ?m skos:prefLabel "GPT-2" . ?d skos:prefLabel "the Pile" .
               }"""
        )
    )
    assert [str(r.sentence) for r in rows] == ["We train GPT-2 on the Pile with Adam."]
    assert rows[0].conf.toPython() == Decimal("0.9")


def test_entity_labels_and_types(graph, rdf_graph):
    for node, d in graph.nodes(data=True):
        if d["kind"] != "entity":
            continue
        iri = rdf.mint(node.split(":", 1)[1])
        assert rdf_graph.value(iri, SKOS.prefLabel) == Literal(d["label"])
        assert (iri, RDF.type, KG[d["type"]]) in rdf_graph
        alts = {str(x) for x in rdf_graph.objects(iri, SKOS.altLabel)}
        assert alts == {a for a in d["aliases"] if a != d["label"]}


def test_paper_metadata(rdf_graph):
    p1 = rdf.mint("2301.00001", "paper")
    assert rdf_graph.value(p1, DCTERMS.created) == Literal("2023-07-18", datatype=ns.XSD.date)
    assert rdf_graph.value(p1, KG.authorCount).toPython() == 6
    assert str(rdf_graph.value(p1, KG.organisation)) == "Cerebras"
    assert rdf_graph.value(p1, ns.SDO.url) == URIRef("https://example.org/p/1")
    odd = rdf.mint('odd id "<x>" 🚀', "paper")
    assert rdf_graph.value(odd, KG.authorCount).toPython() == 3
    assert rdf_graph.value(odd, DCTERMS.created) is None  # "Mar 20" has no year
    assert rdf_graph.value(odd, ns.SDO.url) is None  # javascript: is not a web address


def test_custom_base(graph):
    base = "http://example.org/my-kg/"
    g = rdf.to_rdf(graph, base)
    subjects = {str(s) for s in g.subjects()}
    assert subjects and all(s.startswith(base) for s in subjects)


def test_unknown_relation_is_an_error():
    g = mini_graph()
    u, v, k = next(iter(g.edges(keys=True)))
    g.edges[u, v, k]["relation"] = "likes"
    with pytest.raises(ValueError, match="likes"):
        rdf.to_rdf(g)


# ----------------------------------------------------------------------------- outputs


def test_write_outputs_files_parse_to_the_same_graph(outputs, rdf_graph):
    assert set(outputs) >= {"ttl", "nt", "jsonld", "store"}
    for key in ("ttl", "nt", "jsonld"):
        back = Graph().parse(outputs[key], format=rdf.format_for(outputs[key]))
        assert isomorphic(back, rdf_graph), key
    st = store.open_store(outputs["store"].parent)
    dumped = st.dump(format=store.ox.RdfFormat.N_TRIPLES, from_graph=store.ox.DefaultGraph())
    assert isomorphic(Graph().parse(data=dumped.decode("utf-8"), format="nt"), rdf_graph)


def test_jsonld_uses_a_compact_context(outputs):
    doc = json.loads(outputs["jsonld"].read_text(encoding="utf-8"))
    ctx = doc["@context"]
    assert ctx["kg"] == "https://w3id.org/kg-ml/ontology#"
    assert "@context" not in ctx
    body = json.dumps(doc["@graph"])
    assert '"prefLabel"' in body and '"title"' in body
    assert "http://www.w3.org/2004/02/skos/core#prefLabel" not in body


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (raptor2-utils) not installed")
@pytest.mark.parametrize(("key", "syntax"), [("ttl", "turtle"), ("nt", "ntriples")])
def test_independent_parser_reads_outputs(outputs, rdf_graph, key, syntax):
    """rapper (Raptor, C) parses our files to the same triples rdflib wrote."""
    res = subprocess.run(
        ["rapper", "-q", "-i", syntax, "-o", "ntriples", str(outputs[key])],
        capture_output=True,
        check=False,
    )
    assert res.returncode == 0, res.stderr.decode()
    back = Graph().parse(data=res.stdout.decode("utf-8"), format="nt")
    assert isomorphic(back, rdf_graph)


def test_rdfxml_refuses_control_characters_and_writes_otherwise(rdf_graph, tmp_path):
    with pytest.raises(ValueError, match="RDF/XML"):
        rdf.write(rdf_graph, tmp_path / "g.rdf")
    assert not (tmp_path / "g.rdf").exists()
    clean = Graph()
    for t in rdf_graph:
        if not (isinstance(t[2], Literal) and "\x0b" in t[2]):
            clean.add(t)
    path = rdf.write(clean, tmp_path / "g.rdf")
    assert isomorphic(Graph().parse(path, format="xml"), clean)


def test_rebuild_replaces_the_store_whole(tmp_path):
    g = mini_graph()
    write_outputs(g, tmp_path)
    first = store.count_triples(store.open_store(tmp_path))
    g.remove_node(next(n for n, d in g.nodes(data=True) if d["label"] == "Adam"))
    write_outputs(g, tmp_path)
    second = store.count_triples(store.open_store(tmp_path))
    assert second < first
    assert second == len(Graph().parse(tmp_path / "graph.nt", format="nt"))
    # The replaced store is removed by a detached process: give a loaded machine time.
    deadline = time.monotonic() + 30
    while (leftovers := [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.1)
    assert leftovers == []


def test_failed_store_build_keeps_the_old_store(tmp_path):
    write_outputs(mini_graph(), tmp_path)
    before = store.count_triples(store.open_store(tmp_path))
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://a> <http://b> .\n", encoding="utf-8")
    with pytest.raises(SyntaxError):
        store.build_store(bad, tmp_path / "store")
    assert store.count_triples(store.open_store(tmp_path)) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".store")]


def test_missing_store_says_what_to_do(tmp_path):
    with pytest.raises(store.StoreError, match="kg build"):
        store.open_store(tmp_path)


# ----------------------------------------------------------------------------- SHACL


def test_output_conforms_to_shapes(outputs):
    v = rdf.validate(outputs["ttl"])
    assert v.conforms, v.text


def _broken(rdf_graph: Graph, change) -> Graph:
    g = Graph()
    for t in rdf_graph:
        g.add(t)
    change(g)
    return g


def _first(g: Graph, cls):
    return sorted(g.subjects(RDF.type, cls))[0]


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        (
            "second title",
            lambda g: g.add((_first(g, KG.Paper), DCTERMS.title, Literal("Another"))),
            "title",
        ),
        (
            "no prefLabel",
            lambda g: g.remove((_first(g, KG.Entity), SKOS.prefLabel, None)),
            "prefLabel",
        ),
        (
            "two types",
            lambda g: g.add((_first(g, KG.Model), RDF.type, KG.Dataset)),
            "exactly one of the types",
        ),
        (
            "confidence above one",
            lambda g: g.set((_first(g, KG.Assertion), KG.confidence, Literal(Decimal("1.5")))),
            "confidence",
        ),
        (
            "negative offset",
            lambda g: g.set(
                (_first(g, KG.Evidence), KG.start, Literal(-3, datatype=ns.XSD.integer))
            ),
            "start offset",
        ),
        (
            "no evidence",
            lambda g: (
                g.remove((_first(g, KG.Evidence), None, None))
                or [g.remove((a, KG.evidence, None)) for a in g.subjects(RDF.type, KG.Assertion)]
            ),
            "",
        ),
        (
            "missing direct triple",
            lambda g: g.remove(
                (
                    g.value(_first(g, KG.Assertion), RDF.subject),
                    g.value(_first(g, KG.Assertion), RDF.predicate),
                    g.value(_first(g, KG.Assertion), RDF.object),
                )
            ),
            "direct triple",
        ),
    ],
)
def test_shapes_catch_broken_graphs(rdf_graph, name, change, message):
    v = rdf.validate(_broken(rdf_graph, change))
    assert not v.conforms, name
    violations = [r for r in v.violations() if r["severity"] == "Violation"]
    assert any(message in r["message"] or message in r["path"] for r in violations), v.text


def test_mistyped_relation_target_is_a_warning_only(rdf_graph):
    g = _broken(
        rdf_graph,
        lambda g: (
            g.add((_first(g, KG.Model), KG.trainedOn, _first(g, KG.Task)))
            or g.add((_first(g, KG.Model), KG.comparedWith, _first(g, KG.Task)))
        ),
    )
    v = rdf.validate(g)
    assert v.conforms
    assert any(r["severity"] == "Warning" for r in v.violations())
