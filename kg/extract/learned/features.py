"""Features of candidate mentions, of entities (for the role) and of entity pairs (relations).

Mention features are computed for all candidates of a doc at once with numpy: token
attributes are already 64-bit hashes, so "the head word", "the word before" or "each word's
suffix" are array lookups, mixed with a slot number into the columns of a hashed weight table.
They are general properties (words, tags, shapes, context, which rules found the span), plus
the small English pipeline's contextual token vectors pooled over the span and its
neighbours. Entity and pair features are fewer and named (``"type=Model"``), then hashed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from spacy.attrs import IDX, LENGTH, LOWER, SENT_START, SHAPE, TAG
from spacy.tokens import Doc

from kg.extract import candidates as C
from kg.extract.candidates import doc_text
from kg.extract.learned.hashing import combine, hash_rows, hstr, mix, slot_key
from kg.extract.learned.linear import Rows
from kg.extract.normalize import name_key, name_words
from kg.extract.sentences import sentence_bounds
from kg.extract.tokens import get_group
from kg.model import ENTITY_TYPES

#: Width of the contextual token vectors pooled into each mention row (4 vectors of it).
POOLED = ("mean", "last", "before", "after")
DENSE_SCALE = 0.5
WINDOW = 6
#: Tag and shape sequences are hashed over at most this many tokens.
MAX_SEQ = 7
_BOS = hstr("<s>")
_EOS = hstr("</s>")

# mention feature slots
(
    S_LEN,
    S_TEXT,
    S_HEAD,
    S_FIRST,
    S_WORD,
    S_HEAD_SUFFIX,
    S_PREV,
    S_NEXT,
    S_PREV2,
    S_NEXT2,
    S_TAGS,
    S_PREV_TAG,
    S_NEXT_TAG,
    S_SHAPES,
    S_HEAD_SHAPE,
    S_FLAG,
    S_KEY_COUNT,
    S_RULE,
    S_WORD_SUFFIX,
    S_WORD_PREFIX,
    S_LEFT,
    S_RIGHT,
    S_HEAD_PREV,
    S_LEN_HEAD,
    S_CAPS,
) = range(1, 26)


@dataclass(slots=True)
class DocTokens:
    """Per-token hashes and flags of one doc, computed once and shared by all candidates."""

    low: np.ndarray
    tag: np.ndarray
    shape: np.ndarray
    suffix4: np.ndarray
    prefix4: np.ndarray
    upper_first: np.ndarray
    sent_start: np.ndarray
    idx: np.ndarray
    length: np.ndarray
    words: list[str]
    title_end: int

    @classmethod
    def of(cls, doc: Doc) -> DocTokens:
        # one C pass over the tokens: creating Token objects is what a Python loop costs
        arr = doc.to_array([LOWER, TAG, SHAPE, IDX, SENT_START, LENGTH])
        strings = doc.vocab.strings
        low = arr[:, 0]
        words = [_word(strings, h) for h in low.tolist()]
        affix = [_affixes(w) for w in words]
        title_end = doc._.kg_title_end
        n = len(doc)
        return cls(
            low=low,
            tag=arr[:, 1],
            shape=arr[:, 2],
            suffix4=np.fromiter((a[1] for a in affix), dtype=np.uint64, count=n),
            prefix4=np.fromiter((a[0] for a in affix), dtype=np.uint64, count=n),
            upper_first=np.fromiter(
                (_upper_shape(strings, h) for h in arr[:, 2].tolist()), dtype=bool, count=n
            ),
            sent_start=arr[:, 4].astype(np.int64) == 1,
            idx=arr[:, 3].astype(np.int64),
            length=arr[:, 5].astype(np.int64),
            words=words,
            title_end=len(doc_text(doc)) if title_end is None else title_end,
        )


_WORDS: dict[int, str] = {}
_AFFIXES: dict[str, tuple[int, int]] = {}
_UPPER: dict[int, bool] = {}


def _word(strings, h: int) -> str:
    w = _WORDS.get(h)
    if w is None:
        w = _WORDS[h] = strings[h]
    return w


def _affixes(word: str) -> tuple[int, int]:
    """Hashes of a lower-case word's first and last four characters (cached per word)."""
    a = _AFFIXES.get(word)
    if a is None:
        a = _AFFIXES[word] = (hstr(word[:4]), hstr(word[-4:]))
    return a


def _upper_shape(strings, h: int) -> bool:
    """Whether a token's shape (``Xxxx``, ``XXX``, ``dd``) starts with a capital."""
    u = _UPPER.get(h)
    if u is None:
        u = _UPPER[h] = strings[h][:1] == "X"
    return u


def _at(arr: np.ndarray, pos: np.ndarray, pad: int) -> np.ndarray:
    """``arr[pos]`` with ``pad`` where ``pos`` falls outside the doc."""
    ok = (pos >= 0) & (pos < len(arr))
    out = np.full(len(pos), pad, dtype=np.uint64)
    out[ok] = arr[pos[ok]]
    return out


def _spread(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, position) for every position of every range [start, end)."""
    lens = np.maximum(ends - starts, 0)
    rows = np.repeat(np.arange(len(starts)), lens)
    offs = np.arange(int(lens.sum())) - np.repeat(np.cumsum(lens) - lens, lens)
    return rows, np.repeat(starts, lens) + offs


def _rule_info(doc: Doc) -> tuple[dict, list]:
    """Rule-group flags per exact span, and the mentions of the assembled rule entities."""
    at: dict[tuple[int, int], list[str]] = {}
    for group in C.CANDIDATE_GROUPS:
        for span in get_group(doc, group):
            at.setdefault((span.start, span.end), []).append(f"rule={group}:{span.label}")
    ms = sorted((s, e, ent) for ent in doc._.kg_entities or [] for s, e in ent["tokens"])
    return at, ms


_KC_HASH = np.array([hstr(f"kc={k}") for k in range(6)], dtype=np.uint64)
_INSIDE = {t: f"inside_ent={t}" for t in ENTITY_TYPES}
_CONTAINS = {t: f"contains_ent={t}" for t in ENTITY_TYPES}
_HASHES: dict[str, int] = {}


def _hash(feature: str) -> int:
    h = _HASHES.get(feature)
    if h is None:
        if len(_HASHES) > 1 << 16:
            _HASHES.clear()
        h = _HASHES[feature] = hstr(feature)
    return h


def flag(emit, mask: np.ndarray, name: str) -> None:
    """Emit the named flag ``name`` for the rows where ``mask`` holds."""
    rows = np.flatnonzero(mask)
    if len(rows):
        emit(S_FLAG, rows, np.full(len(rows), _hash(name), dtype=np.uint64))


def _entity_flags(ent: dict) -> tuple[str, ...]:
    return (
        "ent",
        f"ent_type={ent['type']}",
        f"ent_role={ent['role']}",
        f"ent_known={ent['known']}",
        f"ent_source={ent['source']}",
    )


def mention_rows(
    doc: Doc, cands: Sequence[tuple[int, int]], bits: int, toks: DocTokens | None = None
) -> Rows:
    """Hashed feature rows (and pooled token vectors) of the candidate spans of ``doc``."""
    toks = toks or DocTokens.of(doc)
    n = len(cands)
    if n == 0:
        return Rows.from_lists([], np.zeros((0, _dense_width(doc)), np.float32))
    s = np.fromiter((c[0] for c in cands), dtype=np.int64, count=n)
    e = np.fromiter((c[1] for c in cands), dtype=np.int64, count=n)
    rows_out: list[np.ndarray] = []
    vals_out: list[np.ndarray] = []
    keys_out: list[np.ndarray] = []
    every = np.arange(n)

    def emit(slot: int, rows: np.ndarray, values: np.ndarray) -> None:
        # hashed into columns all at once at the end (one ``mix`` instead of thirty)
        rows_out.append(rows)
        vals_out.append(np.asarray(values, dtype=np.uint64))
        keys_out.append(np.full(len(rows), slot_key(slot), dtype=np.uint64))

    length = np.minimum(e - s, 6).astype(np.uint64)
    emit(S_LEN, every, length)
    text = doc_text(doc)
    idx, low = toks.idx, toks.low
    ends = idx + toks.length
    spans_text = [text[idx[a] : ends[b - 1]] for a, b in cands]
    keys = [name_key(t) for t in spans_text]
    emit(S_TEXT, every, np.fromiter((hstr(t.lower()) for t in spans_text), np.uint64, n))
    emit(S_HEAD, every, low[e - 1])
    emit(S_FIRST, every, low[s])
    wr, wp = _spread(s, e)
    emit(S_WORD, wr, low[wp])
    emit(S_WORD_SUFFIX, wr, toks.suffix4[wp])
    emit(S_WORD_PREFIX, wr, toks.prefix4[wp])
    emit(S_HEAD_SUFFIX, every, toks.suffix4[e - 1])
    emit(S_PREV, every, _at(low, s - 1, _BOS))
    emit(S_NEXT, every, _at(low, e, _EOS))
    emit(S_PREV2, every, _at(low, s - 2, _BOS))
    emit(S_NEXT2, every, _at(low, e + 1, _EOS))
    tag_seq = np.zeros(n, dtype=np.uint64)
    shape_seq = np.zeros(n, dtype=np.uint64)
    for k in range(MAX_SEQ):
        inside = (s + k) < e
        pos = np.where(inside, s + k, 0)
        tag_seq = np.where(inside, combine(tag_seq, toks.tag[pos]), tag_seq)
        shape_seq = np.where(inside, combine(shape_seq, toks.shape[pos]), shape_seq)
    emit(S_TAGS, every, tag_seq)
    emit(S_SHAPES, every, shape_seq)
    emit(S_PREV_TAG, every, _at(toks.tag, s - 1, _BOS))
    emit(S_NEXT_TAG, every, _at(toks.tag, e, _EOS))
    emit(S_HEAD_SHAPE, every, toks.shape[e - 1])
    emit(S_HEAD_PREV, every, combine(low[e - 1], _at(low, s - 1, _BOS)))
    emit(S_LEN_HEAD, every, combine(np.minimum(e - s, 4).astype(np.uint64), low[e - 1]))
    lr, lp = _spread(np.maximum(s - WINDOW, 0), s)
    emit(S_LEFT, lr, low[lp])
    rr, rp = _spread(e, np.minimum(e + WINDOW, len(doc)))
    emit(S_RIGHT, rr, low[rp])
    caps = np.add.reduceat(toks.upper_first[wp].astype(np.int64), np.r_[0, np.cumsum(e - s)[:-1]])
    emit(S_CAPS, every, (4 * caps // (e - s)).astype(np.uint64))
    # named flags: vectorised where every candidate is tested, looped where few apply
    in_title = idx[s] < toks.title_end
    key_ids = np.unique(np.array(keys, dtype=object), return_inverse=True)[1].ravel()
    key_count = np.bincount(key_ids)
    emit(S_FLAG, every, _KC_HASH[np.minimum(key_count[key_ids], 5)])
    title_key = np.zeros(len(key_count), dtype=bool)
    title_key[key_ids[in_title]] = True
    flag(emit, in_title, "in_title")
    flag(emit, ~in_title & title_key[key_ids], "also_in_title")
    title = text[: toks.title_end]
    if ":" in title:
        prefix_key = name_key(title.split(":", 1)[0])
        flag(emit, np.array([k == prefix_key for k in keys]), "title_prefix")
    flag(emit, toks.sent_start[s], "sent_start")
    words = np.array(toks.words + ["", ""], dtype=object)
    after, before = words[e], words[s - 1]
    after_paren = after == "("
    flag(emit, after_paren, "then_paren")
    flag(emit, ~after_paren & (after == ")") & (s > 0) & (before == "("), "in_paren")
    rule_at, rule_ms = _rule_info(doc)
    position = {c: i for i, c in enumerate(cands)}
    named: list[tuple[int, str]] = []
    for span, fs in rule_at.items():
        i = position.get(span)
        if i is not None:
            named.extend((i, x) for x in fs)
    # rule mentions do not overlap: each token is covered by at most one
    cover = np.full(len(doc) + 1, -1, dtype=np.int64)
    is_exact = np.zeros(n, dtype=bool)
    for m, (rs, re_, ent) in enumerate(rule_ms):
        cover[rs:re_] = m
        i = position.get((rs, re_))
        if i is not None:
            is_exact[i] = True
            named.extend((i, x) for x in _entity_flags(ent))
        inside_it = (s <= rs) & (e >= re_) & ~((s == rs) & (e == re_))
        named.extend((int(i), _CONTAINS[ent["type"]]) for i in np.flatnonzero(inside_it))
    within = (cover[s] >= 0) & (cover[s] == cover[e - 1]) & ~is_exact
    for i in np.flatnonzero(within):
        named.append((int(i), _INSIDE[rule_ms[cover[s[i]]][2]["type"]]))
    if named:
        emit(
            S_FLAG,
            np.fromiter((i for i, _ in named), np.int64, len(named)),
            np.fromiter((_hash(x) for _, x in named), np.uint64, len(named)),
        )
    rows = np.concatenate(rows_out)
    cols = mix(np.concatenate(keys_out), np.concatenate(vals_out), bits)
    order = np.argsort(rows, kind="stable")
    counts = np.bincount(rows, minlength=n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(counts)
    return Rows(indptr, cols[order], pooled_vectors(doc, s, e))


def _dense_width(doc: Doc) -> int:
    t = doc.tensor
    return len(POOLED) * (t.shape[1] if t is not None and t.ndim == 2 and t.size else 0)


def pooled_vectors(doc: Doc, s: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Mean of the span's token vectors, its last token's, and the tokens just outside it."""
    t = doc.tensor
    if t is None or t.ndim != 2 or not t.size or t.shape[0] != len(doc):
        return np.zeros((len(s), 0), np.float32)
    t = np.asarray(t, dtype=np.float32)
    width = t.shape[1]
    cum = np.vstack([np.zeros((1, width), np.float32), np.cumsum(t, axis=0)])
    mean = (cum[e] - cum[s]) / (e - s)[:, None]
    zero = np.zeros((1, width), np.float32)
    padded = np.vstack([zero, t, zero])  # position p of the doc is padded[p + 1]
    out = np.hstack([mean, padded[e], padded[s], padded[e + 1]])
    return (out * DENSE_SCALE).astype(np.float32)


# -- entities and pairs ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cues:
    """Word lists the entity and pair features test (from ``kg/data``); relation cue phrases
    as one pattern per relation, matched on whole words of lower-case text."""

    propose: frozenset[str]
    naming: frozenset[str]
    relations: dict[str, re.Pattern[str]]

    @classmethod
    def of(
        cls, propose: Iterable[str], naming: Iterable[str], relations: dict[str, Iterable[str]]
    ) -> Cues:
        pats = {}
        for rel, phrases in relations.items():
            body = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))
            pats[rel] = re.compile(rf"(?<![a-z0-9-])(?:{body})(?![a-z0-9-])")
        return cls(frozenset(propose), frozenset(naming), pats)

    def relations_in(self, text: str) -> list[str]:
        return [rel for rel, pat in self.relations.items() if pat.search(text)]


class DocView:
    """What entity and pair features read of a doc, computed once per doc (no Token objects
    in the loops: words, offsets and sentences are plain lists)."""

    __slots__ = (
        "doc",
        "words",
        "tags",
        "idx",
        "ends",
        "bounds",
        "starts",
        "title_end",
        "text",
        "_sent",
    )

    def __init__(self, doc: Doc, toks: DocTokens | None = None) -> None:
        toks = toks or DocTokens.of(doc)
        self.doc = doc
        self.words = toks.words
        strings = doc.vocab.strings
        self.tags = [strings[h] if h else "" for h in toks.tag.tolist()]
        self.idx = toks.idx.tolist()
        self.ends = (toks.idx + toks.length).tolist()
        self.bounds = sentence_bounds(doc)
        self.starts = [b[0] for b in self.bounds]
        self.title_end = toks.title_end
        self.text = doc_text(doc)
        self._sent: dict[int, tuple[str, frozenset[str]]] = {}

    @classmethod
    def of(cls, doc: Doc) -> DocView:
        return cls(doc)

    def sent_of(self, tok: int) -> int:
        """Index of the sentence holding token ``tok``."""
        return max(0, bisect_right(self.starts, tok) - 1)

    def sentence(self, k: int) -> tuple[str, frozenset[str]]:
        """Sentence ``k`` as lower-case words joined by spaces, and as a set of words."""
        got = self._sent.get(k)
        if got is None:
            ws = self.words[self.bounds[k][0] : self.bounds[k][1]]
            got = self._sent[k] = (" ".join(ws), frozenset(ws))
        return got

    def span_text(self, s: int, e: int) -> str:
        return self.text[self.idx[s] : self.ends[e - 1]]

    def in_title(self, tok: int) -> bool:
        return self.idx[tok] < self.title_end


_WE = frozenset({"we", "our"})
#: Words that may follow a name at the start of a title ("X: ...", "X for Y", "X via Y").
_TITLE_LINKS = frozenset({":", "for", "with", "via", "in", "on", "of", "and", "-", "--", "to", ""})


def _title_stems(prefix: str) -> set[str]:
    """What a variant of the title's name starts with: the name, and its initials ("DLN")."""
    prefix = prefix.strip().lower()
    words = name_words(prefix)
    stems = {prefix}
    if len(words) > 1:
        stems.add("".join(w[0] for w in words))
    return {s for s in stems if len(s) >= 2}


def extends_name(name: str, stem: str) -> bool:
    """Whether lower-case ``name`` is a variant of ``stem``: SuperCorrect-7B, LLS-M, DLN-2."""
    rest = name[len(stem) :]
    return name.startswith(stem) and rest[:1] in {"-", " ", "_", "/"} | set("0123456789")


def entity_features(
    view: DocView, ent: dict, rule_at: dict, cues: Cues, title_ents: int = 0
) -> list[str]:
    """Named features of one entity for the role model (proposed or used); ``title_ents``
    is how many of the paper's entities the title names."""
    words = view.words
    ms = ent["tokens"]
    names = (ent["name"], *ent["aliases"])
    in_title = [view.in_title(s) for s, _ in ms]
    f = [f"type={ent['type']}", f"n={min(len(ms), 5)}", f"p={int(5 * ent['confidence'])}"]
    if any(in_title):
        f.append("in_title")
        f.append(f"in_title_of={min(title_ents, 3)}")
    else:
        # a short form or a part whose words the title spells out ("NLSOMs")
        title_words = set(name_words(view.text[: view.title_end]))
        own = {w for n in names for w in name_words(n)}
        if own and title_words:
            f.append(f"title_words={int(3 * len(own & title_words) / len(own))}")
    # what the first mentions are the subject or object of ("X outperforms", "we call X")
    for s, e in ms[:3]:
        k = view.sent_of(s)
        a, b = view.bounds[k][0], view.bounds[k][1]
        f.extend(f"w_after={w}" for w in words[e : min(e + 2, b)])
        f.extend(f"w_before={w}" for w in words[max(a, s - 2) : s])
    if all(in_title):
        f.append("title_only")
    title = view.text[: view.title_end]
    if ":" in title:
        prefix = title.split(":", 1)[0]
        if any(view.idx[s] < len(prefix) for s, _ in ms):
            f.append("in_title_prefix")
        if name_key(prefix) in {name_key(n) for n in names}:
            f.append("is_title_prefix")
        else:
            stems = _title_stems(prefix)
            if any(extends_name(n.lower(), stem) for n in names for stem in stems):
                f.append("extends_title_prefix")
    title_toks = view.bounds[0][1] if view.bounds and view.title_end < len(view.text) else 0
    for s, e in ms:
        if s == 0:
            f.append("starts_title")
            f.append(f"title_cover={int(4 * (e - s) / max(1, title_toks))}")
            after = words[e] if e < len(words) else ""
            f.append(f"title_then={after if after in _TITLE_LINKS else 'other'}")
    name = ent["name"]
    f.append(f"first_pos={int(5 * view.idx[ms[0][0]] / max(1, len(view.text)))}")
    if any(c.isupper() for c in name[1:]) and any(c.islower() for c in name):
        f.append("mixed_case")
    if any(c.isdigit() for c in name):
        f.append("digit")
    if ent["aliases"]:
        f.append("alias")
    f.append(f"words={min(len(name_words(name)), 4)}")
    for s, e in ms:
        rule = rule_at.get((s, e))
        if rule is not None:
            f.append(f"rule_role={rule['role']}")
            if rule["known"]:
                f.append("known")
        k = view.sent_of(s)
        a = view.bounds[k][0]
        for w in words[max(a, s - 6) : s]:
            if w in cues.propose:
                f.append(f"before={w}")
                f.append("before_propose")
            if w in _WE:
                f.append("before_our")
        if s > 0 and words[s - 1] in cues.naming:
            f.append("named")
        sent_words = view.sentence(k)[1]
        if sent_words & _WE:
            f.append("sent_we")
            if sent_words & cues.propose:
                f.append("sent_we_propose")
        if e < len(words) and words[e] == "(":
            f.append("defined")
        if k <= 1:
            f.append("early")
    return f


_SIZE = re.compile(r"^(?:v?\d+(?:\.\d+)*[kmbt]?|\d+x\d+)$")


def merge_features(view: DocView, ents: list[dict], i: int, j: int) -> list[str]:
    """Named features of a (short, long) entity pair: are they one thing?"""
    a, b = ents[i], ents[j]
    wa, wb = name_words(a["name"]), name_words(b["name"])
    extra = [w for w in wb if w not in set(wa)]
    if wb[: len(wa)] == wa:
        place = "prefix"
    elif wb[len(wb) - len(wa) :] == wa:
        place = "suffix"
    else:
        place = "inner"
    f = [
        f"place={place}",
        f"extra_n={min(len(extra), 3)}",
        f"types={a['type']}>{b['type']}",
        f"same_type={a['type'] == b['type']}",
        f"a_n={min(len(a['tokens']), 3)}",
        f"b_n={min(len(b['tokens']), 3)}",
        f"a_title={a['in_title']}",
        f"b_title={b['in_title']}",
        f"a_known={a['known']}",
        f"b_known={b['known']}",
    ]
    f.extend(f"extra={w}" for w in extra)
    f.extend(f"{place}_extra={w}" for w in extra)
    if extra and all(_SIZE.match(w) for w in extra):
        f.append("extra_is_size")
    if extra:
        f.append(f"last_extra={extra[-1]}")
    for side, e in (("a", a), ("b", b)):
        name = e["name"]
        if name.isupper():
            f.append(f"{side}_upper")
        elif any(c.isupper() for c in name[1:]):
            f.append(f"{side}_mixed")
        elif name[:1].isupper():
            f.append(f"{side}_capital")
        else:
            f.append(f"{side}_lower")
    title = view.text[: view.title_end]
    if ":" in title:
        prefix = name_key(title.split(":", 1)[0])
        if name_key(a["name"]) == prefix:
            f.append("a_is_title_prefix")
        if name_key(b["name"]) == prefix:
            f.append("b_is_title_prefix")
    if any(view.sent_of(s) == view.sent_of(t) for s, _ in a["tokens"] for t, _ in b["tokens"]):
        f.append("same_sentence")
    return f


def closest_pair(view: DocView, eh: dict, et: dict) -> tuple[int, int, int, int, int] | None:
    """(gap, head start, head end, tail start, tail end) of the closest mentions of two
    entities in one sentence, or None when they never share a sentence."""
    best = None
    for sh, eh_ in eh["tokens"]:
        k = view.sent_of(sh)
        for st, et_ in et["tokens"]:
            if view.sent_of(st) != k:
                continue
            gap = st - eh_ if st >= eh_ else sh - et_
            if best is None or gap < best[0]:
                best = (gap, sh, eh_, st, et_)
    return best


class PairContext:
    """Per-doc facts the pair features share: each entity's sentences and title flag, the
    paper's main proposal, and the relation cues of each sentence."""

    def __init__(
        self,
        view: DocView,
        ents: list[dict],
        proposed: Sequence[bool],
        cues: Cues,
        rule_relations: Iterable[dict] = (),
    ):
        self.view, self.ents, self.proposed, self.cues = view, ents, proposed, cues
        # the rules' verdicts, by the normalised names of their two ends
        self.rule = {
            (name_key(r["head"]), name_key(r["tail"])): r["relation"] for r in rule_relations
        }
        self.keys = [{name_key(n) for n in (e["name"], *e["aliases"])} for e in ents]
        self.sents = [{view.sent_of(s) for s, _ in e["tokens"]} for e in ents]
        self.title = [any(view.in_title(s) for s, _ in e["tokens"]) for e in ents]
        self.words = [set(name_words(e["name"])) for e in ents]
        mains = [j for j, e in enumerate(ents) if proposed[j] and e["type"] in ("Model", "Method")]
        self.main = mains[0] if mains else None
        self._cues: dict[int, list[str]] = {}

    def sentence_cues(self, k: int) -> list[str]:
        got = self._cues.get(k)
        if got is None:
            got = self._cues[k] = self.cues.relations_in(self.view.sentence(k)[0])
        return got

    def features(self, h: int, t: int) -> list[str]:
        """Named features of an ordered entity pair (head ``h``, tail ``t``)."""
        view, ents, proposed = self.view, self.ents, self.proposed
        eh, et = ents[h], ents[t]
        tt = et["type"]
        f = [
            f"types={eh['type']}>{tt}",
            f"hprop={proposed[h]}",
            f"tprop={proposed[t]}",
            f"hprop={proposed[h]}&t={tt}",
            f"titles={self.title[h]}/{self.title[t]}",
        ]
        if self.main is None:
            f.append("no_main")
        elif self.main == h:
            f.append("h_main")
        hs, ts = self.sents[h], self.sents[t]
        f.append(f"sdist={min(min(abs(a - b) for a in hs for b in ts), 3)}")
        f.append(f"nco={min(len(hs & ts), 3)}")
        for kh in self.keys[h]:
            for kt in self.keys[t]:
                if (kh, kt) in self.rule:
                    f.append(f"rule={self.rule[(kh, kt)]}")
                    f.append(f"rule={self.rule[(kh, kt)]}&hprop={proposed[h]}")
                if (kt, kh) in self.rule:
                    f.append(f"rule_reversed={self.rule[(kt, kh)]}")
        wh, wt = self.words[h], self.words[t]
        if wt and wt < wh:
            f.append("h_contains_t")
        if wh and wh < wt:
            f.append("t_contains_h")
        words = view.words
        best = closest_pair(view, eh, et) if hs & ts else None
        if best is not None:
            gap, sh, eh_, st, et_ = best
            f.append(f"gap={min(max(gap, 0) // 3, 5)}")
            f.append("order=ht" if st >= eh_ else "order=th")
            a, b = (eh_, st) if st >= eh_ else (et_, sh)
            f.extend(f"btw={w}" for w in words[a:b][:12])
            f.extend(between_syntax(view.tags[a:b]))
            for rel in self.cues.relations_in(" ".join(words[a:b])):
                f.append(f"cue_btw={rel}")
                f.append(f"cue_btw={rel}&t={tt}")
            k = view.sent_of(sh)
            f.extend(f"cue_sent={rel}" for rel in self.sentence_cues(k))
            if view.sentence(k)[1] & _WE:
                f.append("sent_we")
            f.extend(f"tprev={w}" for w in words[max(view.bounds[k][0], st - 3) : st])
        else:
            for st, _ in et["tokens"][:3]:
                k = view.sent_of(st)
                f.extend(f"tcue_sent={rel}" for rel in self.sentence_cues(k))
                if view.sentence(k)[1] & _WE:
                    f.append("tsent_we")
                f.extend(f"tprev={w}" for w in words[max(view.bounds[k][0], st - 3) : st])
        return f


#: Penn tags -> one letter for the shape of what lies between two entities.
_TAG_CLASS = {"IN": "P", "TO": "P", "CC": "C", ",": ",", "DT": "D", "WDT": "W", "WP": "W"}


def between_syntax(tags: Sequence[str]) -> list[str]:
    """The syntax between two entities, from POS tags (no parser): how many verbs, the
    compressed tag pattern, and whether only commas and conjunctions separate them (a list,
    whose members rarely relate to each other)."""
    if not tags:
        return ["btw_adjacent"]
    classes = []
    for t in tags:
        c = "V" if t.startswith("VB") or t == "MD" else "N" if t.startswith("NN") else None
        c = c or ("J" if t.startswith("JJ") else _TAG_CLASS.get(t, "x"))
        if not classes or classes[-1] != c:
            classes.append(c)
    verbs = sum(1 for t in tags if t.startswith("VB"))
    out = [f"btw_verbs={min(verbs, 2)}", f"btw_pat={''.join(classes[:5])}"]
    if set(classes) <= {",", "C", "D"}:
        out.append("btw_list")
    return out


def named_rows(features: Iterable[list[str]], bits: int) -> Rows:
    """Hash lists of named features into rows (no dense part)."""
    return Rows(*hash_rows(list(features), bits))
