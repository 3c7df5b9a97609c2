"""Fit one linear classifier (scikit-learn's logistic regression) into a ``LinearModel``."""

from __future__ import annotations

import warnings

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from kg.extract.learned.linear import LinearModel, Rows

#: Bias given to a class the training rows never show: its probability is ~0.
ABSENT = -30.0


def design_matrix(rows: Rows, bits: int) -> sparse.csr_matrix:
    """The rows as scikit-learn input: hashed columns, then the dense columns."""
    n = len(rows)
    x = sparse.csr_matrix(
        (np.ones(len(rows.indices), dtype=np.float32), rows.indices, rows.indptr),
        shape=(n, 1 << bits),
    )
    if rows.dense is not None and rows.dense.shape[1]:
        x = sparse.hstack([x, sparse.csr_matrix(rows.dense)], format="csr")
    return x


def fit_linear(
    rows: Rows,
    labels: np.ndarray,
    classes: tuple[str, ...],
    bits: int,
    c: float,
    seed: int,
    max_iter: int = 300,
) -> LinearModel:
    """Multinomial logistic regression, L2 strength ``1/c``, deterministic for a seed."""
    n_dense = rows.dense.shape[1] if rows.dense is not None else 0
    weights = np.zeros(((1 << bits) + n_dense, len(classes)), dtype=np.float64)
    bias = np.full(len(classes), ABSENT)
    present = np.unique(labels)
    if len(present) == 1:
        bias[int(present[0])] = 0.0
    elif len(present) > 1:
        clf = LogisticRegression(C=c, max_iter=max_iter, random_state=seed, tol=1e-4)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(design_matrix(rows, bits), labels)
        coef, intercept = clf.coef_, clf.intercept_
        if len(clf.classes_) == 2:  # scikit-learn keeps one row for two classes
            coef = np.vstack([np.zeros_like(coef[0]), coef[0]])
            intercept = np.array([0.0, intercept[0]])
        for k, cls in enumerate(clf.classes_):
            weights[:, int(cls)] = coef[k]
            bias[int(cls)] = intercept[k]
    return LinearModel(
        classes=classes,
        bits=bits,
        sparse=weights[: 1 << bits].astype(np.float32),
        dense_w=weights[1 << bits :].astype(np.float32) if n_dense else None,
        bias=bias,
    )
