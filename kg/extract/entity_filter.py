"""Learned keep/drop step over assembled entities: a small logistic regression.

The rules over-generate (a technical-looking phrase is not always a node a researcher wants);
the filter weighs general features of each entity (:mod:`kg.extract.features`) with weights
learned on the dev gold by ``python -m kg.extract.train_filter`` and stored in
``kg/data/entity_filter.json``, one model per mode (tagged pipeline or rule-only). An entity's
confidence becomes the model's probability. Without the file nothing is dropped.
"""

from __future__ import annotations

import json
import math
import operator
import warnings
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.features import FEATURES
from kg.extract.resources import DATA_DIR, DataFileError
from kg.extract.tokens import token_table

FILTER_FILE = "entity_filter.json"


def load_filter(path: Path | None = None) -> dict | None:
    """The stored filter models, or None when there is no file."""
    path = path or DATA_DIR / FILTER_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{path}:{exc.lineno}: {exc.msg}") from exc
    if tuple(data.get("features", ())) != FEATURES:
        # the rules changed since training: keep every candidate rather than misread weights
        warnings.warn(
            f"{path}: feature list differs from kg.extract.features; filter disabled until "
            "retrained with python -m kg.extract.train_filter",
            stacklevel=2,
        )
        return None
    return data


def probability(weights: list[float], x: list[float]) -> float:
    if len(weights) != len(x):
        raise ValueError(f"{len(weights)} weights for {len(x)} features")
    z = sum(map(operator.mul, weights, x))  # the same additions, in the same order
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class EntityFilter:
    def __init__(self, nlp: Language, name: str = "kg_filter", enabled: bool = True) -> None:
        self.name = name
        self.models = (load_filter() or {}).get("models", {}) if enabled else {}

    def __call__(self, doc: Doc) -> Doc:
        model = self.models.get("full" if token_table(doc).tagged else "rules")
        ents = doc._.kg_entities or []
        if model is None or not ents:
            return doc
        kept = []
        for ent in ents:
            p = probability(model["weights"], ent["features"])
            if p >= model["threshold"]:
                ent["confidence"] = round(p, 4)
                kept.append(ent)
        doc._.kg_entities = kept
        return doc


@Language.factory("kg_filter", default_config={"enabled": True})
def make_filter(nlp: Language, name: str, enabled: bool) -> EntityFilter:
    return EntityFilter(nlp, name, enabled)
