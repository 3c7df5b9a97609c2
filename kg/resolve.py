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

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

from kg.model import (
    ENTITY_TYPES,
    Entity,
    Mention,
    PaperExtraction,
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
    s = _DASHES.sub("-", unicodedata.normalize("NFKC", name)).lower()
    toks = _WORD.findall(s)
    if len(toks) > 1 and toks[0] in _ARTICLES:
        toks = toks[1:]
    return [t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith("ss") else t for t in toks]


def match_key(name: str) -> str:
    """Compact key for equality: words joined with nothing ("GPT-2" = "GPT2" = "gpt 2")."""
    ws = words(name)
    if ws:
        return "".join(ws)
    return _hashed(name)


def entity_key(name: str) -> str:
    """Readable, stable key of an entity (IRIs are minted from it): words joined by ``-``."""
    ws = words(name)
    return "-".join(ws) if ws else _hashed(name)


def _hashed(name: str) -> str:
    digest = hashlib.sha1(unicodedata.normalize("NFKC", name).encode("utf-8")).hexdigest()
    return f"x{digest[:12]}"


def _is_acronym(name: str) -> bool:
    """Short forms: no space, and mostly capitals or digits (muP, LLMs, GPT-4, CIFAR-10)."""
    core = name.strip()
    if not core or " " in core or len(core) > 15:
        return False
    upper = sum(c.isupper() for c in core)
    return upper >= 2 or (upper >= 1 and len(core) <= 5)


def _acronym_expansions(extractions: list[PaperExtraction]) -> dict[str, set[str]]:
    """For every alias key, the set of long-form keys papers expand it to."""
    out: dict[str, set[str]] = defaultdict(set)
    for pe in extractions:
        for ent in pe.entities:
            name_key = match_key(ent.name)
            for alias in ent.aliases:
                a = match_key(alias)
                if a != name_key:
                    out[a].add(name_key)
    return out


def resolve(extractions: Iterable[PaperExtraction]) -> ResolvedCorpus:
    """Merge per-paper extractions into corpus entities, mentions and relations."""
    exs = sorted(extractions, key=lambda pe: pe.paper.id)
    expansions = _acronym_expansions(exs)
    uf = UnionFind()

    # Rule 1 and 2: every name is a node of the union-find; unambiguous aliases join names.
    for pe in exs:
        for ent in pe.entities:
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

    # Collect evidence per cluster.
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    long_surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    alias_surfaces: dict[str, set[str]] = defaultdict(set)
    type_votes: dict[str, Counter[str]] = defaultdict(Counter)
    confidences: dict[str, list[float]] = defaultdict(list)
    per_paper: dict[tuple[str, str], list] = {}
    name_to_root: dict[tuple[str, str], str] = {}

    for pe in exs:
        pid = pe.paper.id
        for ent in pe.entities:
            root = uf.find(match_key(ent.name))
            surfaces[root][ent.name] += 1
            if not _is_acronym(ent.name):
                long_surfaces[root][ent.name] += 1
            for alias in ent.aliases:
                ar = uf.find(match_key(alias))
                if ar == root:
                    alias_surfaces[root].add(alias)
                    surfaces[root][alias] += 0
            if ent.type in ENTITY_TYPES:
                type_votes[root][ent.type] += ent.confidence
            confidences[root].append(ent.confidence)
            name_to_root[(pid, ent.name)] = root
            for alias in ent.aliases:
                name_to_root.setdefault((pid, alias), root)
            slot = per_paper.setdefault((pid, root), [ent.role, ent.name, ent.confidence, []])
            if ent.role == "proposed":
                slot[0] = "proposed"
            slot[2] = max(slot[2], ent.confidence)
            slot[3].extend(ent.mentions)

    # Build entities with display names and keys.
    entities: dict[str, Entity] = {}
    root_to_key: dict[str, str] = {}
    for root in sorted(surfaces):
        names = long_surfaces[root] or surfaces[root]
        # Most frequent written form; ties go to the longer, then alphabetical form.
        display = sorted(names.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
        key = entity_key(display)
        while key in entities and match_key(entities[key].name) != root:
            key = f"{key}-{hashlib.sha1(root.encode()).hexdigest()[:6]}"
        votes = type_votes[root]
        etype = (
            sorted(votes.items(), key=lambda kv: (-kv[1], ENTITY_TYPES.index(kv[0])))[0][0]
            if votes
            else "Method"
        )
        all_names = set(surfaces[root]) | alias_surfaces[root]
        conf = sum(confidences[root]) / len(confidences[root]) if confidences[root] else 1.0
        entities[key] = Entity(
            key=key,
            name=display,
            type=etype,
            aliases={n for n in all_names if n != display},
            confidence=round(conf, 4),
        )
        root_to_key[root] = key

    mentions: list[Mention] = []
    for (pid, root), (role, surface, conf, evs) in sorted(per_paper.items()):
        key = root_to_key[root]
        entities[key].papers[pid] = role
        mentions.append(Mention(pid, key, role, surface, conf, list(evs)))

    relations: list[Relation] = []
    seen: set[tuple[str, str, str, str]] = set()
    for pe in exs:
        pid = pe.paper.id
        for rel in pe.relations:
            h = name_to_root.get((pid, rel.head))
            t = name_to_root.get((pid, rel.tail))
            if h is None or t is None or h == t:
                continue
            hk, tk = root_to_key[h], root_to_key[t]
            sig = (hk, rel.relation, tk, pid)
            if sig in seen:
                continue
            seen.add(sig)
            relations.append(Relation(hk, rel.relation, tk, pid, rel.confidence, rel.evidence))

    _link_variants(entities)
    papers = {pe.paper.id: pe.paper for pe in exs}
    return ResolvedCorpus(papers=papers, entities=entities, mentions=mentions, relations=relations)


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
