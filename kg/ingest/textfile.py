"""Decide how to decode a file before any reader sees it.

Readers stream, so the encoding must be settled up front: BOMs choose UTF-8/16/32; otherwise
the whole file is checked as UTF-8 in bounded chunks and, if that fails, read as Windows-1252
(or Latin-1 where 1252 has holes) with a warning. Empty and binary files are refused here so
every reader can assume text.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from kg.ingest.problems import Problem

SAMPLE_BYTES = 64 * 1024
_CHUNK = 1 << 20
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)


class UnreadableFile(Exception):
    """The file cannot be read as text at all; the message says why."""


@dataclass
class TextFile:
    """A file that can be read as text: its encoding, a decoded sample, and any warnings."""

    path: Path
    encoding: str
    sample: str
    warnings: list[Problem] = field(default_factory=list)

    def open(self, newline: str | None = None) -> TextIO:
        """Open for streaming; ``newline=""`` for the csv module, else universal newlines."""
        return open(self.path, encoding=self.encoding, errors="strict", newline=newline)


def _bom_less_utf16(sample: bytes) -> str | None:
    """Recognise UTF-16 without a BOM by where the NUL bytes fall (ASCII-heavy text)."""
    even, odd = sample[0::2], sample[1::2]
    if not odd:
        return None
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _first_decode_error(path: Path, encoding: str) -> tuple[int, int, str] | None:
    """Stream the file through ``encoding``: (byte offset, line, reason) of the first error."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    newlines = 0
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(_CHUNK)
            final = not chunk
            try:
                decoder.decode(chunk, final=final)
            except UnicodeDecodeError as exc:
                # exc.start indexes the decoder's buffered input: the pending bytes + chunk.
                pending = len(decoder.getstate()[0]) if hasattr(decoder, "getstate") else 0
                bad = max(0, exc.start - pending)
                line = newlines + chunk[:bad].count(b"\n") + 1
                return offset + bad, line, exc.reason
            if final:
                return None
            newlines += chunk.count(b"\n")
            offset += len(chunk)


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for c in text if c not in "\t\n\r\f\v" and unicodedata.category(c) == "Cc")
    return bad / len(text)


def sniff_text(path: Path) -> TextFile:
    """Choose an encoding for ``path`` or raise ``UnreadableFile`` naming the reason."""
    name = str(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(SAMPLE_BYTES)
    except OSError as exc:
        raise UnreadableFile(f"cannot open: {exc.strerror or exc}") from exc
    if not raw:
        raise UnreadableFile("empty file")
    warnings: list[Problem] = []
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), None)
    if encoding is None:
        for magic, what in _MAGIC:
            if raw.startswith(magic):
                raise UnreadableFile(f"binary file ({what}), not text")
        if b"\x00" in raw:
            encoding = _bom_less_utf16(raw)
            if encoding is None:
                raise UnreadableFile(f"binary file (NUL byte at offset {raw.index(0)}), not text")
            warnings.append(Problem(name, 0, f"no byte-order mark; read as {encoding}", False))
        else:
            encoding = "utf-8"
    err = _first_decode_error(path, encoding)
    if err is not None:
        offset, line, reason = err
        if encoding != "utf-8":
            raise UnreadableFile(f"cannot decode as {encoding} at byte {offset}: {reason}")
        encoding = "cp1252" if _first_decode_error(path, "cp1252") is None else "latin-1"
        label = "Windows-1252" if encoding == "cp1252" else "Latin-1"
        msg = f"not valid UTF-8 (byte {offset}: {reason}); read as {label}"
        warnings.append(Problem(name, line, msg, False))
    sample = raw.decode(encoding, errors="ignore")
    if len(raw) < SAMPLE_BYTES and not sample.strip():
        raise UnreadableFile("file holds only whitespace")
    if _control_ratio(sample[:8192]) > 0.02:
        raise UnreadableFile("binary file (control characters), not text")
    return TextFile(path, encoding, sample, warnings)
