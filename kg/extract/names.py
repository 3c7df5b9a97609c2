"""Token tests shared by the rules: what a name-like token or a noun-phrase modifier looks like."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from kg.extract.shapes import NAME_SHAPE

_SHAPE = re.compile(NAME_SHAPE)
#: Penn tags (the tagger's fine tags; no attribute ruler is run) that can sit in a noun phrase.
_NOUNISH = {"NN", "NNS", "NNP", "NNPS", "JJ", "JJR", "JJS", "CD", "FW", "AFX", "ADD"}
NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})


def has_tags(doc: Doc) -> bool:
    """Whether the pipeline tagged this doc (rule-only mode has no POS tags)."""
    # the tagger tags every token, so the first one tells (doc.has_annotation scans them all)
    return len(doc) > 0 and doc[0].tag != 0


_MARKUP = re.compile(r"[:/_{}\\@~=<>()\[\]|]")


def is_shape(tok: Token) -> bool:
    """Name-shaped text (mixed case, two capitals, letters and digits), not a URL or markup."""
    return bool(_SHAPE.match(tok.text)) and not _MARKUP.search(tok.text)


def is_namelike(tok: Token) -> bool:
    """Capitalised non-stop word or a name-shaped token (for proper-name runs)."""
    if tok.is_punct or tok.is_space or tok.like_num and not is_shape(tok):
        return False
    if is_shape(tok):
        return True
    return tok.text[:1].isupper() and not tok.is_stop


def name_run(doc: Doc, i: int, max_len: int = 6, allow_of: bool = True) -> Span | None:
    """The run of name-like tokens starting at token ``i`` ("Deep Language Network")."""
    j = i
    n = len(doc)
    while j < n and j - i < max_len:
        tok = doc[j]
        if is_namelike(tok) or (j > i and re.fullmatch(r"v?\d+(\.\d+)*[BMKbmk]?", tok.text)):
            j += 1
            continue
        if (
            allow_of
            and j > i
            and tok.lower_ in ("of", "for")
            and j + 1 < n
            and is_namelike(doc[j + 1])
            and doc[j + 1].text[:1].isupper()
        ):
            j += 1
            continue
        break
    return doc[i:j] if j > i else None


def name_run_back(doc: Doc, end: int, max_len: int = 5, floor: int = 0) -> Span | None:
    """The run of name-like tokens ending just before token ``end`` ("Mizar" in "Mizar corpus")."""
    i = end
    while (
        i > floor and end - i < max_len and is_namelike(doc[i - 1]) and not doc[i - 1].is_sent_start
    ):
        i -= 1
    # a capitalised sentence-initial word counts only if it is name-shaped
    if i > floor and end - i < max_len and doc[i - 1].is_sent_start and is_shape(doc[i - 1]):
        i -= 1
    return doc[i:end] if i < end else None


def is_modifier(tok: Token, tagged: bool, untagged_stop: frozenset[str] = frozenset()) -> bool:
    """Can ``tok`` sit inside a technical noun phrase before its head?

    Without POS tags (rule-only mode) a word list of common verbs stands in for the tagger.
    """
    if tok.is_punct or tok.is_space or tok.is_stop or tok.like_url or tok.like_email:
        return False
    if not any(c.isalpha() for c in tok.text):
        return False
    if tagged:
        if tok.tag_ in _NOUNISH:
            return True
        # participles used as adjectives: "learned initializations", "gated layers"
        return (
            tok.tag_ in ("VBN", "VBG")
            and tok.i + 1 < len(tok.doc)
            and tok.nbor().pos_
            in (
                "NOUN",
                "PROPN",
                "ADJ",
            )
        )
    return not tok.text.endswith("ly") and tok.lower_ not in untagged_stop
