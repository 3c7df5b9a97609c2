"""Read papers from every supported input format into ``kg.model.Paper`` records.

Formats (``registry`` picks the reader by suffix, and by content for ``.txt``/unknown):
Hugging Face daily-paper listings, both layouts in ``seeds/`` (``hf_listing``); JSON Lines and
JSON lists, including arXiv metadata-snapshot records (``jsonl``, ``arxiv``); CSV/TSV with a
header (``delimited``); arXiv API Atom XML (``atom``). Folders are walked recursively in
sorted order, known suffixes only, hidden files skipped.

Bad-input policy (the same for every format; ``Problem.fatal`` means "input was lost"):

* a record with no title -> skipped, reported as a fatal problem with its file and line;
* a title but an empty abstract -> kept title-only, reported as a warning (``fatal=False``);
* an abstract over 100,000 characters -> kept whole, reported as a warning;
* a malformed record (broken JSON line, CSV row with the wrong number of fields) -> skipped,
  reported as a fatal problem; the rest of the file is still read;
* a file that cannot be read at all (empty, binary/NUL bytes, undecodable, CSV without a
  ``title`` or ``abstract`` column) -> one fatal problem for that file; other files are read;
* not UTF-8 -> read as Windows-1252/Latin-1 with a warning; UTF-16/32 need a BOM (or
  ASCII-heavy UTF-16 is recognised, with a warning); a UTF-8 BOM is dropped silently.

Nothing is dropped silently: every skip is in ``IngestResult.problems`` and in ``stats``.
``read_inputs(..., strict=True)`` raises ``IngestError`` at the first fatal problem; its
message lists every problem so far as ``path:line: message``. Warnings never stop a read.

Paper identity: an explicit input id is the paper. Records with different ids are different
papers whatever their titles (a warning notes a shared title); a record with an id joins the
paper of that id, or an earlier paper of the same title that has no id. A record without an id
joins the first paper of its normalised title key (NFKC, casefold, punctuation- and
whitespace-insensitive; ``title_key``). The first listing wins id, title, abstract, source and
line; later listings add metadata keys it lacks, their ids go to ``metadata["other_ids"]``, and
they are counted in ``metadata["listings"]``. Every merge is recorded with its reason in
``IngestResult.merges`` (``Merge``), and a build reports each one. An input id is kept as a
string; a record without one gets ``mint_id(title)`` = the first 10 hex digits of SHA-1 of the
title key, the recipe behind ``eval/dev.jsonl``'s ids. An id already taken by a paper with
another title gets a fresh id, with a warning.
``iter_papers`` streams with the same dedup, keeping only title keys and metadata dicts.
"""

from kg.ingest.core import (
    LONG_ABSTRACT,
    IngestResult,
    iter_papers,
    iter_records,
    read_inputs,
)
from kg.ingest.problems import IngestError, Merge, Problem
from kg.ingest.records import mint_id, title_key

__all__ = [
    "LONG_ABSTRACT",
    "IngestError",
    "IngestResult",
    "Merge",
    "Problem",
    "iter_papers",
    "iter_records",
    "mint_id",
    "read_inputs",
    "title_key",
]
