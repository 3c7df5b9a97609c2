"""Relations an abstract states between its entities, read from cue words in one sentence.

Two readings: a cue between two mentions ("X is trained on Y", "X outperforms Y") links them;
and a sentence about the paper's own contribution ("we evaluate on A and B", "our model
outperforms C") links the paper's main entity to the sentence's entities. Cue words and the
types each relation accepts live in ``kg/data/relations.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.resources import RelationCues, load_resources
from kg.extract.sentences import sentence_bounds

#: Cues short enough to be ambiguous only count when the two mentions are this close.
SHORT_CUES = {"on", "for", "with", "by", "via", "in", "to", "over", "than", "through"}
SHORT_GAP = 4
MAX_GAP = 14
_ORDER = ("trainedOn", "evaluatedOn", "comparedWith", "basedOn", "appliedTo")
_SELF_WORDS = {"we", "our", "ours", "this", "proposed"}


@dataclass(frozen=True)
class _M:
    start: int
    end: int
    ent: int


def _has_cue(text: str, cue: str) -> bool:
    return re.search(rf"(?<![a-z0-9-]){re.escape(cue)}(?![a-z0-9-])", text) is not None


class RelationFinder:
    def __init__(self, nlp: Language, name: str = "kg_relations") -> None:
        self.name = name
        res = load_resources()
        by_name = {c.relation: c for c in res.relation_cues}
        self.cues: list[RelationCues] = [by_name[r] for r in _ORDER if r in by_name]

    def _main(self, ents: list[dict]) -> int | None:
        proposed = [i for i, e in enumerate(ents) if e["role"] == "proposed"]
        if not proposed:
            return None
        titled = [i for i in proposed if ents[i]["in_title"]]
        return (titled or proposed)[0]

    def __call__(self, doc: Doc) -> Doc:
        ents = doc._.kg_entities or []
        mentions = sorted(
            (_M(s, e, i) for i, ent in enumerate(ents) for s, e in ent["tokens"]),
            key=lambda m: m.start,
        )
        main = self._main(ents)
        found: dict[tuple[int, str, int], tuple[float, int, int, int]] = {}

        def add(h: int, rel: str, t: int, conf: float, a: int, b: int, sent) -> None:
            if h == t or ents[h]["name"] == ents[t]["name"]:
                return
            key = (h, rel, t)
            if key not in found or found[key][0] < conf:
                found[key] = (conf, a, b, sent.start)

        title_end = doc._.kg_title_end or 0
        for sent in doc.sents:
            ms = [m for m in mentions if sent.start <= m.start < sent.end]
            if not ms:
                continue
            lower = sent.text.lower()
            # 1) a cue between two mentions
            for i, a in enumerate(ms):
                for b in ms[i + 1 :]:
                    gap = b.start - a.end
                    if gap > MAX_GAP or a.ent == b.ent:
                        continue
                    between = doc[a.end : b.start].text.lower()
                    for cue in self.cues:
                        if ents[a.ent]["type"] not in cue.head_types:
                            continue
                        if ents[b.ent]["type"] not in cue.tail_types:
                            continue
                        hit = next(
                            (
                                c
                                for c in cue.between
                                if (c not in SHORT_CUES or gap <= SHORT_GAP)
                                and _has_cue(between, c)
                            ),
                            None,
                        )
                        if hit:
                            conf = 0.7 if hit not in SHORT_CUES else 0.5
                            add(a.ent, cue.relation, b.ent, conf, a.start, b.end, sent)
                            break
            # 2) the paper's main entity and the sentence's other entities
            if main is None:
                continue
            about_main = any(m.ent == main for m in ms) or any(
                t.lower_ in _SELF_WORDS for t in sent
            )
            in_title = sent.start_char < title_end
            if not about_main:
                continue
            for cue in self.cues:
                if ents[main]["type"] not in cue.head_types:
                    continue
                if not in_title and not any(_has_cue(lower, c) for c in cue.sentence):
                    continue
                if in_title and cue.relation != "appliedTo":
                    continue
                for m in ms:
                    if m.ent != main and ents[m.ent]["type"] in cue.tail_types:
                        if any(k[0] in (main, m.ent) and k[2] in (main, m.ent) for k in found):
                            continue
                        add(main, cue.relation, m.ent, 0.45, min(m.start, m.end), m.end, sent)
        rels = []
        bounds = sentence_bounds(doc)
        for (h, rel, t), (conf, a, b, _s) in found.items():
            sent = next(b for b in bounds if b[0] <= a < b[1])
            rels.append(
                {
                    "head": ents[h]["name"],
                    "relation": rel,
                    "tail": ents[t]["name"],
                    "confidence": conf,
                    "span": [doc[a].idx, doc[b - 1].idx + len(doc[b - 1])],
                    "sent": [sent[2], sent[3]],
                }
            )
        doc._.kg_relations = rels
        return doc


@Language.factory("kg_relations")
def make_relations(nlp: Language, name: str) -> RelationFinder:
    return RelationFinder(nlp, name)
