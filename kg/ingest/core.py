"""Record policy and deduplication on top of the per-format readers.

The policy is documented in the ``kg.ingest`` package docstring; this module implements it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from kg.ingest.problems import IngestError, Problem, SkippedRecord
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
) -> Iterator[Paper]:
    """Every record of every file as a Paper, policy applied, not yet deduplicated."""
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
                yield paper
        if file_failed:
            stats["failed_files"] += 1
        elif stats["records"] == before and len(problems) == reported:
            problems.append(Problem(str(item), 0, "no records found in this file", False))


class _Dedup:
    """Seen title keys -> the kept paper's metadata (small), so memory stays bounded."""

    def __init__(self, problems: list[Problem]) -> None:
        self.kept: dict[str, tuple[str, dict[str, Any]]] = {}
        self.ids: dict[str, str] = {}
        self.problems = problems

    def add(self, paper: Paper) -> Paper | None:
        """The paper if it is new (possibly with a fresh id); None if a duplicate was merged."""
        key = title_key(paper.title)
        if key in self.kept:
            pid, meta = self.kept[key]
            for k, v in paper.metadata.items():
                if k != "listings" and k not in meta:
                    meta[k] = v
            if paper.id != pid:
                alt = meta.setdefault("other_ids", [])
                if paper.id not in alt and len(alt) < 100:
                    alt.append(paper.id)
            meta["listings"] = meta.get("listings", 1) + 1
            return None
        if paper.id in self.ids:
            new_id = mint_id(paper.title)
            if new_id in self.ids:
                new_id = f"{paper.id}-{new_id}"
            msg = f"id {paper.id!r} already names another paper; this one gets id {new_id!r}"
            self.problems.append(Problem(paper.source, paper.line, msg, False))
            paper.metadata.setdefault("input_id", paper.id)
            paper = replace(paper, id=new_id)
        self.ids[paper.id] = key
        self.kept[key] = (paper.id, paper.metadata)
        return paper


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
) -> Iterator[Paper]:
    """Stream distinct papers from files and folders, first listing first.

    Later duplicates merge into the metadata dict of the paper already yielded, so a consumer
    sees the final ``listings`` counts once the stream is exhausted. ``problems`` and ``stats``
    (if given) are filled as the stream advances.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    problems = problems if problems is not None else []
    stats = stats if stats is not None else {}
    stats.update(_new_stats())
    dedup = _Dedup(problems)
    seen = len(problems)
    for paper in _records(paths, problems, stats):
        if strict:
            seen = _check_strict(problems, seen)
        kept = dedup.add(paper)
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
    papers = iter_papers(paths, result.problems, stats=result.stats, strict=strict)
    result.papers = list(papers)
    return result


def iter_records(path: PathLike, problems: list[Problem] | None = None) -> Iterator[Paper]:
    """One file's records as Papers, policy applied but not deduplicated."""
    problems = problems if problems is not None else []
    yield from _records([path], problems, _new_stats())
