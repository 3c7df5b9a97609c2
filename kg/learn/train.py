"""Train a learned-extractor bundle from examples: entity, role and relation classifiers.

The role and relation models learn from what the entity model really finds, not from the
gold entities: inside the training examples, each example's entities are predicted by an
entity model fitted on the *other* inner folds (cross-fitting), and its roles by a role model
fitted on the other folds, before relations are learned. The same out-of-fold predictions
choose each threshold. The final models are then fitted on all examples. So thresholds and
downstream models are tuned on predictions for papers the predicting model never saw.
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kg.evaluate import key, match, names_of, score, similarity
from kg.extract.extractor import to_extraction
from kg.extract.learned.bundle import Bundle
from kg.extract.learned.decode import (
    ENTITY_CLASSES,
    MERGE_CLASSES,
    RELATION_CLASSES,
    ROLE_CLASSES,
    allowed_relations,
    apply_merges,
    cues_of,
    decide_roles,
    decode_entities,
    decode_relations,
    extract_doc,
    merge_rows,
    pair_rows,
    role_rows,
    rule_entities_at,
)
from kg.extract.learned.features import Cues
from kg.extract.learned.linear import LinearModel, Rows, stack_rows
from kg.extract.resources import Resources
from kg.learn.data import Example
from kg.learn.fit import fit_linear
from kg.model import Paper

Log = Callable[[str], None]


def _quiet(_msg: str) -> None:
    return None


@dataclass
class TrainConfig:
    """How to train (the ``[train]`` table of the training config)."""

    seed: int = 0
    inner_folds: int = 3
    entity_bits: int = 18
    role_bits: int = 14
    relation_bits: int = 16
    entity_c: float = 0.3
    merge_bits: int = 12
    merge_c: float = 1.0
    role_c: float = 1.0
    relation_c: float = 0.3
    max_iter: int = 300
    entity_thresholds: list[float] = field(default_factory=lambda: [0.2, 0.25, 0.3, 0.35, 0.4])
    #: 1.01 means "never merge": the merge model must beat keeping entities apart.
    merge_thresholds: list[float] = field(default_factory=lambda: [0.3, 0.4, 0.5, 0.6, 0.7, 1.01])
    #: The merge threshold is the highest within this much of the best summed F1: a wrong merge
    #: in one paper splits a corpus entity (the paper's "Decision Trees" joined to its
    #: "Recurrent Decision Trees"), which the per-paper scorer barely sees; a missed one the
    #: corpus resolver often repairs.
    merge_slack: float = 0.0
    role_thresholds: list[float] = field(default_factory=lambda: [0.3, 0.4, 0.5, 0.6])
    relation_thresholds: list[float] = field(
        default_factory=lambda: [0.1, 0.15, 0.2, 0.25, 0.3, 0.35]
    )

    @classmethod
    def from_toml(cls, path: Path) -> tuple[TrainConfig, dict[str, Any]]:
        """The ``[train]`` settings, and the whole file (its ``[data]`` table names files)."""
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
        settings = doc.get("train", {})
        unknown = set(settings) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"{path}: unknown [train] settings: {', '.join(sorted(unknown))}")
        return cls(**settings), doc

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def folds_of(n: int, k: int, seed: int) -> list[list[int]]:
    """``k`` folds of ``range(n)``: shuffled with ``seed``, dealt round-robin, each sorted."""
    ids = list(range(n))
    random.Random(seed).shuffle(ids)
    return [sorted(ids[i::k]) for i in range(k)]


def gold_of(examples: Sequence[Example]) -> dict[str, dict]:
    return {ex.id: ex.gold for ex in examples}


def to_prediction(ex: Example, ents: list[dict], rels: list[dict]) -> dict:
    """What a build would record for this paper (names cleaned), in the gold shape."""
    paper = Paper(ex.id, ex.gold.get("title", "") or "", ex.gold.get("abstract", "") or "")
    return to_extraction(paper, {"entities": ents, "relations": rels}, "train").to_dict()


def _best(scores: dict[float, float]) -> float:
    """The threshold with the best score; among equal scores, the middle one."""
    top = max(scores.values())
    best = [t for t, s in sorted(scores.items()) if s >= top - 1e-9]
    return best[len(best) // 2]


def _highest_near_best(scores: dict[float, float], slack: float) -> float:
    """The highest threshold whose score is within ``slack`` of the best."""
    top = max(scores.values())
    return max(t for t, s in scores.items() if s >= top - slack - 1e-9)


@dataclass
class _Stage:
    """Out-of-fold predictions of the training examples, stage by stage."""

    mention_probs: list[np.ndarray]
    entities: list[list[dict]] = field(default_factory=list)
    role_probs: list[np.ndarray] = field(default_factory=list)
    proposed: list[list[bool]] = field(default_factory=list)


class Trainer:
    """Fits a bundle on examples; see the module docstring for the cross-fitting."""

    def __init__(self, cfg: TrainConfig, res: Resources, log: Log = _quiet) -> None:
        self.cfg = cfg
        self.res = res
        self.cues: Cues = cues_of(res)
        self.allowed = allowed_relations(res)
        self.log = log

    # -- fitting each model ---------------------------------------------------------------
    def fit_entity(self, examples: Sequence[Example]) -> LinearModel:
        cfg = self.cfg
        rows = stack_rows([ex.rows for ex in examples])
        labels = np.concatenate([ex.labels for ex in examples])
        return fit_linear(
            rows, labels, ENTITY_CLASSES, cfg.entity_bits, cfg.entity_c, cfg.seed, cfg.max_iter
        )

    def merge_rows(self, ex: Example, ents: list[dict]) -> tuple[list[tuple[int, int]], Rows]:
        return merge_rows(ex.view, ents, self.cfg.merge_bits)

    @staticmethod
    def merge_labels(ex: Example, ents: list[dict], pairs: list[tuple[int, int]]) -> np.ndarray:
        """1 when both entities are the same gold entity (the one each resembles most),
        0 when they are two gold entities, -1 when either is none (not learned from)."""
        gold = ex.gold.get("entities", [])

        def gold_id(ent: dict) -> int:
            best, who = 0.0, -1
            for i, g in enumerate(gold):
                sim = similarity(g, ent)
                if sim >= 0.5 and sim > best:
                    best, who = sim, i
            return who

        ids = [gold_id(e) for e in ents]
        return np.array(
            [-1 if ids[i] < 0 or ids[j] < 0 else int(ids[i] == ids[j]) for i, j in pairs],
            dtype=np.int64,
        )

    def role_rows(self, ex: Example, ents: list[dict]) -> Rows:
        return role_rows(ex.view, ents, self.cues, rule_entities_at(ex.view), self.cfg.role_bits)

    def role_labels(self, ex: Example, ents: list[dict]) -> np.ndarray:
        """Gold role of each entity the gold matches (leniently); -1 for the others."""
        gold = ex.gold.get("entities", [])
        matched = {j: i for i, j in match(gold, ents, True, False)}
        return np.array(
            [
                ROLE_CLASSES.index(gold[matched[j]].get("role", "used")) if j in matched else -1
                for j in range(len(ents))
            ],
            dtype=np.int64,
        )

    def fit_labelled(
        self,
        rows: list[Rows],
        labels: list[np.ndarray],
        classes: tuple[str, ...],
        bits: int,
        c: float,
    ) -> LinearModel:
        """Fit on the rows whose label is known (>= 0)."""
        keep_rows, keep_labels = [], []
        for r, y in zip(rows, labels, strict=True):
            idx = np.flatnonzero(y >= 0)
            if len(idx):
                keep_rows.append(r.take(idx))
                keep_labels.append(y[idx])
        if not keep_rows:
            return fit_linear(Rows.from_lists([]), np.zeros(0, np.int64), classes, bits, c, 0)
        return fit_linear(
            stack_rows(keep_rows),
            np.concatenate(keep_labels),
            classes,
            bits,
            c,
            self.cfg.seed,
            self.cfg.max_iter,
        )

    def out_of_fold(
        self,
        folds: list[list[int]],
        rows: list[Rows],
        labels: list[np.ndarray],
        classes: tuple[str, ...],
        bits: int,
        c: float,
    ) -> list[np.ndarray]:
        """Class probabilities of every example's rows from a model fitted on the other folds."""
        probs = [np.zeros((0, len(classes)))] * len(rows)
        for k, test in enumerate(folds):
            train = [i for j, f in enumerate(folds) if j != k for i in f] or test
            m = self.fit_labelled(
                [rows[i] for i in train], [labels[i] for i in train], classes, bits, c
            )
            for i in test:
                if len(rows[i]):
                    probs[i] = m.proba(rows[i])
        return probs

    def pair_rows(self, ex: Example, ents: list[dict], proposed: list[bool]):
        return pair_rows(ex.view, ents, proposed, self.res, self.cfg.relation_bits)

    def pair_labels(self, ex: Example, ents: list[dict], pairs: list[tuple[int, int]]):
        """Gold relation of each pair whose ends the gold matches, as the scorer pairs them."""
        gold = ex.gold.get("entities", [])
        matched = {j: i for i, j in match(gold, ents, True, False)}
        gindex = {key(n): i for i, g in enumerate(gold) for n in names_of(g)}
        grel: dict[tuple[int, int], str] = {}
        for r in ex.gold.get("relations", []):
            h, t = gindex.get(key(r.get("head", ""))), gindex.get(key(r.get("tail", "")))
            if h is not None and t is not None and r.get("relation") in RELATION_CLASSES:
                grel[(h, t)] = r["relation"]
        return np.array(
            [
                RELATION_CLASSES.index(grel.get((matched.get(h, -1), matched.get(t, -2)), "none"))
                for h, t in pairs
            ],
            dtype=np.int64,
        )

    # -- the whole bundle -----------------------------------------------------------------
    def train(self, examples: Sequence[Example]) -> tuple[Bundle, dict[str, Any]]:
        """A bundle fitted on ``examples``, and a report of its out-of-fold figures."""
        cfg = self.cfg
        n = len(examples)
        folds = folds_of(n, min(cfg.inner_folds, max(2, n)), cfg.seed + 1) if n > 1 else [[0]]
        stage = _Stage(mention_probs=[np.zeros((0, len(ENTITY_CLASSES)))] * n)
        # 1. out-of-fold mention probabilities
        for k, test in enumerate(folds):
            train = [i for j, f in enumerate(folds) if j != k for i in f] or test
            self.log(f"  entity model, inner fold {k + 1}/{len(folds)}")
            model = self.fit_entity([examples[i] for i in train])
            for i in test:
                stage.mention_probs[i] = model.proba(examples[i].rows)
        # 2. entity threshold, on out-of-fold entities
        gold = gold_of(examples)
        by_t: dict[float, float] = {}
        for t in cfg.entity_thresholds:
            preds = {
                ex.id: to_prediction(ex, self.entities(ex, p, t), [])
                for ex, p in zip(examples, stage.mention_probs, strict=True)
            }
            res = score(gold, preds)
            by_t[t] = res["lenient"]["f1"] + res["lenient_typed"]["f1"]
        t_entity = _best(by_t)
        decoded = [
            self.entities(ex, p, t_entity)
            for ex, p in zip(examples, stage.mention_probs, strict=True)
        ]
        # 2b. merges of overlapping names: out-of-fold probabilities, threshold on entity F1
        m_pairs, m_rows, m_labels = [], [], []
        for ex, ents in zip(examples, decoded, strict=True):
            pairs, rows = self.merge_rows(ex, ents)
            m_pairs.append(pairs)
            m_rows.append(rows)
            m_labels.append(self.merge_labels(ex, ents, pairs))
        m_probs = [
            p[:, 1]
            for p in self.out_of_fold(
                folds, m_rows, m_labels, MERGE_CLASSES, cfg.merge_bits, cfg.merge_c
            )
        ]
        by_t = {}
        for t in cfg.merge_thresholds:
            preds = {
                ex.id: to_prediction(ex, apply_merges(ex.view, ents, pairs, p, t), [])
                for ex, ents, pairs, p in zip(examples, decoded, m_pairs, m_probs, strict=True)
            }
            res = score(gold, preds)
            by_t[t] = res["lenient"]["f1"] + res["lenient_typed"]["f1"]
        t_merge = _highest_near_best(by_t, cfg.merge_slack) if cfg.merge_slack else _best(by_t)
        stage.entities = [
            apply_merges(ex.view, ents, pairs, p, t_merge)
            for ex, ents, pairs, p in zip(examples, decoded, m_pairs, m_probs, strict=True)
        ]
        # 3. roles: out-of-fold probabilities, threshold on the proposed F1
        r_rows = [self.role_rows(ex, e) for ex, e in zip(examples, stage.entities, strict=True)]
        r_labels = [self.role_labels(ex, e) for ex, e in zip(examples, stage.entities, strict=True)]
        stage.role_probs = [
            p[:, 1]
            for p in self.out_of_fold(
                folds, r_rows, r_labels, ROLE_CLASSES, cfg.role_bits, cfg.role_c
            )
        ]
        by_t = {}
        for t in cfg.role_thresholds:
            preds = {
                ex.id: to_prediction(ex, self.with_roles(ents, decide_roles(ents, p, t)), [])
                for ex, ents, p in zip(examples, stage.entities, stage.role_probs, strict=True)
            }
            by_t[t] = score(gold, preds)["proposed"]["f1"]
        t_role = _best(by_t)
        stage.proposed = [
            decide_roles(ents, p, t_role)
            for ents, p in zip(stage.entities, stage.role_probs, strict=True)
        ]
        # 4. relations: out-of-fold probabilities, threshold on the relation F1
        pairs_per, p_rows, p_labels = [], [], []
        for ex, ents, prop in zip(examples, stage.entities, stage.proposed, strict=True):
            pairs, rows = self.pair_rows(ex, self.with_roles(ents, prop), prop)
            pairs_per.append(pairs)
            p_rows.append(rows)
            p_labels.append(self.pair_labels(ex, ents, pairs))
        rel_probs = self.out_of_fold(
            folds, p_rows, p_labels, RELATION_CLASSES, cfg.relation_bits, cfg.relation_c
        )
        by_t = {}
        oof_scores: dict[float, dict] = {}
        for t in cfg.relation_thresholds:
            preds = {}
            for i, ex in enumerate(examples):
                ents = self.with_roles(stage.entities[i], stage.proposed[i])
                rels = decode_relations(ex.view, ents, pairs_per[i], rel_probs[i], self.allowed, t)
                preds[ex.id] = to_prediction(ex, ents, rels)
            oof_scores[t] = score(gold, preds)
            by_t[t] = oof_scores[t]["relations"]["f1"]
        t_rel = _best(by_t)
        # 5. final models on everything
        self.log("  final models")
        bundle = Bundle(
            entity=self.fit_entity(examples),
            merge=self.fit_labelled(m_rows, m_labels, MERGE_CLASSES, cfg.merge_bits, cfg.merge_c),
            role=self.fit_labelled(r_rows, r_labels, ROLE_CLASSES, cfg.role_bits, cfg.role_c),
            relation=self.fit_labelled(
                p_rows, p_labels, RELATION_CLASSES, cfg.relation_bits, cfg.relation_c
            ),
            thresholds={
                "entity": t_entity,
                "merge": t_merge,
                "role": t_role,
                "relation": t_rel,
            },
        )
        report = {"thresholds": bundle.thresholds, "out_of_fold": summarise(oof_scores[t_rel])}
        return bundle, report

    def entities(self, ex: Example, probs: np.ndarray, threshold: float) -> list[dict]:
        return decode_entities(ex.view, ex.cands, probs, threshold)

    @staticmethod
    def with_roles(ents: list[dict], proposed: Sequence[bool]) -> list[dict]:
        """Copies of ``ents`` with their roles from ``decide_roles``' flags."""
        return [
            {**e, "role": "proposed" if flag else "used"}
            for e, flag in zip(ents, proposed, strict=True)
        ]


def predict(bundle: Bundle, examples: Sequence[Example], res: Resources) -> dict[str, dict]:
    """Predictions of a bundle for examples, by the code path extraction runs."""
    out = {}
    for ex in examples:
        ents, rels = extract_doc(ex.doc, bundle, res)
        out[ex.id] = to_prediction(ex, ents, rels)
    return out


#: The figures reported for a model (lenient F1 unless named otherwise).
FIGURES: tuple[tuple[str, str], ...] = (
    ("untyped", "lenient"),
    ("typed", "lenient_typed"),
    ("Model", "lenient_Model"),
    ("Method", "lenient_Method"),
    ("Dataset", "lenient_Dataset"),
    ("Task", "lenient_Task"),
    ("proposed", "proposed"),
    ("relations", "relations"),
)


def summarise(res: dict[str, Any]) -> dict[str, float]:
    """The table's figures from a full ``kg.evaluate.score`` result."""
    return {name: float(res[k]["f1"]) for name, k in FIGURES}


def mean_figures(rows: Sequence[dict[str, float]]) -> dict[str, float]:
    return {name: round(float(np.mean([r[name] for r in rows])), 4) for name, _ in FIGURES}
