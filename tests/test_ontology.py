"""ontology/kg.ttl and shapes.ttl: parse, document every term, agree with kg.namespaces."""

from __future__ import annotations

import shutil
import subprocess

import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg import namespaces as ns
from kg.namespaces import KG, KG_IRI
from kg.rdf import ontology_file

REQUIRED_CLASSES = [
    "Paper",
    "Method",
    "Model",
    "Dataset",
    "Task",
    "Entity",
    "Assertion",
    "Evidence",
]
REQUIRED_PROPERTIES = [
    "proposes",
    "uses",
    "trainedOn",
    "evaluatedOn",
    "basedOn",
    "comparedWith",
    "appliedTo",
    "variantOf",
]


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ontology_file("kg.ttl"), format="turtle")


def _declared(onto: Graph) -> set[str]:
    return {
        str(s)[len(KG_IRI) :]
        for s in onto.subjects()
        if isinstance(s, URIRef) and str(s).startswith(KG_IRI)
    }


def test_namespace_module_matches_the_ontology(onto):
    in_code = set(KG.__annotations__)
    assert in_code == _declared(onto)


def test_closed_namespace_rejects_typos():
    with pytest.raises(AttributeError):
        _ = KG.propose
    assert KG.proposes == URIRef(KG_IRI + "proposes")


@pytest.mark.parametrize("term", REQUIRED_CLASSES + REQUIRED_PROPERTIES)
def test_required_terms_are_documented(onto, term):
    iri = KG[term]
    kind = OWL.Class if term[0].isupper() else OWL.ObjectProperty
    assert (iri, RDF.type, kind) in onto
    labels = list(onto.objects(iri, RDFS.label))
    comments = list(onto.objects(iri, RDFS.comment))
    assert labels and comments and all(len(str(c)) > 15 for c in comments)


def test_every_term_has_label_and_comment(onto):
    for term in _declared(onto):
        assert onto.value(KG[term], RDFS.label) is not None, term
        assert onto.value(KG[term], RDFS.comment) is not None, term


@pytest.mark.parametrize(
    ("sub", "rel", "sup"),
    [
        (KG.Paper, RDFS.subClassOf, ns.SDO.ScholarlyArticle),
        (KG.Entity, RDFS.subClassOf, ns.SKOS.Concept),
        (KG.Dataset, RDFS.subClassOf, ns.SDO.Dataset),
        (KG.Dataset, RDFS.subClassOf, ns.MLS.Dataset),
        (KG.Method, RDFS.subClassOf, ns.MLS.Algorithm),
        (KG.Model, RDFS.subClassOf, ns.MLS.Model),
        (KG.Task, RDFS.subClassOf, ns.MLS.Task),
        (KG.Paper, OWL.equivalentClass, ns.LPWC.paper),
        (KG.Model, OWL.equivalentClass, ns.LPWC.model),
        (KG.Assertion, RDFS.subClassOf, RDF.Statement),
        (KG.proposes, RDFS.subPropertyOf, KG.mentions),
        (KG.uses, RDFS.subPropertyOf, KG.mentions),
        (KG.mentions, RDFS.subPropertyOf, ns.SDO.mentions),
        (KG.basedOn, RDFS.subPropertyOf, ns.PROV.wasDerivedFrom),
        (KG.variantOf, RDFS.subPropertyOf, ns.SKOS.broader),
    ],
)
def test_alignments(onto, sub, rel, sup):
    assert (sub, rel, sup) in onto


def test_entity_types_are_subclasses_of_entity(onto):
    for t in ("Method", "Model", "Dataset", "Task"):
        assert (KG[t], RDFS.subClassOf, KG.Entity) in onto


def test_shapes_are_valid_shacl():
    """shapes.ttl conforms to the SHACL-for-SHACL meta shapes."""
    shapes = Graph().parse(ontology_file("shapes.ttl"), format="turtle")
    empty = Graph()
    conforms, _, text = pyshacl.validate(empty, shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (raptor2-utils) not installed")
@pytest.mark.parametrize("name", ["kg.ttl", "shapes.ttl"])
def test_independent_parser_reads_ontology(name):
    res = subprocess.run(
        ["rapper", "-i", "turtle", "-c", str(ontology_file(name))], capture_output=True, text=True
    )
    assert res.returncode == 0, res.stderr
    n = int(res.stderr.split("returned")[1].split()[0])
    assert n == len(Graph().parse(ontology_file(name), format="turtle"))
