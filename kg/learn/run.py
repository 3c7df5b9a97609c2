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
from kg.extract.extractor import build_pipeline
from kg.extract.resources import load_resources
from kg.learn.card import write_card
from kg.learn.data import Example, file_digest, load_examples
from kg.learn.experiments import cross_validate, evaluate, learning_curve, rules_predictions
from kg.learn.train import Log, TrainConfig, Trainer, gold_of, summarise


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
) -> TrainRun:
    """Train, save and measure a model as ``config_path`` says (paths relative to it)."""
    t0 = time.perf_counter()
    cfg, doc = TrainConfig.from_toml(config_path)
    data = doc.get("data", {})
    evaluation = doc.get("evaluation", {})
    base = config_path.resolve().parent
    model = data.get("pipeline", "en_core_web_sm")
    nlp = build_pipeline(model, candidates_only=True)
    if "tagger" not in nlp.pipe_names:
        raise ValueError(f"training needs a tagged pipeline; {model!r} did not load one")
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
    log(f"training the model on {', '.join(p.name for p in train_paths)}")
    bundle, report = trainer.train(examples(train_paths))
    bundle.meta = {
        "pipeline": model,
        "trained_on": [p.name for p in train_paths],
        "papers": len(examples(train_paths)),
        "config": cfg.as_dict(),
    }
    bundle.save(out)
    run = TrainRun(out=out, config=cfg, data={}, thresholds=bundle.thresholds)
    run.figures["out_of_fold"] = report["out_of_fold"]
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
    heldout = _paths(base, data.get("heldout"))
    if heldout:
        test = examples(heldout)
        log(f"scoring on {heldout[0].name} (never trained on)")
        rules = rules_predictions(test, model)
        run.figures["heldout"] = {
            "learned": evaluate(bundle, test, res),
            "rules": summarise(score(gold_of(test), rules)),
        }
    dev, dev_train = _paths(base, data.get("dev")), _paths(base, data.get("dev_train"))
    if dev and dev_train:
        log(f"training without {dev[0].name} to score on it")
        dev_bundle, _ = trainer.train(examples(dev_train))
        test = examples(dev)
        rules = rules_predictions(test, model)
        run.figures["dev"] = {
            "learned": evaluate(dev_bundle, test, res),
            "rules": summarise(score(gold_of(test), rules)),
        }
    cv_paths = _paths(base, data.get("cv"))
    if cv and cv_paths:
        k = int(evaluation.get("folds", 5))
        pool = examples(cv_paths)
        log(f"{k}-fold cross-validation over {cv_paths[0].name}")
        rules = rules_predictions(pool, model)
        run.figures["cv"] = cross_validate(
            trainer,
            pool,
            examples(_paths(base, data.get("cv_extra"))),
            k,
            cfg.seed,
            rules=rules,
            log=log,
        )
    if curve and heldout and cv_paths:
        fractions = [float(f) for f in evaluation.get("curve", [0.25, 0.5, 0.75, 1.0])]
        run.curve = learning_curve(
            trainer,
            examples(cv_paths),
            examples(heldout),
            fractions,
            cfg.seed,
            more=examples(_paths(base, data.get("curve_more"))),
        )
    run.seconds = time.perf_counter() - t0
    write_card(run, config_path)
    return run
