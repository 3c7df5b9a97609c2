"""The title is its own sentence: mark where it ends and start the abstract on a new sentence.

Titles rarely end with a full stop, so the sentencizer would run the title into the first
abstract sentence; relation and role rules read sentences, so this matters.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import candidates  # noqa: F401  (registers Doc extensions)
from kg.model import TITLE_SEP


@Language.component("kg_title_sentence")
def title_sentence(doc: Doc) -> Doc:
    """Set ``doc._.kg_title_end`` and force a sentence start after the title separator."""
    cut = doc.text.find(TITLE_SEP)
    doc._.kg_title_end = cut if cut >= 0 else len(doc.text)
    if cut < 0:
        return doc
    after = cut + len(TITLE_SEP)
    for tok in doc:
        if tok.idx >= after and not tok.is_space:
            tok.is_sent_start = True
            break
        if tok.i > 0 and tok.idx >= cut:
            # whitespace between title and abstract stays with the title sentence
            tok.is_sent_start = False
    return doc


def sentence_bounds(doc: Doc) -> list[tuple[int, int, int, int]]:
    """(start token, end token, start char, end char) of each sentence, whitespace trimmed."""
    out = []
    for sent in doc.sents:
        toks = [t for t in sent if not t.is_space]
        if not toks:
            continue
        out.append((sent.start, sent.end, toks[0].idx, toks[-1].idx + len(toks[-1])))
    return out
