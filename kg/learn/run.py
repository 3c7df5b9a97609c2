"""``kg train``: train the shipped model from the files a config names, and measure it.

One call does it all, deterministically for the config's seed:

1. the model is trained on the config's ``[data] train`` files and written to ``--out``;
2. it is scored on the held-out file (which it never saw), beside today's rules;
3. a second model trained without the dev file is scored on dev;
4. a k-fold cross-validation over the ``cv`` file (each fold trains on the other folds plus
   ``cv_extra``) gives mean figures, beside the rules' on the same folds;
5. optionally, a learning curve on the held-out file.

The card (``CARD.md`` and ``card.json`` beside the weights) records the data hashes, the
config and every figure.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.evaluate import score
from kg.extract.extractor import Extractor, build_pipeline
from kg.extract.resources import load_resources
from kg.learn.card import write_card
from kg.learn.data import Example, file_digest, load_examples
from kg.learn.experiments import (
    Job,
    curve_jobs,
    curve_points,
    cv_figures,
    cv_jobs,
    rules_predictions,
    run_jobs,
)
from kg.learn.train import Log, TrainConfig, Trainer, gold_of, summarise
from kg.nlp import BLANK, DEFAULT_MODEL


@dataclass
class TrainRun:
    """What ``kg train`` did: where the model went and the figures it measured."""

    out: Path
    config: TrainConfig
    data: dict[str, Any]
    thresholds: dict[str, float]
    figures: dict[str, Any] = field(default_factory=dict)
    curve: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


def _paths(base: Path, value: str | Sequence[str] | None) -> list[Path]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    return [(base / v).resolve() for v in items]


def train_from_config(
    config_path: Path,
    out: Path,
    cv: bool = True,
    curve: bool = False,
    limit: int | None = None,
    log: Log = print,
    workers: int = 1,
) -> TrainRun:
    """Train, save and measure a model as ``config_path`` says (paths relative to it)."""
    t0 = time.perf_counter()
    cfg, doc = TrainConfig.from_toml(config_path)
    data = doc.get("data", {})
    evaluation = doc.get("evaluation", {})
    base = config_path.resolve().parent
    model = data.get("pipeline", BLANK)
    nlp = build_pipeline(model, candidates_only=True)
    if model != BLANK and "tagger" not in nlp.pipe_names:
        raise ValueError(f"{config_path}: pipeline {model!r} did not load a tagged pipeline")
    res = load_resources()
    trainer = Trainer(cfg, res, log=lambda m: log(f"  {m}"))
    cache: dict[Path, list[Example]] = {}

    def examples(paths: list[Path]) -> list[Example]:
        out_: list[Example] = []
        for p in paths:
            if p not in cache:
                log(f"reading {p}")
                cache[p] = load_examples(nlp, p, cfg.entity_bits, limit)
            out_.extend(cache[p])
        return out_

    train_paths = _paths(base, data.get("train"))
    if not train_paths:
        raise ValueError(f"{config_path}: [data] train names no file")
    heldout = _paths(base, data.get("heldout"))
    dev, dev_train = _paths(base, data.get("dev")), _paths(base, data.get("dev_train"))
    cv_paths = _paths(base, data.get("cv"))
    # Every model to train, parsed once here and trained in parallel below.
    jobs = [Job("shipped model", examples(train_paths), examples(heldout), keep=True)]
    if dev and dev_train:
        jobs.append(Job("without dev", examples(dev_train), examples(dev)))
    folds: list[Job] = []
    if cv and cv_paths:
        k = int(evaluation.get("folds", 5))
        folds = cv_jobs(
            examples(cv_paths), examples(_paths(base, data.get("cv_extra"))), k, cfg.seed
        )
    points: list[Job] = []
    if curve and heldout and cv_paths:
        fractions = [float(f) for f in evaluation.get("curve", [0.25, 0.5, 0.75, 1.0])]
        more = examples(_paths(base, data.get("curve_more")))
        points = curve_jobs(examples(cv_paths), examples(heldout), fractions, cfg.seed, more)
    everything = [*jobs, *folds, *points]
    log(f"training {len(everything)} models, {workers} at a time")
    results = run_jobs(trainer, everything, workers)
    # the rules' figures beside ours: the rules at their best, on the tagged English model
    rules_extractor = Extractor(model=data.get("rules_pipeline", DEFAULT_MODEL), learned=None)
    final = results[0]
    assert final.bundle is not None
    bundle = final.bundle
    bundle.meta = {
        "pipeline": model,
        "trained_on": [p.name for p in train_paths],
        "papers": len(examples(train_paths)),
        # ids only (no annotations): `kg eval` warns when it scores papers the model saw
        "trained_ids": sorted(e.id for e in examples(train_paths)),
        "config": cfg.as_dict(),
    }
    bundle.save(out)
    run = TrainRun(out=out, config=cfg, data={}, thresholds=bundle.thresholds)
    run.figures["out_of_fold"] = final.report["out_of_fold"]
    for role, key_ in (
        ("train", "train"),
        ("cv", "cv"),
        ("cv_extra", "cv_extra"),
        ("dev", "dev"),
        ("dev_train", "dev_train"),
        ("heldout", "heldout"),
        ("curve_more", "curve_more"),
    ):
        paths = _paths(base, data.get(key_))
        if paths:
            run.data[role] = [
                {"file": p.name, "sha256": file_digest([p]), "papers": len(examples([p]))}
                for p in paths
            ]
    if heldout:
        test = examples(heldout)
        rules = rules_predictions(test, rules_extractor)
        run.figures["heldout"] = {
            "learned": final.figures,
            "rules": summarise(score(gold_of(test), rules)),
        }
    if dev and dev_train:
        test = examples(dev)
        rules = rules_predictions(test, rules_extractor)
        run.figures["dev"] = {
            "learned": results[1].figures,
            "rules": summarise(score(gold_of(test), rules)),
        }
    if folds:
        fold_results = results[len(jobs) : len(jobs) + len(folds)]
        rules = rules_predictions(examples(cv_paths), rules_extractor)
        run.figures["cv"] = cv_figures(folds, fold_results, rules)
    if points:
        run.curve = curve_points(points, results[len(jobs) + len(folds) :])
    run.seconds = time.perf_counter() - t0
    write_card(run, config_path)
    return run
