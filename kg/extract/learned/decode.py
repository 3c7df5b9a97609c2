"""From classifier outputs to entities, roles and relations of one doc.

The same functions run at extraction time (``kg_learned``) and inside training and
cross-validation (``kg.learn``), so the figures a training run reports are the behaviour a
build gets.

1. Mentions: candidates whose entity probability passes the threshold, best first, no
   overlaps.
2. Entities: mentions with the same normalised name, an acronym and its long form, or
   gazetteer aliases are one entity; its name is the fullest form, its type the argmax of
   the type probabilities summed over its mentions, its confidence its best mention's.
3. Roles: the role model gives each entity a probability of being the paper's own; a
   variant of the paper's own model is its own too (LLS-M of LLS, DLN-2 of DLN).
4. Relations: the relation model scores every ordered pair whose types some relation allows;
   the best allowed relation is kept when it passes the threshold, one per entity pair.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.tokens import Doc

from kg.extract import candidates as C
from kg.extract.learned.bundle import Bundle
from kg.extract.learned.candidates import candidate_spans
from kg.extract.learned.features import (
    Cues,
    DocTokens,
    DocView,
    PairContext,
    closest_pair,
    entity_features,
    extends_name,
    mention_rows,
    merge_features,
    named_rows,
)
from kg.extract.learned.linear import Rows
from kg.extract.normalize import name_key, name_words
from kg.extract.resources import Resources
from kg.extract.tokens import get_group
from kg.model import ENTITY_TYPES, RELATIONS
from kg.unionfind import UnionFind

#: Classes of the entity model: "none" first, then the entity types.
ENTITY_CLASSES: tuple[str, ...] = ("none", *ENTITY_TYPES)
ROLE_CLASSES: tuple[str, ...] = ("used", "proposed")
MERGE_CLASSES: tuple[str, ...] = ("apart", "same")
RELATION_CLASSES: tuple[str, ...] = ("none", *RELATIONS)
SOURCE = "learned"


_CUES: dict[str, Cues] = {}
_ALLOWED: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {}


def cues_of(res: Resources) -> Cues:
    """The cue words features test: proposal verbs, naming cues, relation cue phrases
    (built once per version of the data files)."""
    got = _CUES.get(res.digest)
    if got is None:
        got = _CUES[res.digest] = Cues.of(
            res.proposal_verbs,
            res.naming_cues,
            {c.relation: (*c.between, *c.sentence) for c in res.relation_cues},
        )
    return got


def allowed_relations(res: Resources) -> dict[tuple[str, str], tuple[str, ...]]:
    """Relations each (head type, tail type) admits, from ``kg/data/relations.json``."""
    got = _ALLOWED.get(res.digest)
    if got is None:
        out: dict[tuple[str, str], list[str]] = {}
        for c in res.relation_cues:
            for ht in c.head_types:
                for tt in c.tail_types:
                    out.setdefault((ht, tt), []).append(c.relation)
        got = _ALLOWED[res.digest] = {k: tuple(v) for k, v in out.items()}
    return got


def choose_mentions(
    cands: Sequence[tuple[int, int]], probs: np.ndarray, threshold: float
) -> list[tuple[float, int, int, np.ndarray]]:
    """Candidates that pass the threshold, most probable first, without overlaps."""
    p_ent = 1.0 - probs[:, 0]
    order = np.argsort(-p_ent, kind="stable")
    chosen: list[tuple[float, int, int, np.ndarray]] = []
    taken = np.zeros(max((e for _, e in cands), default=0) + 1, dtype=bool)
    for i in order:
        if p_ent[i] < threshold:
            break
        s, e = cands[i]
        if taken[s:e].any():
            continue
        taken[s:e] = True
        chosen.append((float(p_ent[i]), s, e, probs[i]))
    chosen.sort(key=lambda m: m[1])
    return chosen


def group_mentions(
    view: DocView, chosen: list[tuple[float, int, int, np.ndarray]]
) -> list[list[tuple[float, int, int, np.ndarray]]]:
    """Mentions that name one thing: same key, an acronym pair, a gazetteer entry."""
    doc = view.doc
    uf = UnionFind()
    keys = [name_key(view.span_text(s, e)) or view.span_text(s, e) for _, s, e, _ in chosen]
    for k in keys:
        uf.find(k)
    for lf, sf in zip(
        get_group(doc, C.ACRONYM_LONG), get_group(doc, C.ACRONYM_SHORT), strict=False
    ):
        kl = name_key(view.span_text(lf.start, lf.end))
        ks = name_key(view.span_text(sf.start, sf.end))
        if kl in uf.parent and ks in uf.parent:
            uf.union(kl, ks)
    canon: dict[tuple[int, int], str] = {
        (sp.start, sp.end): sp.kb_id for sp in get_group(doc, C.GAZETTEER) if sp.kb_id
    }
    for (_, s, e, _), k in zip(chosen, keys, strict=True):
        if (s, e) in canon:
            uf.union("g:" + canon[(s, e)], k)
    groups: dict[str, list] = {}
    for m, k in zip(chosen, keys, strict=True):
        groups.setdefault(uf.find(k), []).append(m)
    return list(groups.values())


def _mention_offsets(view: DocView, s: int, e: int) -> list[int]:
    b = view.bounds[view.sent_of(s)]
    return [view.idx[s], view.ends[e - 1], b[2], b[3]]


def _entity(view: DocView, ms: list, known_at: dict, type_p: np.ndarray) -> dict:
    """One entity dict (the assembler's shape) from its mentions."""
    ms = sorted(ms, key=lambda m: m[1])
    texts = [view.span_text(s, e) for _, s, e, _ in ms]
    name = max(texts, key=lambda t: (len(name_words(t)), len(t)))
    aliases: list[str] = []
    seen = {name_key(name)}
    for t in texts:
        if name_key(t) not in seen:
            seen.add(name_key(t))
            aliases.append(t)
    return {
        "name": name,
        "type": ENTITY_CLASSES[1 + int(np.argmax(type_p))],
        "role": "used",
        "aliases": aliases,
        "confidence": round(max(m[0] for m in ms), 4),
        "source": SOURCE,
        "known": any(known_at.get((s, e), False) for _, s, e, _ in ms),
        "tokens": [[s, e] for _, s, e, _ in ms],
        "mentions": [_mention_offsets(view, s, e) for _, s, e, _ in ms],
        "in_title": any(view.in_title(s) for _, s, _, _ in ms),
        "type_p": [float(x) for x in type_p],
        "_ms": ms,
    }


def _known_at(view: DocView) -> dict[tuple[int, int], bool]:
    return {(s, e): ent["known"] for ent in view.doc._.kg_entities or [] for s, e in ent["tokens"]}


def decode_entities(
    view: DocView, cands: Sequence[tuple[int, int]], probs: np.ndarray, threshold: float
) -> list[dict]:
    """Entities (the assembler's dict shape) from candidate probabilities."""
    known_at = _known_at(view)
    out = [
        _entity(view, ms, known_at, np.sum([p[1:] for *_, p in ms], axis=0))
        for ms in group_mentions(view, choose_mentions(cands, probs, threshold))
    ]
    out.sort(key=lambda ent: ent["tokens"][0][0])
    return out


def merge_pairs(ents: list[dict]) -> list[tuple[int, int]]:
    """Entity pairs (short, long) where the short name's words are some of the long one's:
    "UI-R1" and "UI-R1-3B", "language models" and "large language models". Whether they
    are one thing is for the merge model to say."""
    words = [set(name_words(e["name"])) for e in ents]
    return [
        (i, j)
        for i in range(len(ents))
        for j in range(len(ents))
        if i != j and words[i] and words[i] < words[j]
    ]


def apply_merges(
    view: DocView,
    ents: list[dict],
    pairs: list[tuple[int, int]],
    probs: np.ndarray,
    threshold: float,
) -> list[dict]:
    """Entities after joining the pairs the merge model calls one thing (names: the
    fullest form wins, the others become aliases; types: summed over both)."""
    if not pairs:
        return ents
    uf = UnionFind()
    for (i, j), p in zip(pairs, probs, strict=True):
        if p >= threshold:
            uf.union(f"{i:05d}", f"{j:05d}")
    groups: dict[str, list[int]] = {}
    for i in range(len(ents)):
        groups.setdefault(uf.find(f"{i:05d}"), []).append(i)
    if len(groups) == len(ents):
        return ents
    known_at = _known_at(view)
    out = []
    for members in groups.values():
        if len(members) == 1:
            out.append(ents[members[0]])
            continue
        ms = [m for i in members for m in ents[i]["_ms"]]
        type_p = np.sum([ents[i]["type_p"] for i in members], axis=0)
        out.append(_entity(view, ms, known_at, type_p))
    out.sort(key=lambda ent: ent["tokens"][0][0])
    return out


def merge_rows(view: DocView, ents: list[dict], bits: int) -> tuple[list[tuple[int, int]], Rows]:
    """The pairs a merge is decided for, and their feature rows (training reads the same)."""
    pairs = merge_pairs(ents)
    return pairs, named_rows([merge_features(view, ents, i, j) for i, j in pairs], bits)


def merge_probabilities(
    view: DocView, ents: list[dict], model
) -> tuple[list[tuple[int, int]], np.ndarray]:
    pairs, rows = merge_rows(view, ents, model.bits)
    return pairs, model.proba(rows)[:, 1] if pairs else np.zeros(0)


def rule_entities_at(view: DocView) -> dict[tuple[int, int], dict]:
    return {(s, e): ent for ent in view.doc._.kg_entities or [] for s, e in ent["tokens"]}


def role_rows(view: DocView, ents: list[dict], cues: Cues, rule_at: dict, bits: int) -> Rows:
    """Feature rows of the role model, one per entity (training reads the same)."""
    in_title = sum(any(view.in_title(s) for s, _ in e["tokens"]) for e in ents)
    return named_rows([entity_features(view, e, rule_at, cues, in_title) for e in ents], bits)


def role_probabilities(
    view: DocView, ents: list[dict], bundle: Bundle, cues: Cues, rule_at: dict
) -> np.ndarray:
    if not ents:
        return np.zeros(0)
    rows = role_rows(view, ents, cues, rule_at, bundle.role.bits)
    return bundle.role.proba(rows)[:, ROLE_CLASSES.index("proposed")]


def propagate_proposed(ents: list[dict], proposed: list[bool]) -> list[bool]:
    """Mark as proposed each entity whose name extends a proposed one's ("SuperCorrect-7B" of
    "SuperCorrect"): in the training annotation every such variant is the paper's own."""
    stems = {
        n.lower()
        for e, prop in zip(ents, proposed, strict=True)
        if prop
        for n in (e["name"], *e["aliases"])
        if len(n) >= 2
    }
    return [
        prop or any(extends_name(n.lower(), s) for n in (e["name"], *e["aliases"]) for s in stems)
        for e, prop in zip(ents, proposed, strict=True)
    ]


def decide_roles(ents: list[dict], p_role: Sequence[float], threshold: float) -> list[bool]:
    """Which entities are the paper's own: past the threshold, or a variant of one that is."""
    return propagate_proposed(ents, [bool(p >= threshold) for p in p_role])


def relation_pairs(
    ents: list[dict], allowed: dict[tuple[str, str], tuple[str, ...]]
) -> list[tuple[int, int]]:
    """Ordered entity pairs some relation admits."""
    return [
        (h, t)
        for h in range(len(ents))
        for t in range(len(ents))
        if h != t and (ents[h]["type"], ents[t]["type"]) in allowed
    ]


def decode_relations(
    view: DocView,
    ents: list[dict],
    pairs: list[tuple[int, int]],
    probs: np.ndarray,
    allowed: dict[tuple[str, str], tuple[str, ...]],
    threshold: float,
) -> list[dict]:
    """Relation dicts (the rule finder's shape): the best allowed relation per pair."""
    found: list[tuple[float, int, int, str]] = []
    for (h, t), p in zip(pairs, probs, strict=True):
        rels = allowed[(ents[h]["type"], ents[t]["type"])]
        best = max(rels, key=lambda r: p[RELATION_CLASSES.index(r)])
        pb = float(p[RELATION_CLASSES.index(best)])
        if pb >= threshold:
            found.append((pb, h, t, best))
    found.sort(key=lambda x: (-x[0], x[1], x[2]))
    seen: set[frozenset[int]] = set()
    out = []
    for pb, h, t, rel in found:
        if frozenset((h, t)) in seen:
            continue
        seen.add(frozenset((h, t)))
        near = closest_pair(view, ents[h], ents[t])
        if near is not None:
            _, sh, eh, st, et = near
            a, b = min(sh, st), max(eh, et)
        else:
            a, b = ents[t]["tokens"][0]
        sent = view.bounds[view.sent_of(a)]
        out.append(
            {
                "head": ents[h]["name"],
                "relation": rel,
                "tail": ents[t]["name"],
                "confidence": round(pb, 4),
                "span": [view.idx[a], view.ends[b - 1]],
                "sent": [sent[2], sent[3]],
            }
        )
    return out


def pair_rows(
    view: DocView, ents: list[dict], proposed: Sequence[bool], res: Resources, bits: int
) -> tuple[list[tuple[int, int]], Rows]:
    """The pairs relations are decided for, and their feature rows."""
    pairs = relation_pairs(ents, allowed_relations(res))
    ctx = PairContext(view, ents, proposed, cues_of(res), view.doc._.kg_relations or ())
    return pairs, named_rows([ctx.features(h, t) for h, t in pairs], bits)


def extract_doc(doc: Doc, bundle: Bundle, res: Resources) -> tuple[list[dict], list[dict]]:
    """Entities and relations of one doc (after the rule components ran) by ``bundle``."""
    toks = DocTokens.of(doc)
    view = DocView(doc, toks)
    cands = candidate_spans(doc)
    probs = bundle.entity.proba(mention_rows(doc, cands, bundle.entity.bits, toks))
    ents = decode_entities(view, cands, probs, bundle.thresholds["entity"])
    pairs, p_merge = merge_probabilities(view, ents, bundle.merge)
    ents = apply_merges(view, ents, pairs, p_merge, bundle.thresholds["merge"])
    p_role = role_probabilities(view, ents, bundle, cues_of(res), rule_entities_at(view))
    proposed = decide_roles(ents, p_role, bundle.thresholds["role"])
    for ent, prop in zip(ents, proposed, strict=True):
        ent["role"] = "proposed" if prop else "used"
    pairs, rows = pair_rows(view, ents, proposed, res, bundle.relation.bits)
    if not pairs:
        return ents, []
    probs = bundle.relation.proba(rows)
    rels = decode_relations(
        view, ents, pairs, probs, allowed_relations(res), bundle.thresholds["relation"]
    )
    return ents, rels
