"""Name normalisation inside one paper: when two surface forms are the same entity."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_TOKENS = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
_ARTICLES = ("the", "a", "an")


@lru_cache(maxsize=65536)
def _words(name: str) -> tuple[str, ...]:
    # ASCII text is its own NFKC form and holds none of the dashes: skip both (the learned
    # model keys every candidate span, about 200 an abstract, mostly new strings)
    if name.isascii():
        s = name.lower()
    else:
        s = _DASHES.sub("-", unicodedata.normalize("NFKC", name).lower())
    toks = _TOKENS.findall(s)
    if toks and toks[0] in _ARTICLES:
        del toks[0]
    return tuple([t[:-1] if len(t) > 3 and t[-1] == "s" and t[-2] != "s" else t for t in toks])


def name_words(name: str) -> list[str]:
    """Lower-case word tokens, leading article dropped, simple plural ``s`` removed."""
    return list(_words(name))


def name_key(name: str) -> str:
    """Case, dash, article, plural and punctuation-insensitive key: 'CNNs' == 'cnn'."""
    return "".join(_words(name))
