"""Names by their shape: GPT-2, ResNet-50, CIFAR-10, InternLM-XComposer2.5, LLaMA 2 7B.

A token looks like a name when it mixes case inside a word, has two capitals, or mixes letters
and digits; measurements (7B, 3D), modifiers (KAN-based, non-SFT), people's double names
(Bradley-Terry), URLs and citation keys do not count. A name extends over version or size
tokens ("Llama 3 405B") and a capitalised word before it ("Code LLaMA"). Titles are
title-cased, so there only internal capitals or digits count.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import candidates
from kg.extract.resources import load_resources
from kg.extract.tokens import NAME_SHAPE, TokenTable, filter_bounds, set_group, token_table

_NAME_SHAPE = re.compile(NAME_SHAPE)
#: Shapes that are measurements, counts or settings: 7B, 3D, 10K, 2x, 5-shot, 1-Layer.
_NOT_NAME = re.compile(
    r"^\d+(?:\.\d+)?[A-Za-z]{1,2}$"  # 7B, 3D, 2x
    r"|^\d+(?:\.\d+)?-?[a-z]+$"  # 5-shot, 2-layer, 3rd
    r"|^\d+-[A-Z][a-z]+$"  # 1-Layer
    r"|^[A-Z][a-z]+(?:-[A-Z][a-z]+)+$"  # Bradley-Terry, Erdos-Renyi (people's names)
    r"|^[a-z]+-"  # non-SFT, pre-LN: a lower-case prefix makes a modifier
    r"|^\d+(?:\.\d+)?[A-Za-z]?-"  # 540B-parameter, 3D-aware
    r"|[:/_{}\\@~=<>()\[\]|]"  # URLs, citation keys, markup
    r"|-(?:based|like|style|free|aware|driven|guided|specific|level|scale|only|centric"
    r"|inspired|augmented|enhanced|generated|powered|enabled|compatible|friendly|agnostic"
    r"|dependent|independent|oriented|related|wise|type|sized|time|class|shot|parameter"
    r"|parameters|layer|layers|step|steps|dimensional|bit|way)$"
)
#: Inside a title-cased title only these count: a lower-case letter followed by a capital
#: (DeepMath), an all-caps piece (RL, GPT), or a digit.
_TITLE_SHAPE = re.compile(r"[a-z][A-Z]|(?:^|-)[A-Z]{2,}(?:$|-|\d|s$)|\d")
_NUMBER = re.compile(r"^v?\d+(?:\.\d+)*$")
_SIZE = re.compile(r"^\d+(?:\.\d+)?[BMK]$")
VERSION = (
    r"^(?:v?\d+(?:\.\d+)*[BMKbmk]?|[BMK]|XL|XXL|Large|Base|Small|Mini|Pro|Turbo|Ultra|Max|Plus"
    r"|Chat|Instruct|Zero)$"
)


_VERSION = re.compile(VERSION)


@lru_cache(maxsize=65536)
def looks_like_name(text: str) -> bool:
    """Whether one token's text has a model/dataset name shape (lexical, so cached)."""
    if not _NAME_SHAPE.match(text) or _NOT_NAME.search(text):
        return False
    return text.lower() not in load_resources().not_names


def _in_citation(tt: TokenTable, start: int, end: int) -> bool:
    """Part of a citation key or path glued by ':' or '/' ("DBLP:conf/icml/FinnAL17")."""
    text, ws = tt.text, tt.ws
    if start > 0 and text[start - 1] in (":", "/") and not ws[start - 1]:
        return True
    return (
        end < tt.n
        and text[end] in (":", "/")
        and not ws[end - 1]
        and end + 1 < tt.n
        and not ws[end]
    )


class ShapeMatcher:
    """Marks name-shaped tokens (with version suffixes) as untyped candidates.

    A plain scan over the token table with the lexical test cached per word: the same
    patterns as a ``Matcher`` with a custom-attribute predicate, at a tenth of its cost (the
    predicate is a Python call per token and per pattern).
    """

    def __init__(self, nlp: Language, name: str = "kg_shapes") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        title_end = doc._.kg_title_end or 0
        tt = token_table(doc)
        texts, idx, lex, sent_start = tt.text, tt.idx, tt.lex, tt.sent_start
        spans: list[tuple[int, int, str]] = []
        n = tt.n
        i = 0
        while i < n:
            text = texts[i]
            start = end = -1
            # a name shape is a name-like shape (Lex.shape) that is not a measurement
            if lex[i].shape and looks_like_name(text):
                start, end = i, i + 1
                in_title = idx[i] < title_end
                if in_title and not _TITLE_SHAPE.search(text):
                    i += 1
                    continue
                if not in_title and i > 0 and lex[i - 1].capital and not sent_start[i - 1]:
                    start = i - 1  # "Code LLaMA": a capitalised word, not a sentence start
            elif lex[i].capital and not sent_start[i] and idx[i] >= title_end:
                # "Llama 3 405B": a capitalised word, an optional number, a size
                j = i + 1
                if j < n and _NUMBER.match(texts[j]):
                    j += 1
                if j < n and _SIZE.match(texts[j]):
                    start, end = i, j + 1
            if start < 0:
                i += 1
                continue
            while end < n and _VERSION.match(texts[end]):
                end += 1
            if not _in_citation(tt, start, end):
                spans.append((start, end, ""))
            i = end
        set_group(doc, candidates.SHAPE, filter_bounds(spans))
        return doc


@Language.factory("kg_shapes")
def make_shapes(nlp: Language, name: str) -> ShapeMatcher:
    return ShapeMatcher(nlp, name)
