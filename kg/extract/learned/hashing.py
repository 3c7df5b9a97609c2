"""Feature hashing: (slot, value) pairs to column indices of a fixed-size weight table.

Values are 64-bit string hashes (spaCy's ``hash_string``, the same numbers the tokenizer
stores in ``Token.lower``/``tag``/``shape``), so a feature costs no string work when it is a
token attribute, and indices are stable across processes and machines. A slot number keeps
"head word = attention" apart from "next word = attention".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.strings import hash_string

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_SLOT_MULT = 0xC2B2AE3D27D4EB4F
_MASK64 = (1 << 64) - 1


def slot_key(slot: int) -> np.uint64:
    """What ``mix`` XORs a slot's values with."""
    return np.uint64((slot * _SLOT_MULT) & _MASK64)


def mix(slot: int | np.ndarray, values: np.ndarray, bits: int) -> np.ndarray:
    """Column indices of ``values`` (uint64 hashes) in feature slot ``slot`` (or, given an
    array of ``slot_key`` values, each value in its own slot: many slots in one pass)."""
    key = slot if isinstance(slot, np.ndarray) else slot_key(slot)
    v = np.asarray(values, dtype=np.uint64) ^ key
    with np.errstate(over="ignore"):
        v = v * _GOLDEN
    v ^= v >> np.uint64(29)
    return (v >> np.uint64(64 - bits)).astype(np.int64)


def hstr(text: str) -> int:
    """The stable 64-bit hash of a string."""
    return int(hash_string(text))


def combine(a: np.ndarray | int, b: np.ndarray | int) -> np.ndarray:
    """A hash of two hashes (a conjunction feature: head word x length)."""
    with np.errstate(over="ignore"):
        return (np.asarray(a, dtype=np.uint64) * np.uint64(1000003)) ^ np.asarray(
            b, dtype=np.uint64
        )


def hash_rows(rows: Sequence[Sequence[str]], bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices of rows of named features (``"type=Model"``), for entity and pair rows:
    CSR ``(indptr, columns)``, all rows hashed in one numpy pass.

    Each row's columns are sorted, so a row does not depend on the order its features were
    listed in (a set's order changes with each process's string-hash seed, and float sums
    with the order of terms)."""
    lens = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    flat = np.fromiter(
        (hash_string(x) for r in rows for x in r), dtype=np.uint64, count=int(lens.sum())
    )
    cols = mix(0, flat, bits)
    order = np.lexsort((cols, np.repeat(np.arange(len(rows)), lens)))
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(lens)
    return indptr, cols[order]
