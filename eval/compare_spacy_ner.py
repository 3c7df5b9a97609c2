"""A spaCy NER trained on the same gold: the baseline the learned extractor's family is chosen over.

The issue that asked for a learned extractor suggested, for example, "a spaCy NER or
SpanCategorizer on the small English pipeline's tok2vec". This script trains that: spaCy's own
``ner`` component (transition-based, its own CNN ``tok2vec``, ``spacy init config --optimize
efficiency``), on the gold names found in the text (``kg.learn.data.gold_spans``, the mentions
the learned extractor learns from too), with a fixed seed. It trains on `eval/train.jsonl` and
`eval/train_more.jsonl`, stops early on `eval/dev.jsonl`, and scores papers it never saw
(`eval/heldout.jsonl`, or fold K of `eval/train.jsonl` as in `eval/compare_pipelines.py`).

Its mentions become entities the simplest way (one entity per normalised name, the type most of
its mentions have), with no roles or relations, so only the entity figures compare.

Run from the repo root (about 10-20 minutes on two cores):
`python eval/compare_spacy_ner.py heldout [--max-steps 4000]`.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import spacy
from folds import fold_split  # eval/folds.py: the scripts run from eval/, on sys.path
from spacy.cli.init_config import init_config
from spacy.cli.train import train as spacy_train
from spacy.tokens import DocBin, Span

from kg.evaluate import key, load_jsonl, score
from kg.learn.data import gold_spans
from kg.model import Paper

ROOT = Path(__file__).resolve().parent.parent


def _docs(nlp, recs: list[tuple[str, dict]]):
    texts = [Paper(pid, r.get("title", ""), r.get("abstract", "")).text for pid, r in recs]
    for (_, rec), doc in zip(recs, nlp.pipe(texts), strict=True):
        spans = gold_spans(doc, rec.get("entities", []))
        doc.ents = [Span(doc, s, e, label=t) for (s, e), t in sorted(spans.items())]
        yield doc


def _entities(doc) -> list[dict]:
    """One entity per normalised name; its type is the one most of its mentions have."""
    types: dict[str, Counter] = defaultdict(Counter)
    first: dict[str, str] = {}
    for ent in doc.ents:
        k = key(ent.text)
        if k:
            types[k][ent.label_] += 1
            first.setdefault(k, ent.text)
    return [
        {"name": first[k], "aliases": [], "type": c.most_common(1)[0][0], "role": "used"}
        for k, c in types.items()
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("test", help="'heldout' or a fold number 0-4 of eval/train.jsonl")
    ap.add_argument("--max-steps", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    train = list(load_jsonl(ROOT / "eval" / "train.jsonl").items())
    more = list(load_jsonl(ROOT / "eval" / "train_more.jsonl").items())
    dev = list(load_jsonl(ROOT / "eval" / "dev.jsonl").items())
    if args.test == "heldout":
        fit, test = train + more, list(load_jsonl(ROOT / "eval" / "heldout.jsonl").items())
    else:
        rest, test = fold_split(train, int(args.test))
        fit = rest + more
    blank = spacy.blank("en")
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        DocBin(docs=_docs(blank, fit)).to_disk(d / "train.spacy")
        DocBin(docs=_docs(blank, dev)).to_disk(d / "dev.spacy")
        config = init_config(lang="en", pipeline=["ner"], optimize="efficiency", gpu=False)
        config.to_disk(d / "config.cfg")
        overrides = {
            "paths.train": str(d / "train.spacy"),
            "paths.dev": str(d / "dev.spacy"),
            "system.seed": args.seed,
            "training.max_steps": args.max_steps,
            "training.eval_frequency": 200,
        }
        spacy_train(d / "config.cfg", d / "out", overrides=overrides)
        nlp = spacy.load(d / "out" / "model-best")
        texts = [Paper(pid, r.get("title", ""), r.get("abstract", "")).text for pid, r in test]
        pred = {
            pid: {"id": pid, "entities": _entities(doc), "relations": []}
            for (pid, _), doc in zip(test, nlp.pipe(texts), strict=True)
        }
    res = score(dict(test), pred)
    figures = {
        "untyped": res["lenient"]["f1"],
        "typed": res["lenient_typed"]["f1"],
        **{t: res[f"lenient_{t}"]["f1"] for t in ("Model", "Method", "Dataset", "Task")},
    }
    print(json.dumps({"extractor": "spacy-ner", "test": args.test, "papers": len(test), **figures}))


if __name__ == "__main__":
    main()
