"""The raw record a reader yields, and the title key / id recipe shared by every format."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

_NON_WORD = re.compile(r"\W+")


@dataclass
class Record:
    """One listing as a reader found it, before policy (skip, warn) and deduplication."""

    title: str | None
    abstract: str | None
    line: int
    id: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


def title_key(title: str) -> str:
    """Normalised title used to spot the same paper across listings and formats.

    NFKC, casefold, punctuation and whitespace runs become one space. This is also the string
    whose SHA-1 gave the ids in ``eval/dev.jsonl``, so seed papers get the gold ids.
    """
    folded = unicodedata.normalize("NFKC", title).casefold()
    key = " ".join(_NON_WORD.sub(" ", folded).split())
    # A title of punctuation only ("???") still needs a distinct, stable key.
    return key or " ".join(folded.split())


def mint_id(title: str) -> str:
    """Stable id for a record without one: first 10 hex digits of SHA-1 of the title key."""
    return hashlib.sha1(title_key(title).encode("utf-8")).hexdigest()[:10]


def collapse_ws(text: str) -> str:
    """Join hard-wrapped text (arXiv titles and abstracts) into single-spaced text."""
    return " ".join(text.split())


#: Field names accepted (case-insensitively) for the three core fields in JSON and CSV input.
ID_FIELDS = ("id",)
TITLE_FIELDS = ("title",)
ABSTRACT_FIELDS = ("abstract", "summary")
