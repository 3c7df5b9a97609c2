"""Graph-gold lines whose type the annotated abstracts contradict by a clear majority.

The graph gold follows the annotated abstracts where the guidelines leave a type open
(`GRAPH_GOLD.md`, step 6). This prints each line that breaks that rule: a type other than the
one that at least two annotated entities, and three quarters of those named like the line,
carry. Run from the repo root: `python eval/check_graph_gold_types.py`; no output means none.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from kg.extract.normalize import name_key

HERE = Path(__file__).parent
ANNOTATED = ("train.jsonl", "train_more.jsonl", "dev.jsonl", "heldout.jsonl")


def annotated_types() -> dict[str, Counter]:
    """Normalised name -> how often annotators gave each type to an entity so named."""
    types: dict[str, Counter] = defaultdict(Counter)
    for name in ANNOTATED:
        for line in (HERE / name).read_text(encoding="utf-8").splitlines():
            for ent in json.loads(line)["entities"]:
                for key in {name_key(n) for n in (ent["name"], *ent.get("aliases", []))}:
                    types[key][ent["type"]] += 1
    return types


def main() -> int:
    types = annotated_types()
    bad = 0
    for line in (HERE / "graph_gold.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        if not gold.get("exists"):
            continue
        votes: Counter = Counter()
        for key in {name_key(n) for n in gold["names"]}:
            votes.update(types.get(key, {}))
        if not votes:
            continue
        top, n = votes.most_common(1)[0]
        if top != gold["type"] and n >= 2 and n / sum(votes.values()) >= 0.75:
            bad += 1
            print(f"{gold['canonical']}: gold {gold['type']}, annotated {dict(votes)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
