"""Acronym definitions as candidate spans: "Maximal Update Parameterization (muP)" and the reverse.

The matching itself is in :mod:`kg.extract.schwartz_hearst`; this component runs it per
sentence and stores aligned long-form / short-form span groups for the assembler.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import candidates
from kg.extract.candidates import doc_text
from kg.extract.schwartz_hearst import find_pairs
from kg.extract.sentences import sentence_bounds
from kg.extract.tokens import set_group


@Language.component("kg_acronyms")
def acronyms(doc: Doc) -> Doc:
    """Find acronym definitions sentence by sentence; later bare uses are linked by assembly."""
    # (start, end, the other form), as every rule hands its group to set_group
    longs: list[tuple[int, int, str]] = []
    shorts: list[tuple[int, int, str]] = []
    full = doc_text(doc)
    for _s0, _s1, base, end in sentence_bounds(doc):
        text = full[base:end]
        if "(" not in text:
            continue
        for pair in find_pairs(text):
            lf = doc.char_span(
                base + pair.long_start, base + pair.long_end, alignment_mode="expand"
            )
            sf = doc.char_span(
                base + pair.short_start, base + pair.short_end, alignment_mode="expand"
            )
            if lf is None or sf is None or lf.end > sf.start and lf.start < sf.end:
                continue
            longs.append((lf.start, lf.end, pair.short))
            shorts.append((sf.start, sf.end, pair.long))
    set_group(doc, candidates.ACRONYM_LONG, longs)
    set_group(doc, candidates.ACRONYM_SHORT, shorts)
    return doc
