"""Typed records that cross module boundaries.

Data flows one way: ``Paper`` (ingest) -> ``PaperExtraction`` (extract) -> ``Entity`` /
``Relation`` (resolve) -> graph -> exports. This module imports nothing of ours so every
stage can depend on it without cycles.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

ENTITY_TYPES: tuple[str, ...] = ("Method", "Model", "Dataset", "Task")
ROLES: tuple[str, ...] = ("proposed", "used")
RELATIONS: tuple[str, ...] = ("trainedOn", "evaluatedOn", "basedOn", "comparedWith", "appliedTo")
#: Every edge kind in the graph: paper -> entity roles, stated relations, resolution's variantOf.
EDGE_RELATIONS: tuple[str, ...] = ("proposes", "uses", *RELATIONS, "variantOf")

#: Separator between title and abstract in ``Paper.text``; offsets count from the title start.
TITLE_SEP = "\n\n"


@dataclass(frozen=True, slots=True)
class Paper:
    """One distinct paper, whatever file or layout it came from.

    ``source``/``line`` point at the first record that named it, so errors and evidence can
    cite a place a user can open. ``metadata`` holds everything else the input carried
    (authors, organisation, date, upvotes, url, ...), JSON-serialisable values only.
    """

    id: str
    title: str
    abstract: str
    source: str = ""
    line: int = 0
    metadata: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def text(self) -> str:
        """Title and abstract as one text: extraction offsets index into this string."""
        return f"{self.title}{TITLE_SEP}{self.abstract}" if self.abstract else self.title

    #: Hash of what extraction reads; the cache key together with the extractor version.
    content_hash: str = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        # Computed once: a build of 100,000 papers asks for it several times per paper.
        digest = hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        object.__setattr__(self, "content_hash", digest)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        del d["content_hash"]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Paper:
        return cls(
            id=str(d["id"]),
            title=d.get("title", ""),
            abstract=d.get("abstract", ""),
            source=d.get("source", ""),
            line=int(d.get("line", 0)),
            metadata=dict(d.get("metadata") or {}),
        )


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a mention or relation was read: the sentence and character offsets.

    ``start``/``end`` are offsets of the mention (or of the whole relation span) in
    ``Paper.text``; ``sent_start`` is the sentence's own offset there, so the mention inside the
    sentence is ``sentence[start - sent_start : end - sent_start]``.
    """

    sentence: str
    start: int
    end: int
    sent_start: int

    @property
    def exact(self) -> str:
        return self.sentence[self.start - self.sent_start : self.end - self.sent_start]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Evidence:
        return cls(d["sentence"], int(d["start"]), int(d["end"]), int(d["sent_start"]))


@dataclass(slots=True)
class ExtractedEntity:
    """One entity of one paper (gold shape: name, type, aliases, role) plus its evidence."""

    name: str
    type: str
    role: str = "used"
    aliases: list[str] = field(default_factory=list)
    confidence: float = 1.0
    mentions: list[Evidence] = field(default_factory=list)
    #: Which rule family found it (gazetteer, acronym, shape, title, np, ...): for debugging.
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "role": self.role,
            "confidence": round(self.confidence, 4),
            "source": self.source,
            "mentions": [m.to_dict() for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ExtractedEntity:
        return cls(
            name=d["name"],
            type=d["type"],
            role=d.get("role", "used"),
            aliases=list(d.get("aliases") or []),
            confidence=float(d.get("confidence", 1.0)),
            mentions=[Evidence.from_dict(m) for m in d.get("mentions") or []],
            source=d.get("source", ""),
        )


@dataclass(slots=True)
class ExtractedRelation:
    """A relation stated in one paper between two of its entities (by entity ``name``)."""

    head: str
    relation: str
    tail: str
    confidence: float = 1.0
    evidence: Evidence | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "head": self.head,
            "relation": self.relation,
            "tail": self.tail,
            "confidence": round(self.confidence, 4),
            "evidence": self.evidence.to_dict() if self.evidence else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ExtractedRelation:
        ev = d.get("evidence")
        return cls(
            head=d["head"],
            relation=d["relation"],
            tail=d["tail"],
            confidence=float(d.get("confidence", 1.0)),
            evidence=Evidence.from_dict(ev) if ev else None,
        )


@dataclass(slots=True)
class PaperExtraction:
    """Everything extraction found in one paper; serialises to the gold JSONL shape plus extras."""

    paper: Paper
    entities: list[ExtractedEntity] = field(default_factory=list)
    relations: list[ExtractedRelation] = field(default_factory=list)
    extractor: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.paper.id,
            "title": self.paper.title,
            "abstract": self.paper.abstract,
            "entities": [e.to_dict() for e in self.entities],
            "relations": [r.to_dict() for r in self.relations],
            "extractor": self.extractor,
            "source": self.paper.source,
            "line": self.paper.line,
            "metadata": self.paper.metadata,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PaperExtraction:
        return cls(
            paper=Paper.from_dict(d),
            entities=[ExtractedEntity.from_dict(e) for e in d.get("entities") or []],
            relations=[ExtractedRelation.from_dict(r) for r in d.get("relations") or []],
            extractor=d.get("extractor", ""),
        )


class NameRecord(NamedTuple):
    """One entity of one paper as name resolution reads it (no evidence)."""

    name: str
    type: str
    role: str
    aliases: list[str]
    confidence: float


@dataclass(slots=True)
class PaperNames:
    """What name resolution reads of one paper: entity names, aliases, types, roles and
    confidences, and relations by end names; no evidence, so a re-build reads little."""

    paper_id: str
    entities: list[NameRecord] = field(default_factory=list)
    #: (head name, relation, tail name), in extraction order.
    relations: list[tuple[str, str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, pe: PaperExtraction) -> PaperNames:
        return cls(
            pe.paper.id,
            [
                NameRecord(e.name, e.type, e.role, list(e.aliases), round(e.confidence, 4))
                for e in pe.entities
            ],
            [(r.head, r.relation, r.tail) for r in pe.relations],
        )

    def to_json(self) -> str:
        """Compact JSON (no paper id: the cache row that holds it knows the paper)."""
        return json.dumps(
            [self.entities, self.relations], ensure_ascii=False, separators=(",", ":")
        )

    @classmethod
    def from_json(cls, paper_id: str, text: str) -> PaperNames:
        ents, rels = json.loads(text)
        return cls(paper_id, list(map(NameRecord._make, ents)), list(map(tuple, rels)))


@dataclass(slots=True)
class Entity:
    """One real-world thing across the corpus, after name resolution.

    ``key`` is the stable normalised identifier the IRI is minted from; ``papers`` maps paper
    id to role in that paper.
    """

    key: str
    name: str
    type: str
    aliases: set[str] = field(default_factory=set)
    papers: dict[str, str] = field(default_factory=dict)
    confidence: float = 1.0
    #: Keys of broader entities this one is a variant of (ResNet-50 -> ResNet).
    variant_of: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Mention:
    """A paper's link to a resolved entity (proposes / uses), with its evidence."""

    paper_id: str
    entity_key: str
    role: str
    surface: str
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(slots=True)
class Relation:
    """A resolved entity-entity relation read in one paper."""

    head: str
    relation: str
    tail: str
    paper_id: str
    confidence: float
    evidence: Evidence | None = None


@dataclass(slots=True)
class ResolvedCorpus:
    """Output of resolution: the input to graph building."""

    papers: dict[str, Paper]
    entities: dict[str, Entity]
    mentions: list[Mention]
    relations: list[Relation]
