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


@dataclass(frozen=True)
class Merge:
    """A listing merged into a paper read earlier: the build reports each one.

    ``path``/``line`` is the merged listing; ``paper`` the id of the paper it joined, first
    listed at ``into_path``/``into_line``; ``reason`` says why (same id, or same title).
    """

    path: str
    line: int
    paper: str
    into_path: str
    into_line: int
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: merged into paper {self.paper} "
            f"({self.into_path}:{self.into_line}): {self.reason}"
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "paper": self.paper,
            "into_path": self.into_path,
            "into_line": self.into_line,
            "reason": self.reason,
        }
