"""The knowledge extraction reads: gazetteer, word lists and relation cues from ``kg/data``.

Kept as data so that adding a model name or a cue word is an edit to a file, not to code; the
hash of these files is part of the extractor version, so the build cache notices any change.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.model import ENTITY_TYPES, RELATIONS

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GAZETTEER_FILE = "gazetteer.tsv"
LEXICON_FILE = "lexicon.json"
RELATIONS_FILE = "relations.json"


class DataFileError(ValueError):
    """A data file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class GazetteerEntry:
    """One known entity: canonical name, type, other names, and whether case must match."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    case_sensitive: bool = False

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class RelationCues:
    """Cue phrases for one relation and the entity types it links."""

    relation: str
    head_types: frozenset[str]
    tail_types: frozenset[str]
    between: tuple[str, ...]
    sentence: tuple[str, ...]


@dataclass(frozen=True)
class Resources:
    """Everything the rules read, loaded once per process."""

    gazetteer: tuple[GazetteerEntry, ...]
    head_types: dict[str, tuple[str, ...]]
    ambiguous_heads: dict[str, str]
    weak_heads: frozenset[str]
    technical_modifiers: frozenset[str]
    generic_modifiers: frozenset[str]
    umbrella_terms: frozenset[str]
    proposal_verbs: frozenset[str]
    naming_cues: frozenset[str]
    survey_words: frozenset[str]
    not_names: frozenset[str]
    untagged_non_modifiers: frozenset[str]
    structural_heads: frozenset[str]
    #: small words a title's name may hold between its capitalised words ("Mixture of Experts")
    function_words_in_names: frozenset[str]
    type_nouns: dict[str, str]
    list_heads: dict[str, str]
    relation_cues: tuple[RelationCues, ...]
    digest: str = field(default="")

    def known_type(self, name: str) -> str:
        """Type of a gazetteer name or alias (exact case for case-sensitive entries)."""
        index = self.__dict__.get("_known")
        if index is None:
            index = {}
            for e in self.gazetteer:
                for n in e.all_names:
                    index[n if e.case_sensitive else n.lower()] = e.type
            object.__setattr__(self, "_known", index)
        return index.get(name) or index.get(name.lower(), "")

    def head_type(self, word: str) -> str:
        """The type a head word suggests ('' when it is not a technical head)."""
        types = self.head_types.get(word.lower(), ())
        if not types:
            return ""
        if len(types) == 1:
            return types[0]
        return self.ambiguous_heads.get(word.lower(), types[0])


def _read_gazetteer(path: Path) -> tuple[GazetteerEntry, ...]:
    entries: list[GazetteerEntry] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for lineno, row in enumerate(csv.reader(fh, delimiter="\t"), start=1):
            if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
                continue
            if len(row) < 2:
                raise DataFileError(f"{path}:{lineno}: expected 'type<TAB>name[...]'")
            etype, name = row[0].strip(), row[1].strip()
            if etype not in ENTITY_TYPES:
                raise DataFileError(f"{path}:{lineno}: unknown entity type {etype!r}")
            aliases = tuple(a.strip() for a in (row[2] if len(row) > 2 else "").split("|"))
            flags = {f.strip() for f in (row[3] if len(row) > 3 else "").split(",")}
            entries.append(
                GazetteerEntry(name, etype, tuple(a for a in aliases if a), "cs" in flags)
            )
    return tuple(entries)


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{path}:{exc.lineno}: {exc.msg}") from exc


def _lower_set(items: list[str]) -> frozenset[str]:
    return frozenset(i.lower() for i in items)


def data_digest(data_dir: Path = DATA_DIR) -> str:
    """Hash of every data file the rules read (part of ``Extractor.version``)."""
    h = hashlib.sha256()
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        h.update(path.relative_to(data_dir).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


@lru_cache(maxsize=4)
def load_resources(data_dir: Path = DATA_DIR) -> Resources:
    """Read and check the data files once per process."""
    lex = _read_json(data_dir / LEXICON_FILE)
    rel = _read_json(data_dir / RELATIONS_FILE)
    head_types: dict[str, list[str]] = {}
    for etype, words in lex["head_types"].items():
        for w in words:
            head_types.setdefault(w.lower(), []).append(etype)
    cues = []
    for name, spec in rel.items():
        if name.startswith("_"):
            continue
        if name not in RELATIONS:
            raise DataFileError(f"{data_dir / RELATIONS_FILE}: unknown relation {name!r}")
        cues.append(
            RelationCues(
                name,
                frozenset(spec["head_types"]),
                frozenset(spec["tail_types"]),
                tuple(c.lower() for c in spec["between"]),
                tuple(c.lower() for c in spec["sentence"]),
            )
        )
    return Resources(
        gazetteer=_read_gazetteer(data_dir / GAZETTEER_FILE),
        head_types={k: tuple(dict.fromkeys(v)) for k, v in head_types.items()},
        ambiguous_heads={
            k.lower(): v for k, v in lex["ambiguous_heads"].items() if not k.startswith("_")
        },
        weak_heads=_lower_set(lex["weak_heads"]),
        technical_modifiers=_lower_set(lex["technical_modifiers"]),
        generic_modifiers=_lower_set(lex["generic_modifiers"]),
        umbrella_terms=_lower_set(lex["umbrella_terms"]),
        proposal_verbs=_lower_set(lex["proposal_verbs"]),
        naming_cues=_lower_set(lex["naming_cues"]),
        survey_words=_lower_set(lex["survey_words"]),
        not_names=_lower_set(lex["not_names"]),
        untagged_non_modifiers=_lower_set(lex["untagged_non_modifiers"]),
        structural_heads=_lower_set(lex["structural_heads"]),
        function_words_in_names=_lower_set(lex["function_words_in_names"]),
        list_heads={
            w.lower(): t
            for t, words in lex["list_heads"].items()
            if not t.startswith("_")
            for w in words
        },
        type_nouns={
            w.lower(): t
            for t, words in lex["type_nouns"].items()
            if not t.startswith("_")
            for w in words
        },
        relation_cues=tuple(cues),
        digest=data_digest(data_dir),
    )
