"""Hugging Face daily-paper listings copied from a browser (the ``seeds/`` files).

Two layouts, told apart by content, not by file name:

* Layout A: page chrome lines, then one title line and one abstract line per paper, no blank
  lines between them. The "Subscribe" button text is glued to the first title.
* Layout B: blank-line separated blocks: page chrome, then per paper a title block, an abstract
  block and usually a metadata block ("• 6 authors / · / Jul 18, 2023" or
  "SakanaAI Sakana AI / · / May 8"; the date line may end with an upvote count).

The page chrome and date grammar below describe the page format (like a file header), so
they live here rather than in a data file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, TextIO

from kg.ingest.problems import Problem
from kg.ingest.records import Record

#: Lines of page chrome that precede the first paper.
CHROME = (
    "Get trending papers in your email inbox once a day!",
    "Get trending papers in your email inbox!",
    "byAK and the research community",
    "Daily Papers",
    "Subscribe",
    "new",
)
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
_DATE = re.compile(
    r"^(?P<mon>[A-Z][a-z]{2})[a-z]*\.?\s+(?P<day>\d{1,2})"
    r"(?:,\s*(?P<year>\d{4}))?(?:\s+(?P<up>\d+))?$"
)
_AUTHORS = re.compile(r"^•?\s*(?P<n>\d+)\s+authors?$")
_DOT = "·"


def _is_chrome(line: str) -> bool:
    return line in CHROME or bool(_DATE.match(line))


def _is_meta(block: list[str]) -> bool:
    return _DOT in block or bool(block and _AUTHORS.match(block[0]))


def parse_meta(block: list[str]) -> dict[str, Any]:
    """Author count or organisation, date (ISO when the year is given) and upvotes."""
    meta: dict[str, Any] = {}
    for line in block:
        if line == _DOT:
            continue
        if m := _AUTHORS.match(line):
            meta["authors"] = int(m["n"])
        elif (m := _DATE.match(line)) and m["mon"].lower() in _MONTHS:
            month, day = _MONTHS[m["mon"].lower()], int(m["day"])
            if m["year"]:
                meta["date"] = f"{int(m['year']):04d}-{month:02d}-{day:02d}"
            else:
                meta["date_text"] = f"{m['mon']} {day}"
            if m["up"]:
                meta["upvotes"] = int(m["up"])
        elif "organisation" not in meta:
            org_id, _, name = line.partition(" ")
            meta["organisation_id"] = org_id
            meta["organisation"] = name.strip() or org_id
        else:
            meta.setdefault("listing_extra", []).append(line)
    return meta


def _unglue(text: str) -> str:
    """Remove page chrome glued to the first title ("SubscribeCerebras-GPT: ...")."""
    for word in sorted(CHROME, key=len, reverse=True):
        if text.startswith(word) and len(text) > len(word):
            return text[len(word) :].strip()
    return text


def _blocks(lines: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks as (first line number, stripped lines)."""
    out: list[tuple[int, list[str]]] = []
    cur: list[str] = []
    start = 0
    for no, text in lines:
        if text:
            if not cur:
                start = no
            cur.append(text)
        elif cur:
            out.append((start, cur))
            cur = []
    if cur:
        out.append((start, cur))
    return out


def detect_layout(lines: list[tuple[int, str]]) -> str:
    """ "B" when papers are blank-line separated blocks (or metadata blocks appear), else "A"."""
    blocks = _blocks(lines)
    if any(_DOT in b for _, b in blocks):
        return "B"
    nonblank = sum(len(b) for _, b in blocks)
    return "B" if nonblank and len(blocks) * 2 > nonblank else "A"


def _layout_a(lines: list[tuple[int, str]]) -> Iterator[Record]:
    content = [(no, t) for no, t in lines if t]
    i = 0
    while i < len(content) and _is_chrome(content[i][1]):
        i += 1
    if i and i < len(content):
        content[i] = (content[i][0], _unglue(content[i][1]))
    content = content[i:]
    for i in range(0, len(content), 2):
        no, title = content[i]
        abstract = content[i + 1][1] if i + 1 < len(content) else ""
        yield Record(title=title, abstract=abstract, line=no)


def _layout_b(lines: list[tuple[int, str]], path: str) -> Iterator[Record | Problem]:
    blocks = _blocks(lines)
    i = 0
    while i < len(blocks) and all(_is_chrome(x) for x in blocks[i][1]):
        i += 1
    if i and i < len(blocks):
        no, block = blocks[i]
        blocks[i] = (no, [_unglue(block[0]), *block[1:]])
    while i < len(blocks):
        no, block = blocks[i]
        i += 1
        if _is_meta(block):
            yield Problem(path, no, "metadata block without a paper before it; ignored", False)
            continue
        title, abstract, meta = " ".join(block), "", {}
        if i < len(blocks) and not _is_meta(blocks[i][1]):
            abstract = " ".join(blocks[i][1])
            i += 1
        if i < len(blocks) and _is_meta(blocks[i][1]):
            meta = parse_meta(blocks[i][1])
            i += 1
        yield Record(title=title, abstract=abstract, line=no, metadata=meta)


def read(stream: TextIO, path: str) -> Iterator[Record | Problem]:
    """Yield one record per listed paper, whichever layout the file uses."""
    lines = [(no, text.strip()) for no, text in enumerate(stream, 1)]
    if detect_layout(lines) == "A":
        yield from _layout_a(lines)
    else:
        yield from _layout_b(lines, path)
