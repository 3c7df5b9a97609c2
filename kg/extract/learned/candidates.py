"""Candidate spans for the learned entity model: every rule span plus phrase spans.

The rules find names well but decide badly which phrases a researcher wants as nodes; the
learned model decides, so candidates aim at recall: every span a rule component wrote, every
mention of an assembled rule entity, and every sub-span (up to seven tokens, within one
sentence) of a run of words:

- on the blank pipeline (the shipped model's), runs of content words (neither stop words nor
  punctuation), read off spaCy's lexeme flags: no tagger is needed. On the held-out abstracts
  they cover 98% of the gold names' mentions exactly, at about 195 candidates per abstract;
- on a tagged pipeline, noun-phrase runs found with a spaCy ``Matcher`` over the Penn tags
  that end in a noun, a number, a gerund or a capitalised word (97%, about 140 per abstract).

A model trained on one kind of doc reads that kind only (``kg.extract.extractor``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from spacy.attrs import IS_PUNCT, IS_SPACE, IS_STOP
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.extract import candidates as C
from kg.extract.sentences import sentence_bounds
from kg.extract.tokens import get_group

#: Tags that can end a candidate (its head) and tags that can sit inside one.
END_TAGS = ("NN", "NNS", "NNP", "NNPS", "CD", "FW", "XX", "ADD", "VBG")
INNER_TAGS = (*END_TAGS, "JJ", "JJR", "JJS", "VBN", "HYPH", "NFP", "POS")
MAX_LEN = 7


@lru_cache(maxsize=4)
def _matcher(vocab: Vocab) -> Matcher:
    m = Matcher(vocab)
    inner = {"TAG": {"IN": list(INNER_TAGS)}}
    title = {"IS_TITLE": True, "IS_PUNCT": False}
    m.add(
        "NP",
        [
            [{**inner, "OP": "*"}, {"TAG": {"IN": list(END_TAGS)}}],
            [{**inner, "OP": "*"}, title],
        ],
    )
    return m


def content_runs(doc: Doc) -> list[tuple[int, int]]:
    """Longest runs of tokens that are neither stop words, punctuation nor space: one pass
    over the lexeme flags (a ``Matcher`` with ``"OP": "+"`` finds the same runs 7x slower,
    enumerating every sub-run before keeping the longest)."""
    if not len(doc):
        return []
    content = ~doc.to_array([IS_STOP, IS_PUNCT, IS_SPACE]).astype(bool).any(axis=1)
    edges = np.diff(np.concatenate(([0], content.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()
    return list(zip(starts, ends, strict=True))


def _sentence_firsts(doc: Doc) -> list[int]:
    """The first token of each token's sentence (a span within one sentence has one)."""
    first = [0] * (len(doc) + 1)
    for b in sentence_bounds(doc):
        first[b[0] : b[1]] = [b[0]] * (b[1] - b[0])
    return first


def noun_phrase_spans(doc: Doc, max_len: int = MAX_LEN) -> set[tuple[int, int]]:
    """Sub-spans of noun-phrase runs, within one sentence, at most ``max_len`` tokens."""
    first = _sentence_firsts(doc)
    return {
        (s, e)
        for _, s, e in _matcher(doc.vocab)(doc)
        if e - s <= max_len and first[s] == first[e - 1]
    }


def word_run_spans(doc: Doc, max_len: int = MAX_LEN) -> set[tuple[int, int]]:
    """Sub-spans of runs of content words (neither stop words nor punctuation), within one
    sentence, at most ``max_len`` tokens: the candidates of an untagged doc."""
    first = _sentence_firsts(doc)
    out: set[tuple[int, int]] = set()
    for s, e in content_runs(doc):
        for a in range(s, e):
            for b in range(a + 1, min(e, a + max_len) + 1):
                if first[a] != first[b - 1]:
                    break
                out.add((a, b))
    return out


def rule_spans(doc: Doc) -> set[tuple[int, int]]:
    """Spans the rule components wrote, and the mentions of the assembled rule entities."""
    out: set[tuple[int, int]] = set()
    for group in C.CANDIDATE_GROUPS:
        for span in get_group(doc, group):
            out.add((span.start, span.end))
    for ent in doc._.kg_entities or []:
        for s, e in ent["tokens"]:
            out.add((s, e))
    return out


def candidate_spans(doc: Doc) -> list[tuple[int, int]]:
    """All candidate (start, end) token spans of a doc, sorted: the rules' spans plus noun
    phrases when the doc is tagged, content-word runs when it is not."""
    phrases = noun_phrase_spans(doc) if doc.has_annotation("TAG") else word_run_spans(doc)
    space = doc.to_array(IS_SPACE).astype(bool)
    return sorted(
        (s, e) for s, e in rule_spans(doc) | phrases if e > s and not space[s] and not space[e - 1]
    )
