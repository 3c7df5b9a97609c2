"""Small hand-made graphs for the RDF, query, export and explain tests.

``tests/data/rdf_mini_corpus.json`` holds a resolved corpus with hostile names; evidence offsets
are computed here from the surface strings, and the graph is built by the real
``kg.graph.build_graph``.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import networkx as nx

from kg.graph import build_graph
from kg.model import Entity, Evidence, Mention, Paper, Relation, ResolvedCorpus

DATA = Path(__file__).parent / "data"
MINI_CORPUS = DATA / "rdf_mini_corpus.json"


def evidence_for(text: str, needle: str) -> Evidence:
    """Evidence for the first occurrence of ``needle``: its sentence and offsets in ``text``."""
    i = text.find(needle)
    if i < 0:
        raise ValueError(f"{needle!r} not in {text!r}")
    s = max(
        text.rfind(". ", 0, i) + 2 if text.rfind(". ", 0, i) >= 0 else 0, text.rfind("\n", 0, i) + 1
    )
    ends = [j for j in (text.find(". ", i), text.find("\n", i)) if j >= 0]
    e = min(ends) + 1 if ends else len(text)
    return Evidence(sentence=text[s:e], start=i, end=i + len(needle), sent_start=s)


def mini_corpus(path: Path = MINI_CORPUS) -> ResolvedCorpus:
    d = json.loads(path.read_text(encoding="utf-8"))
    papers = {p["id"]: Paper.from_dict(p) for p in d["papers"]}
    entities = {
        e["key"]: Entity(
            key=e["key"],
            name=e["name"],
            type=e["type"],
            aliases=set(e["aliases"]),
            papers=dict(e["papers"]),
            confidence=0.9,
            variant_of=set(e.get("variant_of", [])),
        )
        for e in d["entities"]
    }
    mentions = [
        Mention(pid, key, role, surface, conf, [evidence_for(papers[pid].text, surface)])
        for pid, key, role, surface, conf in d["mentions"]
    ]
    relations = [
        Relation(h, r, t, pid, conf, evidence_for(papers[pid].text, span))
        for h, r, t, pid, conf, span in d["relations"]
    ]
    return ResolvedCorpus(papers=papers, entities=entities, mentions=mentions, relations=relations)


def mini_graph() -> nx.MultiDiGraph:
    """The mini corpus as the networkx graph kg.graph builds."""
    return build_graph(mini_corpus(), extractor="test-0")


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
