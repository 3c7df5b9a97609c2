"""From candidate spans to one entity per thing: overlaps, aliases, types, roles, confidence.

Reads every candidate group the rule components wrote, keeps the best non-overlapping spans,
merges spans that name the same thing (acronym pairs, gazetteer aliases, case and plural
variants), and picks for each entity its fullest name, its type and its role.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import candidates as C
from kg.extract.candidates import Cand, doc_text
from kg.extract.features import entity_features
from kg.extract.normalize import name_key, name_words
from kg.extract.proposals import PROPOSAL_ZONE
from kg.extract.resources import Resources, load_resources
from kg.extract.sentences import sentence_bounds
from kg.extract.tokens import TokenTable, get_group, token_table
from kg.unionfind import UnionFind

#: How much each rule family is trusted (base confidence of an entity it found).
BASE_CONFIDENCE: dict[str, float] = {
    C.GAZETTEER: 0.9,
    C.ACRONYM_LONG: 0.85,
    C.ACRONYM_SHORT: 0.85,
    C.TITLE_NAME: 0.8,
    C.PROPOSED: 0.8,
    C.DATASET_CUE: 0.8,
    C.LIST_CUE: 0.6,
    C.SHAPE: 0.7,
    C.PHRASE: 0.55,
}
_PRIORITY = {g: i for i, g in enumerate(C.CANDIDATE_GROUPS)}
_DATASET_SUFFIX = re.compile(r"(Bench|Suite|QA|Set|Corpus|Bank|Eval|Arena|Gym|World|Hub|Data)\b")
_YEAR = re.compile(r"(?:^|[\s-])(?:19|20)\d\d$")
_MODEL_SIZE = re.compile(r"\d+(\.\d+)?[BM]\b")
_ZONE_REACH = 8
#: Candidate labels that name an entity type.
_TYPE_LABELS = frozenset(("Method", "Model", "Dataset", "Task"))
#: Words that end an apposition before its type noun ("X, a method that ...").
_APPOSITION_ENDS = frozenset({"that", "which", "for", "of", "to", "with"})
#: Words between a proposal verb and a name that make the name something the paper uses.
_LINKING_WORDS = frozenset(
    [
        "by",
        "on",
        "with",
        "from",
        "using",
        "via",
        "than",
        "of",
        "upon",
        "over",
        "to",
        "for",
        "in",
        "into",
        "based",
        "inspired",
        "like",
        "as",
        "such",
        "including",
        "which",
        "that",
        "where",
        "whose",
        "compared",
        "against",
    ]
)


def _word_char(c: str) -> bool:
    return c.isalnum() or c in "_-"  # regex [\w-]


def find_words(text: str, forms: set[str]) -> list[tuple[int, int]]:
    r"""(start, end) of whole-word occurrences of ``forms`` in ``text``, left to right, not
    overlapping, the longest form at each position: what ``re.finditer`` of
    ``(?<![\w-])(?:form|...)(?![\w-])`` (longest first) finds, without compiling a pattern
    for every abstract (compiling cost more than the rest of the assembler)."""
    longest: dict[int, int] = {}
    n = len(text)
    for form in forms:
        i = text.find(form)
        while i >= 0:
            j = i + len(form)
            if (i == 0 or not _word_char(text[i - 1])) and (j == n or not _word_char(text[j])):
                longest[i] = max(j, longest.get(i, j))
            i = text.find(form, i + 1)
    out: list[tuple[int, int]] = []
    last = 0
    for i in sorted(longest):
        if i >= last:
            out.append((i, longest[i]))
            last = longest[i]
    return out


def _bounds_and_texts(tt: TokenTable, spans: Iterable[Cand]) -> list[tuple[int, int, str]]:
    """(start, end, text) of each span, the text sliced from the token table."""
    return [(s.start, s.end, tt.span_text(s.start, s.end)) for s in spans]


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


def guess_name_type(text: str) -> str:
    """Type of an unknown proper name from its shape alone."""
    if _DATASET_SUFFIX.search(text):
        return "Dataset"
    return "Model"


class Assembler:
    """Turns candidate spans into ``doc._.kg_entities``."""

    def __init__(self, nlp: Language, name: str = "kg_assemble", features: bool = True) -> None:
        self.name = name
        self.res: Resources = load_resources()
        #: Whether to compute the rule filter's features (the learned mode does not read them).
        self.features = features

    # -- candidates -------------------------------------------------------------------------
    def _collect(self, doc: Doc, short_texts: set[str]) -> dict[tuple[int, int], Mention]:
        """Every rule span by its bounds, with its groups and type labels; ``short_texts`` are
        the paper's defined short forms."""
        found: dict[tuple[int, int], Mention] = {}
        for group in C.CANDIDATE_GROUPS:
            for start, end, label, kb_id in get_group(doc, group):
                m = found.get((start, end))
                if m is None:
                    m = found[(start, end)] = Mention(start, end)
                m.groups.add(group)
                if label in _TYPE_LABELS:
                    m.labels.add(f"{group}:{label}")
                if group == C.GAZETTEER:
                    m.canon = kb_id
        # later bare uses of a defined short form ("KANs" after "Kolmogorov-Arnold Networks
        # (KANs)") are mentions too
        if short_texts:
            # "BT RM" after "(BT RMs)": singular uses of a plural short form too
            forms = short_texts | {t[:-1] for t in short_texts if t.endswith("s") and len(t) > 2}
            for start, end in find_words(doc_text(doc), forms):
                span = doc.char_span(start, end)
                if span is not None and (span.start, span.end) not in found:
                    found[(span.start, span.end)] = Mention(span.start, span.end, {C.ACRONYM_SHORT})
        return found

    def _select(self, tt: TokenTable, found: dict[tuple[int, int], Mention]) -> list[Mention]:
        """Best non-overlapping mentions: named things beat phrases that merely contain them."""
        res = self.res
        items = list(found.values())
        named = [m for m in items if m.groups - {C.PHRASE}]
        keep: list[Mention] = []
        for m in items:
            if m.groups == {C.PHRASE}:
                head = tt.lower[m.end - 1]
                # "GPT-4 models": the name, not the name plus a weak head word
                inner = [n for n in named if n.start >= m.start and n.end == m.end - 1]
                if inner and head in res.weak_heads:
                    continue
            keep.append(m)
        keep.sort(key=lambda m: (-(m.end - m.start), m.priority, m.start))
        chosen: list[Mention] = []
        # spans overlap when they share a token; an empty span names nothing (it sorts last,
        # so it blocked no other, and its empty name was dropped after selection anyway)
        taken = bytearray(tt.n + 1)
        for m in keep:
            if m.end <= m.start or any(taken[m.start : m.end]):
                # a role marker overlapped by a chosen entity lends it its role
                continue
            taken[m.start : m.end] = b"\x01" * (m.end - m.start)
            chosen.append(m)
        chosen.sort(key=lambda m: m.start)
        return chosen

    # -- typing ---------------------------------------------------------------------------
    def _labelled(self, ms: list[Mention], group: str) -> str:
        for m in ms:
            for lab in m.labels:
                g, t = lab.split(":")
                if g == group:
                    return t
        return ""

    def _described_as(self, tt: TokenTable, ms: list[Mention]) -> str:
        """Type the paper itself gives a name: "X, a novel framework", "a model called X",
        "our X model"."""
        tn = self.res.type_nouns
        naming = self.res.naming_cues
        lower, n = tt.lower, tt.n
        for m in ms:
            # apposition: ", a/an/the [adjectives] NOUN"
            if (
                m.end + 1 < n
                and tt.text[m.end] in (",", "(")
                and lower[m.end + 1] in ("a", "an", "the", "our")
            ):
                for k in range(m.end + 2, min(m.end + 8, n)):
                    if tt.lex[k].is_punct or lower[k] in _APPOSITION_ENDS:
                        break
                    if lower[k] in tn and (k + 1 >= n or lower[k + 1] not in tn):
                        return tn[lower[k]]
            # naming cue: "a novel model architecture called X"
            if m.start > 0 and lower[m.start - 1] in naming:
                for k in range(max(0, m.start - 6), m.start - 1):
                    if lower[k] in tn:
                        return tn[lower[k]]
            # "our X model", "X models"
            if m.end < n and lower[m.end] in tn and tn[lower[m.end]] == "Model":
                return "Model"
        return ""

    def _entity_type(
        self, tt: TokenTable, ms: list[Mention], name_m: Mention, proposed: bool, title_end: int
    ) -> str:
        """Type of one entity from all its mentions: known names first, then what the paper
        calls it, then the name's head word, then the name's shape."""
        for group in (C.GAZETTEER, C.DATASET_CUE):
            t = self._labelled(ms, group)
            if t:
                return t
        lex = tt.lex
        named = any(lex[k].shape for k in range(name_m.start, name_m.end))
        listed = self._labelled(ms, C.LIST_CUE)
        if listed and not named:
            return listed
        head = tt.lower[name_m.end - 1]
        # title case says nothing: judge capitals on mentions in the abstract
        body = [m for m in ms if tt.idx[m.start] >= title_end and m.groups != {C.ACRONYM_SHORT}]
        proper = any(
            sum(lex[k].upper_initial for k in range(m.start, m.end)) >= max(1, m.end - m.start - 1)
            for m in body
        )
        if named or proper or proposed:
            said = self._described_as(tt, ms)
            if said:
                return said
        if proper and head in ("model", "models") and name_m.end - name_m.start > 1:
            return "Model"
        ht = self.res.head_type(head)
        if ht and (
            head not in self.res.weak_heads
            or not (proper or named)
            or name_m.end - name_m.start > 1
        ):
            return ht
        t = self._labelled(ms, C.PHRASE)
        if t:
            return t
        text = tt.span_text(name_m.start, name_m.end)
        prefix = self.res.known_type(text.split("-")[0]) if "-" in text else ""
        if prefix in ("Model", "Dataset") and not proposed:
            return prefix  # ANLI-A3 is an ANLI, Llama-2-7B a Llama
        if _MODEL_SIZE.search(text):
            return "Model"
        if _DATASET_SUFFIX.search(text) or _YEAR.search(text):
            return "Dataset"
        if proposed or C.ACRONYM_LONG in set().union(*(m.groups for m in ms)):
            return "Method"  # a coined or spelled-out name is a technique unless said otherwise
        if named or proper:
            return "Model"
        return ht or "Method"

    # -- roles ----------------------------------------------------------------------------
    def _direct_object(self, tt: TokenTable, zone_start: int, m: Mention) -> bool:
        """Whether ``m`` is what the proposal verb introduces, not something it relies on
        ("we present a model inspired by X": X is used)."""
        for k in range(zone_start, m.start):
            if tt.lower[k] in _LINKING_WORDS:
                return False
            tag = tt.tag[k]
            if tt.tagged and (tag in ("IN", "TO", "WDT", "WP") or tag.startswith("VB")):
                return False
        return True

    def _zone_roles(self, tt: TokenTable, ents: list[dict], zones: list[tuple[int, int]]) -> None:
        """Mark the paper's own entities inside "we propose ..." clauses."""
        for zs, ze in zones:
            firsts = []
            for ent in ents:
                if ent["known"]:
                    continue
                for m in ent["ms"]:
                    if zs <= m.start < ze:
                        firsts.append((m.start, ent, m))
                        break
            firsts.sort(key=lambda x: x[0])
            for start, ent, m in firsts:
                acronym = C.ACRONYM_LONG in m.groups
                near = start < zs + _ZONE_REACH
                # a defined acronym later in the clause only needs no linking word just before
                # it ("...; and the Neural Multiplication Unit (NMU)")
                from_tok = zs if near else max(zs, m.start - 3)
                if (near or acronym) and self._direct_object(tt, from_tok, m):
                    ent["proposed"] = True
                    if not acronym:
                        break

    # -- main ----------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        res = self.res
        tt = token_table(doc)
        # acronym pairs as (start, end, text): candidates carry no text, the table slices it
        longs = _bounds_and_texts(tt, get_group(doc, C.ACRONYM_LONG))
        shorts = _bounds_and_texts(tt, get_group(doc, C.ACRONYM_SHORT))
        short_texts = {s[2] for s in shorts}
        found = self._collect(doc, short_texts)
        chosen = self._select(tt, found)
        # drop umbrella words and bare generic phrases
        text_of = {id(m): tt.span_text(m.start, m.end) for m in chosen}
        chosen = [
            m
            for m in chosen
            if text_of[id(m)].lower() not in res.umbrella_terms and name_key(text_of[id(m)])
        ]
        uf = UnionFind()
        # each mention's union-find key, computed once (it is looked up many times)
        key_of = {id(m): "k:" + name_key(text_of[id(m)]) for m in chosen}
        for m in chosen:
            uf.find(key_of[id(m)])
            if m.canon:
                uf.union("g:" + m.canon, key_of[id(m)])
        expansions: dict[str, str] = {}
        for (l_start, l_end, l_text), (_, _, s_text) in zip(longs, shorts, strict=False):
            uf.union("k:" + name_key(l_text), "k:" + name_key(s_text))
            expansions[s_text] = l_text
            # a chosen mention that extends the long form to the left ("rule-based
            # reinforcement learning (RL)") is the entity the acronym stands for
            for m in chosen:
                if m.start <= l_start and m.end == l_end:
                    uf.union(key_of[id(m)], "k:" + name_key(s_text))
        # "Neural SA" after "Simulated annealing (SA)" is "Neural Simulated Annealing"
        if expansions:
            keys = set(key_of.values())
            for m in chosen:
                toks = tt.text[m.start : m.end]
                if len(toks) > 1 and any(t in expansions for t in toks):
                    full = " ".join(expansions.get(t, t) for t in toks)
                    if "k:" + name_key(full) in keys:
                        uf.union("k:" + name_key(full), key_of[id(m)])
        groups: dict[str, list[Mention]] = {}
        for m in chosen:
            groups.setdefault(uf.find(key_of[id(m)]), []).append(m)

        title_end = doc._.kg_title_end or 0
        bounds = sentence_bounds(doc)
        starts = [b[0] for b in bounds]

        def mention_offsets(m: Mention) -> list[int]:
            start, end = tt.idx[m.start], tt.end_char(m.end - 1)
            k = bisect_right(starts, m.start) - 1
            b = bounds[k] if k >= 0 and m.start < bounds[k][1] else (0, 0, start, end)
            return [start, end, b[2], b[3]]

        role_spans = [
            (s.start, s.end) for g in (C.TITLE_NAME, C.PROPOSED) for s in get_group(doc, g)
        ]
        zones = [(z.start, z.end) for z in get_group(doc, PROPOSAL_ZONE)]
        ents: list[dict] = []
        for ms in groups.values():
            texts = [text_of[id(m)] for m in ms]
            # name: fullest form as written (a long form beats its acronym)
            non_short = [t for t in texts if t not in short_texts] or texts
            in_body = [tt.idx[m.start] >= title_end for m in ms]
            name = max(
                non_short,
                key=lambda t: (
                    len(name_words(t)),
                    len(t),
                    in_body[texts.index(t)],
                    -texts.index(t),
                ),
            )
            aliases: list[str] = []
            seen = {name_key(name)}
            for t in texts:
                k = name_key(t)
                if k not in seen:
                    seen.add(k)
                    aliases.append(t)
            groups_all = set().union(*(m.groups for m in ms))
            proposed = any(
                s <= m.start and m.end <= e or m.start <= s and e <= m.end
                for m in ms
                for s, e in role_spans
            )
            ents.append(
                {
                    "ms": ms,
                    "name": name,
                    "name_m": ms[texts.index(name)],
                    "aliases": aliases,
                    "groups": groups_all,
                    "known": C.GAZETTEER in groups_all,
                    "proposed": proposed,
                }
            )
        self._zone_roles(tt, ents, zones)
        # variants of the paper's own system are its own too: LLS -> LLS-M, SuperCorrect-7B
        own = [e["name"] for e in ents if e["proposed"] and len(e["name"]) >= 2]
        for ent in ents:
            if not ent["proposed"] and not ent["known"]:
                ent["proposed"] = any(
                    ent["name"].startswith(n + "-")
                    or ent["name"].startswith(n + " ")
                    and _MODEL_SIZE.search(ent["name"][len(n) :]) is not None
                    for n in own
                )
        entities = []
        for ent in ents:
            ms = ent["ms"]
            best = min(ent["groups"], key=lambda g: _PRIORITY.get(g, 99))
            conf = BASE_CONFIDENCE.get(best, 0.5) + 0.03 * (len(ms) - 1)
            ent["type"] = self._entity_type(tt, ms, ent["name_m"], ent["proposed"], title_end)
            feats = entity_features(tt, ent, res, title_end) if self.features else []
            entities.append(
                {
                    "name": ent["name"],
                    "type": ent["type"],
                    "features": feats,
                    "role": "proposed" if ent["proposed"] else "used",
                    "aliases": ent["aliases"],
                    "confidence": round(min(conf, 0.99), 4),
                    "source": C.SOURCE_NAMES.get(best, "rule"),
                    "known": ent["known"],
                    "tokens": [[m.start, m.end] for m in ms],
                    "mentions": [mention_offsets(m) for m in ms],
                    "in_title": any(tt.idx[m.start] < title_end for m in ms),
                }
            )
        entities.sort(key=lambda e: min(t[0] for t in e["tokens"]))
        doc._.kg_entities = entities
        return doc


@Language.factory("kg_assemble", default_config={"features": True})
def make_assembler(nlp: Language, name: str, features: bool) -> Assembler:
    return Assembler(nlp, name, features)
