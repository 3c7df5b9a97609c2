"""CSV and TSV with a header row naming ``title`` and ``abstract`` (or ``summary``) columns.

Streamed row by row through the csv module, so quoted fields may hold newlines, commas and
quotes. The field size limit is raised once: a 1 MB abstract is a legitimate cell.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from typing import TextIO

from kg.ingest.fields import record_from_mapping
from kg.ingest.problems import Problem, SkippedRecord
from kg.ingest.records import ABSTRACT_FIELDS, TITLE_FIELDS, Record

_DELIMITERS = (",", "\t", ";", "|")


def _raise_field_limit() -> None:
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(max(csv.field_size_limit(), min(limit, 1 << 31)))
            return
        except OverflowError:
            limit //= 2


def choose_delimiter(header_line: str, default: str) -> str:
    """The delimiter occurring most in the header line; ``default`` when none occurs."""
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: (counts[d], d == default))
    return best if counts[best] else default


def read(stream: TextIO, path: str, default_delimiter: str = ",") -> Iterator[Record | Problem]:
    """Yield a record per row; a malformed row is reported with its line and skipped."""
    _raise_field_limit()
    first = stream.readline()
    delimiter = choose_delimiter(first, default_delimiter)
    lines = _chain(first, stream)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        yield Problem(path, 1, f"cannot read the CSV header: {exc}")
        return
    names = [h.strip() for h in header]
    lowered = {n.lower() for n in names}
    missing = []
    if not lowered & set(TITLE_FIELDS):
        missing.append("title")
    if not lowered & set(ABSTRACT_FIELDS):
        missing.append("abstract")
    if missing:
        has = ", ".join(repr(n) for n in names) or "none"
        yield Problem(
            path, 1, f"missing column {' and '.join(map(repr, missing))}; the header has: {has}"
        )
        return
    prev = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield SkippedRecord(path, prev + 1, f"malformed CSV row: {exc}; skipped")
            if reader.line_num == prev:
                return
            prev = reader.line_num
            continue
        start, prev = prev + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            yield SkippedRecord(
                path, start, f"row has {len(row)} fields, the header has {len(names)}; skipped"
            )
            continue
        yield record_from_mapping(dict(zip(names, row, strict=True)), start)


def _chain(first: str, rest: TextIO) -> Iterator[str]:
    yield first
    yield from rest
