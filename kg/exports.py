"""Convert a build to other formats: any RDF syntax, GraphML/GEXF for Gephi, CSV for pandas.

The source is a build folder (its Oxigraph store or graph.nt) or an RDF file. Graph formats are
made from the RDF itself (papers and entities as nodes, one edge per ``kg:Assertion``), so an
export needs nothing but the build's outputs.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph

from kg import rdf as kgrdf
from kg.io import atomic_write
from kg.namespaces import PREFIXES

GRAPH_SUFFIXES = (".graphml", ".gexf")
CSV_SUFFIX = ".csv"


class ExportError(Exception):
    """An export could not be made; the message names the file."""


def load_rdf(source: str | Path) -> Graph:
    """The RDF of a build folder (from graph.nt, else its store) or of an RDF file."""
    from kg import store

    source = Path(source)
    if source.is_dir():
        if (source / "graph.nt").is_file():
            return Graph().parse(source / "graph.nt", format="nt")
        st = store.open_store(source)
        data = st.dump(format=store.ox.RdfFormat.N_TRIPLES, from_graph=store.ox.DefaultGraph())
        return Graph().parse(data=data.decode("utf-8"), format="nt")
    if not source.is_file():
        raise ExportError(f"{source}: no such file or build folder")
    try:
        fmt = kgrdf.format_for(source)
    except ValueError as exc:
        raise ExportError(str(exc)) from exc
    g = Graph()
    try:
        g.parse(source, format=fmt)
    except Exception as exc:  # rdflib raises many parser-specific types
        raise ExportError(f"{source}: cannot parse as {fmt}: {exc}") from exc
    return g


_PAPERS = """
SELECT ?p ?id ?title ?date ?org WHERE {
  ?p a kg:Paper .
  OPTIONAL { ?p dcterms:identifier ?id }
  OPTIONAL { ?p dcterms:title ?title }
  OPTIONAL { ?p dcterms:created ?date }
  OPTIONAL { ?p kg:organisation ?org }
}
"""
_ENTITIES = """
SELECT ?e ?id ?type ?label ?count WHERE {
  ?e a kg:Entity .
  OPTIONAL { ?e dcterms:identifier ?id }
  OPTIONAL { ?e a ?type FILTER (?type IN (kg:Method, kg:Model, kg:Dataset, kg:Task)) }
  OPTIONAL { ?e skos:prefLabel ?label }
  OPTIONAL { ?e kg:paperCount ?count }
}
"""
_ALIASES = "SELECT ?e ?alias WHERE { ?e a kg:Entity ; skos:altLabel ?alias }"
_ASSERTIONS = """
SELECT ?a ?s ?p ?o ?paper ?confidence WHERE {
  ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?a prov:wasDerivedFrom ?paper }
  OPTIONAL { ?a kg:confidence ?confidence }
}
"""
_SENTENCES = """
SELECT ?a ?ev ?sentence WHERE {
  ?a a kg:Assertion ; kg:evidence ?ev .
  OPTIONAL { ?ev kg:sentence ?sentence }
}
"""


def _rows(store: ox.Store, text: str) -> Iterator[dict[str, str | None]]:
    res = store.query(text, prefixes=PREFIXES)
    names = [v.value for v in res.variables]
    for row in res:
        yield {n: (None if row[n] is None else row[n].value) for n in names}


def to_networkx(store: ox.Store) -> nx.MultiDiGraph:
    """A build's RDF as networkx: papers and entities as nodes (ids ``paper:<id>``,
    ``entity:<key>``), one edge per ``kg:Assertion`` (key: the assertion's IRI).

    Read from an Oxigraph store (a build's, or a file loaded with :func:`kg.store.load_file`)
    by a few SPARQL queries. Attribute values are scalars (lists joined with "; ", evidence
    sentences with " | ") so GraphML, GEXF and CSV hold them; ``kg export`` writes exactly
    this graph and ``KnowledgeGraph.to_networkx`` returns it.
    """
    ids: dict[str, str] = {}
    nodes: dict[str, dict[str, object]] = {}
    orgs: dict[str, set[str]] = {}
    for r in _rows(store, _PAPERS):
        nid = ids.setdefault(r["p"], f"paper:{r['id'] or r['p']}")
        d = nodes.setdefault(nid, {"kind": "paper", "label": r["title"] or "", "iri": r["p"]})
        if r["date"] is not None:
            d["date"] = r["date"]
        if r["org"] is not None:
            orgs.setdefault(nid, set()).add(r["org"])
    aliases: dict[str, set[str]] = {}
    for r in _rows(store, _ALIASES):
        aliases.setdefault(r["e"], set()).add(r["alias"] or "")
    for r in _rows(store, _ENTITIES):
        nid = ids.setdefault(r["e"], f"entity:{r['id'] or r['e']}")
        d = nodes.setdefault(
            nid,
            {
                "kind": "entity",
                "type": "",
                "label": r["label"] or "",
                "aliases": "; ".join(sorted(aliases.get(r["e"], ()))),
                "paper_count": int(r["count"]) if r["count"] is not None else 0,
                "iri": r["e"],
            },
        )
        if r["type"] is not None:
            d["type"] = r["type"].rsplit("#", 1)[-1]
    g = nx.MultiDiGraph()
    for nid in sorted(nodes):
        if nid in orgs:
            nodes[nid]["organisation"] = "; ".join(sorted(orgs[nid]))
        g.add_node(nid, **nodes[nid])
    sentences: dict[str, list[str]] = {}
    for r in _rows(store, _SENTENCES):
        sentences.setdefault(r["a"], []).append(r["sentence"] or "")
    edges = []
    for r in _rows(store, _ASSERTIONS):
        s, o = ids.get(r["s"]), ids.get(r["o"])
        if s is None or o is None:
            continue
        paper = ids.get(r["paper"], "") if r["paper"] is not None else ""
        attrs = {
            "relation": r["p"].rsplit("#", 1)[-1],
            "paper": paper.removeprefix("paper:"),
            "confidence": float(r["confidence"]) if r["confidence"] is not None else 1.0,
            "evidence": " | ".join(sorted(sentences.get(r["a"], ()))),
        }
        edges.append((s, o, r["a"], attrs))
    for s, o, key, attrs in sorted(edges, key=lambda e: (e[0], e[1], e[2])):
        g.add_edge(s, o, key=key, **attrs)
    return g


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML and GEXF are XML 1.0: control characters it forbids become spaces."""

    def clean(attrs: dict) -> None:
        for k, v in attrs.items():
            if isinstance(v, str) and _XML_BAD.search(v):
                attrs[k] = _XML_BAD.sub(" ", v)

    h = g.copy()
    mapping = {n: _XML_BAD.sub(" ", n) for n in h.nodes if _XML_BAD.search(n)}
    if mapping:
        h = nx.relabel_nodes(h, mapping)
    for _, d in h.nodes(data=True):
        clean(d)
    for *_, d in h.edges(data=True):
        clean(d)
    return h


def write_graph_format(g: nx.MultiDiGraph, dest: Path) -> Path:
    h = _xml_safe(g)
    buf = io.BytesIO()
    if dest.suffix.lower() == ".graphml":
        nx.write_graphml(h, buf, encoding="utf-8")
    else:
        nx.write_gexf(h, buf, encoding="utf-8")
    with atomic_write(dest, "wb") as fh:
        fh.write(buf.getvalue())
    return dest


NODE_COLUMNS = (
    "id",
    "kind",
    "type",
    "label",
    "aliases",
    "paper_count",
    "date",
    "organisation",
    "iri",
)
EDGE_COLUMNS = ("source", "target", "relation", "paper", "confidence", "evidence")


def csv_paths(dest: Path) -> tuple[Path, Path]:
    """``graph.csv`` -> ``graph.nodes.csv`` and ``graph.edges.csv``."""
    stem = dest.with_suffix("")
    return stem.with_name(stem.name + ".nodes.csv"), stem.with_name(stem.name + ".edges.csv")


def write_csv(g: nx.MultiDiGraph, dest: Path) -> tuple[Path, Path]:
    nodes_path, edges_path = csv_paths(dest)
    with atomic_write(nodes_path) as fh:
        w = csv.DictWriter(fh, NODE_COLUMNS, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for n, d in sorted(g.nodes(data=True)):
            w.writerow({"id": n, **d})
    with atomic_write(edges_path) as fh:
        w = csv.DictWriter(fh, EDGE_COLUMNS, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        rows = [{"source": u, "target": v, **d} for u, v, d in g.edges(data=True)]
        rows.sort(key=lambda r: (r["source"], r["relation"], r["target"], r["paper"]))
        w.writerows(rows)
    return nodes_path, edges_path


def export(source: str | Path, dest: str | Path) -> list[Path]:
    """Write the build or RDF file ``source`` to ``dest`` in the format its suffix names.

    ``.ttl .nt .jsonld .rdf/.xml`` (and ``.n3 .trig .nq``) are RDF; ``.graphml``/``.gexf`` are
    graph files for Gephi; ``.csv`` writes a nodes/edges pair beside ``dest``.
    """
    dest = Path(dest)
    suffix = dest.suffix.lower()
    if suffix not in (*kgrdf.FORMATS, *GRAPH_SUFFIXES, CSV_SUFFIX):
        known = " ".join(sorted({*kgrdf.FORMATS, *GRAPH_SUFFIXES, CSV_SUFFIX}))
        raise ExportError(f"{dest}: unknown output type {suffix!r} (known: {known})")
    if suffix in kgrdf.FORMATS:
        g = load_rdf(source)
        base = _base_of(g)
        try:
            return [kgrdf.write(g, dest, base=base)]
        except ValueError as exc:
            raise ExportError(f"{dest}: {exc}") from exc
    nxg = to_networkx(_store_of(source))
    if suffix in GRAPH_SUFFIXES:
        return [write_graph_format(nxg, dest)]
    return list(write_csv(nxg, dest))


def _store_of(source: str | Path) -> ox.Store:
    """The Oxigraph store of a build folder, or an RDF file loaded into memory."""
    from kg import store

    source = Path(source)
    if source.is_dir():
        return store.open_store(source)
    if not source.is_file():
        raise ExportError(f"{source}: no such file or build folder")
    return store.load_file(source)


def _base_of(g: Graph) -> str:
    """The instance base a build used (recorded as void:uriSpace), for the JSON-LD context."""
    from kg.namespaces import VOID

    space = next(iter(g.objects(None, VOID.uriSpace)), None)
    return str(space) if space is not None else kgrdf.DEFAULT_BASE
