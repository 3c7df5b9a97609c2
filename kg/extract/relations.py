"""Relations an abstract states between its entities, read from cue words in one sentence.

Two readings: a cue between two mentions ("X is trained on Y", "X outperforms Y") links them;
and a sentence about the paper's own contribution ("we evaluate on A and B", "our model
outperforms C") links the paper's main entity to the sentence's entities. A task is the
proposal's application only in a sentence about the proposal (not in the background sentences
that open an abstract); an explicit comparison links any two mentions; a name that contains the
proposal's name ("LLS-M") builds on it. Cue words, regex cues, cue uses that are not cues ("by
4%") and the types each relation accepts live in ``kg/data/relations.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.candidates import doc_text
from kg.extract.normalize import name_words
from kg.extract.resources import DATA_DIR, RELATIONS_FILE, RelationCues, load_resources
from kg.extract.sentences import sentence_bounds
from kg.extract.tokens import TokenTable, token_table

#: Cues short enough to be ambiguous only count when the two mentions are this close.
SHORT_CUES = {"on", "for", "with", "by", "via", "in", "to", "over", "than", "through"}
SHORT_GAP = 4
MAX_GAP = 14
#: Rule confidence a between-mentions cue needs when the paper has no main entity.
PAIR_MIN = 0.6
#: Relations whose specific cue links two mentions even when neither is the paper's own entity:
#: "A outperforms B" states a comparison whoever wrote it.
FREE_PAIRS = {"comparedWith"}
_ORDER = ("trainedOn", "evaluatedOn", "comparedWith", "basedOn", "appliedTo")
_SELF_WORDS = {"we", "our", "ours", "this", "proposed"}
_HEAD_TYPES = ("Model", "Method")


@dataclass(frozen=True)
class _M:
    start: int
    end: int
    ent: int


def _contains(outer: list[str], inner: list[str]) -> bool:
    """Whether the word list ``inner`` occurs in ``outer`` as a contiguous run."""
    n = len(inner)
    return any(outer[k : k + n] == inner for k in range(len(outer) - n + 1))


def _alternation(cues) -> re.Pattern[str] | None:
    cues = sorted(set(cues), key=len, reverse=True)
    if not cues:
        return None
    body = "|".join(re.escape(c) for c in cues)
    return re.compile(rf"(?<![a-z0-9-])(?:{body})(?![a-z0-9-])")


def _patterns(spec: dict, field: str) -> re.Pattern[str] | None:
    """One regex from a relation's optional list of patterns (matched on lower-case text)."""
    pats = spec.get(field) or []
    return re.compile("|".join(f"(?:{p})" for p in pats)) if pats else None


class RelationFinder:
    """Writes ``doc._.kg_relations`` from ``doc._.kg_entities`` and the sentences' cue words."""

    def __init__(self, nlp: Language, name: str = "kg_relations") -> None:
        self.name = name
        res = load_resources()
        by_name = {c.relation: c for c in res.relation_cues}
        self.cues: list[RelationCues] = [by_name[r] for r in _ORDER if r in by_name]
        self.long_re = {
            c.relation: _alternation(x for x in c.between if x not in SHORT_CUES) for c in self.cues
        }
        self.short_re = {
            c.relation: _alternation(x for x in c.between if x in SHORT_CUES) for c in self.cues
        }
        self.sent_re = {c.relation: _alternation(c.sentence) for c in self.cues}
        # optional regex cues ("more efficient scaling than") and cue uses that don't count
        # ("by 7.8%" is a margin, not a means); same file, fields the resources don't read
        spec = json.loads((DATA_DIR / RELATIONS_FILE).read_text(encoding="utf-8"))
        self.between_pat = {
            c.relation: _patterns(spec[c.relation], "between_patterns") for c in self.cues
        }
        self.own_re = _patterns(spec, "_own_reference")
        self.exclude_pat = {c.relation: _patterns(spec[c.relation], "not_cue") for c in self.cues}
        self.min_tail_confidence = 0.5

    def _main(self, ents: list[dict]) -> int | None:
        """The paper's own contribution: its first proposed Model or Method, title first."""
        proposed = [
            i for i, e in enumerate(ents) if e["role"] == "proposed" and e["type"] in _HEAD_TYPES
        ]
        if not proposed:
            return None
        titled = [i for i in proposed if ents[i]["in_title"]]
        return (titled or proposed)[0]

    def _subject(self, ents: list[dict]) -> int | None:
        """Without a proposed entity, the title's first Model or Method is what is studied."""
        for i, e in enumerate(ents):
            if e["in_title"] and e["type"] in _HEAD_TYPES:
                return i
        return None

    def _between(self, tt: TokenTable, ents: list[dict], a: _M, b: _M) -> tuple[str, float] | None:
        """Relation stated by the words between mention ``a`` and a later mention ``b``."""
        gap = b.start - a.end
        if gap > MAX_GAP or a.ent == b.ent:
            return None
        between = tt.span_text(a.end, b.start).lower()
        head_type, tail_type = ents[a.ent]["type"], ents[b.ent]["type"]
        for cue in self.cues:
            if head_type not in cue.head_types or tail_type not in cue.tail_types:
                continue
            rx = self.long_re[cue.relation]
            if rx is not None and rx.search(between):
                return cue.relation, 0.7
            rx = self.short_re[cue.relation]
            if gap <= SHORT_GAP and rx is not None and rx.search(between):
                return cue.relation, 0.5
            rx = self.between_pat[cue.relation]
            if rx is not None and rx.search(between):
                return cue.relation, 0.6
        return None

    def _cue_ends(self, rel: str, text: str) -> list[int]:
        """Ends of the sentence cues of ``rel`` in ``text``, minus uses that are not cues."""
        ex = self.exclude_pat[rel]
        return [
            x.end()
            for x in self.sent_re[rel].finditer(text)
            if ex is None or not ex.match(text, x.start())
        ]

    def _from_main(
        self,
        tt: TokenTable,
        ents: list[dict],
        m: _M,
        sent_lower: str,
        sent_offset: int,
        about_main: bool,
    ) -> tuple[str, float] | None:
        """Relation between the paper's main entity and another entity of the sentence."""
        t = ents[m.ent]["type"]
        if t == "Task":
            return ("appliedTo", 0.55) if about_main else None
        if t == "Dataset":
            # the cue nearest before the dataset decides: "trained on X ... evaluated on Y"
            upto = sent_lower[: max(0, tt.idx[m.start] - sent_offset)]
            last_train = max(
                (x.end() for x in self.sent_re["trainedOn"].finditer(upto)), default=-1
            )
            last_eval = max(
                (x.end() for x in self.sent_re["evaluatedOn"].finditer(upto)), default=-1
            )
            if last_train > last_eval:
                return "trainedOn", 0.55
            return "evaluatedOn", 0.55
        if not about_main:
            return None
        # the nearest cue before the mention decides: "built on X, it outperforms Y"
        upto = sent_lower[: max(0, tt.idx[m.start] - sent_offset)]
        best, best_end = None, -1
        for rel in ("comparedWith", "basedOn"):
            for end in self._cue_ends(rel, upto):
                if end > best_end:
                    best, best_end = rel, end
        if best is not None:
            return best, 0.45
        for rel in ("comparedWith", "basedOn"):
            if self._cue_ends(rel, sent_lower):
                return rel, 0.4
        return None

    def _variants(self, ents: list[dict], main: int | None, add) -> None:
        """A proposed name that contains another entity's name builds on it: "Neural Symbolic
        Regression with Hypothesis" -> "Neural Symbolic Regression"; so does any name that
        contains the paper's own proposal: "LLS-M" -> "LLS"."""
        words = [[name_words(n) for n in (e["name"], *e["aliases"])] for e in ents]
        for i, e in enumerate(ents):
            if e["type"] not in _HEAD_TYPES:
                continue
            for j, other in enumerate(ents):
                if i == j or other["type"] not in _HEAD_TYPES:
                    continue
                if e["role"] != "proposed" and j != main:
                    continue
                if any(
                    _contains(a, b) for a in words[i][:1] for b in words[j] if 0 < len(b) < len(a)
                ):
                    m0 = e["tokens"][0]
                    add(i, "basedOn", j, 0.5, m0[0], m0[1])

    def __call__(self, doc: Doc) -> Doc:
        ents = doc._.kg_entities or []
        mentions = sorted(
            (_M(s, e, i) for i, ent in enumerate(ents) for s, e in ent["tokens"]),
            key=lambda m: m.start,
        )
        text = doc_text(doc)
        tt = token_table(doc)
        main = self._main(ents)
        studied = main is None
        if studied:
            main = self._subject(ents)
        bounds = sentence_bounds(doc)
        #: one relation per entity pair: (h, t) -> (relation, confidence, start tok, end tok)
        found: dict[tuple[int, int], tuple[str, float, int, int]] = {}

        def add(h: int, rel: str, t: int, conf: float, a: int, b: int) -> None:
            if h == t or ents[h]["name"] == ents[t]["name"]:
                return
            pair = (h, t) if (t, h) not in found else (t, h)
            if pair not in found or found[pair][1] < conf:
                found[(h, t)] = (rel, conf, a, b)
                if pair != (h, t):
                    del found[pair]

        mi = 0
        for si, (s0, s1, c0, c1) in enumerate(bounds):
            while mi < len(mentions) and mentions[mi].start < s0:
                mi += 1
            ms = []
            j = mi
            while j < len(mentions) and mentions[j].start < s1:
                ms.append(mentions[j])
                j += 1
            if not ms:
                continue
            for i, a in enumerate(ms):
                for b in ms[i + 1 :]:
                    hit = self._between(tt, ents, a, b)
                    # with a main entity, only pairs that involve it (others were mostly
                    # wrong on the dev set) or an explicit comparison; without one, only
                    # specific (long) cues
                    if hit is None or (
                        main not in (a.ent, b.ent)
                        and (main is not None and hit[0] not in FREE_PAIRS or hit[1] < PAIR_MIN)
                    ):
                        continue
                    add(a.ent, hit[0], b.ent, hit[1], a.start, b.end)
            if main is None:
                continue
            sent_lower = text[c0:c1].lower()
            # a proposed entity named in this sentence ("SuperCorrect-7B") speaks for the paper
            local = [
                m.ent
                for m in ms
                if ents[m.ent]["role"] == "proposed" and ents[m.ent]["type"] in _HEAD_TYPES
            ]
            head = local[0] if local and not studied else main
            if (
                studied
                and self.own_re is not None
                and self.own_re.search(sent_lower)
                and not any(m.ent == main for m in ms)
            ):
                continue  # "our approach improves X on A": the paper's unnamed own, not the subject
            about_main = (
                (si == 0 and not studied)
                or bool(local)
                or any(m.ent == main for m in ms)
                or any(tt.lower[k] in _SELF_WORDS for k in range(s0, s1))
            )
            for m in ms:
                if m.ent == head:
                    continue
                if ents[m.ent]["role"] == "proposed" and m.ent != main and head == main:
                    continue  # the paper's own parts: no relation guessed between them
                if (
                    studied
                    and ents[m.ent]["type"] not in ("Task", "Dataset")
                    and not (
                        any(x.ent == main for x in ms)
                        and self.sent_re["comparedWith"].search(sent_lower)
                    )
                ):
                    continue  # without a proposal: what the subject is for, or compared with
                if ents[m.ent]["confidence"] < self.min_tail_confidence:
                    continue  # a doubtful entity is not worth a guessed relation
                hit = self._from_main(tt, ents, m, sent_lower, c0, about_main)
                if hit:
                    add(head, hit[0], m.ent, hit[1], m.start, m.end)
        self._variants(ents, None if studied else main, add)
        rels = []
        for (h, t), (rel, conf, a, b) in found.items():
            sb = next(x for x in bounds if x[0] <= a < x[1])
            rels.append(
                {
                    "head": ents[h]["name"],
                    "relation": rel,
                    "tail": ents[t]["name"],
                    "confidence": conf,
                    "span": [tt.idx[a], tt.end_char(b - 1)],
                    "sent": [sb[2], sb[3]],
                }
            )
        doc._.kg_relations = rels
        return doc


@Language.factory("kg_relations")
def make_relations(nlp: Language, name: str) -> RelationFinder:
    return RelationFinder(nlp, name)
