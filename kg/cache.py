"""Per-paper extraction cache, so a re-build extracts only what is new or changed.

Entries are keyed by (content hash of title + abstract, extractor version): an abstract that
changes, or a new release of the rules or gazetteers, misses the cache. The manifest remembers
which papers the last build held, so a build can say what was new, changed and removed.
SQLite keeps it one file in the output folder, safe against a crash mid-write.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.io import OutputError
from kg.model import (
    ExtractedEntity,
    ExtractedRelation,
    Paper,
    PaperExtraction,
    PaperNames,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS extraction (
    content_hash TEXT NOT NULL,
    extractor TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (content_hash, extractor)
);
CREATE TABLE IF NOT EXISTS names (
    content_hash TEXT NOT NULL,
    extractor TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (content_hash, extractor)
);
CREATE TABLE IF NOT EXISTS manifest (
    paper_id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL
);
"""


@dataclass
class Changes:
    """What differs between the input and the previous build."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


class ExtractionCache:
    """SQLite-backed store of extraction results; open one per build."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path)
            self.db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise OutputError(f"cannot open cache {self.path}: {exc}") from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One transaction; a failed write (disk full) rolls back and names the file."""
        try:
            with self.db:
                yield
        except sqlite3.Error as exc:
            raise OutputError(f"cannot write {self.path}: {exc}") from exc

    def missing(self, papers: Iterable[Paper], extractor: str) -> list[Paper]:
        """Papers whose (content, extractor) pair has no cached extraction."""
        have = {
            h
            for (h,) in self.db.execute(
                "SELECT content_hash FROM extraction WHERE extractor=?", (extractor,)
            )
        }
        return [p for p in papers if p.content_hash not in have]

    def put(self, extractions: Iterable[PaperExtraction], extractor: str) -> int:
        rows, names = [], []
        for pe in extractions:
            h = pe.paper.content_hash
            data = {
                "entities": [e.to_dict() for e in pe.entities],
                "relations": [r.to_dict() for r in pe.relations],
            }
            rows.append((h, extractor, json.dumps(data, ensure_ascii=False)))
            # What resolution reads, stored apart so a re-build need not decode the evidence.
            names.append((h, extractor, PaperNames.of(pe).to_json()))
        with self._writing():
            self.db.executemany("INSERT OR REPLACE INTO extraction VALUES (?, ?, ?)", rows)
            self.db.executemany("INSERT OR REPLACE INTO names VALUES (?, ?, ?)", names)
        return len(rows)

    def names(self, papers: Iterable[Paper], extractor: str) -> list[PaperNames]:
        """Every paper's :class:`PaperNames` (from the small ``names`` table; a cache written
        before it existed is filled in from the full extractions)."""
        papers = list(papers)
        stored = dict(
            self.db.execute("SELECT content_hash, data FROM names WHERE extractor=?", (extractor,))
        )
        out, filled = [], []
        for p in papers:
            text = stored.get(p.content_hash)
            if text is None:
                pe = self.get(p, extractor)
                if pe is None:
                    raise KeyError(f"no cached extraction for paper {p.id}")
                rec = PaperNames.of(pe)
                filled.append((p.content_hash, extractor, rec.to_json()))
                out.append(rec)
            else:
                out.append(PaperNames.from_json(p.id, text))
        if filled:
            with self._writing():
                self.db.executemany("INSERT OR REPLACE INTO names VALUES (?, ?, ?)", filled)
        return out

    def get(self, paper: Paper, extractor: str) -> PaperExtraction | None:
        row = self.db.execute(
            "SELECT data FROM extraction WHERE content_hash=? AND extractor=?",
            (paper.content_hash, extractor),
        ).fetchone()
        if row is None:
            return None
        d = json.loads(row[0])
        return PaperExtraction(
            paper=paper,
            entities=[ExtractedEntity.from_dict(e) for e in d["entities"]],
            relations=[ExtractedRelation.from_dict(r) for r in d["relations"]],
            extractor=extractor,
        )

    def iter_get(self, papers: Iterable[Paper], extractor: str) -> Iterator[PaperExtraction]:
        for p in papers:
            pe = self.get(p, extractor)
            if pe is None:
                raise KeyError(f"no cached extraction for paper {p.id}")
            yield pe

    def changes(self, papers: Iterable[Paper]) -> Changes:
        """Compare the input with the manifest of the previous build."""
        prev = dict(self.db.execute("SELECT paper_id, content_hash FROM manifest"))
        ch = Changes()
        seen = set()
        for p in papers:
            seen.add(p.id)
            old = prev.get(p.id)
            if old is None:
                ch.new.append(p.id)
            elif old != p.content_hash:
                ch.changed.append(p.id)
            else:
                ch.unchanged += 1
        ch.removed = sorted(set(prev) - seen)
        return ch

    def set_manifest(self, papers: Iterable[Paper]) -> None:
        with self._writing():
            self.db.execute("DELETE FROM manifest")
            self.db.executemany(
                "INSERT OR REPLACE INTO manifest VALUES (?, ?)",
                ((p.id, p.content_hash) for p in papers),
            )

    def prune(self, keep_extractor: str) -> None:
        """Drop entries of older extractor versions: they can never be hit again."""
        with self._writing():
            self.db.execute("DELETE FROM extraction WHERE extractor != ?", (keep_extractor,))
            self.db.execute("DELETE FROM names WHERE extractor != ?", (keep_extractor,))
