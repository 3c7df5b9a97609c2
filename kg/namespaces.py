"""Every IRI kg writes, in one place.

``KG`` is a closed namespace (:class:`rdflib.namespace.DefinedNamespace`): ``KG.propose`` (a typo)
raises ``AttributeError`` instead of silently minting a term the ontology does not define. The
terms listed here are exactly those declared in ``ontology/kg.ttl``; a test checks both agree.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import (
    DCTERMS,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    VOID,
    XSD,
    DefinedNamespace,
    Namespace,
)

KG_IRI = "https://w3id.org/kg-ml/ontology#"
#: Where instances (papers, entities, assertions, evidence) live unless the user sets ``--base``.
DEFAULT_BASE = "https://w3id.org/kg-ml/resource/"


class KG(DefinedNamespace):
    """The kg ontology (``ontology/kg.ttl``)."""

    _NS = Namespace(KG_IRI)
    _fail = True

    # Classes
    Paper: URIRef
    Entity: URIRef
    Method: URIRef
    Model: URIRef
    Dataset: URIRef
    Task: URIRef
    Assertion: URIRef
    Evidence: URIRef
    # Paper -> entity
    mentions: URIRef
    proposes: URIRef
    uses: URIRef
    # Entity -> entity
    relatedTo: URIRef
    trainedOn: URIRef
    evaluatedOn: URIRef
    basedOn: URIRef
    comparedWith: URIRef
    appliedTo: URIRef
    variantOf: URIRef
    # Provenance
    confidence: URIRef
    evidence: URIRef
    sentence: URIRef
    exact: URIRef
    start: URIRef
    end: URIRef
    inPaper: URIRef
    surface: URIRef
    # Paper and entity data
    authorCount: URIRef
    organisation: URIRef
    upvotes: URIRef
    sourceFile: URIRef
    sourceLine: URIRef
    projectPage: URIRef
    paperCount: URIRef
    extractor: URIRef
    # Individuals
    nameResolution: URIRef


#: ML Schema (W3C ML Schema Community Group).
MLS = Namespace("http://www.w3.org/ns/mls#")
#: Linked Papers With Code classes and properties.
LPWC = Namespace("https://linkedpaperswithcode.com/class/")
LPWCP = Namespace("https://linkedpaperswithcode.com/property/")
#: W3C Web Annotation vocabulary (TextQuoteSelector: exact/prefix/suffix).
OA = Namespace("http://www.w3.org/ns/oa#")

#: Prefixes bound in every serialisation and given to every SPARQL query by default.
PREFIXES: dict[str, str] = {
    "kg": KG_IRI,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "schema": str(SDO),
    "void": str(VOID),
    "sh": str(SH),
    "mls": str(MLS),
    "lpwc": str(LPWC),
    "oa": str(OA),
}

#: Graph relation name (``relation`` edge attribute) -> ontology property.
RELATION_PROPERTIES: dict[str, URIRef] = {
    "proposes": KG.proposes,
    "uses": KG.uses,
    "trainedOn": KG.trainedOn,
    "evaluatedOn": KG.evaluatedOn,
    "basedOn": KG.basedOn,
    "comparedWith": KG.comparedWith,
    "appliedTo": KG.appliedTo,
    "variantOf": KG.variantOf,
}

#: Entity ``type`` attribute -> ontology class.
TYPE_CLASSES: dict[str, URIRef] = {
    "Method": KG.Method,
    "Model": KG.Model,
    "Dataset": KG.Dataset,
    "Task": KG.Task,
}

__all__ = [
    "DCTERMS",
    "DEFAULT_BASE",
    "KG",
    "KG_IRI",
    "LPWC",
    "LPWCP",
    "MLS",
    "OA",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "RELATION_PROPERTIES",
    "SDO",
    "SKOS",
    "TYPE_CLASSES",
    "VOID",
    "XSD",
]
