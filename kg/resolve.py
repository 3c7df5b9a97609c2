"""Name resolution: one entity per real thing across all papers.

Rules, strictest first, because a wrong merge is worse than a missed one:

1. Names that normalise to the same key are one entity (case, hyphens, dashes, a leading
   article and a plural ``s`` are ignored: "Cerebras-GPT" = "Cerebras GPT", "CNNs" = "CNN").
2. An alias (chiefly an acronym defined in a paper: "Maximal Update Parameterization (muP)")
   joins its long form. Across papers, a bare acronym ("muP" alone) joins the long form only if
   every paper that defines that acronym expands it to the same long form; an ambiguous acronym
   ("CL": continual / contrastive learning) stays its own entity.
3. Versions stay distinct but linked: "ResNet-50" is a ``variantOf`` "ResNet" when its words
   extend the shorter name by version or size words only.

Everything is sorted before it is decided, so the result does not depend on input order (an
incremental build equals a fresh one).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kg.model import (
    ENTITY_TYPES,
    Entity,
    ExtractedEntity,
    Mention,
    Paper,
    PaperExtraction,
    PaperNames,
    Relation,
    ResolvedCorpus,
)
from kg.unionfind import UnionFind

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_WORD = re.compile(r"[^\W_]+(?:\.\d+)*", re.UNICODE)
_ARTICLES = {"the", "a", "an"}
#: Extra words that make a name a version or size of a shorter one (ResNet-50, LLaMA-2-7B).
_VARIANT_WORD = re.compile(
    r"^(v?\d+(\.\d+)*[kmbt]?|\d+x\d+|base|large|small|tiny|mini|medium|xl|xxl|huge|giant|"
    r"lite|plus|pro|max|ultra|turbo|chat|instruct|zero|preview)$"
)


def words(name: str) -> list[str]:
    """Lower-case words of a name with dashes unified, a leading article and plural s dropped."""
    return list(_words(name))


@functools.lru_cache(maxsize=1 << 18)
def _words(name: str) -> tuple[str, ...]:
    # Cached: a corpus names the same things again and again (100,000 papers, ~2M names).
    s = _DASHES.sub("-", unicodedata.normalize("NFKC", name)).lower()
    toks = _WORD.findall(s)
    if len(toks) > 1 and toks[0] in _ARTICLES:
        toks = toks[1:]
    return tuple(
        t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith("ss") else t for t in toks
    )


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


def _acronym_expansions(records: list[PaperNames]) -> dict[str, set[str]]:
    """For every alias key, the set of long-form keys papers expand it to."""
    out: dict[str, set[str]] = defaultdict(set)
    for rec in records:
        for ent in rec.entities:
            name_key = match_key(ent.name)
            for alias in ent.aliases:
                a = match_key(alias)
                if a != name_key:
                    out[a].add(name_key)
    return out


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

    def key(self, name: str) -> str:
        return self.key_by_match[match_key(name)]

    def names_of(self, entities: Iterable[ExtractedEntity]) -> dict[str, str]:
        """One paper's names and aliases -> entity keys. Names win over aliases; the first
        entity that lists an alias claims it (an ambiguous acronym follows its own paper)."""
        ents = list(entities)
        out = {e.name: self.key(e.name) for e in ents}
        for e in ents:
            for alias in e.aliases:
                out.setdefault(alias, out[e.name])
        return out


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
    votes: dict[str, float] = field(default_factory=dict)  # type -> summed confidence
    conf_sum: float = 0.0
    conf_n: int = 0
    roles: dict[str, str] = field(default_factory=dict)  # paper -> role


def resolve_names(records: Iterable[PaperNames]) -> NameIndex:
    """Rules 1-3 over every paper's names: the entities and the name -> entity map."""
    recs = sorted(records, key=lambda r: r.paper_id)
    expansions = _acronym_expansions(recs)
    uf = UnionFind()

    # Rule 1 and 2: every name is a node of the union-find; unambiguous aliases join names.
    for rec in recs:
        for ent in rec.entities:
            nk = match_key(ent.name)
            uf.find(nk)
            for alias in ent.aliases:
                ak = match_key(alias)
                if ak == nk:
                    continue
                if len(expansions.get(ak, ())) == 1:
                    uf.union(nk, ak)
    # A bare name that equals an unambiguous acronym elsewhere joins that acronym's long form.
    for ak, longs in expansions.items():
        if len(longs) == 1:
            uf.union(ak, next(iter(longs)))

    # Collect evidence per cluster (a flat root map: millions of names in a large corpus).
    roots = {k: uf.find(k) for k in list(uf.parent)}
    clusters: dict[str, _Cluster] = {}
    for rec in recs:
        pid = rec.paper_id
        for ent in rec.entities:
            name = ent.name
            root = roots[match_key(name)]
            c = clusters.get(root)
            if c is None:
                c = clusters[root] = _Cluster()
            c.surfaces[name] = c.surfaces.get(name, 0) + 1
            if not _is_acronym(name):
                c.long[name] = c.long.get(name, 0) + 1
            for alias in ent.aliases:
                if roots.get(match_key(alias)) == root:
                    c.aliases.add(alias)
                    c.surfaces.setdefault(alias, 0)
            if ent.type in ENTITY_TYPES:
                c.votes[ent.type] = c.votes.get(ent.type, 0.0) + ent.confidence
            c.conf_sum += ent.confidence
            c.conf_n += 1
            if ent.role == "proposed":
                c.roles[pid] = "proposed"
            elif pid not in c.roles:
                c.roles[pid] = "used"

    # Build entities with display names and keys.
    entities: dict[str, Entity] = {}
    root_to_key: dict[str, str] = {}
    for root in sorted(clusters):
        c = clusters[root]
        names = c.long or c.surfaces
        # Most frequent written form; ties go to the longer, then alphabetical form.
        display = sorted(names.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
        key = entity_key(display)
        while key in entities and match_key(entities[key].name) != root:
            key = f"{key}-{hashlib.sha1(root.encode()).hexdigest()[:6]}"
        etype = (
            sorted(c.votes.items(), key=lambda kv: (-kv[1], ENTITY_TYPES.index(kv[0])))[0][0]
            if c.votes
            else "Method"
        )
        all_names = set(c.surfaces) | c.aliases
        conf = c.conf_sum / c.conf_n if c.conf_n else 1.0
        entities[key] = Entity(
            key=key,
            name=display,
            type=etype,
            aliases={n for n in all_names if n != display},
            papers=dict(sorted(c.roles.items())),
            confidence=round(conf, 4),
        )
        root_to_key[root] = key
    key_by_match = {k: root_to_key[r] for k, r in roots.items() if r in root_to_key}

    index = NameIndex(entities, key_by_match, [], sum(len(e.papers) for e in entities.values()))
    for rec in recs:
        names = index.names_of(rec.entities)
        rels = ((h, r, t, None) for h, r, t in rec.relations)
        index.relations.extend(
            (hk, rel, tk, rec.paper_id)
            for hk, rel, tk, _ in _relation_sigs(rec.paper_id, rels, names)
        )
    _link_variants(entities)
    return index


def paper_links(pe: PaperExtraction, index: NameIndex) -> tuple[list[Mention], list[Relation]]:
    """One paper's proposes/uses links and relations, given the corpus-wide ``index``."""
    pid = pe.paper.id
    names = index.names_of(pe.entities)
    slots: dict[str, list] = {}
    for ent in pe.entities:
        key = names[ent.name]
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
