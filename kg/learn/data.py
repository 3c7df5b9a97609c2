"""Annotated abstracts as training examples for the learned extractor.

Each gold record (title, abstract, entities with names and aliases) is run through the rule
pipeline once; the doc keeps its spans, rule entities and contextual token vectors. Gold names
are found in the text (case-insensitive, on token boundaries), so a candidate span is labelled
with the type of the gold entity it names exactly, or "none".
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from kg.evaluate import load_jsonl
from kg.extract.learned.candidates import candidate_spans
from kg.extract.learned.decode import ENTITY_CLASSES
from kg.extract.learned.features import DocView, mention_rows
from kg.extract.learned.linear import Rows
from kg.model import Paper


@dataclass(slots=True)
class Example:
    """One annotated paper, processed: the doc, its candidates, their rows and labels."""

    id: str
    gold: dict[str, Any]
    doc: Doc
    view: DocView
    cands: list[tuple[int, int]]
    rows: Rows
    labels: np.ndarray
    source: str


def gold_spans(doc: Doc, entities: Sequence[dict]) -> dict[tuple[int, int], str]:
    """Token spans where a gold name or alias is written, with the entity's type; where two
    names overlap, the longer one wins."""
    text = doc.text
    lower = text.lower()
    starts = {t.idx: t.i for t in doc}
    ends = {t.idx + len(t): t.i + 1 for t in doc}
    found: list[tuple[int, int, str]] = []
    for ent in entities:
        for name in (ent.get("name", ""), *(ent.get("aliases") or [])):
            if not name.strip():
                continue
            for m in re.finditer(re.escape(name.lower()), lower):
                s, e = starts.get(m.start()), ends.get(m.end())
                if s is not None and e is not None:
                    found.append((s, e, ent.get("type", "")))
    found.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
    taken: dict[tuple[int, int], str] = {}
    used = np.zeros(len(doc) + 1, dtype=bool)
    for s, e, t in found:
        if t in ENTITY_CLASSES and not used[s:e].any():
            used[s:e] = True
            taken[(s, e)] = t
    return taken


def file_digest(paths: Iterable[Path]) -> str:
    """SHA-256 over the training files (for the model card)."""
    h = hashlib.sha256()
    for p in paths:
        h.update(Path(p).name.encode())
        h.update(Path(p).read_bytes())
    return h.hexdigest()


def load_examples(nlp: Language, path: Path, bits: int, limit: int | None = None) -> list[Example]:
    """Examples from a gold JSONL file, processed by ``nlp`` (the rule pipeline)."""
    gold = load_jsonl(path)
    recs = list(gold.items())[:limit] if limit else list(gold.items())
    texts = [
        Paper(pid, r.get("title", "") or "", r.get("abstract", "") or "").text for pid, r in recs
    ]
    out = []
    for (pid, rec), doc in zip(recs, nlp.pipe(texts, batch_size=32), strict=True):
        cands = candidate_spans(doc)
        spans = gold_spans(doc, rec.get("entities", []))
        labels = np.array(
            [ENTITY_CLASSES.index(spans.get(c, "none")) for c in cands], dtype=np.int64
        )
        out.append(
            Example(
                id=pid,
                gold=rec,
                doc=doc,
                view=DocView.of(doc),
                cands=cands,
                rows=mention_rows(doc, cands, bits),
                labels=labels,
                source=str(path),
            )
        )
    return out
