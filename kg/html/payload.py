"""The data the page draws: vis-network node/edge items (built with pyvis) plus side details.

Everything here is plain JSON-ready data; nothing is HTML. Escaping happens once, where the
data is embedded in the page (``kg.html.page``), and the page builds its DOM with textContent.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import networkx as nx
from pyvis.network import Network

from kg.model import EDGE_RELATIONS, ENTITY_TYPES, TITLE_SEP, Evidence

#: Colour per node type (Okabe-Ito palette: distinguishable with colour-blindness).
COLOURS: dict[str, str] = {
    "Paper": "#8c99a6",
    "Method": "#0072B2",
    "Model": "#D55E00",
    "Dataset": "#009E73",
    "Task": "#CC79A7",
}
NODE_TYPES: tuple[str, ...] = ("Paper", *ENTITY_TYPES)
RELATION_ORDER: tuple[str, ...] = EDGE_RELATIONS
#: Paper -> entity links: by far the most edges, so they are told apart by colour and width
#: (shown in the legend) rather than text: canvas text on 8,000 edges makes zoomed-in frames
#: take seconds. Entity -> entity relations, the interesting ones, carry their label.
PAPER_LINKS: dict[str, dict[str, Any]] = {
    "proposes": {"color": "#E69F00", "width": 2.0},
    "uses": {"color": "#b8c2cc", "width": 1.0},
}
RELATION_COLOUR = "#55606b"
#: Evidence sentences kept per drawn edge (the count of all is kept too): bounds page size.
MAX_EVIDENCE = 3
LABEL_CHARS = 40
TOOLTIP_CHARS = 220


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def node_type(d: dict[str, Any]) -> str:
    """Legend type of a node: ``Paper`` or the entity type (unknown types fall back to Method)."""
    if d.get("kind") == "paper":
        return "Paper"
    t = str(d.get("type") or "")
    return t if t in COLOURS else "Method"


def node_size(d: dict[str, Any]) -> float:
    """Entity size grows with the square root of its paper count; papers stay small."""
    if d.get("kind") == "paper":
        return 7.0
    return round(min(10.0 + 5.0 * math.sqrt(max(int(d.get("paper_count") or 0), 1) - 1), 45.0), 1)


def font_size(d: dict[str, Any]) -> int:
    """Label size: entities in many papers get bigger labels, readable from further out."""
    if d.get("kind") == "paper":
        return 10
    return min(12 + round(2.5 * math.sqrt(max(int(d.get("paper_count") or 0), 1) - 1)), 30)


def _evidence_item(ev: Evidence | dict[str, Any]) -> tuple[str, int, int]:
    """(sentence, start, end) with the mention's offsets relative to the sentence, clamped."""
    if isinstance(ev, dict):
        ev = Evidence.from_dict(ev)
    n = len(ev.sentence)
    s = min(max(ev.start - ev.sent_start, 0), n)
    e = min(max(ev.end - ev.sent_start, s), n)
    return ev.sentence, s, e


def segments(text: str, spans: list[tuple[int, int, str]]) -> list[list[str]]:
    """Split ``text`` into ``[piece, node id or ""]`` runs; overlapping spans: first one wins."""
    out: list[list[str]] = []
    pos = 0
    for start, end, ref in sorted(spans):
        start, end = max(start, pos), min(end, len(text))
        if end <= start:
            continue
        if start > pos:
            out.append([text[pos:start], ""])
        out.append([text[start:end], ref])
        pos = end
    if pos < len(text) or not out:
        out.append([text[pos:], ""])
    return out


def _paper_details(node: str, d: dict[str, Any], spans: list[tuple[int, int, str]]) -> dict:
    title = str(d.get("title") or d.get("label") or node)
    abstract = str(d.get("abstract") or "")
    offset = len(title) + len(TITLE_SEP)
    meta = {str(k): v for k, v in (d.get("metadata") or {}).items() if v not in (None, "", [])}
    return {
        "kind": "paper",
        "type": "Paper",
        "name": title,
        "title": segments(title, [s for s in spans if s[1] <= len(title)]),
        "abstract": segments(
            abstract, [(s - offset, e - offset, r) for s, e, r in spans if s >= offset]
        ),
        "meta": meta,
        "source": str(d.get("source") or ""),
        "line": int(d.get("line") or 0),
        "links": [
            [str(link.get("url") or ""), "code" if link.get("kind") == "code" else "page"]
            for link in d.get("links") or []
            if isinstance(link, dict)
        ],
    }


def _entity_details(d: dict[str, Any], node: str) -> dict:
    return {
        "kind": "entity",
        "type": node_type(d),
        "name": str(d.get("label") or node),
        "aliases": [str(a) for a in d.get("aliases") or []],
        "papers": int(d.get("paper_count") or 0),
        "proposed_by": [str(p) for p in d.get("proposed_by") or []],
        "confidence": round(float(d.get("confidence") or 0.0), 3),
    }


def _node_tooltip(info: dict) -> str:
    if info["kind"] == "paper":
        meta = info["meta"]
        bits = [str(meta[k]) for k in ("date", "organisation") if k in meta]
        return "\n".join(
            [
                _short(info["name"], TOOLTIP_CHARS),
                "Paper" + "".join(f" · {_short(b, 60)}" for b in bits),
            ]
        )
    lines = [info["name"], f"{info['type']} · {info['papers']} paper(s)"]
    if info["aliases"]:
        lines.append("Also: " + _short(", ".join(info["aliases"]), TOOLTIP_CHARS))
    return "\n".join(lines)


def build_payload(g: nx.MultiDiGraph, pos: dict[str, tuple[float, float]]) -> dict[str, Any]:
    """vis-network items for every node and every (head, relation, tail) edge, plus details.

    Parallel edges (the same fact read in several papers) become one drawn edge whose evidence
    list names each paper, so the canvas is not overdrawn.
    """
    net = Network(directed=True, cdn_resources="in_line")
    # pyvis keeps node ids in a list and scans it on every add: a set-backed list keeps
    # 5,000 nodes and 15,000 edges linear instead of quadratic.
    net.node_ids = _IdIndex([])
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    grouped: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for u, v, d in g.edges(data=True):
        rel = str(d.get("relation") or "relatedTo")
        grouped[(u, v, rel)].append(d)
        if g.nodes[u].get("kind") == "paper" and d.get("paper") is not None:
            for ev in d.get("evidence") or []:
                ev = Evidence.from_dict(ev) if isinstance(ev, dict) else ev
                spans[u].append((ev.start, ev.end, str(v)))

    ids: dict[Any, str] = {}
    details: dict[str, dict] = {}
    for node, d in g.nodes(data=True):
        nid = ids[node] = str(node)
        if d.get("kind") == "paper":
            info = _paper_details(nid, d, spans.get(node, []))
        else:
            info = _entity_details(d, nid)
        details[nid] = info
        t = info["type"]
        x, y = pos.get(node, (0.0, 0.0))
        net.add_node(
            nid,
            label=_short(info["name"], LABEL_CHARS),
            shape="square" if t == "Paper" else "dot",
            color=COLOURS[t],
            size=node_size(d),
            x=x,
            y=y,
            physics=False,
            font={"size": font_size(d)},
            title=_node_tooltip(info),
            ntype=t,
            papers=info.get("papers", 0),
        )

    for i, ((u, v, rel), items) in enumerate(sorted(grouped.items(), key=lambda kv: kv[0])):
        ev: list[list[Any]] = []
        total = 0
        for d in sorted(items, key=lambda d: str(d.get("paper") or "")):
            paper = "" if d.get("paper") is None else str(d.get("paper"))
            conf = round(float(d.get("confidence") or 0.0), 3)
            evs = d.get("evidence") or []
            total += max(len(evs), 1)
            seen: set[tuple[str, int, int]] = set()
            for e in evs:
                item = _evidence_item(e)
                if item in seen or len(ev) >= MAX_EVIDENCE:
                    continue
                seen.add(item)
                ev.append([paper, conf, *item])
            if not evs and len(ev) < MAX_EVIDENCE:
                ev.append([paper, conf, "", 0, 0])
        tip = [f"{details[ids[u]]['name']} —{rel}→ {details[ids[v]]['name']}"]
        tip += [f"“{_short(s, TOOLTIP_CHARS)}” ({c:.2f})" for _, c, s, _, _ in ev[:1] if s]
        if len(items) > 1:
            tip.append(f"{len(items)} papers state this")
        style: dict[str, Any] = PAPER_LINKS.get(rel) or {
            "label": rel,
            "color": RELATION_COLOUR,
            "width": min(1.0 + 0.5 * (len(items) - 1), 4.0),
        }
        if rel == "variantOf":
            style["dashes"] = True
        net.add_edge(
            ids[u],
            ids[v],
            id=f"e{i}",
            title="\n".join(_short(t, 2 * TOOLTIP_CHARS) for t in tip),
            rel=rel,
            ev=ev,
            nev=total,
            **{**style, "color": {"color": style["color"], "highlight": "#1d2833"}},
        )

    nodes, edges, *_ = net.get_network_data()
    present = {e["rel"] for e in edges}
    extra = sorted(present - set(RELATION_ORDER))
    counts: dict[str, int] = defaultdict(int)
    for info in details.values():
        counts[info["type"]] += 1
    return {
        "nodes": nodes,
        "edges": edges,
        "details": details,
        "types": [{"name": t, "colour": COLOURS[t], "count": counts.get(t, 0)} for t in NODE_TYPES],
        "relations": [
            {"name": r, "colour": (PAPER_LINKS.get(r) or {}).get("color", RELATION_COLOUR)}
            for r in [r for r in RELATION_ORDER if r in present] + extra
        ],
        "maxPapers": max((i.get("papers", 0) for i in details.values()), default=0),
    }


class _IdIndex(list):
    """A list that answers ``in`` from a set: pyvis's add_edge asks it once per edge."""

    def __init__(self, items: list[Any]) -> None:
        super().__init__(items)
        self._set = set(items)

    def __contains__(self, item: object) -> bool:
        return item in self._set

    def append(self, item: Any) -> None:
        super().append(item)
        self._set.add(item)
