"""Name resolution: one entity per real thing across the corpus, with one type.

Decided from the evidence of the whole corpus, never from one paper alone:

1. **Keys.** Names that normalise to the same key are one name: case, dashes, a leading
   article, plural endings (``LLMs``, ``approaches``, ``strategies``) and British spellings
   (``modelling``, ``-isation``; ``kg/data/resolution.json``) are ignored.
2. **The gazetteer.** The names of one gazetteer entry that occur in the corpus are one entity
   (``convolutional network`` = ``convolutional neural network`` = ``CNN``).
3. **Votes for pairs.** Every alias a paper gives its entity (chiefly an acronym defined in
   parentheses) is a vote that the short form and the long form are one thing; the gazetteer
   adds :data:`GAZETTEER_VOTES` votes to a pairing it knows, and a vendor prefix one vote
   (``OpenAI o1`` -> ``o1``, ``DeepSeek-R1`` -> ``R1``). A short form joins the long form
   with the most votes when that has at least :data:`MARGIN` times the votes of every long form
   that disagrees with it (one that only adds or drops words, like ``deep CNN`` for ``CNN``,
   does not disagree). Otherwise it stays its own entity, and the decision says why
   (:class:`Decision`). Inside a paper that defines it, an ambiguous acronym still follows
   that paper's own long form.
4. **Initials.** A short form that no paper defines and the gazetteer does not know joins the
   one long form in the corpus whose initials spell it (``QA`` -> ``question answering``); when
   several do, it stays split.
5. **Versions** stay distinct but linked: ``ResNet-50`` is a ``variantOf`` ``ResNet`` when its
   extra words are version or size words; ``GPT-3`` is not ``GPT-4``.

The type of an entity is a weighted vote over all its mentions: each paper votes once per type
with its best confidence; a bare short form that no paper defines (typed by its shape alone)
votes at half weight; a gazetteer entry in the cluster adds :data:`GAZETTEER_TYPE_VOTES` for its
type. The losing types are kept nowhere.

Names are cleaned again here (``kg.extract.clean``), so a cache or file written before cleaning
existed cannot bring junk back. Everything is sorted before it is decided, so the result does
not depend on input order (an incremental build equals a fresh one).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.extract.clean import clean_name
from kg.model import (
    ENTITY_TYPES,
    Entity,
    ExtractedEntity,
    Mention,
    NameRecord,
    Paper,
    PaperExtraction,
    PaperNames,
    Relation,
    ResolvedCorpus,
)
from kg.unionfind import UnionFind

DATA_FILE = Path(__file__).resolve().parent / "data" / "resolution.json"

#: A pairing the gazetteer knows counts as this many defining papers.
GAZETTEER_VOTES = 3.0
#: The leading long form of a short form needs this many times the votes of any rival.
MARGIN = 2.0
#: A gazetteer entry adds this many votes for its type to the cluster holding its names.
GAZETTEER_TYPE_VOTES = 2.0
#: Weight of a type vote from a bare short form that no paper defines (typed by shape only).
BARE_SHORT_TYPE_WEIGHT = 0.5

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_WORD = re.compile(r"[^\W_]+(?:\.\d+)*", re.UNICODE)
_ARTICLES = {"the", "a", "an"}
#: Extra words that make a name a version or size of a shorter one (ResNet-50, LLaMA-2-7B).
_VARIANT_WORD = re.compile(
    r"^(v?\d+(\.\d+)*[kmbt]?|\d+x\d+|base|large|small|tiny|mini|medium|xl|xxl|huge|giant|"
    r"lite|plus|pro|max|ultra|turbo|chat|instruct|zero|preview)$"
)


@functools.lru_cache(maxsize=1)
def _knowledge() -> tuple[dict[str, str], dict[str, tuple[tuple[str, ...], ...]]]:
    """Spelling map, and vendor prefixes (word tuples, longest first) by their first word, from
    ``kg/data/resolution.json``."""
    try:
        data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
        spellings = {k.lower(): v.lower() for k, v in data["spellings"]["words"].items()}
        vendors = data["vendor_prefixes"]["words"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{DATA_FILE}: not a valid resolution data file ({exc})") from exc
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for v in vendors:
        ws = tuple(_raw_words(v))
        if ws and ws not in by_first[ws[0]]:
            by_first[ws[0]].append(ws)
    return spellings, {
        k: tuple(sorted(v, key=len, reverse=True)) for k, v in sorted(by_first.items())
    }


#: A short form's plural: ``LLMs``, ``ReLUs``, ``GPTs`` (the ``s`` after a capital or digit).
_SHORT_PLURAL = re.compile(r"(?<=[A-Z0-9])s\b")


def _raw_words(name: str) -> list[str]:
    s = _DASHES.sub("-", unicodedata.normalize("NFKC", name))
    return _WORD.findall(_SHORT_PLURAL.sub("", s).lower())


def _word_form(t: str, spellings: dict[str, str]) -> str:
    """One word's key form: American spelling, singular."""
    t = spellings.get(t, t)
    if t.endswith(("isation", "isations", "iser", "isers")):
        t = t.replace("isation", "ization").replace("iser", "izer")
    if len(t) > 4 and t.endswith("ies"):
        return t[:-3] + "y"
    if len(t) > 4 and t.endswith(("ches", "shes", "sses", "xes")):
        return t[:-2]
    if len(t) > 3 and t.endswith("s") and not t.endswith(("ss", "us", "is")):
        return t[:-1]
    return t


def words(name: str) -> list[str]:
    """Lower-case key words of a name: dashes unified, a leading article, plural endings and
    British spellings normalised."""
    return list(_words(name))


@functools.lru_cache(maxsize=1 << 18)
def _words(name: str) -> tuple[str, ...]:
    # Cached: a corpus names the same things again and again (100,000 papers, ~2M names).
    toks = _raw_words(name)
    if len(toks) > 1 and toks[0] in _ARTICLES:
        toks = toks[1:]
    spellings = _knowledge()[0]
    return tuple(_word_form(t, spellings) for t in toks)


@functools.lru_cache(maxsize=1 << 18)
def match_key(name: str) -> str:
    """Compact key for equality: words joined with nothing ("GPT-2" = "GPT2" = "gpt 2")."""
    ws = _words(name)
    if ws:
        return "".join(ws)
    return _hashed(name)


def entity_key(name: str) -> str:
    """Readable, stable key of an entity (IRIs are minted from it): words joined by ``-``."""
    ws = _words(name)
    return "-".join(ws) if ws else _hashed(name)


def _hashed(name: str) -> str:
    digest = hashlib.sha1(unicodedata.normalize("NFKC", name).encode("utf-8")).hexdigest()
    return f"x{digest[:12]}"


@functools.lru_cache(maxsize=1 << 18)
def _is_acronym(name: str) -> bool:
    """Short forms: no space, and mostly capitals or digits (muP, LLMs, GPT-4, CIFAR-10)."""
    core = name.strip()
    if not core or " " in core or len(core) > 15:
        return False
    upper = sum(c.isupper() for c in core)
    return upper >= 2 or (upper >= 1 and len(core) <= 5)


@functools.lru_cache(maxsize=1 << 18)
def _clean_key(name: str) -> str | None:
    """The match key of a name after cleaning; None for a name that is not an entity."""
    cleaned = clean_name(name)
    return match_key(cleaned) if cleaned else None


def _as_is(name: str) -> str | None:
    """The no-cleaning counterpart of ``clean_name`` (names known to be clean already)."""
    return name if isinstance(name, str) and name.strip() else None


def _name_key(name: str, clean: bool) -> str | None:
    if clean:
        return _clean_key(name)
    return match_key(name) if _as_is(name) else None


def _initials(key_words: tuple[str, ...]) -> str:
    return "".join(w[0] for w in key_words if w)


def _vendor_rest(name: str) -> str | None:
    """``OpenAI o1`` -> ``o1``; ``DeepSeek-R1`` -> ``R1``: the model name after a vendor prefix,
    when it looks like a model name (a digit in it, or a short form)."""
    toks = _raw_words(name)
    for prefix in _knowledge()[1].get(toks[0], ()) if toks else ():
        n = len(prefix)
        if len(toks) > n and tuple(toks[:n]) == prefix:
            rest = re.split(r"[\s\-]+", name.strip(), maxsplit=n)[-1]
            rest = re.sub(r"^'s\s+", "", rest)
            if rest and (any(c.isdigit() for c in rest) or _is_acronym(rest)):
                return rest
    return None


@dataclass(slots=True)
class Decision:
    """What resolution decided for one short form whose evidence was not unanimous, or that it
    joined by initials: the candidates with their votes, and the outcome."""

    name: str
    outcome: str  # "merged" or "split"
    reason: str
    candidates: list[tuple[str, float]] = field(default_factory=list)

    def __str__(self) -> str:
        cands = "; ".join(f"{c}: {v:g}" if v else c for c, v in self.candidates)
        return f"{self.name}: {self.outcome} ({self.reason}) [{cands}]"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "outcome": self.outcome,
            "reason": self.reason,
            "candidates": [[c, v] for c, v in self.candidates],
        }


@dataclass(slots=True)
class NameIndex:
    """The corpus-wide part of resolution: the entities, and which entity any name is.

    A paper's links (:func:`paper_links`) depend only on the paper's own extraction and the
    keys its names resolve to (:meth:`names_of`), which is what lets a re-build reuse the
    RDF of every paper whose names still resolve the same way.
    """

    entities: dict[str, Entity]
    #: match key of every name seen -> entity key
    key_by_match: dict[str, str]
    #: (head key, relation, tail key, paper id), once per paper, in paper order
    relations: list[tuple[str, str, str, str]]
    #: paper-entity links (one per paper and entity)
    mention_count: int
    #: short forms left split (and merges by initials), with their evidence
    decisions: list[Decision] = field(default_factory=list)
    #: whether names are cleaned before they are looked up (as they were when resolved)
    clean: bool = True

    def key(self, name: str) -> str | None:
        """The entity key of a name, or None when the name is not an entity (junk)."""
        k = _name_key(name, self.clean)
        return None if k is None else self.key_by_match.get(k)

    def names_of(self, entities: Iterable[ExtractedEntity | NameRecord]) -> dict[str, str]:
        """One paper's names and aliases -> entity keys. Names win over aliases; the first
        entity that lists an alias claims it (an ambiguous acronym follows its own paper).
        Names that are not entities are left out."""
        ents = [e for e in entities if self.key(e.name) is not None]
        out = {e.name: self.key(e.name) for e in ents}
        for e in ents:
            for alias in e.aliases:
                if _name_key(alias, self.clean) is not None:
                    out.setdefault(alias, out[e.name])
        return out  # type: ignore[return-value]


def _relation_sigs(
    pid: str, rels: Iterable[tuple[str, str, str, object]], names: dict[str, str]
) -> Iterator[tuple[str, str, str, object]]:
    """A paper's relations as (head key, relation, tail key, payload), first statement of
    each kept; relations whose ends did not resolve, or resolve to one entity, dropped."""
    seen: set[tuple[str, str, str]] = set()
    for head, rel, tail, payload in rels:
        hk, tk = names.get(head), names.get(tail)
        if hk is None or tk is None or hk == tk or (hk, rel, tk) in seen:
            continue
        seen.add((hk, rel, tk))
        yield hk, rel, tk, payload


@dataclass(slots=True)
class _Cluster:
    """What the papers say about one cluster of names."""

    surfaces: dict[str, int] = field(default_factory=dict)  # name -> times written
    long: dict[str, int] = field(default_factory=dict)  # the same, acronyms left out
    aliases: set[str] = field(default_factory=set)
    #: (paper, type) -> that paper's weighted vote for the type
    votes: dict[tuple[str, str], float] = field(default_factory=dict)
    conf_sum: float = 0.0
    conf_n: int = 0
    roles: dict[str, str] = field(default_factory=dict)  # paper -> role


class _Evidence:
    """Pass one over the corpus: every name key, and the votes for pairs of names."""

    def __init__(self, clean: bool = True) -> None:
        self.clean_name = clean_name if clean else _as_is
        self.keys: set[str] = set()
        self.short: set[str] = set()  # keys written as a short form somewhere
        self.defined: set[str] = set()  # keys that take part in some pairing
        self.label: dict[str, str] = {}  # key -> a surface for reports (smallest seen)
        #: short key -> long key -> papers that pair them
        self.pairs: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.gazetteer_pairs: dict[str, dict[str, float]] = defaultdict(dict)
        #: key -> papers that name an entity by it (not as an alias)
        self.alone: dict[str, set[str]] = defaultdict(set)

    def see(self, name: str) -> tuple[str, str] | None:
        """(key, cleaned name) of a name, recorded; None when it is not an entity name."""
        cleaned = self.clean_name(name)
        if cleaned is None:
            return None
        k = match_key(cleaned)
        if k not in self.keys:
            self.keys.add(k)
            self.label[k] = cleaned
        elif cleaned < self.label[k]:
            self.label[k] = cleaned
        if _is_acronym(cleaned):
            self.short.add(k)
        return k, cleaned

    def pair(self, a_name: str, a: str, b_name: str, b: str, paper: str) -> None:
        """A paper says names ``a`` and ``b`` are one thing; the short form is the one voted
        for (when neither or both are short, the alias ``a`` is)."""
        if _is_acronym(b_name) and not _is_acronym(a_name):
            a, b = b, a
        self.pairs[a][b].add(paper)
        self.defined.update((a, b))


def _gazetteer() -> list[tuple[str, list[str], bool]]:
    """(type, names, case-sensitive) of every gazetteer entry."""
    from kg.extract.resources import load_resources

    return [(e.type, list(e.all_names), e.case_sensitive) for e in load_resources().gazetteer]


def resolve_names(records: Iterable[PaperNames], clean: bool = True) -> NameIndex:
    """Rules 1-5 over every paper's names: the entities and the name -> entity map.

    ``clean=False`` skips cleaning names again: for names that ``to_extraction`` of the same
    extractor version cleaned already (a build's cache), where it would only cost time.
    """
    recs = sorted(records, key=lambda r: r.paper_id)
    ev = _Evidence(clean)
    cleaner = ev.clean_name
    surfaces_seen: set[str] = set()
    for rec in recs:
        for ent in rec.entities:
            seen = ev.see(ent.name)
            if seen is None:
                continue
            nk, name = seen
            surfaces_seen.add(name)
            ev.alone[nk].add(rec.paper_id)
            for alias in ent.aliases:
                seen_alias = ev.see(alias)
                if seen_alias is None or seen_alias[0] == nk:
                    continue
                ak, alias_name = seen_alias
                surfaces_seen.add(alias_name)
                ev.pair(alias_name, ak, name, nk, rec.paper_id)
    uf = UnionFind()
    for k in ev.keys:
        uf.find(k)
    gaz_typed = _apply_gazetteer(ev, surfaces_seen)
    _vendor_votes(ev)
    decisions = _decide_pairs(ev, uf)
    decisions += _join_by_initials(ev, uf, {k for k, _ in gaz_typed})
    roots = {k: uf.find(k) for k in ev.keys}
    gaz_type: dict[str, str] = {}
    for k, t in gaz_typed:
        gaz_type.setdefault(uf.find(k), t)

    clusters: dict[str, _Cluster] = {}
    for rec in recs:
        pid = rec.paper_id
        for ent in rec.entities:
            name = cleaner(ent.name)
            if name is None:
                continue
            root = roots[match_key(name)]
            c = clusters.get(root)
            if c is None:
                c = clusters[root] = _Cluster()
            c.surfaces[name] = c.surfaces.get(name, 0) + 1
            if not _is_acronym(name):
                c.long[name] = c.long.get(name, 0) + 1
            aliases = [a for a in map(cleaner, ent.aliases) if a]
            for alias in aliases:
                if roots.get(match_key(alias)) == root:
                    c.aliases.add(alias)
                    c.surfaces.setdefault(alias, 0)
            if ent.type in ENTITY_TYPES:
                bare = _is_acronym(name) and not aliases
                weight = ent.confidence * (BARE_SHORT_TYPE_WEIGHT if bare else 1.0)
                # one vote per paper and type: the paper's best
                slot = (pid, ent.type)
                c.votes[slot] = max(c.votes.get(slot, 0.0), weight)
            c.conf_sum += ent.confidence
            c.conf_n += 1
            if ent.role == "proposed":
                c.roles[pid] = "proposed"
            elif pid not in c.roles:
                c.roles[pid] = "used"

    entities: dict[str, Entity] = {}
    root_to_key: dict[str, str] = {}
    for root in sorted(clusters):
        c = clusters[root]
        display = _display(c.surfaces, c.long)
        key = entity_key(display)
        while key in entities and match_key(entities[key].name) != root:
            key = f"{key}-{hashlib.sha1(root.encode()).hexdigest()[:6]}"
        all_names = set(c.surfaces) | c.aliases
        conf = c.conf_sum / c.conf_n if c.conf_n else 1.0
        entities[key] = Entity(
            key=key,
            name=display,
            type=_vote_type(c.votes, gaz_type.get(root)),
            aliases={n for n in all_names if n != display},
            papers=dict(sorted(c.roles.items())),
            confidence=round(conf, 4),
        )
        root_to_key[root] = key
    key_by_match = {k: root_to_key[r] for k, r in roots.items() if r in root_to_key}

    index = NameIndex(
        entities,
        key_by_match,
        [],
        sum(len(e.papers) for e in entities.values()),
        [_labelled(d, ev) for d in decisions],
        clean,
    )
    for rec in recs:
        names_map = index.names_of(rec.entities)
        rels = ((h, r, t, None) for h, r, t in rec.relations)
        index.relations.extend(
            (hk, rel, tk, rec.paper_id)
            for hk, rel, tk, _ in _relation_sigs(rec.paper_id, rels, names_map)
        )
    _link_variants(entities)
    return index


def _display(surfaces: dict[str, int], long: dict[str, int]) -> str:
    """The display name: the key written most often among keys with a long (not short-form)
    spelling, then that key's most frequent spelling; ties go to the longer, then the
    alphabetically first form."""
    if len(surfaces) == 1:
        return next(iter(surfaces))
    pool = long or surfaces
    by_key: dict[str, int] = defaultdict(int)
    for name, n in pool.items():
        by_key[match_key(name)] += n
    best = sorted(by_key.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    spellings = {n: c for n, c in surfaces.items() if match_key(n) == best}
    return sorted(spellings.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]


def _vote_type(votes: dict[tuple[str, str], float], gazetteer_type: str | None) -> str:
    """The type with the most weighted votes (papers' best confidences, plus the gazetteer's);
    ties go to the earlier type in ``ENTITY_TYPES``."""
    totals: dict[str, float] = defaultdict(float)
    for (_, etype), weight in votes.items():
        totals[etype] += weight
    if gazetteer_type in ENTITY_TYPES:
        totals[gazetteer_type] += GAZETTEER_TYPE_VOTES
    if not totals:
        return "Method"
    return sorted(totals.items(), key=lambda kv: (-round(kv[1], 9), ENTITY_TYPES.index(kv[0])))[0][
        0
    ]


def _apply_gazetteer(ev: _Evidence, surfaces: set[str]) -> list[tuple[str, str]]:
    """Votes from the gazetteer: each of an entry's names found in the corpus is paired with the
    entry's own name (found or not: a known expansion outvotes a paper's odd one).

    Returns (key, type) for each entry found. A name in two entries gets no vote (the
    gazetteer itself is ambiguous about it).
    """
    entries = _gazetteer()
    owners: dict[str, int] = defaultdict(int)
    for _, names, _ in entries:
        for k in {match_key(n) for n in names}:
            owners[k] += 1
    typed: list[tuple[str, str]] = []
    for etype, names, case_sensitive in entries:
        head_name, head = names[0], match_key(names[0])
        if owners[head] > 1:
            continue
        found = False
        for n in names:
            k = match_key(n)
            if k not in ev.keys or owners[k] > 1 or (case_sensitive and n not in surfaces):
                continue
            found = True
            if k != head:
                ev.gazetteer_pairs[k][head] = GAZETTEER_VOTES
                ev.defined.update((k, head))
                ev.label.setdefault(head, head_name)
        if found:
            typed.append((head, etype))
    return typed


def _vendor_votes(ev: _Evidence) -> None:
    """``OpenAI o1`` and a bare ``o1``: one vote that they are one model."""
    for k in sorted(ev.keys):
        rest = _vendor_rest(ev.label[k])
        if rest is None:
            continue
        rk = match_key(rest)
        if rk in ev.keys and rk != k:
            ev.pairs[rk][k].add(f"vendor:{k}")
            ev.defined.update((rk, k))


def _compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Long forms that only add or drop words (``deep CNN`` vs ``CNN``) do not disagree."""
    sa, sb = set(a), set(b)
    return sa <= sb or sb <= sa


def _decide_pairs(ev: _Evidence, uf: UnionFind) -> list[Decision]:
    """Rule 3: each short form joins its leading long form, or stays split (and says why)."""
    decisions: list[Decision] = []
    todo = set(ev.pairs) | set(ev.gazetteer_pairs)
    # spelling variants and other long forms first, so a short form sees their clusters whole
    for short in sorted(todo, key=lambda k: (k in ev.short, k)):
        votes: dict[str, float] = defaultdict(float)
        best_key: dict[str, str] = {}
        for long_key, papers in ev.pairs.get(short, {}).items():
            root = uf.find(long_key)
            votes[root] += len(papers)
            best_key.setdefault(root, long_key)
        for long_key, weight in ev.gazetteer_pairs.get(short, {}).items():
            root = uf.find(long_key)
            votes[root] += weight
            best_key.setdefault(root, long_key)
        own = uf.find(short)
        votes.pop(own, None)
        if not votes:
            continue
        ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
        if short not in ev.short and not ev.gazetteer_pairs.get(short):
            # A part of a longer name ("language models" given as an alias of "large language
            # models") is its own thing when more papers name it on its own than fold it in.
            part_of = set(_words_of(ev, short)) < set(_words_of(ev, best_key[ranked[0][0]]))
            paired = set().union(*ev.pairs.get(short, {}).values())
            vendor = any(p.startswith("vendor:") for p in paired)  # "o3" of "OpenAI o3"
            alone = len(ev.alone.get(short, set()) - paired)
            if part_of and not vendor and alone >= ranked[0][1]:
                cands = [(best_key[r], v) for r, v in ranked]
                why = f"part of a longer name, named on its own in {alone} paper" + "s" * (
                    alone > 1
                )
                decisions.append(Decision(short, "split", why, cands))
                continue
        lead_root, lead_votes = ranked[0]
        lead_words = _words_of(ev, best_key[lead_root])
        rivals = [
            (r, v) for r, v in ranked[1:] if not _compatible(lead_words, _words_of(ev, best_key[r]))
        ]
        rival_votes = max((v for _, v in rivals), default=0.0)
        if lead_votes >= MARGIN * rival_votes:
            uf.union(short, lead_root)
            if rivals:
                cands = [(best_key[r], v) for r, v in ranked]
                decisions.append(Decision(short, "merged", "majority of papers", cands))
            continue
        cands = [(best_key[r], v) for r, v in ranked]
        decisions.append(Decision(short, "split", "papers disagree", cands))
    return decisions


def _words_of(ev: _Evidence, key: str) -> tuple[str, ...]:
    return _words(ev.label.get(key, key))


def _join_by_initials(ev: _Evidence, uf: UnionFind, known: set[str]) -> list[Decision]:
    """Rule 4: an undefined short form joins the one long form whose initials spell it
    (``known``: keys of gazetteer names, which are entities of their own)."""
    by_initials: dict[str, dict[str, str]] = defaultdict(dict)
    for k in sorted(ev.keys):
        if k in ev.short:
            continue
        ws = _words_of(ev, k)
        if len(ws) >= 2 and all(w.isalpha() for w in ws):
            by_initials[_initials(ws)].setdefault(uf.find(k), k)
    decisions: list[Decision] = []
    for short in sorted(ev.short):
        label = ev.label.get(short, "")
        if short in ev.defined or short in known or not re.fullmatch(r"[A-Z]{2,}s?", label):
            continue
        own = uf.find(short)
        found = {r: k for r, k in by_initials.get(short, {}).items() if r != own}
        if not found:
            continue
        roots = sorted(found)
        cands = [(ev.label.get(found[r], found[r]), 0.0) for r in roots]
        if len(roots) == 1:
            uf.union(short, roots[0])
            decisions.append(Decision(short, "merged", "initials of one long form", cands))
        else:
            decisions.append(Decision(short, "split", "initials of several long forms", cands))
    return decisions


def _labelled(d: Decision, ev: _Evidence) -> Decision:
    """A decision with readable names instead of keys."""
    return Decision(
        ev.label.get(d.name, d.name),
        d.outcome,
        d.reason,
        [(ev.label.get(c, c), v) for c, v in d.candidates],
    )


def paper_links(pe: PaperExtraction, index: NameIndex) -> tuple[list[Mention], list[Relation]]:
    """One paper's proposes/uses links and relations, given the corpus-wide ``index``."""
    pid = pe.paper.id
    names = index.names_of(pe.entities)
    slots: dict[str, list] = {}
    for ent in pe.entities:
        key = names.get(ent.name)
        if key is None:
            continue
        slot = slots.setdefault(key, [ent.role, ent.name, ent.confidence, []])
        if ent.role == "proposed":
            slot[0] = "proposed"
        slot[2] = max(slot[2], ent.confidence)
        slot[3].extend(ent.mentions)
    mentions = [
        Mention(pid, key, "proposed" if role == "proposed" else "used", surface, conf, list(evs))
        for key, (role, surface, conf, evs) in sorted(slots.items())
    ]
    rels = ((r.head, r.relation, r.tail, r) for r in pe.relations)
    relations = [
        Relation(hk, rel, tk, pid, r.confidence, r.evidence)
        for hk, rel, tk, r in _relation_sigs(pid, rels, names)
    ]
    return mentions, relations


def resolve(extractions: Iterable[PaperExtraction]) -> ResolvedCorpus:
    """Merge per-paper extractions into corpus entities, mentions and relations."""
    exs = sorted(extractions, key=lambda pe: pe.paper.id)
    return link_corpus(exs, resolve_names(PaperNames.of(pe) for pe in exs))


def link_corpus(extractions: Iterable[PaperExtraction], index: NameIndex) -> ResolvedCorpus:
    """Every paper's links (:func:`paper_links`) under one ``index``, as a corpus."""
    papers: dict[str, Paper] = {}
    mentions: list[Mention] = []
    relations: list[Relation] = []
    for pe in extractions:
        papers[pe.paper.id] = pe.paper
        ms, rs = paper_links(pe, index)
        mentions.extend(ms)
        relations.extend(rs)
    return ResolvedCorpus(
        papers=papers, entities=index.entities, mentions=mentions, relations=relations
    )


def _link_variants(entities: dict[str, Entity]) -> None:
    """ResNet-50 -> ResNet: the nearest shorter entity whose words it extends by version words."""
    by_words = {tuple(words(e.name)): k for k, e in entities.items()}
    for key, ent in entities.items():
        ws = tuple(words(ent.name))
        for cut in range(len(ws) - 1, 0, -1):
            extra = ws[cut:]
            if not all(_VARIANT_WORD.match(w) for w in extra):
                break
            parent = by_words.get(ws[:cut])
            if parent and parent != key:
                ent.variant_of.add(parent)
                break
