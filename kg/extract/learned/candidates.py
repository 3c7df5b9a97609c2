"""Candidate spans for the learned entity model: every rule span plus noun-phrase spans.

The rules find names well but decide badly which phrases a researcher wants as nodes; the
learned model decides, so candidates aim at recall: every span a rule component wrote, every
mention of an assembled rule entity, and every sub-span of a noun-phrase run (found with a
spaCy ``Matcher`` over the tagger's Penn tags) that ends in a noun, a number, a gerund or a
capitalised word. On the annotated abstracts this covers 96% of the gold names exactly, at
about 140 candidates per abstract.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.extract import candidates as C
from kg.extract.sentences import sentence_bounds

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


def noun_phrase_spans(doc: Doc, max_len: int = MAX_LEN) -> set[tuple[int, int]]:
    """Sub-spans of noun-phrase runs, within one sentence, at most ``max_len`` tokens."""
    out: set[tuple[int, int]] = set()
    first = [0] * (len(doc) + 1)  # first token of each token's sentence
    for b in sentence_bounds(doc):
        first[b[0] : b[1]] = [b[0]] * (b[1] - b[0])
    for _, s, e in _matcher(doc.vocab)(doc):
        if e - s <= max_len and first[s] == first[e - 1]:
            out.add((s, e))
    return out


def rule_spans(doc: Doc) -> set[tuple[int, int]]:
    """Spans the rule components wrote, and the mentions of the assembled rule entities."""
    out: set[tuple[int, int]] = set()
    for group in C.CANDIDATE_GROUPS:
        for span in doc.spans.get(group, []):
            out.add((span.start, span.end))
    for ent in doc._.kg_entities or []:
        for s, e in ent["tokens"]:
            out.add((s, e))
    return out


def candidate_spans(doc: Doc) -> list[tuple[int, int]]:
    """All candidate (start, end) token spans of a doc, sorted."""
    spans = rule_spans(doc) | noun_phrase_spans(doc)
    return sorted(
        (s, e) for s, e in spans if e > s and not doc[s].is_space and not doc[e - 1].is_space
    )
