"""The title is its own sentence: mark where it ends and start the abstract on a new sentence.

Titles rarely end with a full stop, so the sentencizer would run the title into the first
abstract sentence; relation and role rules read sentences, so this matters.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import candidates  # noqa: F401  (registers Doc extensions)
from kg.extract.tokens import TokenTable, token_table
from kg.model import TITLE_SEP


@Language.component("kg_title_sentence")
def title_sentence(doc: Doc) -> Doc:
    """Set ``doc._.kg_title_end`` and force a sentence start after the title separator."""
    tt = token_table(doc)
    text = tt.doc_text
    cut = text.find(TITLE_SEP)
    doc._.kg_title_end = cut if cut >= 0 else len(text)
    if cut >= 0:
        after = cut + len(TITLE_SEP)
        idx, lex = tt.idx, tt.lex
        starts: dict[int, bool] = {}
        for i in range(tt.n):
            if idx[i] >= after and not lex[i].is_space:
                starts[i] = True
                break
            if i > 0 and idx[i] >= cut:
                # whitespace between title and abstract stays with the title sentence
                starts[i] = False
        tt.set_sent_starts(starts)
    doc._.kg_sentences = _bounds(tt)
    return doc


def sentence_bounds(doc: Doc) -> list[tuple[int, int, int, int]]:
    """(start token, end token, start char, end char) of each sentence, whitespace trimmed.

    Computed once by ``kg_title_sentence`` (sentences are final from there on).
    """
    cached = doc._.kg_sentences
    return cached if cached is not None else _bounds(token_table(doc))


def _bounds(tt: TokenTable) -> list[tuple[int, int, int, int]]:
    """Sentences as ``doc.sents`` yields them (a start wherever ``is_sent_start`` is true)."""
    n = tt.n
    cuts = [0, *(i for i in range(1, n) if tt.sent_start[i]), n] if n else []
    lex = tt.lex
    out = []
    for s0, s1 in zip(cuts, cuts[1:], strict=False):
        first, last = s0, s1 - 1
        while first <= last and lex[first].is_space:
            first += 1
        while last >= first and lex[last].is_space:
            last -= 1
        if first > last:
            continue
        out.append((s0, s1, tt.idx[first], tt.end_char(last)))
    return out
