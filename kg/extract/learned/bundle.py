"""A trained model on disk: three linear classifiers, their thresholds, and the card.

``kg/models/<name>/`` holds ``entity.npz`` (candidate mention -> none or a type), ``merge.npz``
(two entities whose names overlap -> one thing or two), ``role.npz``
(entity -> proposed or used), ``relation.npz`` (entity pair -> none or a relation),
``model.json`` (thresholds, hash sizes, what it was trained on) and ``CARD.md``. It loads
from the installed package, never from the network.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.extract.learned.linear import LinearModel
from kg.nlp import DEFAULT_MODEL

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
DEFAULT_MODEL_NAME = "default"
PARTS = ("entity", "merge", "role", "relation")
META_FILE = "model.json"


class ModelNotFound(FileNotFoundError):
    """No trained model where one was asked for."""


@dataclass(slots=True)
class Bundle:
    """The four classifiers and the thresholds chosen for them during training."""

    entity: LinearModel
    merge: LinearModel
    role: LinearModel
    relation: LinearModel
    thresholds: dict[str, float]
    meta: dict = field(default_factory=dict)
    digest: str = ""

    def save(self, folder: Path) -> None:
        """Write the weights and ``model.json`` (the card is written by ``kg.learn``)."""
        folder.mkdir(parents=True, exist_ok=True)
        for part in PARTS:
            getattr(self, part).save(folder / f"{part}.npz")
        meta = {**self.meta, "thresholds": self.thresholds}
        (folder / META_FILE).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def model_dir(name: str) -> Path:
    """Folder of a model: a name under ``kg/models``, or a path."""
    p = Path(name)
    return p if p.is_dir() or "/" in name or name.startswith(".") else MODELS_DIR / name


def model_digest(folder: Path) -> str:
    """Hash of a model's files: part of the extractor version (the cache key)."""
    h = hashlib.sha256()
    for part in (*PARTS, "model"):
        for path in sorted(folder.glob(f"{part}.*")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


def available(name: str = DEFAULT_MODEL_NAME) -> bool:
    folder = model_dir(name)
    return all((folder / f"{p}.npz").is_file() for p in PARTS) and (folder / META_FILE).is_file()


def require(name: str) -> None:
    """Raise ``ModelNotFound`` (naming the folder) unless a trained model is there."""
    if not available(name):
        raise ModelNotFound(f"no trained model at {model_dir(name)} (train one with `kg train`)")


@lru_cache(maxsize=4)
def load_bundle(name: str = DEFAULT_MODEL_NAME) -> Bundle:
    """Load a trained model by name (``kg/models/<name>``) or folder path."""
    require(name)
    folder = model_dir(name)
    meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    return Bundle(
        entity=LinearModel.load(folder / "entity.npz"),
        merge=LinearModel.load(folder / "merge.npz"),
        role=LinearModel.load(folder / "role.npz"),
        relation=LinearModel.load(folder / "relation.npz"),
        thresholds={k: float(v) for k, v in meta.get("thresholds", {}).items()},
        meta=meta,
        digest=model_digest(folder),
    )


def trained_pipeline(name: str = DEFAULT_MODEL_NAME) -> str | None:
    """The spaCy pipeline a model was trained on (``"blank"`` or a tagged model's name), or
    None when there is no such model: a model reads the kind of doc it learned from."""
    if not available(name):
        return None
    meta = json.loads((model_dir(name) / META_FILE).read_text(encoding="utf-8"))
    return str(meta.get("pipeline", DEFAULT_MODEL))


def trained_ids(name: str = DEFAULT_MODEL_NAME) -> frozenset[str]:
    """The ids of the papers a model was trained on (empty if it did not record them)."""
    if not available(name):
        return frozenset()
    return frozenset(load_bundle(name).meta.get("trained_ids", ()))
