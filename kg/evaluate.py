"""Score predicted entities and relations against a gold file (both in the gold JSONL shape).

The rules (the same as the project's reference scorer, so figures are comparable):

- Matching is one-to-one within a paper: each gold entity pairs with at most one prediction,
  best similarity first, so an alias left as a second entity counts as a false positive.
- *strict*: some name or alias of each has the same normalised key (case, dashes, a leading
  article, a plural ``s`` and punctuation ignored);
  *lenient*: strict, or the word sets of some name/alias pair have Jaccard >= 0.5.
- *typed* scores also need equal types; per-type figures are lenient and typed.
- Roles: among lenient untyped matches, the share with the right role; ``proposed`` P/R/F1
  counts matched pairs that are both ``proposed``.
- Relations: an endpoint is a matched entity (found through any of its names), so a relation
  counts when its head, relation and tail all line up with a gold relation.

:func:`errors` lists, paper by paper, what these rules counted as missed or spurious.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

TYPES: tuple[str, ...] = ("Model", "Method", "Dataset", "Task")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
EXACT = 2.0  # similarity of a strict (key-equal) match; above any Jaccard value


class GoldFileError(ValueError):
    """A gold or prediction file is malformed; the message names the file and line."""


def words(name: str) -> list[str]:
    """Normalised words of a name: NFKC, lower case, one dash kind, no leading article,
    a plural ``s`` dropped from words longer than three letters (but not from ``-ss``)."""
    s = _DASHES.sub("-", unicodedata.normalize("NFKC", name).lower())
    toks = _TOKEN.findall(s)
    if toks and toks[0] in ("the", "a", "an"):
        toks = toks[1:]
    return [t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith("ss") else t for t in toks]


def key(name: str) -> str:
    """Strict-match key: the normalised words run together."""
    return "".join(words(name))


def names_of(entity: Mapping[str, Any]) -> list[str]:
    return [entity.get("name", ""), *(entity.get("aliases") or [])]


def similarity(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> float:
    """``EXACT`` when some names share a key, else the best word-set Jaccard over name pairs."""
    best = 0.0
    for a in names_of(gold):
        ka, wa = key(a), set(words(a))
        for b in names_of(pred):
            if ka and ka == key(b):
                return EXACT
            wb = set(words(b))
            if wa and wb:
                best = max(best, len(wa & wb) / len(wa | wb))
    return best


def match(
    gold: list[Mapping[str, Any]], pred: list[Mapping[str, Any]], lenient: bool, typed: bool
) -> list[tuple[int, int]]:
    """Greedy one-to-one matching, highest similarity first: (gold index, pred index) pairs."""
    candidates: list[tuple[float, int, int]] = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if typed and g.get("type") != p.get("type"):
                continue
            s = similarity(g, p)
            if s >= EXACT or (lenient and s >= 0.5):
                candidates.append((s, i, j))
    # ties are broken by the larger indices first, as the reference scorer does
    candidates.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _s, i, j in candidates:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def prf(tp: int, n_gold: int, n_pred: int) -> dict[str, float | int]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "p": round(p, 4),
        "r": round(r, 4),
        "f1": round(f, 4),
        "tp": tp,
        "gold": n_gold,
        "pred": n_pred,
    }


def _entities(rec: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    return list((rec or {}).get("entities", []))


def _entity_scores(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for mode in ("strict", "lenient"):
        for typed in (False, True):
            tp = ng = np_ = 0
            for pid, g in gold.items():
                ge, pe = _entities(g), _entities(pred.get(pid))
                tp += len(match(ge, pe, mode == "lenient", typed))
                ng += len(ge)
                np_ += len(pe)
            out[f"{mode}_typed" if typed else mode] = prf(tp, ng, np_)
    for t in TYPES:
        tp = ng = np_ = 0
        for pid, g in gold.items():
            ge = [e for e in _entities(g) if e.get("type") == t]
            pe = [e for e in _entities(pred.get(pid)) if e.get("type") == t]
            tp += len(match(ge, pe, True, True))
            ng += len(ge)
            np_ += len(pe)
        out[f"lenient_{t}"] = prf(tp, ng, np_)
    return out


def _role_scores(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> dict[str, Any]:
    right = matched = tp = ng = np_ = 0
    for pid, g in gold.items():
        ge, pe = _entities(g), _entities(pred.get(pid))
        for i, j in match(ge, pe, True, False):
            matched += 1
            right += ge[i].get("role") == pe[j].get("role")
            tp += ge[i].get("role") == "proposed" and pe[j].get("role") == "proposed"
        ng += sum(e.get("role") == "proposed" for e in ge)
        np_ += sum(e.get("role") == "proposed" for e in pe)
    return {
        "role_accuracy": round(right / matched, 4) if matched else 0.0,
        "proposed": prf(tp, ng, np_),
    }


def _relation_sets(
    g: Mapping[str, Any], p: Mapping[str, Any], pairs: list[tuple[int, int]] | None = None
) -> tuple[dict[tuple, Mapping[str, Any]], dict[tuple, Mapping[str, Any]]]:
    """One paper's gold and predicted relations keyed by matched endpoints (gold entity
    indices; a prediction-only endpoint stays ``("p", j)``), each key with its first relation.
    ``pairs`` is the paper's lenient untyped matching, when the caller has it already."""
    ge, pe = _entities(g), _entities(p)
    if pairs is None:
        pairs = match(ge, pe, True, False)
    pred_to_gold = {j: i for i, j in pairs}
    gold_index: dict[str, int] = {}
    for i, e in enumerate(ge):
        for n in names_of(e):
            gold_index[key(n)] = i  # a later entity wins a shared name
    pred_index: dict[str, int] = {}
    for j, e in enumerate(pe):
        for n in names_of(e):
            pred_index.setdefault(key(n), j)  # the first entity keeps a shared name
    gold_rels: dict[tuple, Mapping[str, Any]] = {}
    for r in g.get("relations", []):
        k = (gold_index.get(key(r["head"])), r["relation"], gold_index.get(key(r["tail"])))
        gold_rels.setdefault(k, r)
    pred_rels: dict[tuple, Mapping[str, Any]] = {}
    for r in p.get("relations", []):
        h = pred_index.get(key(r.get("head", "")))
        t = pred_index.get(key(r.get("tail", "")))
        # an endpoint without a gold partner stays a prediction-only node
        k = (pred_to_gold.get(h, ("p", h)), r.get("relation"), pred_to_gold.get(t, ("p", t)))
        pred_rels.setdefault(k, r)
    return gold_rels, pred_rels


def _relation_scores(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> dict[str, Any]:
    tp = ng = np_ = 0
    for pid, g in gold.items():
        gold_rels, pred_rels = _relation_sets(g, pred.get(pid) or {})
        tp += len(gold_rels.keys() & pred_rels.keys())
        ng += len(gold_rels)
        np_ += len(pred_rels)
    return {"relations": prf(tp, ng, np_)}


def paper_errors(g: Mapping[str, Any], p: Mapping[str, Any] | None) -> dict[str, Any]:
    """What one paper's prediction got wrong, by the scorer's own matching (lenient): gold
    entities not found, predicted entities matching no gold one, matched pairs with another
    type, ``proposed`` missed or spurious among matched pairs and unmatched predictions, and
    relations missed or spurious. The missed and spurious counts add up to the untyped,
    ``proposed`` and relation figures of :func:`score` (typed figures match anew within each
    type, so their count of type errors can differ a little from ``wrong_type``)."""
    p = p or {}
    ge, pe = _entities(g), _entities(p)
    pairs = match(ge, pe, True, False)
    got_g = {i for i, _ in pairs}
    got_p = {j for _, j in pairs}

    def ent(e: Mapping[str, Any]) -> dict[str, Any]:
        return {"name": e.get("name", ""), "type": e.get("type", "")}

    def proposed(e: Mapping[str, Any]) -> bool:
        return e.get("role") == "proposed"

    pair_of_g = dict(pairs)
    pair_of_p = {j: i for i, j in pairs}
    gold_rels, pred_rels = _relation_sets(g, p, pairs)

    def rel(r: Mapping[str, Any]) -> list[str]:
        return [r.get("head", ""), r.get("relation", ""), r.get("tail", "")]

    return {
        "id": g.get("id", p.get("id", "")),
        "title": g.get("title", ""),
        "entities_missed": [ent(e) for i, e in enumerate(ge) if i not in got_g],
        "entities_spurious": [ent(e) for j, e in enumerate(pe) if j not in got_p],
        "wrong_type": [
            {"gold": ent(ge[i]), "predicted": ent(pe[j])}
            for i, j in pairs
            if ge[i].get("type") != pe[j].get("type")
        ],
        "proposed_missed": [
            e.get("name", "")
            for i, e in enumerate(ge)
            if proposed(e) and not (i in pair_of_g and proposed(pe[pair_of_g[i]]))
        ],
        "proposed_spurious": [
            e.get("name", "")
            for j, e in enumerate(pe)
            if proposed(e) and not (j in pair_of_p and proposed(ge[pair_of_p[j]]))
        ],
        "relations_missed": [rel(r) for k, r in gold_rels.items() if k not in pred_rels],
        "relations_spurious": [rel(r) for k, r in pred_rels.items() if k not in gold_rels],
    }


def errors(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> list[dict[str, Any]]:
    """:func:`paper_errors` for every gold paper, in the gold file's order."""
    return [paper_errors({"id": pid, **g}, pred.get(pid)) for pid, g in gold.items()]


def score(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> dict[str, Any]:
    """All figures for ``pred`` against ``gold`` (both: paper id -> record in gold shape)."""
    res = _entity_scores(gold, pred)
    res.update(_role_scores(gold, pred))
    res.update(_relation_scores(gold, pred))
    res["papers"] = {"gold": len(gold), "predicted": sum(1 for k in gold if k in pred)}
    return res


def load_jsonl(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read a gold/prediction file: paper id -> record. Bad lines raise naming file and line."""
    path = Path(path)
    out: dict[str, dict[str, Any]] = {}
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        raise GoldFileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    with fh:
        for lineno, line in enumerate(fh, start=1):
            line = line.strip()
            if not line:
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldFileError(f"{path}:{lineno}: not JSON: {exc.msg}") from exc
            if not isinstance(rec, dict) or "id" not in rec:
                raise GoldFileError(f"{path}:{lineno}: expected an object with an 'id'")
            if not isinstance(rec.get("entities", []), list):
                raise GoldFileError(f"{path}:{lineno}: 'entities' must be a list")
            out[str(rec["id"])] = rec
    return out


def remap_types(records: Mapping[str, dict[str, Any]], mapping: Mapping[str, str]) -> None:
    """Rename entity types in place (e.g. SciERC's Material -> Dataset)."""
    if not mapping:
        return
    for rec in records.values():
        for e in rec.get("entities", []):
            e["type"] = mapping.get(e.get("type"), e.get("type"))


def parse_mapping(items: Iterable[str]) -> dict[str, str]:
    """``["Material=Dataset", ...]`` -> ``{"Material": "Dataset"}``."""
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise ValueError(f"type mapping {item!r} must look like FROM=TO")
        src, dst = item.split("=", 1)
        out[src.strip()] = dst.strip()
    return out
