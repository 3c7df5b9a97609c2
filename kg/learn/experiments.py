"""Figures on papers a model never saw: k-fold cross-validation, held-out sets, a learning curve.

Every figure here comes from a model trained without the papers it is scored on; the rules'
figures on the same papers are computed beside them. Each model to train is a ``Job``; ``run_jobs``
trains them in parallel worker processes (forked, so the parsed examples are shared, not copied
or pickled), and the results are the same whatever the number of workers.
"""

from __future__ import annotations

import multiprocessing
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kg.evaluate import score
from kg.extract.extractor import Extractor
from kg.extract.learned.bundle import Bundle
from kg.extract.resources import Resources
from kg.learn.data import Example
from kg.learn.train import Trainer, folds_of, gold_of, mean_figures, predict, summarise
from kg.model import Paper


def rules_predictions(examples: Sequence[Example], rules: Extractor) -> dict:
    """What today's rules (``Extractor(learned=None)``) extract from the examples' papers."""
    papers = [
        Paper(e.id, e.gold.get("title", "") or "", e.gold.get("abstract", "") or "")
        for e in examples
    ]
    return {pe.paper.id: pe.to_dict() for pe in rules.extract(papers)}


def evaluate(bundle, examples: Sequence[Example], res: Resources) -> dict[str, float]:
    return summarise(score(gold_of(examples), predict(bundle, examples, res)))


@dataclass
class Job:
    """One model to train on ``train`` and score on ``test`` (papers it never saw)."""

    label: str
    train: list[Example]
    test: list[Example]
    keep: bool = False  # return the trained bundle (the shipped model), not only its figures


@dataclass
class JobResult:
    label: str
    figures: dict[str, float]
    bundle: Bundle | None = None
    report: dict[str, Any] = field(default_factory=dict)


def _run(trainer: Trainer, job: Job) -> JobResult:
    trainer.log(f"{job.label}: training on {len(job.train)} papers, scoring {len(job.test)}")
    bundle, report = trainer.train(job.train)
    figures = evaluate(bundle, job.test, trainer.res) if job.test else {}
    trainer.log(f"{job.label}: done {figures}")
    return JobResult(job.label, figures, bundle if job.keep else None, report if job.keep else {})


#: What forked workers read: set just before the pool starts (fork shares it, nothing pickled).
_STATE: tuple[Trainer, list[Job]] | None = None


def _run_index(i: int) -> JobResult:
    from threadpoolctl import threadpool_limits

    assert _STATE is not None
    trainer, jobs = _STATE
    with threadpool_limits(1):  # one core per worker: the workers are the parallelism
        return _run(trainer, jobs[i])


def run_jobs(trainer: Trainer, jobs: Sequence[Job], workers: int = 1) -> list[JobResult]:
    """Train and score every job, ``workers`` at a time; results in the jobs' order."""
    global _STATE
    if workers <= 1 or len(jobs) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [_run(trainer, job) for job in jobs]
    _STATE = (trainer, list(jobs))
    try:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(min(workers, len(jobs)), maxtasksperchild=1) as pool:
            return pool.map(_run_index, range(len(jobs)), chunksize=1)
    finally:
        _STATE = None


def cv_jobs(examples: Sequence[Example], extra: Sequence[Example], k: int, seed: int) -> list[Job]:
    """``k`` folds of ``examples``; each fold's model trains on the other folds plus ``extra``,
    never on its own test papers."""
    jobs = []
    for f, test_ids in enumerate(folds_of(len(examples), k, seed)):
        held = set(test_ids)
        train = [e for i, e in enumerate(examples) if i not in held] + list(extra)
        jobs.append(Job(f"fold {f + 1}/{k}", train, [examples[i] for i in test_ids]))
    return jobs


def cv_figures(
    jobs: Sequence[Job], results: Sequence[JobResult], rules: dict[str, dict] | None = None
) -> dict[str, Any]:
    """Mean figures over the folds, the rules' on the same folds beside them."""
    learned = [r.figures for r in results]
    out: dict[str, Any] = {
        "folds": len(jobs),
        "learned": mean_figures(learned),
        "per_fold": learned,
    }
    if rules is not None:
        baseline = [
            summarise(score(gold_of(j.test), {e.id: rules[e.id] for e in j.test})) for j in jobs
        ]
        out["rules"] = mean_figures(baseline)
    return out


def curve_jobs(
    train: Sequence[Example],
    test: Sequence[Example],
    fractions: Sequence[float],
    seed: int,
    more: Sequence[Example] = (),
) -> list[Job]:
    """Models trained on growing shares of ``train`` (a fixed shuffle, so each share contains
    the smaller ones), then on all of it plus ``more``, each scored on ``test``."""
    order = list(range(len(train)))
    random.Random(seed).shuffle(order)
    jobs = []
    for frac in fractions:
        n = max(1, round(frac * len(train)))
        jobs.append(Job(f"{frac:.0%} of train", [train[i] for i in sorted(order[:n])], list(test)))
    if more:
        jobs.append(Job("train + train_more", [*train, *more], list(test)))
    return jobs


def curve_points(jobs: Sequence[Job], results: Sequence[JobResult]) -> list[dict[str, Any]]:
    return [
        {"train": j.label, "papers": len(j.train), **r.figures}
        for j, r in zip(jobs, results, strict=True)
    ]
