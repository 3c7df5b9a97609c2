"""Convert a build to other formats: any RDF syntax, GraphML/GEXF for Gephi, CSV for pandas.

The source is a build folder (its Oxigraph store or graph.nt) or an RDF file. Graph formats are
made from the RDF itself (papers and entities as nodes, one edge per ``kg:Assertion``), so an
export needs nothing but the build's outputs.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import networkx as nx
from rdflib import Graph, URIRef

from kg import rdf as kgrdf
from kg.io import atomic_write
from kg.namespaces import DCTERMS, KG, PROV, RDF, SKOS

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


def _id(g: Graph, node: URIRef, kind: str) -> str:
    ident = g.value(node, DCTERMS.identifier)
    return f"{kind}:{ident if ident is not None else node}"


def to_networkx(g: Graph) -> nx.MultiDiGraph:
    """Papers and entities as nodes (ids ``paper:<id>``, ``entity:<key>``), one edge per assertion.

    Attribute values are scalars (lists joined with "; ") so GraphML, GEXF and CSV hold them.
    """
    nxg = nx.MultiDiGraph()
    ids: dict[URIRef, str] = {}
    for p in g.subjects(RDF.type, KG.Paper):
        ids[p] = _id(g, p, "paper")
        attrs = {
            "kind": "paper",
            "label": str(g.value(p, DCTERMS.title) or ""),
            "iri": str(p),
        }
        for key, prop in (("date", DCTERMS.created), ("organisation", KG.organisation)):
            v = g.value(p, prop)
            if v is not None:
                attrs[key] = str(v)
        nxg.add_node(ids[p], **attrs)
    types = {KG.Method: "Method", KG.Model: "Model", KG.Dataset: "Dataset", KG.Task: "Task"}
    for e in g.subjects(RDF.type, KG.Entity):
        ids[e] = _id(g, e, "entity")
        etype = next((types[t] for t in g.objects(e, RDF.type) if t in types), "")
        count = g.value(e, KG.paperCount)
        nxg.add_node(
            ids[e],
            kind="entity",
            type=etype,
            label=str(g.value(e, SKOS.prefLabel) or ""),
            aliases="; ".join(sorted(str(a) for a in g.objects(e, SKOS.altLabel))),
            paper_count=int(count) if count is not None else 0,
            iri=str(e),
        )
    for a in g.subjects(RDF.type, KG.Assertion):
        s, p, o = g.value(a, RDF.subject), g.value(a, RDF.predicate), g.value(a, RDF.object)
        if s not in ids or o not in ids or p is None:
            continue
        relation = str(p).rsplit("#", 1)[-1]
        paper = g.value(a, PROV.wasDerivedFrom)
        sentences = sorted(str(g.value(ev, KG.sentence) or "") for ev in g.objects(a, KG.evidence))
        conf = g.value(a, KG.confidence)
        nxg.add_edge(
            ids[s],
            ids[o],
            key=str(a),
            relation=relation,
            paper=ids.get(paper, "").removeprefix("paper:") if paper is not None else "",
            confidence=float(conf) if conf is not None else 1.0,
            evidence=" | ".join(sentences),
        )
    return nxg


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
    g = load_rdf(source)
    if suffix in kgrdf.FORMATS:
        base = _base_of(g)
        try:
            return [kgrdf.write(g, dest, base=base)]
        except ValueError as exc:
            raise ExportError(f"{dest}: {exc}") from exc
    nxg = to_networkx(g)
    if suffix in GRAPH_SUFFIXES:
        return [write_graph_format(nxg, dest)]
    return list(write_csv(nxg, dest))


def _base_of(g: Graph) -> str:
    """The instance base a build used (recorded as void:uriSpace), for the JSON-LD context."""
    from kg.namespaces import VOID

    space = next(iter(g.objects(None, VOID.uriSpace)), None)
    return str(space) if space is not None else kgrdf.DEFAULT_BASE
