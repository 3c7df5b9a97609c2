"""Token tests shared by the rules: what a name-like token or a noun-phrase modifier looks like.

They read a doc's ``TokenTable`` (``kg.extract.tokens``): the per-word tests (name shape,
name-like) are computed once per word and process there.
"""

from __future__ import annotations

import re

from kg.extract.tokens import TokenTable

#: Penn tags (the tagger's fine tags; no attribute ruler is run) that can sit in a noun phrase.
_NOUNISH = {"NN", "NNS", "NNP", "NNPS", "JJ", "JJR", "JJS", "CD", "FW", "AFX", "ADD"}
NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
#: A version or size after a name: "v2", "3.5", "7B".
_VERSION = re.compile(r"v?\d+(\.\d+)*[BMKbmk]?")


def name_run(tt: TokenTable, i: int, max_len: int = 6, allow_of: bool = True) -> tuple[int, int]:
    """(start, end) of the run of name-like tokens from token ``i`` ("Deep Language Network");
    empty (end == start) when token ``i`` starts none."""
    j = i
    n = tt.n
    lex = tt.lex
    while j < n and j - i < max_len:
        if lex[j].namelike or (j > i and _VERSION.fullmatch(lex[j].text)):
            j += 1
            continue
        if (
            allow_of
            and j > i
            and lex[j].lower in ("of", "for")
            and j + 1 < n
            and lex[j + 1].namelike
            and lex[j + 1].upper_initial
        ):
            j += 1
            continue
        break
    return i, j


def name_run_back(tt: TokenTable, end: int, max_len: int = 5, floor: int = 0) -> tuple[int, int]:
    """(start, end) of the run of name-like tokens ending just before token ``end`` ("Mizar" in
    "Mizar corpus"); empty when there is none."""
    i = end
    lex, starts = tt.lex, tt.sent_start
    while i > floor and end - i < max_len and lex[i - 1].namelike and not starts[i - 1]:
        i -= 1
    # a capitalised sentence-initial word counts only if it is name-shaped
    if i > floor and end - i < max_len and starts[i - 1] and lex[i - 1].shape:
        i -= 1
    return i, end


def is_modifier(tt: TokenTable, i: int, untagged_stop: frozenset[str] = frozenset()) -> bool:
    """Can token ``i`` sit inside a technical noun phrase before its head?

    Without POS tags (rule-only mode) a word list of common verbs stands in for the tagger.
    """
    x = tt.lex[i]
    if x.is_punct or x.is_space or x.is_stop or x.like_url or x.like_email or not x.has_alpha:
        return False
    if tt.tagged:
        tag = tt.tag[i]
        if tag in _NOUNISH:
            return True
        # participles used as adjectives: "learned initializations", "gated layers"
        return (
            tag in ("VBN", "VBG")
            and i + 1 < tt.n
            and tt.doc[i + 1].pos_ in ("NOUN", "PROPN", "ADJ")
        )
    return not x.text.endswith("ly") and x.lower not in untagged_stop
