"""Train the entity keep/drop filter on a gold file: ``python -m kg.extract.train_filter``.

For each mode (tagged English pipeline, rule-only blank pipeline) it extracts every rule
candidate from the gold abstracts, labels a candidate 1 when it matches a gold entity (lenient,
untyped, one-to-one as in :mod:`kg.evaluate`), and fits an L2-regularised logistic regression
(Newton's method, numpy only). The decision threshold is chosen on out-of-fold probabilities
(folds by paper), and the report gives the cross-validated F1 next to the rules' own, so the
filter ships only if it helps on papers it was not fitted on.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np

from kg.evaluate import load_jsonl, match
from kg.extract.entity_filter import FILTER_FILE
from kg.extract.extractor import Extractor
from kg.extract.features import FEATURES
from kg.extract.resources import DATA_DIR
from kg.io import atomic_write
from kg.model import Paper

L2 = 1.0
FOLDS = 5


def candidate_table(ex: Extractor, gold: dict) -> tuple[list[str], np.ndarray, np.ndarray, int]:
    """(paper id per row, X, y, number of gold entities) for every rule candidate."""
    ids: list[str] = []
    rows: list[list[float]] = []
    labels: list[int] = []
    n_gold = 0
    with ex.nlp.select_pipes(disable=["kg_relations", "kg_finalize"]):
        for pid, rec in gold.items():
            text = Paper(pid, rec.get("title", ""), rec.get("abstract", "")).text
            ents = ex.nlp(text)._.kg_entities or []
            ge = rec.get("entities", [])
            n_gold += len(ge)
            hit = {j for _i, j in match(ge, ents, True, False)}
            for j, e in enumerate(ents):
                ids.append(pid)
                rows.append(e["features"])
                labels.append(int(j in hit))
    return ids, np.array(rows, dtype=float), np.array(labels, dtype=float), n_gold


def fit(
    x: np.ndarray, y: np.ndarray, l2: float = L2, iters: int = 50, bias: int | None = None
) -> np.ndarray:
    """Logistic regression weights by Newton's method (the bias feature is not penalised)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[FEATURES.index("bias") if bias is None else bias] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))


def f1_at(p: np.ndarray, y: np.ndarray, n_gold: int, t: float) -> float:
    keep = p >= t
    tp = float((y[keep] == 1).sum())
    n_pred = float(keep.sum())
    return 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0


def out_of_fold(
    ids: list[str], x: np.ndarray, y: np.ndarray, seed: int = 0, bias: int | None = None
) -> np.ndarray:
    papers = sorted(set(ids))
    random.Random(seed).shuffle(papers)
    fold_of = {pid: k % FOLDS for k, pid in enumerate(papers)}
    folds = np.array([fold_of[i] for i in ids])
    oof = np.zeros(len(y))
    for k in range(FOLDS):
        test = folds == k
        w = fit(x[~test], y[~test], bias=bias)
        oof[test] = predict(w, x[test])
    return oof


def best_threshold(p: np.ndarray, y: np.ndarray, n_gold: int) -> tuple[float, float]:
    grid = [t / 100 for t in range(5, 80)]
    scores = [(f1_at(p, y, n_gold, t), -abs(t - 0.5), t) for t in grid]
    f1, _, t = max(scores)
    return t, f1


def train_mode(model: str, gold: dict) -> dict:
    ex = Extractor(model=model, learned_filter=False, learned=None)
    ids, x, y, n_gold = candidate_table(ex, gold)
    oof = out_of_fold(ids, x, y)
    threshold, cv_f1 = best_threshold(oof, y, n_gold)
    w = fit(x, y)
    return {
        "weights": [round(float(v), 6) for v in w],
        "threshold": threshold,
        "report": {
            "candidates": len(y),
            "positives": int(y.sum()),
            "gold_entities": n_gold,
            "rules_f1_untyped": round(f1_at(np.ones(len(y)), y, n_gold, 0.5), 4),
            "cv_f1_untyped": round(cv_f1, 4),
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="?", default="eval/dev.jsonl", type=Path)
    ap.add_argument("--out", default=DATA_DIR / FILTER_FILE, type=Path)
    args = ap.parse_args()
    gold = load_jsonl(args.gold)
    models = {"full": train_mode("en_core_web_sm", gold), "rules": train_mode("blank", gold)}
    for mode, m in models.items():
        print(mode, m["threshold"], m["report"])
    data = {
        "_about": "Entity keep/drop filter; written by python -m kg.extract.train_filter.",
        "trained_on": args.gold.as_posix(),
        "features": list(FEATURES),
        "models": models,
    }
    with atomic_write(args.out) as fh:
        json.dump(data, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
