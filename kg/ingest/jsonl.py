"""JSON Lines (one object per line, streamed) and JSON files holding a list of objects."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any, TextIO

from kg.ingest.fields import record_from_mapping
from kg.ingest.problems import Problem, SkippedRecord
from kg.ingest.records import Record


def _record(obj: Any, line: int, path: str) -> Record | Problem:
    if not isinstance(obj, dict):
        got = type(obj).__name__
        return SkippedRecord(path, line, f"expected a JSON object, got {got}; skipped")
    try:
        return record_from_mapping(obj, line)
    except TypeError as exc:
        return SkippedRecord(path, line, f"{exc}; skipped")


def read_jsonl(stream: TextIO, path: str) -> Iterator[Record | Problem]:
    """One object per line; a broken line is reported and skipped, the rest still read."""
    for no, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield SkippedRecord(path, no, f"invalid JSON at column {exc.colno}: {exc.msg}; skipped")
            continue
        yield _record(obj, no, path)


def read_json(stream: TextIO, path: str) -> Iterator[Record | Problem]:
    """A list of objects (or one object); falls back to JSON Lines when the file is that.

    The whole file is read: JSON has no line framing to stream by. Elements are decoded one by
    one so each record gets its line number and an error stops at the broken element only
    after the good ones before it.
    """
    text = stream.read()
    decoder = json.JSONDecoder()
    pos = _skip_ws(text, 0)
    if not text.startswith("[", pos):
        try:
            obj, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            obj, end = None, -1
        if end >= 0 and _skip_ws(text, end) == len(text):
            yield _record(obj, text.count("\n", 0, pos) + 1, path)
            return
        yield from read_jsonl(io.StringIO(text), path)
        return
    line, counted = 1, 0
    pos = _skip_ws(text, pos + 1)
    if text.startswith("]", pos):
        return
    while True:
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            obj, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            msg = f"invalid JSON at column {exc.colno}: {exc.msg}; rest of file skipped"
            yield Problem(path, exc.lineno, msg)
            return
        yield _record(obj, line, path)
        pos = _skip_ws(text, pos)
        if text.startswith(",", pos):
            pos = _skip_ws(text, pos + 1)
            continue
        if text.startswith("]", pos) and _skip_ws(text, pos + 1) == len(text):
            return
        where = text.count("\n", 0, pos) + 1
        msg = "invalid JSON: expected ',' or ']' after a list element; rest of file skipped"
        yield Problem(path, where, msg)
        return


def _skip_ws(text: str, pos: int) -> int:
    n = len(text)
    while pos < n and text[pos] in " \t\r\n":
        pos += 1
    return pos
