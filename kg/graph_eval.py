"""Score a built graph's entity nodes against a graph gold (``eval/graph_gold.jsonl``).

The extraction gold (``kg.evaluate``) judges one abstract at a time; this gold judges the nodes
a whole build makes, the way a reader of the graph sees them. It is keyed by *names*, not by
entity keys or paper ids, so it survives a new extractor: each gold line lists names a thing
appears under, its canonical name (lines that share a canonical name are one real thing),
whether it should be a node at all, and its type (see ``eval/GRAPH_GOLD.md``).

A built node is matched to the gold through its names: its label first, then its aliases in
sorted order; the first name the gold knows is the node's *identity*. Names are compared by
``kg.evaluate.key`` (case, dashes, a leading article, a plural ``s`` and punctuation ignored).
Figures:

- **splits**: canonical things (that should exist) with two or more built nodes;
- **junk**: built nodes whose identity should not exist;
- **type accuracy**: over built nodes whose identity should exist, the share with the gold type;
- **wrong merges**: nodes whose names belong to two or more different real things;
- **junk aliases**: aliases of a node that name something that should not exist;
- **markup names**: labels or aliases holding markup or extraction artefacts (``~``, ``\\``,
  braces, unbalanced brackets), found without the gold;
- **missing**: canonical things no built node is matched to (the extractor no longer finds them).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.evaluate import GoldFileError, key
from kg.model import ENTITY_TYPES

#: The issue's targets: at most 2 split entities and 2 junk nodes, type accuracy >= 95%.
TARGETS = {"splits": 2, "junk": 2, "type_accuracy": 0.95}


@dataclass(frozen=True, slots=True)
class GoldName:
    """What the gold says about one name."""

    canonical: str
    exists: bool
    type: str | None
    line: int


@dataclass(slots=True)
class BuiltEntity:
    """An entity node as a build wrote it."""

    key: str
    label: str
    type: str
    aliases: list[str] = field(default_factory=list)
    papers: int = 0

    @property
    def names(self) -> list[str]:
        return [self.label, *sorted(self.aliases)]


def load_graph_gold(path: str | Path) -> dict[str, GoldName]:
    """Name key -> :class:`GoldName`. Every line's canonical name counts as one of its names.

    Raises :class:`GoldFileError` (naming file and line) for a malformed line, an unknown
    type, or a name or canonical thing that two lines judge differently.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise GoldFileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    names: dict[str, GoldName] = {}
    things: dict[str, GoldName] = {}
    for lineno, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            rec = json.loads(text)
        except json.JSONDecodeError as exc:
            raise GoldFileError(f"{where}: not JSON: {exc.msg}") from exc
        if not isinstance(rec, dict) or not isinstance(rec.get("canonical"), str):
            raise GoldFileError(f"{where}: expected an object with a 'canonical' name")
        exists = rec.get("exists")
        etype = rec.get("type")
        if not isinstance(exists, bool):
            raise GoldFileError(f"{where}: 'exists' must be true or false")
        if exists and etype not in ENTITY_TYPES:
            raise GoldFileError(f"{where}: type {etype!r} is not one of {list(ENTITY_TYPES)}")
        gold = GoldName(rec["canonical"], exists, etype if exists else None, lineno)
        ckey = key(gold.canonical)
        seen = things.get(ckey)
        if seen is not None and (seen.exists, seen.type) != (gold.exists, gold.type):
            raise GoldFileError(
                f"{where}: {gold.canonical!r} is judged differently on line {seen.line}"
            )
        things.setdefault(ckey, gold)
        for name in [*(rec.get("names") or []), gold.canonical]:
            if not isinstance(name, str) or not key(name):
                raise GoldFileError(f"{where}: names must be non-empty strings")
            nk = key(name)
            prev = names.get(nk)
            if prev is not None and key(prev.canonical) != ckey:
                raise GoldFileError(
                    f"{where}: name {name!r} is also a name of {prev.canonical!r} "
                    f"(line {prev.line})"
                )
            names.setdefault(nk, gold)
    return names


_ENTITIES = """
SELECT ?key ?label ?type ?count WHERE {
  ?e a kg:Entity ; dcterms:identifier ?key ; skos:prefLabel ?label ; a ?type .
  OPTIONAL { ?e kg:paperCount ?count }
  FILTER (?type IN (kg:Method, kg:Model, kg:Dataset, kg:Task))
}
"""
_ALIASES = """
SELECT ?key ?alias WHERE { ?e a kg:Entity ; dcterms:identifier ?key ; skos:altLabel ?alias }
"""


def built_entities(store: Any) -> list[BuiltEntity]:
    """Every entity node in a build's store (an Oxigraph store)."""
    from kg.query import select

    out: dict[str, BuiltEntity] = {}
    for row in select(store, _ENTITIES):
        etype = str(row["type"]).rsplit("#", 1)[-1]
        out[row["key"]] = BuiltEntity(row["key"], row["label"], etype, [], int(row["count"] or 0))
    for row in select(store, _ALIASES):
        ent = out.get(row["key"])
        if ent is not None:
            ent.aliases.append(row["alias"])
    return sorted(out.values(), key=lambda e: (-e.papers, e.key))


#: Markup and extraction artefacts a name should never carry.
_MARKUP = re.compile(r"[~\\{}$]|\)-|^\W")


def _unbalanced(name: str) -> bool:
    depth = 0
    for ch in name:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth < 0:
                return True
    return depth != 0


def has_markup(name: str) -> bool:
    """True for names holding markup or an extraction artefact (``Alignment~``, ``LLM)-based``)."""
    return bool(_MARKUP.search(name)) or _unbalanced(name)


def _row(ent: BuiltEntity) -> dict[str, Any]:
    return {"label": ent.label, "type": ent.type, "papers": ent.papers}


def score_graph(gold: Mapping[str, GoldName], entities: Iterable[BuiltEntity]) -> dict[str, Any]:
    """The graph-gold figures (module docstring) for ``entities`` against ``gold``."""
    ents = list(entities)
    by_thing: dict[str, list[BuiltEntity]] = defaultdict(list)
    junk, type_errors, wrong_merges, junk_aliases, markup = [], [], [], [], []
    typed = right = scored = 0
    for ent in ents:
        markup += [{"node": ent.label, "name": n} for n in ent.names if has_markup(n)]
        judged = [(n, gold[key(n)]) for n in ent.names if key(n) in gold]
        if not judged:
            continue
        scored += 1
        _, ident = judged[0]
        things = {key(g.canonical) for _, g in judged if g.exists}
        if len(things) > 1:
            row = _row(ent)
            row["things"] = sorted({g.canonical for _, g in judged if g.exists})
            wrong_merges.append(row)
        if not ident.exists:
            junk.append({**_row(ent), "canonical": ident.canonical})
            continue
        junk_aliases += [{"node": ent.label, "alias": n} for n, g in judged[1:] if not g.exists]
        by_thing[key(ident.canonical)].append(ent)
        typed += 1
        if ent.type == ident.type:
            right += 1
        else:
            type_errors.append({**_row(ent), "gold": ident.type})
    splits = [
        {"canonical": gold[k].canonical, "nodes": [_row(e) for e in nodes]}
        for k, nodes in sorted(by_thing.items())
        if len(nodes) > 1
    ]
    existing = {key(g.canonical): g.canonical for g in gold.values() if g.exists}
    missing = sorted(c for k, c in existing.items() if k not in by_thing)
    accuracy = right / typed if typed else 0.0
    return {
        "nodes": len(ents),
        "scored": scored,
        "splits": len(splits),
        "junk": len(junk),
        "type_accuracy": round(accuracy, 4),
        "typed": typed,
        "wrong_merges": len(wrong_merges),
        "junk_aliases": len(junk_aliases),
        "markup_names": len(markup),
        "missing": len(missing),
        "things": len(existing),
        "targets_met": len(splits) <= TARGETS["splits"]
        and len(junk) <= TARGETS["junk"]
        and accuracy >= TARGETS["type_accuracy"],
        "details": {
            "splits": splits,
            "junk": junk,
            "type_errors": type_errors,
            "wrong_merges": wrong_merges,
            "junk_aliases": junk_aliases,
            "markup_names": markup,
            "missing": missing,
        },
    }


def evaluate_build(gold_path: str | Path, out: str | Path, graph: str | Path | None = None):
    """Score the build in ``out`` (its store; or the RDF file ``graph``) against a graph gold."""
    from kg.store import opened

    gold = load_graph_gold(gold_path)
    with opened(out, graph) as store:
        ents = built_entities(store)
    return score_graph(gold, ents)
