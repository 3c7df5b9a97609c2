"""Problems found while reading input: what went wrong, where, and whether data was lost."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in one input file.

    ``line`` is 1-based; 0 means the whole file. ``fatal`` means input was lost (a record was
    skipped or a file could not be read); ``fatal=False`` is a warning: the data was kept.
    """

    path: str
    line: int
    message: str
    fatal: bool = True

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class IngestError(Exception):
    """Raised in strict mode; the message lists every problem so far with file and line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the input:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


@dataclass(frozen=True)
class SkippedRecord(Problem):
    """A problem that cost one record (counted in ``stats["skipped"]``), not a whole file."""
