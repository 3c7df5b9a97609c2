"""Acronym definitions in the manner of Schwartz & Hearst (2003), as pure functions on text.

An abstract defines an acronym as "long form (SF)" or, less often, "SF (long form)". The long
form is found by matching the short form's letters right to left inside the words before the
parenthesis, the first letter having to start a word. Pure functions on strings with character
offsets, so they are tested directly and reused by the spaCy component.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PAREN = re.compile(r"\(([^()]{1,60})\)")
_WORD = re.compile(r"\S+")
#: Characters that end the search window for a long form (clause boundaries).
_STOP_CHARS = ".;:!?()[]"
_NUMBERS = re.compile(r"[\d.,%\s-]+")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_TRAILER = re.compile(r"[;,]")
_LAST_WORD = re.compile(r"(\S+)\s*$")
_NOT_SHORT = {"e.g", "i.e", "e.g.", "i.e.", "ie", "eg", "cf", "etc", "see", "resp"}


@dataclass(frozen=True)
class AcronymPair:
    """A short form and the long form it abbreviates, as character offsets into the text."""

    short: str
    short_start: int
    long: str
    long_start: int

    @property
    def short_end(self) -> int:
        return self.short_start + len(self.short)

    @property
    def long_end(self) -> int:
        return self.long_start + len(self.long)


def is_short_form(text: str) -> bool:
    """Could ``text`` be an acronym: short, one or two words, a capital, starts alphanumeric."""
    s = text.strip()
    if not 2 <= len(s) <= 15 or len(s.split()) > 2:
        return False
    if s.lower().rstrip(".") in _NOT_SHORT or not s[0].isalnum():
        return False
    if not any(c.isupper() for c in s) or not any(c.isalpha() for c in s):
        return False
    # years, numbers and citations such as "2019" or "Smith 2020" are not acronyms
    return not _NUMBERS.fullmatch(s) and not _YEAR.search(s)


def find_long_form(short: str, candidate: str) -> int | None:
    """Start index in ``candidate`` of the long form that ``short`` abbreviates, or None.

    Walks the short form's letters and digits right to left, finding each in ``candidate``
    further left; the first one must begin a word. Returns the start of that word.
    """
    chars = [c.lower() for c in short if c.isalnum()]
    if not chars:
        return None
    cand = candidate.lower()
    j = len(cand) - 1
    for k in range(len(chars) - 1, -1, -1):
        c = chars[k]
        first = k == 0
        while j >= 0:
            at_word_start = j == 0 or not cand[j - 1].isalnum()
            if cand[j] == c and (not first or at_word_start):
                break
            j -= 1
        if j < 0:
            return None
        j -= 1
    start = j + 1
    return start


def _window_before(text: str, end: int, max_words: int) -> int:
    """Start offset of at most ``max_words`` words before ``end``, not crossing a clause end."""
    start = end
    words = 0
    i = end
    while i > 0 and words < max_words:
        # skip spaces
        while i > 0 and text[i - 1].isspace():
            i -= 1
        if i == 0 or text[i - 1] in _STOP_CHARS or text[i - 1] == ",":
            break
        j = i
        while j > 0 and not text[j - 1].isspace() and text[j - 1] not in _STOP_CHARS:
            j -= 1
        words += 1
        start = j
        i = j
        if j > 0 and text[j - 1] in _STOP_CHARS:
            break
    return start


def _valid_long(short: str, long: str) -> bool:
    words = long.split()
    if len(long) <= len(short) or not words:
        return False
    if short.lower() in (w.lower() for w in words):
        return False
    return len(words) <= len([c for c in short if c.isalnum()]) + 5


def find_pairs(text: str) -> list[AcronymPair]:
    """All acronym definitions in ``text`` (one sentence or a whole abstract)."""
    pairs: list[AcronymPair] = []
    for m in _PAREN.finditer(text):
        inner = m.group(1)
        inner_s = inner.strip()
        in_start = m.start(1) + (len(inner) - len(inner.lstrip()))
        # Drop trailing fragments like "(SF; Smith 2020)" or "(SF, for short)".
        head = _TRAILER.split(inner_s)[0].strip()
        if is_short_form(head):
            n = len([c for c in head if c.isalnum()])
            win_start = _window_before(text, m.start(), min(n + 5, 2 * n + 3))
            cand = text[win_start : m.start()].rstrip()
            rel = find_long_form(head, cand)
            if rel is not None:
                long = cand[rel:].strip().strip("\"'“”")
                long_start = win_start + rel + (len(cand[rel:]) - len(cand[rel:].lstrip()))
                if _valid_long(head, long):
                    pairs.append(AcronymPair(head, in_start, long, long_start))
                    continue
        # Reverse order: "SF (long form)".
        if len(inner_s.split()) >= 2:
            pre = _LAST_WORD.search(text[: m.start()])
            if pre:
                short = pre.group(1).strip(",.;:\"'")
                if is_short_form(short) and len(short.split()) == 1:
                    rel = find_long_form(short, inner_s)
                    if rel == 0 and _valid_long(short, inner_s):
                        pairs.append(AcronymPair(short, pre.start(1), inner_s, in_start))
    return pairs


def abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` can be read as an abbreviation of the whole of ``long``."""
    return find_long_form(short, long) == 0 and _valid_long(short, long)
