"""The split every comparison script in eval/ scores: fold k of `eval/train.jsonl` is its papers
whose line number is k modulo 5, so two scripts run on fold k score the same papers."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")

FOLDS = 5


def fold_split(items: list[T], k: int) -> tuple[list[T], list[T]]:
    """(the other folds, fold ``k``) of ``items`` in file order."""
    rest = [x for i, x in enumerate(items) if i % FOLDS != k]
    return rest, [x for i, x in enumerate(items) if i % FOLDS == k]
