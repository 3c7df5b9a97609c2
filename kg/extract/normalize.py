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
    s = _DASHES.sub("-", unicodedata.normalize("NFKC", name).lower())
    toks = _TOKENS.findall(s)
    if toks and toks[0] in _ARTICLES:
        toks = toks[1:]
    return tuple(
        t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith("ss") else t for t in toks
    )


def name_words(name: str) -> list[str]:
    """Lower-case word tokens, leading article dropped, simple plural ``s`` removed."""
    return list(_words(name))


def name_key(name: str) -> str:
    """Case, dash, article, plural and punctuation-insensitive key: 'CNNs' == 'cnn'."""
    return "".join(_words(name))
