"""networkx graph -> RDF: safe IRIs, reified provenance, atomic Turtle/N-Triples/JSON-LD/store.

The vocabulary is ``ontology/kg.ttl`` (terms in :mod:`kg.namespaces`). Every paper-entity and
entity-entity edge becomes the direct triple *and* a ``kg:Assertion`` carrying confidence, the
paper and ``kg:Evidence`` nodes (sentence, exact mention, offsets), so SPARQL can ask why an
edge exists. Text from papers is untrusted: IRIs are minted by percent-encoding everything but
ASCII letters, digits and ``-``, and literals go through rdflib's escaping serialisers.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

import networkx as nx
from rdflib import Graph, Literal, URIRef

from kg.io import atomic_write
from kg.model import Evidence
from kg.namespaces import (
    DCTERMS,
    DEFAULT_BASE,
    KG,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    RELATION_PROPERTIES,
    SDO,
    SKOS,
    TYPE_CLASSES,
    VOID,
    XSD,
)
from kg.ontology_files import ontology_dir, ontology_file

__all__ = [
    "DEFAULT_BASE",
    "FORMATS",
    "Validation",
    "check_base",
    "format_for",
    "jsonld_context",
    "mint",
    "ontology_dir",
    "ontology_file",
    "serialize",
    "to_rdf",
    "unmint",
    "validate",
    "write",
]

#: Output syntaxes by file suffix: rdflib format name.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
    ".n3": "n3",
    ".trig": "trig",
    ".nq": "nquads",
}

_KEEP = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")
# Characters that may not appear raw in an IRI (RFC 3987 + Turtle IRIREF) or that end it.
_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f-\x9f]')


# --------------------------------------------------------------------------- IRIs


def check_base(base: str) -> str:
    """Return ``base`` if it can prefix minted IRIs, else raise ``ValueError`` saying why.

    A base must be an absolute IRI (scheme and authority or path) ending in ``/`` or ``#`` with
    no characters that would need escaping; that keeps every minted IRI valid in every syntax.
    """
    if not isinstance(base, str) or not base:
        raise ValueError("base IRI is empty")
    return _checked_base(base)


@functools.lru_cache(maxsize=64)
def _checked_base(base: str) -> str:
    """Cached: every minted IRI checks its base, millions of times in a large build."""
    if _BAD_IRI_CHARS.search(base):
        raise ValueError(f"base IRI {base!r} holds a space, control or reserved character")
    parts = urlsplit(base)
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", parts.scheme or ""):
        raise ValueError(f"base IRI {base!r} is not absolute (it needs a scheme like https:)")
    if not base.endswith(("/", "#")):
        raise ValueError(f"base IRI {base!r} must end with '/' or '#'")
    return base


_PLAIN = re.compile(r"[A-Za-z0-9-]+")


def _encode(value: str) -> str:
    if _PLAIN.fullmatch(value):  # hashes and most keys: nothing to encode
        return value
    data = value.encode("utf-8", "surrogatepass")
    return "".join(chr(b) if b in _KEEP else f"%{b:02X}" for b in data)


def mint(value: str, kind: str = "entity", base: str = DEFAULT_BASE) -> URIRef:
    """A safe IRI ``<base><kind>/<encoded value>`` for any string.

    ASCII letters, digits and ``-`` are kept; every other UTF-8 byte is percent-encoded, so
    quotes, angle brackets, spaces, newlines, emoji and right-to-left text can neither break a
    serialisation nor collide (the encoding is one-to-one; :func:`unmint` reverses it).
    """
    if not isinstance(value, str) or value == "":
        raise ValueError(f"cannot mint an IRI from an empty or non-string value: {value!r}")
    check_base(base)
    return URIRef(f"{base}{_encode(kind)}/{_encode(value)}")


def unmint(iri: str, base: str = DEFAULT_BASE) -> tuple[str, str]:
    """``(kind, value)`` of an IRI made by :func:`mint` under ``base``."""
    iri = str(iri)
    if not iri.startswith(base):
        raise ValueError(f"{iri!r} is not under base {base!r}")
    kind, sep, rest = iri[len(base) :].partition("/")
    if not sep:
        raise ValueError(f"{iri!r} has no kind/value path")
    return unquote(kind, errors="strict"), unquote(rest, errors="strict")


def _hash(*parts: object) -> str:
    h = hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode())
    return h.hexdigest()[:20]


# --------------------------------------------------------------------------- literals


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: Any) -> Literal:
    """A plain string literal; lone surrogates (invalid in RDF) become U+FFFD."""
    return Literal(_SURROGATE.sub("\ufffd", str(value)))


def _nonneg(value: int) -> Literal:
    # xsd:integer, not xsd:nonNegativeInteger: Oxigraph canonicalises derived integer types to
    # xsd:integer, and the files must say what the store says. SHACL checks the sign.
    return Literal(int(value), datatype=XSD.integer)


def _decimal(value: Any) -> Literal:
    """A decimal in canonical form ("1", "0.5"), as Oxigraph stores it, so files and store agree."""
    lexical = format(Decimal(str(round(float(value), 4))).normalize(), "f")
    return Literal(lexical, datatype=XSD.decimal)


_DATE_FORMATS = ("%Y-%m-%d", "%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%Y/%m/%d")


def _parse_date(value: Any) -> date | None:
    """A paper date from metadata (ISO or 'Jul 18, 2023'); None when it has no year."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    s = value.strip()
    m = re.match(r"\d{4}-\d{2}-\d{2}", s)
    if m:
        s = m.group(0)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(-?\d+)\s*(authors?)?\s*", value)
        if m:
            return int(m.group(1))
    return None


def _safe_url(value: Any) -> URIRef | None:
    """An http(s) URL as an IRI, or None if it would not be a valid one."""
    if not isinstance(value, str):
        return None
    s = value.strip()
    if _BAD_IRI_CHARS.search(s) or not re.match(r"https?://[^/?#]+", s):
        return None
    return URIRef(s)


# --------------------------------------------------------------------------- graph -> RDF


def _paper_id(node: str) -> str:
    return node[len("paper:") :] if node.startswith("paper:") else node


def _entity_key(node: str) -> str:
    return node.split(":", 1)[1] if node.startswith("entity:") else node


def _add_paper(rdf: Graph, iri: URIRef, pid: str, d: Mapping[str, Any]) -> None:
    add = rdf.add
    add((iri, RDF.type, KG.Paper))
    add((iri, DCTERMS.identifier, _text(pid)))
    title = d.get("title") or d.get("label") or ""
    add((iri, DCTERMS.title, _text(title)))
    if d.get("abstract"):
        add((iri, DCTERMS.abstract, _text(d["abstract"])))
    if d.get("source"):
        add((iri, KG.sourceFile, _text(d["source"])))
    line = _as_int(d.get("line"))
    if line is not None and line >= 0:
        add((iri, KG.sourceLine, _nonneg(line)))
    meta = d.get("metadata") or {}
    created = _parse_date(meta.get("date"))
    if created is not None:
        add((iri, DCTERMS.created, Literal(created, datatype=XSD.date)))
    authors = meta.get("authors", meta.get("author_count"))
    n_authors = len(authors) if isinstance(authors, list) else _as_int(authors)
    if n_authors is not None and n_authors >= 0:
        add((iri, KG.authorCount, _nonneg(n_authors)))
    org = meta.get("organisation", meta.get("organization"))
    for o in org if isinstance(org, list) else [org]:
        if isinstance(o, str) and o.strip():
            add((iri, KG.organisation, _text(o.strip())))
    upvotes = _as_int(meta.get("upvotes"))
    if upvotes is not None:
        add((iri, KG.upvotes, Literal(upvotes, datatype=XSD.integer)))
    url = _safe_url(meta.get("url"))
    if url is not None:
        add((iri, SDO.url, url))
    for link in d.get("links") or ():
        target = _safe_url(link.get("url")) if isinstance(link, Mapping) else None
        if target is not None:
            add((iri, SDO.codeRepository if link.get("kind") == "code" else KG.projectPage, target))


def _add_entity(rdf: Graph, iri: URIRef, key: str, d: Mapping[str, Any]) -> None:
    add = rdf.add
    cls = TYPE_CLASSES.get(str(d.get("type")))
    if cls is None:
        raise ValueError(
            f"entity {key!r} has type {d.get('type')!r}, not one of {list(TYPE_CLASSES)}"
        )
    label = str(d.get("label") or key)
    add((iri, RDF.type, KG.Entity))
    add((iri, RDF.type, cls))
    add((iri, DCTERMS.identifier, _text(key)))
    add((iri, SKOS.prefLabel, _text(label)))
    add((iri, RDFS.label, _text(label)))
    for alias in d.get("aliases") or ():
        if isinstance(alias, str) and alias.strip() and alias != label:
            add((iri, SKOS.altLabel, _text(alias)))
    count = _as_int(d.get("paper_count"))
    if count is not None and count >= 0:
        add((iri, KG.paperCount, _nonneg(count)))
    if d.get("confidence") is not None:
        add((iri, KG.confidence, _decimal(d["confidence"])))


def _evidence_items(value: Any) -> list[Evidence]:
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    out = []
    for ev in items:
        if isinstance(ev, Evidence):
            out.append(ev)
        elif isinstance(ev, Mapping):
            out.append(Evidence.from_dict(ev))
    return out


def _add_evidence(
    rdf: Any, base: str, paper: URIRef, pid: str, ev: Evidence, seen: set[URIRef] | None = None
) -> URIRef:
    """The evidence node's IRI; its triples are sent once, however many assertions cite it."""
    iri = mint(_hash(pid, ev.start, ev.end, ev.sent_start, ev.sentence), "evidence", base)
    if seen is not None:
        if iri in seen:
            return iri
        seen.add(iri)
    add = rdf.add
    add((iri, RDF.type, KG.Evidence))
    add((iri, KG.sentence, _text(ev.sentence)))
    add((iri, KG.exact, _text(ev.exact)))
    add((iri, KG.start, _nonneg(ev.start)))
    add((iri, KG.end, _nonneg(ev.end)))
    add((iri, KG.inPaper, paper))
    return iri


@dataclass
class _Assertion:
    subject: URIRef
    predicate: URIRef
    object: URIRef
    paper: str | None
    confidence: float
    surface: str | None
    evidence: list[Evidence]


def to_rdf(g: nx.MultiDiGraph, base: str = DEFAULT_BASE) -> Graph:
    """The RDF form of a kg graph (schema in docs/DESIGN.md), instances under ``base``.

    Edges that say the same thing in the same paper (same head, relation, tail, paper) share
    one ``kg:Assertion``: highest confidence, union of evidence.
    """
    check_base(base)
    rdf = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        rdf.bind(prefix, ns)
    rdf.bind("res", base)
    emit(g, rdf, base)
    return rdf


class _Sink(Protocol):
    def add(self, triple: tuple[Any, Any, Any], /) -> object: ...


#: An edge as the emitters read it: (from node, to node, attributes); nodes are named as in
#: :mod:`kg.graph` ("paper:ID", "entity:KEY").
EdgeData = tuple[str, str, Mapping[str, Any]]


Fill = Callable[[_Sink], None]


def emit(g: nx.MultiDiGraph, rdf: _Sink, base: str = DEFAULT_BASE) -> None:
    """Send every triple of ``g``'s RDF form to ``rdf.add``: an rdflib Graph or a stream."""
    head, parts = graph_parts(g, base)
    head(rdf)
    for _, fill in parts:
        fill(rdf)


def graph_parts(
    g: nx.MultiDiGraph, base: str = DEFAULT_BASE
) -> tuple[Fill, list[tuple[str, Fill]]]:
    """``g``'s triples in disjoint parts (no subject is shared between them): the head (the
    dataset description, :func:`emit_dataset`, and the entities, :func:`emit_entities`) and
    one part per paper (:func:`emit_paper`), which is what lets a re-build reuse each paper's
    part. Each part is a function that sends its triples to a sink."""
    check_base(base)
    entities: list[tuple[str, Mapping[str, Any]]] = []
    papers: list[tuple[str, Mapping[str, Any]]] = []
    for node, d in g.nodes(data=True):
        kind = d.get("kind")
        if kind == "paper":
            papers.append((node, d))
        elif kind == "entity":
            entities.append((node, d))
        else:
            raise ValueError(f"graph node {node!r} has kind {kind!r}, not 'paper' or 'entity'")
    links: list[EdgeData] = []
    by_paper: dict[str, list[EdgeData]] = {}
    for u, v, d in g.edges(data=True):
        if g.nodes[u].get("kind") == "entity":
            links.append((u, v, d))
        pid = d.get("paper")
        if pid is None and u.startswith("paper:"):
            pid = _paper_id(u)  # a paper's own link is stated by that paper
        if pid is not None:
            by_paper.setdefault(str(pid), []).append((u, v, d))

    def head(rdf: _Sink) -> None:
        emit_dataset(rdf, base, g.graph.get("extractor"), g.graph.get("built"))
        emit_entities(rdf, base, entities, links)

    def part(pid: str, attrs: Mapping[str, Any] | None, edges: list[EdgeData]) -> Fill:
        return lambda rdf: emit_paper(rdf, base, pid, attrs, edges)

    parts = []
    for node, d in papers:
        pid = _paper_id(node)
        parts.append((pid, part(pid, d, by_paper.pop(pid, []))))
    for pid, edges in by_paper.items():  # a subgraph without the paper keeps its provenance
        parts.append((pid, part(pid, None, edges)))
    return head, parts


def _node_iri(node: str, base: str) -> URIRef:
    return _node_iri_cached(node, base)


@functools.lru_cache(maxsize=1 << 16)
def _node_iri_cached(node: str, base: str) -> URIRef:
    if node.startswith("paper:"):
        return mint(node[len("paper:") :], "paper", base)
    if node.startswith("entity:"):
        return mint(node[len("entity:") :], "entity", base)
    raise ValueError(f"graph node {node!r} is neither 'paper:ID' nor 'entity:KEY'")


def _property(rel: Any, u: str, v: str) -> URIRef:
    prop = RELATION_PROPERTIES.get(rel)
    if prop is None:
        raise ValueError(f"edge {u!r} -> {v!r} has unknown relation {rel!r}")
    return prop


def emit_dataset(rdf: _Sink, base: str, extractor: Any = None, built: Any = None) -> None:
    """The void:Dataset description: title, IRI space, extractor version, build time."""
    add = rdf.add
    ds = URIRef(base + "dataset")
    add((ds, RDF.type, VOID.Dataset))
    add((ds, DCTERMS.title, Literal("kg: ML literature graph")))
    add((ds, VOID.uriSpace, Literal(base)))
    if extractor:
        add((ds, KG.extractor, _text(extractor)))
    if built:
        try:
            add((ds, DCTERMS.created, Literal(datetime.fromisoformat(str(built)))))
        except ValueError:
            add((ds, DCTERMS.created, _text(built)))


def emit_entities(
    rdf: _Sink,
    base: str,
    entities: Iterable[tuple[str, Mapping[str, Any]]],
    links: Iterable[EdgeData],
) -> None:
    """Entity nodes, one direct triple per entity-entity fact however many papers state it,
    and the assertions that no paper made (resolution's variantOf)."""
    for node, d in entities:
        key = _entity_key(node)
        _add_entity(rdf, mint(key, "entity", base), key, d)
    direct: set[tuple[URIRef, URIRef, URIRef]] = set()
    unattributed: list[EdgeData] = []
    for u, v, d in links:
        triple = (_node_iri(u, base), _property(d.get("relation"), u, v), _node_iri(v, base))
        if triple not in direct:
            direct.add(triple)
            rdf.add(triple)
        if d.get("paper") is None:
            unattributed.append((u, v, d))
    _emit_assertions(rdf, base, None, unattributed)


def emit_paper(
    rdf: _Sink,
    base: str,
    pid: str,
    attrs: Mapping[str, Any] | None,
    edges: Iterable[EdgeData],
) -> None:
    """One paper's part: its node (unless ``attrs`` is None), its direct proposes/uses
    triples, and the assertions and evidence of every edge it states."""
    paper = mint(pid, "paper", base)
    if attrs is not None:
        _add_paper(rdf, paper, pid, attrs)
    edges = list(edges)
    direct: set[tuple[URIRef, URIRef, URIRef]] = set()
    for u, v, d in edges:
        if u.startswith("paper:"):
            triple = (_node_iri(u, base), _property(d.get("relation"), u, v), _node_iri(v, base))
            if triple not in direct:
                direct.add(triple)
                rdf.add(triple)
    _emit_assertions(rdf, base, pid, edges)


def _emit_assertions(rdf: _Sink, base: str, pid: str | None, edges: Iterable[EdgeData]) -> None:
    """One ``kg:Assertion`` per (head, relation, tail) of paper ``pid`` (None: no paper)."""
    assertions: dict[str, _Assertion] = {}
    for u, v, d in edges:
        s, o = _node_iri(u, base), _node_iri(v, base)
        prop = _property(d.get("relation"), u, v)
        key = _hash(s, prop, o, pid)
        conf = float(d["confidence"]) if d.get("confidence") is not None else 1.0
        a = assertions.get(key)
        if a is None:
            evidence = _evidence_items(d.get("evidence"))
            assertions[key] = _Assertion(s, prop, o, pid, conf, d.get("surface"), evidence)
        else:
            a.confidence = max(a.confidence, conf)
            a.evidence.extend(_evidence_items(d.get("evidence")))

    add = rdf.add
    paper = None if pid is None else mint(pid, "paper", base)
    seen_evidence: set[URIRef] = set()
    for key, a in assertions.items():
        iri = mint(key, "assertion", base)
        add((iri, RDF.type, KG.Assertion))
        add((iri, RDF.subject, a.subject))
        add((iri, RDF.predicate, a.predicate))
        add((iri, RDF.object, a.object))
        add((iri, KG.confidence, _decimal(a.confidence)))
        if a.surface:
            add((iri, KG.surface, _text(a.surface)))
        if paper is None:
            add((iri, PROV.wasAttributedTo, KG.nameResolution))
            continue
        add((iri, PROV.wasDerivedFrom, paper))
        for ev in a.evidence:
            add((iri, KG.evidence, _add_evidence(rdf, base, paper, pid, ev, seen_evidence)))


# --------------------------------------------------------------------------- writing


def jsonld_context(base: str = DEFAULT_BASE) -> dict[str, Any]:
    """The compact JSON-LD ``@context`` value: our prefixes, short terms for common properties."""
    ctx: dict[str, Any] = dict(PREFIXES)
    ctx["res"] = base
    for name in ("proposes", "uses", "trainedOn", "evaluatedOn", "basedOn", "comparedWith"):
        ctx[name] = {"@id": f"kg:{name}", "@type": "@id"}
    ctx.update(
        {
            "appliedTo": {"@id": "kg:appliedTo", "@type": "@id"},
            "variantOf": {"@id": "kg:variantOf", "@type": "@id"},
            "title": {"@id": "dcterms:title"},
            "abstract": {"@id": "dcterms:abstract"},
            "identifier": {"@id": "dcterms:identifier"},
            "prefLabel": {"@id": "skos:prefLabel"},
            "altLabel": {"@id": "skos:altLabel"},
            "sentence": {"@id": "kg:sentence"},
            "exact": {"@id": "kg:exact"},
            "inPaper": {"@id": "kg:inPaper", "@type": "@id"},
            "evidence": {"@id": "kg:evidence", "@type": "@id"},
        }
    )
    return ctx


def format_for(path: str | Path) -> str:
    """The rdflib format name for an output path, chosen by its suffix."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise ValueError(f"{path}: unknown RDF file type {suffix!r} (known: {known})")
    return FORMATS[suffix]


def serialize(rdf: Graph, fmt: str, base: str = DEFAULT_BASE) -> bytes:
    """``rdf`` in syntax ``fmt`` (an rdflib format name) as UTF-8 bytes."""
    for prefix, ns in {**PREFIXES, "res": base}.items():
        rdf.bind(prefix, ns, override=True, replace=True)
    if fmt == "json-ld":
        return rdf.serialize(format="json-ld", context=jsonld_context(base), encoding="utf-8")
    if fmt == "xml":
        _check_xml_safe(rdf)
        return rdf.serialize(format=fmt, encoding="utf-8")
    if fmt in _OX_FORMATS:
        return _ox_serialize(rdf, _OX_FORMATS[fmt], {**PREFIXES, "res": base})
    return rdf.serialize(format=fmt, encoding="utf-8")


def _ox_formats() -> dict[str, Any]:
    import pyoxigraph as ox

    return {
        "nt": ox.RdfFormat.N_TRIPLES,
        "turtle": ox.RdfFormat.TURTLE,
        "n3": ox.RdfFormat.N3,
        "trig": ox.RdfFormat.TRIG,
        "nquads": ox.RdfFormat.N_QUADS,
    }


_OX_FORMATS = _ox_formats()


def _ox_serialize(rdf: Graph, fmt: Any, prefixes: dict[str, str]) -> bytes:
    """Line-based and Turtle-family syntaxes through Oxigraph's writer.

    Faster than rdflib's, and it keeps literals' lexical forms ("1"^^xsd:decimal stays "1"; rdflib's
    Turtle writer turns it into 1.0), so every file says exactly what the store holds. Triples are
    sorted, which groups each subject's triples and makes builds diffable.
    """
    import pyoxigraph as ox

    lines = sorted({ln for ln in rdf.serialize(format="nt", encoding="utf-8").splitlines() if ln})
    triples = [q.triple for q in ox.parse(b"\n".join(lines), format=ox.RdfFormat.N_TRIPLES)]
    with_prefixes = fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3)
    return ox.serialize(triples, format=fmt, prefixes=prefixes if with_prefixes else None)


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _check_xml_safe(rdf: Graph) -> None:
    """RDF/XML is XML 1.0, which cannot carry some control characters that RDF allows."""
    for s, _p, o in rdf:
        if isinstance(o, Literal) and _XML_BAD.search(str(o)):
            raise ValueError(
                f"cannot write RDF/XML: a literal of {s} holds a control character XML 1.0 "
                "forbids; use Turtle, N-Triples or JSON-LD"
            )


def write(rdf: Graph, path: str | Path, fmt: str | None = None, base: str = DEFAULT_BASE) -> Path:
    """Write ``rdf`` to ``path`` atomically, in ``fmt`` or the syntax its suffix names."""
    path = Path(path)
    data = serialize(rdf, fmt or format_for(path), base)
    with atomic_write(path, "wb") as fh:
        fh.write(data)
    return path


# --------------------------------------------------------------------------- SHACL


@dataclass
class Validation:
    """A SHACL result: ``conforms`` ignores warnings; ``text`` is pySHACL's report."""

    conforms: bool
    text: str
    report: Graph

    def violations(self) -> list[dict[str, str]]:
        """Each result (violation or warning) as focus node, path, message, severity."""
        sh = "http://www.w3.org/ns/shacl#"
        out = []
        for r in self.report.subjects(RDF.type, URIRef(sh + "ValidationResult")):

            def one(p: str, r: Any = r) -> str:
                v = self.report.value(r, URIRef(sh + p))
                return "" if v is None else str(v)

            out.append(
                {
                    "focus": one("focusNode"),
                    "path": one("resultPath"),
                    "message": one("resultMessage"),
                    "severity": one("resultSeverity").rsplit("#", 1)[-1],
                }
            )
        return out


def _as_graph(src: Graph | str | Path) -> Graph:
    if isinstance(src, Graph):
        return src
    g = Graph()
    g.parse(str(src), format=format_for(src))
    return g


def validate(data: Graph | str | Path, shapes: Graph | str | Path | None = None) -> Validation:
    """Check ``data`` against ``ontology/shapes.ttl`` (or ``shapes``) with pySHACL.

    No inference: kg writes every rdf:type the shapes target. Warnings (a trainedOn whose
    target is not typed Dataset) are reported but do not break conformance.
    """
    import pyshacl

    data_graph = _as_graph(data)
    shapes_graph = _as_graph(shapes if shapes is not None else ontology_file("shapes.ttl"))
    conforms, report, text = pyshacl.validate(
        data_graph,
        shacl_graph=shapes_graph,
        inference="none",
        allow_warnings=True,
        advanced=True,
    )
    return Validation(bool(conforms), str(text), report)
