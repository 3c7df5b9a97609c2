"""Figures on papers a model never saw: k-fold cross-validation, held-out sets, a learning curve.

Every figure here comes from a model trained without the papers it is scored on; the rules'
figures on the same papers are computed beside them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from kg.evaluate import score
from kg.extract.extractor import Extractor
from kg.extract.resources import Resources
from kg.learn.data import Example
from kg.learn.train import Log, Trainer, folds_of, gold_of, mean_figures, predict, summarise
from kg.model import Paper


def rules_predictions(examples: Sequence[Example], model: str = "en_core_web_sm") -> dict:
    """What today's rules (no learned model) extract from the examples' papers."""
    ex = Extractor(model=model, learned=None)
    papers = [
        Paper(e.id, e.gold.get("title", "") or "", e.gold.get("abstract", "") or "")
        for e in examples
    ]
    return {pe.paper.id: pe.to_dict() for pe in ex.extract(papers)}


def cross_validate(
    trainer: Trainer,
    examples: Sequence[Example],
    extra: Sequence[Example],
    k: int,
    seed: int,
    rules: dict[str, dict] | None = None,
    log: Log | None = None,
) -> dict[str, Any]:
    """Mean figures over ``k`` folds of ``examples``; each fold's model trains on the other
    folds plus ``extra``, never on its own test papers."""
    log = log or trainer.log
    folds = folds_of(len(examples), k, seed)
    learned, baseline = [], []
    for f, test_ids in enumerate(folds):
        test = [examples[i] for i in test_ids]
        held = set(test_ids)
        train = [e for i, e in enumerate(examples) if i not in held] + list(extra)
        log(f"fold {f + 1}/{k}: train {len(train)} papers, test {len(test)}")
        bundle, _ = trainer.train(train)
        learned.append(summarise(score(gold_of(test), predict(bundle, test, trainer.res))))
        if rules is not None:
            baseline.append(summarise(score(gold_of(test), {e.id: rules[e.id] for e in test})))
        log(f"  fold {f + 1}: {learned[-1]}")
    out: dict[str, Any] = {"folds": k, "learned": mean_figures(learned), "per_fold": learned}
    if baseline:
        out["rules"] = mean_figures(baseline)
    return out


def evaluate(bundle, examples: Sequence[Example], res: Resources) -> dict[str, float]:
    return summarise(score(gold_of(examples), predict(bundle, examples, res)))


def learning_curve(
    trainer: Trainer,
    train: Sequence[Example],
    test: Sequence[Example],
    fractions: Sequence[float],
    seed: int,
    more: Sequence[Example] = (),
) -> list[dict[str, Any]]:
    """Figures on ``test`` for models trained on growing shares of ``train`` (a fixed
    shuffle, so each share contains the smaller ones), then on all of it plus ``more``."""
    order = list(range(len(train)))
    random.Random(seed).shuffle(order)
    points = []
    for frac in fractions:
        n = max(1, round(frac * len(train)))
        subset = [train[i] for i in sorted(order[:n])]
        trainer.log(f"learning curve: {n} papers ({frac:.0%})")
        bundle, _ = trainer.train(subset)
        points.append(
            {"train": f"{frac:.0%} of train", "papers": n, **evaluate(bundle, test, trainer.res)}
        )
    if more:
        trainer.log(f"learning curve: all of train + {len(more)} more")
        bundle, _ = trainer.train([*train, *more])
        points.append(
            {
                "train": "train + train_more",
                "papers": len(train) + len(more),
                **evaluate(bundle, test, trainer.res),
            }
        )
    return points
