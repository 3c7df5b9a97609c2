"""Graph-gold lines whose type the annotated abstracts contradict by a clear majority.

The graph gold follows the annotated abstracts where the guidelines leave a type open
(`GRAPH_GOLD.md`, step 6). This prints each line that breaks that rule: a type other than the
one that at least two annotated entities, and three quarters of those named like the line,
carry. Names are compared as the graph-gold scorer compares them (`kg.evaluate.key`). Run from
the repo root: `python eval/check_graph_gold_types.py`; no output (exit 0) means none.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

from kg.evaluate import key, load_jsonl, names_of
from kg.graph_eval import GoldName, load_graph_gold

HERE = Path(__file__).parent
ANNOTATED = ("train.jsonl", "train_more.jsonl", "dev.jsonl", "heldout.jsonl")


def annotated_types() -> dict[str, Counter]:
    """Name key -> how often annotators gave each type to an entity so named."""
    types: dict[str, Counter] = defaultdict(Counter)
    for name in ANNOTATED:
        for paper in load_jsonl(HERE / name).values():
            for ent in paper.get("entities", []):
                for k in {key(n) for n in names_of(ent)}:
                    types[k][ent["type"]] += 1
    return types


def main() -> int:
    types = annotated_types()
    lines: dict[int, tuple[GoldName, set[str]]] = {}
    for k, gold in load_graph_gold(HERE / "graph_gold.jsonl").items():
        lines.setdefault(gold.line, (gold, set()))[1].add(k)
    bad = 0
    for gold, keys in lines.values():
        if not gold.exists:
            continue
        votes: Counter = Counter()
        for k in keys:
            votes.update(types.get(k, {}))
        if not votes:
            continue
        top, n = votes.most_common(1)[0]
        if top != gold.type and n >= 2 and n / sum(votes.values()) >= 0.75:
            bad += 1
            print(f"line {gold.line}: {gold.canonical}: gold {gold.type}, annotated {dict(votes)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
