"""Train the learned extractor on one spaCy pipeline and score it: how the pipeline was chosen.

The README's "Why the blank pipeline" table compares pipelines with this script. It trains as
`configs/train.toml` says, except for the pipeline, and scores papers the model never saw:

- `heldout`: trained on train, train_more and dev (the shipped model's data), scored on
  `eval/heldout.jsonl`;
- a fold number k (0-4): scored on the papers of `eval/train.jsonl` whose line number is k
  modulo 5, trained on the others plus train_more and dev.

Run from the repo root, with the `train` extra installed (about 3-5 minutes each):
`python eval/compare_pipelines.py blank heldout`, `python eval/compare_pipelines.py
en_core_web_sm 0`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from folds import fold_split  # eval/folds.py: the scripts run from eval/, on sys.path

from kg.evaluate import score
from kg.extract.extractor import build_pipeline
from kg.extract.resources import load_resources
from kg.learn.data import load_examples
from kg.learn.train import TrainConfig, Trainer, gold_of, predict, summarise

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pipeline", help="'blank' or a tagged spaCy pipeline (en_core_web_sm)")
    ap.add_argument("test", help="'heldout' or a fold number 0-4 of eval/train.jsonl")
    args = ap.parse_args()
    cfg, _ = TrainConfig.from_toml(ROOT / "configs" / "train.toml")
    nlp = build_pipeline(args.pipeline, candidates_only=True)
    if args.pipeline != "blank" and "tagger" not in nlp.pipe_names:
        raise SystemExit(f"{args.pipeline!r} did not load a tagged pipeline")

    def examples(name: str):
        return load_examples(nlp, ROOT / "eval" / name, cfg.entity_bits)

    train = examples("train.jsonl")
    extra = examples("train_more.jsonl") + examples("dev.jsonl")
    if args.test == "heldout":
        fit, test = train + extra, examples("heldout.jsonl")
    else:
        rest, test = fold_split(train, int(args.test))
        fit = rest + extra
    res = load_resources()
    bundle, _ = Trainer(cfg, res).train(fit)
    figures = summarise(score(gold_of(test), predict(bundle, test, res)))
    print(
        json.dumps(
            {
                "pipeline": args.pipeline,
                "test": args.test,
                "papers": len(test),
                "thresholds": bundle.thresholds,
                **{k: round(v, 3) for k, v in figures.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
