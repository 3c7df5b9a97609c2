"""Which reader reads a file: by suffix, and by content where the suffix says little (.txt)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.ingest import delimited, hf_listing, jsonl
from kg.ingest.problems import Problem
from kg.ingest.records import Record
from kg.ingest.textfile import TextFile, UnreadableFile, sniff_text

Item = Record | Problem
Reader = Callable[[TextFile, str], Iterator[Item]]

#: Suffixes picked up when a folder is given. ``.txt`` is sniffed: listing, JSONL, CSV or XML.
SUFFIXES: dict[str, str] = {
    ".txt": "sniff",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".xml": "atom",
    ".atom": "atom",
}


def _text_reader(fn: Callable[..., Iterator[Item]], newline: str | None = None, **kw: object):
    def run(tf: TextFile, path: str) -> Iterator[Item]:
        with tf.open(newline=newline) as stream:
            yield from fn(stream, path, **kw)

    return run


def _atom(tf: TextFile, path: str) -> Iterator[Item]:
    from kg.ingest import atom  # imported lazily: defusedxml is only needed for XML input

    yield from atom.read(tf.path, path)


READERS: dict[str, Reader] = {
    "listing": _text_reader(hf_listing.read),
    "jsonl": _text_reader(jsonl.read_jsonl),
    "json": _text_reader(jsonl.read_json),
    "csv": _text_reader(delimited.read, newline="", default_delimiter=","),
    "tsv": _text_reader(delimited.read, newline="", default_delimiter="\t"),
    "atom": _atom,
}


def sniff_format(suffix: str, sample: str) -> str:
    """Format name for a file: the suffix decides unless it is ``.txt`` or unknown."""
    kind = SUFFIXES.get(suffix.lower(), "sniff")
    head = sample.lstrip("\ufeff \t\r\n")
    if kind == "jsonl" and head.startswith("["):
        return "json"
    if kind != "sniff":
        return kind
    if head.startswith("<"):
        return "atom"
    if head.startswith("{"):
        return "jsonl"
    if head.startswith("["):
        return "json"
    first = head.split("\n", 1)[0].lower()
    cells = {c.strip().strip('"') for d in ",\t;|" for c in first.split(d)}
    if "title" in cells and cells & {"abstract", "summary"}:
        return "tsv" if "\t" in first else "csv"
    return "listing"


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | Problem]:
    """Files to read: files as given, folders walked recursively (sorted, known suffixes only)."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(
                (
                    f
                    for f in path.rglob("*")
                    if f.suffix.lower() in SUFFIXES
                    and f.is_file()
                    and not any(part.startswith(".") for part in f.relative_to(path).parts)
                ),
                key=lambda f: f.as_posix(),
            )
            if not found:
                known = ", ".join(sorted(SUFFIXES))
                yield Problem(str(path), 0, f"folder holds no input files ({known})")
            yield from found
        elif path.is_file():
            yield path
        elif path.exists():
            yield Problem(str(path), 0, "not a regular file")
        else:
            yield Problem(str(path), 0, "no such file or folder")


def read_file(path: Path) -> Iterator[Item]:
    """Every record and problem of one file; an unreadable file is one fatal problem."""
    name = str(path)
    try:
        tf = sniff_text(path)
    except UnreadableFile as exc:
        yield Problem(name, 0, f"{exc}; file skipped")
        return
    yield from tf.warnings
    reader = READERS[sniff_format(path.suffix, tf.sample)]
    try:
        yield from reader(tf, name)
    except UnicodeDecodeError as exc:  # checked up front; only if the file changed meanwhile
        yield Problem(name, 0, f"cannot decode ({exc.reason}); rest of file skipped")
    except OSError as exc:
        yield Problem(name, 0, f"read failed: {exc.strerror or exc}; rest of file skipped")
