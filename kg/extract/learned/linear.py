"""A multinomial linear classifier over hashed sparse features plus a few dense ones.

Training (``kg.learn``) fits it with scikit-learn; extraction only needs numpy: a row's score
is the sum of the weights of its hashed columns, plus its dense vector times the dense
weights. Weights are stored as a compressed ``.npz`` beside the model card.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(slots=True)
class Rows:
    """Feature rows in CSR form: row ``i`` has columns ``indices[indptr[i]:indptr[i+1]]``
    (each worth 1; a repeated column counts twice) and the dense vector ``dense[i]``."""

    indptr: np.ndarray
    indices: np.ndarray
    dense: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.indptr) - 1

    @classmethod
    def from_lists(cls, rows: list[np.ndarray], dense: np.ndarray | None = None) -> Rows:
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        if rows:
            indptr[1:] = np.cumsum([len(r) for r in rows])
        indices = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        return cls(indptr, indices.astype(np.int64), dense)

    def take(self, keep: np.ndarray) -> Rows:
        """The rows whose positions are in ``keep``."""
        parts = [self.indices[self.indptr[i] : self.indptr[i + 1]] for i in keep]
        dense = self.dense[keep] if self.dense is not None else None
        return Rows.from_lists(parts, dense)


def stack_rows(parts: list[Rows]) -> Rows:
    """One ``Rows`` of many (training tables are built a document at a time)."""
    indptr = [np.zeros(1, dtype=np.int64)]
    offset = 0
    for p in parts:
        indptr.append(p.indptr[1:] + offset)
        offset += int(p.indptr[-1])
    dense = [p.dense for p in parts if p.dense is not None]
    return Rows(
        np.concatenate(indptr),
        np.concatenate([p.indices for p in parts]) if parts else np.zeros(0, dtype=np.int64),
        np.vstack(dense) if dense and len(dense) == len(parts) else None,
    )


@dataclass(slots=True)
class LinearModel:
    """Weights of one classifier: ``classes[k]`` scores ``sparse[:, k]``, ``dense_w[:, k]``."""

    classes: tuple[str, ...]
    bits: int
    sparse: np.ndarray
    dense_w: np.ndarray | None
    bias: np.ndarray

    def scores(self, rows: Rows) -> np.ndarray:
        n = len(rows)
        out = np.tile(self.bias, (n, 1)).astype(np.float64)
        if n == 0:
            return out
        if len(rows.indices):
            # sum each row's weights: one gather, then one reduceat over the non-empty rows
            gathered = self.sparse[rows.indices]
            filled = np.flatnonzero(np.diff(rows.indptr))
            out[filled] += np.add.reduceat(gathered, rows.indptr[filled], axis=0)
        if self.dense_w is not None and rows.dense is not None:
            out += rows.dense @ self.dense_w
        return out

    def proba(self, rows: Rows) -> np.ndarray:
        """Class probabilities, one row per feature row (softmax of the scores)."""
        s = self.scores(rows)
        s -= s.max(axis=1, keepdims=True)
        e = np.exp(s)
        return e / e.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            classes=np.array(self.classes),
            bits=np.array(self.bits),
            sparse=self.sparse.astype(np.float32),
            dense_w=self.dense_w.astype(np.float32)
            if self.dense_w is not None
            else np.zeros((0, 0), np.float32),
            bias=self.bias.astype(np.float32),
        )

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        with np.load(path, allow_pickle=False) as z:
            dense_w = z["dense_w"]
            return cls(
                classes=tuple(str(c) for c in z["classes"]),
                bits=int(z["bits"]),
                sparse=z["sparse"].astype(np.float32),
                dense_w=dense_w if dense_w.size else None,
                bias=z["bias"].astype(np.float64),
            )
