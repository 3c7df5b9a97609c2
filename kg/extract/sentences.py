"""The title is its own sentence: mark where it ends and start the abstract on a new sentence.

Titles rarely end with a full stop, so the sentencizer would run the title into the first
abstract sentence; relation and role rules read sentences, so this matters.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import candidates  # noqa: F401  (registers Doc extensions)
from kg.extract.candidates import doc_text
from kg.model import TITLE_SEP


@Language.component("kg_title_sentence")
def title_sentence(doc: Doc) -> Doc:
    """Set ``doc._.kg_title_end`` and force a sentence start after the title separator."""
    text = doc_text(doc)
    cut = text.find(TITLE_SEP)
    doc._.kg_title_end = cut if cut >= 0 else len(text)
    if cut < 0:
        doc._.kg_sentences = _bounds(doc)
        return doc
    after = cut + len(TITLE_SEP)
    for tok in doc:
        if tok.idx >= after and not tok.is_space:
            tok.is_sent_start = True
            break
        if tok.i > 0 and tok.idx >= cut:
            # whitespace between title and abstract stays with the title sentence
            tok.is_sent_start = False
    doc._.kg_sentences = _bounds(doc)
    return doc


def sentence_bounds(doc: Doc) -> list[tuple[int, int, int, int]]:
    """(start token, end token, start char, end char) of each sentence, whitespace trimmed.

    Computed once by ``kg_title_sentence`` (sentences are final from there on).
    """
    cached = doc._.kg_sentences
    return cached if cached is not None else _bounds(doc)


def _bounds(doc: Doc) -> list[tuple[int, int, int, int]]:
    out = []
    for sent in doc.sents:
        first, last = sent.start, sent.end - 1
        while first <= last and doc[first].is_space:
            first += 1
        while last >= first and doc[last].is_space:
            last -= 1
        if first > last:
            continue
        out.append((sent.start, sent.end, doc[first].idx, doc[last].idx + len(doc[last])))
    return out
