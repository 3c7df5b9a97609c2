"""What the graph knows about one entity, answered from the store by SPARQL.

``explain(store, "GPT-2")`` finds entities whose name, alias or key matches (ignoring case) and
returns, for each, its type, aliases, the papers that propose or use it and its relations to
other entities, each edge with its confidence and the evidence sentences behind it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pyoxigraph as ox

from kg import query as q

# Details of the entities a name resolves to (kg.query.resolve_entity does the lookup).
_FIND = """
SELECT DISTINCT ?e ?label ?key ?type ?count WHERE {
  ?e skos:prefLabel ?label ; dcterms:identifier ?key ; a ?type .
  OPTIONAL { ?e kg:paperCount ?count }
  FILTER (?type IN (kg:Method, kg:Model, kg:Dataset, kg:Task))
}
ORDER BY DESC(?count) ?label
"""

_SUGGEST = """
SELECT DISTINCT ?label ?count WHERE {
  ?e a kg:Entity ; skos:prefLabel ?label .
  OPTIONAL { ?e kg:paperCount ?count }
  ?e skos:prefLabel|skos:altLabel ?l .
  FILTER (CONTAINS(LCASE(STR(?l)), LCASE(STR(?name))))
}
ORDER BY DESC(?count) ?label
LIMIT 8
"""

_ALIASES = "SELECT ?alias WHERE { ?e skos:altLabel ?alias } ORDER BY ?alias"

# Three small queries rather than one with OPTIONALs on computed variables (which Oxigraph
# would evaluate over the whole store): the entity's assertions, then the other ends' names and
# types, then the evidence, each starting from IRIs bound by VALUES.
_ASSERTIONS = """
SELECT ?a ?s ?o ?relation ?confidence ?paper ?surface WHERE {
  ?a rdf:subject|rdf:object ?e .
  ?a rdf:subject ?s ; rdf:object ?o ; rdf:predicate ?relation ; kg:confidence ?confidence .
  OPTIONAL { ?a prov:wasDerivedFrom ?paper }
  OPTIONAL { ?a kg:surface ?surface }
}
"""

_NODES = """
SELECT ?n ?label ?type ?id WHERE {
  ?n a ?type .
  OPTIONAL { ?n skos:prefLabel ?label }
  OPTIONAL { ?n dcterms:title ?label }
  OPTIONAL { ?n dcterms:identifier ?id }
  FILTER (?type IN (kg:Method, kg:Model, kg:Dataset, kg:Task, kg:Paper))
}
"""

_EVIDENCE = """
SELECT ?a ?sentence ?exact ?start ?end WHERE {
  ?a kg:evidence ?ev .
  ?ev kg:sentence ?sentence ; kg:exact ?exact ; kg:start ?start ; kg:end ?end .
}
ORDER BY ?a ?start
"""


class NotFound(LookupError):
    """No entity has that name; ``suggestions`` lists names that contain it."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no entity named {name!r} in the graph{hint}")


@dataclass
class EvidenceItem:
    sentence: str
    exact: str
    start: int
    end: int


@dataclass
class Edge:
    """One assertion: the relation, the other end, the paper, confidence and evidence."""

    relation: str
    direction: str  # "out": this entity is the subject; "in": it is the object
    other: str
    other_label: str
    other_type: str
    paper_id: str | None
    paper_title: str | None
    confidence: float
    surface: str | None = None
    evidence: list[EvidenceItem] = field(default_factory=list)


@dataclass
class EntityReport:
    iri: str
    key: str
    label: str
    type: str
    paper_count: int
    aliases: list[str]
    proposed_by: list[Edge]
    used_by: list[Edge]
    relations: list[Edge]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return render_text([self]).rstrip("\n")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """How IPython and Jupyter show a report: the text ``kg explain`` prints."""
        printer.text(str(self))


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def _edges(store: ox.Store, iri: str) -> list[Edge]:
    rows = q.select(store, q.with_values(_ASSERTIONS, {"e": ox.NamedNode(iri)}))
    if not rows:
        return []
    ends = {r["o"] if r["s"] == iri else r["s"] for r in rows} | {
        r["paper"] for r in rows if r["paper"]
    }
    nodes = {
        r["n"]: r
        for r in q.select(store, q.with_values(_NODES, {"n": [ox.NamedNode(n) for n in ends]}))
    }
    evidence: dict[str, list[EvidenceItem]] = {}
    assertions = [ox.NamedNode(a) for a in {r["a"] for r in rows}]
    for r in q.select(store, q.with_values(_EVIDENCE, {"a": assertions})):
        item = EvidenceItem(r["sentence"], r["exact"], int(r["start"]), int(r["end"]))
        if item not in evidence.setdefault(r["a"], []):
            evidence[r["a"]].append(item)
    edges = []
    for r in rows:
        out = r["s"] == iri
        other = r["o"] if out else r["s"]
        info = nodes.get(other, {})
        paper = nodes.get(r["paper"], {}) if r["paper"] else {}
        edges.append(
            Edge(
                relation=_local(r["relation"]),
                direction="out" if out else "in",
                other=other,
                other_label=info.get("label") or other,
                other_type=_local(info.get("type") or ""),
                paper_id=paper.get("id"),
                paper_title=paper.get("label"),
                confidence=float(r["confidence"]),
                surface=r["surface"],
                evidence=evidence.get(r["a"], []),
            )
        )
    edges.sort(key=lambda e: (e.relation, e.direction, e.other_label, e.paper_id or ""))
    return edges


def explain(store: ox.Store, name: str) -> list[EntityReport]:
    """Reports for every entity called ``name`` (label, alias or key, any case), best first."""
    if not name.strip():
        raise NotFound(name, [])
    try:
        iris = q.resolve_entity(store, name.strip())
    except q.QueryError:
        rows = q.select(store, _SUGGEST, {"name": name.strip()})
        raise NotFound(name, [r["label"] for r in rows]) from None
    found = q.select(store, q.with_values(_FIND, {"e": iris}))
    reports = []
    for r in found:
        iri = r["e"]
        aliases = [
            a["alias"] for a in q.select(store, q.with_values(_ALIASES, {"e": ox.NamedNode(iri)}))
        ]
        edges = _edges(store, iri)
        reports.append(
            EntityReport(
                iri=iri,
                key=r["key"],
                label=r["label"],
                type=_local(r["type"]),
                paper_count=int(r["count"] or 0),
                aliases=aliases,
                proposed_by=[e for e in edges if e.relation == "proposes"],
                used_by=[e for e in edges if e.relation == "uses"],
                relations=[e for e in edges if e.relation not in ("proposes", "uses")],
            )
        )
    return reports


def render_text(reports: list[EntityReport], max_evidence: int = 2) -> str:
    """A plain-text account for people (no markup: names come from untrusted text)."""
    lines: list[str] = []
    for rep in reports:
        lines.append(f"{rep.label}  [{rep.type}]  key={rep.key}  papers={rep.paper_count}")
        lines.append(f"  {rep.iri}")
        if rep.aliases:
            lines.append(f"  aliases: {', '.join(rep.aliases)}")
        for title, edges in (("proposed by", rep.proposed_by), ("used by", rep.used_by)):
            if edges:
                lines.append(f"  {title} {len(edges)} paper{'s' if len(edges) != 1 else ''}:")
                for e in edges:
                    lines.append(f"    - {e.other_label} ({e.paper_id}) conf {e.confidence:.2f}")
                    lines.extend(_evidence_lines(e, max_evidence))
        if rep.relations:
            lines.append(f"  relations ({len(rep.relations)}):")
            for e in rep.relations:
                arrow = f"{e.relation} -> {e.other_label}"
                if e.direction == "in":
                    arrow = f"<- {e.relation} {e.other_label}"
                src = f"in {e.paper_id}" if e.paper_id else "by name resolution"
                lines.append(f"    - {arrow} [{e.other_type}] {src}, conf {e.confidence:.2f}")
                lines.extend(_evidence_lines(e, max_evidence))
        lines.append("")
    return "\n".join(lines)


def _evidence_lines(edge: Edge, limit: int) -> list[str]:
    out = []
    for ev in edge.evidence[:limit]:
        sentence = " ".join(ev.sentence.split())
        out.append(f'        "{sentence}" [{ev.start}:{ev.end}]')
    if len(edge.evidence) > limit:
        out.append(f"        ... {len(edge.evidence) - limit} more")
    return out
