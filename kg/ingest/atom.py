"""arXiv API Atom feeds (``<feed><entry>...``), parsed incrementally with defusedxml's SAX.

SAX rather than ElementTree because its locator gives every entry's line number, which the
problem messages need; defusedxml refuses entity-expansion and external-entity tricks, since
a downloaded feed is untrusted input. The file is fed in chunks, so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler, feature_namespaces

import defusedxml.sax
from defusedxml import DefusedXmlException

from kg.ingest import arxiv
from kg.ingest.problems import Problem
from kg.ingest.records import Record, collapse_ws

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
_CHUNK = 64 * 1024
_TEXT = {
    (ATOM, "id"): "id",
    (ATOM, "title"): "title",
    (ATOM, "summary"): "summary",
    (ATOM, "published"): "published",
    (ATOM, "updated"): "updated",
    (ARXIV, "comment"): "comment",
    (ARXIV, "journal_ref"): "journal_ref",
    (ARXIV, "doi"): "doi",
}


class _EntryHandler(ContentHandler):
    """Collects finished entries into ``done`` as (line, fields) pairs."""

    def __init__(self) -> None:
        super().__init__()
        self.done: list[tuple[int, dict[str, Any]]] = []
        self.entry: dict[str, Any] | None = None
        self.line = 0
        self.field: str | None = None
        self.buf: list[str] = []
        self.depth = 0

    def startElementNS(self, name: tuple[str | None, str], qname: Any, attrs: Any) -> None:
        self.depth += 1
        if name == (ATOM, "entry") and self.entry is None:
            self.entry = {"authors": [], "categories": [], "links": []}
            self.line = self._locator.getLineNumber() if self._locator else 0
            self.entry_depth = self.depth
            return
        if self.entry is None:
            return
        child = self.depth == self.entry_depth + 1
        if child and name in _TEXT:
            self.field, self.buf = _TEXT[name], []
        elif name == (ATOM, "name") and self.depth == self.entry_depth + 2:
            self.field, self.buf = "author", []
        elif child and name == (ATOM, "category"):
            term = attrs.get((None, "term"))
            if term:
                self.entry["categories"].append(term)
        elif child and name == (ARXIV, "primary_category"):
            self.entry["primary_category"] = attrs.get((None, "term"))
        elif child and name == (ATOM, "link"):
            link = {k[1]: v for k, v in attrs.items()}
            self.entry["links"].append(link)

    def characters(self, content: str) -> None:
        if self.field is not None:
            self.buf.append(content)

    def endElementNS(self, name: tuple[str | None, str], qname: Any) -> None:
        if self.entry is not None:
            if name == (ATOM, "entry") and self.depth == self.entry_depth:
                self.done.append((self.line, self.entry))
                self.entry = None
            elif self.field is not None:
                text = "".join(self.buf)
                if self.field == "author":
                    self.entry["authors"].append(collapse_ws(text))
                else:
                    self.entry[self.field] = text
                self.field = None
        self.depth -= 1


def _record(line: int, e: dict[str, Any], path: str) -> Record | Problem:
    raw_id = (e.get("id") or "").strip()
    if "arxiv.org/api/errors" in raw_id:
        msg = collapse_ws(e.get("summary") or e.get("title") or "error entry")
        return Problem(path, line, f"the arXiv API returned an error: {msg}")
    meta: dict[str, Any] = {}
    rid: str | None = raw_id or None
    split = arxiv.split_abs_url(raw_id) if raw_id else None
    if split:
        rid, version = split
        meta["url"] = arxiv.abs_url(rid)
        if version:
            meta["version"] = version
        meta["entry_id"] = raw_id
    if e.get("published") and (date := arxiv.iso_date(e["published"])):
        meta["date"] = date
    if e.get("updated") and (updated := arxiv.iso_date(e["updated"])):
        meta["updated"] = updated
    if e["authors"]:
        meta["authors"] = len(e["authors"])
        meta["author_names"] = e["authors"]
        meta["authors_text"] = ", ".join(e["authors"])
    if e["categories"]:
        meta["categories"] = e["categories"]
    for key in ("primary_category", "doi", "comment", "journal_ref"):
        if e.get(key):
            meta[key] = collapse_ws(e[key])
    for link in e["links"]:
        if link.get("title") == "pdf" and link.get("href"):
            meta["pdf"] = link["href"]
    title = e.get("title")
    summary = e.get("summary")
    return Record(
        title=collapse_ws(title) if title is not None else None,
        abstract=collapse_ws(summary) if summary is not None else None,
        line=line,
        id=rid,
        metadata=meta,
    )


def read(file: Path, path: str) -> Iterator[Record | Problem]:
    """Yield a record per ``<entry>``; an XML error ends the file with a problem at its line."""
    handler = _EntryHandler()
    parser = defusedxml.sax.make_parser()
    parser.setFeature(feature_namespaces, True)
    parser.setContentHandler(handler)
    handler.setDocumentLocator(parser)  # feed() never sets one; the parser is its own locator
    with open(file, "rb") as fh:
        try:
            while chunk := fh.read(_CHUNK):
                parser.feed(chunk)
                yield from (_record(n, e, path) for n, e in handler.done)
                handler.done.clear()
            parser.close()
        except SAXParseException as exc:
            yield from (_record(n, e, path) for n, e in handler.done)
            msg = f"XML error at column {exc.getColumnNumber()}: {exc.getMessage()}"
            yield Problem(path, exc.getLineNumber(), f"{msg}; rest of file skipped")
            return
        except DefusedXmlException as exc:
            line = parser.getLineNumber() or 0
            yield Problem(path, line, f"unsafe XML refused ({exc}); rest of file skipped")
            return
    yield from (_record(n, e, path) for n, e in handler.done)
