"""Name cleaning: what may be an entity name, and in what form.

Pure functions over strings, applied where any extractor's output becomes a typed record
(``kg.extract.extractor.to_extraction``) and again, defensively, in resolution. So whatever
finds the names (the rules, or a learned model), no node or alias carries markup or an
extraction artefact, and no node is a number, a size or a lone generic word:

- :func:`strip_markup` undoes LaTeX and text artefacts: ``Alignment~`` -> ``Alignment``,
  ``R\\'enyi`` -> ``Rényi``, ``\\%`` -> ``%``, ``\\textbf{X}`` -> ``X``, braces and ``$`` dropped,
  an unbalanced bracket cut (``LLM)-based`` -> ``LLM``, ``(DFA`` -> ``DFA``), a trailing
  adjective fragment dropped (``Transformer-based`` -> ``Transformer``);
- :func:`is_junk` says whether a cleaned name is never an entity: numbers and sizes (``7B``,
  ``1.5B``, ``2^k``, ``4x4``), URLs, single characters, and names that the word lists in
  ``kg/data/name_clean.json`` call generic (fields, vague words, metrics, hardware, software,
  organisations, natural languages);
- :func:`clean_name` is both: the cleaned name, or None;
- :func:`clean_extraction` applies them to one paper's entities and relations.

The word lists are data (``kg/data/name_clean.json``), not code.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.model import ExtractedEntity, ExtractedRelation

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "name_clean.json"

#: Names longer than this are run-on text, not names.
MAX_CHARS = 150

_INVISIBLE = re.compile("[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202f\u2060\ufeff]")
_ACCENTS = {
    "'": "\u0301",
    '"': "\u0308",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
}
_LATEX_ACCENT = re.compile(r"\\([\'\"`^~=.]|[uvHc](?=[\s{]))\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))")
_LATEX_ESCAPE = re.compile(r"\\([%&_#$])")
_LATEX_DROP = re.compile(r"\\(?:cite\w*|ref|eqref|label|footnote|url|href)\s*\{[^{}]*\}")
_LATEX_ARG = re.compile(r"\\[A-Za-z]+\s*\{([^{}]*)\}")
_LATEX_SYMBOLS = {
    "times": "×",
    "cdot": "·",
    "pm": "±",
    "approx": "≈",
    "sim": "~",
    "textquotesingle": "'",
    "textendash": "–",
    "textemdash": "—",
    "ldots": "…",
    "dots": "…",
}
_LATEX_WORD = re.compile(r"\\([A-Za-z]+)")
_SPACES = re.compile(r"\s+")
_FIRST_WORD = re.compile(r"[\s\-]")
#: A hardware word and a number: a device, not a method.
_HARDWARE_MODEL = re.compile(r"[\w]+[\s\-]\d+\w*")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_EDGE_PUNCT = " \t-–—.,;:!?'\"“”‘’«»*•·/|\\_"
#: Sizes and numbers: 7B, 1.5B, 100M, 2^k, 4x4, 7times7, 2024, 10%, 3D, 1st.
_NUMBER = re.compile(
    r"^[~≈<>]?\s*\d[\d.,]*\s*(?:%|[kmbt]|x|×|times|st|nd|rd|th|d|-?d)?$"
    r"|^\d[\d.,]*\s*(?:x|×|times|\*)\s*\d[\d.,]*$"
    r"|^\w{1,3}\s*\^\s*[\w{}()+-]+$",
    re.IGNORECASE,
)


_ACRONYM_PLURAL = re.compile(r"^[A-Z][A-Z0-9]*[A-Z0-9]s$")


def _word_key(word: str) -> str:
    """A word's list form: lower case, a plural ending dropped (LLMs, approaches, studies)."""
    if _ACRONYM_PLURAL.match(word):
        return word[:-1].lower()
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def norm(text: str) -> str:
    """Comparison form for the word lists: NFKC, lower case, one dash kind, plural s dropped."""
    s = _DASHES.sub("-", unicodedata.normalize("NFKC", text))
    return " ".join(_word_key(w) for w in s.split())


@dataclass(frozen=True)
class WordLists:
    """The lists of ``kg/data/name_clean.json``, each as a set of :func:`norm` forms."""

    generic_words: frozenset[str]
    generic_modifiers: frozenset[str]
    generic_heads: frozenset[str]
    generic_phrases: frozenset[str]
    fields: frozenset[str]
    languages: frozenset[str]
    metrics: frozenset[str]
    hardware: frozenset[str]
    software: frozenset[str]
    organisations: frozenset[str]
    trailing_fragments: frozenset[str]

    #: Whole names that are never an entity (the union of the lists above but the last).
    never_alone: frozenset[str] = frozenset()
    #: Words that name no particular thing (generic words, modifiers and heads).
    vague: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        union = (
            self.generic_words
            | self.generic_phrases
            | self.fields
            | self.languages
            | self.metrics
            | self.hardware
            | self.software
            | self.organisations
        )
        object.__setattr__(self, "never_alone", union)
        vague = self.generic_words | self.generic_modifiers | self.generic_heads
        object.__setattr__(self, "vague", vague)


@lru_cache(maxsize=4)
def load_word_lists(path: Path = DATA_FILE) -> WordLists:
    """Read the word lists once per process; a malformed file raises naming file and line."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:{exc.lineno}: {exc.msg}") from exc
    lists = {}
    for name in WordLists.__dataclass_fields__:
        if name in ("never_alone", "vague"):
            continue
        entry = data.get(name)
        if not isinstance(entry, dict) or not isinstance(entry.get("words"), list):
            raise ValueError(f"{path}: '{name}' must be an object with a 'words' list")
        lists[name] = frozenset(norm(w) for w in entry["words"] if isinstance(w, str))
    return WordLists(**lists)


def _accent(m: re.Match[str]) -> str:
    letter = m.group(2) or m.group(3)
    return unicodedata.normalize("NFC", letter + _ACCENTS[m.group(1)])


def _latex_word(m: re.Match[str]) -> str:
    return _LATEX_SYMBOLS.get(m.group(1), m.group(1))


def _balance(name: str) -> str:
    """Cut at an unbalanced bracket: ``LLM)-based`` -> ``LLM``; ``(DFA`` -> ``DFA``."""
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(name):
        if ch in "([{":
            stack.append((ch, i))
        elif ch in pairs:
            if stack and stack[-1][0] == pairs[ch]:
                stack.pop()
            elif i == 0:
                return _balance(name[1:])
            else:
                return _balance(name[:i])
    if stack:
        _, i = stack[0]
        return _balance(name[1:]) if i == 0 else _balance(name[:i])
    return name


def _strip_wrapping(name: str) -> str:
    """``(DFA)`` -> ``DFA``: brackets or quotes around the whole name."""
    while len(name) > 2 and name[0] + name[-1] in ("()", "[]", '""', "''", "“”", "‘’"):
        inner = name[1:-1]
        if _balance(inner) != inner:
            break
        name = inner.strip()
    return name


@lru_cache(maxsize=1 << 16)
def _fragment_re() -> re.Pattern[str]:
    words = sorted(load_word_lists().trailing_fragments, key=len, reverse=True)
    alt = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?:[\s)\]]*[-–]+|\s+)(?:{alt})$", re.IGNORECASE)


#: A name with nothing to strip: word characters and inner spaces, dashes, dots, +, /, '.
_PLAIN_NAME = re.compile(r"[^\W_](?:[\w.'+/-]| (?! ))*[\w+]|[^\W_]")


def strip_markup(name: str) -> str:
    """``name`` without LaTeX, invisible characters, unbalanced brackets or edge punctuation."""
    if _PLAIN_NAME.fullmatch(name) and not _fragment_re().search(name):
        return name  # the common case, and the fast one
    s = _INVISIBLE.sub("", name.replace("\u00a0", " "))
    s = _LATEX_ACCENT.sub(_accent, s)
    s = _LATEX_ESCAPE.sub(r"\1", s)
    s = _LATEX_DROP.sub(" ", s)
    for _ in range(3):  # nested \textbf{\emph{X}}
        s = _LATEX_ARG.sub(r"\1", s)
    s = _LATEX_WORD.sub(_latex_word, s)
    s = s.replace("~", " ").replace("$", "").replace("\\", " ")
    s = _SPACES.sub(" ", s).strip()
    for _ in range(4):
        before = s
        s = _strip_wrapping(s)
        s = _balance(s).strip()
        s = s.replace("{", "").replace("}", "")
        s = _fragment_re().sub("", s)
        s = s.strip(_EDGE_PUNCT)
        s = _SPACES.sub(" ", s)
        if s == before:
            break
    return s


@lru_cache(maxsize=1 << 16)
def is_junk(name: str) -> bool:
    """True when a (cleaned) name is never an entity: see the module docstring."""
    s = name.strip()
    if len(s) < 2 or len(s) > MAX_CHARS or not any(c.isalpha() for c in s):
        return True
    if "://" in s or s.lower().startswith("www.") or "=" in s:
        return True
    if _NUMBER.match(s):
        return True
    lists = load_word_lists()
    key = norm(s)
    if key in lists.never_alone:
        return True
    first = _FIRST_WORD.split(key, maxsplit=1)[0]
    if first in lists.hardware and (key == first or _HARDWARE_MODEL.fullmatch(key)):
        return True
    words = key.split()
    while words and words[0] in lists.generic_modifiers:
        words.pop(0)
    while words and words[-1] in lists.generic_heads:
        words.pop()
    core = " ".join(words)
    if not core or core in lists.never_alone:
        return True
    return all(w in lists.vague for w in words)


def clean_name(name: str) -> str | None:
    """The cleaned form of ``name``, or None when nothing of it is an entity name."""
    if not isinstance(name, str):
        return None
    return _clean(name)


@lru_cache(maxsize=1 << 18)
def _clean(name: str) -> str | None:
    # Cached: a corpus writes the same names again and again.
    s = strip_markup(name)
    return None if is_junk(s) else s


@lru_cache(maxsize=1 << 16)
def _fold(name: str) -> str:
    # Cached: called a dozen times per paper on the same few names, two regex passes each.
    return _SPACES.sub(" ", _DASHES.sub("-", name)).casefold()


def clean_extraction(
    entities: Iterable[ExtractedEntity], relations: Iterable[ExtractedRelation]
) -> tuple[list[ExtractedEntity], list[ExtractedRelation]]:
    """One paper's entities and relations with clean names.

    An entity whose name cleans to nothing is dropped (an alias that cleans to a name takes its
    place); aliases are cleaned, and dropped when junk or equal to the name; two entities whose
    names clean to the same name become one (aliases and evidence joined, ``proposed`` wins);
    a relation that loses an end, or whose ends become one entity, is dropped.
    """
    kept: dict[str, ExtractedEntity] = {}
    renamed: dict[str, str | None] = {}
    for ent in entities:
        cleaned_aliases = [c for c in map(clean_name, ent.aliases) if c]
        name = clean_name(ent.name)
        if name is None and cleaned_aliases:
            name = cleaned_aliases[0]
        if name is None:
            renamed[ent.name] = None
            continue
        fold = _fold(name)
        target = kept.get(fold)
        if target is None:
            target = kept[fold] = ExtractedEntity(
                name=name,
                type=ent.type,
                role=ent.role,
                aliases=[],
                confidence=ent.confidence,
                mentions=list(ent.mentions),
                source=ent.source,
            )
        else:
            target.mentions.extend(ent.mentions)
            target.confidence = max(target.confidence, ent.confidence)
            if ent.role == "proposed":
                target.role = "proposed"
        seen = {_fold(target.name), *map(_fold, target.aliases)}
        for alias in cleaned_aliases:
            if _fold(alias) not in seen:
                seen.add(_fold(alias))
                target.aliases.append(alias)
        renamed[ent.name] = target.name
    out_rels: list[ExtractedRelation] = []
    seen_rels: set[tuple[str, str, str]] = set()
    for rel in relations:
        head, tail = _end(rel.head, renamed, kept), _end(rel.tail, renamed, kept)
        if head is None or tail is None or head == tail:
            continue
        sig = (head, rel.relation, tail)
        if sig in seen_rels:
            continue
        seen_rels.add(sig)
        out_rels.append(ExtractedRelation(head, rel.relation, tail, rel.confidence, rel.evidence))
    return list(kept.values()), out_rels


def _end(name: str, renamed: dict[str, str | None], kept: dict[str, ExtractedEntity]) -> str | None:
    """The entity name a relation end becomes (None when its entity was dropped)."""
    if name in renamed:
        return renamed[name]
    cleaned = clean_name(name)
    ent = kept.get(_fold(cleaned)) if cleaned else None
    return ent.name if ent else None
