"""From candidate spans to one entity per thing: overlaps, aliases, types, roles, confidence.

Reads every candidate group the rule components wrote, keeps the best non-overlapping spans,
merges spans that name the same thing (acronym pairs, gazetteer aliases, case and plural
variants), and picks for each entity its fullest name, its type and its role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import candidates as C
from kg.extract.names import is_shape
from kg.extract.normalize import name_key, name_words
from kg.extract.proposals import PROPOSAL_ZONE
from kg.extract.resources import Resources, load_resources
from kg.extract.sentences import sentence_bounds

#: How much each rule family is trusted (base confidence of an entity it found).
BASE_CONFIDENCE: dict[str, float] = {
    C.GAZETTEER: 0.9,
    C.ACRONYM_LONG: 0.85,
    C.ACRONYM_SHORT: 0.85,
    C.TITLE_NAME: 0.8,
    C.PROPOSED: 0.8,
    C.DATASET_CUE: 0.8,
    C.SHAPE: 0.7,
    C.PHRASE: 0.55,
}
_PRIORITY = {g: i for i, g in enumerate(C.CANDIDATE_GROUPS)}
_DATASET_SUFFIX = re.compile(r"(Bench|Suite|QA|Set|Corpus|Bank|Eval|Arena|Gym|World|Hub|Data)\b")
_MODEL_SIZE = re.compile(r"\d+(\.\d+)?[BM]\b")
_ZONE_REACH = 8


@dataclass
class Mention:
    start: int
    end: int
    groups: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    canon: str = ""

    @property
    def priority(self) -> int:
        return min(_PRIORITY.get(g, 99) for g in self.groups)

    def overlaps(self, other: Mention) -> bool:
        return self.start < other.end and other.start < self.end


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def guess_name_type(text: str) -> str:
    """Type of an unknown proper name from its shape alone."""
    if _DATASET_SUFFIX.search(text):
        return "Dataset"
    return "Model"


class Assembler:
    """Turns candidate spans into ``doc._.kg_entities``."""

    def __init__(self, nlp: Language, name: str = "kg_assemble") -> None:
        self.name = name
        self.res: Resources = load_resources()

    # -- candidates -------------------------------------------------------------------------
    def _collect(self, doc: Doc) -> dict[tuple[int, int], Mention]:
        found: dict[tuple[int, int], Mention] = {}
        for group in C.CANDIDATE_GROUPS:
            for span in doc.spans.get(group, []):
                m = found.setdefault((span.start, span.end), Mention(span.start, span.end))
                m.groups.add(group)
                if span.label_ in ("Method", "Model", "Dataset", "Task"):
                    m.labels.add(f"{group}:{span.label_}")
                if group == C.GAZETTEER:
                    m.canon = span.kb_id_
        # later bare uses of a defined short form ("KANs" after "Kolmogorov-Arnold Networks
        # (KANs)") are mentions too
        shorts = {s.text for s in doc.spans.get(C.ACRONYM_SHORT, [])}
        for tok in doc:
            if tok.text in shorts and (tok.i, tok.i + 1) not in found:
                m = Mention(tok.i, tok.i + 1, {C.ACRONYM_SHORT})
                found[(tok.i, tok.i + 1)] = m
        return found

    def _select(self, doc: Doc, found: dict[tuple[int, int], Mention]) -> list[Mention]:
        """Best non-overlapping mentions: named things beat phrases that merely contain them."""
        res = self.res
        items = list(found.values())
        named = [m for m in items if m.groups - {C.PHRASE}]
        keep: list[Mention] = []
        for m in items:
            if m.groups == {C.PHRASE}:
                head = doc[m.end - 1].lower_
                # "GPT-4 models": the name, not the name plus a weak head word
                inner = [n for n in named if n.start >= m.start and n.end == m.end - 1]
                if inner and head in res.weak_heads:
                    continue
            keep.append(m)
        keep.sort(key=lambda m: (-(m.end - m.start), m.priority, m.start))
        chosen: list[Mention] = []
        for m in keep:
            if any(m.overlaps(c) for c in chosen):
                # a role marker overlapped by a chosen entity lends it its role
                continue
            chosen.append(m)
        chosen.sort(key=lambda m: m.start)
        return chosen

    # -- typing ---------------------------------------------------------------------------
    def _mention_type(self, doc: Doc, m: Mention) -> tuple[str, int]:
        """(type, strength) of one mention; strength orders the evidence."""
        for group, strength in (
            (C.GAZETTEER, 6),
            (C.DATASET_CUE, 5),
            (C.PHRASE, 3),
        ):
            for lab in m.labels:
                g, t = lab.split(":")
                if g == group:
                    return t, strength
        text = doc[m.start : m.end].text
        head = doc[m.end - 1].lower_
        if C.ACRONYM_LONG in m.groups or C.TITLE_NAME in m.groups or C.PROPOSED in m.groups:
            ht = self.res.head_type(head)
            if ht:
                return ht, 4
        if any(is_shape(t) for t in doc[m.start : m.end]) or doc[m.start].text[:1].isupper():
            if _MODEL_SIZE.search(text):
                return "Model", 2
            return guess_name_type(text), 1
        ht = self.res.head_type(head)
        return (ht or "Method"), 1

    # -- main ----------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        res = self.res
        found = self._collect(doc)
        chosen = self._select(doc, found)
        # drop umbrella words and bare generic phrases
        chosen = [
            m
            for m in chosen
            if doc[m.start : m.end].text.lower() not in res.umbrella_terms
            and name_key(doc[m.start : m.end].text)
        ]
        uf = _UnionFind()

        def mkey(m: Mention) -> str:
            return "k:" + name_key(doc[m.start : m.end].text)

        for m in chosen:
            uf.find(mkey(m))
            if m.canon:
                uf.union("g:" + m.canon, mkey(m))
        longs = doc.spans.get(C.ACRONYM_LONG, [])
        shorts = doc.spans.get(C.ACRONYM_SHORT, [])
        pair_keys: set[str] = set()
        for lf, sf in zip(longs, shorts, strict=False):
            uf.union("k:" + name_key(lf.text), "k:" + name_key(sf.text))
            pair_keys.add("k:" + name_key(sf.text))
        groups: dict[str, list[Mention]] = {}
        for m in chosen:
            groups.setdefault(uf.find(mkey(m)), []).append(m)

        title_end = doc._.kg_title_end or 0
        bounds = sentence_bounds(doc)

        def mention_offsets(m: Mention) -> list[int]:
            start, end = doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1])
            sent = next((b for b in bounds if b[0] <= m.start < b[1]), (0, 0, start, end))
            return [start, end, sent[2], sent[3]]

        role_spans = [
            (s.start, s.end) for g in (C.TITLE_NAME, C.PROPOSED) for s in doc.spans.get(g, [])
        ]
        zones = [(z.start, z.end) for z in doc.spans.get(PROPOSAL_ZONE, [])]
        short_texts = {s.text for s in shorts}
        entities = []
        for ms in groups.values():
            texts = [doc[m.start : m.end].text for m in ms]
            # name: fullest form as written (a long form beats its acronym)
            non_short = [t for t in texts if t not in short_texts] or texts
            name = max(non_short, key=lambda t: (len(name_words(t)), len(t), -texts.index(t)))
            aliases: list[str] = []
            seen = {name_key(name)}
            for t in texts:
                k = name_key(t)
                if k not in seen:
                    seen.add(k)
                    aliases.append(t)
            typed = [self._mention_type(doc, m) for m in ms]
            etype = max(typed, key=lambda ts: ts[1])[0]
            groups_all = set().union(*(m.groups for m in ms))
            proposed = any(
                s <= m.start and m.end <= e or m.start <= s and e <= m.end
                for m in ms
                for s, e in role_spans
            )
            best = min(groups_all, key=lambda g: _PRIORITY.get(g, 99))
            conf = BASE_CONFIDENCE.get(best, 0.5) + 0.03 * (len(ms) - 1)
            entities.append(
                {
                    "name": name,
                    "type": etype,
                    "role": "proposed" if proposed else "used",
                    "aliases": aliases,
                    "confidence": round(min(conf, 0.99), 4),
                    "source": C.SOURCE_NAMES.get(best, "rule"),
                    "known": bool(C.GAZETTEER in groups_all),
                    "tokens": [[m.start, m.end] for m in ms],
                    "mentions": [mention_offsets(m) for m in ms],
                    "in_title": any(doc[m.start].idx < title_end for m in ms),
                }
            )
        # the first new entity right after "we propose/introduce" is the paper's own
        for zs, ze in zones:
            for ent in sorted(entities, key=lambda e: min(t[0] for t in e["tokens"])):
                firsts = [t[0] for t in ent["tokens"] if zs <= t[0] < min(ze, zs + _ZONE_REACH)]
                if firsts:
                    if not ent["known"]:
                        ent["role"] = "proposed"
                    break
        entities.sort(key=lambda e: min(t[0] for t in e["tokens"]))
        doc._.kg_entities = entities
        return doc


@Language.factory("kg_assemble")
def make_assembler(nlp: Language, name: str) -> Assembler:
    return Assembler(nlp, name)
