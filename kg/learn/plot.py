"""The learning curve as a PNG (needs matplotlib: ``pip install -e '.[train]'``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SERIES = (
    ("untyped", "entities, untyped"),
    ("typed", "entities, typed"),
    ("relations", "relations"),
)


def plot_curve(points: list[dict[str, Any]], path: Path, title: str) -> Path:
    """Held-out F1 against training papers; the last point (train + train_more) is marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    base = [p for p in points if "more" not in p["train"]]
    extra = [p for p in points if "more" in p["train"]]
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=120)
    for (key, label), colour in zip(SERIES, ("tab:blue", "tab:orange", "tab:green"), strict=True):
        ax.plot(
            [p["papers"] for p in base], [p[key] for p in base], "o-", color=colour, label=label
        )
        for p in extra:
            ax.plot([p["papers"]], [p[key]], marker="*", markersize=12, color=colour, linestyle="")
    if extra:
        ax.plot([], [], marker="*", markersize=12, color="grey", linestyle="", label="+ train_more")
    ax.set_xlabel("training papers (share of eval/train.jsonl)")
    ax.set_ylabel("lenient F1 on eval/heldout.jsonl")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.set_title(title)
    ax.legend(loc="lower right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
