"""Record policy and deduplication on top of the per-format readers.

The policy is documented in the ``kg.ingest`` package docstring; this module implements it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from kg.ingest.problems import IngestError, Merge, Problem, SkippedRecord
from kg.ingest.records import Record, mint_id, title_key
from kg.ingest.registry import discover, read_file
from kg.model import Paper

LONG_ABSTRACT = 100_000
LONG_TITLE = 500
PathLike = str | os.PathLike[str]


@dataclass
class IngestResult:
    """Everything ``read_inputs`` found: distinct papers, problems, and counts."""

    papers: list[Paper] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    #: Every listing merged into an earlier paper, and why.
    merges: list[Merge] = field(default_factory=list)

    @property
    def fatal(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]


def _new_stats() -> dict[str, int]:
    return {
        "files": 0,
        "records": 0,
        "papers": 0,
        "duplicates": 0,
        "skipped": 0,
        "failed_files": 0,
    }


def _paper(rec: Record, source: str, problems: list[Problem]) -> Paper | None:
    """Apply the record policy; None when the record is skipped."""
    title = (rec.title or "").strip()
    if not title:
        problems.append(SkippedRecord(source, rec.line, "record has no title; skipped"))
        return None
    abstract = (rec.abstract or "").strip()
    if not abstract:
        problems.append(Problem(source, rec.line, "empty abstract; kept title-only", False))
    elif len(abstract) > LONG_ABSTRACT:
        msg = f"abstract is {len(abstract):,} characters (over {LONG_ABSTRACT:,}); kept whole"
        problems.append(Problem(source, rec.line, msg, False))
    if len(title) > LONG_TITLE:
        msg = f"title is {len(title):,} characters; is the file's layout what it seems?"
        problems.append(Problem(source, rec.line, msg, False))
    meta = dict(rec.metadata)
    meta["listings"] = 1
    return Paper(
        id=rec.id or mint_id(title),
        title=title,
        abstract=abstract,
        source=source,
        line=rec.line,
        metadata=meta,
    )


def _records(
    paths: Iterable[PathLike], problems: list[Problem], stats: dict[str, int]
) -> Iterator[tuple[Paper, bool]]:
    """Every record of every file as a Paper, policy applied, not yet deduplicated; with
    whether the record carried its own id."""
    for item in discover(paths):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        stats["files"] += 1
        before = stats["records"]
        file_failed = False
        reported = len(problems)
        for got in read_file(item):
            if isinstance(got, Problem):
                problems.append(got)
                if isinstance(got, SkippedRecord):
                    stats["skipped"] += 1
                elif got.fatal:
                    file_failed = True
                continue
            stats["records"] += 1
            paper = _paper(got, str(item), problems)
            if paper is None:
                stats["skipped"] += 1
            else:
                yield paper, bool(got.id)
        if file_failed:
            stats["failed_files"] += 1
        elif stats["records"] == before and len(problems) == reported:
            problems.append(Problem(str(item), 0, "no records found in this file", False))


@dataclass
class _Kept:
    """What dedup remembers of a kept paper (small, so memory stays bounded)."""

    id: str
    title_key: str
    metadata: dict[str, Any]
    source: str
    line: int
    #: The paper holds an explicit input id (its own, or one a merged listing brought).
    explicit: bool


class _Dedup:
    """Paper identity: an explicit id is the paper; a listing without one is its title.

    - a record with an id joins the paper of that id (same title), or else a paper of the same
      title that has no explicit id; records with different ids stay different papers, whatever
      their titles (a warning says so);
    - a record without an id joins the first paper of its title;
    - an id that already names a paper with another title gets a fresh id (a warning says so).

    Every merge is recorded in ``merges``.
    """

    def __init__(self, problems: list[Problem], merges: list[Merge]) -> None:
        self.by_title: dict[str, _Kept] = {}
        self.by_id: dict[str, _Kept] = {}
        self.problems = problems
        self.merges = merges

    def add(self, paper: Paper, explicit: bool) -> Paper | None:
        """The paper if it is new (possibly with a fresh id); None if it was merged."""
        key = title_key(paper.title)
        if explicit:
            same_id = self.by_id.get(paper.id)
            if same_id is not None and same_id.title_key == key:
                self._merge(paper, same_id, "same id")
                return None
            by_title = self.by_title.get(key)
            if same_id is None and by_title is not None:
                if not by_title.explicit:
                    by_title.explicit = True
                    self.by_id.setdefault(paper.id, by_title)
                    self._merge(paper, by_title, "same title; the earlier listing had no id")
                    return None
                msg = (
                    f"same title as paper {by_title.id} ({by_title.source}:{by_title.line}) "
                    "but another id: kept as two papers"
                )
                self.problems.append(Problem(paper.source, paper.line, msg, False))
        else:
            by_title = self.by_title.get(key)
            if by_title is not None:
                self._merge(paper, by_title, "same title")
                return None
        if paper.id in self.by_id:
            new_id = mint_id(paper.title)
            if new_id in self.by_id:
                new_id = f"{paper.id}-{new_id}"
            msg = f"id {paper.id!r} already names another paper; this one gets id {new_id!r}"
            self.problems.append(Problem(paper.source, paper.line, msg, False))
            paper.metadata.setdefault("input_id", paper.id)
            paper = replace(paper, id=new_id)
        kept = _Kept(paper.id, key, paper.metadata, paper.source, paper.line, explicit)
        self.by_id[paper.id] = kept
        self.by_title.setdefault(key, kept)
        return paper

    def _merge(self, paper: Paper, kept: _Kept, reason: str) -> None:
        meta = kept.metadata
        for k, v in paper.metadata.items():
            if k != "listings" and k not in meta:
                meta[k] = v
        if paper.id != kept.id:
            alt = meta.setdefault("other_ids", [])
            if paper.id not in alt and len(alt) < 100:
                alt.append(paper.id)
        meta["listings"] = meta.get("listings", 1) + 1
        self.merges.append(Merge(paper.source, paper.line, kept.id, kept.source, kept.line, reason))


def _check_strict(problems: list[Problem], seen: int) -> int:
    if any(p.fatal for p in problems[seen:]):
        raise IngestError(problems)
    return len(problems)


def iter_papers(
    paths: Iterable[PathLike] | PathLike,
    problems: list[Problem] | None = None,
    *,
    stats: dict[str, int] | None = None,
    strict: bool = False,
    merges: list[Merge] | None = None,
) -> Iterator[Paper]:
    """Stream distinct papers from files and folders, first listing first.

    Later duplicates merge into the metadata dict of the paper already yielded, so a consumer
    sees the final ``listings`` counts once the stream is exhausted. ``problems``, ``stats``
    and ``merges`` (if given) are filled as the stream advances.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    problems = problems if problems is not None else []
    stats = stats if stats is not None else {}
    stats.update(_new_stats())
    dedup = _Dedup(problems, merges if merges is not None else [])
    seen = len(problems)
    for paper, explicit in _records(paths, problems, stats):
        if strict:
            seen = _check_strict(problems, seen)
        kept = dedup.add(paper, explicit)
        if kept is None:
            stats["duplicates"] += 1
            continue
        stats["papers"] += 1
        yield kept
    if strict:
        _check_strict(problems, seen)


def read_inputs(paths: Iterable[PathLike] | PathLike, strict: bool = False) -> IngestResult:
    """Read files and folders into distinct papers; see the module docstring for the policy."""
    result = IngestResult()
    papers = iter_papers(
        paths, result.problems, stats=result.stats, strict=strict, merges=result.merges
    )
    result.papers = list(papers)
    return result


def iter_records(path: PathLike, problems: list[Problem] | None = None) -> Iterator[Paper]:
    """One file's records as Papers, policy applied but not deduplicated."""
    problems = problems if problems is not None else []
    for paper, _ in _records([path], problems, _new_stats()):
        yield paper
